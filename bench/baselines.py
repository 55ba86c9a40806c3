"""The reference stages: llama-index's defaults on the same corpus and model, and our
ONNX backend against sentence-transformers' torch. Each runs in its own process too."""

from __future__ import annotations

import math
import os
import random
import time
from pathlib import Path
from typing import Any

from bench.corpus import ingest_texts, window_share
from bench.measure import dir_size_mb, latency_summary, model_path, peak_rss_mb, proc_status_mb
from bench.measure import questions as gold_questions
from bench.stages import bench_settings


def stage_llamaindex(spec: dict[str, Any]) -> dict[str, Any]:
    """llama-index's defaults: SimpleDirectoryReader + VectorStoreIndex, in memory, with
    our embed model on the same backend (ONNX) from the same cache."""
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.llms import MockLLM
    from llama_index.core.schema import MetadataMode

    from bench.vectors import MeteredEmbedding
    from rag.embeddings import build_embed_model

    settings = bench_settings(spec)
    real = build_embed_model(settings)
    real.get_text_embedding_batch(["warm-up"])
    rss_model = proc_status_mb("self", "VmRSS")
    embed_model = MeteredEmbedding(real)  # VectorStoreIndex embeds through it in batches
    started = time.perf_counter()
    documents = SimpleDirectoryReader(spec["corpus"], required_exts=[".txt"]).load_data()
    index = VectorStoreIndex.from_documents(documents, embed_model=embed_model)
    seconds = time.perf_counter() - started
    embed_s, texts = embed_model.wall_seconds, embed_model.texts
    nodes = list(index.docstore.docs.values())
    window = window_share([n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes])
    persist = Path(spec["data_dir"]) / "storage"
    index.storage_context.persist(persist_dir=str(persist))
    qs = gold_questions(spec["queries"])
    retriever = index.as_retriever(similarity_top_k=5)
    # No model: their ask is retrieval + prompt packing.
    engine = index.as_query_engine(similarity_top_k=5, llm=MockLLM(max_tokens=64))
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
        "backend": settings.embed_backend,
        "seconds": seconds,
        "embed_s": embed_s,
        "bm25_s": 0.0,
        "other_s": seconds - embed_s,
        "texts": texts,
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
    """Our ONNX backend (OnnxEmbedding, from the shared export) vs sentence-transformers'
    torch for the bundled model: speed and agreement; plus int8 of the same export."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    from rag.embeddings import build_embed_model
    from rag.onnx_embedding import RUN_SIZE, OnnxEmbedding, cache_file, open_session

    result: dict[str, Any] = {"torch_threads": torch.get_num_threads(), "run_size": RUN_SIZE}
    path = model_path()
    try:  # sentence-transformers' own route; needs optimum-onnx (pins transformers<4.58)
        SentenceTransformer(str(path), backend="onnx", device="cpu")
        result["st_backend_onnx"] = "loads"
    except Exception as exc:
        result["st_backend_onnx"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    settings = bench_settings(spec)
    ours = build_embed_model(settings)
    if not isinstance(ours, OnnxEmbedding):
        result["skipped"] = f"the configured backend is {settings.embed_backend}, not onnx"
        return result
    fp32 = cache_file(path, settings.models_dir, Path(settings.embed_model).name)
    result["batch_size"] = settings.embed_batch_size

    _, texts, _ = ingest_texts(Path(spec["corpus"]))
    sample = random.Random(2).sample(texts, min(spec["sample"], len(texts)))
    texts = sorted(sample, key=len)  # as ingest hands them over: sorted by length
    st = SentenceTransformer(str(path), device="cpu")
    st.encode(texts[:64], batch_size=64)

    encoders = {
        "torch": lambda: st.encode(texts, batch_size=64, normalize_embeddings=True),
        "onnx_fp32": lambda: ours.get_text_embedding_batch(texts),
    }
    files = {"onnx_fp32": fp32}
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        int8 = Path(spec["data_dir"]) / "minilm.int8.onnx"
        int8.parent.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        q8 = OnnxEmbedding(
            path,
            open_session(int8, settings.embed_threads),
            embed_batch_size=settings.embed_batch_size,
        )
        encoders["onnx_int8"] = lambda: q8.get_text_embedding_batch(texts)
        files["onnx_int8"] = int8
    except Exception as exc:  # quantization is a bonus
        result["int8_error"] = str(exc)[:200]
    for name, encode_all in encoders.items():
        if name != "torch":
            encode_all()  # warm-up
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
    for name, file in files.items():
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
    result["load"] = os.getloadavg()[0]
    return result
