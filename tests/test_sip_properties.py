"""Generated SIP messages: no planted value survives, and the result is still SIP.

Hypothesis builds requests with random display names (quoted and bare), user parts
(names and phone numbers), hosts (names and addresses), parameters and compact header
forms, as they appear in app logs (optionally behind a log prefix). After scrubbing, every
planted value is gone and a small SIP grammar still accepts the message: the start line,
every header line, every name-addr.
"""

from __future__ import annotations

import ipaddress
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from logscrub import Scrubber
from logscrub.detectors.validators import VALIDATORS

from .conftest import KEY

SCRUBBER = Scrubber(key=KEY)

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _real(value: str) -> bool:
    """Not a placeholder such as `Null` or `Anonymous`, which is rightly kept."""
    return VALIDATORS["not_placeholder"](value, value, 0, len(value))


first_names = st.text(alphabet=_LETTERS, min_size=3, max_size=9).map(str.capitalize).filter(_real)
display_names = st.lists(first_names, min_size=1, max_size=3).map(" ".join)


def _personal_user(value: str) -> bool:
    """Nor a PBX's service user such as `voicemail` (Hypothesis also draws words it finds in
    the code under test), which is rightly kept too."""
    return _real(value) and VALIDATORS["not_service_user"](value, value, 0, len(value))


user_names = st.builds(
    lambda a, b: a + b,
    st.text(alphabet=_LETTERS, min_size=4, max_size=10),
    st.text(alphabet="0123456789", max_size=3),
).filter(_personal_user)
phone_users = st.builds(
    lambda cc, rest: f"+{cc}{rest}",
    st.sampled_from(["1415", "44207", "4930", "3361"]),
    st.text("0123456789", min_size=6, max_size=7),
)
domains = st.sampled_from(["pbx.example.org", "sip.example.com", "voice.example.net"])
public_v4 = st.ip_addresses(v=4).filter(lambda a: a.is_global).map(str)
private_v4 = (
    st.ip_addresses(v=4, network="10.0.0.0/8").filter(lambda a: not str(a).endswith((".0", ".255"))).map(str)
)
addresses = st.one_of(public_v4, private_v4)
tokens = st.text(alphabet=_LETTERS + "0123456789", min_size=6, max_size=16)
prefixes = st.sampled_from(
    ["", "2026-11-22 13:12:05.123 ", "11-22 13:12:05.123  4242  4243 D SIP     : ", "[pjsip] "]
)


@st.composite
def sip_message(draw: st.DrawFn) -> tuple[str, list[str]]:
    planted: list[str] = []

    def plant(value: str) -> str:
        planted.append(value)
        return value

    caller, callee = draw(display_names), draw(display_names)
    user_a = draw(st.one_of(user_names, phone_users))
    user_b = draw(st.one_of(user_names, phone_users))
    domain = draw(domains)
    via_host, contact_host = draw(addresses), draw(addresses)
    compact = draw(st.booleans())
    quoted = draw(st.booleans())
    name = lambda full, short: short if compact else full  # noqa: E731
    caller_field = f'"{plant(caller)}"' if quoted else plant(caller)
    lines = [
        f"INVITE sip:{plant(user_b)}@{domain} SIP/2.0",
        f"{name('Via', 'v')}: SIP/2.0/UDP {plant(via_host)}:5060;branch=z9hG4bK{draw(tokens)};rport",
        "Max-Forwards: 70",
        f"{name('From', 'f')}: {caller_field} <sip:{plant(user_a)}@{domain}>;tag={draw(tokens)}",
        f'{name("To", "t")}: "{plant(callee)}" <sip:{user_b}@{domain}>',
        f"{name('Call-ID', 'i')}: {draw(tokens)}@{plant(contact_host)}",
        "CSeq: 1 INVITE",
        f"{name('Contact', 'm')}: <sip:{user_a}@{contact_host}:5060;transport=udp>",
        f"{name('Content-Length', 'l')}: 0",
    ]
    prefix = draw(prefixes)
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return "".join(prefix + line + eol for line in lines), planted


_START = re.compile(r"^INVITE sips?:[^ @]+@[^ ]+ SIP/2\.0$")
_HEADER = re.compile(r"^(?P<name>[A-Za-z][A-Za-z-]*|[a-z]): (?P<value>.+)$")
_NAME_ADDR = re.compile(r'^(?:"[^"]*"|[^<>"]*?)\s*<sips?:[^<>@\s]+@[^<>\s]+>(?:;[\w.-]+(?:=[\w.-]+)?)*$')


def _strip(line: str) -> str:
    for prefix in ("2026-11-22 13:12:05.123 ", "11-22 13:12:05.123  4242  4243 D SIP     : ", "[pjsip] "):
        if line.startswith(prefix):
            return line[len(prefix) :]
    return line


def assert_still_sip(text: str) -> None:
    lines = [_strip(line.rstrip("\r")) for line in text.split("\n") if line]
    assert _START.match(lines[0]), lines[0]
    for line in lines[1:]:
        header = _HEADER.match(line)
        assert header, line
        if header["name"] in ("From", "f", "To", "t"):
            assert _NAME_ADDR.match(header["value"]), line
        if header["name"] in ("Via", "v"):
            host = header["value"].split()[1].split(":")[0]
            ipaddress.ip_address(host)  # still an address


@given(sip_message())
@settings(max_examples=150)
def test_generated_sip_nothing_survives_and_still_parses(message: tuple[str, list[str]]) -> None:
    text, planted = message
    for value in planted:
        # a value that also occurs by chance in the rest of the message cannot be checked
        assume(text.count(value) == sum(1 for p in planted if p == value) or len(value) > 5)
        # nor one that is also a parameter's name (a user named `branch` beside `;branch=`)
        assume(not re.search(rf"[;?&]{re.escape(value)}=", text))
    out = SCRUBBER.scrub_text(text).text
    for value in planted:
        assert not re.search(rf"(?<![\w.+]){re.escape(value)}(?![\w.])", out), (value, out)
    assert out.count("\n") == text.count("\n")
    assert_still_sip(out)
