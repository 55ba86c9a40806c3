"""Names of people and organisations: cleaned, merged across their variants, found.

Rules, in order (each general English, none about this corpus):

1. A recognised span is cleaned: a leading "the", a possessive "'s", titles
   ("President", "Field Marshal", "Gen.") and edge punctuation are dropped. Spans that
   can't be names are skipped: lower-case starts, digits, slashes ("Farooq Naeem/AFP"),
   a word glued to a longer name ("House" of "25.White House", "State" of "Secretary
   of State", "Tehreek" of "Tehreek-e-Taliban"), and one-word names seen only at the
   start of a sentence ("Commuters await…").
2. "Long Name (ACR)" makes the acronym a variant of the long name ("CIA").
3. One word that is the first or last word of exactly one multi-word person name is that
   person ("Munir" is "Asim Munir", "Zach" is "Zach Witkoff"). When several full names
   share it ("Witkoff": Steve and Zach), it goes to the one the articles name first.
4. Mentions are found by searching every variant as a whole word, longest first, so
   "Witkoff" inside "Zach Witkoff" is not also a mention of Steve Witkoff.
5. A country is named by any of its aliases in `rag.aliases.ALIAS_GROUPS`, its capital
   included ("Islamabad" names Pakistan), when written capitalised ("US", not "us").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rag.aliases import ALIAS_GROUPS, is_city, is_country
from rag.nlp import Entity
from rag.text import STOPWORDS, TITLE_WORDS, word_set

# Honorifics and titles dropped from the front of a name ("Field Marshal Munir" is
# "Munir"); a subset of TITLE_WORDS, without the words that also begin organisation
# names ("Foreign Policy", "State Department").
HONORIFICS = word_set(
    "President Vice Prime Minister Secretary General Gen. Field Marshal Chief Ambassador "
    "Senator Governor Chairman CEO Director Commander King Queen Prince Princess Deputy "
    "Lt. Col. Maj. Capt. Admiral Adm. Justice Judge Speaker Mayor Dr. Mr. Mrs. Ms. Sen. "
    "Rep. Gov. Prof. Sir"
)
# Small words that may sit inside a name ("Bank of England", "Bilal Bin Saqib").
NAME_CONNECTORS = word_set("of and for the de e al bin Bin van von da del la le")
# Longest name worth keeping; longer "names" are recogniser run-ons.
MAX_NAME_WORDS = 7

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# Two capitalised words in a row: maybe a given name and a surname ("Steve Witkoff"),
# looked for at every word so "President Donald Trump" gives "Donald Trump" too.
_NAME_PAIR = re.compile(r"(?=\b([A-Z][a-z]+)\s+([A-Z][\w-]+))")
# Words that may stand before a surname without being a given name ("Secretary Rubio").
_NOT_GIVEN = frozenset(w.lower() for w in HONORIFICS | TITLE_WORDS) | STOPWORDS
# How alike two given names must be to be one name spelled two ways (difflib's ratio:
# "Shehbaz", "Shahbaz" 0.86; "Joseph", "Josef" 0.73; "Nawaz", "Shehbaz" 0.33; "Steve",
# "Zach" 0.0).
SAME_GIVEN_RATIO = 0.7
_ACRONYM = re.compile(
    r"(?P<long>(?:[A-Z][\w’'.-]*\s+(?:(?:of|for|and|the|on|de|e)\s+)*){1,8}?[A-Z][\w’'.-]*)"
    r"\s+\((?P<short>[A-Z][A-Za-z-]{1,9})\)"
)


def clean_name(text: str) -> str:
    """ "the World Bank’s" -> "World Bank"; "Field Marshal Munir" -> "Munir"."""
    name = " ".join(text.split()).strip(" ,;:—–-“”\"'()")
    name = _POSSESSIVE.sub("", name).strip()
    if name.endswith(".") and "." not in name[:-1]:  # a full stop, not "U.S." or "Gen."
        name = name[:-1]
    words = name.split()
    while words and (words[0].lower() == "the" or words[0] in HONORIFICS) and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def name_shape_ok(name: str) -> bool:
    """Could `name` (already cleaned) be a proper name at all?"""
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or not name[:1].isupper():
        return False
    if re.search(r"[\d/$@#“”\"()—]", name):
        return False
    return all(w[:1].isupper() or w in NAME_CONNECTORS or "-" in w for w in words)


def glued(text: str, start: int, end: int) -> bool:
    """The span is part of a longer name: "House" in "25.White House", "State" in
    "Secretary of State", "Tehreek" in "Tehreek-e-Taliban", "TRUMP" in "$TRUMP"."""
    before, after = text[max(0, start - 40) : start], text[end : end + 1]
    if after == "-" or before.endswith(("$", "-")):
        return True
    if re.search(r"[A-Za-z]\.?[A-Z][a-z]+\s$|\d\.[A-Z][a-z]+\s$", before):  # "25.White House"
        return True
    return bool(re.search(r"\b[A-Z][\w.]*\s+of\s+(?:the\s+)?$", before))


def acronyms(text: str) -> list[tuple[str, str, int, int]]:
    """(long name, acronym, start, end) for each "Long Name (ACR)" whose acronym matches
    the long name's initials (loosely: every letter of it, in order, starts a word part)."""
    found = []
    for m in _ACRONYM.finditer(text):
        long_name, short = m.group("long"), m.group("short")
        words = [w for w in re.split(r"[\s-]+", long_name) if w]
        # Drop leading words until the initials can spell the acronym ("the", "Pakistan's").
        letters = [c for c in short.upper() if c.isalpha()]
        while words and not _spells(words, letters):
            words = words[1:]
        if words:
            start = m.start("long") + long_name.find(words[0])
            name = clean_name(long_name[long_name.find(words[0]) :])
            found.append((name, short, start, m.end()))
    return found


