"""Shared fixtures and helpers for the logscrub test suite.

Everything here is offline and deterministic: scrubbers get a fixed key.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import logscrub
from logscrub.detectors.hyperscan_db import CACHE_ENV

KEY = b"logscrub-test-key-0123456789abcdef"
OTHER_KEY = b"another-test-key-fedcba9876543210"
KEY_HEX = KEY.hex()
OTHER_KEY_HEX = OTHER_KEY.hex()

REPO = Path(__file__).resolve().parent.parent
# One file of each kind (logs, captures, a bundle): what the bulk engines' tests scrub.
BULK_INPUTS = [
    REPO / "samples" / "linphone-sip-trace.log",
    REPO / "samples" / "messaging.jsonl",
    REPO / "samples" / "captures" / "relocated-call.pcap",
    REPO / "samples" / "captures" / "comments.pcapng",
    REPO / "samples" / "bundles" / "send-logs.zip",
]
RULES_DIR = REPO / "rules"

# Tests that run `logscrub` (and `pre-commit`) as commands run those of the Python that
# runs the tests: a virtual environment's, even when it is not activated (the README's
# `.venv/bin/python -m pytest`).
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

# Modest example counts: the whole suite must stay well under two minutes on two cores.
settings.register_profile(
    "logscrub",
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile("logscrub")


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled-database cache of this test session, not the user's ~/.cache."""
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("hs-cache"))
    yield
    if previous is None:
        del os.environ[CACHE_ENV]
    else:
        os.environ[CACHE_ENV] = previous


@pytest.fixture(scope="session")
def scrubber() -> logscrub.Scrubber:
    """One Scrubber with a fixed key, shared by the session (it is reusable by design)."""
    return logscrub.Scrubber(key=KEY)


@pytest.fixture(scope="session")
def label_scrubber() -> logscrub.Scrubber:
    return logscrub.Scrubber(key=KEY, operators={e: "label" for e in logscrub.Entity})


PYTHON = sys.executable


# A rule whose pattern backtracks catastrophically on a run of 'x': forces a RuleTimeoutError.
SLOW_PACK = """\
schema: 1
rules:
  - id: custom.slow
    entity: TOKEN
    patterns: ['(?:(?:x|xx)+)+y']
"""
SLOW_LINE = "x" * 40 + "\n"


@functools.cache
def _keyed_scrubber() -> logscrub.Scrubber:
    return logscrub.Scrubber(key=KEY)


def scrub_keyed(text: str) -> str:
    """`text` scrubbed with the test key, as a run of its own, by one Scrubber the tests
    share (building one compiles every rule)."""
    return _keyed_scrubber().scrub_text(text).text


def label_misses(
    text: str, out: str, label: dict[str, Any], ignore_case: bool = False
) -> tuple[list[str], list[str]]:
    """Against one file's hand labels (the schema of ../shared/eval): the labelled values
    that survive in `out` as whole tokens, and the keepers `out` holds fewer times than `text`."""
    flags = re.IGNORECASE if ignore_case else 0
    leaks = [
        s["value"]
        for s in label["secrets"]
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(s['value'])}(?![A-Za-z0-9])", out, flags)
    ]
    lost = [k for k in label["keep"] if out.count(k) < text.count(k)]
    return leaks, lost


def one_error_line(err: str, *names: str) -> str:
    """The one line an expected failure writes to stderr, holding each of `names`."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


def scrubbed_in_small_blocks(data: bytes) -> bytes:
    """`data` scrubbed in 1 KiB blocks, checked to equal the scrub in the default blocks
    (what a tracker carries across a block's end must not change the output)."""
    small = logscrub.Scrubber(logscrub.Policy(key=KEY, block_size=1024)).scrub_bytes(data).data
    assert small == logscrub.Scrubber(key=KEY).scrub_bytes(data).data
    return small
