"""Damaged, hostile and odd inputs (archives, encodings, decorations, names, terminals):
each ends scrubbed, or as an input error (exit 2) on one line that names the file and the
member, with no output written. Captures: see test_capture_hostile.py."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import struct
import zipfile
from pathlib import Path

import pytest

from logscrub import Scrubber
from logscrub.cli import main
from logscrub.encodings import TextEncoding, detect

from .conftest import KEY, KEY_HEX, REPO, one_error_line

LINE = "2024-01-01 INFO REGISTER from +14155550123 user jane.roe@example.com ip 203.0.113.9\n"
PLANTED = ("+14155550123", "jane.roe@example.com", "203.0.113.9")


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, name: str, *extra: str) -> int:
    """Scrub `data` saved as `name`; asserts that a failed run wrote nothing."""
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / ("out-" + name)
    code = main(["scrub", "-q", str(src), "-o", str(out), *extra])
    if code != 0:
        assert not out.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left
    return code


# -- damaged compressed data and archives ---------------------------------------------------


def test_a_truncated_gzip_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = gzip.compress(LINE.encode() * 200)
    assert _run(tmp_path, capsys, data[: len(data) // 2], "cut.log.gz") == 2
    one_error_line(capsys.readouterr().err, "cut.log.gz", "truncated")


@pytest.mark.parametrize("command", ["scrub", "check"])
def test_a_gzip_with_a_bad_crc_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    data = bytearray(gzip.compress(LINE.encode() * 20))
    data[-8] ^= 0xFF  # the CRC32 in the trailer
    src = tmp_path / "bad.log.gz"
    src.write_bytes(bytes(data))
    args = (
        ["scrub", "-q", str(src), "-o", str(tmp_path / "out.gz")]
        if command == "scrub"
        else ["check", str(src)]
    )
    assert main(args) == 2
    line = one_error_line(capsys.readouterr().err, "bad.log.gz", "CRC")
    assert "cannot write" not in line
    assert not (tmp_path / "out.gz").exists()


def _zip(*members: tuple[str, bytes], comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
        archive.comment = comment
    return buffer.getvalue()


def test_a_zip_whose_headers_disagree_on_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(_zip(("logs/app.log", LINE.encode())))
    local = data.index(b"logs/app.log")  # the local header's copy comes first
    data[local : local + 12] = b"logs/+1415.x"
    assert _run(tmp_path, capsys, bytes(data), "bundle.zip") == 2
    line = one_error_line(capsys.readouterr().err, "bundle.zip", "logs/app.log", "differ")
    assert "+1415" not in line  # the local header's name is never printed


def test_overlapping_zip_members_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The shape of a non-recursive zip bomb: central-directory entries that share data."""
    data = bytearray(_zip(("a.log", b"x" * 50_000), ("b.log", b"y" * 50_000)))
    second = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    struct.pack_into("<I", data, second + 42, 0)  # b.log's local header offset -> a.log's
    assert _run(tmp_path, capsys, bytes(data), "bomb.zip") == 2
    one_error_line(capsys.readouterr().err, "bomb.zip", "overlap")


def test_a_corrupt_deflate_stream_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(_zip(("app.log", LINE.encode() * 200)))
    start = data.index(b"app.log") + len("app.log")
    for i in range(start + 10, start + 40):
        data[i] ^= 0x5A
    assert _run(tmp_path, capsys, bytes(data), "broken.zip") == 2
    one_error_line(capsys.readouterr().err, "broken.zip", "app.log")


def test_comments_of_a_zip_are_not_written(tmp_path: Path) -> None:
    src = tmp_path / "bundle.zip"
    src.write_bytes(_zip(("app.log", LINE.encode()), comment=b"sent by jane.roe@example.com"))
    out = tmp_path / "out.zip"
    assert main(["scrub", "-q", str(src), "-o", str(out)]) == 0
    data = out.read_bytes()
    for value in PLANTED:
        assert value.encode() not in data
    assert zipfile.ZipFile(out).comment == b""


