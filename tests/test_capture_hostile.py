"""Hostile and malformed captures: nothing copied unexamined, every fault told, no crash.

Packets are built with scapy. ICMP errors quote the datagram that caused them (a whole
SIP request, on Linux); bytes beyond the lengths the headers claim (Ethernet padding,
trailers, lying lengths) are scanned; each kind of fault is one warning line naming its
first packet; a capture cut short is refused unless salvaged.
"""

from __future__ import annotations

import io
import random
import signal
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from scapy.layers.inet import ICMP, IP, TCP, UDP, in4_chksum
from scapy.layers.inet6 import ICMPv6DestUnreach, IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Packet
from scapy.utils import PcapReader

import logscrub
from logscrub.capture.scrub import scrub_capture
from logscrub.cli import main
from logscrub.errors import InputError
from logscrub.model import Stats

from .conftest import KEY, REPO
from .test_capture_protocols import checksums_ok

PUBLIC = "198.51.100.23"
PEER = "203.0.113.77"
PUBLIC6 = "2001:db8:85a3::8a2e:370:7334"
PEER6 = "2001:db8:1::77"
NUMBER = b"+14155550123"
NAME = b"Jane Roe"
EMAIL = b"jane.roe@example.com"
PLANTED = (NUMBER, NAME, EMAIL, PUBLIC.encode())
REGISTER = (
    b"REGISTER sip:example.com SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP " + PUBLIC.encode() + b":5060;branch=z9hG4bK776asdhds\r\n"
    b'From: "Jane Roe" <sip:' + NUMBER + b"@example.com>;tag=1928301774\r\n"
    b"To: <sip:" + NUMBER + b"@example.com>\r\n"
    b"Contact: <sip:" + EMAIL + b";transport=udp>\r\n"
    b"Call-ID: a84b4c76e66710\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n"
)


