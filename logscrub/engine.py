"""The engine: text -> detectors -> resolve overlaps -> operators -> text. No I/O here.

The engine sees text blocks (whole lines, never a part of one unless a line is too long
to hold, see textstream) and knows nothing of files or formats.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Protocol

import regex

from . import (
    atsms,
    chatexport,
    known,
    lineexport,
    mimebody,
    mork,
    pidginlog,
    signoff,
    sipbody,
    smtpauth,
    tablecolumns,
    telegramexport,
    telegramhtml,
    vcard,
)
from .atsms import ModemTextSms
from .barekeys import BareKeys
from .chatexport import ChatExports
from .csvcolumns import CsvColumns, MarkdownTables
from .decorations import DECORATION, Undecorated, decorated
from .detectors import hyperscan_db, linefilter
from .detectors.base import Detector, KeywordIndex, ScanText
from .detectors.keyvalue import KeyValueDetector
from .detectors.pattern import PatternDetector
from .known import KnownValues
from .learned import LearnedValues
from .lineexport import LineExports
from .mimebody import MimeBodies
from .model import Entity, Finding, Operator, Stats
from .mork import MorkFiles
from .operators import Replacer
from .operators.formats import uses_region
from .pidginlog import PidginTextLogs
from .policy import DEFAULT_OPERATORS, Policy
from .rulepack import Rule
from .signoff import SignOffs
from .sipbody import SipBodies, StanzaBodies
from .smtpauth import SmtpAuthAnswers
from .sqldump import SqlInserts
from .tablecolumns import ValueColumns
from .telegramexport import TelegramExports
from .telegramhtml import TelegramHtmlExports
from .vcard import VCards

Observer = Callable[[Entity, str, str], None]


class StreamTracker(Protocol):
    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        """What the tracker finds in the next block of its stream; `positions` are the
        keyword pass's hits (see TRACKER_TRIGGERS)."""
        ...


