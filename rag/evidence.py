"""Sentence-level evidence: which retrieved sentences answer the question, and how well.

Used twice: the extractive generator builds its answer from the best sentences,
and every generator is gated by `answerability`, so that a question the
articles don't answer gets an honest refusal instead of a confident guess.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from rag.schema import Passage
from rag.text import content_words, split_sentences

# What kind of answer a question asks for, and what a sentence must contain to give one.
# A question asking "how much" is not answered by a sentence without a quantity, however
# similar its topic: this catches near-miss questions on subjects the corpus does cover.
_MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
_ANSWER_TYPES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (
        re.compile(
            r"\b(dollars?|how much money|price|cost|worth|valued?|funding|"
            r"how much (?:\w+ ){0,4}(?:pay|paid|spen[dt]|invest\w*))\b",
            re.I,
        ),
        re.compile(r"\$|\b(?:dollars?|rupees?|millions?|billions?|trillions?|USD|PKR)\b", re.I),
    ),
    (
        re.compile(
            r"\b(how much|how many|what (?:percent|percentage|share|number|amount)|"
            r"size of|by how much)\b",
            re.I,
        ),
        re.compile(
            r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
            r"dozen|hundreds?|thousands?|millions?|billions?|half|double)\b",
            re.I,
        ),
    ),
    (
        re.compile(
            r"\b(when|what year|which year|what date|what month|how long ago|since when)\b", re.I
        ),
        re.compile(
            rf"\b(?:1[89]\d\d|20\d\d|{_MONTHS}|Sept?\.|Oct\.|Nov\.|Dec\.|Jan\.|Feb\.|"
            r"Aug\.|Apr\.|weeks?|months?|years?|decades?|days?|ago)\b"
        ),
    ),
]


@dataclass(frozen=True)
class ScoredSentence:
    text: str
    source: int  # 1-based index into the passages
    similarity: float  # cosine with the question
    coverage: float  # idf-weighted share of the question's words it contains
    score: float
    fits: bool  # contains the kind of answer the question asks for


def expected_answer_pattern(question: str) -> re.Pattern[str] | None:
    for asks, answer in _ANSWER_TYPES:
        if asks.search(question):
            return answer
    return None


def idf_table(texts: Iterable[str]) -> dict[str, float]:
    df: dict[str, int] = {}
    n = 0
    for text in texts:
        n += 1
        for word in content_words(text):
            df[word] = df.get(word, 0) + 1
    return {w: math.log(1 + n / c) for w, c in df.items()} | {"": math.log(1 + n)}


def coverage(question_words: set[str], text_words: set[str], idf: dict[str, float]) -> float:
    """Share of the question's weight present in a text; unknown words weigh the most."""
    if not question_words:
        return 0.0
    unseen = idf[""]
    total = sum(idf.get(w, unseen) for w in question_words)
    return sum(idf.get(w, unseen) for w in question_words & text_words) / total


class EvidenceScorer:
    """Scores the sentences of retrieved passages against a question."""

    def __init__(self, embed_model: BaseEmbedding, idf: dict[str, float]) -> None:
        self.embed_model = embed_model
        self.idf = idf

    def score(self, question: str, passages: Sequence[Passage]) -> list[ScoredSentence]:
        candidates: list[tuple[str, int]] = []
        for i, passage in enumerate(passages, start=1):
            for sentence in split_sentences(passage.text):
                if len(sentence.split()) >= 4:
                    candidates.append((sentence, i))
        if not candidates:
            return []
        q_vec = np.asarray(self.embed_model.get_query_embedding(question))
        s_vecs = np.asarray(self.embed_model.get_text_embedding_batch([s for s, _ in candidates]))
        sims = s_vecs @ q_vec / (np.linalg.norm(s_vecs, axis=1) * np.linalg.norm(q_vec) + 1e-9)
        q_words = content_words(question)
        wanted = expected_answer_pattern(question)
        scored = []
        for (sentence, source), sim in zip(candidates, sims, strict=True):
            cov = coverage(q_words, content_words(sentence), self.idf)
            passage = passages[source - 1]
            # Captions may support an answer but should rarely lead it.
            kind_weight = 1.0 if passage.kind == "body" else 0.85
            fits = wanted is None or bool(wanted.search(sentence))
            # Retrieval rank carries weight: the fused ranking is a better judge of which
            # paragraph answers than one sentence's similarity to the question.
            relevance = 0.3 * passage.score + 0.1 / source
            value = (0.55 * float(sim) + 0.3 * cov + relevance) * kind_weight
            scored.append(
                ScoredSentence(
                    sentence, source, float(sim), cov, value - (0 if fits else 0.1), fits
                )
            )
        return sorted(scored, key=lambda s: s.score, reverse=True)

    def answerability(
        self, question: str, passages: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> float:
        """0-1: how well the best evidence answers the question (compared with min_support)."""
        fitting = [s for s in scored if s.fits]
        if not fitting:
            return 0.0
        best = fitting[0]
        # Question words found anywhere in the top passages (names, figures, topics).
        q_words = content_words(question)
        top_words: set[str] = set()
        for p in passages[:3]:
            top_words |= content_words(p.text)
        spread = coverage(q_words, top_words, self.idf)
        return round(0.5 * best.similarity + 0.25 * best.coverage + 0.25 * spread, 4)
