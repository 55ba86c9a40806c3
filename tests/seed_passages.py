"""The seed articles as indexed paragraphs (`Passage`s) with their spaCy entities, built
once per test process without an index: the corpus views' pure logic needs no more."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rag.corpus import load_corpus
from rag.nlp import EntityCache
from rag.schema import Passage

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@cache
def seed_passages() -> tuple[Passage, ...]:
    """Every paragraph of the seeds in reading order, as `Pipeline.paragraphs()` gives them."""
    return tuple(
        Passage(a.id, a.title, p.number, p.text, 0.0, p.kind)
        for a in load_corpus(SEEDS)
        for p in a.paragraphs
    )


@cache
def seed_entities() -> EntityCache:
    """spaCy's entities of every seed paragraph (parsed in one batch, kept in memory)."""
    cache_ = EntityCache(None)
    cache_.fill(p.text for p in seed_passages())
    return cache_
