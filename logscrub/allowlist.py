"""The allowlist (baseline): findings a team accepted, by rule id and keyed digest.

Like a detect-secrets baseline, it never holds a value, and line numbers are not part of
a finding's identity (editing a file does not invalidate it). Digests are keyed:

* with the team's pseudonym key (`--key-file` / LOGSCRUB_KEY) when `allow` was given one:
  the file then records only which key (`key_id`, a keyed hash of a constant), and a
  check with another key is an error, not a silent mismatch;
* otherwise with a random `salt` stored in the file. That keeps the digests of one
  repository from matching another's, but whoever reads the file can test guesses
  against it, so short values (extensions, PINs) are safer allowed with a key.

File format (YAML, `version: 1`):

    version: 1
    digest: hmac-sha256-64
    salt: 4f0c...            # or key_id: 9a1b...
    allowed:
      - {rule: sip.display_name.quoted, entity: PERSON_NAME, digest: 0c5e97f3a1b24d68}
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .atomic import atomic_output
from .checking import CheckFinding
from .errors import InputError, PolicyError
from .gitcmd import git_output
from .yamlfiles import read_yaml

DEFAULT_PATH = Path(".logscrub-allow.yaml")
VERSION = 1
DIGEST = "hmac-sha256-64"


def repository_salt(directory: Path) -> bytes | None:
    """A salt for check's digests that stays the same for one git repository and differs
    between repositories (derived from its first commit), so that without a key or an
    allowlist the digests and SARIF fingerprints of a repository's findings do not change
    between runs; None outside a git work tree (or without git)."""
    listed = git_output(directory, "rev-list", "--max-parents=0", "HEAD", timeout=60)
    roots = sorted(listed.split()) if listed is not None else []
    if not roots:
        return None  # not a repository, or one without commits yet
    return hashlib.sha256(b"logscrub repository salt v1\0" + roots[0]).digest()


def key_id(key: bytes) -> str:
    return hmac.new(key, b"logscrub allowlist key id", hashlib.sha256).hexdigest()[:16]


@dataclass
class Allowlist:
    salt: bytes | None = None
    key_id: str | None = None
    entries: dict[tuple[str, str], str] = field(default_factory=dict)  # (rule, digest) -> entity

    @classmethod
    def new(cls, key: bytes | None) -> Allowlist:
        if key is not None:
            return cls(key_id=key_id(key))
        return cls(salt=os.urandom(16))

    @classmethod
    def load(cls, path: Path) -> Allowlist:
        data = read_yaml(path, "allowlist", InputError)
        if not isinstance(data, dict) or data.get("version") != VERSION or data.get("digest") != DIGEST:
            raise InputError(f"{path}: not a logscrub allowlist (version {VERSION}, digest {DIGEST})")
        entries: dict[tuple[str, str], str] = {}
        for item in data.get("allowed") or []:
            if not isinstance(item, dict) or not {"rule", "digest", "entity"} <= set(item):
                raise InputError(f"{path}: each allowed entry needs rule, entity and digest: {item!r}")
            entries[(str(item["rule"]), str(item["digest"]))] = str(item["entity"])
        salt = data.get("salt")
        try:
            salt_bytes = bytes.fromhex(str(salt)) if salt is not None else None
        except ValueError:
            raise InputError(f"{path}: salt is not hex") from None
        identity = data.get("key_id")
        if (salt_bytes is None) == (identity is None):
            raise InputError(f"{path}: an allowlist has either a salt or a key_id")
        return cls(salt_bytes, str(identity) if identity is not None else None, entries)

    def digest_key(self, key: bytes | None, path: Path) -> bytes:
        """The key the digests of this allowlist are made with."""
        if self.salt is not None:
            return self.salt
        if key is None:
            raise PolicyError(
                f"{path}: this allowlist was made with a pseudonym key: pass --key-file or set LOGSCRUB_KEY"
            )
        if key_id(key) != self.key_id:
            raise PolicyError(f"{path}: this allowlist was made with another key than the one given")
        return key

    def allows(self, finding: CheckFinding) -> bool:
        return (finding.rule_id, finding.digest) in self.entries

    def add(self, findings: Iterable[CheckFinding]) -> int:
        """Accept `findings`; returns how many were new."""
        before = len(self.entries)
        for finding in findings:
            self.entries.setdefault((finding.rule_id, finding.digest), finding.entity)
        return len(self.entries) - before

    def to_yaml(self) -> str:
        data: dict[str, Any] = {"version": VERSION, "digest": DIGEST}
        if self.salt is not None:
            data["salt"] = self.salt.hex()
        else:
            data["key_id"] = self.key_id
        data["allowed"] = [
            {"rule": rule, "entity": entity, "digest": digest}
            for (rule, digest), entity in sorted(self.entries.items())
        ]
        header = "# logscrub allowlist: accepted findings by rule and keyed digest (never values).\n"
        return header + yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=120)

    def save(self, path: Path) -> None:
        with atomic_output(path) as out:
            out.write(self.to_yaml().encode("utf-8"))
