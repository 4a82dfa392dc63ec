"""Named validators that rules refer to by name.

A validator decides whether a regex candidate really is the entity. It sees the
candidate value and where it sits in the scanned text (for context checks), and
returns True to keep the candidate. Rules are checked at load time: a rule naming
an unknown validator is an error then, never at scan time.
"""

from __future__ import annotations

import base64
import binascii
import email.errors
import email.header
import ipaddress
import itertools
import re
from collections.abc import Callable
from functools import lru_cache

import phonenumbers
import regex

from ..ipforms import ipv4_from_integer
from ..phonevalid import is_valid_number

Validator = Callable[[str, str, int, int], bool]
"""(value, text, start, end) -> keep the candidate?"""

VALIDATORS: dict[str, Validator] = {}


def validator(name: str) -> Callable[[Validator], Validator]:
    def register(func: Validator) -> Validator:
        VALIDATORS[name] = func
        return func

    return register


def line_prefix(text: str, start: int, limit: int = 200) -> str:
    """The text on the same line before `start` (at most `limit` characters)."""
    lo = max(0, start - limit)
    nl = text.rfind("\n", lo, start)
    return text[(nl + 1 if nl >= 0 else lo) : start]


def digits_of(value: str) -> str:
    return "".join(filter(str.isdigit, value))


def is_luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# Social Security numbers that were never issued, or published in advertising.
_SSN_NEVER = frozenset({"078051120", "219099999", "123456789"})


@validator("ssn")
def _ssn(value: str, text: str, start: int, end: int) -> bool:
    """A US Social Security number that can have been issued: area 001-899 but not 666,
    group 01-99, serial 0001-9999 (SSA rules), written 123-45-6789, 123 45 6789 or bare."""
    digits = digits_of(value)
    if len(digits) != 9 or digits in _SSN_NEVER:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return "001" <= area <= "899" and area != "666" and group != "00" and serial != "0000"


@validator("luhn")
def _luhn(value: str, text: str, start: int, end: int) -> bool:
    digits = digits_of(value)
    return len(digits) >= 2 and is_luhn_valid(digits)


_CARD_PREFIX = regex.compile(r"4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9])|3(?:0[0-5]|[68])|35")


@validator("card_prefix")
def _card_prefix(value: str, text: str, start: int, end: int) -> bool:
    digits = digits_of(value)
    # Test cards such as 4111 1111 1111 1111 are real-looking data in logs: only a single
    # repeated digit is rejected.
    return 13 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) is not None and len(set(digits)) > 1


# --- IP addresses -------------------------------------------------------------

_AGENT_HEADER = re.compile(r"(?i)user[-_ ]?agent|server:")
_VERSION_WORDS = frozenset(
    {"v", "ver", "version", "build", "release", "rev", "revision", "firmware", "fw", "sw", "kernel"}
)


# A device model: `GXP2170`, `SPA-504G`, `SIP-T19P_E2` (a letter, digits, a letter inside);
# not a host name like `SBC-01` or `PBX01`.
_MODEL_NUMBER = re.compile(
    r"[A-Z]{2,}[0-9]{3,}[A-Z]{0,3}|[A-Z]{2,}-[0-9]{3,}[A-Z]{1,3}"
    r"|(?=[A-Z0-9_-]*[A-Z][0-9]+[A-Z])[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*"
)


# A structured field ends: `"...", ` (JSON) or `'...';` before the candidate.
_FIELD_END = re.compile(r"""["'][ \t]*[,;}]""")


def _in_agent_value(before: str) -> bool:
    """Whether the text ending here is inside the value of a User-Agent / Server field
    (not in a later field of the same line: `"User-Agent":"X/1.1","X-Forwarded-For":"10.0.12.7"`)."""
    ends = [match.end() for match in _AGENT_HEADER.finditer(before)]
    return bool(ends) and _FIELD_END.search(before, ends[-1]) is None


_DN_PART = re.compile(r"(?i)\b(?:CN|O|OU|C|ST|L|DC|emailAddress)=")


@validator("not_distinguished_name")
def _not_distinguished_name(value: str, text: str, start: int, end: int) -> bool:
    """`CN=sip.example.com, O=Example`: a certificate's subject, not text a person wrote."""
    return _DN_PART.search(value) is None


@validator("not_version")
def _not_version(value: str, text: str, start: int, end: int) -> bool:
    """`Chrome/146.0.0.0`, `version 5.2.1.4`, `Linux-4.8.0.34` are versions, not addresses.

    A slash alone (`/192.168.0.1`, Java's InetAddress.toString) or a URL (`http://1.2.3.4`)
    still means an address.
    """
    prev = text[start - 1] if start > 0 else ""
    if prev in "/-":
        # `Chrome/146.0.0.0`, `Linux-4.8.0.34`: a product name glued on; `//` and ` /` are addresses.
        # JSON escapes the slash: `Chrome\/146.0.0.0` is a version too.
        glued = start - 2
        if prev == "/" and glued >= 0 and text[glued] == "\\":
            glued -= 1
        if not (glued >= 0 and text[glued].isalnum()):
            return True
        if prev == "-":
            return False
        # After `word/`, evidence of an address: a port (`eth0/192.168.1.20:5060`,
        # `IPV4/UDP/92.28.73.180/5060`), a transport before it (Asterisk's security events)
        # or a private range (`internal/172.17.0.2`, rtpengine); no product numbers its
        # versions so.
        port_after = text.startswith(":", end) or (
            text.startswith("/", end) and text[end + 1 : end + 2].isdigit()
        )
        return (
            port_after
            or _TRANSPORT_BEFORE.search(text, max(0, start - 8), start - 1) is not None
            or _PRIVATE_V4.match(value) is not None
        )
    if prev in " \t:=#":
        lo = text.rfind("\n", max(0, start - 120), start) + 1 or max(0, start - 120)
        before = text[lo:start]
        # The plain `in` tests are a cheap first look: the regex runs on few candidates.
        if ("ent" in before or "erver" in before or "ENT" in before or "ERVER" in before) and (
            _in_agent_value(before)
        ):
            return False  # `User-Agent: Yealink SIP-T54W 96.86.0.70`: a firmware version
        words = text[max(0, start - 24) : start].split()
        last = words[-1].strip(":=#!'\"([") if words else ""
        if len(words) >= 2 and words[-2].lower().strip(":=#!'\"([") in ("kernel", "firmware", "version"):
            return False  # `Kernel info: 2.6.32.9`, `firmware ver 1.0.11.23`
        # `Grandstream GXP2170 1.0.11.23`: a firmware version after a model number.
        return last.lower() not in _VERSION_WORDS and _MODEL_NUMBER.fullmatch(last) is None
    return True


_TRANSPORT_BEFORE = re.compile(r"(?i)(?:udp|tcp|tls|wss?|sctp|ipv[46])$")
_PRIVATE_V4 = re.compile(r"(?:192\.168|172\.(?:1[6-9]|2[0-9]|3[01]))\.")


