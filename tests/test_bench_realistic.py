"""The realistic-density corpus generator of benchmarks/bench_realistic.py (no timing here).

It runs on ~0.2 MB built from two labelled sample directories (about 2 copies), offline.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import string
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = [REPO / "samples" / "other-apps", REPO / "samples" / "blind-16"]


def _load() -> ModuleType:
    benchmarks = str(REPO / "benchmarks")
    if benchmarks not in sys.path:
        sys.path.insert(0, benchmarks)  # as running the script does: its helpers' module
    spec = importlib.util.spec_from_file_location(
        "bench_realistic", REPO / "benchmarks" / "bench_realistic.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _load()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, bytes]:
    path = tmp_path_factory.mktemp("realistic") / "corpus.log"
    gen = bench.generate(path, 0.2, seed=7, dirs=SOURCES, record=True)
    return gen, path.read_bytes()


def _labels() -> dict[str, list[tuple[str, str]]]:
    """source name -> [(value, category)] of every labelled secret."""
    out: dict[str, list[tuple[str, str]]] = {}
    for d in SOURCES:
        for fname, entry in json.loads((d / "labels.json").read_text(encoding="utf-8")).items():
            out[f"{d.name}/{fname}"] = [(s["value"], s["category"]) for s in entry["secrets"]]
    return out


def test_corpus_is_two_copies_and_more(corpus: tuple[Any, bytes]) -> None:
    gen, data = corpus
    assert len(data) == gen.nbytes
    assert 0.19 * bench.MB <= gen.nbytes <= 0.2 * bench.MB
    assert data.endswith(b"\n")
    assert gen.copies > 2
    assert len(gen.mappings) >= 3  # two full copies and a part
    assert gen.replacements > 1000
    assert gen.exhausted == 0


def test_only_short_or_empty_values_are_left_out() -> None:
    """The values the generator does not replace are the ones too generic to find by text:
    shorter than MIN_LEN (4) characters ('200', 'CN', 'bob', an emoji) or without a letter
    or digit."""
    for values in _labels().values():
        for value, _ in values:
            if not bench.replaceable(value):
                assert len(value) < bench.MIN_LEN or not any(c.isalnum() for c in value), value


def test_no_original_secret_survives(corpus: tuple[Any, bytes]) -> None:
    gen, data = corpus
    labels = _labels()
    patterns = {v: bench.value_pattern(v) for values in labels.values() for v, _ in values}
    checked = 0
    for name, _copy, start, end in gen.pieces:
        text = data[start:end].decode("utf-8", "surrogateescape")
        for value, _ in labels[name]:
            if bench.replaceable(value):
                checked += 1
                found = patterns[value].search(text)
                assert found is None, (
                    f"{value!r} survives in {name}: {text[found.start() - 40 : found.end() + 40]!r}"
                )
    assert checked > 300


def test_text_around_the_secrets_is_unchanged(corpus: tuple[Any, bytes]) -> None:
    """Each piece is its source file with only the labelled occurrences swapped for the
    copy's fresh values (so density, line lengths and repetition are the real ones)."""
    gen, data = corpus
    sources = {s.name: s for s in bench.load_sources(SOURCES).sources}
    full = 0
    for name, copy, start, end in gen.pieces:
        src, text = sources[name], data[start:end].decode("utf-8", "surrogateescape")
        mapping = gen.mappings[copy]
        pos = 0
        for i, j, value in src.spans:
            if j > len(text):
                break
            assert text[pos:i] == src.text[pos:i]
            assert text[i:j].lower() == mapping[value].lower()
            pos = j
        else:
            assert text[pos:] == src.text[pos:]
            full += 1
    assert full >= len(sources)


def _char_class(c: str) -> str:
    if c in string.digits:
        return "digit"
    if c in string.ascii_lowercase:
        return "lower"
    if c in string.ascii_uppercase:
        return "upper"
    if c.isalpha():
        return f"letter/{ord(c) >> 7}/{c.isupper()}"
    return c


HEX_VALUE = re.compile(r"[0-9a-f]+(?:[-:][0-9a-f]+)*|[0-9A-F]+(?:[-:][0-9A-F]+)*")


