"""The expected outputs in samples/expected/ are claims: checked here against the
hand-made labels of the samples (samples/labels.json), never regenerated to pass."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
LABELS = json.loads((SAMPLES / "labels.json").read_text(encoding="utf-8"))
SEPARATORS = re.compile(r"[ \-.()/\u00a0]")
# Entities the tool must never let through in its own examples.
STRICT = {"message", "name", "phone", "email", "ipv4", "ipv6"}
# Labelled values the rules do not find yet (detection gaps, tracked for issue 13). Each
# is named so that fixing it makes this test fail until the entry is removed.
KNOWN_GAPS = {
    ("messaging.jsonl", "8C1A7E42-5B3D-4F6A-9E21-0D7B3C4A9F18"),
    ("messaging.jsonl", "k.osei"),
    ("ios-console-softphone.log", "s%3Aj8Fq2LxZpR7vW3nK9tY1bH6cD4mA0eUq.Tq5w"),
    ("messaging.jsonl", "q3Zk7pW1yV8rB2nF5tH9jL0cX4mD6sA="),
    ("messaging.jsonl", "sha256=9d41c7e0a25b8f36d1e4a7c09b2f5e83c6a1d4f7e0b3a69c82d5f1e4a7b0c3d6"),
    ("pjsip-sip-trace.log", "Hs7#kP2v!qW9"),
    ("provisioning.log", "4f8a2c91e7b3d605"),
    ("messaging.jsonl", "08/29"),
    ("messaging.jsonl", "737"),
    ("provisioning.log", "f4f5e83a910c"),
    ("messaging.jsonl", "1600 Example Ave NW"),
}


def leaked(value: str, category: str, out: str) -> bool:
    """Whether a fingerprint of `value` survives in `out` (as the shared scorer tells)."""
    if category == "phone":
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 8 and digits[-8:] in SEPARATORS.sub("", out):
            return True
    if category == "email":
        local = value.split("@")[0].lower()
        return value.lower() in out.lower() or f"{local}@" in out.lower() or f"{local}%40" in out.lower()
    if category == "message" and any(value[i : i + 24] in out for i in range(0, len(value) - 24, 8)):
        return True
    pre = r"(?<![A-Za-z0-9])" if value[:1].isalnum() else ""
    post = r"(?![A-Za-z0-9])" if value[-1:].isalnum() else ""
    return re.search(pre + re.escape(value) + post, out) is not None


CASES = [(name, s["value"], s["category"]) for name, label in LABELS.items() for s in label["secrets"]]


@pytest.mark.parametrize(("name", "value", "category"), CASES, ids=[f"{n}:{v[:24]}" for n, v, _ in CASES])
def test_expected_output_holds_no_labelled_value(name: str, value: str, category: str) -> None:
    out = (SAMPLES / "expected" / name).read_text(encoding="utf-8", errors="replace")
    if (name, value) in KNOWN_GAPS:
        assert category not in STRICT
        assert leaked(value, category, out), "a known gap is fixed: remove it from KNOWN_GAPS"
        return
    assert not leaked(value, category, out)


@pytest.mark.parametrize("name", sorted(LABELS))
def test_expected_output_keeps_what_support_needs(name: str) -> None:
    source = (SAMPLES / name).read_text(encoding="utf-8", errors="replace")
    out = (SAMPLES / "expected" / name).read_text(encoding="utf-8", errors="replace")
    for keep in LABELS[name]["keep"]:
        assert out.count(keep) >= source.count(keep), keep
    assert out.count("\n") == source.count("\n")
