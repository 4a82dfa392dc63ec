"""The structures the small blind round samples/blind-30 found leaks or losses in, as
classes: an IRC channel's log (`<nick> text` lines and `*** nick <hostmask>` events), an
Asterisk registration kept commented out, and a multipart form's field name. Values are
invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_an_irc_channels_log() -> None:
    out = scrub(
        "2019-10-02T01:48:21  *** qz <qz!~qz@c-73-82-177-102.hsd1.ga.comcast.net> has joined #ltsp\n"
        "2019-10-02T01:39:36  *** Ysa61 <Ysa61!5bd33911@gateway/web/cgi-irc/kiwiirc.com/ip.91.211.57.18>"
        " has joined\n"
        "2019-10-02T08:25:22  <mirelka> do you have time to look at the thin client today\n"
        "[12:01:33] <@tovarek> the trunk is down again\n"
        "2019-10-02 10:00:00 <info> service started\n"
        "*** tovarek is now known as tovarek_away\n"
    )
    for leaked in ("qz", "mirelka", "thin client today", "tovarek", "trunk is down", "91.211.57.18"):
        assert leaked not in out
    assert "has joined #ltsp\n" in out and "2019-10-02 10:00:00 <info> service started\n" in out


def test_a_registration_kept_commented_out() -> None:
    out = scrub(";register=>883140000008261:qTYX3787@voip.example.ru/883140000008261 ;trunk-2\n")
    assert "qTYX3787" not in out and "883140000008261" not in out and "@voip.example.ru/" in out


def test_a_multipart_forms_field_name_stays() -> None:
    line = 'content-disposition: form-data; name="file"; filename="contacts.vcf"\n'
    assert scrub(line) == line
