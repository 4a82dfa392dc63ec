"""CSV tables (CDR exports, contact lists): a column is known by its header.

`2026-03-04 09:12:01,42,+14155550123,4155550188,"Jane Roe",...` holds a name no pattern
can tell from any other quoted text; the header line `start,duration,src,dst,caller_name`
says what each column is. When a stream's first line is such a header (three or more plain
column names, one of them a key the key-value rules know), each following record's fields
are judged by the rule for their column, until a line no longer has the table's shape.
The state per stream is the header's column rules.

Some tables have no header but a fixed layout, told by one column's values at its place:
Asterisk's `Master.csv` (cdr_csv: account code, src, dst, ...; the disposition `ANSWERED`,
`NO ANSWER`, ... 15th), the rows of FreePBX's `cdr` table exported without a header
(calldate, clid, src, dst, ...; disposition 12th, the caller's `cnum` and `cnam` 19th and
20th) and 3CX's call log (`Call 9744,<call id>,...`; the reason `TerminatedByDst` 7th, the
numbers and extensions of both parties, the display names last). Their columns are judged
as if the header were there.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

import regex

from . import columnkinds
from .candidates import trigger_lines
from .detectors.base import RuleChecks
from .detectors.keyvalue import KeyValueDetector
from .model import Entity, Finding

# A column name: a word and what headers put after it (`Sent/Scheduled Time`, `Row #`,
# `Duration (s)`).
_NAME = regex.compile(r'[ \t]*"?(?P<name>[A-Za-z_][A-Za-z0-9_ ./#()-]{0,40}?)"?[ \t]*')
_BLANK_NAME = regex.compile(r'[ \t]*(?:"")?[ \t]*')
# A record may run over several lines inside a quoted field (RFC 4180: a message with line
# breaks in an SMS or chat export); at most this many.
_RECORD_LINES = 200
# How far a record with broken quotes is read again (each try reads it from its start: a
# table's end is tried so once, at a bounded cost).
_MENDED_LINES = 24
_LINE_TEXT = regex.compile(r"[^\r\n]+")
_DELIMITERS = (",", ";", "\t", "|")
# Applications whose destination is a service, not a person: a queue, a conference room.
_SERVICE_APPS = frozenset({"Queue", "ConfBridge", "MeetMe", "Page", "VoiceMailMain", "Directory"})
# Dialplan contexts whose extension is a service (FreePBX's queues, ring groups, IVRs,
# conferences, feature codes, parking): a call's `dst` there is no person's.
_SERVICE_CONTEXTS = regex.compile(
    r"(?i)ext-queues|ext-group|ext-meetme|ext-conferences?|conferences?|queues?|ivr(?:-\d+)?"
    r"|app-[\w-]+|park(?:edcalls|ing)?(?:-[\w-]+)?"
)
_DISPOSITIONS = regex.compile(r"ANSWERED|NO ANSWER|BUSY|FAILED|CONGESTION")
# FreeSWITCH's hangup causes (Q.850 names)
_HANGUP_CAUSES = regex.compile(r"[A-Z]+(?:_[A-Z]+)+")
# 3CX's reason-terminated column: TerminatedBySrc, TerminatedByDst, Failed_Cancelled, ...
_3CX_REASONS = regex.compile(r"TerminatedBy\w+|Failed\w*|Cancelled\w*|Redirected\w*|Completed\w*")


def _columns_at(keys: dict[int, str]) -> tuple[str, ...]:
    """A layout's column keys from {index: key} ("" for the columns that hold no party)."""
    return tuple(keys.get(index, "") for index in range(max(keys) + 1))


