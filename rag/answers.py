"""Answers that no generator writes: refusals and answers from the catalog.

A refusal says what the articles lack (`Evidence.missing`) and quotes the closest
sentence they do have, cited, so a reader sees how near the articles come.
"""

from __future__ import annotations

import time

from rag.citations import attach_quotes, renumber
from rag.evidence import Evidence
from rag.generation import Draft, with_marker
from rag.metadata import MetadataAnswer
from rag.schema import Answer, Citation, Passage

# Every refusal starts with what the articles lack; this is the fallback wording.
REFUSAL = "The articles don't say."
NEARBY = "The closest passage says:"


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def refusal_answer(
    question: str,
    passages: list[Passage],
    generator: str,
    started: float,
    evidence: Evidence,
    min_support: float,
    draft: Draft | None = None,
) -> Answer:
    """What the articles lack, and the closest thing they do say, cited."""
    notes = list(draft.notes) if draft else []
    notes.append(
        f"answerability {evidence.support:.2f} < {min_support:.2f}"
        if evidence.support < min_support
        else f"the {generator} model found no answer in the sources"
    )
    reason = evidence.missing or REFUSAL
    text, citations = reason, list[Citation]()
    if evidence.best is not None:
        nearby = with_marker(evidence.best.text, evidence.best.source)
        text, citations = renumber(f"{reason} {NEARBY} {nearby}", passages)
        citations = attach_quotes(text, citations)
    return Answer(
        question=question,
        text=text,
        supported=False,
        citations=citations,
        passages=passages,
        generator=generator,
        usage=draft.usage if draft else {},
        notes=notes,
        reason=reason,
        support=evidence.support,
        seconds=_seconds(started),
    )


def metadata_answer(
    question: str, found: MetadataAnswer, passages: list[Passage], started: float
) -> Answer:
    """An answer (or refusal) from the catalog, the header or a caption."""
    text, citations = renumber(found.text, found.sources) if found.supported else ("", [])
    return Answer(
        question=question,
        text=text if found.supported else found.reason,
        supported=found.supported,
        citations=attach_quotes(text, citations),
        passages=found.sources + [p for p in passages if p not in found.sources],
        generator="catalog",
        reason=found.reason,
        support=float(found.supported),
        seconds=_seconds(started),
    )
