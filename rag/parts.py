"""Compound questions: "What is Reko Diq, and why is it at risk?" answered part by part.

A question that joins two asks with "and" and a second question word has each part
judged on its own (`assess_parts`): a part the articles answer is not refused because
its other half isn't, and each part gets its own answering sentence instead of one
lead that answers the stronger half. A later part leans on the first ("why is *it*
at risk?"), so it is made to stand alone (`standalone`): its pronoun replaced by what
it points back to, or by the first part's answer, else read as a follow-up of the
first. A part the articles don't answer is named in the answer (`answer_parts`): half
an answer is never passed off as a whole one; nor is a part that another part's quote
answers said to be unanswered ("…, and in which month was it signed?": "signed… in
September"). Compound questions the catalog answers are rag.catalog_parts'.

Only the extractive generator answers part by part; a language model reads the whole
question and answers (or declines) every part itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from rag.answers import UNANSWERED_PART
from rag.conversation import following_up
from rag.events import LIGHT_VERBS
from rag.generation import Draft, Generator
from rag.generation.extractive import ExtractiveGenerator
from rag.nlp import WH_TAGS, Entity, parse
from rag.question import ANSWER_WORDS
from rag.schema import Passage
from rag.scored import Evidence, Part
from rag.spelling import PRONOUN
from rag.text import FOLLOWING_UP, content_words, stem
from rag.values import type_spans

Assess = Callable[[str, Sequence[Passage]], Evidence]

# "…, and why…", "… and over what?": "and" opening an ask with its own question word.
_JOIN = re.compile(
    r",?\s+and\s+(?=(?:(?:in|on|over|to|toward|towards|for|from|with|by|at)\s+)?"
    r"(?:what|why|how|who|whom|whose|where|when|which)\b)",
    re.I,
)
# "Where and when was it taken?" asks one thing twice over and stays whole: the first
# part must have words of its own.
MIN_FIRST_PART_WORDS = 3
# Each part costs a judgement (and a search): a question joining more asks than this has
# its last ones judged together.
MAX_PARTS = 4


def split_parts(question: str) -> list[str]:
    """The asks a question joins with "and", each ending "?"; one part when it joins none.
    A follow-up's parts each carry the question it follows, which is never split."""
    head, context, tail = question.strip().partition(FOLLOWING_UP)
    pieces = [p.strip(" ,;?") for p in _JOIN.split(head)]
    if len(pieces) < 2 or len(pieces[0].split()) < MIN_FIRST_PART_WORDS:
        return [question]
    if len(pieces) > MAX_PARTS:  # the rest stays with the last part, judged as one
        pieces = [*pieces[: MAX_PARTS - 1], " and ".join(pieces[MAX_PARTS - 1 :])]
    return [p[0].upper() + p[1:] + "?" + context + tail for p in pieces]


# A later part's demonstrative (its pronouns: rag.spelling.PRONOUN), and what it becomes.
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|these|those)\s+([a-z]+)\b", re.I)
_PERSONAL = {"he", "him", "his", "she", "her"}
# A name's possessive ending ("Joseph Mwangi's role"), which the small model may tag too.
_POSSESSOR = re.compile(r"['’]s$")
# "her job" (hers), not "appointed her to" or "asked her?" (her): a word after it that
# isn't a preposition or the end.
_HERS = re.compile(
    r"\s+(?!(?:to|in|on|at|for|with|as|about|from|by|and|or|that|when)\b)[a-z]", re.I
)
_PLURAL = {"they", "them", "their"}
_POSSESSIVE = {"its", "their", "his"}
# Noun chunks of these roles are what a later "it" points back to (not "to the US").
_CORE_ROLES = {"nsubj", "nsubjpass", "dobj", "attr"}


def standalone(
    part: str, first: str, answers: Sequence[Entity] = (), *, catalog: bool = False
) -> tuple[str, bool]:
    """A later part as a question of its own: its pronoun ("it", "he") or demonstrative
    ("that company") replaced by what it points back to in the first part ("why is it at
    risk?" after "What is Reko Diq?": "Why is Reko Diq at risk?"), or by the first part's
    answer (`answers`: its names and values) when it points back to that ("…, and where
    did he study?" after "Who was made minister?"); else the part following up on the
    first (`following_up`). With `catalog`, the first part was answered from the catalog
    ("Who is the author of…?"): a person it names is what "she" stands for.

    Also whether it leans on the first part's answer (those, and an elliptical "…, and
    over what?"): then it is answered only as surely as the first part is."""
    if FOLLOWING_UP in part:
        return part, False  # a follow-up's part already carries the question it follows
    referent: str | None = None
    possessive = False
    if match := PRONOUN.search(part):
        pronoun = match.group(1).lower()
        hers = pronoun == "her" and bool(_HERS.match(part, match.end()))
        # the catalog's author, not "the author of…", which no article's text calls her
        answered = catalog and any(e.label == "PERSON" for e in answers)
        referent = _referent(first, pronoun, answered)
        possessive = pronoun in _POSSESSIVE or hers
        leans = referent is None
    elif match := _DEMONSTRATIVE.search(part):
        referent, leans = _named(first, match.group(1))
    else:
        leans = len(part.split()) < MIN_FIRST_PART_WORDS
    if leans and referent is None:  # "he" is a person; "that firm" any name
        personal = match is not None and match.group(0).lower() in _PERSONAL
        names = [e.text for e in answers if e.label == "PERSON" or not personal]
        referent = names[0] if names else None
    if match is None or referent is None:
        return following_up(part, first), leans
    word = referent + ("'s" if possessive else "")
    return part[: match.start()] + word + part[match.end() :], leans


