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

``--signalling`` builds a SIPp-style load capture instead (many short calls, most packets
SIP: REGISTER / 200, INVITE with SDP / 100 / 180 / 200 with SDP / ACK / BYE / 200, and a
few RTP packets per call; every call with its own numbers, tags, Call-ID and nonce), and
also times ``tcprewrite --seed`` on it in the same run when tcprewrite is installed
(``apt-get install tcpreplay``): the ratio to tcprewrite is the figure that counts there.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from scapy.utils import RawPcapReader, RawPcapWriter, checksum

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


# --------------------------------------------------------------------------- signalling load

SIP_DOMAIN = "voip.loadtest.example.net"
SERVER_IP, SERVER_MAC = "198.51.100.20", "00:1b:21:3a:4f:10"
GIVEN = ["Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kenji", "Lena"]
FAMILY = [
    "Berger",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Horvat",
    "Ivanova",
    "Jansen",
    "Kowalski",
]
ETHER_IP4 = b"\x08\x00"


def _sip_messages(
    rng: random.Random, call: int, ua_ip: str, caller: tuple[str, str], callee: str
) -> tuple[list[str], int, int]:
    """The SIP messages of one SIPp-style call: REGISTER, 200, INVITE (SDP), 100, 180, 200 (SDP),
    ACK, BYE, 200, in the order they are sent; and the two media ports."""
    number, name = caller
    port = 5060
    tag = f"{call}SIPpTag0{rng.randrange(10**6)}"
    rtag = f"{rng.randrange(16**8):08x}"
    call_id = f"{call}-{rng.randrange(1000, 99999)}@{ua_ip}"
    nonce = f"{rng.getrandbits(128):032x}"
    response = f"{rng.getrandbits(128):032x}"
    media = rng.randrange(10000, 60000, 2)
    smedia = rng.randrange(10000, 60000, 2)
    sess = rng.randrange(10**9, 10**10)

    def branch() -> str:
        return f"z9hG4bK-{call}-{rng.randrange(10**6)}-{rng.randrange(100)}"

    def sdp(ip: str, mport: int) -> str:
        return (
            f"v=0\r\no=user1 {sess} {sess + 1} IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
            f"m=audio {mport} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
            "a=sendrecv\r\n"
        )

    frm = f'"{name}" <sip:{number}@{SIP_DOMAIN}>;tag={tag}'
    to = f"<sip:{callee}@{SIP_DOMAIN}>"
    contact = f"<sip:{number}@{ua_ip}:{port};transport=udp>"

    def msg(start: str, via: str, cseq: str, to_tag: bool, extra: str = "", body: str = "") -> str:
        head = (
            f"{start}\r\nVia: SIP/2.0/UDP {ua_ip}:{port};branch={via};rport\r\nFrom: {frm}\r\n"
            f"To: {to}{';tag=' + rtag if to_tag else ''}\r\nCall-ID: {call_id}\r\nCSeq: {cseq}\r\n"
            f"Contact: {contact}\r\nMax-Forwards: 70\r\nUser-Agent: SIPp/3.7.2\r\n{extra}"
        )
        ctype = "Content-Type: application/sdp\r\n" if body else ""
        return f"{head}{ctype}Content-Length: {len(body.encode())}\r\n\r\n{body}"

    reg_to = f"<sip:{number}@{SIP_DOMAIN}>"
    reg_branch, inv_branch, bye_branch = branch(), branch(), branch()
    auth = (
        f'Authorization: Digest username="{number}", realm="{SIP_DOMAIN}", nonce="{nonce}", '
        f'uri="sip:{SIP_DOMAIN}", response="{response}", algorithm=MD5\r\nExpires: 3600\r\n'
    )
    register = msg(f"REGISTER sip:{SIP_DOMAIN} SIP/2.0", reg_branch, "1 REGISTER", False, auth)
    register = register.replace(f"To: {to}", f"To: {reg_to}")
    registered = msg("SIP/2.0 200 OK", reg_branch, "1 REGISTER", True, "Expires: 3600\r\n")
    registered = registered.replace(f"To: {to}", f"To: {reg_to}")
    offer = sdp(ua_ip, media)
    answer = sdp(SERVER_IP, smedia)
    invite = f"INVITE sip:{callee}@{SIP_DOMAIN} SIP/2.0"
    return (
        [
            register,
            registered,
            msg(invite, inv_branch, "1 INVITE", False, "Subject: Performance Test\r\n", offer),
            msg("SIP/2.0 100 Trying", inv_branch, "1 INVITE", False),
            msg("SIP/2.0 180 Ringing", inv_branch, "1 INVITE", True),
            msg("SIP/2.0 200 OK", inv_branch, "1 INVITE", True, "", answer),
            msg(f"ACK sip:{callee}@{SERVER_IP}:5060 SIP/2.0", branch(), "1 ACK", True),
            msg(f"BYE sip:{callee}@{SERVER_IP}:5060 SIP/2.0", bye_branch, "2 BYE", True),
            msg("SIP/2.0 200 OK", bye_branch, "2 BYE", True),
        ],
        media,
        smedia,
    )


