"""The two sides of a comparison question, and the sentence that tells each.

"How did Trump's dealings with Imran Khan differ from the way Biden treated Pakistan?"
asks about two things. The sentence most likely to answer tells one of them ("Trump
described Khan as his 'very good friend'"); an answer quoting only it leaves the other
side out, however sure it is. `sides` splits such a question at its comparing words
("compare with", "differ from", "vs", "Which was higher: X or Y?") into the words only
each side has, so the extractive answer can add the best sentence telling a side none of
its sentences tells (rag.generation.extractive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text import content_words

# Words that set one side of a comparison against the other: "X compared with Y",
# "X differ from Y", "X vs Y", "X as opposed to Y".
_SETS_AGAINST = re.compile(
    r"\b(?:compar(?:e|es|ed|ing)|contrast(?:s|ed|ing)?|differ(?:s|ed|ing)?|different|"
    r"stack(?:s|ed)? up)\s+(?:with|to|from|against)\b|\bvs\.?(?=\s)|\bversus\b|"
    r"\bas opposed to\b",
    re.I,
)
# "Which was higher: the tariff on India, or the one on Pakistan?": the two things weighed
# come after the colon (or comma), either side of "or".
_WHICH_OF_TWO = re.compile(
    r"^\W*(?:which|what|who)\b[^:?,]{0,80}[:,]\s*(?P<a>[^?]+?),?\s+or\s+(?P<b>[^?]+)", re.I
)
# Words that say nothing of which side a sentence tells: the comparing itself.
_COMPARING = content_words("compare contrast differ different difference way view account")


@dataclass(frozen=True)
class Sides:
    """A comparison question's words (stems): those only each side has, and those both
    share (what is compared: "tariffs" in "tariffs on India vs those on Pakistan")."""

    own: tuple[frozenset[str], frozenset[str]]
    shared: frozenset[str]

    def one_sided(self, words: set[str]) -> bool:
        """Are these words (a name's) all of one side's own, none shared?"""
        return bool(words) and any(words <= side for side in self.own)

    def tells(self, side: frozenset[str], words: set[str]) -> int:
        """How many of a side's own words a sentence's words say: none unless it says
        something of what both share too (when they share anything)."""
        if self.shared and not self.shared & words:
            return 0
        return len(side & words)


def sides(question: str) -> Sides | None:
    """The two sides of a comparison question, or None when it sets no two things
    against each other, or a side has no word of its own ("How do the two articles
    compare?")."""
    found = _SETS_AGAINST.search(question)
    if found is not None:
        first, second = question[: found.start()], question[found.end() :]
    elif (two := _WHICH_OF_TWO.search(question)) is not None:
        first, second = two.group("a"), two.group("b")
    else:
        return None
    a = content_words(first) - _COMPARING
    b = content_words(second) - _COMPARING
    own_a, own_b = frozenset(a - b), frozenset(b - a)
    if not own_a or not own_b:
        return None
    return Sides((own_a, own_b), frozenset(a & b))
