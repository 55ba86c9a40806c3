"""A different entity where the question named one: the sentence names another X than
the X asked about (Pakistan's ambassador for India's), or gives the thing asked to
another owner ("800 Pakistanis" where Indians were asked about)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from rag.aliases import is_city, is_country
from rag.answer_types import FIGURES
from rag.matching import COMPATIBLE, Text, entity_found
from rag.names import is_person
from rag.nlp import Entity, entities_of, parse
from rag.proximity import clause_subjects
from rag.question import QuestionFrame
from rag.text import stem
from rag.values import VALUE_KINDS
from rag.vocabulary import tells_verb


def conflict(
    frame: QuestionFrame,
    sentence: Text,
    entities: Iterable[Entity],
    paragraph: Text,
    people: frozenset[str] = frozenset(),
    kind: str | None = None,
) -> bool:
    """The sentence names a different X where the question named an X that neither it
    nor its paragraph names (Pakistan's ambassador where India's was asked for). A
    person's name the small model tagged otherwise (`people`, rag.names.person_names:
    "Dar’s visit" as a place) is no other place or body. `kind`: only an X of this kind
    (rag.matching.COMPATIBLE: "place", "person", "org")."""
    missing = {
        COMPATIBLE[e.label]
        for e in frame.entities
        if e.label in COMPATIBLE
        and kind in (None, COMPATIBLE[e.label])
        and entity_found(e, sentence) < 1.0
        and entity_found(e, paragraph) < 1.0
    }
    if not missing:
        return False
    return any(
        COMPATIBLE.get(e.label) in missing
        and not any(names(q, e) for q in frame.entities)
        and (e.label == "PERSON" or not is_person(e, people))
        for e in entities
    )


# A preposition that gives a place its part in an event: where a thing goes or comes from
# ("ship copper to China", "ambassador to India").
_BOUND = re.compile(r"\b(to|from|into)\s+(?:the\s+)?$", re.I)
_BOUND_REACH = 12  # characters before a name: the preposition and an article


def _bound(text: str, entity: Entity, start: int) -> str | None:
    """The preposition right before the place at `start` in `text`, if one of `_BOUND`
    ("to Sharifullah's arrest" sends nothing to Sharifullah, nor "to the South Asian
    country" to a people)."""
    if entity.label not in ("GPE", "LOC") or text[start + len(entity.text) :].startswith(
        ("'s", "’s")
    ):
        return None
    found = _BOUND.search(text[max(0, start - _BOUND_REACH) : start])
    return found.group(1).lower() if found else None


def bound_elsewhere(
    frame: QuestionFrame, sentence: str, text: Text, entities: Iterable[Entity], offset: int
) -> bool:
    """The question sends something to (or from) a place the sentence doesn't name, and
    the sentence sends it to another: "…to ship copper to China?" is not answered by a
    deal "to deliver minerals such as copper … to the United States", whatever else the
    paragraph says of China. (`text`: the sentence's; `entities`: its entities, at
    `offset` in its paragraph.)"""
    asked = {
        prep
        for e in frame.entities
        if (prep := _bound(frame.text, e, e.start)) is not None
        and (is_country(e.text) or is_city(e.text))
        and entity_found(e, text) < 1.0
    }
    return bool(asked) and any(
        _bound(sentence, e, e.start - offset) in asked
        and not any(names(q, e) for q in frame.entities)
        for e in entities
    )


# A preposition that makes the name after it a place where something happens ("the forum
# in Islamabad"), not a party to it ("the India-U.S. relationship").
_WHERE = re.compile(r"\b(?:in|at|to|from|near|across|throughout)\s+(?:the\s+)?$", re.I)


def parties(entities: Iterable[Entity], text: str) -> tuple[Entity, ...]:
    """The entities of `text` (offsets into it) that are not a place where something
    happens."""
    return tuple(e for e in entities if not _WHERE.search(text[max(0, e.start - 16) : e.start]))


def names(asked: Entity, found: Entity) -> bool:
    """`found` names what `asked` names (itself, an alias, an acronym or a surname)."""
    return entity_found(asked, Text.of(found.text)) >= 1.0


# An owner, then the owned noun: "Pakistan's ambassador", "Pakistan's former ambassador",
# "Pakistani students", "U.S. ambassador" (at most one lower-case word between them).
_OWNED = re.compile(r"(?P<poss>['’]s?)?\s+(?P<first>[\w-]+)(?:\s+(?P<second>[\w-]+))?")
# A name not followed by "'s" owns the next noun as a demonym ("Pakistani students"), an
# abbreviation ("US ambassador") or where the parse says so; "Tanzania signed" does not.
_ABBREVIATION = re.compile(r"[A-Z.]{2,5}")
# An office, then the country it is posted to, right before a name: "ambassador to New
# Delhi".
_SENT_TO = re.compile(r"\b(?P<office>[a-z][\w-]*)\s+to\s+(?:the\s+)?$")


def owner_conflict(
    frame: QuestionFrame, sentence: str, entities: Iterable[Entity], offset: int
) -> bool:
    """The sentence gives the thing the question asks about to another owner of the same
    kind, and never to the question's: "Pakistan's ambassador" where India's was asked
    for, "Pakistani students" for Indian ones."""
    for owner, noun in frame.owners:
        if not _one_country(owner):
            continue
        kind = COMPATIBLE.get(owner.label)
        named = [e for e in entities if COMPATIBLE.get(e.label) == kind and _one_country(e)]
        holders = [e for e in named if _owns(sentence, e, e.start - offset, e.end - offset, noun)]
        # "Pakistan-US relations": the name before the hyphen holds them too
        holders += [e for e in named for h in holders if _paired(sentence, e, h, offset)]
        if holders and not any(names(owner, e) for e in holders):
            return True
    for country, office in frame.postings:  # "ambassador to Islamabad" asked
        posted = [e for e in entities if _posted(sentence, e, e.start - offset, office)]
        if posted and not any(names(country, e) for e in posted):
            return True  # "…as the new U.S. ambassador to New Delhi"
    return False


def _posted(sentence: str, e: Entity, start: int, office: str) -> bool:
    """Is the name at sentence[start:] the country the office before it is posted to?"""
    sent = _SENT_TO.search(sentence[: max(0, start)])
    return sent is not None and is_country(e.text) and stem(sent.group("office").lower()) == office


# How far after a figure a country may sit and still own it: "800 Pakistanis", "from 29%
# to 19% on Pakistani goods", "13 US personnel" (a few words).
_VALUE_OWNER_CHARS = 24


def value_owner_conflict(
    frame: QuestionFrame,
    entities: Iterable[Entity],
    offset: int,
    spans: Sequence[tuple[int, int]],
) -> bool:
    """A figure asked for one country's thing, and the sentence's figures (`spans`) all
    belong to another, whatever else it names: "How many Indians…" is not answered by
    "almost 800 Pakistanis", nor "tariffs on Indian exports" by "…on Pakistani goods"."""
    if frame.answer_type not in VALUE_KINDS or not spans:
        return False
    # a city owns a place or an event ("the Kabul bombing"), not the people counted
    asked = [o for o, _ in frame.owners if is_country(o.text) and not is_city(o.text)]
    asked += [
        e for e in frame.entities if is_country(e.text) and stem(e.text.lower()) == frame.slot
    ]
    if not asked:
        return False
    countries = [
        (e.start - offset, e) for e in entities if e.label in ("NORP", "GPE") and is_country(e.text)
    ]

    def owner(end: int) -> Entity | None:
        return next((e for start, e in countries if 0 <= start - end <= _VALUE_OWNER_CHARS), None)

    # a country the question names anywhere may own the figure too: "the American duty on
    # goods from Pakistan" is stated by "tariffs … on Pakistani goods"
    named = asked + [e for e in frame.entities if is_country(e.text) and not is_city(e.text)]
    owners = [owner(end) for _, end in spans]
    return all(o is not None and not any(names(a, o) for a in named) for o in owners)


def _owns(sentence: str, e: Entity, start: int, end: int, noun: str) -> bool:
    """Does the name at sentence[start:end] own the noun that follows it?"""
    m = _OWNED.match(sentence, max(0, end))
    if not m or noun not in _owned_stems(m):
        return False
    return bool(
        m.group("poss")
        or e.label == "NORP"
        or _ABBREVIATION.fullmatch(e.text.strip())
        or _modifies(sentence, start, end, noun)
    )


def _paired(sentence: str, first: Entity, second: Entity, offset: int) -> bool:
    """Are the two names written as a pair, "Pakistan-US"?"""
    return (
        first.end == second.start - 1
        and sentence[first.end - offset : second.start - offset] == "-"
    )


def _one_country(e: Entity) -> bool:
    """A nationality counts only when the alias list knows its country: "Western" or
    "Muslim" names a bloc that contains others, and a Canadian firm is a Western one."""
    return e.label != "NORP" or is_country(e.text)


def _modifies(sentence: str, start: int, end: int, noun: str) -> bool:
    """The parse says the name modifies the noun ("the Trump family"), not that it is the
    subject of a verb ("Tanzania signed"); parsed only in this rare case."""
    span = parse(sentence).char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root.head
    return span.root.dep_ == "compound" and head.pos_ == "NOUN" and stem(head.lower_) == noun


def _owned_stems(m: re.Match[str]) -> set[str]:
    first, second = m.group("first"), m.group("second")
    stems = {stem(first.lower())}
    if second and first.islower():  # "former ambassador", not "Pakistan ambassador"
        stems.add(stem(second.lower()))
    return stems


# Labels of a name that does things ("Komatsu agreed", "Bilal Bin Saqib announced").
_DOERS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Pronouns that stand for the last person named ("he subsequently announced").
_PERSONAL = frozenset({"he", "she"})


def agent_conflict(
    frame: QuestionFrame,
    sentence: str,
    text: Text,
    people: frozenset[str] = frozenset(),
    spans: Sequence[tuple[int, int]] = (),
) -> bool:
    """The sentence gives the question's verb to another doer: "How much did Komatsu
    agree to provide?" is not answered by "the IFC agreed to provide $300 million…, and
    Barrick signed a deal with Komatsu", nor "What did Zach Witkoff announce?" by "Bilal
    Bin Saqib … announced". A "he" or "she" stands for the last person named before it
    (`people`: the articles' people by name, whom the small model may tag otherwise:
    "Trump’s gratefulness… when in 2018 he accused"). (`text`: the sentence's.) A figure
    asked of a doer's deed is another's, too, in a sentence that tells neither
    (`figure_elsewhere`), or in one whose figures (`spans`) all others tell
    (`figure_by_another`)."""
    if figure_elsewhere(frame, text) or figure_by_another(frame, sentence, spans):
        return True
    agent, verb = frame.agent, frame.predicate
    if agent is None or verb is None:
        return False
    verbs = {verb, frame.lemmas.get(verb, verb)}
    if not verbs & text.stems:
        return False  # the common case: no need to parse
    doc = parse(sentence)
    named = [e for e in entities_of(doc) if e.label in _DOERS]
    for tok in doc:
        if tok.pos_ != "VERB" or not verbs & {stem(tok.lower_), stem(tok.lemma_.lower())}:
            continue
        doer = tok
        while not _subject(doer):
            if doer.dep_ in ("xcomp", "conj"):
                doer = doer.head  # "agreed to provide": the subject of "agreed"
            elif doer.dep_ in ("relcl", "acl") and doer.head.dep_ == "attr":
                doer = doer.head.head  # "became the first country to recommend him"
            else:
                break
        for subject in _subject(doer):
            if subject.tag_ == "PRP":  # "he subsequently announced"; "it", "they": no person
                before = [e for e in named if is_person(e, people) and e.end <= subject.idx]
                found = before[-1:] if subject.lower_ in _PERSONAL else []
            else:
                left, right = subject.left_edge.idx, subject.right_edge.idx
                found = [e for e in named if left <= e.start <= right]
            if found and not any(names(agent, e) for e in found):
                return True
    return False


def _subject(tok: Any) -> list[Any]:
    return [c for c in tok.children if c.dep_ == "nsubj"]


def figure_elsewhere(frame: QuestionFrame, text: Text) -> bool:
    """A figure asked of a doer's deed ("How much financing did the IFC commit to the
    deal?") is not given by a sentence that tells neither the doer nor the deed: its
    figure ("the FWO signed a $500 million deal") is another's. A deed told by a light
    verb ("What share did Komatsu get?") is any deed: the doer must be named."""
    return (
        frame.answer_type in FIGURES
        and frame.agent is not None
        and entity_found(frame.agent, text) < 1.0
        and (frame.predicate is None or not tells_verb(frame, text))
    )


# Labels of a doer whose figures a clause tells: a person or a body, not a people or place
# (the small model tags "Pakistanis" ORG at times: the alias list knows it).
_BODIES = frozenset({"PERSON", "ORG"})


def _body(e: Entity) -> bool:
    return e.label in _BODIES and not is_country(e.text)


def figure_by_another(
    frame: QuestionFrame, sentence: str, spans: Sequence[tuple[int, int]]
) -> bool:
    """A figure asked of a doer ("How much did Komatsu put into the mine?") is not given
    by a sentence whose every figure is told by a clause whose subject names another
    ("the IFC agreed to provide at least $300 million…, and Barrick signed a $440 million
    deal with Komatsu"). A subject naming no one ("which", "it") says nothing."""
    agent = frame.agent
    if frame.answer_type not in FIGURES or agent is None or not _body(agent):
        return False  # ("How many Pakistanis…" counts a people, whoever the clause's doer)
    if not spans:
        return False
    doc = parse(sentence)
    named = [e for e in entities_of(doc) if e.label in _DOERS]
    for start, _ in spans:
        doers = [
            e
            for subject in clause_subjects(doc, start)
            for e in named
            if subject.left_edge.idx <= e.start <= subject.right_edge.idx
        ]
        if not doers or any(names(agent, e) for e in doers):
            return False
    return True


def figure_unowned(frame: QuestionFrame, required: Sequence[Entity], context: Text) -> bool:
    """A figure asked of a name that neither the sentence's paragraph nor the one before
    names ("What share of U.S. Strategic Metals does the Trump family own?" beside "World
    Liberty Financial, a company in which the Trump family holds a 60% stake") is another
    thing's figure. (`required`: the question's names a paragraph must hold; `context`:
    the paragraph with the one before, where "the project" may stand for Reko Diq.)"""
    return frame.answer_type in FIGURES and any(entity_found(e, context) == 0.0 for e in required)


# Parties the question joins itself ("Barrick and the IFC"): asked of together, not as
# one doing something to the other.
_JOINED = re.compile(r"^\s*(?:,|and|or|,\s*and)\s*$")
_PARTY_LABELS = frozenset({"ORG", "PERSON"})


def parties_split(frame: QuestionFrame, sentence: str, required: Sequence[Entity]) -> bool:
    """Two of the question's parties (bodies or people) are in the sentence, but each in a
    clause of its own: "How much did the IFC pay Komatsu…?" is not told by "the IFC agreed
    to provide $300 million…, and Barrick signed a $440 million deal… with Komatsu"."""
    parties = sorted(
        (e for e in required if e.label in _PARTY_LABELS and not is_country(e.text)),
        key=lambda e: e.start,
    )
    if len(parties) < 2 or any(
        _JOINED.match(frame.text[a.end : b.start]) for a, b in pairwise(parties)
    ):
        return False
    clauses = [Text.of(c) for c in _clauses(sentence)]
    if len(clauses) < 2:
        return False
    held = [{i for i, c in enumerate(clauses) if entity_found(e, c) >= 1.0} for e in parties]
    return all(held) and not set.intersection(*held)


def _clauses(sentence: str) -> list[str]:
    """The sentence's main clause, then each clause joined to it with a subject of its own
    (", and Barrick signed…"; not ", and agreed…" or ", and it agreed…", which go on about
    the same doer, nor the last of a list of names)."""
    if ", " not in sentence:
        return [sentence]  # the common case, unparsed
    doc = parse(sentence)
    joined = [
        (t.left_edge.idx, t.right_edge.idx + len(t.right_edge))
        for t in doc
        if t.dep_ == "conj"
        and t.pos_ in ("VERB", "AUX")
        and any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ != "PRP" for c in t.children)
    ]
    main = "".join(" " if any(a <= i < b for a, b in joined) else c for i, c in enumerate(sentence))
    return [main, *(sentence[a:b] for a, b in joined)]
