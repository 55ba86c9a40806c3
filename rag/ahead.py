"""Questions about events still to come: what a sentence must do to answer them.

The articles were written before the events a question asks about in the future ("When
will Trump visit Islamabad?", "Will the US lift its sanctions?"). A sentence answers such
a question only when it tells of that event as planned, expected or foretold, not when it
shares the question's topic, names a date of something done, or tells of the event only as
"upcoming" without the thing asked ("What will the August working group decide?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rag.answer_types import FIGURES, asks_yes_no, predicts
from rag.matching import Text
from rag.nlp import parse, root_of
from rag.polarity import NEGATOR, PROSPECTIVE, modal_ahead, modal_main, supposed_only
from rag.proximity import term_places
from rag.question import QuestionFrame
from rag.text import stem, word_set
from rag.vocabulary import tells_verb

# Answer types held to none of this: a why or how question's answer seldom repeats its
# verb ("…warn them off?": "That's primarily because…"), nor does a span's ("How long will
# the pact run?": "a 10-year pact").
UNHELD = frozenset({"reason", "manner", "duration"})
# Figures (rag.answer_types.FIGURES) are held to the question's verb unless it only has or
# measures the figure ("How many years will the pact run?", "How much will it cost?"): "How
# much will US companies invest?" is not answered by reserves "worth billions of dollars".
HAVING = word_set("run last cost be have take total amount reach number")
# Answer types whose question takes its event as given: "Why did X do Y?", "How did X
# do Y?" ask about a Y that happened.
PREMISED = frozenset({"reason", "manner"})
# Verbs that only stage an event, whose name carries it: "hold the summit" is told by
# "planning a summit in Nairobi in June".
STAGING = word_set("hold host stage convene organise organize")
# A value belongs to the event named right before it ("summit in Nairobi in June") when
# this few characters separate them.
BESIDE_CHARS = 20
# Words that make the thing they come before one still ahead: "the upcoming trade working
# group in August" has not met, whatever it goes on to say of meetings.
_AHEAD_THING = re.compile(
    r"\b(?:upcoming|forthcoming|scheduled|impending)\s+((?:[\w’'-]+\s+){0,2}[\w’'-]+)", re.I
)
# A yes/no question about what is to come opens with its modal: "Will the talks…?"
_MODAL_FIRST = re.compile(r"\s*(?:will|would|shall|can|could|might|may)\b", re.I)


def told_ahead(frame: QuestionFrame, sentence: str, text: Text) -> bool:
    """Asked as done, the event is told only as ahead: a word of planning or a main verb
    under a modal, and not its verb (a noun made from it stays ahead: "urging a
    revival"), or its verb only as what
    would or could be ("announced that Pakistan would establish…" for "When did
    Pakistan establish…?", unless the question asks what would be)."""
    verb = frame.predicate
    if not frame.realized:
        return False
    if _thing_ahead(frame, sentence):
        return True
    # "How did linking NIFTAC make the routes safer?" takes the linking as done; "Pakistan
    # can integrate NIFTAC…" tells it only as what could be
    if frame.answer_type in PREMISED and modal_main(sentence):
        return True
    if verb is None:
        return False
    # Without the question's verb, a word of planning or a main verb under a modal tells
    # only what is to come: "Which zones have opened under CPEC Phase 2?" is not answered by
    # "It should keep CPEC Phase 2 focused on industrial zones" (but "Pakistan's recent
    # signing of a pact will enmesh it" tells of a signing done).
    # (A sentence that never names the things a list asks for tells of something else
    # ahead: "urging a revival of the GSP" is no industry still to be raised in the talks.)
    if (
        verb not in text.stems
        and (frame.answer_type != "list" or frame.slot is None or frame.slot in text.stems)
        and (PROSPECTIVE.search(sentence) or modal_ahead(sentence))
    ):
        return True
    return supposed_only(sentence, verb) and not supposed_only(frame.text, verb)


def _thing_ahead(frame: QuestionFrame, sentence: str) -> bool:
    """The sentence calls a thing the question takes as done "upcoming" ("Did the
    working group meet?"), where the question doesn't."""
    if _AHEAD_THING.search(frame.text):
        return False
    asked = set(frame.terms) - {frame.predicate}
    return any(
        stem(w.lower()) in asked
        for m in _AHEAD_THING.finditer(sentence)
        for w in m.group(1).split()
    )


def foretells(
    frame: QuestionFrame,
    sentence: str,
    text: Text,
    spans: Sequence[tuple[int, int]],
    verb_kin: bool,
) -> bool:
    """Could the sentence answer a question about an event still to come? It tells of
    the question's event by its verb or a word of like meaning (`verb_kin`, rag.kin), or
    as planned right beside the value asked for when the verb only stages it; and a date
    it gives must be ahead too ("When Sharif and Munir visited… in September" tells of a
    visit done). A reason, a manner, a span, and a figure of a verb that only has or
    measures it (`UNHELD`, `HAVING`) are exempt."""
    verb = frame.predicate
    if frame.answer_type == "date" and spans and all(_dated_done(sentence, a) for a, _ in spans):
        return False  # "When will the reserve open?" is not answered by "was named… in May"
    if verb is None or frame.answer_type in UNHELD:
        return True
    if frame.answer_type in FIGURES and frame.lemmas.get(verb, verb) in HAVING:
        return True
    planned = bool(PROSPECTIVE.search(sentence))
    if frame.lemmas.get(verb, verb) in STAGING and planned:
        return _beside(spans, sentence, set(frame.terms) - {verb})
    if not (tells_verb(frame, text) or verb_kin):
        return False
    # "Will the August talks finalise the deal?" is not settled by "a near-finalized
    # deal", which tells of it as it stands: a yes/no answer must foretell, as a date must
    if asks_yes_no(frame.text) or _MODAL_FIRST.match(frame.text) or frame.answer_type == "date":
        return planned or predicts(sentence)
    return True


def _dated_done(sentence: str, start: int) -> bool:
    """The date at `start` dates an event done: the verb it hangs on is in the past
    ("was named… in May", "has signed… in July"), not planned ("is set for 2028", "will
    open in March")."""
    tok = next((t for t in parse(sentence) if t.idx >= start), None)
    while tok is not None and tok.pos_ not in ("VERB", "AUX") and tok.head is not tok:
        tok = tok.head
    if tok is None or tok.pos_ not in ("VERB", "AUX"):
        return False
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" for c in aux):
        return False
    perfect = any(c.tag_ == "VBD" or c.lemma_.lower() == "have" for c in aux)
    return tok.tag_ == "VBD" or (tok.tag_ == "VBN" and perfect)


def _beside(spans: Sequence[tuple[int, int]], sentence: str, terms: set[str]) -> bool:
    """Does a value asked for follow one of the question's words closely?"""
    ends = [end for _, end in term_places(sentence, terms)]
    return any(0 <= start - end <= BESIDE_CHARS for start, _ in spans for end in ends)


def unsettled(frame: QuestionFrame, sentence: str, text: Text, verb_kin: bool | None) -> bool:
    """A yes/no question about an event done that the sentence doesn't settle: it tells
    the event only as supposed ("Pakistan can integrate NIFTAC"), or not at all, not even
    in a word of like meaning (`verb_kin`: a verb the articles never use may be the
    reader's word for theirs), nor denies anything ("not calling Khan" answers "Did Biden
    ring up Khan?"). With no verb of its own ("Did the pipeline ever get its waivers?"),
    a sentence telling what the question asks of only as ahead ("must wait for the
    waivers") doesn't settle it either. Nor, done or not, does one that leaves out how
    the event went or what the thing is said to be (`_qualifiers`: "…pass unanimously?",
    "Is Pakistan a BRICS member?"), unless it denies something."""
    if not asks_yes_no(frame.text):
        return False
    if any(stem(q) not in text.stems for q in _qualifiers(frame.text)):
        return not NEGATOR.search(sentence)  # "not unanimously" settles it
    if not frame.realized:
        return False
    verb = frame.predicate
    if verb is None:
        return bool(PROSPECTIVE.search(sentence)) or modal_ahead(sentence)
    if supposed_only(sentence, verb):
        return True
    return not tells_verb(frame, text) and (
        verb_kin is None or not (verb_kin or NEGATOR.search(sentence))
    )


QUALIFIER_CACHE = 1024  # questions: each candidate sentence asks again
# Adverbs that only press a yes/no question ("Did it actually pass?"), not say how.
_PRESSING = word_set(
    "actually ever really finally already still currently recently eventually truly "
    "indeed also even just ultimately officially"
)


@lru_cache(maxsize=QUALIFIER_CACHE)
def _qualifiers(question: str) -> tuple[str, ...]:
    """What a yes/no question hangs on besides its event, which a sentence settling it
    must say too: how the event went ("Did the resolution pass unanimously?") or what
    the thing is said to be ("Is Pakistan a BRICS member?")."""
    root = root_of(parse(question))
    if root is None:
        return ()
    subjects = [c.i for c in root.children if c.dep_ == "nsubj"]
    return tuple(
        c.lower_
        for c in root.children
        if (c.dep_ == "advmod" and c.lower_.endswith("ly") and c.lower_ not in _PRESSING)
        # after its subject: a parse that found none misread the question
        or (c.dep_ == "attr" and c.pos_ == "NOUN" and any(i < c.i for i in subjects))
    )
