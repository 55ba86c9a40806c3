"""Evaluation metrics as pure functions over gold items and pipeline outputs.

A paragraph is identified by its key (article_id, kind, paragraph); gold evidence
without a kind means a body paragraph. `score_question` turns one question's
outputs into per-question scores (None where a metric does not apply) and
`aggregate` averages them over a set of questions.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rag.answers import is_note, unanswered_parts
from rag.citations import parse_markers, strip_markers, support
from rag.text import split_sentences

Key = tuple[str, str, int]

GROUNDED_SUPPORT = 0.5  # the same bar `rag.citations.unsupported_sentences` uses
RETRIEVAL = ("hit@1", "hit@5", "mrr@10", "recall@10", "ndcg@10")
ANSWER = (
    "citation_precision",
    "citation_recall",
    "fact_coverage",
    "token_f1",
    "groundedness",
    "refusal_accuracy",
    "false_refusal_rate",
    "part_refusal_accuracy",
    "false_part_refusal_rate",
)
LATENCY = ("latency_p50", "latency_p95")
LLM = ("faithfulness", "correctness")
ALL = RETRIEVAL + ANSWER + LATENCY + LLM


def key_of(item: Mapping[str, Any]) -> Key:
    """The key of a gold evidence entry, a Passage-like dict or a Citation-like dict."""
    return (str(item["article_id"]), str(item.get("kind") or "body"), int(item["paragraph"]))


def gold_keys(evidence: Iterable[Mapping[str, Any]]) -> set[Key]:
    return {key_of(e) for e in evidence}


# --- retrieval -------------------------------------------------------------------
def _dedupe(ranked: Sequence[Key]) -> list[Key]:
    return list(dict.fromkeys(ranked))


def hit_at(ranked: Sequence[Key], gold: set[Key], k: int) -> float:
    return float(any(key in gold for key in _dedupe(ranked)[:k]))


def mrr_at(ranked: Sequence[Key], gold: set[Key], k: int = 10) -> float:
    for rank, key in enumerate(_dedupe(ranked)[:k], start=1):
        if key in gold:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: Sequence[Key], gold: set[Key], k: int = 10) -> float:
    if not gold:
        return 0.0
    return len(gold & set(_dedupe(ranked)[:k])) / len(gold)


def ndcg_at(ranked: Sequence[Key], gold: set[Key], k: int = 10) -> float:
    """Binary-relevance nDCG: every gold paragraph counts 1, wherever it ranks."""
    dcg = sum(
        1.0 / math.log2(rank + 1)
        for rank, key in enumerate(_dedupe(ranked)[:k], start=1)
        if key in gold
    )
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold), k) + 1))
    return dcg / ideal if ideal else 0.0


# --- answers ---------------------------------------------------------------------
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    body = re.escape(" ".join(phrase.replace("’", "'").split()))
    left = r"\b" if phrase[:1].isalnum() else ""
    right = r"\b" if phrase[-1:].isalnum() else ""
    return re.compile(left + body + right, re.IGNORECASE)


def _plain(text: str) -> str:
    return " ".join(strip_markers(text).replace("’", "'").split())


def contains_fact(text: str, phrasings: Sequence[str]) -> bool:
    """A fact is present when any of its phrasings occurs (case-insensitive, whole words)."""
    plain = _plain(text)
    return any(_phrase_pattern(p).search(plain) for p in phrasings if p.strip())


def fact_coverage(answer: str, facts: Sequence[Sequence[str]]) -> float | None:
    if not facts:
        return None
    return sum(contains_fact(answer, f) for f in facts) / len(facts)


def citation_relevant(key: Key, text: str, gold: set[Key], facts: Sequence[Sequence[str]]) -> bool:
    """A citation is relevant if it is gold evidence or carries a required fact."""
    return key in gold or any(contains_fact(text, f) for f in facts)


def citation_precision(
    cited: Sequence[tuple[Key, str]], gold: set[Key], facts: Sequence[Sequence[str]]
) -> float:
    """Share of cited paragraphs that are relevant; an uncited answer scores 0."""
    if not cited:
        return 0.0
    return sum(citation_relevant(k, t, gold, facts) for k, t in cited) / len(cited)


def citation_recall(cited: Sequence[tuple[Key, str]], gold: set[Key]) -> float:
    """1 when at least one gold evidence paragraph is cited."""
    return float(any(k in gold for k, _ in cited))


def normalize_answer(text: str) -> str:
    """SQuAD normalization: lower case, no punctuation, no articles, single spaces."""
    text = strip_markers(text).lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation) | {"‘", "’", "“", "”"})
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def token_f1(prediction: str, reference: str) -> float:
    pred, ref = normalize_answer(prediction).split(), normalize_answer(reference).split()
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def groundedness(text: str, cited: Mapping[int, str]) -> float | None:
    """Share of sentences with a valid marker whose paragraph carries the sentence's words."""
    # "On “…”, the articles don't say.", "003 never mentions “X”.": true of the whole
    # corpus, so they cite no paragraph.
    sentences = [s for s in split_sentences(text) if strip_markers(s) and not is_note(s)]
    if not sentences:
        return None
    grounded = 0
    for sentence in sentences:
        paragraphs = [cited[n] for n in parse_markers(sentence) if n in cited]
        if any(support(sentence, p) >= GROUNDED_SUPPORT for p in paragraphs):
            grounded += 1
    return grounded / len(sentences)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0-100), as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


