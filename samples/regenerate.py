"""Regenerate samples/expected/ from the samples with the fixed demo key.

Run only after an intentional rule change, then review `git diff samples/expected`.
Usage: python samples/regenerate.py
"""

from __future__ import annotations

from pathlib import Path

import logscrub

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
SKIP = {"demo.key", "regenerate.py", "README.md", "labels.json"}


def sample_paths() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.is_file() and p.name not in SKIP)


def main() -> None:
    key = bytes.fromhex((HERE / "demo.key").read_text(encoding="ascii").strip())
    scrubber = logscrub.Scrubber(policy=logscrub.Policy(key=key))
    EXPECTED.mkdir(exist_ok=True)
    for sample in sample_paths():
        out = scrubber.scrub_bytes(sample.read_bytes()).data
        (EXPECTED / sample.name).write_bytes(out)
        print(f"{sample.name}: {len(out)} bytes")


if __name__ == "__main__":
    main()
