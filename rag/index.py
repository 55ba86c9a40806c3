"""Atomic, incremental ingest into the store, and loading the active generation.

Each ingest that changes something writes a *new generation* (rag/store.py):
unchanged articles are copied into it with their vectors (not re-embedded),
changed or new ones are embedded in length-sorted windows, and only when it is
complete does the pointer switch to it. A failure or Ctrl-C part-way drops the
partial generation and leaves the previous one serving. The stages:
plan -> copy unchanged -> embed windows -> activate.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rag.chunking import (
    CHUNKER_VERSION,
    chunk_article,
    paragraph_key,
    stored_metadata,
)
from rag.config import Settings
from rag.corpus import Article, iter_articles
from rag.embeddings import Embedder, embed_by_length, embedding_id
from rag.errors import CorpusError, IndexUnavailable
from rag.lexical import build_lexical, load_bm25
from rag.readers import SUPPORTED_SUFFIXES
from rag.store import ChromaStore, Generation, Store, open_for_ingest, records
from rag.store_lock import writer_lock

if TYPE_CHECKING:
    from llama_index.core.schema import TextNode

    from rag.chunking import StoredChunk
    from rag.lexical import Lexical

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexInfo:
    collection: str
    embedding: str
    dimension: int
    chunking: str  # chunker version and token budget
    articles: dict[str, str]  # article id -> content hash
    titles: dict[str, str]
    built_at: float


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    texts_embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0  # inside the embedding model
    bm25_seconds: float = 0.0  # building and saving the BM25 index
    collection: str = ""
    where: str = ""  # for messages: the index folder, or the collection on a server

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.texts_embedded} chunks embedded "
            f"in {self.seconds:.1f}s"
        )


def read_info(collection: Generation) -> IndexInfo:
    meta = collection.metadata or {}
    try:
        return IndexInfo(
            collection=collection.name,
            embedding=str(meta["rag_embedding"]),
            dimension=int(meta["rag_dimension"]),
            chunking=str(meta["rag_chunking"]),
            articles=json.loads(str(meta["rag_articles"])),
            titles=json.loads(str(meta.get("rag_titles", "{}"))),
            built_at=float(meta["rag_built_at"]),
        )
    except (KeyError, ValueError) as exc:
        raise IndexUnavailable(
            f"collection {collection.name!r} was not built by `rag ingest` or is damaged "
            f"({exc}); run `rag ingest --rebuild`"
        ) from exc


def active_info(store: Store) -> IndexInfo | None:
    name = store.active()
    return None if name is None else read_info(store.get(name))


def check_compatible(info: IndexInfo, settings: Settings) -> None:
    """Refuse to mix vectors from two models in one search."""
    if info.embedding != embedding_id(settings):
        raise IndexUnavailable(
            f"the index was built with embeddings {info.embedding!r} but the settings ask for "
            f"{embedding_id(settings)!r}; run `rag ingest --rebuild` to re-embed, or set "
            "RAG_EMBED_PROVIDER/RAG_EMBED_MODEL back"
        )


def chunking_id(settings: Settings) -> str:
    """The chunker version and token budget an index records (a change re-chunks it)."""
    return f"v{CHUNKER_VERSION}:{settings.chunk_tokens}"


# --- ingest ---------------------------------------------------------------------------
@dataclass
class _Build:
    """One generation being written: the stages add to it, activate publishes it."""

    store: Store
    collection: Generation
    embed_model: Any  # an Embedder, or a factory called on first use
    renew: Callable[[], None]
    report: IngestReport
    dimension: int = 0
    pending: list[tuple[Article, str, list[TextNode]]] = field(default_factory=list)
    on_article: Callable[[Article, str], None] | None = None

    def model(self) -> Embedder:
        if not hasattr(self.embed_model, "get_text_embedding_batch"):  # the factory
            self.embed_model = self.embed_model()
        return self.embed_model

    def copy_unchanged(self, article: Article, old: Generation) -> None:
        for page in records(old, {"article_id": article.id}):
            self.collection.add(**page)
        self.renew()
        self.report.unchanged.append(article.id)
        if self.on_article:
            self.on_article(article, "unchanged")

    def embed_window(self) -> None:
        """Embed everything pending in one length-sorted run (one run over many articles
        pads far less than one per article; the window keeps memory bounded)."""
        nodes = [node for _, _, article_nodes in self.pending for node in article_nodes]
        if nodes:
            texts = [n.get_content(metadata_mode="embed") for n in nodes]  # type: ignore[arg-type]
            model = self.model()
            started = time.perf_counter()
            vectors = embed_by_length(model, texts)
            self.report.embed_seconds += time.perf_counter() - started
            self.collection.add(
                ids=[n.node_id for n in nodes],
                embeddings=vectors,
                # No documents: a paragraph's text is in its metadata (why: TEXT_KEY), and a
                # sentence's is its paragraph's between two offsets, not stored twice.
                metadatas=[stored_metadata(n) for n in nodes],  # type: ignore[misc]
            )
            self.dimension = len(vectors[0])
            self.renew()
        self.report.texts_embedded += len(nodes)
        for article, status, _ in self.pending:
            (self.report.updated if status == "updated" else self.report.added).append(article.id)
            if self.on_article:
                self.on_article(article, status)
        self.pending.clear()


def ingest(
    settings: Settings,
    embed_model: Any,
    *,
    rebuild: bool = False,
    wait: bool = False,
    on_article: Callable[[Article, str], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Bring the index in line with the seeds folder; see the module docstring.

    `embed_model` may be a factory: it is then called only if something needs embedding,
    so an ingest with nothing changed never loads the model. Only one ingest writes to
    an index at a time: another one waits (`wait=True`) or raises IndexBusy.
    """
    started = time.perf_counter()
    with writer_lock(settings, wait=wait, on_wait=on_wait):  # before a rebuild moves files
        store = open_for_ingest(settings, rebuild=rebuild)
        with store.lease(wait=wait, on_wait=on_wait) as renew:
            report = _ingest_locked(settings, store, embed_model, rebuild, renew, on_article)
            store.sweep()  # superseded generations, partial ones of killed runs, orphans
    report.where = store.where(report.collection)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_locked(
    settings: Settings,
    store: Store,
    embed_model: Any,
    rebuild: bool,
    renew: Callable[[], None],
    on_article: Callable[[Article, str], None] | None,
) -> IngestReport:
    # Plan: what the active generation holds, and which articles changed.
    old_name, old, old_info = _active_generation(store)
    if old_info is not None and not rebuild:
        check_compatible(old_info, settings)
    if old_info is not None and old_info.chunking != chunking_id(settings):
        rebuild = True  # chunk boundaries changed: every article must be re-chunked
    previous = {} if (rebuild or old_info is None) else old_info.articles
    articles = list(iter_articles(settings.seeds_dir))
    if not articles:
        raise IndexUnavailable(
            f"{settings.seeds_dir}: no articles to index "
            f"(looked for {', '.join(SUPPORTED_SUFFIXES)} files)"
        )
    report = IngestReport(removed=sorted(set(previous) - {a.id for a in articles}))
    unchanged = all(previous.get(a.id) == a.fingerprint for a in articles)
    if old_info is not None and not rebuild and not report.removed and unchanged:
        report.unchanged = [a.id for a in articles]  # nothing to write: no new generation
        report.collection = old_info.collection
        for article in articles:
            if on_article:
                on_article(article, "unchanged")
        return report

    new_name = store.new_name()
    build = _Build(store, store.create(new_name), embed_model, renew, report, on_article=on_article)
    build.dimension = old_info.dimension if old_info else 0
    try:
        for article in articles:
            if old is not None and previous.get(article.id) == article.fingerprint:
                build.copy_unchanged(article, old)
                continue
            status = "updated" if article.id in previous else "added"
            build.pending.append((article, status, chunk_article(article, settings.chunk_tokens)))
            if sum(len(nodes) for _, _, nodes in build.pending) >= settings.embed_window:
                build.embed_window()
        build.embed_window()
        _activate(settings, store, build, {a.id: a for a in articles}, old_name)
    except Exception as exc:
        store.drop(new_name)
        if isinstance(exc, CorpusError | IndexUnavailable):
            raise
        raise IndexUnavailable(
            f"ingest into {store.address} failed ({type(exc).__name__}: {exc}); "
            "the previous index is unchanged"
        ) from exc
    except BaseException:  # Ctrl-C or SystemExit part-way: leave no partial generation
        store.drop(new_name)
        raise
    return report