def _spells(words: list[str], letters: list[str]) -> bool:
    if not words or words[0][:1].upper() != (letters[:1] or [""])[0]:
        return False
    # An all-capitals word counts with every letter ("US Agency for International
    # Development" spells USAID), any other capitalised word with its first.
    initials = "".join(w if w.isupper() else w[0] for w in words if w[:1].isupper())
    i = 0
    for c in initials:
        if i < len(letters) and c == letters[i]:
            i += 1
    return i == len(letters)


@dataclass
class NameGroup:
    """The variants of one name as the articles write them, with their recogniser labels."""

    name: str  # the fullest variant
    variants: set[str] = field(default_factory=set)
    labels: dict[str, int] = field(default_factory=dict)  # spaCy label -> count
    person_tagged: bool = False  # a multi-word variant was tagged PERSON
    first_seen: int = 0  # corpus position of its first mention (orders ambiguous merges)


def merge_variants(
    spans: Sequence[tuple[str, str, int]],
    acronym_pairs: Iterable[tuple[str, str]] = (),
) -> list[NameGroup]:
    """Group cleaned names (name, label, corpus position) by rules 2 and 3."""
    groups: dict[str, NameGroup] = {}
    for name, label, position in spans:
        group = groups.setdefault(name, NameGroup(name, {name}, first_seen=position))
        group.labels[label] = group.labels.get(label, 0) + 1
        group.person_tagged |= label == "PERSON" and len(name.split()) > 1
        group.first_seen = min(group.first_seen, position)
    for long_name, short in acronym_pairs:
        target = groups.setdefault(long_name, NameGroup(long_name, {long_name}, {"ORG": 1}))
        if short in groups and short != long_name:
            _absorb(target, groups.pop(short))
        target.variants.add(short)
    full = sorted(
        (g for g in groups.values() if g.person_tagged),
        key=lambda g: g.first_seen,
    )
    for key in [k for k in groups if len(k.split()) == 1]:
        owners = [g for g in full if key in (g.name.split()[0], g.name.split()[-1])]
        if owners and key in groups and groups[key] is not owners[0]:
            _absorb(owners[0], groups.pop(key))
    return list(groups.values())


def _absorb(target: NameGroup, other: NameGroup) -> None:
    target.variants |= other.variants
    for label, n in other.labels.items():
        target.labels[label] = target.labels.get(label, 0) + n
    target.person_tagged |= other.person_tagged
    target.first_seen = min(target.first_seen, other.first_seen)


