"""The one small exception hierarchy of logscrub.

The library raises these and never prints or exits; the CLI maps them to exit codes
at its edge (InputError and RuleError/PolicyError -> 2, anything else -> 3).
"""

from __future__ import annotations


class LogscrubError(Exception):
    """Base class of every error logscrub raises on purpose."""


class InputError(LogscrubError):
    """An input (or output location) cannot be read, written or parsed."""


class RuleError(LogscrubError):
    """A rule pack is invalid. The message names the file, the rule id and the problem."""


class PolicyError(LogscrubError):
    """A policy file or policy override is invalid."""


class RuleTimeoutError(LogscrubError):
    """A rule ran past its time limit. Fail closed: this is a failure, never "no match"."""
