"""Property tests: packets built with scapy around planted values, in random link types,
IP versions, VLAN tags, TCP segmentations (with retransmissions and reordering) and IP
fragments. Nothing planted survives in the reassembled output, the output still parses
with correct checksums, and every packet keeps its length and place.
"""

from __future__ import annotations

import io
import random

from hypothesis import given
from hypothesis import strategies as st
from scapy.layers.inet import IP, TCP, UDP, fragment
from scapy.layers.inet6 import IPv6, IPv6ExtHdrFragment, fragment6
from scapy.layers.l2 import CookedLinux, CookedLinuxV2, Dot1Q, Ether, Loopback
from scapy.packet import Packet, Raw
from scapy.utils import PcapReader, wrpcap

import logscrub

from .conftest import KEY

SCRUBBER = logscrub.Scrubber(key=KEY)

phones = st.builds(lambda n: f"+1415555{n:04d}", st.integers(0, 9999))
users = st.builds(
    lambda a, b: f"{a}.{b}",
    st.sampled_from(["jroe", "mhofmann", "lwei", "abaker"]),
    st.sampled_from(["mobile", "desk", "work"]),
)
names = st.sampled_from(["Jane Roe", "Oliver Quinn", "Zoé Lambert", "Harshita Rao"])
passwords = st.builds(lambda n: f"Tr0ub4dor-{n:05d}", st.integers(0, 99999))
public_v4 = st.sampled_from(["198.51.100.23", "203.0.113.77", "81.2.69.160", "10.20.30.40", "192.168.1.34"])
public_v6 = st.sampled_from(
    ["2001:db8:85a3::8a2e:370:7334", "2a00:1450:4001:81b::200e", "fe80::21a:2bff:fe3c:4d5e"]
)
# What every test plants: the values that must not survive, and the addresses around them.
PLANTED = {
    "phone": phones,
    "user": users,
    "name": names,
    "password": passwords,
    "v4": public_v4,
    "v6": public_v6,
    "ipv6": st.booleans(),
}


def _sip(phone: str, user: str, name: str, password: str, host: str) -> bytes:
    body = f"username={user}&password={password}\r\n"
    return (
        f"MESSAGE sip:{phone}@example.com SIP/2.0\r\n"
        f"Via: SIP/2.0/TCP {host}:5062;branch=z9hG4bK77\r\n"
        f'From: "{name}" <sip:{user}@example.com>;tag=9\r\n'
        f"To: <sip:{phone}@example.com>\r\n"
        f"Call-ID: 5551@{host}\r\nCSeq: 1 MESSAGE\r\n"
        f'Authorization: Digest username="{user}", realm="example.com",'
        ' response="0123456789abcdef0123456789abcdef"\r\n'
        f"Content-Type: text/plain\r\nContent-Length: {len(body.encode())}\r\n\r\n{body}"
    ).encode()


def _link(kind: str, packet: Packet) -> tuple[Packet, int]:
    if kind == "ether":
        return Ether(src="00:1a:2b:3c:4d:5e", dst="3c:22:fb:11:22:33") / packet, 1
    if kind == "vlan":
        return Ether(src="00:1a:2b:3c:4d:5e", dst="3c:22:fb:11:22:33") / Dot1Q(vlan=42) / packet, 1
    if kind == "sll":
        return CookedLinux(
            src=b"\x00\x1a\x2b\x3c\x4d\x5e\x00\x00",
            lladdrlen=6,
            proto=0x0800 if isinstance(packet, IP) else 0x86DD,
        ) / packet, 113
    if kind == "sll2":
        return CookedLinuxV2(
            src=b"\x00\x1a\x2b\x3c\x4d\x5e\x00\x00",
            lladdrlen=6,
            proto=0x0800 if isinstance(packet, IP) else 0x86DD,
        ) / packet, 276
    if kind == "null":
        return Loopback(type=2 if isinstance(packet, IP) else 30) / packet, 0
    return packet, 101  # raw IP


class _Unclosed(io.BytesIO):
    def close(self) -> None:  # wrpcap closes its file; the test still reads it
        pass


def _scrub(packets: list[Packet], linktype: int) -> list[bytes]:
    src = _Unclosed()
    wrpcap(src, packets, linktype=linktype)
    result = SCRUBBER.scrub_bytes(src.getvalue())
    assert len(result.data) == len(src.getvalue())
    return [bytes(p) for p in PcapReader(io.BytesIO(result.data))]  # type: ignore[no-untyped-call]


def _network(raw: bytes, linktype: int) -> Packet:
    if linktype == 1:
        layer = Ether(raw)
    elif linktype == 113:
        layer = CookedLinux(raw)
    elif linktype == 276:
        layer = CookedLinuxV2(raw)
    else:
        raw = raw[4:] if linktype == 0 else raw  # BSD loopback: a 4-byte address family first
        return IP(raw) if raw[0] >> 4 == 4 else IPv6(raw)
    return layer[IP] if IP in layer else layer[IPv6]