# Headerless call-record layouts: the column that tells the layout (its index and what it
# holds) and the key each column's values are judged by. The keys are ordinary lexicon
# keys, so a column is judged as its header would be.
_CDR_LAYOUTS: tuple[tuple[int, regex.Pattern[str], tuple[str, ...]], ...] = (
    # Asterisk cdr_csv (Master.csv): accountcode, src, dst, dcontext, clid, channel,
    # dstchannel, lastapp, ...
    (14, _DISPOSITIONS, _columns_at({1: "src", 2: "dst", 3: "dcontext", 7: "lastapp"})),
    # FreePBX / asteriskcdrdb `cdr` rows: calldate, clid, src, dst, dcontext, channel,
    # dstchannel, lastapp, lastdata, duration, billsec, disposition, amaflags, accountcode,
    # uniqueid, userfield, did, recordingfile, cnum, cnam, outbound_cnum, outbound_cnam, dst_cnam
    (
        11,
        _DISPOSITIONS,
        _columns_at(
            {
                2: "src",
                3: "dst",
                4: "dcontext",
                7: "lastapp",
                18: "cnum",
                19: "cnam",
                20: "outbound_cnum",
                21: "outbound_cnam",
                22: "dst_cnam",
            }
        ),
    ),
    # FreeSWITCH cdr_csv (its default template): caller_id_name, caller_id_number,
    # destination_number, context, start, answer, end, duration, billsec, hangup_cause,
    # uuid, bleg_uuid, accountcode, read_codec, write_codec
    (9, _HANGUP_CAUSES, _columns_at({0: "caller_name", 1: "src", 2: "dst", 12: "src"})),
    # 3CX call log: historyid, callid, duration, start, answered, end, reason-terminated,
    # from-no, to-no, from-dn, to-dn, dial-no, reason-changed, final-number, final-dn,
    # bill-code, bill-rate, bill-cost, bill-name, chain, from-type, to-type, final-type,
    # from-dispname, to-dispname, final-dispname
    (
        6,
        _3CX_REASONS,
        _columns_at(
            {7: "src", 8: "dst", 9: "src", 10: "dst", 11: "dst", 13: "dst", 14: "dst"}
            | {23: "caller_name", 24: "callee_name", 25: "callee_name"}
        ),
    ),
    # Cisco CUCM's call records (flat files of CDR Repository, 78 to 129 fields as releases
    # added them; told by the record's pkid, a UUID, 51st): the parties' numbers and login
    # users, the phones' addresses as integers (key.ip_integer), the hunt pilot.
    (
        50,
        regex.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        _columns_at(
            {7: "origIpAddr", 8: "callingPartyNumber", 9: "callingPartyUnicodeLoginUserID"}
            | {13: "origMediaTransportAddress_IP", 21: "origVideoTransportAddress_IP", 28: "destIpAddr"}
            | {29: "originalCalledPartyNumber", 30: "finalCalledPartyNumber"}
            | {31: "finalCalledPartyUnicodeLoginUserID", 35: "destMediaTransportAddress_IP"}
            | {43: "destVideoTransportAddress_IP", 49: "lastRedirectDn"}
            | {78: "outpulsedCallingPartyNumber", 79: "outpulsedCalledPartyNumber", 102: "huntPilotDN"}
            | {110: "outpulsedOriginalCalledPartyNumber", 111: "outpulsedLastRedirectingNumber"}
            | {118: "mobileCallingPartyNumber", 119: "finalMobileCalledPartyNumber", 128: "huntPilotPattern"}
        ),
    ),
)
# Columns that name a service's number (CUCM's hunt pilot: the number a call group is
# reached at): that number is kept in every column of the table.
_SERVICE_NUMBER_KEYS = frozenset({"huntpilotdn", "huntpilotpattern", "hunt_pilot_dn", "hunt_pilot_pattern"})


def _field_pattern(delimiter: str, shortest: bool) -> regex.Pattern[str]:
    """One field and its delimiter. A quote inside a quoted field that does not end it
    (`""Satya" <1101>"`, as some CDR exports write a caller ID) is content, as a doubled one
    is. `shortest`: the field closes at its first quote before a delimiter, how to read an
    exporter that wrote `"+15188781756"",iMessage,...` (a stray quote at a field's end)."""
    d = regex.escape(delimiter)
    inner = rf'(?:[^"]|"(?![ \t]*(?:{d}|\r?$)))*?' if shortest else rf'(?:[^"]|""|"(?![ \t]*(?:{d}|\r?$)))*'
    return regex.compile(
        rf'[ \t]*(?:"(?P<quoted>{inner})"|(?P<plain>[^{delimiter}"\r\n]*))[ \t]*(?:{d}|\r?$)'
    )


