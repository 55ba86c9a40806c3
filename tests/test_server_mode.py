"""A real `chroma run` server: unreachable and stalled addresses, and a server lost mid-ingest.

The index and API tests already run against a server through the parametrized
`store_mode` fixture; these are the failures only a server store has.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest
from ports import free_port

from rag.api import Pipeline
from rag.config import Settings
from rag.errors import IndexUnavailable
from rag.index import active_info, load_index
from rag.store import ChromaStore, open_client

pytestmark = pytest.mark.server


def _settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"generator": "extractive", "_env_file": None, "store": "server"}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def test_unreachable_server_fails_fast_naming_the_address(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    settings = _settings(chroma_host="127.0.0.1", chroma_port=port, data_dir=tmp_path)
    address = re.escape(f"http://127.0.0.1:{port}")
    started = time.perf_counter()
    with pytest.raises(IndexUnavailable, match=rf"{address}.*chroma run"):
        open_client(settings)
    with pytest.raises(IndexUnavailable, match=address):
        load_index(settings)
    with pytest.raises(IndexUnavailable, match=address):
        Pipeline(settings).retrieve("tariffs")
    assert time.perf_counter() - started < 5  # refused connections fail in ~0.1 s each
    assert not settings.index_dir.exists()  # server mode never falls back to a local store


def test_stalled_server_fails_within_a_bound(tmp_path: Path) -> None:
    with socket.socket() as listener:  # the kernel completes handshakes; nobody answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        settings = _settings(chroma_port=port, data_dir=tmp_path, chroma_timeout=2.0)
        outcome: list[BaseException | None] = []

        def connect() -> None:
            try:
                open_client(settings)
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=connect, daemon=True)
        worker.start()
        worker.join(8)
        hung = worker.is_alive()
    worker.join(10)  # closing the listener resets the connection and frees the thread
    assert not hung, "open_client still waiting after 8 s"
    assert outcome
    assert isinstance(outcome[0], IndexUnavailable)
    assert f"127.0.0.1:{port}" in str(outcome[0])


@pytest.mark.slow
def test_server_lost_mid_ingest_keeps_the_previous_index(
    chroma_server_factory,  # type: ignore[no-untyped-def]
    make_pipeline,
    seeds_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = chroma_server_factory()  # private: this test stops it
    settings = _settings(
        **server.overrides(), seeds_dir=seeds_copy, data_dir=tmp_path / "data", collection="mid"
    )
    pipeline = make_pipeline(settings)
    pipeline.ingest()
    before = active_info(ChromaStore(settings))
    assert before is not None
    assert not settings.index_dir.exists()

    path = seeds_copy / "001_2e8cf8e2eaedbabd.txt"
    path.write_text(path.read_text() + "\nAn edit that triggers re-embedding.\n")
    # 000 is copied into the new generation first; while 001 is embedded the server
    # goes away, so the next write to the half-built generation fails.
    embed_cls = type(pipeline.embed_model)
    original = embed_cls.get_text_embedding_batch

    def embed_then_lose_server(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        server.stop()
        return original(self, texts, **kwargs)

    monkeypatch.setattr(embed_cls, "get_text_embedding_batch", embed_then_lose_server)
    started = time.perf_counter()
    with pytest.raises(Exception) as failed:  # noqa: PT011 - the type is checked below
        pipeline.ingest()
    elapsed = time.perf_counter() - started
    monkeypatch.undo()
    assert elapsed < 60  # fails promptly instead of hanging on the lost server
    message = str(failed.value)
    assert message, f"an empty error: {failed.value!r}"
    clear = isinstance(failed.value, IndexUnavailable) and server.address in message

    # Back on the same --path (and port): the pointer never moved.
    server.start()
    after = active_info(ChromaStore(settings))
    assert after == before
    fresh = make_pipeline(settings)
    assert fresh.retrieve("tariffs lowered from 29% to 19%", k=1)[0].article_id == "001"
    # The next ingest finishes the job and sweeps the abandoned half-built generation.
    assert fresh.ingest().updated == ["001"]
    # ... keeping only the active generation and the one it replaced (for live readers).
    active = active_info(ChromaStore(settings))
    assert active is not None
    assert sorted(ChromaStore(settings).generations()) == sorted(
        [active.collection, before.collection]
    )
    assert clear, f"{type(failed.value).__name__}: {message!r} should name {server.address}"


@pytest.mark.slow
def test_server_that_stalls_mid_search_fails_within_the_request_timeout(
    chroma_server_factory,  # type: ignore[no-untyped-def]
    make_pipeline,
    tmp_path: Path,
) -> None:
    import os
    import signal

    server = chroma_server_factory()  # private: this test freezes it
    settings = _settings(
        **server.overrides(), data_dir=tmp_path / "data", chroma_request_timeout=2.0
    )
    pipeline = make_pipeline(settings)
    pipeline.ingest()
    assert pipeline.retrieve("tariffs lowered from 29% to 19%", k=1)[0].article_id == "001"

    assert server.proc is not None
    os.kill(server.proc.pid, signal.SIGSTOP)  # alive, connected, and silent
    try:
        started = time.perf_counter()
        with pytest.raises(IndexUnavailable, match=re.escape(server.address)):
            pipeline.retrieve("Reko Diq copper and gold", k=1, mode="dense")
        assert time.perf_counter() - started < 10
    finally:
        os.kill(server.proc.pid, signal.SIGCONT)
    assert pipeline.retrieve("Reko Diq copper and gold", k=1)[0].article_id
