"""Property-based tests (hypothesis) of the core contract: nothing planted survives,
safe text is byte-identical, scrubbing is idempotent, segmentation does not matter,
and pseudonyms are consistent and keyed."""

from __future__ import annotations

import io
import ipaddress
import random
import re
import string
from dataclasses import dataclass

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import logscrub
from logscrub import Entity, Policy, Scrubber

from .conftest import KEY, OTHER_KEY

# --------------------------------------------------------------------------------------
# planted values: each strategy returns the snippet to insert and the exact secrets in it


@dataclass(frozen=True)
class Plant:
    snippet: str
    secrets: tuple[str, ...]


def luhn_complete(body: str) -> str:
    """Append the Luhn check digit to `body`."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


phone_sep = st.sampled_from([" ", "-", ".", ""])


def n_digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


@st.composite
def e164_phone(draw: st.DrawFn) -> Plant:
    s = [draw(phone_sep) for _ in range(3)]
    if draw(st.booleans()):
        value = f"+1{s[0]}202{s[1]}555{s[2]}01{draw(n_digits(2))}"
    else:
        value = f"+44{s[0]}20{s[1]}7946{s[2]}0{draw(n_digits(3))}"
    return Plant(value, (value,))


SIP_HOSTS = ["pbx.example.org", "sip.provider.net", "voip.example.com"]


@st.composite
def sip_phone_user(draw: st.DrawFn) -> Plant:
    us = draw(st.booleans())
    number = f"+1202555{draw(n_digits(4))}" if us else f"+4420794{draw(n_digits(5))}"
    host = draw(st.sampled_from(SIP_HOSTS))
    params = draw(st.sampled_from(["", ";user=phone", ":5060;transport=udp", ":5061;transport=tls"]))
    uri = f"sip:{number}@{host}{params}"
    if draw(st.booleans()):
        uri = f"<{uri}>"
    return Plant(uri, (number,))


email_local = st.from_regex(r"\A[a-z][a-z0-9]{1,8}(?:[._+-][a-z0-9]{1,6}){0,2}\Z")
domain_label = st.from_regex(r"\A[a-z][a-z0-9]{1,9}\Z")


@st.composite
def email(draw: st.DrawFn) -> Plant:
    labels = draw(st.lists(domain_label, min_size=1, max_size=2))
    tld = draw(st.sampled_from(["com", "org", "net", "io", "de", "co.uk"]))
    value = f"{draw(email_local)}@{'.'.join(labels)}.{tld}"
    if draw(st.booleans()):
        value = value.capitalize()
    return Plant(value, (value,))


octet = st.integers(0, 255)


@st.composite
def private_ipv4(draw: st.DrawFn) -> Plant:
    kind = draw(st.sampled_from(["10", "172", "192"]))
    b, c, d = draw(octet), draw(octet), draw(st.integers(1, 254))
    if kind == "10":
        value = f"10.{b}.{c}.{d}"
    elif kind == "172":
        value = f"172.{draw(st.integers(16, 31))}.{c}.{d}"
    else:
        value = f"192.168.{c}.{d}"
    return Plant(value, (value,))


@st.composite
def public_ipv4(draw: st.DrawFn) -> Plant:
    value = ".".join(str(draw(octet)) for _ in range(4))
    addr = ipaddress.IPv4Address(value)
    assume(addr.is_global and not addr.is_multicast)
    return Plant(value, (value,))


@st.composite
def ipv4_any(draw: st.DrawFn) -> Plant:
    plant = draw(st.one_of(private_ipv4(), public_ipv4()))
    form = draw(st.sampled_from(["{}", "{}:5060", "received={}", "c=IN IP4 {}", "http://{}/prov"]))
    return Plant(form.format(plant.snippet), plant.secrets)


@st.composite
def ipv6(draw: st.DrawFn) -> Plant:
    first = draw(st.sampled_from([0x2001, 0x2A00, 0x2A02, 0xFE80, 0xFD12, 0x2600]))
    rest = draw(st.lists(st.one_of(st.just(0), st.integers(1, 0xFFFF)), min_size=7, max_size=7))
    if first == 0xFE80:
        rest[:3] = [0, 0, 0]
    assume(any(rest))
    addr = ipaddress.IPv6Address(b"".join(h.to_bytes(2, "big") for h in [first, *rest]))
    text = addr.compressed
    if draw(st.booleans()):
        text = text.upper()
    form = draw(st.sampled_from(["zone", "bracket", "plain"]))
    if form == "zone":
        zone = draw(st.sampled_from(["wlan0", "eth0", "en0", "pdp_ip0", "3"]))
        snippet = secret = f"{text}%{zone}"
    elif form == "bracket":
        snippet, secret = f"[{text}]:5060", f"[{text}]"
    else:
        # a pseudonym can be longer than its input ('fe80::1' -> 'fe80::1abc'), so the
        # secret includes the delimiter that follows the address
        snippet = secret = f"{text},"
    return Plant(snippet, (secret,))


@st.composite
def mac(draw: st.DrawFn) -> Plant:
    raw = draw(st.binary(min_size=6, max_size=6))
    assume(raw.strip(b"\x00") and raw != b"\xff" * 6)
    hx = raw.hex()
    if draw(st.booleans()):
        hx = hx.upper()
    form = draw(st.sampled_from(["colon", "dash", "cisco"]))
    if form == "colon":
        value = ":".join(hx[i : i + 2] for i in range(0, 12, 2))
    elif form == "dash":
        value = "-".join(hx[i : i + 2] for i in range(0, 12, 2))
    else:
        value = ".".join(hx[i : i + 4] for i in range(0, 12, 4))
    return Plant(value, (value,))


name_word = st.one_of(
    st.from_regex(r"\A[A-Z][a-z]{2,9}\Z"),
    st.sampled_from(["Müller", "José", "Zoë", "O'Brien", "Anne-Marie", "Łukasz"]),
)


@st.composite
def display_name(draw: st.DrawFn, phone_user: bool = True) -> Plant:
    name = f"{draw(name_word)} {draw(name_word)}"
    if not phone_user or draw(st.booleans()):
        user = draw(st.from_regex(r"\A[a-z]{3,8}[0-9]{0,3}\Z"))
        assume(user not in ("user", "username", "password", "anonymous", "unknown", "default"))
    else:
        user = f"+1202555{draw(n_digits(4))}"
    header = draw(st.sampled_from(["From: ", "To: ", "P-Asserted-Identity: ", ""]))
    snippet = f'{header}"{name}" <sip:{user}@{draw(st.sampled_from(SIP_HOSTS))}>'
    return Plant(snippet, (name, user))


secret_chars = string.ascii_letters + string.digits + "!#$%^*_-.~+/@"


@st.composite
def credential(draw: st.DrawFn) -> Plant:
    value = draw(st.text(alphabet=secret_chars, min_size=8, max_size=24))
    assume(any(c.isalpha() for c in value) and any(c.isdigit() for c in value))
    key = draw(st.sampled_from(["password", "passwd", "sip_password", "auth_password", "secret"]))
    form = draw(st.sampled_from(["{k}={v}", '"{k}": "{v}"', '"{k}":"{v}"', "{k}: {v}"]))
    return Plant(form.format(k=key, v=value), (value,))


token_chars = string.ascii_letters + string.digits + "-._~+/"


@st.composite
def bearer(draw: st.DrawFn) -> Plant:
    value = draw(st.text(alphabet=token_chars, min_size=12, max_size=48))
    assume(any(c.isalnum() for c in value))
    value += draw(st.sampled_from(["", "=", "=="]))
    prefix = draw(st.sampled_from(["Authorization: Bearer ", "authorization: bearer ", "Bearer "]))
    return Plant(prefix + value, (value,))


b64url = string.ascii_letters + string.digits + "-_"


@st.composite
def jwt(draw: st.DrawFn) -> Plant:
    parts = [draw(st.text(alphabet=b64url, min_size=10, max_size=40)) for _ in range(3)]
    value = f"eyJ{parts[0]}.eyJ{parts[1]}.{parts[2]}"
    return Plant(value, (value,))


@st.composite
def push_token(draw: st.DrawFn) -> Plant:
    hx = draw(st.binary(min_size=32, max_size=32)).hex()
    if draw(st.booleans()):
        hx = hx.upper()
    host = draw(st.sampled_from(SIP_HOSTS))
    snippet = f"Contact: <sip:{host};transport=tls;pn-provider=apns;pn-prid={hx};pn-timeout=0>"
    return Plant(snippet, (hx,))


@st.composite
def imei(draw: st.DrawFn) -> Plant:
    value = luhn_complete(draw(n_digits(14)))
    label = draw(st.sampled_from(["IMEI: ", "IMEI:", "imei: "]))
    return Plant(label + value, (value,))


@st.composite
def visa(draw: st.DrawFn) -> Plant:
    number = luhn_complete("4" + draw(n_digits(14)))
    assume(len(set(number)) > 2)
    sep = draw(st.sampled_from(["", " ", "-"]))
    value = sep.join(number[i : i + 4] for i in range(0, 16, 4))
    return Plant(value, (value,))


@st.composite
def geo(draw: st.DrawFn) -> Plant:
    places = draw(st.integers(4, 7))
    lat = draw(st.floats(-89.5, 89.5, allow_nan=False))
    lon = draw(st.floats(-179.5, 179.5, allow_nan=False))
    assume(abs(lat) > 0.001 or abs(lon) > 0.001)
    sep = draw(st.sampled_from([", ", ",", " , "]))
    pair = f"{lat:.{places}f}{sep}{lon:.{places}f}"
    return Plant(f"lat/lon {pair}", (pair,))


body_word = st.one_of(
    st.from_regex(r"\A[A-Za-z]{1,10}\Z"),
    st.sampled_from(["ça", "va?", "😀", "!", "ok,", "42", "at", "the", "café", "привет"]),
)


@st.composite
def message_body(draw: st.DrawFn) -> Plant:
    text = " ".join(draw(st.lists(body_word, min_size=2, max_size=8)))
    assume(len(text) >= 8)
    key = draw(st.sampled_from(["body", "text", "message"]))
    form = draw(st.sampled_from(['{{"{k}": "{v}"}}', '"{k}":"{v}",', '{{"type": "sms", "{k}": "{v}"}}']))
    return Plant(form.format(k=key, v=text), (text,))


PLANTS = {
    "e164_phone": e164_phone(),
    "sip_phone_user": sip_phone_user(),
    "email": email(),
    "private_ipv4": private_ipv4(),
    "public_ipv4": public_ipv4(),
    "ipv4_in_context": ipv4_any(),
    "ipv6": ipv6(),
    "mac": mac(),
    "display_name": display_name(),
    "credential": credential(),
    "bearer": bearer(),
    "jwt": jwt(),
    "push_token": push_token(),
    "imei": imei(),
    "visa": visa(),
    "geo": geo(),
    "message_body": message_body(),
}
any_plant = st.one_of(*PLANTS.values())

# --------------------------------------------------------------------------------------
# surrounding log text: nothing in here may be sensitive

LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "NOTICE", "D", "I", "V", "E/Linphone", "I/belle-sip"]
WORDS = [
    "registration",
    "refreshed",
    "dialog",
    "state",
    "CONFIRMED",
    "EARLY",
    "transaction",
    "timer",
    "fired",
    "socket",
    "closed",
    "opened",
    "retrying",
    "queue",
    "flushed",
    "audio",
    "stream",
    "started",
    "stopped",
    "codec",
    "selected",
    "ok",
    "done",
    "pending",
    "ringing",
    "accepted",
    "media",
    "jitter",
    "buffer",
    "resized",
    "keepalive",
    "sent",
    "packet",
    "lost",
    "wifi",
    "reachable",
    "core",
    "iterate",
    "=>",
    "->",
    "|",
    "-",
    ":",
    "INVITE",
    "REGISTER",
    "BYE",
    "ACK",
    "OPTIONS",
    "200",
    "180",
    "401",
    "SIP/2.0",
    "CSeq:",
    "Via:",
    "refresher",
    "presence",
    "notify",
    "subscribe",
    "bitrate",
    "kbps",
    "ms",
]


@st.composite
def timestamp(draw: st.DrawFn) -> str:
    y, mo, d = draw(st.integers(2019, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    h, mi, s, ms = (
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 999)),
    )
    form = draw(
        st.sampled_from(
            [
                "{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{ms:03}",
                "{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z",
                "{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{ms:03}",
                "{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}:{ms:03}",
                "[{h:02}:{mi:02}:{s:02}.{ms:03}]",
            ]
        )
    )
    return form.format(y=y, mo=mo, d=d, h=h, mi=mi, s=s, ms=ms)


thread_id = st.one_of(
    st.integers(1, 99999).map(lambda n: f"[T-{n}]"),
    st.integers(1, 99999).map(lambda n: f"({n})"),
    st.sampled_from(["[main]", "[pjsua]", "[worker-3]", "[AudioThread]"]),
)
short_number = st.integers(0, 99999).map(str)
word = st.one_of(st.sampled_from(WORDS), short_number, st.from_regex(r"\A[a-z]{2,9}\Z"))
# random lowercase words must not be keys or context words of a rule
_BAD_WORDS = {
    "to",
    "from",
    "call",
    "tel",
    "cli",
    "number",
    "sms",
    "fax",
    "cell",
    "dial",
    "version",
    "ver",
    "v",
    "build",
    "release",
    "rev",
    "warning",
    "error",
    "errors",
    "exception",
    "basic",
    "bearer",
    "imei",
    "imsi",
    "lat",
    "lon",
    "lng",
    "geo",
    "pin",
    "otp",
    "code",
    "cookie",
    "inline",
    "token",
    "push",
    "voip",
    "apns",
    "device",
    "pushkit",
    "sip",
    "sips",
    "mailto",
}


separator_word = st.sampled_from(["ok", "|", "->", "=>", "done", "state", "[x]", "(y)", ":", "-"])


def _is_number(tok: str) -> bool:
    return tok.isdigit()


@st.composite
def log_line_words(draw: st.DrawFn) -> list[str]:
    header = [draw(timestamp()), draw(st.sampled_from(LEVELS)), draw(thread_id)]
    words = draw(st.lists(word, min_size=1, max_size=8))
    words = [w for w in words if w not in _BAD_WORDS and not any(b in w for b in ("tel", "cli", "call"))] or [
        "ok"
    ]
    # two bare numbers in a row can form a national phone number; keep a word between
    out: list[str] = []
    for w in words:
        if out and _is_number(out[-1]) and _is_number(w):
            out.append("ok")
        out.append(w)
    return header + out


@st.composite
def planted_text(draw: st.DrawFn, plants: st.SearchStrategy[Plant]) -> tuple[str, list[Plant]]:
    lines = draw(st.lists(log_line_words(), min_size=1, max_size=6))
    chosen = draw(st.lists(plants, min_size=1, max_size=3))
    for plant in chosen:
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        pos = draw(st.integers(3, len(line)))
        # the planted value sits between words, never next to a bare number (see
        # test_detection for the known misses of a phone / card number next to a number)
        lines[i] = [*line[:pos], draw(separator_word), plant.snippet, draw(separator_word), *line[pos:]]
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    text = eol.join(" ".join(line) for line in lines)
    if draw(st.booleans()):
        text += eol
    return text, chosen


def _stands_in(secret: str, out: str) -> bool:
    """`secret` occurs in `out` as a token of its own: not as the start of a longer one
    (`10.0.0.1` in another address's pseudonym `10.0.0.181`)."""
    before = r"(?<![\w.])" if secret[:1].isalnum() else ""
    after = r"(?![\w])(?!\.\d)" if secret[-1:].isalnum() else ""
    return re.search(before + re.escape(secret) + after, out) is not None


def assert_nothing_survives(scrubber: Scrubber, text: str, plants: list[Plant]) -> str:
    secrets = [s for p in plants for s in p.secrets]
    # a secret that also occurs in the surrounding text (by chance) cannot be checked
    for secret in secrets:
        assume(text.count(secret) == sum(p.snippet.count(secret) for p in plants))
    out = scrubber.scrub_text(text).text
    for secret in secrets:
        if _stands_in(secret, out):
            # Only as another planted value's pseudonym, which may be it by chance: the
            # addresses of a private /24 map among themselves (10.0.0.1 -> 10.0.0.7).
            pseudonyms = {scrubber.scrub_text(other).text for other in secrets if other != secret}
            assert secret in pseudonyms, f"{secret!r} survived in {out!r}"
    assert out.count("\n") == text.count("\n")
    assert len(out.splitlines()) == len(text.splitlines())
    return out


@pytest.mark.parametrize("kind", sorted(PLANTS))
@given(data=st.data())
@settings(max_examples=40)
def test_planted_values_never_survive(scrubber: Scrubber, kind: str, data: st.DataObject) -> None:
    text, plants = data.draw(planted_text(PLANTS[kind]))
    assert_nothing_survives(scrubber, text, plants)


@given(planted_text(any_plant))
@settings(max_examples=120)
def test_mixed_planted_values_never_survive(text_plants: tuple[str, list[Plant]]) -> None:
    text, plants = text_plants
    # a fresh Scrubber per example: learned values and pseudonym memory start empty
    assert_nothing_survives(Scrubber(key=KEY), text, plants)


@given(planted_text(any_plant))
@settings(max_examples=60)
def test_planted_values_never_survive_with_label_operators(
    label_scrubber: Scrubber, text_plants: tuple[str, list[Plant]]
) -> None:
    text, plants = text_plants
    assert_nothing_survives(label_scrubber, text, plants)


# --------------------------------------------------------------------------------------
# safe text comes out byte for byte

SIP_METHODS = [
    "INVITE",
    "ACK",
    "BYE",
    "CANCEL",
    "REGISTER",
    "OPTIONS",
    "SUBSCRIBE",
    "NOTIFY",
    "MESSAGE",
    "INFO",
    "PRACK",
    "UPDATE",
    "REFER",
    "PUBLISH",
]
STATUS = [
    "100 Trying",
    "180 Ringing",
    "183 Session Progress",
    "200 OK",
    "401 Unauthorized",
    "407 Proxy Authentication Required",
    "486 Busy Here",
    "487 Request Terminated",
    "503 Service Unavailable",
]
alnum = string.ascii_letters + string.digits


@st.composite
def safe_token(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return draw(timestamp())
    if kind == 1:
        return draw(st.sampled_from(LEVELS))
    if kind == 2:
        return draw(st.sampled_from(SIP_METHODS))
    if kind == 3:
        return f"SIP/2.0 {draw(st.sampled_from(STATUS))}"
    if kind == 4:
        return f"CSeq: {draw(st.integers(1, 99999))} {draw(st.sampled_from(SIP_METHODS))}"
    if kind == 5:
        sep = draw(st.sampled_from(["", ".", "-"]))
        return f"branch=z9hG4bK{sep}{draw(st.text(alnum, min_size=6, max_size=20))}"
    if kind == 6:
        return draw(short_number)
    if kind == 7:
        return draw(thread_id)
    if kind == 8:
        return f"tag={draw(st.text(alnum, min_size=6, max_size=12))}"
    if kind == 9:
        return f"{draw(st.integers(1, 999))}ms"
    return draw(st.sampled_from(WORDS))


invalid_utf8 = st.sampled_from(
    [b"\xff", b"\xfe\xfe", b"\xc3(", b"\x80", b"\xed\xa0\x80", b"\xf0\x28\x8c\xbc", b"\xe2\x82"]
)


@st.composite
def safe_bytes(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        tokens = draw(st.lists(safe_token(), min_size=1, max_size=8))
        parts: list[bytes] = [draw(timestamp()).encode()] if draw(st.booleans()) else []
        for tok in tokens:
            if parts and parts[-1].isdigit() and tok.isdigit():
                parts.append(b"ok")
            if parts and parts[-1] == b"MESSAGE" and tok in (":", "=>"):
                parts.append(b"ok")  # `MESSAGE : text` is a field holding a message
            parts.append(tok.encode())
            if draw(st.integers(0, 9)) == 0:
                parts.append(draw(invalid_utf8))
        lines.append(b" ".join(parts) + draw(st.sampled_from([b"\n", b"\r\n"])))
    if draw(st.booleans()):
        lines[-1] = lines[-1].rstrip(b"\r\n")
    return b"".join(lines)


@given(safe_bytes())
# A SIP request's method read as a key (`CSeq: 1 MESSAGE => ...`), its "value" then learned
# as a message and replaced on another line (found by CI; as old as the key reader).
@example(
    data=b"TRACE \xff 2019-01-01 00:00:00.000 \xff\nCSeq: 1 MESSAGE => \xff 2019-01-01 00:00:00.000 \xff\n"
)
@settings(max_examples=150)
def test_safe_text_is_unchanged_byte_for_byte(scrubber: Scrubber, data: bytes) -> None:
    result = scrubber.scrub_bytes(data)
    assert result.data == data
    assert result.stats.replaced == 0


# --------------------------------------------------------------------------------------
# idempotence


PLANTS_LABEL_IDEMPOTENT = st.one_of(*PLANTS.values())


def _rescrub_same_scrubber(text: str) -> None:
    scrubber = Scrubber(key=KEY)
    once = scrubber.scrub_text(text).text
    twice = scrubber.scrub_text(once)
    assert twice.text == once
    assert twice.stats.replaced == 0


# Format-preserving pseudonyms (phone, IP, MAC, token) are indistinguishable from real values
# by design. A run therefore never leaves a value alone because it equals a pseudonym it
# produced earlier: that value may be real (10.0.3.4 in one line may be the pseudonym of
# 10.0.1.2 from another line). Re-scrubbing such output pseudonymises again; the fixed-point
# guarantee holds for tagged pseudonyms, masks and labels (tests below and the label test).


def test_value_equal_to_an_earlier_pseudonym_is_still_replaced() -> None:
    scrubber = Scrubber(key=KEY)
    first = scrubber.scrub_text("peer 10.0.1.2 ok\n").text
    pseudonym = first.split()[1]
    assert pseudonym != "10.0.1.2"
    # a real address that happens to equal that pseudonym must not survive
    again = scrubber.scrub_text(f"peer {pseudonym} ok\n").text
    assert pseudonym not in again


TAGGED_OR_FIXED = st.one_of(
    email(), display_name(phone_user=False), credential(), visa(), geo(), message_body()
)


@given(planted_text(TAGGED_OR_FIXED))
@settings(max_examples=80)
def test_rescrub_tagged_values_with_same_scrubber_changes_nothing(
    text_plants: tuple[str, list[Plant]],
) -> None:
    """Tagged pseudonyms (Person-…, user-…@example.invalid), masks and labels are fixed points."""
    _rescrub_same_scrubber(text_plants[0])


def test_rescrub_a_mask_before_a_label_changes_nothing() -> None:
    """Found by Hypothesis on CI: a mask's last stars and a label after it (`password=********
    ok <CARD_NUMBER>`) read as an IRC log's `*** nick <hostmask>` event."""
    _rescrub_same_scrubber(
        "2019-01-01 00:00:00.000 TRACE [T-1] ok ok password=0000000A ok 4000000000000002 ok ok "
        "password=0000000A ok registration"
    )


@given(planted_text(PLANTS_LABEL_IDEMPOTENT))
@settings(max_examples=80)
def test_rescrub_labels_with_new_scrubber_changes_nothing(
    label_scrubber: Scrubber, text_plants: tuple[str, list[Plant]]
) -> None:
    once = label_scrubber.scrub_text(text_plants[0]).text
    again = Scrubber(key=OTHER_KEY, operators={e: "label" for e in Entity}).scrub_text(once).text
    assert again == once


# --------------------------------------------------------------------------------------
# segmentation invariance


class TinyReader(io.RawIOBase):
    """A reader that returns small, random-sized reads (ignores the requested size)."""

    def __init__(self, data: bytes, seed: int) -> None:
        self._data = data
        self._pos = 0
        self._rng = random.Random(seed)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        n = self._rng.randint(1, 7)
        if size is not None and size >= 0:
            n = min(n, size)
        chunk = self._data[self._pos : self._pos + n]
        self._pos += len(chunk)
        return chunk


def _as_bytes(text: str, junk: bytes) -> bytes:
    """`text` as UTF-8 with `junk` (invalid UTF-8) at the start of a line in its second half."""
    data = text.encode("utf-8")
    nl = data.find(b"\n", len(data) // 2)
    return data + junk if nl < 0 else data[: nl + 1] + junk + data[nl + 1 :]


@given(
    planted_text(any_plant), st.integers(0, 2**32 - 1), st.sampled_from([b"", b"\xff", b"\xc3", b"\xe2\x82"])
)
@settings(max_examples=40)
def test_block_size_and_read_size_do_not_matter(
    text_plants: tuple[str, list[Plant]], seed: int, junk: bytes
) -> None:
    data = _as_bytes(text_plants[0] * 3, junk)  # long enough to span several reads
    outputs = []
    for block in (1024, 4096, 1 << 20):
        outputs.append(Scrubber(Policy(key=KEY, block_size=block)).scrub_bytes(data).data)
    tiny = io.BytesIO()
    Scrubber(key=KEY).scrub_stream(TinyReader(data, seed), tiny)  # type: ignore[arg-type]
    outputs.append(tiny.getvalue())
    assert all(o == outputs[0] for o in outputs), "output depends on block / read size"
    assert outputs[0].count(b"\n") == data.count(b"\n")


filler_token = st.one_of(st.sampled_from(WORDS), st.from_regex(r"\A[a-z]{2,9}\Z"))


@given(st.data())
@settings(max_examples=15)
def test_long_line_windows_give_same_output(data: st.DataObject) -> None:
    """A line longer than max_line_length is windowed; values short compared to the
    overlap come out as if the line had been scanned whole."""
    plants = data.draw(st.lists(any_plant, min_size=3, max_size=12))
    pieces: list[str] = []
    fillers: list[str] = []
    for plant in plants:
        n = data.draw(st.integers(50, 900))
        filler: list[str] = []
        while sum(len(f) + 1 for f in filler) < n:
            tok = data.draw(filler_token)
            if tok not in _BAD_WORDS:
                filler.append(tok)
        fillers.append(" ".join(filler))
        pieces.append(fillers[-1])
        pieces.append(plant.snippet + " ok")
    line = " ".join(pieces)
    while len(line) < 10_000:
        line = line + " " + line
    text = f"2026-03-04 10:11:12.345 INFO short line\n{line}\nlast line {plants[0].snippet} ok\n"

    windowed = Scrubber(Policy(key=KEY, max_line_length=4096, window_overlap=512))
    whole = Scrubber(Policy(key=KEY))
    w_out = windowed.scrub_bytes(text.encode())
    h_out = whole.scrub_bytes(text.encode())
    assert w_out.stats.long_line_windows > 0
    assert h_out.stats.long_line_windows == 0
    assert w_out.data == h_out.data
    assert w_out.data.count(b"\n") == 3
    out = w_out.data.decode()
    filler_text = "\n".join(fillers)
    for secret in {s for p in plants for s in p.secrets}:
        if secret not in filler_text:
            assert secret not in out


# --------------------------------------------------------------------------------------
# pseudonym consistency


def _replacement_of(scrubber: Scrubber, snippet: str, secret: str) -> str:
    """The text that replaced `secret` when `snippet` (containing it once) was scrubbed."""
    before, after = snippet.split(secret, 1)
    out = scrubber.scrub_text(snippet).text
    assert out.startswith(before) and out.endswith(after), (snippet, out)
    return out[len(before) : len(out) - len(after)]


PSEUDONYM_PLANTS = st.one_of(
    e164_phone(),
    sip_phone_user(),
    email(),
    private_ipv4(),
    public_ipv4(),
    ipv6().filter(lambda p: not p.snippet.endswith(",")),
    mac(),
    name_word.flatmap(
        lambda a: name_word.map(lambda b: Plant(f'"{a} {b}" <sip:pbx.example.org>', (f"{a} {b}",)))
    ),
    bearer(),
    jwt(),
    push_token(),
)


@given(PSEUDONYM_PLANTS)
@settings(max_examples=80)
def test_pseudonyms_consistent_within_a_run_and_keyed(plant: Plant) -> None:
    secret = plant.secrets[0]
    scrubber = Scrubber(key=KEY)
    first = _replacement_of(scrubber, plant.snippet, secret)
    assert first != secret
    # the same value at several places in one text
    text = f"a {plant.snippet} ok\nb {plant.snippet} ok then {plant.snippet} ok\n"
    out = scrubber.scrub_text(text).text
    assert secret not in out
    assert out.count(first) >= 3
    # a second call on the same Scrubber agrees
    assert _replacement_of(scrubber, plant.snippet, secret) == first
    # a new Scrubber with the same key agrees, one with another key does not. Small
    # format-preserving domains (a 1-digit octet has 9 same-length values) can collide by
    # chance for one value, so key sensitivity is judged on the value and three siblings.
    assert _replacement_of(Scrubber(key=KEY), plant.snippet, secret) == first
    siblings = "".join(f"x {plant.snippet} {n} y\n" for n in ("", "a", "b", "c"))
    siblings = siblings.replace(" a y", " 203.0.113.77 y").replace(" b y", " +4420794600 y")
    siblings = siblings.replace(" c y", " 10.99.123.201 y")
    assert Scrubber(key=KEY).scrub_text(siblings).text != Scrubber(key=OTHER_KEY).scrub_text(siblings).text


def test_default_scrubbers_use_random_keys() -> None:
    text = "From: <sip:+12025550123@pbx.example.org>\n"
    assert Scrubber().scrub_text(text).text != Scrubber().scrub_text(text).text
    assert logscrub.scrub_text(text) == logscrub.scrub_text(text)  # one shared default Scrubber
