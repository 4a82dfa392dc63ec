"""Telegram Desktop's chat export (`result.json`), as a user attaches it.

Each message is a JSON object whose sender is named twice, on two lines:

    "from": "Mom",
    "from_id": "user1482137994",

`from` alone is a generic key (an e-mail's sender, a SIP `From`); what makes it a person's
display name here is the Telegram id (`user…`, `channel…`) beside it in the same object.
So when a line holds such an id under `from_id` (or `actor_id`, for a service message), the
`from` (or `actor`) of the lines just before it is judged as a name. The ids themselves are
the key rules' (`from_id`: key.person_ref). No state per stream: the two lines are written
together, and a pair cut by a block boundary is left to the key rules.
"""

from __future__ import annotations

from collections.abc import Mapping

import regex

from .model import Entity, Finding

RULE_ID = "telegram.export_name"
PRIORITY = 76
_ID = regex.compile(
    r'"(?P<role>from|actor|forwarded_from|saved_from)_id"[ \t]*:[ \t]*"(?:user|channel|chat)\d{3,20}"'
)
_REACH = 3  # lines back to the name: Telegram writes it just before the id
_NAMES = {
    role: regex.compile(rf'"{role}"[ \t]*:[ \t]*"(?P<name>(?:[^"\\\r\n]|\\.){{1,128}})"')
    for role in ("from", "actor", "forwarded_from", "saved_from")
}


class TelegramExports:
    """Tracker for blocks of a Telegram export (stateless; see the module docstring)."""

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        if '_id"' not in text:
            return []  # (what every hit of _ID holds: one substring search a block)
        found: list[Finding] = []
        for hit in _ID.finditer(text):
            start = text.rfind("\n", 0, hit.start()) + 1
            for _ in range(_REACH):
                if start == 0:
                    break
                start = text.rfind("\n", 0, start - 1) + 1
            # The nearest name before the id (the same object's).
            names = list(_NAMES[hit["role"]].finditer(text, start, hit.start()))
            if names:
                last = names[-1]
                name_start, name_end = last.span("name")
                found.append(Finding(name_start, name_end, Entity.PERSON_NAME, RULE_ID, PRIORITY))
        return found