_FIELD = {d: _field_pattern(d, shortest=False) for d in _DELIMITERS}
# Tried only on a record the usual reading cannot split into the table's fields.
_FIELD_SHORTEST = {d: _field_pattern(d, shortest=True) for d in _DELIMITERS}


class CsvColumns:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    # The words that tell a headerless call record (ASCII-caseless, at a word start).
    TRIGGERS = ("answered", "no answer", "normal_clearing", "originator_cancel", "no_answer", "user_busy")

    def __init__(self, keys: KeyValueDetector) -> None:
        self._keys = keys
        self._first = True
        self._columns: list[RuleChecks | None] | None = None
        self._delimiter = ","
        self._service_app: tuple[int, int] | None = None  # (lastapp column, dst column)
        self._service_context: tuple[int, int] | None = None  # (dcontext column, dst column)
        self._unnamed: list[int] = []  # columns a headerless layout names no key for
        self._service_columns: list[int] = []  # see _SERVICE_NUMBER_KEYS
        self._services: set[str] = set()  # the numbers seen in them, for the whole stream
        # The next record is the first after a header line: it may have more fields than
        # the header names (a dialler's export: trailing call ids the header leaves out).
        self._after_header = False
        # The header's columns that name no key are told by their values (columnkinds.py)
        # when the first records are read; then the parties' and addresses' columns.
        self._told_by_values = False
        self._party_columns: list[int] = []
        self._street_columns: list[int] = []

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []
        pos = 0
        if self._first:
            self._first = False
            end = text.find("\n")
            end = len(text) if end < 0 else end
            # A header is skipped; a headerless table's first line is a record too.
            pos = 0 if self._read_header(text[:end].rstrip("\r")) or self._infer_layout(text) else end + 1
        if self._told_by_values and self._columns is not None:
            self._told_by_values = False
            self._tell_columns(text, pos)
        if self._columns is not None:
            pos = self._records(text, pos, found)
        # Call records pasted further down (a ticket, a mail): told by their disposition
        # or hangup-cause column wherever such a word stands.
        for start in trigger_lines(text, self.TRIGGERS, positions):
            if start < pos:
                continue
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if self._read_headerless_cdr(text[start:end].rstrip("\r")):
                pos = self._records(text, start, found)
        return found

    def _records(self, text: str, pos: int, found: list[Finding]) -> int:
        """Judge the records of the open table from pos on; returns where they ended (the
        start of the first line that is no record of it)."""
        size = len(text)
        while pos < size:
            line_end = text.find("\n", pos)
            line_end = end = size if line_end < 0 else line_end
            if text.count('"', pos, end) % 2 and not self._fits(text, pos, end):
                end = _record_end(text, pos, end)
            if not self._record(text, pos, end, found):
                end = self._mended_end(text, pos, line_end)
                if end < 0 or not self._record(text, pos, end, found, shortest=True):
                    # A line of another shape ends the table; it may start a table of its
                    # own (a call record with one more column): it is looked at again as such.
                    self._columns = None
                    return pos
            pos = end + 1
        return pos

    def _mended_end(self, text: str, start: int, end: int) -> int:
        """The end of a record whose quotes an exporter broke (`"+15188781756"",iMessage,...,
        "Hi Ann` with the text going on over the next lines: counting quotes ends the record
        at the wrong line): the first line end, within _MENDED_LINES, at which the record has
        the table's fields; -1 when there is none."""
        if '"' not in text[start:end]:
            return -1  # no quote to have been broken: another shape
        line_end = end
        for _ in range(_MENDED_LINES):
            if self._fits(text, start, line_end, shortest=True):
                return line_end
            if line_end >= len(text):
                return -1
            next_end = text.find("\n", line_end + 1)
            line_end = len(text) if next_end < 0 else next_end
        return -1

    def _fits(self, text: str, start: int, end: int, shortest: bool = False) -> bool:
        """Whether text[start:end] is one record of the open table (its number of fields):
        a line with an odd number of quotes may be whole (`"611611"",SMS,...` of a broken
        exporter)."""
        columns = self._columns
        assert columns is not None
        spans = _fields(text, start, end, self._delimiter, len(columns) + 1, shortest)
        return spans is not None and len(spans) == len(columns)

    def _read_header(self, line: str) -> bool:
        """Take the table's layout from its first line; True when that line is a record.
        A header may be commented out (`# time_start|time_answer|...` of Twinkle's call
        history)."""
        if self._read_headerless_cdr(line):
            return True
        if line.startswith("#"):
            line = line[1:]  # (the blanks after it are a name's, which _NAME allows)
        for delimiter in _DELIMITERS:
            names = line.split(delimiter)
            if len(names) < 3:
                continue
            # A column may have no name (`...,"Home street",""` of a phone suite's contact
            # export): it holds nothing a key tells.
            unnamed = [_BLANK_NAME.fullmatch(n) is not None for n in names]
            matches = [None if blank else _NAME.fullmatch(n) for n, blank in zip(names, unnamed, strict=True)]
            named = [m is not None for m in matches]
            if sum(named) < 3 or not all(n or blank for n, blank in zip(named, unnamed, strict=True)):
                return False
            keys = [_column_key(m["name"].strip(), self._keys) if m is not None else "" for m in matches]
            # (With no key known, the columns may still be told by their values.)
            self._set_columns(keys, delimiter)
            self._after_header = True
            self._told_by_values = True
            return False
        return False

    def _infer_layout(self, text: str) -> bool:
        """A headerless table told by its values: its first lines put a party (an
        international number, an address) and free text (three words or more) in the same
        columns, as an SMS export or a send list does (`"+6281122334455","+6282123456789",
        "Halo! Sudah coba promo..."`). The parties are judged as numbers, the text as
        message bodies. True when the first line is such a record."""
        lines = text.split("\n", 2)[:2]
        if len(lines) == 2 and not lines[1].strip():
            lines = lines[:1]
        for delimiter in _DELIMITERS:
            layouts = {
                _value_layout(values) for values in (_split(line.rstrip("\r"), delimiter) for line in lines)
            }
            if len(layouts) != 1:
                continue
            layout = layouts.pop()
            if layout is None or "prose" not in layout or not ({"number", "email"} & set(layout)):
                continue
            self._set_columns([_INFERRED_KEYS.get(kind, "") for kind in layout], delimiter)
            return True
        return False

    def _tell_columns(self, text: str, pos: int) -> None:
        """Tell the header's unknown columns by the values of the records from pos on (a
        sample); a table none of whose columns is known or told is no table to read."""
        columns = self._columns
        assert columns is not None
        unknown = [index for index, checks in enumerate(columns) if checks is None]
        samples: list[list[str]] = [[] for _ in unknown]
        size = len(text)
        for _ in range(_SAMPLE_RECORDS):
            if pos >= size:
                break
            end = text.find("\n", pos)
            end = size if end < 0 else end
            spans = _fields(text, pos, end, self._delimiter, len(columns) + 1)
            if spans is None or len(spans) != len(columns):
                if spans is None or pos < end:
                    break
            else:
                for sample, index in zip(samples, unknown, strict=True):
                    sample.append(text[spans[index][0] : spans[index][1]])
            pos = end + 1
        street = self._told_checks.get("street")

        def is_street(value: str) -> bool:
            return street is not None and street.accepts(value, 0, len(value))

        for index, sample in zip(unknown, samples, strict=True):
            kind = columnkinds.column_kind(sample, is_street)
            if kind == columnkinds.PARTY and "number" in self._told_checks:
                self._party_columns.append(index)
            elif kind == columnkinds.STREET:
                self._street_columns.append(index)
        if not self._party_columns and not self._street_columns and all(c is None for c in columns):
            self._columns = None

    def _read_headerless_cdr(self, line: str) -> bool:
        """A headerless call record of a known layout: its columns by their fixed keys."""
        values = _split(line, ",")
        if values is None:
            return False
        for index, tells, keys in _CDR_LAYOUTS:
            if len(values) >= max(index + 1, 12) and tells.fullmatch(values[index]):
                self._set_columns(list((keys + ("",) * len(values))[: len(values)]), ",")
                return True
        return False

    def _set_columns(self, keys: list[str], delimiter: str) -> None:
        columns = [self._keys.rule_for(key) if key else None for key in keys]
        self._party_columns, self._street_columns = [], []  # (told again for each table)
        if any(c is not None and c.rule.entity in _PERSON_ENTITIES for c in columns):
            # A table of people (a PBX's user export: `Number,FirstName,LastName,Email...`):
            # its bare `Number` column is each person's number or extension.
            own_number = self._keys.rule_for("directory_number")
            columns = [
                own_number if key.lower() in _BARE_NUMBER_KEYS else checks
                for key, checks in zip(keys, columns, strict=True)
            ]
        self._columns = columns
        self._delimiter = delimiter
        lowered = [key.lower() for key in keys]
        # A call to a queue or a conference has the service's number as its `dst`.
        both = "lastapp" in lowered and "dst" in lowered
        self._service_app = (lowered.index("lastapp"), lowered.index("dst")) if both else None
        both = "dcontext" in lowered and "dst" in lowered
        self._service_context = (lowered.index("dcontext"), lowered.index("dst")) if both else None
        self._unnamed = [index for index, key in enumerate(keys) if not key]
        self._service_columns = [index for index, key in enumerate(lowered) if key in _SERVICE_NUMBER_KEYS]

    def _record(self, text: str, start: int, end: int, found: list[Finding], shortest: bool = False) -> bool:
        """Judge one record; False when the line is not a record of this table."""
        columns = self._columns
        assert columns is not None
        first, self._after_header = self._after_header and start < end, False
        extra = _TRAILING_FIELDS if first else 0
        spans = _fields(text, start, end, self._delimiter, len(columns) + extra + 1, shortest)
        if spans is None:
            return False
        if first and len(columns) < len(spans) <= len(columns) + extra:
            # Unnamed trailing fields, in every record of the table from now on.
            self._unnamed.extend(range(len(columns), len(spans)))
            columns.extend([None] * (len(spans) - len(columns)))
        if len(spans) != len(columns):
            return start == end  # a blank line ends nothing; a different shape ends the table
        service_dst = -1
        if self._service_app is not None:
            app_start, app_end = spans[self._service_app[0]]
            if text[app_start:app_end] in _SERVICE_APPS:
                service_dst = self._service_app[1]
        if self._service_context is not None:
            context_start, context_end = spans[self._service_context[0]]
            if _SERVICE_CONTEXTS.fullmatch(text, context_start, context_end):
                service_dst = self._service_context[1]
        services = self._services
        for index in self._service_columns:
            s, e = spans[index]
            if e > s and len(services) < _SERVICES_LIMIT:
                services.add(text[s:e])
        judged: list[Finding] = []
        for index, (checks, (s, e)) in enumerate(zip(columns, spans, strict=True)):
            if checks is not None and e > s and index != service_dst and text[s:e] not in services:
                judged.extend(self._keys.judge(checks, text, s, e))  # as the key's field anywhere
        for index in self._party_columns:
            judged.extend(self._party(text, *spans[index]))
        if self._street_columns:
            rule = self._told_checks["street"].rule
            for index in self._street_columns:
                s, e = spans[index]
                if not columnkinds.empty(text[s:e]):
                    # (The column is told: each address goes, as a grid address no street
                    # word marks does.)
                    judged.append(Finding(s, e, rule.entity, rule.id, rule.priority))
        if judged and self._unnamed:
            judged.extend(_party_repeats(text, judged, [spans[i] for i in self._unnamed]))
        if "\n" in text[start:end]:
            judged = [piece for finding in judged for piece in _line_pieces(text, finding)]
        found.extend(judged)
        return True

    def _party(self, text: str, start: int, end: int) -> list[Finding]:
        """A field of a column of parties: its number as a number's key has it, the name in
        brackets after it as a name's key has it."""
        party = columnkinds.PARTY_VALUE.fullmatch(text, start, end)
        if party is None:
            return []
        found = list(self._keys.judge(self._told_checks["number"], text, *party.span("number")))
        name = self._told_checks.get("name")
        if name is not None and party.start("name") >= 0:
            found.extend(self._keys.judge(name, text, *party.span("name")))
        return found

    @cached_property
    def _told_checks(self) -> dict[str, RuleChecks]:
        """The key rules told columns are judged by (a column is told only as a kind whose
        rule the rule set has: a policy may switch one off)."""
        checks = {key: self._keys.rule_for(key) for key in ("number", "name", "street")}
        return {key: c for key, c in checks.items() if c is not None}


