#!/usr/bin/env python3
"""Generate the labelled sample corpus (samples/corpus/*.log + labels.json).

Seven app formats, every sensitive value planted by this script and recorded with its
category, and the strings troubleshooting needs recorded as keepers, in the schema of
../shared/eval/real-logs/labels.json, so the same scorer runs over both:

    python ../shared/eval/score.py samples/corpus --cmd 'logscrub scrub {in} -o {out}'

Values vary in shape (countries, separators, quoting, case, non-ASCII names) and sit in the
places the formats put them; the templates follow the formats' grammars, not logscrub's
rules. Seeded: the same seed always writes the same files.

    python samples/corpus/generate.py [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import string
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEX = "0123456789abcdef"

FIRST = [
    "Alice",
    "Bruno",
    "Chloé",
    "Dmitri",
    "Eszter",
    "Farid",
    "Grace",
    "Hiroshi",
    "Ines",
    "Jonas",
    "Kavya",
    "Lars",
    "Marta",
    "Nikolai",
    "Olu",
    "Priya",
    "Quentin",
    "Rosa",
    "Søren",
    "Tomasz",
    "Ulla",
    "Valentina",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zofia",
]
LAST = [
    "Andersen",
    "Bauer",
    "Castillo",
    "Dubois",
    "Eriksson",
    "Fischer",
    "García",
    "Hoffmann",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "López",
    "Müller",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Usman",
    "Varga",
    "Weiß",
    "Yilmaz",
    "Zielinski",
]
PROVIDER = "sip.voicecloud.example"
OUIS = ["00:15:65", "00:04:f2", "80:5e:c0", "00:0b:82", "64:16:7f"]  # Yealink, Polycom, ..., Grandstream
MESSAGES = [
    "Running 10 minutes late, start without me",
    "Can you call me back when you are free?",
    "The door code is 4471, second floor on the left",
    "Thanks for the quick fix yesterday!",
    "Meeting moved to Thursday at three",
    "Bitte ruf mich zurück, es ist dringend",
    "Je suis dans le train, je rappelle plus tard",
    "Please send the signed contract by Friday",
]


class Corpus:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.labels: dict[str, dict[str, object]] = {}
        self._secrets: list[dict[str, str]] = []
        self._keep: list[str] = []

    # --- planted values ----------------------------------------------------------

    def plant(self, value: str, category: str) -> str:
        self._secrets.append({"value": value, "category": category})
        return value

    def keep(self, value: str) -> str:
        self._keep.append(value)
        return value

    def name(self) -> str:
        return self.plant(f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}", "name")

    def user(self) -> str:
        first = self.rng.choice(FIRST).lower().replace("é", "e").replace("ø", "o")
        return self.plant(f"{first}.{self.rng.choice(LAST).lower()[:5]}{self.rng.randint(1, 99)}", "username")

    def phone(self, style: str | None = None) -> str:
        r = self.rng
        kind = r.choice(["us", "uk", "de", "fr", "in"])
        if kind == "us":
            area, exchange, line = r.randint(201, 989), r.randint(201, 989), r.randint(0, 9999)
            parts = ("+1", f"{area}", f"{exchange}", f"{line:04d}")
        elif kind == "uk":
            parts = ("+44", "20", f"7{r.randint(100, 999)}", f"{r.randint(1000, 9999)}")
        elif kind == "de":
            parts = ("+49", "30", f"{r.randint(100, 999)}", f"{r.randint(10000, 99999)}")
        elif kind == "fr":
            parts = (
                "+33",
                f"{r.choice('67')}",
                f"{r.randint(10, 99)}",
                f"{r.randint(10, 99)}{r.randint(10, 99)}{r.randint(10, 99)}",
            )
        else:
            parts = ("+91", f"9{r.randint(100, 999)}", f"{r.randint(100, 999)}", f"{r.randint(100, 999)}")
        style = style or r.choice(["e164", "spaced", "dashed"])
        if style == "e164":
            value = "".join(parts)
        elif style == "spaced":
            value = " ".join(parts)
        else:
            value = parts[0] + " " + "-".join(parts[1:])
        return self.plant(value, "phone")

    def email(self) -> str:
        first = self.rng.choice(FIRST).lower().replace("é", "e").replace("ø", "o")
        domain = self.rng.choice(["example.com", "mail.example.org", "example.net"])
        return self.plant(f"{first}.{self.rng.choice(LAST).lower()[:6]}@{domain}", "email")

    def ipv4(self, private: bool = False) -> str:
        r = self.rng
        if private:
            value = r.choice(
                [
                    f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(2, 254)}",
                    f"192.168.{r.randint(0, 255)}.{r.randint(2, 254)}",
                ]
            )
        else:
            first = r.choice([203, 198, 81, 62, 91, 145])
            value = f"{first}.{r.randint(1, 254)}.{r.randint(0, 255)}.{r.randint(2, 254)}"
        return self.plant(value, "ipv4")

    def ipv6(self) -> str:
        r = self.rng
        return self.plant(f"2001:db8:{r.randint(1, 0xFFFF):x}::{r.randint(1, 0xFFFF):x}", "ipv6")

    def mac(self, sep: str = ":") -> str:
        tail = [f"{self.rng.randint(0, 255):02x}" for _ in range(3)]
        value = sep.join([*self.rng.choice(OUIS).split(":"), *tail])
        return self.plant(value, "mac")

    def secret(self) -> str:
        r = self.rng
        alphabet = string.ascii_letters + string.digits + "!#%+"
        return self.plant("".join(r.choice(alphabet) for _ in range(r.randint(10, 16))), "credential")

    def hexstr(self, n: int, category: str) -> str:
        return self.plant("".join(self.rng.choice(HEX) for _ in range(n)), category)

    def message(self) -> str:
        return self.plant(self.rng.choice(MESSAGES) + f" ({self.rng.randint(100, 999)})", "message")

    # --- keepers ---------------------------------------------------------------------

    def token(self, n: int = 10) -> str:
        return "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(n))

    # --- files -----------------------------------------------------------------------

    def write(self, name: str, kind: str, lines: list[str]) -> None:
        (HERE / name).write_text("".join(lines), encoding="utf-8", newline="")
        self.labels[name] = {
            "source": "generated by samples/corpus/generate.py",
            "kind": kind,
            "secrets": _unique(self._secrets),
            "keep": sorted(set(self._keep)),
        }
        self._secrets, self._keep = [], []


def _unique(items: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for item in items:
        seen.setdefault(item["value"], item)
    return list(seen.values())


def _time(c: Corpus, i: int) -> str:
    return f"{8 + i // 3600 % 12:02d}:{i // 60 % 60:02d}:{i % 60:02d}.{c.rng.randint(0, 999):03d}"


def sip_invite(c: Corpus, eol: str) -> list[str]:
    caller_user, callee = c.phone("e164"), c.user()
    name, host, public = c.name(), c.ipv4(private=True), c.ipv4()
    call_id, branch, tag = c.keep(c.token(16)), c.keep("z9hG4bK" + c.token(10)), c.token(8)
    user, realm = c.user(), c.keep(PROVIDER)
    response = c.hexstr(32, "credential")
    sess = c.keep(str(c.rng.randint(10**9, 4 * 10**9)))
    body = [
        "v=0",
        f"o=- {sess} {sess} IN IP4 {host}",
        "s=Talk",
        f"c=IN IP4 {host}",
        "t=0 0",
        "m=audio 7078 RTP/AVP 96 0 8 101",
        "a=rtpmap:96 opus/48000/2",
        f"a=candidate:1 1 UDP 2130706431 {host} 7078 typ host",
        f"a=candidate:2 1 UDP 1694498815 {public} 40412 typ srflx raddr {host} rport 7078",
    ]
    lines = [
        f"INVITE sip:{callee}@{PROVIDER} SIP/2.0",
        f"Via: SIP/2.0/UDP {host}:5060;branch={branch};rport",
        f'From: "{name}" <sip:{caller_user}@{PROVIDER}>;tag={tag}',
        f"To: <sip:{callee}@{PROVIDER}>",
        f"Call-ID: {call_id}",
        c.keep("CSeq: 20 INVITE"),
        f"Contact: <sip:{caller_user}@{host}:5060;transport=udp>",
        f'Authorization: Digest username="{user}", realm="{realm}", nonce="{c.token(20)}", '
        f'uri="sip:{callee}@{PROVIDER}", response="{response}", algorithm=MD5',
        c.keep("User-Agent: Linphone-Android/5.2.5 (Pixel 7) LinphoneSDK/5.3.47"),
        "Content-Type: application/sdp",
        f"Content-Length: {sum(len(b) + 2 for b in body)}",
        "",
        *body,
    ]
    return [line + eol for line in lines]


def sip_message(c: Corpus, prefix: Callable[[], str]) -> list[str]:
    sender, receiver = c.user(), c.user()
    text = c.message()
    lines = [
        f"MESSAGE sip:{receiver}@{PROVIDER} SIP/2.0",
        f"Via: SIP/2.0/TCP {c.ipv4(private=True)}:5060;branch=z9hG4bK{c.token(9)}",
        f'From: "{c.name()}" <sip:{sender}@{PROVIDER}>;tag={c.token(6)}',
        f"To: <sip:{receiver}@{PROVIDER}>",
        f"Call-ID: {c.keep(c.token(12))}",
        c.keep("CSeq: 7 MESSAGE"),
        "Content-Type: text/plain;charset=utf-8",
        f"Content-Length: {len(text.encode()) + 2}",
        "",
        text,
    ]
    return [prefix() + line + "\n" for line in lines]


def linphone_trace(c: Corpus) -> list[str]:
    out: list[str] = []
    for i in range(40):
        stamp = f"2026-03-0{1 + i % 9} {_time(c, i * 97)}"
        out.append(
            f"{c.keep(stamp)} [belle-sip][message] channel [0x{c.keep(c.token(12).lower())}]: message sent\n"
        )
        out.append("-" * 49 + "\n")
        out.extend(sip_invite(c, "\r\n") if i % 2 == 0 else sip_message(c, lambda: ""))
        out.append("-" * 49 + "\n")
        # liblinphone's own wording for call events
        out.append(
            f"{stamp} [liblinphone][message] Call [0x{c.keep(c.token(12).lower())}]: "
            f'incoming call from "{c.name()}" '
            f"<sip:{c.phone('e164')}@{PROVIDER}> to sip:{c.user()}@{PROVIDER}\n"
        )
    return out


def logcat(c: Corpus) -> list[str]:
    out: list[str] = []
    pid = c.rng.randint(2000, 9000)
    for i in range(60):
        stamp = f"03-04 {_time(c, i * 53)}"

        def prefix(tag: str = "belle-sip", stamp: str = stamp) -> str:
            return f"{stamp}  {pid}  {pid + 31} D {tag}: "

        kind = i % 5
        if kind == 0:
            out.append(
                prefix("Linphone")
                + f"[Core] Registration of sip:{c.user()}@{PROVIDER} ok, "
                + f"contact {c.ipv4(private=True)}:5060\n"
            )
        elif kind == 1:
            out.append(
                prefix("FirebaseMessaging")
                + f"onNewToken: {c.plant(c.token(11) + ':APA91b' + c.token(120), 'token')}\n"
            )
        elif kind == 2:
            out.append(
                prefix("Linphone")
                + f'[Call] incoming call from "{c.name()}" <sip:{c.phone("e164")}@{PROVIDER}>, '
                + "state IncomingReceived\n"
            )
        elif kind == 3:
            out.extend(sip_message(c, prefix))
        else:
            out.append(
                prefix("WifiManager")
                + f"connected to ssid={c.plant(c.rng.choice(LAST) + '-Home', 'name')} bssid={c.mac()}\n"
            )
    return out


def ios_console(c: Corpus) -> list[str]:
    out: list[str] = []
    for i in range(70):
        stamp = c.keep(f"2026-03-04 {_time(c, i * 41)}-0800")
        head = f"{stamp} Softphone[{c.rng.randint(300, 999)}:{c.rng.randint(1000, 9999):x}] "
        kind = i % 4
        if kind == 0:
            out.append(head + f"<Notice>: PushKit token {c.hexstr(64, 'token')} registered\n")
        elif kind == 1:
            out.append(
                head
                + f"<Info>: CXProvider reportNewIncomingCall handle={c.phone('e164')} "
                + f'localizedCallerName="{c.name()}"\n'
            )
        elif kind == 2:
            out.append(head + f"<Debug>: contact lookup email={c.email()} phone={c.phone('dashed')}\n")
        else:
            out.append(head + f"<Notice>: network path satisfied, local address {c.ipv6()} via en0\n")
    return out


def provisioning(c: Corpus) -> list[str]:
    out: list[str] = []
    for _ in range(40):
        mac = c.mac("").replace(":", "")
        out.append(
            f"# GET /provisioning/{mac}.cfg from {c.ipv4()} "
            f"User-Agent: Yealink SIP-T54W {c.keep('96.86.0.70')}\n"
        )
        out.append(f"account.1.label = {c.name()}\n")
        out.append(f"account.1.auth_name = {c.user()}\n")
        out.append(f"account.1.password = {c.secret()}\n")
        out.append(f"account.1.sip_server.1.address = {c.keep(PROVIDER)}\n")
        out.append(f"<user_phone>{c.phone('e164')}</user_phone>\n")
        pin = c.plant(str(c.rng.randint(100000, 999999)), "credential")
        out.append(f'<setting name="voicemail_pin" value="{pin}"/>\n')
        out.append(f'{{"sip_password": "{c.secret()}", "display_name": "{c.name()}", "transport": "tls"}}\n')
    return out


def webhooks(c: Corpus) -> list[str]:
    out: list[str] = []
    for i in range(90):
        if i % 3 == 0:
            record = {
                "SmsSid": "SM" + c.keep(c.token(32).lower()),
                "From": c.phone("e164"),
                "To": c.phone("e164"),
                "Body": c.message(),
                "NumSegments": "1",
            }
        elif i % 3 == 1:
            record = {
                "entry": [
                    {
                        "changes": [
                            {
                                "value": {
                                    "contacts": [
                                        {"profile": {"name": c.name()}, "wa_id": c.phone("e164").lstrip("+")}
                                    ],
                                    "messages": [
                                        {
                                            "text": {"body": c.message()},
                                            "timestamp": c.keep(str(1767000000 + i)),
                                        }
                                    ],
                                }
                            }
                        ]
                    }
                ]
            }
        else:
            record = {
                "event": "call.completed",
                "caller": c.phone(),
                "callee": c.phone("e164"),
                "agent_email": c.email(),
                "recording_id": c.keep(c.token(20)),
            }
        out.append(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def cdr(c: Corpus) -> list[str]:
    out = [c.keep("start,duration,src,dst,caller_name,src_ip,uniqueid") + "\n"]
    for i in range(120):
        src = c.phone("e164")
        dst = c.plant(str(c.rng.randint(2012000000, 9899999999)), "phone")
        out.append(
            f"2026-03-04 {_time(c, i * 29)},{c.rng.randint(0, 3600)},{src},{dst},"
            f'"{c.name()}",{c.ipv4()},{c.keep(str(1767000000 + i) + "." + str(i))}\n'
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    c = Corpus(args.seed)
    c.write("linphone-trace.log", "sip", linphone_trace(c))
    c.write("android-logcat.log", "logcat", logcat(c))
    c.write("ios-console.log", "os_log", ios_console(c))
    c.write("provisioning.log", "provisioning", provisioning(c))
    c.write("webhooks.jsonl", "messaging", webhooks(c))
    c.write("cdr.csv", "cdr", cdr(c))
    (HERE / "labels.json").write_text(
        json.dumps(c.labels, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    total = sum(len(v["secrets"]) for v in c.labels.values())  # type: ignore[arg-type]
    print(f"{len(c.labels)} files, {total} distinct planted values -> {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
