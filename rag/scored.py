"""What rag.evidence returns: each retrieved sentence scored (`ScoredSentence`), and the
verdict on one question (`Evidence`), part by part for a compound one (`Part`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from rag.answerability import Signals
from rag.nlp import Entity
from rag.question import QuestionFrame
from rag.values import SOFT_TYPES


@dataclass(frozen=True)
class ScoredSentence:
    text: str
    source: int  # 1-based index into the passages
    similarity: float  # cosine with the question
    coverage: float  # idf-weighted share of the question's words it contains
    score: float  # the gate's probability that it answers the question (rag.answerability)
    fits: bool  # contains the kind of answer the question asks for
    start: int = 0  # character span in its paragraph
    end: int = 0
    signals: Signals | None = None
    entities: tuple[Entity, ...] = ()
    rank: float = 0.0  # probability that it states the answer: the answer's order (rag.ranker)


@dataclass
class Evidence:
    """The verdict on one question over its retrieved passages."""

    frame: QuestionFrame
    scored: list[ScoredSentence]  # best first
    support: float  # the best sentence's probability (0 when there is none)
    missing: str = ""  # what the articles lack, for a refusal; "" when answerable
    never_mentioned: list[str] = field(default_factory=list)
    # When the question names its article: the best sentence of another article, and the
    # probability it would have were it from the named one ("according to the explainer,
    # who is the ambassador?": the feature names him). A refusal quotes it.
    elsewhere: tuple[ScoredSentence, float] | None = None
    # A compound question's parts, each judged on its own (rag.parts); support is then
    # the best part's, or the whole question's when no part passes. Empty for a question
    # that asks one thing.
    parts: tuple[Part, ...] = ()

    @property
    def best(self) -> ScoredSentence | None:
        return self.scored[0] if self.scored else None


@dataclass(frozen=True)
class Part:
    """One ask of a compound question: as written, as judged (leaning on the first
    part), and the verdict on it."""

    text: str
    asked: str
    evidence: Evidence

    def telling(self, quoted: Collection[tuple[int, int]]) -> list[ScoredSentence]:
        """The sentences the answer quotes for other parts, (source, start) in `quoted`,
        that give a value of the kind this part asks beside its words, with nothing
        against it ("…, and in which month was it signed?": "signed… in September"),
        though the gate found the part too weak on its own. A reason, a manner or a list
        has no value to look for (SOFT_TYPES)."""
        if self.evidence.frame.answer_type in SOFT_TYPES:
            return []
        return [
            s
            for s in self.evidence.scored
            if (s.source, s.start) in quoted
            and s.signals is not None
            and not any(getattr(s.signals, name) for name in _AGAINST)
        ]


# Signals that say a sentence doesn't give the value a part asks: no value of the kind
# beside its words, or one that belongs to another thing, time or doer, or still ahead.
_AGAINST = ("type_missing", "conflict", "owner_conflict", "value_conflict", "anticipated")
