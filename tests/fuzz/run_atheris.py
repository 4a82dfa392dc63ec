"""Coverage-guided fuzzing of every reader with atheris (`pip install 'logscrub[fuzz]'`).

    python tests/fuzz/run_atheris.py -max_total_time=1800 -rss_limit_mb=4096

Each input atheris generates is read as (seed index, mutation count, mutation seed) and a
tail of raw bytes: the case is a seed of harness.seeds() mutated by harness.mutate, or,
for a quarter of the inputs, the raw tail itself (atheris's own byte mutations, guided by
coverage). Any exception other than logscrub's input errors, and a planted value that
survives, stops the run with the input saved by libFuzzer (crash-<sha1>); copy it into
tests/fuzz/crashers/ so that the test suite replays it from then on.
"""

from __future__ import annotations

import atexit
import random
import sys
from collections import Counter
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports():
    from tests.fuzz.harness import Seed, mutate, run_case, seeds


OUTCOMES: Counter[str] = Counter()


def one_input(data: bytes) -> None:
    if len(data) < 6:
        return
    all_seeds = seeds()
    choice, count, salt = data[0], data[1] % 16 + 1, int.from_bytes(data[2:6], "little")
    if choice % 4 == 3:
        OUTCOMES["raw: " + run_case(Seed("raw", b"", planted=False), data[6:])] += 1
        return
    seed = all_seeds[choice % len(all_seeds)]
    OUTCOMES[f"{seed.name}: " + run_case(seed, mutate(seed.data, random.Random(salt), count))] += 1


@atexit.register
def _report() -> None:
    total = sum(OUTCOMES.values())
    sys.stderr.write(f"logscrub fuzz: {total} inputs ran to an end\n")
    for outcome, count in sorted(OUTCOMES.items()):
        sys.stderr.write(f"  {outcome}: {count}\n")


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
