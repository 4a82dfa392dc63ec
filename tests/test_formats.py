"""The format catalogue (docs/FORMATS.md) on real public excerpts: one file per family under
tests/data/formats, copied byte for byte with its source URL in labels.json and labelled by
hand. No labelled value survives and every keeper does, except the gaps named here."""

from __future__ import annotations

import json

import pytest

from logscrub import Scrubber

from .conftest import KEY, REPO, label_misses

FORMATS = REPO / "tests" / "data" / "formats"
LABELS = json.loads((FORMATS / "labels.json").read_text(encoding="utf-8"))
SCRUBBER = Scrubber(key=KEY)

# What is known not to work yet: (file, leaked values, lost keepers).
KNOWN_GAPS = {
    # Chatwoot's `source_id` is the contact's WhatsApp number; an id key with a bare
    # number is no phone field anywhere else.
    "template-whatsapp-chatwoot.txt": (["918288210621"], []),
    # SIPp's default display names are taken for people's names.
    "ngrep-opensips-sipp.txt": ([], ["From: sipp <sip:sipp@", "To: service <sip:service@"]),
}


def _leaks_and_losses(name: str) -> tuple[list[str], list[str]]:
    text = (FORMATS / name).read_text(encoding="utf-8")
    out = SCRUBBER.scrub_text(text).text
    assert out.count("\n") == text.count("\n")
    return label_misses(text, out, LABELS[name], ignore_case=True)


@pytest.mark.parametrize("name", sorted(LABELS))
def test_format_family_excerpt(name: str) -> None:
    assert _leaks_and_losses(name) == KNOWN_GAPS.get(name, ([], []))


def test_every_excerpt_names_its_source_and_family() -> None:
    for name, label in LABELS.items():
        assert label["source"].startswith("https://github.com/"), name
        assert (FORMATS / name).is_file(), name
        assert name in (REPO / "docs" / "FORMATS.md").read_text(encoding="utf-8"), name  # catalogued
