"""A sentence-transformers model (BERT + mean pooling + L2 norm) on ONNX Runtime.

Measured 1.9-2.3x faster than torch on this 2-core CPU with the same vectors (bench/results.md).
The graph is exported from the model folder once, into a cache file under
`data_dir/models`, and checked against the torch model before it is ever used. Only the
export needs the `onnx` package, torch and transformers; embedding needs only onnxruntime
and the `tokenizers` package, so a query never loads torch.

Beside each export lies `<file>.json`: the file's sha256 and the vector of a fixed check
sentence, written at export. Loading verifies both (a damaged file must not answer with
NaN or another article's passages) and re-exports when either fails.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import warnings
from collections import OrderedDict
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast

import numpy as np

from rag.errors import IndexUnavailable

log = logging.getLogger(__name__)

# Part of the cache key: bump it whenever the exported graph changes, so no stale cache
# outlives this code. torch's version is in the key too, as it is the exporter.
EXPORT_VERSION = 1
MIN_COSINE = 0.9999
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Texts per onnxruntime call. On CPU a bigger batch buys no throughput, only padding: over
# 500 seed paragraphs and sentences in batches of 64, runs of 8 gave about 3x the texts/s
# of one run of 64 (1.6x when the texts came already sorted by length, as callers hand
# them over through `rag.embeddings.embed_by_length`).
RUN_SIZE = 8
# Recent questions' vectors: a question is embedded for retrieval and again for the
# evidence gate, and chat follow-ups repeat; 256 vectors are ~0.4 MB.
QUERY_CACHE = 256
# Mixed lengths on purpose: padding and masking must agree, and the long one is truncated.
CHECK_SENTENCES = (
    "Pakistan and the United States resumed talks on trade.",
    "Q?",
    "The aid package was announced in Islamabad after months of negotiation, "
    "with officials from both countries stressing cooperation on security.",
    " ".join(["Relations between the two countries have seen many ups and downs."] * 40),
)
# What a loaded export must still embed as it did at export (see `check_export`).
PROBE = CHECK_SENTENCES[2]


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
    return cache_dir / f"{file_stem(name)}-{key.hexdigest()[:12]}.onnx"


def file_stem(name: str) -> str:
    """A model's name as the models folder's files are named after it ("all-MiniLM-L6-v2";
    a path's separators and spaces as "_")."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "model"


def sidecar_file(onnx_file: Path) -> Path:
    """Where the export's checksum and check vector are recorded."""
    return onnx_file.with_name(onnx_file.name + ".json")


def sha256_file(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def open_session(onnx_file: Path, threads: int | None = None) -> Any:
    """An onnxruntime session on `onnx_file`, with onnxruntime's telemetry off.

    Its Linux build sends usage events since 1.29: DNS look-ups for its collector, seen
    with strace from `rag ask` and `rag serve` some seconds after a session opens. Only
    ORT_DISABLE_TELEMETRY, read when the library loads, stops them (on 1.32,
    `disable_telemetry_events()` alone does not). `rag`'s entry point sets the variable;
    this covers library use. The user's own setting wins, and the API call covers builds
    with the older (Windows) telemetry.
    """
    if "onnxruntime" not in sys.modules:
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime as ort

    ort.disable_telemetry_events()
    options = ort.SessionOptions()
    if threads is not None:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(
        str(onnx_file), sess_options=options, providers=["CPUExecutionProvider"]
    )


def load_tokenizer(model_dir: Path, max_length: int) -> Any:
    """The model's fast tokenizer through the `tokenizers` package (no transformers, so
    no torch): truncated as sentence-transformers truncates, padded to the longest text."""
    from tokenizers import Tokenizer

    path = model_dir / "tokenizer.json"
    if not path.is_file():
        raise ValueError(
            f"{model_dir} has no tokenizer.json, which the ONNX embedding backend reads; "
            "set RAG_EMBED_BACKEND=torch for this model."
        )
    tokenizer = Tokenizer.from_file(str(path))
    # tokenizer.json keeps whatever truncation and padding it was saved with (128 tokens,
    # fixed padding, for the bundled model); transformers overrides both on every call.
    tokenizer.no_truncation()
    tokenizer.enable_truncation(max_length)
    pad_token = _special_token(model_dir, "pad_token") or "[PAD]"
    pad_id = tokenizer.token_to_id(pad_token)
    tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token=pad_token)
    return tokenizer


def _special_token(model_dir: Path, name: str) -> str | None:
    for config in ("tokenizer_config.json", "special_tokens_map.json"):
        try:
            value = json.loads((model_dir / config).read_text()).get(name)
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str):
            return value
    return None


