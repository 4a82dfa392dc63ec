"""LINE's saved chat history (lineexport.py): senders and texts go, the headings, LINE's
placeholders and tab-separated logs stay. The shapes are LINE's (samples/blind-28 10, a
Thai export committed with its tabs turned into `$`); the values are invented."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from logscrub.lineexport import LineExports

from .conftest import scrub_keyed

scrub = scrub_keyed

ENGLISH = (
    "[LINE] Chat history with Kanya Srisuk\n"
    "Saved on: 8/28/2019, 23:10\n"
    "\n"
    "Wed, 8/28/2019\n"
    "08:38\tKanya Srisuk\tsee you at the station at nine\n"
    '08:39\tThanakorn\t"two lines,\n'
    'the second one about the dentist"\n'
    "22:56\tKanya Srisuk\t[Sticker]\n"
    "22:57\tThanakorn\t☎ Missed call\n"
)


def test_an_english_export() -> None:
    out = scrub(ENGLISH)
    for leaked in ("Kanya", "Srisuk", "Thanakorn", "see you at the station", "about the dentist"):
        assert leaked not in out
    for kept in ("Saved on: 8/28/2019, 23:10\n", "\nWed, 8/28/2019\n", "\t[Sticker]\n", "\t☎ Missed call\n"):
        assert kept in out
    assert out.count("\n") == ENGLISH.count("\n")


def test_a_thai_export_without_its_header() -> None:
    out = scrub("Wed, 28/08/2562 BE\n08:38\tพิมพ์ชนก\tฝากจองที่ด้วยนะ\n08:39\tFirm\tเดี๋ยวไปรับ\n")
    for leaked in ("พิมพ์ชนก", "ฝากจองที่ด้วยนะ", "Firm", "เดี๋ยวไปรับ"):
        assert leaked not in out
    assert out.startswith("Wed, 28/08/2562 BE\n08:38\t")


def test_a_japanese_export() -> None:
    out = scrub(
        "[LINE] 山田花子とのトーク履歴\n保存日時：2019/08/28 23:10\n\n"
        "2019/08/28(水)\n08:38\t山田花子\t駅で待ってるね\n"
    )
    assert "駅で待ってるね" not in out and "\t山田花子\t" not in out
    assert "\n2019/08/28(水)\n08:38\t" in out


def test_a_tab_separated_log_is_no_export() -> None:
    log = "2026-12-01 08:38:00\tINFO\tregistered 3 accounts\n08:38\tworker\tqueue drained\n"
    assert scrub(log) == log


@given(st.text(alphabet=st.sampled_from('0123456789:\t\n\r"[]☎ abWed,/BE()水LINE'), max_size=400))
@settings(max_examples=300, deadline=None)
def test_fuzz_line_tracker(text: str) -> None:
    tracker = LineExports()
    for piece in ("Wed, 8/28/2019\n" + text[: len(text) // 2], text[len(text) // 2 :]):
        for finding in tracker.findings(piece):
            assert 0 <= finding.start < finding.end <= len(piece)
            assert "\n" not in piece[finding.start : finding.end]


def test_a_real_thai_export_in_lines_own_form() -> None:
    """samples/blind-28 10 (github.com/Tenyyy/Line-chat-analytics, test.txt): a real export
    committed with its tabs turned into `$`, read with them back (LINE's own form)."""
    import json
    from pathlib import Path

    directory = Path(__file__).resolve().parent.parent / "samples" / "blind-28"
    name = "10-line-chat-export-thai.log"
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))[name]
    source = (directory / name).read_text(encoding="utf-8").replace("$", "\t")
    out = scrub(source)
    assert out.count("\n") == source.count("\n")
    for secret in labels["secrets"]:
        assert secret["value"] not in out, secret
    assert "Wed, 28/08/2562 BE\n" in out