def ip_is_sensitive(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback and unspecified addresses, and the public DNS resolvers, identify nobody
    and stay readable."""
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return ip_is_sensitive(addr.ipv4_mapped)
    return not (addr.is_loopback or addr.is_unspecified or addr.compressed in PUBLIC_RESOLVERS)


# The public DNS resolvers that phones, gateways and DHCP leases are set to (Google,
# Cloudflare, Quad9, OpenDNS, AdGuard): every customer's log names them, and a support
# engineer checks them (`static.network.primary_dns = 8.8.8.8`). Not 1.1.1.1 and 1.0.0.1:
# configs and SDP write them as often as a dummy standing for the real address (an SDP
# origin, rtpengine's advertised address), so they go like any address.
PUBLIC_RESOLVERS = frozenset(
    """
    8.8.8.8 8.8.4.4 162.159.36.1 172.64.36.1 172.64.36.2 9.9.9.9
    149.112.112.112 208.67.222.222 208.67.220.220 94.140.14.14 94.140.15.15
    2001:4860:4860::8888 2001:4860:4860::8844 2606:4700:4700::1111 2606:4700:4700::1001
    2620:fe::fe 2620:fe::9 2620:119:35::35 2620:119:53::53
    """.split()  # noqa: SIM905 - a word list reads better as text
)


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


@validator("ipv4")
def _ipv4(value: str, text: str, start: int, end: int) -> bool:
    # A compiled fullmatch: ipaddress.IPv4Address (or splitting in Python) is several times
    # slower, and this runs on every candidate. No leading zeros (`010` is octal to some).
    # Loopback, unspecified and broadcast identify nobody.
    return (
        _IPV4.fullmatch(value) is not None
        and not value.startswith("127.")
        and value not in ("0.0.0.0", "255.255.255.255")
        and value not in PUBLIC_RESOLVERS
    )


_PRIVATE_V4_ANY = re.compile(
    r"(?:10|192\.168|172\.(?:1[6-9]|2[0-9]|3[01])|100\.(?:6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])|169\.254)\."
)


@validator("separated_ipv4")
def _separated_ipv4(value: str, text: str, start: int, end: int) -> bool:
    """An IPv4 written with `_` between its octets (`192_168_0_250`), standing on its own
    or after a word and an underscore (`trace_192_168_1_20`); after a word, only a private
    address, as versions are spelled so too (`OpenSSL_1_1_1_1`)."""
    dotted = value.replace("_", ".")
    if not _ipv4(dotted, text, start, end) or dotted == "0.0.0.0":
        return False
    before = text[start - 1] if start > 0 else ""
    if before == "_":
        glued = text[start - 2] if start > 1 else ""
        return glued.isalpha() and _PRIVATE_V4_ANY.match(dotted) is not None
    return not before.isalnum() and before != "."


@validator("not_unspecified_v4")
def _not_unspecified_v4(value: str, text: str, start: int, end: int) -> bool:
    """Any dotted quad in an address position but loopback and 0.0.0.0 (SDP's hold)."""
    return not value.startswith("127.") and value != "0.0.0.0"


@validator("ipv6")
def _ipv6(value: str, text: str, start: int, end: int) -> bool:
    core = value.split("%", 1)[0]
    if core.count(":") < 2 or ("::" not in core and core.count(":") != 7 and "." not in core):
        return False
    try:
        addr = ipaddress.IPv6Address(core)
    except ValueError:
        return False
    return ip_is_sensitive(addr)


# --- phone numbers -------------------------------------------------------------


@lru_cache(maxsize=65536)
def _international(digits: str) -> phonenumbers.PhoneNumber | None:
    """`+digits` parsed (cached: validators ask about the same numbers again and again);
    None when it does not parse. Callers must not change the result."""
    try:
        return phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None


def _possible_international(digits: str) -> bool:
    number = _international(digits)
    return number is not None and bool(phonenumbers.is_possible_number(number))


@validator("phone_international")
def _phone_international(value: str, text: str, start: int, end: int) -> bool:
    """`+CC...` or `00CC...`: the country code and length must be possible. A `+` and
    8-15 digits written as one run (`+1420732652757`, a number mangled by a client, an
    invented one) is a number too when its country code exists: nothing else is written so."""
    digits = digits_of(value)
    if value.lstrip("(").startswith("00"):
        digits = digits[2:]
    if not 7 <= len(digits) <= 15:
        return False
    if _possible_international(digits):
        return True
    return len(digits) >= 8 and value[:1] == "+" and value[1:].isdigit() and _country_code_exists(digits)


@validator("valid_international")
def _valid_international(value: str, text: str, start: int, end: int) -> bool:
    """A valid number with its country code written as one run (`18326376057`,
    `+33767841942`): what a generic key (`trialNumber`) holds when it holds a number."""
    run = value.strip()
    digits = run[1:] if run[:1] == "+" else run
    return 11 <= len(digits) <= 15 and digits.isdigit() and _valid_with_country(digits)


def _valid_with_country(digits: str) -> bool:
    number = _international(digits)
    return number is not None and is_valid_number(number)


def _country_code_exists(digits: str) -> bool:
    return any(int(digits[:n]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE for n in (1, 2, 3))


_DATE_LIKE = regex.compile(
    r"^(?:(?:19|20)\d\d[-./]\d\d?[-./]\d\d?|\d\d?[-./]\d\d?[-./](?:19|20)?\d\d)(?:\D|$)"
)


@validator("not_date")
def _not_date(value: str, text: str, start: int, end: int) -> bool:
    """Not a date, nor a number run into an ISO date (`20 2019-01-01` after `dialog`)."""
    return _DATE_LIKE.match(value) is None and _ISO_DATE_INSIDE.search(value) is None


@validator("not_time_value")
def _not_time_value(value: str, text: str, start: int, end: int) -> bool:
    """Not a time stamp or a duration as a whole (`title="2020-08-19T15:31:21.000-04:00"`,
    `title="PT25S"` of hCalendar / hAudio markup, `title="10.02.2022 19:50:56"` of Telegram's
    HTML export: the tooltip of a date or a length)."""
    return _TIME_VALUE.fullmatch(value.strip()) is None


_TIME_VALUE = regex.compile(
    r"(?:19|20)\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
    r"|\d\d?:\d\d(?::\d\d(?:[.,]\d+)?)?"
    # day or month first (`10.02.2022 19:50:56 UTC+07:00`, the tooltip of a chat export's time)
    r"|\d\d?[./-]\d\d?[./-](?:19|20)\d\d(?:,?[ T]\d\d?:\d\d(?::\d\d(?:[.,]\d+)?)?"
    r"(?:[ ]?(?:UTC|GMT)?[+-]\d\d?(?::?\d\d)?)?)?"
    r"|P(?=T?\d)(?:\d+[YMWD])*(?:T(?:\d+(?:[.,]\d+)?[HMS])+)?"
)


_ISO_DATE_INSIDE = regex.compile(
    r"(?<!\d)(?:19|20)\d\d[-/](?:0?[1-9]|1[0-2])[-/](?:0?[1-9]|[12]\d|3[01])(?!\d)"
)


def _epoch_like(digits: str) -> bool:
    # Unix time in seconds or milliseconds between 2001 and 2033.
    n = int(digits)
    return (len(digits) == 10 and 1_000_000_000 <= n < 2_000_000_000) or (
        len(digits) == 13 and 1_000_000_000_000 <= n < 2_000_000_000_000
    )


@validator("ucs2_phone")
def _ucs2_phone(value: str, text: str, start: int, end: int) -> bool:
    """UCS-2 (UTF-16BE) hex that spells a number of 5+ digits (`002B0034...` is `+4...`)."""
    if len(value) % 4 or len(value) < 20:
        return False
    try:
        decoded = bytes.fromhex(value).decode("utf-16-be")
    except ValueError:
        return False
    return _PHONE_LIKE.fullmatch(decoded) is not None and len(digits_of(decoded)) >= 5


_ENDPOINT_KEYS = regex.compile(
    r"(?im)^[ \t]*(?:type[ \t]*=[ \t]*(?:friend|peer|user|endpoint|aor|auth)|secret|host|callerid|mailbox"
    r"|auth|aors|defaultuser|username|md5secret|fromuser)[ \t]*="
)


@validator("endpoint_section")
def _endpoint_section(value: str, text: str, start: int, end: int) -> bool:
    """An INI section (`[1101]`) whose lines, up to the next section, configure an endpoint
    (sip.conf / pjsip.conf: `type=friend`, `secret=`, `host=dynamic`, `callerid=`)."""
    body_end = text.find("\n[", end, end + 2000)
    return _ENDPOINT_KEYS.search(text, end, end + 2000 if body_end < 0 else body_end) is not None


# The lines of a section that make it a login: a secret or password, and permissions
# (manager.conf's `read =` / `write =`) or `type = user` (ari.conf).
_ACCOUNT_SECRET = regex.compile(r"(?im)^[ \t]*(?:secret|password)[ \t]*=")
_ACCOUNT_KIND = regex.compile(r"(?im)^[ \t]*(?:(?:read|write)[ \t]*=|type[ \t]*=[ \t]*user[ \t]*$)")
# A section of another kind (a peer, an endpoint, a trunk) names a thing support needs.
_NOT_ACCOUNT = regex.compile(r"(?im)^[ \t]*(?:host[ \t]*=|context[ \t]*=|type[ \t]*=[ \t]*(?!user[ \t]*$)\w)")


@validator("account_section")
def _account_section(value: str, text: str, start: int, end: int) -> bool:
    """An INI section (`[admin]`) whose lines, up to the next section, make it a login:
    a secret with manager.conf's permissions, or ari.conf's `type = user` with a password."""
    body_end = text.find("\n[", end, end + 2000)
    body_end = end + 2000 if body_end < 0 else body_end
    return (
        _ACCOUNT_SECRET.search(text, end, body_end) is not None
        and _ACCOUNT_KIND.search(text, end, body_end) is not None
        and _NOT_ACCOUNT.search(text, end, body_end) is None
    )


_HEX_BYTES = regex.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7,}")


@validator("not_hex_bytes")
def _not_hex_bytes(value: str, text: str, start: int, end: int) -> bool:
    """Eight or more colon-separated hex bytes (`31:2D:93:50:D1:...`) are a certificate's
    serial number or a fingerprint (mbedTLS / OpenSSL dumps), not a device's."""
    return _HEX_BYTES.fullmatch(value.strip()) is None


@validator("phone_digits")
def _phone_digits(value: str, text: str, start: int, end: int) -> bool:
    """A bare digit run is a phone number unless it looks like a counter or a timestamp."""
    digits = digits_of(value)
    if not 7 <= len(digits) <= 15 or len(set(digits)) <= 2:
        return False
    if digits in "01234567890123456789" or digits in "98765432109876543210":
        return False
    return not _epoch_like(digits)


_PHONE_LIKE = regex.compile(r"(?:\+|%2[Bb]|00)?[\d \t().\-/]{5,27}")


def _is_dotted_quad(value: str) -> bool:
    parts = value.split(".")
    return len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts)


@validator("phone_or_extension")
def _phone_or_extension(value: str, text: str, start: int, end: int) -> bool:
    """A caller-ID or dialled number field: a phone number, or an extension of 3-4 digits.
    A key that only ever holds a number vouches for a test number of one repeated digit
    too (`origination_caller_id_number=5555555555`): it is what the caller shows. Zeros
    (`0000000000`) are the anonymous caller's placeholder."""
    return (
        _phone_like(value, text, start, end)
        or _extension_number(value, text, start, end)
        or _REPEATED_NUMBER.fullmatch(value.strip()) is not None
    )


_REPEATED_NUMBER = regex.compile(r"\+?([1-9])\1{6,14}")


@validator("number_or_user")
def _number_or_user(value: str, text: str, start: int, end: int) -> bool:
    """A caller-ID field (`callee_id_number`, `CallerIDNum`): a number as phone_or_extension
    takes it, or the SIP user that a call to or from an account shows there
    (`callee_id_number: aayush977842990`, Telnyx, FreeSWITCH): a user name of letters and
    digits. Words (`anonymous`, `s`, `unknown`) stay."""
    if _phone_or_extension(value, text, start, end):
        return True
    return _SIP_USER_TOKEN.fullmatch(value.strip()) is not None


_SIP_USER_TOKEN = regex.compile(r"(?=[\w.-]*\p{L})(?=[\w.-]*[0-9])[\p{L}0-9][\w.-]{3,63}")


@validator("extension_number")
def _extension_number(value: str, text: str, start: int, end: int) -> bool:
    """Three or four digits (`700`, `2114`): an extension, when the key says so."""
    stripped = value.strip()
    return 3 <= len(stripped) <= 4 and stripped.isdigit() and stripped.strip("0") != ""


@validator("phone_like")
def _phone_like(value: str, text: str, start: int, end: int) -> bool:
    """A keyed value (`"to": ...`) that is written like a phone number: up to 18 digits, as
    a dialled number carries an outside-line and an international prefix (`9 00 1 ...`)."""
    stripped = value.strip()
    if not _PHONE_LIKE.fullmatch(stripped) or _is_dotted_quad(stripped):
        return False  # `from <127.0.0.1>` (Kannel): an address, which the address rules judge
    digits = digits_of(stripped)
    if len(digits) > 15 and _CARD_PREFIX.match(digits) and is_luhn_valid(digits):
        return False  # a payment card under a `number` key: the card rules take it
    return 5 <= len(digits) <= 18 and len(set(digits)) > 1


# Keys whose numbers are identifiers, counters or times, never phone numbers.
_ID_WORDS = frozenset(
    [
        "id",
        "ids",
        "uid",
        "guid",
        "uuid",
        "seq",
        "cseq",
        "ts",
        "time",
        "timestamp",
        "date",
        "epoch",
        "size",
        "bytes",
        "len",
        "length",
        "count",
        "counter",
        "port",
        "pid",
        "tid",
        "build",
        "version",
        "ver",
        "serial",
        "nonce",
        "ssrc",
        "sequence",
        "offset",
        "duration",
        "context",
        "ref",
        "trace",
        "span",
        "order",
        "invoice",
        "hash",
        "crc",
        "checksum",
        "code",
        "status",
        "expires",
        "ttl",
        "cost",
        "price",
        "amount",
        "total",
        "sum",
        "max",
        "min",
        "rate",
        "bitrate",
        "index",
        "idx",
        "mtu",
        "session",
        "cnonce",
        "opaque",
        "rid",
        "sid",
        "branch",
        "tag",
        "lead",
        "domain",
        "realm",
        "scts",
        "priority",
        "label",  # SDP `a=label:` and SIPREC `<stream><label>` (RFC 4574, 7866): a media label
    ]
)
_WORD_PARTS = regex.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def key_before(text: str, start: int, limit: int = 48) -> str:
    """The key a value belongs to (`"call_id": "` -> `call_id`), scanning back from `start`."""
    lo = max(0, start - limit)
    i = start
    while i > lo and text[i - 1] in " \t\"'([":
        i -= 1
    if i > lo and text[i - 1] in ":=>":
        i -= 1
        if i > lo and text[i - 1] in "=-":
            i -= 1
    while i > lo and text[i - 1] in " \t\"'":
        i -= 1
    j = i
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in "_-."):
        j -= 1
    return text[j:i]


