"""The role an article states for a name, read from the words around it.

Four English patterns, each checked at every mention of a name:

* a title run right before it: "Secretary of State Marco Rubio", "Field Marshal Munir",
  "Pakistan Chief of the Army Staff Gen. Asim Munir";
* a descriptor right before it: "Canadian mining company Barrick Gold", "prominent
  Trump acolyte Sergio Gor";
* an appositive after it: "Husain Haqqani, a senior fellow at the Hudson Institute…",
  "Steve Witkoff, who is now his administration's Middle East envoy", "Bilal Bin Saqib,
  was named Pakistan's minister for crypto…", "Nawal Nawaz is a Research Assistant at…";
* an appositive before it: "the country's powerful military chief, Asim Munir".

Descriptors and appositives count only when they contain a role noun (`PERSON_NOUNS`,
`ORG_NOUNS`, `PLACE_NOUNS`), so "In a photo released by the White House, Trump…" gives
Trump no role. The first role noun also tells what the name is: "a company in which…"
makes World Liberty Financial an organisation, "the country's … province" a place.
"""

from __future__ import annotations

import re
from typing import Literal

from rag.dates import MONTH_NAMES
from rag.names import TITLE_WORDS
from rag.text import word_set

Kind = Literal["PERSON", "ORG", "PLACE"]

PERSON_NOUNS = word_set(
    "president minister secretary general gen marshal chief ambassador envoy senator "
    "governor chairman chair ceo director commander king queen prince premier leader "
    "official diplomat historian fellow principal analyst adviser advisor spokesman "
    "spokesperson founder co-founder coach acolyte son daughter wife husband brother "
    "mastermind terrorist militant lobbyist journalist author writer scholar researcher "
    "assistant professor judge mayor member executive officer head man woman"
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
# Longest role worth showing; longer appositives are cut at a word boundary with "…".
MAX_ROLE_WORDS = 20
# An appositive before a name is short ("the country's powerful military chief, Asim
# Munir"); a longer run is a clause that merely ends next to it.
MAX_LEADING_ROLE_WORDS = 7

_DET = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[A-Z][\w.-]*['’]s)"
# Where an appositive ends: a comma (not one inside a date, "August 26, 2021, attack"),
# a semicolon, colon, bracket, quote or dash, or the end of the sentence.
_STOP = r"(?=\s*(?:(?<!\d{4}),(?!\s*\d)|[;:(“”\"—]|\.?$))"


def kind_of(role: str) -> Kind | None:
    """What the role's first role noun says the name is (None: no role noun)."""
    for word in re.findall(r"[\w.-]+", role):
        low = word.lower().rstrip(".")
        if low in PERSON_NOUNS:
            return "PERSON"
        if low in ORG_NOUNS:
            return "ORG"
        if low in PLACE_NOUNS:
            return "PLACE"
    return None


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
    return " ".join(run)


def _descriptor(before: str) -> str:
    """Lower-case descriptor words ending in a role noun right before a name."""
    m = re.search(r"((?:[\w’'.-]+\s+){0,4}?)([a-z][\w-]*)\s+$", before)
    if not m or m.group(2).lower() not in PERSON_NOUNS | ORG_NOUNS:
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


def roles_at(sentence: str, start: int, end: int) -> list[tuple[str, Kind]]:
    """The roles the sentence gives the name at sentence[start:end], with their kind."""
    before, after = sentence[:start], sentence[end:]
    found: list[str] = []
    if title := _title_run(before):
        found.append(title)
    elif descriptor := _descriptor(before):
        found.append(descriptor)
    after = re.sub(r"^['’]s\b", "", after)
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
    leading = re.search(
        rf"(?:^|[\s(])(?P<role>{_DET}\s[^,;:()“”\"]{{1,80}}?),\s+(?:the\s+)?$", before
    )
    if (
        leading
        and not re.match(r"^['’]s\b", sentence[end:])  # "Witkoff's son": not his role
        and len(leading.group("role").split()) <= MAX_LEADING_ROLE_WORDS
        # "Edward Frantz, a US historian, Trump, …": the historian is Frantz
        and not re.search(r"[A-Z][\w.]*,\s*$", before[: leading.start("role")])
    ):
        found.append(leading.group("role"))
    out = []
    for role in found:
        text = _trim(role)
        kind = kind_of(text)
        if text and kind is not None:
            out.append((text, kind))
    return out
