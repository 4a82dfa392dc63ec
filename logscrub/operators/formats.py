"""Format-preserving pseudonyms: the replacement looks like the original kind of value.

An IP stays an IP of the same class with the same octet text lengths, a phone number
keeps its country code, length and separators, a MAC keeps its vendor prefix, an email
stays an email. Every function is deterministic for (key, value) and never returns its input.
"""

from __future__ import annotations

import ipaddress
import string
from functools import lru_cache

import phonenumbers

from .keyed import KeyedStream

_PUBLIC_SPECIAL_V4 = [
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/3",
    )
]
# (network, number of leading octets kept): private ranges stay in their own range.
_KEEP_PREFIX_V4 = [
    (ipaddress.IPv4Network("10.0.0.0/8"), 1),
    (ipaddress.IPv4Network("192.168.0.0/16"), 2),
    (ipaddress.IPv4Network("169.254.0.0/16"), 2),
    (ipaddress.IPv4Network("172.16.0.0/12"), 1),
    (ipaddress.IPv4Network("100.64.0.0/10"), 1),
    (ipaddress.IPv4Network("224.0.0.0/4"), 1),
    (ipaddress.IPv4Network("127.0.0.0/8"), 4),
    (ipaddress.IPv4Network("0.0.0.0/8"), 4),
]


def _octet_range(text: str) -> tuple[int, int]:
    """Octets of the same text length: a 1-digit octet stays 1 digit (keeps SIP/SDP lengths).
    0 and 255 map to themselves, so network and broadcast addresses (10.44.0.0/16) stay so."""
    return {1: (1, 9), 2: (10, 99)}.get(len(text), (100, 254))


@lru_cache(maxsize=4096)
def _octet_permutation(stream: KeyedStream, prefix: str, low: int, high: int) -> tuple[int, ...]:
    """A keyed Fisher-Yates shuffle of [low, high], one per original prefix (prefix-preserving)."""
    values = list(range(low, high + 1))
    source = stream.bytes_stream(f"{prefix}|{low}-{high}")
    for i in range(len(values) - 1, 0, -1):
        j = stream.below(source, i + 1)
        values[i], values[j] = values[j], values[i]
    return tuple(values)


def _permute_octet(stream: KeyedStream, prefix: str, octet: str, low: int, high: int) -> str:
    number = int(octet)
    if not low <= number <= high:
        return octet
    return str(_octet_permutation(stream, prefix, low, high)[number - low])


def pseudonym_ipv4(stream: KeyedStream, value: str) -> str:
    addr = ipaddress.IPv4Address(value)
    keep = 0
    for network, kept in _KEEP_PREFIX_V4:
        if addr in network:
            keep = kept
            break
    if keep == 4:
        return value
    octets = value.split(".")
    candidate = octets
    for _ in range(64):  # cycle-walk until the result is in the same class as the input
        out = list(octets[:keep])
        for i in range(keep, 4):
            low, high = _octet_range(candidate[i])
            if i == 1 and addr in ipaddress.IPv4Network("172.16.0.0/12"):
                low, high = 16, 31
            if i == 1 and addr in ipaddress.IPv4Network("100.64.0.0/10"):
                low, high = 64, 127
            if i == 0 and len(candidate[0]) == 3 and not keep:
                low, high = 100, 223
            out.append(_permute_octet(stream, ".".join(candidate[:i]), candidate[i], low, high))
        mapped = ipaddress.IPv4Address(".".join(out))
        same_class = keep > 0 or not any(mapped in n for n in _PUBLIC_SPECIAL_V4)
        if same_class and out != octets:
            return ".".join(out)
        candidate = out
    # Pathological fall-back: still a valid address of the same class, never the input.
    last = int(octets[3])
    octets[3] = str(
        (last + 1) % 10 if last < 10 else 10 + (last - 9) % 90 if last < 100 else 100 + (last - 99) % 155
    )
    return ".".join(octets)


def pseudonym_ipv6(stream: KeyedStream, value: str, v4: KeyedStream) -> str:
    core, sep, zone = value.partition("%")
    addr = ipaddress.IPv6Address(core)
    if addr.ipv4_mapped is not None:
        # Maps exactly like the IPv4 address it carries, so both forms correlate.
        mapped_v4 = pseudonym_ipv4(v4, str(addr.ipv4_mapped))
        if "." in core:
            return core[: core.rfind(":") + 1] + mapped_v4 + sep + zone
        return "::ffff:" + _v4_as_hex(mapped_v4) + sep + zone
    packed = addr.packed
    hextets = [int.from_bytes(packed[i : i + 2], "big") for i in range(0, 16, 2)]
    # Keep the first hextet (global / ULA / link-local class) and map the rest
    # prefix-preservingly; link-local keeps its whole /64 prefix shape.
    keep = 4 if addr.is_link_local else 1
    out = hextets[:keep]
    for i in range(keep, 8):
        if hextets[i] == 0:
            out.append(0)  # keeps '::' compression where the original had it
            continue
        digest = stream.digest("|".join(map(str, hextets[: i + 1])))
        mapped = int.from_bytes(digest[:2], "big") or 1
        out.append(mapped if mapped != hextets[i] else (mapped ^ 1) or 2)
    result = ipaddress.IPv6Address(b"".join(h.to_bytes(2, "big") for h in out)).compressed
    if core.isupper():
        result = result.upper()
    return result + sep + zone