@validator("grandstream_p_value")
def _grandstream_p_value(value: str, text: str, start: int, end: int) -> bool:
    """A Grandstream P-value as Grandstream writes one: `P2 = ...` in a text configuration,
    `<P2>...</P2>` in XML, `P2=` in a URL or a query, `"P2": "..."` in JSON; a capital P,
    and no bare colon (`p2: 0` is the second parameter of an APDU in a radio log)."""
    before = text[max(0, start - 12) : start]
    return _GRANDSTREAM_KEY.search(before) is not None


_GRANDSTREAM_KEY = regex.compile(
    r"(?:<P\d{1,5}>|(?<![\w.])P\d{1,5}[ \t]*=[ \t]*[\"']?|\"P\d{1,5}\"[ \t]*:[ \t]*\"?)$"
)


@validator("not_id_key")
def _not_id_key(value: str, text: str, start: int, end: int) -> bool:
    """Reject a number that is the value of an id/counter/time key (`"call_id": "..."`, `CSeq: `)."""
    key = key_before(text, start)
    if not key:
        return True
    if key.lower() in _ID_WORDS:
        return False
    parts = _WORD_PARTS.findall(key)
    return not (parts and parts[-1].lower() in _ID_WORDS)


_SDP_FIELD_BEFORE = regex.compile(r"(?:^|[\s:\]>|])[otrzka]=[^=]*$")


@validator("not_in_sdp_origin")
def _not_in_sdp_origin(value: str, text: str, start: int, end: int) -> bool:
    """SDP session ids (o=), times, and attribute numbers (ICE priorities, SSRCs) are not
    phones; nor are the foundation and priority of an ICE candidate written outside SDP
    (WebRTC logs: `candidate:842163049 1 udp 2122260223 ...`)."""
    before = line_prefix(text, start, 200)
    if "candidate:" in before:
        return False
    # The SDP line may sit behind a log prefix (`D PjSipLogWriter: o=- 3785653240 ...`).
    return _SDP_FIELD_BEFORE.search(before) is None


_CALL_ID_BEFORE = regex.compile(r"(?i)(?:^|[\s,;])(?:call-?id|i|message-id|msgid)[ \t]*[:=][ \t]*<?$")
_UID_BEFORE = regex.compile(r"(?:^|\n)UID:$")
# A generated local part: 16 characters or more of letters and digits with both in it,
# or hex and dashes (a UUID).
_RANDOM_LOCAL = regex.compile(r"(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{16,}|[0-9a-fA-F-]{16,}")


@validator("not_level_at_logger")
def _not_level_at_logger(value: str, text: str, start: int, end: int) -> bool:
    """`[DEBUG@maubot.client]`, `ERROR@mautrix.bridge`: a log record's level and logger
    (mautrix and maubot write them so), no mail address."""
    return value.partition("@")[0] not in _LOG_LEVELS


