"""Matching a question's parts against text: names, aliases and acronyms, and covered
words. (Values of the kind an answer needs, a date, a sum, a person: `rag.values`.)

Pure functions over `Text` (a sentence or paragraph tokenised once), used by
`rag.answerability` to compute its signals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.aliases import aliases
from rag.names import name_pairs, someone_else
from rag.nlp import Entity
from rag.question import QuestionFrame
from rag.text import content_words, initials, tokens

# Entity labels that can stand in one another's place in a sentence ("India" where the
# question said "Pakistan"): a mismatch between them is a conflict, not just an absence.
COMPATIBLE = {"GPE": "place", "NORP": "place", "LOC": "place", "PERSON": "person", "ORG": "org"}


def has_phrase(phrase: str, words: Sequence[str], joined: str) -> bool:
    """Does a text (its `words`, and them `joined` with a space around each) hold the
    phrase: one of its words, or its words in a row?"""
    if " " in phrase:
        return f" {phrase} " in joined
    return phrase in words


@dataclass(frozen=True)
class Text:
    """A sentence or paragraph prepared for matching: its tokens and stems."""

    words: tuple[str, ...]
    joined: str
    stems: frozenset[str]
    initials: str = ""  # first letters of its capitalised words, in order ("UN" finder)
    names: frozenset[tuple[str, str]] = frozenset()  # its full names (rag.names.name_pairs)

    @classmethod
    def of(cls, text: str) -> Text:
        words = tuple(tokens(text))
        stems = frozenset(content_words(text))
        return cls(words, f" {' '.join(words)} ", stems, initials(text), name_pairs(text))


GLUE = frozenset({"the", "of", "and", "for", "in", "on"})
# Words that only say what kind of body a name is: "the World Bank Group" is named where
# a text says "the World Bank", "Barrick Gold Corp." where it says "Barrick Gold".
_DESIGNATORS = frozenset(
    {"group", "inc", "corp", "corporation", "co", "ltd", "limited", "plc", "llc"}
)


# A name spelled out is found by its initials only when they make a word this long ("OIC"):
# two letters ("US", "UN") are other words too, and such names have aliases (rag.aliases).
MIN_ACRONYM = 3


def _acronym_of(acronym: str, text: Text) -> bool:
    """ "UN" in "the United Nations", "CISS" in "Center for International Strategic
    Studies": consecutive capitalised words (with of/for/and/the between) spell it."""
    return len(acronym) >= 2 and acronym.lower() in text.initials


def entity_found(entity: Entity, text: Text) -> float:
    """1 when the text names the entity (by alias, acronym or a person's surname), else
    the share of the entity's distinctive words it contains."""
    group = aliases(entity.text)
    if any(has_phrase(alias, text.words, text.joined) for alias in group):
        return 1.0
    words = [w for w in tokens(entity.text) if w not in GLUE]
    if not words:
        return 1.0
    if entity.label == "ORG" and len(words) > 1 and words[-1] in _DESIGNATORS:
        named = " ".join(tokens(entity.text)[:-1])
        if has_phrase(named.removeprefix("the "), text.words, text.joined):
            return 1.0
    if entity.label == "PERSON" and words[-1] in text.words:
        return 0.0 if someone_else(words, text.names) else 1.0  # "Steve", not "Zach", Witkoff
    bare = entity.text.strip()
    if 2 <= len(bare) <= 6 and bare.isupper() and _acronym_of(bare, text):
        return 1.0
    if _initials_used(bare, text):
        return 1.0
    return sum(w in text.words for w in words) / len(words)


def _initials_used(name: str, text: Text) -> bool:
    """ "the Organisation of Islamic Cooperation" where the text says "OIC"."""
    letters = initials(" ".join(w for w in name.split() if w.lower() not in GLUE))
    return len(letters) >= MIN_ACRONYM and letters in text.words


def term_cover(frame: QuestionFrame, stems: frozenset[str], idf: dict[str, float]) -> float:
    if not frame.terms:
        return 0.0
    unseen = idf.get("", 1.0)
    total = sum(idf.get(t, unseen) for t in frame.terms)
    return sum(idf.get(t, unseen) for t in frame.terms if t in stems) / total


# How much a question's named thing counts when only the sentence's paragraph names it.
PARAGRAPH_CREDIT = 0.5
_NAMEGLUE = re.compile(r"\s+(?!(?:of|for|and|the|de|al|bin)\b)[a-z]\w*\s+")
_JOINED = re.compile(r"\s+for\s+(?:the\s+)?|(?<=[\w.])-(?=[A-Z])")


# A name the recogniser ran on from two names typed side by side has at least this many
# words ("Barrick Gold Reko Diq"); two words are one name or none ("Asian Development").
_RUN_ON_WORDS = 3


def _run_of_names(entity: Entity, text: Text) -> bool:
    """Two names the text writes word for word, typed one after the other, that the
    recogniser read as one."""
    words = tokens(entity.text)
    if len(words) < _RUN_ON_WORDS:
        return False
    return any(
        has_phrase(" ".join(words[:i]), text.words, text.joined)
        and has_phrase(" ".join(words[i:]), text.words, text.joined)
        for i in range(1, len(words))
    )


def named_in(entity: Entity, text: Text) -> bool:
    """Strictly: the text names the entity as a whole (a multi-word name as a phrase, not
    its words scattered: "Asian Development Bank" is not in "South Asian … development").
    Names the recogniser ran together ("Haqqani in Foreign Policy", "Pak-US", "Trump for
    the Nobel Peace Prize") are judged by parts."""
    for glue in (_NAMEGLUE, _JOINED):
        parts = [p for p in glue.split(entity.text.strip()) if p]
        if len(parts) > 1:
            return all(named_in(Entity(p, entity.label, 0, len(p)), text) for p in parts)
    if entity_found(entity, text) < 1.0:
        return False
    if _run_of_names(entity, text):  # "barrick gold reko diq stake", typed as keywords
        return True
    words = [w for w in tokens(entity.text) if w not in GLUE]
    if len(words) < 2 or entity.label == "PERSON" or len(aliases(entity.text)) > 1:
        return True
    return (
        has_phrase(" ".join(tokens(entity.text)).removeprefix("the "), text.words, text.joined)
        or _acronym_of(entity.text.strip(), text)
        or _initials_used(entity.text.strip(), text)
    )
