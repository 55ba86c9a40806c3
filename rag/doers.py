"""Who does and who owns what a question asks about: the doer of its main verb ("did
Komatsu agree…") and the names that own a noun ("India's ambassador", "Indian students").
Read from spaCy's parse of the question by rag.question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rag.aliases import is_country
from rag.answer_types import NOUN_TYPES
from rag.events import do_supported
from rag.nlp import WH_TAGS, Entity, root_of
from rag.text import stem


def owners(
    doc: Any, ents: list[Entity], focus: tuple[Entity, ...]
) -> tuple[tuple[Entity, str], ...]:
    """(entity, noun stem) where a named thing modifies a common noun: "India's
    ambassador", "US ambassador", "Indian students"."""
    by_start = {e.start: e for e in ents if e in focus}
    pairs = []
    for span in doc.ents:
        entity = by_start.get(span.start_char)
        head = span.root.head
        if (
            entity is not None
            and span.root.dep_ in ("poss", "compound", "amod", "nmod")
            and head.pos_ == "NOUN"
            and not span.start <= head.i < span.end
            # "did Kenya and Tanzania sign": a misparsed verb, not an owned thing
            and head.dep_ != "ROOT"
            and not any(c.dep_ == "conj" for c in span.root.children)
        ):
            pairs.append((entity, stem(head.lower_)))
    return tuple(pairs)


def postings(
    doc: Any, ents: list[Entity], focus: tuple[Entity, ...]
) -> tuple[tuple[Entity, str], ...]:
    """(country, noun stem) where a person is posted to a country: "the US ambassador to
    Islamabad" -> (Islamabad, ambassador). Not "exports to the US" or "trip to Washington":
    only a person's office (`NOUN_TYPES["person"]`) is posted."""
    by_start = {e.start: e for e in ents if e in focus}
    pairs = []
    for span in doc.ents:
        entity, prep = by_start.get(span.start_char), span.root.head
        office = stem(prep.head.lower_)
        if (
            entity is not None
            and is_country(entity.text)
            and span.root.dep_ == "pobj"
            and prep.lower_ == "to"
            and office in NOUN_TYPES["person"]
        ):
            pairs.append((entity, office))
    return tuple(pairs)


# a proper noun the recogniser left unlabelled ("Did Trump visit…") is a name too
_AGENTS = frozenset({"PERSON", "ORG", "NAME"})
# Labels of a country or its people ("India", "Indians"): a doer only as the parse's subject.
_COUNTRIES = frozenset({"GPE", "NORP"})


def agent(doc: Any, focus: tuple[Entity, ...]) -> Entity | None:
    """The name that is the subject of the question's main verb."""
    misread = do_supported(doc)  # "did Komatsu sign…": the name before the verb
    if misread is not None:
        names = [t for t in doc[: misread.i] if t.pos_ == "PROPN" and t.head == misread]
        return _named_at(focus, names)
    root = root_of(doc)
    if root is None or root.pos_ != "VERB":
        return None
    # not the thing asked for, misparsed as the subject ("how many Pakistanis does…")
    subjects = [
        c
        for c in root.children
        if c.dep_ == "nsubj"
        and not any(t.tag_ in WH_TAGS or t.lower_ in ("many", "much") for t in c.subtree)
    ]
    if any(c.dep_ == "nsubjpass" for c in root.children):
        return None  # "Could NIFTAC be integrated…": its subject is done to, not the doer
    labels = _AGENTS | _COUNTRIES  # a country too, when the parse makes it the subject
    # "did Imran Khan's government sign…": the person or body whose government (firm,
    # team) it is does it; not a country, whose government the articles name otherwise
    owners = [p for s in subjects if s.pos_ == "NOUN" for p in s.children if p.dep_ == "poss"]
    if not subjects:  # "Did Trump visit…": the small model makes the name a compound
        subjects = [c for c in root.children if c.i < root.i and c.pos_ == "PROPN"]
        labels = _AGENTS  # ("how many Pakistanis do US programs bring": not the doer)
    doer = _named_at(focus, subjects, labels)
    return doer if doer is not None else _named_at(focus, owners, _AGENTS)


def _named_at(
    focus: tuple[Entity, ...], words: Sequence[Any], labels: frozenset[str] | None = None
) -> Entity | None:
    """The first of the question's names that one of `words` (tokens) is part of, of
    one of `labels` if given."""
    return next(
        (
            e
            for e in focus
            for w in words
            if e.start <= w.idx < e.end and (labels is None or e.label in labels)
        ),
        None,
    )
