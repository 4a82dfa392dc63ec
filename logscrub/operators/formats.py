"""Format-preserving pseudonyms: the replacement looks like the original kind of value.

An IP stays an IP of the same class with the same octet text lengths, a phone number
keeps its country code, length and separators, a MAC keeps its vendor prefix, an email
stays an email. Every function is deterministic for (key, value) and never returns its input.
"""

from __future__ import annotations

import ipaddress
import re
import string
from functools import lru_cache

import phonenumbers

from ..phonevalid import is_valid as _valid_number
from ..phonevalid import is_valid_number
from .fpe import KeyedPermutation
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


def _v4_octet_range(index: int, text: str, mode: str) -> tuple[int, int] | None:
    """The values an octet may take: the same text length (SIP/SDP lengths stay right),
    within its class. 0 and 255 stay (network and broadcast addresses keep their shape)."""
    number = int(text)
    if number in (0, 255):
        return None
    low, high = {1: (1, 9), 2: (10, 99)}.get(len(text), (100, 254))
    if index == 0 and high == 254:
        high = 223  # never multicast or reserved
    if index == 1 and mode == "172.16":
        low, high = max(low, 16), min(high, 31)
    if index == 1 and mode == "100.64":
        low, high = max(low, 64), min(high, 127)
    return low, high


def _v4_step(perm: KeyedPermutation, octets: list[str], keep: int, mode: str) -> list[str]:
    """One application of the address permutation: octet i is deranged within its range by
    a permutation chosen by the octets before it (prefix-preserving, as Crypto-PAn)."""
    out = octets[:keep]
    for i in range(keep, 4):
        bounds = _v4_octet_range(i, octets[i], mode)
        if bounds is None:
            out.append(octets[i])
            continue
        low, high = bounds
        mapped = _cached_derange(perm, int(octets[i]) - low, high - low + 1, ".".join(octets[:i]))
        out.append(str(low + mapped))
    return out


@lru_cache(maxsize=65536)
def _cached_derange(perm: KeyedPermutation, x: int, n: int, tweak: str) -> int:
    return perm.derange(x, n, tweak)


def _is_public_v4(octets: list[str]) -> bool:
    address = ipaddress.IPv4Address(".".join(octets))
    return not any(address in network for network in _PUBLIC_SPECIAL_V4)


def pseudonym_ipv4(perm: KeyedPermutation, value: str) -> str:
    """A keyed, prefix-preserving bijection that keeps each octet's text length and the
    address class: private ranges map within themselves, public addresses to public ones
    outside every special range. Addresses with nothing to change (loopback, 0.0.0.0,
    10.0.0.0) stay."""
    addr = ipaddress.IPv4Address(value)
    keep = 0
    for network, kept in _KEEP_PREFIX_V4:
        if addr in network:
            keep = kept
            break
    octets = value.split(".")
    if keep == 4 or all(_v4_octet_range(i, octets[i], "") is None for i in range(keep, 4)):
        return value
    mode = "172.16" if keep and octets[0] == "172" else "100.64" if keep and octets[0] == "100" else ""
    out = _v4_step(perm, octets, keep, mode)
    if not keep:
        # Cycle walking: the first octet runs through every value of its length before it
        # comes back, so a public address is found, and the mapping stays a bijection.
        for _ in range(100_000):
            if _is_public_v4(out) and out != octets:
                break
            out = _v4_step(perm, out, keep, mode)
    return ".".join(out)


_HEX_GROUP = re.compile(r"[0-9A-Fa-f]{1,4}")


def pseudonym_ipv6(perm: KeyedPermutation, value: str, v4: KeyedPermutation) -> str:
    """Hextet by hextet, as pseudonym_ipv4 octet by octet: zero hextets stay (so `::`
    stays), every other one keeps its number of hex digits and is deranged by a
    permutation chosen by the hextets before it. The text keeps its own shape (compressed
    or not, leading zeros, case), so the same address written two ways maps alike and
    every form keeps its length. The first hextet (the class: global, ULA, link-local)
    stays, and link-local addresses keep their /64 prefix."""
    core, sep, zone = value.partition("%")
    addr = ipaddress.IPv6Address(core)
    if addr.ipv4_mapped is not None:
        # Maps exactly like the IPv4 address it carries, so both forms correlate.
        mapped_v4 = pseudonym_ipv4(v4, str(addr.ipv4_mapped))
        if "." in core:
            return core[: core.rfind(":") + 1] + mapped_v4 + sep + zone
        return "::ffff:" + _v4_as_hex(mapped_v4) + sep + zone
    if "." in core:
        raise ValueError("embedded IPv4 tail")  # rare (NAT64 text forms): a tagged token
    packed = addr.packed
    hextets = [int.from_bytes(packed[i : i + 2], "big") for i in range(0, 16, 2)]
    keep = 4 if addr.is_link_local else 1
    mapped = hextets[:keep]
    for i in range(keep, 8):
        h = hextets[i]
        if h == 0:
            mapped.append(0)
            continue
        low = 1 << (4 * (len(f"{h:x}") - 1)) if h >= 16 else 1
        high = (1 << (4 * len(f"{h:x}"))) - 1
        prefix = ":".join(map(str, hextets[:i]))
        mapped.append(low + _cached_derange(perm, h - low, high - low + 1, prefix))
    if mapped == hextets:
        return value  # nothing to change (2001::, fe80::)
    return _render_v6(core, mapped) + sep + zone


