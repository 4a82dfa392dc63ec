"""Bulk scrubbing throughput: files/s and MB/s of `logscrub bulk` (local processes and Dask)
against a plain loop over `Scrubber.scrub_file` in one process, on the same files.

The files are copies of the samples (logs, captures, a bundle), `--files` of them, each
copy under its own name. Every command runs `--repeat` times; the best wall time counts
(a shared machine only ever adds time). The plain loop runs in this process (its rules
compiled before the clock starts, as a long-running service has them); the bulk commands
run as child processes and include their start-up, workers' included.

    python benchmarks/bench_bulk.py [--files 200] [--repeat 2] [--no-dask]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SOURCES = [
    *sorted(SAMPLES.glob("*.log")),
    SAMPLES / "messaging.jsonl",
    *sorted((SAMPLES / "captures").glob("*.pcap*")),
    SAMPLES / "bundles" / "send-logs.zip",
]
KEY_HEX = "6c6f6773637275622062756c6b2062656e63686d61726b"  # "logscrub bulk benchmark"


def build(directory: Path, count: int) -> int:
    """`count` files cycled from SOURCES; their total size in bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(count):
        source = SOURCES[number % len(SOURCES)]
        target = directory / f"{number:05d}-{source.name}"
        shutil.copyfile(source, target)
        total += target.stat().st_size
    return total


def plain_loop(inputs: Path, outputs: Path) -> float:
    sys.path.insert(0, str(REPO))
    import logscrub

    scrubber = logscrub.Scrubber(key=bytes.fromhex(KEY_HEX))
    scrubber.scrub_text("warm up: +14155550123 jane.roe@example.com")
    outputs.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    for path in sorted(inputs.iterdir()):
        scrubber.scrub_file(path, outputs / path.name)
    return time.monotonic() - started


def bulk(inputs: Path, outputs: Path, engine: str, jobs: int) -> float:
    command = [
        sys.executable, "-m", "logscrub", "bulk", str(inputs), "--dest", f"{outputs}/{{name}}",
        "--key-env", "BENCH_KEY", "--engine", engine, "--jobs", str(jobs),
    ]  # fmt: skip
    started = time.monotonic()
    subprocess.run(command, check=True, env={**os.environ, "BENCH_KEY": KEY_HEX}, capture_output=True)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200, help="how many files (default 200)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each command (best counts)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask engine")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="logscrub-bulk-") as tmp:
        inputs = Path(tmp) / "in"
        size = build(inputs, args.files)
        print(f"{args.files} files, {size / 1e6:.1f} MB (copies of the samples: logs, captures, a bundle)")
        runs = [("plain loop, 1 process", lambda out: plain_loop(inputs, out))]
        for engine, jobs in [("local", 1), ("local", 2), ("dask", 1), ("dask", 2)]:
            if engine == "dask" and args.no_dask:
                continue
            runs.append(
                (
                    f"bulk --engine {engine} --jobs {jobs}",
                    lambda out, e=engine, j=jobs: bulk(inputs, out, e, j),
                )
            )
        figures = {}
        for name, run in runs:
            best = min(run(Path(tmp) / f"out-{i}") for i in range(args.repeat))
            for i in range(args.repeat):
                shutil.rmtree(Path(tmp) / f"out-{i}", ignore_errors=True)
            figures[name] = {"seconds": round(best, 2), "files_per_s": round(args.files / best, 1),
                             "mb_per_s": round(size / 1e6 / best, 2)}  # fmt: skip
            print(
                f"{name:32s} {best:7.2f} s  {args.files / best:7.1f} files/s  {size / 1e6 / best:6.2f} MB/s"
            )
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
