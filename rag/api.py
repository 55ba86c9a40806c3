"""The public API: `ask`, `ask_stream` and `retrieve`, over one shared pipeline.

The CLI, the UI and the eval harness all go through `Pipeline`, so they can never
drift apart. The index and models load once per process (per settings).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence

from llama_index.core.base.embeddings.base import BaseEmbedding

from rag.citations import StreamRenumberer, attach_quotes, renumber, unsupported_sentences
from rag.config import Settings, get_settings
from rag.embeddings import build_embed_model
from rag.evidence import EvidenceScorer, ScoredSentence, idf_table
from rag.generation import Draft, Generator, build_generator
from rag.index import IndexError_, IngestReport, LoadedIndex, ingest, load_index
from rag.llm import GeneratorUnavailable
from rag.retrieval import HybridRetriever, Mode
from rag.schema import Answer, Passage
from rag.text import split_sentences

log = logging.getLogger(__name__)

REFUSAL = (
    "The articles don't say. None of the indexed articles answers this question; "
    "the closest passages are listed below."
)


def validate_question(question: object, max_chars: int) -> str:
    """The question, stripped; a clear ValueError for empty or absurdly long input."""
    if not isinstance(question, str):
        raise ValueError(f"the question must be text, not {type(question).__name__}")
    text = " ".join(question.split())
    if not text:
        raise ValueError("the question is empty; type a question about the articles")
    if len(text) > max_chars:
        raise ValueError(
            f"the question is {len(text)} characters long; the limit is {max_chars} "
            "(RAG_MAX_QUESTION_CHARS)"
        )
    return text


class Pipeline:
    """Everything `ask` needs, built lazily and once."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._lock = threading.RLock()
        self._embed_model: BaseEmbedding | None = None
        self._index: LoadedIndex | None = None
        self._retriever: HybridRetriever | None = None
        self._scorer: EvidenceScorer | None = None
        self._generators: dict[str, Generator] = {}

    # --- lazily built parts ------------------------------------------------------
    @property
    def embed_model(self) -> BaseEmbedding:
        with self._lock:
            if self._embed_model is None:
                self._embed_model = build_embed_model(self.settings)
            return self._embed_model

    def ingest(self, *, rebuild: bool = False, **kwargs: object) -> IngestReport:
        with self._lock:
            model = lambda: self.embed_model  # noqa: E731 - loaded only if something changed
            report = ingest(self.settings, model, rebuild=rebuild, **kwargs)  # type: ignore[arg-type]
            self._index = self._retriever = self._scorer = None  # reload on next use
            return report

    @property
    def index(self) -> LoadedIndex:
        with self._lock:
            if self._index is None:
                loaded = load_index(self.settings)
                if loaded is None:
                    log.info("no index yet: building it from %s", self.settings.seeds_dir)
                    self.ingest()
                    loaded = load_index(self.settings)
                if loaded is None:  # pragma: no cover - ingest always activates an index
                    raise IndexError_("the index could not be built")
                self._index = loaded
            return self._index

    @property
    def retriever(self) -> HybridRetriever:
        with self._lock:
            if self._retriever is None:
                s = self.settings
                self._retriever = HybridRetriever(
                    self.index,
                    self.embed_model,
                    candidate_k=s.candidate_k,
                    dense_weight=s.dense_weight,
                    bm25_weight=s.bm25_weight,
                )
            return self._retriever

    @property
    def scorer(self) -> EvidenceScorer:
        with self._lock:
            if self._scorer is None:
                idf = idf_table(n.get_content() for n in self.index.nodes)
                self._scorer = EvidenceScorer(self.embed_model, idf)
            return self._scorer

    def generator(self, name: str | None = None) -> Generator:
        key = name or self.settings.resolved_generator()
        with self._lock:
            if key not in self._generators:
                self._generators[key] = build_generator(self.settings, key)
            return self._generators[key]

    @property
    def article_titles(self) -> dict[str, str]:
        return dict(self.index.info.titles)

    # --- the API -----------------------------------------------------------------
    def retrieve(
        self,
        question: str,
        k: int | None = None,
        *,
        articles: Sequence[str] | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        question = validate_question(question, self.settings.max_question_chars)
        if articles:
            unknown = sorted(set(articles) - set(self.article_titles))
            if unknown:
                raise ValueError(
                    f"unknown article id(s) {', '.join(unknown)}; "
                    f"known: {', '.join(sorted(self.article_titles))}"
                )
        return self.retriever.retrieve(
            question, k or self.settings.top_k, articles=articles, mode=mode
        )

    def ask_stream(
        self,
        question: str,
        *,
        k: int | None = None,
        articles: Sequence[str] | None = None,
        generator: str | None = None,
    ) -> Iterator[str | Answer]:
        """Yield text deltas (markers already final), then the complete `Answer`."""
        started = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        gen = self.generator(generator)
        passages = self.retrieve(question, k, articles=articles)
        scored = self.scorer.score(question, passages)
        support = self.scorer.answerability(question, passages, scored)
        log.debug("answerability %.3f for %r", support, question)
        if support < self.settings.min_support:
            yield REFUSAL
            yield self._refusal(question, passages, gen.name, started, support)
            return

        renumberer = StreamRenumberer(len(passages))
        raw: list[str] = []
        draft: Draft | None = None
        name = gen.name
        try:
            for delta in gen.stream(question, passages, scored):
                if isinstance(delta, Draft):  # generators may end a stream with usage/notes
                    draft = delta
                    continue
                raw.append(delta)
                if out := renumberer.feed(delta):
                    yield out
        except GeneratorUnavailable as exc:
            # Never leave a reader without an answer: fall back to quoting the sources.
            log.warning("generator %s failed (%s); answering extractively", gen.name, exc)
            note = f"{gen.name} generator unavailable ({exc})"
            streamed = bool(raw)
            draft = self._extractive_draft(question, passages, scored, [note])
            raw, name = [draft.text], "extractive"
            renumberer = StreamRenumberer(len(passages))
            yield ("\n\n" if streamed else "") + renumberer.feed(draft.text)
        if tail := renumberer.flush():
            yield tail
        draft = draft or Draft("")
        answer = self._finish(question, "".join(raw), draft, passages, name, started, scored)
        if not answer.supported:
            yield "\n\n" + REFUSAL
        yield answer

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        articles: Sequence[str] | None = None,
        generator: str | None = None,
    ) -> Answer:
        for event in self.ask_stream(question, k=k, articles=articles, generator=generator):
            if isinstance(event, Answer):
                return event
        raise RuntimeError("the pipeline produced no answer")  # pragma: no cover

    def _finish(
        self,
        question: str,
        raw: str,
        draft: Draft,
        passages: list[Passage],
        generator: str,
        started: float,
        scored: Sequence[ScoredSentence] = (),
    ) -> Answer:
        text, citations = renumber(raw, passages)
        if draft.declined or not citations:
            return self._refusal(question, passages, generator, started, None, draft)
        citations = attach_quotes(text, citations)
        unsupported = unsupported_sentences(text, citations)
        if unsupported and len(unsupported) == len(split_sentences(text)) and scored:
            # Nothing the generator wrote is backed by its sources: quote them instead.
            note = f"no sentence of the {generator} answer is supported by its sources"
            fallback = self._extractive_draft(question, passages, scored, [*draft.notes, note])
            fallback.usage = draft.usage
            return self._finish(question, fallback.text, fallback, passages, "extractive", started)
        return Answer(
            question=question,
            text=text,
            supported=True,
            citations=citations,
            passages=passages,
            generator=generator,
            unsupported_sentences=unsupported,
            usage=draft.usage,
            notes=draft.notes,
            seconds=round(time.perf_counter() - started, 3),
        )

    def _extractive_draft(
        self,
        question: str,
        passages: list[Passage],
        scored: Sequence[ScoredSentence],
        notes: list[str],
    ) -> Draft:
        """The fallback when an LLM fails: quote the sources, and say why in the notes."""
        draft = self.generator("extractive").generate(question, passages, scored)
        draft.notes = [*notes[:-1], f"{notes[-1]}; extractive answer instead"]
        return draft

    def _refusal(
        self,
        question: str,
        passages: list[Passage],
        generator: str,
        started: float,
        support: float | None,
        draft: Draft | None = None,
    ) -> Answer:
        notes = list(draft.notes) if draft else []
        if support is not None:
            notes.append(f"answerability {support:.2f} < {self.settings.min_support:.2f}")
        return Answer(
            question=question,
            text=REFUSAL,
            supported=False,
            citations=[],
            passages=passages,
            generator=generator,
            usage=draft.usage if draft else {},
            notes=notes,
            seconds=round(time.perf_counter() - started, 3),
        )