class FrameBuilder:
    """Ethernet / IPv4 / UDP frames, byte for byte what scapy builds (checked on the first
    frames: see `check_with_scapy`), at a fraction of scapy's per-packet cost."""

    def __init__(self) -> None:
        self.ip_id: dict[str, int] = {}

    def frame(
        self, smac: str, dmac: str, src: str, dst: str, sport: int, dport: int, payload: bytes
    ) -> bytes:
        ident = self.ip_id[src] = (self.ip_id.get(src, 0) + 1) & 0xFFFF
        s, d = ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed
        ulen = 8 + len(payload)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, ident, 0x4000, 64, 17, 0, s, d)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        udp = struct.pack("!HHHH", sport, dport, ulen, 0)
        csum = checksum(s + d + struct.pack("!BBH", 0, 17, ulen) + udp + payload) or 0xFFFF
        udp = udp[:6] + struct.pack("!H", csum)
        return (
            bytes.fromhex(dmac.replace(":", ""))
            + bytes.fromhex(smac.replace(":", ""))
            + ETHER_IP4
            + ip
            + udp
            + payload
        )


def check_with_scapy(frame: bytes) -> None:
    """The frame equals scapy's own build of the same packet (checksums and lengths recomputed)."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw

    pkt = Ether(frame)
    ip, udp = pkt[IP], pkt[UDP]
    rebuilt = (
        Ether(src=pkt.src, dst=pkt.dst)
        / IP(src=ip.src, dst=ip.dst, id=ip.id, flags="DF", ttl=64)
        / UDP(sport=udp.sport, dport=udp.dport)
        / Raw(bytes(udp.payload))
    )
    if bytes(rebuilt) != frame:
        raise AssertionError("hand-built frame differs from scapy's")


def signalling_frames(
    packets: int, seed: int, rtp_per_call: int, subscribers: int = 1000
) -> Iterator[tuple[int, bytes]]:
    """(timestamp in microseconds, frame) of a SIPp-style load: one short call after another (a new call every
    2 ms), 9 SIP messages and `rtp_per_call` RTP packets (PCMU, both ways) per call. Caller and
    callee are test accounts (number and display name) of a pool of `subscribers`, as a SIPp
    injection file gives them; Call-ID, tags, branches, nonce, digest response, SDP session and
    ports are new in every call."""
    rng = random.Random(seed)
    builder = FrameBuilder()
    accounts = [
        (f"+4930{rng.randrange(10**7, 10**8)}", f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}")
        for _ in range(subscribers)
    ]
    uas = [
        (f"10.20.{n // 250}.{n % 250 + 2}", f"02:00:0a:14:{n // 250:02x}:{n % 250 + 2:02x}")
        for n in range(500)
    ]
    t0, written, call, checked = 1_700_000_000_000_000, 0, 0, 0
    while written < packets:
        ua_ip, ua_mac = rng.choice(uas)
        caller = rng.choice(accounts)
        callee = rng.choice(accounts)[0]
        sips, media, smedia = _sip_messages(rng, call, ua_ip, caller, callee)
        start = t0 + call * 2000  # microseconds
        frames = []
        for k, text in enumerate(sips):
            upstream = k in (0, 2, 6, 7)  # REGISTER, INVITE, ACK, BYE go to the server
            hop = (
                (ua_mac, SERVER_MAC, ua_ip, SERVER_IP) if upstream else (SERVER_MAC, ua_mac, SERVER_IP, ua_ip)
            )
            frames.append(builder.frame(*hop, 5060, 5060, text.encode()))
        ssrc, seq, ts = rng.getrandbits(32), rng.randrange(1 << 16), rng.getrandbits(32)
        rtp = []
        for k in range(rtp_per_call):
            header = struct.pack(
                "!BBHII", 0x80, 0x80 if k == 0 else 0, (seq + k) & 0xFFFF, (ts + 160 * k) & 0xFFFFFFFF, ssrc
            )
            payload = header + bytes((0xFF ^ ((k * 37 + i) & 0x0F)) for i in range(160))
            if k % 2 == 0:
                rtp.append(builder.frame(ua_mac, SERVER_MAC, ua_ip, SERVER_IP, media, smedia, payload))
            else:
                rtp.append(builder.frame(SERVER_MAC, ua_mac, SERVER_IP, ua_ip, smedia, media, payload))
        # REGISTER, 200, INVITE, 100, 180, 200, ACK, then the media, then BYE, 200.
        ordered = frames[:7] + rtp + frames[7:]
        for k, frame in enumerate(ordered):
            if checked < 20:
                check_with_scapy(frame)
                checked += 1
            if written < packets:
                yield start + k * 100, frame
                written += 1
        call += 1


def build_signalling(
    target: Path, packets: int, seed: int = 1, rtp_per_call: int = 6, subscribers: int = 1000
) -> tuple[int, int]:
    """Write the SIPp-style load capture; returns (packets, calls)."""
    writer = RawPcapWriter(str(target), linktype=1, snaplen=65535)  # type: ignore[no-untyped-call]
    writer.write_header(None)  # write_packet() does not write it
    count = 0
    for stamp, frame in signalling_frames(packets, seed, rtp_per_call, subscribers):
        sec, usec = divmod(stamp, 1_000_000)
        writer.write_packet(frame, sec=sec, usec=usec, caplen=len(frame), wirelen=len(frame))
        count += 1
    writer.close()
    per_call = 9 + rtp_per_call
    return count, -(-count // per_call)


def tcprewrite(path: Path, out: Path, seed: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of `tcprewrite --seed` over `path`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        ["tcprewrite", f"--seed={seed}", f"--infile={path}", f"--outfile={out}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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


def scrub(path: Path, out: Path, extra: list[str]) -> tuple[float, int, float]:
    """(seconds, peak RSS in KiB, CPU seconds) of one `logscrub scrub` child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "logscrub", "scrub", str(path), "-o", str(out), "-q", *extra], check=True
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, max(after.ru_maxrss, before.ru_maxrss), cpu


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--packets", type=int, default=500_000, help="packets in the generated capture")
    parser.add_argument("--repeat", type=int, default=3, help="scrub runs (best and median reported)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the capture to repeat")
    parser.add_argument("--keep", type=Path, help="keep the generated files in this directory")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--signalling",
        action="store_true",
        help="a SIPp-style load capture (most packets SIP) instead of --source, and tcprewrite --seed",
    )
    parser.add_argument("--seed", type=int, default=1, help="--signalling: RNG and tcprewrite seed")
    parser.add_argument("--rtp-per-call", type=int, default=6, help="--signalling: RTP packets per call")
    parser.add_argument(
        "--subscribers", type=int, default=1000, help="--signalling: test accounts calls are drawn from"
    )
    parser.add_argument("scrub_args", nargs="*", help="extra arguments for `logscrub scrub` (after --)")
    args = parser.parse_args()

    rewrite = args.signalling and shutil.which("tcprewrite") is not None
    calls = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        name = "signalling" if args.signalling else "bench"
        capture, output, copy = work / f"{name}.pcap", work / f"{name}.out.pcap", work / f"{name}.copy.pcap"
        if args.signalling:
            built = time.perf_counter()
            count, calls = build_signalling(
                capture, args.packets, args.seed, args.rtp_per_call, args.subscribers
            )
            built = time.perf_counter() - built
        else:
            count = build(args.source, capture, args.packets)
        size = capture.stat().st_size
        base = baseline(capture, copy)
        runs, rewrites = [], []
        for _ in range(args.repeat):  # interleaved: load from other work hits both alike
            runs.append(scrub(capture, output, args.scrub_args))
            if rewrite:
                rewrites.append(tcprewrite(capture, work / f"{name}.tcprewrite.pcap", args.seed))
        if output.stat().st_size != size:
            print("error: the output's size differs from the input's", file=sys.stderr)
            return 1
    best = min(seconds for seconds, _, _ in runs)
    best_cpu = min(cpu for _, _, cpu in runs)
    median = statistics.median(seconds for seconds, _, _ in runs)
    figures: dict[str, object] = {
        "packets": count,
        "mb": round(size / MB, 1),
        "baseline_packets_per_s": round(count / base),
        "best_s": round(best, 2),
        "median_s": round(median, 2),
        "cpu_s": round(best_cpu, 2),
        "packets_per_s": round(count / best),
        "packets_per_cpu_s": round(count / best_cpu),
        "mb_per_s": round(size / MB / best, 1),
        "ratio_to_baseline": round(base / best, 2),
        "peak_rss_mb": round(max(rss for _, rss, _ in runs) / 1024),
    }
    if args.signalling:
        sip = 9 * calls if count == calls * (9 + args.rtp_per_call) else None
        figures.update(
            {
                "signalling": True,
                "calls": calls,
                "rtp_per_call": args.rtp_per_call,
                "subscribers": args.subscribers,
            }
        )
        if sip is not None:
            figures["sip_share"] = round(sip / count, 3)
    if rewrites:
        tw_wall = min(w for w, _ in rewrites)
        tw_cpu = min(c for _, c in rewrites)
        figures.update(
            {
                "tcprewrite_packets_per_s": round(count / tw_wall),
                "tcprewrite_packets_per_cpu_s": round(count / max(tw_cpu, 1e-9)),
                "ratio_to_tcprewrite_cpu": round(max(tw_cpu, 1e-9) / best_cpu, 4),
                "ratio_to_tcprewrite_wall": round(tw_wall / best, 4),
            }
        )
    if args.json:
        print(json.dumps(figures))
        return 0
    if args.signalling:
        print(
            f"capture: {count} packets, {figures['mb']} MB: SIPp-style load, {calls} calls of 9 SIP messages"
            f" and {args.rtp_per_call} RTP packets between {args.subscribers} accounts"
            f" (seed {args.seed}; built in {built:.1f} s)"
        )
    else:
        print(f"capture: {count} packets, {figures['mb']} MB (from {args.source.name})")
    print(f"baseline (scapy raw read + write): {figures['baseline_packets_per_s']} packets/s")
    print(
        f"logscrub scrub (incl. start-up), best of {args.repeat}: {best:.2f} s (median {median:.2f} s) ="
        f" {figures['packets_per_s']} packets/s, {figures['mb_per_s']} MB/s,"
        f" {figures['ratio_to_baseline']}x the baseline's speed; {best_cpu:.2f} s CPU ="
        f" {figures['packets_per_cpu_s']} packets per CPU second"
    )
    if rewrites:
        print(
            f"tcprewrite --seed={args.seed}, best of {len(rewrites)}: {tw_wall:.2f} s wall,"
            f" {tw_cpu:.2f} s CPU ="
            f" {figures['tcprewrite_packets_per_cpu_s']} packets per CPU second"
        )
        print(
            f"ratio logscrub / tcprewrite: {figures['ratio_to_tcprewrite_cpu']}x CPU"
            " (the figure that counts),"
            f" {figures['ratio_to_tcprewrite_wall']}x wall"
        )
    elif args.signalling:
        print("tcprewrite not installed (apt-get install tcpreplay): no ratio to it")
    print(f"peak RSS: {figures['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
