"""Filling in what was not measured: a system a size skipped, and a projected 100k size.

Per-text work (ingest, BM25, disk, index load) scales linearly from the largest measured
size; latency p50 and peak memory follow the log-log slope between the two largest.
"""

from __future__ import annotations

import math
from typing import Any

from bench.measure import SYSTEMS

EXTRAPOLATE_TO = 100_000


def extrapolate_key(
    key: str, small: dict[str, Any], large: dict[str, Any], target: int
) -> dict[str, Any]:
    """One system's entry at `target` paragraphs from two measured sizes: linearly for
    per-text work (ingest, BM25, disk, index load), along the log-log slope between the
    two sizes for latency p50 and peak memory."""
    a, b = small["corpus"]["paragraphs"], large["corpus"]["paragraphs"]
    factor = math.log(target / b) / math.log(b / a)

    def ext(x: float, y: float) -> float:
        if x <= 0 or y <= 0:
            return y
        return y * (y / x) ** factor

    def linear(y: float) -> float:  # per-text work: embedding, writes, disk, loading
        return y * target / b

    s, lg = small[key], large[key]
    entry: dict[str, Any] = {"extrapolated": True, "from_size": b}
    if key.startswith("ingest") or key == "llamaindex":
        entry.update(
            seconds=linear(lg["seconds"]),
            embed_s=linear(lg["embed_s"]),
            bm25_s=linear(lg.get("bm25_s", 0.0)),
            other_s=linear(lg["other_s"]),
            peak_rss_mb=ext(s["peak_rss_mb"], lg["peak_rss_mb"]),
            disk_mb=linear(lg.get("disk_mb", 0.0)),
            replayed=lg.get("replayed", False),
        )
    if key.startswith("latency") or key == "llamaindex":
        entry["cold_load_s"] = linear(lg["cold_load_s"])
        for op in ("retrieve", "ask"):
            entry[op] = {  # p95 is too noisy on a shared machine to extend
                "p50_ms": ext(s[op]["p50_ms"], lg[op]["p50_ms"]),
                "p95_ms": None,
            }
        if key != "llamaindex":
            entry["peak_rss_mb"] = ext(s["peak_rss_mb"], lg["peak_rss_mb"])
    return entry


def measured_pair(
    key: str, measured: list[dict[str, Any]], target: int
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The two largest measured sizes below `target` that ran this system."""
    have = [r for r in measured if r["size"] < target and key in r]
    return (have[-2], have[-1]) if len(have) >= 2 else None


def extrapolate(measured: list[dict[str, Any]], target: int) -> dict[str, Any]:
    """A whole size at `target` paragraphs, from the measured sizes (labelled as such)."""
    out: dict[str, Any] = {"size": target, "extrapolated": True}
    for _, ing, lat in SYSTEMS:
        for key in dict.fromkeys((ing, lat)):
            pair = measured_pair(key, measured, target)
            if pair:
                out[key] = extrapolate_key(key, *pair, target)
    large = measured[-1]
    b = large["corpus"]["paragraphs"]
    out["corpus"] = {"paragraphs": target}
    out["raw"] = dict(large["raw"])
    for key in ("projected_embed_s", "projected_embed_cpu_s", "projected_torch_s"):
        if key in large["raw"]:
            out["raw"][key] = large["raw"][key] * target / b
    out["raw"]["texts"] = round(large["raw"]["texts"] * target / b)
    return out


def complete(sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """This run's measured sizes in order, each system a size skipped filled in by
    extrapolation (marked); sizes kept from earlier runs (`earlier_run`, with their own
    date and commit) as they were, never filled in or extrapolated from; and a projected
    EXTRAPOLATE_TO size from this run's two largest when this run measured nothing as large.
    """

    def strip(r: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in r.items() if not (isinstance(v, dict) and v.get("extrapolated"))}

    ordered = sorted((r for r in sizes if not r.get("extrapolated")), key=lambda r: r["size"])
    measured = [strip(r) for r in ordered if not r.get("earlier_run")]
    earlier = [strip(r) for r in ordered if r.get("earlier_run")]
    out = []
    for r in measured:
        filled = dict(r)
        for _, ing, lat in SYSTEMS:
            if ing in r and lat in r:
                continue
            for key in dict.fromkeys((ing, lat)):
                pair = measured_pair(key, measured, r["size"])
                if pair and key not in filled:
                    filled[key] = extrapolate_key(key, *pair, r["size"])
        out.append(filled)
    out += earlier
    if len(measured) >= 2 and measured[-1]["size"] < EXTRAPOLATE_TO:
        out.append(extrapolate(measured, EXTRAPOLATE_TO))
    # by size; at one size: this run, then an earlier run's, then the projection
    return sorted(
        out, key=lambda r: (r["size"], 2 if r.get("extrapolated") else int("earlier_run" in r))
    )


def stage_times(r: dict[str, Any]) -> dict[str, float]:
    """Seconds per pipeline stage at one size (embedded store), for 'the slowest stage'."""
    ie = r["ingest_embedded"]
    times = {
        "embedding (inside ingest)": ie["embed_s"],
        "BM25 build + save (inside ingest)": ie.get("bm25_s", 0.0),
        "chunking + Chroma writes (rest of ingest)": ie["other_s"],
        "first query: index open + saved BM25 load": r["latency_embedded"]["cold_load_s"],
    }
    if ie.get("entities_s") is not None:
        times["spaCy entities of every paragraph (rag ingest, after the index)"] = ie["entities_s"]
    if "corpus" in r and "generate_s" in r["corpus"]:
        times["corpus generation (bench only)"] = r["corpus"]["generate_s"]
    return times
