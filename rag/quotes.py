"""Words a question quotes and gives to a person, and whether the articles give them.

"Why did Husain Haqqani describe Pakistan's approach as 'persona, priorities, policy'?"
takes as given that Haqqani said those words; the articles give them to the ambassador,
Rizwan Saeed Sheikh. A sentence where Haqqani says something else would answer a
question the reader did not ask. Quoted words count as the person's when a paragraph
holding them names the person, or, when it says of no one that they spoke (a quote run
on), the paragraph before it does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.nlp import Entity
from rag.speakers import attributes_speech
from rag.text import QUOTED, stem, tokens
from rag.titles import TitleClaim

# A quotation in the articles, and a paragraph that opens with one (quoted words in a
# question: rag.text.QUOTED).
_QUOTATION = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")
_RUN_ON = re.compile(r"\s*[“\"]")


@dataclass(frozen=True)
class QuoteClaim:
    """Words the question quotes, with the people it names beside them."""

    people: tuple[Entity, ...]
    words: str  # as quoted in the question

    def refusal(self) -> str:
        names = " or ".join(p.text for p in self.people)
        return f"The articles don't give the words “{self.words}” to {names}."


# What a question may claim of a person that the articles don't (rag.missing names it).
PersonClaim = TitleClaim | QuoteClaim


def claimed_quotes(question: str, entities: Sequence[Entity]) -> tuple[QuoteClaim, ...]:
    """The question's quoted words, each with the people the question names."""
    people = tuple(e for e in entities if e.label == "PERSON")
    if not people:
        return ()
    quoted = (next(g for g in m.groups() if g) for m in QUOTED.finditer(question))
    return tuple(QuoteClaim(people, q.strip()) for q in quoted if tokens(q))


class Quotes:
    """The articles' paragraphs as stemmed words, to find whose quoted words are whose."""

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self._paragraphs = paragraphs
        # per paragraph: its quotations' words, and all its words (made on first use)
        self._read: list[tuple[list[list[str]], set[str]]] | None = None

    def misattributed(self, claims: Sequence[QuoteClaim]) -> list[QuoteClaim]:
        """Claims whose words the articles quote, but never where every person the
        question names is named too: each with the people left unnamed."""
        unnamed = [(c, self._unnamed(c)) for c in claims]
        return [replace(c, people=u) for c, u in unnamed if u]

    def _unnamed(self, claim: QuoteClaim) -> tuple[Entity, ...]:
        """The claim's people not named where the articles quote its words (in the
        paragraph naming most of them); none when the articles never quote them
        (another check's business)."""
        if self._read is None:
            self._read = [
                ([_words(m.group()) for m in _QUOTATION.finditer(p)], set(_words(p)))
                for p in self._paragraphs
            ]
        wanted = _words(claim.words)
        surnames = [(p, set(_words(p.text)[-1:])) for p in claim.people]
        best: tuple[Entity, ...] | None = None
        for i, (quotations, words) in enumerate(self._read):
            if not any(_holds(q, wanted) for q in quotations):
                continue
            around = set(words)  # a quote run on from the paragraph before is its speaker's
            if (
                i
                and _RUN_ON.match(self._paragraphs[i])
                and not attributes_speech(self._paragraphs[i])
            ):
                around |= self._read[i - 1][1]
            unnamed = tuple(p for p, surname in surnames if not surname <= around)
            if best is None or len(unnamed) < len(best):
                best = unnamed
        return best or ()


def _words(text: str) -> list[str]:
    return [_norm(w) for w in tokens(text)]


def _norm(word: str) -> str:
    """A word as compared: its stem, less a final e ("game" and "gamed" alike)."""
    return stem(word).removesuffix("e")


def _holds(words: Sequence[str], wanted: Sequence[str]) -> bool:
    n = len(wanted)
    return any(list(words[i : i + n]) == list(wanted) for i in range(len(words) - n + 1))