# -- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", b""),
    ],
)
def test_wide_encodings_are_scanned_and_written_back_as_they_were(codec: str, bom: bytes) -> None:
    text = LINE * 3 + "Größe ok\n"
    data = bom + text.encode(codec)
    assert detect(data[:512]) == TextEncoding(codec)
    out = Scrubber(key=KEY).scrub_bytes(data).data
    assert out.startswith(bom) and (not bom or not out[len(bom) :].startswith(bom))
    decoded = out[len(bom) :].decode(codec)
    for value in PLANTED:
        assert value not in decoded
    assert decoded.count("\n") == text.count("\n") and decoded.endswith("Größe ok\n")
    assert "2024-01-01 INFO REGISTER from +1415" in decoded  # outside values, as it was


def test_undecodable_bytes_of_a_wide_encoding_survive() -> None:
    data = codecs.BOM_UTF16_LE + LINE.encode("utf-16-le") + b"\x00\xd8" + "ok\n".encode("utf-16-le") + b"\x41"
    out = Scrubber(key=KEY).scrub_bytes(data).data
    assert out.endswith(b"\x00\xd8" + "ok\n".encode("utf-16-le") + b"\x41")  # a lone surrogate, an odd byte
    assert "+14155550123".encode("utf-16-le") not in out


def test_text_with_a_few_nul_bytes_stays_utf8() -> None:
    assert detect(b"2024-01-01 boot\x00\x00 ok\n" * 20) == TextEncoding("utf-8")
    assert detect(b"ascii text only, no BOM, a longer line\n") == TextEncoding("utf-8")


def test_a_utf16_log_inside_a_bundle_is_scanned(tmp_path: Path) -> None:
    src = tmp_path / "bundle.zip"
    src.write_bytes(_zip(("win/app.log", codecs.BOM_UTF16_LE + LINE.encode("utf-16-le"))))
    out = tmp_path / "out.zip"
    assert main(["scrub", "-q", str(src), "-o", str(out)]) == 0
    member = zipfile.ZipFile(out).read("win/app.log")
    assert member.startswith(codecs.BOM_UTF16_LE)
    for value in PLANTED:
        assert value not in member.decode("utf-16")


# -- decorations -----------------------------------------------------------------------------


def test_ansi_escapes_and_zero_width_characters_are_seen_through() -> None:
    scrubber = Scrubber(key=KEY)
    text = (
        "call from +1415\x1b[31m5550123\x1b[0m ok\n"
        "mail jane.r\u200boe@example.com\n"
        "soft jane\u00adroe@example.com, \x1b[1mbold\x1b[0m stays\n"
    )
    out = scrubber.scrub_text(text).text
    assert "5550123" not in out and "jane" not in out
    assert "\x1b[0m ok\n" in out and "\x1b[1mbold\x1b[0m stays\n" in out
    plain = scrubber.scrub_text("call from +14155550123 ok\nmail jane.roe@example.com\n").text
    # The same values give the same pseudonyms, decorated or not.
    assert out.split("\n")[0].replace("\x1b[0m", "") == plain.split("\n")[0]
    assert out.split("\n")[1] == plain.split("\n")[1]


# -- names, terminals, explain --------------------------------------------------------------------


def test_output_names_and_report_paths_are_scrubbed(tmp_path: Path) -> None:
    name = "call-jane.roe@example.com.log"
    src = tmp_path / name
    src.write_text(LINE)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    report = tmp_path / "report.json"
    args = ["scrub", "-q", "--key-file", str(_key(tmp_path)), str(src), "--out-dir", str(out_dir)]
    assert main([*args, "--report", str(report)]) == 0
    (written,) = out_dir.iterdir()
    assert "jane" not in written.name and written.name.endswith(".log")
    paths = json.loads(report.read_text())["files"][0]
    assert "jane" not in paths["path"] and "jane" not in paths["output"]
    kept = tmp_path / "kept"
    kept.mkdir()
    assert main(["scrub", "-q", str(src), "--out-dir", str(kept), "--keep-names"]) == 0
    assert [p.name for p in kept.iterdir()] == [name]