class OnnxEmbedding:
    """The exported graph run with onnxruntime, behind the same calls as llama-index's
    embeddings (`rag.embeddings.Embedder`). A plain class, not a llama-index
    `BaseEmbedding`: importing llama-index costs a question-only process 2.4 s.
    `rag.embeddings.llama_embedding` adapts it where llama-index itself embeds."""

    def __init__(self, model_dir: Path, session: Any, embed_batch_size: int = 64) -> None:
        self.model_name = str(model_dir)
        self.embed_batch_size = embed_batch_size
        self._max_length = max_seq_length(model_dir)
        self._session = session
        # Configured once here and only read afterwards: `encode_batch` is then safe to
        # call from several threads (it is changing the settings that isn't).
        self._tokenizer = load_tokenizer(model_dir, self._max_length)
        self._queries: OrderedDict[str, list[float]] = OrderedDict()

    def words(self) -> frozenset[str]:
        """The whole words of the tokenizer's vocabulary (not "##" pieces): the language's
        common words, and only the commonest names."""
        return frozenset(w for w in self._tokenizer.get_vocab() if w.isalpha())

    def get_query_embedding(self, query: str) -> list[float]:
        """Retrieval and the evidence gate both embed the question: the second is a hit."""
        vector = self._queries.get(query)
        if vector is None:
            vector = self._embed([query])[0]
            self._queries[query] = vector  # dict writes are atomic under the GIL
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector

    def get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text])[0]

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]:
        """In `embed_batch_size` slices, as llama-index's embeddings batch."""
        size = self.embed_batch_size
        return [v for i in range(0, len(texts), size) for v in self._embed(texts[i : i + size])]

    # onnxruntime releases the GIL while it runs: a worker thread keeps the event loop free.
    async def aget_query_embedding(self, query: str) -> list[float]:
        return await asyncio.to_thread(self.get_query_embedding, query)

    async def aget_text_embedding(self, text: str) -> list[float]:
        return (await asyncio.to_thread(self._embed, [text]))[0]

    async def aget_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]:
        return await asyncio.to_thread(self.get_text_embedding_batch, texts)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # In the order given: callers sort by length (`embed_by_length`), so similar
        # lengths share a run, since a run pads to its longest text.
        runs = [texts[i : i + RUN_SIZE] for i in range(0, len(texts), RUN_SIZE)]
        return np.concatenate([self._run(run) for run in runs]).tolist()

    def _run(self, texts: list[str]) -> Any:
        encoded = self._tokenizer.encode_batch(texts)
        feeds = {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }
        return self._session.run(None, {name: feeds[name] for name in INPUTS})[0]


