"""Embedding models the stages hand to ingest in place of the real one.

Wrappers, not patches: each is a llama-index `BaseEmbedding` that ingest receives as its
`embed_model`, so nothing inside rag/ or the embedding classes is replaced at run time.

* `MeteredEmbedding` delegates to the real model and counts calls, texts, wall and CPU
  seconds (for our ingest, the wall time and texts embedded are read from `IngestReport`
  instead; llama-index reports neither); given a cache folder it also appends every text
  and vector there, for a later replay.
* `ReplayEmbedding` serves those recorded vectors, so a second ingest of the same corpus
  (the Chroma-server run) measures the store, not the model a second time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import IO, Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.embeddings import Embedder

TEXTS = "texts.jsonl"
VECTORS = "vectors.f32"


class MeteredEmbedding(BaseEmbedding):
    """The real model, with call, text and time counters and an optional vector recording."""

    _calls: int = PrivateAttr(default=0)
    _texts_seen: int = PrivateAttr(default=0)
    _wall_seconds: float = PrivateAttr(default=0.0)
    _cpu_seconds: float = PrivateAttr(default=0.0)
    _inner: Embedder = PrivateAttr()
    _texts: IO[str] | None = PrivateAttr(default=None)
    _vectors: IO[bytes] | None = PrivateAttr(default=None)

    def __init__(self, inner: Embedder, record_to: Path | None = None) -> None:
        super().__init__(model_name=inner.model_name, embed_batch_size=inner.embed_batch_size)
        self._inner = inner
        if record_to is not None:
            record_to.mkdir(parents=True, exist_ok=True)
            self._texts = (record_to / TEXTS).open("w")
            self._vectors = (record_to / VECTORS).open("wb")

    @classmethod
    def class_name(cls) -> str:
        return "MeteredEmbedding"

    @property
    def texts(self) -> int:
        """Texts embedded so far."""
        return self._texts_seen

    @property
    def wall_seconds(self) -> float:
        """Wall time spent inside the real model (the recording excluded)."""
        return self._wall_seconds

    @property
    def calls(self) -> int:
        """Batch calls so far (ingest makes one per window)."""
        return self._calls

    @property
    def cpu_seconds(self) -> float:
        """Process CPU time spent inside those calls."""
        return self._cpu_seconds

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]:
        """One call straight to the real model (its own batching and sorting untouched)."""
        started, cpu_started = time.perf_counter(), time.process_time()
        out = self._inner.get_text_embedding_batch(texts, show_progress=show_progress, **kwargs)
        self._wall_seconds += time.perf_counter() - started
        self._cpu_seconds += time.process_time() - cpu_started
        self._calls += 1
        self._texts_seen += len(texts)
        if self._texts is not None and self._vectors is not None:
            self._texts.writelines(json.dumps(text) + "\n" for text in texts)
            self._vectors.write(np.asarray(out, dtype=np.float32).tobytes())
        return out

    def close(self) -> None:
        """Finish the recording, if any."""
        for handle in (self._texts, self._vectors):
            if handle is not None:
                handle.close()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._inner.get_query_embedding(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._inner.get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.get_text_embedding_batch([text])[0]


class ReplayEmbedding(BaseEmbedding):
    """The vectors a `MeteredEmbedding` recorded, looked up by text; no model runs."""

    _calls: int = PrivateAttr(default=0)
    _cpu_seconds: float = PrivateAttr(default=0.0)
    _rows: dict[str, int] = PrivateAttr()
    _matrix: Any = PrivateAttr()

    def __init__(self, recorded: Path) -> None:
        super().__init__(model_name="replay")
        texts = (recorded / TEXTS).read_text().splitlines()
        self._rows = {json.loads(t): i for i, t in enumerate(texts)}
        self._matrix = np.memmap(recorded / VECTORS, dtype=np.float32, mode="r").reshape(
            len(texts), -1
        )

    @classmethod
    def class_name(cls) -> str:
        return "ReplayEmbedding"

    @property
    def calls(self) -> int:
        """Batch calls so far (ingest makes one per window)."""
        return self._calls

    @property
    def cpu_seconds(self) -> float:
        """Process CPU time spent inside those calls."""
        return self._cpu_seconds

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]:
        cpu_started = time.process_time()
        out = [self._matrix[self._rows[t]].tolist() for t in texts]
        self._cpu_seconds += time.process_time() - cpu_started
        self._calls += 1
        return out

    def _get_query_embedding(self, query: str) -> list[float]:
        raise NotImplementedError("a replay serves ingest's texts only")

    async def _aget_query_embedding(self, query: str) -> list[float]:
        raise NotImplementedError("a replay serves ingest's texts only")

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.get_text_embedding_batch([text])[0]
