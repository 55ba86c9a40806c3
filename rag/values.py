"""Values of the kind an answer needs (a date, a sum, a person, a reason word…), where a
sentence holds one (`type_spans`), and whether it states or contradicts the values the
question gives.

Pure functions over a sentence and its entities, used by `rag.answerability` to compute
its signals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.aliases import aliases, is_city, is_country
from rag.answer_types import (
    AnswerType,
    asks_leader,
    asks_month,
    asks_town,
    asks_workplace,
    called,
    gives_day,
    gives_year,
    names_group,
)
from rag.dates import YEAR, years_in
from rag.figures import counts_people, vague_for
from rag.matching import has_phrase
from rag.nlp import Entity
from rag.question import QuestionFrame, asks_name_of
from rag.roles import OFFICE_NOUNS
from rag.text import stem, tokens, word_set

# Words that mark a stated reason or means (a why/how answer usually has one).
REASON_CUE = re.compile(
    r"\b(because|since|as a result|due to|owing to|thanks to|so that|in order to|"
    r"reasons?|why|given (?:that|the|its|his|their|[A-Z][\w-]*['’]s)|driven by|"
    r"aim(?:s|ed)? (?:to|at)|"
    r"seek(?:s|ing)? to|sought to|in exchange for|in response to|for fear|"
    r"as an? (?:\w+ )?(?:way|means|pathway|path|route|tool|lever|hedge) (?:to|out|for)|"
    r"to (?:counter|contain|secure|avoid|gain|win|ensure|address|curb|reduce|boost|"
    r"attract|promote|preserve|maintain|mitigate|prevent)|led to|result(?:s|ed)? in|"
    r"explains?)\b",
    re.I,
)
# The speaker named right after a closing quote: "…,” Younus said", "…,” said Haqqani".
_QUOTED_BY = re.compile(
    r"[,.?!][”\"]\s*(?:said\s+|says\s+|added\s+)?([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)"
    r"(?:\s+(?:said|says|added|wrote|told|noted|argued)\b|[.,])"
)
_MANNER_CUE = re.compile(r"\b(by|through|via|with|using|thanks to|in exchange for)\b", re.I)
_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\b"
)
_DURATION = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few)[- ]"
    r"(years?|months?|weeks?|days?|decades?)\b|\bdecades?\b|\bfrom (1[89]|20)\d\d to\b",
    re.I,
)
_MONEY = re.compile(r"[$€£]|\b(dollars?|rupees?|USD|PKR)\b")
_PERCENT = re.compile(r"%|\bper ?cent\b|\bpercentage\b", re.I)
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(one(?! of\b)|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"dozen|dozens|hundreds?|thousands?|millions?|billions?|half|double|twice)\b",
    re.I,
)
# A figure asked as a rate ("What interest rate…", "the tariff on Indian goods"): a share.
_RATE_ASKED = re.compile(r"\b(?:rates?|tariffs?)\b", re.I)
# "How much copper…": an amount of a thing, not its price; unless the thing is money.
_STUFF_ASKED = re.compile(r"\bhow much ([a-z]+)\b", re.I)
_SUMS = word_set(
    "money aid funding fund funds cash investment investments financing finance capital "
    "revenue debt loan loans credit assistance support spending profit income trade "
    "business value worth budget tax fee fees payment payments more less",
    stemmed=True,
)
# Units of time a count may ask for: spaCy calls "four days later" a date.
_TIME_COUNTED = re.compile(r"\bhow many (?:\w+ )?(day|week|month|year|hour)s?\b", re.I)
# A determiner right before a small number that makes it refer back to things already
# named, not count them ("the two neighbors").
_DEFINITE = re.compile(r"\b(?:the|these|those)\s+$", re.I)
_FEW = frozenset({"two", "three"})  # "the five dozen elements that…" does count them
# Kinds of answer that are a figure.
VALUE_KINDS = frozenset({"count", "money", "quantity", "percent"})
# "How many… before X?": an ordinal of X ("X became only the second Pakistani to hold
# that title") counts those before it.
_BEFORE = re.compile(r"\b(?:before|prior to)\b", re.I)
_LIST = re.compile(r",[^,]+,|,[^,]*\band\b|\band\b[^.]*\band\b")

# What each answer type is satisfied by: spaCy labels of entities new to the question,
# or, for types spaCy has no label for, a pattern in the sentence.
_TYPE_LABELS: dict[AnswerType, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "agent": frozenset({"PERSON", "ORG", "GPE", "NORP"}),
    "organisation": frozenset({"ORG"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "date": frozenset({"DATE", "EVENT"}),  # "since World War II"
    "duration": frozenset(),
    "money": frozenset({"MONEY"}),
    "count": frozenset({"CARDINAL", "QUANTITY", "MONEY"}),
    "percent": frozenset({"PERCENT"}),
    "quantity": frozenset({"MONEY", "PERCENT", "CARDINAL", "QUANTITY"}),
}
_TYPE_PATTERNS: dict[AnswerType, tuple[re.Pattern[str], ...]] = {
    "date": (YEAR, _MONTH),
    "duration": (_DURATION,),
    "money": (_MONEY,),
    "percent": (_PERCENT,),
    "quantity": (_MONEY, _PERCENT, _NUMBER),
    "reason": (REASON_CUE,),
    "manner": (_MANNER_CUE, REASON_CUE),
    "list": (_LIST,),
}
# Answer types a sentence can satisfy without a cue word ("…must be complemented by
# economic partnership" answers a why-question): never required, only values are.
SOFT_TYPES = frozenset({"any", "reason", "manner", "list"})


# A body that led something, right before its name: "a delegation led by the State
# Department" answers who headed it.
_LED_BY = re.compile(r"\b(?:led|headed|chaired|run) by\s+(?:the\s+)?$", re.I)
# An office that answers who leads something ("the finance minister", "its CEO").
_ROLE = re.compile(r"\b(?:" + "|".join(sorted(OFFICE_NOUNS)) + r")s?\b", re.I)


def type_spans(
    kind: AnswerType,
    sentence: str,
    entities: Iterable[Entity],
    offset: int,
    question: QuestionFrame,
) -> list[tuple[int, int]]:
    """Spans of the sentence holding a value of the kind asked, not the question's own
    (`offset`: the sentence's start in the entities' paragraph). [(0, 0)] for "any",
    unless it asks a thing's name ("the name of the conference": one called so)."""
    named = kind == "any" and asks_name_of(question.text, question.slot)
    if kind in SOFT_TYPES and not named:
        return [(0, 0)]
    asked = {e.text.lower() for e in (*question.entities, *question.values)}
    # "How many billions of dollars…" is not answered by "billions of dollars": a figure
    # in the question's own words only
    if kind in VALUE_KINDS:
        own = set(tokens(question.text))
        asked |= {e.text.lower() for e in entities if set(tokens(e.text)) <= own}
        asked |= own
    if kind == "quantity" and _RATE_ASKED.search(question.text):
        kind = "percent"  # a rate or a tariff is told as a share, not as a sum
    stuff = _STUFF_ASKED.search(question.text) if kind == "quantity" else None
    no_sum = (  # "how much copper": the noun asked right after "how much", not money
        stuff is not None and stem(stuff[1].lower()) == question.slot and question.slot not in _SUMS
    )
    labels = _TYPE_LABELS.get(kind, frozenset()) - ({"MONEY"} if no_sum else set())
    if kind == "count" and not _MONEY.search(question.text):  # firms aren't counted in $
        labels -= {"MONEY"}
    unit = _TIME_COUNTED.search(question.text)
    if kind == "count" and unit:  # "four days later"
        labels |= {"DATE"}
    if kind == "count" and _BEFORE.search(question.text):  # "only the second to hold it"
        labels |= {"ORDINAL"}
    town = asks_town(question.text)
    if kind == "place" and not town and asks_workplace(question.text, question.entities):
        labels |= _TYPE_LABELS["organisation"]
    # not the pronoun "one" ("one of China's closest allies", "PR firms, one of which…")
    entities = [
        e
        for e in entities
        if not (e.text.lower() == "one" and sentence[e.end - offset :].startswith(" of "))
    ]
    spans = [
        (e.start - offset, e.end - offset)
        for e in entities
        if e.label in labels
        and e.text.lower() not in asked
        # "the two nuclear-armed neighbors" refers to things already named; it counts none
        and not (
            e.label == "CARDINAL"
            and e.text.lower() in _FEW
            and _DEFINITE.search(sentence[: e.start - offset])
        )
        # a count of days is a date giving a number of them ("four days later"), not
        # "August" or "the last two decades"
        and not (
            e.label == "DATE"
            and unit is not None
            and not (_NUMBER.search(e.text) and unit[1] in e.text.lower())
        )
        and not (kind == "person" and names_group(sentence[e.end - offset :]))
        and not _elsewhere(e, question, kind, town)
        # where something happened is no doer: "blasts in New Delhi" for "who was behind…"
        and not (
            kind == "agent" and e.label == "GPE" and _LOCATIVE.search(sentence[: e.start - offset])
        )
    ]
    if (kind in ("person", "organisation", "place", "agent") or named) and question.slot:
        spans += [  # the small model may label the name otherwise ("Balochistan": ORG)
            (e.start - offset, e.end - offset)
            for e in entities
            if e.text.lower() not in asked
            and not _elsewhere(e, question, kind, town)
            and (
                called(sentence[: e.start - offset], sentence[e.end - offset :], question.slot)
                # "the Indo-Pacific region" (ORG to the small model) for "which region"
                or [stem(w) for w in tokens(e.text)][-1:] == [question.slot]
            )
        ]
    if kind in ("person", "agent"):  # "…,” Younus said.": a name the small model missed
        spans += [m.span(1) for m in _QUOTED_BY.finditer(sentence) if m[1].lower() not in asked]
    if kind == "person" and asks_leader(question.text):  # "chaired by the finance minister"
        spans += [m.span() for m in _ROLE.finditer(sentence) if m[0].lower() not in asked]
        spans += [  # "a delegation led by the State Department": a body may lead
            (e.start - offset, e.end - offset)
            for e in entities
            if e.label == "ORG"
            and e.text.lower() not in asked
            and _LED_BY.search(sentence[: e.start - offset])
        ]
    if kind not in ("person", "organisation", "place", "agent", "count"):
        # a figure in a date ("in 2021", "over the last two decades") is no amount
        dated = [  # nor, asked of a thing's amount, a figure inside a sum
            (e.start - offset, e.end - offset)
            for e in entities
            if e.label == "DATE" or (no_sum and e.label == "MONEY")
        ]
        for pattern in (p for p in _TYPE_PATTERNS.get(kind, ()) if not (no_sum and p is _MONEY)):
            found = [m for m in pattern.finditer(sentence) if m[0].lower() not in asked]
            spans += [
                m.span()
                for m in found
                if kind not in VALUE_KINDS
                or not (YEAR.fullmatch(m[0]) or any(a <= m.start() < b for a, b in dated))
            ]
    if kind in VALUE_KINDS:  # "Exactly how many…": not "multiple"; "how much": no head count
        peoples = {e.text.lower() for e in entities if e.label == "NORP"}
        spans = [
            (a, b)
            for a, b in spans
            if not vague_for(question.text, sentence, a, b)
            and not counts_people(question.text, sentence, b, peoples)
        ]
    if kind == "date":  # "On what date…" is not answered by a month, "what year" by one
        spans = [span for span in spans if gives_day(question.text, sentence, *span)]
        spans = spans if gives_year(question.text, sentence) else []
        if asks_month(question.text):  # "which month of 2021": not "in 2021"
            spans = [(a, b) for a, b in spans if _MONTH.search(sentence[a:b])]
    return spans


