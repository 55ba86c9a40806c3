"""Our pipeline's timed stages; `bench.run` runs each in a fresh process, so that the
peak RSS (getrusage ru_maxrss) it reports belongs to that stage alone.

Each stage takes a JSON-able spec (folders, sizes, the store mode) and returns a
JSON-able result.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.corpus import ingest_texts, window_share
from bench.measure import (
    SEEDS,
    forget_questions,
    forget_sentences,
    latency_summary,
    model_path,
    peak_rss_mb,
    proc_status_mb,
)
from bench.measure import questions as gold_questions

if TYPE_CHECKING:
    from rag.config import Settings


def bench_settings(spec: dict[str, Any]) -> Settings:
    """The Settings every stage builds: one shared model cache, the bench's backend."""
    from rag.config import Settings

    return Settings(  # type: ignore[call-arg]
        seeds_dir=Path(spec.get("corpus") or SEEDS),
        data_dir=Path(spec.get("data_dir") or Path(spec["workdir"]) / "scratch"),
        store=spec.get("mode", "embedded"),
        chroma_host="127.0.0.1",
        chroma_port=int(spec.get("port") or 8000),
        collection="bench",
        generator="extractive",
        embed_backend=spec.get("backend", "onnx"),
        model_cache_dir=Path(spec["models"]),
        _env_file=None,
    )


