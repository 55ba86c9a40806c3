"""Which event a figure, date or place in a sentence belongs to.

"In which city was Sharifullah arrested?" is not answered by "…helped the United States
arrest Mohammad Sharifullah, the mastermind of a 2021 suicide bombing in Kabul": the
sentence tells of the arrest, but Kabul is where the bombing was. A value belongs to the
nearest event above it in the sentence's parse, a verb or a noun naming an event
("bombing", "withdrawal"), carried up through a verb it completes ("agreed to provide
$300 million": the agreeing's too). When the sentence tells of the question's event by
its word, and every value of the kind asked belongs to another event, one neither the
question's in other words nor one whose clause holds the question's ("came in
February, when it helped…"), the sentence doesn't give the value asked. A sentence that
doesn't use the question's word is left alone: which of its words tells the event, the
parse can't say ("hosted" for "received").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from rag.events import LIGHT_VERBS
from rag.nlp import Entity, parse
from rag.question import QuestionFrame
from rag.text import stem
from rag.values import VALUE_KINDS, type_spans

# The kinds of answer a value of an event gives: its figure, its date, its place.
BOUND_TYPES = VALUE_KINDS | {"date", "place"}
# A noun naming an event, by its ending ("bombing", "withdrawal", "agreement").
_EVENT_NOUN = re.compile(r"\w{3,}(?:ing|tion|sion|ment|wal|val)$")
# Nouns of an event's phase: "the beginning of bilateral ties in the 1950s" dates the ties.
_ASPECTS = frozenset({"beginning", "start", "outset", "onset"})
# How a verb hangs on the one it completes ("agreed to provide", "helped arrest").
_COMPLETES = frozenset({"xcomp", "ccomp", "conj"})


def _events_above(tok: Any) -> list[Any]:
    """The nearest verb or event noun above the token, and the verbs it completes."""
    found: list[Any] = []
    t = tok
    while t.head.i != t.i:
        t = t.head
        if t.dep_ == "prep" or t.lower_ in _ASPECTS:
            continue  # "including", "following": a preposition; "the beginning of" ties
        if t.pos_ in ("VERB", "AUX") or (t.pos_ == "NOUN" and _EVENT_NOUN.fullmatch(t.lower_)):
            found.append(t)
            break
    while (
        found
        and found[-1].pos_ == "VERB"
        and found[-1].dep_ in _COMPLETES
        and found[-1].head.i != found[-1].i
    ):
        found.append(found[-1].head)
    return found


def value_elsewhere(
    frame: QuestionFrame,
    sentence: str,
    spans: Sequence[tuple[int, int]],
    alike: Callable[[str, str], bool],
) -> bool:
    """Does every value of the kind asked (`spans`, in the sentence) belong to another
    event than the question's? `alike(verb, word)`: does the word mean the verb?"""
    verb = frame.predicate
    if (
        frame.answer_type not in BOUND_TYPES
        or verb is None
        or not frame.realized
        or frame.lemmas.get(verb, verb) in LIGHT_VERBS
        or not spans
        or spans[0] == (0, 0)
    ):
        return False
    asked = {verb, stem(frame.lemmas.get(verb, verb))}
    surface = frame.surface.get(verb, verb)
    doc = parse(sentence)

    def asked_verb(tok: Any) -> bool:
        return bool(asked & {stem(tok.lower_), stem(tok.lemma_.lower())})

    told = [t for t in doc if t.pos_ in ("VERB", "NOUN") and asked_verb(t)]
    if not told:
        return False  # told in other words, if at all: which of its words, the parse can't say
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        events = _events_above(span.root)
        if not events or events[0].pos_ == "AUX":
            return False  # "The deal was worth $500 million": no other event
        for e in events:
            if asked_verb(e) or alike(surface, e.lower_):
                return False
            if any(e.i != t.i and e.is_ancestor(t) for t in told):
                return False  # "came in February, when it helped…": the helping's date too
    return True


# A candidate sentence as the evidence gate holds it: (text, passage number, start and end
# in its paragraph, the paragraph's entities inside it).
Candidate = tuple[str, int, int, int, tuple[Entity, ...]]


def values_elsewhere(
    frame: QuestionFrame,
    candidates: Sequence[Candidate],
    judged: Collection[int],
    alike: Callable[[str, str], bool],
) -> list[bool]:
    """`value_elsewhere` for each candidate whose index is in `judged` (those that may
    answer); False for the rest, which are not parsed."""
    return [
        i in judged
        and value_elsewhere(
            frame, text, type_spans(frame.answer_type, text, inside, start, frame), alike
        )
        for i, (text, _, start, _, inside) in enumerate(candidates)
    ]