def pcap(*packets: Packet | bytes, snaplen: int = 65535, cut: int | None = None) -> bytes:
    """A little-endian Ethernet pcap of `packets`; `cut`: each cut to that many bytes, as the
    snap length does (the original length stays)."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1)]
    for number, packet in enumerate(packets):
        frame = bytes(packet)
        kept = frame[:cut] if cut is not None else frame
        out.append(struct.pack("<IIII", 1700000000 + number, 0, len(kept), len(frame)) + kept)
    return b"".join(out)


def scrub(data: bytes) -> tuple[bytes, Stats]:
    result = logscrub.Scrubber(key=KEY).scrub_bytes(data)
    assert len(result.data) == len(data)  # every packet keeps its length
    return result.data, result.stats


def frames(data: bytes) -> list[Ether]:
    return [Ether(bytes(p)) for p in PcapReader(io.BytesIO(data))]  # type: ignore[no-untyped-call]


def assert_nothing_planted(out: bytes, original: bytes, planted: tuple[bytes, ...] = PLANTED) -> None:
    for value in planted:
        assert value in original, f"test setup: {value!r} not planted"
        assert value not in out, f"{value!r} survived"


def warnings_for(stats: Stats, packet: int) -> list[str]:
    return [w for w in stats.warnings if f"malformed packet {packet}:" in w]


# -- ICMP errors quote the datagram that caused them --------------------------------------


def test_icmp_port_unreachable_quoting_a_sip_register_leaks_nothing() -> None:
    register = IP(src=PUBLIC, dst=PEER) / UDP(sport=5060, dport=5060) / REGISTER
    quote = bytes(register)[:548]  # Linux quotes up to 576 bytes of IP packet in all
    error = Ether() / IP(src=PEER, dst=PUBLIC) / ICMP(type=3, code=3) / quote
    data = pcap(Ether() / register, error)
    out, stats = scrub(data)
    assert_nothing_planted(out, data, (*PLANTED, bytes(IP(dst=PUBLIC))[16:20]))
    sent, icmp = frames(out)
    assert len(frames(out)) == 2 and len(bytes(icmp)) == len(bytes(error))
    assert checksums_ok(icmp)
    quoted = IP(bytes(icmp)[14 + 20 + 8 :])  # (scapy's ICMP takes RFC 4884's 128 bytes only)
    assert (quoted.src, quoted.dst) == (sent[IP].src, sent[IP].dst)  # the same pseudonyms
    # the quoted SIP text got what the same text got in the packet itself
    assert bytes(quoted[UDP].payload) == bytes(sent[UDP].payload)
    assert not stats.warnings


def test_icmpv6_error_quoting_a_sip_register_leaks_nothing() -> None:
    register = IPv6(src=PUBLIC6, dst=PEER6) / UDP(sport=5060, dport=5060) / REGISTER
    error = Ether() / IPv6(src=PEER6, dst=PUBLIC6) / ICMPv6DestUnreach(code=4) / bytes(register)[:1232]
    data = pcap(error)
    out, _ = scrub(data)
    assert_nothing_planted(out, data)
    (icmp,) = frames(out)
    rebuilt = icmp.copy()
    del rebuilt[ICMPv6DestUnreach].cksum
    assert Ether(bytes(rebuilt))[ICMPv6DestUnreach].cksum == icmp[ICMPv6DestUnreach].cksum


def test_quoted_tcp_payload_is_scanned() -> None:
    segment = IP(src=PUBLIC, dst=PEER) / TCP(sport=40000, dport=5060, flags="PA") / REGISTER
    data = pcap(Ether() / IP(src=PEER, dst=PUBLIC) / ICMP(type=3, code=1) / bytes(segment)[:400])
    out, _ = scrub(data)
    assert_nothing_planted(out, data, (NUMBER, NAME, EMAIL))
    assert checksums_ok(frames(out)[0])


def nested(depth: int) -> Packet:
    """An ICMP error quoting an ICMP error ... `depth` deep, the innermost quoting a REGISTER."""
    packet: Packet = IP(src=PUBLIC, dst=PEER) / UDP(sport=5060, dport=5060) / REGISTER
    for _ in range(depth):
        packet = IP(src=PEER, dst=PUBLIC) / ICMP(type=3, code=3) / bytes(packet)
    return Ether() / packet


@pytest.mark.parametrize("depth", [2, 3, 7])
def test_nested_quotes_leak_nothing_and_checksums_hold(depth: int) -> None:
    data = pcap(nested(depth))
    out, stats = scrub(data)
    assert_nothing_planted(out, data)
    assert checksums_ok(frames(out)[0])
    too_deep = [w for w in stats.warnings if "deep" in w]
    assert bool(too_deep) == (depth > 4) and all("malformed packet 1:" in w for w in too_deep)


def test_echo_data_is_scanned() -> None:
    data = pcap(Ether() / IP(src=PUBLIC, dst=PEER) / ICMP(type=8) / (b"call " + NUMBER + b" " + EMAIL))
    out, _ = scrub(data)
    assert_nothing_planted(out, data, (NUMBER, EMAIL))
    assert checksums_ok(frames(out)[0])


# -- bytes outside the parsed lengths -------------------------------------------------------


def test_trailer_after_the_ip_packet_is_scanned_and_told() -> None:
    udp = Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=1000, dport=2000) / b"hello"
    trailer = b"\r\nFrom: " + NAME + b" <sip:" + NUMBER + b"@example.com>\r\n"
    data = pcap(Ether() / IP(src=PUBLIC, dst=PEER) / UDP() / b"fine", bytes(udp) + trailer)
    out, stats = scrub(data)
    assert_nothing_planted(out, data, (NUMBER,))
    (warning,) = warnings_for(stats, 2)
    assert "IPv4 total length" in warning and f"{len(trailer)} bytes after it" in warning
    assert checksums_ok(frames(out)[1])


def test_zero_padding_is_kept_and_not_told() -> None:
    """A 42-byte frame padded to Ethernet's 60: normal, no warning, padding unchanged."""
    small = bytes(Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=1, dport=2)) + bytes(18)
    out, stats = scrub(pcap(small))
    assert not stats.warnings
    assert bytes(frames(out)[0])[-18:] == bytes(18)


