"""The role an article states for a name, read from the words around it.

Five English patterns, each checked at every mention of a name:

* a title run right before it: "Secretary of State Marco Rubio", "Field Marshal Munir",
  "Pakistan Chief of the Army Staff Gen. Asim Munir";
* a descriptor right before it: "Canadian mining company Barrick Gold", "prominent
  Trump acolyte Sergio Gor";
* an appositive after it: "Husain Haqqani, a senior fellow at the Hudson Institute…",
  "Steve Witkoff, who is now his administration's Middle East envoy", "Bilal Bin Saqib,
  was named Pakistan's minister for crypto…", "Nawal Nawaz is a Research Assistant at…";
* an appositive before it: "the country's powerful military chief, Asim Munir", "the
  Islamic State Khorasan (IS-K) terrorist, Sharifullah";
* a class it is an example of: "militant groups like the Tehreek-e-Taliban Pakistan".

A bracketed acronym after a name is skipped ("the Central Intelligence Agency (CIA), a US
government agency…").

Descriptors and appositives count only when they contain a role noun (`PERSON_NOUNS`,
`ORG_NOUNS`, `PLACE_NOUNS`, or `RELATION_NOUNS`, which say nothing of the kind), so "In a
photo released by the White House, Trump…" gives Trump no role. The role's head (its last
role noun before a preposition) also tells what the name is: "a company in which…" makes
World Liberty Financial an organisation, "the country's … province" a place, "militant
groups" an organisation.

The same "is a" patterns read for common nouns give the kinds of things the articles
name (`kinds_in`): "minerals such as copper and antimony" makes copper a mineral.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from rag.dates import MONTH_NAMES
from rag.text import STOPWORDS, TITLE_WORDS, stem, word_set

Kind = Literal["PERSON", "ORG", "PLACE"]

PERSON_NOUNS = word_set(
    "president minister secretary general gen marshal chief ambassador envoy senator "
    "governor chairman chair ceo director commander king queen prince premier leader "
    "official diplomat historian fellow principal analyst adviser advisor spokesman "
    "spokesperson founder co-founder coach acolyte son daughter wife husband brother "
    "mastermind terrorist militant lobbyist journalist author writer scholar researcher "
    "assistant professor judge mayor member executive officer head man woman associate aide"
)
# The offices that answer who leads something ("chaired by the finance minister"; "run
# by Trump's former associates"), not any person noun ("militant groups").
OFFICE_NOUNS = word_set(
    "president minister secretary general chief chair chairman chairwoman ceo director "
    "commander governor founder co-founder executive officer premier leader head king "
    "queen prince emir associate aide"
)
ORG_NOUNS = word_set(
    "company companies firm conglomerate organization organisation agency institute "
    "institution group council corporation arm branch bank fund ministry department party "
    "alliance forum program programme outlet magazine newspaper network business "
    "exchange startup"
)
PLACE_NOUNS = word_set(
    "province region city country state territory district reserve mine deposit project port valley"
)
# Role nouns that fit people and organisations alike: "its Pakistani counterpart".
RELATION_NOUNS = word_set("counterpart partner ally rival successor predecessor affiliate")
# Longest role worth showing; longer appositives are cut at a word boundary with "…".
MAX_ROLE_WORDS = 20
# An appositive before a name is short ("the country's powerful military chief, Asim
# Munir"); a longer run is a clause that merely ends next to it.
MAX_LEADING_ROLE_WORDS = 7

_DET = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[A-Z][\w.-]*['’]s)"
# Where an appositive ends: a comma (not one inside a date, "August 26, 2021, attack"),
# a semicolon, colon, bracket, quote or dash, or the end of the sentence.
_STOP = r"(?=\s*(?:(?<!\d{4}),(?!\s*\d)|[;:(“”\"—]|\.?$))"


def _role_noun(word: str, nouns: frozenset[str]) -> bool:
    low = word.lower().rstrip(".")
    return low in nouns or (low.endswith("s") and low[:-1] in nouns)  # "groups"


def kind_of(role: str) -> Kind | None:
    """What the role's head says the name is: its last role noun before the first
    preposition or relative word that follows one ("the Islamic State Khorasan (IS-K)
    terrorist" is a person, "The Pakistan Crypto Council’s CEO" too, "a key engineering
    branch of the Pakistani military" an organisation). None: no role noun, or only
    `RELATION_NOUNS`."""
    kind: Kind | None = None
    for word in re.findall(r"[\w.-]+", role):
        if kind is not None and word.lower() in _PHRASE_END:
            break
        kind = next((k for k, nouns in _KINDS if _role_noun(word, nouns)), kind)
    return kind


_PHRASE_END = word_set(
    "of at in on for with from to by who whom which that whose where when as during after "
    "before including like"
)
_KINDS: tuple[tuple[Kind, frozenset[str]], ...] = (
    ("PERSON", PERSON_NOUNS),
    ("ORG", ORG_NOUNS),
    ("PLACE", PLACE_NOUNS),
)


def _has_role_noun(role: str) -> bool:
    words = re.findall(r"[\w.-]+", role)
    return kind_of(role) is not None or any(_role_noun(w, RELATION_NOUNS) for w in words)


_TRAILING_DATE = re.compile(
    rf"\s+(?:in|on|since)\s+(?:{'|'.join(MONTH_NAMES)})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?$"
)


def _trim(role: str) -> str:
    role = " ".join(role.split()).strip(" ,;:—-")
    # A date closing the role dates the appointment, not the role ("… blockchain in May").
    role = _TRAILING_DATE.sub("", role)
    words = role.split()
    if len(words) > MAX_ROLE_WORDS:
        role = " ".join(words[:MAX_ROLE_WORDS]).rstrip(",;:") + "…"
    return role


def _title_run(before: str) -> str:
    """Capitalised title words (and "of", "the", "and") right before a name."""
    words = before.split()
    run: list[str] = []
    for word in reversed(words):
        bare = word.strip('“”"(')
        opened = bare != word  # an opening quote or bracket ends the run after this word
        if "—" in bare or "–" in bare:  # so does a dash ("September—and Prime Minister")
            bare, opened = re.split(r"[—–]", bare)[-1], True
        # Punctuation after a word ends the run ("Vance, Secretary of State Rubio"),
        # except the period of an abbreviation ("Gen.", "U.S.").
        if re.search(r"[,;:]$", bare) or (
            bare.endswith(".") and bare not in TITLE_WORDS and "." not in bare[:-1]
        ):
            break
        # A capitalised word opening a quotation is not a title unless it is one: the
        # quoted text may be a slogan ("“Alert President Trump: …”").
        if opened and bare not in TITLE_WORDS and bare[:1].isupper():
            break
        if bare[:1].isupper() or bare in ("of", "the", "and") or bare.startswith("then-"):
            run.insert(0, bare)
            if opened:
                break
            continue
        break
    while run and run[0] in ("of", "the", "and", ""):
        run = run[1:]
    # A run opening the sentence may start with an ordinary capitalised word
    # ("Following the US President Donald Trump's …"): keep only a title or "U.S.".
    if run and len(run) == len(words) and run[0] not in TITLE_WORDS and "." not in run[0]:
        run = run[1:]
        while run and run[0] in ("of", "the", "and"):
            run = run[1:]
    # It must hold a title word, and starts at the first word that could begin one.
    if not any(w in TITLE_WORDS for w in run):
        return ""
    # An abbreviated title closing a longer run repeats it ("… Chief of the Army Staff Gen.").
    if len(run) > 1 and run[-1].endswith(".") and run[-1] in TITLE_WORDS:
        run = run[:-1]
    return " ".join(run)


def _descriptor(before: str) -> str:
    """Lower-case descriptor words ending in a role noun right before a name."""
    m = re.search(r"((?:[\w’'.-]+\s+){0,4}?)([a-z][\w-]*)\s+$", before)
    if not m or not any(
        _role_noun(m.group(2), nouns) for nouns in (PERSON_NOUNS, ORG_NOUNS, RELATION_NOUNS)
    ):
        return ""
    words = (m.group(1) + m.group(2)).split()
    # Start after the last function word or past-tense verb ("with Japanese
    # conglomerate" -> "Japanese conglomerate", "hired Canadian mining company" -> …).
    cut = max(
        (
            i + 1
            for i, w in enumerate(words)
            if w.lower() in _FUNCTION_WORDS or re.fullmatch(r"[a-z]+ed", w)
        ),
        default=0,
    )
    return " ".join(words[cut:])


_FUNCTION_WORDS = word_set(
    "a an the with of in on at by for to from and or but as is was are were has have had "
    "said says told that which who whom during after before including like it he she "
    "they we you i this these those"
)


# "militant groups like the X", "companies such as X": the class X is an example of.
_EXAMPLE_OF = re.compile(
    r"(?:^|\s)(?P<role>(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:like|such as|including)"
    r"\s+(?:the\s+)?$"
)
# An acronym in brackets right after a name, or the bracket closing one ("(CIA),").
_ACRONYM_AFTER = re.compile(r"^(?:\s*\([A-Z][\w&.-]*\)|\))")


# An appositive before a name: a determiner phrase, then a comma; a bracketed acronym may
# sit inside it ("the Islamic State Khorasan (IS-K) terrorist, Sharifullah").
_LEADING = re.compile(
    rf"(?P<role>{_DET}\s(?:[^,;:()“”\"]|\([A-Z][\w-]*\)){{1,80}}?),\s+(?:the\s+)?"
)
_PHRASE_START = re.compile(rf"(?:^|(?<=[\s(])){_DET}\s")


def _leading_role(before: str) -> tuple[str, int]:
    """The longest short appositive (`MAX_LEADING_ROLE_WORDS`) ending with a comma right
    before a name ("the country’s powerful military chief, "), and where it starts."""
    for start in _PHRASE_START.finditer(before):
        m = _LEADING.fullmatch(before, start.start())
        if m and len(m.group("role").split()) <= MAX_LEADING_ROLE_WORDS:
            return m.group("role"), m.start()
    return "", 0


def roles_at(sentence: str, start: int, end: int) -> list[tuple[str, Kind | None]]:
    """The roles the sentence gives the name at sentence[start:end], with their kind
    (None for a role noun that fits any kind: "counterpart")."""
    before, after = sentence[:start], sentence[end:]
    found: list[str] = []
    if title := _title_run(before):
        found.append(title)
    elif descriptor := _descriptor(before):
        found.append(descriptor)
    elif (example := _EXAMPLE_OF.search(before)) and _has_role_noun(example.group("role")):
        words = example.group("role").split()
        cut = max((i + 1 for i, w in enumerate(words) if w in _FUNCTION_WORDS), default=0)
        found.append(" ".join(words[cut:]))
    after = _ACRONYM_AFTER.sub("", re.sub(r"^['’]s\b", "", after))
    patterns = [
        rf"^,\s+(?P<role>{_DET}\s.+?){_STOP}",
        r"^,\s+who\s+(?:is|was|has been|had been|serves as|served as)\s+(?:now\s+)?"
        rf"(?P<role>.+?){_STOP}",
        rf"^,?\s+(?:was|has been|had been)\s+(?:named|appointed|elected|made)\s+"
        rf"(?P<role>{_DET}\s.+?){_STOP}",
    ]
    if not before.strip():  # the sentence's subject: "X is a research assistant at …"
        patterns.append(rf"^\s+(?:is|was)\s+(?P<role>(?:a|an|the)\s.+?){_STOP}")
    for pattern in patterns:
        if m := re.match(pattern, after):
            found.append(m.group("role"))
            break
    leading, at = _leading_role(before)
    if (
        leading
        and not re.match(r"^['’]s\b", sentence[end:])  # "Witkoff's son": not his role
        # "Edward Frantz, a US historian, Trump, …": the historian is Frantz
        and not re.search(r"[A-Z][\w.]*,\s*$", before[:at])
    ):
        found.append(leading)
    out = []
    for role in found:
        text = _trim(role)
        if text and _has_role_noun(text):
            out.append((text, kind_of(text)))
    return out


# --- kinds of things: the same "is a" patterns, for common nouns ------------------------
# A class's stem -> its kinds, each a tuple of lexemes: "mineral" -> ("copper",), ("rare", "earth").
Kinds = Mapping[str, frozenset[tuple[str, ...]]]


_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def lexeme(word: str) -> str:
    """A word less its inflection: "minerals" = "mineral", "exploring" = "explor", but
    "exploration" stays itself (the stem would make it "explor" too)."""
    for suffix, repl in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + repl
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


_CLAUSE = re.compile(r"[^.;:()—–“”\"?!]+")
_ITEM_BREAK = re.compile(r",\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")
_EXAMPLES = re.compile(r"\b([a-z][a-z-]+)\s+(?:such as|including|like)\s+")
_OTHER = re.compile(r",?\s+(?:and|or)\s+other\s+([a-z][a-z-]+)\b")
MAX_KIND_WORDS = 3


def _plain(word: str) -> bool:
    """A lower-case word that could be (part of) a kind: no stopword, no list cue."""
    return bool(re.fullmatch(r"[a-z][a-z-]*", word)) and word not in _NOT_KINDS


_NOT_KINDS = STOPWORDS | {"like", "such", "including", "other", "especially"}


def _edge(words: list[str], last: bool) -> list[str]:
    """The plain words at the start (or end, `last`) of a list piece: "antimony to the
    United States" -> "antimony"; "vast reserves of gold" -> "gold"."""
    run: list[str] = []
    for w in reversed(words) if last else words:
        if not _plain(w) or len(run) == MAX_KIND_WORDS:
            break
        run.append(w)
    return run[::-1] if last else run


def _lists(clause: str) -> Iterable[list[str]]:
    """Runs of two or more short plain noun phrases joined by commas, "and" or "or"."""
    run: list[str] = []
    for piece in _ITEM_BREAK.split(clause):
        words = [w for w in piece.split() if w not in ("the", "a", "an")]
        if words and len(words) <= MAX_KIND_WORDS and all(_plain(w) for w in words):
            run.append(" ".join(words))
            continue
        if head := _edge(words, last=False):
            run.append(" ".join(head))
        if len(run) > 1:
            yield run
        run = [" ".join(tail)] if (tail := _edge(words, last=True)) else []
    if len(run) > 1:
        yield run


def _add(found: dict[str, set[str]], cls: str, kinds: list[str]) -> None:
    if _plain(cls) and kinds:
        found.setdefault(stem(cls), set()).update(kinds)


def kinds_in(texts: Iterable[str]) -> Kinds:
    """Kinds of things the texts name, by the stem of their class: "minerals such as
    copper and antimony", "gold, copper, and other minerals" (Hearst's patterns), then
    every other item of a list naming one ("copper, lithium, gold, and rare earths")
    unless the list names the class itself. Kinds are lexeme tuples, lower-case only."""
    texts = list(texts)
    found: dict[str, set[str]] = {}
    lists = [items for t in texts for c in _CLAUSE.findall(t) for items in _lists(c)]
    for clause in (c for t in texts for c in _CLAUSE.findall(t)):
        for m in _EXAMPLES.finditer(clause):  # the list right after the cue
            run = next(iter(_lists("x and " + clause[m.end() :])), [])
            _add(found, m.group(1), run[1:] if run[:1] == ["x"] else [])
        for m in _OTHER.finditer(clause):  # the list right before it
            run = [[], *_lists(clause[: m.start()] + " and x")][-1]
            _add(found, m.group(1), run[:-1] if run[-1:] == ["x"] else [])
    for cls, seeds in list(found.items()):
        for items in lists:
            if set(items) & seeds and all(stem(i.split()[-1]) != cls for i in items):
                found[cls] |= set(items)
    return {
        cls: frozenset(tuple(lexeme(w) for w in k.split()) for k in kinds)
        for cls, kinds in found.items()
    }


def names_kind(text: str, kinds: frozenset[tuple[str, ...]]) -> bool:
    """Does the text name one of the kinds, in lower case ("copper", not "Barrick Gold")?"""
    words = [lexeme(w) for w in re.findall(r"(?<![\w-])[a-z][a-z-]*", text)]
    return any(tuple(words[i : i + len(kind)]) == kind for kind in kinds for i in range(len(words)))
