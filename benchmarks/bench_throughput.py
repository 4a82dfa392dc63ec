#!/usr/bin/env python3
"""Throughput and memory benchmark for logscrub.

Generates a realistic, seeded, multi-format VoIP / UC debug log (Android logcat,
pjsua SIP traces with full messages and SDP, iOS console, JSON-lines webhooks,
provisioning key=value blocks, plain application logs), streams it to disk, then
scrubs it with ``python -m logscrub scrub IN -o OUT -q`` in a child process and
reports wall time, MB/s (MB = 1e6 bytes), the child's peak RSS and start-up time.

``--profile`` instead runs cProfile on ``Scrubber().scrub_file`` in-process over
the first N MB and prints the hottest functions.

Figures are only comparable when measured on the same machine.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import itertools
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import ClassVar

from benchcommon import children_peak_rss_mb, count_lines, workdir

MB = 1_000_000
CHUNK_BYTES = 4 * 1024 * 1024  # write granularity of the generator
BATCH_EVENTS = 4096  # events drawn per rng.choices() call
POOL_EVENTS = 8_000  # distinct pre-rendered events the log is sampled from
TS = "\x00"  # timestamp placeholder inside event templates

# Timestamp flavours, one per source format.
K_NONE, K_LOGCAT, K_PJSUA, K_IOS, K_ISO, K_APP = range(6)
STAMP_LEN = (0, 18, 12, 31, 24, 23)  # rendered length per kind (see Clock)


# --------------------------------------------------------------------------- values


FIRST = [
    "Alice",
    "Bob",
    "Carol",
    "David",
    "Eve",
    "Frank",
    "Grace",
    "Heidi",
    "Ivan",
    "José",
    "Zoë",
    "Mei",
    "Olaf",
]
LAST = ["Smith", "Jones", "Müller", "García", "Nguyen", "Okafor", "Rossi", "Dubois", "Kowalski", "Tanaka"]
DOMAINS = ["sip.example.com", "pbx.acme-voip.net", "voice.example.org", "uc.contoso.test"]
MAIL_DOMAINS = ["example.com", "example.org", "mail.acme.test", "contoso.test"]
CODECS = [("0", "PCMU/8000"), ("8", "PCMA/8000"), ("9", "G722/8000"), ("111", "opus/48000/2")]
HEX = "0123456789abcdef"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
B64URL = ALNUM + "-_"


class Values:
    """Seeded pools of realistic values. Every sensitive value handed out is recorded
    in ``marked`` so the generator can count lines carrying sensitive data."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.marked: set[str] = set()
        self.phones = [self._phone() for _ in range(150)]
        self.public_ips = [
            f"{rng.choice((203, 198, 185, 91, 62))}.{rng.randrange(256)}."
            f"{rng.randrange(256)}.{rng.randrange(1, 255)}"
            for _ in range(60)
        ]
        self.private_ips = [f"192.168.{rng.randrange(4)}.{rng.randrange(2, 250)}" for _ in range(20)] + [
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(2, 250)}" for _ in range(20)
        ]
        self.users = [f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}" for _ in range(30)]

    def _phone(self) -> str:
        r = self.rng
        kind = r.randrange(4)
        if kind == 0:
            return f"+1{r.randrange(201, 990)}555{r.randrange(10000):04d}"
        if kind == 1:
            return f"+44 20 7946 {r.randrange(10000):04d}"
        if kind == 2:
            return f"+4930{r.randrange(1000000, 9999999)}"
        return f"06{r.randrange(10000000, 99999999)}"

    def s(self, value: str) -> str:
        """Mark `value` as sensitive and return it."""
        self.marked.add(value)
        return value

    def phone(self) -> str:
        return self.s(self.rng.choice(self.phones))

    def digits(self) -> str:
        return self.s("".join(c for c in self.rng.choice(self.phones) if c.isdigit()))

    def public_ip(self) -> str:
        return self.s(self.rng.choice(self.public_ips))

    def private_ip(self) -> str:
        return self.s(self.rng.choice(self.private_ips))

    def name(self) -> str:
        return self.s(f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}")

    def user(self) -> str:
        return self.s(self.rng.choice(self.users))

    def email(self) -> str:
        return self.s(f"{self.rng.choice(self.users)}@{self.rng.choice(MAIL_DOMAINS)}")

    def secret(self, n: int = 12, alphabet: str = ALNUM) -> str:
        return self.s(self.token(n, alphabet))

    def token(self, n: int, alphabet: str = HEX) -> str:
        """Random identifier; not marked (ids, branches, tags are not personal data)."""
        return "".join(self.rng.choices(alphabet, k=n))

    def fcm(self) -> str:
        return self.s(f"{self.token(11, B64URL)}:APA91b{self.token(134, B64URL)}")

    def jwt(self) -> str:
        return self.s(f"eyJhbGciOiJIUzI1NiJ9.eyJ{self.token(40, B64URL)}.{self.token(43, B64URL)}")

    def imei(self) -> str:
        return self.s(f"35{self.rng.randrange(10**12, 10**13)}")

    def mac(self) -> str:
        return self.s(":".join(self.token(2) for _ in range(6)))


