"""Which parts of a name field name people: directory entries mix people with places.

A phone's directory or a BLF key is labelled `Reception - Sue Collie`, `Kelly's Office`,
`T1 - Marie Reed`, `Music Room`, `UNASSIGNED`: the field is a name field, but only some of
it is a person. The value is cut at its separators (` - `, ` / `, `|`, brackets); a part
is a place or a role when its last word is a place or role noun (`Room`, `Office`,
`Reception`) after words that name no one (`Music Room`; not `Jane Hall`), when it is an
acronym or a code (`ICT`, `T1`), or when it has several words and none names anyone
(common English words that are no given names: `Night Shift`); a possessive (`Kelly's`)
names its owner. A value of
one part that is neither stays a name as a whole (`Jane Roe`, and `Will Smith` though
both are English words), so a plain display name is never lost.
"""

from __future__ import annotations

import itertools

import regex

from .prose import is_common_word, is_proper_noun
from .validators import start_tag_open, validator

_SEPARATORS = regex.compile(r"[ \t]+[-–—/|:][ \t]+|[()\[\]|]")
# An extension written before or after a name with a blank only (`617 Jane Roe`, `Jane
# Roe 617`, Yealink and Grandstream directories): a part of its own, as after ` - `.
_NUMBER_EDGE = regex.compile(r"^[0-9]{2,6}(?=[ \t]+\p{L})|(?<=\p{L}[ \t]+)[0-9]{2,6}$")
_POSSESSIVE = regex.compile(r"(?P<owner>\p{Lu}[\p{L}.'-]*(?:[ \t]+\p{Lu}[\p{L}.'-]*)?)['’]s\b")
_WORD = regex.compile(r"[\p{L}\p{N}&.'’-]+")
_SYMBOL = regex.compile(r"\p{So}")
# Nouns that end the label of a place, a shared line or a role, not a person.
PLACE_NOUNS = frozenset(
    [
        "room",
        "office",
        "reception",
        "lobby",
        "hall",
        "desk",
        "kitchen",
        "library",
        "lab",
        "laboratory",
        "lounge",
        "gym",
        "store",
        "shop",
        "warehouse",
        "classroom",
        "studio",
        "clinic",
        "pharmacy",
        "ward",
        "unit",
        "dept",
        "department",
        "team",
        "group",
        "queue",
        "operator",
        "voicemail",
        "fax",
        "door",
        "gate",
        "intercom",
        "paging",
        "page",
        "emergency",
        "security",
        "admin",
        "administration",
        "sales",
        "support",
        "accounts",
        "billing",
        "service",
        "services",
        "helpdesk",
        "health",
        "centre",
        "center",
        "entrance",
        "garage",
        "workshop",
        "nurse",
        "nursery",
        "staffroom",
        "boardroom",
        "conference",
        "meeting",
        "foyer",
        "canteen",
        "cafe",
        "cafeteria",
        "restaurant",
        "line",
        "lines",
        "hotline",
        "hunt",
        "pool",
        "phone",
        "phones",
        "main",
        "general",
        "info",
        "information",
        "enquiries",
        "inquiries",
        "switchboard",
        "front",
        "yard",
        "site",
        "building",
        "floor",
        "wing",
        "annex",
        "suite",
    ]
)


def person_parts(value: str) -> list[tuple[int, int]] | None:
    """Spans of `value` that name people, or None when the whole value is one name.

    [] when no part names a person (a room, a department, a code)."""
    parts = _parts(value)
    if not parts:
        return []  # blanks and separators only: no one
    whole = len(parts) == 1
    if not whole:
        # `Omid - 8204`, `1001 - Front Desk`: beside an extension or a code, the one worded
        # part is judged as a whole value is (the number is the key's, or a rule's).
        worded = [(s, e) for s, e in parts if not _all_codes(value[s:e])]
        if len(worded) == 1:
            parts = worded
    if len(parts) == 1:
        start, end = parts[0]
        owner = _POSSESSIVE.match(value, start, end)
        if owner is not None:
            return [owner.span("owner")]
        if _is_label(value[start:end]):
            return []
        return None if whole else [(start, end)]
    if len(parts) <= 4 and all(_single_name_word(value[s:e]) for s, e in parts):
        # One capitalised word a part, none a place or a code: a name with a bracketed
        # part (`Peggy (Zabol) Schwarzmer`, a maiden name or a nickname), whole.
        return [(parts[0][0], parts[-1][1])]
    found: list[tuple[int, int]] = []
    for start, end in parts:
        owner = _POSSESSIVE.match(value, start, end)
        if owner is not None:
            found.append(owner.span("owner"))
        elif _is_person(value[start:end]):
            found.append((start, end))
    return found


def number_parts(value: str) -> list[tuple[int, int]]:
    """The parts of a display value that are an extension or a number (`8204` in
    `Omid - 8204`)."""
    return [(s, e) for s, e in _parts(value) if 2 <= e - s <= 15 and value[s:e].isdigit()]