def _named(first: str, noun: str) -> tuple[str | None, bool]:
    """What "that <noun>" points back to in the first part: (its words there, False), or
    (None, True) when the first part asks for it ("Which firm…, and who runs that
    firm?"), or (None, False) when the first part has no such thing."""
    head = stem(noun)
    for chunk in _parsed(first).noun_chunks:
        if stem(chunk.root.text) == head:
            asked = any(t.tag_ in WH_TAGS for t in (*chunk, *chunk.root.children))
            return (None, True) if asked else (chunk.text, False)
    return None, False


def _referent(first: str, pronoun: str, answered: bool = False) -> str | None:
    """What a pronoun of a later part points back to in the first part, or None when it is
    the first part's answer ("Who wrote the piece…, and where does *she* work?"; with
    `answered`, a person the answer names, "Who is the author of…?" too)."""
    doc = _parsed(first)
    wh = [t for t in doc if t.tag_ in WH_TAGS]
    if pronoun in _PERSONAL:
        if any(
            t.dep_ in ("nsubj", "nsubjpass")
            or t.head.dep_ in ("nsubj", "nsubjpass")
            # "Who is the author of…?": the person, once known, not the description
            or (answered and t.dep_ == "attr" and t.lower_ == "who")
            for t in wh
        ):
            return None  # the one the first part asks for
        people = [_POSSESSOR.sub("", e.text) for e in doc.ents if e.label_ == "PERSON"]
        subjects = [c for c in doc.noun_chunks if c.root.dep_ in ("nsubj", "nsubjpass")]
        subjects = [c for c in subjects if not any(t in c for t in wh)]
        return people[0] if people else (_phrase(subjects[0]) if subjects else None)
    chunks = [
        c for c in doc.noun_chunks if not any(t in c for t in wh) and c.root.ent_type_ != "PERSON"
    ]
    plural = pronoun in _PLURAL
    chunks = [c for c in chunks if (c.root.tag_ in ("NNS", "NNPS")) == plural] or chunks
    core = [c for c in chunks if c.root.dep_ in _CORE_ROLES] or chunks
    if not core:
        return None
    # "its exports" is its subject's; "it" the thing last named ("When did Trump launch
    # World Liberty Financial, and how much is it worth?").
    chunk = core[0] if pronoun in _POSSESSIVE else core[-1]
    # A chunk the parser ran past its name ("Trump launch World Liberty Financial"):
    # the name its head belongs to.
    named = [e for e in doc.ents if e.start <= chunk.root.i < e.end and e.label_ != "PERSON"]
    return named[0].text if named else _phrase(chunk)


# Texts kept parsed: a compound question parses its first part for the search and again
# for judging (and a quoted sentence once); a process answers one question at a time.
PARSED_TEXTS = 32


@lru_cache(maxsize=PARSED_TEXTS)
def _parsed(text: str) -> Any:
    """A first part (or a quoted sentence) parsed once for all that reads it."""
    return parse(text)


def _phrase(chunk: Any) -> str:
    """A noun chunk with what qualifies it ("Kenya's ambassador *to Uganda*"): the other
    ambassador is another person."""
    tokens = list(chunk.root.subtree)
    return str(chunk.doc[tokens[0].i : tokens[-1].i + 1].text)


def assess_parts(
    question: str,
    passages: Sequence[Passage],
    assess: Assess,
    min_support: float,
) -> Evidence:
    """The verdict on the question and, for a compound one, on each part: it is
    answerable when any part is (the first part's verdict then stands for the whole),
    else when the whole question is."""
    texts = split_parts(question)
    if len(texts) < 2:
        return assess(question, passages)
    first = assess(texts[0], passages)
    parts = [Part(texts[0], texts[0], first)]
    answers = _answers_of(first)
    # "…, and what did they discuss?" asks of the first part's event, told as not done too
    best = first.best.signals if first.best is not None else None
    denied = first.support < min_support and best is not None and bool(best.denied or best.negation)
    for text in texts[1:]:
        asked, leans = standalone(text, texts[0], answers)
        judged = assess(asked, passages)
        leans = leans or (denied and PRONOUN.search(text) is not None)
        if leans and judged.support > first.support:
            judged = replace(judged, support=first.support, missing=first.missing)
        parts.append(Part(text, asked, judged))
    support = max(p.evidence.support for p in parts)
    if support >= min_support:
        return replace(first, support=support, parts=tuple(parts))
    whole = assess(question, passages)
    return replace(whole, support=max(whole.support, support), parts=tuple(parts))