def _key(tmp_path: Path) -> Path:
    path = tmp_path / "team.key"
    path.write_text(KEY_HEX + "\n")
    return path


def test_names_keep_their_extensions() -> None:
    scrubber = Scrubber(key=KEY)
    for name, gone, suffix in (
        ("call-jane.roe@example.com.log", "jane", ".log"),
        ("logcat-+14155550123.txt", "5550123", ".txt"),
        ("trace_203.0.113.9.pcap", "203.0.113.9", ".pcap"),
        ("SEP001122AABBCC.cnf.xml", "AABBCC", ".cnf.xml"),
        ("sip_+14155550123.log.1.gz", "5550123", ".log.1.gz"),
    ):
        scrubbed = scrubber.scrub_name(name)
        assert gone not in scrubbed and scrubbed.endswith(suffix), scrubbed


def test_binary_output_is_not_written_to_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    capture = REPO / "samples" / "captures" / "udp-call.pcap"
    assert main(["scrub", str(capture)]) == 2
    captured = capsys.readouterr()
    one_error_line(captured.err, "udp-call.pcap", "terminal")
    assert captured.out == ""


def test_explain_says_it_reads_logs_only(capsys: pytest.CaptureFixture[str]) -> None:
    for sample in ("captures/udp-call.pcap", "bundles/send-logs.zip"):
        assert main(["explain", str(REPO / "samples" / sample)]) == 2
        captured = capsys.readouterr()
        one_error_line(captured.err, sample.split("/")[1], "check")
        assert captured.out == ""


# -- reproducible archives ------------------------------------------------------------------------


def _tar_gz(members: dict[str, bytes]) -> bytes:
    import tarfile

    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=1_700_000_000) as packed,
        tarfile.open(fileobj=packed, mode="w|") as archive,
    ):
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["gz", "tar.gz"])
def test_recompressed_outputs_do_not_depend_on_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    data = (
        gzip.compress(LINE.encode(), mtime=1_700_000_000)
        if kind == "gz"
        else _tar_gz({"a.log": LINE.encode()})
    )
    src = tmp_path / f"in.{kind}"
    src.write_bytes(data)
    outputs = []
    for clock in (1_000_000_000.0, 2_000_000_000.0):
        monkeypatch.setattr("time.time", lambda clock=clock: clock)
        outputs.append(Scrubber(key=KEY).scrub_bytes(data).data)
    assert outputs[0] == outputs[1]
    assert outputs[0][4:8] == data[4:8]  # the gzip header keeps the input's time
    assert not outputs[0][3] & 0x08  # and names no file
    for value in PLANTED:
        assert value.encode() not in gzip.decompress(outputs[0])


def test_member_names_cannot_drive_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bundle.zip"
    src.write_bytes(
        _zip(("\x1b]0;owned\x07report.bin", b"\x00\x01binary\x00" * 20), ("app.log", LINE.encode()))
    )
    out = tmp_path / "out.zip"
    assert main(["scrub", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b]0;owned\\x07report.bin" in err  # dropped (binary), and named with escapes


def test_names_in_directories_and_extra_fields_do_not_survive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member's directory names a number; its Info-ZIP Unicode Path extra field (0x7075)
    spells an address; neither reaches the output or stderr."""
    unicode_path = b"\x01" + struct.pack("<I", 0) + b"calls/jane.roe@example.com.log"
    extra = struct.pack("<HH", 0x7075, len(unicode_path)) + unicode_path
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("calls/+14155550123/"), b"")
        info = zipfile.ZipInfo("calls/+14155550123/app.log")
        info.extra = extra
        archive.writestr(info, LINE.encode())
    src = tmp_path / "bundle.zip"
    src.write_bytes(buffer.getvalue())
    out = tmp_path / "out.zip"
    assert main(["scrub", str(src), "-o", str(out)]) == 0
    written, err = out.read_bytes(), capsys.readouterr().err
    for value in PLANTED:
        assert value.encode() not in written and value not in err
    assert any(
        name.startswith("calls/") and name.endswith("/app.log") for name in zipfile.ZipFile(out).namelist()
    )