def _active_generation(store: Store) -> tuple[str | None, Generation | None, IndexInfo | None]:
    """The generation to build on. One that is missing or unreadable (a damaged store, a
    pointer left by an interrupted run) is built anew from the seeds, never fatal."""
    name = store.active()
    if name is None:
        return None, None, None
    try:
        old = store.get(name)
        return name, old, read_info(old)
    except IndexUnavailable as exc:
        log.warning("%s; building a new index from the seeds", exc)
        return None, None, None


def _activate(
    settings: Settings,
    store: Store,
    build: _Build,
    articles: dict[str, Article],
    old_name: str | None,
) -> None:
    build.collection.modify(
        metadata={
            "rag_embedding": embedding_id(settings),
            "rag_dimension": build.dimension,
            "rag_chunking": chunking_id(settings),
            "rag_articles": json.dumps({i: a.fingerprint for i, a in articles.items()}),
            "rag_titles": json.dumps({i: a.title for i, a in articles.items()}),
            "rag_built_at": time.time(),
        }
    )
    started = time.perf_counter()
    try:  # before the switch, so the first question after ingest need not build it
        build_lexical(settings, build.collection, keep={old_name} if old_name else set())
    except Exception as exc:  # only a cache: the first load will try again
        log.warning("BM25 was not saved after ingest: %s", exc)
    build.report.bm25_seconds = time.perf_counter() - started
    store.switch(build.collection.name, previous=old_name)
    build.report.collection = build.collection.name
    try:  # probed now, so the first question need not wait
        store.verify(build.collection.name)
    except IndexUnavailable as exc:  # the next load says so, with the fix
        log.warning("%s", exc)