# --------------------------------------------------------------------------- event builders
# Each builder returns (timestamp kind, lines). Lines contain TS where the timestamp goes.

Built = tuple[int, list[str]]


def logcat(v: Values) -> Built:
    r = v.rng
    pid, tid = r.choice((4312, 5120, 8807)), r.randrange(4300, 9999)
    head = f"{TS}  {pid}  {tid} "
    if r.random() < 0.12:
        msg = r.choice(
            (
                lambda: f"I Softphone: Incoming call from {v.phone()} ({v.name()})",
                lambda: f"D PushService: FCM token refreshed: {v.fcm()}",
                lambda: f"I Softphone: Registering {v.user()}@{r.choice(DOMAINS)} via {v.public_ip()}:5060",
                lambda: f"D Contacts: lookup number={v.phone()} displayName={v.name()}",
                lambda: f"I Telephony: device imei={v.imei()} sim ready",
            )
        )()
    else:
        n = r.randrange(1, 5000)
        msg = r.choice(
            (
                f"D PJSIP   : pjsua_acc.c  Keep-alive timer started for acc {r.randrange(3)}",
                f"I Softphone: CallManager: state CONFIRMED -> DISCONNCTD (duration {n % 900} s)",
                f"D AudioTrack: getMinBufferSize sampleRate=48000 channels=1 -> {n * 2} bytes",
                "W ConnectivityManager: default network changed: WIFI -> CELLULAR",
                f"I ActivityManager: Displayed com.acme.softphone/.ui.CallActivity: +{n % 900}ms",
                f"V PJSIP   : jb.c  jb_framelist_put seq={n} ts={n * 160} size=160",
                f"D RtpStats: rx pkt={n} lost={n % 7} jitter={n % 40}ms mos=4.{n % 5}",
                f"D BluetoothHeadset: SCO state {r.choice(('CONNECTED', 'DISCONNECTED'))}",
                f"I chatty  : uid=10{n % 300} com.acme.softphone identical {n % 30} lines",
                f"E PJSIP   : sip_transport.c  Error sending keep-alive: Network is unreachable [status={n}]",
            )
        )
    return K_LOGCAT, [head + msg]


