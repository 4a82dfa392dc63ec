#!/usr/bin/env python3
"""Realistic-density benchmark for logscrub, side by side with `sed -E`.

The corpus is built from the project's labelled real logs (``../shared/eval/real-logs``,
``samples/other-apps``, ``samples/blind*``; every directory has a ``labels.json`` that maps a
file name to ``{"secrets": [{"value", "category"}], "keep": [...]}``). The labelled files are
concatenated, copy after copy, until the corpus holds ``--size-mb`` MB (1e6 bytes), and in
EACH copy every labelled secret is replaced by a fresh value of the same shape (hex stays hex,
an IPv4 keeps its class, a phone number its ``+``, first digits and separators, an e-mail its
domain, a MAC its vendor prefix, letters stay letters and digits digits), the same way
everywhere in that copy. So the density of personal data and its repetition within a file
are those of real logs, and no two copies share a value (nothing is learned once and then
only looked up). ``--dense`` keeps only the lines that hold a labelled secret.

Then, best of ``--repeat`` runs, each in child processes on the same file:

* ``logscrub scrub IN -o OUT -q --key-file samples/demo.key --report R.json``
* ``sed -E`` with five naive regexes (phone numbers, e-mails, IPv4, MAC, long hex) under
  ``LC_ALL=C.UTF-8``, the yardstick: logscrub's CPU MB/s divided by sed's is the ratio that
  counts; and under ``LC_ALL=C`` for reference (byte matching, about 5 times faster);

and reports MB/s (wall and CPU: user + sys of the children, from
``getrusage(RUSAGE_CHILDREN)`` deltas), replacements per MB (from the scrub report),
microseconds of CPU per replacement, the logscrub child's peak RSS, and checks that the
output has as many lines as the input (exit 1 if not). The last line is a JSON summary.

Figures are only comparable when measured on the same machine, back to back.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import os
import random
import re
import resource
import shlex
import shutil
import statistics
import string
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchcommon import children_peak_rss_mb, count_lines, workdir

try:  # a dependency of logscrub; only used to keep valid international numbers valid
    import phonenumbers
except ImportError:  # pragma: no cover - the generator still works, without that refinement
    phonenumbers = None  # type: ignore[assignment]

MB = 1_000_000
REPO = Path(__file__).resolve().parent.parent
KEY_FILE = REPO / "samples" / "demo.key"
GENERATOR_VERSION = 1  # bump when the corpus a seed gives changes (invalidates cached corpora)

# Labelled values shorter than this are not replaced (and not looked for in tests): "200",
# "CN", "666", "bob", an emoji. They are too generic to find by text without hitting
# status codes, ports and words that are not the labelled secret.
MIN_LEN = 4
MAX_TRIES = 100  # draws for a fresh value that is new and contains no original value
PHONE_TRIES = 40  # draws for an international number that stays valid (when it was)

DIGITS = string.digits
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)
HEX_CHARS = frozenset(string.hexdigits)
HEX_RUN = re.compile(r"[0-9A-Fa-f]{8,}")
IPV4_FULL = re.compile(r"(\d{1,3})([.,_])(\d{1,3})\2(\d{1,3})\2(\d{1,3}|[xX*]{1,3})")
DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
EMAIL_FULL = re.compile(r"[^@\s]+(@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Categories whose fresh value is built as a whole (sub-values inside are not pinned).
STRUCTURED = frozenset({"ipv4", "ipv6", "mac"})


def default_sources() -> list[Path]:
    samples = REPO / "samples"
    return [
        REPO.parent / "shared" / "eval" / "real-logs",
        samples / "other-apps",
        *sorted(p for p in samples.glob("blind*") if p.is_dir()),
    ]


# --------------------------------------------------------------------------- shapes


def _is_ascii_alnum(ch: str) -> bool:
    return ch in ASCII_ALNUM


def bounded_at(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not glued to ASCII letters or digits (as ../shared/eval/score.py)."""
    if text[start].isalnum() and start > 0 and _is_ascii_alnum(text[start - 1]):
        return False
    return not (text[end - 1].isalnum() and end < len(text) and _is_ascii_alnum(text[end]))


def value_pattern(value: str) -> re.Pattern[str]:
    """Where `value` counts as present in a text: not glued to letters or digits (an IPv4 not
    glued to digits or a following '.digit'; an e-mail case-insensitively)."""
    if DOTTED_QUAD.fullmatch(value):
        return re.compile(r"(?<![\d.])" + re.escape(value) + r"(?![\d]|\.\d)")
    pre = r"(?<![A-Za-z0-9])" if value[:1].isalnum() else ""
    post = r"(?![A-Za-z0-9])" if value[-1:].isalnum() else ""
    flags = re.IGNORECASE | re.ASCII if "@" in value and value.isascii() else 0
    return re.compile(pre + re.escape(value) + post, flags)


