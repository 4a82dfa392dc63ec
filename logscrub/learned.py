"""Values learned from confident findings, replaced wherever they reappear in a run.

A user name found in `username=alice7` also sits in `Auth info found for [alice7]`, a
phone number found in `"to": "9879576875"` also in `recording_9879576875.wav`; no rule
can know every such place. Once a rule has found a value, other occurrences of the same
text (as a whole token) are findings too. One store serves a whole run (every file,
archive member and packet), so a value found in one input is gone from the next; the
run (see run.py) makes values reach back to earlier inputs and earlier places. Within a
stream "later" is measured in stream order, so where blocks are cut does not change the
output. The store is bounded (`limit` values); when it is full the run says so in a
warning, and values found after that are replaced only where rules find them.

A value is learned in every form it is written in elsewhere:
- a phone number in each spelling of the same number (phonespell.py);
- a message body (SIP MESSAGE, CPIM, a JSON `text`) line by line, and as overlapping
  fragments, so an echo that quotes it in part (`new message "Running late, see you…"`)
  is found and widened to all it shares with the message;
- a display name also by its distinctive parts (`Whitfield` of `Dana Whitfield`).

Values are matched exactly (case-sensitively). The values learned in a block get a
multi-literal matcher of their own, used at once for their later occurrences in that
block; matchers of earlier blocks are merged like a binary counter (see `learn`), so each
block is scanned by a few matchers and each value is compiled O(log n) times.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

import regex

from . import phonespell
from .detectors.literals import Hit, Literals, Scanned, build_literals
from .detectors.names import is_label_word
from .detectors.prose import is_common_word
from .detectors.validators import digits_of, glued, is_system_account
from .model import Entity, Finding

LEARNED_PRIORITY = 35
# Hyperscan levels are merged in tiers of this factor (see _merge_levels), at most
# _MAX_LEVELS kept.
_TIER = 4
_MAX_LEVELS = 16
_LIMIT = 20_000
# Seconds an Aho-Corasick scan takes a byte, and Hyperscan a literal to compile (see
# LearnedValues.matcher_for).
_AC_SCAN_COST = 25e-9
_COMPILE_COST = 25e-6
# Numbers learned in all their spellings (a dozen literals each); numbers past this many
# are learned as written (most logs repeat a number in one spelling).
_SPELLED_LIMIT = 2_000
FULL_WARNING = (
    "learned-value store full ({limit} values): values found after that are replaced"
    " where rules find them, not everywhere in the run"
)
# Message bodies: shorter lines are too likely to be ordinary log text ("OK", "hello").
_MIN_MESSAGE = 12
# Fragments of a message body found on their own (an echo that quotes it in part), with
# this many letters at least.
_FRAGMENT, _FRAGMENT_STRIDE, _FRAGMENT_LETTERS = 20, 4, 6
# A log line's time stamp: a time with seconds, or an ISO date (a person writes `10:30`).
_LOG_STAMP = re.compile(r"\d\d:\d\d:\d\d|\d{4}-\d\d-\d\d")
_LEARNABLE = {
    Entity.MESSAGE_BODY,
    Entity.PHONE_NUMBER,
    Entity.USERNAME,
    Entity.PERSON_NAME,
    Entity.EMAIL_ADDRESS,
    Entity.DEVICE_ID,
    Entity.TOKEN,
    Entity.CREDENTIAL,
    Entity.MAC_ADDRESS,
}
_RULE_IDS = {entity: f"learned.{entity.value.lower()}" for entity in Entity}
_KNOWN_IDS = {entity: f"known.{entity.value.lower()}" for entity in Entity}


def _worth_learning(entity: Entity, value: str, priority: int) -> bool:
    """Long or distinctive values only: learning `admin` or `home` would replace ordinary words."""
    if entity not in _LEARNABLE or value.isspace() or ("\n" in value and entity is not Entity.MESSAGE_BODY):
        return False
    digits = len(digits_of(value))
    has_digit = digits > 0
    if entity is Entity.PHONE_NUMBER:
        # Short extensions (1215) only when a keyed or SIP rule vouched for them.
        return digits >= 7 or (digits >= 4 and priority >= 70)
    if entity in (Entity.USERNAME, Entity.PERSON_NAME) and value.isalpha() and is_common_word(value):
        # `asterisk` (a system user), `Reception`: replacing every later `asterisk` would
        # break `res_rtp_asterisk.c` and `realm="asterisk"`.
        return False
    if entity is Entity.PERSON_NAME:
        return len(value) >= 4 and value[:1].isupper()
    if entity is Entity.MESSAGE_BODY:
        return _message_length(value.strip()) >= _MIN_MESSAGE
    if entity in (Entity.TOKEN, Entity.CREDENTIAL):
        # Letters only when mixed case (`myPas`): a lower-case word is as likely a default
        # (`cisco`, `admin`) that also names the product elsewhere in the log.
        mixed = value.isalpha() and not value.islower() and not value.isupper()
        return (len(value) >= 6 and (has_digit or not value.isalpha())) or (len(value) >= 5 and mixed)
    if entity is Entity.USERNAME:
        # Common words were sorted out above: a five-letter login (`sinan`) is specific enough.
        return (has_digit and len(value) >= 4) or len(value) >= 5
    return (has_digit and len(value) >= 4) or len(value) >= 6


def _fragment_starts(line: str) -> list[int]:
    """Where the fragments of a message line start: every _FRAGMENT_STRIDE characters of its
    text between the links and codes it carries."""
    starts: list[int] = []
    piece_start = 0
    for markup in [*_MARKUP.finditer(line), None]:
        piece_end = len(line) if markup is None else markup.start()
        starts.extend(range(piece_start, piece_end - _FRAGMENT + 1, _FRAGMENT_STRIDE))
        if markup is not None:
            piece_start = markup.end()
    return starts


def _message_length(text: str) -> int:
    """A text's length for _MIN_MESSAGE, a Chinese, Japanese or Korean character counted
    as two: each carries about a word (`一个人就是一个团队`, nine characters, says as much
    as a sentence of twenty letters)."""
    return len(text) + sum(1 for _ in _WIDE.finditer(text))


# Links and codes a text carries (`https://...`, a chat bot's image code `[CQ:image,file=
# ...,url=...]`): no words, and the same in every such text; no fragment is taken there.
_MARKUP = re.compile(r"\S*://\S*|\[CQ:[^\]\r\n]*\]?")
_WIDE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def _mac_forms(value: str) -> list[str]:
    """A MAC in each way logs write one: `c0:74:ad:ca:6f:20`, `C0-74-AD-CA-6F-20`,
    `c074.adca.6f20` (Cisco), bare `c074adca6f20` (a User-Agent, a file name), with
    underscores or blanks, either case."""
    digits = "".join(c for c in value if c in "0123456789abcdefABCDEF").lower()
    if len(digits) != 12:
        return [value]
    pairs = [digits[i : i + 2] for i in range(0, 12, 2)]
    spelled = {":".join(pairs), "-".join(pairs), f"{digits[:4]}.{digits[4:8]}.{digits[8:]}", digits}
    # Home Assistant's device ids (`device_tracker.00_50_41_75_f5_60`) and names given
    # with blanks (`name: 00 50 41 75 f5 60`).
    spelled |= {"_".join(pairs), " ".join(pairs)}
    forms = {value} | spelled | {form.upper() for form in spelled}
    return [value, *sorted(forms - {value})]


@dataclass(frozen=True)
class LearnedDelta:
    """What one part of a run learned (see parts.py), to merge into the run's store: values
    in the order learned, each with whether it reaches back (`_reaches_back`), and the
    store's other run-wide notes. Picklable: it travels back from a worker process."""

    values: list[tuple[str, Entity, bool]]
    fragments: dict[str, tuple[str, int]]
    identifiers: set[str]
    regions_seen: dict[str, int]
    spelled: int
    full: bool
    phone_regions: dict[str, str]  # national significant number -> region, learned by the part