def _parts(value: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for sep in _SEPARATORS.finditer(value):
        spans.append((pos, sep.start()))
        pos = sep.end()
    spans.append((pos, len(value)))
    if len(spans) == 1:
        edges = [m.span() for m in _NUMBER_EDGE.finditer(value)]
        if edges:
            cuts = sorted({0, len(value), *(i for span in edges for i in span)})
            spans = list(itertools.pairwise(cuts))
    out = []
    for start, end in spans:
        while start < end and value[start].isspace():
            start += 1
        while end > start and value[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


# Department, place and role nouns of other languages, as stems (their inflected forms
# start so): a Russian school's directory lists `Отдел кадров`, `Секретарь`, `Специалист
# по безопасности`; a Brazilian PBX's users are `Recepção`, `Vendedor 1`. Stems that
# begin given names or surnames (`Sala`, `Касс`-andra) are left out.
FOREIGN_LABEL_STEMS = (
    # Russian, Ukrainian
    "отдел", "отділ", "служб", "директор", "секретар", "бухгалтер", "приемн", "приёмн", "специалист",
    "кабинет", "охран", "диспетчер", "склад", "дежурн", "канцеляр", "администрац", "адміністрац",
    "лаборатор", "библиотек", "бібліотек", "столов", "вахт", "проходн", "ресепшн", "руководител",
    "заместител", "начальник", "менеджер", "инженер", "юрист", "медпункт", "учительск",
    # German
    "abteilung", "büro", "empfang", "zentrale", "sekretariat", "buchhaltung", "vertrieb",
    "verwaltung", "geschäftsführ", "werkstatt", "pforte", "einkauf",
    # French
    "accueil", "bureau", "secrétariat", "comptabilit", "direction", "standard", "atelier",
    "magasin", "salle", "infirmerie", "départ",
    # Spanish, Portuguese, Italian
    "recepci", "recepç", "oficina", "departament", "direcci", "secretar", "ventas", "almac",
    "contabilidad", "administraci", "administraç", "gerencia", "gerência", "soporte", "escrit",
    "vendas", "financeiro", "diretoria", "portaria", "suporte", "almoxarifado", "vendedor",
    "ufficio", "segreteria", "direzione", "magazzino", "amministrazione", "vendite",
    # Portuguese and Spanish departments and rooms of a company directory
    "cozinha", "cocina", "ouvidoria", "acessório", "accesorio", "compras", "jurídic", "juridic",
    "faturamento", "facturaci", "cadastro", "controladoria", "tesouraria", "tesorer", "logístic",
    "expediç", "manutenç", "mantenimiento", "produç", "producci", "qualidade", "calidad", "cobranç",
    "cobranza", "atendimento", "atenci", "laboratório", "refeitório", "comedor", "guarita", "estoque",
    "informátic", "enfermaria", "enfermer", "farmácia", "farmacia", "finanzas", "recursos", "sistemas",
)  # fmt: skip
_INITIALS = regex.compile(r"(?:\p{Lu}\.){1,3}")


def is_label_word(word: str) -> bool:
    """A place, department or role noun in any language known here (`Office`, `Отдел`,
    `Recepção`): no part of a name that tells one person from another."""
    lowered = word.lower()
    return lowered in PLACE_NOUNS or lowered.startswith(FOREIGN_LABEL_STEMS)


@validator("not_label_phrase")
def _not_label_phrase(value: str, text: str, start: int, end: int) -> bool:
    """Words that end in a place, department or service noun (`Access Hotline` after
    `Patient`, `Billing Office`) name a line or a room, not a person."""
    words = _WORD.findall(value)
    return not (len(words) >= 2 and is_label_word(words[-1]))


def _foreign_label(words: list[str]) -> bool:
    """A department, place or role in another language (see FOREIGN_LABEL_STEMS): one of
    its words starts with such a stem, and the others are in lower case (the first may be
    capitalised, as a sentence's is) and name no one: not a person's initials (`Денисова
    О.Ю.`), not a capitalised word after the first (`Büro Müller`), not a given name."""
    if len(words) > 4:
        return False
    stems = [w.lower().startswith(FOREIGN_LABEL_STEMS) for w in words]
    if not any(stems):
        return False
    for index, (word, stem) in enumerate(zip(words, stems, strict=True)):
        if stem or word.isdigit() or word.islower():
            continue
        if index > 0 or _INITIALS.fullmatch(word) or is_proper_noun(word):
            return False
    return True


# Nouns no surname is: whatever stands before them (`Dialog Hotline`, `D-Roaming
# Hotline` of a carrier's contact card), the phrase names a service.
# (`ZoHo Support`, `Perdigon Service Dept`, `Customer Service` of a phone directory.)
_SERVICE_NOUNS = frozenset(
    {"hotline", "helpline", "helpdesk", "switchboard", "voicemail", "careline", "support", "service",
     "services", "dept", "department", "sales", "billing", "ops", "operations", "dispatch", "maintenance",
     "facilities", "accounting", "payroll", "shipping", "purchasing", "bot", "bots", "robot", "notifications",
     "alerts", "noreply", "daemon", "administrator", "administrators", "admins", "users", "guests", "members",
     "owners", "everyone"}
)  # fmt: skip


# Words, as written, that name a certificate authority: no person is called so.
_AUTHORITY_WORDS = frozenset({"CA", "SSL", "TLS", "PKI"})


def names_a_service(part: str) -> bool:
    """A place, a department or a service by its noun (`Music Room`, `Recepção`, `Dialog
    Hotline`), not a person. Narrower than a name field's test: codes and plain words
    (`BT`, `sunny li`) may still be how a contact list names a person."""
    words = _WORD.findall(part)
    if not 1 <= len(words) <= 4:
        return False
    last = words[-1].lower()
    if last in _SERVICE_NOUNS:
        return True
    if last in PLACE_NOUNS and all(_plain(w) for w in words[:-1]):
        return True
    return _foreign_label(words)


def _is_label(part: str) -> bool:
    words = _WORD.findall(part)
    if not words:
        return _SYMBOL.search(part) is None  # `🐺`: a profile name of symbols names its owner
    if any(w in _AUTHORITY_WORDS or w.lower() in ("certification", "authority") for w in words):
        return True  # a certificate authority (`GeoTrust SSL CA`, `... Certification Authority`)
    if len(words) <= 4 and words[-1].lower() in _SERVICE_NOUNS:
        return True
    if words[-1].lower().rstrip(".") in PLACE_NOUNS and all(_plain(w) for w in words[:-1]):
        return True  # `Music Room`, `ICT Office`, `Hall`; not `Jane Hall`
    if _foreign_label(words):
        return True
    if _all_codes(part):
        return True
    # Several words that name no one: a group or a list (`Sales Team`, `Night Shift`);
    # `Will Smith` is a name (given names are proper nouns). A single common word may be
    # a surname (`Brown`), or in lower case a handle (`razor`): it stays a name. An
    # identifier of lower-case parts (`user-disconnected-sm-cmd`) names a thing.
    if len(words) == 1:
        word: str = words[0]
        return word.islower() and word.count("-") >= 2
    return all(_plain(w) for w in words)


# The name of a directory entry, beside its number in the same start tag.
_ENTRY_NAME = regex.compile(
    r"""\b(?:name|display_?name|label)=["']([^"'<>\r\n]{1,128})["']""", regex.IGNORECASE
)
_ENTRY_REACH = 2048


@validator("titled_name")
def _titled_name(value: str, text: str, start: int, end: int) -> bool:
    """One to four words each written as a name is, a capital then small letters (`Haseeb
    Ahmed`, `Ana María López`, `O'Neil`): under a key as common as `from` or `to`, only
    that shape names a person; an address, a host (`gmail.com`), a state (`RINGING`) or a
    sender id (`DGSEMI`) does not. One word alone must be a name the dictionary knows
    (`Jane`; not `Inbox` or `Archive` of `moved from: Inbox to: Archive`)."""
    words = value.split()
    if not (1 <= len(words) <= 4 and all(_TITLED.fullmatch(w) for w in words)):
        return False
    return len(words) > 1 or is_proper_noun(words[0])


_TITLED = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]+(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*")


@validator("not_label_entry")
def _not_label_entry(value: str, text: str, start: int, end: int) -> bool:
    """A directory entry's number whose entry is named for a place, a department or a
    service (`<contact name="Cozinha" number="5915"/>`): that room's extension, no person's."""
    opening = start_tag_open(text, start)
    if opening is None:
        return True
    close = text.find(">", end, end + _ENTRY_REACH)
    name = _ENTRY_NAME.search(text, opening, close if close >= 0 else end)
    return name is None or not _is_label(name.group(1))


def _all_codes(part: str) -> bool:
    words = _WORD.findall(part)
    return bool(words) and all(_code(w) for w in words)


def _code(word: str) -> bool:
    """A code (`T1`, `2F`), an acronym (`ICT`) or a word in capitals (`UNASSIGNED`): no
    person is written so (`DANA WHITFIELD` is: a given name, a word that is no word)."""
    if any(ch.isdigit() for ch in word):
        return True
    if not word.isupper() or is_proper_noun(word):
        return False
    return len(word) <= 4 or is_common_word(word)


def _plain(word: str) -> bool:
    """A word that is no name: an acronym, a code, or a common English word that is no
    given name (`Music`, not `Jane`)."""
    return _code(word) or (is_common_word(word) and not is_proper_noun(word))


def _single_name_word(part: str) -> bool:
    words = _WORD.findall(part)
    return len(words) == 1 and words[0][:1].isupper() and not _is_label(part)


def _is_person(part: str) -> bool:
    """In a value of several parts: two to four capitalised words, not a place or a code
    (`Sue Collie` in `Reception - Sue Collie`; `Reception` and `Minilit` are not)."""
    words = _WORD.findall(part)
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not _is_label(part)
