"""Learned values reach back a bounded window before the place they were found (lookback.py)."""

from __future__ import annotations

import io

import pytest

from logscrub import Policy, Scrubber

from .conftest import KEY

# Asterisk names the endpoint before the INVITE that a SIP rule understands.
ASTERISK = (
    "[2024-03-11 09:14:02.134] VERBOSE[2230] app_dial.c: Called PJSIP/mhofmann\n"
    "[2024-03-11 09:14:02.135] VERBOSE[2230] pbx.c: Executing [089217654321@internal:2] Dial()\n"
    "INVITE sip:mhofmann@pbx.example.org SIP/2.0\n"
    "To: <sip:089217654321@pbx.example.org>\n"
)


def test_values_found_later_are_replaced_before_too() -> None:
    out = Scrubber(Policy(key=KEY)).scrub_text(ASTERISK).text
    assert "mhofmann" not in out
    assert "089217654321" not in out
    assert "app_dial.c: Called PJSIP/" in out and "@pbx.example.org" in out


def _streamed(policy: Policy, text: str) -> str:
    out = io.BytesIO()
    Scrubber(policy).scrub_stream(io.BytesIO(text.encode()), out)
    return out.getvalue().decode()


def test_the_window_bounds_how_far_back_in_a_stream_not_in_a_file() -> None:
    filler = "".join(f"{i:06d} nothing here\n" for i in range(200))  # ~4 KB
    text = "Called PJSIP/mhofmann\n" + filler + "INVITE sip:mhofmann@pbx.example.org SIP/2.0\n"
    near = _streamed(Policy(key=KEY, lookback=1 << 16), text)
    far = _streamed(Policy(key=KEY, lookback=1024), text)
    off = _streamed(Policy(key=KEY, lookback=0), text)
    assert "mhofmann" not in near
    assert far.startswith("Called PJSIP/mhofmann\n") and far.count("mhofmann") == 1
    assert off.count("mhofmann") == 1
    assert len(near.splitlines()) == len(text.splitlines())
    # A file (or text, or bytes) is a run: what is learned anywhere reaches all of it.
    for lookback in (0, 1024):
        whole = Scrubber(Policy(key=KEY, lookback=lookback)).scrub_text(text).text
        assert "mhofmann" not in whole and len(whole.splitlines()) == len(text.splitlines())


@pytest.mark.parametrize("block", [1024, 1500, 4096, 1 << 20])
def test_lookback_does_not_depend_on_block_or_read_size(block: int) -> None:
    filler = "".join(f"{i:06d} x\n" for i in range(600))
    text = (ASTERISK + filler) * 3
    data = text.encode()
    expected = Scrubber(Policy(key=KEY)).scrub_bytes(data).data
    out = io.BytesIO()
    Scrubber(Policy(key=KEY, block_size=block)).scrub_stream(io.BytesIO(data), out)
    assert out.getvalue() == expected
    assert b"mhofmann" not in expected


def test_short_numbers_do_not_reach_back() -> None:
    # `1300` learned from username= is a common configuration value (an MTU) before it.
    text = "mtu=1300\n[auth_info_0]\nusername=1300\nrealm=pbx\ndomain=1300\n"
    out = Scrubber(Policy(key=KEY)).scrub_text(text).text
    assert out.startswith("mtu=1300\n")
    assert "username=1300" not in out


def test_explain_sees_what_scrub_replaces() -> None:
    scrubber = Scrubber(Policy(key=KEY))
    lines = list(scrubber.explain(io.BytesIO(ASTERISK.encode())))
    first = lines[0]
    assert [first.text[f.start : f.end] for f in first.findings] == ["mhofmann"]
    assert first.findings[0].rule_id == "learned.username"
