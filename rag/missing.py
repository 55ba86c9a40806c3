"""What a refusal says is missing, read from the signals the best sentence failed.

"The articles don't give a sum of money for the trade deal; the closest passage is about
another deal." Each sentence names the first failed requirement that a reader can act
on, in the order below (an unknown name before a conflict, a conflict before a missing
answer type), and falls back to what the question was about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.answer_types import AnswerType
from rag.answerability import Signals
from rag.conflicts import names
from rag.focus import role_player, spoken_about
from rag.matching import COMPATIBLE
from rag.names import clean_name
from rag.nlp import Entity
from rag.polarity import NEGATION, asks_good
from rag.question import QuestionFrame
from rag.quotes import PersonClaim
from rag.ranking import RANKED
from rag.text import stem, tokens

# How a refusal names what is missing, per answer type.
TYPE_PHRASES: dict[AnswerType, str] = {
    "person": "a name",
    "agent": "who it was",
    "organisation": "an organisation",
    "place": "a place",
    "date": "a date",
    "duration": "a length of time",
    "money": "a sum of money",
    "count": "a number",
    "percent": "a percentage",
    "quantity": "a figure",
    "reason": "a reason",
    "manner": "how it happened",
    "list": "the items",
    "any": "an answer",
}


# Requirements whose failure contradicts the question: when the most relevant sentence
# fails one, it, not a weaker sentence that merely scores higher, says what is missing.
CONTRADICTIONS = ("conflict", "owner_conflict", "value_conflict")


def contradicted(sig: Signals | None) -> bool:
    return sig is not None and any(getattr(sig, name) for name in CONTRADICTIONS)


def explain(
    frame: QuestionFrame,
    best: Signals | None,
    best_entities: Sequence[Entity],
    never_mentioned: Sequence[str],
    miscalled: Sequence[PersonClaim] = (),
    speaker: Entity | None = None,
) -> str:
    """One sentence naming what the articles lack, from the signals that failed."""
    about = _about(frame)
    if best is not None and best.unknown_entity and never_mentioned:
        return f"The articles never mention {_join(never_mentioned[:3])}."
    if best is not None and best.title_conflict and miscalled:  # "Prime Minister Ishaq Dar"
        return miscalled[0].refusal()
    if best is not None and best.undefined and frame.definition is not None:
        plural = re.match(r"what (?:exactly )?are\b", frame.text, re.I) is not None
        what = "stands for" if frame.definition.expansion else "are" if plural else "is"
        return f"The articles don't say what {frame.definition.term} {what}."
    if best is not None and best.source_mismatch:  # "according to the explainer…"
        return (
            "The article the question names doesn't say this; the closest passage is "
            "from another article."
        )
    if best is not None and (best.conflict or best.owner_conflict):
        named = [e for e in frame.entities if e.label in COMPATIBLE]
        if best.owner_conflict:  # whose ambassador, not to where
            named = [owner for owner, _ in frame.owners]
        kinds = {COMPATIBLE[e.label] for e in named if e.label in COMPATIBLE}
        asked = list(dict.fromkeys(e.text for e in named))
        other: list[Entity] = []
        for e in best_entities:  # of the asked kind, none of them, each place once
            if COMPATIBLE.get(e.label) in kinds and not any(names(q, e) for q in (*named, *other)):
                other.append(e)
        if asked and other:
            instead = _join([e.text for e in other[:2]])  # "U.S." ends the sentence itself
            return (
                f"The articles don't say this about {_join(asked)}; the closest passage is "
                f"about {instead}{'' if instead.endswith('.') else '.'}"
            )
    if best is not None and best.value_conflict and frame.values:
        return (
            f"The articles don't say this for {_join([v.text for v in frame.values])}; "
            "the closest passage gives another date or figure."
        )
    compound = _compound(frame) if best is not None and best.compound_missing else None
    if compound is not None:  # "the trade deal" asked, the passage tells of another deal
        phrase, head = compound
        what = "this" if frame.answer_type == "any" else TYPE_PHRASES[frame.answer_type]
        return (
            f"The articles don't give {what} for the {phrase}; the closest passage is about "
            f"{'other' if head.endswith('s') and not head.endswith('ss') else 'another'} {head}."
        )
    if best is not None and best.speaker_silent and speaker is not None:  # "What did X say…"
        return (
            f"The articles don't give {clean_name(speaker.text)}’s words on "
            f"{_about(_without(frame, speaker))}."
        )
    if best is not None and best.reactor_absent and frame.reactor is not None:
        return f"The articles don't say how {frame.reactor.text} reacted to {about}."
    if best is not None and best.party_absent:
        # "What did X say about Y…", and the closest passage never names Y
        topics = [
            t.text
            for t in spoken_about(frame, frame.entities)
            if not any(names(t, e) for e in best_entities)
        ]
        if topics:
            return (
                f"The articles don't give these words about {_join(topics)}; "
                "the closest passage is on another subject."
            )
        if frame.agent is not None:
            return f"The articles don't tell of {clean_name(frame.agent.text)} doing this: {about}."
    player = role_player(frame.text)  # "What part did zalmay khalilzad play…", unnamed
    if best is not None and best.parties_apart and any(w in player for w in never_mentioned):
        return f"The articles never mention {player}."
    if best is not None and best.parties_apart:  # "Did X negotiate Y's deal?"
        return (
            f"The articles don't tell of {_join([e.text for e in frame.entities], 'and')} together."
        )
    if best is not None and best.unsettled:  # "Was the framework eventually agreed?"
        return f"The articles don't say whether it happened: {about}."
    if best is not None and best.affirmed:  # "why did X refuse…", told as done
        return f"The articles tell of no refusal or denial for {about}."
    if best is not None and best.denied and asks_good(frame.text):  # told only as harmful
        return f"The articles name no advantage for {about}; the closest passage tells of harm."
    if best is not None and best.denied:  # "why did X call…", told as not done
        return f"The articles tell of {about} as not done."
    if best is not None and best.type_missing:
        return f"The articles don't give {TYPE_PHRASES[frame.answer_type]} for {about}."
    ranking = RANKED.search(frame.text) if frame.superlative else None
    if best is not None and best.ranking_missing and ranking:
        word = ranking.group().lower()
        if frame.compared or word in ("more", "less", "than") or word.endswith("er"):
            return f"The articles don't make this comparison for {about}."
        return f"The articles don't say which is the {word} for {about}."
    if best is not None and best.unresulted:  # "What came of the talks?"
        return f"The articles don't say what came of {about}."
    if best is not None and best.anticipated and frame.ahead:  # "When will Trump visit…"
        return f"The articles don't say what will happen: {about}."
    if best is not None and best.anticipated:  # "the upcoming meeting", asked as done
        return f"The articles tell of {about} only as something ahead, not as done."
    # a why-question whose closest sentence gives no reason lacks that, whatever word of
    # it the articles don't use ("hike" for their "increasing")
    reasonless = best is not None and (best.reason_missing or best.reason_elsewhere)
    if never_mentioned and best is not None and best.unknown_terms >= 0.3 and not reasonless:
        return f"The articles never mention {_join(never_mentioned[:3])}."
    return f"The articles don't say {_what(frame)} {about}."


def _compound(frame: QuestionFrame) -> tuple[str, str] | None:
    """The question's first noun compound as written ("trade deal", "deal")."""
    for mod, head in frame.compounds:
        if mod in frame.surface and head in frame.surface:
            return f"{frame.surface[mod]} {frame.surface[head]}", frame.surface[head]
    return None


