"""File and member names: what they hold is found as in text, their form is kept.

Apps name logs and captures after who they are about (`call-jane.roe@example.com.log`,
`logcat-+14155550123.txt`, `trace_192.168.1.20.pcap`, `SEP001122AABBCC.cnf.xml`). A name is
scanned with `_` read as a space (a word joiner in names, a separator to a reader), and
nothing a finding takes may swallow the name's extensions: `.log` stays `.log`, so the
scrubbed file still opens with the program it belongs to.
"""

from __future__ import annotations

import regex

from .model import Finding

# Extensions (and rotation counters) at the end of a name; several may follow each other
# (`app.log.1.gz`, `SEP....cnf.xml`).
_EXTENSIONS = regex.compile(
    r"(?:\.(?:log|txt|pcap|pcapng|cap|gz|tgz|zip|tar|bz2|xz|json|jsonl|ndjson|xml|cfg|cnf|csv|har|vcf|"
    r"ics|out|err|trace|dmp|crash|ips|html|md|conf|ini|yaml|yml|sql|db))+"
    r"(?:\.[0-9]{1,3})?(?:\.(?:gz|bz2|xz|zip))?$",
    regex.IGNORECASE,
)


def detection_view(name: str) -> str:
    """`name` as detection reads it: `_` as a space (same length, same offsets)."""
    return name.replace("_", " ")


def within_stem(name: str, findings: list[Finding]) -> list[Finding]:
    """`findings` cut back so none reaches into the name's extensions."""
    match = _EXTENSIONS.search(name)
    stem = match.start() if match is not None else len(name)
    kept = []
    for finding in findings:
        if finding.start >= stem:
            continue
        kept.append(finding._replace(end=stem) if finding.end > stem else finding)
    return kept
