"""The on-disk cache of things derived from what logscrub ships (compiled Hyperscan
databases of the rule packs, the common-word list of the prose detector). Never values
learned from a log. Every entry is best effort: a cache that cannot be read or written
only means computing again."""

from __future__ import annotations

import os
import threading
from pathlib import Path

CACHE_ENV = "LOGSCRUB_CACHE_DIR"


def cache_dir() -> Path | None:
    """$LOGSCRUB_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/logscrub or ~/.cache/logscrub."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "logscrub"


def store(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (a temporary file renamed), or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass
