"""Asking git about the work tree an input sits in (file lists, repository identity)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def git_output(directory: Path, *args: str, timeout: float = 120) -> bytes | None:
    """The output of `git -C directory ARGS...`, or None without git, outside a work tree
    or when git refuses (a repository owned by another user): callers then do without."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, "-C", str(directory), *args], capture_output=True, check=False, timeout=timeout
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
