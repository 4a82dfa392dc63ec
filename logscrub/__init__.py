"""logscrub: remove personal data and credentials from VoIP / UC troubleshooting material.

>>> import logscrub
>>> logscrub.scrub_text("From: \\"Jane Roe\\" <sip:+14155550123@pbx.example.org>")  # doctest: +SKIP
"""

from __future__ import annotations

from .api import BytesResult, Scrubber, TextResult, load_rule_packs, scrub_text
from .checking import CheckFinding
from .errors import InputError, LogscrubError, PolicyError, RuleError, RuleTimeoutError
from .explain import Explained, ExplainedLine
from .model import Entity, Finding, Operator, Stats
from .policy import DEFAULT_OPERATORS, Policy
from .report import FileReport, Report
from .rulepack import Rule, RulePack, load_pack, parse_pack

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_OPERATORS",
    "BytesResult",
    "CheckFinding",
    "Entity",
    "Explained",
    "ExplainedLine",
    "FileReport",
    "Finding",
    "InputError",
    "LogscrubError",
    "Operator",
    "Policy",
    "PolicyError",
    "Report",
    "Rule",
    "RuleError",
    "RulePack",
    "RuleTimeoutError",
    "Scrubber",
    "Stats",
    "TextResult",
    "__version__",
    "load_pack",
    "load_rule_packs",
    "parse_pack",
    "scrub_text",
]
