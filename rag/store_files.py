"""The embedded store's files: permissions, sqlite integrity, vector folders, and
moving a damaged store aside. Only rag/store.py and the checks (rag/index.py,
rag/doctor.py) use this; nothing here opens a Chroma client.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import time
import uuid
from pathlib import Path

from rag.config import Settings
from rag.errors import IndexUnavailable

log = logging.getLogger(__name__)

SQLITE_FILE = "chroma.sqlite3"


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