# Records a header's unknown columns are told by (see columnkinds.py).
_SAMPLE_RECORDS = 50

# Contact exports' numbered headers (Google: `Phone 1 - Value`, `Address 1 - Street`,
# `E-mail 2 - Type`; Outlook: `E-mail 2 Address`, `Mobile Phone`, `Home City`).
_NUMBERED_HEADER = regex.compile(
    r"(?P<field>[A-Za-z][A-Za-z -]*?)[ ]\d{1,2}(?:[ ]-[ ](?P<part>[A-Za-z ]+))?(?P<rest>[ ][A-Za-z]+)?"
)
# The parts of a numbered field that say what kind of value the row has: kept.
_KIND_PARTS = frozenset({"type", "service", "label", "protocol"})
# The fields of a contact that are a company's, not the person's: kept.
_COMPANY_FIELDS = frozenset({"organization", "organisation", "company", "website"})


def _column_key(header: str, keys: KeyValueDetector) -> str:
    """The lexicon key a CSV column's header stands for: the header itself, or what a
    contact export's numbered or two-word header names (`Phone 1 - Value` -> `Phone`,
    `Address 1 - Street` -> `Street`, `Mobile Phone` -> `Phone`); "" for the kind of a
    value (`Phone 1 - Type`) and a company's fields."""
    if keys.rule_for(header) is not None:
        return header
    numbered = _NUMBERED_HEADER.fullmatch(header)
    if numbered is not None:
        field = str(numbered["field"]).strip()
        part = str(numbered["part"] or "").strip()
        if field.lower() in _COMPANY_FIELDS or part.lower() in _KIND_PARTS:
            return ""
        if part and part.lower() != "value":
            return part if keys.rule_for(part) is not None else ""
        whole = field + str(numbered["rest"] or "")
        return whole if keys.rule_for(whole) is not None else field
    words = header.split(" ")
    if len(words) > 1 and words[0].lower() not in _COMPANY_FIELDS:
        return words[-1]
    return header


