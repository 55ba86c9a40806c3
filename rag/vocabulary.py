"""Which of a question's words and names the articles use: names and units they never
mention (`unknown_signals`), a question foreign to them, the rarest word a paragraph
lacks, and whether a sentence uses the question's verb in any of its forms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rag.answer_types import MEASURE_UNITS, asks_yes_no
from rag.dates import YEAR, years_in
from rag.matching import Text, named_in
from rag.nlp import Entity
from rag.question import QuestionFrame
from rag.text import stem, tokens


def name_words(entities: Iterable[Entity]) -> set[str]:
    """The stems of the words of these names: what a question names, not what it asks."""
    return {stem(w) for e in entities for w in tokens(e.text)}


def rarest_missing(
    frame: QuestionFrame, paragraph: Text, corpus_stems: frozenset[str], idf: dict[str, float]
) -> float:
    """0-1: how rare the rarest question word is that the corpus uses elsewhere but this
    paragraph doesn't ("wounded" asked, "killed" stated). Words the corpus never uses
    are paraphrase or off-topic, and counted by `unknown_terms` instead."""
    top = idf.get("", 1.0)
    missing = [
        idf[t] for t in frame.terms if t in corpus_stems and t not in paragraph.stems and t in idf
    ]
    return max(missing, default=0.0) / top


def unknown_signals(
    frame: QuestionFrame, corpus: Text, idf: dict[str, float]
) -> tuple[float, float, list[str]]:
    """(unknown_entity, unknown_terms, the names, values and words the corpus never uses)."""
    missing = [e.text for e in frame.entities if not named_in(e, corpus)]
    # "the BBC article": an article named by a name the corpus never uses is not ours.
    missing += [e.text for e in frame.sources if not named_in(e, corpus)]
    missing += [v.text for v in frame.values if not _told(v.text, corpus)]
    missing += [
        frame.surface.get(t, t)
        for t in frame.terms
        if t in MEASURE_UNITS and not uses(corpus, frame, t)
    ]
    entity_words = name_words((*frame.entities, *frame.sources))
    terms = [t for t in frame.terms if t not in entity_words]
    unseen = idf.get("", 1.0)
    total = sum(idf.get(t, unseen) for t in terms)
    absent = [t for t in terms if not uses(corpus, frame, t) and not _decade_told(t, frame, corpus)]
    share = sum(unseen for _ in absent) / total if total else 0.0
    words = list(dict.fromkeys(missing + [frame.surface.get(t, t) for t in absent]))
    return float(bool(missing)), share, words


def _told(value: str, corpus: Text) -> bool:
    """The corpus states the value's numbers; a decade ("the late 2000s") by any year of
    it ("from 2008 to 2011")."""
    numbers = re.findall(r"\d+", YEAR.sub(" ", value))
    years = years_in(value)
    return all(n in corpus.words for n in numbers) and years <= _years_told(corpus.joined)


def _decade_told(term: str, frame: QuestionFrame, corpus: Text) -> bool:
    """The question's word is a decade it asks of ("2000" of "the 2000s") that the corpus
    dates something in."""
    decade = re.search(rf"\b{re.escape(term)}['’]?s\b", frame.text) if term.isdigit() else None
    return decade is not None and years_in(decade[0]) <= _years_told(corpus.joined)


@lru_cache(maxsize=4)  # a process reads one corpus (a test run, a few)
def _years_told(joined: str) -> frozenset[str]:
    """The years the corpus states, with their decades (rag.dates.years_in)."""
    return frozenset(years_in(joined, decades=True))


# A question of this many words or more, every one of them (its names apart) foreign to
# the corpus, is about something the articles never discuss, whatever names it shares with
# them ("How do I apply for a tourist visa to Pakistan?"). One foreign word is often a
# paraphrase ("Who heads…").
FOREIGN_MIN_WORDS = 2


def foreign_question(frame: QuestionFrame, corpus: Text) -> bool:
    entity_words = name_words(frame.entities)
    terms = [t for t in frame.terms if t not in entity_words]
    return len(terms) >= FOREIGN_MIN_WORDS and not any(uses(corpus, frame, t) for t in terms)


def unknown_verb(frame: QuestionFrame, corpus: Text) -> str | None:
    """The verb of a yes/no or why question about a done event ("Has X been convicted?",
    "Why did X abandon…?") as the question writes it, when the articles never use it in
    any form; else None. A sentence must then say it in other words (rag.kin)."""
    verb = frame.predicate
    premised = frame.realized and frame.answer_type == "reason"  # "Why did X do Y?"
    if verb is None or not ((frame.realized and asks_yes_no(frame.text)) or premised):
        return None
    return None if uses(corpus, frame, verb) else frame.surface.get(verb, verb)


# How much longer than its verb a noun made from it may be ("pass": "passage", "agree":
# "agreement", "extradite": "extradition"), and how long the verb must be ("sign" is not
# "significant").
NOUN_SUFFIX_CHARS = 5
NOUN_BASE_CHARS = 4


def nominalised(verb: str, words: Sequence[str]) -> bool:
    """The sentence tells of the verb's event by a noun made from it ("led the passage of
    a resolution" for "Did the resolution pass?"), a Latin one too: a final d or t
    turns s ("the inclusion of IT services" for "Which sectors were included?", "the
    suspension" for "suspended", "a decision" for "decided")."""
    base = verb[:-1] if verb.endswith("e") else verb
    bases = [base]
    if base[-1:] in ("d", "t"):
        bases.append(base[:-1] + "s")
    return any(
        len(b) >= NOUN_BASE_CHARS
        and any(w.startswith(b) and len(w) - len(b) <= NOUN_SUFFIX_CHARS for w in words)
        for b in bases
    )


def verb_forms(frame: QuestionFrame, verb: str) -> tuple[set[str], str]:
    """The stems the question writes its verb (a stem) in ("held" and "hold"), and its
    lemma."""
    forms = {verb} | {word for word, lemma in frame.lemmas.items() if stem(lemma) == verb}
    return forms, frame.lemmas.get(verb, verb)


def tells_verb(frame: QuestionFrame, text: Text) -> bool:
    """The sentence uses the question's main verb: in its form in the question ("held"),
    as its lemma ("hold") or by a noun made from it."""
    verb = frame.predicate
    if verb is None:
        return False
    forms, lemma = verb_forms(frame, verb)
    return any(uses(text, frame, w) for w in forms) or nominalised(lemma, text.words)


def uses(corpus: Text, frame: QuestionFrame, term: str) -> bool:
    """The corpus uses the question's word, as written, as its lemma (went: go) or in a
    longer form made from it ("disengages": "disengagement")."""
    if term in corpus.stems or frame.lemmas.get(term, term) in corpus.stems:
        return True
    return len(term) > NOUN_BASE_CHARS and any(
        s.startswith(term) and len(s) - len(term) <= NOUN_SUFFIX_CHARS for s in corpus.stems
    )
