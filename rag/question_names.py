"""A question's names as the small parser finds them, cleaned for matching.

spaCy's small English model runs common words into a name ("Gulf kingdom", "Following
America's"), reads an owner and the thing owned as one ("Trump's Truth Social"), and
cannot tell a name the question sets aside ("Besides the Americans, …") from one it is
about. These pure functions fix each, on the question's parse.
"""

from __future__ import annotations

import re
from typing import Any

from rag.nlp import Entity
from rag.text import word_set

# Labels of the named things a question can be about (its focus).
FOCUS_LABELS = word_set("PERSON ORG GPE NORP LOC FAC EVENT PRODUCT LAW WORK_OF_ART LANGUAGE")


_POSSESSIVE_INSIDE = re.compile(r"['’]s\s+")


def trimmed(entity: Entity, span: Any) -> tuple[Entity, ...]:
    """A name's own words, without the common words the small model runs into it:
    "Gulf kingdom" -> "Gulf", "Following America's" -> "America's". Values (dates,
    sums) are kept as they are; a name with no capitalised word left is dropped."""
    if entity.label not in FOCUS_LABELS:
        return (entity,)
    words = list(span)
    # the question's first word is capitalised whatever it is ("Following", "Did")
    while words and words[0].i == 0 and words[0].pos_ not in _NAME_POS:
        words = words[1:]
    while words and not _capitalised(words[0].text) and words[0].lower_ != "the":
        words = words[1:]
    while words and not _capitalised(words[-1].text) and words[-1].tag_ != "POS":
        words = words[:-1]
    if not words:
        return ()
    if len(words) == len(span):
        return (entity,)
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return (Entity(span.doc.text[start:end], entity.label, start, end),)


# What the first word of a question is when it is (part of) a name: "Chinese officials".
_NAME_POS = word_set("PROPN ADJ NOUN NUM")


def _capitalised(word: str) -> bool:
    return any(c.isupper() or c.isdigit() for c in word)


def split_possessive(entity: Entity) -> tuple[Entity, ...]:
    """ "Trump's Truth Social" (one ORG to the small model) is two names, the owner and
    the owned: an article telling of "a Truth Social post" by Trump names both."""
    m = _POSSESSIVE_INSIDE.search(entity.text)
    if m is None:
        return (entity,)
    owner = Entity(entity.text[: m.start()], entity.label, entity.start, entity.start + m.start())
    owned = Entity(entity.text[m.end() :], entity.label, entity.start + m.end(), entity.end)
    return owner, owned


def set_aside(doc: Any, entity: Entity) -> bool:
    """ "Besides the Americans, which countries…": a name the question sets aside is not
    what the answer is about."""
    before = doc.text[: entity.start].lower().split()[-3:]
    return bool(_ASIDE & set(before)) or " ".join(before[-2:]) in _ASIDE_PAIRS


_ASIDE = word_set("besides excluding except")
_ASIDE_PAIRS = frozenset({"other than", "apart from", "aside from", "except for"})