@dataclass(frozen=True)
class NewValues:
    """Values learned in one block that reach back: where each was first found (block
    offset), and a matcher for them that may also find other values (see lookback.Lookback)."""

    first: dict[str, int]
    matcher: Literals


def _reaches_back(value: str) -> bool:
    """Short numbers (an extension, `1300`) are common configuration values too: they
    count after the place they were found, in that stream, but do not reach back. Five
    digits and more (`98031`) are specific enough to be the same number before too."""
    return not value.isdigit() or len(value) >= 5


class LearnedValues:
    """The learned values of a run (or of one stream, for a learning pass)."""

    def __init__(
        self,
        use_hyperscan: bool = False,
        limit: int = _LIMIT,
        default_region: str | None = None,
        phone_regions: dict[str, str] | None = None,
    ) -> None:
        """`phone_regions`: national significant number -> region of the numbers learned,
        shared with the Replacer, so a number written nationally gets the pseudonym of
        its international form."""
        self.use_hyperscan = use_hyperscan
        self.limit = limit
        self.default_region = default_region
        self.phone_regions = phone_regions if phone_regions is not None else {}
        self.values: dict[str, Entity] = {}
        self.known: frozenset[str] = frozenset()  # values seeded as known (see seed)
        # Values that reach back, in the order they were learned (see `since`).
        self.reaching: list[str] = []
        # Message fragments: fragment -> (message line, offset of the fragment in it).
        self.fragments: dict[str, tuple[str, int]] = {}
        self.full = False
        # Numeric Call-IDs and tags seen in the run: never phone numbers (engine.sip_identifiers).
        self.identifiers: set[str] = set()
        # Regions of the international numbers learned: a number written nationally in
        # the same run is most likely of the usual one (see `forms`).
        self._regions_seen: dict[str, int] = {}
        self._spelled = 0
        # Matchers over disjoint groups of values, sizes shrinking geometrically (size
        # tiers): O(log n) matchers to scan, each value compiled O(log n) times.
        self._levels: list[_Level] = []
        self._recent: list[NewValues] = []

    def __len__(self) -> int:
        return len(self.values)

    def mark(self) -> int:
        """A point in the learning order (see `since`)."""
        return len(self.reaching)

    def since(self, mark: int) -> list[str]:
        """The values that reach back learned after `mark`."""
        return self.reaching[mark:]

    def warning(self) -> str | None:
        return FULL_WARNING.format(limit=self.limit) if self.full else None

    def absorb(self, other: LearnedValues) -> None:
        """Add what `other` (a learning pass over one input) learned that reaches back."""
        new = [v for v in other.reaching if v not in self.values]
        room = max(0, self.limit - len(self.values))
        if len(new) > room:
            new, self.full = new[:room], True
        if other.full:
            self.full = True
        for value in new:
            self.values[value] = other.values[value]
            if value in other.fragments:
                self.fragments[value] = other.fragments[value]
        self.reaching.extend(new)
        if new:
            self._add_level(new)

    def copy(self) -> LearnedValues:
        """An independent store holding what this one holds (a part of a run starts from
        the run's store as it was before any part, see parts.py). Matchers are shared:
        they never change once built; the phone regions are the copy's own."""
        twin = LearnedValues(self.use_hyperscan, self.limit, self.default_region, dict(self.phone_regions))
        twin.values = dict(self.values)
        twin.known = self.known
        twin.reaching = list(self.reaching)
        twin.fragments = dict(self.fragments)
        twin.full = self.full
        twin.identifiers = set(self.identifiers)
        twin._regions_seen = dict(self._regions_seen)
        twin._spelled = self._spelled
        twin._levels = list(self._levels)
        return twin

    def delta(self, base: LearnedValues) -> LearnedDelta:
        """What this store (a `copy` of `base`) learned since it was copied."""
        fresh = list(self.values.items())[len(base.values) :]
        reaching = set(self.reaching[len(base.reaching) :])
        seen = {r: n - base._regions_seen.get(r, 0) for r, n in self._regions_seen.items()}
        return LearnedDelta(
            [(value, entity, value in reaching) for value, entity in fresh],
            {f: at for f, at in self.fragments.items() if f not in base.fragments},
            self.identifiers - base.identifiers,
            {r: n for r, n in seen.items() if n},
            self._spelled - base._spelled,
            self.full and not base.full,
            {n: r for n, r in self.phone_regions.items() if n not in base.phone_regions},
        )

    def absorb_delta(self, delta: LearnedDelta) -> list[str]:
        """Merge what a part learned; returns the values added that do not reach back
        (short numbers: they still count in the parts after it)."""
        fresh = [(v, e, r) for v, e, r in delta.values if v not in self.values]
        room = max(0, self.limit - len(self.values))
        if len(fresh) > room:
            fresh, self.full = fresh[:room], True
        self.full = self.full or delta.full
        for value, entity, _ in fresh:
            self.values[value] = entity
            if value in delta.fragments:
                self.fragments[value] = delta.fragments[value]
        self.reaching.extend(v for v, _, reaches in fresh if reaches)
        self.identifiers |= delta.identifiers
        for region, count in delta.regions_seen.items():
            self._regions_seen[region] = self._regions_seen.get(region, 0) + count
        self._spelled += delta.spelled
        for number, region in delta.phone_regions.items():
            self.phone_regions.setdefault(number, region)
        if fresh:
            self._add_level([v for v, _, _ in fresh])
        return [v for v, _, reaches in fresh if not reaches]

    def seed(self, values: dict[str, Entity]) -> None:
        """Values known before the run starts (see known.py): found everywhere from its
        first byte on, so none needs to reach back."""
        new = {value: entity for value, entity in values.items() if value not in self.values}
        if new:
            self.values.update(new)
            self.known = self.known | new.keys()
            self._add_level(list(new))

    def _add_level(self, values: list[str]) -> None:
        """A matcher for values added at once (a learning pass, the known values)."""
        self._levels.append(_Level(values, self.use_hyperscan))
        self._merge_levels()

    def _usual_region(self) -> str | None:
        seen = self._regions_seen
        return max(seen, key=lambda r: (seen[r], r)) if seen else None

    def forms(self, entity: Entity, value: str) -> list[str]:
        """The literals that stand for `value` (of `entity`) when it is learned."""
        if entity is Entity.PHONE_NUMBER:
            return self._phone_forms(value)
        if entity is Entity.MESSAGE_BODY:
            forms: list[str] = []
            for line in value.splitlines():
                line = line.strip()
                if _message_length(line) < _MIN_MESSAGE:
                    continue
                forms.append(line)
                if _LOG_STAMP.search(line):
                    # A text that quotes a log line (its time stamp says so): its fragments
                    # would match every line of the log. The whole line still counts.
                    continue
                for at in _fragment_starts(line):
                    fragment = line[at : at + _FRAGMENT]
                    if sum(ch.isalpha() for ch in fragment) < _FRAGMENT_LETTERS:
                        continue  # digits and signs (`+44 20 7946 0000 ok `): no echo of words
                    if fragment.strip() == fragment and fragment not in self.fragments:
                        self.fragments[fragment] = (line, at)
                        forms.append(fragment)
            return forms
        if entity is Entity.MAC_ADDRESS:
            return _mac_forms(value)
        if entity is Entity.PERSON_NAME and " " in value.strip():
            parts = [
                p
                for p in value.split()
                if len(p) >= 4
                and p.isalpha()
                and p[:1].isupper()
                and not is_common_word(p)
                and not is_label_word(p)
            ]
            return [value, *parts]
        if entity in _DECODED_ENTITIES:
            return [value, *_base64_clear_forms(value)]
        return [value]

    def _phone_forms(self, value: str) -> list[str]:
        """A number in every spelling (see phonespell), its country noted for the Replacer."""
        if self._spelled >= _SPELLED_LIMIT:
            return [value]
        parsed = phonespell.parse_confident(value, self.default_region or self._usual_region())
        if parsed is None:
            return [value] + [s for s in phonespell.regroupings(value) if s != value]
        self._spelled += 1
        region = phonespell.region_of(parsed)
        if region:
            self.phone_regions.setdefault(phonespell.significant_number(parsed), region)
            self._regions_seen[region] = self._regions_seen.get(region, 0) + 1
        return [value] + [s for s in sorted(phonespell.spellings(parsed)) if s != value]

    def find_earlier(self, scan: Scanned, taken: set[int]) -> list[Finding]:
        """Findings for values learned in earlier blocks that occur in this one.

        Occurrences starting where a rule already found something (`taken`) are skipped:
        most learned values reappear exactly where rules find them anyway.
        """
        found: list[Finding] = []
        for level in self._levels:
            self._collect(scan, level.matcher.find(scan), taken, None, found)
        return found

    def learn(self, scan: Scanned, findings: Iterable[Finding], taken: set[int]) -> list[Finding]:
        """Learn from this block's findings; returns the occurrences of the new values in
        this block after the place each was first found."""
        text = scan.text
        new: dict[str, int] = {}
        first: dict[str, int] = {}
        for finding in findings:
            if finding.priority <= LEARNED_PRIORITY:
                continue
            value = text[finding.start : finding.end]
            if value in self.values or not _worth_learning(finding.entity, value, finding.priority):
                continue
            entity = finding.entity
            for form in self.forms(entity, value):
                if form in self.values or "\n" in form:
                    continue
                if len(self.values) >= self.limit:
                    self.full = True
                    break
                self.values[form] = entity
                new[form] = finding.end if form == value else finding.start
                first[form] = finding.start
                if _reaches_back(form):
                    self.reaching.append(form)
                else:
                    # A short number counts from the start of its line: a record (a CDR
                    # row) names the extension in its src column before its channel.
                    new[form] = text.rfind("\n", 0, finding.start) + 1
        if not new:
            return []
        matcher = self._build(new)
        found: list[Finding] = []
        self._collect(scan, matcher.find(scan), taken, new, found)
        self._levels.append(_Level(list(new), self.use_hyperscan, matcher))
        # Short numbers do not reach back (see _reaches_back). (The matcher finds them
        # still; lookback skips what `first` does not name.)
        first = {value: at for value, at in first.items() if _reaches_back(value)}
        if first:
            self._recent.append(NewValues(first, matcher))
        self._merge_levels()
        return found

    def _merge_levels(self) -> None:
        """Aho-Corasick builds cheaply but every automaton is one more pass over each
        block: keep one. Hyperscan scans cheaply (well under a millisecond per level and
        block) but compiles slowly (~20 µs per value): merge the newest levels only when
        _TIER of them share a size tier (sizes within a factor of _TIER), or when there
        are too many to scan. Each value is then compiled about log_TIER(n) times, half
        as often as with pairwise merging."""
        levels = self._levels
        while len(levels) > 1:
            if not self.use_hyperscan or len(levels) > _MAX_LEVELS:
                count = 2
            else:
                tier = _tier(len(levels[-1].values))
                count = 0
                for level in reversed(levels):
                    if _tier(len(level.values)) > tier:
                        break
                    count += 1
                if count < _TIER:
                    return
            merged = [value for level in levels[-count:] for value in level.values]
            del levels[-count:]
            levels.append(_Level(merged, self.use_hyperscan))  # built when first scanned

    def take_new(self) -> list[NewValues]:
        """The values learned since the last call (for lookback), and forget them there."""
        recent, self._recent = self._recent, []
        return recent

    def occurrences(self, matcher: Literals, scan: Scanned) -> list[Finding]:
        """Every whole-token occurrence in `scan` of the learned values `matcher` finds
        (a NewValues' matcher, or one from `matcher_for`)."""
        found: list[Finding] = []
        self._collect(scan, matcher.find(scan), set(), None, found)
        return found

    def _collect(
        self,
        scan: Scanned,
        hits: Iterable[tuple[int, str]],
        taken: set[int],
        not_before: dict[str, int] | None,
        found: list[Finding],
    ) -> None:
        text = scan.text
        fragments = self.fragments
        for end, value in hits:
            start = end - len(value)
            if start in taken or (not_before is not None and start < not_before[value]):
                continue
            if fragments and value in fragments:
                start, end = _widen(text, start, end, *fragments[value])
            elif not _whole_token(text, start, end, value):
                continue
            entity = self.values[value]
            rule_ids = _KNOWN_IDS if value in self.known else _RULE_IDS
            found.append(Finding(start, end, entity, rule_ids[entity], LEARNED_PRIORITY))

    def matcher_for(self, values: Collection[str], text_bytes: int) -> Literals:
        """A matcher for some of the learned values, to scan about `text_bytes` of text
        once (see reachback.py): the store's own matchers, their hits kept for `values`
        only, when they are compiled already or the text is long; else an Aho-Corasick
        automaton of `values` (it builds in microseconds and scans ~25 ms a MB, where
        compiling costs ~25 µs a value). Both report the same hits."""
        levels = list(self._levels)
        compiled = all(level.compiled for level in levels)
        if not self.use_hyperscan or compiled or text_bytes * _AC_SCAN_COST >= len(values) * _COMPILE_COST:
            return _Subset(levels, frozenset(values))
        return build_literals(values, caseless=False, use_hyperscan=False)

    def _build(self, values: Iterable[str]) -> Literals:
        return build_literals(values, caseless=False, use_hyperscan=self.use_hyperscan)