# A place named as where something is or happened: "in New Delhi", "at the Pentagon".
_LOCATIVE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.I)


def _elsewhere(entity: Entity, question: QuestionFrame, kind: AnswerType, town: bool) -> bool:
    """A place that can't be the one asked for: a country for "In which city…", the
    question's own country for a place in it, or a city of another country than the
    question's. (A firm's name cut short by the model, "U.S." of "U.S. Strategic Metals",
    may still answer "Which American firm…".)"""
    return (
        (town and is_country(entity.text) and not is_city(entity.text))
        or (kind == "place" and _own_country(entity, question))
        or _foreign_city(entity, question)
    )


def _own_country(entity: Entity, question: QuestionFrame) -> bool:
    """The entity is a country the question names, by another name: "the United States"
    for "In which US state…". Its capital may still answer ("Where is the embassy in the
    US?" - "Washington")."""
    if not is_country(entity.text) or is_city(entity.text):
        return False
    names = aliases(entity.text)
    return any(is_country(e.text) and aliases(e.text) == names for e in question.entities)


def _foreign_city(entity: Entity, question: QuestionFrame) -> bool:
    """A city of another country than the one the question gives its place: "In which
    Pakistani city…" is not answered by Kabul (cities the alias list knows: capitals)."""
    if not is_city(entity.text):
        return False
    owners = [o for o, noun in question.owners if noun == question.slot and is_country(o.text)]
    return bool(owners) and all(aliases(o.text) != aliases(entity.text) for o in owners)