_POOLS: dict[tuple[int, int], str] = {}


def _letter_pool(ch: str) -> str:
    """Letters of the same 128-code-point block and case as `ch` (so the same script and the
    same UTF-8 length)."""
    kind = 1 if ch.isupper() else 2 if ch.islower() else 0
    key = (ord(ch) >> 7, kind)
    pool = _POOLS.get(key)
    if pool is None:
        base = key[0] << 7
        letters = (chr(c) for c in range(base, base + 128))
        pool = "".join(
            c for c in letters if c.isalpha() and (1 if c.isupper() else 2 if c.islower() else 0) == kind
        )
        _POOLS[key] = pool or ch
    return _POOLS[key]


def _hex_positions(value: str) -> set[int]:
    """Positions to keep as hex: the whole value when its letters and digits are all hex (with
    both kinds, 8 or more: a UUID, a digest), else every run of 8+ hex characters with a digit."""
    alnum = [c for c in value if _is_ascii_alnum(c)]
    if (
        len(alnum) >= 8
        and all(c in HEX_CHARS for c in alnum)
        and any(c.isdigit() for c in alnum)
        and any(c.isalpha() for c in alnum)
    ):
        return set(range(len(value)))
    spots: set[int] = set()
    for m in HEX_RUN.finditer(value):
        if any(c.isdigit() for c in m.group()):
            spots.update(range(m.start(), m.end()))
    return spots


def generic_shape(value: str, rng: random.Random) -> str:
    """Letters to letters (same case, same script), digits to digits, hex runs stay hex of the
    same case, everything else kept."""
    hexes = _hex_positions(value)
    out = list(value)
    for i, c in enumerate(value):
        if c in DIGITS:
            out[i] = rng.choice(DIGITS)
        elif c.isascii():
            if c in LOWER:
                out[i] = rng.choice("abcdef" if i in hexes else LOWER)
            elif c in UPPER:
                out[i] = rng.choice("ABCDEF" if i in hexes else UPPER)
        elif c.isalpha():
            out[i] = rng.choice(_letter_pool(c))
    return "".join(out)


def _octet(rng: random.Random, width: int, lo: int = 0, hi: int = 255) -> str:
    """A number in [lo, hi] written with exactly `width` digits (no leading zero)."""
    a = max(lo, 0 if width == 1 else 10 ** (width - 1))
    b = min(hi, 10**width - 1)
    return str(rng.randint(a, b)) if a <= b else str(rng.randint(lo, hi))


PUBLIC_FIRST = {
    w: [
        n
        for n in range(1 if w == 1 else 10 ** (w - 1), min(10**w, 224))
        if n not in (0, 10, 100, 127, 169, 172, 192)
    ]
    for w in (1, 2, 3)
}


def ipv4_class(value: str) -> str | None:
    """'private', 'loopback', 'link-local', 'cgnat', 'special' or 'public'; None if not an IPv4."""
    m = IPV4_FULL.fullmatch(value)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(3))
    if a == 10 or (a == 172 and 16 <= b <= 31) or (a == 192 and b == 168):
        return "private"
    if a == 127:
        return "loopback"
    if a == 169 and b == 254:
        return "link-local"
    if a == 100 and 64 <= b <= 127:
        return "cgnat"
    if a == 0 or a >= 224:
        return "special"
    return "public"


def ipv4_shape(value: str, rng: random.Random) -> str:
    """An IPv4 of the same class, each octet with as many digits; private 10/8, 172.16/12 and
    192.168/16 stay in their range, public addresses stay public (never 127.x, a private
    range or a netmask); a masked last octet ('xxx') stays masked."""
    m = IPV4_FULL.fullmatch(value)
    if m is None:
        return generic_shape(value, rng)
    a, sep, b, c, d = m.groups()
    cls = ipv4_class(value)
    if cls == "public":
        a = str(rng.choice(PUBLIC_FIRST[len(a)]))
        b = _octet(rng, len(b))
    elif cls == "private" and a == "172":
        b = str(rng.randint(16, 31))
    elif cls == "cgnat":
        b = _octet(rng, len(b), 64, 127)
    elif not (cls == "link-local" or (cls == "private" and a == "192")):
        b = _octet(rng, len(b))  # 10/8, loopback, special: only the first octet kept
    c = _octet(rng, len(c))
    if d[0].isdigit():
        d = _octet(rng, len(d), 1, 254)
    return sep.join((a, b, c, d))