class _Level:
    """Values learned together and the matcher that finds them, compiled when first used
    (levels are merged as the store grows: one merged before use is never compiled)."""

    def __init__(self, values: list[str], use_hyperscan: bool, matcher: Literals | None = None) -> None:
        self.values = values
        self.use_hyperscan = use_hyperscan
        self._matcher = matcher

    @property
    def compiled(self) -> bool:
        return self._matcher is not None

    @property
    def matcher(self) -> Literals:
        if self._matcher is None:
            self._matcher = build_literals(self.values, caseless=False, use_hyperscan=self.use_hyperscan)
        return self._matcher


class _Subset:
    """The hits of some levels' matchers that are of `values`."""

    def __init__(self, levels: list[_Level], values: frozenset[str]) -> None:
        self.levels = levels
        self.values = values

    def find(self, scan: Scanned) -> list[Hit]:
        values = self.values
        hits = [hit for level in self.levels for hit in level.matcher.find(scan) if hit[1] in values]
        hits.sort(key=_hit_key)
        return hits


def _hit_key(hit: Hit) -> tuple[int, int]:
    return (hit[0], -len(hit[1]))  # in end order, the longest first at one end


def _tier(size: int) -> int:
    """floor(log_TIER(size)), the size class of a level."""
    tier = 0
    while size >= _TIER:
        size //= _TIER
        tier += 1
    return tier


