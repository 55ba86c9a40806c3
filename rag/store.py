"""The store seam: the only module that knows embedded Chroma from a Chroma server.

An index is a series of *generations* (one Chroma collection per ingest) and a
one-record *pointer* naming the active one and the one it replaced. Ingest holds
the writer lock while it builds a generation, switches the pointer, and sweeps
what no reader can still need:

* Writers: one at a time per index. In the embedded store an OS lock on
  `<data_dir>/ingest.lock` (released by the kernel if the process dies); against a
  server a lease record beside the pointer, renewed while the ingest runs and
  ignored once it is `LEASE_SECONDS` old (a crashed writer).
* Readers: a loaded pipeline keeps using its generation until the pointer moves,
  then switches between questions. The superseded generation is kept until the
  *next* switch, so a reader that has not yet looked at the pointer still finds
  it; one that is two ingests behind reloads on its next question.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from rag.config import Settings
from rag.errors import IndexBusy, IndexUnavailable
from rag.store_files import (
    embedded_hint,
    move_aside,
    sqlite_problem,
    sweep_orphan_segments,
    unwritable,
)

log = logging.getLogger(__name__)

POINTER_ID = "active"
LEASE_ID = "lease"
PAGE = 1000  # records per read when paging through a generation: bounded memory
# A server lease not renewed for this long belongs to a writer that died; ingest
# renews it at least once per embedding window, which takes seconds, not minutes.
LEASE_SECONDS = 120.0
WAIT_POLL_SECONDS = 1.0  # how often a waiting ingest looks at the lock again
LOCK_FILE = "ingest.lock"  # in the data folder: one writer per folder, server or not


class Store(Protocol):
    """What ingest and loading need from a vector store; ChromaStore is the one we ship
    (embedded or server). Another backend implements these and nothing else changes."""

    address: str

    def active(self) -> str | None: ...  # the active generation's name
    def pointer(self) -> dict[str, str]: ...  # {"collection": active, "previous": ...}
    def new_name(self) -> str: ...
    def create(self, name: str) -> Any: ...  # a collection: add/get/query/modify
    def get(self, name: str) -> Any: ...
    def switch(self, name: str, previous: str | None) -> None: ...
    def drop(self, name: str) -> None: ...
    def generations(self) -> list[str]: ...
    def sweep(self) -> None: ...
    def writer(
        self, *, wait: bool, on_wait: Callable[[str], None] | None = None
    ) -> contextlib.AbstractContextManager[Callable[[], None]]: ...


def store_address(settings: Settings) -> str:
    if settings.store == "server":
        scheme = "https" if settings.chroma_ssl else "http"
        return f"{scheme}://{settings.chroma_host}:{settings.chroma_port}"
    return str(settings.index_dir)


class ChromaStore:
    """A Chroma client for the configured store, with generations, pointer and lock."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self.address = store_address(settings)
        self.client = client if client is not None else open_client(settings)
        self.prefix = f"{settings.collection}_"
        self._pointer_name = f"{settings.collection}_pointer"

    # --- generations ---------------------------------------------------------------
    def _pointer_collection(self) -> Any:
        return self.client.get_or_create_collection(self._pointer_name, embedding_function=None)

    def pointer(self) -> dict[str, str]:
        """{"collection": active, "previous": superseded} ({} before the first ingest)."""
        got = self._pointer_collection().get(ids=[POINTER_ID], include=["metadatas"])
        metadatas = got.get("metadatas") or []
        return {k: str(v) for k, v in (metadatas[0] or {}).items()} if metadatas else {}

    def active(self) -> str | None:
        return self.pointer().get("collection")

    def create(self, name: str) -> Any:
        # Searches that don't depend on how the graph came out: with Chroma's default
        # search breadth, the same question over the same index missed a different
        # borderline vector in different processes (the graph is rebuilt from Chroma's log
        # on open, by parallel inserts). One insert thread and a wider search (200 against
        # the default 100; queries ask for up to 120) made it repeatable; ingest is bound by
        # the embedding model, not by these inserts.
        return self.client.create_collection(
            name,
            configuration={"hnsw": {"space": "cosine", "num_threads": 1, "ef_search": 200}},
            embedding_function=None,
        )

    def get(self, name: str) -> Any:
        try:
            return self.client.get_collection(name, embedding_function=None)
        except Exception as exc:
            raise IndexUnavailable(
                f"the index generation {name!r} is missing from {self.address}; "
                "run `rag ingest --rebuild`"
            ) from exc

    def new_name(self) -> str:
        return f"{self.prefix}{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"

    def switch(self, name: str, previous: str | None) -> None:
        """Make `name` active: one record, written atomically by Chroma."""
        meta = {"collection": name, **({"previous": previous} if previous else {})}
        self._pointer_collection().upsert(
            ids=[POINTER_ID],
            embeddings=[[1.0]],  # Chroma needs a vector
            metadatas=[meta],
        )

    def drop(self, name: str) -> None:
        try:
            self.client.delete_collection(name)
        except Exception:  # the store may be the thing that failed; nothing more to do
            log.debug("could not delete collection %s", name, exc_info=True)

    def generations(self) -> list[str]:
        names = [c if isinstance(c, str) else c.name for c in self.client.list_collections()]
        return [n for n in names if n.startswith(self.prefix) and n != self._pointer_name]

    def sweep(self) -> None:
        """Drop every generation but the active and previous ones (only ever called
        under the writer lock, so none of them is being built), then the vector
        folders Chroma leaves behind for dropped collections."""
        keep = set(self.pointer().values())
        for name in self.generations():
            if name not in keep:
                self.drop(name)
        if self.settings.store == "embedded":
            sweep_orphan_segments(self.settings.index_dir)

    # --- one writer at a time ------------------------------------------------------
    @contextlib.contextmanager
    def writer(
        self, *, wait: bool, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[Callable[[], None]]:
        """Hold the index's writer lock; yields `renew`, to call while working."""
        with _file_lock(self.settings.data_dir / LOCK_FILE, wait=wait, on_wait=on_wait):
            if self.settings.store != "server":
                yield lambda: None
                return
            owner = self._take_lease(wait=wait, on_wait=on_wait)
            try:
                yield lambda: self._write_lease(owner)
            finally:
                self._release_lease(owner)

    def _lease(self) -> dict[str, Any]:
        got = self._pointer_collection().get(ids=[LEASE_ID], include=["metadatas"])
        metadatas = got.get("metadatas") or []
        return dict(metadatas[0] or {}) if metadatas else {}

    def _lock_id(self) -> str:
        return f"{socket.gethostname()}:{(self.settings.data_dir / LOCK_FILE).resolve()}"

    def _write_lease(self, owner: str) -> None:
        meta = {
            "owner": owner,
            "holder": _holder(),
            "lock": self._lock_id(),
            "expires": time.time() + LEASE_SECONDS,
        }
        self._pointer_collection().upsert(ids=[LEASE_ID], embeddings=[[1.0]], metadatas=[meta])

    def _take_lease(self, *, wait: bool, on_wait: Callable[[str], None] | None) -> str:
        owner = uuid.uuid4().hex
        told = False
        while True:
            lease = self._lease()
            # A lease taken under the lock we now hold was left by a writer that died
            # (or lost the server before it could release it): it is ours to take.
            stale = float(lease.get("expires", 0)) < time.time()
            if not lease or stale or lease.get("lock") == self._lock_id():
                self._write_lease(owner)
                # No compare-and-swap in Chroma: write, then check we were the last
                # writer. Two writers racing within this window is the one gap left.
                time.sleep(0.2)
                if self._lease().get("owner") == owner:
                    return owner
                continue
            message = _busy_message(str(lease.get("holder", "another process")), self.address)
            if not wait:
                raise IndexBusy(f"{message}; wait for it to finish, or run with --wait")
            if on_wait and not told:
                on_wait(f"{message}; waiting for it to finish…")
                told = True
            time.sleep(WAIT_POLL_SECONDS)

    def _release_lease(self, owner: str) -> None:
        try:
            if self._lease().get("owner") == owner:
                self._pointer_collection().delete(ids=[LEASE_ID])
        except Exception:  # an expired lease is ignored by the next writer anyway
            log.debug("could not release the ingest lease", exc_info=True)


def _holder() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}, since {time.strftime('%H:%M:%S')}"


