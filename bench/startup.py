"""The waits a user feels at start-up (issue 12): `rag --help`, `rag ask --help` and a cold
`rag ask` against an already-ingested data folder, each a fresh process (median of N runs),
then the cold ask split inside one process: imports, embedding model, index, answer.

    python bench/startup.py --data-dir /tmp/d1 [--runs 3] [--question "..."] [--json out.json]

Prints a markdown table; `bench/run.py` calls `measure_startup` against the seeds it
ingested and puts the figures in results.md. Every run is a new process, so "cold" means
cold Python and libraries with a warm OS file cache (the first run after a reboot is
slower still).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUESTION = "Who chairs the Pakistan Crypto Council?"
# Modules whose presence after a cold ask says what start-up paid for.
HEAVY = (
    "llama_index",
    "torch",
    "transformers",
    "sentence_transformers",
    "spacy",
    "onnxruntime",
    "chromadb",
)
STAGES = ("import", "model", "index", "answer", "warm answer")

# Runs in a fresh interpreter: one cold ask, timed stage by stage, then a warm one.
SPLIT = """
import json, sys, time
t0 = time.perf_counter()
from rag.api import get_pipeline
from rag.config import get_settings
t1 = time.perf_counter()
pipeline = get_pipeline(get_settings())
pipeline.embed_model
t2 = time.perf_counter()
pipeline.retriever
t3 = time.perf_counter()
answer = pipeline.ask(sys.argv[1])
t4 = time.perf_counter()
pipeline.ask(sys.argv[1])
t5 = time.perf_counter()
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))
print(json.dumps({"import": t1 - t0, "model": t2 - t1, "index": t3 - t2,
                  "answer": t4 - t3, "warm answer": t5 - t4, "supported": answer.supported,
                  "heavy": heavy}))
"""


def measured(command: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    """Median wall, CPU and peak memory over `runs` fresh processes."""
    walls, cpus, peaks, outs = [], [], [], []
    for _ in range(runs):
        # Output to files, not pipes: nothing reads a pipe while wait4 waits.
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            start = time.perf_counter()
            process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
            _, status, usage = os.wait4(process.pid, 0)  # this process's own rusage
            walls.append(time.perf_counter() - start)
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            if process.returncode != 0:
                problem = err.read()[-2000:]
                raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{problem}")
            outs.append(out.read())
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return {
        "wall": statistics.median(walls),
        "walls": walls,
        "cpu": statistics.median(cpus),
        "peak_mib": statistics.median(peaks),
        "stdout": outs[-1],
    }


def measure_startup(
    data_dir: Path | str,
    runs: int = 3,
    question: str = QUESTION,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The start-up figures against an ingested data folder: each command `runs` fresh
    processes (median), the cold ask split in-process, and what a cold ask imported.
    `env` adds variables (a shared model cache, a collection name) to the processes'."""
    rag = str(Path(sys.executable).with_name("rag"))
    env = {
        **os.environ,
        **(env or {}),
        "RAG_DATA_DIR": str(data_dir),
        "RAG_GENERATOR": "extractive",
    }
    results = {
        "rag --help": measured([rag, "--help"], env, runs),
        "rag ask --help": measured([rag, "ask", "--help"], env, runs),
        "cold rag ask": measured([rag, "ask", question], env, runs),
        # A reference: what importing llama-index's core alone costs a fresh process.
        "python -c 'import llama_index.core'": measured(
            [sys.executable, "-c", "import llama_index.core"], env, runs
        ),
    }
    split_command = [sys.executable, "-c", SPLIT, question, ",".join(HEAVY)]
    splits = [
        json.loads(measured(split_command, env, 1)["stdout"].splitlines()[-1]) for _ in range(runs)
    ]
    split = {stage: statistics.median(s[stage] for s in splits) for stage in STAGES}
    figures = {k: {f: v for f, v in r.items() if f != "stdout"} for k, r in results.items()}
    return {
        "runs": runs,
        "question": question,
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],
        "processes": figures,
        "split": split,
        "heavy": splits[-1]["heavy"],
        "supported": all(s["supported"] for s in splits),
    }


def markdown(figures: dict[str, Any]) -> str:
    """The start-up tables, as results.md and this script print them."""
    lines = [
        "| process | wall s | CPU s | peak MiB | runs (wall s) |",
        "|---|---:|---:|---:|---|",
    ]
    for name, r in figures["processes"].items():
        runs = ", ".join(f"{w:.2f}" for w in r["walls"])
        lines.append(
            f"| `{name}` | {r['wall']:.2f} | {r['cpu']:.2f} | {r['peak_mib']:.0f} | {runs} |"
        )
    split = figures["split"]
    lines += [
        "",
        f"Cold ask inside one process (median s of {figures['runs']}):",
        "",
        "| " + " | ".join(STAGES) + " |",
        "|" + "---:|" * len(STAGES),
        "| " + " | ".join(f"{split[s]:.2f}" for s in STAGES) + " |",
        "",
        "Loaded by a cold ask: "
        + (", ".join(figures["heavy"]) or "none of " + ", ".join(HEAVY))
        + ".",
    ]
    if not figures["supported"]:
        lines.append("\nWarning: the answer was a refusal; is the data folder ingested?")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("RAG_DATA_DIR"),
        help="an ingested data folder [env RAG_DATA_DIR]",
    )
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.data_dir:
        parser.error("give --data-dir or set RAG_DATA_DIR (an ingested data folder)")
    figures = measure_startup(args.data_dir, args.runs, args.question)
    print(
        f"Start-up, median of {args.runs} fresh processes ({os.cpu_count()} CPUs, "
        f"data {args.data_dir}):\n"
    )
    print(markdown(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
