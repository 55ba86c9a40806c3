"""Whether a figure a sentence states fits how the question asks for one: exactly, or as
an amount rather than a head count.

Pure functions over the question, the sentence and the figure's span in it, used by
`rag.values.type_spans` to drop figures of the right kind that still don't answer; and
whether a sentence only counts the thing a question asks the names of (`unnamed_only`).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from rag.aliases import is_country
from rag.answer_types import asks_yes_no
from rag.question import QuestionFrame
from rag.roles import PERSON_NOUNS
from rag.text import STOPWORDS, stem, word_set

# A figure asked exactly ("Exactly how many firms…") is not answered by a round or vague
# one ("multiple firms", "millions of dollars"), looked for just before the figure found.
_EXACT_ASKED = re.compile(r"\b(?:exact|exactly|precise|precisely)\b", re.I)
_VAGUE_CONTEXT = 12  # characters: "millions of " before "dollars"
_VAGUE_AMOUNT = re.compile(
    r"\b(?:millions|billions|hundreds|thousands|dozens|tens|several|multiple|many|some|few)\b",
    re.I,
)


def vague_for(question: str, sentence: str, start: int, end: int) -> bool:
    """The sentence's figure at start-end is too vague for a question asking it exactly."""
    around = sentence[max(0, start - _VAGUE_CONTEXT) : end]
    return bool(_EXACT_ASKED.search(question)) and bool(_VAGUE_AMOUNT.search(around))


# "How much…" asks an amount of something, never how many people: "How much do Pakistanis
# send home?" is not answered by "brings almost 800 Pakistanis to the United States".
_AMOUNT_ASKED = re.compile(r"\bhow much\b", re.I)
# Nouns for people a figure may count, beside the role nouns ("800 students").
_PEOPLE = word_set(
    "people person soldier troop student worker civilian citizen personnel refugee migrant "
    "national resident visitor expatriate",
    stemmed=True,
) | {stem(w) for w in PERSON_NOUNS}
# How many words after a figure may hold the noun it counts ("13 U.S. service members").
_COUNTED_WITHIN = 3
_WORD = re.compile(r"[\w.’'-]+")


def counts_people(question: str, sentence: str, end: int, peoples: Collection[str]) -> bool:
    """Does the figure ending at `end` count people ("800 Pakistanis", "13 U.S. service
    members", "almost 800 students"), where the question asks how much of a thing?
    `peoples`: the sentence's names of nations' people, lower case (spaCy's NORP)."""
    if not _AMOUNT_ASKED.search(question):
        return False
    for word in _WORD.findall(sentence[end:])[:_COUNTED_WITHIN]:
        lower = word.lower().rstrip(".")
        if lower in STOPWORDS:  # "3 of the…", "800 to…": the noun, if any, is past it
            return False
        if stem(lower) in _PEOPLE or _nationals(lower, peoples):
            return True  # a role or people noun, or a nation's people
    return False


def _nationals(word: str, peoples: Collection[str]) -> bool:
    """A nation's people ("Pakistanis", "Kenyans"), not its name ("U.S.") nor its
    adjective ("Kenyan goods")."""
    plural = len(word) > len("u.s") and word.endswith("s")
    return plural and (word in peoples or is_country(word))


def asks_figure(frame: QuestionFrame) -> bool:
    """A yes/no question about a figure or a rank ("Is Munir the first…?", "Did tariffs
    fall to 15%?"): another figure stated answers it ("no: the second"), it contradicts no
    premise. A date stays a premise ("Did Trump visit in 2025?")."""
    return asks_yes_no(frame.text) and all(v.label != "DATE" for v in frame.values)


# A thing the sentence only counts ("multiple lobbying firms", "several areas") is not
# named by it: "Which firms did Islamabad hire?" is not answered, unless the names follow
# ("several countries …, including Arab Gulf countries").
_UNNAMED_BEFORE = re.compile(
    r"\b(?:multiple|several|various|numerous|a number of|a few|unnamed|unspecified|"
    r"undisclosed)\s+(?:[\w’'-]+\s+){0,2}$",
    re.I,
)
# Small numbers as the articles and readers spell them, by value (rag.tallies reads them).
NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)
# Where a name is asked, an exact number counts the thing too ("Which of Trump's sons…?":
# "Trump's three sons" names none); where a figure is asked, it is the answer.
_NUMBER_BEFORE = re.compile(
    rf"\b(?:{'|'.join(NUMBER_WORDS[2:])}|\d+)\s+(?:[\w’'-]+\s+){{0,2}}$", re.I
)
_NAMED_ANSWERS = frozenset({"person", "organisation", "place", "agent"})
_NAMES_FOLLOW = re.compile(r"^[^.;]{0,40}?(?:\bincluding\b|\bsuch as\b|\bnamely\b|:)", re.I)
_VAGUE_REACH = 40  # characters before the noun: a quantifier and two modifiers


def unnamed_only(frame: QuestionFrame, sentence: str) -> bool:
    """Does the sentence name the thing asked ("Which firms…?", `frame.slot`) only as a
    number of them, with no names following? False where it never names it."""
    if frame.slot is None:
        return False
    counts = [_UNNAMED_BEFORE]
    if frame.answer_type in _NAMED_ANSWERS:
        counts.append(_NUMBER_BEFORE)
    found = [m for m in re.finditer(r"[\w’'-]+", sentence) if stem(m.group().lower()) == frame.slot]
    return bool(found) and all(
        any(c.search(sentence[max(0, m.start() - _VAGUE_REACH) : m.start()]) for c in counts)
        and not _NAMES_FOLLOW.match(sentence[m.end() :])
        for m in found
    )
