"""A sentence-transformers model (BERT + mean pooling + L2 norm) on ONNX Runtime.

Measured 1.9-2.3x faster than torch on this 2-core CPU with the same vectors (bench/results.md).
The graph is exported from the model folder once, into a cache file under
`data_dir/models`, and checked against the torch model before it is ever used. Only the
export needs the `onnx` package and the torch model; embedding needs onnxruntime and the
tokenizer.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import warnings
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.bridge.pydantic import PrivateAttr

log = logging.getLogger(__name__)

# Part of the cache key: bump it whenever the exported graph changes, so no stale cache
# outlives this code. torch's version is in the key too, as it is the exporter.
EXPORT_VERSION = 1
MIN_COSINE = 0.9999
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Texts per onnxruntime call. On CPU a bigger batch buys no throughput, only padding: over
# 500 seed paragraphs and sentences in batches of 64, runs of 8 gave about 3x the texts/s
# of one run of 64 (1.6x when the texts came already sorted by length).
RUN_SIZE = 8
# Mixed lengths on purpose: padding and masking must agree, and the long one is truncated.
CHECK_SENTENCES = (
    "Pakistan and the United States resumed talks on trade.",
    "Q?",
    "The aid package was announced in Islamabad after months of negotiation, "
    "with officials from both countries stressing cooperation on security.",
    " ".join(["Relations between the two countries have seen many ups and downs."] * 40),
)


def max_seq_length(model_dir: Path) -> int:
    """The truncation length sentence-transformers uses for this model."""
    try:
        config = json.loads((model_dir / "sentence_bert_config.json").read_text())
        return int(config["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return 256


def cache_file(model_dir: Path, cache_dir: Path, name: str) -> Path:
    """Where the export of `model_dir` lives: named after the model, keyed by what the
    graph is built from (a changed config or weights file changes its size, or its name)."""
    key = hashlib.sha256(f"{EXPORT_VERSION}:{version('torch')}".encode())
    for path in sorted(model_dir.rglob("*")):
        if path.is_file() and path.suffix in {".json", ".safetensors", ".bin"}:
            key.update(f"{path.relative_to(model_dir)}:{path.stat().st_size}\n".encode())
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "model"
    return cache_dir / f"{safe}-{key.hexdigest()[:12]}.onnx"


def open_session(onnx_file: Path, threads: int | None = None) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads is not None:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(
        str(onnx_file), sess_options=options, providers=["CPUExecutionProvider"]
    )


class OnnxEmbedding(BaseEmbedding):
    """llama-index embedding that runs the exported graph with onnxruntime."""

    _max_length: int = PrivateAttr()
    _session: Any = PrivateAttr()
    _tokenizer: Any = PrivateAttr()
    # transformers' fast tokenizer re-applies its truncation/padding settings on each call,
    # which can raise "Already borrowed" when threads overlap (transformers#47085);
    # onnxruntime's run() is safe to call concurrently, so only tokenizing is serialised.
    _tokenizer_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, model_dir: Path, session: Any, **kwargs: Any) -> None:
        from transformers import AutoTokenizer

        super().__init__(model_name=str(model_dir), **kwargs)
        self._max_length = max_seq_length(model_dir)
        self._session = session
        self._tokenizer = AutoTokenizer.from_pretrained(str(model_dir))

    @classmethod
    def class_name(cls) -> str:
        return "OnnxEmbedding"

    def _embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # Similar lengths share a run, since a run pads to its longest text.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        runs = [order[i : i + RUN_SIZE] for i in range(0, len(order), RUN_SIZE)]
        vectors = np.concatenate([self._run([texts[i] for i in run]) for run in runs])
        restored = np.empty_like(vectors)
        restored[order] = vectors
        return restored.tolist()

    def _run(self, texts: list[str]) -> Any:
        with self._tokenizer_lock:
            encoded = self._tokenizer(
                texts,
                padding=True,
                truncation=True,
                max_length=self._max_length,
                return_tensors="np",
            )
        return self._session.run(None, {name: encoded[name].astype(np.int64) for name in INPUTS})[0]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts)

    # onnxruntime releases the GIL while it runs: a worker thread keeps the event loop free.
    async def _aget_query_embedding(self, query: str) -> list[float]:
        return (await asyncio.to_thread(self._embed, [query]))[0]

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return (await asyncio.to_thread(self._embed, [text]))[0]

    async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return await asyncio.to_thread(self._embed, texts)


def export_onnx(model_dir: Path, target: Path) -> None:
    """Export `model_dir` to `target`, checked against sentence-transformers first.

    The graph is written to a temporary file and renamed into place, so a reader (or a
    second process exporting at the same time) never sees half a file.
    """
    try:
        import onnx  # noqa: F401  # torch.onnx.export needs it
    except ImportError as exc:
        raise ImportError(
            "The ONNX embedding backend exports the model once and needs the onnx package "
            "for that: pip install onnx, or set RAG_EMBED_BACKEND=torch."
        ) from exc
    import torch
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(model_dir), device="cpu")
    bert = cast(torch.nn.Module, reference[0].auto_model)

    class Pooled(torch.nn.Module):  # what the sentence-transformers pipeline computes
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        # Traced with padding in the batch, so the attention mask is part of the graph.
        example = reference.tokenizer(list(CHECK_SENTENCES[:2]), padding=True, return_tensors="pt")
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer and deprecation chatter
            torch.onnx.export(
                Pooled(),
                tuple(example[name] for name in INPUTS),
                str(tmp),
                input_names=list(INPUTS),
                output_names=["embedding"],
                dynamic_axes={
                    **{name: {0: "batch", 1: "seq"} for name in INPUTS},
                    "embedding": {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
        exported = np.asarray(
            OnnxEmbedding(model_dir, open_session(tmp))._embed(list(CHECK_SENTENCES))
        )
        expected = reference.encode(
            list(CHECK_SENTENCES), normalize_embeddings=True, show_progress_bar=False
        )
        cosine = float((exported * expected).sum(axis=1).min())
        if cosine < MIN_COSINE:
            raise RuntimeError(
                f"the ONNX export of {model_dir} disagrees with its torch model (min cosine "
                f"{cosine:.5f} < {MIN_COSINE}); is its pooling mean pooling? "
                "Set RAG_EMBED_BACKEND=torch to use the torch model."
            )
        tmp.chmod(0o644)  # mkstemp's 0600 would keep the cache from others sharing data_dir
        os.replace(tmp, target)
        log.info("exported %s (min cosine vs torch %.6f)", target, cosine)
    finally:
        tmp.unlink(missing_ok=True)


def load_onnx_embedding(
    model_dir: Path, cache_dir: Path, name: str, *, threads: int | None = None, **kwargs: Any
) -> OnnxEmbedding:
    """The ONNX embedding of `model_dir`, exporting it into `cache_dir` on first use."""
    target = cache_file(model_dir, cache_dir, name)
    if not target.exists():
        log.info("exporting %s to %s for ONNX Runtime (once)", model_dir, target)
        export_onnx(model_dir, target)
    try:
        session = open_session(target, threads)
    except Exception as exc:  # onnxruntime's errors are its own pybind types
        log.warning("re-exporting %s: onnxruntime cannot load it (%s)", target, exc)
        export_onnx(model_dir, target)
        session = open_session(target, threads)
    return OnnxEmbedding(model_dir, session, **kwargs)
