"""Where a question's words sit in a sentence, whether a value sits near them, and
whether a noun points back to one named before ("these talks").

An answer type's value ("a date", "a sum") answers only when it is told of the question's
topic: beside the words the sentence shares with the question, not at the far end of a
long sentence about something else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rag.nlp import parse
from rag.roles import roles_at
from rag.text import stem, tokens

# A value "sits next to" a question word when at most this many characters separate them.
NEAR_CHARS = 60
_WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")
_MARKED = re.compile(r"['’.]")


def near(spans: Sequence[tuple[int, int]], sentence: str, terms: set[str]) -> bool:
    """Do at most `NEAR_CHARS` separate one of the question's words from a value's span? A
    span of (0, 0) is a value any sentence gives (`type_spans` for "any")."""
    if spans == [(0, 0)]:
        return True
    places = term_places(sentence, terms)
    return any(
        start - NEAR_CHARS <= p_end and p_start <= end + NEAR_CHARS
        for start, end in spans
        for p_start, p_end in places
    )


def described_near(spans: Sequence[tuple[int, int]], sentence: str, terms: set[str]) -> bool:
    """Does the role the sentence gives a name at one of `spans` hold a question word,
    however far it runs ("Husain Haqqani, a senior fellow at the Hudson Institute who
    served as Pakistan's ambassador" for "Who is the former ambassador?"; rag.roles)?"""
    return any(
        _is_term(word, terms)
        for start, end in spans
        for role, _ in roles_at(sentence, start, end)
        for word in _WORD.findall(role)
    )


# Dependencies of a verb that carries the clause of the one it hangs on: "agreed to provide"
# is done by the subject of "agreed".
_CARRIED = frozenset({"xcomp", "conj"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def subject_near(spans: Sequence[tuple[int, int]], sentence: str, terms: set[str]) -> bool:
    """Does the subject of the clause that tells a value at one of `spans` hold a question
    word, however long it runs ("the World Bank's private-sector investment arm, the
    International Finance Corporation, agreed to provide at least $300 million" for "How
    much is the World Bank putting in?")?"""
    doc = parse(sentence)
    return any(
        _is_term(w.text, terms)
        for start, _ in spans
        for subject in clause_subjects(doc, start)
        for w in subject.subtree
    )


def clause_subjects(doc: Any, start: int) -> list[Any]:
    """The subjects of the clause that tells what stands at character `start` of a parsed
    sentence: of its verb, or of the verb that one completes ("agreed to provide")."""
    tok = next((t for t in doc if t.idx <= start < t.idx + len(t)), None)
    while tok is not None and tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    while tok is not None and not any(c.dep_ in _SUBJECTS for c in tok.children):
        tok = tok.head if tok.dep_ in _CARRIED else None
    return [] if tok is None else [c for c in tok.children if c.dep_ in _SUBJECTS]


def term_places(sentence: str, terms: set[str]) -> list[tuple[int, int]]:
    """Where the sentence uses one of the question's (stemmed) words."""
    return [m.span() for m in _WORD.finditer(sentence) if _is_term(m.group(), terms)]


def _is_term(word: str, terms: set[str]) -> bool:
    """The word is one of `terms` as `tokens` reads it: "Pakistan’s" is "pakistan", a
    closing "2011." is "2011" (tokenised only when it has such marks: the common case is
    a plain word)."""
    if stem(word.lower()) in terms:
        return True
    return bool(_MARKED.search(word)) and any(stem(t) in terms for t in tokens(word))


# A noun after a demonstrative ("these talks") is one named before it in the paragraph.
# (it, or the word after it: "these talks", "these tariff talks")
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|that|those|such)\s+([\w-]+)(?:\s+([\w-]+))?", re.I)


def points_back(sentence: str, head: str) -> bool:
    """Does the sentence name the noun `head` (a stem) after a demonstrative ("these
    talks"): the one its paragraph named before ("the tariff talks")?"""
    return any(
        stem(word.lower()) == head
        for m in _DEMONSTRATIVE.finditer(sentence)
        for word in m.groups("")
    )


# How many words before a compound's modifier may qualify the same thing ("the 2021 Kabul
# airport bombing": "2021", "Kabul").
QUALIFIER_WORDS = 3


def qualified_otherwise(question: str, modifier: str, stems: set[str] | frozenset[str]) -> bool:
    """Does the sentence (its `stems`) give a name or a year the question puts before the
    modifier of the same compound? "a 2021 suicide bombing in Kabul" is "the 2021 Kabul
    airport bombing" without the word "airport"."""
    words = [m.group() for m in _WORD.finditer(question)]
    lowered = [w.lower() for w in words]
    if modifier.lower() not in lowered:
        return False
    at = lowered.index(modifier.lower())
    before = words[max(1, at - QUALIFIER_WORDS) : at]  # (the first word is capitalised anyway)
    return any((w[:1].isupper() or w.isdigit()) and stem(w.lower()) in stems for w in before)