_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")


# Where the other numbers sit in `_value_parts`.
_NUMBERS_PART = 2


def _value_parts(text: str, decades: bool = False) -> tuple[set[str], set[str], set[str]]:
    """(years, months, other numbers) stated in `text` (months capitalised, so the verb
    "may" is not the month May; `decades`: see rag.dates.years_in)."""
    months = {m.lower()[:3] for m in _MONTH.findall(text)}
    numbers = {n.replace(",", "") for n in _DIGITS.findall(YEAR.sub(" ", text))}
    return years_in(text, decades=decades), months, numbers


def value_conflict(
    frame: QuestionFrame, sentence: str, entities: Iterable[Entity], paragraph: str = ""
) -> bool:
    """The question states a date or figure ("in 2019", "the first") and the sentence
    states another of the same kind instead (2025 for 2019; May for June), or, stating
    none, sits in a paragraph that gives another year and not the asked one. Years,
    months and numbers are compared part by part, so "June 2025" asked is met by "in
    June". A value merely absent is no conflict: the article may date it elsewhere
    ("the May ceasefire" answered by "that cease-fire")."""
    said = _value_parts(_unattributed(sentence, frame.terms), decades=True)
    years_around = years_in(_unattributed(paragraph, frame.terms), decades=True)
    labels = {e.label for e in entities}
    # A question stating two years ("its 2025 thanks… in 2018") is met by either.
    parts = [_value_parts(v.text) for v in frame.values]
    every = tuple(set().union(*(p[k] for p in parts)) for k in range(3))
    for v in frame.values:
        asked = _value_parts(v.text)
        if not any(asked):  # "the first": compared as words
            if v.text.lower() not in sentence.lower() and v.label in labels:
                return True
            continue
        for part, (want, have, any_asked) in enumerate(zip(asked, said, every, strict=True)):
            # every figure of one value ("from 29% to 10%") is the sentence's own; a date
            # may be either of two asked
            figures = part == _NUMBERS_PART
            if want and have and (want - have if figures else not any_asked & have):
                return True
        years = asked[0]
        if years and not said[0] and years_around and not years & years_around:
            return True
    return False


