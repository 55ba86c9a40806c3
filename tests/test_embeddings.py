"""The local embedding backends: ONNX Runtime (default) against torch, on the real model."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding

from rag import onnx_embedding
from rag.config import Settings
from rag.corpus import load_corpus
from rag.embeddings import (
    _local_model_path,
    build_embed_model,
    embed_by_length,
    embedding_id,
    known_words,
)
from rag.errors import IndexUnavailable
from rag.onnx_embedding import (
    INPUTS,
    OnnxEmbedding,
    export_onnx,
    max_seq_length,
    sha256_file,
    sidecar_file,
)

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


def test_embed_by_length_embeds_shortest_first_and_answers_in_the_order_given() -> None:
    seen: list[str] = []

    class Recording:  # a vector is the text's length, so the order is easy to check
        model_name, embed_batch_size = "recording", 64

        def get_query_embedding(self, query: str) -> list[float]:
            raise AssertionError("not a query")

        def get_text_embedding_batch(self, texts: list[str], **_: object) -> list[list[float]]:
            seen.extend(texts)
            return [[float(len(t))] for t in texts]

    texts = ["three", "a", "fifteen letters", "ab"]
    assert embed_by_length(Recording(), texts) == [[5.0], [1.0], [15.0], [2.0]]
    assert seen == ["a", "ab", "three", "fifteen letters"]


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
    onnx_model.embed_batch_size = 16  # several batches, embedded in the order given
    onnx_vectors = onnx_model.get_text_embedding_batch(paragraphs)
    torch_vectors = torch_model.get_text_embedding_batch(paragraphs)
    assert len(onnx_vectors[0]) == 384
    assert _min_cosine(onnx_vectors, torch_vectors) >= 0.9999
    single = [onnx_model.get_text_embedding(text) for text in paragraphs[:3]]
    assert _min_cosine(single, torch_vectors[:3]) >= 0.9999


@pytest.mark.slow
def test_length_sorted_embedding_returns_the_same_vectors_in_input_order(
    onnx_model: OnnxEmbedding, paragraphs: list[str]
) -> None:
    sorted_run = embed_by_length(onnx_model, paragraphs)
    assert _min_cosine(sorted_run, onnx_model.get_text_embedding_batch(paragraphs)) >= 0.99999


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
    # no temp files left over; the checksum record lies beside the export
    assert sorted(p.name for p in models.iterdir()) == [exported.name, f"{exported.name}.json"]
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


# --- tokenizing without transformers --------------------------------------------------


@pytest.mark.slow
def test_tokenizers_path_gives_the_vectors_the_transformers_tokenizer_gave(
    onnx_model: OnnxEmbedding, paragraphs: list[str], questions: list[str]
) -> None:
    """The query path tokenizes with `tokenizers` alone; the reference is what it did
    before, transformers' AutoTokenizer feeding the same session."""
    from transformers import AutoTokenizer

    model_dir = _local_model_path("all-MiniLM-L6-v2")
    reference = AutoTokenizer.from_pretrained(str(model_dir))
    odd = ["", "Q?", "Café naïve résumé: “quotes”, ½, 東京, emoji 👍, zero\u200bwidth\ttab"]
    texts = [*questions, *paragraphs, *odd]
    for start in range(0, len(texts), 8):
        batch = texts[start : start + 8]
        expected = reference(
            batch,
            padding=True,
            truncation=True,
            max_length=max_seq_length(model_dir),
            return_tensors="np",
        )
        got = onnx_model._tokenizer.encode_batch(batch)
        assert [e.ids for e in got] == expected["input_ids"].tolist()
        assert [e.attention_mask for e in got] == expected["attention_mask"].tolist()
        assert [e.type_ids for e in got] == expected["token_type_ids"].tolist()
        before = onnx_model._session.run(
            None, {name: expected[name].astype(np.int64) for name in INPUTS}
        )[0]
        assert np.abs(np.asarray(onnx_model._embed(batch)) - before).max() <= 1e-5


@pytest.mark.slow
def test_a_query_loads_neither_torch_nor_transformers(
    onnx_model: OnnxEmbedding, onnx_data: Path
) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from rag.embeddings import _local_model_path\n"
        "from rag.onnx_embedding import load_onnx_embedding\n"
        "model = load_onnx_embedding(_local_model_path('all-MiniLM-L6-v2'), "
        f"Path({str(onnx_data / 'models')!r}), 'all-MiniLM-L6-v2')\n"
        "assert len(model.get_query_embedding('Who chairs the council?')) == 384\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'torch', 'transformers', 'sentence_transformers', 'onnx'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == "[]"


# --- a damaged export (issue 11, item 8) -----------------------------------------------


def _copy_export(onnx_data: Path, data_dir: Path, *, with_record: bool = True) -> Path:
    """The good export and its checksum record, copied into `data_dir/models`."""
    (good,) = (onnx_data / "models").glob("*.onnx")
    copy = data_dir / "models" / good.name
    copy.parent.mkdir(parents=True)
    shutil.copy(good, copy)
    if with_record:
        shutil.copy(sidecar_file(good), sidecar_file(copy))
    return copy


