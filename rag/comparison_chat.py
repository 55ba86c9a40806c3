"""The chat's per-article layout: questions on what "the articles" say, answered per article.

`is_comparison_question` spots them ("What do the articles say about X?", "Do the
sources agree on X?", "How do the articles differ on X?", "Compare the articles on X"),
and `articles_compared` those that set two articles they name side by side;
`chat_stream` then answers with `rag.comparison` instead of `ask_stream`, as an `Answer`
whose [n] markers cite the quoted paragraphs, so the chat renders it like any answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from rag.answers import NEARBY
from rag.comparison import compare_articles
from rag.contrast import join_ids
from rag.findings import CitedSentence, Comparison, Ref
from rag.schema import Answer, Citation, Passage

if TYPE_CHECKING:
    from rag.api import Pipeline

# "What do the articles say about X?", "Do the sources agree on X?", "How do the
# articles differ on X?", "Compare the articles on X": a question about the articles as
# a set, answered per article.
_ABOUT_ARTICLES = re.compile(
    r"\b(?:the|these|those|all|both|all the|the five|the two|different|various|each of the)"
    r"\s+(?:articles|sources|outlets|pieces|reports|authors)\b",
    re.IGNORECASE,
)
_COMPARING = re.compile(
    r"\b(?:say|says|said|saying|agree|agrees|disagree|differ|differs|different|compare|"
    r"comparison|contrast|portray|describe|cover|view|see|report|think|claim)\b",
    re.IGNORECASE,
)


def is_comparison_question(question: str) -> bool:
    """Does the question ask what "the articles" say, or whether/how they agree or differ?"""
    return bool(_ABOUT_ARTICLES.search(question) and _COMPARING.search(question)) or bool(
        re.match(r"\s*(?:compare|contrast)\b", question, re.IGNORECASE)
    )


def articles_compared(pipeline: Pipeline, question: str) -> tuple[list[str], str]:
    """The articles a question names, when it names two or more and asks what they say,
    whether they agree or how they differ ("How do the explainer and the Foreign Policy
    piece differ on X?", "Does Nawaz agree with the explainer about X?"), and what it
    compares them on ("X?"); else no articles."""
    sources = pipeline.scorer.sources
    named = sources.find(question) if sources is not None else None
    if named is None or len(named.articles) < 2 or not _COMPARING.search(question):
        return [], question
    chars = list(question)
    for start, end in (*named.spans, *named.names):
        chars[start:end] = [" "] * (end - start)
    rest = "".join(chars)
    on = _COMPARED_ON.search(rest)
    topic = rest[on.end() :] if on else rest
    return sorted(named.articles), re.sub(r"\s+", " ", topic).strip()


# What comes before the topic in a question that compares articles it names: "differ on",
# "agree with … about", "see eye to eye on", "say about".
_COMPARED_ON = re.compile(
    r"\b(?:differ|disagree|agree|say|see eye to eye|compare|contrast|portray|describe|view)"
    r"(?:\s+with(?:\s+\w+){0,2}?)?\s+(?:on|about|over|regarding|in)\s+",
    re.IGNORECASE,
)


# --- the chat's per-article layout ------------------------------------------------------
SILENT_ALL = "None of the articles discusses this."


def comparison_answer(
    comparison: Comparison,
    paragraphs: Mapping[tuple[str, str, int], str] | None = None,
    seconds: float = 0.0,
) -> Answer:
    """The comparison as a chat answer: one paragraph per article, its sentences quoted
    with [n] markers (one per cited paragraph), then the silent articles and the
    differences line. `paragraphs` (Passage.key -> text) fills each citation's paragraph;
    without it a citation holds only its quoted sentences."""
    citations: list[Citation] = []
    marker_of: dict[Ref, int] = {}
    quotes: dict[Ref, list[str]] = {}
    blocks = []
    for f in comparison.findings:
        parts = []
        for s in f.sentences:
            if s.ref not in marker_of:
                marker_of[s.ref] = len(marker_of) + 1
            quotes.setdefault(s.ref, []).append(s.text)
            parts.append(f"{s.text} [{marker_of[s.ref]}]")
        blocks.append(f"{f.article_id} ({f.title}): " + " ".join(parts))
    texts = paragraphs or {}
    for ref, marker in marker_of.items():
        cited = CitedSentence(" ".join(quotes[ref]), ref, 1.0)
        citations.append(_citation(cited, marker, texts))
    if not comparison.findings:
        # Like a refusal: what is missing, then the closest passage, cited.
        nearest = comparison.closest[:1]
        text = SILENT_ALL + "".join(f" {NEARBY} {c.text} [1]" for c in nearest)
        return Answer(
            question=comparison.question,
            text=text,
            supported=False,
            citations=[_citation(c, 1, texts) for c in nearest],
            passages=[_passage(c) for c in comparison.closest],
            generator="compare",
            reason=SILENT_ALL,
            seconds=seconds,
        )
    if comparison.silent:
        blocks.append(silent_line(comparison))
    if comparison.differences:
        blocks.append(comparison.differences)
    return Answer(
        question=comparison.question,
        text="\n\n".join(blocks),
        supported=True,
        citations=citations,
        passages=[],
        generator="compare",
        support=1.0,
        notes=comparison.notes,
        seconds=seconds,
    )


def silent_line(comparison: Comparison) -> str:
    ids = [r.article_id for r in comparison.silent]
    verb = "doesn't" if len(ids) == 1 else "don't"
    return f"{join_ids(ids)} {verb} discuss this."


def _citation(
    c: CitedSentence, marker: int, paragraphs: Mapping[tuple[str, str, int], str]
) -> Citation:
    key = (c.ref.article_id, c.ref.kind, c.ref.paragraph)
    return Citation(
        marker=marker,
        article_id=c.ref.article_id,
        title=c.ref.title,
        paragraph=c.ref.paragraph,
        text=paragraphs.get(key, c.text),
        score=c.score,
        kind=c.ref.kind,
        quote=c.text,
    )


def _passage(c: CitedSentence) -> Passage:
    return Passage(c.ref.article_id, c.ref.title, c.ref.paragraph, c.text, c.score, c.ref.kind)


def chat_stream(
    pipeline: Pipeline,
    question: str,
    *,
    k: int | None = None,
    articles: Sequence[str] | None = None,
    generator: str | None = None,
) -> Iterator[str | Answer]:
    """The chat's answer: per article when the question asks what "the articles" say or
    how they differ (`is_comparison_question`), or sets articles it names side by side
    (`articles_compared`), else the pipeline's `ask_stream`."""
    compared, topic = ([], question) if articles else articles_compared(pipeline, question)
    if not compared and not is_comparison_question(question):
        yield from pipeline.ask_stream(question, k=k, articles=articles, generator=generator)
        return
    started = time.perf_counter()
    comparison = compare_articles(pipeline, topic, articles or compared or None)
    comparison = replace(comparison, question=question)
    texts = {p.key: p.text for p in pipeline.paragraphs()}
    answer = comparison_answer(comparison, texts, round(time.perf_counter() - started, 3))
    yield answer.text
    yield answer