def stage_export(spec: dict[str, Any]) -> dict[str, Any]:
    """Build the configured embed model once, so the ONNX export lands in the shared cache."""
    from rag.embeddings import build_embed_model

    settings = bench_settings(spec)
    started = time.perf_counter()
    model = build_embed_model(settings)
    model.get_text_embedding_batch(["warm-up"])
    files = sorted(settings.models_dir.glob("*.onnx"))
    return {
        "seconds": time.perf_counter() - started,
        "backend": settings.embed_backend,
        "class": type(model).__name__,
        "files": [p.name for p in files],
        "size_mb": sum(p.stat().st_size for p in files) / 2**20,
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_raw(spec: dict[str, Any]) -> dict[str, Any]:
    """The bare model on a sample of ingest's texts: the configured model (ONNX) as ingest
    calls it, and sentence-transformers' torch as a reference."""
    from rag.embeddings import build_embed_model

    units, texts, _ = ingest_texts(Path(spec["corpus"]))
    window = window_share(texts)
    settings = bench_settings(spec)
    model = build_embed_model(settings)
    # The first articles' texts up to the sample size, length-sorted as ingest sorts each
    # window (the sample is at most one window long: one sorted run, as ingest has it).
    cut = min(len(texts), spec["sample"])
    sample = sorted(texts[:cut], key=len)
    paragraphs = sorted(
        (t for u, t in zip(units[:cut], texts[:cut], strict=True) if u == "paragraph"), key=len
    )
    model.get_text_embedding_batch(sample[:64])  # warm-up

    cpu: dict[str, float] = {}

    def rate(name: str, encode: Any, batch: list[str]) -> float:
        started, cpu_started = time.perf_counter(), time.process_time()
        encode(batch)
        cpu[name] = len(batch) / (time.process_time() - cpu_started)  # texts per CPU-second
        return len(batch) / (time.perf_counter() - started)

    texts_per_s = rate("one_call", model.get_text_embedding_batch, sample)
    paragraph_rate = rate("paragraphs", model.get_text_embedding_batch, paragraphs)
    # The reference, loaded only now so the ONNX figures ran without torch in the process.
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_path()), device="cpu")
    st.encode(sample[:64], batch_size=64)  # warm-up
    torch_rate = rate(
        "torch",
        lambda batch: st.encode(batch, batch_size=64, normalize_embeddings=True),
        sample,
    )
    return {
        "backend": settings.embed_backend,
        "model_class": type(model).__name__,
        "texts": len(texts),
        "paragraph_units": units.count("paragraph"),
        "sample": len(sample),
        "texts_per_s": texts_per_s,
        "paragraph_texts_per_s": paragraph_rate,
        "torch_texts_per_s": torch_rate,
        "texts_per_cpu_s": cpu,
        "paragraphs_sampled": len(paragraphs),
        "projected_embed_s": len(texts) / texts_per_s,
        "projected_embed_cpu_s": len(texts) / cpu["one_call"],
        "projected_torch_s": len(texts) / torch_rate,
        "window": window,
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_ingest(spec: dict[str, Any]) -> dict[str, Any]:
    """`rag.index.ingest` with a rebuild; the model and BM25 times come from its report.

    With `replay`, the vectors the embedded run recorded stand in for the model, so the
    server run measures the store; otherwise this run records them.
    """
    from bench.vectors import MeteredEmbedding, ReplayEmbedding
    from rag.embeddings import build_embed_model
    from rag.index import ingest

    settings = bench_settings(spec)
    real = build_embed_model(settings)
    real.get_text_embedding_batch(["warm-up"])
    rss_model = proc_status_mb("self", "VmRSS")
    cache = Path(spec["cache"])
    model = ReplayEmbedding(cache) if spec["replay"] else MeteredEmbedding(real, record_to=cache)
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        report = ingest(settings, model, rebuild=True)
    finally:
        if isinstance(model, MeteredEmbedding):
            model.close()
    total = time.perf_counter() - started
    cpu_total = time.process_time() - cpu_started
    peak = peak_rss_mb()
    entities_s = fill_entities(settings)
    embed_s, bm25_s, texts = report.embed_seconds, report.bm25_seconds, report.texts_embedded
    return {
        "seconds": total,
        "embed_s": embed_s,
        "bm25_s": bm25_s,
        "other_s": total - embed_s - bm25_s,
        "entities_s": entities_s,
        "cpu_s": cpu_total,
        "embed_cpu_s": model.cpu_seconds,
        "embed_texts_per_s": texts / embed_s if embed_s and not spec["replay"] else None,
        "load_start": load,
        "load_end": os.getloadavg()[0],
        "texts": texts,
        "embed_calls": model.calls,
        "embed_window": settings.embed_window,
        "backend": settings.embed_backend,
        "chunks": report.texts_embedded,
        "replayed": bool(spec["replay"]),
        "rss_after_model_mb": rss_model,
        "peak_rss_mb": peak,  # the index ingest, before the entity pass
        "peak_rss_with_entities_mb": peak_rss_mb(),
    }


def fill_entities(settings: Settings) -> float:
    """What `rag ingest` (`Pipeline.ingest`) does after `rag.index.ingest`: parse every
    paragraph's named entities with spaCy into the data folder's cache, so that questions
    parse only themselves. Timed apart from the index ingest, which stays comparable with
    earlier runs; without it the latency stage would parse paragraphs at question time."""
    from rag.api import Pipeline

    started = time.perf_counter()
    pipeline = Pipeline(settings)
    texts = [n.get_content() for n in pipeline.index.nodes]
    pipeline.entities.fill(texts)
    pipeline.entities.save(keep=texts)
    return time.perf_counter() - started


def stage_latency(spec: dict[str, Any]) -> dict[str, Any]:
    """`Pipeline.retrieve` and `Pipeline.ask` (extractive) over the gold questions, warm.

    Every timed call embeds its question: the embed model's query-vector cache is emptied
    before each, as for a user's new question (without that, `ask` after `retrieve` of the
    same question, or a second round, would skip the model)."""
    from rag.api import Pipeline

    pipeline = Pipeline(bench_settings(spec))
    model = pipeline.embed_model
    model.get_text_embedding_batch(["warm-up"])
    rss_model = proc_status_mb("self", "VmRSS")
    qs = gold_questions(spec["queries"])
    started = time.perf_counter()
    pipeline.retrieve(qs[0])  # opens the index and loads the BM25 index ingest saved
    cold = time.perf_counter() - started
    pipeline.ask(qs[0])  # builds the evidence scorer's idf table
    if spec.get("prewarm"):  # an index without ingest's entity cache: parse them untimed
        for q in qs:
            pipeline.ask(q, k=5)
    retrieve, ask, supported = [], [], 0
    load = os.getloadavg()[0]
    for _ in range(2):  # two rounds: twice the samples against a noisy shared machine
        for q in qs:
            forget_questions(model)
            started = time.perf_counter()
            pipeline.retrieve(q, k=5)
            retrieve.append(time.perf_counter() - started)
        for q in qs:
            forget_questions(model)
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
        "new_question_each_call": True,
        "rss_after_model_mb": rss_model,
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_seeds(spec: dict[str, Any]) -> dict[str, Any]:
    """The seeds through rag's public API: `Pipeline.ingest` (what `rag ingest` runs) into
    a fresh data folder, then warm `rag.retrieve` and `rag.ask` (extractive, default k)
    for every gold question, each a new question to the process (query-vector cache
    emptied before every timed call); then `rag.ask` of the same question again, and once
    more with the scorer's sentence vectors forgotten too (passages seen for the first time)."""
    import rag
    from rag.api import get_pipeline

    settings = bench_settings({**spec, "corpus": str(SEEDS)})
    pipeline = get_pipeline(settings)
    model = pipeline.embed_model
    model.get_text_embedding_batch(["warm-up"])
    started = time.perf_counter()
    report = pipeline.ingest(rebuild=True)
    ingest_s = time.perf_counter() - started
    qs = gold_questions(0)  # all of them
    started = time.perf_counter()
    rag.retrieve(qs[0], settings=settings)  # opens the index, loads BM25
    cold = time.perf_counter() - started
    rag.ask(qs[0], settings=settings)  # the evidence scorer's tables
    retrieve, ask, again, first, supported = [], [], [], [], 0
    load = os.getloadavg()[0]
    for q in qs:
        forget_questions(model)
        started = time.perf_counter()
        rag.retrieve(q, settings=settings)
        retrieve.append(time.perf_counter() - started)
        forget_questions(model)
        started = time.perf_counter()
        supported += rag.ask(q, settings=settings).supported
        ask.append(time.perf_counter() - started)
        started = time.perf_counter()
        rag.ask(q, settings=settings)  # the same question again: its vector is cached
        again.append(time.perf_counter() - started)
    for q in qs:  # after the rows above, which keep the sentences they have seen
        forget_questions(model)
        forget_sentences(pipeline)
        started = time.perf_counter()
        rag.ask(q, settings=settings)  # as if its passages had never been seen
        first.append(time.perf_counter() - started)
    return {
        "load_start": load,
        "load_end": os.getloadavg()[0],
        "ingest_s": ingest_s,
        "texts_embedded": report.texts_embedded,
        "paragraphs": len(pipeline.paragraphs()),
        "k": settings.top_k,
        "cold_load_s": cold,
        "retrieve": latency_summary(retrieve),
        "ask": latency_summary(ask),
        "ask_repeated": latency_summary(again),
        "ask_first_sight": latency_summary(first),
        "answered": supported / len(ask),
        "queries": len(qs),
        "peak_rss_mb": peak_rss_mb(),
    }