def _v4_as_hex(dotted: str) -> str:
    a, b, c, d = (int(x) for x in dotted.split("."))
    return f"{a << 8 | b:x}:{c << 8 | d:x}"


def _replace_digits(value: str, keep: int, stream: KeyedStream, norm: str) -> str:
    source = stream.bytes_stream(norm)
    out: list[str] = []
    seen = 0
    for ch in value:
        if ch.isdigit() and ch.isascii():
            out.append(ch if seen < keep else str(stream.below(source, 10)))
            seen += 1
        else:
            out.append(ch)
    result = "".join(out)
    if result == value:  # never identity: nudge the last replaced digit
        pos = max(i for i, ch in enumerate(result) if ch.isdigit())
        result = result[:pos] + str((int(result[pos]) + 1) % 10) + result[pos + 1 :]
    return result


def _country_code_length(digits: str) -> int:
    try:
        return len(str(phonenumbers.parse("+" + digits, None).country_code))
    except phonenumbers.NumberParseException:
        return 0


def pseudonym_phone(stream: KeyedStream, value: str) -> str:
    """Keep the country code (or trunk prefix), the digit count and every separator."""
    lowered = value.lower()
    digits = "".join(ch for ch in value if ch.isdigit())
    encoded_plus = lowered.startswith("%2b")
    if encoded_plus:
        digits = digits[1:]  # the '2' of %2B is not part of the number
    international = value.lstrip("(").startswith(("+", "00")) or encoded_plus
    number = digits[2:] if value.lstrip("(").startswith("00") else digits
    if international or len(number) >= 11:
        keep = _country_code_length(number) or 1
    else:
        keep = 1 if len(number) < 10 else 2
    keep += len(digits) - len(number)
    if encoded_plus:
        keep += 1
        head, body = value[:3], value[3:]
        return head + _replace_digits(body, keep - 1, stream, number)
    return _replace_digits(value, keep, stream, number)


def pseudonym_mac(stream: KeyedStream, value: str) -> str:
    """Keep the vendor prefix (OUI), the separator style and the letter case."""
    hexdigits = [c for c in value if c in string.hexdigits]
    norm = "".join(hexdigits).lower()
    source = stream.bytes_stream(norm)
    upper = any(c.isupper() for c in value)
    out: list[str] = []
    seen = 0
    for ch in value:
        if ch in string.hexdigits:
            if seen >= 6:
                digit = "0123456789abcdef"[stream.below(source, 16)]
                ch = digit.upper() if upper else digit
            seen += 1
        out.append(ch)
    result = "".join(out)
    if result.lower() == value.lower():
        result = result[:-1] + ("1" if result[-1] != "1" else "2")
    return result


def pseudonym_alnum(stream: KeyedStream, value: str) -> str:
    """Same length and the same character class at each position (tokens, ids, keys)."""
    source = stream.bytes_stream(value)
    # Digits stay digits (OTP codes, IMEIs); hex stays hex, separators kept (UUIDs, push tokens).
    is_digits = all(c.isdigit() or c in "- " for c in value)
    is_hex = not is_digits and all(c in string.hexdigits or c in "-:" for c in value)
    out: list[str] = []
    for ch in value:
        if ch in "-: " and (is_hex or is_digits):
            out.append(ch)
            continue
        if is_hex:
            alphabet = "0123456789abcdef" if not ch.isupper() else "0123456789ABCDEF"
        elif ch.isdigit():
            alphabet = string.digits
        elif ch.islower() and ch.isascii():
            alphabet = string.ascii_lowercase
        elif ch.isupper() and ch.isascii():
            alphabet = string.ascii_uppercase
        else:
            out.append(ch)
            continue
        out.append(alphabet[stream.below(source, len(alphabet))])
    result = "".join(out)
    return result if result != value else pseudonym_tagged(stream, "tok", value)


def pseudonym_tagged(stream: KeyedStream, tag: str, value: str) -> str:
    """A readable stable token such as `Person-7f3a9c` that is valid wherever a word is."""
    return f"{tag}-{stream.hex(value, 6)}"


def pseudonym_email(stream: KeyedStream, value: str, provider_domains: frozenset[str]) -> str:
    local, _, domain = value.rpartition("@")
    if "%40" in value.lower() and not local:
        idx = value.lower().rfind("%40")
        local, domain = value[:idx], value[idx + 3 :]
        joiner = value[idx : idx + 3]
    else:
        joiner = "@"
    new_local = pseudonym_tagged(stream, "user", local.lower())
    new_domain = domain if domain.lower().strip(".") in provider_domains else "example.invalid"
    return f"{new_local}{joiner}{new_domain}"