def udp_with_length(payload: bytes, length: int) -> bytes:
    """An Ethernet / IPv4 / UDP frame whose UDP length is `length`, its checksum right over
    the first `length` bytes (as RFC 768 and Wireshark count it)."""
    ip = IP(src=PUBLIC, dst=PEER, proto=17, len=20 + 8 + len(payload))
    header = struct.pack("!HHHH", 5060, 5060, length, 0)
    value = in4_chksum(17, IP(bytes(ip)), (header + payload)[:length])
    return bytes(Ether() / ip) + struct.pack("!HHHH", 5060, 5060, length, value) + payload


def udp_checksum_ok(frame: bytes) -> bool:
    packet = Ether(frame)
    udp = bytes(packet[IP].payload)
    length = struct.unpack_from("!H", udp, 4)[0]
    return bool(in4_chksum(17, packet[IP], udp[:length]) == 0)


def test_lying_udp_length_hides_nothing() -> None:
    payload = b'MESSAGE sip:x SIP/2.0\r\nFrom: "Jane Roe" <sip:' + NUMBER + b"@example.com>\r\n\r\n"
    split = payload.index(NUMBER) + 5  # the UDP length ends inside the number
    data = pcap(udp_with_length(payload, 8 + split))
    out, stats = scrub(data)
    assert_nothing_planted(out, data, (NUMBER, NUMBER[5:], NAME))
    assert udp_checksum_ok(bytes(frames(out)[0]))
    (warning,) = warnings_for(stats, 1)
    assert f"UDP length {8 + split} below" in warning


# -- every malformed case is told, naming its packet -----------------------------------------


def _ip_header_length_12() -> bytes:
    frame = bytearray(bytes(Ether() / IP(src=PUBLIC, dst=PEER) / UDP() / (b"x " + NUMBER)))
    frame[14] = 0x43
    return bytes(frame)


def _tcp_data_offset_beyond() -> bytes:
    frame = bytearray(bytes(Ether() / IP(src=PUBLIC, dst=PEER) / TCP(sport=1, dport=2) / (b"x " + NUMBER)))
    frame[14 + 20 + 12] = 0xF0
    return bytes(frame)


def _ipv4_options_lying() -> bytes:
    """A header length of 36: 16 bytes of "options" that are the payload's text."""
    frame = bytearray(bytes(Ether() / IP(src=PUBLIC, dst=PEER, proto=200) / (b"x " + NUMBER + b" yy")))
    frame[14] = 0x49
    return bytes(frame)


def _quote_of_no_ip() -> bytes:
    return bytes(Ether() / IP(src=PEER, dst=PUBLIC) / ICMP(type=3, code=3) / (b"\x20 call " + NUMBER))


