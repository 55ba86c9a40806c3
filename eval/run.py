"""`rag eval`: score the pipeline (and, with --compare, baselines) on the gold set.

    rag eval                         # our pipeline on eval/gold.jsonl
    rag eval --compare               # plus hybrid/dense/bm25 and llama-index defaults
    rag eval --check                 # exit 1 if a metric falls below eval/thresholds.toml
    rag eval --views-only            # only the compare/timeline/who's who views

Writes report.md, results.json, failures.md and chart.png to --out
(default eval/reports/<timestamp>/) and prints the table to stdout. The views
(eval/views_gold.jsonl, scored by eval/views.py) add views.md and a Views section.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval import baselines, metrics, report, view_metrics, views
from rag.config import Settings, get_settings
from rag.generation import GENERATORS

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TYPES = (
    "factoid",
    "list",
    "why_how",
    "multi_article",
    "comparison",
    "paraphrased",
    "follow_up",
    "compound",
    "metadata",
    "unanswerable",
)
Judge = Callable[[dict[str, Any], baselines.Output], dict[str, float | None]]


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="rag eval", description=__doc__.split("\n")[0])
    p.add_argument("--gold", type=Path, default=HERE / "gold.jsonl", help="gold set (JSONL)")
    p.add_argument("--compare", action="store_true", help="also run the baselines")
    p.add_argument("--check", action="store_true", help="exit 1 on a threshold regression")
    p.add_argument("--thresholds", type=Path, default=HERE / "thresholds.toml")
    p.add_argument("--out", type=Path, help="report folder [eval/reports/<timestamp>/]")
    p.add_argument("--limit", type=int, help="only the first N questions (and view cases)")
    p.add_argument("--split", choices=["dev", "test"], help="only this split's questions")
    p.add_argument("--generator", choices=GENERATORS)
    p.add_argument("--views-gold", type=Path, default=views.GOLD, help="view cases (JSONL)")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--no-views", action="store_true", help="skip the views")
    shown.add_argument("--views-only", action="store_true", help="only score the views")
    return p.parse_args(list(argv))


def load_gold(path: Path) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            missing = {"id", "question", "type", "answerable"} - set(item)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: invalid JSON ({exc})") from exc
        if missing:
            raise ValueError(f"{path}:{n}: missing {', '.join(sorted(missing))}")
        items.append(item)
    return items


def standalone(item: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str:
    """The question as asked: follow-ups are condensed with the question they follow."""
    from rag.conversation import condense

    previous = by_id.get(item.get("follows") or "")
    return condense(item["question"], [previous["question"]]) if previous else item["question"]


def llm_judge(settings: Settings) -> Judge:
    """llama-index Faithfulness (pass rate) and Correctness (1-5) on answered questions."""
    from llama_index.core.evaluation import CorrectnessEvaluator, FaithfulnessEvaluator
    from llama_index.llms.openai_like import OpenAILike

    from rag.citations import strip_markers

    key = settings.openai_api_key
    llm = OpenAILike(
        model=settings.openai_model,
        api_base=settings.openai_url,
        api_key=key.get_secret_value() if key else "not-needed",
        is_chat_model=True,
        temperature=0.0,
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
    )
    faithfulness, correctness = FaithfulnessEvaluator(llm=llm), CorrectnessEvaluator(llm=llm)

    def judge(item: dict[str, Any], out: baselines.Output) -> dict[str, float | None]:
        scores: dict[str, float | None] = {"faithfulness": None, "correctness": None}
        if not out.supported or not out.answer:
            return scores
        response = strip_markers(out.answer)
        try:
            f = faithfulness.evaluate(
                query=item["question"], response=response, contexts=out.contexts
            )
            scores["faithfulness"] = float(bool(f.passing))
            if item["answerable"]:
                c = correctness.evaluate(
                    query=item["question"], response=response, reference=item["reference_answer"]
                )
                scores["correctness"] = c.score
        except Exception as exc:  # a judge failure must not sink the run; it stays "n/a"
            log.warning("LLM judge failed on %s: %s", item["id"], exc)
        return scores

    return judge


def run_config(
    name: str,
    runner: baselines.Runner,
    gold: list[dict[str, Any]],
    by_id: dict[str, dict[str, Any]],
    bar: tqdm,
    judge: Judge | None,
) -> list[dict[str, Any]]:
    records = []
    for item in gold:
        bar.set_postfix_str(f"{name} {item['id']}")
        asked = standalone(item, by_id)
        error = None
        try:
            out = runner(asked)
        except Exception as exc:  # recorded as a failed (refused) question, never dropped
            log.warning("%s failed on %s: %s", name, item["id"], exc)
            error, out = f"{type(exc).__name__}: {exc}", baselines.Output([], "", False)
        scores = metrics.score_question(
            item, out.retrieved, out.answer, out.supported, out.citations
        )
        scores.update(judge(item, out) if judge else dict.fromkeys(metrics.LLM))
        records.append(
            {
                **item,
                "asked": asked,
                "retrieved": [list(k) for k in out.retrieved or []],
                "answer": out.answer,
                "supported": out.supported,
                "citations": out.citations,
                "seconds": round(out.seconds, 4),
                "support": out.support,
                "error": error,
                "scores": scores,
            }
        )
        bar.update(1)
    return records


def by_type(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault(r["type"], []).append(r)
    order = sorted(groups, key=lambda t: (TYPES.index(t) if t in TYPES else len(TYPES), t))
    return {t: {"n": len(groups[t]), **metrics.aggregate(groups[t])} for t in order}


SPLITS = ("dev", "test")


def split_of(rows: list[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("split") == split]


def by_split(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Metrics on each split and on all questions (dev is for fitting, test reports)."""
    out = {
        s: {"n": len(split_of(rows, s)), **metrics.aggregate(split_of(rows, s))}
        for s in SPLITS
        if split_of(rows, s)
    }
    return out | {"all": {"n": len(rows), **metrics.aggregate(rows)}}


