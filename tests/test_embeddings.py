"""The local embedding backends: ONNX Runtime (default) against torch, on the real model."""

from __future__ import annotations

import asyncio
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding

from rag import onnx_embedding
from rag.config import Settings
from rag.corpus import load_corpus
from rag.embeddings import _local_model_path, build_embed_model, embedding_id
from rag.onnx_embedding import OnnxEmbedding, export_onnx

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def _settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "seeds_dir": SEEDS,
        "embed_provider": "local",
        "embed_model": "all-MiniLM-L6-v2",
        "embed_threads": None,
        "model_cache_dir": None,  # these tests watch <data_dir>/models, not the shared cache
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _min_cosine(a: list[list[float]], b: list[list[float]]) -> float:
    x, y = np.asarray(a), np.asarray(b)
    assert x.shape == y.shape
    cosine = (x * y).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    return float(cosine.min())


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    """~40 real seed paragraphs spread over every article, the longest ones included (they
    run past the model's 256-token window), plus one far past it: truncation must agree."""
    texts = [p.text for article in load_corpus(SEEDS) for p in article.paragraphs]
    longest = sorted(texts, key=len)[-3:]
    picked = texts[:: max(1, len(texts) // 36)][:36] + longest
    return [*picked, " ".join(longest * 3)]


@pytest.fixture(scope="module")
def questions() -> list[str]:
    lines = (REPO / "eval" / "gold.jsonl").read_text().splitlines()
    return [json.loads(line)["question"] for line in lines[:: max(1, len(lines) // 15)]]


@pytest.fixture(scope="module")
def onnx_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-data")


@pytest.fixture(scope="module")
def onnx_model(onnx_data: Path) -> OnnxEmbedding:
    model = build_embed_model(_settings(onnx_data, embed_backend="onnx"))
    assert isinstance(model, OnnxEmbedding)
    return model


@pytest.fixture(scope="module")
def torch_model(tmp_path_factory: pytest.TempPathFactory) -> BaseEmbedding:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    data_dir = tmp_path_factory.mktemp("torch-data")
    model = build_embed_model(_settings(data_dir, embed_backend="torch"))
    assert isinstance(model, HuggingFaceEmbedding)
    assert not (data_dir / "models").exists()  # the torch backend exports nothing
    return model


# --- settings (fast) -----------------------------------------------------------------


def test_onnx_is_the_default_backend_and_torch_is_selectable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RAG_EMBED_BACKEND", raising=False)
    assert Settings(_env_file=None).embed_backend == "onnx"  # type: ignore[call-arg]
    monkeypatch.setenv("RAG_EMBED_BACKEND", "torch")
    assert Settings(_env_file=None).embed_backend == "torch"  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="embed_backend"):
        Settings(embed_backend="cuda", _env_file=None)  # type: ignore[call-arg, arg-type]


def test_embedding_id_does_not_depend_on_the_backend(tmp_path: Path) -> None:
    # Interchangeable vectors: switching backends must not force a re-embed of the index.
    onnx_id = embedding_id(_settings(tmp_path, embed_backend="onnx"))
    assert onnx_id == embedding_id(_settings(tmp_path, embed_backend="torch"))


def test_export_without_the_onnx_package_says_how_to_fix_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # `import onnx` now raises ImportError
    target = tmp_path / "models" / "m.onnx"
    with pytest.raises(ImportError, match=r"pip install onnx.*RAG_EMBED_BACKEND=torch"):
        export_onnx(_local_model_path("all-MiniLM-L6-v2"), target)
    assert not target.exists()


# --- the real model ----------------------------------------------------------------------


@pytest.mark.slow
def test_onnx_text_vectors_match_torch_on_seed_paragraphs(
    onnx_model: OnnxEmbedding, torch_model: BaseEmbedding, paragraphs: list[str]
) -> None:
    onnx_model.embed_batch_size = 16  # several batches, each sorted by length internally
    onnx_vectors = onnx_model.get_text_embedding_batch(paragraphs)
    torch_vectors = torch_model.get_text_embedding_batch(paragraphs)
    assert len(onnx_vectors[0]) == 384
    assert _min_cosine(onnx_vectors, torch_vectors) >= 0.9999
    single = [onnx_model.get_text_embedding(text) for text in paragraphs[:3]]
    assert _min_cosine(single, torch_vectors[:3]) >= 0.9999


@pytest.mark.slow
def test_onnx_query_vectors_match_torch(
    onnx_model: OnnxEmbedding, torch_model: BaseEmbedding, questions: list[str]
) -> None:
    onnx_vectors = [onnx_model.get_query_embedding(q) for q in questions]
    torch_vectors = [torch_model.get_query_embedding(q) for q in questions]
    assert _min_cosine(onnx_vectors, torch_vectors) >= 0.9999
    async_vector = asyncio.run(onnx_model.aget_query_embedding(questions[0]))
    assert _min_cosine([async_vector], torch_vectors[:1]) >= 0.9999
    async_batch = asyncio.run(onnx_model.aget_text_embedding_batch(questions))
    assert _min_cosine(async_batch, onnx_vectors) >= 0.99999


@pytest.mark.slow
def test_onnx_model_is_safe_to_share_between_threads(
    onnx_model: OnnxEmbedding, paragraphs: list[str]
) -> None:
    chunks = [paragraphs[i : i + 5] for i in range(0, len(paragraphs), 5)]
    expected = [onnx_model.get_text_embedding_batch(chunk) for chunk in chunks]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(onnx_model.get_text_embedding_batch, chunks * 2))
    for vectors, reference in zip(got, expected * 2, strict=True):
        assert _min_cosine(vectors, reference) >= 0.99999


@pytest.mark.slow
def test_the_export_happens_once(
    onnx_model: OnnxEmbedding, onnx_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = onnx_data / "models"
    (exported,) = models.glob("all-MiniLM-L6-v2-*.onnx")
    assert exported.stat().st_size > 50 * 2**20  # the weights are in it
    mtime = exported.stat().st_mtime_ns

    def no_export(*args: object) -> None:
        raise AssertionError("exported again although the cached file is good")

    monkeypatch.setattr(onnx_embedding, "export_onnx", no_export)
    again = build_embed_model(_settings(onnx_data, embed_backend="onnx"))
    assert isinstance(again, OnnxEmbedding)
    assert again is not onnx_model
    assert exported.stat().st_mtime_ns == mtime
    assert [p.name for p in models.iterdir()] == [exported.name]  # no temp files left over
    text = "Trade talks between Pakistan and the United States."
    assert (
        _min_cosine([again.get_text_embedding(text)], [onnx_model.get_text_embedding(text)])
        >= 0.99999
    )


@pytest.mark.slow
def test_data_folders_share_one_export_through_the_model_cache_dir(
    onnx_model: OnnxEmbedding, onnx_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_export(*args: object) -> None:
        raise AssertionError("exported again although the shared cache holds the model")

    monkeypatch.setattr(onnx_embedding, "export_onnx", no_export)
    other = tmp_path / "another-data-folder"
    shared = build_embed_model(
        _settings(other, embed_backend="onnx", model_cache_dir=onnx_data / "models")
    )
    assert isinstance(shared, OnnxEmbedding)
    assert not (other / "models").exists()


@pytest.mark.slow
def test_a_corrupt_cached_export_is_redone(
    onnx_data: Path,
    onnx_model: OnnxEmbedding,
    torch_model: BaseEmbedding,
    paragraphs: list[str],
    tmp_path: Path,
) -> None:
    (good,) = (onnx_data / "models").glob("*.onnx")
    corrupt = tmp_path / "models" / good.name
    corrupt.parent.mkdir()
    corrupt.write_bytes(b"\x00garbage, not a protobuf\xff" * 100)
    model = build_embed_model(_settings(tmp_path, embed_backend="onnx"))
    assert isinstance(model, OnnxEmbedding)
    assert corrupt.stat().st_size > 50 * 2**20
    texts = paragraphs[:5]
    vectors = model.get_text_embedding_batch(texts)
    assert _min_cosine(vectors, torch_model.get_text_embedding_batch(texts)) >= 0.9999


@pytest.mark.slow
def test_an_export_that_disagrees_with_torch_is_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onnx_embedding, "MIN_COSINE", 1.01)  # no export can pass this
    with pytest.raises(RuntimeError, match="disagrees with its torch model"):
        build_embed_model(_settings(tmp_path, embed_backend="onnx"))
    assert list((tmp_path / "models").iterdir()) == []
