"""One packet at a time: link layer, IP, transport, application payload, checksums.

Only the few header fields that matter are parsed, with struct, in place in a copy of
the packet (a full dissection per packet would be far too slow for the RTP that makes
up most of a call capture). Whatever this code does not understand (an unknown link
type or EtherType, a transport other than UDP/TCP/ICMP) is scanned as text, never passed
through unexamined; encrypted payloads (TLS, DTLS, SRTP, ESP) are kept as they are.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from ..engine import Engine
from ..learned import LearnedValues
from ..model import Entity, Stats
from . import checksum, media, services, stun
from .addresses import AddressMapper
from .anomalies import Anomalies
from .checksum import ones_sum
from .fragments import Fragments
from .tcp import MAX_FUTURE, Direction, Slot
from .text import TextBatch, TextScanner, check_length

# Link types (https://www.tcpdump.org/linktypes.html)
NULL, EN10MB, RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 = 0, 1, 101, 108, 113, 228, 229, 276
RAW_ALIASES = frozenset({12, 14})  # DLT_RAW on OpenBSD / older BSDs
_VLAN = frozenset({0x8100, 0x88A8, 0x9100})
_BSD_INET6 = frozenset({24, 28, 30})
_ICMP4_ERRORS = frozenset({3, 4, 5, 11, 12})
_ICMP6_ERRORS = frozenset({1, 2, 3, 4})
_IPV6_EXTENSIONS = frozenset({0, 43, 60})
_ND = frozenset({133, 134, 135, 136, 137})  # router / neighbour solicitation, advertisement, redirect
_MLD = frozenset({130, 131, 132, 143})
# ICMP errors do not quote ICMP errors (RFC 1122), so nesting is rare and hostile: bounded.
_MAX_QUOTE_DEPTH = 4
_TCP_FIN_RST = 0x05
_TCP_SYN = 0x02
_MAX_DIRECTIONS = 1 << 14

PacketObserver = Callable[[int, Entity, str, str], None]
_U16 = struct.Struct("!H")
_UDP = struct.Struct("!HHHH")
_TCP = struct.Struct("!HHII")


class _Layer:
    """What an IP header tells its transport layer."""

    __slots__ = ("addresses", "clipped", "depth", "new_sum", "old_sum")

    def __init__(self, addresses: bytes, old_sum: int, new_sum: int, depth: int, clipped: bool) -> None:
        self.addresses = addresses  # the original source and destination, concatenated
        # ones_sum of the addresses before and after pseudonymisation: the pseudo-header's
        # share of a transport checksum
        self.old_sum = old_sum
        self.new_sum = new_sum
        self.depth = depth  # 0: the packet itself; n: quoted n deep in ICMP errors
        self.clipped = clipped  # the IP length runs past the captured bytes


def options_parse(data: bytes, start: int, stop: int) -> bool:
    """Whether data[start:stop] is a well-formed IPv4 or TCP option list (the same
    kind-length shape): a lying header length would otherwise hide a payload in it."""
    pos = start
    while pos < stop:
        kind = data[pos]
        if kind == 0:  # end of the list: only padding may follow
            return not data[pos + 1 : stop].strip(b"\x00")
        if kind == 1:  # no-operation
            pos += 1
            continue
        if pos + 1 >= stop or data[pos + 1] < 2 or pos + data[pos + 1] > stop:
            return False
        pos += data[pos + 1]
    return True


class PacketScrubber:
    """Rewrites packets into Slots; TCP and fragmented packets may complete later."""

    def __init__(
        self,
        engine: Engine,
        stats: Stats,
        keep_media: bool = False,
        on_finding: PacketObserver | None = None,
        learned: LearnedValues | None = None,
        learning: bool = False,
    ) -> None:
        """`on_finding`: told (packet number, entity, rule id, value) of each replacement,
        header addresses included (once per address); text is then scanned packet by
        packet, so each finding is told with the packet it is in (check mode)."""
        self.stats = stats
        self.keep_media = keep_media
        # A learning pass (run.py): only what the payloads teach matters; media, which
        # teaches nothing, is recognised and left as it is.
        self.learning = learning
        self.number = 0  # the packet being read (1-based), kept up to date by the reader
        # Whether it was cut by the snap length (captured < original length), also kept up
        # to date by the reader: its headers then claim more than was captured, rightly.
        self.cut_short = False
        self.anomalies = Anomalies()
        observer = None
        if on_finding is not None:

            def observer(entity: Entity, rule_id: str, value: str) -> None:
                on_finding(self.number, entity, rule_id, value)

            engine = engine.observed(observer)
        self.addresses = AddressMapper(
            engine.replacer,
            engine.operator_for(Entity.IP_ADDRESS, ""),
            engine.operator_for(Entity.MAC_ADDRESS, ""),
            observer,
        )
        self.text = TextScanner(engine, stats, learned)

        def field(entity: Entity, rule_id: str, value: bytes) -> bytes:
            return engine.replace_field(entity, rule_id, value, stats)

        self.field = field
        self.batch = TextBatch(self.text, count=1 if on_finding is not None else 64)
        self.media = media.MediaPorts()
        self.directions: dict[tuple[bytes, int, bytes, int], Direction] = {}
        self.fragments = Fragments(self._datagram, self.text.datagram)
        self.unknown_links: set[int] = set()
        # addresses + ports of RTP flows SDP announced -> their mapped address pair
        self._media_flows: dict[bytes, tuple[bytes, int, int]] = {}

    # -- link layer ---------------------------------------------------------------------

    def packet(self, linktype: int, data: bytes, slot: Slot) -> None:
        """Rewrite `data` (the captured bytes of one packet) into `slot.buf`."""
        fast = self.fast_path(linktype)
        if fast is None or not fast(data, slot.buf):
            self.general(linktype, data, slot)

    def general(self, linktype: int, data: bytes, slot: Slot) -> None:
        """`packet` without the RTP fast path (for callers that tried it already)."""
        buf = slot.buf
        size = len(data)
        if linktype == EN10MB:
            if size < 14:
                return self._short_link(data, slot, "Ethernet")
            buf[0:12] = self.addresses.mac_pair(data[0:12])
            offset = 12
            (ethertype,) = _U16.unpack_from(data, 12)
            while ethertype in _VLAN and size >= offset + 6:
                offset += 4
                (ethertype,) = _U16.unpack_from(data, offset)
            return self._network(ethertype, data, slot, offset + 2)
        if linktype in (LINUX_SLL, LINUX_SLL2):
            header = 16 if linktype == LINUX_SLL else 20
            if size < header:
                return self._short_link(data, slot, "Linux cooked")
            halen, at = (_U16.unpack_from(data, 4)[0], 6) if linktype == LINUX_SLL else (data[11], 12)
            if halen == 6:
                buf[at : at + 6] = self.addresses.mac(data[at : at + 6])
            (ethertype,) = _U16.unpack_from(data, 14 if linktype == LINUX_SLL else 0)
            return self._network(ethertype, data, slot, header)
        if linktype in (RAW, IPV4, IPV6) or linktype in RAW_ALIASES:
            version = data[0] >> 4 if data else 0
            return self._network(0x0800 if version == 4 else 0x86DD if version == 6 else -1, data, slot, 0)
        if linktype in (NULL, LOOP):
            if size < 4:
                return self._short_link(data, slot, "loopback")
            family = struct.unpack_from("!I" if linktype == LOOP else "<I", data, 0)[0]
            if family > 0xFFFF:  # NULL is in the capturing host's byte order
                family = struct.unpack_from(">I", data, 0)[0]
            ethertype = 0x0800 if family == 2 else 0x86DD if family in _BSD_INET6 else -1
            return self._network(ethertype, data, slot, 4)
        if linktype not in self.unknown_links:
            self.unknown_links.add(linktype)
            self.stats.warnings.append(
                f"link type {linktype} is not parsed: its packets were scanned as text"
            )
        return self._as_text(data, slot, 0)

    def _short_link(self, data: bytes, slot: Slot, link: str) -> None:
        if not self.cut_short:
            self._malformed("link-short", f"{len(data)} bytes too short for a {link} header: scanned as text")
        return self._as_text(data, slot, 0)

    def fast_rtp(self, data: bytes, buf: bytearray) -> bool:
        """The fast path for an Ethernet packet (linktype EN10MB), done in full into `buf`
        when it is RTP to blank in IPv4 / UDP (most of a call capture); False otherwise,
        with `buf` untouched."""
        if len(data) < 62:
            return False
        kind = data[12:14]
        if kind == b"\x08\x00":
            ip = 14
        elif kind == b"\x81\x00" and data[16:18] == b"\x08\x00":
            ip = 18
        else:
            return False
        if not self._rtp_v4(data, buf, ip):
            return False
        buf[0:12] = self.addresses.mac_pair(data[0:12])
        return True

    def fast_rtp_cooked(self, data: bytes, buf: bytearray) -> bool:
        """fast_rtp for Linux cooked captures v2 (`tcpdump -i any` on Android)."""
        if len(data) < 68 or data[0:2] != b"\x08\x00" or not self._rtp_v4(data, buf, 20):
            return False
        if data[11] == 6:
            buf[12:18] = self.addresses.mac(data[12:18])
        return True

    def fast_path(self, linktype: int) -> Callable[[bytes, bytearray], bool] | None:
        """The RTP fast path for `linktype`, if it has one."""
        return (
            self.fast_rtp if linktype == EN10MB else self.fast_rtp_cooked if linktype == LINUX_SLL2 else None
        )

    def _rtp_v4(self, data: bytes, buf: bytearray, ip: int) -> bool:
        """RTP to blank in an unfragmented IPv4 / UDP packet without IP options, done here
        in one go (same result as the general path); False: not such a packet, untouched."""
        if data[ip] != 0x45 or data[ip + 9] != 17 or data[ip + 6] & 0x3F or data[ip + 7] or self.keep_media:
            return False
        udp = ip + 20
        first = data[udp + 8]
        if not 128 <= first <= 191 or 192 <= data[udp + 9] <= 223:
            return False
        ip_end = ip + ((data[ip + 2] << 8) | data[ip + 3])
        end = min(len(data), ip_end)
        # Lengths that disagree (with each other, or with the bytes captured where the snap
        # length did not cut the packet) leave bytes outside them: the general path tells
        # and scans those.
        if udp + ((data[udp + 4] << 8) | data[udp + 5]) != ip_end or end - udp < 20:
            return False
        if ip_end != len(data) and (ip_end < len(data) or not self.cut_short):
            return False
        payload = data[udp + 8 : end]
        key = data[ip + 12 : ip + 24]  # addresses and ports
        flow = self._media_flows.get(key)
        if flow is None:
            encrypted = self.media.lookup(key[:4] + key[8:10], key[4:8] + key[10:12])
            if encrypted or (encrypted is None and not media.looks_like_rtp(payload)):
                return False
            flow = self.addresses.pair(key[:8])
            if encrypted is not None:  # announced by SDP: the same for every packet
                if len(self._media_flows) >= _MAX_DIRECTIONS:
                    self._media_flows.clear()
                self._media_flows[key] = flow
        else:
            self.addresses.count_pair(key[:8], flow[0])
        if self.learning:
            return True
        new_addresses, old_sum, new_sum = flow
        if old_sum != new_sum or new_addresses != key[:8]:
            buf[ip + 12 : ip + 20] = new_addresses
            value = (((data[ip + 10] << 8) | data[ip + 11]) + old_sum - new_sum) % 0xFFFF
            buf[ip + 10] = value >> 8
            buf[ip + 11] = value & 0xFF
        blank = media.blank_rtp(payload)
        buf[udp + 8 : end] = blank
        stored = (data[udp + 6] << 8) | data[udp + 7]
        if stored:  # 0: the sender computed no UDP checksum
            value = (stored + old_sum + ones_sum(payload) - new_sum - ones_sum(blank)) % 0xFFFF or 0xFFFF
            buf[udp + 6] = value >> 8
            buf[udp + 7] = value & 0xFF
        return True

    def _as_text(self, data: bytes, slot: Slot, start: int) -> None:
        if start < len(data):
            slot.buf[start:] = self.text.datagram(data[start:])

    def _scan(self, data: bytes, buf: bytearray, start: int, stop: int) -> None:
        """data[start:stop] scanned as text now, into buf (same length)."""
        if start < stop:
            buf[start:stop] = self.text.datagram(data[start:stop])

    def _malformed(self, kind: str, detail: str) -> None:
        """A fault in the packet being read, told once per kind (see anomalies.py)."""
        self.anomalies.note(kind, self.number, detail)

    def _expect_cut(self, depth: int) -> bool:
        """Whether data may end before the lengths its headers claim: the packet was cut
        by the snap length, or it is a quote in an ICMP error (always cut short)."""
        return depth > 0 or self.cut_short

    def _outside(self, data: bytes, slot: Slot, start: int, stop: int, depth: int, detail: str) -> None:
        """Bytes beyond the lengths the headers claim (Ethernet padding, a trailer, a lying
        length): zero padding hides nothing; anything else is scanned as text, never
        copied unexamined, and told (in a quote, what follows the quoted datagram is
        normal: RFC 4884 extensions, padding)."""
        rest = data[start:stop]
        if not rest.strip(b"\x00"):
            return None
        if depth:
            slot.buf[start:stop] = self.text.datagram(rest)
            return None
        self._malformed("trailer", f"{detail}: {stop - start} bytes after it scanned as text")
        return self._scan_later(slot, start, rest)

    def _scan_later(self, slot: Slot, pos: int, text: bytes) -> None:
        """`text` (at slot.buf[pos:]) scanned with the next text batch; no checksum covers it."""

        def done(new: bytes) -> None:
            check_length(text, new)
            slot.buf[pos : pos + len(new)] = new
            slot.owners.remove(self.batch)
            slot.release()

        slot.waits += 1
        slot.owners.append(self.batch)
        self.batch.add(text, done)

    # -- network layer ------------------------------------------------------------------

    def _network(self, ethertype: int, data: bytes, slot: Slot, at: int) -> None:
        if ethertype == 0x0800:
            return self._ipv4(data, slot, at)
        if ethertype == 0x86DD:
            return self._ipv6(data, slot, at)
        if ethertype == 0x0806:
            return self._arp(data, slot, at)
        return self._as_text(data, slot, at)

    def _not_ip(self, data: bytes, slot: Slot, at: int, depth: int, version: int) -> None:
        """Too short for its IP header, or the wrong version: scanned as text."""
        size = len(data) - at
        if data[at:] and data[at] >> 4 != version:
            self._malformed(
                f"ipv{version}-version",
                f"IPv{version} by its link header, version {data[at] >> 4} by its own: scanned as text",
            )
        elif not self._expect_cut(depth):
            self._malformed(
                f"ipv{version}-short", f"{size} bytes too short for an IPv{version} header: scanned as text"
            )
        return self._as_text(data, slot, at)

    def _ip_end(self, data: bytes, slot: Slot, at: int, declared: int, depth: int, field: str) -> int:
        """Where the IP packet at `at` ends in `data`, by the length its header declares
        (`declared`, absolute); what lies after it is handled as outside the packet."""
        size = len(data)
        if declared > size:
            if not self._expect_cut(depth):
                self._malformed(f"{field}-long", f"{field} runs past the {size - at} bytes captured")
            return size
        if declared < size:
            self._outside(data, slot, declared, size, depth, f"{field} ends the packet early")
        return declared

    def _ipv4(self, data: bytes, slot: Slot, at: int, depth: int = 0) -> None:
        """`depth`: 0 for the packet itself, n for a datagram quoted n deep in ICMP errors
        (parsed like any other, but scanned at once and never reassembled or streamed)."""
        if len(data) < at + 20 or data[at] >> 4 != 4:
            return self._not_ip(data, slot, at, depth, 4)
        buf = slot.buf
        old_addresses = data[at + 12 : at + 20]
        new_addresses, old_sum, new_sum = self.addresses.pair(old_addresses)
        if new_addresses != old_addresses:
            buf[at + 12 : at + 20] = new_addresses
            (header_checksum,) = _U16.unpack_from(data, at + 10)
            _U16.pack_into(buf, at + 10, checksum.updated(header_checksum, old_sum, new_sum))
        ihl = (data[at] & 0x0F) * 4
        total, fragment = struct.unpack_from("!H2xH", data, at + 2)
        if not self._ipv4_header_ok(data, slot, at, ihl, total, depth):
            return None
        end = self._ip_end(data, slot, at, at + total, depth, "IPv4 total length")
        layer = _Layer(old_addresses, old_sum, new_sum, depth, at + total > len(data))
        proto = data[at + 9]
        payload = at + ihl
        offset = (fragment & 0x1FFF) * 8
        if fragment & 0x2000 or offset:
            if depth == 0:
                key = (old_addresses, data[at + 4 : at + 6], bytes([proto]))
                self.fragments.add(
                    key,
                    proto,
                    old_addresses,
                    (old_sum, new_sum),
                    slot,
                    payload,
                    offset,
                    data[payload:end],
                    bool(fragment & 0x2000),
                )
                return None
            if offset:  # a quoted later fragment: no transport header, only data
                return self._scan(data, buf, payload, end)
        return self._transport(proto, data, slot, payload, end, layer)

    def _ipv4_header_ok(self, data: bytes, slot: Slot, at: int, ihl: int, total: int, depth: int) -> bool:
        """Whether the header length and total length make sense (else: told, and the
        caller scans the packet as text); options that do not parse are scanned as text."""
        if ihl < 20 or total < ihl:
            what = f"header length {ihl}" if ihl < 20 else f"total length {total} below header length {ihl}"
            self._malformed("ipv4-header", f"IPv4 {what}: the rest scanned as text")
            self._scan(data, slot.buf, at + 20, len(data))
            return False
        if len(data) < at + ihl:
            if not self._expect_cut(depth):
                self._malformed(
                    "ipv4-header", f"IPv4 header length {ihl} runs past the {len(data) - at} bytes captured"
                )
            self._scan(data, slot.buf, at + 20, len(data))
            return False
        if ihl > 20 and not options_parse(data, at + 20, at + ihl):
            # A lying header length hides the start of the payload in "options": the
            # whole rest is one text, so a value across the boundary is still found.
            self._malformed("ipv4-options", "IPv4 options do not parse: the rest scanned as text")
            self._ipv4_rest_as_text(data, slot.buf, at, ihl)
            return False
        return True

    def _ipv4_rest_as_text(self, data: bytes, buf: bytearray, at: int, ihl: int) -> None:
        """Everything after the fixed header scanned as text; the header checksum follows
        what changed in the options."""
        self._scan(data, buf, at + 20, len(data))
        old, new = data[at + 20 : at + ihl], buf[at + 20 : at + ihl]
        if new != old:
            (value,) = _U16.unpack_from(buf, at + 10)
            _U16.pack_into(buf, at + 10, checksum.updated(value, ones_sum(old), ones_sum(new)))

    def _ipv6(self, data: bytes, slot: Slot, at: int, depth: int = 0) -> None:
        """`depth`: as for _ipv4."""
        if len(data) < at + 40 or data[at] >> 4 != 6:
            return self._not_ip(data, slot, at, depth, 6)
        buf = slot.buf
        (length,) = _U16.unpack_from(data, at + 4)
        old_addresses = data[at + 8 : at + 40]
        new_addresses, old_sum, new_sum = self.addresses.pair(old_addresses)
        buf[at + 8 : at + 40] = new_addresses
        end = self._ip_end(data, slot, at, at + 40 + length, depth, "IPv6 payload length")
        layer = _Layer(old_addresses, old_sum, new_sum, depth, at + 40 + length > len(data))
        proto = data[at + 6]
        pos = at + 40
        while proto in _IPV6_EXTENSIONS or proto == 51 or proto == 44:
            if pos + 8 > end:
                return self._extension_cut(data, buf, pos, end, layer)
            if proto == 44:  # fragment header
                (fragment,) = _U16.unpack_from(data, pos + 2)
                if depth == 0:
                    key = (old_addresses, data[pos + 4 : pos + 8], b"6")
                    self.fragments.add(
                        key,
                        data[pos],
                        old_addresses,
                        (old_sum, new_sum),
                        slot,
                        pos + 8,
                        fragment & 0xFFF8,
                        data[pos + 8 : end],
                        bool(fragment & 1),
                    )
                    return None
                if fragment & 0xFFF8:  # a quoted later fragment: only data
                    return self._scan(data, buf, pos + 8, end)
                proto, pos = data[pos], pos + 8
            elif proto == 51:  # AH
                proto, pos = data[pos], pos + (data[pos + 1] + 2) * 4
            else:
                proto, pos = data[pos], pos + (data[pos + 1] + 1) * 8
        if pos > end:
            return self._extension_cut(data, buf, pos, end, layer)
        return self._transport(proto, data, slot, pos, end, layer)

    def _extension_cut(self, data: bytes, buf: bytearray, pos: int, end: int, layer: _Layer) -> None:
        """An IPv6 extension header that runs past the packet: what is left scanned as text."""
        if not (layer.clipped and self._expect_cut(layer.depth)):
            self._malformed(
                "ipv6-extension", "an IPv6 extension header runs past its packet: scanned as text"
            )
        return self._scan(data, buf, min(pos, end), end)

    def _arp(self, data: bytes, slot: Slot, at: int) -> None:
        if len(data) < at + 28 or data[at + 2 : at + 6] != b"\x08\x00\x06\x04":
            return self._as_text(data, slot, at)
        buf = slot.buf
        mac, ip4 = self.addresses.mac, self.addresses.ipv4
        for hw, proto in ((at + 8, at + 14), (at + 18, at + 24)):
            buf[hw : hw + 6] = mac(data[hw : hw + 6])
            buf[proto : proto + 4] = ip4(data[proto : proto + 4])
        return self._outside(data, slot, at + 28, len(data), 0, "an ARP message")

    # -- transport layer ----------------------------------------------------------------

    def _transport(self, proto: int, data: bytes, slot: Slot, at: int, end: int, layer: _Layer) -> None:
        """The transport header at `at`, the IP payload ending at `end`; `layer`: what the
        IP header tells the transport (addresses and their sums, depth, clipped)."""
        if proto == 17:
            return self._udp(data, slot, at, end, layer)
        if proto == 6:
            return self._tcp(data, slot, at, end, layer)
        if proto == 1 or proto == 58:
            return self._icmp(data, slot, at, end, layer, proto == 58)
        if proto == 50:  # ESP: encrypted
            return None
        if proto == 59:  # "no next header": nothing should follow
            return self._outside(data, slot, at, end, layer.depth, "IPv6 'no next header'")
        return self._scan(data, slot.buf, at, end)

    def _fix_checksum(self, buf: bytearray, field_at: int, old_sum: int, new_sum: int, udp: bool) -> None:
        (value,) = _U16.unpack_from(buf, field_at)
        _U16.pack_into(buf, field_at, checksum.updated(value, old_sum, new_sum, udp))

    def _segment_checksum(
        self,
        data: bytes,
        buf: bytearray,
        at: int,
        end: int,
        field_at: int,
        old_sum: int,
        new_sum: int,
        udp: bool,
    ) -> None:
        """Update a checksum over [at, end) (plus a pseudo-header's addresses) for the new bytes."""
        ones_sum = checksum.ones_sum
        old_total = (old_sum + ones_sum(data[at:end])) % 0xFFFF
        new_total = (new_sum + ones_sum(buf[at:end])) % 0xFFFF
        self._fix_checksum(buf, field_at, old_total, new_total, udp)

    def _udp(self, data: bytes, slot: Slot, at: int, end: int, layer: _Layer) -> None:
        buf = slot.buf
        if end - at < 8:
            if not self._expect_cut(layer.depth):
                self._malformed("udp-short", f"UDP header cut short ({end - at} bytes): scanned as text")
            return self._scan(data, buf, at, end)
        stop = self._udp_stop(at, end, _U16.unpack_from(data, at + 4)[0], layer)
        old = data[at + 8 : stop]
        extra = data[stop:end]  # after a UDP length shorter than the IP payload: scanned with it
        payload, text = b"", bool(extra)
        if old:
            addresses = layer.addresses
            half = len(addresses) // 2
            payload, text = self.udp_payload(
                addresses[:half] + data[at : at + 2], addresses[half:] + data[at + 2 : at + 4], old
            )
        if text and layer.depth == 0:
            return self._later(slot, at + 8, payload + extra, old, at + 6, layer.old_sum, layer.new_sum)
        if text:
            scanned = self.text.datagram(payload + extra)
            buf[at + 8 : end] = scanned
            payload = scanned[: len(old)]
        elif payload is not old:
            buf[at + 8 : stop] = payload
        # The UDP header is the same before and after: only addresses and payload count.
        old_sum = (layer.old_sum + ones_sum(old)) % 0xFFFF
        new_sum = (layer.new_sum + ones_sum(payload)) % 0xFFFF
        return self._fix_checksum(buf, at + 6, old_sum, new_sum, True)

    def _udp_stop(self, at: int, end: int, length: int, layer: _Layer) -> int:
        """Where the UDP payload ends: at its length, told when it disagrees with the IP's."""
        if length < 8:
            self._malformed("udp-length", f"UDP length {length} below its 8-byte header: taken as the IP's")
            return end
        if at + length > end:
            if not (layer.clipped and self._expect_cut(layer.depth)):
                self._malformed("udp-length", f"UDP length {length} above the {end - at} bytes of IP payload")
            return end
        if at + length < end:
            self._malformed(
                "udp-length-short",
                f"UDP length {length} below the {end - at} bytes of its IP payload: the rest scanned as text",
            )
        return at + length

    def _tcp(self, data: bytes, slot: Slot, at: int, end: int, layer: _Layer) -> None:
        buf = slot.buf
        if end - at < 20:
            if not self._expect_cut(layer.depth):
                self._malformed("tcp-short", f"TCP header cut short ({end - at} bytes)")
            if end - at >= 18:  # the checksum field is there: it follows the addresses
                self._tcp_checksum(data, buf, at, end, layer)
            return None
        header = (data[at + 12] >> 4) * 4
        payload_at = at + header
        if header < 20 or payload_at > end:
            if header < 20 or not (layer.clipped and self._expect_cut(layer.depth)):
                self._malformed(
                    "tcp-header",
                    f"TCP header length {header} does not fit its {end - at}-byte segment: scanned as text",
                )
                self._scan(data, buf, at + 20, end)
            return self._tcp_checksum(data, buf, at, end, layer)
        if header > 20 and not options_parse(data, at + 20, payload_at):
            # A lying data offset hides the start of the payload in "options": all one text.
            self._malformed("tcp-options", "TCP options do not parse: the segment scanned as text")
            self._scan(data, buf, at + 20, end)
            return self._tcp_checksum(data, buf, at, end, layer)
        if layer.depth:
            self._scan(data, buf, payload_at, end)  # a quote: cut short, scanned on its own
            return self._tcp_checksum(data, buf, at, end, layer)
        return self._tcp_stream(data, slot, at, end, payload_at, layer)

    def _tcp_checksum(self, data: bytes, buf: bytearray, at: int, end: int, layer: _Layer) -> None:
        self._segment_checksum(data, buf, at, end, at + 16, layer.old_sum, layer.new_sum, False)

    def _tcp_stream(self, data: bytes, slot: Slot, at: int, end: int, payload_at: int, layer: _Layer) -> None:
        """A segment's payload into its direction's stream; its checksum follows once scanned."""
        sport, dport, seq, _ack = _TCP.unpack_from(data, at)
        flags = data[at + 13]
        addresses = layer.addresses
        half = len(addresses) // 2
        key = (addresses[:half], sport, addresses[half:], dport)
        direction = self.directions.get(key)
        if direction is None:
            if len(self.directions) >= _MAX_DIRECTIONS:
                self._retire_direction()
            direction = self.directions[key] = Direction(self.text, self._learn_sdp)
        if flags & _TCP_SYN:
            direction.syn(seq)
        if payload_at >= end:
            return self._tcp_checksum(data, slot.buf, at, end, layer)

        def finish() -> None:
            self._tcp_checksum(data, slot.buf, at, end, layer)

        slot.finish = finish
        slot.waits += 1  # held until the segment is registered, so finish runs once
        direction.segment(slot, seq, payload_at, data[payload_at:end])
        if flags & _TCP_FIN_RST:
            direction.flush()
        slot.release()
        return None

    def _retire_direction(self) -> None:
        """Too many connections: flush and forget the oldest (bounded memory)."""
        key = next(iter(self.directions))
        direction = self.directions.pop(key)
        direction.force()

    def _icmp(self, data: bytes, slot: Slot, at: int, end: int, layer: _Layer, v6: bool) -> None:
        """ICMP / ICMPv6 at [at, end): the message scrubbed, its checksum updated (ICMPv6's
        covers a pseudo-header with the addresses, ICMP's does not)."""
        buf = slot.buf
        if end - at < 4:
            return self._scan(data, buf, at, end)
        buf[at:end] = self._icmp_message(data[at:end], v6, layer.depth)
        old_sum, new_sum = (layer.old_sum, layer.new_sum) if v6 else (0, 0)
        return self._segment_checksum(data, buf, at, end, at + 2, old_sum, new_sum, False)

    def _icmp_message(self, message: bytes, v6: bool, depth: int) -> bytes:
        """An ICMP / ICMPv6 message (type first) scrubbed, same length, checksum not updated.

        An error quotes the datagram that caused it (Linux: up to 576 bytes, a whole SIP
        request): the quote is parsed like any datagram, one level deeper. Neighbour
        discovery's addresses are mapped; echo data and types not parsed are text."""
        kind = message[0]
        out = bytearray(message)
        if kind in (_ICMP6_ERRORS if v6 else _ICMP4_ERRORS):
            if len(message) > 8:
                out[8:] = self._quote(message[8:], depth + 1)
            if not v6 and kind == 5:  # redirect: the gateway's address
                out[4:8] = self.addresses.ipv4(message[4:8])
        elif v6 and kind in _ND:
            self._neighbour_discovery(message, out, depth)
        elif not (v6 and kind in _MLD) and len(message) > 8:  # MLD: multicast groups, kept
            out[8:] = self.text.datagram(message[8:])
        return bytes(out)

    def _quote(self, inner: bytes, depth: int) -> bytes:
        """The datagram an ICMP error quotes, scrubbed like any other (same length)."""
        if depth > _MAX_QUOTE_DEPTH:
            self._malformed(
                "quote-depth", f"ICMP errors quoted over {_MAX_QUOTE_DEPTH} deep: the rest scanned as text"
            )
            return self.text.datagram(inner)
        version = inner[0] >> 4
        if version not in (4, 6):
            self._malformed("quote-version", f"an ICMP error quotes IP version {version}: scanned as text")
            return self.text.datagram(inner)
        quoted = Slot(b"", bytearray(inner), b"")
        (self._ipv4 if version == 4 else self._ipv6)(inner, quoted, 0, depth)
        return bytes(quoted.buf)

    def _neighbour_discovery(self, message: bytes, out: bytearray, depth: int) -> None:
        """Router / neighbour solicitations and advertisements, redirects: target (and
        redirect destination) addresses, then the options."""
        kind = message[0]
        options = {133: 8, 134: 16, 135: 24, 136: 24, 137: 40}[kind]
        if kind >= 135 and len(message) >= 24:
            out[8:24] = self.addresses.ipv6(message[8:24])
        if kind == 137 and len(message) >= 40:
            out[24:40] = self.addresses.ipv6(message[24:40])
        self._nd_options(message, out, options, depth)

    def _nd_options(self, message: bytes, out: bytearray, pos: int, depth: int) -> None:
        size = len(message)
        while pos + 8 <= size:
            kind, units = message[pos], message[pos + 1]
            if units == 0:
                self._malformed("nd-option", "a neighbour discovery option of length 0: rest scanned as text")
                out[pos:] = self.text.datagram(message[pos:])
                return
            stop = min(size, pos + units * 8)
            if kind in (1, 2):  # source / target link-layer address
                out[pos + 2 : pos + 8] = self.addresses.mac(message[pos + 2 : pos + 8])
            elif kind == 4 and stop > pos + 8:  # redirected header: a quoted datagram
                out[pos + 8 : stop] = self._quote(message[pos + 8 : stop], depth + 1)
            pos += units * 8

    # -- application payloads -----------------------------------------------------------

    def udp_payload(self, source: bytes, destination: bytes, payload: bytes) -> tuple[bytes, bool]:
        """A UDP payload with its binary parts scrubbed in place (same length), by what its
        content is, and whether it is still to be scanned as text."""
        if len(payload) < 8:  # too short for any binary protocol parsed here
            self._learn_sdp(payload)
            return payload, True
        first = payload[0]
        if first < 4 and stun.is_stun(payload):
            return stun.scrub_stun(payload, self.addresses, self.field), False
        if 20 <= first <= 63 and len(payload) >= 13 and payload[1] == 0xFE:
            return payload, False  # DTLS (RFC 7983 demultiplexing): encrypted
        if 128 <= first <= 191:
            encrypted = self.media.lookup(source, destination)
            if encrypted is not None or media.looks_like_rtp(payload):
                if encrypted or self.keep_media:
                    return payload, False
                if 192 <= payload[1] <= 223:
                    return media.scrub_rtcp(payload, self.field), False
                return media.blank_rtp(payload), False
        sport, dport = _U16.unpack(source[-2:])[0], _U16.unpack(destination[-2:])[0]
        if sport in services.DNS_PORTS or dport in services.DNS_PORTS:
            payload = services.scrub_dns(payload, self.addresses)
        elif sport in services.DHCP_PORTS and dport in services.DHCP_PORTS:
            payload = services.scrub_dhcp(payload, self.addresses, self.field)
        self._learn_sdp(payload)
        return payload, True

    def _learn_sdp(self, text: bytes) -> None:
        if self.media.learn_sdp(text):
            self._media_flows.clear()

    def _later(
        self, slot: Slot, pos: int, payload: bytes, old: bytes, field_at: int, old_sum: int, new_sum: int
    ) -> None:
        """Queue a UDP payload (at slot.buf[pos:], `old` before its binary parts were
        scrubbed) for the text batch; its checksum at `field_at` follows once it is back.
        `payload` may run past `old` (the bytes after a UDP length shorter than the IP
        payload, scanned with it); the checksum covers the first len(old) bytes only."""
        covered = len(old)

        def done(new: bytes) -> None:
            check_length(payload, new)
            buf = slot.buf
            buf[pos : pos + len(new)] = new
            self._fix_checksum(
                buf,
                field_at,
                (old_sum + ones_sum(old)) % 0xFFFF,
                (new_sum + ones_sum(new[:covered])) % 0xFFFF,
                True,
            )
            slot.owners.remove(self.batch)
            slot.release()

        slot.waits += 1
        slot.owners.append(self.batch)
        self.batch.add(payload, done)

    def _datagram(self, proto: int, datagram: bytes, addresses: bytes) -> bytes:
        """A reassembled datagram (transport header first), scrubbed (same length)."""
        if proto == 17 and len(datagram) > 8:
            return self._udp_datagram(datagram, addresses)
        if proto == 6 and len(datagram) > 20:
            header = (datagram[12] >> 4) * 4
            if header < 20 or header > len(datagram) or not options_parse(datagram, 20, header):
                self._malformed("tcp-header", "a reassembled TCP header does not parse: scanned as text")
                header = 20
            return datagram[:header] + self.text.datagram(datagram[header:])
        if (proto == 1 or proto == 58) and len(datagram) >= 4:
            return self._icmp_message(datagram, proto == 58, 0)  # Fragments updates the checksum
        return self.text.datagram(datagram)

    def _udp_datagram(self, datagram: bytes, addresses: bytes) -> bytes:
        """A reassembled UDP datagram: what lies after its UDP length is scanned with the payload."""
        layer = _Layer(addresses, 0, 0, 0, False)
        stop = self._udp_stop(0, len(datagram), _U16.unpack_from(datagram, 4)[0], layer)
        half = len(addresses) // 2
        old, extra = datagram[8:stop], datagram[stop:]
        payload, text = old, True
        if old:
            payload, text = self.udp_payload(
                addresses[:half] + datagram[0:2], addresses[half:] + datagram[2:4], old
            )
        if text:
            return datagram[:8] + self.text.datagram(payload + extra)
        return datagram[:8] + payload + (self.text.datagram(extra) if extra else b"")

    # -- end of input ---------------------------------------------------------------------

    def force(self, slot: Slot) -> None:
        """Make `slot` complete now: flush what it waits for (bounded queue, end of input)."""
        fruitless = 0
        while slot.waits:
            before = slot.waits
            if slot.owners:
                slot.owners[0].force()
            elif not self.fragments.force(slot):
                raise AssertionError("a packet waits for nothing")
            # Each force of a stream takes at least one of its (at most MAX_FUTURE) held
            # offsets: more rounds than that without progress would be an endless loop.
            fruitless = fruitless + 1 if slot.waits == before else 0
            if fruitless > MAX_FUTURE + 1:
                raise AssertionError("a packet waits for a stream that cannot release it")

    def finish(self) -> None:
        self.batch.flush()
        self.fragments.force_all()
        for direction in self.directions.values():
            direction.force()
