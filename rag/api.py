"""The public API (`ask`, `ask_stream`, `retrieve`) over one shared pipeline: the CLI, UI
and eval all go through `Pipeline`; the index and models load once per process."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, get_args

import rag.metadata as metadata
from rag.annotations import Annotations
from rag.answers import Assembly, metadata_answer, with_notes
from rag.catalog_parts import catalog_parts, metadata_parts
from rag.citations import StreamRenumberer
from rag.config import Settings, get_settings
from rag.embeddings import Embedder, build_embed_model
from rag.errors import GeneratorUnavailable, IndexUnavailable
from rag.evidence import Evidence, EvidenceScorer
from rag.generation import Draft, Generator, build_generator, redact
from rag.index import IngestReport, LoadedIndex, ingest, load_index
from rag.mentions import asks_mentions, mention_answer
from rag.metadata import ArticleCard, cards_from_nodes, passages_from_nodes
from rag.nlp import EntityCache
from rag.parts import answer_parts, assess_parts, retrieve_parts
from rag.retrieval import HybridRetriever, Mode
from rag.schema import Answer, Passage
from rag.sources import Sources
from rag.store import ChromaStore
from rag.validation import validate_arguments, validate_question

if TYPE_CHECKING:
    from rag.corpus import Article

log = logging.getLogger(__name__)

# How stale a loaded pipeline's view of the active generation may get: at most this often a
# question reads the pointer and follows another process's ingest to it (see rag/store.py).
GENERATION_CHECK_SECONDS = 1.0


class Pipeline:
    """Everything `ask` needs, built lazily and once (an index switch reloads it)."""

    def __init__(
        self, settings: Settings | None = None, *, embed_model: Embedder | None = None
    ) -> None:
        self.settings = settings or get_settings()
        self._lock = threading.RLock()
        self._embed_model = embed_model  # tests and benchmarks may share one loaded model
        self._store: ChromaStore | None = None
        self._checked = 0.0
        self._index: LoadedIndex | None = None
        self._retriever: HybridRetriever | None = None
        self._scorer: EvidenceScorer | None = None
        self.annotations = Annotations(self.settings, lambda: self.embed_model)
        self._generators: dict[str, Generator] = {}

    # --- lazily built parts ------------------------------------------------------
    @property
    def embed_model(self) -> Embedder:
        with self._lock:
            if self._embed_model is None:
                self._embed_model = build_embed_model(self.settings)
            return self._embed_model

    def ingest(self, *, rebuild: bool = False, wait: bool = False, **kw: object) -> IngestReport:
        """Bring the index in line with the seeds (see `rag.index.ingest`); with `wait`,
        wait for another process's ingest to finish instead of raising IndexBusy."""
        with self._lock:
            model = lambda: self.embed_model  # noqa: E731 - loaded only if something changed
            report = ingest(self.settings, model, rebuild=rebuild, wait=wait, **kw)  # type: ignore[arg-type]
            self._unload()
            if rebuild:
                self._store = None  # a damaged store may have been moved aside
            # Each paragraph's entities and words' vectors, worked out once (rag.annotations)
            self.annotations.refresh(self.index.paragraph_texts(), report.changed or rebuild)
            return report

    @property
    def entities(self) -> EntityCache:
        return self.annotations.entities

    @property
    def store(self) -> ChromaStore:
        with self._lock:
            if self._store is None:
                self._store = ChromaStore(self.settings)
            return self._store

    def _unload(self) -> None:
        self._index = self._retriever = self._scorer = None  # reload on next use

    def _follow_active(self, *, now: bool = False) -> bool:
        """Switch to the active generation if another process's ingest moved it;
        True when it did. Checks at most every GENERATION_CHECK_SECONDS unless `now`."""
        with self._lock:
            if self._index is None:
                return False
            if not now and time.monotonic() - self._checked < GENERATION_CHECK_SECONDS:
                return False
            self._checked = time.monotonic()
            try:
                active = self.store.active()
            except Exception:  # the search itself will report an unreachable store
                log.debug("could not read the active generation", exc_info=True)
                return False
            if active == self._index.info.collection:
                return False
            log.info("the index moved to generation %s; switching to it", active)
            self._unload()
            return True

    @property
    def index(self) -> LoadedIndex:
        with self._lock:
            if self._index is None:
                loaded = load_index(self.settings, self.store)
                if loaded is None:
                    log.info("no index yet: building it from %s", self.settings.seeds_dir)
                    self.ingest(wait=True)  # another process may be building it right now
                    loaded = load_index(self.settings, self.store)
                if loaded is None:  # pragma: no cover - ingest always activates an index
                    raise IndexUnavailable("the index could not be built")
                self._index = loaded
                self._checked = time.monotonic()
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
                    sources=Sources(self.article_cards().values()),  # names, not texts
                )
            return self._retriever

    @property
    def scorer(self) -> EvidenceScorer:
        with self._lock:
            if self._scorer is None:
                i, named = self.index, metadata.sources_from_nodes(self.index.nodes)
                self._scorer = EvidenceScorer(  # the gate reuses the index's sentence vectors
                    self.embed_model,
                    i.paragraph_texts(),
                    self.entities,
                    i.stored_vectors,
                    named,
                    kin=self.annotations.kin,
                )
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

    def article_cards(self) -> dict[str, ArticleCard]:
        """What each indexed article's catalog entry and header say (title, author, outlet)."""
        return cards_from_nodes(self.index.nodes)

    def paragraphs(self) -> list[Passage]:
        """Every indexed paragraph, in article order (score 0: nothing was asked)."""
        return passages_from_nodes(self.index.nodes)

    def articles(self) -> list[Article]:
        """Every indexed article, whole, for reading: what `ask` knows now, not the seeds."""
        self._follow_active()
        return metadata.articles_from_index(self.index)

    def seed_problems(self) -> list[str]:
        """Seed files an ingest would reject, one message each; the index serves on."""
        return metadata.seed_problems(self.settings.seeds_dir)

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
        validate_arguments(k, articles)
        if mode not in get_args(Mode):
            raise ValueError(f"mode must be one of {', '.join(get_args(Mode))}, not {mode!r}")
        if articles:
            unknown = sorted(set(articles) - set(self.article_titles))
            if unknown:
                raise ValueError(
                    f"unknown article id(s) {', '.join(unknown)}; "
                    f"known: {', '.join(sorted(self.article_titles))}"
                )
        self._follow_active()
        try:
            return self.retriever.retrieve(
                question, k or self.settings.top_k, articles=articles, mode=mode
            )
        except IndexUnavailable:
            if not self._follow_active(now=True):  # not a dropped generation: a real failure
                raise
            return self.retriever.retrieve(
                question, k or self.settings.top_k, articles=articles, mode=mode
            )

    def assess(self, question: str, passages: Sequence[Passage]) -> Evidence:
        """The verdict every generator is gated by (`rag.evidence`; `rag.parts`)."""
        return assess_parts(question, passages, self.scorer.assess, self.settings.min_support)

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
        validate_arguments(k, articles)  # before the index loads: bad input costs nothing
        self.generator(generator)  # an unknown or unconfigured generator fails before retrieval
        question, read = self.scorer.spellings.respell(question)  # "Muneer": "Munir"
        passages = retrieve_parts(question, partial(self.retrieve, articles=articles), k)
        answering = self.answer_stream(question, passages, generator=generator, started=started)
        yield from with_notes(answering, read)

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        articles: Sequence[str] | None = None,
        generator: str | None = None,
    ) -> Answer:
        return _last(self.ask_stream(question, k=k, articles=articles, generator=generator))

    def answer_from(
        self,
        question: str,
        passages: list[Passage],
        *,
        gate: bool = True,
        generator: str | None = None,
    ) -> Answer:
        """Answer from given passages (another retriever's, for the eval baselines); with
        `gate=False` the generator always tries: no catalog, no refusal gate."""
        return _last(self.answer_stream(question, passages, gate=gate, generator=generator))

    def answer_stream(
        self,
        question: str,
        passages: list[Passage],
        *,
        gate: bool = True,
        generator: str | None = None,
        started: float | None = None,
    ) -> Iterator[str | Answer]:
        gen = self.generator(generator)
        evidence = self.assess(question, passages)
        log.debug("answerability %.3f for %r", evidence.support, question)
        built = Assembly(
            question, passages, evidence, self.generator("extractive"), self.settings.min_support
        )
        built.started = started or built.started
        settled = self._metadata(built) if gate else None
        if gate and settled is None and evidence.support < self.settings.min_support:
            settled = built.refusal(gen.name)
        if settled is not None:
            yield settled.text
            yield settled
            return

        renumberer = StreamRenumberer(len(passages))
        raw: list[str] = []
        shown: list[str] = []
        draft: Draft | None = None
        name = gen.name
        try:
            for delta in answer_parts(gen, question, passages, evidence, built.min_support):
                if isinstance(delta, Draft):  # generators may end a stream with usage/notes
                    draft = delta
                    continue
                raw.append(delta)
                if out := renumberer.feed(delta):
                    shown.append(out)
                    yield out
        except GeneratorUnavailable as exc:
            # Never leave a reader without an answer: fall back to quoting the sources.
            reason = redact(str(exc), None)  # never a credential from OPENAI_BASE_URL
            log.warning("generator %s failed (%s); answering extractively", gen.name, reason)
            draft = built.extractive_draft([f"{gen.name} generator unavailable ({reason})"])
            raw, name = [draft.text], "extractive"
            renumberer = StreamRenumberer(len(passages))
            out = ("\n\n" if shown else "") + renumberer.feed(draft.text)
            shown.append(out)
            yield out
        if tail := renumberer.flush():
            shown.append(tail)
            yield tail
        answer = built.finish("".join(raw), draft or Draft(""), name)
        streamed = "".join(shown).strip()
        if answer.text != streamed:  # a refusal, or quotes replacing the model's reply
            yield ("\n\n" if streamed else "") + answer.text
        yield answer

    def _metadata(self, built: Assembly) -> Answer | None:
        """From the catalog and header, or every paragraph (`rag.mentions`)."""
        ask, frame = built.evidence.frame.metadata, built.evidence.frame
        if ask is None or any(e.text in built.evidence.never_mentioned for e in frame.sources):
            return None  # not about the articles, or "the BBC article": none of ours
        if ask in ("which_article", "article_count"):  # which mention X; else the gate's
            cards = self.article_cards() if asks_mentions(frame) else {}
            found = mention_answer(frame, cards, self.paragraphs()) if cards else None
        else:
            cards, texts, idf = self.article_cards(), self.paragraphs(), self.scorer.idf
            found = catalog_parts(ask, built, cards, texts, idf)  # "…, and who wrote it?" too
        if found is None:
            return None
        found = metadata_parts(found, built, self.scorer.assess)  # "…, and where does she work?"
        return metadata_answer(built.question, found, built.passages, built.started)


def _last(events: Iterator[str | Answer]) -> Answer:
    for event in events:
        if isinstance(event, Answer):
            return event
    raise RuntimeError("the pipeline produced no answer")  # pragma: no cover


_pipelines: dict[str, Pipeline] = {}
_pipelines_lock = threading.Lock()


def get_pipeline(
    settings: Settings | None = None, *, embed_model: Embedder | None = None
) -> Pipeline:
    """One shared pipeline per distinct settings (`embed_model` is used only to create it)."""
    settings = settings or get_settings()
    key = settings.model_dump_json()
    with _pipelines_lock:
        if key not in _pipelines:
            _pipelines[key] = Pipeline(settings, embed_model=embed_model)
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