def export_onnx(model_dir: Path, target: Path) -> None:
    """Export `model_dir` to `target`, checked against sentence-transformers first.

    The graph is written to a temporary file and renamed into place, so a reader (or a
    second process exporting at the same time) never sees half a file. Its checksum and
    the check sentence's vector go to `sidecar_file(target)` first.
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
        probe = exported[CHECK_SENTENCES.index(PROBE)]
        _write_sidecar(target, {"sha256": sha256_file(tmp), "dim": len(probe), "probe": probe})
        os.replace(tmp, target)
        log.info("exported %s (min cosine vs torch %.6f)", target, cosine)
    finally:
        tmp.unlink(missing_ok=True)


def _write_sidecar(target: Path, record: dict[str, Any]) -> None:
    text = json.dumps({**record, "probe": [round(float(x), 7) for x in record["probe"]]})
    sidecar = sidecar_file(target)
    fd, tmp_name = tempfile.mkstemp(dir=sidecar.parent, prefix=f".{sidecar.name}.", suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp_name, 0o644)
    os.replace(tmp_name, sidecar)


def check_export(onnx_file: Path, model: OnnxEmbedding) -> str | None:
    """What is wrong with a loaded export, or None: its bytes must match the checksum
    recorded at export, and the check sentence must still embed to finite numbers of the
    recorded dimension, pointing where they pointed then."""
    try:
        record = json.loads(sidecar_file(onnx_file).read_text())
        expected_sha, dim = str(record["sha256"]), int(record["dim"])
        expected = np.asarray(record["probe"], dtype=np.float64)
    except (OSError, ValueError, KeyError, TypeError):
        return f"no readable checksum record at {sidecar_file(onnx_file)}"
    if sha256_file(onnx_file) != expected_sha:
        return "its sha256 differs from the one recorded at export"
    vector = np.asarray(model._embed([PROBE])[0], dtype=np.float64)
    if vector.shape != (dim,) or expected.shape != (dim,):
        return f"it gives vectors of shape {vector.shape}, not ({dim},)"
    if not np.isfinite(vector).all():
        return "it gives NaN or infinite vectors"
    cosine = float(vector @ expected / (np.linalg.norm(vector) * np.linalg.norm(expected)))
    if not cosine >= MIN_COSINE:
        return f"its check vector moved (cosine {cosine:.5f} to the one at export)"
    return None


def load_onnx_embedding(
    model_dir: Path, cache_dir: Path, name: str, *, threads: int | None = None, **kwargs: Any
) -> OnnxEmbedding:
    """The ONNX embedding of `model_dir`, exporting it into `cache_dir` on first use, and
    again whenever the cached export fails `check_export`."""
    target = cache_file(model_dir, cache_dir, name)
    if not target.exists():
        log.info("exporting %s to %s for ONNX Runtime (once)", model_dir, target)
        export_onnx(model_dir, target)
    loaded = _load_checked(model_dir, target, threads, kwargs)
    if isinstance(loaded, OnnxEmbedding):
        return loaded
    problem = loaded
    log.warning("re-exporting %s: %s", target, problem)
    try:
        export_onnx(model_dir, target)
    except ImportError as exc:
        raise IndexUnavailable(
            f"the embedding model export {target} failed its check ({problem}) and cannot "
            f"be redone here ({exc}). Delete it and run again where the onnx package and "
            "torch are installed, or set RAG_EMBED_BACKEND=torch."
        ) from exc
    loaded = _load_checked(model_dir, target, threads, kwargs)
    if isinstance(loaded, OnnxEmbedding):
        return loaded
    raise IndexUnavailable(
        f"the embedding model export {target} fails its check even when freshly exported "
        f"({loaded}); set RAG_EMBED_BACKEND=torch and report the onnxruntime version."
    )


def export_problem(model_dir: Path, cache_dir: Path, name: str) -> tuple[bool, str]:
    """`rag doctor`'s look at the cached export, changing nothing: (sound, what it found)."""
    target = cache_file(model_dir, cache_dir, name)
    if not target.exists():
        return True, f"not exported yet: exported on first use to {target}"
    loaded = _load_checked(model_dir, target, None, {})
    if isinstance(loaded, OnnxEmbedding):
        return True, f"{target} matches its checksum and check vector"
    return False, f"the export {target} is damaged: {loaded}"


def _load_checked(
    model_dir: Path, target: Path, threads: int | None, kwargs: dict[str, Any]
) -> OnnxEmbedding | str:
    """The checked model, or what is wrong with the export."""
    try:
        session = open_session(target, threads)
    except Exception as exc:  # onnxruntime's errors are its own pybind types
        return f"onnxruntime cannot load it ({exc})"
    model = OnnxEmbedding(model_dir, session, **kwargs)
    problem = check_export(target, model)
    return model if problem is None else problem
