#!/usr/bin/env python3
"""Peak memory of `scrub`, `check` and `explain` on one very long line.

A log with no line end at all (a JSON dump written on one line, 40 MB by default) is the
case a second reader would hold whole. All three commands read text through the same
segmenter, in windows of the policy's max_line_length, so their peaks should agree.
Each command runs in a child process of its own; its peak RSS is read from the child's
resource usage (ru_maxrss, KiB on Linux).

    python benchmarks/bench_memory.py [--size-mb 40] [--keep]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import resource, sys
from logscrub.cli import main
code = main(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"\\nPEAK_KIB {peak}\\n")
sys.exit(0 if code in (0, 1) else code)
"""


def generate(path: Path, size: int, seed: int = 1) -> None:
    """One line of JSON-ish records with a value every few hundred bytes."""
    rng = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        while written < size:
            record = {
                "ts": f"2026-12-06T10:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z",
                "event": rng.choice(["call.started", "sms.received", "register.ok", "push.sent"]),
                "from": f"+1415555{rng.randrange(10000):04d}",
                "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                "detail": "x" * rng.randrange(100, 400),
            }
            text = json.dumps(record) + ","
            out.write(text)
            written += len(text)
        out.write("{}]")


def measure(command: list[str], cwd: str) -> tuple[float, int]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *command], capture_output=True, text=True, check=False, cwd=cwd
    )
    seconds = time.perf_counter() - started
    peak = [line for line in proc.stderr.splitlines() if line.startswith("PEAK_KIB")]
    if not peak:
        raise SystemExit(f"{command[0]} failed: {proc.stderr[-500:]}")
    return seconds, int(peak[-1].split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=40.0)
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="logscrub-bench-") as tmp:
        src = Path(tmp) / "one-line.log"
        generate(src, int(args.size_mb * 1e6))
        print(f"input: {src.stat().st_size / 1e6:.1f} MB on one line")
        runs = {
            "scrub": ["scrub", str(src), "-o", str(Path(tmp) / "out.log"), "-q"],
            "check": ["check", str(src), "-o", str(Path(tmp) / "findings.txt")],
            "explain": ["explain", str(src), "--hide-values"],
        }
        for name, command in runs.items():
            seconds, peak = measure(command, tmp)  # no allowlist there
            print(f"{name:8s} {seconds:7.2f} s   peak RSS {peak / 1024:7.1f} MB")
        if args.keep:
            kept = Path.cwd() / src.name
            kept.write_bytes(src.read_bytes())
            print(f"kept {kept}")


if __name__ == "__main__":
    main()
