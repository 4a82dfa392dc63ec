"""A value found once is gone everywhere in the run: before and after its confident
occurrence, in every spelling, across archive members and between a log and a capture."""

from __future__ import annotations

import io
import json
import re
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
from scapy.utils import wrpcap

import logscrub
from logscrub.checking import CheckFinding

from .conftest import KEY

NUMBER_DIGITS = "4158675309"
SPELLINGS = ["415-867-5309", "(415) 867-5309", "415.867.5309", "%2B14158675309"]
NAME = "Dana Whitfield"
BODY = "Running late, see you at the north entrance"

BEFORE = (
    "2026-12-01 10:00:00.001 app: dialing 415-867-5309 from the contact list\n"
    "2026-12-01 10:00:00.002 app: call to (415) 867-5309 queued\n"
    "2026-12-01 10:00:00.003 app: sms to 415.867.5309 pending; query to=%2B14158675309\n"
    "2026-12-01 10:00:00.004 app: Notify: Dana Whitfield: typing\n"
)
SIP = (
    "MESSAGE sip:+14158675309@sip.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK776asdhds\r\n"
    'From: "Dana Whitfield" <sip:+14158675309@sip.example.com>;tag=49583\r\n'
    "To: <sip:1001@sip.example.com>\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 2 MESSAGE\r\n"
    "Content-Type: text/plain\r\n"
    f"Content-Length: {len(BODY)}\r\n"
    "\r\n"
    f"{BODY}"
)
AFTER = (
    f'2026-12-01 10:00:02.000 app: new message "{BODY}"\n'
    "2026-12-01 10:00:02.100 app: Notify: Dana Whitfield: Running late, see you at the north…\n"
    "2026-12-01 10:00:03.000 app: redial 415-867-5309, then (415) 867-5309, 415.867.5309\n"
    "2026-12-01 10:00:03.001 app: webhook to=%2B14158675309 status=queued\n"
)


def _scrubber() -> logscrub.Scrubber:
    return logscrub.Scrubber(key=KEY)


def _assert_clean(text: str) -> None:
    assert NUMBER_DIGITS not in re.sub(r"[^\d]", "", text.replace("%2B", "+"))
    for spelling in SPELLINGS:
        assert spelling not in text
    assert "Whitfield" not in text and "Dana" not in text
    assert "Running late" not in text and "north entrance" not in text


def _number_pseudonyms(text: str) -> set[str]:
    """The ten national digits of every spelling of the number left in `text`."""
    found = set()
    for match in re.finditer(r"(?:\+1|%2B1)(\d{10})|\(?(\d{3})\)?[ .-](\d{3})[.-](\d{4})", text):
        found.add(match.group(1) or "".join(match.group(2, 3, 4)))
    return found


def test_one_log_nothing_survives_and_one_number_one_pseudonym() -> None:
    text = BEFORE + SIP.replace("\r\n", "\n") + "\n" + AFTER
    out = _scrubber().scrub_text(text).text
    _assert_clean(out)
    pseudonyms = _number_pseudonyms(out)
    assert len(pseudonyms) == 1 and NUMBER_DIGITS not in pseudonyms
    assert out.count("\n") == text.count("\n")
    # Outside replaced spans the log is as it was.
    assert "2026-12-01 10:00:00.004 app: Notify: " in out and "CSeq: 2 MESSAGE" in out


def test_across_two_members_of_a_zip(tmp_path: Path) -> None:
    bundle = tmp_path / "logs.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("a-app.log", BEFORE)
        archive.writestr("b-sip.log", SIP.replace("\r\n", "\n") + "\n")
        archive.writestr("c-app.log", AFTER)
    out = tmp_path / "out.zip"
    _scrubber().scrub_file(bundle, out)
    with zipfile.ZipFile(out) as archive:
        texts = {name: archive.read(name).decode() for name in archive.namelist()}
    assert sorted(texts) == ["LOGSCRUB-MANIFEST.json", "a-app.log", "b-sip.log", "c-app.log"]
    assert json.loads(texts.pop("LOGSCRUB-MANIFEST.json"))["scrubbed_by"]["key_id"]
    joined = "".join(texts.values())
    _assert_clean(joined)
    assert len(_number_pseudonyms(joined)) == 1


class _Unclosed(io.BytesIO):
    def close(self) -> None:  # wrpcap closes its file; the test still reads it
        pass


def _sip_capture() -> bytes:
    buffer = _Unclosed()
    packet = (
        Ether(src="00:1a:2b:3c:4d:5e", dst="00:1a:2b:3c:4d:5f")
        / IP(src="10.0.0.5", dst="198.51.100.23")
        / UDP(sport=5060, dport=5060)
        / SIP.encode()
    )
    wrpcap(buffer, [packet], linktype=1)
    return buffer.getvalue()