def ipv6_shape(value: str, rng: random.Random) -> str:
    """The first group kept (2001:, fe80:, fd..: the scope stays), every other hex digit new
    (same case), '::' and a '/prefix' kept."""
    addr, slash, prefix = value.partition("/")
    first = addr.find(":")
    if first < 0:
        return generic_shape(value, rng)
    upper = any(c.isupper() for c in addr)
    alphabet = "0123456789ABCDEF" if upper else "0123456789abcdef"
    out = list(addr)
    for i in range(first, len(addr)):
        if addr[i] in HEX_CHARS:
            out[i] = rng.choice(alphabet)
    return "".join(out) + slash + prefix


def mac_shape(value: str, rng: random.Random) -> str:
    """The vendor prefix (first 3 octets: 6 hex digits; half the digits of a partial MAC) and
    the separators kept, the rest new hex digits in the value's case."""
    spots = [i for i, c in enumerate(value) if c in HEX_CHARS]
    keep = min(6, len(spots) // 2)
    upper = any(c.isupper() for c in value)
    alphabet = "0123456789ABCDEF" if upper else "0123456789abcdef"
    out = list(value)
    for i in spots[keep:]:
        out[i] = rng.choice(alphabet)
    return "".join(out)


def email_shape(value: str, rng: random.Random) -> str:
    """The local part new (letters to letters, digits to digits), the domain kept."""
    m = re.search(r"@|%40", value)
    if m is None:
        return generic_shape(value, rng)
    return generic_shape(value[: m.start()], rng) + value[m.start() :]


def _plus_valid(value: str) -> bool:
    if phonenumbers is None or not value.lstrip().startswith("+"):
        return False
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(value, None)))
    except phonenumbers.NumberParseException:
        return False


def phone_shape(value: str, rng: random.Random) -> str:
    """The leading '+', the first digits (3 of 10 or more: a country code or trunk and area
    prefix; 2 of 7-9; 1 of an extension) and the separators kept, the other digits new. A
    valid international number is drawn again (up to PHONE_TRIES times) until it is valid."""
    spots = [i for i, c in enumerate(value) if c in DIGITS]
    n = len(spots)
    keep = 3 if n >= 10 else 2 if n >= 7 else 1 if n >= 2 else 0
    want_valid = _plus_valid(value)
    out = list(value)
    for _ in range(PHONE_TRIES):
        for i in spots[keep:]:
            out[i] = rng.choice(DIGITS)
        candidate = "".join(out)
        if not want_valid or _plus_valid(candidate):
            break
    return candidate


def shape_of(value: str, category: str, rng: random.Random) -> str:
    """A fresh value of the same shape (see the module docstring)."""
    if category == "ipv4" or DOTTED_QUAD.fullmatch(value):
        return ipv4_shape(value, rng)
    if category == "ipv6":
        return ipv6_shape(value, rng)
    if category == "mac":
        return mac_shape(value, rng)
    if category == "email" or EMAIL_FULL.fullmatch(value):
        return email_shape(value, rng)
    if category == "phone":
        return phone_shape(value, rng)
    return generic_shape(value, rng)


def replaceable(value: str) -> bool:
    """Long enough (MIN_LEN) and holding something a shape changes (a letter or a digit)."""
    return len(value) >= MIN_LEN and any(c.isalnum() for c in value)


# --------------------------------------------------------------------------- values


class ValueIndex:
    """Finds the known original values inside a string (not glued to letters or digits)."""

    def __init__(self, values: Iterable[str]) -> None:
        self.by_prefix: dict[str, list[str]] = defaultdict(list)
        for v in sorted(set(values), key=lambda v: (-len(v), v)):
            self.by_prefix[v[:MIN_LEN]].append(v)

    def occurrences(self, text: str) -> Iterator[tuple[int, int, str]]:
        get = self.by_prefix.get
        for i in range(len(text) - MIN_LEN + 1):
            for v in get(text[i : i + MIN_LEN], ()):
                j = i + len(v)
                if text.startswith(v, i) and bounded_at(text, i, j):
                    yield i, j, v

    def introduces(self, text: str, source: str) -> bool:
        """True when `text` (a fresh value for `source`, as long) holds an original value that
        `source` does not hold at the same place (a kept prefix such as '2001:' is fine)."""
        return any(source[i:j] != v for i, j, v in self.occurrences(text))


