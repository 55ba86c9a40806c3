"""Shared fixtures: real seeds, the real embedding model (loaded once), real Chroma in tmp."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# One ONNX export of the bundled model for every test's data folder (and `rag` subprocess).
os.environ.setdefault(
    "RAG_MODEL_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".data" / "models")
)

# bench/ is not an installed package: `python -m pytest` from the root finds it, and a
# bare `pytest` does too with the root on the path (its `chroma run` helper is shared).
if str(Path(__file__).resolve().parents[1]) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parents[1]))

from bench.chroma_server import ChromaServer
from rag.api import Pipeline
from rag.config import Settings

pytest.register_assert_rewrite("invented")  # its helper's asserts explain their failures

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private, editable copy of the seeds (with the catalog)."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(
    scope="session",
    params=["embedded", pytest.param("server", marks=pytest.mark.server)],
)
def store_mode(request: pytest.FixtureRequest) -> str:
    """Which Chroma store the index/API tests run against: every test that uses
    `make_settings` runs once on the embedded store and once on a real `chroma run`
    server (select with `-m server` / `-m "not server"`). In server mode the autouse
    `_server_store_env` points `make_settings` at the session's server through the
    RAG_CHROMA_HOST/RAG_CHROMA_PORT/RAG_COLLECTION variables that `Settings` reads."""
    return str(request.param)


@pytest.fixture(scope="session")
def chroma_server_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[], ChromaServer]]:
    """Starts private `chroma run` servers (each on its own --path); all stop at the end."""
    servers: list[ChromaServer] = []

    def start() -> ChromaServer:
        root = tmp_path_factory.mktemp("chroma-server")
        server = ChromaServer(root / "data", root / "chroma.log")
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def chroma_server(chroma_server_factory: Callable[[], ChromaServer]) -> ChromaServer:
    """One real Chroma server shared by every server-mode test of the session."""
    return chroma_server_factory()


@pytest.fixture(autouse=True)
def _server_store_env(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """In server mode, aim `make_settings` at the shared server with a collection prefix
    of the test's own (tests share one server), and drop its collections afterwards."""
    if "store_mode" not in request.fixturenames or request.getfixturevalue("store_mode") != (
        "server"
    ):
        yield
        return
    server: ChromaServer = request.getfixturevalue("chroma_server")
    if not server.alive():  # a test may have stopped it; bring it back for the next ones
        server.stop()
        server.start()
    prefix = f"t{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("RAG_CHROMA_HOST", server.host)
    monkeypatch.setenv("RAG_CHROMA_PORT", str(server.port))
    monkeypatch.setenv("RAG_COLLECTION", prefix)
    yield
    import chromadb

    try:
        client = chromadb.HttpClient(host=server.host, port=server.port)
        for collection in client.list_collections():
            if collection.name.startswith(f"{prefix}_"):
                client.delete_collection(collection.name)
    except Exception:  # cleanup only: a test may have left the server down
        pass


@pytest.fixture
def make_settings(tmp_path: Path, store_mode: str) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "data_dir": tmp_path / "data",
            "seeds_dir": SEEDS,
            "store": store_mode,
            "generator": "extractive",
            "_env_file": None,
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make


class Remembering:
    """The real model, remembering the vector of each text it has embedded: the suite
    ingests the same seeds dozens of times per worker, and embedding them was 5 of each
    ingest's 11 s. Every vector is the model's own (first computed in whatever batch the
    text came in); questions are embedded fresh, as the model's own cache allows."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.model_name = inner.model_name
        self.embed_batch_size = inner.embed_batch_size
        self._vectors: dict[str, list[float]] = {}

    def words(self) -> frozenset[str]:
        from rag.embeddings import known_words

        return known_words(self.inner)

    def get_query_embedding(self, query: str) -> list[float]:
        return self.inner.get_query_embedding(query)  # type: ignore[no-any-return]

    async def aget_query_embedding(self, query: str) -> list[float]:
        return await self.inner.aget_query_embedding(query)  # type: ignore[no-any-return]

    def get_text_embedding(self, text: str) -> list[float]:
        return self.get_text_embedding_batch([text])[0]

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]:
        new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if new:
            self._vectors.update(zip(new, self.inner.get_text_embedding_batch(new), strict=True))
        return [self._vectors[t] for t in texts]


class RememberingNLP:
    """spaCy's real English pipeline, remembering each text's parse: every ingest of the
    seeds parses the same paragraphs (3 of its 11 s), and rag only reads a Doc."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self._docs: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        if text not in self._docs:
            self._docs[text] = self.nlp(text)
        return self._docs[text]

    def pipe(self, texts: Any, **kwargs: Any) -> Iterator[Any]:
        texts = list(texts)
        new = [t for t in dict.fromkeys(texts) if t not in self._docs]
        self._docs.update(zip(new, self.nlp.pipe(new, **kwargs), strict=True))
        return (self._docs[t] for t in texts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.nlp, name)


@pytest.fixture(scope="session", autouse=True)
def _remembering_nlp() -> Iterator[None]:
    """Every test in this process parses through one RememberingNLP (`rag` subprocesses
    load their own spaCy)."""
    import rag.nlp

    real = rag.nlp.spacy_pipeline
    remembering = RememberingNLP(None)  # spaCy loads on first use, as in rag

    def pipeline() -> Any:
        if remembering.nlp is None:
            remembering.nlp = real()
        return remembering

    rag.nlp.spacy_pipeline = pipeline  # type: ignore[assignment]
    yield
    rag.nlp.spacy_pipeline = real


@pytest.fixture(scope="session")
def embed_model():  # type: ignore[no-untyped-def]
    """The real bundled all-MiniLM-L6-v2, loaded once for the whole run (see Remembering)."""
    from rag.embeddings import build_embed_model

    return Remembering(build_embed_model(Settings(_env_file=None)))  # type: ignore[call-arg]


@pytest.fixture
def make_pipeline(embed_model) -> Callable[[Settings], Pipeline]:  # type: ignore[no-untyped-def]
    def make(settings: Settings) -> Pipeline:
        return Pipeline(settings, embed_model=embed_model)  # one loaded model for all tests

    return make


@pytest.fixture(scope="session")
def seeded_pipeline(  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    embed_model,
    store_mode: str,
) -> Pipeline:
    """A pipeline over the real seeds, ingested once per store mode for the read-only
    API tests: on the embedded store, and on the session's real Chroma server."""
    server: dict[str, object] = {}
    if store_mode == "server":
        server = request.getfixturevalue("chroma_server").overrides()
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("seeded"),
        seeds_dir=SEEDS,
        generator="extractive",
        collection="seeded",
        _env_file=None,
        **server,
    )
    pipeline = Pipeline(settings, embed_model=embed_model)
    pipeline.ingest()
    return pipeline
