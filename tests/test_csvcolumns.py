"""CSV tables: columns are judged by the key rule their header names."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from logscrub import Entity, Scrubber

from .conftest import KEY, scrubbed_in_small_blocks

SCRUBBER = Scrubber(key=KEY)
CDR = (
    "start,duration,src,dst,caller_name,disposition\n"
    '2026-03-04 09:12:01,42,+14155550123,4155550188,"Roe, Jane",ANSWERED\n'
    "2026-03-04 09:13:10,0,+442079460123,2079460999,Bruno García,NO ANSWER\n"
)


def _found(text: str) -> set[tuple[str, Entity]]:
    return {(text[f.start : f.end], f.entity) for f in SCRUBBER.findings(text)}


def test_columns_follow_the_header() -> None:
    out = SCRUBBER.scrub_text(CDR).text
    for value in ("Roe, Jane", "Bruno García", "4155550188", "2079460999", "+14155550123"):
        assert value not in out
    assert out.splitlines()[0] == CDR.splitlines()[0]  # the header stays
    assert "ANSWERED" in out and "NO ANSWER" in out and "2026-03-04 09:12:01,42," in out


def test_semicolons_and_a_change_of_shape() -> None:
    text = "name;email;extension\nJane Roe;jane@example.org;ok\n\nsummary;exported;by;admin\n"
    out = Scrubber(key=KEY).scrub_text(text).text
    assert out.startswith("name;email;extension\n") and "Jane Roe;" not in out
    assert out.endswith("summary;exported;by;admin\n")  # another shape after the table: not a record


def test_only_a_header_opens_a_table() -> None:
    text = "2026-03-04 09:12:01,42,ok,fine,Jane Roe\n2026-03-04 09:12:02,43,ok,fine,Jo Doe\n"
    assert ("Jane Roe", Entity.PERSON_NAME) not in _found(text)
    assert Scrubber(key=KEY).scrub_text(text).text == text


def test_split_across_blocks() -> None:
    data = (
        CDR
        + "".join(
            f"2026-03-04 10:{i % 60:02d}:00,1,+14155550123,4155550188,Ann Lee,ANSWERED\n" for i in range(200)
        )
    ).encode()
    small = scrubbed_in_small_blocks(data)
    assert b"Ann Lee" not in small


# The first records of an SMPP load tester's send list (pentolbakso/smpp-client-load-tester,
# sms.csv): no header; source, destination, text.
SEND_LIST = (
    '"+6281122334455","+6282123456789","Halo! Sudah coba promo terbaru dari kami? Diskon besar menanti, '
    'ayo cek sekarang!"\n'
    '"+6283123456789","+6284123456789","Hai teman, ada berita seru nih! Kamu bisa dapatkan hadiah spesial '
    'dengan klik link berikut: [link]"\n'
)


def test_a_headerless_table_is_told_by_its_values() -> None:
    result = Scrubber(key=KEY).scrub_text(SEND_LIST)
    for value in ("+6281122334455", "+6284123456789", "Hai teman", "Halo!"):
        assert value not in result.text
    assert result.text.count('","') == 4  # the table's shape stays
    assert result.stats.by_entity["MESSAGE_BODY"] == 2


def test_inferred_layouts_need_a_party_and_text_on_every_first_line() -> None:
    no_party = "2026-03-04 09:12:01,INFO,Registration refreshed for the main trunk\n" * 2
    assert Scrubber(key=KEY).scrub_text(no_party).text == no_party
    # The second line disagrees with the first: no table.
    mixed = '"+6281122334455","ok","Halo teman apa kabar"\n"queue","7","Halo teman apa kabar"\n'
    assert "Halo teman apa kabar" in Scrubber(key=KEY).scrub_text(mixed).text


SMS_EXPORT = (
    "ROWID,From/To,Counterparty,Service,Sent/Scheduled Time,Text,Read Time\n"
    '1,From,+15185550148,iMessage,2020-07-30 17:34:18 UTC,"Hi Amanda!  It is Chris here :-)\n'
    'Just wanted to check when you are free for a cut like last time?",2020-07-30 20:04:43 UTC\n'
    '2,To,+15185550148,iMessage,2020-08-01 13:50:06 UTC,"Wrong number, sorry",2020-08-01 13:58:14 UTC\n'
)


def test_a_quoted_field_over_several_lines_and_headers_with_slashes() -> None:
    out = Scrubber(key=KEY).scrub_text(SMS_EXPORT).text
    for leaked in ("Hi Amanda", "Just wanted to check", "Wrong number", "+15185550148"):
        assert leaked not in out
    assert out.count("\n") == SMS_EXPORT.count("\n")
    assert out.startswith("ROWID,From/To,Counterparty,Service,Sent/Scheduled Time,Text,Read Time\n")
    assert "2020-07-30 20:04:43 UTC\n2,To," in out  # the record after it is read as one too


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["Running", "late", "see", "you", "at", "the", "north", "gate"]), min_size=3
        ),
        min_size=1,
        max_size=4,
    ),
    st.integers(min_value=1, max_value=5),
)
def test_any_multi_line_message_goes_and_every_line_stays(lines: list[list[str]], rows: int) -> None:
    body = "\n".join(" ".join(words) for words in lines)
    text = "time,sender,text\n" + "".join(
        f'2026-03-04 09:12:0{i},+1415555012{i},"{body} {i}"\n' for i in range(rows)
    )
    out = Scrubber(key=KEY).scrub_text(text).text
    assert out.count("\n") == text.count("\n")
    for line in body.splitlines():
        assert f"{line}\n" not in out and f'"{line}' not in out


def test_a_broken_exporters_quoting_is_read_again() -> None:
    """An iPhone `sms.db` dumped to CSV (samples/blind-25 15, github.com/h4x0r/parse_sms.db):
    the exporter wrote `"+15188781756""` (a stray quote at the field's end), so counting
    quotes ends a record at the wrong line and the usual reading cannot split it. Read again
    closing each quoted field at its first quote before a delimiter, over as many lines as
    that takes, every record is judged by its header. Values are invented."""
    from .conftest import scrub_keyed

    text = (
        "Row Gap,ROWID,From/To,Counterparty,Service,Sent/Scheduled Time,Text,"
        "Read Time,Edited Time,Edited Text\n"
        ',1,From,"611611"",SMS,2020-07-29 00:19:54 UTC,,2020-07-29 00:20:12 UTC,,\n'
        ',4,From,"+15185550143"",iMessage,2020-07-30 17:34:18 UTC,"Hi Marisol!  It is Teo here\n'
        'Is Thursday still good for the appointment?   ",2020-07-30 20:04:43 UTC,,\n'
        ',5,To,"+15185550143"",iMessage,2020-07-30 20:05:00 UTC,"Thursday at noon works",[unread],,\n'
    )
    out = scrub_keyed(text)
    for leaked in ("Marisol", "Teo here", "Thursday still good", "Thursday at noon"):
        assert leaked not in out, leaked
    assert out.count("\n") == text.count("\n") and ",2020-07-30 20:04:43 UTC,,\n" in out


@given(st.text(alphabet=st.sampled_from('ab1,"\n '), max_size=300))
@example(',"\n",')  # a name field of a line break only: names.person_parts had no part to judge
@settings(max_examples=300, deadline=None)
def test_fuzz_csv_reader_with_broken_quotes(body: str) -> None:
    """Any text under a header, broken quotes included: findings stay inside the text and
    inside one line each (a field over several lines is cut into its lines)."""
    from logscrub.csvcolumns import CsvColumns

    from .conftest import _keyed_scrubber

    detector = _keyed_scrubber().engine.key_detector
    assert detector is not None
    tracker = CsvColumns(detector)
    text = "from,to,text\n" + body
    for finding in tracker.findings(text):
        assert 0 <= finding.start < finding.end <= len(text)
        assert "\n" not in text[finding.start : finding.end]


def test_a_persons_meeting_room_in_a_pbx_export() -> None:
    """3CX's extension export (samples/blind-18 03): `WebMeetingFriendlyName` is the
    person's own meeting room, which lets anyone who has it in. Values are invented."""
    from .conftest import scrub_keyed

    text = (
        "Number,FirstName,LastName,EmailAddress,AuthID,WebMeetingFriendlyName,PIN\n"
        "8001,Vendedor 1,,ana@example.com.br,mJXcZzN1dn,webmeeting358149,4502\n"
    )
    out = scrub_keyed(text)
    assert "webmeeting358149" not in out and "mJXcZzN1dn" not in out
    assert out.startswith("Number,FirstName,LastName,EmailAddress,AuthID,WebMeetingFriendlyName,PIN\n")
    assert ",Vendedor 1,," in out  # a role, not a name