class Freshener:
    """Fresh same-shape values, one consistent mapping per copy; no fresh value is ever an
    original, another copy's fresh value, or contains an original value."""

    def __init__(self, categories: dict[str, str], seed: int) -> None:
        self.categories = categories
        self.seed = seed
        self.index = ValueIndex(categories)
        self.used: set[str] = set(categories)  # originals and every fresh value handed out
        # Fresh values that repeat one of an earlier copy: a shape with fewer values than
        # copies (a 4-digit extension keeps its first digit; 192.168.1.2 has 90 siblings).
        # Even then a fresh value is never an original nor one already used in its copy.
        self.exhausted = 0
        self._pins: dict[str, list[tuple[int, int, str]]] = {}

    def pins(self, value: str) -> list[tuple[int, int, str]]:
        """Shorter labelled values inside `value` (longest first, not overlapping): their fresh
        value is spliced in, so 'Bart' maps the same alone and inside 'Bart Fizz'."""
        found = self._pins.get(value)
        if found is None:
            found = []
            category = self.categories[value]
            if category not in STRUCTURED and not (category == "ipv4" or DOTTED_QUAD.fullmatch(value)):
                limit = len(value)
                if category == "email" or EMAIL_FULL.fullmatch(value):
                    at = re.search(r"@|%40", value)
                    limit = at.start() if at else limit  # the domain is kept as it is
                taken = bytearray(len(value))
                inner = [o for o in self.index.occurrences(value) if o[2] != value and o[1] <= limit]
                for i, j, v in sorted(inner, key=lambda o: (-(o[1] - o[0]), o[0])):
                    if not any(taken[i:j]):
                        taken[i:j] = b"\x01" * (j - i)
                        found.append((i, j, v))
                found.sort()
            self._pins[value] = found
        return found

    def copy(self, number: int) -> CopyMapping:
        return CopyMapping(self, random.Random(f"logscrub-realistic/{self.seed}/{number}"))


class CopyMapping:
    """original -> fresh value for one copy, drawn on first use (so a prefix of the corpus
    does not depend on its size)."""

    def __init__(self, fresh: Freshener, rng: random.Random) -> None:
        self.fresh = fresh
        self.rng = rng
        self.values: dict[str, str] = {}
        self.taken: set[str] = set()  # fresh values of this copy

    def __getitem__(self, value: str) -> str:
        got = self.values.get(value)
        if got is not None:
            return got
        fresh = self.fresh
        pins = [(i, j, self[v]) for i, j, v in fresh.pins(value)]
        category = fresh.categories[value]
        candidate, fallback = value, None
        for _ in range(MAX_TRIES):
            candidate = shape_of(value, category, self.rng)
            for i, j, sub in pins:
                candidate = candidate[:i] + sub + candidate[j:]
            if candidate in fresh.used:
                if (
                    fallback is None
                    and candidate not in fresh.categories
                    and candidate not in self.taken
                    and not fresh.index.introduces(candidate, value)
                ):
                    fallback = candidate  # only repeats an earlier copy's value
            elif not fresh.index.introduces(candidate, value):
                break
        else:
            fresh.exhausted += 1
            candidate = fallback if fallback is not None else candidate
        fresh.used.add(candidate)
        self.taken.add(candidate)
        self.values[value] = candidate
        return candidate


def with_case_of(occurrence: str, fresh: str) -> str:
    """`fresh` with the ASCII case of `occurrence` (an e-mail found in another case)."""
    return "".join(
        (f.upper() if o.isupper() else f.lower()) if o.isascii() and o.isalpha() and f.isascii() else f
        for o, f in zip(occurrence, fresh, strict=True)
    )


# --------------------------------------------------------------------------- sources


@dataclass
class Source:
    """One labelled file: its text split at the occurrences of its labelled secrets."""

    name: str
    text: str
    literals: list[str]  # len(slots) + 1 pieces of text around the slots
    slots: list[tuple[str, str]]  # (labelled value, the text found: the same, or another case)
    nbytes: int
    slot_ends: list[int]  # byte offset of the end of each slot (fresh values keep byte lengths)

    @property
    def spans(self) -> list[tuple[int, int, str]]:
        """(start, end, value) of every slot, in characters."""
        out, pos = [], 0
        for lit, (value, occ) in zip(self.literals, self.slots, strict=False):
            pos += len(lit)
            out.append((pos, pos + len(occ), value))
            pos += len(occ)
        return out

    def render(self, mapping: CopyMapping) -> bytes:
        parts = []
        for lit, (value, occ) in zip(self.literals, self.slots, strict=False):
            parts.append(lit)
            fresh = mapping[value]
            parts.append(fresh if occ == value else with_case_of(occ, fresh))
        parts.append(self.literals[-1])
        data = "".join(parts).encode("utf-8", "surrogateescape")
        if len(data) != self.nbytes:
            raise AssertionError(f"{self.name}: a fresh value changed the byte length")
        return data


