"""Unit tests of eval.metrics on hand-made cases (no model, no index)."""

from __future__ import annotations

import math

import pytest

from eval import metrics as m
from rag.answers import UNANSWERED_PART

A1, A2, A3 = ("000", "body", 1), ("000", "body", 2), ("001", "body", 3)
CAP = ("004", "caption", 2)


def test_keys_default_to_body_and_match_kind():
    assert m.key_of({"article_id": "000", "paragraph": 1}) == A1
    assert m.key_of({"article_id": "004", "paragraph": 2, "kind": "caption"}) == CAP
    assert m.gold_keys([{"article_id": "004", "paragraph": 2}]) == {("004", "body", 2)}


def test_hit_at_k():
    ranked = [A2, A3, A1]
    assert m.hit_at(ranked, {A1}, 1) == 0.0
    assert m.hit_at(ranked, {A1}, 3) == 1.0
    assert m.hit_at(ranked, {A2}, 1) == 1.0
    assert m.hit_at([], {A1}, 5) == 0.0


def test_hit_ignores_paragraph_of_other_kind():
    assert m.hit_at([("004", "body", 2)], {CAP}, 5) == 0.0


def test_mrr_at_10():
    assert m.mrr_at([A2, A3, A1], {A1}) == pytest.approx(1 / 3)
    assert m.mrr_at([A2, A1, A1], {A1, A2}) == 1.0
    ranked = [("x", "body", i) for i in range(10)] + [A1]
    assert m.mrr_at(ranked, {A1}, 10) == 0.0


def test_recall_at_10():
    assert m.recall_at([A1, A3], {A1, A2}) == 0.5
    assert m.recall_at([A1, A2], {A1, A2}) == 1.0
    assert m.recall_at([A1], set()) == 0.0


def test_ndcg_at_10():
    assert m.ndcg_at([A1, A2], {A1, A2}) == pytest.approx(1.0)
    assert m.ndcg_at([A3, A1], {A1}) == pytest.approx(1 / math.log2(3))
    # duplicates in a ranking never count twice
    assert m.ndcg_at([A1, A1], {A1, A2}) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert m.ndcg_at([A3], {A1}) == 0.0


def test_contains_fact_is_case_insensitive_whole_words_and_ignores_markers():
    assert m.contains_fact("He met ISHAQ DAR [1] in Washington.", ["Ishaq Dar"])
    assert m.contains_fact("Pakistan’s tariff", ["Pakistan's tariff"])
    assert not m.contains_fact("thus it was", ["US"])
    assert m.contains_fact("tariffs of 19% [2].", ["29%", "19%"])
    assert m.contains_fact("security [1] for aid", ["security for aid"])


def test_fact_coverage():
    facts = [["copper"], ["lithium"], ["gold", "bullion"], ["rare earths"]]
    assert m.fact_coverage("Copper, lithium and bullion [1].", facts) == 0.75
    assert m.fact_coverage("nothing", [["copper"]]) == 0.0
    assert m.fact_coverage("anything", []) is None


def test_citation_precision_counts_gold_or_fact_bearing_paragraphs():
    facts = [["Reko Diq"]]
    cited = [(A1, "unrelated"), (A2, "the Reko Diq mine"), (A3, "other text")]
    assert m.citation_precision(cited, {A1}, facts) == pytest.approx(2 / 3)
    assert m.citation_precision([], {A1}, facts) == 0.0


def test_citation_recall_needs_one_gold_paragraph_cited():
    assert m.citation_recall([(A2, ""), (A1, "")], {A1, A3}) == 1.0
    assert m.citation_recall([(A2, "")], {A1}) == 0.0
    assert m.citation_recall([], {A1}) == 0.0


def test_token_f1_squad_normalization():
    assert m.normalize_answer("The U.S. [1] and an Ally!") == "us and ally"
    assert m.token_f1("The copper mine.", "copper mine") == 1.0
    assert m.token_f1("copper gold", "copper lithium") == pytest.approx(0.5)
    assert m.token_f1("nothing here", "copper") == 0.0
    assert m.token_f1("", "") == 1.0


def test_groundedness():
    paragraph = "Pakistan agreed a trade deal with the United States in July."
    text = (
        "Pakistan agreed a trade deal with the United States [1]. "
        "The moon is made of cheese [1]. "
        "Pakistan agreed a trade deal [7]. "
        "Nobody cited this sentence."
    )
    assert m.groundedness(text, {1: paragraph}) == 0.25
    assert m.groundedness("", {1: paragraph}) is None


