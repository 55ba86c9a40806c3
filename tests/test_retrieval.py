"""Hybrid retrieval (rag.retrieval): rank fusion and passages, pure; then the retriever
over the real seeds index (slow: `seeded_pipeline` ingests the seeds once per store)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from rag.api import Pipeline
from rag.retrieval import HybridRetriever, Mode, _fuse, _Hit, _to_passage
from rag.schema import CAPTION_WEIGHTS, Passage
from rag.sources import SOURCE_BOOST

Key = tuple[str, str, int]
EVEN = {"dense": 1.0, "bm25": 1.0}
MODES: list[Mode] = ["hybrid", "dense", "bm25"]


def body(n: int, article: str = "001") -> Key:
    return (article, "body", n)


def fused(
    found: dict[Key, tuple[float, float]],
    dense: Sequence[Key] = (),
    bm25: Sequence[Key] = (),
    weights: dict[str, float] = EVEN,
    *,
    captions: bool = False,
) -> dict[Key, float]:
    """Each key's fused score, given its (dense, lexical) scores and the two rankings."""
    hits = {key: _Hit(dense=d, lexical=lex) for key, (d, lex) in found.items()}
    _fuse(hits, [("dense", list(dense)), ("bm25", list(bm25))], weights, captions=captions)
    return {key: hit.fused for key, hit in hits.items()}


# --- _fuse ---------------------------------------------------------------------------


def test_a_paragraph_both_retrievers_found_outranks_each_retrievers_own_first() -> None:
    both, dense_only, bm25_only = body(1), body(2), body(3)
    score = fused(
        {both: (0.5, 4.0), dense_only: (0.6, 0.0), bm25_only: (0.0, 5.0)},
        dense=[dense_only, both],
        bm25=[bm25_only, both],
    )
    assert score[both] > score[dense_only]
    assert score[both] > score[bm25_only]


def test_first_in_both_rankings_with_the_top_scores_fuses_to_one() -> None:
    top, other = body(1), body(2)
    score = fused({top: (0.7, 6.0), other: (0.5, 2.0)}, dense=[top, other], bm25=[top, other])
    assert score[top] == pytest.approx(1.0)
    assert 0.0 < score[other] < score[top]


def test_equal_places_in_equally_weighted_rankings_tie() -> None:
    dense_first, bm25_first = body(1), body(2)
    # raw scores are incomparable (cosine vs BM25); each is normalised by its list's top
    score = fused(
        {dense_first: (0.4, 0.0), bm25_first: (0.0, 9.0)}, dense=[dense_first], bm25=[bm25_first]
    )
    assert score[dense_first] == pytest.approx(score[bm25_first])


def test_weights_favour_one_retriever() -> None:
    dense_first, bm25_first = body(1), body(2)
    found = {dense_first: (0.4, 0.0), bm25_first: (0.0, 9.0)}

    def order(weights: dict[str, float]) -> list[Key]:
        score = fused(found, dense=[dense_first], bm25=[bm25_first], weights=weights)
        return sorted(score, key=score.__getitem__, reverse=True)

    assert order({"dense": 2.0, "bm25": 1.0}) == [dense_first, bm25_first]
    assert order({"dense": 1.0, "bm25": 2.0}) == [bm25_first, dense_first]


def test_a_wide_score_margin_survives_fusion() -> None:
    first, second = body(1), body(2)

    def gap(second_score: float) -> float:
        score = fused({first: (0.0, 10.0), second: (0.0, second_score)}, bm25=[first, second])
        return score[first] - score[second]

    assert gap(1.0) > gap(9.9) > 0  # same ranks; plain rank fusion would give equal gaps


def test_a_paragraph_no_ranking_kept_scores_nothing() -> None:
    ranked, over_fetched = body(1), body(2)  # dense over-fetches, then keeps candidate_k
    score = fused({ranked: (0.8, 0.0), over_fetched: (0.7, 0.0)}, dense=[ranked])
    assert score[over_fetched] == 0.0
    assert score[ranked] > 0.0


def test_a_caption_ranks_below_an_equally_placed_body_paragraph() -> None:
    caption, paragraph = ("004", "caption", 1), body(1, "004")
    found = {caption: (0.5, 0.0), paragraph: (0.0, 3.0)}
    score = fused(found, dense=[caption], bm25=[paragraph])
    assert score[caption] < score[paragraph]
    assert score[caption] == pytest.approx(score[paragraph] * CAPTION_WEIGHTS.retrieval)


def test_a_caption_ranked_first_still_yields_to_the_body_paragraph_after_it() -> None:
    caption, paragraph = ("004", "caption", 1), body(1, "004")
    score = fused({caption: (0.5, 0.0), paragraph: (0.5, 0.0)}, dense=[caption, paragraph])
    assert score[caption] < score[paragraph]


def test_a_question_about_a_photo_ranks_captions_as_body_text() -> None:
    caption, paragraph = ("004", "caption", 1), body(1, "004")
    found = {caption: (0.5, 0.0), paragraph: (0.0, 3.0)}
    score = fused(found, dense=[caption], bm25=[paragraph], captions=True)
    assert score[caption] == pytest.approx(score[paragraph])


