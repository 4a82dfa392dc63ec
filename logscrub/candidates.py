"""Candidate lines for stream trackers that need a word to start (a closing phrase, an SQL
statement): the starts of the lines that hold one of their trigger words. In a scan the
engine's shared keyword pass has found the words already (ASCII-caseless, at word starts);
alone, a tracker finds them with str.find. A case-insensitive regex over every block would
cost several percent of a whole scan."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence


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


def read_candidate_lines(
    text: str, starts: Sequence[int], read: Callable[[int, int], bool], open_at_start: bool
) -> None:
    """Call `read(start, end)` (end excludes the line end) on the lines at `starts` and,
    while it returns True (a statement or a window goes on), on the lines after them; from
    the first line when `open_at_start` (the state was open at the end of the last block)."""
    if not starts and not open_at_start:
        return
    size = len(text)
    pos = 0 if open_at_start else starts[0]
    index = 0
    while pos < size:
        newline = text.find("\n", pos)
        end = size if newline < 0 else newline
        line_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        if read(pos, line_end):
            pos = end + 1  # still open: read the next line too
            continue
        while index < len(starts) and starts[index] <= end:
            index += 1
        if index == len(starts):
            return
        pos = starts[index]
