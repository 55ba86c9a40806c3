"""The index's writer lock: an OS lock on `<data_dir>/ingest.lock`, one writer per data
folder whatever the store. The kernel releases it when the process dies, so a killed
ingest never leaves the index locked; the holder's pid and host are written in it for
the message another run shows. rag/store.py adds a server's lease on top."""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from rag.config import Settings
from rag.errors import IndexBusy, IndexUnavailable
from rag.store_files import embedded_hint, unwritable

LOCK_FILE = "ingest.lock"  # in the data folder: one writer per folder, server or not


def holder() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}, since {time.strftime('%H:%M:%S')}"


def busy_message(holder: str, address: str) -> str:
    return f"another ingest ({holder}) is writing to the index at {address}"


def writer_lock(
    settings: Settings, *, wait: bool, on_wait: Callable[[str], None] | None = None
) -> contextlib.AbstractContextManager[None]:
    """The index's writer lock, in its data folder; hold it before opening the store."""
    return _file_lock(settings.data_dir / LOCK_FILE, wait=wait, on_wait=on_wait)


def _open_lock(path: Path) -> IO[str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "a+")
    except OSError as exc:
        blocked = unwritable(path.parent) or (path if isinstance(exc, PermissionError) else None)
        raise IndexUnavailable(
            f"cannot take the writer lock {path} ({exc.strerror or exc})"
            + (f"; {embedded_hint(path.parent, blocked)}" if blocked else "")
        ) from exc


@contextlib.contextmanager
def _file_lock(path: Path, *, wait: bool, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """An exclusive flock: the kernel releases it when the process dies, so a killed
    ingest never leaves the index locked."""
    with _open_lock(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            message = busy_message(handle.read().strip() or "another process", str(path.parent))
            if not wait:
                raise IndexBusy(f"{message}; wait for it to finish, or run with --wait") from None
            if on_wait:
                on_wait(f"{message}; waiting for it to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(holder())
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