def _widen(text: str, start: int, end: int, message: str, at: int) -> tuple[int, int]:
    """The span around a message fragment found at [start, end) widened to everything it
    shares with `message` (the fragment sits at `at` in it). Matching lengths are found by
    bisection over slice comparisons (a fragment's hits come by the dozen per echo of a
    long message: a character loop in Python cost a sixth of a realistic run)."""
    before = _shared_length(lambda k: text[start - k : start] == message[at - k : at], min(start, at))
    j = at + (end - start)
    after = _shared_length(
        lambda k: text[end : end + k] == message[j : j + k], min(len(text) - end, len(message) - j)
    )
    return start - before, end + after


def _shared_length(shares: Callable[[int], bool], most: int) -> int:
    """The largest k <= most for which shares(k) holds (shares(0) holds, and shares(k)
    implies shares(k - 1))."""
    if shares(most):
        return most  # the usual case: the whole message is there
    low, high = 0, most  # shares(low), not shares(high)
    while high - low > 1:
        middle = (low + high) // 2
        if shares(middle):
            low = middle
        else:
            high = middle
    return low


# A login or a secret sent in base64 (SMTP AUTH LOGIN's answers, AUTH PLAIN, a Basic
# header) is often echoed in the clear too: a server's `Authentication successful (jroe :
# hunter2)`, a debug line of the decoded pair.
_DECODED_ENTITIES = frozenset({Entity.CREDENTIAL, Entity.USERNAME, Entity.TOKEN})
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4}){1,64}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_MIN_CLEAR = 4


