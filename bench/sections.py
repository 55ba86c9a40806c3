"""The parts of results.md about the waits a user feels (issue 12): start-up, warm ask on
the seeds, disk per paragraph, the README test command's set-up, the UI's first token."""

from __future__ import annotations

from typing import Any

from bench.startup import HEAVY
from bench.tables import fmt

# Issue 12's "where it stands", measured on main before the work on it (2 cores, shared):
# the before column of the tables below, so each target has its starting point beside it.
BEFORE = {
    "rag --help": 3.2,
    "cold rag ask": 8.6,
    "seeds retrieve p50": 31.0,
    "seeds ask p50": 309.0,
    "ui ttft embedded": 0.32,
    "ui ttft server": 0.93,
    "disk kb per paragraph 100k": 40.0,
    "test command min": 29.0,
}
TARGETS = {
    "rag --help": 0.3,
    "rag ask --help": 0.3,
    "cold rag ask": 3.0,
    "seeds retrieve p50": 20.0,
    "seeds ask p50": 40.0,
    "seeds ask p95": 80.0,
    "ask vs llama-index": 0.8,
    "ui ttft embedded": 0.15,
    "ui ttft server": 0.25,
    "disk kb per paragraph": 10.0,
    "test command min": 15.0,
}


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "–"
    return "met" if value <= target else "not met"


def _stamp(figures: dict[str, Any]) -> str:
    """When and on which code a once-per-run figure was measured."""
    if not figures.get("when"):
        return ""
    text = f"; measured {figures['when']}, code of {figures.get('commit', '?')}"
    if figures.get("uncommitted"):
        text += " plus uncommitted changes in " + ", ".join(figures["uncommitted"])
    return text