def _render_v6(core: str, mapped: list[int]) -> str:
    """`mapped` written in the shape of `core`: the same groups, widths, `::` and case."""
    head, double, tail = core.partition("::")
    head_groups = head.split(":") if head else []
    tail_groups = tail.split(":") if tail else []
    positions = list(range(len(head_groups))) + list(range(8 - len(tail_groups), 8))
    texts = head_groups + tail_groups
    out: list[str] = []
    for index, text in zip(positions, texts, strict=True):
        rendered = f"{mapped[index]:0{len(text)}x}"
        out.append(rendered.upper() if any(c.isupper() for c in text) else rendered)
    head_out = ":".join(out[: len(head_groups)])
    tail_out = ":".join(out[len(head_groups) :])
    return f"{head_out}{double}{tail_out}" if double else head_out


def _v4_as_hex(dotted: str) -> str:
    a, b, c, d = (int(x) for x in dotted.split("."))
    return f"{a << 8 | b:x}:{c << 8 | d:x}"


def _parse_international(digits: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None


def _is_valid_with(country_code: int, national: str) -> bool:
    """Whether +country_code national is a valid number (phonevalid.py: the answer of
    `phonenumbers.is_valid_number`, from the same metadata compiled per region and length,
    at a twentieth of its cost: a pseudonym walk asks once per step)."""
    return _valid_number(country_code, national)


# A subscriber part shorter than this keeps too few possibilities to hide a number in:
# then only the country code is kept.
_MIN_SUBSCRIBER_DIGITS = 5


def uses_region(value: str) -> bool:
    """Whether a number's pseudonym depends on the region it is read in (see
    pseudonym_phone): one written nationally; an international one carries its country."""
    return not (value.lstrip("(").startswith(("+", "00")) or value[:3].lower() == "%2b")


def pseudonym_phone(perm: KeyedPermutation, value: str, region: str | None = None) -> str:
    """Keep the country code and the national destination code (area or mobile network
    code) of a valid international number, or the trunk prefix of a national one, plus the
    digit count and every separator. The subscriber digits go through a keyed bijection of
    all digit strings of their length, walked on to a valid number when the original is
    one. The permutation is chosen by the digits kept, not by how the number is written,
    so `+14155550123`, `+1 415-555-0123`, `tel:+14155550123` and `sip:14155550123@` map to
    one number, written in each input's own format.

    `region` (ISO country code): the country of a number written nationally, when the run
    knows it (from the same number written internationally elsewhere, or the policy's
    `default_region`). Such a number gets the pseudonym of its E.164 form, written back
    nationally: `(415) 555-0123` and `+14155550123` keep one set of digits."""
    lowered = value.lower()
    digits = "".join(ch for ch in value if ch.isdigit() and ch.isascii())
    encoded_plus = lowered.startswith("%2b")
    if encoded_plus:
        digits = digits[1:]  # the '2' of %2B is not part of the number
    international = not uses_region(value)
    number = digits[2:] if value.lstrip("(").startswith("00") else digits
    national = None if international or region is None else national_number(digits, region)
    if national is not None:
        country_code, significant = national
        new_number = _pseudonym_digits(perm, f"{country_code}{significant}", True)
        new_digits = digits[: len(digits) - len(significant)] + new_number[len(str(country_code)) :]
    else:
        new_number = _pseudonym_digits(perm, number, international)
        new_digits = digits[: len(digits) - len(number)] + new_number
    out = iter(new_digits)
    start = 3 if encoded_plus else 0
    body = "".join(next(out) if ch.isdigit() and ch.isascii() else ch for ch in value[start:])
    return value[:start] + body


def national_number(digits: str, region: str) -> tuple[int, str] | None:
    """(country code, national significant number) of `digits` written nationally in
    `region` (trunk prefix or not), when that is a valid number whose digits end `digits`."""
    try:
        parsed = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None
    if not is_valid_number(parsed):
        return None
    significant = phonenumbers.national_significant_number(parsed)
    if not digits.endswith(significant) or parsed.country_code is None:
        return None
    return int(parsed.country_code), significant


_WALK_LIMIT = 2_000


def _pseudonym_digits(perm: KeyedPermutation, number: str, international: bool) -> str:
    """`number`'s digits with its subscriber part permuted (see pseudonym_phone)."""
    valid = False
    country_code = 0
    if international or len(number) >= 11:
        parsed = _parse_international(number)
        kept = len(str(parsed.country_code)) if parsed is not None else 1
        if parsed is not None and is_valid_number(parsed):
            valid = True
            country_code = int(parsed.country_code or 0)
            with_ndc = kept + phonenumbers.length_of_national_destination_code(parsed)
            if len(number) - with_ndc >= _MIN_SUBSCRIBER_DIGITS:
                kept = with_ndc
    else:
        kept = 1 if number.startswith("0") else 0
    rest = len(number) - kept
    if rest < 1:
        raise ValueError("no subscriber digits")
    head = number[:kept]
    national_head = head[len(str(country_code)) :]

    def acceptable(candidate: int) -> bool:
        return not valid or _is_valid_with(country_code, national_head + f"{candidate:0{rest}d}")

    # Bounded: a kept prefix that admits few valid numbers of this length (a 20-digit device
    # id that parses as some country's number) would walk the whole cycle, ~90 µs a step;
    # past the bound the number gets a tagged pseudonym instead (see Replacer).
    subscriber = perm.derange_until(
        int(number[kept:]), 10**rest, f"{head}|{rest}", acceptable, limit=_WALK_LIMIT
    )
    return head + f"{subscriber:0{rest}d}"


def pseudonym_mac(perm: KeyedPermutation, value: str) -> str:
    """Keep the vendor prefix (OUI), the separator style and the letter case; the device
    part goes through a keyed bijection chosen by the OUI, so `00:15:65:93:7c:63` and the
    bare `001565937c63` of a provisioning file name map alike."""
    hexdigits = [c for c in value if c in string.hexdigits]
    norm = "".join(hexdigits).lower()
    if len(norm) <= 6:
        raise ValueError("no device part")
    device_digits = len(norm) - 6
    device = perm.derange(int(norm[6:], 16), 16**device_digits, f"{norm[:6]}|{device_digits}")
    new = iter(norm[:6] + f"{device:0{device_digits}x}")
    upper = any(c.isupper() for c in value)
    out = []
    for ch in value:
        if ch in string.hexdigits:
            digit = next(new)
            out.append(digit.upper() if upper else digit)
        else:
            out.append(ch)
    return "".join(out)


_HEX_LOWER = "0123456789abcdef"
_HEX_UPPER = "0123456789ABCDEF"
_SHAPE_CODES = {
    _HEX_LOWER: "f",
    _HEX_UPPER: "F",
    string.digits: "9",
    string.ascii_lowercase: "a",
    string.ascii_uppercase: "A",
}
_INDEX = {alphabet: {c: i for i, c in enumerate(alphabet)} for alphabet in _SHAPE_CODES}
_PLAIN_CLASSES = {
    **dict.fromkeys(string.digits, string.digits),
    **dict.fromkeys(string.ascii_lowercase, string.ascii_lowercase),
    **dict.fromkeys(string.ascii_uppercase, string.ascii_uppercase),
}
# Hex stays hex: letters keep their case, digits follow the value's case.
_HEX_CLASSES = {
    case: {
        **dict.fromkeys("abcdef", _HEX_LOWER),
        **dict.fromkeys("ABCDEF", _HEX_UPPER),
        **dict.fromkeys(string.digits, case),
    }
    for case in (_HEX_LOWER, _HEX_UPPER)
}
_DIGIT_SHAPE = frozenset(string.digits + "- ")
_HEX_SHAPE = frozenset(string.hexdigits + "-: ")
# Positions permuted together: 48 characters of an alphabet of at most 26 stay below 2**256.
_CHUNK = 48
# Shapes with more strings than this use a keyed hash instead of a keyed permutation.
_PERMUTED_DOMAIN = 1 << 64


def _alphabets(value: str) -> list[str | None]:
    """The alphabet each character is drawn from (None: kept as it is). Digits stay digits
    (OTP codes, IMEIs); hex stays hex in its own case, separators kept (UUIDs, push tokens,
    `<f709f6a8 0cb8b0ff ...>`)."""
    chars = set(value)
    if not chars <= _DIGIT_SHAPE and chars <= _HEX_SHAPE:
        classes = _HEX_CLASSES[_HEX_UPPER if value.upper() == value else _HEX_LOWER]
    else:
        classes = _PLAIN_CLASSES
    return [classes.get(c) for c in value]


def pseudonym_alnum(perm: KeyedPermutation, value: str) -> str:
    """Same length and the same alphabet at each position (tokens, ids, keys), keyed: a push
    token registered again later gets the same pseudonym. Values of small shapes (OTP
    codes, short ids: up to 2**64 strings of their shape) go through a keyed bijection, so
    two never share a pseudonym; longer ones through a keyed hash of the same shape, where
    a shared pseudonym is too unlikely to happen (and a keyed permutation would cost ten
    times as much). Long values are handled in chunks of positions."""
    alphabets = _alphabets(value)
    slots = [i for i, alphabet in enumerate(alphabets) if alphabet is not None]
    if not slots:
        raise ValueError("nothing to replace")
    # The permutation is chosen by the shape (alphabet per position, kept characters).
    shape = "".join(ch if a is None else _SHAPE_CODES[a] for ch, a in zip(value, alphabets, strict=True))
    out = list(value)
    for number in range(0, len(slots), _CHUNK):
        positions = slots[number : number + _CHUNK]
        x, size = 0, 1
        for i in positions:
            alphabet = alphabets[i] or ""
            x = x * len(alphabet) + _INDEX[alphabet][value[i]]
            size *= len(alphabet)
        tweak = f"{shape}|{number}"
        if size > _PERMUTED_DOMAIN:
            y = perm.random_in(size, tweak, x)
            if y == x:
                y = perm.derange(x, size, tweak)
        else:
            y = perm.derange(x, size, tweak)
        for i in reversed(positions):
            alphabet = alphabets[i] or ""
            y, digit = divmod(y, len(alphabet))
            out[i] = alphabet[digit]
    return "".join(out)


def pseudonym_tagged(stream: KeyedStream, tag: str, value: str) -> str:
    """A readable stable token such as `Person-7f3a9c01`, valid wherever a word is."""
    return f"{tag}-{stream.hex(value, 8)}"


def same_length_tagged(stream: KeyedStream, tag: str, value: str) -> str:
    """pseudonym_tagged cut to the length of `value` (capture payloads keep their lengths):
    `Person-7f3a` for `Jane Roe Smith`, hex alone for values shorter than the tag."""
    length = len(value)
    digest = stream.hex(value, 64)
    if length >= len(tag) + 3:
        result = f"{tag}-{digest}"[:length]
        return result + digest[: length - len(result)]
    result = digest[:length]
    if result == value:
        result = ("g" if result[0] != "g" else "h") + result[1:]  # 'g' is no hex digit
    return result


def pseudonym_email(stream: KeyedStream, value: str, provider_domains: frozenset[str]) -> str:
    local, joiner, domain = _split_email(value)
    new_local = pseudonym_tagged(stream, "user", local.lower())
    new_domain = domain if domain.lower().strip(".") in provider_domains else "example.invalid"
    return f"{new_local}{joiner or '@'}{new_domain}"


def _split_email(value: str) -> tuple[str, str, str]:
    """(local part, '@' or '%40' as written, domain); a piece without either (the part of
    an address a folded line left on one line, `ducre`) is all local part, with no joiner:
    each such piece has a pseudonym of its own."""
    local, at, domain = value.rpartition("@")
    if "%40" in value.lower() and not local:
        idx = value.lower().rfind("%40")
        return value[:idx], value[idx : idx + 3], value[idx + 3 :]
    if not at:
        return value, "", ""
    return local, "@", domain


def same_length_email(perm: KeyedPermutation, value: str, provider_domains: frozenset[str]) -> str:
    """An address of the same length: the local part and the domain's labels (but the
    top-level one) through pseudonym_alnum; the provider's own domains stay."""
    local, joiner, domain = _split_email(value)
    if not joiner:
        return pseudonym_alnum(perm, local)  # a piece of an address: the same length
    if domain.lower().strip(".") not in provider_domains:
        labels = domain.split(".")
        domain = ".".join([*(pseudonym_alnum(perm, label) for label in labels[:-1]), labels[-1]])
    return f"{pseudonym_alnum(perm, local)}{joiner}{domain}"