def test_across_a_log_and_a_capture_of_one_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "incident.tar.gz"
    with tarfile.open(bundle, "w:gz") as archive:
        for name, data in (
            ("app-before.log", BEFORE.encode()),
            ("call.pcap", _sip_capture()),
            ("app-after.log", AFTER.encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    out = tmp_path / "out.tar.gz"
    _scrubber().scrub_file(bundle, out)
    with tarfile.open(out) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}  # type: ignore[union-attr]
    logs = members["app-before.log"].decode() + members["app-after.log"].decode()
    capture = members["call.pcap"].decode("latin-1")
    _assert_clean(logs)
    _assert_clean(capture)
    assert len(_number_pseudonyms(logs + capture)) == 1


def test_across_separate_files_of_one_run(tmp_path: Path) -> None:
    (tmp_path / "1.log").write_text(BEFORE)
    (tmp_path / "2.pcap").write_bytes(_sip_capture())
    (tmp_path / "3.log").write_text(AFTER)
    pairs = [(tmp_path / n, tmp_path / f"out-{n}") for n in ("1.log", "2.pcap", "3.log")]
    report = _scrubber().scrub_files(pairs)
    assert [f.path for f in report.files] == [str(p) for p, _ in pairs]
    logs = (tmp_path / "out-1.log").read_text() + (tmp_path / "out-3.log").read_text()
    _assert_clean(logs)
    _assert_clean((tmp_path / "out-2.pcap").read_bytes().decode("latin-1"))
    assert len(_number_pseudonyms(logs)) == 1
    assert report.totals.by_rule["learned.phone_number"] >= 1


def test_a_stream_learns_forward_only() -> None:
    out = io.BytesIO()
    text = "x" * 70_000 + "\n" + BEFORE + SIP.replace("\r\n", "\n") + "\n" + AFTER
    _scrubber().scrub_stream(io.BytesIO(text.encode()), out)
    scrubbed = out.getvalue().decode()
    after = scrubbed[scrubbed.index("new message") :]
    _assert_clean(after)


def test_check_and_explain_see_what_scrub_replaces(tmp_path: Path) -> None:
    path = tmp_path / "incident.log"
    text = BEFORE + SIP.replace("\r\n", "\n") + "\n" + AFTER
    path.write_text(text)
    scrubber = _scrubber()
    findings = scrubber.check(path)
    stats = scrubber.scrub_file(path, tmp_path / "out.log")
    assert isinstance(findings[0], CheckFinding)
    assert len(findings) == stats.replaced
    lines_with_findings = {f.line for f in findings}
    assert {1, 2, 3, 4} <= lines_with_findings  # before the SIP message that teaches them
    with path.open("rb") as source:
        explained = list(scrubber.explain(source))
    assert sum(len(line.findings) for line in explained) == len(findings)


def _stun_capture() -> bytes:
    body = struct.pack("!HH", 0x0006, 12) + b"jroe.mobile1"
    header = struct.pack("!HHI", 0x0001, len(body) + 8, 0x2112A442) + bytes(range(12))
    body += struct.pack("!HH", 0x8028, 4) + struct.pack("!I", zlib.crc32(header + body) ^ 0x5354554E)
    header = struct.pack("!HHI", 0x0001, len(body), 0x2112A442) + bytes(range(12))
    buffer = _Unclosed()
    wrpcap(
        buffer,
        [Ether() / IP(src="10.0.0.5", dst="198.51.100.23") / UDP(sport=40000, dport=3478) / (header + body)],
        linktype=1,
    )
    return buffer.getvalue()


def test_policy_applies_to_capture_fields_and_header_rewrites_count(tmp_path: Path) -> None:
    path = tmp_path / "stun.pcap"
    path.write_bytes(_stun_capture())
    labelled = logscrub.Scrubber(key=KEY, operators={"USERNAME": "label"})
    stats = labelled.scrub_file(path, tmp_path / "out.pcap")
    data = (tmp_path / "out.pcap").read_bytes()
    assert b"jroe.mobile1" not in data and b"<USERNAME>**" in data
    assert stats.by_rule["capture.stun_username"] == 1
    assert stats.by_rule["capture.ip_header"] == 2  # both addresses of the one packet
    assert stats.by_entity["IP_ADDRESS"] >= 2 and stats.replaced >= 3
    rules = {f.rule_id for f in labelled.check(path)}
    assert {"capture.stun_username", "capture.ip_header"} <= rules
    report = json.loads(labelled.scrub_files([(path, tmp_path / "again.pcap")]).to_json())
    assert report["totals"]["by_rule"]["capture.ip_header"] == 2


def _section_comments(data: bytes) -> list[list[bytes]]:
    """The comments of each pcapng section header block (little-endian files)."""
    from logscrub.capture.files import read_options

    sections, pos = [], 0
    while pos + 12 <= len(data):
        block_type, length = struct.unpack_from("<II", data, pos)
        if block_type == 0x0A0D0D0A:
            body = data[pos + 8 : pos + length - 4]
            sections.append([value for code, value in read_options(body[16:], "<") if code == 1])
        pos += length
    return sections


def test_pcapng_sections_carry_the_run_stamp_once(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "samples" / "captures" / "comments.pcapng"
    scrubber = _scrubber()
    scrubber.scrub_file(source, tmp_path / "once.pcapng")
    scrubber.scrub_file(tmp_path / "once.pcapng", tmp_path / "twice.pcapng")
    for name in ("once.pcapng", "twice.pcapng"):
        sections = _section_comments((tmp_path / name).read_bytes())
        assert len(sections) == len(_section_comments(source.read_bytes())) >= 1
        for comments in sections:
            stamps = [c for c in comments if c.startswith(b"scrubbed by logscrub")]
            assert len(stamps) == 1 and scrubber.stamp.key_id.encode() in stamps[0]  # replaced, not added
        assert (
            KEY not in (tmp_path / name).read_bytes()
            and KEY.hex().encode() not in (tmp_path / name).read_bytes()
        )


def test_region_gives_national_numbers_their_international_pseudonym(tmp_path: Path) -> None:
    from logscrub.cli import main

    path = tmp_path / "uk.log"
    path.write_text("dialled 020 7946 0958 today\nlater: +44 20 7946 0958\n")
    out = tmp_path / "out.log"
    assert main(["scrub", str(path), "-o", str(out), "--region", "gb", "-q"]) == 0
    national, international = out.read_text().splitlines()
    assert "7946" not in national and "7946" not in international
    assert re.sub(r"\D", "", national)[-10:] == re.sub(r"\D", "", international)[-10:]
    assert national.startswith("dialled 020 ")  # still national, same area code
    assert main(["scrub", str(path), "-o", str(out), "--region", "Atlantis"]) == 2


# --- property: wherever the confident occurrence lands, nothing learned survives -----------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_USERS = st.from_regex(r"[a-z]{3,6}\.[a-z]{3,6}[0-9]{2}", fullmatch=True)
_SUBSCRIBER = st.integers(min_value=2000, max_value=9999)
_FILLER = st.sampled_from(
    [
        "2026-12-01 10:00:00.000 app: keep-alive ok\n",
        "2026-12-01 10:00:00.100 net: path satisfied, interface en0\n",
        "CSeq: 7 OPTIONS\n",
        "",
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    user=_USERS,
    subscriber=_SUBSCRIBER,
    files=st.integers(min_value=1, max_value=3),
    places=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 30)), min_size=3, max_size=8),
    teacher=st.tuples(st.integers(0, 2), st.integers(0, 30)),
    filler=st.lists(_FILLER, min_size=30, max_size=30),
)
def test_a_value_learned_anywhere_in_a_run_is_gone_everywhere(
    tmp_path: Path,
    user: str,
    subscriber: int,
    files: int,
    places: list[tuple[int, int]],
    teacher: tuple[int, int],
    filler: list[str],
) -> None:
    number = f"+1202555{subscriber:04d}"
    national = f"(202) 555-{subscriber:04d}"
    bare = [
        f"app: Auth info found for [{user}] dialled {national}\n",
        f"app: retry {user} via {number[2:]}\n",
    ]
    confident = f'From: "Agent" <sip:{user}@sip.example.com>;tag=1\nTo: <sip:{number}@sip.example.com>\n'
    texts = [list(filler) for _ in range(files)]
    for i, (file, at) in enumerate(places):
        texts[file % files].insert(at, bare[i % 2])
    texts[teacher[0] % files].insert(teacher[1], confident)
    run_dir = tmp_path / f"run-{user}-{subscriber}-{files}"
    run_dir.mkdir(exist_ok=True)
    pairs = []
    for i, lines in enumerate(texts):
        (run_dir / f"{i}.log").write_text("".join(lines))
        pairs.append((run_dir / f"{i}.log", run_dir / f"{i}.out"))
    _scrubber().scrub_files(pairs)
    for src, dst in pairs:
        out = dst.read_text()
        assert user not in out and national not in out and number[2:] not in out
        assert out.count("\n") == src.read_text().count("\n")


