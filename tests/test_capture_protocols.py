"""Protocol by protocol: what a capture's headers and binary payloads become.

Packets are built with scapy (an independent implementation of each protocol) and read
back with scapy after scrubbing: addresses pseudonymised alike everywhere, checksums
right, encrypted payloads untouched, STUN / RTCP / DNS / DHCP still well-formed.
"""

from __future__ import annotations

import io
import struct
import zlib

from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.dns import DNS, DNSQR, DNSRR
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPv6
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Packet, Raw
from scapy.utils import PcapReader, wrpcap

import logscrub

from .conftest import KEY

PUBLIC = "198.51.100.23"
PEER = "203.0.113.77"
MAC = "00:1a:2b:3c:4d:5e"


class _Unclosed(io.BytesIO):
    def close(self) -> None:  # wrpcap closes its file; the test still reads it
        pass


def scrub(*packets: Packet, scrubber: logscrub.Scrubber | None = None) -> list[Ether]:
    src = _Unclosed()
    wrpcap(src, list(packets), linktype=1)
    out = (scrubber or logscrub.Scrubber(key=KEY)).scrub_bytes(src.getvalue()).data
    assert len(out) == len(src.getvalue())
    return [Ether(bytes(p)) for p in PcapReader(io.BytesIO(out))]  # type: ignore[no-untyped-call]


def pseudonym(address: str) -> str:
    """What a header address becomes with the test key (from a log line: they agree)."""
    text = logscrub.Scrubber(key=KEY).scrub_text(f"addr {address}\n").text
    return text.split()[1]


def checksums_ok(packet: Packet) -> bool:
    """scapy recomputes the outer checksums: they must equal what the scrubber wrote."""
    rebuilt = packet.copy()
    for layer in (IP, UDP, TCP, ICMP):
        if layer in rebuilt:
            del rebuilt[layer].chksum
    return bytes(Ether(bytes(rebuilt))) == bytes(packet)


def test_header_addresses_match_text_pseudonyms_and_checksums_hold() -> None:
    (out,) = scrub(
        Ether(src=MAC, dst="3c:22:fb:11:22:33") / IP(src=PUBLIC, dst=PEER) / UDP(sport=1, dport=2) / b"x"
    )
    assert out[IP].src == pseudonym(PUBLIC) != PUBLIC
    assert out[IP].dst == pseudonym(PEER)
    assert out.src != MAC and out.src.startswith("00:1a:2b")
    assert checksums_ok(out)


def test_special_addresses_stay() -> None:
    (out,) = scrub(
        Ether(src=MAC, dst="ff:ff:ff:ff:ff:ff") / IP(src="127.0.0.1", dst="255.255.255.255") / UDP() / b"x"
    )
    assert (out[IP].src, out[IP].dst, out.dst) == ("127.0.0.1", "255.255.255.255", "ff:ff:ff:ff:ff:ff")
    (multicast,) = scrub(Ether(dst="01:00:5e:00:00:fb") / IP(src=PUBLIC, dst="224.0.0.251") / UDP() / b"x")
    assert (multicast[IP].dst, multicast.dst) == ("224.0.0.251", "01:00:5e:00:00:fb")


def test_arp_and_icmp_errors_quote_the_same_pseudonyms() -> None:
    arp = Ether(src=MAC) / ARP(op=2, hwsrc=MAC, psrc=PUBLIC, hwdst="3c:22:fb:11:22:33", pdst="192.168.1.34")
    inner = IP(src=PUBLIC, dst=PEER) / UDP(sport=5060, dport=5060) / b"INVITE sip:x"
    icmp = Ether() / IP(src=PEER, dst=PUBLIC) / ICMP(type=3, code=3) / bytes(inner)[:28]
    out_arp, out_icmp = scrub(arp, icmp)
    assert out_arp[ARP].psrc == pseudonym(PUBLIC) and out_arp[ARP].pdst == pseudonym("192.168.1.34")
    assert out_arp[ARP].hwsrc == out_arp.src != MAC
    quoted = IP(bytes(out_icmp[ICMP].payload))
    assert (quoted.src, quoted.dst) == (pseudonym(PUBLIC), pseudonym(PEER))
    assert checksums_ok(out_icmp)
    original_quote = IP(bytes(inner)[:28])
    del original_quote.chksum
    assert IP(bytes(IP(quoted.build()))).chksum == quoted.chksum  # the quoted header's checksum too


