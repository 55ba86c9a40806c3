"""Follow-up questions: turn "And what about India?" into a standalone question.

Without an LLM a heuristic does it: a question that leans on the previous turn
(starts with "and"/"what about", or uses a pronoun without naming anything new)
borrows the previous question's words, so retrieval searches the combined meaning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.text import FOLLOWING_UP

_FOLLOW_UP_START = re.compile(
    r"^(and|but|also|so|then|what about|how about|and what|and how|why is that|why\b|"
    r"what else|anything else|more on|tell me more|same for|compared)\b",  # not "Sovereign"
    re.I,
)
_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there|"
    r"the same|the deal|the council|the country|the mine|the agreement)\b",
    re.I,
)
_NAME = re.compile(r"\b[A-Z][a-zA-Z]+\b")
_PERSONAL = re.compile(r"\b(?:he|him|his|she|her)\b", re.I)


def is_follow_up(question: str) -> bool:
    q = question.strip()
    if _FOLLOW_UP_START.match(q):
        return True
    words = q.split()
    names = [
        w
        for w in _NAME.findall(q)
        if w.lower()
        not in {
            "what",
            "who",
            "how",
            "why",
            "when",
            "where",
            "which",
            "is",
            "did",
            "does",
            "and",
            "i",
        }
    ]
    return bool(_PRONOUN.search(q)) and (len(words) <= 8 or not names)


def condense(question: str, history: Sequence[str]) -> str:
    """A standalone version of `question` given the user's earlier questions."""
    if not history or not (is_follow_up(question) or _names_nobody(question)):
        return question
    return following_up(question, history[-1])


def following_up(question: str, previous: str) -> str:
    """`question` carrying the words of the question it follows, as retrieval and the
    evidence gate read it."""
    return f"{question.strip()}{FOLLOWING_UP}{previous.strip().rstrip('?')})"


def _names_nobody(question: str) -> bool:
    """A he/she the question itself can't resolve ("How did he sum up Islamabad's
    approach to Trump?"): it leans on the previous turn however many names it has."""
    if not _PERSONAL.search(question):
        return False
    from rag.question import analyse  # spaCy: only for the questions that need it

    return analyse(question).unresolved is not None
