"""The eval harness end to end (slow: real model, index built in a tmp folder),
plus fast tests of the threshold check and the failure report."""

from __future__ import annotations

import json

import pytest

from eval import report, views
from eval.baselines import CONFIGS
from eval.run import check, main
from rag.config import get_settings


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("eval-data")
    return get_settings(data_dir=data_dir, generator="extractive")


@pytest.mark.slow
def test_compare_writes_report_with_every_configuration(settings, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["--limit", "8", "--compare", "--out", str(out)], settings=settings) == 0
    for name in ("report.md", "results.json", "failures.md", "chart.png"):
        assert (out / name).stat().st_size > 0
    printed = capsys.readouterr().out
    table = (out / "report.md").read_text()
    for config in CONFIGS:
        assert f"| {config} |" in printed
        assert f"| {config} |" in table
    assert "not run" in table  # no LLM: the judge columns say so, never a number
    results = json.loads((out / "results.json").read_text())
    assert results["meta"]["questions"] == 8
    assert all(len(results["questions"][c]) == 8 for c in CONFIGS)
    assert 0.0 <= results["summary"]["ours"]["hit@5"] <= 1.0


@pytest.mark.slow
def test_check_fails_on_impossible_threshold(settings, tmp_path, capsys):
    impossible = tmp_path / "impossible.toml"
    impossible.write_text('[ours.min]\n"hit@5" = 1.01\n\n[ours.max]\nlatency_p95 = 0.0\n')
    argv = ["--limit", "3", "--out", str(tmp_path / "r"), "--check"]
    assert main([*argv, "--thresholds", str(impossible)], settings=settings) == 1
    printed = capsys.readouterr().out
    assert "REGRESSION: ours hit@5" in printed
    assert "< min 1.01" in printed
    assert "latency_p95" in printed
    easy = tmp_path / "easy.toml"
    easy.write_text('[ours.min]\n"hit@5" = 0.0\n')
    assert main([*argv, "--thresholds", str(easy)], settings=settings) == 0


def test_check_reports_missing_and_unknown_metrics(tmp_path):
    spec = tmp_path / "t.toml"
    spec.write_text(
        "[ours.min]\nfact_coverage = 0.5\nfaithfulness = 0.5\ntypo = 1\n"
        '[ours.max]\nfalse_refusal_rate = 0.1\n[dense.min]\n"hit@5" = 0.9\n'
    )
    summary = {"ours": {"fact_coverage": 0.6, "faithfulness": None, "false_refusal_rate": 0.2}}
    problems = check(summary, spec)
    assert problems == [
        "ours faithfulness = not measured < min 0.5",
        f"ours typo: unknown metric in {spec}",
        "ours false_refusal_rate = 0.200 > max 0.1",
    ]


def test_failure_reasons():
    record = {
        "answerable": True,
        "supported": True,
        "answer": "Copper is mined [1].",
        "required_facts": [["copper"], ["lithium"]],
        "scores": {"hit@5": 0.0, "citation_recall": 0.0, "false_refusal_rate": 0.0},
    }
    assert report.failure_reasons(record) == [
        "no gold paragraph in the top 5",
        "gold evidence not cited",
        "missing facts: lithium",
    ]
    unanswerable = {"answerable": False, "scores": {"refusal_accuracy": 0.0}}
    assert report.failure_reasons(unanswerable) == ["answered an unanswerable question"]
    assert report.failure_reasons({**unanswerable, "scores": {"refusal_accuracy": 1.0}}) == []


def test_check_gates_view_metrics(tmp_path):
    spec = tmp_path / "t.toml"
    spec.write_text(
        "[views.min]\ncompare_coverage = 0.6\n[views.max]\ncompare_false_silent_rate = 0.2\n"
    )
    ok = {"views": {"compare_coverage": 0.7, "compare_false_silent_rate": 0.1}}
    assert check(ok, spec) == []
    bad = {"views": {"compare_coverage": 0.5, "compare_false_silent_rate": 0.3}}
    assert check(bad, spec) == [
        "views compare_coverage = 0.500 < min 0.6",
        "views compare_false_silent_rate = 0.300 > max 0.2",
    ]


def test_write_views_adds_a_section_and_the_misses(tmp_path):
    records = [
        {
            "id": "vc01",
            "view": "compare",
            "split": "test",
            "question": "Who brokered it?",
            "scores": {"compare_coverage": 0.5},
            "misses": ["004: missing facts: full credit"],
        },
        {
            "id": "vt01",
            "view": "timeline",
            "split": "dev",
            "article": "002",
            "scores": {"timeline_event_recall": 1.0},
            "misses": [],
        },
    ]
    splits = views.by_split(records)
    (tmp_path / "report.md").write_text("# Evaluation report\n\nanswers\n")
    report.write_views(tmp_path, views.GOLD, splits, records)
    text = (tmp_path / "report.md").read_text()
    assert text.startswith("# Evaluation report\n\nanswers\n")
    assert "## Views" in text
    assert "| compare | compare_coverage | 0 / 1 / 1 | n/a | 0.500 | 0.500 |" in text
    misses = (tmp_path / "views.md").read_text()
    assert "# View misses: 1 of 2 cases" in misses
    assert "## vc01 (compare, test): Who brokered it?" in misses
    assert "- 004: missing facts: full credit" in misses
    assert json.loads((tmp_path / "views.json").read_text())["cases"][0]["id"] == "vc01"
