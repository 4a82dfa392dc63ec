"""Candidate lines for stream trackers that need a word to start (a closing phrase, an SQL
statement): the starts of the lines that hold one of their trigger words. In a scan the
engine's shared keyword pass has found the words already (ASCII-caseless, at word starts);
alone, a tracker finds them with str.find. A case-insensitive regex over every block would
cost several percent of a whole scan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def lines_holding(text: str, words: Iterable[str]) -> list[int]:
    """The starts of the lines of `text` holding one of `words`, in order, each once."""
    starts: set[int] = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            at = text.find(word, at + len(word))
    return sorted(starts)


def trigger_lines(text: str, triggers: Sequence[str], positions: Mapping[str, list[int]] | None) -> list[int]:
    """The starts of the lines holding a trigger word: from the keyword pass's `positions`
    (word -> start offsets) when given, else searched in `text` in the usual spellings."""
    if positions is None:
        spellings = {form for word in triggers for form in (word, word.upper(), word.capitalize())}
        return lines_holding(text, sorted(spellings))
    starts = {text.rfind("\n", 0, at) + 1 for word in triggers for at in positions.get(word, ())}
    return sorted(starts)