MALFORMED: dict[str, tuple[bytes, str]] = {
    "ip header length": (_ip_header_length_12(), "IPv4 header length 12"),
    "ip total length": (
        bytes(Ether() / IP(src=PUBLIC, dst=PEER, len=400) / UDP() / b"x"),
        "IPv4 total length",
    ),
    "udp length above": (udp_with_length(b"x" * 20, 300), "UDP length 300 above"),
    "udp length below": (udp_with_length(b"call " + NUMBER, 10), "UDP length 10 below"),
    "ipv6 payload length": (
        bytes(Ether() / IPv6(src=PUBLIC6, dst=PEER6, plen=500) / UDP() / b"x"),
        "IPv6 payload length",
    ),
    "tcp header length": (_tcp_data_offset_beyond(), "TCP header length 60"),
    "ipv4 options": (_ipv4_options_lying(), "IPv4 options"),
    "quote of no ip": (_quote_of_no_ip(), "quotes IP version 2"),
    "short frame": (b"\x00" * 10, "too short for a Ethernet header"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_each_malformed_case_is_told_with_its_packet(case: str) -> None:
    frame, expected = MALFORMED[case]
    good = Ether() / IP(src=PUBLIC, dst=PEER) / UDP() / b"fine"
    data = pcap(good, frame, good)
    out, stats = scrub(data)
    (warning,) = warnings_for(stats, 2)
    assert expected in warning and "\n" not in warning
    assert len(stats.warnings) == 1
    if NUMBER in frame:
        assert NUMBER not in out


def test_captured_length_above_the_snap_length_is_told() -> None:
    good = Ether() / IP(src=PUBLIC, dst=PEER) / UDP() / b"fine"
    _, stats = scrub(pcap(good, Ether() / IP(src=PUBLIC, dst=PEER) / UDP() / (b"x" * 200), snaplen=128))
    (warning,) = warnings_for(stats, 2)
    assert "captured length 242 above the snap length 128" in warning


def test_a_fault_in_many_packets_is_one_line_with_a_count() -> None:
    frame, _ = MALFORMED["udp length above"]
    good = Ether() / IP(src=PUBLIC, dst=PEER) / UDP() / b"fine"
    _, stats = scrub(pcap(good, good, *[frame] * 300))
    assert stats.warnings == [
        "<bytes>: malformed packet 3: UDP length 300 above the 28 bytes of IP payload"
        " (and 299 more packets like it)"
    ]


def test_cut_by_the_snap_length_is_no_fault() -> None:
    """Headers claim more than was captured, rightly: no warning, values still scrubbed."""
    packet = Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=5060, dport=5060) / REGISTER
    raw = pcap(packet, snaplen=200, cut=200)
    out, stats = scrub(raw)
    assert not stats.warnings
    assert NUMBER not in out and NUMBER in raw


# -- salvage mode ---------------------------------------------------------------------------


def salvage_scrub(data: bytes, fmt: str, salvage: bool) -> tuple[bytes, Stats]:
    scrubber = logscrub.Scrubber(key=KEY)
    dst = io.BytesIO()
    stats = Stats()
    scrub_capture(
        scrubber.capture_engine, io.BytesIO(data), dst, stats, "cut.pcap", False, fmt, salvage=salvage
    )
    return dst.getvalue(), stats


def three_packets() -> list[Packet]:
    return [
        Ether()
        / IP(src=PUBLIC, dst=PEER)
        / UDP(sport=5060, dport=5060)
        / REGISTER.replace(b"1 REG", b"%d REG" % i)
        for i in (1, 2, 3)
    ]


def test_cut_short_pcap_is_refused_by_default_and_salvaged_on_request() -> None:
    data = pcap(*three_packets())[:-30]
    with pytest.raises(InputError, match="packet 3 is cut short"):
        logscrub.Scrubber(key=KEY).scrub_bytes(data)
    with pytest.raises(InputError, match="packet 3 is cut short"):
        salvage_scrub(data, "pcap", salvage=False)
    out, stats = salvage_scrub(data, "pcap", salvage=True)
    kept = frames(out)
    assert len(kept) == 2 and [p[UDP].load.count(b"CSeq: %d REG" % i) for i, p in enumerate(kept, 1)] == [
        1,
        1,
    ]
    assert_nothing_planted(out, data)
    (warning,) = stats.warnings
    assert (
        "packet 3 is cut short" in warning
        and "1 packet dropped" in warning
        and "2 packet(s) before" in warning
    )


def test_cut_short_pcapng_is_salvaged_on_request() -> None:
    sample = (REPO / "samples" / "captures" / "comments.pcapng").read_bytes()
    with pytest.raises(InputError, match="cut short"):
        salvage_scrub(sample[:-10], "pcapng", salvage=False)
    out, stats = salvage_scrub(sample[:-10], "pcapng", salvage=True)
    full, _ = salvage_scrub(sample, "pcapng", salvage=False)
    assert out and full.startswith(out[:200]) and len(out) < len(full)
    (warning,) = stats.warnings
    assert "salvaged: 1 " in warning and "dropped" in warning


# -- no crash: regressions the fuzzing below found, then the fuzzing itself --------------------


@pytest.fixture
def no_hang() -> Iterator[None]:
    """A hang becomes a failure (an endless loop must not pass by timing out CI)."""

    def fail(*_: object) -> None:
        raise TimeoutError("the scrubber did not finish")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_an_out_of_order_segment_retransmitted_before_the_gap_fills(no_hang: None) -> None:
    """Two copies of a segment after a gap that never fills: both are written, no endless wait."""
    flow = IP(src=PUBLIC, dst=PEER) / TCP(sport=40000, dport=5060, flags="PA")
    first = Ether() / flow / REGISTER[:40]
    later = flow.copy()
    later[TCP].seq = 1000  # a gap of several hundred bytes that never arrives
    copy = Ether() / later / (b"From: " + NUMBER + b"\r\n")
    data = pcap(first, copy, copy)
    out, _ = scrub(data)
    assert len(frames(out)) == 3 and NUMBER not in out


def test_a_tiny_payload_on_an_announced_media_port() -> None:
    sdp = b"v=0\r\nc=IN IP4 " + PEER.encode() + b"\r\nm=audio 4000 RTP/AVP 0\r\n"
    data = pcap(
        Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=5060, dport=5060) / sdp,
        Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=4002, dport=4000) / b"\x80",
    )
    out, _ = scrub(data)
    assert len(frames(out)) == 2


