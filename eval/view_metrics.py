"""Metrics for the three corpus views (compare, timeline, who's who) as pure functions.

The views runner (`eval/views.py`) turns each view's result into plain data and these
functions score it against a case of `eval/views_gold.jsonl`. Every `score_*` returns
the case's scores (None where a metric does not apply) and the misses, one line each,
for the report. Facts and role words are matched like answer facts (`eval.metrics.
contains_fact`: case-insensitive, whole words, any of the phrasings).

Plain data the runner produces:
- compare: `findings` {article id: [{"text", "article_id", "kind", "paragraph"}]} (the
  cited sentences of each article that addresses the question) and `silent` (ids);
- timeline: events [{"article_id", "kind", "paragraph", "date_text", "year"}];
- who's who: entries [{"name", "aliases", "roles" (texts), "articles" (ids)}].
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from eval.metrics import contains_fact, key_of, mean

COMPARE = (
    "compare_coverage",
    "compare_paragraph_recall",
    "compare_silent_accuracy",
    "compare_false_silent_rate",
)
TIMELINE = (
    "timeline_event_recall",
    "timeline_year_accuracy",
    "timeline_invented_year_rate",
    "timeline_precision",
)
ENTITIES = (
    "entities_found",
    "entities_role_recall",
    "entities_article_recall",
    "entities_article_precision",
)
ALL = COMPARE + TIMELINE + ENTITIES
VIEWS = {"compare": COMPARE, "timeline": TIMELINE, "entities": ENTITIES}

Scores = dict[str, float | None]


def _share(hits: Sequence[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


# --- compare ---------------------------------------------------------------------
def score_compare(
    gold: Mapping[str, Any],
    findings: Mapping[str, Sequence[Mapping[str, Any]]],
    silent: Sequence[str],
) -> tuple[Scores, list[str]]:
    """Per-article coverage (share of each expected article's facts found in the
    sentences cited for it, averaged over the expected articles), paragraph recall
    (expected articles citing one of their gold paragraphs), silent accuracy (gold-silent
    articles the comparison names silent) and false silence (expected articles given no
    finding). Articles marked optional in the gold count for nothing."""
    expected: Mapping[str, Mapping[str, Any]] = gold.get("expected", {})
    misses: list[str] = []
    coverage, paragraph_hits, wrongly_silent = [], [], []
    for article, want in expected.items():
        cited = findings.get(article, [])
        text = " ".join(str(s["text"]) for s in cited)
        facts = want.get("facts", [])
        found = [contains_fact(text, f) for f in facts]
        coverage.append(_share(found) or 0.0)
        keys = {key_of({"article_id": article, **e}) for e in want.get("evidence", [])}
        paragraph_hits.append(any(key_of(s) in keys for s in cited))
        wrongly_silent.append(not cited)
        if not cited:
            misses.append(f"{article}: expected findings, got none")
            continue
        missing = [f[0] for f, ok in zip(facts, found, strict=True) if not ok]
        if missing:
            misses.append(f"{article}: missing facts: {'; '.join(missing)}")
        if not paragraph_hits[-1]:
            misses.append(f"{article}: cites none of its gold paragraphs")
    gold_silent = list(gold.get("silent", []))
    named = [a in silent for a in gold_silent]
    misses += [f"{a}: should be silent, has findings" for a in gold_silent if a in findings]
    misses += [
        f"{a}: silent, not named silent"
        for a, ok in zip(gold_silent, named, strict=True)
        if not ok and a not in findings
    ]
    scores: Scores = {
        "compare_coverage": mean(coverage),
        "compare_paragraph_recall": _share(paragraph_hits),
        "compare_silent_accuracy": _share(named),
        "compare_false_silent_rate": _share(wrongly_silent),
    }
    return scores, misses


# --- timeline --------------------------------------------------------------------
_FILLER = frozenset({"in", "on", "of", "the", "from", "since", "by"})


def date_words(written: str) -> frozenset[str]:
    """A date as written, as words: "in early May" -> {"early", "may"}, "Sept. 25" ->
    {"sept", "25"}, "August 26, 2021" -> {"august", "26", "2021"}."""
    words = re.findall(r"[^\W_]+", written.casefold())
    return frozenset(w for w in words if w not in _FILLER)


def match_events(
    gold_events: Sequence[Mapping[str, Any]], events: Sequence[Mapping[str, Any]]
) -> list[int | None]:
    """For each gold event, the index of the returned event that is it, or None.

    An event is the gold one when it cites the same paragraph and its date is written
    the same way, or one's words hold the other's ("May" in "early May", "2008 to 2011"
    in "from 2008 to 2011"). Each returned event answers one gold event; exact dates
    are paired first, so "2021" does not take "August 26, 2021" from its own gold."""
    matched: list[int | None] = [None] * len(gold_events)
    used: set[int] = set()
    for exact in (True, False):
        for g, want in enumerate(gold_events):
            if matched[g] is not None:
                continue
            words, key = date_words(str(want["date"])), key_of(want)
            for i, got in enumerate(events):
                if i in used or key_of(got) != key:
                    continue
                have = date_words(str(got["date_text"]))
                same = have == words
                near = bool(have and words) and (have <= words or words <= have)
                if same or (near and not exact):
                    matched[g] = i
                    used.add(i)
                    break
    return matched


def invented_year(written: str, year: int | None) -> bool:
    """A year the date as written does not state: "May" given 2025 ("the 1950s" states
    1950, "2008 to 2011" states 2008)."""
    return year is not None and str(year) not in written


def _where(e: Mapping[str, Any]) -> str:
    kind = e.get("kind") or "body"
    label = f"¶{e['paragraph']}" if kind == "body" else f"{kind} {e['paragraph']}"
    return f"{e['article_id']} {label}"


def score_timeline(
    gold: Mapping[str, Any], events: Sequence[Mapping[str, Any]]
) -> tuple[Scores, list[str]]:
    """Event recall (required gold events found, by paragraph and date), year accuracy
    (found events carrying the year the text states, or none where it states none),
    invented years (returned events, gold or not, with a year their date as written does
    not hold) and, for a case whose gold lists every event (`complete`), precision
    (returned events that are gold ones, optional ones included)."""
    gold_events: list[Mapping[str, Any]] = list(gold.get("events", []))
    matched = match_events(gold_events, events)
    required = [not e.get("optional") for e in gold_events]
    misses = [
        f"missing: {want['date']} ({_where(want)})"
        for want, m, req in zip(gold_events, matched, required, strict=True)
        if m is None and req
    ]
    years = []
    for want, m in zip(gold_events, matched, strict=True):
        if m is None:
            continue
        got = events[m].get("year")
        years.append(got == want.get("year"))
        if got != want.get("year"):
            stated = "not stated" if want.get("year") is None else want["year"]
            misses.append(f"year: {want['date']} ({_where(want)}) got {got}, text: {stated}")
    invented = [invented_year(str(e["date_text"]), e.get("year")) for e in events]
    misses += [
        f"invented year: {e['date_text']} ({_where(e)}) got {e.get('year')}"
        for e, bad in zip(events, invented, strict=True)
        if bad
    ]
    precision = None
    if gold.get("complete") and events:
        hits = {m for m in matched if m is not None}
        precision = len(hits) / len(events)
        misses += [
            f"not in gold: {e['date_text']} ({_where(e)})"
            for i, e in enumerate(events)
            if i not in hits
        ]
    found = [m is not None for m, req in zip(matched, required, strict=True) if req]
    scores: Scores = {
        "timeline_event_recall": _share(found),
        "timeline_year_accuracy": _share(years),
        "timeline_invented_year_rate": _share(invented),
        "timeline_precision": precision,
    }
    return scores, misses


# --- who's who -------------------------------------------------------------------
def find_entry(
    gold: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The first entry (most mentioned first) named by the gold name or one of its other
    forms (`also`), by its name or one of its aliases; None if none is."""
    forms = {str(n).casefold() for n in [gold["name"], *gold.get("also", [])]}
    for entry in entries:
        names = [entry["name"], *entry.get("aliases", [])]
        if forms & {str(n).casefold() for n in names}:
            return entry
    return None