def test_shapes_are_kept(corpus: tuple[Any, bytes]) -> None:
    gen, _ = corpus
    categories = bench.load_sources(SOURCES).categories
    seen = set()
    for mapping in gen.mappings:
        for value, fresh in mapping.items():
            category = categories[value]
            seen.add(category)
            assert fresh != value
            assert len(fresh) == len(value) and len(fresh.encode()) == len(value.encode()), (value, fresh)
            if bench.DOTTED_QUAD.fullmatch(value):
                assert bench.DOTTED_QUAD.fullmatch(fresh), (value, fresh)
                assert bench.ipv4_class(fresh) == bench.ipv4_class(value), (value, fresh)
                assert not fresh.startswith(("127.", "255.", "0.")), (value, fresh)
                assert [len(o) for o in fresh.split(".")] == [len(o) for o in value.split(".")]
            elif category in ("ipv6", "mac"):
                for a, b in zip(value, fresh, strict=True):
                    assert (a in string.hexdigits) == (b in string.hexdigits), (value, fresh)
                    if a not in string.hexdigits:
                        assert a == b, (value, fresh)
                if category == "mac":
                    hexes = [c for c in value if c in string.hexdigits]
                    keep = min(6, len(hexes) // 2)
                    assert [c for c in fresh if c in string.hexdigits][:keep] == hexes[:keep]
                else:
                    assert fresh.split(":")[0] == value.split(":")[0]
            else:
                for a, b in zip(value, fresh, strict=True):
                    assert _char_class(a) == _char_class(b), (value, fresh)
                if HEX_VALUE.fullmatch(value) and re.search("[0-9]", value) and re.search("[a-fA-F]", value):
                    assert HEX_VALUE.fullmatch(fresh), (value, fresh)
            if category == "phone":
                digits = [c for c in value if c.isdigit()]
                keep = 3 if len(digits) >= 10 else 2 if len(digits) >= 7 else 1
                assert [c for c in fresh if c.isdigit()][:keep] == digits[:keep], (value, fresh)
            if category == "email" and "@" in value:
                assert fresh.split("@")[-1] == value.split("@")[-1], (value, fresh)
    assert {"ipv4", "ipv6", "mac", "phone", "email", "name", "credential", "token"} <= seen


def test_copies_share_no_replaced_value(corpus: tuple[Any, bytes]) -> None:
    gen, _ = corpus
    originals = set(bench.load_sources(SOURCES).categories)
    first, second = (set(m.values()) for m in gen.mappings[:2])
    assert not first & second
    assert not (first | second) & originals
    # Consistent within a copy: one fresh value per original, distinct originals stay distinct.
    assert len(first) == len(gen.mappings[0])


def test_same_seed_same_bytes_and_prefix(tmp_path: Path, corpus: tuple[Any, bytes]) -> None:
    _, data = corpus
    again, smaller, other = tmp_path / "again.log", tmp_path / "small.log", tmp_path / "other.log"
    bench.generate(again, 0.2, seed=7, dirs=SOURCES)
    bench.generate(smaller, 0.1, seed=7, dirs=SOURCES)
    bench.generate(other, 0.2, seed=8, dirs=SOURCES)
    assert again.read_bytes() == data
    assert data.startswith(smaller.read_bytes())
    assert other.read_bytes() != data
    assert len(other.read_bytes()) == len(data)  # shapes keep byte lengths


def test_dense_corpus_is_denser(tmp_path: Path, corpus: tuple[Any, bytes]) -> None:
    gen, _ = corpus
    dense = bench.generate(tmp_path / "dense.log", 0.1, seed=7, dirs=SOURCES, dense=True)
    assert dense.per_mb > 1.5 * gen.per_mb


@pytest.mark.parametrize(
    "value",
    ["10.1.2.3", "172.16.5.44", "172.31.200.1", "192.168.1.1", "8.8.8.8", "203.0.113.57", "100.64.1.1"],
)
def test_ipv4_keeps_its_class(value: str) -> None:
    rng = random.Random(1)
    for _ in range(200):
        fresh = bench.ipv4_shape(value, rng)
        assert bench.ipv4_class(fresh) == bench.ipv4_class(value), fresh
        first = int(fresh.split(".")[0])
        assert first not in (0, 127) and first < 224, fresh
        assert len(fresh) == len(value)


# --------------------------------------------------------------------------- benchmarks/bench_captures.py


def _load_captures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_captures", REPO / "benchmarks" / "bench_captures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_signalling_capture_is_mostly_sip_and_deterministic(tmp_path: Path) -> None:
    from scapy.utils import RawPcapReader

    captures = _load_captures()
    first, second = tmp_path / "a.pcap", tmp_path / "b.pcap"
    assert captures.build_signalling(first, 150, seed=3) == (150, 10)
    captures.build_signalling(second, 150, seed=3)
    assert first.read_bytes() == second.read_bytes()
    sip = starts = 0
    reader = RawPcapReader(str(first))
    for frame, _meta in reader:
        captures.check_with_scapy(frame)  # lengths and checksums as scapy builds them
        payload = frame[42:]
        sip += payload.startswith((b"SIP/2.0 ", b"REGISTER ", b"INVITE ", b"ACK ", b"BYE "))
        starts += payload.startswith(b"INVITE ")
    reader.close()
    assert sip == 90 and starts == 10  # 9 SIP messages and 6 RTP packets per call
