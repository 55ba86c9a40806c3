"""Unit tests of eval.view_metrics on hand-made cases (no model, no index)."""

from __future__ import annotations

import pytest

from eval import view_metrics as vm


def _s(article: str, paragraph: int, text: str, kind: str = "body") -> dict:
    return {"article_id": article, "kind": kind, "paragraph": paragraph, "text": text}


COMPARE = {
    "expected": {
        "004": {
            "facts": [["claimed credit"], ["full credit"], ["bilaterally"]],
            "evidence": [{"paragraph": 37}],
        },
        "002": {"facts": [["mediating"]], "evidence": [{"paragraph": 1}]},
    },
    "silent": ["001", "003"],
    "optional": ["000"],
}


def test_compare_perfect():
    findings = {
        "004": [
            _s("004", 37, "Trump claimed credit; India says they deescalated bilaterally."),
            _s("004", 37, "Pakistan gave Trump full credit."),
        ],
        "002": [_s("002", 1, "Pakistan's role in mediating the 2025 Kashmir ceasefire.")],
        "000": [_s("000", 8, "A potential Line of Control ceasefire framework.")],
    }
    scores, misses = vm.score_compare(COMPARE, findings, ["001", "003"])
    assert scores == {
        "compare_coverage": 1.0,
        "compare_paragraph_recall": 1.0,
        "compare_silent_accuracy": 1.0,
        "compare_false_silent_rate": 0.0,
    }
    assert misses == []


def test_compare_coverage_is_per_article_and_counts_only_that_articles_sentences():
    # 002's sentence holds 004's facts: they do not count for 004.
    findings = {
        "004": [_s("004", 36, "Trump claimed credit.")],
        "002": [_s("002", 1, "mediating; full credit; bilaterally")],
    }
    scores, misses = vm.score_compare(COMPARE, findings, ["001", "003"])
    assert scores["compare_coverage"] == pytest.approx((1 / 3 + 1) / 2)
    assert scores["compare_paragraph_recall"] == 0.5  # 004 cites ¶36, not its gold ¶37
    assert "004: missing facts: full credit; bilaterally" in misses
    assert "004: cites none of its gold paragraphs" in misses


def test_compare_silence_both_ways():
    # 002 addresses it but gets nothing; 003 is silent but has a finding; 001 is left
    # out of both lists; the optional 000 counts for nothing either way.
    findings = {
        "004": [_s("004", 37, "claimed credit, full credit, bilaterally")],
        "003": [_s("003", 2, "unrelated")],
    }
    scores, misses = vm.score_compare(COMPARE, findings, ["002", "000"])
    assert scores["compare_coverage"] == 0.5
    assert scores["compare_false_silent_rate"] == 0.5
    assert scores["compare_silent_accuracy"] == 0.0
    assert misses == [
        "002: expected findings, got none",
        "003: should be silent, has findings",
        "001: silent, not named silent",
    ]


def test_compare_question_no_article_addresses():
    gold = {"expected": {}, "silent": ["000", "001"]}
    scores, _ = vm.score_compare(gold, {}, ["000", "001"])
    assert scores["compare_silent_accuracy"] == 1.0
    assert scores["compare_coverage"] is None
    assert scores["compare_false_silent_rate"] is None
    scores, _ = vm.score_compare(gold, {"001": [_s("001", 5, "x")]}, ["000"])
    assert scores["compare_silent_accuracy"] == 0.5


def test_compare_caption_evidence_keeps_its_kind():
    gold = {
        "expected": {
            "004": {"facts": [["Egypt"]], "evidence": [{"paragraph": 12, "kind": "caption"}]}
        },
        "silent": [],
    }
    body = {"004": [_s("004", 12, "in Egypt")]}
    caption = {"004": [_s("004", 12, "in Egypt", kind="caption")]}
    assert vm.score_compare(gold, body, [])[0]["compare_paragraph_recall"] == 0.0
    assert vm.score_compare(gold, caption, [])[0]["compare_paragraph_recall"] == 1.0


# --- timeline --------------------------------------------------------------------
def _e(article: str, paragraph: int, date: str, year: int | None, kind: str = "body") -> dict:
    return {
        "article_id": article,
        "kind": kind,
        "paragraph": paragraph,
        "date_text": date,
        "year": year,
    }


def _g(article: str, paragraph: int, date: str, year: int | None, **extra: object) -> dict:
    return {"article_id": article, "paragraph": paragraph, "date": date, "year": year, **extra}


def test_date_words():
    assert vm.date_words("in early May") == {"early", "may"}
    assert vm.date_words("Sept. 25") == {"sept", "25"}
    assert vm.date_words("August 26, 2021") == {"august", "26", "2021"}
    assert vm.date_words("the 1950s") == {"1950s"}


def test_match_events_pairs_exact_dates_first_and_each_event_once():
    gold = [_g("004", 12, "2021", 2021), _g("004", 12, "February", None)]
    events = [_e("004", 12, "February 2021", 2021), _e("004", 12, "2021", 2021)]
    # "2021" takes the exact "2021"; "February" then takes "February 2021" (holds it).
    assert vm.match_events(gold, events) == [1, 0]
    assert vm.match_events(gold, events[:1]) == [0, None]
    # same date, other paragraph or kind: not the event
    assert vm.match_events([_g("004", 12, "2021", 2021)], [_e("004", 13, "2021", 2021)]) == [None]
    caption = [_g("004", 2, "May 14", None, kind="caption")]
    assert vm.match_events(caption, [_e("004", 2, "May 14", None)]) == [None]
    assert vm.match_events(caption, [_e("004", 2, "May 14", None, "caption")]) == [0]


