"""Invented paragraphs (not the seeds) as retrieved passages, for tests that run the real
evidence gate over a few sentences of their own."""

from __future__ import annotations

from collections.abc import Sequence

from rag.config import Settings
from rag.evidence import EvidenceScorer
from rag.schema import Passage
from rag.scored import Evidence

# The gate's bar as shipped (no .env read): what a test's question must reach or miss.
MIN_SUPPORT = Settings(_env_file=None).min_support  # type: ignore[call-arg]


def as_passages(paragraphs: Sequence[str], article: str = "a") -> list[Passage]:
    """Each paragraph as paragraph 1 of its own article ("a0", "a1"…), retrieved with a
    middling score."""
    return [Passage(f"{article}{i}", f"Article {i}", 1, p, 0.5) for i, p in enumerate(paragraphs)]


def refused_then_answered(
    scorer: EvidenceScorer, passages: Sequence[Passage], refused: str, answered: str
) -> tuple[Evidence, Evidence]:
    """The gate's verdicts on a near miss and its control over the same passages, the
    first under the bar and the second over it."""
    near, control = scorer.assess(refused, passages), scorer.assess(answered, passages)
    assert near.support < MIN_SUPPORT <= control.support
    return near, control