def _checksums_correct(packet: Packet) -> bool:
    """scapy recomputes deleted checksums: equal bytes after a rebuild means they were right."""
    rebuilt = packet.copy()
    if IP in rebuilt:
        del rebuilt[IP].chksum
    del rebuilt[TCP].chksum
    return bytes(rebuilt.__class__(bytes(rebuilt))) == bytes(packet)


@given(
    **PLANTED,
    link=st.sampled_from(["ether", "vlan", "sll", "sll2", "null", "raw"]),
    cuts=st.lists(st.integers(1, 400), min_size=1, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_tcp_segments_in_any_order_leak_nothing(
    phone: str,
    user: str,
    name: str,
    password: str,
    v4: str,
    v6: str,
    ipv6: bool,
    link: str,
    cuts: list[int],
    seed: int,
) -> None:
    message = _sip(phone, user, name, password, v6 if ipv6 else v4)
    points = sorted({c for c in cuts if c < len(message)})
    pieces = [message[a:b] for a, b in zip([0, *points], [*points, len(message)], strict=True)]
    rng = random.Random(seed)
    ip = (lambda: IPv6(src=v6, dst="2001:db8::5")) if ipv6 else (lambda: IP(src=v4, dst="203.0.113.9"))
    segments = []
    offset = 0
    for piece in pieces:
        segments.append(ip() / TCP(sport=40001, dport=5062, flags="PA", seq=1000 + offset) / Raw(piece))
        offset += len(piece)
    order = list(segments)
    if len(order) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]  # out of order
    if rng.random() < 0.5:
        order.append(rng.choice(segments).copy())  # a retransmission
    syn = ip() / TCP(sport=40001, dport=5062, flags="S", seq=999)
    framed = [_link(link, p) for p in [syn, *order]]
    out = _scrub([f for f, _ in framed], framed[0][1])
    assert len(out) == len(framed)
    stream: dict[int, bytes] = {}
    for raw_packet, (original, linktype) in zip(out, framed, strict=True):
        assert len(raw_packet) == len(bytes(original))
        packet = _network(raw_packet, linktype)
        assert _checksums_correct(packet)
        assert packet.src not in (v4, v6)
        if Raw in packet:
            stream.setdefault(packet[TCP].seq, bytes(packet[Raw].load))
    joined = b"".join(stream[k] for k in sorted(stream))
    assert len(joined) == len(message)
    for planted in (phone, user, name, password):
        assert planted.encode() not in joined, planted
    assert b"MESSAGE sip:" in joined and b"Content-Length:" in joined


@given(
    **PLANTED,
    size=st.sampled_from([64, 128, 256]),
    link=st.sampled_from(["ether", "vlan", "raw", "sll2"]),
)
def test_udp_fragments_leak_nothing(
    phone: str, user: str, name: str, password: str, v4: str, v6: str, ipv6: bool, size: int, link: str
) -> None:
    message = _sip(phone, user, name, password, v4).replace(b"TCP", b"UDP")
    if ipv6:
        whole = (
            IPv6(src=v6, dst="2001:db8::5")
            / IPv6ExtHdrFragment(id=7)
            / UDP(sport=5062, dport=5062)
            / Raw(message)
        )
        pieces = fragment6(whole, size + 48)
    else:
        pieces = fragment(
            IP(src=v4, dst="203.0.113.9", id=7) / UDP(sport=5062, dport=5062) / Raw(message), size
        )
    assert len(pieces) > 1
    framed = [_link(link, p) for p in pieces]
    out = _scrub([f for f, _ in framed], framed[0][1])
    layers = [_network(raw, linktype) for raw, (_, linktype) in zip(out, framed, strict=True)]
    payload = b"".join(
        bytes(p[IPv6ExtHdrFragment].payload) if ipv6 else bytes(p[IP].payload) for p in layers
    )[8:]
    assert len(payload) == len(message)
    for planted in (phone, user, name, password, v4):
        assert planted.encode() not in payload, planted
    assert b"MESSAGE sip:" in payload
    # The UDP checksum, in the first fragment, covers the whole reassembled datagram.
    if ipv6:
        rebuilt = IPv6(src=layers[0].src, dst=layers[0].dst) / UDP(sport=5062, dport=5062) / Raw(payload)
        expected = UDP(bytes(rebuilt[UDP])).chksum
        first = UDP(bytes(layers[0][IPv6ExtHdrFragment].payload)[:8])
    else:
        rebuilt = IP(src=layers[0].src, dst=layers[0].dst) / UDP(sport=5062, dport=5062) / Raw(payload)
        expected = IP(bytes(rebuilt))[UDP].chksum
        first = UDP(bytes(layers[0][IP].payload)[:8])
    assert first.chksum == expected
    for layer in layers:
        assert layer.src not in (v4, v6)
