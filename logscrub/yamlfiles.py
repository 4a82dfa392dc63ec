"""YAML files of the user's (policies, allowlists, known values, rule packs): read, and
their mistakes told in one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import LogscrubError


def read_yaml(path: str | Path, what: str, error: type[LogscrubError]) -> Any:
    """The document of the YAML file at `path` (`what` it is, for messages); `error` on a
    file that cannot be read or is not YAML."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise error(f"{path}: {what} is not valid YAML: {yaml_problem(exc)}") from None


def yaml_problem(exc: Exception) -> str:
    """A YAML (or decoding) error in one line: where it is and what is wrong, without the
    excerpt PyYAML quotes over several lines."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{where}{problem}"
