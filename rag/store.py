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
import shutil
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from rag.config import Settings
from rag.errors import IndexBusy, IndexUnavailable

log = logging.getLogger(__name__)

POINTER_ID = "active"
LEASE_ID = "lease"
PAGE = 1000  # records per read when paging through a generation: bounded memory
# A server lease not renewed for this long belongs to a writer that died; ingest
# renews it at least once per embedding window, which takes seconds, not minutes.
LEASE_SECONDS = 120.0
WAIT_POLL_SECONDS = 1.0  # how often a waiting ingest looks at the lock again
SQLITE_FILE = "chroma.sqlite3"
LOCK_FILE = "ingest.lock"  # in the data folder: one writer per folder, server or not


class Store(Protocol):
    """What the index needs from a vector store (see ChromaStore)."""

    address: str

    def pointer(self) -> dict[str, str]: ...
    def create(self, name: str) -> Any: ...
    def get(self, name: str) -> Any: ...
    def switch(self, name: str, previous: str | None) -> None: ...
    def drop(self, name: str) -> None: ...
    def sweep(self) -> None: ...
    def writer(self, *, wait: bool, on_wait: Callable[[str], None] | None = None) -> Any: ...


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
        return self.client.create_collection(
            name, metadata={"hnsw:space": "cosine"}, embedding_function=None
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


# --- opening, and the embedded store's files -------------------------------------------
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


def unwritable(index_dir: Path) -> Path | None:
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


def embedded_hint(index_dir: Path, unwritable_path: Path | None) -> str:
    """A permission problem is not corruption, and `--rebuild` could not fix it."""
    if unwritable_path is not None:
        return (
            f"{unwritable_path} is not writable: make it writable "
            f"(e.g. chmod u+w {unwritable_path}) or set RAG_DATA_DIR to a writable folder"
        )
    return "it may be damaged: run `rag ingest --rebuild`"


def _readonly_db(index_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{index_dir / SQLITE_FILE}?mode=ro", uri=True)


def sqlite_problem(index_dir: Path) -> str | None:
    """What sqlite's own integrity check finds wrong with the store's database (None: ok)."""
    path = index_dir / SQLITE_FILE
    if not path.exists():
        return None
    try:
        with contextlib.closing(_readonly_db(index_dir)) as db:
            rows = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as exc:
        return f"{path}: {exc}"
    found = [str(r[0]) for r in rows if r and r[0] != "ok"]
    return f"{path}: {'; '.join(found[:3])}" if found else None


def vector_folders(index_dir: Path) -> dict[str, str]:
    """Collection name -> its HNSW folder, as the store's database records them."""
    with contextlib.closing(_readonly_db(index_dir)) as db:
        rows = db.execute(
            "SELECT c.name, s.id FROM segments s JOIN collections c ON s.collection = c.id "
            "WHERE s.scope = 'VECTOR'"
        ).fetchall()
    return {str(name): str(segment) for name, segment in rows}


def sweep_orphan_segments(index_dir: Path) -> None:
    """Delete vector folders no collection references (Chroma keeps them after
    delete_collection: chroma-core/chroma#5259), so repeated ingests don't grow."""
    try:
        live = set(vector_folders(index_dir).values())
    except sqlite3.Error as exc:
        log.warning("could not list the index's vector folders: %s", exc)
        return
    for path in index_dir.iterdir():
        if path.is_dir() and _is_uuid(path.name) and path.name not in live:
            shutil.rmtree(path, ignore_errors=True)


def _is_uuid(name: str) -> bool:
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True


def move_aside(settings: Settings) -> Path:
    """Move a damaged embedded index out of the way (never delete what may be evidence)."""
    aside = settings.index_dir.with_name(f"{settings.index_dir.name}.broken-{int(time.time())}")
    shutil.move(str(settings.index_dir), aside)
    _forget_cached_client(str(settings.index_dir))
    log.warning("moved the damaged index to %s and started a new one", aside)
    return aside


def _forget_cached_client(path: str) -> None:
    """Chroma caches one client system per path; drop the one bound to the old files."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(path, None)
    SharedSystemClient._identifier_to_refcount.pop(path, None)


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
