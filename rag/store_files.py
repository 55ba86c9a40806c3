"""The embedded store's files: permissions, sqlite integrity, vector folders, and
moving a damaged store aside. Only the rag/store*.py modules use this (and rag/doctor.py
its `REBUILD` wording); nothing here opens a Chroma client in this process.

A damaged HNSW file can crash Chroma's native code outright (a segfault no Python
handler catches), so a generation's vector files are probed by one search in a child
process before this process searches them: after each ingest, and again whenever
their sizes or modification times differ from the last probe that passed (recorded
in `<data_dir>/vectors_verified.json`). Readers don't rewrite a finished generation's
files, so in steady state a load costs a few `stat` calls.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

from rag.config import Settings
from rag.errors import IndexUnavailable

log = logging.getLogger(__name__)

SQLITE_FILE = "chroma.sqlite3"
VERIFIED_FILE = "vectors_verified.json"  # in the data folder: {generation: file states}
PROBE_SECONDS = 120  # a search takes well under a second; a hang is a fault
REBUILD = "run `rag ingest --rebuild`"
HEADER_BYTES = 28  # enough of header.bin to read the element count
SAME_VECTOR = 1e-3  # cosine distance under which a search found the vector it was given

# Opens the embedded store in a child process and searches with one stored vector,
# which must come back as its own nearest neighbour.
_PROBE = """
import sys, chromadb
from chromadb.config import Settings
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
collection = client.get_collection(sys.argv[2], embedding_function=None)
got = collection.get(limit=1, include=["embeddings"])
hits = collection.query(query_embeddings=[got["embeddings"][0]], n_results=1, include=["distances"])
sys.exit(0 if hits["ids"][0] and hits["distances"][0][0] < float(sys.argv[3]) else 3)
"""


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


def check_vector_files(settings: Settings, name: str) -> None:
    """A generation's HNSW folder must exist: without it Chroma answers every search
    with similarity 0 instead of failing."""
    folder = vector_folders(settings.index_dir).get(name)
    if folder is None or not (settings.index_dir / folder).is_dir():
        raise IndexUnavailable(
            f"the vector files of the active index are missing from {settings.index_dir}; "
            "run `rag ingest --rebuild`"
        )


def probe_search(index_dir: Path, name: str) -> str | None:
    """What goes wrong when a child process searches generation `name` (None: nothing)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, str(index_dir), name, str(SAME_VECTOR)],
            capture_output=True,
            timeout=PROBE_SECONDS,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
    except subprocess.TimeoutExpired:
        return f"a search hung for {PROBE_SECONDS}s"
    if done.returncode == 0:
        return None
    if done.returncode < 0:
        return f"a search crashed Chroma (signal {-done.returncode})"
    if done.returncode == 3:
        return "a search does not find a stored vector"
    tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
    return f"a search failed: {' '.join(tail)}"


def hnsw_elements(folder: Path) -> int | None:
    """How many vectors a generation's HNSW file holds, from its header (chroma-hnswlib's
    persisted layout: an int32 version, then size_t offsetLevel0, max_elements and
    cur_element_count); None when the header is missing or short. Chroma keeps the
    vectors of a small collection in its sqlite buffer and the HNSW file then holds 0."""
    try:
        header = (folder / "header.bin").read_bytes()
    except OSError:
        return None
    return int.from_bytes(header[20:28], "little") if len(header) >= HEADER_BYTES else None


def _state(folder: Path) -> dict[str, list[int]]:
    return {p.name: [p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(folder.iterdir())}


def verify_vectors(settings: Settings, name: str) -> None:
    """Raise IndexUnavailable, with the fix, unless generation `name`'s vector files
    exist and pass a search probe (skipped while they are as the last probe found them)."""
    check_vector_files(settings, name)
    folder = settings.index_dir / vector_folders(settings.index_dir)[name]
    if hnsw_elements(folder) == 0:  # vectors still in Chroma's sqlite buffer: no HNSW to read
        return
    record = settings.data_dir / VERIFIED_FILE
    try:
        verified = json.loads(record.read_text())
    except (OSError, ValueError):
        verified = {}
    state = _state(folder)
    if verified.get(name) == state:
        return
    problem = probe_search(settings.index_dir, name)
    if problem:
        raise IndexUnavailable(
            f"the vector index of the active generation in {settings.index_dir} is "
            f"damaged ({problem}); {REBUILD}"
        )
    try:  # only this generation: older ones are swept by the next ingest
        scratch = record.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps({name: state}))
        scratch.replace(record)
    except OSError as exc:  # read-only data folder: probe again next time, no more
        log.debug("could not record the vector check: %s", exc)
