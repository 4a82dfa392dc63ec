"""The files a command works on: files as given, directories walked, filters, stdin.

A directory is walked recursively, in a stable order. Inside a git work tree the walk is
git's own list of the files (tracked, plus untracked ones that no `.gitignore`, global
excludes file or `.git/info/exclude` ignores), so it is exactly what `git add` would
see; elsewhere every file below the directory. Symbolic links are not followed (a link
can point out of the tree or make a loop); the files they point to are scrubbed where
they are in the walk. `--include` / `--exclude` take gitignore-style patterns (pathspec's
`GitIgnoreSpec`, the syntax users already know from `.gitignore`) and apply to every file,
named or found; they match the path as it is mirrored under `--out-dir`: a named file by
its path as given, a file found in directory `logs` as `logs/sub/file.log`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .gitcmd import git_output

if TYPE_CHECKING:
    import pathspec

STDIN = "-"


@dataclass(frozen=True)
class Input:
    """One file to work on."""

    path: str  # what to open; '-' is stdin
    relative: str  # its place under --out-dir (posix separators)
    from_directory: bool = False  # found by walking a directory (not named by the user)


class Filters:
    """--include / --exclude: a file is taken when it matches an include pattern (or
    there are none) and no exclude pattern."""

    def __init__(self, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> None:
        self._include = _spec(include)
        self._exclude = _spec(exclude)

    def takes(self, relative: str) -> bool:
        if self._include is not None and not self._include.match_file(relative):
            return False
        return self._exclude is None or not self._exclude.match_file(relative)


def _spec(patterns: Iterable[str]) -> pathspec.GitIgnoreSpec | None:
    lines = list(patterns)
    if not lines:
        return None
    import pathspec  # (imports asyncio: ~20 ms of every start-up when imported at the top)

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, TypeError) as exc:  # a bad pattern: one line naming it
        raise InputError(f"bad --include/--exclude pattern: {exc}") from None


def expand(args: Iterable[str], filters: Filters | None = None, skip: Path | None = None) -> list[Input]:
    """The inputs named by `args`, directories walked; `skip` (an output directory) is
    never walked into. Raises InputError for a missing or unreadable path."""
    filters = filters or Filters()
    inputs: list[Input] = []
    skip_resolved = skip.resolve() if skip is not None else None
    for arg in args:
        if arg == STDIN:
            inputs.append(Input(STDIN, STDIN))
            continue
        path = Path(arg)
        if not path.exists():
            raise InputError(f"{arg}: no such file or directory")
        if path.is_dir():
            inputs.extend(_walk(path, filters, skip_resolved))
            continue
        if not os.access(path, os.R_OK):
            raise InputError(f"{arg}: permission denied")
        if filters.takes(path.as_posix()):
            inputs.append(Input(arg, path.name))
    return inputs


def _walk(top: Path, filters: Filters, skip: Path | None) -> Iterator[Input]:
    """The files below `top` that the filters take, sorted, as Inputs whose relative path
    starts with the directory's own name (as `cp -r top DIR` places them)."""
    base = "" if top.name in ("", ".", "..") else top.name
    for below in _listing(top):
        path = top / below
        if path.is_symlink() or not path.is_file():
            continue  # links are not followed; a tracked file deleted in the work tree
        if skip is not None and _inside(path, skip):
            continue
        relative = f"{base}/{below}" if base else below
        if not filters.takes(relative):
            continue
        if not os.access(path, os.R_OK):
            raise InputError(f"{path}: permission denied")
        yield Input(str(path), relative, from_directory=True)


def _listing(top: Path) -> list[str]:
    """Posix paths below `top`: git's list inside a work tree, else every file."""
    listed = _git_listing(top)
    if listed is not None:
        return listed
    found: list[str] = []
    for root, dirs, files in os.walk(top):  # os.walk does not follow directory links
        dirs[:] = sorted(d for d in dirs if d != ".git")
        below = Path(root).relative_to(top)
        found.extend((below / name).as_posix() for name in sorted(files))
    return found


def _git_listing(top: Path) -> list[str] | None:
    """`git ls-files` of `top` (tracked and untracked-not-ignored), or None outside a work
    tree or without git (then everything is walked)."""
    listed = git_output(top, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listed is None:
        return None
    return sorted({os.fsdecode(n) for n in listed.split(b"\0") if n})


def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory)
    except ValueError:
        return False
    return True
