"""Inputs and outputs named by URL (`s3://bucket/day/*.log`), through fsspec.

`logscrub bulk` reads its sources from, and writes its outputs to, object storage or any
other filesystem fsspec knows (the extras: `logscrub[s3]` brings s3fs). Credentials and
endpoints come from each backend's own configuration (for S3 the usual AWS variables and
files, or fsspec's `FSSPEC_S3_ENDPOINT_URL` style variables), never from task arguments.

A worker downloads a source into a private temporary directory, scrubs it there, and
publishes the output only when it is complete:
- on object stores (S3, GCS, Azure) a single PUT (or a completed multipart upload) is
  atomic: the object appears whole or not at all, so the output is put in place directly;
- on other filesystems it is written under a temporary name beside its destination and
  then moved into place (a failure removes the temporary object).
Raw input bytes therefore touch only the worker's own temporary directory, which is
removed when the task ends, as a local file would be read in place.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import InputError, LogscrubError

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
# Filesystems whose single-object writes are atomic (fsspec protocol names).
_OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "abfs", "abfss", "az", "adl", "oss"})


def is_url(name: str) -> bool:
    """Whether `name` is a URL for fsspec (`s3://...`); a `file://` URL is a local path."""
    return bool(_URL.match(name)) and not name.startswith("file://")


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:
        raise LogscrubError(f"{url}: URLs need fsspec and a backend: pip install 'logscrub[s3]'") from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:  # an unknown protocol, or its backend missing
        raise LogscrubError(f"{url}: {exc}") from None
    return fs, str(path)


def _protocol(fs: Any) -> str:
    protocol = fs.protocol
    return protocol if isinstance(protocol, str) else protocol[0]


def listing(url: str) -> list[tuple[str, str]]:
    """(URL, relative path) of each file `url` names: one object, every object below a
    prefix (a "directory": relative paths start with its own name, as `cp -r` places
    them), or a glob pattern (relative to the pattern's fixed part). Sorted."""
    fs, path = _filesystem(url)
    try:
        if any(ch in path for ch in "*?["):
            root = _fixed_part(path)
            found = [p for p in fs.glob(path) if fs.isfile(p)]
            pairs = [(p, str(PurePosixPath(p).relative_to(root))) for p in found]
        elif fs.isdir(path):
            top = path.rstrip("/")
            base = PurePosixPath(top).name
            pairs = [(p, f"{base}/{PurePosixPath(p).relative_to(top)}") for p in fs.find(top)]
        elif fs.isfile(path):
            pairs = [(path, PurePosixPath(path).name)]
        else:
            raise InputError(f"{url}: no such object or prefix")
    except (OSError, ValueError) as exc:  # permission, network, a bad pattern: one clear line
        raise InputError(f"{url}: {exc}") from None
    if not pairs:
        raise InputError(f"{url}: matches no object")
    return sorted((fs.unstrip_protocol(p), relative) for p, relative in pairs)


def _fixed_part(path: str) -> str:
    fixed: list[str] = []
    for part in path.split("/"):
        if any(ch in part for ch in "*?["):
            break
        fixed.append(part)
    return "/".join(fixed)


def fetch(url: str, workdir: Path) -> Path:
    """The object at `url` as a local file in `workdir` (a private temporary directory
    that the caller removes), under its own name: the scrubber tells compressed members
    and formats by content, but a name keeps reports and bundle members readable."""
    fs, path = _filesystem(url)
    local = workdir / "in" / PurePosixPath(path).name
    local.parent.mkdir(mode=0o700)
    try:
        fs.get_file(path, str(local))
    except OSError as exc:
        raise InputError(f"{url}: {exc}") from None
    return local


def publish(local: Path, url: str) -> None:
    """Put the complete local output `local` at `url`; nothing appears there on failure."""
    fs, path = _filesystem(url)
    parent = str(PurePosixPath(path).parent)
    if _protocol(fs) in _OBJECT_STORES:
        fs.put_file(str(local), path)  # one atomic object write
        return
    fs.makedirs(parent, exist_ok=True)
    partial = f"{parent}/.{PurePosixPath(path).name}.{secrets.token_hex(6)}.part"
    try:
        fs.put_file(str(local), partial)
        fs.mv(partial, path)
    except BaseException:
        try:
            if fs.exists(partial):
                fs.rm(partial)
        finally:
            raise
