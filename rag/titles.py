"""The office a question gives a person, and whether the articles give it to them.

"What did Prime Minister Ishaq Dar say at the UN?" takes as given that Dar is prime
minister; the articles call him "Foreign Minister and Deputy Prime Minister". A sentence
about Dar at the UN would answer a question the reader did not ask. A title counts as
stated when its words sit close around one of the person's mentions ("Chief of Army
Staff Gen. Asim Munir" gives him "army chief"), unless a narrowing word ("Deputy")
makes it another office.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.nlp import Entity
from rag.roles import OFFICE_NOUNS
from rag.text import TITLE_WORDS, split_sentences, tokens, word_set

# Abbreviated titles, as `tokens` leaves them ("Gen." -> "gen"), written out, and other
# words for the same office ("envoy" for "ambassador", "premier" for "prime minister").
_ABBREVIATIONS = {
    "envoy": "ambassador",
    "premier": "prime",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "maj": "major",
    "capt": "captain",
    "adm": "admiral",
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "prof": "professor",
}
# Words of an office in front of a name, lower-cased. Honorifics ("Mr.", "Dr.") and
# "former" claim no office, and are not checked.
_OFFICE = (
    frozenset(_ABBREVIATIONS.get(w, w) for w in tokens(" ".join(TITLE_WORDS)))
    | word_set("premier chief minister ambassador envoy spokesman spokesperson")
) - word_set("mr mrs ms dr sir former then then-prime then-president")
# Words that make a title another office: a deputy prime minister is not prime minister.
_NARROWING = word_set("deputy vice assistant acting junior")
_GLUE = word_set("of the and for")
# Where one person's list item ends and the next one's begins.
_LIST_BREAKS = frozenset({",", ";"})
# How many words before a mention (its surname) a title may sit and still be the
# person's: "Foreign Minister and Deputy Prime Minister Ishaq Dar" (7). After it,
# anywhere in the sentence: "Husain Haqqani, a senior fellow at the Hudson Institute
# who served as Pakistan's ambassador…" (15).
WINDOW_BEFORE = 8


@dataclass(frozen=True)
class TitleClaim:
    """A title the question puts in front of a person's name."""

    person: Entity
    title: str  # as written in the question ("Prime Minister", "army chief")

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(_norm(w) for w in tokens(self.title) if w not in _GLUE)

    def refusal(self) -> str:
        return f"The articles don't call {self.person.text} “{self.title}”."


def claimed_titles(doc: Any, people: Sequence[Entity]) -> tuple[TitleClaim, ...]:
    """The office words right before each named person in a parsed question."""
    claims = []
    for person in people:
        span = doc.char_span(person.start, person.end, alignment_mode="expand")
        if span is None or person.label not in ("PERSON", "NAME"):
            continue
        i = span.start
        while i > 0 and (
            _norm(doc[i - 1].lower_.rstrip(".")) in _OFFICE
            or (doc[i - 1].lower_ in _GLUE and i > 1 and _norm(doc[i - 2].lower_) in _OFFICE)
        ):
            i -= 1
        title = doc[i : span.start].text.strip()
        if title and TitleClaim(person, title).words:
            claims.append(TitleClaim(person, title))
        served = _served_as(doc, span.end)
        if served and TitleClaim(person, served).words:
            claims.append(TitleClaim(person, served))
    return tuple(claims)


def _served_as(doc: Any, after: int) -> str | None:
    """The office a question says a person served as, right after the name ("did Haqqani
    serve as Pakistan's army chief": "army chief"), without whose it is or where."""
    if after + 1 >= len(doc) or doc[after].lemma_ != "serve" or doc[after + 1].lower_ != "as":
        return None
    office = next((c for c in doc[after + 1].children if c.dep_ == "pobj"), None)
    if office is None or _norm(office.lower_) not in _OFFICE:
        return None
    words = [c for c in office.lefts if c.dep_ in ("compound", "amod")] + [office]
    return " ".join(w.text for w in words)


class Titles:
    """The articles' sentences as words, to check a claimed title around each mention."""

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self._paragraphs = paragraphs
        self._words: list[list[str]] | None = None  # tokenised on first use

    def stated(self, claim: TitleClaim) -> bool | None:
        """True when some mention of the person carries the title; False when the person
        is mentioned but never with it; None when the articles never name them."""
        if self._words is None:
            self._words = [_words(s) for p in self._paragraphs for s in split_sentences(p)]
        name = [w for w in tokens(claim.person.text) if w not in _GLUE]
        if not name:
            return None
        mentioned = False
        for words in self._words:
            for i, word in enumerate(words):
                if word != name[-1]:  # a mention: the surname ("Munir", "Sharif")
                    continue
                mentioned = True
                if _carries(_around(words, i - len(name) + 1, i), claim.words):
                    return True
        return False if mentioned else None

    def unstated(self, claims: Sequence[TitleClaim]) -> list[TitleClaim]:
        return [c for c in claims if self.stated(c) is False]

    def misplaced(self, question: str, office: str | None, named: Sequence[Entity]) -> bool:
        """The question asks which holder of an office did something ("Which army chief
        did Trump call his friend?"), and the articles name every person the sentence
        names (`named`: its entities) beyond the question's, but never with that office
        ("then-Prime Minister Imran Khan"): none is the one asked for."""
        if office is None or office not in OFFICE_NOUNS:
            return False
        asked = question.lower()
        people = [e for e in named if e.label == "PERSON" and e.text.lower() not in asked]
        return bool(people) and all(self.stated(TitleClaim(p, office)) is False for p in people)


def _around(words: Sequence[str], start: int, end: int) -> list[str]:
    """The words that may give the title of the name at words[start..end]: up to
    WINDOW_BEFORE before it, from its list item on when it has a title of its own
    ("Vance, Secretary of State Marco Rubio": not Vance's words for Rubio), and after
    it to the end of the sentence or to the next person's title ("J.D. Vance,
    Secretary of State…": not Rubio's for Vance)."""
    before = list(words[max(0, start - WINDOW_BEFORE) : max(0, start)])
    cut = max((k for k, w in enumerate(before) if w in _LIST_BREAKS), default=-1)
    if cut >= 0 and (cut + 1 >= len(before) or before[cut + 1] not in _OFFICE):
        cut = -1  # "Kenya's ambassador to Tanzania, Joseph Mwangi": an apposition
    after = list(words[end + 1 :])
    stop = next(
        (
            k
            for k, w in enumerate(after[:-1])
            if w in _LIST_BREAKS | {"and"} and after[k + 1] in _OFFICE
        ),
        len(after),
    )
    return before[cut + 1 :] + list(words[max(0, start) : end + 1]) + after[:stop]


def _words(sentence: str) -> list[str]:
    """The sentence's words as `tokens` reads them, with the commas and semicolons that
    separate list items kept as words of their own."""
    words: list[str] = []
    for piece in re.split(r"([,;])", sentence):
        words.extend([piece] if piece in _LIST_BREAKS else map(_norm, tokens(piece)))
    return words


def _carries(window: Sequence[str], wanted: Sequence[str]) -> bool:
    """The window holds every word of the title, its first not only as part of a
    narrower office ("Deputy Prime Minister" does not carry "Prime Minister")."""
    if not set(wanted) <= set(window):
        return False
    return any(
        w == wanted[0] and not (i > 0 and window[i - 1] in _NARROWING) for i, w in enumerate(window)
    )


def _norm(word: str) -> str:
    """A title word as compared: written out ("gen" as "general")."""
    return _ABBREVIATIONS.get(word, word)