def by_near_miss(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Refusal accuracy per near-miss kind, per split."""
    kinds = sorted({r["near_miss"] for r in rows if r.get("near_miss")})
    table: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        mine = [r for r in rows if r.get("near_miss") == kind]
        table[kind] = {"n": len(mine)} | {
            s: metrics.mean(r["scores"]["refusal_accuracy"] for r in split_of(mine, s))
            for s in SPLITS
        }
    return table


TRADEOFF_THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(9))


def tradeoff(rows: list[dict[str, Any]]) -> dict[str, list[tuple[float, float, float]]]:
    """Refusal against false refusal at several gate thresholds, per split: what moving
    RAG_MIN_SUPPORT would do (from each answer's support; extractive answers)."""
    out = {}
    for split in SPLITS:
        mine = [r for r in split_of(rows, split) if r.get("support") is not None]
        no = [r["support"] for r in mine if not r["answerable"]]
        yes = [r["support"] for r in mine if r["answerable"]]
        if no and yes:
            out[split] = [
                (t, sum(s < t for s in no) / len(no), sum(s < t for s in yes) / len(yes))
                for t in TRADEOFF_THRESHOLDS
            ]
    return out


def check(summaries: dict[str, dict[str, float | None]], path: Path) -> list[str]:
    """Threshold violations, one line each ([config.min] floors, [config.max] ceilings)."""
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    problems = []
    for config, bounds in spec.items():
        if config not in summaries:
            print(f"check: {config!r} was not run; its thresholds are skipped", file=sys.stderr)
            continue
        for kind, limits in bounds.items():
            for metric, limit in limits.items():
                if metric not in metrics.ALL + view_metrics.ALL:
                    problems.append(f"{config} {metric}: unknown metric in {path}")
                    continue
                value = summaries[config].get(metric)
                shown = "not measured" if value is None else f"{value:.3f}"
                if kind == "min" and (value is None or value < limit):
                    problems.append(f"{config} {metric} = {shown} < min {limit}")
                elif kind == "max" and (value is None or value > limit):
                    problems.append(f"{config} {metric} = {shown} > max {limit}")
    return problems


def run_answers(
    args: argparse.Namespace, settings: Settings, out: Path, meta: dict[str, Any]
) -> dict[str, float | None] | None:
    """Score the pipeline's answers (and baselines), write the report, print the tables;
    the test split's summary for the gate, or None when the gold set can't be read."""
    from rag import get_pipeline

    try:
        everything = load_gold(args.gold)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    gold = [i for i in everything if not args.split or i.get("split") == args.split]
    gold = gold[: args.limit] if args.limit else gold
    by_id = {item["id"]: item for item in everything}
    pipeline = get_pipeline(settings)
    configs = baselines.CONFIGS if args.compare else baselines.CONFIGS[:1]
    llm_on = bool(meta["llm_judge"])
    judge = llm_judge(settings) if llm_on else None

    baselines.warm_up(pipeline)
    records: dict[str, list[dict[str, Any]]] = {}
    with tqdm(total=len(gold) * len(configs), unit="q", file=sys.stderr, desc="eval") as bar:
        for name in configs:
            runner = baselines.build(name, pipeline, args.generator)
            records[name] = run_config(name, runner, gold, by_id, bar, judge)

    summaries = {name: metrics.aggregate(rows) for name, rows in records.items()}
    breakdown = {name: by_type(rows) for name, rows in records.items()}
    splits = by_split(records["ours"])
    kinds = by_near_miss(records["ours"])
    # The gate reads the test split: weights and thresholds are fitted on dev only.
    tested = split_of(records["ours"], "test") or records["ours"]
    meta = {"gold": str(args.gold), "questions": len(gold), **meta}
    curves = tradeoff(records["ours"])
    report.write(out, meta, summaries, breakdown, records, splits, kinds, curves)
    print(report.summary_table(summaries, llm_on))
    print()
    print(report.split_table(splits, llm_on))
    print()
    print(report.type_table(by_type(tested), llm_on, "ours, test split"))
    print()
    print(report.near_miss_table(kinds))
    if curves:
        print()
        print(report.tradeoff_table(curves))
    return metrics.aggregate(tested)


def run_views(
    args: argparse.Namespace, settings: Settings, out: Path
) -> dict[str, float | None] | None:
    """Score the three views on their gold cases, add them to the report, print the
    table; the test split's summary for the gate, or None when the cases can't be read."""
    try:
        cases = views.load_gold(args.views_gold)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    cases = [c for c in cases if not args.split or c.get("split") == args.split]
    cases = cases[: args.limit] if args.limit else cases
    records = views.run(cases, settings)
    splits = views.by_split(records)
    report.write_views(out, args.views_gold, splits, records)
    print()
    print(report.views_table(splits))
    return splits.get("test", splits["all"])


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    settings = settings or get_settings()
    llm_on = (args.generator or settings.resolved_generator()) == "openai"
    meta = {
        "generator": args.generator or settings.resolved_generator(),
        "embed_model": settings.embed_model,
        "top_k": settings.top_k,
        "min_support": settings.min_support,
        "llm_judge": llm_on,
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    out = args.out or HERE / "reports" / time.strftime("%Y%m%d-%H%M%S")
    gated: dict[str, dict[str, float | None]] = {}
    if not args.views_only:
        answers = run_answers(args, settings, out, meta)
        if answers is None:
            return 2
        gated["ours"] = answers
    if not args.no_views:
        shown = run_views(args, settings, out)
        if shown is None:
            return 2
        gated["views"] = shown
    print(f"\nreport: {out}", file=sys.stderr)

    if args.check:
        problems = check(gated, args.thresholds)
        for line in problems:
            print(f"REGRESSION: {line}")
        if problems:
            return 1
        print(f"check: all thresholds in {args.thresholds} met (test split)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
