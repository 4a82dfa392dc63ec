"""Key-based detection for structured text: key=value, `key: value`, JSON (also escaped
JSON inside JSON strings), XML elements and attributes, INI/YAML, URL query strings,
and bracketed log fields (`Username[alice]`).

All key rules of a run are merged into one set of Aho-Corasick words, searched in the
block's shared pass over its ASCII-lowercased text (the cost does not grow with the number
of keys); whether a hit is a whole key, a dotted path's last part (`account.1.password`)
or an allowed suffix (`sip_password`, `sipPassword`) is decided in Python on the few hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

import ahocorasick

from ..model import Entity, Finding
from ..rulepack import Rule
from .base import PHONE_MIN_DIGITS, RuleChecks, ScanText
from .names import number_parts, person_parts
from .prose import is_common_word
from .validators import start_tag_open

# Quoted values: plain JSON/INI quotes, and JSON escaped inside another JSON string (\").
_DOUBLE = re.compile(r'"((?:[^"\\\r\n]|\\.){0,4096})"')
_SINGLE = re.compile(r"'((?:[^'\\\r\n]|\\.){0,4096})'")
_BACKTICKED = re.compile(r"`([^`\r\n]{1,4096})`")
_ESCAPED = re.compile(r'\\+"((?:(?!\\+")[^\r\n]){0,4096})\\+"')
_UNQUOTED = {
    "token": re.compile(r"[^\s,;&<>\"'|)\]}]{1,4096}"),
    # A name or label: words up to a delimiter or the next `key=`.
    "phrase": re.compile(r"[^\s,;&<>\"|{}\[\]=()]{1,80}(?:[ \t]+[^\s,;&<>\"|{}\[\]=:()]{1,80}(?![=:\w]))*"),
    "line": re.compile(r"[^\r\n]{1,4096}"),
    # A phone number with its separators; the token form is tried when it does not validate.
    "phone": re.compile(r"(?:\+|%2[Bb]|\()?[0-9][0-9()]*(?:[ .\-/]\(?[0-9][0-9()]*){0,8}"),
}
# `credentials: user=alice`: a value that is itself `key=value` belongs to the inner key.
_NESTED_KEY = re.compile(r"[A-Za-z_][\w.-]{0,63}=(?:[^=]|$)")  # matched against the unquoted value
_NOT_IN_BRACKETS = frozenset("\"'{}[]<>,\r\n")
_NOT_IN_ANGLES = _NOT_IN_BRACKETS | {" ", "\t"}
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
# `key=value`, `key: value`, `"key": value`, `Key[value]`, and a key followed by blanks and
# a quoted or angle-bracketed value (`password "s3cret"`, `user <alice>`, as Asterisk and
# coturn write them).
# After a key: its closing quote (or the `]` of PHP's print_r `[name] => value`), then the
# separator.
_SEPARATOR = re.compile(
    r"(?P<kq>\\{0,3}[\"'\]}>]|\*\*|\">>)?[ \t]*(?P<sep>=>|[:=\[(])(?:\*\*)?[ \t]*|[ \t]+(?=[\"'<])"
)
# The labels replacements write (`<USERNAME>`): never an element's tag.
_LABELS = frozenset(entity.value for entity in Entity)
# Words that declare a variable in code pasted into a log or a ticket (JavaScript, Kotlin,
# Perl, Lua): what follows `let note =` is code.
_DECLARATIONS = frozenset({"let", "const", "var", "val", "my", "local"})
_ATTRIBUTE_FORM = re.compile(
    r"(?:name|key|id)=[\"'](?P<key>[\w.:-]{1,64})[\"'][^<>\r\n]*?"
    r"(?:\bvalue=[\"'](?P<value>[^\"'\r\n]{1,4096})[\"']|>(?P<value2>[^<\r\n]{1,4096})<)"
)
# A user value that is `name:password` (not a URI, an address with a port, or a time).
_USER_PASSWORD = re.compile(
    r"(?!(?:sips?|tel|https?|urn|mailto|udp|tcp|tls|wss?):)(?![\d.]+:\d+$)"
    r"(?P<user>[^\s:@/][^\s:@/]{0,127}):(?P<password>[^\s:@/]{1,256})",
    re.IGNORECASE,
)
# `{"name": "requesttoken", "value": "..."}` and what follows a pair's name.
_NAME_VALUE = re.compile(
    r'"name"[ \t]*:[ \t]*"(?P<key>[\w.:-]{1,64})"[ \t]*,\s{0,64}"value"[ \t]*:[ \t]*'
    r'"(?P<value>(?:[^"\\\r\n]|\\.){1,4096})"'
)
_PAIR_VALUE = re.compile(r'[ \t]*,\s{0,64}"value"[ \t]*:')
# `{<<"key">>,<<"value">>}` and `{key,<<"value">>}`: a pair of an Erlang property list.
_ERLANG_PAIR = re.compile(
    r'\{(?:<<"(?P<key>[\w.:-]{1,64})">>|(?P<atom>[a-z][a-z0-9_]{0,63})),[ \t]*'
    r'<<"(?P<value>(?:[^"\\\r\n]|\\.){1,4096})">>\}'
)
_PSQL_ROW = re.compile(
    r"(?m)^[ \t]*(?P<key>[A-Za-z_][\w.]{0,63})[ \t]{2,}\|[ \t](?P<value>[^|\r\n]{1,4096})$"
)
_KEY, _ATTRIBUTE = 0, 1


_BRACKETS = re.compile(r"[{}\[\]]")
# JSON, or Python's repr of a dict (`{'chat': {'id': -100144}}`, as bots log updates).
_PARENT_KEY = re.compile(r"""["']([\w.-]{1,64})["'][ \t]*:[ \t]*$""")
_PARENT_REACH = 4096


def _parent_key(lower: str, key_start: int) -> str | None:
    """The key holding the JSON object (or Python dict) a quoted key at key_start stands in (`from` for
    the `id` of `"from": {"id": 1}`), or None. Brackets inside strings are not told
    apart: a wrong parent only withholds a finding from a `within` rule."""
    opening = lower.rfind("{", max(0, key_start - _PARENT_REACH), key_start)
    if opening < 0:
        return None
    between = lower[opening + 1 : key_start]
    if "}" not in between and "[" not in between and "]" not in between:
        return _key_of_object(lower, opening)  # the usual case: no other bracket since `{`
    enclosing = _enclosing_bracket(lower, key_start)
    if enclosing is None or lower[enclosing] == "[":
        return None  # an array's item, not an object's field
    return _key_of_object(lower, enclosing)


# What closes a key's index or kind and separates it from its value (`(02): `, `[1] = `).
_QUALIFIED = re.compile(r"[0-9A-Za-z_.-]{1,12}[)\]][ \t]*[:=][ \t]*(?=\S)")
_CSEQ_METHOD = re.compile(r"\bcseq:[ \t]*[0-9]{1,10}[ \t]+$")
_PAM_MODULE = re.compile(r"\bpam_[a-z0-9_]{1,24}\($")
# A process id in a syslog tag (`login[692]:`, `sshd[1201]:`), not an index (`IMEI[1]`).
_PROCESS_ID = re.compile(r"[0-9]{3,7}\]:[ \t]")
# The next field of a form-encoded value (`&From=`), not an ampersand in a title (`P&P`).
_FORM_FIELD = re.compile(r"[A-Za-z_][\w.\[\]-]{0,63}=")
_TAG_NAME = re.compile(r"<([a-z][\w:.-]{0,63})[ \t\r\n]")


def _open_tag(lower: str, attribute_start: int) -> str | None:
    """The name of the XML element whose start tag holds an attribute at attribute_start
    (`contact` for `number` in `<contact name="Ann" number="5901"/>`), or None."""
    opening = start_tag_open(lower, attribute_start)
    tag = _TAG_NAME.match(lower, opening) if opening is not None else None
    return tag.group(1) if tag is not None else None


def _key_of_object(lower: str, opening: int) -> str | None:
    """The key written before the `{` at `opening` (`"from": {`), or for an item of an
    array the array's key (`"devices": [{"id": ...}, {...}]`), or None."""
    parent = _PARENT_KEY.search(lower, max(0, opening - 80), opening)
    if parent is not None:
        return parent.group(1)
    if not lower[max(0, opening - 80) : opening].rstrip().endswith(("[", ",")):
        return None
    array = _enclosing_bracket(lower, opening)  # back over the items before this one
    if array is None or lower[array] == "{":
        return None  # the `{` holds this one directly: not an array's item
    parent = _PARENT_KEY.search(lower, max(0, array - 80), array)
    return parent.group(1) if parent else None


def _enclosing_bracket(lower: str, end: int) -> int | None:
    """Where the innermost `{` or `[` still open at `end` stands (within _PARENT_REACH)."""
    depth = 0
    for bracket in reversed([m.start() for m in _BRACKETS.finditer(lower, max(0, end - _PARENT_REACH), end)]):
        if lower[bracket] in "}]":
            depth += 1
        elif depth:
            depth -= 1
        else:
            return bracket
    return None


# What a `<word> Name:` label names when the word is one of these: a thing, not a person.
_THINGS = frozenset(
    """
    trunk queue provider device host server file context codec group company organization
    org domain realm zone campaign route gateway endpoint channel app application service
    product model brand network ssid interface carrier operator team department room
    location site building floor branch project bucket table database db key cert
    certificate event field column param parameter variable object class module package
    plugin dialplan ivr ringgroup conference bridge sound music moh template job task
    process thread container image node cluster region instance pool policy rule plan tier
    transport feature button softkey menu folder path directory attribute setting option
    header tag label stream media track system runtime platform browser os vm vendor machine
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def _names_a_thing(lower: str, key_start: int, key_end: int) -> bool:
    """Whether the `name` key at key_start follows a word naming a kind of thing
    (`Trunk Name`, `queue name=`): the value names that thing."""
    if lower[key_start:key_end] != "name" or key_start < 2 or lower[key_start - 1] not in " _-":
        return False
    word = key_start - 1
    while word > 0 and lower[word - 1].isalpha():
        word -= 1
    return lower[word : key_start - 1] in _THINGS


_TAG = re.compile(r"<(?P<close>/?)(?P<tag>[A-Za-z_][\w.:-]{0,63})(?:[ \t][^<>]*?)?(?P<empty>/?)>")
_ELEMENT_REACH = 1024


def _names_no_person(key: str, parent: str | None) -> bool:
    """Whether the element `key` (lower case) inside the element `parent` holds no field
    of a person, whatever its key's rule says:
    - the `<name>` or `<label>` of a kind of thing (`<pbgroup>`, `<queue>`, `<trunk>`):
      `<pbgroup><id>1</id><name>Blacklist</name>` names the group;
    - the `<Title>` and `<Prompt>` of an IP phone's XML screen object
      (`<CiscoIPPhoneDirectory>`, `<EltexIPPhoneDirectory>`): the screen's captions;
    - an HTML page's `<title>` (a saved chat log's)."""
    if parent is None:
        return False
    if key in ("name", "label"):
        return parent in _THINGS or parent.endswith(("group", "groups"))
    if key in ("title", "prompt"):
        return "ipphone" in parent or (key == "title" and parent == "head")
    return False


# Element keys whose meaning depends on the element around them (see _names_no_person).
_PARENT_TOLD = frozenset({"name", "label", "title", "prompt"})


# HTML elements that never close (`<meta ...>` in a page's head).
_HTML_VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "base", "col", "embed", "source", "wbr"})


def _in_meta_tag(lower: str, pos: int) -> bool:
    """Whether pos is inside an HTML `<meta ...>` tag: its attributes describe the page."""
    tag = lower.rfind("<", max(0, pos - 256), pos)
    return tag >= 0 and lower.startswith("<meta", tag) and lower.find(">", tag, pos) < 0


def _open_element(text: str, pos: int) -> str | None:
    """The name (lower case, without a namespace) of the XML element open around pos."""
    open_tags: list[str] = []
    for tag in _TAG.finditer(text, max(0, pos - _ELEMENT_REACH), pos):
        name = tag.group("tag").lower()
        if tag.group("empty") or name in _HTML_VOID:
            continue
        if not tag.group("close"):
            open_tags.append(name)
        elif name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
    return open_tags[-1].rsplit(":", 1)[-1] if open_tags else None


def _label_start(text: str, key_start: int) -> int:
    """Where a column label ending in the key at key_start begins: earlier words joined to
    it by single blanks, back to the line's indentation."""
    start = key_start
    while start >= 2 and text[start - 1] == " " and text[start - 2] not in " \t\r\n":
        word = start - 1
        while word > 0 and (text[word - 1].isalnum() or text[word - 1] in "_-/"):
            word -= 1
        if word == start - 1:
            break
        start = word
    return start


_ITEM = r"""(?:"[^"\r\n]{0,256}"|'[^'\r\n]{0,256}')"""
_LIST = re.compile(rf"\[[ \t]*(?P<items>{_ITEM}(?:[ \t]*,[ \t]*{_ITEM}){{0,63}})[ \t]*\]")
_QUOTED_ITEM = re.compile(r""""([^"\r\n]*)"|'([^'\r\n]*)'""")


def _list_items(text: str, pos: int) -> list[tuple[int, int]] | None:
    """The spans of the items of a flat list of quoted strings at pos (`['185', '214']`,
    `["+14155550123", "+14155550124"]`), or None when no such list starts there."""
    match = _LIST.match(text, pos)
    if match is None:
        return None
    spans = []
    for item in _QUOTED_ITEM.finditer(text, match.start("items"), match.end("items")):
        group = 1 if item.start(1) >= 0 else 2
        if item.end(group) > item.start(group):
            spans.append(item.span(group))
    return spans


def _next_line_text(text: str, pos: int) -> int:
    """Where the text of the line after `pos` starts (its indentation skipped)."""
    start = text.find("\n", pos) + 1
    if start == 0:
        return len(text)
    while start < len(text) and text[start] in " \t":
        start += 1
    return start


def _bytes_prefix(text: str, pos: int) -> bool:
    """Whether a Python bytes literal (`b'...'`, `b"..."`) starts at pos."""
    return text[pos : pos + 1] in ("b", "B") and text[pos + 1 : pos + 2] in ("'", '"')


_RULE_CACHE_LIMIT = 8192


# Two blanks: a key padded to a column (`Cell ID                 : 2CDA`).
# Markdown's bold labels too (`- **Password**: x`, `**Username:** x`), in notes and tickets.
_FOLLOWS = (
    *('"', "'", "\\", "=", ":", "[", " =", " :", "  ", "\t=", "\t:", "] =", "]=", "(", "}("),
    *("**:", ":**"),
    "> =",  # Kannel's configuration dump: `DEBUG:     <password> = <foobar>`
)
_BLANK_FOLLOWS = (' "', " '", " <")


# Namespaces that prefix a field's own name: Asterisk's AGI environment (`agi_callerid`),
# FreeSWITCH's channel variables (`variable_sip_from_user`), custom SIP and HTTP headers
# (`X-Account-Sid`).
# (`param-`: Telepathy's account parameters, `param-account=`, `param-first-name=`)
_NAMESPACES = ("agi_", "variable_", "var_", "x-", "x_", "param-", "param_")
# A numbered object a field belongs to, written before it (`line1_name`, `proxy1_address`
# of Cisco SIP phone configs, `sip2-user`): the field is judged by its own name.
_NUMBERED_OBJECT = re.compile(r"[a-z]{2,12}\d{1,2}[_-](?=[a-z]{2})")
# A numbered field (`phone1`, `email_2`, `address-3`) is its field.
_INDEX = re.compile(r"(?<=[a-z])[_-]?\d{1,2}$")
_INDEX_FOLLOWS = ('"', "=", ":")
_HANDLE_SIGIL = re.compile(r"@[\w.-]{2,64}")
# A field in one language of several (`caller_zh_name`, `name_en`, `display-name-ru`) is
# that field. (Not `id`, `no`: `user_id` is no `user` in Indonesian.)
_LANGUAGE = re.compile(
    r"[_-](?:zh|cn|tw|hk|en|ru|uk|de|fr|es|pt|it|nl|pl|tr|ja|jp|ko|kr|ar|he|fa|hi|th|vi)(?=[_-]|$)"
)


def _squash(key: str) -> str:
    """A lowered key run together: `display_name`, `display-name`, `Display Name` and
    `displayName` are one key."""
    return key.replace("_", "").replace("-", "").replace(" ", "")


def _spellings(key: str) -> set[str]:
    """A key as rule files write it (`account_sid`) and as fields spell it: with dashes
    (`account-sid`) or run together (`accountsid`, camelCase lowered)."""
    if "_" not in key:
        return {key}
    return {key, key.replace("_", "-"), key.replace("_", "")}


def _key_words(keys: Iterable[str]) -> dict[str, tuple[int, int, int]]:
    """Every key (in each spelling) followed by what may follow a key (quote, blank,
    separator), numbered keys (`phone1":`), and the attribute forms `name="`: a hit is
    then nearly always a real candidate, so Python looks at few positions. Searched in
    the ASCII-lowered text."""
    words: dict[str, tuple[int, int, int]] = {}
    for key in sorted({spelling for written in keys for spelling in _spellings(written)}):
        # `key "value"` / `key <value>` (no separator) only for keys of four letters or more:
        # `to <sip:...>` and `cn "..."` are prose and header syntax far more often than fields.
        follows = _FOLLOWS + _BLANK_FOLLOWS if len(key) >= 4 else _FOLLOWS
        for follow in follows:
            words[key + follow] = (_KEY, len(key), len(key) + len(follow))
        if len(key) >= 4 and key[-1].isalpha() and not key.endswith("s"):
            # The plural holding a list (`'extensions': ['185', '214']`): the key's length
            # stops before the `s` (see `find`).
            for follow in ('"', "'", ":", "="):
                words.setdefault(key + "s" + follow, (_KEY, len(key), len(key) + 1 + len(follow)))
        if len(key) >= 4 and key[-1].isalpha():
            for index in ("1", "2", "_1"):
                for follow in _INDEX_FOLLOWS:
                    words[key + index + follow] = (
                        _KEY,
                        len(key) + len(index),
                        len(key) + len(index) + len(follow),
                    )
    # A label people read, the parts apart (`Requester ID: 1254...`, `Account SID = AC...`):
    # with a colon or an equals sign only, as prose runs such words together too.
    for key in sorted({written.replace("_", " ") for written in keys if "_" in written}):
        for follow in (":", " :", "="):
            words.setdefault(key + follow, (_KEY, len(key), len(key) + len(follow)))
    for attribute in ("name", "key", "id"):
        for quote in ('"', "'"):
            word = f"{attribute}={quote}"
            words[word] = (_ATTRIBUTE, len(word), len(word))
    return words


def _automaton(words: dict[str, tuple[int, int, int]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
    for word, payload in words.items():
        automaton.add_word(word, payload)
    automaton.make_automaton()
    return automaton


# A login shown where a name goes: one word that is no name's shape, with a digit, a dot,
# an underscore or a Discord tag's `#` in it, or all in lower case (`user101`, `b.b.hood`,
# `BAPITAL#9389`, `terribleberry`); common words are left to the name rules.
_HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._#-]{2,63}")
_HANDLE_MARK = re.compile(r"[0-9._#]")


def _is_handle_for(checks: RuleChecks, text: str, start: int, end: int) -> bool:
    """A handle in a name field that the rule's checks other than a name's shape accept."""
    return _is_handle(text[start:end]) and checks.accepts_handle(text, start, end)


def _is_handle(value: str) -> bool:
    return (
        _HANDLE.fullmatch(value) is not None
        and (_HANDLE_MARK.search(value) is not None or value.islower())
        and not is_common_word(value)
    )


def _other_kind(first: RuleChecks, then: RuleChecks) -> bool:
    """Whether a second rule for a key finds another kind of value than the first (a street
    after `address`, where the first finds a number), so it is tried when the first finds
    nothing. A rule of the same entity (a compound key's variant) is no second reading."""
    return then.rule.entity not in (first.rule.entity, first.rule.numeric_entity)


class KeyValueDetector:
    def __init__(self, rules: Sequence[Rule], timeout: float) -> None:
        self.exact: dict[str, RuleChecks] = {}
        self.suffix: dict[str, RuleChecks] = {}
        # Keys that count only inside an object held by certain keys (Rule.within): JSON
        # only, so kept apart from the tables other readers (CSV headers, XML) consult.
        # Several rules may share a nested key (`id` of a person, `id` of a device): the
        # parent's key tells which, in rule order.
        self.nested: dict[str, list[RuleChecks]] = {}
        for rule in rules:
            checks = RuleChecks(rule)
            for key in rule.keys:
                if rule.within:
                    self.nested.setdefault(key, []).append(checks)
                else:
                    table = self.suffix if rule.key_match == "suffix" else self.exact
                    existing = table.get(key)
                    if existing is None:
                        table[key] = checks
                    elif _other_kind(existing, checks):
                        table[key] = existing.with_fallback(checks)  # the earlier rule first
        for key in self.exact.keys() & self.suffix.keys():
            if _other_kind(self.exact[key], self.suffix[key]):
                self.exact[key] = self.exact[key].with_fallback(self.suffix[key])
        # Every key run together (`caller_number` as `callernumber`): fields spell keys
        # with dashes, underscores or camelCase alike.
        self.squashed: dict[str, RuleChecks] = {}
        for table in (self.exact, self.suffix):
            for key, checks in table.items():
                self.squashed.setdefault(_squash(key), checks)
        # A dotted key (`linekey.value`) stands numbered in a file (`linekey.3.value`): its
        # last part is a word too, and the whole key is judged from there (`_judge_key`).
        tails = {key.rsplit(".", 1)[1] for key in self.exact if "." in key}
        self.words = _key_words(sorted({*self.exact, *self.suffix, *tails}))  # stable order: cached databases
        # A nested key counts only quoted (JSON, Python dicts): `id=` and `id:` are no
        # candidates, and `"id"` alone is frequent enough. The word holds both quotes (`1"`
        # alone ends every quoted number); its recorded length starts after the opening one.
        for key in sorted(set(self.nested) - {*self.exact, *self.suffix}):
            for quote in ('"', "'"):
                self.words.setdefault(quote + key + quote, (_KEY, len(key), len(key) + 1))
        self._rule_cache: dict[str, RuleChecks | None] = {}
        self.element = re.compile(
            r"<(?P<key>[\w.:-]{1,64})(?:[ \t][^<>\r\n]*)?>(?P<value>[^<\r\n]{1,4096})</"
        )

    @cached_property
    def _automaton(self) -> ahocorasick.Automaton:
        """Built only when scanned without the engine's shared keyword pass (which holds our
        words); every engine scan has it, so this costs nothing at start-up."""
        return _automaton(self.words)

    def _own_hits(self, lower: str) -> Iterator[tuple[int, tuple[int, int, int]]]:
        return self._automaton.iter(lower)  # type: ignore[no-any-return]

    def rule_for(self, key: str) -> RuleChecks | None:
        """The rule for a whole key as written (`Account.1.Display_Name`, `sipPassword`).
        Logs repeat the same keys endlessly: answers are remembered (boundedly)."""
        cache = self._rule_cache
        if key in cache:
            return cache[key]
        checks = self._judge_key(key)
        if len(cache) < _RULE_CACHE_LIMIT:
            cache[key] = checks
        return checks

    def _label_rule(self, label: str) -> RuleChecks | None:
        words = label.split(" ")
        for first in range(max(1, len(words) - 1)):
            checks = self.rule_for(" ".join(words[first:]))
            if checks is not None:
                return checks
        return None

    def _judge_key(self, key: str) -> RuleChecks | None:
        if "." in key:
            # A dotted path names its field by the last two named parts (Polycom's
            # `reg.1.address` is `reg.address`, the line's SIP address), when the lexicon
            # has that pair; else by the last part.
            named = [part for part in key.lower().split(".") if part and not part.isdigit()]
            if len(named) >= 2:
                checks = self.exact.get(f"{named[-2]}.{named[-1]}")
                if checks is not None:
                    return checks
                # A flattened JSON path (`author.id`, a CSV header of exported messages):
                # the nested rule whose parent the path names.
                checks = self._nested_rule(named[-1], named[-2])
                if checks is not None:
                    return checks
        last = key.rsplit(".", 1)[-1]
        checks = self._judge_name(last)
        if checks is not None:
            return checks
        lowered = last.lower()
        for namespace in _NAMESPACES:
            if lowered.startswith(namespace) and len(lowered) > len(namespace) + 1:
                return self._judge_key(last[len(namespace) :])
        numbered = _NUMBERED_OBJECT.match(lowered)
        if numbered is not None:
            return self._judge_name(last[numbered.end() :])
        unnumbered = _INDEX.sub("", lowered)
        if unnumbered != lowered and len(unnumbered) >= 4:
            return self._judge_name(unnumbered)
        one_language = _LANGUAGE.sub("", lowered, count=1)
        if one_language != lowered and len(one_language) >= 4:
            return self._judge_name(one_language)
        return None

    def _judge_name(self, last: str) -> RuleChecks | None:
        lowered = last.lower()
        checks = self.exact.get(lowered) or self.suffix.get(lowered)
        if checks is not None:
            return checks
        checks = self.squashed.get(_squash(lowered))
        if checks is not None:
            return checks  # `X-Account-Sid`, `callerNumber`: `account_sid`, `caller_number`
        for suffix, suffix_checks in self.suffix.items():
            if lowered.endswith(suffix) and len(lowered) > len(suffix):
                cut = len(last) - len(suffix)
                # Only at a word-part boundary: sip_password, proxy-secret, sipPassword; not bypass.
                if last[cut - 1] in "_-" or (last[cut - 1].islower() and last[cut].isupper()):
                    return suffix_checks
        return None

    def find(self, scan: ScanText) -> Iterator[Finding]:
        text = scan.text
        lower = scan.lower
        last_key_end = -1
        has_meta = "<meta" in lower  # (most blocks have no HTML page: no lookback per key)
        hits = scan.index_hits.structured if scan.keyword_index.has_structured else self._own_hits(lower)
        for end_index, (kind, key_length, word_length) in hits:
            word_start = end_index + 1 - word_length
            if kind == _ATTRIBUTE:
                yield from self._attribute(text, word_start)
                continue
            key_end = word_start + key_length
            if key_end == last_key_end:
                continue  # `display_name=` also hit as `name=`; the whole key was judged already
            match = _SEPARATOR.match(lower, key_end)
            items: list[tuple[int, int]] | None = None
            if match is None:
                if not lower.startswith("s", key_end):
                    continue
                # A plural key holding a list (`'Extensions': ['185', '214']`, `"to": [...]`
                # has its own key): each item is the singular key's field; nothing else.
                plural = _SEPARATOR.match(lower, key_end + 1)
                if plural is None:
                    continue
                items = _list_items(text, plural.end())
                if items is None:
                    continue
                match = plural
            elif text.startswith("[", match.end()):
                items = _list_items(text, match.end())
            last_key_end = key_end
            key_start = word_start
            if key_start > 0 and text[key_start - 1] in "+/=":
                continue  # inside a base64 token or a path (`0000+BODY=`), not a key
            if lower.find("cseq:", max(0, key_start - 24), key_start) >= 0 and _CSEQ_METHOD.search(
                lower, max(0, key_start - 24), key_start
            ):
                continue  # a SIP request's method after its sequence number (`CSeq: 1 MESSAGE`)
            if text[key_start - 1 : key_start] == "(" and _PAM_MODULE.search(
                text, max(0, key_start - 33), key_start
            ):
                continue  # a PAM module's service and facility (`pam_unix(login:session)`)
            if lower[key_start - 1 : key_start] == " " and lower.endswith(
                ("bearer ", "basic "), max(0, key_start - 7), key_start
            ):
                continue  # the credential of an auth scheme (`Bearer abc_body=`), not a key
            if has_meta and _in_meta_tag(lower, key_start):
                continue  # `<meta http-equiv="content-type" content="text/html; ...">`
            if key_start > 0 and text[key_start - 1] in _KEY_CHARS:
                if text[key_start - 1] not in "._-" and lower[word_start:key_end] not in self.suffix:
                    continue  # inside a longer word (`hostname`) that no suffix rule takes
                while key_start > 0 and text[key_start - 1] in _KEY_CHARS:
                    # Part of a longer key: the whole key is judged (`short_message` is a key
                    # of its own, `sipPassword` ends in one, `phone_number_id` is none).
                    key_start -= 1
            if text.startswith("  ", key_end):
                # A key padded to a column may be several words (`Provider Name    : x`,
                # `Cell ID    : 2CDA`): the whole label is the key, or its last two words
                # and more (`SIP1 Display Name`), never one word of it (`Provider Name`
                # names no person).
                checks = self._label_rule(text[_label_start(text, key_start) : key_end])
            else:
                checks = self.rule_for(text[key_start:key_end])
                if (
                    checks is not None
                    and key_end - key_start == 4
                    and _names_a_thing(lower, key_start, key_end)
                ):
                    continue  # `Trunk Name: FreePBX-Trunk`, `Queue Name: sales`
            key = lower[key_start:key_end]
            if key in self.nested and match.group("kq") is None and match.group("sep") == "=":
                # An attribute of an XML element that a nested rule names as the key's parent
                # (`<contact name="Ann" number="5901"/>`: a directory entry's number).
                checks = self._nested_rule(key, _open_tag(lower, key_start)) or checks
            if checks is None:
                if key not in self.nested or match.group("kq") not in ('"', "'", '">>'):
                    continue
                checks = self._nested_rule(key, _parent_key(lower, key_start - 1))
                if checks is None:
                    continue
            if items is not None:
                for item_start, item_end in items:
                    yield from self.judge(checks, text, item_start, item_end)
                continue
            if match.group("kq") == ">" and not (
                text[key_start - 1 : key_start] == "<" and text.startswith("<", match.end())
            ):
                continue  # only Kannel's `<key> = <value>`; `<DEVICE_ID> => ok` is a label and a word
            sep = match.group("sep")
            expansion = match.group("kq") == "}"
            if expansion and not text.startswith("${", key_start - 2):
                continue
            if sep in ("(", "[") and not expansion:
                qualified = _QUALIFIED.match(text, match.end())
                if qualified is not None and sep == "[" and _PROCESS_ID.match(text, match.end()):
                    continue  # a syslog tag, `login[692]: ...`: the program and its process id
                if qualified is not None:
                    # A key with an index or a kind before its separator (`Dev MAC(02):
                    # B0D09CC7C937` of a modem's log, `IMEI[1] = ...`): the value after it.
                    mode = checks.rule.value_mode
                    after = self._value_span(text, qualified.end(), "token" if mode == "wrapped" else mode)
                    if after is not None:
                        yield from self.judge(checks, text, *after)
                    continue
            if sep == "(" and checks.rule.value_mode != "phone" and not expansion:
                # `destination_number(0612345678)` and `${default_password}(1234)` (FreeSWITCH
                # echoes a field or an expanded variable so); `name(...)` is code.
                continue
            if sep in ("[", "("):
                close = text.find("]" if sep == "[" else ")", match.end(), match.end() + 4097)
                span: tuple[int, int] | None = (match.end(), close) if close > match.end() else None
                if span is not None and (text[span[0]] in ",;|" or sep in text[span[0] : span[1]]):
                    continue  # syntax notation (`name[,email[,pager email]]`), not a value
            elif checks.rule.value_mode == "wrapped":
                # Only a value cut at the line end (the same field on one line is a pattern
                # rule's): `response=` / `<15> HT801 ... "0c9e..."`.
                if text[match.end() : match.end() + 1] not in ("\r", "\n"):
                    continue
                span = self._wrapped_value(text, key_start, match.end(), "token")
            else:
                span_mode = checks.rule.value_mode
                if (
                    span_mode == "line"
                    and match.group("kq") == '"'
                    and text[match.end() : match.end() + 1] != '"'
                ):
                    span_mode = "token"  # a JSON key's unquoted value is a scalar (`"message": null,`)
                span = self._value_span(text, match.end(), span_mode)
                if (
                    span is None
                    and span_mode != "line"
                    and text[match.end() : match.end() + 1] in ("\r", "\n")
                ):
                    span = self._wrapped_value(text, key_start, match.end(), span_mode)
                    if span is None and match.group("sep") == "=>":
                        # A pretty-printed term puts a long value on the next line, indented
                        # (Erlang / Elixir: `device_token =>` / `<<"e4a8...">>`).
                        span = self._value_span(text, _next_line_text(text, match.end()), span_mode)
            mode = checks.rule.value_mode
            if span is None:
                if mode != "phone":
                    continue
                found: list[Finding] = []  # no number: tried as a token below
            else:
                if mode == "line" and (
                    not self._structured(text, match, key_start) or "." in text[key_start:word_start]
                ):
                    continue  # prose (`incoming message: ...`) or a config path (`lcd_logo.text = ...`)
                quoted = text[span[0] - 1] in "\"'"
                if mode == "token" and not quoted and _NESTED_KEY.match(text[span[0] : span[1]]):
                    continue
                if lower[key_start:key_end] == "name" and _PAIR_VALUE.match(text, span[1] + 1):
                    continue  # `{"name": "requesttoken", "value": ...}`: a field's name (below)
                found = list(self._judge_one(checks, text, *span))
            if not found and mode == "phone":
                # A number key holding a name or a word (`sender: chase`): judged as a token.
                token = self._value_span(text, match.end(), "token")
                found = list(self._judge_one(checks, text, *token)) if token else []
            fallback = checks.fallback
            while not found and fallback is not None:
                # The next rule for this key reads its value its own way (a street after
                # `address`, not a number): here, not in `judge`, which reads one span.
                other = self._value_span(text, match.end(), fallback.rule.value_mode)
                found = list(self._judge_one(fallback, text, *other)) if other else []
                fallback = fallback.fallback
            yield from found
        if "  | " in text:
            # psql's expanded display (`\x`): `column          | value` rows, the column padded.
            for row in _PSQL_ROW.finditer(text):
                checks = self.rule_for(row.group("key"))
                if checks is not None:
                    yield from self.judge(checks, text, *row.span("value"))
        if '"value"' in text:
            # Name / value pairs (HAR headers and cookies, form fields, settings lists): the
            # value by the key its `name` gives.
            for pair in _NAME_VALUE.finditer(text):
                checks = self.rule_for(pair.group("key"))
                if checks is not None:
                    yield from self.judge(checks, text, *pair.span("value"))
        if ">>," in text:
            # Erlang property lists (ejabberd's API log: `[{<<"user">>,<<"alice">>},
            # {<<"password">>,<<"...">>}]`, `{password,<<"...">>}`): the value by its key.
            for pair in _ERLANG_PAIR.finditer(text):
                checks = self.rule_for(pair.group("key") or pair.group("atom"))
                if checks is not None:
                    yield from self.judge(checks, text, *pair.span("value"))
        if "</" in text:
            for element in self.element.finditer(text):
                if element.group("key") in _LABELS:
                    continue  # a label a replacement wrote (`<USERNAME>@host`), not an element
                key = element.group("key")
                lowered = key.lower()
                # The element around it, looked for once and only where it matters.
                parent = (
                    _open_element(text, element.start())
                    if lowered in _PARENT_TOLD or lowered in self.nested
                    else None
                )
                checks = self._element_rule(key, parent)
                if checks is None or _names_no_person(lowered, parent):
                    continue
                yield from self.judge(checks, text, *element.span("value"))

    def _element_rule(self, key: str, parent: str | None) -> RuleChecks | None:
        """The rule for the text of the XML element `key` inside `parent`: a nested rule
        when `parent` is one of the rule's parents (`<buddy><name>zralz</name>` of a Pidgin
        buddy list is an account, `<alias>` beside it the person's name), else its key's."""
        return self._nested_rule(key.lower(), parent) or self.rule_for(key)

    def _nested_rule(self, key: str, parent: str | None) -> RuleChecks | None:
        """The nested rule for the (lower-case) key inside an object, element or path
        named `parent`, in rule order; None when no rule names that parent for it."""
        candidates = self.nested.get(key)
        if candidates is None or parent is None:
            return None
        return next((c for c in candidates if parent in c.rule.within), None)

    def _attribute(self, text: str, pos: int) -> Iterator[Finding]:
        """`<entry name="passwd">value</entry>` and `<param name="password" value="..."/>`."""
        if pos > 0 and text[pos - 1].isalnum():
            return
        match = _ATTRIBUTE_FORM.match(text, pos)
        if match is None:
            return
        checks = self.rule_for(match.group("key"))
        if checks is not None:
            group = "value" if match.start("value") >= 0 else "value2"
            yield from self.judge(checks, text, *match.span(group))

    @classmethod
    def judge(cls, checks: RuleChecks, text: str, start: int, end: int) -> Iterator[Finding]:
        """The findings in one field's value text[start:end] under the key `checks` is for
        (or, when they find nothing there, under the next rule for the key)."""
        if checks.fallback is None:
            yield from cls._judge_one(checks, text, start, end)
            return
        found = list(cls._judge_one(checks, text, start, end))
        yield from found or cls.judge(checks.fallback, text, start, end)

    @staticmethod
    def _judge_one(checks: RuleChecks, text: str, start: int, end: int) -> Iterator[Finding]:
        # Trim surrounding blanks so `key = value ` replaces only `value`.
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end <= start:
            return
        rule = checks.rule
        entity = checks.entity_for(text[start:end])
        if entity is Entity.USERNAME and text[start] == "@" and _HANDLE_SIGIL.fullmatch(text, start, end):
            # `username = @ryantoo` (a chat handle with its sigil): the account is what
            # follows the `@`, and is learned so (`#general/ryantoo` names it too).
            start += 1
        if entity is Entity.USERNAME:
            pair = _USER_PASSWORD.fullmatch(text, start, end)
            if pair is not None:
                # `user=alice:s3cret` (coturn's turnserver.conf, `auth=` of SIP clients): the
                # part after the colon is the user's password.
                yield Finding(pair.start("user"), pair.end("user"), entity, rule.id, rule.priority)
                yield Finding(pair.start("password"), end, Entity.CREDENTIAL, rule.id, rule.priority)
                return
        if checks.whole_value_first and not checks.accepts(text, start, end):
            return  # a value not written as a name, under a key as common as `from` (SIP's headers)
        if entity is Entity.PERSON_NAME and not text[start:end].isdigit() and "\\u" not in text[start:end]:
            # (A name written in JSON escapes, `\\u0411\\u0435...`, is judged whole.)
            # A directory entry names places too (`Reception - Sue Collie`, `Music Room`); a
            # number in a name field (`display_name = 204`) is what the phone shows.
            parts = person_parts(text[start:end])
            if parts is not None:
                for s, e in parts:
                    if checks.accepts(text, start + s, start + e):
                        yield Finding(start + s, start + e, entity, rule.id, rule.priority)
                if parts:
                    # The person's extension beside their name (`Omid - 8204`), replaced as
                    # the same extension is where it stands alone (`<phonenumber>105<`): a
                    # short number as an account, whose pseudonym is no other extension.
                    for s, e in number_parts(text[start:end]):
                        number = Entity.PHONE_NUMBER if e - s >= PHONE_MIN_DIGITS else Entity.USERNAME
                        yield Finding(start + s, start + e, number, rule.id, rule.priority)
                elif rule.handle_entity is not None and _is_handle_for(checks, text, start, end):
                    # Not a name but a handle in a name field (a login as a caller name, a
                    # call sign as a surname): it names the person all the same.
                    yield Finding(start, end, rule.handle_entity, rule.id, rule.priority)
                return
        if checks.accepts(text, start, end):
            yield Finding(start, end, entity, rule.id, rule.priority)
        elif (
            entity is Entity.PERSON_NAME
            and rule.handle_entity is not None
            and _is_handle_for(checks, text, start, end)
        ):
            # One word that is no name's shape (`The_Beep` as a profile's display name):
            # the login the person shows.
            yield Finding(start, end, rule.handle_entity, rule.id, rule.priority)

    @staticmethod
    def _value_span(text: str, pos: int, mode: str) -> tuple[int, int] | None:
        if pos >= len(text):
            return None
        first = text[pos]
        if first == "<" and text.startswith('<<"', pos):
            # An Erlang / Elixir binary (`body => <<"Yes">>`, ejabberd, MongooseIM,
            # MongoosePush, Kazoo): the text between its quotes.
            binary = _DOUBLE.match(text, pos + 2)
            if binary is None or not text.startswith(">>", binary.end()):
                return None
            return (binary.start(1), binary.end(1))
        if first in "[<":
            # `variable_pin: [7391]` (FreeSWITCH), `username=<alice>` (coturn): a bracketed
            # value with no quotes, commas or blanks (a JSON array or an XML element is none).
            close = text.find("]" if first == "[" else ">", pos + 1, pos + 258)
            forbidden = _NOT_IN_BRACKETS if first == "[" else _NOT_IN_ANGLES
            inner = text[pos + 1 : close]
            if close > pos + 1 and forbidden.isdisjoint(inner):
                # `<TOKEN>`, `<REDACTED>`: a label this tool or another one wrote, no value.
                if first == "<" and inner.replace("_", "").isupper():
                    return None
                return (pos + 1, close)
            return None
        if first in "{\r\n":
            return None  # a nested structure, not a value; its own keys are scanned separately
        if first in "bB" and _bytes_prefix(text, pos):
            pos += 1  # Python's repr of bytes (`[content:b'Hello']`, Jasmin, Twisted): the quoted text
            first = text[pos]
        if first == "\\":
            match = _ESCAPED.match(text, pos)
            return (match.start(1), match.end(1)) if match else None
        if first == "`":
            # Markdown code (`changeme100`): the text between the backticks.
            match = _BACKTICKED.match(text, pos)
            return (match.start(1), match.end(1)) if match else None
        if first in "\"'":
            match = (_DOUBLE if first == '"' else _SINGLE).match(text, pos)
            if match:
                return (match.start(1), match.end(1))
            # An unterminated quote: fail closed and take the rest of the line.
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            while end > pos + 1 and text[end - 1] in "\r \t":
                end -= 1
            return (pos + 1, end) if end > pos + 1 else None
        match = _UNQUOTED[mode].match(text, pos)
        if match is None:
            return None
        end = match.end()
        if mode == "line":
            # A form-encoded value (Body=Hi%2C+there&From=...) has no blanks and ends at '&'.
            amp = text.find("&", pos, end)
            if amp > pos and " " not in text[pos:amp] and _FORM_FIELD.match(text, amp + 1):
                end = amp
        return (match.start(), end)

    @classmethod
    def _wrapped_value(cls, text: str, key_start: int, end: int, mode: str) -> tuple[int, int] | None:
        """The value of a field cut at the line end (`response=` / `"0c9e...", algorithm=MD5`
        on the next line), when the next line repeats this line's log prefix (syslog and
        device logs wrap long SIP headers so)."""
        line_start = text.rfind("\n", 0, key_start) + 1
        next_start = text.find("\n", end) + 1
        if next_start == 0 or next_start >= len(text):
            return None
        limit = min(key_start - line_start, len(text) - next_start, 256)
        same = 0
        while same < limit and text[line_start + same] == text[next_start + same]:
            same += 1
        while same > 0 and text[line_start + same - 1] not in " \t":
            same -= 1  # the prefix ends at a blank
        if same < 8:
            return None
        pos = next_start + same
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        return cls._value_span(text, pos, mode)

    @staticmethod
    def _structured(text: str, match: re.Match[str], key_start: int) -> bool:
        """Free-text values (message bodies) need a structural key, not prose like `incoming message: ...`."""
        quoted = _bytes_prefix(text, match.end()) or text[match.end() : match.end() + 1] in ('"', "'")
        line_start = text.rfind("\n", 0, key_start) + 1
        if text[line_start:key_start].strip() in _DECLARATIONS:
            return quoted  # code: `let note = new apn.Notification({`; a string literal is text
        if match.group("kq") or match.group("sep") not in (":", None):
            return True
        if quoted and match.group("sep") == ":":
            return True  # `short_message: "PIN 4471 thanks"`; not prose like `with prompt 'You are...'`
        return text[line_start:key_start].strip(" \t-") == ""