def _answers_of(evidence: Evidence) -> list[Entity]:
    """The names and values the first part's best sentence gives for what it asks
    ("Bilal Bin Saqib" for "Who was made minister for crypto?"), if it asks for some."""
    best = evidence.best
    if best is None or best.signals is None or best.signals.type_missing:
        return []
    frame = evidence.frame
    spans = set(type_spans(frame.answer_type, best.text, best.entities, best.start, frame))
    return [e for e in best.entities if (e.start - best.start, e.end - best.start) in spans]


def answer_parts(
    generator: Generator,
    question: str,
    passages: Sequence[Passage],
    evidence: Evidence,
    min_support: float,
) -> Iterator[str | Draft]:
    """The generator's stream; for a compound question and the extractive generator,
    each answered part's quotations in turn (a part whose answering sentence an earlier
    part already quoted adds nothing), and for a part the articles don't answer, a
    sentence saying so. When no part is answered on its own, the whole question's."""
    parts = evidence.parts
    passes = [p.evidence.support >= min_support for p in parts]
    if not any(passes) or not isinstance(generator, ExtractiveGenerator):
        yield from generator.stream(question, passages, evidence.scored)
        return
    quoted: set[tuple[int, int]] = set()
    texts: list[str | Part] = []
    for part, answered in zip(parts, passes, strict=True):
        judged, best = part.evidence, part.evidence.best
        taken = best is not None and (best.source, best.start) in quoted
        # The sentence an earlier part quoted may answer this one too, if it says
        # something of this part's own ("…, and where does he teach?": "teach").
        if taken and answered and best is not None and _speaks_to(part, parts[0], best.text):
            continue
        fresh = [s for s in judged.scored if (s.source, s.start) not in quoted]
        if taken:  # else the next sentence that answers this part, in its own words
            fresh = [
                s for s in fresh if s.score >= min_support and _speaks_to(part, parts[0], s.text)
            ]
        if not answered or not fresh:
            texts.append(part)  # said to be unanswered, unless another part's quote tells it
            continue
        asked = content_words(part.asked)
        chosen = generator.select(fresh, asked, judged.frame.answer_type)
        quoted |= {(s.source, s.start) for s in chosen}
        texts.append(generator.quote(chosen, asked))

    def told(part: Part) -> bool:  # in a quote that says a word of its own, as above
        return any(_speaks_to(part, parts[0], s.text) for s in part.telling(quoted))

    said = [t for t in texts if isinstance(t, str) or not told(t)]
    yield " ".join(t if isinstance(t, str) else UNANSWERED_PART.format(part=t.text) for t in said)


def retrieve_parts(
    question: str, retrieve: Callable[[str, int | None], list[Passage]], k: int | None = None
) -> list[Passage]:
    """The whole question's k passages (None: the default number), then, for a compound
    question, each part's best `PART_PASSAGES` that they lack: the paragraph naming
    "Pakistan's ambassador" may rank below those on "what he said about the cease-fire"."""
    passages = retrieve(question, k)
    texts = split_parts(question)
    if len(texts) < 2:
        return passages
    keys = {p.key for p in passages}
    for asked in (texts[0], *(standalone(t, texts[0])[0] for t in texts[1:])):
        for passage in retrieve(asked, PART_PASSAGES):
            if passage.key not in keys:
                passages.append(passage)
                keys.add(passage.key)
    return passages


# Verbs that carry no event of their own (rag.events.LIGHT_VERBS), stemmed like content_words.
_LIGHT = frozenset(stem(w) for w in LIGHT_VERBS)

# How many of each part's own best passages a compound question also reads: the one
# that answers it is nearly always among its first two.
PART_PASSAGES = 2


def _speaks_to(part: Part, first: Part, sentence: str) -> bool:
    """Does the sentence hold a word of the part that the first part doesn't have, as
    written or as its lemma ("hold": "held")? Or has the part none ("…, and over what?")?"""
    own = content_words(part.text) - content_words(first.text)
    # words that only name the kind of answer or carry no event ("in which year did that
    # happen?") don't make a part ask anything of its own
    return not own - ANSWER_WORDS - _LIGHT or bool(_forms(part.text, own) & _forms(sentence))


def _forms(text: str, only: set[str] | None = None) -> set[str]:
    """The content words of a text (or `only` those), as written and as lemma (stemmed)."""
    words = content_words(text) if only is None else only
    lemmas = {
        stem(t.lemma_.lower())
        for t in _parsed(text)
        if t.is_alpha and content_words(t.text) & words
    }
    return words | lemmas