def _without(frame: QuestionFrame, entity: Entity) -> QuestionFrame:
    """The question as if it didn't name the entity (its name's words dropped too)."""
    name = {stem(w) for w in tokens(entity.text)}
    entities = tuple(e for e in frame.entities if e != entity)
    return replace(frame, entities=entities, terms=tuple(t for t in frame.terms if t not in name))


def _about(frame: QuestionFrame) -> str:
    named = [e.text for e in frame.entities]
    words = [
        frame.surface.get(t, t)
        for t in frame.terms
        if frame.surface.get(t, t) not in " ".join(named).lower()
    ]
    parts = named[:2] + words[: max(0, 4 - len(named[:2]))]
    return "“" + " ".join(parts) + "”" if parts else "this"


def _what(frame: QuestionFrame) -> str:
    return {
        "reason": "why, regarding",
        "manner": "how, regarding",
        "date": "when, regarding",
        "place": "where, regarding",
        "person": "who, regarding",
        "agent": "who, regarding",
    }.get(frame.answer_type, "what is asked about")


# A question that names nothing to look for ("What, and why?", "Which article doesn't
# mention?"): whatever the passages say, it is not what the reader means.
VAGUE = (
    "The question doesn't say what it is about; ask about a person, place, event, figure "
    "or article by name."
)


def asks_nothing(frame: QuestionFrame) -> bool:
    """No name, value or word of the question says what it is about (its negations and
    question words aside)."""
    words = [frame.surface.get(t, t) for t in frame.terms]
    return not frame.entities and not frame.values and all(NEGATION.search(w) for w in words)


def told_elsewhere(article_id: str) -> str:
    """The refusal when the article a question names doesn't say it and another does."""
    return f"The article the question names doesn't say this; {article_id} does."


def absent_from_source(names: Sequence[str]) -> str:
    """The refusal when the article a question names never mentions what it asks about
    ("What does the Dar article say about the Nobel Peace Prize?")."""
    return f"The article the question names never mentions {_join(names[:3])}."


def _join(items: Sequence[str], conjunction: str = "or") -> str:
    """ "A, B or C" (each once), or "A, B and C"."""
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
