#!/usr/bin/env python3
"""Packet-capture throughput and memory benchmark for logscrub.

Builds a large SIP + RTP capture from a real sample (samples/captures/relocated-call.pcap:
a sipp call with SDP, G.711 RTP both ways and RFC 2833 DTMF, on Ethernet with a VLAN tag
and non-loopback addresses), repeated with shifted timestamps until it holds about
`--packets` packets. Then:

1. the baseline: a plain read-and-write loop over scapy's raw pcap reader and writer
   (the least any pcap tool built on scapy must do);
2. `python -m logscrub scrub IN -o OUT -q` in a child process, `--repeat` times;

and reports packets/s, MB/s (1e6 bytes), the ratio to the baseline and the child's
peak RSS. Figures are only comparable on the same machine; the best run is the estimate
(a shared machine only ever adds time), the median shows the spread.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scapy.utils import RawPcapReader, RawPcapWriter

MB = 1_000_000
REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "samples" / "captures" / "relocated-call.pcap"


def build(source: Path, target: Path, packets: int) -> int:
    """`source` repeated (timestamps shifted by its duration each time) to ~`packets` packets."""
    data = source.read_bytes()
    header, body = data[:24], data[24:]
    endian = "<" if header[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    record = struct.Struct(endian + "IIII")
    records = []
    pos = 0
    while pos < len(body):
        sec, usec, caplen, wirelen = record.unpack_from(body, pos)
        records.append((sec, usec, caplen, wirelen, body[pos + 16 : pos + 16 + caplen]))
        pos += 16 + caplen
    span = records[-1][0] - records[0][0] + 1
    written = 0
    with target.open("wb") as out:
        out.write(header)
        copy = 0
        while written < packets:
            shift = copy * span
            out.write(
                b"".join(
                    record.pack(sec + shift, usec, caplen, wirelen) + payload
                    for sec, usec, caplen, wirelen, payload in records
                )
            )
            written += len(records)
            copy += 1
    return written


def baseline(path: Path, out: Path) -> float:
    """Seconds for a plain scapy raw read-and-write loop over `path`."""
    start = time.perf_counter()
    reader = RawPcapReader(str(path))  # type: ignore[no-untyped-call]
    writer = RawPcapWriter(str(out), linktype=reader.linktype, snaplen=reader.snaplen)  # type: ignore[no-untyped-call]
    for data, meta in reader:
        writer.write_packet(data, sec=meta.sec, usec=meta.usec, caplen=meta.caplen, wirelen=meta.wirelen)
    writer.close()
    reader.close()
    return time.perf_counter() - start


def scrub(path: Path, out: Path, extra: list[str]) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one `logscrub scrub` child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "logscrub", "scrub", str(path), "-o", str(out), "-q", *extra], check=True
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--packets", type=int, default=500_000, help="packets in the generated capture")
    parser.add_argument("--repeat", type=int, default=3, help="scrub runs (best and median reported)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the capture to repeat")
    parser.add_argument("--keep", type=Path, help="keep the generated files in this directory")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("scrub_args", nargs="*", help="extra arguments for `logscrub scrub` (after --)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        capture, output, copy = work / "bench.pcap", work / "bench.out.pcap", work / "bench.copy.pcap"
        count = build(args.source, capture, args.packets)
        size = capture.stat().st_size
        base = baseline(capture, copy)
        runs = [scrub(capture, output, args.scrub_args) for _ in range(args.repeat)]
        if output.stat().st_size != size:
            print("error: the output's size differs from the input's", file=sys.stderr)
            return 1
    best = min(seconds for seconds, _ in runs)
    median = statistics.median(seconds for seconds, _ in runs)
    figures = {
        "packets": count,
        "mb": round(size / MB, 1),
        "baseline_packets_per_s": round(count / base),
        "best_s": round(best, 2),
        "median_s": round(median, 2),
        "packets_per_s": round(count / best),
        "mb_per_s": round(size / MB / best, 1),
        "ratio_to_baseline": round(base / best, 2),
        "peak_rss_mb": round(max(rss for _, rss in runs) / 1024),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"capture: {count} packets, {figures['mb']} MB (from {args.source.name})")
        print(f"baseline (scapy raw read + write): {figures['baseline_packets_per_s']} packets/s")
        print(
            f"logscrub scrub (incl. start-up), best of {args.repeat}: {best:.2f} s (median {median:.2f} s) ="
            f" {figures['packets_per_s']} packets/s, {figures['mb_per_s']} MB/s,"
            f" {figures['ratio_to_baseline']}x the baseline's speed"
        )
        print(f"peak RSS: {figures['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