def startup_section(figures: dict[str, Any] | None) -> list[str]:
    if not figures:
        return ["Not measured in this run."]
    procs, split = figures["processes"], figures["split"]
    md = [
        f"Each command {figures['runs']} times as a fresh process against the seeds this run "
        f"ingested (extractive answers; {figures['cpus']} CPUs, load "
        f"{figures['load']:.1f} when it ran{_stamp(figures)}); wall time is the median, "
        "with every run's beside it. `bench/startup.py --data-dir DIR` measures the same on "
        "any data folder.",
        "",
        "| process | wall s | CPU s | peak MiB | runs (wall s) | target | issue 12 before |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for name, r in procs.items():
        target = TARGETS.get(name)
        goal = f"≤ {target} s: {verdict(r['wall'], target)}" if target else "reference"
        before = f"{BEFORE[name]} s" if name in BEFORE else "–"
        runs = ", ".join(f"{w:.2f}" for w in r["walls"])
        md.append(
            f"| `{name}` | {r['wall']:.2f} | {r['cpu']:.2f} | {r['peak_mib']:.0f} | {runs} "
            f"| {goal} | {before} |"
        )
    stages = list(split)
    md += [
        "",
        "The cold ask inside one process (median seconds): importing `rag.api`, loading the "
        "embedding model, opening the index (and its saved BM25), the first answer, and a "
        "second answer in the same process:",
        "",
        "| " + " | ".join(stages) + " |",
        "|" + "---:|" * len(stages),
        "| " + " | ".join(f"{split[s]:.2f}" for s in stages) + " |",
        "",
        "Loaded by a cold ask: "
        + (", ".join(f"`{m}`" for m in figures["heavy"]) or "none of the heavy modules")
        + f" (of {', '.join(HEAVY)}).",
    ]
    return md


def seeds_section(seeds: dict[str, Any] | None) -> list[str]:
    if not seeds:
        return ["Not measured in this run."]
    r, a, again = seeds["retrieve"], seeds["ask"], seeds["ask_repeated"]
    md = [
        f"The seeds ({seeds['paragraphs']} paragraphs, {seeds['texts_embedded']} texts "
        f"embedded; `Pipeline.ingest` took {seeds['ingest_s']:.1f} s) through rag's public "
        f"API, `rag.retrieve` and `rag.ask` (extractive, k={seeds['k']}), one process, warm: "
        f"every one of the {seeds['queries']} gold questions once each, as a new question "
        "(the model's query-vector cache emptied before each timed call, so each call embeds "
        f"its question). {seeds['answered']:.0%} of the asks were answered (the gold set "
        "holds unanswerable questions too). Load average "
        f"{seeds['load_start']:.1f} → {seeds['load_end']:.1f}{_stamp(seeds)}.",
        "",
        "| call | p50 ms | p95 ms | mean ms | target | issue 12 before (p50) |",
        "|---|---:|---:|---:|---|---|",
        f"| `rag.retrieve` | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['mean_ms']:.0f} "
        f"| p50 ≤ 20 ms: {verdict(r['p50_ms'], TARGETS['seeds retrieve p50'])} "
        f"| {BEFORE['seeds retrieve p50']:.0f} ms |",
        f"| `rag.ask` | {a['p50_ms']:.0f} | {a['p95_ms']:.0f} | {a['mean_ms']:.0f} "
        f"| p50 ≤ 40 ms: {verdict(a['p50_ms'], TARGETS['seeds ask p50'])}, p95 ≤ 80 ms: "
        f"{verdict(a['p95_ms'], TARGETS['seeds ask p95'])} | {BEFORE['seeds ask p50']:.0f} ms |",
        f"| `rag.ask`, the same question again | {again['p50_ms']:.0f} "
        f"| {again['p95_ms']:.0f} | {again['mean_ms']:.0f} | – | – |",
    ]
    if first := seeds.get("ask_first_sight"):
        md.append(
            f"| `rag.ask`, passages never seen before (sentence vectors forgotten too) "
            f"| {first['p50_ms']:.0f} | {first['p95_ms']:.0f} | {first['mean_ms']:.0f} | – | – |"
        )
    return md


def _kb(mb: float | None, paragraphs: int) -> float | None:
    if mb is None or mb != mb:
        return None
    return mb * 1024 / paragraphs


def disk_section(results: list[dict[str, Any]]) -> list[str]:
    """KB per paragraph for each size and system, and ours part by part."""
    md = [
        "| paragraphs | ours, embedded | ours, server | llama-index defaults | ours ÷ theirs "
        "(embedded) | records per paragraph (ours) | target ≤ 10 KB |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    broken = []
    for r in results:
        n = r["corpus"]["paragraphs"]
        mark = "~" if r.get("extrapolated") else ""
        label = f"{mark}{r['size']:,}" + (" †" if r.get("earlier_run") else "")
        ours = _kb(r.get("ingest_embedded", {}).get("disk_mb"), n)
        server = _kb(r.get("ingest_server", {}).get("disk_mb"), n)
        theirs = _kb(r.get("llamaindex", {}).get("disk_mb"), n)
        parts = r.get("ingest_embedded", {}).get("disk")
        records = parts.get("records") if parts else None
        ratio = f"{mark}{ours / theirs:.1f}×" if ours and theirs else "–"
        md.append(
            f"| {label} | {mark}{fmt(ours, 1)} | {mark}{fmt(server, 1)} "
            f"| {mark}{fmt(theirs, 1)} | {ratio} "
            f"| {fmt(records / n if records else None, 2)} "
            f"| {verdict(ours, TARGETS['disk kb per paragraph']) if ours else '–'} |"
        )
        if parts and not r.get("extrapolated") and not r.get("earlier_run"):
            broken.append(r)
    md += [
        "",
        "Ours is the whole data folder an ingest leaves (Chroma's files, the saved BM25 "
        "index, the spaCy entity cache; the shared model cache apart); the server row is the "
        "server's Chroma folder plus the app's local BM25 and entity files. llama-index's is "
        "its persisted `storage/` (docstore, JSON vector store, index store). `~`: projected "
        "linearly from this run's largest size; †: an earlier run's measurement, from before "
        "sentence records stopped storing text (see the note under the results table).",
    ]
    if broken:
        sizes = [r["corpus"]["paragraphs"] for r in broken]
        keys = [k for k in broken[-1]["ingest_embedded"]["disk"] if k != "records"]
        md += [
            "",
            "Ours, embedded, part by part (KB per paragraph; sqlite parts from sqlite's `dbstat`):",
            "",
            "| part | " + " | ".join(f"{n:,} paragraphs" for n in sizes) + " |",
            "|---|" + "---:|" * len(sizes),
        ]
        for key in keys:
            cells = [
                fmt(_kb(r["ingest_embedded"]["disk"].get(key), r["corpus"]["paragraphs"]), 2)
                for r in broken
            ]
            md.append(f"| {key} | " + " | ".join(cells) + " |")
    return md


def setup_section(setup: dict[str, Any] | None) -> list[str]:
    if not setup:
        return [
            "Not measured yet: `bench/setup_time.py` runs the README's test command in a fresh "
            "clone with an empty pip cache and records its phases here."
        ]
    phases = setup["phases"]
    total = setup["total_s"]
    md = [
        f"`bash scripts/test.sh` (what `.ci/run` calls) in a fresh clone of "
        f"{setup['commit']} on {setup['when']}, {setup['cpus']} CPUs, "
        + (
            "with an empty pip cache (so llama-cpp-python compiles, as on a fresh machine)"
            if setup.get("empty_pip_cache")
            else "with this machine's pip cache"
        )
        + f"; load average {setup['load_before']} before, {setup['load_after']} after. "
        + "Phases as the script prints them:",
        "",
        "| phase | wall s |",
        "|---|---:|",
    ]
    md += [f"| {name} | {secs:.0f} |" for name, secs in phases.items()]
    md += [
        f"| **total** | **{total:.0f}** ({total / 60:.1f} min; target ≤ 15 min: "
        f"{verdict(total / 60, TARGETS['test command min'])}; issue 12 before: "
        f"{BEFORE['test command min']:.0f} min) |",
    ]
    if setup.get("tests"):
        md += ["", f"The test suite's own summary line: `{setup['tests']}`."]
    if setup.get("returncode"):
        md += ["", f"**test.sh failed** (exit {setup['returncode']}): the figures are partial."]
    if setup.get("chromium_preinstalled"):
        md += [
            "",
            "Debian's chromium was already installed on this machine, so the chromium phase "
            "is a no-op here; a fresh machine adds its `apt-get install` (not measured here).",
        ]
    md += [f"\n{note}" for note in setup.get("notes", [])]
    return md


def ui_section(ui: dict[str, Any] | None) -> list[str]:
    if not ui:
        return ["Not measured in this run (the browser tests write these figures)."]
    md = [
        "From the browser tests (tests/test_ui_browser.py drives Debian's chromium against "
        "`rag serve`, median of its runs), as recorded by the test run named under "
        f"'Test set-up' ({ui.get('source', 'the test run')}):",
        "",
        "| store | time to first token s | full answer s | runs | target | issue 12 before |",
        "|---|---:|---:|---:|---|---|",
    ]
    for store in ("embedded", "server"):
        t = ui.get(store)
        if not t:
            continue
        target = TARGETS[f"ui ttft {store}"]
        md.append(
            f"| {store} | {t['ttft_s']:.2f} | {t['full_answer_s']:.2f} | {len(t['runs'])} "
            f"| ≤ {target} s: {verdict(t['ttft_s'], target)} "
            f"| {BEFORE[f'ui ttft {store}']} s |"
        )
    return md