def _sdp(v: Values, ip: str) -> list[str]:
    r = v.rng
    sess = r.randrange(3_800_000_000, 3_999_999_999)
    port = r.randrange(4000, 4100, 2)
    codecs = r.sample(CODECS, 3)
    lines = [
        "v=0",
        f"o=- {sess} {sess + 1} IN IP4 {ip}",
        "s=pjmedia",
        f"b=AS:{r.choice((84, 117))}",
        "t=0 0",
        f"m=audio {port} RTP/AVP {' '.join(c[0] for c in codecs)} 101",
        f"c=IN IP4 {ip}",
        f"b=TIAS:{r.choice((64000, 96000))}",
        f"a=rtcp:{port + 1} IN IP4 {ip}",
        "a=sendrecv",
    ]
    lines += [f"a=rtpmap:{pt} {name}" for pt, name in codecs]
    lines += ["a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16"]
    return lines


def _sip(v: Values, method: str, response: bool) -> list[str]:
    r = v.rng
    dom = r.choice(DOMAINS)
    user, local, server = v.user(), v.private_ip(), v.public_ip()
    callee = v.phone().replace(" ", "")
    cseq = r.randrange(1, 60)
    call_id = f"{v.token(8)}-{v.token(4)}-{v.token(4)}-{v.token(12)}"
    target = f"sip:{user}@{dom}" if method == "REGISTER" else f"sip:{callee}@{dom}"
    body = _sdp(v, local) if method == "INVITE" else []
    start = "SIP/2.0 200 OK" if response else f"{method} {target} SIP/2.0"
    hdrs = [
        start,
        f"Via: SIP/2.0/UDP {local}:5060;rport={r.randrange(1024, 65535)};received={server}"
        f";branch=z9hG4bKPj{v.token(32)}",
        "Max-Forwards: 70",
        f'From: "{v.name()}" <sip:{user}@{dom}>;tag={v.token(32)}',
        f"To: <{target}>" + (f";tag={v.token(10)}" if response else ""),
        f"Contact: <sip:{user}@{local}:5060;ob>" + (";expires=300" if method == "REGISTER" else ""),
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} {method}",
        "User-Agent: AcmeSoftphone/3.2.1 (Android 14; pjsip 2.14)",
    ]
    if not response:
        hdrs.append(
            f'Authorization: Digest username="{user}", realm="{dom}", nonce="{v.secret(32, HEX)}", '
            f'uri="{target}", response="{v.secret(32, HEX)}", algorithm=MD5, cnonce="{v.token(16)}", '
            "qop=auth, nc=00000001"
        )
    if method == "REGISTER":
        hdrs.append("Expires: 300")
    hdrs.append(
        "Allow: PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, INFO, SUBSCRIBE, NOTIFY, REFER, MESSAGE, OPTIONS"
    )
    if body:
        hdrs.append("Content-Type: application/sdp")
    length = sum(len(b) + 2 for b in body)
    hdrs += [f"Content-Length:  {length}", ""]
    return hdrs + body


def pjsua(v: Values) -> Built:
    r = v.rng
    if r.random() < 0.07:
        method = r.choice(("REGISTER", "REGISTER", "INVITE", "INVITE"))
        response = r.random() < 0.5
        sip = _sip(v, method, response)
        size = sum(len(x) + 2 for x in sip)
        kind = "Response" if response else "Request"
        direction = "RX" if response else "TX"
        status = "200/" if response else ""
        what = f"{kind} msg {status}{method}/cseq={r.randrange(1, 60)}"
        head = (
            f"{TS}  pjsua_core.c  .{direction} {size} bytes {what} (tdta0x7f{v.token(8)}) "
            f"{'from' if response else 'to'} UDP {v.public_ip()}:5060:"
        )
        return K_PJSUA, [head, *sip, "--end msg--"]
    n = r.randrange(1, 100000)
    msg = r.choice(
        (
            f"   pjsua_media.c  .....Call {n % 4}: updating media..",
            f" tsx0x7f{v.token(8)}  ....State changed from Calling to Completed, event=RX_MSG",
            f"  pjsua_call.c  Call {n % 4} is DISCONNECTED [reason=200 (Normal call clearing)]",
            f"   sip_endpoint.c  Processing incoming message: Request msg OPTIONS/cseq={n} "
            f"(rdata0x7f{v.token(8)})",
            f"   conference.c  Port {n % 8} (sound-device) transmitting to port {n % 5} (call)",
            f"    strm0x7f{v.token(8)}  VAD temporarily disabled",
            f"  ec0x7f{v.token(8)}  AEC: frames={n} delay={n % 200}ms",
            f"   pjsua_acc.c  Keep-alive timer started for acc {n % 3}, destination ..., interval={n % 60}s",
        )
    )
    return K_PJSUA, [TS + msg]