def _party_repeats(text: str, judged: list[Finding], fields: list[tuple[int, int]]) -> list[Finding]:
    """A party of a record named again in a column the layout does not know (a custom CDR
    template's trailing `cnum`, a linked id ending in the caller's extension,
    `1783051460640209-241`): the same finding there, token by token. Short extensions are
    not learned for a whole stream (learned.py); within their own record they are sure."""
    parties = {text[f.start : f.end]: f for f in judged}
    repeats: list[Finding] = []
    for start, end in fields:
        for token in _TOKEN.finditer(text, start, end):
            party = parties.get(token.group())
            if party is not None:
                repeats.append(party._replace(start=token.start(), end=token.end()))
    return repeats


_TOKEN = regex.compile(r"[\p{L}\p{N}_.+@]+")
# Fields a header's first record may have beyond the names (a dialler's trailing call ids).
_TRAILING_FIELDS = 63
_PERSON_ENTITIES = frozenset({Entity.PERSON_NAME, Entity.EMAIL_ADDRESS})
_SERVICES_LIMIT = 10_000
_BARE_NUMBER_KEYS = frozenset({"number", "num", "no", "nr", "no.", "#"})
_INTERNATIONAL = regex.compile(r"(?:\+|00)[1-9][0-9]{6,14}|(?:tel|sip):\+?[0-9]{3,15}(?:@[\w.-]+)?")
_EMAIL = regex.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_PROSE = regex.compile(r"(?:\p{L}[\p{L}\p{N}'’.,!?%:-]*[ \t]+){2,}\S.*")
# The key each kind of inferred column is judged by (see _infer_layout).
_INFERRED_KEYS = {"number": "src", "email": "email", "prose": "message"}


