"""Writes an eval run to a folder: report.md, results.json, failures.md, chart.png."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval import metrics, view_metrics
from eval.baselines import DESCRIPTIONS

HEADLINE = (
    "hit@5",
    "mrr@10",
    "citation_precision",
    "citation_recall",
    "fact_coverage",
    "refusal_accuracy",
)
COLUMNS = metrics.ALL
TYPE_COLUMNS = (
    "hit@5",
    "mrr@10",
    "citation_recall",
    "fact_coverage",
    "token_f1",
    "refusal_accuracy",
    "false_refusal_rate",
)


def fmt(metric: str, value: float | None, llm_run: bool) -> str:
    if value is None:
        return "not run" if metric in metrics.LLM and not llm_run else "n/a"
    if metric.startswith("latency"):
        return f"{value:.3f}s"
    return f"{value:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def summary_table(summaries: Mapping[str, Mapping[str, float | None]], llm_run: bool) -> str:
    rows = [[name] + [fmt(m, s.get(m), llm_run) for m in COLUMNS] for name, s in summaries.items()]
    return _table(["configuration", *COLUMNS], rows)


def type_table(
    breakdown: Mapping[str, Mapping[str, Any]], llm_run: bool, config: str = "ours"
) -> str:
    rows = [
        [kind, str(s["n"])] + [fmt(m, s.get(m), llm_run) for m in TYPE_COLUMNS]
        for kind, s in breakdown.items()
    ]
    return _table([f"type ({config})", "n", *TYPE_COLUMNS], rows)


SPLIT_COLUMNS = (
    "hit@5",
    "citation_precision",
    "citation_recall",
    "fact_coverage",
    "refusal_accuracy",
    "false_refusal_rate",
    "part_refusal_accuracy",
    "false_part_refusal_rate",
    "latency_p50",
)


def split_table(splits: Mapping[str, Mapping[str, Any]], llm_run: bool) -> str:
    rows = [
        [name, str(s["n"])] + [fmt(m, s.get(m), llm_run) for m in SPLIT_COLUMNS]
        for name, s in splits.items()
    ]
    return _table(["split (ours)", "n", *SPLIT_COLUMNS], rows)


def near_miss_table(kinds: Mapping[str, Mapping[str, Any]]) -> str:
    rows = [
        [
            kind,
            str(s["n"]),
            fmt("refusal", s.get("dev"), False),
            fmt("refusal", s.get("test"), False),
        ]
        for kind, s in kinds.items()
    ]
    return _table(["near-miss kind", "n", "refusal (dev)", "refusal (test)"], rows)


def tradeoff_table(curves: Mapping[str, list[tuple[float, float, float]]]) -> str:
    splits = list(curves)
    header = ["min_support"] + [f"{s} refusal / false refusal" for s in splits]
    rows = []
    for i, (t, _, _) in enumerate(curves[splits[0]]):
        rows.append(
            [f"{t:.2f}"] + [f"{curves[s][i][1]:.3f} / {curves[s][i][2]:.3f}" for s in splits]
        )
    return _table(header, rows)


def failure_reasons(record: Mapping[str, Any]) -> list[str]:
    """Why a question counts as failed; empty when it passed every check."""
    s, reasons = record["scores"], []
    if record.get("error"):
        reasons.append(f"error: {record['error']}")
    if not record["answerable"]:
        if s.get("refusal_accuracy") == 0:
            reasons.append("answered an unanswerable question")
        return reasons
    if s.get("false_refusal_rate") == 1:
        reasons.append("refused an answerable question")
    if s.get("part_refusal_accuracy") == 0:
        reasons.append(f"did not say the articles don't answer “{record['missing_part']}”")
    if s.get("false_part_refusal_rate") == 1:
        reasons.append("said the articles don't answer a part of the question they answer")
    if s.get("hit@5") == 0:
        reasons.append("no gold paragraph in the top 5")
    if s.get("citation_recall") == 0 and record["supported"]:
        reasons.append("gold evidence not cited")
    answer = record["answer"] or ""
    facts = record.get("required_facts", [])
    missing = [f[0] for f in facts if not metrics.contains_fact(answer, f)]
    if missing and record["supported"]:
        reasons.append("missing facts: " + "; ".join(missing))
    if (s.get("groundedness") or 1.0) < 1.0:
        reasons.append(f"groundedness {s['groundedness']:.2f}")
    return reasons


def _where(item: Mapping[str, Any]) -> str:
    kind = item.get("kind") or "body"
    label = f"¶{item['paragraph']}" if kind == "body" else f"{kind} {item['paragraph']}"
    return f"{item['article_id']} {label}"


def _key_dict(key: list[Any]) -> dict[str, Any]:
    return dict(zip(("article_id", "kind", "paragraph"), key, strict=True))


def failures_md(records: list[dict[str, Any]]) -> str:
    failed = [(r, failure_reasons(r)) for r in records]
    failed = [(r, why) for r, why in failed if why]
    out = [f"# Failures (ours): {len(failed)} of {len(records)} questions\n"]
    for r, why in failed:
        asked = f" (asked as: {r['asked']})" if r["asked"] != r["question"] else ""
        evidence = ", ".join(_where(e) for e in r.get("evidence", [])) or "none"
        cited = ", ".join(f"[{c['marker']}] {_where(c)}" for c in r["citations"]) or "none"
        top = ", ".join(_where(_key_dict(k)) for k in r["retrieved"][:5]) or "none"
        out += [
            f"## {r['id']} ({r['type']})",
            f"- question: {r['question']}{asked}",
            f"- why: {'; '.join(why)}",
            f"- expected: {r.get('reference_answer', '')} (evidence: {evidence})",
            f"- got: {(r['answer'] or '').strip()}",
            f"- cited: {cited}",
            f"- retrieved top 5: {top}\n",
        ]
    return "\n".join(out)


def chart(path: Path, summaries: Mapping[str, Mapping[str, float | None]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    width = 0.8 / max(len(summaries), 1)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    for i, (name, s) in enumerate(summaries.items()):
        xs = [j + i * width for j in range(len(HEADLINE))]
        ax.bar(xs, [s.get(m) or 0.0 for m in HEADLINE], width, label=name)
    ax.set_xticks([j + width * (len(summaries) - 1) / 2 for j in range(len(HEADLINE))])
    ax.set_xticklabels(HEADLINE)
    ax.set_ylim(0, 1.05)
    ax.set_title("Headline metrics (n/a plotted as 0)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report_md(
    meta: Mapping[str, Any],
    summaries: Mapping[str, Mapping[str, float | None]],
    breakdown: Mapping[str, Mapping[str, Any]],
    splits: Mapping[str, Mapping[str, Any]] | None = None,
    kinds: Mapping[str, Mapping[str, Any]] | None = None,
    curves: Mapping[str, list[tuple[float, float, float]]] | None = None,
) -> str:
    llm_run = bool(meta["llm_judge"])
    notes = [f"- **{name}**: {DESCRIPTIONS[name]}" for name in summaries]
    judge = (
        "faithfulness = llama-index FaithfulnessEvaluator pass rate; correctness = "
        "CorrectnessEvaluator mean score (1-5)."
        if llm_run
        else "faithfulness/correctness: not run (no LLM configured; set OPENAI_API_KEY)."
    )
    parts = [
        "# Evaluation report",
        ", ".join(f"{k}: {v}" for k, v in meta.items()),
        "## Configurations",
        summary_table(summaries, llm_run),
        "\n".join(notes),
        "Retrieval metrics average over questions with gold evidence; citation and fact "
        "metrics over answerable questions (citation precision and groundedness only "
        "over answered ones); refusal_accuracy over unanswerable questions. " + judge,
    ]
    if splits:
        parts += [
            "## Ours by split",
            "Weights and thresholds are fitted on dev; `--check` gates on test.",
            split_table(splits, llm_run),
        ]
    if kinds:
        parts += ["## Refusal by near-miss kind (ours)", near_miss_table(kinds)]
    if curves:
        parts += [
            "## Refusal trade-off (ours, extractive)",
            "What another RAG_MIN_SUPPORT would give, from each answer's gate score.",
            tradeoff_table(curves),
        ]
    for name, types in breakdown.items():
        parts += [f"## By question type: {name}", type_table(types, llm_run, name)]
    return "\n\n".join(parts) + "\n"


def write(
    out: Path,
    meta: Mapping[str, Any],
    summaries: Mapping[str, Mapping[str, float | None]],
    breakdown: Mapping[str, Mapping[str, Any]],
    records: Mapping[str, list[dict[str, Any]]],
    splits: Mapping[str, Mapping[str, Any]] | None = None,
    kinds: Mapping[str, Mapping[str, Any]] | None = None,
    curves: Mapping[str, list[tuple[float, float, float]]] | None = None,
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(
        report_md(meta, summaries, breakdown, splits, kinds, curves), encoding="utf-8"
    )
    results = {
        "meta": meta,
        "summary": summaries,
        "by_type": breakdown,
        "by_split": splits,
        "by_near_miss": kinds,
        "tradeoff": curves,
        "questions": records,
    }
    (out / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (out / "failures.md").write_text(failures_md(records["ours"]), encoding="utf-8")
    chart(out / "chart.png", summaries)


# --- views (eval/views.py) ---------------------------------------------------------
def views_table(splits: Mapping[str, Mapping[str, float | None]]) -> str:
    """One row per view metric, one column per split (n: cases of that view)."""
    names = list(splits)
    rows = []
    for view, columns in view_metrics.VIEWS.items():
        counts = " / ".join(str(int(splits[s].get(f"n_{view}") or 0)) for s in names)
        rows += [
            [view, m, counts] + [fmt(m, splits[s].get(m), False) for s in names] for m in columns
        ]
    return _table(["view", "metric", "n (" + " / ".join(names) + ")", *names], rows)


def views_md(records: list[dict[str, Any]]) -> str:
    """Each view case that missed something, and what."""
    missed = [r for r in records if r["misses"]]
    out = [f"# View misses: {len(missed)} of {len(records)} cases\n"]
    for r in missed:
        asked = (
            r.get("question")
            or r.get("name")
            or ", ".join(f"{k} {r[k]}" for k in ("article", "about") if r.get(k))
            or "the whole timeline"
        )
        out += [f"## {r['id']} ({r['view']}, {r['split']}): {asked}"]
        out += [f"- {line}" for line in r["misses"]] + [""]
    return "\n".join(out)


def write_views(
    out: Path,
    gold: Path,
    splits: Mapping[str, Mapping[str, float | None]],
    records: list[dict[str, Any]],
) -> None:
    """Adds a Views section to report.md (creating it for a views-only run) and writes
    views.json (every case: what the view returned, scores, misses) and views.md."""
    out.mkdir(parents=True, exist_ok=True)
    section = "\n\n".join(
        [
            "## Views",
            f"Compare, timeline and who's who scored on {gold} ({len(records)} cases); "
            "`--check` gates on test ([views] in eval/thresholds.toml). Per-case misses: "
            "views.md.",
            views_table(splits),
        ]
    )
    path = out / "report.md"
    before = path.read_text(encoding="utf-8") + "\n" if path.exists() else "# Evaluation report\n\n"
    path.write_text(before + section + "\n", encoding="utf-8")
    (out / "views.json").write_text(
        json.dumps({"by_split": splits, "cases": records}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    (out / "views.md").write_text(views_md(records), encoding="utf-8")
