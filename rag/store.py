"""The store seam: the only module that knows embedded Chroma from a Chroma server.

An index is a series of *generations* (one Chroma collection per ingest) and a
one-record *pointer* naming the active one and the one it replaced. Ingest holds
the writer lock while it builds a generation, switches the pointer, and sweeps
what no reader can still need:

* Writers: one at a time per index. First an OS lock on `<data_dir>/ingest.lock`
  (`writer_lock`, released by the kernel if the process dies), taken before the store
  is even opened, so a `--rebuild` never moves aside files another run is writing;
  then, against a server, a lease record beside the pointer (`ChromaStore.lease`),
  renewed while the ingest runs and ignored once it is `LEASE_SECONDS` old.
* Readers: a loaded pipeline keeps using its generation until the pointer moves,
  then switches between questions. The superseded generation is kept until the
  *next* switch, so a reader that has not yet looked at the pointer still finds
  it; one that is two ingests behind reloads on its next question.
* Failures: every Chroma error (a damaged database, a server gone) leaves this module
  as IndexUnavailable, with the fix.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from rag.config import Settings
from rag.errors import IndexBusy, IndexUnavailable
from rag.store_client import open_client, store_address, unavailable_hint
from rag.store_files import (
    REBUILD,
    SAME_VECTOR,
    check_vector_files,
    move_aside,
    probe_search,
    sqlite_problem,
    sweep_orphan_segments,
    unwritable,
    verify_vectors,
)
from rag.store_lock import LOCK_FILE, busy_message, holder

log = logging.getLogger(__name__)

POINTER_ID = "active"
LEASE_ID = "lease"
PAGE = 1000  # records per read when paging through a generation: bounded memory
# A server lease not renewed for this long belongs to a writer that died; ingest
# renews it at least once per embedding window, which takes seconds, not minutes.
LEASE_SECONDS = 120.0
WAIT_POLL_SECONDS = 1.0  # how often a waiting ingest looks at the lock again


class Generation(Protocol):
    """One generation's records (a Chroma collection): what ingest and search call."""

    name: str
    metadata: dict[str, Any] | None  # what ingest recorded about it (rag.index.IndexInfo)

    def add(self, **records: Any) -> Any: ...
    def get(self, **query: Any) -> Any: ...
    def query(self, **query: Any) -> Any: ...
    def modify(self, **change: Any) -> Any: ...


class Store(Protocol):
    """What ingest and loading need from a vector store; ChromaStore is the one we ship
    (embedded or server). Another backend implements these and nothing else changes."""

    address: str

    @property
    def hint(self) -> str: ...  # what to do when it fails: start it, fix permissions…
    def active(self) -> str | None: ...  # the active generation's name
    def pointer(self) -> dict[str, str]: ...  # {"collection": active, "previous": ...}
    def new_name(self) -> str: ...
    def create(self, name: str) -> Generation: ...
    def get(self, name: str) -> Generation: ...
    def verify(self, name: str) -> None: ...  # raise IndexUnavailable if unsafe to search
    def probe(self, name: str) -> str | None: ...  # search it now: what fails, if anything
    def where(self, name: str | None) -> str: ...  # for messages: where `name` lives
    def switch(self, name: str, previous: str | None) -> None: ...
    def drop(self, name: str) -> None: ...
    def generations(self) -> list[str]: ...
    def sweep(self) -> None: ...
    def lease(
        self, *, wait: bool, on_wait: Callable[[str], None] | None = None
    ) -> contextlib.AbstractContextManager[Callable[[], None]]: ...