def ios(v: Values) -> Built:
    r = v.rng
    head = f"{TS} AcmePhone[{r.choice((812, 1377))}:{r.randrange(30000, 40000)}] "
    if r.random() < 0.12:
        msg = r.choice(
            (
                lambda: (
                    f"[CallKit] reportNewIncomingCall uuid={v.token(8).upper()}-{v.token(4).upper()} "
                    f"handle={v.phone()}"
                ),
                lambda: f"[Push] PushKit voip token: {v.secret(64, HEX)}",
                lambda: f"[Account] signed in as {v.email()}",
                lambda: (
                    f"[Net] SIP socket connected local={v.private_ip()}:{r.randrange(50000, 60000)} "
                    f"remote={v.public_ip()}:5061"
                ),
            )
        )()
    else:
        n = r.randrange(1, 10000)
        msg = r.choice(
            (
                "[Audio] AVAudioSession category set to PlayAndRecord mode=VoiceChat",
                f"[Net] reachability changed: {r.choice(('wifi', 'cellular', 'none'))}",
                "[UI] viewDidAppear CallViewController",
                f"[Audio] route change reason={n % 8} output=Receiver",
                f"[Sync] fetched {n} history entries in {n % 500} ms",
                f"[BG] beginBackgroundTask id={n} remaining={n % 180}.0s",
            )
        )
    return K_IOS, [head + msg]


def jsonl(v: Values) -> Built:
    r = v.rng
    n = r.randrange(1, 100000)
    rec: dict[str, str | int]
    if r.random() < 0.35:
        rec = {
            "ts": TS,
            "event": "sms.received",
            "from": v.phone(),
            "to": v.phone(),
            "body": v.s(r.choice(("Your code is ", "Call me back at ", "Running late, ")) + str(n)),
            "message_id": f"SM{v.token(32)}",
        }
    else:
        rec = {
            "ts": TS,
            "event": r.choice(("webhook.delivery", "call.completed", "queue.stats")),
            "status": r.choice((200, 200, 200, 202, 500)),
            "latency_ms": n % 900,
            "attempt": 1 + n % 3,
            "endpoint_id": f"ep_{n % 50}",
        }
    return K_ISO, [json.dumps(rec, ensure_ascii=False).replace("\\u0000", TS)]


def provisioning(v: Values) -> Built:
    r = v.rng
    acc = r.randrange(1, 4)
    p = f"account.{acc}."
    lines = [
        f"[provisioning {v.token(6)}.cfg]",
        f"{p}enable = 1",
        f"{p}label = {v.name()}",
        f"{p}auth_name = {v.digits()}",
        f"{p}password = {v.secret(12)}",
        f"{p}sip_server.1.address = {r.choice(DOMAINS)}",
        f"{p}sip_server.1.port = 5060",
        f"{p}sip_server.1.transport_type = {r.randrange(3)}",
        f"{p}codec.pcmu.priority = {r.randrange(1, 5)}",
        f"{p}codec.opus.enable = {r.randrange(2)}",
        f"{p}reg_fail_retry_interval = {r.choice((30, 60, 120))}",
        f"{p}nat.udp_update_time = {r.choice((15, 30))}",
        f"{p}dtmf.type = {r.randrange(4)}",
        f"{p}subscribe_mwi = {r.randrange(2)}",
        f"{p}session_timer.enable = {r.randrange(2)}",
        "features.dnd.enable = 0",
        f"features.call_waiting.enable = {r.randrange(2)}",
        "voice.tone.country = Custom",
        f"local_time.time_zone = {r.choice(('+1', '-5', '+9', '0'))}",
        f"network.vlan.internet_port_vid = {r.randrange(1, 4000)}",
        "lang.gui = English",
        f"phone_setting.backlight_time = {r.choice((0, 30, 60))}",
        "auto_provision.repeat.enable = 1",
        f"auto_provision.repeat.minutes = {r.choice((60, 1440))}",
    ]
    return K_NONE, lines