def test_percentile():
    assert m.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert m.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert m.percentile(list(map(float, range(1, 101))), 95) == pytest.approx(95.05)
    assert m.percentile([], 50) is None


GOLD = {
    "id": "q1",
    "question": "Which minerals?",
    "reference_answer": "Copper and lithium.",
    "required_facts": [["copper"], ["lithium"]],
    "evidence": [{"article_id": "000", "paragraph": 1}],
    "type": "list",
    "answerable": True,
}
UNANSWERABLE = {**GOLD, "required_facts": [], "evidence": [], "answerable": False}


def cite(marker, key, text):
    article_id, kind, paragraph = key
    return {
        "marker": marker,
        "article_id": article_id,
        "kind": kind,
        "paragraph": paragraph,
        "text": text,
    }


def test_score_question_answered():
    citations = [cite(1, A1, "Copper and lithium are mined.")]
    s = m.score_question(GOLD, [A2, A1], "Copper and lithium are mined [1].", True, citations)
    assert s["hit@1"] == 0.0
    assert s["hit@5"] == 1.0
    assert s["mrr@10"] == 0.5
    assert s["citation_precision"] == 1.0
    assert s["citation_recall"] == 1.0
    assert s["fact_coverage"] == 1.0
    assert s["groundedness"] == 1.0
    assert s["false_refusal_rate"] == 0.0
    assert s["refusal_accuracy"] is None


def test_score_question_refused_answerable():
    s = m.score_question(GOLD, [A3], "The articles don't say.", False, [])
    assert s["false_refusal_rate"] == 1.0
    assert s["citation_recall"] == 0.0
    assert s["fact_coverage"] == 0.0
    assert s["citation_precision"] is None  # nothing was cited, so no precision
    assert s["groundedness"] is None


def test_score_question_unanswerable_and_not_measured():
    assert m.score_question(UNANSWERABLE, [A1], "x", False)["refusal_accuracy"] == 1.0
    answered = m.score_question(UNANSWERABLE, [A1], "x [1].", True, [cite(1, A1, "x")])
    assert answered["refusal_accuracy"] == 0.0
    assert answered["hit@5"] is None  # no gold evidence: no retrieval metric
    retrieval_only = m.score_question(GOLD, [A1], None, None)
    assert retrieval_only["hit@1"] == 1.0
    assert retrieval_only["fact_coverage"] is None


PARTLY = {**GOLD, "missing_part": "How much lithium is there?"}


def test_a_compound_question_must_name_the_part_the_articles_dont_answer():
    citations = [cite(1, A1, "Copper and lithium are mined.")]
    answer = "Copper and lithium are mined [1]."
    note = UNANSWERED_PART.format(part="How much lithium is there?")
    named = m.score_question(PARTLY, [A1], f"{answer} {note}", True, citations)
    assert named["part_refusal_accuracy"] == 1.0
    assert named["groundedness"] == 1.0  # the note claims nothing of the articles
    assert named["false_part_refusal_rate"] is None
    silent = m.score_question(PARTLY, [A1], answer, True, citations)
    assert silent["part_refusal_accuracy"] == 0.0
    other = UNANSWERED_PART.format(part="Which minerals?")
    wrong = m.score_question(PARTLY, [A1], f"{answer} {other}", True, citations)
    assert wrong["part_refusal_accuracy"] == 0.0  # it names the part that was answered
    refused = m.score_question(PARTLY, [A1], note, False, [])
    assert refused["part_refusal_accuracy"] == 0.0  # the rest was answerable
    whole = m.score_question(GOLD, [A1], f"{answer} {note}", True, citations)
    assert whole["false_part_refusal_rate"] == 1.0
    assert whole["part_refusal_accuracy"] is None


def test_aggregate_means_skip_none_and_latency():
    rows = [
        {"scores": {"hit@5": 1.0, "refusal_accuracy": None}, "seconds": 1.0},
        {"scores": {"hit@5": 0.0, "refusal_accuracy": 1.0}, "seconds": 3.0},
    ]
    summary = m.aggregate(rows)
    assert summary["hit@5"] == 0.5
    assert summary["refusal_accuracy"] == 1.0
    assert summary["faithfulness"] is None
    assert summary["latency_p50"] == 2.0
    assert summary["latency_p95"] == pytest.approx(2.9)