def mention_spans(text: str, owners: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, owner) of every variant in `text`, longest variants first so a
    shorter one inside a longer one is not counted again; `owners` maps variant -> id."""
    taken: list[tuple[int, int]] = []
    found = []
    for variant in sorted(owners, key=len, reverse=True):
        pattern = rf"(?<![\w$-]){re.escape(variant)}(?![\w-])"
        for m in re.finditer(pattern, text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            found.append((m.start(), m.end(), owners[variant]))
    return sorted(found)


def place_groups(text: str) -> list[int]:
    """The ALIAS_GROUPS a text names, once per mention, by a capitalised alias ("US", not
    the pronoun "us"; "Islamabad" names Pakistan)."""
    return [
        i
        for i, group in enumerate(ALIAS_GROUPS)
        for alias in group
        for m in re.finditer(rf"(?<![\w.]){re.escape(alias)}(?!\w)", text, re.IGNORECASE)
        if m.group()[:1].isupper()
    ]


def place_aliases(text: str) -> set[str]:
    """Every alias of the countries the text names: "Islamabad" -> pakistan, pakistani…"""
    return {alias for i in place_groups(text) for alias in ALIAS_GROUPS[i]}


def place_key(part: str) -> str:
    """One key per place or people: its ALIAS_GROUPS entry ("Islamabad" and "Pakistani"
    are Pakistan), else a lower-case word prefix ("Kashmiri" matches "Kashmir")."""
    groups = place_groups(part)
    return f"#{groups[0]}" if groups else part.lower()[:4]


def person_names(entities: Iterable[Entity]) -> frozenset[str]:
    """Every name spaCy tags a person in a form of two words or more ("Ishaq Dar"), whole
    and by its last word (rule 3): the small model often tags the bare surname a place
    or a body ("Dar’s visit": GPE, "Trump said": ORG)."""
    names: set[str] = set()
    for e in entities:
        name = clean_name(e.text)
        if e.label == "PERSON" and len(name.split()) >= 2 and name_shape_ok(name):
            names |= {name, name.split()[-1]}
    return frozenset(n for n in names if not is_country(n) and not is_city(n))


def is_person(entity: Entity, people: frozenset[str]) -> bool:
    """Is the entity a person: tagged so, or one of the articles' people (`person_names`)
    the small model tagged otherwise ("Trump": ORG)?"""
    return entity.label == "PERSON" or clean_name(entity.text) in people


def name_pairs(text: str) -> frozenset[tuple[str, str]]:
    """Each pair of capitalised words in a row, lower-cased: the text's full names; and
    a relative named by the family's name ("Witkoff’s son Zach": Zach Witkoff)."""
    pairs = {(a.lower(), b.lower()) for a, b in _NAME_PAIR.findall(text)}
    pairs |= {(given.lower(), family.lower()) for family, given in _KIN_NAMED.findall(text)}
    return frozenset(pairs)


# "Witkoff’s son Zach", "Trump’s daughter Ivanka": a relative, given name after the noun.
_KIN_NAMED = re.compile(
    r"\b([A-Z][a-z]+)[’']s\s+(?:eldest\s+|youngest\s+|elder\s+|younger\s+)?"
    r"(?:son|daughter|brother|sister|wife|husband|father|mother|nephew|niece)\s+([A-Z][a-z]+)\b"
)


def someone_else(name: Sequence[str], pairs: Iterable[tuple[str, str]]) -> bool:
    """Does a text name another person by the surname of a full name asked about (its
    lower-cased words)? "Steve Witkoff" is not "Zach Witkoff", nor "Shehbaz Sharif"
    "Nawaz Sharif", so their shared surname alone doesn't find the one asked about."""
    if len(name) < 2:
        return False
    surname, given = name[-1], name[:-1]
    return any(
        last == surname
        and first not in _NOT_GIVEN
        and all(SequenceMatcher(None, first, g).ratio() < SAME_GIVEN_RATIO for g in given)
        for first, last in pairs
    )