class ChromaStore:
    """A Chroma client for the configured store, with generations, pointer and lock."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self.address = store_address(settings)
        self.client = client if client is not None else open_client(settings)
        self.prefix = f"{settings.collection}_"
        self._pointer_name = f"{settings.collection}_pointer"

    @property
    def hint(self) -> str:
        return unavailable_hint(self.settings)

    @contextlib.contextmanager
    def _chroma(self, doing: str) -> Iterator[None]:
        """Chroma's own errors become IndexUnavailable naming the store and the fix; an
        embedded store is checked for damage first, so the fix is the right one."""
        try:
            yield
        except IndexUnavailable:
            raise
        except Exception as exc:
            damage = self.settings.store == "embedded" and sqlite_problem(self.settings.index_dir)
            cause = f"it is damaged ({damage}); {REBUILD}" if damage else self.hint
            raise IndexUnavailable(
                f"cannot {doing} in the Chroma index at {self.address} "
                f"({type(exc).__name__}: {exc}); {cause}"
            ) from exc

    # --- generations ---------------------------------------------------------------
    def _pointer_collection(self) -> Any:
        return self.client.get_or_create_collection(self._pointer_name, embedding_function=None)

    def pointer(self) -> dict[str, str]:
        """{"collection": active, "previous": superseded} ({} before the first ingest)."""
        with self._chroma("read the active generation"):
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
        with self._chroma("create a generation"):
            return self.client.create_collection(  # type: ignore[no-any-return]
                name,
                configuration={"hnsw": {"space": "cosine", "num_threads": 1, "ef_search": 200}},
                embedding_function=None,
            )

    def get(self, name: str) -> Generation:
        try:
            return self.client.get_collection(  # type: ignore[no-any-return]
                name, embedding_function=None
            )
        except Exception as exc:
            raise IndexUnavailable(
                f"the index generation {name!r} is missing from {self.address}; "
                "run `rag ingest --rebuild`"
            ) from exc

    def verify(self, name: str) -> None:
        """Raise IndexUnavailable, with the fix, unless generation `name`'s vectors are
        safe to search: an embedded store's files exist and pass a search probe in a child
        process (a damaged HNSW file can crash this one); a server keeps its own files."""
        if self.settings.store == "embedded":
            verify_vectors(self.settings, name)

    def probe(self, name: str) -> str | None:
        """What goes wrong when generation `name` is searched for one of its own vectors
        (None: nothing), checked now whatever was recorded; `rag doctor` asks this."""
        if self.settings.store == "embedded":  # in a child process: it may crash
            check_vector_files(self.settings, name)
            return probe_search(self.settings.index_dir, name)
        with self._chroma("search a generation"):
            collection = self.get(name)
            got = collection.get(limit=1, include=["embeddings"])
            if not got["ids"]:
                return "the generation holds no vectors"
            hits = collection.query(
                query_embeddings=[got["embeddings"][0]], n_results=1, include=["distances"]
            )
        found = hits["ids"][0] and hits["distances"][0][0] < SAME_VECTOR
        return None if found else "a search does not find a stored vector"

    def where(self, name: str | None) -> str:
        if self.settings.store == "embedded":
            return str(self.settings.index_dir)
        return f"{name} at {self.address}"

    def new_name(self) -> str:
        return f"{self.prefix}{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"

    def switch(self, name: str, previous: str | None) -> None:
        """Make `name` active: one record, written atomically by Chroma."""
        meta = {"collection": name, **({"previous": previous} if previous else {})}
        with self._chroma("switch the active generation"):
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
        with self._chroma("list the generations"):
            listed = self.client.list_collections()
        names = [c if isinstance(c, str) else c.name for c in listed]
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

    # --- one writer at a time (after `writer_lock`) ---------------------------------
    @contextlib.contextmanager
    def lease(
        self, *, wait: bool, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[Callable[[], None]]:
        """Hold the server's writer lease (nothing more for an embedded store, which
        `writer_lock` already guards); yields `renew`, to call while working."""
        if self.settings.store != "server":
            yield lambda: None
            return
        owner = self._take_lease(wait=wait, on_wait=on_wait)
        try:
            yield lambda: self._write_lease(owner)
        finally:
            self._release_lease(owner)

    def _lease(self) -> dict[str, Any]:
        with self._chroma("read the ingest lease"):
            got = self._pointer_collection().get(ids=[LEASE_ID], include=["metadatas"])
        metadatas = got.get("metadatas") or []
        return dict(metadatas[0] or {}) if metadatas else {}

    def _lock_id(self) -> str:
        return f"{socket.gethostname()}:{(self.settings.data_dir / LOCK_FILE).resolve()}"

    def _write_lease(self, owner: str) -> None:
        meta = {
            "owner": owner,
            "holder": holder(),
            "lock": self._lock_id(),
            "expires": time.time() + LEASE_SECONDS,
        }
        with self._chroma("write the ingest lease"):
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
            message = busy_message(str(lease.get("holder", "another process")), self.address)
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


def integrity(settings: Settings) -> tuple[bool, str] | None:
    """The store's own files, checked without opening them: (sound, what was found) for
    an embedded store's database; None for a server, which keeps its files to itself."""
    if settings.store != "embedded":
        return None
    problem = sqlite_problem(settings.index_dir)
    return (False, problem) if problem else (True, "sqlite integrity check passed")


def records(
    collection: Generation,
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
