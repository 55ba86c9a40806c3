"""The Chroma index: atomic, incremental ingest and loading for retrieval.

Each ingest writes a *new generation*: a fresh collection into which unchanged
articles are copied (their vectors reused, not re-embedded) and changed or new
ones are embedded. Only when it is complete does a one-record upsert in a small
pointer collection make it active. A failure or Ctrl-C part-way deletes the
partial generation and leaves the previous one serving, in the embedded store
and on a Chroma server alike.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode, TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.retrievers.bm25 import BM25Retriever
from llama_index.vector_stores.chroma import ChromaVectorStore

from rag.chunking import CHUNKER_VERSION, chunk_article
from rag.config import Settings
from rag.corpus import Article, iter_articles
from rag.embeddings import embedding_id
from rag.errors import CorpusError, IndexUnavailable
from rag.lexical import build_bm25, corpus_nodes, drop_stale_bm25, load_bm25, save_bm25
from rag.readers import SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)

_POINTER_ID = "active"
_PAGE = 1000


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
    chunks_embedded: int = 0
    seconds: float = 0.0
    collection: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.chunks_embedded} chunks embedded "
            f"in {self.seconds:.1f}s"
        )


def store_address(settings: Settings) -> str:
    if settings.store == "server":
        scheme = "https" if settings.chroma_ssl else "http"
        return f"{scheme}://{settings.chroma_host}:{settings.chroma_port}"
    return str(settings.index_dir)


def open_client(settings: Settings) -> ClientAPI:
    """A Chroma client for the configured store; errors name the address and the fix."""
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.store == "server":
            headers = {}
            if settings.chroma_token is not None:
                headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
            # chromadb's HttpClient waits forever on a server that accepts but never
            # answers; a bounded heartbeat first turns that into a clear error.
            import httpx

            httpx.get(
                f"{store_address(settings)}/api/v2/heartbeat",
                headers=headers,
                timeout=settings.chroma_timeout,
            ).raise_for_status()
            client = chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                ssl=settings.chroma_ssl,
                headers=headers,
                settings=chroma_settings,
            )
            # ... and every later request is bounded too, so a server that stalls
            # mid-search fails with an error instead of hanging the app.
            session = getattr(getattr(client, "_server", None), "_session", None)
            if isinstance(session, httpx.Client):
                session.timeout = httpx.Timeout(
                    settings.chroma_request_timeout, connect=settings.chroma_timeout
                )
            client.heartbeat()
            return client
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
        client.list_collections()  # Chroma opens lazily: read now so corruption shows here
        return client
    except Exception as exc:
        where = store_address(settings)
        hint = (
            "is the server running? (chroma run --path DIR --port N)"
            if settings.store == "server"
            else embedded_hint(settings.index_dir, _unwritable(settings.index_dir))
        )
        raise IndexUnavailable(f"cannot open the Chroma index at {where}: {exc}; {hint}") from exc


def _unwritable(index_dir: Path) -> Path | None:
    """The first of the index folder (or, before it exists, its nearest existing parent)
    that this process cannot write to; None when writing is possible."""
    folder = index_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    candidates = [folder]
    if folder == index_dir:
        candidates += sorted(index_dir.glob("*.sqlite3"))
    for path in candidates:
        if not os.access(path, os.W_OK | (os.X_OK if path.is_dir() else 0)):
            return path
    return None


def embedded_hint(index_dir: Path, unwritable: Path | None) -> str:
    """What to do when the embedded index can't be opened: a permission problem is not
    corruption, and `--rebuild` could not fix it."""
    if unwritable is not None:
        return (
            f"{unwritable} is not writable: make it writable "
            f"(e.g. chmod u+w {unwritable}) or set RAG_DATA_DIR to a writable folder"
        )
    return "it may be corrupt: run `rag ingest --rebuild`"


def _pointer(client: ClientAPI, settings: Settings) -> Collection:
    return client.get_or_create_collection(
        f"{settings.collection}_pointer", embedding_function=None
    )


def active_collection_name(client: ClientAPI, settings: Settings) -> str | None:
    got = _pointer(client, settings).get(ids=[_POINTER_ID], include=["metadatas"])
    metadatas = got.get("metadatas") or []
    return str(metadatas[0]["collection"]) if metadatas and metadatas[0] else None


def read_info(collection: Collection) -> IndexInfo:
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


def active_info(client: ClientAPI, settings: Settings) -> IndexInfo | None:
    name = active_collection_name(client, settings)
    if name is None:
        return None
    try:
        collection = client.get_collection(name, embedding_function=None)
    except Exception as exc:
        raise IndexUnavailable(
            f"the active index {name!r} is missing from {store_address(settings)}; "
            "run `rag ingest --rebuild`"
        ) from exc
    return read_info(collection)


def check_compatible(info: IndexInfo, settings: Settings) -> None:
    """Refuse to mix vectors from two models in one search."""
    if info.embedding != embedding_id(settings):
        raise IndexUnavailable(
            f"the index was built with embeddings {info.embedding!r} but the settings ask for "
            f"{embedding_id(settings)!r}; run `rag ingest --rebuild` to re-embed, or set "
            "RAG_EMBED_PROVIDER/RAG_EMBED_MODEL back"
        )


def _records(
    collection: Collection,
    where: dict[str, Any] | None = None,
    fields: tuple[str, ...] = ("embeddings", "documents", "metadatas"),
) -> Iterator[dict[str, Any]]:
    """Page through a collection so a large index is never loaded at once."""
    offset = 0
    while True:
        got = collection.get(
            where=where,  # type: ignore[arg-type]
            include=list(fields),  # type: ignore[arg-type]
            limit=_PAGE,
            offset=offset,
        )
        if not got["ids"]:
            return
        yield {"ids": got["ids"], **{k: got[k] for k in fields}}  # type: ignore[literal-required]
        offset += len(got["ids"])


def ingest(
    settings: Settings,
    embed_model: BaseEmbedding | Callable[[], BaseEmbedding],
    *,
    rebuild: bool = False,
    on_article: Callable[[Article, str], None] | None = None,
) -> IngestReport:
    """Bring the index in line with the seeds folder; see the module docstring.

    `embed_model` may be a factory: it is then called only if something needs embedding,
    so an ingest with nothing changed never loads the model.
    """
    started = time.perf_counter()
    client = _client_for_ingest(settings, rebuild)
    old_name = active_collection_name(client, settings)
    old = client.get_collection(old_name, embedding_function=None) if old_name else None
    old_info = read_info(old) if old is not None else None
    if old_info is not None and not rebuild:
        check_compatible(old_info, settings)
    if old_info is not None and old_info.chunking != _chunking(settings):
        rebuild = True  # chunk boundaries changed: every article must be re-chunked
    previous = {} if (rebuild or old_info is None) else old_info.articles

    report = IngestReport()
    new_name = f"{settings.collection}_{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"
    new = client.create_collection(
        new_name, metadata={"hnsw:space": "cosine"}, embedding_function=None
    )
    store = ChromaVectorStore(chroma_collection=new)
    hashes: dict[str, str] = {}
    titles: dict[str, str] = {}
    dimension = old_info.dimension if old_info else 0
    switched: Collection | None = None
    # Changed articles wait here until a window of texts is full, then are embedded
    # together: one length-sorted run over many articles pads far less than one per
    # article, and the window keeps memory bounded on a large folder.
    pending: list[tuple[Article, str, list[TextNode]]] = []

    def flush() -> None:
        nonlocal dimension
        nodes = [node for _, _, article_nodes in pending for node in article_nodes]
        if nodes:
            texts = [n.get_content(metadata_mode="embed") for n in nodes]  # type: ignore[arg-type]
            model = embed_model if isinstance(embed_model, BaseEmbedding) else embed_model()
            vectors = _embed_by_length(model, texts)
            for node, vector in zip(nodes, vectors, strict=True):
                node.embedding = vector
            store.add(list[BaseNode](nodes))
            dimension = len(vectors[0])
        report.chunks_embedded += len(nodes)
        for article, status, _ in pending:
            (report.updated if status == "updated" else report.added).append(article.id)
            if on_article:
                on_article(article, status)
        pending.clear()

    try:
        for article in iter_articles(settings.seeds_dir):
            hashes[article.id], titles[article.id] = article.content_hash, article.title
            if previous.get(article.id) == article.content_hash and old is not None:
                for page in _records(old, {"article_id": article.id}):
                    new.add(**page)
                report.unchanged.append(article.id)
                if on_article:
                    on_article(article, "unchanged")
                continue
            status = "updated" if article.id in previous else "added"
            pending.append((article, status, chunk_article(article, settings.chunk_tokens)))
            if sum(len(nodes) for _, _, nodes in pending) >= settings.embed_window:
                flush()
        flush()
        report.removed = sorted(set(previous) - set(hashes))
        if not hashes:
            raise IndexUnavailable(
                f"{settings.seeds_dir}: no articles to index "
                f"(looked for {', '.join(SUPPORTED_SUFFIXES)} files)"
            )
        if old_info is not None and not rebuild and not report.changed:
            client.delete_collection(new_name)
            report.collection = old_info.collection
        else:
            new.modify(
                metadata={
                    "rag_embedding": embedding_id(settings),
                    "rag_dimension": dimension,
                    "rag_chunking": _chunking(settings),
                    "rag_articles": json.dumps(hashes),
                    "rag_titles": json.dumps(titles),
                    "rag_built_at": time.time(),
                }
            )
            # The switch: one record, written atomically by Chroma.
            _pointer(client, settings).upsert(
                ids=[_POINTER_ID],
                embeddings=[[1.0]],  # type: ignore[arg-type]  # Chroma needs a vector
                metadatas=[{"collection": new_name}],
            )
            report.collection = new_name
            switched = new
    except Exception as exc:
        _drop_quietly(client, new_name)
        if isinstance(exc, CorpusError | IndexUnavailable):
            raise
        raise IndexUnavailable(
            f"ingest into {store_address(settings)} failed ({type(exc).__name__}: {exc}); "
            "the previous index is unchanged"
        ) from exc
    except BaseException:  # Ctrl-C or SystemExit part-way: leave no partial generation
        _drop_quietly(client, new_name)
        raise
    _drop_stale(client, settings, keep=report.collection)
    if switched is not None:
        try:  # so the first question after ingest need not build it
            build_lexical(settings, switched)
        except Exception as exc:  # only a cache: the first load will try again
            log.warning("BM25 was not saved after ingest: %s", exc)
    report.seconds = time.perf_counter() - started
    return report


def _embed_by_length(embed_model: BaseEmbedding, texts: list[str]) -> list[list[float]]:
    """Embed shortest-first so each batch pads little (measured ~26% faster on
    paragraphs mixed with their sentences), then restore the original order."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = embed_model.get_text_embedding_batch([texts[i] for i in order])
    restored: list[list[float]] = [[] for _ in texts]
    for vector, i in zip(vectors, order, strict=True):
        restored[i] = vector
    return restored