def mutated_records(data: bytes, rng: random.Random) -> bytes:
    """`data` (a classic little-endian pcap) with bytes of some packets flipped, inserted or
    deleted, each record's captured length following its data (the fuzzing that found the
    regressions above, seeded)."""
    out = bytearray(data[:24])
    pos = 24
    while pos + 16 <= len(data):
        header = data[pos : pos + 16]
        caplen = struct.unpack_from("<I", header, 8)[0]
        packet = bytearray(data[pos + 16 : pos + 16 + caplen])
        pos += 16 + caplen
        if rng.random() < 0.4 and packet:
            for _ in range(rng.randint(1, 6)):
                at = rng.randrange(len(packet))
                choice = rng.random()
                if choice < 0.6:
                    packet[at] = rng.randrange(256)
                elif choice < 0.8:
                    packet[at:at] = rng.randbytes(rng.randint(1, 16))
                else:
                    del packet[at : at + rng.randint(1, 16)]
        out += header[:8] + struct.pack("<II", len(packet), len(packet)) + packet
    return bytes(out)


@pytest.mark.parametrize("name", ["tcp-call.pcap", "register-digest.pcap", "http-provisioning.pcap"])
def test_mutated_captures_end_scrubbed_or_as_input_errors(name: str, no_hang: None) -> None:
    sample = (REPO / "samples" / "captures" / name).read_bytes()
    scrubber = logscrub.Scrubber(key=KEY)
    rng = random.Random(name)
    for _ in range(8):
        data = mutated_records(sample, rng)
        try:
            result = scrubber.scrub_bytes(data)
        except InputError:
            continue
        assert len(result.data) == len(data)


def test_salvage_from_the_command_line_and_the_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "cut.pcap"
    src.write_bytes(pcap(*three_packets())[:-30])
    out = tmp_path / "out.pcap"
    assert main(["scrub", "-q", str(src), "-o", str(out)]) == 2
    assert not out.exists() and "packet 3 is cut short" in capsys.readouterr().err
    assert main(["scrub", str(src), "-o", str(out), "--salvage"]) == 0
    assert "1 packet dropped" in capsys.readouterr().err
    assert len(frames(out.read_bytes())) == 2
    policy = tmp_path / "policy.yaml"
    policy.write_text("salvage_captures: true\n")
    assert main(["check", str(src), "--policy", str(policy)]) == 1  # checked, findings in it


def test_a_decorated_value_in_a_payload_keeps_the_payload_length() -> None:
    """An escape inside a value (`\\x1bG` among undecodable bytes) is seen through; the
    replacement still fits the bytes it replaces (found by fuzzing)."""
    line = (
        b'From: "Jane Roe" <sip:+14155\xc5U\x7f\x1bG\xad^\xf8\xe7550123@127.0.0.1:25573;user=phone>'
        b";tag=30371jr1\r\n"
    )
    out, _ = scrub(pcap(Ether() / IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=5060, dport=5060) / line))
    assert b"Jane Roe" not in out
