"""The answer's order (rag.ranker): a fitted logistic over every signal that chooses which
sentence leads, and never whether the articles answer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from invented import as_passages

from rag.answerability import SIGNALS, WEIGHTS, Signals
from rag.evidence import EvidenceScorer
from rag.ranker import RANKER, Ranker

NOTHING = Signals(*[0.0] * len(SIGNALS))


def test_an_unknown_signal_is_refused() -> None:
    with pytest.raises(ValueError, match="no such signal: closeness"):
        Ranker(weights={"closeness": 1.0})


def test_a_close_paraphrase_leads_a_distant_sentence_that_merely_holds_a_value() -> None:
    """The case the ranker is for: the gate's product all but zeroes a sentence without
    the kind of value asked for, so by the gate's score a barely related sentence with a
    number would lead; the ranker, fitted to which sentences state the answer, keeps the
    close one first."""
    close = replace(
        NOTHING,
        similarity=0.6,
        term_cover=0.5,
        context_cover=0.6,
        entity_cover=1.0,
        retrieval=0.9,
        type_missing=1.0,
    )
    distant = replace(
        NOTHING, similarity=0.35, term_cover=0.15, context_cover=0.3, entity_cover=1.0,
        retrieval=0.6,
    )  # fmt: skip
    assert WEIGHTS.probability(close) < WEIGHTS.probability(distant)
    assert RANKER.probability(close) > RANKER.probability(distant)


def test_more_relevance_ranks_higher_and_a_failed_requirement_lower() -> None:
    base = replace(NOTHING, similarity=0.4, term_cover=0.3, context_cover=0.3, retrieval=0.7)
    assert RANKER.probability(replace(base, similarity=0.7)) > RANKER.probability(base)
    assert RANKER.probability(replace(base, entity_absent=1.0)) < RANKER.probability(base)


PARAGRAPHS = (
    "Kenya and Tanzania signed a trade agreement in Arusha in March 2021. "
    "Under the agreement, Kenya cut tariffs on Tanzanian rice by 15 percent. "
    "Officials said the deal would deepen regional ties.",
    "Rail freight between Mombasa and Dar es Salaam resumed after the agreement. "
    "Traders expect rice shipments to double within five years.",
)


@pytest.mark.slow
def test_the_ranker_orders_the_answer_and_the_gate_alone_decides(embed_model: Any) -> None:
    passages = as_passages(PARAGRAPHS)
    question = "When did Kenya and Tanzania sign their trade agreement?"
    closest = EvidenceScorer(embed_model, PARAGRAPHS, ranker=Ranker(0.0, {"similarity": 9.0}))
    farthest = EvidenceScorer(embed_model, PARAGRAPHS, ranker=Ranker(0.0, {"similarity": -9.0}))
    near, far = closest.assess(question, passages), farthest.assess(question, passages)
    assert near.best is not None
    assert far.best is not None
    assert near.best.text != far.best.text
    assert near.best.similarity > far.best.similarity
    assert near.support == far.support  # the same gate, whatever the order
    assert [s.rank for s in near.scored[:2]] == sorted(
        (s.rank for s in near.scored[:2]), reverse=True
    )