def _damage(path: Path, data: bytes, at: float = 0.8) -> None:
    """Overwrite bytes in the weights, keeping the file loadable (the protobuf parses)."""
    with path.open("r+b") as f:
        f.seek(int(path.stat().st_size * at))
        f.write(data)


def _without_exporter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # export_onnx now raises ImportError


@pytest.mark.slow
def test_damaged_export_is_detected_and_exported_again(
    onnx_data: Path,
    onnx_model: OnnxEmbedding,
    paragraphs: list[str],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    copy = _copy_export(onnx_data, tmp_path)
    _damage(copy, bytes(range(256)) * 16)  # finite but wrong vectors: only the sha256 sees it
    damaged = sha256_file(copy)
    with caplog.at_level(logging.WARNING, logger="rag.onnx_embedding"):
        model = build_embed_model(_settings(tmp_path, embed_backend="onnx"))
    assert isinstance(model, OnnxEmbedding)
    assert any(str(copy) in r.getMessage() and "sha256" in r.getMessage() for r in caplog.records)
    assert sha256_file(copy) != damaged
    assert json.loads(sidecar_file(copy).read_text())["sha256"] == sha256_file(copy)
    texts = paragraphs[:5]
    assert (
        _min_cosine(
            model.get_text_embedding_batch(texts), onnx_model.get_text_embedding_batch(texts)
        )
        >= 0.99999
    )


@pytest.mark.slow
def test_damaged_export_that_cannot_be_redone_is_a_clear_error(
    onnx_data: Path, onnx_model: OnnxEmbedding, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_export(onnx_data, tmp_path)
    _damage(copy, bytes(range(256)) * 16)
    _without_exporter(monkeypatch)
    with pytest.raises(IndexUnavailable) as caught:
        build_embed_model(_settings(tmp_path, embed_backend="onnx"))
    message = str(caught.value)
    assert str(copy) in message
    assert "sha256" in message
    assert "RAG_EMBED_BACKEND=torch" in message


@pytest.mark.slow
def test_nan_vectors_fail_the_check_even_with_a_matching_checksum(
    onnx_data: Path, onnx_model: OnnxEmbedding, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage from before the checksum was taken: the finite-output check still sees it."""
    copy = _copy_export(onnx_data, tmp_path)
    _damage(copy, b"\xff" * 4096)  # 0xffffffff is a NaN at any alignment
    record = json.loads(sidecar_file(copy).read_text())
    sidecar_file(copy).write_text(json.dumps({**record, "sha256": sha256_file(copy)}))
    _without_exporter(monkeypatch)
    with pytest.raises(IndexUnavailable, match="NaN"):
        build_embed_model(_settings(tmp_path, embed_backend="onnx"))


@pytest.mark.slow
def test_an_export_without_its_checksum_record_is_not_trusted(
    onnx_data: Path, onnx_model: OnnxEmbedding, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_export(onnx_data, tmp_path, with_record=False)
    _without_exporter(monkeypatch)
    with pytest.raises(IndexUnavailable, match="no readable checksum record"):
        build_embed_model(_settings(tmp_path, embed_backend="onnx"))
    assert copy.exists()


@pytest.mark.slow
def test_doctor_checks_the_export_without_repairing_it(
    onnx_data: Path, onnx_model: OnnxEmbedding, tmp_path: Path
) -> None:
    """`rag doctor`'s model check: none yet is fine (exported on first use), a good copy
    passes, a damaged one is reported and left as it is."""
    from rag.embeddings import model_files_check

    settings = _settings(tmp_path, embed_backend="onnx")
    sound, detail = model_files_check(settings)  # type: ignore[misc]
    assert sound
    assert detail.startswith("not exported yet")
    copy = _copy_export(onnx_data, tmp_path)
    assert model_files_check(settings) == (
        True,
        f"{copy} matches its checksum and check vector",
    )
    _damage(copy, bytes(range(256)) * 16)
    damaged = sha256_file(copy)
    sound, detail = model_files_check(settings)  # type: ignore[misc]
    assert not sound
    assert str(copy) in detail
    assert "sha256" in detail
    assert sha256_file(copy) == damaged  # reported, not repaired
    assert model_files_check(_settings(tmp_path, embed_backend="torch")) is None


@pytest.mark.slow
def test_the_model_lists_the_words_of_the_language_it_holds_whole(
    onnx_model: OnnxEmbedding, torch_model: BaseEmbedding
) -> None:
    """rag.spelling tells a name from a word by them: common words and names are whole
    words of the vocabulary, rare names only pieces ("##"). A backend that doesn't list
    its words gives none, and nothing is told."""
    words = known_words(onnx_model)
    assert {"army", "wounded", "khan"} <= words
    assert not {"jinping", "bhutto", "##s"} & words
    assert known_words(torch_model) == frozenset()