def test_icmpv6_neighbour_solicitation() -> None:
    packet = (
        Ether(src=MAC)
        / IPv6(src="fe80::21a:2bff:fe3c:4d5e", dst="ff02::1:ff3c:4d5e")
        / ICMPv6ND_NS(tgt="2001:db8:85a3::8a2e:370:7334")
        / ICMPv6NDOptSrcLLAddr(lladdr=MAC)
    )
    (out,) = scrub(packet)
    assert out[IPv6].src != "fe80::21a:2bff:fe3c:4d5e" and out[IPv6].dst == "ff02::1:ff3c:4d5e"
    assert out[ICMPv6ND_NS].tgt != "2001:db8:85a3::8a2e:370:7334"
    assert out[ICMPv6NDOptSrcLLAddr].lladdr == out.src != MAC
    rebuilt = out.copy()
    del rebuilt[ICMPv6ND_NS].cksum
    assert Ether(bytes(rebuilt))[ICMPv6ND_NS].cksum == out[ICMPv6ND_NS].cksum


def _stun(transaction: bytes, attributes: list[tuple[int, bytes]]) -> bytes:
    body = b"".join(struct.pack("!HH", t, len(v)) + v + b"\x00" * (-len(v) % 4) for t, v in attributes)
    header = struct.pack("!HHI", 0x0101, len(body) + 8, 0x2112A442) + transaction
    body += struct.pack("!HH", 0x8028, 4) + struct.pack("!I", zlib.crc32(header + body) ^ 0x5354554E)
    return header + body


def test_stun_addresses_username_and_integrity() -> None:
    transaction = bytes(range(12))
    cookie = struct.pack("!I", 0x2112A442)
    public = bytes(int(x) for x in PUBLIC.split("."))
    xored = bytes(a ^ b for a, b in zip(public, cookie, strict=True))
    port = struct.pack("!H", 40000 ^ 0x2112)
    message = _stun(
        transaction,
        [
            (0x0020, b"\x00\x01" + port + xored),  # XOR-MAPPED-ADDRESS
            (0x0006, b"jroe.mobile:Ab12"),  # USERNAME
            (0x0008, bytes(range(20))),  # MESSAGE-INTEGRITY
        ],
    )
    (out,) = scrub(Ether() / IP(src=PEER, dst=PUBLIC) / UDP(sport=3478, dport=40000) / message)
    payload = bytes(out[UDP].payload)
    mapped = bytes(a ^ b for a, b in zip(payload[28:32], cookie, strict=True))
    assert ".".join(map(str, mapped)) == pseudonym(PUBLIC) == out[IP].dst
    assert payload[26:28] == port  # the port stays
    assert b"jroe.mobile" not in payload
    assert payload[56:76] == bytes(20)  # integrity zeroed
    (crc,) = struct.unpack("!I", payload[-4:])
    assert crc == zlib.crc32(payload[:-8]) ^ 0x5354554E  # fingerprint valid again
    assert checksums_ok(out)


def test_rtcp_sdes_items_get_pseudonyms_and_rtp_is_blanked() -> None:
    items = b"\x01\x14jane.roe@10.0.11.5xx" + b"\x02\x08Jane Roe" + b"\x06\x05Acme1" + b"\x00"
    chunk = struct.pack("!I", 0x1234) + items + b"\x00" * (-(4 + len(items)) % 4)
    sdes = struct.pack("!BBH", 0x81, 202, len(chunk) // 4) + chunk
    rtp = struct.pack("!BBHII", 0x80, 0, 7, 160, 0x1234) + bytes(range(160))
    out_rtcp, out_rtp = scrub(
        Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=40001, dport=30001) / sdes,
        Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=40000, dport=30000) / rtp,
    )
    rtcp = bytes(out_rtcp[UDP].payload)
    assert len(rtcp) == len(sdes) and rtcp[:8] == sdes[:8]
    assert b"jane.roe" not in rtcp and b"Jane Roe" not in rtcp and b"Acme1" in rtcp
    media = bytes(out_rtp[UDP].payload)
    assert media[:12] == rtp[:12] and media[12:] == b"\xff" * 160  # PCMU silence
    assert checksums_ok(out_rtcp) and checksums_ok(out_rtp)