def _base64_clear_forms(value: str) -> list[str]:
    """The parts in the clear of a base64 value that decodes to printable text (AUTH
    PLAIN's `\\0user\\0password` gives both), each of four characters or more."""
    if len(value) < 8 or _BASE64.fullmatch(value) is None:
        return []
    try:
        clear = base64.b64decode(value, validate=True).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return []
    parts = clear.split("\0")
    if not all(part.isprintable() for part in parts):
        return []
    if len(parts) == 1 and ":" in clear:
        parts.extend(clear.split(":", 1))  # a Basic pair, `user:password`
    # (A word or a generic account in the clear, `password`, `admin`, would be masked
    # wherever the log says it.)
    return [
        part
        for part in parts
        if len(part) >= _MIN_CLEAR
        and part != value
        and not part.isspace()
        and not is_common_word(part)
        and not is_system_account(part)
    ]


def _whole_token(text: str, start: int, end: int, value: str) -> bool:
    """Not inside a longer word. Values with digits may touch `_` (`recording_9879576875.wav`);
    words may not (`res_rtp_asterisk.c` is an identifier, not the user `asterisk`)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if glued(before, value[:1]) or glued(after, value[-1:]):
        return False
    if value.isalpha() and (before == "." or (after == "." and text[end + 1 : end + 2].isalpha())):
        # A label of a host name (`conference.facebook.com` after the nick `facebook`):
        # the provider's, which stays.
        return False
    return not (value.isalpha() and "_" in (before, after))
