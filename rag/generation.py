"""Generators behind one small interface, chosen from settings.

A generator sees the question and numbered sources and returns text whose
claims carry [n] markers pointing at those sources. The pipeline then validates
and renumbers the markers (`rag.citations`), so a generator can't cite what
wasn't retrieved.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rag.config import Settings
from rag.evidence import EvidenceScorer, ScoredSentence
from rag.schema import Passage
from rag.text import content_words


@dataclass
class Draft:
    """A generator's answer before marker validation."""

    text: str
    declined: bool = False  # the generator itself said the sources don't answer
    usage: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class Generator(Protocol):
    name: str

    def generate(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Draft: ...

    def stream(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Iterator[str | Draft]:
        """Text deltas (the joined deltas equal `generate(...).text`), optionally
        ending with a `Draft` that carries usage and notes."""
        ...


class ExtractiveGenerator:
    """Answers with the retrieved sentences that best answer the question.

    No model writes text, so every sentence is a quotation from its cited
    paragraph; the work is in choosing and ordering them so they read as an answer:
    the most relevant first, no near-duplicates, a handful at most.
    """

    name = "extractive"

    def __init__(self, max_sentences: int = 4, keep_ratio: float = 0.7) -> None:
        self.max_sentences = max_sentences
        self.keep_ratio = keep_ratio

    def select(self, scored: Sequence[ScoredSentence]) -> list[ScoredSentence]:
        if not scored:
            return []
        best = next((s for s in scored if s.fits), scored[0])
        chosen = [best]
        for s in scored:
            if len(chosen) >= self.max_sentences or s.score < best.score * self.keep_ratio:
                break
            if s is best or _near_duplicate(s.text, [c.text for c in chosen]):
                continue
            chosen.append(s)
        return chosen

    def stream(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Iterator[str | Draft]:
        for i, sentence in enumerate(self.select(scored)):
            yield ("" if i == 0 else " ") + with_marker(sentence.text, sentence.source)

    def generate(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Draft:
        return Draft(
            "".join(d for d in self.stream(question, sources, scored) if isinstance(d, str))
        )


def with_marker(sentence: str, source: int) -> str:
    """ "… lens." -> "… lens [1]."; a sentence ending in a quotation keeps it whole."""
    if sentence[-1:] in ".!?" and not sentence.endswith("..."):
        return f"{sentence[:-1]} [{source}]{sentence[-1]}"
    return f"{sentence} [{source}]"


def _near_duplicate(text: str, others: list[str], threshold: float = 0.6) -> bool:
    words = content_words(text)
    for other in others:
        theirs = content_words(other)
        if words and theirs and len(words & theirs) / len(words | theirs) > threshold:
            return True
    return False


def build_generator(settings: Settings, name: str | None = None) -> Generator:
    """The generator named (or the one settings choose), imported lazily."""
    choice = name or settings.resolved_generator()
    match choice:
        case "extractive":
            return ExtractiveGenerator(settings.max_answer_sentences)
        case "openai":
            from rag.llm import OpenAIGenerator

            return OpenAIGenerator.from_settings(settings)
        case "local":
            from rag.llm import LocalGenerator

            return LocalGenerator.from_settings(settings)
    raise ValueError(f"unknown generator {choice!r}; choose extractive, openai or local")


__all__ = ["Draft", "EvidenceScorer", "ExtractiveGenerator", "Generator", "build_generator"]