def _value_layout(values: list[str] | None) -> tuple[str, ...] | None:
    """What each field of a record holds, by its value: `number`, `email`, `prose` or ``;
    None for no record of three fields or more."""
    if values is None or len(values) < 3:
        return None
    kinds = []
    for value in values:
        value = value.strip()
        if _INTERNATIONAL.fullmatch(value):
            kinds.append("number")
        elif _EMAIL.fullmatch(value):
            kinds.append("email")
        elif _PROSE.fullmatch(value):
            kinds.append("prose")
        else:
            kinds.append("")
    return tuple(kinds)


def _fields(
    text: str, start: int, end: int, delimiter: str, limit: int, shortest: bool = False
) -> list[tuple[int, int]] | None:
    """The spans of the fields of the CSV line text[start:end] (quotes excluded), at most
    `limit` of them; None when it is no CSV line. A delimiter at the end opens one more,
    empty, field. `shortest`: quoted fields close at their first quote before a delimiter."""
    pattern = (_FIELD_SHORTEST if shortest else _FIELD)[delimiter]
    spans: list[tuple[int, int]] = []
    pos = start
    while len(spans) < limit:
        match = pattern.match(text, pos, end)
        if match is None:
            return None
        spans.append(match.span("quoted" if match.start("quoted") >= 0 else "plain"))
        if match.end() >= end:
            if match.end() > pos and text[end - 1 : end] == delimiter:
                spans.append((end, end))
            break
        pos = match.end()
    return spans


