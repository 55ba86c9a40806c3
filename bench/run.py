#!/usr/bin/env python
"""Scale benchmark: ingest throughput, retrieve/ask latency, memory and disk, at 1k-100k paragraphs.

    .venv/bin/python bench/run.py                      # 1k and 10k paragraphs
    .venv/bin/python bench/run.py --sizes 1000 --quick # a smoke run
    .venv/bin/python bench/run.py --sizes 100000 --no-server --no-llamaindex --no-onnx --merge
                                                       # add 100k (ours, embedded) to results.json

A scale corpus is generated into a temporary folder (never committed) by recombining
and perturbing the seed paragraphs. Before any stage the embedding model is exported to
ONNX once, into one model cache that every stage shares (`model_cache_dir`), so no timed
stage pays for the export. Then, for each size, each stage runs in a fresh subprocess so
that peak RSS (getrusage ru_maxrss) belongs to that stage alone:

* raw: the configured embedding model as ingest runs it (`build_embed_model`, ONNX Runtime
  by default) alone, on a sample of the very texts ingest embeds, length-sorted, in one
  `get_text_embedding_batch` call, and on paragraph texts only; sentence-transformers
  (torch) on the same sample as a reference;
* ingest: `rag.index.ingest` into the embedded store, then into a real `chroma run`
  server (by default replaying the embedded run's vectors, so the server run measures the
  store; `--server-embed model` embeds again); the model's time, the BM25 build + save and
  the texts embedded are read from its `IngestReport`;
* latency: `Pipeline.retrieve` and `Pipeline.ask` (extractive generator) p50/p95 over the
  gold questions, embedded and server; the first query opens the index and loads the BM25
  index ingest saved;
* llama-index defaults: SimpleDirectoryReader + VectorStoreIndex (in-memory), same model
  and backend (`build_embed_model`, ONNX);
* onnx (once): our OnnxEmbedding (the default backend) vs sentence-transformers' torch on
  this CPU, throughput and cosine agreement, and an int8 quantisation of the same export;
* seeds (once): `Pipeline.ingest` of the seeds into a fresh folder, then warm `rag.retrieve`
  and `rag.ask` for every gold question, each a new question;
* start-up (once, bench/startup.py): `rag --help`, `rag ask --help` and a cold `rag ask`
  as fresh processes against that seeds folder, and the cold ask split in-process.

Every latency stage empties the embed model's query-vector cache before each timed call,
so every call embeds its question as a user's new question does.

Writes bench/results.md, bench/results.png and bench/results.json and prints the table;
`--merge` folds this invocation's sizes into an existing results.json instead.

This module is the CLI only: the stages are in bench/stages.py and bench/baselines.py,
the corpus in bench/corpus.py, the report in bench/extrapolate.py, bench/tables.py,
bench/report.py and bench/plot.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as `python bench/run.py` (the documented command), sys.path[0] is bench/ itself:
# import the `bench` package from the repository root instead.
if __package__ in (None, ""):
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.baselines import stage_llamaindex, stage_onnx
from bench.chroma_server import ChromaServer
from bench.corpus import make_corpus
from bench.extrapolate import complete
from bench.measure import BENCH, dir_size_mb, disk_breakdown, git_state, loadavg, log
from bench.plot import plot
from bench.report import merge_results, write_report
from bench.stages import stage_export, stage_ingest, stage_latency, stage_raw, stage_seeds
from bench.startup import measure_startup
from bench.tables import rows

STAGES = {
    "export": stage_export,
    "raw": stage_raw,
    "ingest": stage_ingest,
    "latency": stage_latency,
    "llamaindex": stage_llamaindex,
    "onnx": stage_onnx,
    "seeds": stage_seeds,
}
# Read by the libraries at import, so set (unless the caller did) before any stage runs;
# the stage subprocesses inherit them.
ENV_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def run_stage(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run one stage in a fresh interpreter, so its peak RSS is its own."""
    out = Path(spec["workdir"]) / f"stage-{name}-{time.time_ns()}.json"
    started = time.perf_counter()
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--spec"]
    proc = subprocess.run([*cmd, json.dumps({**spec, "out": str(out)})], check=False)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"stage {name} failed with exit code {proc.returncode}")
    result = json.loads(out.read_text())
    result["wall_s"] = time.perf_counter() - started
    return result


