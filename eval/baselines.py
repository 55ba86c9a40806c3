"""The configurations the harness compares, each a callable: question -> Output.

- ours: the full pipeline (`Pipeline.ask`: hybrid retrieval, the configured
  generator, the refusal gate); retrieval metrics from hybrid top-10.
- hybrid / dense / bm25: retrieval only, answered by the extractive generator
  over that retrieval's top_k with no refusal gate (it answers every question).
- llama-index defaults: SimpleDirectoryReader + SentenceSplitter +
  VectorStoreIndex with our embedding model and similarity_top_k=2. Chunks are
  mapped to the seed paragraphs they contain; the "answer" is the top chunk, with
  no citations and no refusal.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.metrics import Key
from rag.corpus import load_corpus, strip_links
from rag.schema import Citation
from rag.text import split_sentences

if TYPE_CHECKING:
    from rag import Mode, Pipeline

RANK_DEPTH = 10
CONFIGS = ("ours", "hybrid", "dense", "bm25", "llama-index defaults")
DESCRIPTIONS = {
    "ours": "full pipeline: hybrid retrieval, configured generator, refusal gate",
    "hybrid": "hybrid retrieval + extractive answer from its top_k, no refusal gate",
    "dense": "dense retrieval + extractive answer from its top_k, no refusal gate",
    "bm25": "BM25 retrieval + extractive answer from its top_k, no refusal gate",
    "llama-index defaults": (
        "SimpleDirectoryReader + default SentenceSplitter + VectorStoreIndex (same "
        "embedding model), similarity_top_k=2; chunks mapped to the paragraphs they "
        "contain, in document order; the answer is the top chunk's text with no "
        "citations (citation metrics are 0) and no refusal"
    ),
}


@dataclass
class Output:
    retrieved: list[Key] | None
    answer: str | None
    supported: bool | None
    citations: list[dict[str, Any]] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)  # what the answer was drawn from
    seconds: float = 0.0
    support: float | None = None  # the refusal gate's score, where there is a gate


Runner = Callable[[str], Output]


def _citations(citations: list[Citation]) -> list[dict[str, Any]]:
    keep = ("marker", "article_id", "kind", "paragraph", "text")
    return [{k: getattr(c, k) for k in keep} for c in citations]


def warm_up(pipeline: Pipeline, question: str = "Pakistan and the United States") -> None:
    """Load the models and the index before anything is timed."""
    pipeline.assess(question, pipeline.retrieve(question))


def ours(pipeline: Pipeline, generator: str | None = None) -> Runner:
    def run(question: str) -> Output:
        started = time.perf_counter()
        answer = pipeline.ask(question, generator=generator)
        seconds = time.perf_counter() - started
        ranked = pipeline.retrieve(question, RANK_DEPTH, mode="hybrid")
        return Output(
            retrieved=[p.key for p in ranked],
            answer=answer.text,
            supported=answer.supported,
            citations=_citations(answer.citations),
            contexts=[p.text for p in answer.passages],
            seconds=seconds,
            support=answer.support,
        )

    return run


def retrieval_only(pipeline: Pipeline, mode: Mode) -> Runner:
    def run(question: str) -> Output:
        started = time.perf_counter()
        ranked = pipeline.retrieve(question, RANK_DEPTH, mode=mode)
        top = ranked[: pipeline.settings.top_k]
        answer = pipeline.answer_from(question, top, gate=False, generator="extractive")
        return Output(
            retrieved=[p.key for p in ranked],
            answer=answer.text,
            supported=answer.supported,
            citations=_citations(answer.citations),
            contexts=[p.text for p in top],
            seconds=time.perf_counter() - started,
        )

    return run


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", strip_links(text).lower()))


class ParagraphLocator:
    """Finds the seed paragraphs a raw-text chunk contains, in document order.

    A paragraph counts when its whole text, or one of its sentences of six or more
    words (for paragraphs cut at a chunk boundary), occurs in the chunk.
    """

    def __init__(self, seeds_dir: Path) -> None:
        self.paragraphs: dict[str, list[tuple[Key, list[str]]]] = {}
        for article in load_corpus(seeds_dir):
            entries: list[tuple[Key, list[str]]] = []
            for p in article.paragraphs:
                probes = [_norm(p.text)] + [
                    _norm(s) for s in split_sentences(p.text) if len(s.split()) >= 6
                ]
                entries.append(((article.id, p.kind, p.number), [x for x in probes if x]))
            self.paragraphs[Path(article.source).name] = entries

    def locate(self, file_name: str, chunk: str) -> list[Key]:
        text = _norm(chunk)
        found: list[tuple[int, Key]] = []
        for key, probes in self.paragraphs.get(file_name, []):
            positions = [text.find(probe) for probe in probes if probe in text]
            if positions:
                found.append((min(positions), key))
        return [key for _, key in sorted(found)]


class LlamaIndexDefaults:
    """The out-of-the-box llama-index recipe, built in memory on first use."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._retriever: Any = None
        self.locator = ParagraphLocator(pipeline.settings.seeds_dir)

    def _build(self) -> Any:
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from rag.embeddings import llama_embedding

        seeds = self.pipeline.settings.seeds_dir
        # Plain .txt needs none of the optional readers it warns about (once per file).
        logging.getLogger("llama_index.core.readers.file.base").setLevel(logging.ERROR)
        documents = SimpleDirectoryReader(str(seeds), required_exts=[".txt"]).load_data()
        index = VectorStoreIndex.from_documents(
            documents,
            embed_model=llama_embedding(self.pipeline.embed_model),
            transformations=[SentenceSplitter()],
        )
        return index.as_retriever()  # default similarity_top_k (2)

    def __call__(self, question: str) -> Output:
        if self._retriever is None:
            self._retriever = self._build()
        started = time.perf_counter()
        hits = self._retriever.retrieve(question)
        seconds = time.perf_counter() - started
        ranked: list[Key] = []
        for hit in hits:
            name = Path(str(hit.node.metadata.get("file_name", ""))).name
            found = self.locator.locate(name, hit.node.get_content())
            ranked += [k for k in found if k not in ranked]
        chunks = [hit.node.get_content() for hit in hits]
        return Output(
            retrieved=ranked,
            answer=chunks[0] if chunks else "",
            supported=True,
            contexts=chunks,
            seconds=seconds,
        )


def build(name: str, pipeline: Pipeline, generator: str | None = None) -> Runner:
    if name == "ours":
        return ours(pipeline, generator)
    if name in ("hybrid", "dense", "bm25"):
        return retrieval_only(pipeline, name)  # type: ignore[arg-type]
    if name == "llama-index defaults":
        return LlamaIndexDefaults(pipeline)
    raise ValueError(f"unknown configuration {name!r}; known: {', '.join(CONFIGS)}")