def _line_pieces(text: str, finding: Finding) -> list[Finding]:
    """A finding in a field that runs over lines, one per line (line ends stay: every
    output has the input's lines)."""
    pieces = []
    pos = finding.start
    for line in _LINE_TEXT.finditer(text[finding.start : finding.end]):
        pieces.append(finding._replace(start=pos + line.start(), end=pos + line.end()))
    return pieces


def _record_end(text: str, start: int, end: int) -> int:
    """The end of a record whose first line (text[start:end]) leaves a quoted field open:
    the end of the line that closes it, or `end` when none does within _RECORD_LINES (or
    before the block ends)."""
    quotes = text.count('"', start, end)
    line_end = end
    for _ in range(_RECORD_LINES):
        if line_end >= len(text):
            return end
        next_end = text.find("\n", line_end + 1)
        next_end = len(text) if next_end < 0 else next_end
        quotes += text.count('"', line_end + 1, next_end)
        line_end = next_end
        if quotes % 2 == 0:
            return line_end
    return end


def _split(line: str, delimiter: str) -> list[str] | None:
    """The fields of one CSV line (quotes removed), or None when it is no CSV line."""
    spans = _fields(line, 0, len(line), delimiter, limit=4096)
    return None if spans is None else [line[s:e] for s, e in spans]


_MD_SEPARATOR = regex.compile(r"[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*\r?")


