"""The typed objects at the public boundary: what `retrieve` and `ask` return."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The article's header (title, byline, outlet) is citable too, as one pseudo-paragraph.
HEADER_KIND = "header"


@dataclass(frozen=True)
class CaptionWeights:
    """How much a caption (or note) counts next to body text, stage by stage: the one
    place both values live.

    They differ on purpose, because the two stages ask different questions:
    - `retrieval` scales a caption's fused rank score (a note gets `note`) so captions,
      short and name-dense, never crowd body paragraphs out of the top k;
    - `evidence` scales the probability that one of a non-body paragraph's sentences
      answers, so a caption can support an answer but rarely lead it. `min_support`
      was calibrated with it (see rag/answerability.py).
    Making them equal changes the eval (all 209 gold questions, when they were named):
    retrieval at 0.85 moves hit@1 0.652 → 0.689 and MRR 0.754 → 0.782; evidence at 0.6
    changes answers (a photo question answered from its caption loses that answer).
    Change either only after a `rag eval` on the dev split, re-checking `min_support`
    and eval/thresholds.toml.
    """

    retrieval: float = 0.6
    note: float = 0.8  # retrieval's weight for a note (author bios, editor's notes)
    evidence: float = 0.85


CAPTION_WEIGHTS = CaptionWeights()


def paragraph_label(kind: str, number: int) -> str:
    """How a reader sees a paragraph's number: ¶3, caption 2, note 1, header."""
    if kind == HEADER_KIND:
        return HEADER_KIND
    return f"¶{number}" if kind == "body" else f"{kind} {number}"


@dataclass(frozen=True)
class Passage:
    """One retrieved paragraph, best first in a result list."""

    article_id: str
    title: str
    paragraph: int  # as numbered for readers (body ¶ number, or caption/note number)
    text: str  # the paragraph's full text
    score: float  # fused relevance in [0, 1]
    kind: str = "body"  # body | caption | note | header
    section: str | None = None
    dense: float = 0.0  # cosine similarity of the best chunk to the question
    lexical: float = 0.0  # BM25 score of the best chunk

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.article_id, self.kind, self.paragraph)

    @property
    def label(self) -> str:
        return paragraph_label(self.kind, self.paragraph)


@dataclass(frozen=True)
class Citation:
    """A marker [n] in the answer text and the paragraph it points to."""

    marker: int
    article_id: str
    title: str
    paragraph: int
    text: str
    score: float
    kind: str = "body"
    quote: str = ""  # the sentence(s) of the paragraph that support the claim

    @property
    def label(self) -> str:
        return paragraph_label(self.kind, self.paragraph)


@dataclass
class Answer:
    """An answer whose every marker resolves to one of `citations`."""

    question: str
    text: str
    supported: bool
    citations: list[Citation]
    passages: list[Passage]  # everything retrieved, best first (the "closest passages")
    generator: str
    unsupported_sentences: list[str] = field(default_factory=list)
    # Why the articles don't answer it, when `supported` is False ("The articles don't
    # give a sum of money for …"); "" for an answer.
    reason: str = ""
    # The gate's probability that the best sentence answers (compared with
    # RAG_MIN_SUPPORT); 1.0 or 0.0 for questions answered from the catalog.
    support: float = 0.0
    usage: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