# --- one question, many questions ------------------------------------------------
def score_question(
    gold: Mapping[str, Any],
    retrieved: Sequence[Key] | None,
    answer: str | None,
    supported: bool | None,
    citations: Sequence[Mapping[str, Any]] = (),
) -> dict[str, float | None]:
    """Per-question scores; None where a metric does not apply (or was not measured).

    `retrieved` is None for a configuration that does not rank paragraphs and
    `answer` is None for one that does not answer. `citations` are dicts with
    marker, article_id, kind, paragraph and text.
    """
    scores: dict[str, float | None] = dict.fromkeys(RETRIEVAL + ANSWER)
    keys = gold_keys(gold.get("evidence", []))
    facts = gold.get("required_facts", [])
    answerable = bool(gold.get("answerable", True))
    if retrieved is not None and keys:
        scores.update(
            {
                "hit@1": hit_at(retrieved, keys, 1),
                "hit@5": hit_at(retrieved, keys, 5),
                "mrr@10": mrr_at(retrieved, keys, 10),
                "recall@10": recall_at(retrieved, keys, 10),
                "ndcg@10": ndcg_at(retrieved, keys, 10),
            }
        )
    if answer is None:
        return scores
    refused = supported is False
    if not answerable:
        scores["refusal_accuracy"] = float(refused)
        return scores
    cited = [(key_of(c), str(c["text"])) for c in citations]
    scores["false_refusal_rate"] = float(refused)
    # A compound question with a part the articles don't answer ("missing_part"): the
    # answer must answer the rest and say so of that part; any other answer must not.
    flagged = unanswered_parts(answer)
    if missing := gold.get("missing_part"):
        right = [f for f in flagged if same_part(f, missing)]
        scores["part_refusal_accuracy"] = float(bool(right) and right == flagged and not refused)
    else:
        scores["false_part_refusal_rate"] = float(bool(flagged))
    scores["citation_recall"] = citation_recall(cited, keys) if keys else None
    scores["fact_coverage"] = fact_coverage(answer, facts)
    scores["token_f1"] = token_f1(answer, str(gold.get("reference_answer", "")))
    if not refused:
        scores["citation_precision"] = citation_precision(cited, keys, facts)
        scores["groundedness"] = groundedness(
            answer, {int(c["marker"]): str(c["text"]) for c in citations}
        )
    return scores


def same_part(said: str, part: str) -> bool:
    """Does the part an answer says is unanswered read as the gold's missing part (at
    least half its words)?"""
    words = set(normalize_answer(part).split())
    return len(words & set(normalize_answer(said).split())) * 2 >= len(words)


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def aggregate(rows: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    """Mean of every metric over `rows` (each with "scores" and "seconds"), plus latency."""
    summary: dict[str, float | None] = {
        name: mean(r["scores"].get(name) for r in rows) for name in RETRIEVAL + ANSWER + LLM
    }
    seconds = [float(r["seconds"]) for r in rows if r.get("seconds") is not None]
    summary["latency_p50"] = percentile(seconds, 50)
    summary["latency_p95"] = percentile(seconds, 95)
    return summary
