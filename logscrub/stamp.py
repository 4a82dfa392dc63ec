"""The run stamp: what every output says about how it was scrubbed, without the key.

logscrub's version, the rule packs' versions, a digest of the policy (everything that
decides replacements, the key excepted) and a key id: a keyed fingerprint that tells
two runs with the same key apart from runs with another, and reveals nothing of it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from .policy import Policy

COMMENT_PREFIX = "scrubbed by logscrub"
MANIFEST_NAME = "LOGSCRUB-MANIFEST.json"


def key_id(key: bytes) -> str:
    """A keyed fingerprint of `key` (16 hex digits): the same key, the same id."""
    return hmac.new(key, b"logscrub key id v1", hashlib.sha256).hexdigest()[:16]


def policy_digest(policy: Policy) -> str:
    """sha256 of the policy's settings in a canonical form (the key left out)."""
    settings: dict[str, Any] = {}
    for item in dataclasses.fields(policy):
        if item.name in ("key", "key_given"):
            continue
        value = getattr(policy, item.name)
        if isinstance(value, frozenset):
            value = sorted(value)
        elif hasattr(value, "items"):
            value = {str(k): str(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        settings[item.name] = value
    canonical = json.dumps(settings, sort_keys=True, default=str).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


@dataclass(frozen=True)
class RunStamp:
    logscrub_version: str
    rule_packs: tuple[tuple[str, str], ...]  # (name, version)
    policy_digest: str
    key_id: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "logscrub_version": self.logscrub_version,
            "rule_packs": [{"name": n, "version": v} for n, v in self.rule_packs],
            "policy_digest": self.policy_digest,
            "key_id": self.key_id,
        }

    def comment(self) -> str:
        """One line for a place that holds text (a pcapng section comment)."""
        packs = ", ".join(f"{n} {v}" for n, v in self.rule_packs)
        return (
            f"{COMMENT_PREFIX} {self.logscrub_version} (rules: {packs}); "
            f"policy {self.policy_digest}; key id {self.key_id}"
        )

    def manifest(self, members: list[dict[str, object]]) -> bytes:
        """The bundle manifest: the stamp and, per member, what was done (counts only)."""
        body = {"scrubbed_by": self.to_dict(), "members": members}
        return (json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