def applog(v: Values) -> Built:
    r = v.rng
    n = r.randrange(1, 100000)
    head = f"{TS} {r.choice(('INFO ', 'INFO ', 'DEBUG', 'WARN '))} [worker-{n % 8}] "
    if r.random() < 0.08:
        msg = r.choice(
            (
                lambda: f"c.a.auth.Login - login ok for {v.email()} from {v.public_ip()}",
                lambda: f"c.a.api.Client - GET /v2/users?token={v.secret(24)} -> 200",
                lambda: f"c.a.api.Client - Authorization: Bearer {v.jwt()}",
            )
        )()
    else:
        msg = r.choice(
            (
                f"c.a.sync.Job - processed {n} records in {n % 900} ms (queue={n % 40})",
                f"c.a.cdr.Export - batch {n} written, {n % 1000} rows, {n % 3} retries",
                "c.a.http.Pool - leased connection [route: {}->https://api.acme.test:443]"
                f"[total kept alive: {n % 10}]",
                f"c.a.media.Stats - calls_active={n % 200} cpu={n % 100}% rss={n % 4096}MB",
                f"c.a.sched.Tick - tick {n} took {n % 50}.{n % 10} ms",
                f"c.a.cache.Lru - evicted {n % 500} entries (size={n}, hit_ratio=0.{n % 100:02d})",
            )
        )
    return K_APP, [head + msg]


def burst(build: Callable[[Values], Built]) -> Callable[[Values], Built]:
    """1-4 consecutive lines from the same source within the same millisecond."""

    def built(v: Values) -> Built:
        kind, lines = build(v)
        for _ in range(v.rng.choice((0, 0, 1, 2, 3))):
            lines += build(v)[1]
        return kind, lines

    built.__name__ = build.__name__
    return built


# (builder, weight in events) — tuned for ~10-20 % of lines carrying a sensitive value.
BUILDERS: list[tuple[Callable[[Values], Built], float]] = [
    (burst(logcat), 40.0),
    (burst(pjsua), 30.0),
    (burst(ios), 14.0),
    (jsonl, 8.0),
    (provisioning, 0.4),
    (burst(applog), 18.0),
]


# --------------------------------------------------------------------------- generator


@dataclass(frozen=True, slots=True)
class Event:
    kind: int
    parts: tuple[str, ...]  # text split at the timestamp placeholder
    size: int  # UTF-8 size with its timestamps
    nts: int  # number of timestamps
    nlines: int
    nsensitive: int


_SIZE = attrgetter("size")
_NLINES = attrgetter("nlines")
_NSENS = attrgetter("nsensitive")


@dataclass
class GenResult:
    path: Path
    nbytes: int
    lines: int
    sensitive_lines: int
    seconds: float
    cpu_seconds: float


def _make_event(v: Values, build: Callable[[Values], Built]) -> Event:
    v.marked = set()
    kind, lines = build(v)
    sensitive = sum(1 for line in lines if any(m in line for m in v.marked))
    text = "\n".join(lines) + "\n"
    parts = tuple(text.split(TS))
    nts = len(parts) - 1
    size = len(text.encode()) - nts + nts * STAMP_LEN[kind]
    return Event(kind, parts, size, nts, len(lines), sensitive)