class MarkdownTables:
    """Per-stream tracker of Markdown (and similar pipe-drawn) tables in tickets and reports:
    `| Date | Phone | Customer Name |`, a `|---|---|` line, then rows. Each cell is judged
    by the key rule its column's header names (`Phone`, `Customer Name` as `customer_name`),
    as a CSV field is by its header. A field/value table (`| Field | Value |`, a settings
    sheet) is read by rows instead: each row's first cell names the key of its second
    (`| **Password** | s3cret |`). Code quotes and emphasis around a cell are not part of
    its value."""

    # What a separator line under a header holds (found by the shared keyword pass).
    TRIGGERS = ("|--", "| --", "|:-", "| :-")

    def __init__(self, keys: KeyValueDetector) -> None:
        self._keys = keys
        self._columns: list[RuleChecks | None] | None = None  # the open table's
        # The open table is a field/value table (`| Field | Value |`): each row's first
        # cell names the key of its second, as in a settings sheet.
        self._pairs = False

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []
        pos = self._rows(text, 0, found) if self._columns is not None else 0
        for line_start in trigger_lines(text, self.TRIGGERS, positions):
            if line_start < pos:
                continue  # inside a table already read
            end = text.find("\n", line_start)
            end = len(text) if end < 0 else end
            if _MD_SEPARATOR.fullmatch(text, line_start, end) is None:
                continue
            header_end = line_start - 1
            header_start = text.rfind("\n", 0, max(0, header_end)) + 1
            if header_end <= header_start:
                continue
            names = [cell.strip() for cell in _cells(text[header_start:header_end].rstrip("\r"))]
            columns = [self._keys.rule_for(_key_of(name)) if name else None for name in names]
            self._pairs = (
                len(names) == 2
                and _key_of(names[0]) in _FIELD_HEADERS
                and _key_of(names[1]) in _VALUE_HEADERS
            )
            if any(columns) or self._pairs:
                self._columns = columns
                pos = self._rows(text, end + 1, found)
        return found

    def _rows(self, text: str, pos: int, found: list[Finding]) -> int:
        """Judge the rows of the open table from pos on; returns where they ended."""
        columns = self._columns
        assert columns is not None
        size = len(text)
        while pos < size:
            end = text.find("\n", pos)
            end = size if end < 0 else end
            line_end = end - 1 if end > pos and text[end - 1] == "\r" else end
            if "|" not in text[pos:line_end]:
                self._columns = None  # the table ended
                return end
            spans = [_inner(text, s, e) for s, e in _cell_spans(text, pos, line_end)]
            if self._pairs:
                if len(spans) >= 2:
                    key = text[spans[0][0] : spans[0][1]].strip("*_` ")
                    checks = self._keys.rule_for(_key_of(key)) if key else None
                    s, e = spans[1]
                    if checks is not None and e > s:
                        found.extend(self._keys.judge(checks, text, s, e))
                pos = end + 1
                continue
            for checks, (s, e) in zip(columns, spans, strict=False):
                if checks is not None and e > s:
                    found.extend(self._keys.judge(checks, text, s, e))
            pos = end + 1
        return pos


def _cell_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the cells of a pipe-drawn row text[start:end] (outer pipes dropped)."""
    while start < end and text[start] in " \t":
        start += 1
    if start < end and text[start] == "|":
        start += 1
    stripped = end
    while stripped > start and text[stripped - 1] in " \t":
        stripped -= 1
    if stripped > start and text[stripped - 1] == "|":
        end = stripped - 1
    spans = []
    cell = start
    while True:
        bar = text.find("|", cell, end)
        if bar < 0:
            spans.append((cell, end))
            return spans
        spans.append((cell, bar))
        cell = bar + 1


# Headers of a field/value table's two columns (`| Field | Value |`, `| Setting | Value |`).
_FIELD_HEADERS = frozenset(
    {"field", "setting", "parameter", "param", "key", "name", "option", "property", "item"}
)
_VALUE_HEADERS = frozenset({"value", "values", "setting", "your_value", "example"})


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    """A cell's span without its blanks, and without the code quotes or emphasis around a
    value (`` `sipapp` ``, `**AI Voice**`): what a key rule judges."""
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    for mark in ("**", "`", "*", "_"):
        width = len(mark)
        if end - start > 2 * width and text.startswith(mark, start) and text.startswith(mark, end - width):
            start, end = start + width, end - width
    return start, end


def _cells(line: str) -> list[str]:
    return [line[s:e] for s, e in _cell_spans(line, 0, len(line))]


def _key_of(header: str) -> str:
    """A header as a key: `Customer Name` -> `customer_name`."""
    return "_".join(header.lower().split())