def score_entities(
    gold: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]
) -> tuple[Scores, list[str]]:
    """Whether the who's who has the name, the share of its expected role words found
    among the roles it states, and recall and precision of the articles naming it."""
    entry = find_entry(gold, entries)
    if entry is None:
        scores: Scores = dict.fromkeys(ENTITIES, 0.0)
        scores["entities_article_precision"] = None
        return scores, [f"no entry for {gold['name']}"]
    roles = " | ".join(str(r) for r in entry.get("roles", []))
    wanted = [list(r) for r in gold.get("roles", [])]
    found = [contains_fact(roles, r) for r in wanted]
    expected, named = set(gold.get("articles", [])), list(entry.get("articles", []))
    misses = [f"role missing: {r[0]}" for r, ok in zip(wanted, found, strict=True) if not ok]
    misses += [f"article missing: {a}" for a in sorted(expected - set(named))]
    misses += [f"article not expected: {a}" for a in named if a not in expected]
    if entry["name"].casefold() != str(gold["name"]).casefold():
        misses.append(f"entry named {entry['name']!r}")
    scores = {
        "entities_found": 1.0,
        "entities_role_recall": _share(found),
        "entities_article_recall": _share([a in named for a in sorted(expected)]),
        "entities_article_precision": _share([a in expected for a in named]),
    }
    return scores, misses


# --- many cases ------------------------------------------------------------------
def aggregate(rows: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    """Mean of every view metric over `rows` (each with "view" and "scores"), and the
    number of cases of each view (`n_compare`, `n_timeline`, `n_entities`)."""
    summary: dict[str, float | None] = {
        name: mean(r["scores"].get(name) for r in rows) for name in ALL
    }
    for view in VIEWS:
        summary[f"n_{view}"] = float(sum(r["view"] == view for r in rows))
    return summary
