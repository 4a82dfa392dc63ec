"""Check findings as text lines, JSON or SARIF 2.1.0 (for CI systems' own result views)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from . import __version__
from .checking import CheckFinding

FORMATS = ("text", "json", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_BUILT_IN = {
    "capture.ip_header": "An IP address in a packet header (IPv4, IPv6, ARP, quoted in ICMP).",
    "capture.mac_header": "A MAC address in a packet header (Ethernet, cooked, ARP, DHCP).",
    "capture.stun_username": "The USERNAME attribute of a STUN message.",
    "capture.rtcp_sdes": "An RTCP SDES item (CNAME, NAME, EMAIL, PHONE, ...) or a BYE reason.",
    "capture.dhcp_name": "A host name or client id in a DHCP option.",
    "capture.name_resolution": "A name of a mapped address in a pcapng name-resolution block.",
}


def text(findings: Sequence[CheckFinding]) -> str:
    return "".join(f"{f.location()} {f.entity} {f.rule_id} digest={f.digest}\n" for f in findings)


def as_json(findings: Sequence[CheckFinding], failed: bool) -> str:
    counts = Counter(f.entity for f in findings)
    document = {
        "logscrub_version": __version__,
        "failed": failed,
        "counts": dict(sorted(counts.items())),
        "findings": [f.to_dict() for f in findings],
    }
    return json.dumps(document, indent=2) + "\n"


def sarif(findings: Sequence[CheckFinding], descriptions: Mapping[str, str]) -> str:
    rule_ids = sorted({f.rule_id for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    rules = [
        {
            "id": rule_id,
            "shortDescription": {
                "text": descriptions.get(rule_id) or _BUILT_IN.get(rule_id) or _learned(rule_id)
            },
            "defaultConfiguration": {"level": "error"},
        }
        for rule_id in rule_ids
    ]
    results = []
    for f in findings:
        where = f"packet {f.packet}" if f.packet is not None else f"line {f.line}"
        location: dict[str, object] = {"artifactLocation": {"uri": quote(f.path.replace("\\", "/"))}}
        if f.line is not None:
            region = {"startLine": f.line, "startColumn": f.column}
            if f.end_column is not None:
                region["endColumn"] = f.end_column
            location["region"] = region
        properties: dict[str, object] = {"entity": f.entity}
        if f.packet is not None:
            properties["packet"] = f.packet
        if f.member is not None:
            properties["member"] = f.member
        results.append(
            {
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id],
                "level": "error",
                "message": {
                    "text": f"{f.entity} at {where} (digest {f.digest}); run `logscrub scrub` before sharing"
                },
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"logscrubDigest/v1": f"{f.rule_id}:{f.digest}"},
                "properties": properties,
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "logscrub",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                # Columns count characters (code points), as logscrub reads text.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _learned(rule_id: str) -> str:
    if rule_id.startswith("learned."):
        return "A value found earlier in the same file, seen again."
    return rule_id