def test_a_messages_echo_just_before_it_goes_in_a_stream_as_in_a_file() -> None:
    """A part of a message quoted a few lines before the message (within the look back) is
    widened and replaced in a stream too, not only when a file is read back."""
    text = (
        b'2026-12-01 10:30:00.000 app: new message "Running late, the tram broke down" queued\n'
        b"2026-12-01 10:30:01.000 app: retrying in 5 s\n"
        b'2026-12-01 10:30:02.000 app: {"type": "sms",'
        b' "text": "Running late, the tram broke down near Odeon"}\n'
    )
    scrubber = logscrub.Scrubber(key=KEY)
    as_file = scrubber.scrub_bytes(text).data
    stream = io.BytesIO()
    scrubber.scrub_stream(io.BytesIO(text), stream)
    assert stream.getvalue() == as_file
    assert b"tram broke down" not in as_file and b"app: retrying in 5 s" in as_file


def test_a_message_that_quotes_a_log_line_does_not_take_the_log() -> None:
    """Fragments of a message with a clock time or a date in them are a log line's, not words
    a person wrote: they are not learned (they would match every line of the log)."""
    line = "2019-01-01 00:00:00.000 TRACE [T-1] registration refreshed"
    text = f'{line}\n{line}\n{{"text": "look at this: {line} again"}}\n{line}\n'.encode()
    out = logscrub.Scrubber(key=KEY).scrub_bytes(text).data.decode()
    assert out.count("2019-01-01 00:00:00.000 TRACE") == 3