def find_slots(text: str, values: dict[str, str]) -> list[tuple[int, int, str]]:
    """Occurrences of the labelled values in `text`, longer values first, not overlapping."""
    taken = bytearray(len(text))
    spans = []
    for value in sorted(values, key=lambda v: (-len(v), v)):
        for m in value_pattern(value).finditer(text):
            i, j = m.span()
            if taken.find(1, i, j) < 0:
                taken[i:j] = b"\x01" * (j - i)
                spans.append((i, j, value))
    spans.sort()
    return spans


def make_source(name: str, text: str, values: dict[str, str]) -> Source:
    spans = find_slots(text, values)
    literals, slots, ends = [], [], []
    pos = nbytes = 0
    for i, j, value in spans:
        literals.append(text[pos:i])
        slots.append((value, text[i:j]))
        nbytes += len(text[pos:j].encode("utf-8", "surrogateescape"))
        ends.append(nbytes)
        pos = j
    literals.append(text[pos:])
    total = len(text.encode("utf-8", "surrogateescape"))
    return Source(name, text, literals, slots, total, ends)


def dense_text(text: str, values: dict[str, str]) -> str:
    """Only the lines of `text` that hold (part of) a labelled secret."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    keep: set[int] = set()
    for i, j, _ in find_slots(text, values):
        first = bisect.bisect_right(starts, i) - 1
        last = bisect.bisect_right(starts, max(i, j - 1)) - 1
        keep.update(range(first, last + 1))
    lines = text.splitlines(keepends=True)
    return "".join(lines[k] for k in sorted(keep) if k < len(lines))


@dataclass
class Corpus:
    sources: list[Source]
    categories: dict[str, str]  # every replaceable labelled value -> its category (first seen)
    skipped: list[str] = field(default_factory=list)  # missing, binary or unlabelled, with why


def load_sources(dirs: Sequence[Path] | None = None, dense: bool = False) -> Corpus:
    """The labelled files of `dirs` (each with a labels.json), in a fixed order. Directories
    that do not exist (../shared outside this machine) are skipped."""
    categories: dict[str, str] = {}
    sources: list[Source] = []
    skipped: list[str] = []
    for d in default_sources() if dirs is None else dirs:
        labels_path = d / "labels.json"
        if not labels_path.is_file():
            skipped.append(f"{d}: no labels.json")
            continue
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        for fname in sorted(labels):
            path = d / fname
            name = f"{d.name}/{fname}"
            entry = labels[fname]
            if not path.is_file() or not isinstance(entry, dict):
                skipped.append(f"{name}: missing")
                continue
            data = path.read_bytes()
            if b"\x00" in data:
                skipped.append(f"{name}: binary")
                continue
            if data and not data.endswith(b"\n"):
                data += b"\n"  # so the next file starts on its own line
            text = data.decode("utf-8", "surrogateescape")
            values: dict[str, str] = {}
            for secret in entry.get("secrets", []):
                value, category = secret.get("value", ""), secret.get("category", "")
                if isinstance(value, str) and replaceable(value):
                    values.setdefault(value, category)
                    categories.setdefault(value, category)
            if dense:
                text = dense_text(text, values)
                if not text:
                    continue
            sources.append(make_source(name, text, values))
    return Corpus(sources, categories, skipped)


# --------------------------------------------------------------------------- generation


@dataclass
class GenResult:
    path: Path
    nbytes: int
    lines: int
    replacements: int  # labelled-value occurrences replaced in the corpus
    copies: float  # how many times the source files were written (the last one in part)
    files: int  # source files used
    values: int  # distinct replaceable labelled values
    fresh_values: int  # fresh values drawn (distinct values per copy, summed over copies)
    exhausted: int  # of those, how many repeat an earlier copy's (a shape with few values)
    seconds: float
    pieces: list[tuple[str, int, int, int]] = field(default_factory=list)  # (source, copy, start, end)
    mappings: list[dict[str, str]] = field(default_factory=list)  # per copy, with record=True

    @property
    def per_mb(self) -> float:
        return self.replacements / max(self.nbytes / MB, 1e-9)


def generate(
    path: Path,
    size_mb: float,
    seed: int = 1,
    dirs: Sequence[Path] | None = None,
    dense: bool = False,
    record: bool = False,
) -> GenResult:
    """Write the realistic corpus of about `size_mb` MB to `path` (cut at a line end)."""
    start = time.perf_counter()
    corpus = load_sources(dirs, dense)
    if not any(s.slots for s in corpus.sources):
        raise SystemExit("no labelled secret found in the sources: " + "; ".join(corpus.skipped[:5]))
    fresh = Freshener(corpus.categories, seed)
    target = int(size_mb * MB)
    one_copy = sum(s.nbytes for s in corpus.sources)
    written = lines = replaced = copy = drawn = 0
    pieces: list[tuple[str, int, int, int]] = []
    mappings: list[dict[str, str]] = []
    done = False
    with open(path, "wb") as out:
        while not done and written < target:
            mapping = fresh.copy(copy)
            if record:
                mappings.append(mapping.values)
            for src in corpus.sources:
                data = src.render(mapping)
                count = len(src.slots)
                if written + len(data) > target:  # the last piece: cut at a line end
                    data = data[: data.rfind(b"\n", 0, target - written) + 1]
                    count = bisect.bisect_right(src.slot_ends, len(data))
                    done = True
                if data:
                    out.write(data)
                    pieces.append((src.name, copy, written, written + len(data)))
                    written += len(data)
                    lines += data.count(b"\n")
                    replaced += count
                if done or written >= target:
                    done = True
                    break
            copy += 1
            drawn += len(mapping.values)
    nbytes = path.stat().st_size
    copies = nbytes / one_copy if one_copy else 0.0
    return GenResult(
        path,
        nbytes,
        lines,
        replaced,
        copies,
        len(corpus.sources),
        len(corpus.categories),
        drawn,
        fresh.exhausted,
        time.perf_counter() - start,
        pieces,
        mappings,
    )


def report_generation(gen: GenResult, cached: bool = False) -> None:
    how = "cached" if cached else f"generated in {gen.seconds:.1f} s"
    print(
        f"corpus      {gen.nbytes / MB:,.2f} MB, {gen.lines:,} lines, {gen.files} labelled files x "
        f"{gen.copies:.1f} copies, {gen.values:,} distinct labelled values; {how} -> {gen.path}",
        flush=True,
    )
    print(
        f"labelled    {gen.replacements:,} secret occurrences replaced by fresh same-shape values "
        f"({gen.per_mb:,.0f} per MB, one per {gen.nbytes / max(gen.replacements, 1):,.0f} bytes)"
        + f"; {gen.fresh_values:,} fresh values, {gen.exhausted:,} of them repeat an earlier copy's",
        flush=True,
    )


def sources_fingerprint(dirs: Sequence[Path]) -> str:
    """Hash of the labels and the sizes of the labelled files (a cached corpus is reused only
    when they are unchanged)."""
    h = hashlib.sha256(f"v{GENERATOR_VERSION} min{MIN_LEN}".encode())
    for d in dirs:
        labels = d / "labels.json"
        if labels.is_file():
            h.update(str(d.name).encode() + labels.read_bytes())
            for p in sorted(d.iterdir()):
                h.update(f"{p.name}:{p.stat().st_size}".encode())
    return h.hexdigest()[:16]


def cached_corpus(wd: Path, args: argparse.Namespace) -> tuple[GenResult, bool]:
    dirs = args.sources or default_sources()
    for d in dirs:
        if not (d / "labels.json").is_file():
            print(f"sources     {d}: no labels.json, left out", flush=True)
    kind = "dense" if args.dense else "realistic"
    path = wd / f"{kind}-{args.size_mb:g}mb-seed{args.seed}.log"
    meta_path = path.with_suffix(".json")
    fingerprint = sources_fingerprint(dirs)
    if path.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("fingerprint") == fingerprint and meta.get("nbytes") == path.stat().st_size:
            gen = GenResult(path, **{k: meta[k] for k in GEN_FIELDS})
            return gen, True
    gen = generate(path, args.size_mb, args.seed, dirs, args.dense)
    meta = {"fingerprint": fingerprint, **{k: getattr(gen, k) for k in GEN_FIELDS}}
    meta_path.write_text(json.dumps(meta))
    return gen, False


GEN_FIELDS = (
    "nbytes",
    "lines",
    "replacements",
    "copies",
    "files",
    "values",
    "fresh_values",
    "exhausted",
    "seconds",
)


# --------------------------------------------------------------------------- measurement

# Five regexes a person would write in a hurry (POSIX ERE, GNU sed -E), in this order: the
# IPv4 one runs before the phone one, which would otherwise take dotted quads.
SED_RULES = (
    ("EMAIL", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    ("MAC", r"([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}"),
    ("IPV4", r"([0-9]{1,3}\.){3}[0-9]{1,3}"),
    ("HEX", r"[0-9A-Fa-f]{16,}"),
    ("PHONE", r"\+?[0-9][0-9 ().-]{6,}[0-9]"),
)


def sed_cmd(src: Path) -> list[str]:
    cmd = ["sed", "-E"]
    for tag, rx in SED_RULES:
        cmd += ["-e", f"s/{rx}/<{tag}>/g"]
    return [*cmd, str(src)]


def logscrub_base(command: str | None = None) -> list[str]:
    """How logscrub is started: `command` (split like a shell), else `logscrub` on PATH, else
    this Python's `-m logscrub`."""
    if command:
        return shlex.split(command)
    exe = shutil.which("logscrub")
    return [exe] if exe else [sys.executable, "-m", "logscrub"]