# --- loading --------------------------------------------------------------------------
@dataclass
class LoadedIndex:
    """The active generation, opened once per process by the pipeline."""

    collection: Generation
    info: IndexInfo
    nodes: list[StoredChunk]  # whole paragraphs (no sentence records)
    bm25: Lexical
    address: str = ""
    hint: str = "run `rag ingest --rebuild`"  # what to do when a search fails
    _texts: dict[tuple[str, str, int], str] = field(default_factory=dict, repr=False)
    _meta: dict[tuple[str, str, int], dict[str, Any]] = field(default_factory=dict, repr=False)
    keys: list[tuple[str, str, int]] = field(default_factory=list, repr=False)  # each node's

    def __post_init__(self) -> None:
        self.keys = [paragraph_key(node.node_id) for node in self.nodes]
        for node, key in zip(self.nodes, self.keys, strict=True):
            m = node.metadata  # part 0 carries a split paragraph's full text
            if "paragraph_text" in m or key not in self._texts:
                self._texts[key] = str(m.get("paragraph_text") or node.get_content())
            self._meta.setdefault(key, m)

    def paragraph_metadata(self, key: tuple[str, str, int]) -> dict[str, Any]:
        """Title, section and the rest, from the paragraph's own record (a sentence
        record stores only where it sits)."""
        return self._meta.get(key, {})

    def paragraph_texts(self) -> list[str]:
        """Every paragraph's whole text, once (a split paragraph's parts joined back)."""
        return list(self._texts.values())

    def paragraph_text(self, key: tuple[str, str, int]) -> str:
        return self._texts.get(key, "")

    def stored_vectors(self, ids: Sequence[str]) -> dict[str, Any]:
        """Stored sentence records' vectors by id; ids with no record (one-sentence
        paragraphs) are left out. None from an index of another chunker version: its
        sentences may be split or numbered otherwise, or their vectors carry a title."""
        if not ids or not self.info.chunking.startswith(f"v{CHUNKER_VERSION}:"):
            return {}
        got = self.collection.get(ids=list(ids), include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"], strict=True))

    def query(
        self, embedding: list[float], k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[tuple[str, str, int], float]]:
        """Nearest chunks by cosine similarity (higher is closer), as the paragraph each
        belongs to: read from the record's id, as fetching metadata cost 4x the search."""
        try:
            got = self.collection.query(
                query_embeddings=[embedding],
                n_results=max(1, k),
                where=where,
                include=["distances"],
            )
        except Exception as exc:
            raise IndexUnavailable(
                f"the Chroma index at {self.address} failed to answer a search "
                f"({type(exc).__name__}: {exc}); {self.hint}"
            ) from exc
        return [
            (paragraph_key(node_id), 1.0 - float(distance))
            for node_id, distance in zip(got["ids"][0], got["distances"][0], strict=True)
        ]


def load_index(settings: Settings, store: Store | None = None) -> LoadedIndex | None:
    """The active index, or None when nothing has been ingested yet."""
    from rag.lexical import corpus_nodes

    store = store or ChromaStore(settings)
    info = active_info(store)
    if info is None:
        return None
    check_compatible(info, settings)
    if info.chunking != chunking_id(settings):  # served as is until the next ingest
        log.warning("the index was chunked as %s; run `rag ingest` to re-chunk it", info.chunking)
    collection = store.get(info.collection)
    store.verify(info.collection)  # before this process's first search, not after
    bm25 = load_bm25(settings, info.collection) or build_lexical(settings, collection)
    return LoadedIndex(
        collection=collection,
        info=info,
        nodes=corpus_nodes(bm25),
        bm25=bm25,
        address=store.address,
        hint=store.hint,
    )
