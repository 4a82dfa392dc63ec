"""Real captures (samples/captures, made with sipp and tcpdump/dumpcap on 127.0.0.1) in
and out of the scrubber, checked byte by byte and by Wireshark's own dissectors (tshark).

For each capture: no planted value survives anywhere in the output; the strings a
support engineer needs do; tshark finds no malformed packet, the same packets with bad
checksums as in the input (offloaded checksums on loopback stay as wrong as they were,
correct ones stay correct) and the same SIP messages, dialogs and SDP-associated RTP
packets; the file keeps its format, header, record headers and timestamps.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from functools import cache
from pathlib import Path

import pytest

import logscrub
from logscrub.capture.files import PcapFile, PcapngFile, write_options

from .conftest import KEY, REPO

CAPTURES = REPO / "samples" / "captures"
LABELS: dict[str, dict[str, object]] = json.loads((CAPTURES / "labels.json").read_text())
NAMES = sorted(LABELS)
CHECKSUMS = ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"]
BAD_CHECKSUM = 'ip.checksum.status=="Bad" || udp.checksum.status=="Bad" || tcp.checksum.status=="Bad"'

if shutil.which("tshark") is None and os.environ.get("LOGSCRUB_REQUIRE_TOOLS"):
    raise RuntimeError("tshark is required here (LOGSCRUB_REQUIRE_TOOLS is set) but not installed")
needs_tshark = pytest.mark.skipif(
    shutil.which("tshark") is None, reason="tshark is not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample capture scrubbed once, by one Scrubber (so one set of pseudonyms)."""
    out_dir = tmp_path_factory.mktemp("captures")
    scrubber = logscrub.Scrubber(key=KEY)
    outputs = {}
    for name in NAMES:
        outputs[name] = out_dir / name
        scrubber.scrub_file(CAPTURES / name, outputs[name])
    return outputs


