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
from .checksum import ones_sum
from .fragments import Fragments
from .tcp import Direction, Slot
from .text import TextBatch, TextScanner, check_length

# Link types (https://www.tcpdump.org/linktypes.html)
NULL, EN10MB, RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 = 0, 1, 101, 108, 113, 228, 229, 276
RAW_ALIASES = frozenset({12, 14})  # DLT_RAW on OpenBSD / older BSDs
_VLAN = frozenset({0x8100, 0x88A8, 0x9100})
_BSD_INET6 = frozenset({24, 28, 30})
_ICMP4_ERRORS = frozenset({3, 4, 5, 11, 12})
_ICMP6_ERRORS = frozenset({1, 2, 3, 4})
_IPV6_EXTENSIONS = frozenset({0, 43, 60})
_TCP_FIN_RST = 0x05
_TCP_SYN = 0x02
_MAX_DIRECTIONS = 1 << 14

PacketObserver = Callable[[int, Entity, str, str], None]
_U16 = struct.Struct("!H")
_UDP = struct.Struct("!HHHH")
_TCP = struct.Struct("!HHII")


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
                return self._as_text(data, slot, 0)
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
                return self._as_text(data, slot, 0)
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
                return self._as_text(data, slot, 0)
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
        end = min(
            len(data), ip + ((data[ip + 2] << 8) | data[ip + 3]), udp + ((data[udp + 4] << 8) | data[udp + 5])
        )
        if end - udp < 20:
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

    # -- network layer ------------------------------------------------------------------

    def _network(self, ethertype: int, data: bytes, slot: Slot, at: int) -> None:
        if ethertype == 0x0800:
            return self._ipv4(data, slot, at)
        if ethertype == 0x86DD:
            return self._ipv6(data, slot, at)
        if ethertype == 0x0806:
            return self._arp(data, slot, at)
        return self._as_text(data, slot, at)

    def _ipv4(self, data: bytes, slot: Slot, at: int, quoted: bool = False) -> None:
        buf = slot.buf
        if len(data) < at + 20 or data[at] >> 4 != 4:
            return self._as_text(data, slot, at)
        ihl = (data[at] & 0x0F) * 4
        total, fragment = struct.unpack_from("!H2xH", data, at + 2)
        if ihl < 20 or len(data) < at + ihl or total < ihl:
            return self._as_text(data, slot, at)
        old_addresses = data[at + 12 : at + 20]
        new_addresses, old_sum, new_sum = self.addresses.pair(old_addresses)
        if new_addresses != old_addresses:
            buf[at + 12 : at + 20] = new_addresses
            (header_checksum,) = _U16.unpack_from(data, at + 10)
            _U16.pack_into(buf, at + 10, checksum.updated(header_checksum, old_sum, new_sum))
        end = min(len(data), at + total)
        proto = data[at + 9]
        payload = at + ihl
        offset = (fragment & 0x1FFF) * 8
        if (fragment & 0x2000 or offset) and not quoted:
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
        self._transport(proto, data, slot, payload, end, old_addresses, old_sum, new_sum, quoted)
        return None

    def _ipv6(self, data: bytes, slot: Slot, at: int, quoted: bool = False) -> None:
        buf = slot.buf
        if len(data) < at + 40 or data[at] >> 4 != 6:
            return self._as_text(data, slot, at)
        (length,) = _U16.unpack_from(data, at + 4)
        old_addresses = data[at + 8 : at + 40]
        new_addresses, old_sum, new_sum = self.addresses.pair(old_addresses)
        buf[at + 8 : at + 40] = new_addresses
        end = min(len(data), at + 40 + length)
        proto = data[at + 6]
        pos = at + 40
        while pos + 8 <= end:
            if proto in _IPV6_EXTENSIONS:
                proto, pos = data[pos], pos + (data[pos + 1] + 1) * 8
            elif proto == 51:  # AH
                proto, pos = data[pos], pos + (data[pos + 1] + 2) * 4
            elif proto == 44:  # fragment header
                (fragment,) = _U16.unpack_from(data, pos + 2)
                next_proto = data[pos]
                if quoted:
                    return None
                key = (old_addresses, data[pos + 4 : pos + 8], b"6")
                payload = pos + 8
                self.fragments.add(
                    key,
                    next_proto,
                    old_addresses,
                    (old_sum, new_sum),
                    slot,
                    payload,
                    fragment & 0xFFF8,
                    data[payload:end],
                    bool(fragment & 1),
                )
                return None
            else:
                break
        self._transport(proto, data, slot, pos, end, old_addresses, old_sum, new_sum, quoted)
        return None

    def _arp(self, data: bytes, slot: Slot, at: int) -> None:
        if len(data) < at + 28 or data[at + 2 : at + 6] != b"\x08\x00\x06\x04":
            return self._as_text(data, slot, at)
        buf = slot.buf
        mac, ip4 = self.addresses.mac, self.addresses.ipv4
        for hw, proto in ((at + 8, at + 14), (at + 18, at + 24)):
            buf[hw : hw + 6] = mac(data[hw : hw + 6])
            buf[proto : proto + 4] = ip4(data[proto : proto + 4])
        return None

    # -- transport layer ----------------------------------------------------------------

    def _transport(
        self,
        proto: int,
        data: bytes,
        slot: Slot,
        at: int,
        end: int,
        addresses: bytes,
        old_sum: int,
        new_sum: int,
        quoted: bool,
    ) -> None:
        """The transport header at `at`, the IP payload ending at `end`; `addresses`: the
        original source and destination; `old_sum`/`new_sum`: their ones_sum before and
        after pseudonymisation (the pseudo-header's part of the transport checksum).

        `quoted`: the IP packet an ICMP error quotes; only its checksums follow the new
        addresses (its payload is cut short and belongs to a packet scanned on its own)."""
        buf = slot.buf
        if proto == 17 and end - at >= 8:
            if quoted:
                return self._fix_checksum(buf, at + 6, old_sum, new_sum, True)
            length = _U16.unpack_from(data, at + 4)[0]
            stop = min(end, at + max(length, 8))
            if stop > at + 8:
                half = len(addresses) // 2
                old = data[at + 8 : stop]
                ports = data[at : at + 4]
                payload, text = self.udp_payload(
                    addresses[:half] + ports[:2], addresses[half:] + ports[2:], old
                )
                if text:
                    return self._later(slot, at + 8, payload, old, at + 6, old_sum, new_sum)
                if payload is not old:
                    buf[at + 8 : stop] = payload
                    old_sum += ones_sum(old)
                    new_sum += ones_sum(payload)
            # The UDP header is the same before and after: only addresses and payload count.
            return self._fix_checksum(buf, at + 6, old_sum % 0xFFFF, new_sum % 0xFFFF, True)
        if proto == 6 and end - at >= 20:
            if quoted:
                return self._fix_checksum(buf, at + 16, old_sum, new_sum, False) if end - at >= 18 else None
            return self._tcp(data, slot, at, end, addresses, old_sum, new_sum)
        if proto == 1 and end - at >= 4 and not quoted:
            return self._icmp(data, slot, at, end, _ICMP4_ERRORS, 0, 0)
        if proto == 58 and end - at >= 4 and not quoted:
            return self._icmp(data, slot, at, end, _ICMP6_ERRORS, old_sum, new_sum)
        if proto == 50 or proto == 59 or quoted:  # ESP is encrypted; "no next header" is empty
            return None
        return self._as_text(data, slot, at)

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

    def _tcp(
        self, data: bytes, slot: Slot, at: int, end: int, addresses: bytes, old_sum: int, new_sum: int
    ) -> None:
        sport, dport, seq, _ack = _TCP.unpack_from(data, at)
        header = (data[at + 12] >> 4) * 4
        flags = data[at + 13]
        half = len(addresses) // 2
        key = (addresses[:half], sport, addresses[half:], dport)
        direction = self.directions.get(key)
        if direction is None:
            if len(self.directions) >= _MAX_DIRECTIONS:
                self._retire_direction()
            direction = self.directions[key] = Direction(self.text, self._learn_sdp)
        if flags & _TCP_SYN:
            direction.syn(seq)
        payload_at = at + header
        if header < 20 or payload_at >= end:
            return self._segment_checksum(data, slot.buf, at, end, at + 16, old_sum, new_sum, False)

        def finish() -> None:
            self._segment_checksum(data, slot.buf, at, end, at + 16, old_sum, new_sum, False)

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

    def _icmp(
        self, data: bytes, slot: Slot, at: int, end: int, errors: frozenset[int], old_sum: int, new_sum: int
    ) -> None:
        """ICMP / ICMPv6: the IP header an error quotes gets the same addresses as the
        packet it quotes; neighbour discovery's target and link-layer addresses too."""
        kind = data[at]
        buf = slot.buf
        if kind in errors and end - at > 8:
            inner = data[at + 8 : end]
            quoted = Slot(b"", bytearray(inner), b"")
            if inner[0] >> 4 == 4:
                self._ipv4(inner, quoted, 0, quoted=True)
            elif inner[0] >> 4 == 6:
                self._ipv6(inner, quoted, 0, quoted=True)
            buf[at + 8 : end] = quoted.buf
        elif errors is _ICMP6_ERRORS and kind in (135, 136, 137) and end - at >= 24:
            buf[at + 8 : at + 24] = self.addresses.ipv6(data[at + 8 : at + 24])
            options = at + (40 if kind == 137 else 24)
            if kind == 137 and end - at >= 40:
                buf[at + 24 : at + 40] = self.addresses.ipv6(data[at + 24 : at + 40])
            self._nd_options(data, buf, options, end)
        elif errors is _ICMP6_ERRORS and kind in (133, 134):
            self._nd_options(data, buf, at + (8 if kind == 133 else 16), end)
        return self._segment_checksum(data, buf, at, end, at + 2, old_sum, new_sum, False)

    def _nd_options(self, data: bytes, buf: bytearray, pos: int, end: int) -> None:
        while pos + 8 <= end:
            kind, units = data[pos], data[pos + 1]
            if units == 0:
                return
            if kind in (1, 2):  # source / target link-layer address
                buf[pos + 2 : pos + 8] = self.addresses.mac(data[pos + 2 : pos + 8])
            pos += units * 8

    # -- application payloads -----------------------------------------------------------

    def udp_payload(self, source: bytes, destination: bytes, payload: bytes) -> tuple[bytes, bool]:
        """A UDP payload with its binary parts scrubbed in place (same length), by what its
        content is, and whether it is still to be scanned as text."""
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
        scrubbed) for the text batch; its checksum at `field_at` follows once it is back."""

        def done(new: bytes) -> None:
            check_length(payload, new)
            buf = slot.buf
            buf[pos : pos + len(new)] = new
            self._fix_checksum(
                buf, field_at, (old_sum + ones_sum(old)) % 0xFFFF, (new_sum + ones_sum(new)) % 0xFFFF, True
            )
            slot.owners.remove(self.batch)
            slot.release()

        slot.waits += 1
        slot.owners.append(self.batch)
        self.batch.add(payload, done)

    def _datagram(self, proto: int, datagram: bytes, addresses: bytes) -> bytes:
        """A reassembled datagram (transport header first), scrubbed (same length)."""
        if proto == 17 and len(datagram) > 8:
            length = _U16.unpack_from(datagram, 4)[0]
            half = len(addresses) // 2
            stop = min(len(datagram), max(length, 8))
            payload, text = self.udp_payload(
                addresses[:half] + datagram[0:2], addresses[half:] + datagram[2:4], datagram[8:stop]
            )
            if text:
                payload = self.text.datagram(payload)
            return datagram[:8] + payload + datagram[stop:]
        if proto == 6 and len(datagram) > 20:
            header = (datagram[12] >> 4) * 4
            return datagram[:header] + self.text.datagram(datagram[header:])
        return self.text.datagram(datagram)

    # -- end of input ---------------------------------------------------------------------

    def force(self, slot: Slot) -> None:
        """Make `slot` complete now: flush what it waits for (bounded queue, end of input)."""
        while slot.waits:
            if slot.owners:
                slot.owners[0].force()
            elif not self.fragments.force(slot):
                raise AssertionError("a packet waits for nothing")

    def finish(self) -> None:
        self.batch.flush()
        self.fragments.force_all()
        for direction in self.directions.values():
            direction.force()
