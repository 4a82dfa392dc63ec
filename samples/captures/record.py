"""Record the packet captures in samples/captures/ with real SIP user agents on 127.0.0.1.

Every capture is live traffic between real processes on the loopback interface: two SIPp
instances (scenarios in scenarios/), or a Python HTTP server and client, captured by tcpdump
or dumpcap with a filter on this capture's own ports. A few files are then derived from the
recordings (nanosecond and big-endian pcap, pcapng comments, a relocated copy with Ethernet
MACs, a VLAN tag and non-loopback addresses). labels.json is computed from the recorded files
(Digest nonce and response, Call-IDs and tags differ per run), with tshark.

Usage (as root, from the repository root):

    python samples/captures/record.py               # record everything, rewrite labels.json
    python samples/captures/record.py --labels-only # recompute labels.json from the files

All names, numbers, addresses and credentials are invented; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import itertools
import json
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import Packet, Raw
from scapy.utils import RawPcapReader, RawPcapWriter, rdpcap, wrpcap

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "scenarios"
SIPP_MEDIA = Path("/usr/share/sip-tester")
LOOPBACK = "127.0.0.1"

# --- the invented values planted in the traffic (tests check that none survives scrubbing) ---
CALLER_NAME = "Jane Roe"
CALLER_PHONE = "+14155550123"
CALLER_PHONE_SPACED = "+1 415 555 0123"
CALLEE_NAME = "Oliver Quinn"
CALLEE_PHONE = "+442079460958"
USERNAME = "jroe.mobile"
PASSWORD = "Tr0ub4dor-Pa55"
EMAIL = "jane.roe@example.com"
PUBLIC_IP = "198.51.100.23"  # Via received=, ICE srflx candidate
PRIVATE_IP = "192.168.1.34"  # ICE host candidate
FORWARDED_IP = "203.0.113.77"  # X-Forwarded-For
UA_MAC = "00:1a:2b:3c:4d:5e"  # User-Agent "mac=" of the softphone
PHONE_MAC = "00155d3c4d5e"  # the desk phone of the provisioning capture (file name)
PHONE_MAC_COLON = "00:15:5d:3c:4d:5e"
MESSAGE_TEXT = "Hi Oliver, the door code is 4829 and my cell is +1 415 555 0123"
BASIC_AUTH = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
REALM = "sip.example.com"

# --- relocated-call.pcap: same-length (9 characters, like 127.0.0.1) non-loopback addresses ---
RELOCATED_CALLER_IP = "10.0.11.5"
RELOCATED_CALLEE_IP = "192.0.2.9"
RELOCATED_CALLER_MAC = UA_MAC
RELOCATED_CALLEE_MAC = "3c:22:fb:11:22:33"
RELOCATED_VLAN = 42

# tshark: -n so that nothing is resolved; counts come from these exact commands.
TSHARK = ["tshark", "-n"]
SIP_COUNT_ARGS = ["-Y", "sip"]
RTP_COUNT_ARGS = ["-o", "rtp.heuristic_rtp:FALSE", "-Y", "rtp"]
MALFORMED_ARGS = ["-Y", "_ws.malformed"]
CHECKSUM_ARGS = [
    "-o",
    "ip.check_checksum:TRUE",
    "-o",
    "udp.check_checksum:TRUE",
    "-o",
    "tcp.check_checksum:TRUE",
    "-Y",
    'ip.checksum.status=="Bad" || udp.checksum.status=="Bad" || tcp.checksum.status=="Bad"',
]

LINKTYPES = {1: "EN10MB", 113: "LINUX_SLL", 276: "LINUX_SLL2"}


class RecordError(RuntimeError):
    """A recording step failed; the message says which and why."""


@dataclass(frozen=True)
class CallPorts:
    """The ports of one SIPp pair: callee (UAS) and caller (UAC), SIP and RTP."""

    uas_sip: int
    uac_sip: int
    uas_media: int = 0
    uac_media: int = 0

    def media(self) -> list[int]:
        return [p for p in (self.uas_media, self.uac_media) if p]


# Distinct, unusual ports per recording, so that parallel runs do not see each other's traffic.
UDP_CALL = CallPorts(25072, 25073, 25080, 25090)
TCP_CALL = CallPorts(25172, 25173, 25180, 25190)
REGISTER = CallPorts(25272, 25273)
MESSAGE = CallPorts(25372, 25373)
HTTP_PORT = 25480
SLL2_CALL = CallPorts(25572, 25573, 25580, 25590)
SLL_MESSAGE = CallPorts(25672, 25673)
COMMENTS_REGISTER = CallPorts(25772, 25773)


# ------------------------------------------------------------------------------------------
# Background processes


class Processes:
    """Every process this script starts, so that each one is stopped on any exit."""

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen[bytes]] = []

    def start(self, cmd: Sequence[str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            proc = subprocess.Popen(
                list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=cwd
            )
        self._procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in reversed(self._procs):
            stop(proc, signal.SIGTERM)
        self._procs.clear()


def stop(proc: subprocess.Popen[bytes], sig: signal.Signals, wait: float = 10.0) -> int:
    """Stop one process started here (by its own handle, never by name); return its exit code."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_for_text(path: Path, text: str, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise RecordError(f"{proc.args!r} did not print {text!r}:\n{tail(path)}")


def _bound_ports(proto: str) -> set[int]:
    """Local ports bound (UDP) or listening (TCP) on this host, from /proc/net; no probing."""
    ports: set[int] = set()
    for name in (proto, proto + "6"):
        table = Path("/proc/net") / name
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if proto == "tcp" and fields[3] != "0A":  # only LISTEN
                continue
            ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def ensure_free(ports: Sequence[int], proto: str) -> None:
    busy = sorted(set(ports) & _bound_ports(proto))
    if busy:
        raise RecordError(f"{proto} port(s) {busy} already in use; is another recording running?")