def test_invented_year():
    assert vm.invented_year("May", 2025)
    assert not vm.invented_year("May", None)
    assert not vm.invented_year("the 1950s", 1950)
    assert not vm.invented_year("2008 to 2011", 2008)
    assert vm.invented_year("2008 to 2011", 2011) is False  # written inside the span
    assert vm.invented_year("2021", 2025)


def test_timeline_scores():
    gold = {
        "complete": True,
        "events": [
            _g("004", 36, "early May", None),
            _g("004", 7, "2008 to 2011", 2008),
            _g("004", 15, "March 2025", 2025),
            _g("004", 3, "October", None, optional=True),
        ],
    }
    events = [
        _e("004", 36, "early May", 2025),  # a year the text does not state
        _e("004", 7, "2008 to 2011", 2008),
        _e("004", 3, "October", None),  # optional: not a false positive
        _e("004", 9, "2009", 2009),  # not in the gold
    ]
    scores, misses = vm.score_timeline(gold, events)
    assert scores["timeline_event_recall"] == pytest.approx(2 / 3)
    assert scores["timeline_year_accuracy"] == pytest.approx(2 / 3)
    assert scores["timeline_invented_year_rate"] == 0.25
    assert scores["timeline_precision"] == 0.75
    assert "missing: March 2025 (004 ¶15)" in misses
    assert "year: early May (004 ¶36) got 2025, text: not stated" in misses
    assert "invented year: early May (004 ¶36) got 2025" in misses
    assert "not in gold: 2009 (004 ¶9)" in misses


def test_timeline_precision_only_for_complete_gold_and_empty_results():
    gold = {"events": [_g("002", 1, "2021", 2021)]}
    scores, _ = vm.score_timeline(gold, [_e("002", 1, "2021", 2021), _e("002", 1, "2025", 2025)])
    assert scores["timeline_precision"] is None
    assert scores["timeline_event_recall"] == 1.0
    scores, misses = vm.score_timeline({**gold, "complete": True}, [])
    assert scores["timeline_event_recall"] == 0.0
    assert scores["timeline_year_accuracy"] is None
    assert scores["timeline_precision"] is None
    assert misses == ["missing: 2021 (002 ¶1)"]


# --- who's who -------------------------------------------------------------------
ENTRIES = [
    {
        "name": "Donald Trump",
        "aliases": ["Trump"],
        "roles": ["President"],
        "articles": ["000", "004"],
    },
    {
        "name": "Asim Munir",
        "aliases": ["Munir"],
        "roles": ["the country’s powerful military chief", "Field Marshal"],
        "articles": ["000", "004", "002"],
    },
]


def test_find_entry_by_name_or_other_form():
    assert vm.find_entry({"name": "Asim Munir"}, ENTRIES) is ENTRIES[1]
    assert vm.find_entry({"name": "General Munir", "also": ["munir"]}, ENTRIES) is ENTRIES[1]
    assert vm.find_entry({"name": "Shehbaz Sharif"}, ENTRIES) is None


def test_entities_scores():
    gold = {
        "name": "Asim Munir",
        "roles": [["military chief", "army chief"], ["field marshal"], ["general"]],
        "articles": ["000", "004"],
    }
    scores, misses = vm.score_entities(gold, ENTRIES)
    assert scores["entities_found"] == 1.0
    assert scores["entities_role_recall"] == pytest.approx(2 / 3)
    assert scores["entities_article_recall"] == 1.0
    assert scores["entities_article_precision"] == pytest.approx(2 / 3)
    assert misses == ["role missing: general", "article not expected: 002"]


def test_entities_missing_entry_scores_zero():
    gold = {"name": "Rizwan Saeed Sheikh", "roles": [["ambassador"]], "articles": ["004"]}
    scores, misses = vm.score_entities(gold, ENTRIES)
    assert scores["entities_found"] == 0.0
    assert scores["entities_role_recall"] == 0.0
    assert scores["entities_article_recall"] == 0.0
    assert scores["entities_article_precision"] is None
    assert misses == ["no entry for Rizwan Saeed Sheikh"]


def test_entities_merged_under_another_name_is_noted():
    gold = {"name": "Munir", "roles": [], "articles": ["004"]}
    _, misses = vm.score_entities(gold, ENTRIES)
    assert "entry named 'Asim Munir'" in misses


def test_aggregate_means_and_counts_per_view():
    rows = [
        {"view": "compare", "scores": {"compare_coverage": 1.0, "compare_silent_accuracy": None}},
        {"view": "compare", "scores": {"compare_coverage": 0.5, "compare_silent_accuracy": 1.0}},
        {"view": "timeline", "scores": {"timeline_event_recall": 0.0}},
    ]
    summary = vm.aggregate(rows)
    assert summary["compare_coverage"] == 0.75
    assert summary["compare_silent_accuracy"] == 1.0
    assert summary["timeline_event_recall"] == 0.0
    assert summary["entities_found"] is None
    assert (summary["n_compare"], summary["n_timeline"], summary["n_entities"]) == (2, 1, 0)