# A year naming a thing, not dating what the sentence tells: "a 2021 suicide bombing",
# "the 2019 election" (group 1: the words after it).
_ATTRIBUTIVE_YEAR = re.compile(
    r"\b(?:a|an|the|its|his|her|their)\s+(?:1[89]|20)\d\d\s+([a-z][\w-]*(?:\s+[a-z][\w-]*)?)"
)


def _unattributed(text: str, terms: Iterable[str]) -> str:
    """The text without the years that name another thing than the question's ("the
    mastermind of a 2021 suicide bombing", asked of the arrest in 2025)."""
    asked = set(terms)
    return _ATTRIBUTIVE_YEAR.sub(
        lambda m: m[0] if asked & {stem(w) for w in m[1].split()} else m[1], text
    )


def states_values(frame: QuestionFrame, sentence: str) -> bool:
    """The sentence states every date or figure the question gives (all their parts). A
    word such as "second" counts with the word it qualifies in the question ("second
    term" is not stated by "the first term … a second visit")."""
    if not frame.values:
        return False
    said = _value_parts(sentence)
    stems = [stem(w) for w in tokens(sentence)]
    joined = f" {' '.join(stems)} "
    for v in frame.values:
        asked = _value_parts(v.text)
        if not any(asked) and not has_phrase(_qualified(v.text, frame.text), stems, joined):
            return False
        if any(asked) and not all(want <= have for want, have in zip(asked, said, strict=True)):
            return False
    return True


def _qualified(value: str, question: str) -> str:
    """The value and the word after it in the question, stemmed ("second term")."""
    words, value_words = tokens(question), tokens(value)
    for i in range(len(words) - len(value_words) + 1):
        if words[i : i + len(value_words)] == value_words:
            return " ".join(stem(w) for w in words[i : i + len(value_words) + 1])
    return " ".join(stem(w) for w in value_words)