def test_keep_media_and_encrypted_payloads_stay() -> None:
    rtp = struct.pack("!BBHII", 0x80, 8, 7, 160, 0x1234) + bytes(range(160))
    dtls = b"\x16\xfe\xfd" + bytes(10) + b"\x00\x10" + bytes(range(16))
    tls = b"\x16\x03\x01\x00\x20" + b"jroe.mobile +14155550123 " + bytes(7)
    scrubber = logscrub.Scrubber(logscrub.Policy(key=KEY, keep_media=True))
    out_rtp, out_dtls, out_tls = scrub(
        Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=40000, dport=30000) / rtp,
        Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=40002, dport=30002) / dtls,
        Ether() / IP(src=PUBLIC, dst=PEER) / TCP(sport=50000, dport=443, flags="PA", seq=1) / tls,
        scrubber=scrubber,
    )
    assert bytes(out_rtp[UDP].payload) == rtp
    assert bytes(out_dtls[UDP].payload) == dtls
    assert bytes(out_tls[TCP].payload) == tls  # TLS records: kept as they are
    assert all(checksums_ok(p) for p in (out_rtp, out_dtls, out_tls))


def test_srtp_announced_by_sdp_is_kept_and_plain_rtp_blanked() -> None:
    sdp = (
        "v=0\r\no=- 1 1 IN IP4 198.51.100.23\r\ns=-\r\nc=IN IP4 198.51.100.23\r\nt=0 0\r\n"
        "m=audio 41000 RTP/SAVP 0\r\n"
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n"
    )
    invite = (
        "INVITE sip:bob@example.com SIP/2.0\r\nContent-Type: application/sdp\r\n"
        f"Content-Length: {len(sdp)}\r\n\r\n{sdp}"
    )
    srtp = struct.pack("!BBHII", 0x80, 0, 7, 160, 0x99) + bytes(range(170))
    out_invite, out_srtp = scrub(
        Ether() / IP(src=PUBLIC, dst=PEER) / UDP(sport=5060, dport=5060) / invite.encode(),
        Ether() / IP(src=PEER, dst=PUBLIC) / UDP(sport=30000, dport=41000) / srtp,
    )
    assert b"PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR" not in bytes(out_invite)  # the SRTP key
    assert bytes(out_srtp[UDP].payload) == srtp


def test_dns_answers_and_dhcp_leases() -> None:
    dns = DNS(id=1, qr=1, qd=DNSQR(qname="sip.example.com"), an=DNSRR(rrname="sip.example.com", rdata=PUBLIC))
    dhcp = BOOTP(
        op=2, yiaddr="192.168.1.34", siaddr="192.168.1.1", chaddr=bytes.fromhex("001a2b3c4d5e") + bytes(10)
    ) / DHCP(
        options=[
            ("message-type", "ack"),
            ("hostname", b"Janes-iPhone"),
            ("client_id", b"\x01" + bytes.fromhex("001a2b3c4d5e")),
            ("router", "192.168.1.1"),
            "end",
        ]
    )
    out_dns, out_dhcp = scrub(
        Ether() / IP(src="192.168.1.1", dst="192.168.1.34") / UDP(sport=53, dport=40000) / dns,
        Ether() / IP(src="192.168.1.1", dst="255.255.255.255") / UDP(sport=67, dport=68) / dhcp,
    )
    answer = out_dns[DNS].an
    assert out_dns[DNS].qd.qname == b"sip.example.com." and answer.rdata == pseudonym(PUBLIC)
    lease = out_dhcp[BOOTP]
    assert lease.yiaddr == pseudonym("192.168.1.34") == out_dns[IP].dst
    assert lease.chaddr[:6] != bytes.fromhex("001a2b3c4d5e") and lease.chaddr[:3] == bytes.fromhex("001a2b")
    options = dict(o for o in out_dhcp[DHCP].options if isinstance(o, tuple))
    assert b"Janes-iPhone" not in bytes(out_dhcp) and len(options["hostname"]) == len(b"Janes-iPhone")
    assert options["client_id"][1:] == lease.chaddr[:6]
    assert checksums_ok(out_dns) and checksums_ok(out_dhcp)


def test_unknown_payloads_are_scanned_as_text() -> None:
    """An EtherType and an IP protocol this code does not parse: scanned, not passed through."""
    text = b"call from +14155550123 to jane.roe@example.com"
    sctp, other = scrub(
        Ether() / IP(src=PUBLIC, dst=PEER, proto=132) / Raw(bytes(12) + text),
        Ether(type=0x88B5) / Raw(text),
    )
    for packet in (sctp, other):
        assert b"+14155550123" not in bytes(packet) and b"jane.roe@example.com" not in bytes(packet)