def test_a_note_is_weighted_as_a_note_and_a_header_as_body() -> None:
    note, header, paragraph = ("003", "note", 1), ("003", "header", 0), body(1, "003")
    found = {note: (0.5, 0.0), header: (0.5, 0.0), paragraph: (0.5, 0.0)}
    alone = {key: fused({key: found[key]}, dense=[key])[key] for key in found}
    assert alone[note] == pytest.approx(alone[paragraph] * CAPTION_WEIGHTS.note)
    assert alone[header] == pytest.approx(alone[paragraph])
    # the weight is not the caption's: a note outranks an equally placed caption
    caption = ("003", "caption", 1)
    assert alone[note] > fused({caption: (0.5, 0.0)}, dense=[caption])[caption]


# --- _to_passage ---------------------------------------------------------------------


def test_to_passage_carries_the_paragraph_record_and_rounded_scores() -> None:
    hit = _Hit(dense=0.612345, lexical=4.000049, fused=0.876549)
    meta = {
        "article_id": "004",
        "title": "Reko Diq",
        "paragraph": 3,
        "kind": "caption",
        "section": "The mine",
    }
    assert _to_passage(hit, "A photo of the mine.", meta) == Passage(
        article_id="004",
        title="Reko Diq",
        paragraph=3,
        text="A photo of the mine.",
        score=0.8765,
        kind="caption",
        section="The mine",
        dense=0.6123,
        lexical=4.0,
    )


def test_to_passage_defaults_to_a_body_paragraph_outside_any_section() -> None:
    meta = {"article_id": 1, "title": "T", "paragraph": "7", "section": ""}
    passage = _to_passage(_Hit(fused=0.5), "Text.", meta)
    assert (passage.article_id, passage.paragraph) == ("1", 7)  # as stored, typed
    assert passage.kind == "body"
    assert passage.section is None
    assert passage.key == ("1", "body", 7)


# --- the retriever over the real seeds -------------------------------------------------


@pytest.fixture
def retriever(seeded_pipeline: Pipeline) -> HybridRetriever:
    return seeded_pipeline.retriever


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("k", [1, 3, 7])
def test_each_mode_returns_k_distinct_paragraphs_best_first(
    retriever: HybridRetriever, mode: Mode, k: int
) -> None:
    passages = retriever.retrieve(
        "By how much were tariffs on Pakistani goods lowered?", k, mode=mode
    )
    assert len(passages) == k
    assert len({p.key for p in passages}) == k  # a paragraph's sentences collapse into it
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)  # no article named: no boost
    assert all(0.0 < s <= 1.0 for s in scores)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_each_mode_reports_only_its_own_retrievers_scores(
    retriever: HybridRetriever, mode: Mode
) -> None:
    passages = retriever.retrieve("What is Reko Diq?", 5, mode=mode)
    assert all(p.dense > 0 for p in passages) is (mode != "bm25")
    assert all(p.lexical == 0 for p in passages) is (mode == "dense")
    assert all(p.dense == 0 for p in passages) is (mode == "bm25")


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_the_articles_filter_keeps_only_those_articles(
    retriever: HybridRetriever, mode: Mode
) -> None:
    everywhere = retriever.retrieve("What is Reko Diq?", 8, mode=mode)
    assert {p.article_id for p in everywhere} - {"003", "001"}  # others would answer
    passages = retriever.retrieve("What is Reko Diq?", 8, articles=["003", "001"], mode=mode)
    assert passages
    assert {p.article_id for p in passages} <= {"003", "001"}


@pytest.mark.slow
def test_an_exact_phrase_finds_its_paragraph_by_bm25(seeded_pipeline: Pipeline) -> None:
    top = seeded_pipeline.retriever.retrieve("tariffs from 29% to 19%", 3, mode="bm25")[0]
    assert (top.article_id, top.kind) == ("001", "body")
    assert "lowered tariffs from 29% to 19% on Pakistani goods" in top.text
    assert top.text == seeded_pipeline.index.paragraph_text(top.key)  # the whole paragraph
    assert top.title == seeded_pipeline.article_titles["001"]


@pytest.mark.slow
def test_a_named_article_is_boosted_in_rank_but_keeps_its_own_score(
    retriever: HybridRetriever,
) -> None:
    question = "What does the explainer say about tariffs?"  # the explainer is 002
    passages = retriever.retrieve(question, 5, mode="bm25")
    boosted = [p.score * (SOURCE_BOOST if p.article_id == "002" else 1.0) for p in passages]
    assert boosted == sorted(boosted, reverse=True)
    assert any(p.article_id == "002" for p in passages)
    assert [p.score for p in passages] != sorted((p.score for p in passages), reverse=True)
    # an explicit articles filter replaces the boost
    filtered = retriever.retrieve(question, 5, articles=["001", "002"], mode="bm25")
    assert [p.score for p in filtered] == sorted((p.score for p in filtered), reverse=True)


@pytest.mark.slow
def test_a_question_about_a_photo_finds_the_captions(retriever: HybridRetriever) -> None:
    passages = retriever.retrieve("Who took the photo of the signing?", 3)
    assert {p.kind for p in passages} == {"caption"}
