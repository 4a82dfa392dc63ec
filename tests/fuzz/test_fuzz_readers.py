"""Mutation fuzzing of every reader through the whole scrub (see harness.py).

The default run is the CI budget: a fixed number of derandomized examples per seed
family (about a minute in all). `LOGSCRUB_FUZZ_EXAMPLES=N` runs N examples each with a
random seed (the longer run of docs/FUZZING.md); `python tests/fuzz/run_atheris.py` runs
the same harness under atheris, coverage-guided.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import run_case, seeds

_EXAMPLES = int(os.environ.get("LOGSCRUB_FUZZ_EXAMPLES", "0"))
_SETTINGS = settings(
    max_examples=_EXAMPLES or 150,
    derandomize=not _EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CRASHERS = Path(__file__).parent / "crashers"


@pytest.mark.parametrize("seed", seeds(), ids=lambda seed: seed.name)
@_SETTINGS
@given(rng_seed=st.integers(0, 2**32 - 1), count=st.integers(1, 12))
def test_mutated_inputs_end_scrubbed_or_refused(seed: object, rng_seed: int, count: int) -> None:
    from .harness import Seed, mutate

    assert isinstance(seed, Seed)
    data = mutate(seed.data, random.Random(rng_seed), count)
    assert run_case(seed, data) in ("ok", "input error")


@pytest.mark.parametrize(
    "path", sorted(CRASHERS.glob("*")) if CRASHERS.is_dir() else [], ids=lambda path: path.name
)
def test_inputs_that_once_failed(path: Path) -> None:
    """Inputs fuzzing found (an exit 3, a hang or a leak), kept as regression tests."""
    from .harness import Seed

    assert run_case(Seed(path.name, b"", planted=False), path.read_bytes()) in ("ok", "input error")
