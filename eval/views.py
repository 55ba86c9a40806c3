"""Score the compare, timeline and who's who views on eval/views_gold.jsonl.

A thin runner: each case calls the public API (`rag.compare`, `rag.timeline`,
`rag.entities`) on the pipeline of the given settings, turns the result into plain data
and scores it with `eval.view_metrics`. Kept apart from eval/gold.jsonl so the answer
metrics and the answerability fit (scripts/fit_answerability.py) do not change.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval import view_metrics
from rag.config import Settings

log = logging.getLogger(__name__)

GOLD = Path(__file__).resolve().parent / "views_gold.jsonl"
SPLITS = ("dev", "test")
_REQUIRED = {
    "compare": {"question", "expected", "silent"},
    "timeline": {"events"},
    "entities": {"name", "roles", "articles"},
}


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    """The view cases, checked for the fields their view needs."""
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: invalid JSON ({exc})") from exc
        view = case.get("view")
        if view not in _REQUIRED:
            raise ValueError(f"{path}:{n}: view must be one of {', '.join(_REQUIRED)}")
        missing = ({"id", "split"} | _REQUIRED[view]) - set(case)
        if missing:
            raise ValueError(f"{path}:{n}: missing {', '.join(sorted(missing))}")
        cases.append(case)
    return cases


def _ref(ref: Any) -> dict[str, Any]:
    return {"article_id": ref.article_id, "kind": ref.kind, "paragraph": ref.paragraph}


def run_compare(case: dict[str, Any], settings: Settings) -> dict[str, Any]:
    from rag import compare

    found = compare(case["question"], settings=settings)
    findings = {
        f.article_id: [{"text": s.text, **_ref(s.ref)} for s in f.sentences] for f in found.findings
    }
    return {"findings": findings, "silent": [r.article_id for r in found.silent]}


def run_timeline(case: dict[str, Any], settings: Settings) -> dict[str, Any]:
    from rag import timeline

    events = timeline(case.get("article"), case.get("about"), settings=settings)
    return {
        "events": [
            {"date_text": e.date_text, "year": e.year, "sentence": e.sentence, **_ref(e.ref)}
            for e in events
        ]
    }


def run_entities(case: dict[str, Any], settings: Settings) -> dict[str, Any]:
    from rag import entities

    return {
        "entries": [
            {
                "name": e.name,
                "label": e.label,
                "aliases": list(e.aliases),
                "roles": [r.text for r in e.roles],
                "articles": list(e.mentions),
            }
            for e in entities(settings=settings)
        ]
    }


def score(case: dict[str, Any], out: dict[str, Any]) -> tuple[dict[str, float | None], list[str]]:
    """The case's scores and misses from what its view returned."""
    if case["view"] == "compare":
        return view_metrics.score_compare(case, out.get("findings", {}), out.get("silent", []))
    if case["view"] == "timeline":
        return view_metrics.score_timeline(case, out.get("events", []))
    return view_metrics.score_entities(case, out.get("entries", []))


RUNNERS: dict[str, Callable[[dict[str, Any], Settings], dict[str, Any]]] = {
    "compare": run_compare,
    "timeline": run_timeline,
    "entities": run_entities,
}


def run(cases: Sequence[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    """One record per case: the case, what the view returned (who's who entries kept only
    for the entry scored), its scores, misses, seconds and any error."""
    records = []
    for case in cases:
        start, error = time.perf_counter(), None
        try:
            out = RUNNERS[case["view"]](case, settings)
        except Exception as exc:  # scored as an empty result, never dropped
            log.warning("view %s failed on %s: %s", case["view"], case["id"], exc)
            error, out = f"{type(exc).__name__}: {exc}", {}
        seconds = time.perf_counter() - start
        scores, misses = score(case, out)
        if case["view"] == "entities":
            entry = view_metrics.find_entry(case, out.get("entries", []))
            out = {"entry": entry}
        records.append(
            {
                **case,
                "got": out,
                "scores": scores,
                "misses": ([f"error: {error}"] if error else []) + misses,
                "seconds": round(seconds, 4),
                "error": error,
            }
        )
    return records


def by_split(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """View metrics on each split and on all cases (`--check` reads test)."""
    out = {
        s: view_metrics.aggregate([r for r in records if r.get("split") == s])
        for s in SPLITS
        if any(r.get("split") == s for r in records)
    }
    return out | {"all": view_metrics.aggregate(records)}