_pipelines: dict[str, Pipeline] = {}
_pipelines_lock = threading.Lock()


def get_pipeline(settings: Settings | None = None) -> Pipeline:
    """One pipeline per distinct settings, shared by every caller in the process."""
    settings = settings or get_settings()
    key = settings.model_dump_json()
    with _pipelines_lock:
        if key not in _pipelines:
            _pipelines[key] = Pipeline(settings)
        return _pipelines[key]


def ask(
    question: str,
    *,
    k: int | None = None,
    articles: Sequence[str] | None = None,
    generator: str | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer a question from the articles, with [n] markers resolving to `citations`.

    Builds the index from the seeds folder on first use if none exists. Raises
    ValueError for an empty or over-long question or an unknown article id.
    """
    return get_pipeline(settings).ask(question, k=k, articles=articles, generator=generator)


def ask_stream(
    question: str,
    *,
    k: int | None = None,
    articles: Sequence[str] | None = None,
    generator: str | None = None,
    settings: Settings | None = None,
) -> Iterator[str | Answer]:
    """Like `ask`, yielding text deltas first and the complete `Answer` last."""
    return get_pipeline(settings).ask_stream(question, k=k, articles=articles, generator=generator)


def retrieve(
    question: str,
    k: int = 5,
    *,
    articles: Sequence[str] | None = None,
    mode: Mode = "hybrid",
    settings: Settings | None = None,
) -> list[Passage]:
    """The k most relevant paragraphs, best first (mode: hybrid, dense or bm25)."""
    return get_pipeline(settings).retrieve(question, k, articles=articles, mode=mode)