@cache
def tshark(path: Path, *args: str) -> list[str]:
    result = subprocess.run(
        ["tshark", "-n", "-r", str(path), *args], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.splitlines()


@pytest.mark.parametrize("name", NAMES)
def test_no_planted_value_survives(scrubbed: dict[str, Path], name: str) -> None:
    data = scrubbed[name].read_bytes()
    labels = LABELS[name]
    planted = [str(v).encode() for v in labels["must_not_survive"]]  # type: ignore[attr-defined]
    planted += [bytes.fromhex(str(v)) for v in labels.get("must_not_survive_hex", [])]  # type: ignore[attr-defined]
    original = (CAPTURES / name).read_bytes()
    present = [value for value in planted if value in original]  # a MAC may be in binary form only
    assert len(present) >= len(planted) - 2
    for value in present:
        assert value not in data, f"{value!r} survived in {name}"


@pytest.mark.parametrize("name", NAMES)
def test_what_support_needs_survives(scrubbed: dict[str, Path], name: str) -> None:
    data = scrubbed[name].read_bytes()
    for value in LABELS[name]["must_survive"]:  # type: ignore[attr-defined]
        assert str(value).encode() in data, f"{value!r} lost in {name}"


def _records(path: Path) -> list[tuple[bytes, int]]:
    """(record header or block type + fixed fields, packet length) of every packet; a pcap's
    global header without its reserved fields (where scrub writes its seal: capture/seal.py)."""
    with path.open("rb") as src:
        if src.read(4) != b"\x0a\x0d\x0d\x0a":
            src.seek(0)
            pcap = PcapFile(src, path.name)
            global_header = pcap.header[:8] + pcap.header[16:]
            return [(global_header, 0)] + [(header, len(data)) for header, data in pcap.records()]
        src.seek(0)
        records = []
        for block in PcapngFile(src, path.name).blocks():
            if block.type == 6:
                (caplen,) = struct.unpack_from(block.endian + "I", block.body, 12)
                records.append((block.body[:20], caplen))
        return records


@pytest.mark.parametrize("name", NAMES)
def test_format_header_lengths_and_timestamps_are_kept(scrubbed: dict[str, Path], name: str) -> None:
    assert _records(scrubbed[name]) == _records(CAPTURES / name)
    original, output = (CAPTURES / name).read_bytes(), scrubbed[name].read_bytes()
    if not name.endswith(".pcapng"):
        assert len(output) == len(original)  # every replacement kept its length


@needs_tshark
@pytest.mark.parametrize("name", NAMES)
def test_wireshark_decodes_the_same(scrubbed: dict[str, Path], name: str) -> None:
    out, original = scrubbed[name], CAPTURES / name
    assert tshark(out, "-Y", "_ws.malformed") == []
    assert len(tshark(out, *CHECKSUMS, "-Y", BAD_CHECKSUM)) == len(
        tshark(original, *CHECKSUMS, "-Y", BAD_CHECKSUM)
    )
    assert len(tshark(out, "-Y", "sip")) == LABELS[name]["sip_messages"]
    rtp = tshark(out, "-o", "rtp.heuristic_rtp:FALSE", "-Y", "rtp")
    assert len(rtp) == LABELS[name]["rtp_packets"]
    dialogs = set(tshark(out, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"))
    assert len(dialogs) == len(set(tshark(original, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID")))


@needs_tshark
def test_bad_checksums_stay_bad_the_same_way(scrubbed: dict[str, Path]) -> None:
    """On loopback the sender leaves checksums to offload: the input's are wrong, and
    the output's must be wrong for exactly the same packets, not repaired or broken anew."""
    name = "tcp-call.pcap"
    fields = [*CHECKSUMS, "-Y", BAD_CHECKSUM, "-T", "fields", "-e", "frame.number"]
    bad = tshark(CAPTURES / name, *fields)
    assert bad
    assert tshark(scrubbed[name], *fields) == bad


@needs_tshark
def test_relocated_call_sdp_agrees_with_the_pseudonymised_headers(scrubbed: dict[str, Path]) -> None:
    """Non-loopback addresses in headers, SIP and SDP: all pseudonymised alike, so the
    RTP streams are still associated with their call (rtp.setup-frame is the INVITE's)."""
    name = "relocated-call.pcap"
    out = scrubbed[name]
    rows = tshark(
        out,
        "-Y",
        "sdp",
        "-T",
        "fields",
        "-E",
        "separator=|",
        "-e",
        "ip.src",
        "-e",
        "sdp.connection_info.address",
    )
    assert len(rows) >= 2
    for row in rows:
        source, connection = row.split("|")
        assert source == connection, row
        assert source not in ("10.0.11.5", "192.0.2.9")
    setups = tshark(
        out, "-o", "rtp.heuristic_rtp:FALSE", "-Y", "rtp", "-T", "fields", "-e", "rtp.setup-frame"
    )
    assert len(setups) == LABELS[name]["rtp_packets"] and all(setups)
    macs = set(tshark(out, "-T", "fields", "-e", "eth.src"))
    assert macs.isdisjoint({"00:1a:2b:3c:4d:5e", "3c:22:fb:11:22:33"})
    assert {mac[:8] for mac in macs} == {"00:1a:2b", "3c:22:fb"}  # vendor prefixes kept
    assert set(tshark(out, "-T", "fields", "-e", "vlan.id")) == {"42"}


def test_a_capture_and_a_log_of_one_incident_agree(scrubbed: dict[str, Path]) -> None:
    """The caller's number pseudonymised in a capture equals its pseudonym in a log line."""
    log = logscrub.Scrubber(key=KEY).scrub_text("incoming call from +14155550123 via 198.51.100.23\n").text
    number, address = log.split()[3], log.split()[5]
    data = scrubbed["udp-call.pcap"].read_bytes()
    assert number.encode() in data and address.encode() in data


@needs_tshark
def test_rtp_media_is_blanked_and_headers_kept(scrubbed: dict[str, Path]) -> None:
    fields = [
        "-o",
        "rtp.heuristic_rtp:FALSE",
        "-Y",
        "rtp",
        "-T",
        "fields",
        "-e",
        "rtp.seq",
        "-e",
        "rtp.timestamp",
        "-e",
        "rtp.ssrc",
        "-e",
        "rtp.p_type",
        "-e",
        "rtp.marker",
    ]
    name = "udp-call.pcap"
    assert tshark(scrubbed[name], *fields) == tshark(CAPTURES / name, *fields)
    payloads = tshark(
        scrubbed[name],
        "-o",
        "rtp.heuristic_rtp:FALSE",
        "-Y",
        "rtp.p_type == 8",
        "-T",
        "fields",
        "-e",
        "rtp.payload",
    )
    assert payloads and all(set(p.replace(":", "")) == {"d", "5"} for p in payloads)  # G.711 A-law silence
    events = tshark(
        scrubbed[name],
        "-o",
        "rtp.heuristic_rtp:FALSE",
        "-Y",
        "rtpevent",
        "-T",
        "fields",
        "-e",
        "rtpevent.event_id",
    )
    assert events and set(events) == {"0"}  # the DTMF digits 4829 are gone


def test_keep_media_keeps_rtp_payloads(tmp_path: Path) -> None:
    name = "udp-call.pcap"
    out = tmp_path / name
    logscrub.Scrubber(logscrub.Policy(key=KEY, keep_media=True)).scrub_file(CAPTURES / name, out)
    original = (CAPTURES / name).read_bytes()
    # The G.711 payload of sipp's audio file is there byte for byte.
    audio = Path("/usr/share/sip-tester/g711a.pcap")
    if audio.exists():
        tail = audio.read_bytes()[-160:]
        assert tail in original and tail in out.read_bytes()
    assert b"Jane Roe" not in out.read_bytes()


def test_capture_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    renamed = tmp_path / "debug.log"
    shutil.copy(CAPTURES / "message.pcap", renamed)
    out = tmp_path / "out.log"
    stats = logscrub.Scrubber(key=KEY).scrub_file(renamed, out)
    assert stats.packets == 2
    assert b"Jane Roe" not in out.read_bytes()
    assert _records(out) == _records(CAPTURES / "message.pcap")


def test_cli_scrubs_a_capture(tmp_path: Path) -> None:
    out = tmp_path / "out.pcap"
    result = subprocess.run(
        ["logscrub", "scrub", str(CAPTURES / "register-digest.pcap"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert b'username="jroe.mobile"' not in data and b"jroe.mobile" not in data
    assert b"Authorization: Digest" in data


def test_truncated_capture_is_an_error_naming_the_packet(tmp_path: Path) -> None:
    original = (CAPTURES / "message.pcap").read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(original[:-10])
    out = tmp_path / "out.pcap"
    result = subprocess.run(
        ["logscrub", "scrub", str(cut), "-o", str(out)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("logscrub: error: ") and str(cut) in message
    last = _last_len(original)
    assert message.endswith(f"truncated capture: packet 2 is cut short ({last - 10} of {last} bytes)")
    assert not out.exists()


def test_corrupt_and_cut_pcapng_is_an_error(tmp_path: Path) -> None:
    original = (CAPTURES / "comments.pcapng").read_bytes()
    scrubber = logscrub.Scrubber(key=KEY)
    cut = tmp_path / "cut.pcapng"
    cut.write_bytes(original[:-7])
    with pytest.raises(logscrub.InputError, match=r"cut\.pcapng: truncated capture: packet \d+ is cut short"):
        scrubber.scrub_file(cut, tmp_path / "out.pcapng")
    corrupt = tmp_path / "corrupt.pcapng"
    corrupt.write_bytes(original[:-4] + b"\x01\x02\x03\x04")
    with pytest.raises(logscrub.InputError, match=r"corrupt capture: block at byte .* mismatched lengths"):
        scrubber.scrub_file(corrupt, tmp_path / "out.pcapng")
    assert not (tmp_path / "out.pcapng").exists()


def _last_len(pcap: bytes) -> int:
    first = struct.unpack_from("<I", pcap, 24 + 8)[0]
    return int(struct.unpack_from("<I", pcap, 24 + 16 + first + 8)[0])


def _ws_frame(payload: bytes, key: bytes | None) -> bytes:
    """A WebSocket text frame (RFC 6455), masked when `key` is given (client to server)."""
    size = len(payload)
    length = bytes([size]) if size < 126 else b"\x7e" + size.to_bytes(2, "big")
    if key is None:
        return b"\x81" + length + payload
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return b"\x81" + bytes([length[0] | 0x80]) + length[1:] + key + masked


def _ws_unframe(stream: bytes) -> list[bytes]:
    payloads, pos = [], 0
    while pos < len(stream):
        size, at = stream[pos + 1] & 0x7F, pos + 2
        if size == 126:
            size, at = int.from_bytes(stream[at : at + 2], "big"), at + 2
        key = stream[at : at + 4] if stream[pos + 1] & 0x80 else None
        at += 4 if key else 0
        body = stream[at : at + size]
        payloads.append(bytes(b ^ key[i % 4] for i, b in enumerate(body)) if key else body)
        pos = at + size
    return payloads


def test_sip_over_websocket_is_unmasked_scrubbed_and_masked_again(tmp_path: Path) -> None:
    """A browser softphone (RFC 7118): masked client frames, the REGISTER split across
    two segments; frame headers and mask keys stay, Wireshark still finds both SIP messages."""
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    from scapy.utils import wrpcap

    register = (
        b"REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK1\r\n"
        b'From: "Jane Roe" <sip:+14155550123@example.com>;tag=1\r\nTo: <sip:+14155550123@example.com>\r\n'
        b"Call-ID: ws1\r\nCSeq: 1 REGISTER\r\nContact: <sip:x@df7jal23ls0d.invalid;transport=ws>\r\n"
        b'Authorization: Digest username="jroe.mobile", realm="example.com", nonce="abc",'
        b' uri="sip:example.com",'
        b' response="6629fae49393a05397450978507c4ef1"\r\nContent-Length: 0\r\n\r\n'
    )
    ok = (
        b"SIP/2.0 200 OK\r\n"
        b"Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK1\r\n"
        b"To: <sip:+14155550123@example.com>;tag=2\r\n"
        b'From: "Jane Roe" <sip:+14155550123@example.com>;tag=1\r\n'
        b"Call-ID: ws1\r\n"
        b"CSeq: 1 REGISTER\r\n"
        b"Content-Length: 0\r\n"
        b"\r\n"
    )
    client = (
        b"GET /ws HTTP/1.1\r\nHost: sip.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Protocol: sip\r\n\r\n"
    )
    server = (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n"
    )
    key = b"\x37\xfa\x21\x3d"
    frame = _ws_frame(register, key)
    c, s = "10.0.11.5", "198.51.100.7"
    packets = [
        Ether() / IP(src=c, dst=s) / TCP(sport=50000, dport=8443, flags="S", seq=100),
        Ether() / IP(src=s, dst=c) / TCP(sport=8443, dport=50000, flags="SA", seq=900, ack=101),
        Ether() / IP(src=c, dst=s) / TCP(sport=50000, dport=8443, flags="PA", seq=101, ack=901) / Raw(client),
        Ether()
        / IP(src=s, dst=c)
        / TCP(sport=8443, dport=50000, flags="PA", seq=901, ack=101 + len(client))
        / Raw(server),
    ]
    seq = 101 + len(client)
    for piece in (frame[:150], frame[150:]):  # "jroe.mobile" is split across the two
        packets.append(
            Ether() / IP(src=c, dst=s) / TCP(sport=50000, dport=8443, flags="PA", seq=seq) / Raw(piece)
        )
        seq += len(piece)
    reply = _ws_frame(ok, None)
    packets.append(
        Ether()
        / IP(src=s, dst=c)
        / TCP(sport=8443, dport=50000, flags="PA", seq=901 + len(server))
        / Raw(reply)
    )
    source, out = tmp_path / "ws.pcap", tmp_path / "out.pcap"
    wrpcap(str(source), packets)
    logscrub.Scrubber(key=KEY).scrub_file(source, out)

    from scapy.utils import rdpcap

    scrubbed = rdpcap(str(out))
    client_stream = b"".join(bytes(p[Raw].load) for p in scrubbed if Raw in p and p[TCP].dport == 8443)
    server_stream = b"".join(bytes(p[Raw].load) for p in scrubbed if Raw in p and p[TCP].sport == 8443)
    assert client_stream.startswith(b"GET /ws HTTP/1.1") and len(client_stream) == len(client) + len(frame)
    wire = client_stream[len(client) :]
    assert wire[:4] == frame[:4] and wire[4:8] == key  # header (126: 2-byte length) and mask key kept
    (message,) = _ws_unframe(wire)
    (answer,) = _ws_unframe(server_stream[len(server) :])
    for text in (message, answer):
        assert text.startswith((b"REGISTER sip:example.com SIP/2.0", b"SIP/2.0 200 OK"))
        for planted in (b"Jane Roe", b"+14155550123", b"jroe.mobile", b"6629fae49393a05397450978507c4ef1"):
            assert planted not in text
    if shutil.which("tshark"):
        assert len(tshark(out, "-Y", "sip")) == len(tshark(source, "-Y", "sip")) == 2
        assert tshark(out, "-Y", "_ws.malformed") == []


def test_rtp_fast_path_writes_what_the_general_path_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logscrub.capture.packets import PacketScrubber

    for name in ("relocated-call.pcap", "sll2-call.pcap"):
        fast, general = tmp_path / f"fast-{name}", tmp_path / f"general-{name}"
        logscrub.Scrubber(key=KEY).scrub_file(CAPTURES / name, fast)
        with monkeypatch.context() as patch:
            patch.setattr(PacketScrubber, "_rtp_v4", lambda self, data, buf, ip: False)
            logscrub.Scrubber(key=KEY).scrub_file(CAPTURES / name, general)
        assert fast.read_bytes() == general.read_bytes()


def _pcapng(endian: str, blocks: list[tuple[int, bytes]]) -> bytes:
    from logscrub.capture.files import Block

    shb = b"\x1a\x2b\x3c\x4d"[:: 1 if endian == ">" else -1] + struct.pack(endian + "HHq", 1, 0, -1)
    shb += write_options([(1, b"capture of customer Jane Roe +14155550123 by support")], endian)
    return Block(0x0A0D0D0A, shb, endian).encode() + b"".join(
        Block(t, body, endian).encode() for t, body in blocks
    )


def _epb(endian: str, interface: int, packet: bytes, comment: bytes | None = None) -> tuple[int, bytes]:
    body = struct.pack(endian + "IIIII", interface, 0, 1_700_000_000, len(packet), len(packet))
    body += packet + b"\x00" * (-len(packet) % 4)
    body += write_options([(1, comment)] if comment else [], endian)
    return 6, body


def test_pcapng_sections_interfaces_names_and_secrets(tmp_path: Path) -> None:
    """Two sections in opposite byte orders, interfaces of two link types, comments,
    interface names, descriptions and addresses, a name-resolution block and a TLS key
    log (decryption secrets): everything scrubbed, the key log dropped and reported."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw

    sip = (
        b"MESSAGE sip:+442079460958@example.com SIP/2.0\r\n"
        b'From: "Jane Roe" <sip:jroe.mobile@example.com>\r\n\r\n'
    )
    packet = bytes(IP(src="198.51.100.23", dst="203.0.113.77") / UDP(sport=5062, dport=5062) / Raw(sip))
    framed = bytes(Ether(src="00:1a:2b:3c:4d:5e", dst="3c:22:fb:11:22:33") / IP(packet))
    first = [
        (
            1,
            struct.pack("<HHI", 1, 0, 65535)
            + write_options(
                [
                    (2, b"wlan0"),
                    (3, b"Wi-Fi of jane.roe@example.com"),
                    (4, bytes([198, 51, 100, 23, 255, 255, 255, 0])),
                    (6, bytes.fromhex("001a2b3c4d5e")),
                ],
                "<",
            ),
        ),
        _epb("<", 0, framed, b"first packet from jane.roe@example.com"),
        (10, struct.pack("<II", 0x544C534B, 40) + b"CLIENT_RANDOM 00 11 22 33 44 55 66 77 88\n"),
        (
            4,
            struct.pack("<HH", 1, 4 + 22)
            + bytes([198, 51, 100, 23])
            + b"janes-phone.example\x00\x00\x00"
            + b"\x00" * 2  # the record padded to 32 bits
            + struct.pack("<HH", 0, 0),
        ),
    ]
    second = [(1, struct.pack(">HHI", 101, 0, 65535)), _epb(">", 0, packet)]
    source, out = tmp_path / "two.pcapng", tmp_path / "out.pcapng"
    source.write_bytes(_pcapng("<", first) + _pcapng(">", second))
    stats = logscrub.Scrubber(key=KEY).scrub_file(source, out)
    data = out.read_bytes()
    assert stats.packets == 2
    assert any("decryption secrets" in warning for warning in stats.warnings)
    for planted in (
        b"Jane Roe",
        b"+14155550123",
        b"+442079460958",
        b"jane.roe@example.com",
        b"jroe.mobile",
        b"janes-phone",
        b"CLIENT_RANDOM",
        bytes([198, 51, 100, 23]),
        bytes.fromhex("001a2b3c4d5e"),
    ):
        assert planted not in data, planted
    assert b"wlan0" in data and b"MESSAGE sip:" in data
    with out.open("rb") as src:
        kinds = [(block.type, block.endian) for block in PcapngFile(src, "out").blocks()]
    assert kinds == [(0x0A0D0D0A, "<"), (1, "<"), (6, "<"), (4, "<"), (0x0A0D0D0A, ">"), (1, ">"), (6, ">")]
    if shutil.which("tshark"):
        assert len(tshark(out, "-Y", "sip")) == 2
        assert tshark(out, "-Y", "_ws.malformed") == []


def test_compressed_http_body_is_blanked_not_passed_through(tmp_path: Path) -> None:
    """gzip'ed text cannot be searched: the body becomes zeros (same length, so TCP stays
    consistent), headers are scanned as usual, and a warning says so."""
    import gzip

    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    from scapy.utils import rdpcap, wrpcap

    body = gzip.compress(b"<account.1.password>Tr0ub4dor-Pa55</account.1.password>\n" * 20)
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\n"
        b"X-Device: +14155550123\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    response = head + body + b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
    s, c = "198.51.100.7", "10.0.11.5"
    packets = [
        Ether()
        / IP(src=s, dst=c)
        / TCP(sport=80, dport=50000, flags="PA", seq=1 + start)
        / Raw(response[start : start + 100])
        for start in range(0, len(response), 100)
    ]
    source, out = tmp_path / "gz.pcap", tmp_path / "out.pcap"
    wrpcap(str(source), packets)
    stats = logscrub.Scrubber(key=KEY).scrub_file(source, out)
    stream = b"".join(bytes(p[Raw].load) for p in rdpcap(str(out)))
    assert len(stream) == len(response)
    assert stream[len(head) : len(head) + len(body)] == bytes(len(body))
    assert b"+14155550123" not in stream and stream.startswith(b"HTTP/1.1 200 OK\r\n")
    assert stream.endswith(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
    assert any("Content-Encoding" in warning for warning in stats.warnings)
