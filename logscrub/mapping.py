"""The opt-in mapping export: original -> pseudonym, readable by the data owner alone.

A support engineer who finds something in a scrubbed log may need the customer to trace
`+1 415-397-4771` back to the real caller. `--mapping FILE --mapping-key OWNER.pub` writes
the run's table encrypted to the owner's X25519 public key (an ephemeral key agreement,
HKDF-SHA256, then AES-256-GCM, all from the `cryptography` package), so that only the
holder of the owner's private key can read it; the support side can write the file but
not read it back. Without the option nothing reversible is written anywhere.

File format: b"LSMAP1\\n", the 32-byte ephemeral public key, a 12-byte nonce, then the
AES-GCM ciphertext of a JSON document {"version", "complete", "entries": [[entity,
original, pseudonym], ...]}; the first 45 bytes are authenticated too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import InputError

MAGIC = b"LSMAP1\n"
_INFO = b"logscrub mapping v1"
_HEADER = len(MAGIC) + 32 + 12


@dataclass(frozen=True)
class PseudonymMapping:
    entries: tuple[tuple[str, str, str], ...]  # (entity, original, pseudonym)
    complete: bool = True


def generate_owner_keys() -> tuple[bytes, bytes]:
    """(private key PEM, public key PEM) for a data owner."""
    private = X25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def load_public_key(data: bytes, source: str) -> X25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise InputError(
            f"{source}: not a PEM public key (make one with `logscrub keygen --owner`)"
        ) from None
    if not isinstance(key, X25519PublicKey):
        raise InputError(f"{source}: the mapping key must be an X25519 public key")
    return key


def load_private_key(data: bytes, source: str) -> X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise InputError(f"{source}: not an unencrypted PEM private key") from None
    if not isinstance(key, X25519PrivateKey):
        raise InputError(f"{source}: the owner key must be an X25519 private key")
    return key


def _aead_key(shared: bytes, header: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=header, info=_INFO).derive(shared)
    return AESGCM(derived)


def encrypt(
    entries: Iterable[tuple[str, str, str]], recipient: X25519PublicKey, complete: bool = True
) -> bytes:
    document = {"version": 1, "complete": complete, "entries": [list(entry) for entry in entries]}
    plaintext = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    nonce = os.urandom(12)
    header = MAGIC + ephemeral_public + nonce
    aead = _aead_key(ephemeral.exchange(recipient), header[: len(MAGIC) + 32])
    return header + aead.encrypt(nonce, plaintext, header)


def decrypt(data: bytes, owner: X25519PrivateKey, source: str) -> PseudonymMapping:
    if not data.startswith(MAGIC) or len(data) < _HEADER + 16:
        raise InputError(f"{source}: not a logscrub mapping file")
    header = data[:_HEADER]
    ephemeral_public = X25519PublicKey.from_public_bytes(header[len(MAGIC) : len(MAGIC) + 32])
    nonce = header[len(MAGIC) + 32 :]
    aead = _aead_key(owner.exchange(ephemeral_public), header[: len(MAGIC) + 32])
    try:
        plaintext = aead.decrypt(nonce, data[_HEADER:], header)
    except InvalidTag:
        raise InputError(f"{source}: cannot decrypt: wrong owner key, or the file was changed") from None
    document = json.loads(plaintext.decode("utf-8", "surrogatepass"))
    entries = tuple((str(e), str(o), str(p)) for e, o, p in document["entries"])
    return PseudonymMapping(entries, bool(document.get("complete", True)))


def write_private(path: Path, data: bytes) -> None:
    """Create `path` with owner-only permissions; never overwrite an existing file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError(f"{path}: already exists; not overwritten") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot create: {exc.strerror or exc}") from None
    with os.fdopen(fd, "wb") as out:
        out.write(data)
