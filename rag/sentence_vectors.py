"""The candidate sentences' MiniLM vectors, and how close each is to a question: alone,
and read with the sentence before it.

A sentence that answers often leans on the one before: "Since World War II, Pakistan
has enjoyed … the Fulbright program. This strengthens people-to-people ties…" answers
"What do the exchange visits do for the bond between the two societies?", but "This
strengthens…" alone says nothing of exchanges. Its similarity in context is that of the
sum of the two sentences' vectors, which costs no embedding: both are candidates, their
vectors already here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from rag.embeddings import Embedder, embed_by_length

# Sentence vectors kept per process (about 1.5 KB each): the whole of a small corpus,
# the recently retrieved part of a large one.
SENTENCE_CACHE = 50_000

# Looks sentence records' vectors up by id: {id: vector}.
StoredVectors = Callable[[Sequence[str]], Mapping[str, Any]]


class SentenceVectors:
    """Vectors of sentences: the index's own where it stored the sentence (a record of a
    many-sentence paragraph), else embedded here. The same paragraphs come back question
    after question, so each is kept per process (bounded)."""

    def __init__(self, embed_model: Embedder, stored: StoredVectors | None = None) -> None:
        self.embed_model = embed_model
        self.stored = stored
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def similarities(
        self,
        question: str,
        sentences: list[str],
        records: list[str],
        previous: Sequence[int | None],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each sentence's cosine with the question, and that of the sentence read with
        the one before it (`previous[i]`: that sentence's index in `sentences`, None when
        it has none; its own cosine then)."""
        q = np.asarray(self.embed_model.get_query_embedding(question), dtype=np.float32)
        q = q / (np.linalg.norm(q) + 1e-9)
        vectors = self.vectors(sentences, records)
        unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
        alone = unit @ q
        joined = np.array(
            [unit[i] + unit[p] if p is not None else unit[i] for i, p in enumerate(previous)]
        )
        in_context = joined @ q / (np.linalg.norm(joined, axis=1) + 1e-9)
        return alone, in_context

    def vectors(self, sentences: list[str], records: list[str]) -> np.ndarray:
        with self._lock:
            todo = {s: r for s, r in zip(sentences, records, strict=True) if s not in self._vectors}
        found: dict[str, np.ndarray] = {}
        if todo and self.stored is not None:
            try:
                stored = self.stored(list(todo.values()))
            except Exception:  # a lookup that fails (a dropped generation) costs speed only
                stored = {}
            for text, node_id in todo.items():
                if node_id in stored:
                    found[text] = np.asarray(stored[node_id], dtype=np.float32)
        rest = [text for text in todo if text not in found]
        if rest:
            vectors = embed_by_length(self.embed_model, rest)
            found.update(
                (t, np.asarray(v, dtype=np.float32)) for t, v in zip(rest, vectors, strict=True)
            )
        with self._lock:
            self._vectors.update(found)
            while len(self._vectors) > SENTENCE_CACHE:
                self._vectors.pop(next(iter(self._vectors)))
            return np.stack([self._vectors[s] for s in sentences])