def bench_size(size: int, args: argparse.Namespace, work: Path, models: Path) -> dict[str, Any]:
    corpus = work / f"corpus_{size}"
    started = time.perf_counter()
    result: dict[str, Any] = {
        "size": size,
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "commit": git_state()["commit"],
        "load_before": loadavg(),
    }
    result["corpus"] = make_corpus(corpus, size)
    result["corpus"]["generate_s"] = time.perf_counter() - started
    log(f"{size}: corpus {result['corpus']}")
    base = {
        "corpus": str(corpus),
        "workdir": str(work),
        "queries": args.queries,
        "models": str(models),
    }
    result["raw"] = run_stage("raw", {**base, "sample": args.raw_sample})
    log(
        f"{size}: raw {result['raw']['texts_per_s']:.0f} texts/s "
        f"(torch {result['raw']['torch_texts_per_s']:.0f})"
    )
    cache = str(work / f"vectors_{size}")
    emb_dir = work / f"emb_{size}"
    emb = {**base, "mode": "embedded", "data_dir": str(emb_dir), "cache": cache}
    ingest = result["ingest_embedded"] = run_stage("ingest", {**emb, "replay": False})
    ingest["bm25_disk_mb"] = dir_size_mb(emb_dir / "bm25")
    ingest["disk"] = disk_breakdown(emb_dir)
    # the data folder an ingest leaves: Chroma, BM25, the entity cache (models apart)
    ingest["disk_mb"] = sum(v for k, v in ingest["disk"].items() if k != "records")
    log(f"{size}: embedded ingest {ingest['seconds']:.0f}s (model {ingest['embed_s']:.0f}s)")
    result["latency_embedded"] = run_stage("latency", emb)
    if not args.no_server:
        server = ChromaServer(work / f"server_{size}", work / f"server_{size}.log").start()
        srv_dir = work / f"srv_{size}"
        try:
            srv = {**emb, "mode": "server", "port": server.port, "data_dir": str(srv_dir)}
            replay = args.server_embed == "replay"
            result["ingest_server"] = run_stage("ingest", {**srv, "replay": replay})
            log(f"{size}: server ingest {result['ingest_server']['seconds']:.0f}s")
            result["latency_server"] = run_stage("latency", srv)
            result["server_peak_rss_mb"] = server.peak_rss_mb()
        finally:
            server.stop()
        bm25_mb = dir_size_mb(srv_dir / "bm25")  # the app's local copy beside the server
        result["ingest_server"]["bm25_disk_mb"] = bm25_mb
        parts = result["ingest_server"]["disk"] = disk_breakdown(srv_dir, server.path)
        result["ingest_server"]["disk_mb"] = sum(v for k, v in parts.items() if k != "records")
    shutil.rmtree(cache, ignore_errors=True)
    if not args.no_llamaindex:
        spec = {**base, "data_dir": str(work / f"li_{size}")}
        result["llamaindex"] = run_stage("llamaindex", spec)
        log(f"{size}: llama-index {result['llamaindex']['seconds']:.0f}s")
    result["wall_s"] = time.perf_counter() - started
    result["load_after"] = loadavg()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--with-100k", action="store_true", help="add 100k paragraphs")
    parser.add_argument(
        "--budget-min",
        type=float,
        default=15.0,
        help="run 100k only if projected to finish in this many minutes",
    )
    parser.add_argument("--queries", type=int, default=20, help="questions per latency run")
    parser.add_argument(
        "--raw-sample",
        type=int,
        default=2048,
        help="texts the bare model embeds to measure its throughput (default: one window)",
    )
    parser.add_argument("--onnx-sample", type=int, default=1000)
    parser.add_argument("--server-embed", choices=["replay", "model"], default="replay")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--no-llamaindex", action="store_true")
    parser.add_argument("--no-onnx", action="store_true")
    parser.add_argument("--no-seeds", action="store_true", help="skip warm ask on the seeds")
    parser.add_argument("--no-startup", action="store_true", help="skip --help / cold ask start-up")
    parser.add_argument("--startup-runs", type=int, default=3, help="fresh processes each")
    parser.add_argument(
        "--waits-only",
        action="store_true",
        help="only the seeds and start-up stages, folded into OUT/results.json",
    )
    parser.add_argument("--quick", action="store_true", help="small samples: a smoke run")
    parser.add_argument("--workdir", type=Path, help="default: a temporary folder, removed")
    parser.add_argument(
        "--model-cache", type=Path, help="the shared ONNX model cache (default: WORKDIR/models)"
    )
    parser.add_argument("--out", type=Path, default=BENCH)
    parser.add_argument(
        "--merge",
        action="store_true",
        help="fold this run's sizes into OUT/results.json (replacing the same sizes)",
    )
    parser.add_argument("--report-only", action="store_true", help="re-render from results.json")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for key, value in ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)

    if args.stage:
        spec = json.loads(args.spec)
        Path(spec["out"]).write_text(json.dumps(STAGES[args.stage](spec)))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    out_json = args.out / "results.json"
    if args.report_only:  # re-render results.md and the plot from results.json
        saved = json.loads(out_json.read_text())
        print(write_report(saved, args.out / "results.md").split("## Where the time goes")[0])
        completed = complete(saved["sizes"])
        plot(rows(completed), completed, args.out / "results.png")
        return 0
    if args.quick:
        args.queries, args.raw_sample, args.onnx_sample = 5, 300, 200
    merge = args.merge or args.waits_only
    previous = json.loads(out_json.read_text()) if merge and out_json.exists() else None

    work = args.workdir or Path(tempfile.mkdtemp(prefix="rag-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    models = args.model_cache or work / "models"
    state = git_state()
    data: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "commit": state["commit"],
        "uncommitted": state["uncommitted"],
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
        "load_before": loadavg(),
        "sizes": [],
        "args": {k: str(v) for k, v in vars(args).items() if k not in ("stage", "spec")},
    }

    def save() -> None:
        if args.waits_only and previous:  # the sizes and their run's header stay as they were
            out = {**previous, **{k: data[k] for k in ("seeds", "startup") if k in data}}
        else:
            out = merge_results(previous, data) if previous else data
        out_json.write_text(json.dumps(out, indent=1))

    def stamp(figures: dict[str, Any]) -> dict[str, Any]:
        return {**figures, "when": time.strftime("%Y-%m-%d %H:%M"), **git_state()}

    try:
        # The ONNX export, once, into the cache every stage shares: in no timed stage.
        data["export"] = run_stage("export", {"workdir": str(work), "models": str(models)})
        log(f"model export {data['export']['seconds']:.1f}s into {models}")
        seeds_dir = work / "seeds_data"
        if not args.no_seeds or not args.no_startup:
            spec = {"workdir": str(work), "models": str(models), "data_dir": str(seeds_dir)}
            seeds = run_stage("seeds", spec)
            if not args.no_seeds:
                data["seeds"] = seeds = stamp(seeds)
                log(
                    f"seeds: ask p50 {seeds['ask']['p50_ms']:.0f} ms, retrieve p50 "
                    f"{seeds['retrieve']['p50_ms']:.0f} ms"
                )
        if not args.no_startup:
            env = {  # the seeds folder the stage ingested: its collection, the shared models
                "RAG_COLLECTION": "bench",
                "RAG_MODEL_CACHE_DIR": str(models),
                "RAG_SEEDS_DIR": str(BENCH.parent / "seeds"),
            }
            data["startup"] = stamp(measure_startup(seeds_dir, args.startup_runs, env=env))
            log(f"start-up: cold ask {data['startup']['processes']['cold rag ask']['wall']:.2f}s")
            save()
        for size in [] if args.waits_only else sorted(set(args.sizes)):
            data["sizes"].append(bench_size(size, args, work, models))
            save()
        if args.with_100k and data["sizes"]:
            last = data["sizes"][-1]
            projected = last["wall_s"] * 100_000 / last["corpus"]["paragraphs"] / 60
            if projected <= args.budget_min:
                data["sizes"].append(bench_size(100_000, args, work, models))
            else:
                log(f"100k projected at {projected:.0f} min > {args.budget_min:.0f}: extrapolating")
        if not args.no_onnx and not args.waits_only:
            spec = {
                "corpus": str(work / f"corpus_{min(args.sizes)}"),
                "workdir": str(work),
                "data_dir": str(work / "onnx"),
                "models": str(models),
                "sample": args.onnx_sample,
            }
            data["onnx"] = run_stage("onnx", spec)
            data["onnx_export"] = data["export"]
    finally:
        data["load_after"] = loadavg()
        save()
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    final = json.loads(out_json.read_text())
    text = write_report(final, args.out / "results.md")
    completed = complete(final["sizes"])
    plot(rows(completed), completed, args.out / "results.png")
    print(text.split("## Where the time goes")[0])
    print(f"wrote {args.out / 'results.md'}, results.png, results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
