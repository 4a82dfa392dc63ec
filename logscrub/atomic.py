"""Atomic output: write to a temporary file beside the destination, rename on success.

An error (or Ctrl-C) never leaves a half-written file at the destination.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import InputError


@contextlib.contextmanager
def atomic_output(
    dst: Path, mode_from: Path | None = None, readable: bool = False, private: bool = False
) -> Iterator[BinaryIO]:
    """Yield a binary file that becomes `dst` only when the block completes.

    The new file gets the permission bits of `mode_from` when given (a scrubbed file those
    of its input), else those of any new file (0666 less the umask), as `cp` and shells
    give; `private` keeps it the owner's alone (0600: what holds secrets, such as an
    encrypted mapping). `readable`: the file can also be read back before it is published.
    """
    if not dst.parent.is_dir():
        raise InputError(f"{dst}: output directory does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    except OSError as exc:
        raise InputError(f"{dst}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w+b" if readable else "wb") as out:
            yield out
        if not private:  # mkstemp made it 0600
            with contextlib.suppress(OSError):
                mode = mode_from.stat().st_mode & 0o777 if mode_from is not None else _new_file_mode()
                os.chmod(tmp_name, mode)
        os.replace(tmp_name, dst)
    except OSError as exc:
        _remove(tmp_name)
        raise InputError(f"{dst}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp_name)
        raise


def _new_file_mode() -> int:
    """0666 less the process's umask (read by setting it and back: there is no getter)."""
    umask = os.umask(0o077)
    os.umask(umask)
    return 0o666 & ~umask


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