def _chunking(settings: Settings) -> str:
    return f"v{CHUNKER_VERSION}:{settings.chunk_tokens}"


def _client_for_ingest(settings: Settings, rebuild: bool) -> ClientAPI:
    try:
        return open_client(settings)
    except IndexUnavailable:
        if not (rebuild and settings.store == "embedded" and settings.index_dir.exists()):
            raise
        if _unwritable(settings.index_dir) or not os.access(settings.index_dir.parent, os.W_OK):
            raise  # moving the files aside would fail too; the message says why
    # A rebuild of an unreadable embedded index starts afresh and keeps the old files aside.
    aside = settings.index_dir.with_name(f"{settings.index_dir.name}.broken-{int(time.time())}")
    shutil.move(str(settings.index_dir), aside)
    _forget_cached_client(str(settings.index_dir))
    log.warning("moved the unreadable index to %s and started a new one", aside)
    return open_client(settings)


def _forget_cached_client(path: str) -> None:
    """Chroma caches one client system per path; drop the one bound to the broken files."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(path, None)
    SharedSystemClient._identifier_to_refcount.pop(path, None)


def _drop_quietly(client: ClientAPI, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:  # the store may be the thing that failed; nothing more to do
        log.debug("could not delete partial collection %s", name, exc_info=True)


def _drop_stale(client: ClientAPI, settings: Settings, keep: str) -> None:
    """Delete superseded generations (and leftovers of interrupted runs)."""
    prefix = f"{settings.collection}_"
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name.startswith(prefix) and name not in (keep, f"{settings.collection}_pointer"):
            _drop_quietly(client, name)


@dataclass
class LoadedIndex:
    """The active generation, opened once per process by the pipeline."""

    collection: Collection
    info: IndexInfo
    nodes: list[TextNode]  # whole paragraphs (no sentence records)
    bm25: BM25Retriever
    address: str = ""

    def query(
        self, embedding: list[float], k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[TextNode, float]]:
        """Nearest chunks by cosine similarity (higher is closer)."""
        try:
            got = self.collection.query(
                query_embeddings=[embedding],  # type: ignore[arg-type]
                n_results=max(1, k),
                where=where,  # type: ignore[arg-type]
                include=["documents", "metadatas", "distances"],
            )
        except Exception as exc:
            raise IndexUnavailable(
                f"the Chroma index at {self.address} failed to answer a search "
                f"({type(exc).__name__}: {exc}); check that it is running and reachable"
            ) from exc
        results = []
        for text, meta, distance in zip(
            got["documents"][0],  # type: ignore[index]
            got["metadatas"][0],  # type: ignore[index]
            got["distances"][0],  # type: ignore[index]
            strict=True,
        ):
            node = metadata_dict_to_node(dict(meta), text=text)
            assert isinstance(node, TextNode)
            results.append((node, 1.0 - float(distance)))
        return results


def load_index(settings: Settings) -> LoadedIndex | None:
    """The active index, or None when nothing has been ingested yet."""
    client = open_client(settings)
    info = active_info(client, settings)
    if info is None:
        return None
    check_compatible(info, settings)
    collection = client.get_collection(info.collection, embedding_function=None)
    bm25 = load_bm25(settings, info.collection) or build_lexical(settings, collection)
    return LoadedIndex(
        collection=collection,
        info=info,
        nodes=corpus_nodes(bm25),
        bm25=bm25,
        address=store_address(settings),
    )


def build_lexical(settings: Settings, collection: Collection) -> BM25Retriever:
    """Build BM25 over a generation's paragraphs and save it beside the index."""
    started = time.perf_counter()
    nodes: list[TextNode] = []
    # BM25 and statistics work on whole paragraphs; sentence vectors serve dense search.
    for page in _records(collection, {"unit": "paragraph"}, fields=("documents", "metadatas")):
        for text, meta in zip(page["documents"], page["metadatas"], strict=True):
            nodes.append(metadata_dict_to_node(dict(meta), text=text))  # type: ignore[arg-type]
    bm25 = build_bm25(nodes)
    try:
        save_bm25(bm25, settings, collection.name)
        drop_stale_bm25(settings, keep=collection.name)
    except OSError as exc:  # a read-only data folder costs a rebuild per process, no more
        log.warning("could not save the BM25 index under %s: %s", settings.data_dir, exc)
    log.info("built BM25 over %d paragraphs in %.1fs", len(nodes), time.perf_counter() - started)
    return bm25
