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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.matching import Text, entity_found
from rag.nlp import Entity
from rag.text import content_words, stem, word_set

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
# Words that say nothing of which side a sentence tells: the comparing itself, and the
# word standing for what is compared ("tariffs on Pakistan vs the ones on India").
_COMPARING = content_words("compare contrast differ different difference way view account one ones")
# Words that join the names of a comparison's other side ("Australia or Canada").
_JOINING = word_set("or and")


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


# "X compare (in size) with/to (that in) Y (on cost)", "compare X in Pakistan with those in
# Y": Y a name, what is compared X's.
_AGAINST_NAMED = re.compile(
    r"\bcompar(?:e|es|ed|ing)\s+(?:in\s+(?P<dim>\w+)\s+|(?:[\w'’-]+\s+){1,6}?)?(?:with|to)\s+"
    r"(?:(?:that|those|the\s+ones?|the\s+one)\s+(?:in|of|on|for|at)\s+)?"
    r"(?P<other>[^,?]+?)(?:['’]s)?(?:\s+on\s+(?P<dim2>\w+))?\s*(?=[,?]|$)",
    re.I,
)
# Dependencies of the words before "compare" that say what is compared: "the cost", "the
# reserves" (its subject), "labour costs" (its object).
_COMPARED_DEPS = frozenset({"nsubj", "dobj"})


@dataclass(frozen=True)
class Against:
    """A comparison with a thing the question names only by its name: "How does the cost
    of extracting minerals in Pakistan compare with that in Ukraine?" asks Ukraine's
    cost. `names`: Ukraine's (one of them, for "Australia or Canada"); `measures`: the
    stems of what is compared ("cost"; "reserves" and "size")."""

    names: tuple[Entity, ...]
    measures: frozenset[str]
    measure: str = "it"  # as the question words it, for the refusal

    def refusal(self) -> str:
        named = " or ".join(e.text for e in self.names)
        return f"The articles don't give the {self.measure} for {named} to compare with."

    def told_by(self, sentence: str) -> bool:
        """Does the sentence give what is compared for the named thing?"""
        text = Text.of(sentence)
        return any(entity_found(e, text) == 1.0 for e in self.names) and bool(
            self.measures & text.stems
        )


def against_named(question: str, entities: Sequence[Entity], doc: Any) -> Against | None:
    """The comparison `Against` asks for, or None when the question's other side is more
    than a name ("compare with the way Biden treated Pakistan": `sides` reads those)."""
    found = _AGAINST_NAMED.search(question)
    if found is None:
        return None
    start, end = found.span("other")
    names = tuple(e for e in entities if start <= e.start and e.end <= end)
    named = {w for e in names for w in content_words(e.text)}
    if not names or content_words(found["other"]) - named - _JOINING:
        return None
    measures = {stem(d) for d in (found["dim"], found["dim2"]) if d and d.islower()}
    measures |= {  # the noun and the nouns that name its kind ("tariff rate")
        stem(n.lemma_.lower())
        for t in doc
        if t.idx < found.end("other")
        and t.dep_ in _COMPARED_DEPS
        and t.pos_ == "NOUN"
        and (t.head.lower_.startswith("compar") or t.head.lemma_ == "do")
        for n in (t, *(c for c in t.children if c.dep_ == "compound" and c.pos_ == "NOUN"))
    }
    said = [t.lower_ for t in doc if stem(t.lemma_.lower()) in measures and t.idx < found.start()]
    word = (said or [found["dim"] or found["dim2"] or "it"])[0]
    return Against(names, frozenset(measures), word) if measures else None