def build_pool(rng: random.Random, size: int = POOL_EVENTS) -> tuple[list[Event], list[float]]:
    """Pre-render `size` events; return them with cumulative weights for rng.choices."""
    v = Values(rng)
    total = sum(w for _, w in BUILDERS)
    per_builder = [(b, max(1, round(size * w / total))) for b, w in BUILDERS]
    pool: list[Event] = []
    cum: list[float] = []
    acc = 0.0
    for build, count in per_builder:
        weight = size * dict(BUILDERS)[build] / total / count  # weight per event of this builder
        for _ in range(count):
            pool.append(_make_event(v, build))
            acc += weight
            cum.append(acc)
    return pool, cum


class Clock:
    """Simulated wall clock: timestamps of every format are a per-second prefix and suffix
    (formatted once per simulated second) around a 3-digit millisecond string from a table."""

    MILLIS: ClassVar[tuple[str, ...]] = tuple(f"{i:03d}" for i in range(1000))

    def __init__(self, rng: random.Random) -> None:
        self.now = dt.datetime(2024, 3, 11, 8, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        self.micro = [f"{rng.randrange(1000):03d}" for _ in range(60)]
        self.pre: list[str] = []
        self.suf: list[str] = []
        self._render()

    def _render(self) -> None:
        t = self.now
        self.pre = [
            "",
            t.strftime("%m-%d %H:%M:%S."),
            t.strftime("%H:%M:%S."),
            t.strftime("%Y-%m-%d %H:%M:%S."),
            t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S."),
            t.strftime("%Y-%m-%d %H:%M:%S,"),
        ]
        self.suf = ["", "", "", self.micro[t.second] + "+0100", "Z", ""]

    def roll(self, ms: int) -> int:
        """Advance by whole seconds out of `ms` milliseconds; return the remainder."""
        self.now += dt.timedelta(seconds=ms // 1000)
        self._render()
        return ms % 1000

    def stamp(self, kind: int, ms: int = 0) -> str:
        return "" if kind == K_NONE else self.pre[kind] + self.MILLIS[ms] + self.suf[kind]


def _chunks(
    rng: random.Random, pool: list[Event], cum: list[float], target: int
) -> Iterator[tuple[str, int, int]]:
    """Yield (text, lines, sensitive_lines) chunks of about CHUNK_BYTES until `target` bytes.

    Hot loop: one rng.choices() call per batch, a pre-drawn cycle of clock steps, sizes and
    line counts precomputed per event and summed per batch, timestamps by concatenation."""
    clock = Clock(rng)
    steps = itertools.cycle(rng.choices([0, 0, 0, 1, 1, 2, 3, 5, 8, 13, 40, 120], k=4093))
    millis = Clock.MILLIS
    pre, suf, ms = clock.pre, clock.suf, 0
    avg = sum(e.size for e in pool) / len(pool)
    produced = est = 0
    buf: list[str] = []
    chosen: list[Event] = []
    while produced + est < target:
        k = min(BATCH_EVENTS, max(1, int((target - produced - est) / (2 * avg))))
        batch = rng.choices(pool, cum_weights=cum, k=k)
        for ev, step in zip(batch, steps, strict=False):
            if step:
                ms += step
                if ms >= 1000:
                    ms = clock.roll(ms)
                    pre, suf = clock.pre, clock.suf
            if ev.nts:
                kind = ev.kind
                buf.append((pre[kind] + millis[ms] + suf[kind]).join(ev.parts))
            else:
                buf.append(ev.parts[0])
        est += sum(map(_SIZE, batch))
        chosen += batch
        if est >= CHUNK_BYTES or produced + est >= target:
            yield "".join(buf), sum(map(_NLINES, chosen)), sum(map(_NSENS, chosen))
            produced += est
            buf, chosen, est = [], [], 0


def generate(path: Path, size_mb: float, seed: int) -> GenResult:
    """Stream a seeded multi-format log of about `size_mb` MB to `path`."""
    start, cpu = time.perf_counter(), time.process_time()
    rng = random.Random(seed)
    pool, cum = build_pool(rng)
    nbytes = lines = sens = 0
    with open(path, "wb") as out:
        for text, n, s in _chunks(rng, pool, cum, int(size_mb * MB)):
            data = text.encode("utf-8")
            out.write(data)
            nbytes += len(data)
            lines += n
            sens += s
    return GenResult(path, nbytes, lines, sens, time.perf_counter() - start, time.process_time() - cpu)


# --------------------------------------------------------------------------- measurement


def scrub_cmd(src: Path, dst: Path) -> list[str]:
    return [sys.executable, "-m", "logscrub", "scrub", str(src), "-o", str(dst), "-q"]


def run_child(src: Path, dst: Path, env: dict[str, str] | None = None) -> float:
    """Scrub in a child process; return wall seconds. Exits on failure."""
    start = time.perf_counter()
    proc = subprocess.run(
        scrub_cmd(src, dst), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"scrub failed (exit {proc.returncode}): {proc.stderr.decode(errors='replace')[-2000:]}")
    return seconds


def measure_startup(workdir: Path, runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of scrubbing an empty file."""
    empty, out = workdir / "empty.log", workdir / "empty.out"
    empty.write_bytes(b"")
    return statistics.median(run_child(empty, out, env) for _ in range(max(1, runs)))


def report_generation(gen: GenResult) -> None:
    share = 100 * gen.sensitive_lines / max(1, gen.lines)
    print(
        f"generated   {gen.nbytes / MB:,.1f} MB, {gen.lines:,} lines ({share:.1f}% with a sensitive value) "
        f"in {gen.seconds:.2f}s ({gen.nbytes / MB / gen.seconds:.0f} MB/s; "
        f"{gen.nbytes / MB / max(gen.cpu_seconds, 1e-9):.0f} MB/s of CPU) -> {gen.path}",
        flush=True,
    )


# --------------------------------------------------------------------------- modes


def run_benchmark(args: argparse.Namespace) -> int:
    with workdir(args.keep, "logscrub-bench-") as wd:
        src, dst = wd / "bench-input.log", wd / "bench-output.log"
        gen = generate(src, args.size_mb, args.seed)
        report_generation(gen)
        env = {**os.environ, "LOGSCRUB_HYPERSCAN": "0"} if args.no_hyperscan else None
        backend = "pure-Python fallback" if args.no_hyperscan else "default (Hyperscan when installed)"
        print(f"scrubbing   {' '.join(scrub_cmd(src, dst))}  [{backend}] x{args.repeat}", flush=True)
        # Shared machines add noise, never speed: the best of several runs is the estimate
        # of what the code does; the median shows the spread.
        runs = [run_child(src, dst, env) for _ in range(max(1, args.repeat))]
        peak = children_peak_rss_mb()  # read before any other child runs
        seconds, median = min(runs), statistics.median(runs)
        size_mb = gen.nbytes / MB
        lines_in, lines_out = count_lines(src), count_lines(dst)
        print(f"input       {size_mb:,.1f} MB, {lines_in:,} lines")
        print(f"output      {os.path.getsize(dst) / MB:,.1f} MB, {lines_out:,} lines")
        print(f"wall time   {seconds:.2f} s best, {median:.2f} s median of {len(runs)}")
        print(f"throughput  {size_mb / seconds:.2f} MB/s best, {size_mb / median:.2f} MB/s median")
        print(f"peak RSS    {peak:.1f} MB (child)", flush=True)
        startup = measure_startup(wd, args.startup_runs, env)
        excl = size_mb / (seconds - startup) if seconds > startup else float("inf")
        print(f"start-up    {startup:.3f} s (median of {args.startup_runs}, empty input)")
        print(f"excl. start {excl:.2f} MB/s (best run)")
        summary = {
            "size_mb": round(size_mb, 3),
            "backend": "fallback" if args.no_hyperscan else "default",
            "seconds": round(seconds, 3),
            "seconds_median": round(median, 3),
            "mb_per_s": round(size_mb / seconds, 3),
            "mb_per_s_median": round(size_mb / median, 3),
            "mb_per_s_excl_startup": round(excl, 3),
            "peak_rss_mb": round(peak, 1),
            "startup_s": round(startup, 3),
            "lines_in": lines_in,
            "lines_out": lines_out,
        }
        print(json.dumps(summary))
        if lines_in != lines_out:
            print(f"ERROR: line count changed: {lines_in} in, {lines_out} out", file=sys.stderr)
            return 1
    return 0


def print_stats(profile: cProfile.Profile, sort: str, top: int) -> None:
    print(f"\n=== top {top} by {sort} ===", flush=True)
    pstats.Stats(profile, stream=sys.stdout).strip_dirs().sort_stats(sort).print_stats(top)


def run_profile(args: argparse.Namespace) -> int:
    from logscrub import Scrubber  # imported here: the subprocess mode must not pay for it

    with workdir(args.keep, "logscrub-bench-") as wd:
        src, dst = wd / "profile-input.log", wd / "profile-output.log"
        gen = generate(src, args.profile_mb, args.seed)  # same seed: the first N MB of the full log
        report_generation(gen)
        t0 = time.perf_counter()
        scrubber = Scrubber()
        build = time.perf_counter() - t0
        profile = cProfile.Profile()
        t0 = time.perf_counter()
        profile.runcall(scrubber.scrub_file, src, dst)
        seconds = time.perf_counter() - t0
        size_mb = gen.nbytes / MB
        print(
            f"Scrubber() {build:.3f} s; scrub_file {size_mb:.1f} MB in {seconds:.2f} s under cProfile "
            f"({size_mb / seconds:.2f} MB/s, profiler overhead included)"
        )
        print_stats(profile, "cumulative", args.top)
        print_stats(profile, "tottime", args.top)
        lines_in, lines_out = count_lines(src), count_lines(dst)
        print(
            json.dumps(
                {
                    "profile_mb": round(size_mb, 3),
                    "seconds_profiled": round(seconds, 3),
                    "lines_in": lines_in,
                    "lines_out": lines_out,
                }
            )
        )
        return 0 if lines_in == lines_out else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Generate a realistic VoIP/UC debug log and measure logscrub throughput, "
        "start-up time and peak memory (child process), or profile it in-process.",
        epilog="Compare figures only between runs on the same machine.",
    )
    p.add_argument("--size-mb", type=float, default=50.0, help="input size in MB of 1e6 bytes (default 50)")
    p.add_argument("--seed", type=int, default=1, help="RNG seed for the generated log (default 1)")
    p.add_argument(
        "--keep", metavar="DIR", help="write input/output into DIR and keep them (default: temp dir)"
    )
    p.add_argument(
        "--startup-runs", type=int, default=3, help="empty-file runs to time start-up (median; default 3)"
    )
    p.add_argument("--repeat", type=int, default=3, help="timed runs; best and median reported (default 3)")
    p.add_argument(
        "--no-hyperscan", action="store_true", help="measure the pure-Python fallback (LOGSCRUB_HYPERSCAN=0)"
    )
    p.add_argument("--profile", action="store_true", help="cProfile Scrubber().scrub_file in-process instead")
    p.add_argument("--profile-mb", type=float, default=10.0, help="MB to scrub with --profile (default 10)")
    p.add_argument("--top", type=int, default=25, help="functions listed per --profile table (default 25)")
    p.add_argument("--generate-only", action="store_true", help="only generate the log (use with --keep)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.generate_only:
        with workdir(args.keep, "logscrub-bench-") as wd:
            report_generation(generate(wd / "bench-input.log", args.size_mb, args.seed))
        return 0
    return run_profile(args) if args.profile else run_benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
