"""The fuzz harness shared by the hypothesis run (CI) and the atheris run (longer).

Each case is a seed input from `samples/` (logs, captures, bundles; a planted set of values
in the text seeds) mutated as a fuzzer does: bits flipped, bytes inserted, deleted and
overwritten, runs duplicated, the input cut short. One case goes through the whole scrub
(`Scrubber.scrub_bytes`, what `logscrub scrub` runs) and must end in one of two ways:
scrubbed, or an input error of logscrub's own (LogscrubError: exit 2 on the command line).
Anything else (an exception of Python, zlib, scapy...: exit 3) is a finding. A text seed's
planted values that the mutations left whole, with their surroundings, must not survive.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import random
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from logscrub import Scrubber
from logscrub.errors import LogscrubError
from logscrub.policy import Policy

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
KEY = b"logscrub-fuzz-key-0123456789abcdef"

# Values planted in the text seeds, each between spaces on a line of its own kind.
PLANTED = ("+14155550123", "jane.roe@example.com", "203.0.113.77")
_PLANTED_LOG = (
    "2024-05-01 10:00:00 INFO REGISTER from +14155550123 ok\n"
    "2024-05-01 10:00:01 INFO mail to jane.roe@example.com sent\n"
    "2024-05-01 10:00:02 INFO peer 203.0.113.77 connected\n"
)


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    planted: bool  # the planted values are in it (text seeds)


@cache
def seeds() -> tuple[Seed, ...]:
    """Real inputs of every reader: text logs, pcap and pcapng captures, bundles, and text
    with the planted values in plain, gzip, zip and UTF-16 form."""
    found: list[Seed] = []
    for path in sorted((SAMPLES / "captures").glob("*.pcap*")):
        found.append(Seed(path.name, path.read_bytes(), False))
    for path in sorted((SAMPLES / "bundles").glob("*.zip")):
        found.append(Seed(path.name, path.read_bytes(), False))
    for name in ("linphone-sip-trace.log", "messaging.jsonl", "provisioning.log"):
        text = (SAMPLES / name).read_bytes()[:6000]
        found.append(Seed(name, _PLANTED_LOG.encode() + text, True))
    planted = _PLANTED_LOG.encode() * 3
    found.append(Seed("planted.log.gz", gzip.compress(planted, mtime=0), False))
    found.append(
        Seed("planted.zip", _zip({"logs/app.log": planted, "capture.pcap": _first_capture()}), False)
    )
    found.append(Seed("planted-utf16.log", b"\xff\xfe" + (_PLANTED_LOG * 3).encode("utf-16-le"), False))
    return tuple(found)


def _first_capture() -> bytes:
    return (SAMPLES / "captures" / "message.pcap").read_bytes()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def mutate(data: bytes, rng: random.Random, count: int) -> bytes:
    """`count` mutations of `data`, drawn from `rng`."""
    buf = bytearray(data)
    for _ in range(count):
        if not buf:
            buf.extend(rng.randbytes(rng.randint(1, 16)))
            continue
        at = rng.randrange(len(buf))
        kind = rng.randrange(7)
        if kind == 0:
            buf[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            buf[at] = rng.choice((0x00, 0xFF, 0x7F, 0x80, 0x0A, 0x0D, rng.randrange(256)))
        elif kind == 2:
            buf[at:at] = rng.randbytes(rng.randint(1, 32))
        elif kind == 3:
            del buf[at : at + rng.randint(1, 64)]
        elif kind == 4:
            length = rng.randint(1, 256)
            buf[at:at] = buf[at : at + length]
        elif kind == 5:
            del buf[rng.randrange(len(buf)) :]  # cut short
        else:
            # An interesting integer at a 16/32-bit field (lengths and offsets of headers).
            value = rng.choice((0, 1, 0x7FFF, 0xFFFF, 0xFFFFFFFF, len(buf), len(buf) + 1))
            width = rng.choice((2, 4))
            buf[at : at + width] = value.to_bytes(8, rng.choice(("big", "little")))[:width]
    return bytes(buf)


@cache
def scrubber() -> Scrubber:
    # A short rule time limit: a mutated input that makes a rule crawl shows up as a
    # (clean) timeout, never as a hang.
    return Scrubber(Policy(key=KEY, rule_timeout=5.0))


def run_case(seed: Seed, data: bytes) -> str:
    """Scrub one mutated input; returns "ok" or "input error". Any other exception
    propagates (the fuzzer's finding), as does a planted value that survived; with
    $LOGSCRUB_FUZZ_SAVE set, such an input is saved there first (a future crasher)."""
    try:
        return _run(seed, data)
    except BaseException:
        save = os.environ.get("LOGSCRUB_FUZZ_SAVE")
        if save:
            Path(save).mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(data).hexdigest()[:16]
            (Path(save) / f"{seed.name}-{digest}").write_bytes(data)
        raise


def _run(seed: Seed, data: bytes) -> str:
    try:
        out = scrubber().scrub_bytes(data).data
    except LogscrubError:
        return "input error"
    if seed.planted:
        for value in PLANTED:
            # Where its line came through whole, the value is known to the run: no
            # occurrence of it as a token of its own may survive (one glued to letters,
            # `203.0.113.77ok`, is another token).
            if f"\n{_line_of(value)}".encode() in data:
                survivor = _token(value).search(out)
                where = out[survivor.start() - 40 : survivor.end() + 40] if survivor else b""
                assert survivor is None, f"planted {value} survived ({seed.name}): {where!r}"
    return "ok"


def _token(value: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![A-Za-z0-9])" + re.escape(value.encode()) + rb"(?![A-Za-z0-9])")


def _line_of(value: str) -> str:
    return next(line for line in _PLANTED_LOG.splitlines(keepends=True) if value in line)