def _busy_message(holder: str, address: str) -> str:
    return f"another ingest ({holder}) is writing to the index at {address}"


@contextlib.contextmanager
def _file_lock(path: Path, *, wait: bool, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """An exclusive flock: the kernel releases it when the process dies, so a killed
    ingest never leaves the index locked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            message = _busy_message(handle.read().strip() or "another process", str(path.parent))
            if not wait:
                raise IndexBusy(f"{message}; wait for it to finish, or run with --wait") from None
            if on_wait:
                on_wait(f"{message}; waiting for it to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(_holder())
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- opening -------------------------------------------
def open_for_ingest(settings: Settings, *, rebuild: bool) -> ChromaStore:
    """The store to write to. `--rebuild` recovers from any damaged embedded store by
    moving its files aside (the message says where) and starting afresh."""
    damaged = None
    if rebuild and settings.store == "embedded" and settings.index_dir.exists():
        damaged = sqlite_problem(settings.index_dir)
    if damaged is None:
        try:
            return ChromaStore(settings)
        except IndexUnavailable as exc:
            if not (rebuild and settings.store == "embedded" and settings.index_dir.exists()):
                raise
            damaged = str(exc)
    if unwritable(settings.index_dir) or unwritable(settings.index_dir.parent):
        raise IndexUnavailable(  # moving the files aside would fail too
            f"cannot rebuild the index at {settings.index_dir}: {damaged}"
        )
    log.warning("the index at %s is damaged (%s)", settings.index_dir, damaged)
    move_aside(settings)
    return ChromaStore(settings)


def open_client(settings: Settings) -> Any:
    """A Chroma client for the configured store; errors name the address and the fix."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.store == "server":
            return _http_client(settings, chroma_settings)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
        client.list_collections()  # Chroma opens lazily: read now so corruption shows here
        return client
    except Exception as exc:
        raise IndexUnavailable(
            f"cannot open the Chroma index at {store_address(settings)}: {exc}; "
            f"{unavailable_hint(settings)}"
        ) from exc


def _http_client(settings: Settings, chroma_settings: Any) -> Any:
    import chromadb
    import httpx

    headers = {}
    if settings.chroma_token is not None:
        headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
    # chromadb's HttpClient waits forever on a server that accepts but never
    # answers; a bounded heartbeat first turns that into a clear error.
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


def unavailable_hint(settings: Settings) -> str:
    """What to do when the store fails: start the server, fix permissions, or rebuild."""
    if settings.store == "server":
        return "check that it is running and reachable (chroma run --path DIR --port N)"
    return embedded_hint(settings.index_dir, unwritable(settings.index_dir))


def records(
    collection: Any,
    where: dict[str, Any] | None = None,
    fields: tuple[str, ...] = ("embeddings", "documents", "metadatas"),
) -> Iterator[dict[str, Any]]:
    """Page through a collection so a large index is never loaded at once."""
    offset = 0
    while True:
        got = collection.get(where=where, include=list(fields), limit=PAGE, offset=offset)
        if not got["ids"]:
            return
        yield {"ids": got["ids"], **{k: got[k] for k in fields}}
        offset += len(got["ids"])