def wait_bound(port: int, proto: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline:
        if port in _bound_ports(proto):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise RecordError(f"SIPp did not bind {proto} port {port}:\n{tail(log)}")


@contextlib.contextmanager
def capture(
    procs: Processes,
    out: Path,
    bpf: str,
    *,
    iface: str = "lo",
    linktype: str | None = None,
    tool: str = "tcpdump",
) -> Iterator[None]:
    """Capture `bpf` on `iface` into `out` while the body runs; flush and stop it afterwards."""
    log = out.with_name(out.name + ".capture.log")
    if tool == "tcpdump":
        cmd = ["tcpdump", "-i", iface, "-U", "--immediate-mode", "-Z", "root", "-s", "0", "-w", str(out)]
        if linktype:
            cmd += ["-y", linktype]
        cmd.append(bpf)
        ready = "listening on"
    else:
        cmd = ["dumpcap", "-i", iface, "-n", "-s", "0", "-f", bpf, "-w", str(out)]
        ready = "Capturing on"
    proc = procs.start(cmd, log, out.parent)
    wait_for_text(log, ready, proc)
    time.sleep(0.3)
    try:
        yield
    finally:
        time.sleep(1.2)  # let the last packets reach the capture buffer, then stop cleanly
        code = stop(proc, signal.SIGINT)
    if code != 0 or not out.exists():
        raise RecordError(f"{cmd[0]} failed (exit {code}):\n{tail(log)}")
    report = log.read_text(errors="replace")
    dropped = re.findall(
        r"(\d+) packets dropped by kernel|received/dropped on interface .*?: \d+/(\d+)", report
    )
    if not dropped or any(int(a or b) for a, b in dropped):
        raise RecordError(f"{cmd[0]} dropped packets or did not report:\n{report}")


# ------------------------------------------------------------------------------------------
# SIPp


def sipp(
    scenario: str,
    port: int,
    work: Path,
    tag: str,
    *,
    remote: int | None = None,
    transport: str = "u1",
    media_port: int = 0,
    extra: Sequence[str] = (),
) -> list[str]:
    cmd = ["sipp"]
    if remote is not None:
        cmd.append(f"{LOOPBACK}:{remote}")
    cmd += ["-sf", str(SCENARIOS / scenario), "-i", LOOPBACK, "-p", str(port), "-bind_local"]
    cmd += ["-t", transport, "-m", "1", "-nostdin", "-timeout", "40s", "-timeout_error"]
    cmd += ["-trace_err", "-error_file", str(work / f"{tag}.errors.log")]
    if media_port:
        cmd += ["-mi", LOOPBACK, "-mp", str(media_port)]
    cmd += list(extra)
    return cmd


def run_sipp_pair(
    procs: Processes,
    work: Path,
    tag: str,
    uas_scenario: str,
    uac_scenario: str,
    ports: CallPorts,
    *,
    transport: str = "u1",
    uas_extra: Sequence[str] = (),
    uac_extra: Sequence[str] = (),
) -> None:
    """Start the callee (UAS), wait until it listens, run the caller (UAC); both must succeed."""
    proto = "tcp" if transport.startswith("t") else "udp"
    ensure_free([ports.uas_sip, ports.uac_sip], proto)
    ensure_free(ports.media(), "udp")
    uas_log, uac_log = work / f"{tag}.uas.log", work / f"{tag}.uac.log"
    uas = procs.start(
        sipp(
            uas_scenario,
            ports.uas_sip,
            work,
            f"{tag}.uas",
            transport=transport,
            media_port=ports.uas_media,
            extra=uas_extra,
        ),
        uas_log,
        work,
    )
    wait_bound(ports.uas_sip, proto, uas, uas_log)
    uac = procs.start(
        sipp(
            uac_scenario,
            ports.uac_sip,
            work,
            f"{tag}.uac",
            remote=ports.uas_sip,
            transport=transport,
            media_port=ports.uac_media,
            extra=uac_extra,
        ),
        uac_log,
        work,
    )
    try:
        uac_code = uac.wait(60)
        uas_code = uas.wait(20)
    except subprocess.TimeoutExpired as exc:
        raise RecordError(f"{tag}: SIPp did not finish\n{tail(uac_log)}\n{tail(uas_log)}") from exc
    if uac_code or uas_code:
        raise RecordError(
            f"{tag}: SIPp failed (caller exit {uac_code}, callee exit {uas_code})\n"
            f"--- caller\n{tail(uac_log)}\n{tail(work / f'{tag}.uac.errors.log')}\n"
            f"--- callee\n{tail(uas_log)}\n{tail(work / f'{tag}.uas.errors.log')}"
        )


def call_filter(ports: CallPorts, proto: str = "udp") -> str:
    sip = f"({proto} and (port {ports.uas_sip} or port {ports.uac_sip}))"
    media = " or ".join(f"port {p}" for p in ports.media())
    return f"{sip} or (udp and ({media}))" if media else sip


def record_call(
    procs: Processes,
    work: Path,
    out: Path,
    ports: CallPorts,
    *,
    transport: str = "u1",
    iface: str = "lo",
    linktype: str | None = None,
) -> None:
    proto = "tcp" if transport.startswith("t") else "udp"
    with capture(procs, out, call_filter(ports, proto), iface=iface, linktype=linktype):
        run_sipp_pair(procs, work, out.stem, "uas-call.xml", "uac-call.xml", ports, transport=transport)


def record_register(
    procs: Processes, work: Path, out: Path, ports: CallPorts, *, tool: str = "tcpdump"
) -> None:
    # A fresh nonce per run, as a registrar would make it.
    nonce = hashlib.md5(f"{time.time_ns()}:{out.name}".encode()).hexdigest()
    with capture(procs, out, call_filter(ports), tool=tool):
        run_sipp_pair(
            procs,
            work,
            out.stem,
            "uas-register.xml",
            "uac-register.xml",
            ports,
            uas_extra=["-set", "nonce", nonce],
            uac_extra=["-auth_uri", REALM],
        )


def record_message(
    procs: Processes,
    work: Path,
    out: Path,
    ports: CallPorts,
    *,
    iface: str = "lo",
    linktype: str | None = None,
) -> None:
    with capture(procs, out, call_filter(ports), iface=iface, linktype=linktype):
        run_sipp_pair(procs, work, out.stem, "uas-message.xml", "uac-message.xml", ports)


# ------------------------------------------------------------------------------------------
# HTTP provisioning


def provisioning_config() -> bytes:
    """A Polycom-style per-phone XML config, about 40 KB (most of it harmless line-key defaults)."""
    keys = "\n".join(
        f'    lineKey.{n}.category="{"Line" if n <= 2 else "Unassigned"}" lineKey.{n}.index="{min(n, 2)}"'
        for n in range(1, 97)
    )
    softkeys = "\n".join(
        f'    softkey.{n}.label="" softkey.{n}.action="" softkey.{n}.enable="0" softkey.{n}.precede="0"'
        f' softkey.{n}.insert="0" softkey.{n}.use.idle="0" softkey.{n}.use.active="0"'
        f' softkey.{n}.use.alerting="0" softkey.{n}.use.dialtone="0" softkey.{n}.use.proceeding="0"'
        f' softkey.{n}.use.setup="0" softkey.{n}.use.hold="0"'
        for n in range(1, 96)
    )
    efk = "\n".join(
        f'    efk.efklist.{n}.mname="" efk.efklist.{n}.status="0" efk.efklist.{n}.action.string=""'
        f' efk.efklist.{n}.label="" efk.efklist.{n}.use.idle="0" efk.efklist.{n}.use.active="0"'
        for n in range(1, 41)
    )
    text = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- Per-phone configuration for VVX 450 {PHONE_MAC}. logscrub test data: every value is invented. -->
<polycomConfig>
  <device device.set="1" device.prov.serverType="HTTP" device.prov.serverName="{LOOPBACK}:{HTTP_PORT}"
    device.prov.user="{USERNAME}" device.prov.password="{PASSWORD}" device.sntp.serverName="pool.ntp.org"
    device.net.ipAddress="{PRIVATE_IP}" device.net.subnetMask="255.255.255.0"/>
  <lineKey lineKey.reassignment.enabled="1"
{keys}
  />
  <reg reg.1.displayName="{CALLER_NAME}" reg.1.label="{CALLER_PHONE_SPACED}" reg.1.address="{CALLER_PHONE}"
    reg.1.auth.userId="{USERNAME}" reg.1.auth.password="{PASSWORD}"
    reg.1.server.1.address="{REALM}" reg.1.server.1.port="5060" reg.1.server.1.transport="UDPOnly"
    reg.1.server.1.expires="3600" reg.1.outboundProxy.address="{REALM}" reg.1.lineKeys="2"/>
  <msg msg.mwi.1.callBackMode="contact" msg.mwi.1.callBack="*97"/>
  <softkey softkey.feature.basicCallManagement.redundant="0"
{softkeys}
  />
  <efk efk.version="2"
{efk}
  />
</polycomConfig>
"""
    return text.encode()


def split_for_segments(body: bytes, crossing: Sequence[str], size: int = 1448) -> list[bytes]:
    """Cut `body` into MSS-like pieces, with a cut inside the first occurrence of each `crossing` value."""
    cuts = set(range(size, len(body), size))
    for value in crossing:
        start = body.index(value.encode())
        cuts.add(start + len(value) // 2)
    edges = [0, *sorted(cuts), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(edges) if b > a]


# Values of the provisioning response that are written so that a TCP segment boundary falls inside them.
HTTP_CROSSING = [PASSWORD, CALLER_PHONE]


class ProvisioningHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ProvisioningServer/2.1"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _reply(self, code: int, ctype: str, body: bytes, pieces: list[bytes] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()  # headers go out in one write
        for piece in pieces or [body]:
            self.wfile.write(piece)  # unbuffered: one send() per piece
            self.wfile.flush()
            time.sleep(0.004)  # with TCP_NODELAY, each piece becomes its own segment

    def do_GET(self) -> None:
        if self.path == f"/{PHONE_MAC}.cfg" and self.headers.get("Authorization") == f"Basic {BASIC_AUTH}":
            body = provisioning_config()
            self._reply(200, "application/xml", body, split_for_segments(body, HTTP_CROSSING))
        else:
            self._reply(404, "text/plain", b"not found\n")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/api/v1/provision/login" and body.startswith(f"username={USERNAME}&".encode()):
            self._reply(200, "application/json", b'{"status":"ok","expires":3600}\n')
        elif self.path == f"/api/v1/devices/{PHONE_MAC}/status" and json.loads(body)["user"] == USERNAME:
            self._reply(200, "application/json", b'{"status":"ok"}\n')
        else:
            self._reply(400, "application/json", b'{"status":"bad request"}\n')


def http_request(sock: socket.socket, head: str, body: bytes = b"") -> bytes:
    """Send one HTTP/1.1 request (head, then body, as separate writes) and read the whole response."""
    sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
    if body:
        time.sleep(0.004)
        sock.sendall(body)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise RecordError("HTTP server closed the connection early")
        data += chunk
    headers, rest = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"(?im)^content-length:\s*(\d+)", headers).group(1))  # type: ignore[union-attr]
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise RecordError("HTTP response cut short")
        rest += chunk
    if not headers.startswith(b"HTTP/1.1 200 "):
        raise RecordError(f"HTTP request failed: {headers.splitlines()[0]!r}")
    return rest


def record_http(procs: Processes, out: Path) -> None:
    ensure_free([HTTP_PORT], "tcp")
    server = HTTPServer((LOOPBACK, HTTP_PORT), ProvisioningHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    ua = "FileTransport PolycomVVX-VVX_450-UA/6.3.1.8427 Type/Application"
    host = f"{LOOPBACK}:{HTTP_PORT}"
    form = f"username={USERNAME}&password={PASSWORD}&mac={PHONE_MAC}".encode()
    status = json.dumps(
        {
            "mac": PHONE_MAC_COLON,
            "user": USERNAME,
            "password": PASSWORD,
            "displayName": CALLER_NAME,
            "email": EMAIL,
            "phone": CALLER_PHONE,
            "publicIp": PUBLIC_IP,
            "localIp": PRIVATE_IP,
            "firmware": "6.3.1.8427",
            "registered": True,
        }
    ).encode()
    try:
        with capture(procs, out, f"tcp and port {HTTP_PORT}"):
            thread.start()
            with socket.create_connection((LOOPBACK, HTTP_PORT), timeout=10) as sock:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                config = http_request(
                    sock,
                    f"GET /{PHONE_MAC}.cfg HTTP/1.1\nHost: {host}\nUser-Agent: {ua}\nAccept: */*\n"
                    f"Authorization: Basic {BASIC_AUTH}\nConnection: keep-alive\n",
                )
                if config != provisioning_config():
                    raise RecordError("provisioning config arrived damaged")
                http_request(
                    sock,
                    f"POST /api/v1/provision/login HTTP/1.1\nHost: {host}\nUser-Agent: {ua}\n"
                    f"Content-Type: application/x-www-form-urlencoded\nContent-Length: {len(form)}\n",
                    form,
                )
                http_request(
                    sock,
                    f"POST /api/v1/devices/{PHONE_MAC}/status HTTP/1.1\nHost: {host}\nUser-Agent: {ua}\n"
                    f"Content-Type: application/json\nContent-Length: {len(status)}\nConnection: close\n",
                    status,
                )
                sock.shutdown(socket.SHUT_WR)
                while sock.recv(4096):
                    pass
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()


def crossing_values(path: Path, values: Sequence[str]) -> list[str]:
    """Values that occur across a TCP segment boundary: whole in the byte stream of one direction,
    but not inside any one of its segments (there are no retransmissions on lo)."""
    by_port: dict[int, list[bytes]] = {}
    for pkt in rdpcap(str(path)):
        if TCP in pkt and len(pkt[TCP].payload):
            by_port.setdefault(pkt[TCP].sport, []).append(bytes(pkt[TCP].payload))
    found = set()
    for pieces in by_port.values():
        stream = b"".join(pieces)
        for value in values:
            v = value.encode()
            if stream.count(v) > sum(piece.count(v) for piece in pieces):
                found.add(value)
    return sorted(found)


# ------------------------------------------------------------------------------------------
# Derived files


def derive_nsec(src: Path, out: Path) -> None:
    run(["editcap", "-F", "nsecpcap", str(src), str(out)])


def derive_big_endian(src: Path, out: Path) -> None:
    """Rewrite `src` record for record as a big-endian pcap (same bytes, timestamps, lengths)."""
    reader = RawPcapReader(str(src))
    writer = RawPcapWriter(
        str(out), linktype=reader.linktype, endianness=">", snaplen=reader.snaplen, nano=reader.nano
    )
    try:
        writer.write_header(None)  # write_packet() alone does not write it
        for data, meta in reader:
            writer.write_packet(data, sec=meta.sec, usec=meta.usec, caplen=meta.caplen, wirelen=meta.wirelen)
    finally:
        writer.close()
        reader.close()
    if out.read_bytes()[:4] != b"\xa1\xb2\xc3\xd4":
        raise RecordError(f"{out.name} is not a big-endian microsecond pcap")
    a, b = list(RawPcapReader(str(src))), list(RawPcapReader(str(out)))
    if a != b:
        raise RecordError(f"{out.name} differs from {src.name} in its records")


def derive_comments(src: Path, out: Path) -> dict[str, Any]:
    comments = {
        "capture": f"customer {CALLER_NAME} {CALLER_PHONE} reported one-way audio after re-registering",
        "1": f"packet from {EMAIL} (user {USERNAME}), public address {PUBLIC_IP}",
        "3": f"Digest answer from {USERNAME}; customer told us the password is {PASSWORD}",
    }
    cmd = ["editcap", "--capture-comment", comments["capture"]]
    for frame in ("1", "3"):
        cmd += ["-a", f"{frame}:{comments[frame]}"]
    run([*cmd, str(src), str(out)])
    got = run([*TSHARK, "-r", str(out), "-T", "fields", "-e", "frame.comment"]).splitlines()
    if got[0] != comments["1"] or got[2] != comments["3"]:
        raise RecordError(f"packet comments missing in {out.name}: {got[:3]}")
    if comments["capture"] not in run(["capinfos", "-k", str(out)]):
        raise RecordError(f"capture comment missing in {out.name}")
    return comments


_ADDR = re.compile(rb"127\.0\.0\.1(?::(\d+))?")


def relocate_sip(payload: bytes, sender: bytes, owner: Callable[[int], bytes | None], caller: bytes) -> bytes:
    """Rewrite 127.0.0.1 in SIP/SDP text: host:port goes to the owner of the port, the Call-ID host
    to the caller (it made the Call-ID), a bare address (SDP o=/c=, P-Asserted-Identity) to the sender."""
    lines = payload.split(b"\n")
    for i, line in enumerate(lines):
        if line.lower().startswith((b"call-id:", b"i:")):
            lines[i] = line.replace(b"127.0.0.1", caller)
            continue

        def sub(m: re.Match[bytes]) -> bytes:
            if m.group(1):
                addr = owner(int(m.group(1)))
                return (addr or sender) + b":" + m.group(1)
            return sender

        lines[i] = _ADDR.sub(sub, line)
    out = b"\n".join(lines)
    if len(out) != len(payload):
        raise RecordError("relocation changed a payload length")
    return out


def derive_relocated(src: Path, out: Path, ports: CallPorts) -> None:
    caller_ports = {ports.uac_sip, ports.uac_media}
    callee_ports = {ports.uas_sip, ports.uas_media}
    caller_ip, callee_ip = RELOCATED_CALLER_IP.encode(), RELOCATED_CALLEE_IP.encode()

    def owner(port: int) -> bytes | None:
        return caller_ip if port in caller_ports else callee_ip if port in callee_ports else None

    def side(port: int) -> tuple[str, str]:
        if port in caller_ports:
            return RELOCATED_CALLER_IP, RELOCATED_CALLER_MAC
        if port in callee_ports:
            return RELOCATED_CALLEE_IP, RELOCATED_CALLEE_MAC
        raise RecordError(f"port {port} belongs to neither side")

    packets: list[Packet] = []
    for pkt in rdpcap(str(src)):
        ip = pkt[IP].copy()
        udp = ip[UDP]
        src_ip, src_mac = side(udp.sport)
        dst_ip, dst_mac = side(udp.dport)
        payload = bytes(udp.payload)
        if {udp.sport, udp.dport} & {ports.uas_sip, ports.uac_sip}:
            payload = relocate_sip(payload, src_ip.encode(), owner, caller_ip)
        ip.src, ip.dst = src_ip, dst_ip
        udp.remove_payload()
        udp.add_payload(Raw(payload))
        del ip.chksum, udp.chksum  # rebuilt by scapy
        new = Ether(src=src_mac, dst=dst_mac) / Dot1Q(vlan=RELOCATED_VLAN) / ip
        new.time = pkt.time
        packets.append(Ether(bytes(new)))
        packets[-1].time = pkt.time
    wrpcap(str(out), packets, linktype=1)
    if b"127.0.0.1" in out.read_bytes():
        raise RecordError(f"{out.name} still mentions 127.0.0.1")


# ------------------------------------------------------------------------------------------
# Checks and labels


def run(cmd: Sequence[str]) -> str:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, errors="replace", check=False)
    if proc.returncode:
        raise RecordError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def tshark_count(path: Path, args: Sequence[str]) -> int:
    return len(run([*TSHARK, "-r", str(path), *args]).splitlines())


def shell_words(path: Path, args: Sequence[str]) -> str:
    words = [*TSHARK, "-r", path.name, *args]
    return " ".join(w if re.fullmatch(r"[\w.:=/,+-]+", w) else "'" + w + "'" for w in words)


def file_format(path: Path) -> dict[str, Any]:
    """Format, byte order, timestamp precision and link type, read from the file header."""
    data = path.read_bytes()
    magic = data[:4]
    pcap_magics = {
        b"\xd4\xc3\xb2\xa1": ("<", "usec"),
        b"\xa1\xb2\xc3\xd4": (">", "usec"),
        b"\x4d\x3c\xb2\xa1": ("<", "nsec"),
        b"\xa1\xb2\x3c\x4d": (">", "nsec"),
    }
    if magic in pcap_magics:
        endian, precision = pcap_magics[magic]
        linktype = struct.unpack(endian + "I", data[20:24])[0] & 0xFFFF
        fmt = "pcap"
    elif magic == b"\x0a\x0d\x0d\x0a":
        endian = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        offset, linktype, precision = 0, -1, "usec"
        while offset + 12 <= len(data):
            btype, blen = struct.unpack(endian + "II", data[offset : offset + 8])
            if btype == 1:  # interface description block: link type, then options
                linktype = struct.unpack(endian + "H", data[offset + 8 : offset + 10])[0]
                opt, end = offset + 16, offset + blen - 4
                while opt + 4 <= end:
                    code, olen = struct.unpack(endian + "HH", data[opt : opt + 4])
                    if code == 0:
                        break
                    if code == 9:  # if_tsresol: 10**-n seconds
                        precision = {6: "usec", 9: "nsec"}.get(data[opt + 4], f"tsresol {data[opt + 4]}")
                    opt += 4 + (olen + 3) // 4 * 4
                break
            offset += blen
        fmt = "pcapng"
    else:
        raise RecordError(f"{path.name}: unknown capture format")
    return {
        "format": fmt,
        "byte_order": "big" if endian == ">" else "little",
        "timestamp_precision": precision,
        "link_type": LINKTYPES.get(linktype, str(linktype)),
        "link_type_number": linktype,
    }


def sip_field(path: Path, field: str) -> list[str]:
    return [v for v in run([*TSHARK, "-r", str(path), "-Y", "sip", "-T", "fields", "-e", field]).split() if v]


def digest_values(path: Path) -> dict[str, str]:
    """Digest parameters of the answered challenge, read from the capture; the response must be the
    one the password gives (RFC 2617, qop=auth)."""
    match = re.search(rb"Authorization: Digest ([^\r\n]+)", path.read_bytes())
    if not match:
        raise RecordError(f"{path.name}: no Authorization: Digest header")
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', match.group(1).decode()))
    ha1 = hashlib.md5(f"{params['username']}:{params['realm']}:{PASSWORD}".encode()).hexdigest()
    ha2 = hashlib.md5(f"REGISTER:{params['uri']}".encode()).hexdigest()
    expected = hashlib.md5(
        f"{ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:{params['qop']}:{ha2}".encode()
    ).hexdigest()
    if params["response"] != expected or params["username"] != USERNAME:
        raise RecordError(f"{path.name}: Digest response does not match the password")
    return params


CALL_GONE = [
    CALLER_NAME,
    CALLEE_NAME,
    CALLER_PHONE,
    CALLEE_PHONE,
    EMAIL,
    PUBLIC_IP,
    PRIVATE_IP,
    FORWARDED_IP,
    UA_MAC,
]
CALL_KEEP = [
    "INVITE sip:",
    "SIP/2.0 100 Trying",
    "SIP/2.0 180 Ringing",
    "SIP/2.0 200 OK",
    "ACK sip:",
    "BYE sip:",
    "Call-ID:",
    "CSeq: 1 INVITE",
    "CSeq: 2 BYE",
    "Content-Length:",
    "Content-Type: application/sdp",
    "branch=z9hG4bK",
    "m=audio",
    "RTP/AVP 8 101",
    "a=rtpmap:8 PCMA/8000",
    "a=rtpmap:101 telephone-event/8000",
    "typ host",
    "typ srflx",
    "User-Agent: AcmeSoftphone/4.2.1",
]
REGISTER_GONE = [CALLER_NAME, USERNAME, CALLER_PHONE, EMAIL, PUBLIC_IP, UA_MAC]
REGISTER_KEEP = [
    f"REGISTER sip:{REALM} SIP/2.0",
    "SIP/2.0 401 Unauthorized",
    "SIP/2.0 200 OK",
    "CSeq: 1 REGISTER",
    "CSeq: 2 REGISTER",
    "Call-ID:",
    "WWW-Authenticate: Digest",
    f'realm="{REALM}"',
    "algorithm=MD5",
    "Authorization: Digest",
    "branch=z9hG4bK",
    "Expires: 3600",
    "Content-Length:",
]
MESSAGE_GONE = [
    CALLER_NAME,
    CALLEE_NAME,
    EMAIL,
    CALLER_PHONE,
    CALLEE_PHONE,
    FORWARDED_IP,
    PUBLIC_IP,
    UA_MAC,
    MESSAGE_TEXT,
    CALLER_PHONE_SPACED,
    "door code is 4829",
]
MESSAGE_KEEP = [
    "MESSAGE sip:",
    "SIP/2.0 200 OK",
    "CSeq: 1 MESSAGE",
    "Call-ID:",
    "Content-Type: text/plain",
    "Content-Length:",
    "branch=z9hG4bK",
    "127.0.0.1",
]
HTTP_GONE = [
    PASSWORD,
    USERNAME,
    PHONE_MAC,
    PHONE_MAC_COLON,
    BASIC_AUTH,
    CALLER_NAME,
    CALLER_PHONE,
    CALLER_PHONE_SPACED,
    EMAIL,
    PUBLIC_IP,
    PRIVATE_IP,
]
HTTP_KEEP = [
    "GET /",
    ".cfg HTTP/1.1",
    "HTTP/1.1 200 OK",
    "Authorization: Basic",
    "Content-Type: application/xml",
    "POST /api/v1/provision/login HTTP/1.1",
    "Content-Type: application/x-www-form-urlencoded",
    "Content-Type: application/json",
    "Content-Length:",
    "<polycomConfig>",
    "reg.1.auth.userId=",
    "reg.1.auth.password=",
    "reg.1.server.1.address=",
    "lineKey.1.category",
    "127.0.0.1",
]


@dataclass(frozen=True)
class Spec:
    """What a capture is expected to hold, and what it was made of."""

    kind: str  # call | register | message | http
    gone: Sequence[str]
    keep: Sequence[str]
    notes: str
    expected_sip: int
    expected_rtp: int = 0
    loopback: bool = True


def expected_call_rtp() -> int:
    """RTP packets of one recorded call: g711a.pcap both ways, plus the caller's four DTMF digits."""
    count = 2 * sum(1 for _ in RawPcapReader(str(SIPP_MEDIA / "g711a.pcap")))
    for digit in "4829":
        count += sum(1 for _ in RawPcapReader(str(SIPP_MEDIA / f"dtmf_2833_{digit}.pcap")))
    return count


def specs() -> dict[str, Spec]:
    rtp = expected_call_rtp()
    call = "SIPp caller (scenarios/uac-call.xml) and callee (scenarios/uas-call.xml) on 127.0.0.1"
    udp = f"{call}, SIP over UDP port {UDP_CALL.uas_sip} (not 5060)"
    sipp_rtp = "RTP from play_pcap_audio of g711a.pcap both ways and RFC 2833 DTMF 4829 from the caller"
    lo_sums = "UDP checksums of the SIP datagrams are left to offload on lo (partial, shown as bad)"
    reg = "SIPp REGISTER -> 401 Digest (qop=auth, nonce fresh per run) -> REGISTER with Authorization -> 200"
    no_pw = f"the password {PASSWORD} is not on the wire; the Digest response made with it is"
    return {
        "udp-call.pcap": Spec(
            "call",
            CALL_GONE,
            [*CALL_KEEP, "127.0.0.1"],
            f"{udp}; {sipp_rtp}; tcpdump -i lo; {lo_sums}",
            7,
            rtp,
        ),
        "tcp-call.pcap": Spec(
            "call",
            CALL_GONE,
            [*CALL_KEEP, "127.0.0.1", "SIP/2.0/TCP"],
            f"{call}, SIP over TCP port {TCP_CALL.uas_sip} (sipp -t t1), RTP over UDP; "
            f"{sipp_rtp}; tcpdump -i lo; TCP checksums partial (offload on lo)",
            7,
            rtp,
        ),
        "register-digest.pcap": Spec(
            "register",
            REGISTER_GONE,
            [*REGISTER_KEEP, "127.0.0.1"],
            f"{reg}; UDP port {REGISTER.uas_sip}; {no_pw}; tcpdump -i lo",
            4,
        ),
        "message.pcap": Spec(
            "message",
            MESSAGE_GONE,
            MESSAGE_KEEP,
            f"SIP MESSAGE text/plain and 200 OK, UDP port {MESSAGE.uas_sip}; tcpdump -i lo",
            2,
        ),
        "http-provisioning.pcap": Spec(
            "http",
            HTTP_GONE,
            HTTP_KEEP,
            f"Python http.server on 127.0.0.1:{HTTP_PORT}, one keep-alive connection: GET /{PHONE_MAC}.cfg "
            "with Basic auth (a ~40 KB Polycom-style XML written in MSS-sized pieces with TCP_NODELAY, so "
            "it spans many segments, with cuts inside planted values, see cross_segment_values), a form "
            "POST and a JSON POST; tcpdump -i lo; TCP checksums partial (offload on lo)",
            0,
        ),
        "sll2-call.pcap": Spec(
            "call",
            CALL_GONE,
            [*CALL_KEEP, "127.0.0.1"],
            f"{call}, UDP port {SLL2_CALL.uas_sip}; {sipp_rtp}; "
            f"tcpdump -i any -y LINUX_SLL2 (Linux cooked v2); {lo_sums}",
            7,
            rtp,
        ),
        "sll-message.pcap": Spec(
            "message",
            MESSAGE_GONE,
            MESSAGE_KEEP,
            f"SIP MESSAGE, UDP port {SLL_MESSAGE.uas_sip}; tcpdump -i any -y LINUX_SLL "
            "(Linux cooked v1; this tcpdump defaults to v2 on 'any')",
            2,
        ),
        "comments.pcapng": Spec(
            "register",
            REGISTER_GONE,
            [*REGISTER_KEEP, "127.0.0.1"],
            f"{reg}; UDP port {COMMENTS_REGISTER.uas_sip}; dumpcap -i lo (pcapng), then "
            "editcap --capture-comment and -a 1:/-a 3: packet comments with planted "
            f"values (the password is in a comment); {no_pw} except in that comment",
            4,
        ),
        "udp-call-nsec.pcap": Spec(
            "call",
            CALL_GONE,
            [*CALL_KEEP, "127.0.0.1"],
            "udp-call.pcap converted with editcap -F nsecpcap (nanosecond pcap, "
            "magic a1b23c4d little-endian)",
            7,
            rtp,
        ),
        "udp-call-be.pcap": Spec(
            "call",
            CALL_GONE,
            [*CALL_KEEP, "127.0.0.1"],
            "udp-call.pcap rewritten record for record as a BIG-endian microsecond pcap "
            "(magic bytes a1 b2 c3 d4) with scapy RawPcapWriter(endianness='>')",
            7,
            rtp,
        ),
        "relocated-call.pcap": Spec(
            "call",
            [
                *CALL_GONE,
                RELOCATED_CALLER_IP,
                RELOCATED_CALLEE_IP,
                RELOCATED_CALLER_MAC,
                RELOCATED_CALLEE_MAC,
            ],
            CALL_KEEP,
            "udp-call.pcap rewritten with scapy: Ethernet with MACs "
            f"{RELOCATED_CALLER_MAC} (caller) / {RELOCATED_CALLEE_MAC} (callee), 802.1Q VLAN "
            f"{RELOCATED_VLAN}, 127.0.0.1 replaced in IP headers and SIP/SDP text by {RELOCATED_CALLER_IP} "
            f"(caller) and {RELOCATED_CALLEE_IP} (callee), same length so Content-Length stays valid, "
            "IP/UDP checksums recomputed. The MACs and addresses are also in binary headers: see "
            "must_not_survive_hex",
            7,
            rtp,
            loopback=False,
        ),
    }


def hex_values(name: str) -> list[str]:
    """Binary (network byte order) forms of planted addresses in headers, for relocated-call.pcap."""
    if name != "relocated-call.pcap":
        return []
    macs = [m.replace(":", "") for m in (RELOCATED_CALLER_MAC, RELOCATED_CALLEE_MAC)]
    ips = [socket.inet_aton(a).hex() for a in (RELOCATED_CALLER_IP, RELOCATED_CALLEE_IP)]
    return macs + ips


def binary_only(name: str) -> set[str]:
    return {RELOCATED_CALLEE_MAC} if name == "relocated-call.pcap" else set()


def label(path: Path, spec: Spec) -> dict[str, Any]:
    data = path.read_bytes()
    gone, keep = list(spec.gone), list(spec.keep)
    if spec.kind == "register":
        digest = digest_values(path)
        gone.append(digest["response"])
        keep.append(f'nonce="{digest["nonce"]}"')
    if path.name == "comments.pcapng":
        gone.append(PASSWORD)
    if spec.kind in ("call", "register", "message"):
        for call_id in sorted(set(sip_field(path, "sip.Call-ID"))):
            local, _, host = call_id.partition("@")  # keep the host part only if it is not planted
            keep.append(f"Call-ID: {call_id}" if host not in gone else f"Call-ID: {local}@")
    if spec.kind == "call":
        media = [UDP_CALL, TCP_CALL, SLL2_CALL]
        ports = next(p for p in media if f"m=audio {p.uas_media} ".encode() in data)
        keep += [f"m=audio {ports.uac_media} RTP/AVP 8 101", f"m=audio {ports.uas_media} RTP/AVP 8 101"]
    # A MAC may only be in the binary Ethernet header (relocated-call.pcap's callee): it is listed
    # in colon form all the same, and its binary form is in must_not_survive_hex.
    missing = [v for v in gone + keep if v.encode() not in data and v not in binary_only(path.name)]
    if path.name == "http-provisioning.pcap":
        crossing = crossing_values(path, HTTP_GONE)
        if not set(HTTP_CROSSING) <= set(crossing):
            raise RecordError(f"{path.name}: no segment boundary inside {HTTP_CROSSING} ({crossing})")
    else:
        crossing = []
    missing += [h for h in hex_values(path.name) if bytes.fromhex(h) not in data]
    if missing:
        raise RecordError(f"{path.name}: planted/kept values not found in the capture: {missing}")
    clashes = [(k, g) for k in keep for g in gone if g in k]
    if clashes:
        raise RecordError(f"{path.name}: kept strings contain planted values: {clashes}")
    if spec.loopback != (b"127.0.0.1" in data):
        raise RecordError(f"{path.name}: unexpected presence/absence of 127.0.0.1")

    sip = tshark_count(path, SIP_COUNT_ARGS)
    rtp = tshark_count(path, RTP_COUNT_ARGS)
    malformed = tshark_count(path, MALFORMED_ARGS)
    bad = tshark_count(path, CHECKSUM_ARGS)
    if (sip, rtp, malformed) != (spec.expected_sip, spec.expected_rtp, 0):
        raise RecordError(
            f"{path.name}: sip={sip} (want {spec.expected_sip}), rtp={rtp} (want {spec.expected_rtp}), "
            f"malformed={malformed} (want 0)"
        )
    entry: dict[str, Any] = {
        "must_not_survive": list(dict.fromkeys(gone)),
        "must_not_survive_hex": hex_values(path.name),
        "must_survive": list(dict.fromkeys(keep)),
        "sip_messages": sip,
        "rtp_packets": rtp,
        "packets": tshark_count(path, ["-T", "fields", "-e", "frame.number"]),
        **file_format(path),
        "encapsulation": re.search(r"File encapsulation:\s*(.+)", run(["capinfos", "-E", str(path)]))
        .group(1)  # type: ignore[union-attr]
        .strip(),
        "bad_checksums_in_input": bad > 0,
        "bad_checksum_packets": bad,
        "malformed_packets": malformed,
        "cross_segment_values": crossing,
        "size_bytes": len(data),
        "commands": {
            "sip_messages": shell_words(path, SIP_COUNT_ARGS),
            "rtp_packets": shell_words(path, RTP_COUNT_ARGS),
            "malformed": shell_words(path, MALFORMED_ARGS),
            "bad_checksums": shell_words(path, CHECKSUM_ARGS),
        },
        "notes": spec.notes,
    }
    if spec.kind == "http":
        entry["http_requests"] = tshark_count(path, ["-Y", "http.request"])
        entry["http_responses"] = tshark_count(path, ["-Y", "http.response"])
    return entry


def check_relocated(original: Path, relocated: Path) -> None:
    """tshark must still tie the RTP to the SDP, and every checksum must be right."""
    want, got = tshark_count(original, RTP_COUNT_ARGS), tshark_count(relocated, RTP_COUNT_ARGS)
    if want != got:
        raise RecordError(f"{relocated.name}: {got} SDP-associated RTP packets, the original has {want}")
    bad = tshark_count(relocated, [*CHECKSUM_ARGS[:-1], CHECKSUM_ARGS[-1] + " || _ws.malformed"])
    if bad:
        raise RecordError(f"{relocated.name}: {bad} packets with bad checksums or malformed")
    if set(sip_field(relocated, "vlan.id")) != {str(RELOCATED_VLAN)}:
        raise RecordError(f"{relocated.name}: VLAN tag missing")


def write_labels(directory: Path) -> dict[str, Any]:
    labels = {name: label(directory / name, spec) for name, spec in specs().items()}
    total = sum(e["size_bytes"] for e in labels.values())
    if total > 3_000_000 or any(e["size_bytes"] > 600_000 for e in labels.values()):
        raise RecordError(f"captures too large ({total} bytes in all)")
    (directory / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n")
    return labels


# ------------------------------------------------------------------------------------------


def record_all(work: Path) -> None:
    procs = Processes()
    try:
        record_call(procs, work, work / "udp-call.pcap", UDP_CALL)
        record_call(procs, work, work / "tcp-call.pcap", TCP_CALL, transport="t1")
        record_register(procs, work, work / "register-digest.pcap", REGISTER)
        record_message(procs, work, work / "message.pcap", MESSAGE)
        record_http(procs, work / "http-provisioning.pcap")
        record_call(procs, work, work / "sll2-call.pcap", SLL2_CALL, iface="any", linktype="LINUX_SLL2")
        record_message(procs, work, work / "sll-message.pcap", SLL_MESSAGE, iface="any", linktype="LINUX_SLL")
        record_register(procs, work, work / "comments-raw.pcapng", COMMENTS_REGISTER, tool="dumpcap")
    finally:
        procs.stop_all()
    derive_comments(work / "comments-raw.pcapng", work / "comments.pcapng")
    derive_nsec(work / "udp-call.pcap", work / "udp-call-nsec.pcap")
    derive_big_endian(work / "udp-call.pcap", work / "udp-call-be.pcap")
    derive_relocated(work / "udp-call.pcap", work / "relocated-call.pcap", UDP_CALL)
    check_relocated(work / "udp-call.pcap", work / "relocated-call.pcap")


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # runs the finally blocks, which stop the processes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels-only", action="store_true", help="only recompute labels.json")
    parser.add_argument("--keep-work", action="store_true", help="keep the temporary directory and logs")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    try:
        if not args.labels_only:
            for tool in ("sipp", "tcpdump", "dumpcap", "editcap", "tshark", "capinfos"):
                if shutil.which(tool) is None:
                    raise RecordError(f"{tool} is not installed")
            work = Path(tempfile.mkdtemp(prefix="logscrub-captures-"))
            try:
                record_all(work)
                labels = write_labels(work)  # every check passes before samples/captures changes
                for name in [*specs(), "labels.json"]:
                    shutil.copyfile(work / name, HERE / name)
            finally:
                if args.keep_work:
                    print(f"work directory kept: {work}")
                else:
                    shutil.rmtree(work, ignore_errors=True)
        else:
            labels = write_labels(HERE)
    except RecordError as exc:
        print(f"record.py: {exc}", file=sys.stderr)
        return 1
    except PermissionError as exc:
        print(f"record.py: {exc} (run as root: tcpdump, and SIPp's RTP playback, need it)", file=sys.stderr)
        return 1
    for name, entry in labels.items():
        print(
            f"{name:24} {entry['size_bytes']:>7} B  {entry['packets']:>4} packets  {entry['link_type']:10}"
            f"  sip={entry['sip_messages']:<2} rtp={entry['rtp_packets']:<4}"
            f"  bad_checksums={entry['bad_checksums_in_input']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
