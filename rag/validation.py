"""Checks on what callers pass to the public API: a clear ValueError, never a traceback."""

from __future__ import annotations

from rag.config import Settings

# Curly single quotes and apostrophes, and the straight one a keyboard types for each.
_STRAIGHT = str.maketrans({"‘": "'", "’": "'"})


def validate_question(question: object, max_chars: int) -> str:
    """The question, stripped, its curly single quotes and apostrophes straight ("Dar’s",
    "didn’t", "‘persona’": as a keyboard types them, so every rule reads one form); a
    clear ValueError for empty or absurdly long input."""
    if not isinstance(question, str):
        raise ValueError(f"the question must be text, not {type(question).__name__}")
    text = " ".join(question.split()).translate(_STRAIGHT)
    if not text:
        raise ValueError("the question is empty; type a question about the articles")
    if len(text) > max_chars:
        raise ValueError(
            f"the question is {len(text)} characters long; the limit is {max_chars} "
            "(RAG_MAX_QUESTION_CHARS)"
        )
    return text


def validate_arguments(k: object, articles: object) -> None:
    """A clear ValueError for a `k` outside Settings.top_k's range or bad `articles`."""
    low, high = 1, 50
    for bound in Settings.model_fields["top_k"].metadata:
        low, high = getattr(bound, "ge", low), getattr(bound, "le", high)
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or not low <= k <= high):
        raise ValueError(f"k must be a whole number from {low} to {high} (or None), not {k!r}")
    if articles is not None and not (
        isinstance(articles, list | tuple) and all(isinstance(a, str) for a in articles)
    ):
        raise ValueError(
            f"articles must be a list of article id strings (or None), not {articles!r}"
        )