_LOG_LEVELS = frozenset({"TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "CRITICAL", "FATAL"})


@validator("not_call_id")
def _not_call_id(value: str, text: str, start: int, end: int) -> bool:
    """`Call-ID: 6b0f...@sip.example.org` is a random identifier, not an email or a user,
    unless the stack built it from the caller's address: its local part is the user of a
    SIP URI in the same message (`Call-ID: alice@10.0.0.1` beside `sip:alice@`), which is
    positive evidence that it names the user rather than being random."""
    prefix = line_prefix(text, start, 64)
    if _CALL_ID_BEFORE.search(prefix) is None:
        # An iCalendar / vCard `UID:` built as `<random>@host` (`3vet37jt...@google.com`)
        # names the event; a UID that is a person's address (`jane.roe@...`) is one.
        return not (_UID_BEFORE.search(prefix) and _RANDOM_LOCAL.fullmatch(value.split("@", 1)[0]))
    local = value.split("@", 1)[0]
    if not local:
        return False
    # A plain search (a pattern built per value would be compiled per Call-ID).
    window = text[max(0, start - _MESSAGE_SPAN) : end + _MESSAGE_SPAN].lower()
    needle = f":{local.lower()}@"
    at = window.find(needle)
    while at >= 0:
        if _URI_SCHEME_BEFORE.search(window, max(0, at - 5), at) is not None:
            return True
        at = window.find(needle, at + 1)
    return False


_URI_SCHEME_BEFORE = regex.compile(r"(?<![\w])(?:sips?|tel)$")


# How far around a Call-ID its SIP message's URIs are looked for: a long INVITE with SDP.
_MESSAGE_SPAN = 2048


# --- names, users, tokens ---------------------------------------------------------

_JSON_ESCAPE = regex.compile(r"\\u([0-9A-Fa-f]{4})")


def json_unescape(value: str) -> str:
    """`value` with its JSON `\\uXXXX` escapes as the characters they stand for (`Jos\\u00e9`)."""
    if "\\u" not in value:
        return value
    unescaped = str(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value))
    # A character outside the BMP is written as a surrogate pair (`\\ud83c\\udfc0`): joined.
    unescaped = unescaped.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if max(unescaped, default="\x00") < "\u0100" and not unescaped.isascii():
        # UTF-8 bytes escaped one by one as Latin-1 characters (Facebook's exports:
        # `Nguy\\u00e1\\u00bb\\u0085n` is `Nguyễn`): judged as the text they spell.
        try:
            return unescaped.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            pass
    return unescaped


# Letters and name punctuation; a comma for "Last, First" (address books, CDR exports).
_NAME_CHARS = regex.compile(r"^[\p{L}\p{M}][\p{L}\p{M} .,'\u2019-]{0,79}$")


# A note, an extension or an amount after a name: `(portable)`, `2114`, `-1124`,
# `8,650.00`; marks a phone's owner puts after a contact's name (`Ashish Vnr Cys !!`).
_NAME_SUFFIX = regex.compile(
    r"(?:[ \t]+\([^()]{1,32}\)|[ \t]+[-–]?[ \t]?\d{1,6}|[ \t]+\d{1,3}(?:,\d{3})*\.\d{2}|[ \t]*[!?*~]{1,4})$"
)


@validator("person_name")
def _person_name(value: str, text: str, start: int, end: int) -> bool:
    """Letters, spaces and name punctuation only: rejects ids, paths and snake_case keys.
    JSON `\\uXXXX` escapes are judged as the characters they stand for (`Jos\\u00e9`)."""
    v = json_unescape(value.strip())
    # A name may carry a note or an extension: `Camille Dubois (portable)`, `Élodie M. 2114`.
    v = _NAME_SUFFIX.sub("", v)
    if _EMOJI_NAME.fullmatch(v):
        return True  # a profile name of symbols only (`🐺`): chosen by a person, names them
    v = _TRAILING_SYMBOLS.sub("", v)  # `Абдураимов🏀`: a profile name may end in symbols
    words = v.split()
    if words and words[0].lower() in _PRODUCT_NAMES:
        return False  # a product's default caller name (`FreeSWITCH User`, `Yealink T46`)
    return len(v) >= 2 and _NAME_CHARS.match(v) is not None and len(words) <= 5


# Telephony products whose name starts the caller name they show by default; none is a
# given name (unlike `Bria` or `Cisco`, left out).
_PRODUCT_NAMES = frozenset(
    """
    freeswitch asterisk kamailio opensips freepbx fusionpbx yate issabel wazo 3cx elastix
    polycom yealink grandstream snom fanvil obihai gigaset linphone zoiper microsip pjsua
    sipp
    """.split()  # noqa: SIM905 - a word list reads better as text
)


_SYMBOLS = r"\p{So}\p{Sk}\u200d\ufe0f"  # emoji, their modifiers and joiners
_EMOJI_NAME = regex.compile(rf"[{_SYMBOLS} ]{{1,24}}")
_TRAILING_SYMBOLS = regex.compile(rf"[ \t]*[{_SYMBOLS}]+[{_SYMBOLS} ]*$")
_NUMBER_NAME = regex.compile(r"\+?\d{3,15}")


@validator("encoded_person_name")
def _encoded_person_name(value: str, text: str, start: int, end: int) -> bool:
    """MIME encoded words (RFC 2047: `=?iso-8859-1?Q?Ulrike=20Hil=DF?=`, a mail header's
    display name outside ASCII) that spell a person's name once decoded."""
    try:
        decoded = str(email.header.make_header(email.header.decode_header(value)))
    except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError):
        return False
    return decoded != value and _person_name(decoded, decoded, 0, len(decoded))


@validator("person_name_or_number")
def _person_name_or_number(value: str, text: str, start: int, end: int) -> bool:
    """A person's name, or the number a phone shows in its place (`display_name = 204`)."""
    return _NUMBER_NAME.fullmatch(value.strip()) is not None or _person_name(value, text, start, end)


_PLACEHOLDERS = frozenset(
    {
        "",
        "null",
        "none",
        "nil",
        "undefined",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        # A presence status where a config expects a user (`presence.login=online`, Profanity)
        "online",
        "offline",
        "away",
        "dnd",
        "n/a",
        "na",
        "unknown",
        "unspecified",
        "anonymous",
        # FreeSWITCH's caller-ID name of a call it originates
        "outbound call",
        "default",
        "empty",
        "redacted",
        "hidden",
        "xxx",
        "xxxx",
        "required",
        "optional",
        "string",
        "changeme",
        "user",
        "username",
        "password",
    }
)


@validator("not_placeholder")
def _not_placeholder(value: str, text: str, start: int, end: int) -> bool:
    """Values that carry nothing (`null`, `<hidden>`, `********`, `${VAR}`, `%s`) are not findings."""
    v = value.strip().strip("\"'")
    if v.lower() in _PLACEHOLDERS:
        return False
    # (`<hidden>`, `<your password>`: one pair of angles; markup around a text, `<p>Hi</p>`,
    # is a value.)
    if not v.strip("*xX•#.-_ ") or (v.startswith("<") and v.endswith(">") and "<" not in v[1:]):
        return False
    return not (v.startswith(("${", "{{", "%(", "$(")) or v in ("%s", "%d", "?"))


_NUMERIC_ONLY = regex.compile(r"[+\d \-.()]+")


@validator("not_protocol_payload")
def _not_protocol_payload(value: str, text: str, start: int, end: int) -> bool:
    """A `body` that carries a protocol payload (an SDP offer `v=0\\r\\no=...`, a SIP
    message, an XML document) is no text a person wrote: it is scanned field by field by
    the SDP and SIP rules instead of being replaced whole."""
    return _PROTOCOL_PAYLOAD.match(value.lstrip()) is None


_PROTOCOL_PAYLOAD = regex.compile(
    r"v=0(?:\\?\r)?(?:\\?\n|\\r\\n|\\n)"
    r"|SIP/2\.0 \d{3} |[A-Z]{3,9} sips?:\S+ SIP/2\.0"
    r"|<\?xml "
)


@validator("not_log_record_message")
def _not_log_record_message(value: str, text: str, start: int, end: int) -> bool:
    """The top-level `message` / `msg` of a structured log record (a JSON line with a
    `level`: structlog, pino, logstash) is the program's own text; the values in it are
    found by the other rules. A message nested in the record's data is a message."""
    line_start = text.rfind("\n", 0, start) + 1
    if _LOG_RECORD_KEY.search(text, line_start, start) is None:
        return True
    before = text[line_start:start]
    if before.count("{") - before.count("}") != 1:
        return True  # a nested `message` (`"dataMessage": {"message": ...}` of signal-cli)
    line_end = text.find("\n", end)
    level = _LOG_LEVEL.search(text, line_start, line_end if line_end >= 0 else len(text))
    return level is None


_LOG_RECORD_KEY = regex.compile(r'"(?:message|msg)"[ \t]*:[ \t]*"$')
_LOG_LEVEL = regex.compile(
    r'"(?:level|levelname|severity|log\.level)"[ \t]*:[ \t]*"?'
    r"(?i:debug|info|warn|warning|error|critical|fatal|trace|notice|[0-9]{2})"
)


@validator("not_rule_line")
def _not_rule_line(value: str, text: str, start: int, end: int) -> bool:
    """Text has a letter, a digit or a symbol beyond ASCII's marks (`👍`): the marks that end
    a banner (`=== INCOMING SIP MESSAGE ===` read as `MESSAGE = ==`) or rule a table are none."""
    return not (value.isascii() and not any(c.isalnum() for c in value))


@validator("not_status_phrase")
def _not_status_phrase(value: str, text: str, start: int, end: int) -> bool:
    """A status an app reports under a message key (`"message": "Registration successful"`,
    `"Unregistration done"`, `"Call ended"`): two to five words and nothing else, every one a
    status word, one of them more than a filler (`ok`, `is`). Not a text a person wrote,
    and nothing in it names anyone."""
    words = _STATUS_WORD.findall(value)
    if not 2 <= len(words) <= 5 or len("".join(words)) != len(_STATUS_SPACING.sub("", value)):
        return True
    lowered = [word.lower() for word in words]
    return not (
        all(word in _STATUS_WORDS or word in _STATUS_FILLERS for word in lowered)
        and any(word in _STATUS_WORDS for word in lowered)
    )