def logscrub_cmd(base: list[str], src: Path, dst: Path, report: Path, jobs: int | None) -> list[str]:
    cmd = [*base, "scrub", str(src), "-o", str(dst), "-q", "--key-file", str(KEY_FILE)]
    cmd += ["--report", str(report)]
    return cmd + (["--jobs", str(jobs)] if jobs else [])


def jobs_supported(base: list[str]) -> bool:
    proc = subprocess.run([*base, "scrub", "--help"], capture_output=True, text=True, check=False)
    return "--jobs" in proc.stdout


@dataclass
class Run:
    wall: float
    cpu: float  # user + sys of the child (getrusage(RUSAGE_CHILDREN) delta)


def run_child(cmd: list[str], stdout_path: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `cmd` (stdout to `stdout_path` or discarded); exit on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stdout_path, "wb") if stdout_path else open(os.devnull, "wb") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed (exit {proc.returncode}): {proc.stderr.decode(errors='replace')[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu)


def _figures(runs: list[Run], size_mb: float) -> dict[str, float]:
    """Best wall and best CPU time of `runs` (each its own minimum: a shared machine only
    adds time), the median wall time, and the MB/s they give."""
    wall, cpu = min(r.wall for r in runs), min(r.cpu for r in runs)
    return {
        "wall_s": round(wall, 3),
        "wall_s_median": round(statistics.median(r.wall for r in runs), 3),
        "cpu_s": round(cpu, 3),
        "mb_per_s_wall": round(size_mb / wall, 3),
        "mb_per_s_cpu": round(size_mb / max(cpu, 1e-9), 3),
    }


def run_benchmark(args: argparse.Namespace) -> int:
    base = logscrub_base(args.logscrub)
    jobs: int | None = None
    if args.jobs is not None:
        if jobs_supported(base):
            jobs = args.jobs
        else:
            print(f"jobs        --jobs {args.jobs}: not supported by `logscrub scrub` yet; one process")
    locales = [] if args.no_sed else [loc for loc in args.sed_locales.split(",") if loc]
    with workdir(args.keep, "logscrub-realistic-") as wd:
        gen, cached = cached_corpus(wd, args)
        report_generation(gen, cached)
        src = gen.path
        dst, sed_out, report = wd / "scrubbed.log", wd / "sed.log", wd / "scrub-report.json"
        size_mb = gen.nbytes / MB
        scrub = logscrub_cmd(base, src, dst, report, jobs)
        print(f"logscrub    {' '.join(scrub)}", flush=True)
        for loc in locales:
            print(f"sed         LC_ALL={loc} {shlex.join(sed_cmd(src))} > {sed_out}", flush=True)
        ls_runs: list[Run] = []
        sed_runs: dict[str, list[Run]] = {loc: [] for loc in locales}
        peak = 0.0
        for i in range(max(1, args.repeat)):
            # Interleaved, so that load from other work on the machine hits both alike.
            run = run_child(scrub)
            ls_runs.append(run)
            peak = children_peak_rss_mb()  # sed's RSS is a few MB: the peak is logscrub's
            line = f"run {i + 1}       logscrub {run.wall:.2f} s wall, {run.cpu:.2f} s CPU"
            for loc in locales:
                run = run_child(sed_cmd(src), sed_out, {**os.environ, "LC_ALL": loc})
                sed_runs[loc].append(run)
                line += f"; sed ({loc}) {run.wall:.2f} s wall, {run.cpu:.2f} s CPU"
            print(line, flush=True)
        ls = _figures(ls_runs, size_mb)
        replaced = int(json.loads(report.read_text())["totals"]["replaced"])
        lines_in, lines_out = count_lines(src), count_lines(dst)
        print(f"input       {size_mb:,.1f} MB, {lines_in:,} lines; output {lines_out:,} lines")
        print(
            f"logscrub    best of {len(ls_runs)}: {ls['wall_s']:.2f} s wall "
            f"({ls['mb_per_s_wall']:.2f} MB/s; median {ls['wall_s_median']:.2f} s), "
            f"{ls['cpu_s']:.2f} s CPU ({ls['mb_per_s_cpu']:.2f} MB/s of CPU)"
        )
        us = ls["cpu_s"] / max(replaced, 1) * 1e6
        print(
            f"replaced    {replaced:,} ({replaced / size_mb:,.0f} per MB; "
            f"{gen.per_mb:,.0f} labelled per MB), {us:.1f} µs of CPU per replacement"
        )
        print(f"peak RSS    {peak:.1f} MB (logscrub child)")
        summary: dict[str, object] = {
            "size_mb": round(size_mb, 3),
            "dense": args.dense,
            "seed": args.seed,
            "jobs": jobs or 1,
            "labelled_per_mb": round(gen.per_mb),
            "replaced": replaced,
            "replacements_per_mb": round(replaced / size_mb),
            "us_per_replacement": round(us, 1),
            "peak_rss_mb": round(peak, 1),
            "lines_in": lines_in,
            "lines_out": lines_out,
            **{f"logscrub_{k}": v for k, v in ls.items()},
        }
        for n, loc in enumerate(locales):
            sed = _figures(sed_runs[loc], size_mb)
            cpu_ratio = ls["mb_per_s_cpu"] / sed["mb_per_s_cpu"]
            wall_ratio = ls["mb_per_s_wall"] / sed["mb_per_s_wall"]
            print(
                f"sed -E      LC_ALL={loc}, best of {len(sed_runs[loc])}: {sed['wall_s']:.2f} s wall "
                f"({sed['mb_per_s_wall']:.2f} MB/s), {sed['cpu_s']:.2f} s CPU "
                f"({sed['mb_per_s_cpu']:.2f} MB/s of CPU)"
            )
            what = "the figure that counts" if n == 0 else "for reference"
            print(
                f"ratio       logscrub / sed (LC_ALL={loc}): {cpu_ratio:.3f}x CPU ({what}), "
                f"{wall_ratio:.3f}x wall"
            )
            if n == 0:
                summary.update({"sed_locale": loc, **{f"sed_{k}": v for k, v in sed.items()}})
                summary.update({"cpu_ratio": round(cpu_ratio, 4), "wall_ratio": round(wall_ratio, 4)})
            else:
                summary[f"sed_mb_per_s_cpu_{loc}"] = sed["mb_per_s_cpu"]
                summary[f"cpu_ratio_{loc}"] = round(cpu_ratio, 4)
        print(json.dumps(summary))
        if lines_in != lines_out:
            print(f"ERROR: line count changed: {lines_in} in, {lines_out} out", file=sys.stderr)
            return 1
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Build a realistic-density log from the labelled real logs (every secret "
        "replaced by a fresh same-shape value in each copy) and measure logscrub against sed -E.",
        epilog="Compare figures only between runs on the same machine.",
    )
    p.add_argument("--size-mb", type=float, default=30.0, help="corpus size in MB of 1e6 bytes (default 30)")
    p.add_argument("--seed", type=int, default=1, help="RNG seed of the fresh values (default 1)")
    p.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each command; best reported (default 3)"
    )
    p.add_argument(
        "--keep", metavar="DIR", help="cache the corpus and keep the outputs in DIR (default: temp)"
    )
    p.add_argument(
        "--dense", action="store_true", help="only the lines holding a labelled secret (dense log)"
    )
    p.add_argument("--jobs", type=int, metavar="N", help="passed to logscrub scrub when it has --jobs")
    p.add_argument("--no-sed", action="store_true", help="do not run the sed -E yardstick")
    p.add_argument(
        "--logscrub",
        metavar="CMD",
        help="how to start logscrub, e.g. 'env PYTHONPATH=/tmp/base python -m logscrub' for other code "
        "(default: logscrub on PATH)",
    )
    p.add_argument(
        "--sed-locales",
        default="C.UTF-8,C",
        metavar="L1,L2",
        help="LC_ALL values sed runs with; the first is the yardstick of the ratio (default C.UTF-8,C)",
    )
    p.add_argument(
        "--sources",
        type=Path,
        nargs="+",
        metavar="DIR",
        help="labelled directories (default: ../shared/eval/real-logs, samples/other-apps, samples/blind*)",
    )
    p.add_argument("--generate-only", action="store_true", help="only build (or find) the corpus")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.generate_only:
        with workdir(args.keep, "logscrub-realistic-") as wd:
            gen, cached = cached_corpus(wd, args)
            report_generation(gen, cached)
        return 0
    return run_benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