# Words some trackers start from, found by the shared keyword pass for them.
# The stream trackers that need nothing but to be switched on, by their rule ids, in the
# order they read a block.
_PLAIN_TRACKERS: tuple[tuple[str, Callable[[], StreamTracker]], ...] = (
    (sipbody.RULE_ID, SipBodies),
    (sipbody.STANZA_RULE_ID, StanzaBodies),
    (signoff.RULE_ID, SignOffs),
    (chatexport.RULE_ID, ChatExports),
    (pidginlog.RULE_ID, PidginTextLogs),
    (lineexport.RULE_ID, LineExports),
    (atsms.RULE_ID, ModemTextSms),
    (smtpauth.RULE_ID, SmtpAuthAnswers),
    (mork.RULE_ID, MorkFiles),
    (telegramexport.RULE_ID, TelegramExports),
    (telegramhtml.RULE_ID, TelegramHtmlExports),
    (mimebody.RULE_ID, MimeBodies),
)
# The rule ids of the stream trackers (besides the rule packs' ids), which a policy's
# disabled_rules may name.
TRACKER_RULE_IDS = frozenset(
    {*(rule_id for rule_id, _ in _PLAIN_TRACKERS), tablecolumns.RULE_ID, *vcard.RULE_IDS}
)
TRACKER_TRIGGERS = (*SignOffs.TRIGGERS, *SqlInserts.TRIGGERS, *CsvColumns.TRIGGERS, *MarkdownTables.TRIGGERS)


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the best finding where spans overlap: higher priority first, then the longer one.

    Returns the kept findings sorted by start. Most findings overlap nothing, so the
    priority ranking runs only inside clusters of overlapping spans.
    """
    ordered = sorted(findings)
    kept: list[Finding] = []
    cluster: list[Finding] = []
    cluster_end = -1
    for finding in ordered:
        if finding.start < cluster_end:
            cluster.append(finding)
            cluster_end = max(cluster_end, finding.end)
            continue
        if cluster:
            kept.extend(cluster if len(cluster) == 1 else _best_of(cluster))
        cluster = [finding]
        cluster_end = finding.end
    if cluster:
        kept.extend(cluster if len(cluster) == 1 else _best_of(cluster))
    return kept


def _best_of(cluster: list[Finding]) -> list[Finding]:
    ranked = sorted(cluster, key=lambda f: (-f.priority, f.start - f.end, f.start))
    chosen: list[Finding] = []
    for finding in ranked:
        if all(finding.end <= c.start or finding.start >= c.end for c in chosen):
            chosen.append(finding)
    chosen.sort()
    return chosen


# A numeric Call-ID or tag (`Call-ID: 926087904`, `tag=860690990`) is an identifier; the
# same digits elsewhere (a siptrace table's callid column) are not a phone number. Searched
# in the lowered text: each pattern starts with a literal, which the regex engine finds fast.
_SIP_IDENTIFIERS = (
    regex.compile(r"call-id[ \t]*:[ \t]*<?(\d{7,})(?=[@\s>]|$)"),
    # The compact form, at a line start: after a newline (a literal, found fast; `(?m)^`
    # would be tried at every position) or at the start of the text.
    regex.compile(r"\ni[ \t]*:[ \t]*(\d{7,})(?=[@\s>]|$)"),
    regex.compile(r"\Ai[ \t]*:[ \t]*(\d{7,})(?=[@\s>]|$)"),
    regex.compile(r"tag=(\d{7,})\b"),
    regex.compile(r"branch=(\d{7,})\b"),
)
_IDENTIFIER_LIMIT = 10_000


def sip_identifiers(lower: str, known: set[str] | None) -> set[str]:
    """The numeric Call-IDs and tags in `lower` (a block's ASCII-lowered text), added to
    `known` (a run's, bounded) when given."""
    ids = known if known is not None else set()
    for pattern in _SIP_IDENTIFIERS:
        for match in pattern.finditer(lower):
            if len(ids) < _IDENTIFIER_LIMIT:
                ids.add(match[1])
    return ids


# The labels replacements write (`<USERNAME>`, `<PHONE_NUMBER>`), also padded with `*` to
# a value's length (captures). Text a replacement wrote is never scrubbed again: a finding
# that takes in part of a label (`<USERNAME>@sip.example.org` read as a key and a value, a
# chat sender `<PERSON_NAME>` read as a name) is dropped.
_LABEL = regex.compile(r"<(?:" + "|".join(entity.value for entity in Entity) + r")(?:>|\*{1,64}>?)")


def _label_spans(text: str) -> list[tuple[int, int]]:
    """The labels in `text` (a literal-led search: ~0.3 ms a MB)."""
    return [m.span() for m in _LABEL.finditer(text)] if "<" in text else []


def _outside_labels(labels: list[tuple[int, int]], found: list[Finding]) -> list[Finding]:
    if not found or not labels:
        return found
    starts = [s for s, _ in labels]
    kept = []
    for f in found:
        i = bisect.bisect_right(starts, f.end - 1) - 1  # the last label starting before f ends
        if i >= 0 and labels[i][1] > f.start:
            continue
        kept.append(f)
    return kept


def _without_identifiers(findings: list[Finding], text: str, identifiers: set[str]) -> list[Finding]:
    """`findings` less the phone numbers that are numeric Call-IDs or tags."""
    phone = Entity.PHONE_NUMBER
    return [f for f in findings if f.entity is not phone or text[f.start : f.end] not in identifiers]


def fit_bytes(replacement: str, original: str) -> str:
    """`replacement` cut or padded with '*' to the UTF-8 length of `original` (a name with
    accents replaced by ASCII letters would otherwise be shorter)."""
    want = len(original.encode("utf-8", "surrogateescape"))
    data = replacement.encode("utf-8", "surrogateescape")
    if len(data) == want:
        return replacement
    cut = data[:want].decode("utf-8", "ignore")  # whole characters only
    return cut + "*" * (want - len(cut.encode("utf-8", "surrogateescape")))


@dataclasses.dataclass(frozen=True)
class _Compiled:
    """What an Engine compiles from its rules; immutable once built (shared by engines)."""

    rules: tuple[Rule, ...]  # held: the cache key is their identities
    detectors: tuple[Detector, ...]
    key_detector: KeyValueDetector | None
    line_filter: linefilter.LineFilter | None
    keyword_index: KeywordIndex


_COMPILED: dict[tuple[tuple[int, ...], float, bool], _Compiled] = {}
_COMPILED_LIMIT = 8


def _compile(rules: tuple[Rule, ...], timeout: float, use_hyperscan: bool) -> _Compiled:
    """The detectors, line filter and keyword pass for `rules`, built once per process for
    the same rule objects (rule packs are parsed once, see rulepack.parse_pack): building
    them takes a tenth of a second, and a service or a test run makes many Scrubbers."""
    key = (tuple(id(rule) for rule in rules), timeout, use_hyperscan)
    cached = _COMPILED.get(key)
    if cached is not None:
        return cached
    detectors: list[Detector] = [PatternDetector(rule, timeout) for rule in rules if not rule.is_key_rule]
    key_rules = [rule for rule in rules if rule.is_key_rule]
    if key_rules:
        detectors.append(KeyValueDetector(key_rules, timeout))
    patterns = [d for d in detectors if isinstance(d, PatternDetector)]
    structured = next((d for d in detectors if isinstance(d, KeyValueDetector)), None)
    # (with the candidate lines of headerless tables, for tablecolumns.ValueColumns)
    selected = [*(d.rule for d in patterns), tablecolumns.LINE_RULE]
    line_filter = linefilter.LineFilter(selected) if use_hyperscan else None
    # Rules the line filter covers need no context words or literals in the keyword pass.
    own = [d for d in patterns if line_filter is None or not line_filter.covers(d.rule.id)]
    keyword_index = KeywordIndex(
        (*(word for d in own if d.context_first for word in d.rule.context), *TRACKER_TRIGGERS),
        (literal for d in own for literal in d.indexed_prefilter),
        structured.words if structured is not None else None,
        use_hyperscan=use_hyperscan,
    )
    compiled = _Compiled(rules, tuple(detectors), structured, line_filter, keyword_index)
    if len(_COMPILED) >= _COMPILED_LIMIT:
        del _COMPILED[next(iter(_COMPILED))]  # the oldest
    _COMPILED[key] = compiled
    return compiled


_PHONE = Entity.PHONE_NUMBER
_PSEUDONYM = Operator.PSEUDONYM


class PhoneRecord:
    """Where a part's phone pseudonyms were written: (character offset in the block `scrub`
    returned, the value, its pseudonym) until the writer turns the offsets into bytes of
    its output (`settle`), then one JSON line each in `spill` (a file: a part may hold
    millions, memory stays bounded)."""

    def __init__(self, spill: IO[str], region: Callable[[str], str | None]) -> None:
        """`region`: the region a number's pseudonym was made with (the part's view)."""
        self.pending: list[tuple[int, str, str]] = []
        self.spill = spill
        self.region = region
        self._noted: list[tuple[int, str, str]] = []

    def note(self, piece: int, value: str, pseudonym: str) -> None:
        self._noted.append((piece, value, pseudonym))

    def place(self, pieces: list[str]) -> None:
        """The noted pieces' character offsets, now that the block is whole."""
        if not self._noted:
            return
        at = 0
        index = 0
        for piece, value, pseudonym in self._noted:
            while index < piece:
                at += len(pieces[index])
                index += 1
            self.pending.append((at, value, pseudonym))
        self._noted.clear()

    def settle(self, text: str, skip: int, offset: int) -> None:
        """`text[skip:]` is written at byte `offset` of the output: record where."""
        at, size = skip, offset
        lines = []
        for position, value, pseudonym in self.pending:
            size += len(text[at:position].encode("utf-8", "surrogateescape"))
            at = position
            lines.append(json.dumps([size, value, pseudonym, self.region(value)]) + "\n")
        self.spill.writelines(lines)
        self.pending.clear()


class Engine:
    """Compiled rules plus the run's Replacer. Safe to share across threads."""

    @property
    def phones(self) -> PhoneRecord | None:
        return getattr(self._part, "phones", None)

    @phones.setter
    def phones(self, record: PhoneRecord | None) -> None:
        self._part.phones = record

    def __init__(self, rules: Sequence[Rule], policy: Policy, hyperscan: bool | None = None) -> None:
        """`hyperscan`: select candidate lines with Hyperscan (None: when installed). The
        output is the same either way; only the speed differs."""
        self.policy = policy
        self.rules = tuple(r for r in rules if r.id not in policy.disabled_rules)
        self.rule_operator: dict[str, Operator | None] = {r.id: r.operator for r in self.rules}
        # Findings that may be kept: of a keep rule, or of an entity the policy keeps
        # (explicitly, or by default where the policy leaves it to the rule). Only these
        # are looked up before learning, and only when there are any; the rest are learned
        # unasked.
        self._keep_rules = frozenset(r for r, op in self.rule_operator.items() if op is Operator.KEEP)
        self._keep_entities = frozenset(
            e for e in Entity if policy.operators.get(e, DEFAULT_OPERATORS[e]) is Operator.KEEP
        )
        self.may_keep = bool(self._keep_rules or self._keep_entities)
        use_hyperscan = hyperscan_db.available() if hyperscan is None else hyperscan
        self.use_hyperscan = use_hyperscan
        compiled = _compile(self.rules, policy.rule_timeout, use_hyperscan)
        self.detectors = compiled.detectors
        self.key_detector = compiled.key_detector
        self.line_filter = compiled.line_filter
        self.keyword_index = compiled.keyword_index
        # National significant number -> region of the numbers the run has learned, shared
        # by the text and capture replacers (one number, one pseudonym).
        self.phone_regions: dict[str, str] = {}
        self.replacer = Replacer(policy, self.phone_regions)
        self._operators: dict[tuple[Entity, str], Operator] = {}
        # Each replacement takes exactly the UTF-8 bytes of what it replaces (captures).
        self.byte_exact = False
        # Told (entity, rule id, value) of every replacement `scrub` makes (check mode).
        self.observer: Observer | None = None
        # Asked (text, finding) before `scrub` replaces a finding; True keeps the value
        # (`fix` honours the allowlist and the inline marker as `check` does).
        self.accepted: Callable[[str, Finding], bool] | None = None
        # While a part of a run is scrubbed in a thread (parts.py): where `scrub` put each
        # phone pseudonym, which the run may render again once it knows every region.
        self._part = threading.local()
        # Values the caller knows must go (see known.py), and their spellings once made.
        self.known: KnownValues = {}
        self._known_forms: dict[str, Entity] | None = None

    def observed(self, observer: Observer) -> Engine:
        """This engine (same rules, policy and replacer) telling `observer` of each
        replacement; the original is left as it was, so it stays safe to share."""
        twin = copy.copy(self)
        twin.observer = observer
        return twin

    def for_captures(self) -> Engine:
        """This engine's compiled rules under the policy captures need: every replacement
        keeps the value's byte length (so IP/UDP lengths, Content-Length and TCP sequence
        numbers stay right), lines are windowed at 64 KiB (a packet holds at most that),
        and there is no look back (packets already written cannot change).

        With the same key, addresses, numbers, MACs and tokens get the same pseudonyms as
        in text (those keep their length anyway), so a capture and a log of one incident
        agree."""
        twin = copy.copy(self)
        twin.policy = dataclasses.replace(
            self.policy, same_length=True, lookback=0, max_line_length=1 << 16, window_overlap=1 << 12
        )
        twin.replacer = Replacer(twin.policy, self.phone_regions)
        twin._operators = {}
        twin.byte_exact = True
        return twin

    def new_learned_values(self) -> LearnedValues:
        """A learned-value store for a run, or one learning pass: empty but for the known
        values (see known.py)."""
        learned = LearnedValues(
            self.use_hyperscan, default_region=self.policy.default_region, phone_regions=self.phone_regions
        )
        if self.known:
            learned.seed(self._known_spellings())
        return learned

    def _known_spellings(self) -> dict[str, Entity]:
        if self._known_forms is None:
            region = self.policy.default_region
            for value in self.known.get(Entity.PHONE_NUMBER, ()):
                pair = known.phone_region(value, region)
                if pair is not None:
                    self.phone_regions.setdefault(*pair)
            self._known_forms = {
                form: entity
                for entity, values in self.known.items()
                for value in values
                for form in known.spellings(entity, value, region)
            }
        return self._known_forms

    def new_trackers(self) -> list[StreamTracker]:
        """Detectors that follow one stream (SIP MESSAGE bodies, CSV columns); feed them
        whole lines in order through `findings`."""
        disabled = self.policy.disabled_rules
        trackers: list[StreamTracker] = [
            make() for rule_id, make in _PLAIN_TRACKERS if rule_id not in disabled
        ]
        if not set(vcard.RULE_IDS) <= disabled:
            trackers.append(VCards(disabled))
        if self.key_detector is not None:
            trackers.append(CsvColumns(self.key_detector))
            trackers.append(MarkdownTables(self.key_detector))
            trackers.append(SqlInserts(self.key_detector))
            trackers.append(BareKeys(self.key_detector))
        if tablecolumns.RULE_ID not in disabled:
            trackers.append(ValueColumns(self.policy.default_region))
        return trackers

    def findings(
        self, text: str, learned: LearnedValues | None = None, trackers: Sequence[StreamTracker] = ()
    ) -> list[Finding]:
        """Every finding in `text` after overlap resolution, sorted by start.

        With `learned` (the state of one stream), values found before reappearing here are
        findings too, and values found here are learned for the rest of the stream. With
        `trackers` (see new_trackers), what they find in stream context is too. Decorations
        (ANSI escapes, zero-width characters) are seen through (see decorations.py).
        """
        if not decorated(text):
            return self._findings(text, learned, trackers)
        undecorated = Undecorated(text)
        found = self._findings(undecorated.clean, learned, trackers)
        return [f._replace(start=s, end=e) for f in found for s, e in [undecorated.span(f.start, f.end)]]

    def _findings(
        self, text: str, learned: LearnedValues | None, trackers: Sequence[StreamTracker]
    ) -> list[Finding]:
        scan = ScanText(text, self.keyword_index, self.line_filter)
        found: list[Finding] = []
        for detector in self.detectors:
            found.extend(detector.find(scan))
        for tracker in trackers:
            if isinstance(tracker, ValueColumns) and self.line_filter is not None:
                # Its candidate lines come from the line filter's pass (see LINE_RULE).
                found.extend(tracker.findings_in_runs(text, scan.line_runs.get(tablecolumns.RULE_ID, ())))
            else:
                found.extend(tracker.findings(text, scan.keyword_positions))
        # A label a scrub wrote (`<PERSON_NAME>`) is never a finding, nor learned: a learned
        # label would be replaced wherever it reaches, in held-back text too.
        labels = _label_spans(text)
        found = _outside_labels(labels, found)
        identifiers = sip_identifiers(scan.lower, learned.identifiers if learned is not None else None)
        if identifiers:
            found = _without_identifiers(found, text, identifiers)
        kept = resolve_overlaps(found)
        if learned is None:
            return kept
        # Values learned in earlier blocks count anywhere in this one; values learned here
        # count after the place they were first found (stream order, so where blocks are
        # cut does not matter).
        taken = {f.start for f in found}
        extra = learned.find_earlier(scan, taken)
        # What the policy keeps (a service centre's number) is not learned: it would be
        # replaced wherever else it appears.
        if self.may_keep:
            keep_rules, keep_entities = self._keep_rules, self._keep_entities
            kept_out = [
                f
                for f in kept
                if (f.rule_id not in keep_rules and f.entity not in keep_entities)
                or self.operator_for(f.entity, f.rule_id) is not Operator.KEEP
            ]
        else:
            kept_out = kept
        if self.accepted is not None:
            # Nor is what the allowlist or an inline marker accepts (`fix`): it would be
            # replaced where it was accepted, by the written text's read-back.
            accepted = self.accepted
            kept_out = [f for f in kept_out if not accepted(text, f)]
        extra.extend(learned.learn(scan, kept_out, taken))
        if extra:
            if identifiers:
                extra = _without_identifiers(extra, text, identifiers)
            kept = resolve_overlaps([*kept, *_outside_labels(labels, extra)])
        return kept

    def replace_one(self, entity: Entity, rule_id: str, value: str, stats: Stats) -> str | None:
        """The one replacement point: every replacement of a run, in text or in a binary
        field, comes here. Applies the Policy, counts into `stats`, tells the observer
        (check mode); None when the value stays (the policy keeps it, or it is already a
        replacement). Byte-exact engines (captures) keep the value's UTF-8 length."""
        replacer = self.replacer
        if replacer.is_replacement(entity, value):
            return None  # already scrubbed (by this run or an earlier one): idempotent
        operator = self._operators.get((entity, rule_id)) or self.operator_for(entity, rule_id)
        if operator is Operator.KEEP:
            return None
        if self.observer is not None:
            self.observer(entity, rule_id, value)
        replacement = replacer.replace(entity, value, operator)
        stats.by_entity[entity._value_] += 1  # `.value` is a descriptor call: this runs per replacement
        stats.by_rule[rule_id] += 1
        return fit_bytes(replacement, value) if self.byte_exact else replacement

    def replace_field(self, entity: Entity, rule_id: str, value: bytes, stats: Stats) -> bytes:
        """A binary field (a STUN user name, an RTCP SDES item, a DHCP host name) through
        replace_one, as bytes of the same length."""
        text = value.decode("utf-8", "surrogateescape")
        replaced = self.replace_one(entity, rule_id, text, stats)
        if replaced is None:
            return value
        if not self.byte_exact:  # a capture engine's replacements fit already
            replaced = fit_bytes(replaced, text)
        return replaced.encode("utf-8", "surrogateescape")

    def scrub(self, text: str, stats: Stats, findings: Sequence[Finding]) -> str:
        """Replace `findings` (from `findings()`) in `text`; outside them the text is unchanged."""
        if not findings:
            return text
        replace_one = self.replace_one
        accepted = self.accepted
        pieces: list[str] = []
        last = 0
        # (a value can only hold a decoration if its text does: one test per block)
        may_be_decorated = decorated(text)
        phones = self.phones
        for finding in findings:
            start, end, entity, rule_id, _ = finding
            if accepted is not None and accepted(text, finding):
                continue
            value = text[start:end]
            if may_be_decorated and decorated(value):
                # The value as detection saw it (one pseudonym, decorated or not), fitted to
                # the span it replaces (a capture's payload keeps its length).
                replacement = replace_one(entity, rule_id, DECORATION.sub("", value), stats)
                if replacement is not None and self.byte_exact:
                    replacement = fit_bytes(replacement, value)
            else:
                replacement = replace_one(entity, rule_id, value, stats)
            if replacement is None:
                continue
            pieces.append(text[last:start])
            if (
                phones is not None
                and entity is _PHONE
                and uses_region(value)
                and self.operator_for(entity, rule_id) is _PSEUDONYM
            ):
                phones.note(len(pieces), DECORATION.sub("", value), replacement)
            pieces.append(replacement)
            last = end
        if not pieces:
            return text
        pieces.append(text[last:])
        if phones is not None:
            phones.place(pieces)
        return "".join(pieces)

    def operator_for(self, entity: Entity, rule_id: str) -> Operator:
        """What the policy does with a finding of `entity` by rule `rule_id`."""
        key = (entity, rule_id)
        operator = self._operators.get(key)
        if operator is None:
            operator = self.policy.operator_for(entity, self.rule_operator.get(rule_id))
            self._operators[key] = operator
        return operator