_STATUS_WORD = regex.compile(r"[A-Za-z]+")
_STATUS_SPACING = regex.compile(r"[\s.!:,()-]")
_STATUS_WORDS = frozenset(
    """
    registration unregistration registered unregistered successful successfully success done
    failed failure error errors completed complete connected disconnected connecting
    reconnecting connection lost timeout timed started stopped ended call session established
    terminated accepted rejected declined busy found invalid unauthorized forbidden ready
    pending sent delivered received queued cancelled canceled unavailable ringing answered
    hangup hung login logout logged authentication authenticated refreshed expired
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_STATUS_FILLERS = frozenset(
    "ok okay not is was has been the re up out in request response".split()  # noqa: SIM905 - as above
)


@validator("not_link_only")
def _not_link_only(value: str, text: str, start: int, end: int) -> bool:
    """A chat message that is a link and nothing else (`https://github.com/org/repo/pull/37`):
    the address rules read what in it is personal (a user in it, a token in its query)."""
    return _LINK_ONLY.fullmatch(value.strip()) is None


_LINK_ONLY = regex.compile(r"https?://[^\s<>\"']{3,2000}")


@validator("not_mention_of_all")
def _not_mention_of_all(value: str, text: str, start: int, end: int) -> bool:
    """A chat message that only calls everyone (`@everyone`, `@here`, `@channel`, `@all`)
    names no one."""
    return value.strip().lower() not in _MENTIONS_OF_ALL


_MENTIONS_OF_ALL = frozenset({"@everyone", "@here", "@channel", "@all", "@room"})


@validator("not_machine_role")
def _not_machine_role(value: str, text: str, start: int, end: int) -> bool:
    """The first part of a machine name that says what the machine is for (`server-pc`,
    `office-desktop`, `dev-laptop`), not whose it is."""
    return value.lower() not in _MACHINE_ROLES


_MACHINE_ROLES = frozenset(
    {"server", "office", "home", "dev", "devel", "test", "testing", "work", "main", "media", "build", "lab",
     "kiosk", "reception", "admin", "user", "guest", "my", "new", "old", "linux", "windows", "win", "gaming",
     "family", "kids", "living", "bedroom", "study", "shop", "store", "front", "desk", "pbx", "voip", "sip",
     "asterisk", "freeswitch", "ubuntu", "debian", "fedora", "mint", "kali", "arch", "vm", "virtual", "local",
     "remote", "backup", "spare", "demo", "training", "conference", "meeting", "boardroom", "it", "hr"}
)  # fmt: skip


@validator("not_service_host")
def _not_service_host(value: str, text: str, start: int, end: int) -> bool:
    """A host named for the service it runs or its role (`smtp.local`, `printer.local`,
    `nas.local`), or as every such system is: the network's, not a person's."""
    return value.lower() not in _NOBODYS_HOSTS


_SERVICE_HOSTS = frozenset(
    """
    smtp mail imap pop pop3 mx ns ns1 ns2 dns www web ftp router gateway gw printer print scanner nas
    proxy ldap vpn db api dc ad files fileserver nextcloud homeassistant hassio plex git ci
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@validator("not_default_hostname")
def _not_default_hostname(value: str, text: str, start: int, end: int) -> bool:
    """The host name a system ships with (`kali`, `raspberrypi`, `localhost`): every such
    machine has it, so it names none."""
    return value.lower() not in _DEFAULT_HOSTNAMES


_DEFAULT_HOSTNAMES = frozenset(
    """
    localhost kali raspberrypi ubuntu debian fedora archlinux alpine centos openwrt lede dietpi
    osmc libreelec android iphone ipad
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Host names that name a service, a role or a system's default: the network's, no one's.
_NOBODYS_HOSTS = _SERVICE_HOSTS | _MACHINE_ROLES | _DEFAULT_HOSTNAMES


@validator("not_bot_command")
def _not_bot_command(value: str, text: str, start: int, end: int) -> bool:
    """A chat bot's command (`/start`, `/help@acme_bot`) is the bot's word, not a person's."""
    return _BOT_COMMAND.fullmatch(value.strip()) is None


# (`.jrrp`, `!roll` of dice and fortune bots in group chats too.)
_BOT_COMMAND = regex.compile(r"[/.!][a-z][a-z0-9_]{0,31}(?:@\w{1,64})?")


@validator("not_diagnostic_note")
def _not_diagnostic_note(value: str, text: str, start: int, end: int) -> bool:
    """Not a compiler's or a runtime's note (`note: run with `RUST_BACKTRACE=1` environment
    variable to display a backtrace`, rustc's and gcc's `note:` / `help:` lines): a `note`
    that quotes code between backticks is the program's hint, where a person's note (a
    CRM's call note) quotes none."""
    if key_before(text, start).lower() not in _DIAGNOSTIC_KEYS:
        return True
    return not any(_CODE_SIGNS.search(span.group()) for span in _CODE_SPAN.finditer(value))


_DIAGNOSTIC_KEYS = frozenset({"note", "help", "hint"})
# Code between backticks: with a sign of code in it (`RUST_BACKTRACE=1`, `Option::unwrap()`,
# `foo.c`), not a word a person quoted (`Anna`).
_CODE_SPAN = regex.compile(r"`[^`\s][^`\r\n]{0,200}`")
_CODE_SIGNS = regex.compile(r"[=_:()\[\]<>/.]")


@validator("not_chat_marker")
def _not_chat_marker(value: str, text: str, start: int, end: int) -> bool:
    """Not only the markers a chat bot's log writes for what is no text (`[image]`, `[face]`,
    `[reply][at]`, OneBot's CQ codes `[CQ:image,file=001-4.jpg]`): what was sent, not said.
    The ids inside a CQ code are their own rules'."""
    return _CHAT_MARKERS.fullmatch(value.strip()) is None


_CHAT_MARKERS = regex.compile(
    r"(?:\[(?:image|face|emoji|sticker|reply|at|record|voice|video|file|json|xml|forward|poke"
    r"|CQ:[a-z_]{1,16}(?:,[^\[\]\r\n]{0,400})?)\][ \t]*)+"
)


@validator("not_constant_name")
def _not_constant_name(value: str, text: str, start: int, end: int) -> bool:
    """A program's constant under a message key (`control message: 'PUSH_REQUEST'` of
    OpenVPN, `"message": "AUTH_FAILED"`): upper-case words joined by underscores, no text."""
    return _CONSTANT.fullmatch(value.strip()) is None


_CONSTANT = regex.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


@validator("not_bot_notice")
def _not_bot_notice(value: str, text: str, start: int, end: int) -> bool:
    """The body of a Matrix `m.notice` (`{"msgtype":"m.notice","body":"Successfully logged
    in as @x"}`): what a bot or a bridge says by the spec, not a person's text. The names
    and ids in it are their own rules'."""
    opening = text.rfind("{", max(0, start - _OBJECT_REACH), start)
    if opening < 0:
        return True
    closing = text.find("}", end, end + _OBJECT_REACH)
    inside = text[opening : closing if closing >= 0 else end]
    return _NOTICE.search(inside) is None


_NOTICE = regex.compile(r'"msgtype"[ ]?:[ ]?"m\.notice"')
_OBJECT_REACH = 400


@validator("not_test_verdict")
def _not_test_verdict(value: str, text: str, start: int, end: int) -> bool:
    """A test runner's verdict, not a `pass` key (`--- PASS: TestParse (0.00s)` of Go,
    `=== PASS`, a verdict followed by the test's duration)."""
    before = line_prefix(text, start)
    if not before.rstrip().endswith("PASS:"):
        return True
    return _GO_VERDICT.search(before) is None and _DURATION.match(text, end) is None


_GO_VERDICT = regex.compile(r"(?:^|[ \t])(?:---|===)[ ]PASS:[ ]*$")
_DURATION = regex.compile(r"[ ]\(\d+(?:\.\d+)?m?s\)")


@validator("base64_form_fields")
def _base64_form_fields(value: str, text: str, start: int, end: int) -> bool:
    """Base64 (standard or URL-safe, its padding maybe percent-encoded) of form-encoded
    fields that name a person or a session (Zoom's `confid=`: `email=jane%40...&uss=...`,
    `utid=UTID_...&uss=...`): once decoded they are in the clear."""
    raw = value.replace("%3D", "=").replace("%3d", "=")
    raw += "=" * (-len(raw) % 4)
    try:
        decoded = base64.b64decode(raw.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return False
    plain = decoded.decode("ascii", errors="replace")
    if sum(ch.isprintable() for ch in plain) < 0.95 * len(plain):
        return False
    return _PERSONAL_FIELD.search(plain) is not None or "@" in plain or "%40" in plain


_PERSONAL_FIELD = re.compile(
    r"(?:^|&)(?:email|mail|uid|utid|uss|user|username|uname|userid|user_id|login|sid|session|token|tid)=",
    re.IGNORECASE,
)


@validator("not_numeric")
def _not_numeric(value: str, text: str, start: int, end: int) -> bool:
    return not _NUMERIC_ONLY.fullmatch(value)


_HEX_ID = regex.compile(r"[0-9a-fA-F\-]+")


@validator("not_gateway_user")
def _not_gateway_user(value: str, text: str, start: int, end: int) -> bool:
    """FreeSWITCH gateway contacts (`sip:gw+kpn_trunk@...`) name a trunk, not a user."""
    return not value.startswith("gw+")


@validator("not_hostmask_user")
def _not_hostmask_user(value: str, text: str, start: int, end: int) -> bool:
    """The `user@host` of an IRC prefix (`:StatServ!bot@stats.example.org PRIVMSG`) is no
    mail address: the nick and user are irc.prefix's, a service's stays."""
    if start == 0 or text[start - 1] not in "!~":
        return True
    return _HOSTMASK_HEAD.search(text, max(0, start - 40), start) is None


_HOSTMASK_HEAD = regex.compile(r"(?:^|[\s\"'\\>]):[A-Za-z_`^{|}\[\]\\][\w`^{|}\[\]\\-]{0,31}!~?$")


@validator("e7_coordinate")
def _e7_coordinate(value: str, text: str, start: int, end: int) -> bool:
    """An integer coordinate in 1e-7 degrees: six digits or more (0 and small numbers are
    an unset position), within ±180 degrees."""
    v = value.strip()
    digits = v[1:] if v[:1] in "+-" else v
    return 6 <= len(digits) <= 10 and digits.isdigit() and int(digits) <= 1_800_000_000


@validator("letters_and_digits")
def _letters_and_digits(value: str, text: str, start: int, end: int) -> bool:
    """Both letters and digits (`LGK430B6BI5HGM`): a generated serial, not a counter."""
    return any(c.isalpha() for c in value) and any(c.isdigit() for c in value)


@validator("opaque_id")
def _opaque_id(value: str, text: str, start: int, end: int) -> bool:
    """A generated identifier (a UUID, a long serial): eight characters or more with a
    digit; a short label (`ep_16`, `desk-2`) names a configured thing, not a device."""
    v = value.strip()
    return len(v) >= 8 and any(c.isdigit() for c in v)


@validator("hex_key")
def _hex_key(value: str, text: str, start: int, end: int) -> bool:
    """A key or an authentication value as hex (64 to 512 bits: a SIM's Ki and OPc, an
    AKA challenge's RAND, AUTN, RES, CK, IK), optionally `0x`-prefixed."""
    v = value[2:] if value[:2].lower() == "0x" else value
    return 16 <= len(v) <= 128 and _HEX_DIGITS.issuperset(v)


@validator("hex_digest")
def _hex_digest(value: str, text: str, start: int, end: int) -> bool:
    """A digest as hex (MD5 to SHA-512: 32 to 128 hex digits)."""
    return 32 <= len(value) <= 128 and _HEX_DIGITS.issuperset(value)


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


@validator("not_random_id")
def _not_random_id(value: str, text: str, start: int, end: int) -> bool:
    """A SIP stack's random token (`Y6ecbU7nE@172.10.9.1`, a Call-ID) is no user name:
    letters of both cases and digits, the kind of character changing at every other
    position or more (`JohnSmith2` changes four times in ten; `Y6ecbU7nE` six in nine)."""
    if len(value) < 8 or value.isalpha() or value.isdigit():
        return True
    kinds = ["d" if c.isdigit() else "u" if c.isupper() else "l" if c.islower() else "o" for c in value]
    if not {"d", "u", "l"} <= set(kinds):
        return True
    changes = sum(1 for a, b in itertools.pairwise(kinds) if a != b)
    return changes * 2 < len(value)


@validator("not_hex_id")
def _not_hex_id(value: str, text: str, start: int, end: int) -> bool:
    """Call-IDs and similar random identifiers before an `@` are not user names: long hex,
    or shorter hex mixing digits and letters (`a84b2c0e9d1f@185.53.88.12` in a Kamailio
    log prefix)."""
    if _HEX_ID.fullmatch(value) is None:
        return True
    if len(value) >= 16:
        return False
    hexdigits = value.replace("-", "")
    return not (len(hexdigits) >= 8 and not hexdigits.isdigit() and not hexdigits.isalpha())


@validator("mac")
def _mac(value: str, text: str, start: int, end: int) -> bool:
    hexdigits = "".join(c for c in value if c in "0123456789abcdefABCDEF")
    return len(hexdigits) == 12 and hexdigits.strip("0") != "" and hexdigits.lower() != "f" * 12


_GEO_SPLIT = regex.compile(r"[ \t]*[,;][ \t]*|[ \t]+")


@validator("geo_pair")
def _geo_pair(value: str, text: str, start: int, end: int) -> bool:
    stripped = value.strip()
    # `48,858370; 2,294481` uses decimal commas: then ';' separates the pair.
    parts = stripped.split(";", 1) if ";" in stripped else _GEO_SPLIT.split(stripped, maxsplit=1)
    if len(parts) != 2:
        return False
    try:
        lat, lon = (float(p.replace(",", ".")) for p in parts)
    except ValueError:
        return False
    return abs(lat) <= 90 and abs(lon) <= 180 and not (lat == 0 and lon == 0)


@validator("geo_number")
def _geo_number(value: str, text: str, start: int, end: int) -> bool:
    if end + 1 < len(text) and text[end] == "," and text[end + 1].isdigit():
        return False  # `lat: 48,858370`: a decimal comma; geo.decimal_comma takes the whole pair
    try:
        return abs(float(value.strip().replace(",", "."))) <= 180
    except ValueError:
        return False


@validator("token_like")
def _token_like(value: str, text: str, start: int, end: int) -> bool:
    """A credential-looking string: long enough, not a plain word, not the name of an
    algorithm (`2G auth: COMP128v2` of an HLR, `SHA-256`)."""
    v = value.strip()
    if _ALGORITHM.fullmatch(v):
        return False
    return len(v) >= 8 and any(c.isdigit() for c in v) and any(c.isalpha() for c in v)


_ALGORITHM = regex.compile(
    r"(?i)comp128(?:v[1-3])?|milenage|tuak|md5(?:-sess)?|sha-?(?:1|224|256|384|512)(?:-sess)?"
    r"|aes-?(?:128|192|256)(?:-[a-z]{3})?|hmac-?sha-?(?:1|256|384|512)|aes_cm_128_hmac_sha1_(?:32|80)"
)


@validator("secret_like")
def _secret_like(value: str, text: str, start: int, end: int) -> bool:
    """A generic `key` value is a secret only when it looks like key material (long, no spaces)."""
    v = value.strip()
    if _FILE_PATH.search(v):
        return False  # an object key or a path (`2024/06/05/IMG_4410.jpg`), not key material
    return len(v) >= 16 and " " not in v and any(c.isdigit() for c in v)


_FILE_PATH = regex.compile(r"/[^/]+\.[A-Za-z][A-Za-z0-9]{1,4}$|^[\w.-]*/[\w.-]+/")


_POINTER = regex.compile(r"0x[0-9a-fA-F]{1,16}")


@validator("not_short")
def _not_short(value: str, text: str, start: int, end: int) -> bool:
    """Five characters or fewer carry no secret worth a token (counters, flags); nor does a
    number written in hex: a memory address (`sessionid: '0x7f303c002fe0'`, a C struct's
    pointer in Asterisk's AMI events) or a request serial (`atdToken : 0xf1e0` of Android's
    radio interface)."""
    v = value.strip()
    return len(v) >= 6 and _POINTER.fullmatch(v) is None


@validator("otp_digits")
def _otp_digits(value: str, text: str, start: int, end: int) -> bool:
    v = value.strip()
    return 4 <= len(v) <= 8 and v.isdigit()


@validator("not_uri_param")
def _not_uri_param(value: str, text: str, start: int, end: int) -> bool:
    """`;user=phone` and `;user=ip` are SIP URI parameters, not account names; a whole URI
    as the value (`handle: tel:%2B4477...`) is left to the URI rules, which know its parts."""
    if value[:5].lower().startswith(("sip:", "sips:", "tel:")):
        return False
    prefix = line_prefix(text, start, 16).lower()
    if prefix.endswith("user=") and value.lower() in _USER_PARAM_VALUES:
        return False  # `SIP From URI parameter: user=phone` (Wireshark's decode)
    return not prefix.endswith((";user=", "; user="))


_USER_PARAM_VALUES = frozenset({"phone", "ip", "dialstring"})  # RFC 3261, RFC 4967


@validator("not_service_user")
def _not_service_user(value: str, text: str, start: int, end: int) -> bool:
    """The user part of a service's own URI names a function, not a person: IMS nodes
    (`sip:scscf-orig@`), OMA/IMS services (`list-service`, `conference-factory`, `rls`),
    the servers' own contacts (`mod_sofia`, `asterisk`, `kamailio`)."""
    return _SERVICE_USER.fullmatch(value) is None


_SERVICE_USER = regex.compile(
    r"(?i)(?:[psie]-?cscf|bgcf|mgcf|mrfc|ibcf|atcf|sccas?|hss)(?:[-_.][a-z]+)?"
    r"|list-service|conference-factory|conf-factory|chatroom-factory|rls|presence-server|focus"
    r"|orig|term|mod_sofia|asterisk|freeswitch|kamailio|opensips|sems|voicemail"
)


@validator("ipv4_integer")
def _ipv4_integer(value: str, text: str, start: int, end: int) -> bool:
    """An IPv4 address written as one signed 32-bit integer (Cisco CUCM's call records),
    not 0 (no address) and not loopback."""
    from_int = ipv4_from_integer(value.strip())
    return from_int is not None and ip_is_sensitive(from_int)


@validator("sdp_origin_user")
def _sdp_origin_user(value: str, text: str, start: int, end: int) -> bool:
    """The user name of an SDP origin (`o=marta.k 3703 3341 IN IP4 ...`) names the caller
    when the client puts its account there (linphone, baresip, test UEs); most user agents
    write `-` or their own name there instead, which stays: `FreeSWITCH`, `Sonus_UAC`,
    `mozilla...THIS_IS_SDPARTA-99.0` (two capitals or more, or dots in a row), vendors
    (`cisco`, `Nokia`), system accounts (`root`) and servers."""
    if len(value) < 2 or ".." in value or sum(ch.isupper() for ch in value) >= 2:
        return False
    lowered = value.lower()
    generic = lowered.rstrip("0123456789")  # SIPp's default scenarios write `o=user1`
    if generic in _SYSTEM_ACCOUNTS or lowered in _UA_VENDORS or lowered in _PLACEHOLDERS:
        return False
    return _SERVICE_USER.fullmatch(value) is None


# Vendors and products that user agents write as their SDP origin's user name.
_UA_VENDORS = frozenset(
    """
    cisco nokia sipgate polycom yealink grandstream snom avaya audiocodes linphone zoiper bria
    counterpath mitel panasonic gigaset fanvil obihai twilio telnyx vonage plivo ribbon sonus
    broadsoft huawei ericsson zte avm fritzbox tplink samsung apple google microsoft skype
    webrtc mozilla chrome pjsip pjmedia sipp sipesp32 doubango jitsi janus mediasoup
    """.split()  # noqa: SIM905 - a word list reads better as text
)


# The accounts packages create for their daemons: generic accounts (not_system_account)
# and no person under a user key either (not_daemon_account).
_PACKAGE_DAEMONS = frozenset(
    """
    daemon nobody postgres mysql redis nginx apache www-data tomcat sshd messagebus polkitd avahi colord
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def is_system_account(value: str) -> bool:
    """A generic, build or daemon account (`root`, `ubuntu`, `runner`, `redis`): no person's."""
    return value.lower() in _SYSTEM_ACCOUNTS


@validator("not_system_account")
def _not_system_account(value: str, text: str, start: int, end: int) -> bool:
    """A home directory of a generic or build account (`/home/ubuntu`, `/Users/Shared`,
    `/home/runner` of CI) names no person: only the others are user names."""
    return not is_system_account(value)


_SYSTEM_ACCOUNTS = _PACKAGE_DAEMONS | frozenset(
    """
    user users ubuntu debian pi runner vagrant admin administrator ec2-user centos fedora
    docker node app builder build jenkins circleci travis gitlab-runner buildbot
    buildozer mockbuild abuild buildd pbuilder portage brew
    shared public default all guest test root linuxbrew
    git mail ftp
    asterisk freeswitch kamailio opensips ejabberd prosody openfire jitsi jicofo jvb coturn
    turnserver rtpengine mongooseim synapse matrix-synapse mattermost zulip rocketchat
    login cron gdm lightdm sddm systemd-network systemd-resolve systemd-timesync
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@validator("not_daemon_account")
def _not_daemon_account(value: str, text: str, start: int, end: int) -> bool:
    """An account a package creates for its daemon (`redis`, `postgres`, `www-data`,
    `systemd-resolve`): the software's, no person's."""
    lowered = value.lower()
    return lowered not in _DAEMON_ACCOUNTS and not lowered.startswith("systemd-")


_DAEMON_ACCOUNTS = _PACKAGE_DAEMONS | frozenset(
    """
    mongodb memcached rabbitmq elasticsearch prometheus grafana _apt syslog uuidd
    """.split()  # noqa: SIM905 - a word list reads better as text
)


# --- token boundaries -------------------------------------------------------------
# Cheap candidate patterns ([0-9]{9,} rather than lookaround-heavy ones) are much faster
# in Python regex engines; these validators then apply the boundary rules in Python.


def glued(char: str, edge: str = "0") -> bool:
    """`char`, beside a token whose character next to it is `edge`, joins the two into one
    word: a letter or digit, but not one of a script written without blanks between words
    (Chinese, Japanese, Thai; Korean puts its particles on the word) beside a token of
    another script. There an address or a number runs straight into the sentence
    (`10.3.2.4话机提交账号信息失败`, `8710注册`) and is a token of its own all the same."""
    if not char.isalnum():
        return False
    if char.isascii() or _SPACELESS.match(char) is None:
        return True
    return not edge.isascii() and _SPACELESS.match(edge) is not None


_SPACELESS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")


def stands_alone(text: str, start: int, end: int, glue_before: str, glue_after: str, decimal: str) -> bool:
    """Not glued to letters/digits or to the given marks, and not followed by a mark plus a
    digit (`1.5`, `12:30`): the token is the whole candidate, not part of a longer one."""
    before = text[start - 1] if start > 0 else ""
    if before and (glued(before) or before in glue_before):
        return False
    after = text[end] if end < len(text) else ""
    if after and (glued(after) or after in glue_after):
        return False
    return not (after and after in decimal and end + 1 < len(text) and text[end + 1].isdigit())


@validator("isolated_number")
def _isolated_number(value: str, text: str, start: int, end: int) -> bool:
    """A 9-13 digit run standing alone: not part of a word, a decimal, a path, a version or a time."""
    return 9 <= len(value) <= 13 and stands_alone(text, start, end, "_.~/\\#@$%&*+^-", "_@~%", ".,-:")


@validator("isolated_ipv4")
def _isolated_ipv4(value: str, text: str, start: int, end: int) -> bool:
    if stands_alone(text, start, end, "_.", "_", "."):
        return True
    # tcpdump writes the port after a dot: `IP 10.0.0.7.39184 > 10.5.3.27.25564: UDP`.
    return (start == 0 or text[start - 1] in " \t") and _TCPDUMP_PORT.match(text, end) is not None


_TCPDUMP_PORT = regex.compile(r"\.\d{1,5}(?: > |: )")


@validator("isolated_card")
def _isolated_card(value: str, text: str, start: int, end: int) -> bool:
    # `+4915112345678` is an international phone number even when it passes Luhn.
    if start > 0 and text[start - 1] == "+":
        return False
    return stands_alone(text, start, end, "_.-", "_-", ".")


@validator("place_name")
def _place_name(value: str, text: str, start: int, end: int) -> bool:
    """A town's name (`IRVINE`, `Yorba Linda`, `Saint-Étienne`): letters with blanks and
    the punctuation of place names, not a flag or a number (`city=true`, `city: 0`)."""
    v = value.strip()
    return 2 <= len(v) <= 64 and _PLACE.fullmatch(v) is not None and v.lower() not in _NOT_PLACES


# (Words joined by `+` are a form-encoded value: `CalledCity=YORBA+LINDA`.)
_PLACE = regex.compile(r"\p{L}[\p{L}\p{M}.'’-]*(?:[ \t+]+[\p{L}\p{M}.'’()-]+){0,5}")
_NOT_PLACES = frozenset({"true", "false", "null", "none", "unknown", "undefined", "yes", "no", "n/a"})


@validator("street_address")
def _street_address(value: str, text: str, start: int, end: int) -> bool:
    """A street address (`37-16 65th Street`, `Hauptstraße 5`, `12 rue de la Paix`) or the
    flat in one (`Apartment 4C woodside`, `Suite 200`): a number and a street's or a unit's
    word. An address key holds IPs, MACs and mail addresses too, which have neither."""
    v = value.strip()
    if not 3 <= len(v) <= 120 or not any(ch.isdigit() for ch in v) or "@" in v:
        return False
    words = [w.lower().rstrip(".") for w in _ADDRESS_WORD.findall(v)]
    return any(w in _STREET_WORDS or w.endswith(_STREET_ENDINGS) for w in words)


_ADDRESS_WORD = regex.compile(r"\p{L}[\p{L}\p{M}.]*")
_STREET_WORDS = frozenset(
    {"street", "st", "avenue", "ave", "av", "road", "rd", "lane", "ln", "boulevard", "blvd", "drive",
     "dr", "way", "court", "ct", "place", "pl", "terrace", "crescent", "close", "square", "sq",
     "highway", "hwy", "parkway", "pkwy", "alley", "circle", "cir", "rue", "chemin", "calle",
     "avenida", "rua", "travessa", "via", "viale", "piazza", "ulica", "ul", "улица", "ул", "проспект",
     "apartment", "apt", "suite", "ste", "unit", "flat", "floor", "building", "bldg", "box"}
)  # fmt: skip
# German and Dutch street names are one word (`Hauptstraße`, `Kerkstraat`, `Lindenweg`).
_STREET_ENDINGS = ("straße", "strasse", "str", "gasse", "platz", "allee", "weg", "straat", "laan", "plein")


@validator("postal_code")
def _postal_code(value: str, text: str, start: int, end: int) -> bool:
    """A postal code (`92841`, `92841-1234`, `SW1A 1AA`, `H2X 1Y4`, `75008`): 3 to 10
    letters and digits with at most one blank or hyphen, at least two of them digits."""
    v = value.strip()
    return _POSTAL.fullmatch(v) is not None and sum(ch.isdigit() for ch in v) >= 2


_POSTAL = regex.compile(r"(?i)[a-z0-9]{2,8}(?:[ -][a-z0-9]{2,5})?")


@validator("spaced_ipv4")
def _spaced_ipv4(value: str, text: str, start: int, end: int) -> bool:
    """An IPv4 with blanks after its dots and padded octets (`192. 168. 011. 161`, an
    embedded console's): a valid address once the blanks and the padding go, not a mask."""
    dotted = spaced_ipv4_as_dotted(value)
    return dotted is not None and _ipv4(dotted, text, start, end) and not dotted.startswith("255.")


def spaced_ipv4_as_dotted(value: str) -> str | None:
    """`192. 168. 011. 161` as `192.168.11.161` (None when it is no four octets)."""
    parts = value.split(".")
    if len(parts) != 4 or not all(p.strip().isdigit() for p in parts):
        return None
    return ".".join(str(int(p)) for p in parts)


@validator("sms_pdu")
def _sms_pdu(value: str, text: str, start: int, end: int) -> bool:
    """An SMS in PDU mode (3GPP TS 23.040), as modem AT traces carry it (`AT+CMGS=50`
    then `> 0791...`, `+CMT:` then the PDU): hex whose fields add up, with the service
    centre in front or without it: the addresses' type octets, the message type, and a
    user-data length that is exactly what is left. Holds the number and the text."""
    if len(value) % 2 or len(value) < 24:
        return False
    try:
        data = bytes.fromhex(value)
    except ValueError:
        return False
    return _tpdu_fits(data, with_smsc=True) or _tpdu_fits(data, with_smsc=False)


def _tpdu_fits(data: bytes, with_smsc: bool) -> bool:
    at = 0
    try:
        if with_smsc:
            size = data[0]
            if size > 12 or (size and not data[1] & 0x80):
                return False
            at = 1 + size
        first = data[at]
        kind = first & 0x03
        if kind not in (0, 1):  # SMS-DELIVER, SMS-SUBMIT
            return False
        at += 2 if kind == 1 else 1  # SUBMIT has a message reference
        digits, address_type = data[at], data[at + 1]
        if not 1 <= digits <= 20 or not address_type & 0x80:
            return False
        at += 2 + (digits + 1) // 2
        coding = data[at + 1]
        at += 2  # protocol identifier, data coding scheme
        if kind == 0:
            at += 7  # service centre time stamp
        else:
            at += (0, 7, 1, 7)[(first >> 3) & 0x03]  # validity period, by its format
        length = data[at]
        at += 1
    except IndexError:
        return False
    seven_bit = (coding & 0xC0 == 0 and coding & 0x0C == 0) or (coding & 0xF0 == 0xF0 and not coding & 0x04)
    octets = (length * 7 + 7) // 8 if seven_bit else length
    return length > 0 and len(data) - at == octets


@validator("in_send_object")
def _in_send_object(value: str, text: str, start: int, end: int) -> bool:
    """A `msg` that sits in one JSON object with a recipient or a sender (`{"to": "...",
    "from": "...", "msg": "Hello"}`, an SMS API's request): the text sent, not a log line."""
    open_at = text.rfind("{", text.rfind("\n", 0, start) + 1, start)
    if open_at < 0:
        return False
    close_at = text.find("}", end)
    line_end = text.find("\n", end)
    if close_at < 0 or (0 <= line_end < close_at):
        close_at = len(text) if line_end < 0 else line_end
    return _SEND_PARTY.search(text, open_at, close_at) is not None


_SEND_PARTY = regex.compile(
    r'"(?i:to|from|recipient|recipients|destination|sender|msisdn|phone|number|mobile)"[ \t]*:'
)


@validator("in_misc_section")
def _in_misc_section(value: str, text: str, start: int, end: int) -> bool:
    """A line of an INI file's `[misc]` section (Linphone's linphonerc keeps the
    installation's instance id there: `uuid=`)."""
    section = text.rfind("\n[", 0, start)
    head = 0 if section < 0 and text.startswith("[") else section + 1
    if section < 0 and not text.startswith("["):
        return False
    return text.startswith("[misc]", head)


@validator("not_flag")
def _not_flag(value: str, text: str, start: int, end: int) -> bool:
    """A yes/no under a key that asks a question (`UsingPassword: 1` of Asterisk's security
    events, `has_password=true`, `require_pin: false`): a flag, not the secret."""
    if value.strip().strip("\"'").lower() not in _FLAG_VALUES:
        return True
    key = _key_before(text, start)
    return key is None or _FLAG_KEY.match(key) is None


def _key_before(text: str, start: int) -> str | None:
    """The key a value at `start` stands under on its line (`UsingPassword: `, `pwd=`)."""
    key = _KEY_BEFORE.search(text, text.rfind("\n", 0, start) + 1, start)
    return key.group(1) if key is not None else None


_FLAG_VALUES = frozenset({"0", "1", "true", "false", "yes", "no", "on", "off"})
_KEY_BEFORE = regex.compile(r"""["']?([A-Za-z][\w.-]{0,63})["']?[ \t]*[:=][ \t]*["']?$""")
_FLAG_KEY = regex.compile(
    r"(?i)(?:using|use|has|have|is|requires?|required|needs?|enabled?|allow|remember|save|show|ask)[_.-]?[a-z]"
)


@validator("bare_user")
def _bare_user(value: str, text: str, start: int, end: int) -> bool:
    """A user name on its own, not an address (`2114@sbc.example`, `sip:...`, a path)."""
    return not any(c in value for c in "@:/")


_TAG_REACH = 2048


def start_tag_open(text: str, pos: int) -> int | None:
    """Where the `<` of the XML start tag that pos stands in is (an attribute of
    `<contact name="Ann" number="5901"/>`), or None outside a tag (within _TAG_REACH)."""
    opening = text.rfind("<", max(0, pos - _TAG_REACH), pos)
    if opening < 0 or ">" in text[opening:pos]:
        return None
    return opening


@validator("not_host_name")
def _not_host_name(value: str, text: str, start: int, end: int) -> bool:
    """A certificate's common name with a dot is a host's (`vpn.example.org`); a client's
    without one is the user it was issued to."""
    return "." not in value


@validator("geohash")
def _geohash(value: str, text: str, start: int, end: int) -> bool:
    """A geohash precise enough to place a person (six characters or more of its alphabet,
    which has no a, i, l, o)."""
    return 6 <= len(value) <= 12 and all(c in "0123456789bcdefghjkmnpqrstuvwxyz" for c in value)


@validator("not_working_directory")
def _not_working_directory(value: str, text: str, start: int, end: int) -> bool:
    """`PWD=/home/ana` (sudo's log, a shell's environment) is the working directory, not a
    password: a path under a `pwd` key."""
    if not value.startswith(("/", "~/")) or _PATH_VALUE.fullmatch(value) is None:
        return True
    key = _key_before(text, start)
    return key is None or key.lower() not in ("pwd", "oldpwd")


_PATH_VALUE = regex.compile(r"~?/(?:[\w.-]+/?)*")
