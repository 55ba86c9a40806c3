"""Does a sentence count a thing otherwise than the question does?

"What are the names of Witkoff's three sons?" takes a count as given. A sentence telling
of "Witkoff's two sons" contradicts it, whatever else it counts ("Trump's three sons").
Nor is "Trump's four meetings with Sharif" met by "whom he has met three times". A count
is a number on a noun, with the noun's owner if it has one ("Witkoff's"), or a number of
times on a verb, which counts the noun made from it ("met three times": meetings).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from rag.figures import NUMBER_WORDS
from rag.nlp import parse
from rag.text import stem, word_set

_NUMBER_WORDS = {word: str(n) for n, word in enumerate(NUMBER_WORDS)}
# Words that only round or bound a count ("about three", "at least two"): it is no
# exact count to contradict.
_ROUGH = word_set("about around almost nearly roughly some over under least most more than")


def _number(tok: Any) -> str | None:
    word = tok.lower_.replace(",", "")
    value = _NUMBER_WORDS.get(word, word)
    return value if value.isdigit() else None


def _counts(text: str) -> Iterator[tuple[str | None, str, str]]:
    """(owner, counted, number): a number on a noun ("Witkoff's two sons": witkoff, son,
    2) or a number of times on a verb ("met three times": None, meet, 3). Stems."""
    for tok in parse(text):
        number = _number(tok)
        if number is None or tok.dep_ != "nummod" or any(c.lower_ in _ROUGH for c in tok.children):
            continue
        head = tok.head
        if head.lower_ == "times" and head.head.pos_ == "VERB":
            yield None, stem(head.head.lemma_.lower()), number
        elif head.pos_ == "NOUN":
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            yield (
                (stem(owner.lower_) if owner is not None else None),
                stem(head.lemma_.lower()),
                number,
            )


# Texts whose counts are kept: a question is asked of each of its candidate sentences.
COUNTS_CACHE = 512


@lru_cache(maxsize=COUNTS_CACHE)
def _counted(text: str) -> tuple[tuple[str | None, str, str], ...]:
    return tuple(_counts(text))


def counts_otherwise(question: str, sentence: str) -> bool:
    """The sentence counts a thing the question counts, of the same owner where the
    question names one, and never by the question's number."""
    asked = _counted(question)
    if not asked:
        return False  # the common case: no need to parse the sentence
    told = _counted(sentence)
    for owner, counted, number in asked:
        same = [n for o, c, n in told if c == counted and (owner is None or o in (owner, None))]
        if same and number not in same:
            return True
    return False
