"""Hybrid retrieval at paragraph granularity: dense (Chroma) + BM25, fused by rank.

Dense search finds paraphrases; BM25 finds exact names and numbers ("29%",
"Reko Diq"). Weighted reciprocal-rank fusion combines them without having to
calibrate their incomparable scores. Chunks of one paragraph collapse into that
paragraph, and captions are down-weighted so they never crowd out body text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rag.answer_types import asks_about_photo
from rag.embeddings import Embedder
from rag.index import LoadedIndex
from rag.lexical import bm25_search
from rag.schema import CAPTION_WEIGHTS, Passage
from rag.sources import SOURCE_BOOST, Sources

Mode = Literal["hybrid", "dense", "bm25"]

_RRF_K = 60  # the constant from Cormack et al.; damps the head of each ranking
# Captions and notes rank below body text (why, and evidence's own weight: CaptionWeights).
_KIND_WEIGHT = {"body": 1.0, "note": CAPTION_WEIGHTS.note, "caption": CAPTION_WEIGHTS.retrieval}


@dataclass
class _Hit:
    dense: float = 0.0
    lexical: float = 0.0
    fused: float = 0.0


class HybridRetriever:
    """Built once per loaded index; `retrieve` is cheap and thread-safe to call."""

    def __init__(
        self,
        index: LoadedIndex,
        embed_model: Embedder,
        *,
        candidate_k: int = 30,
        dense_weight: float = 1.0,
        bm25_weight: float = 1.0,
        sources: Sources | None = None,
    ) -> None:
        self.index = index
        self.sources = sources  # prefers the article a question names ("the explainer")
        self.embed_model = embed_model
        self.candidate_k = candidate_k
        self.weights = {"dense": dense_weight, "bm25": bm25_weight}
        self._bm25 = index.bm25  # built at ingest and loaded from disk, not per process
        self._bm25_k = min(candidate_k * 3, len(index.nodes))

    def retrieve(
        self,
        question: str,
        k: int = 5,
        *,
        articles: Sequence[str] | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        allowed = set(articles) if articles else None
        hits: dict[tuple[str, str, int], _Hit] = {}
        rankings: list[tuple[str, list[tuple[str, str, int]]]] = []

        if mode in ("hybrid", "dense"):
            where = {"article_id": {"$in": sorted(allowed)}} if allowed else None
            embedding = self.embed_model.get_query_embedding(question)
            ranking: list[tuple[str, str, int]] = []
            # Several sentences of one paragraph may match: over-fetch, then collapse.
            for key, similarity in self.index.query(embedding, self.candidate_k * 4, where):
                hit = hits.setdefault(key, _Hit())
                if similarity > hit.dense:
                    hit.dense = similarity
                if key not in ranking:
                    ranking.append(key)
            rankings.append(("dense", ranking[: self.candidate_k]))

        if mode in ("hybrid", "bm25"):
            ranking = []
            for position, score in bm25_search(self._bm25, question, self._bm25_k):
                key = self.index.keys[position]  # the index's nodes are BM25's corpus
                if allowed and key[0] not in allowed:
                    continue
                hit = hits.setdefault(key, _Hit())
                hit.lexical = max(hit.lexical, score)
                if key not in ranking and score > 0:
                    ranking.append(key)
                if len(ranking) >= self.candidate_k:
                    break
            rankings.append(("bm25", ranking))

        _fuse(hits, rankings, self.weights, captions=asks_about_photo(question))
        # The article the question names ranks higher (SOURCE_BOOST: its near-equal
        # passages first, not its irrelevant ones); its passages keep their own score,
        # which the evidence gate reads as how well retrieval matched (boosted, a passage
        # that shares no word with the question would look like a perfect match).
        named = self.sources.find(question).articles if self.sources and not allowed else ()

        def rank(kv: tuple[tuple[str, str, int], _Hit]) -> float:
            return kv[1].fused * (SOURCE_BOOST if kv[0][0] in named else 1.0)

        ordered = sorted(hits.items(), key=rank, reverse=True)
        return [
            _to_passage(hit, self.index.paragraph_text(key), self.index.paragraph_metadata(key))
            for key, hit in ordered[:k]
            if hit.fused > 0
        ]


def _fuse(
    hits: dict[tuple[str, str, int], _Hit],
    rankings: list[tuple[str, list[tuple[str, str, int]]]],
    weights: dict[str, float],
    *,
    captions: bool = False,
) -> None:
    """Half reciprocal rank, half max-normalised score, per retriever, weighted.

    Rank fusion alone ties a paragraph BM25 ranks first by a wide margin with
    one it barely ranks; the normalised score keeps that margin. With `captions` (the
    question asks about a photo), captions rank as body text does.
    """
    total = sum(weights[name] for name, _ in rankings) or 1.0
    for name, ranking in rankings:
        score_of = (lambda h: h.dense) if name == "dense" else (lambda h: h.lexical)
        top = max((score_of(hits[key]) for key in ranking), default=0.0) or 1.0
        for rank, key in enumerate(ranking, start=1):
            rrf = (_RRF_K + 1) / (_RRF_K + rank)  # 1.0 for the first rank
            share = 0.5 * rrf + 0.5 * max(score_of(hits[key]), 0.0) / top
            hits[key].fused += weights[name] * share / total
    for key, hit in hits.items():
        if not (captions and key[1] == "caption"):
            hit.fused *= _KIND_WEIGHT.get(key[1], 1.0)


def _to_passage(hit: _Hit, text: str, m: dict[str, Any]) -> Passage:
    return Passage(
        article_id=str(m["article_id"]),
        title=str(m["title"]),
        paragraph=int(m["paragraph"]),
        text=text,
        score=round(hit.fused, 4),
        kind=str(m.get("kind", "body")),
        section=str(m["section"]) if m.get("section") else None,
        dense=round(hit.dense, 4),
        lexical=round(hit.lexical, 4),
    )
