"""The real Chroma index: incremental and atomic ingest, model mismatch, corruption."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.chunking import chunk_article
from rag.corpus import CorpusError, load_article, load_catalog
from rag.errors import IndexUnavailable
from rag.index import active_info, load_index
from rag.kin import WordKin
from rag.lexical import bm25_root
from rag.store import ChromaStore

pytestmark = pytest.mark.slow


def _info(settings):  # type: ignore[no-untyped-def]
    return active_info(ChromaStore(settings))


def test_cold_then_incremental_ingest(make_settings, make_pipeline, seeds_copy: Path) -> None:
    settings = make_settings(seeds_dir=seeds_copy)
    pipeline = make_pipeline(settings)

    cold = pipeline.ingest()
    assert sorted(cold.added) == ["000", "001", "002", "003", "004"]
    assert cold.texts_embedded >= 100
    first = _info(settings)
    assert first is not None
    assert first.embedding == "local:all-MiniLM-L6-v2"
    assert first.dimension == 384
    # ingest keeps the articles' words' vectors beside the index, for the answer's order
    kin = WordKin(pipeline.embed_model, pipeline.annotations.words_path)
    assert {"tariffs", "minerals"} <= set(kin._vectors)

    import rag.api

    def no_model(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the embedding model was loaded with nothing to embed")

    with pytest.MonkeyPatch.context() as m:  # a new process, nothing changed: no model load
        m.setattr(rag.api, "build_embed_model", no_model)
        assert not rag.api.Pipeline(settings).ingest().changed
    again = pipeline.ingest()
    assert not again.changed
    assert again.texts_embedded == 0
    assert _info(settings).collection == first.collection  # nothing rewritten

    # Change one article, remove another, add a new one.
    path = seeds_copy / "002_5117c29aba42f0e3.txt"
    path.write_text(path.read_text() + "\nA new closing paragraph about Gwadar port.\n")
    (seeds_copy / "000_fe819d4e91e57b68.txt").unlink()
    (seeds_copy / "900_extra.txt").write_text("The Gwadar port was discussed by both sides.\n")
    report = pipeline.ingest()
    assert report.updated == ["002"]
    assert report.removed == ["000"]
    assert report.added == ["900"]
    assert sorted(report.unchanged) == ["001", "003", "004"]
    changed = [
        load_article(seeds_copy / "002_5117c29aba42f0e3.txt", load_catalog(seeds_copy)),
        load_article(seeds_copy / "900_extra.txt"),
    ]
    # Only the changed and the new article were embedded.
    assert report.texts_embedded == sum(len(chunk_article(a)) for a in changed)

    index = load_index(settings)
    assert index is not None
    ids = {n.metadata["article_id"] for n in index.nodes}
    assert ids == {"001", "002", "003", "004", "900"}
    hits = pipeline.retrieve("Gwadar port", k=3)
    assert {h.article_id for h in hits} >= {"900"}

    # A catalog edit is a change too: the article is re-indexed with its new entry.
    catalog = seeds_copy / "catalog.toml"
    catalog.write_text(catalog.read_text().replace('genre = "research note"', 'genre = "brief"'))
    report = pipeline.ingest()
    assert report.updated == ["003"]
    assert report.texts_embedded == len(
        chunk_article(
            load_article(seeds_copy / "003_35903c4ade33ce09.txt", load_catalog(seeds_copy))
        )
    )
    assert pipeline.article_cards()["003"].genre == "brief"


def test_failed_ingest_leaves_previous_index_usable(
    make_settings, make_pipeline, seeds_copy: Path
) -> None:
    settings = make_settings(seeds_dir=seeds_copy)
    pipeline = make_pipeline(settings)
    pipeline.ingest()
    before = _info(settings)

    (seeds_copy / "005_bad.txt").write_bytes(b"\xff\xfe not utf-8 \xe9")
    with pytest.raises(CorpusError, match=r"005_bad\.txt"):
        pipeline.ingest()

    after = _info(settings)
    assert after == before
    assert pipeline.retrieve("tariffs lowered from 29% to 19%", k=1)[0].article_id == "001"
    assert ChromaStore(settings).generations() == [before.collection]  # no leftovers


def test_interrupted_ingest_leaves_previous_index_usable(
    make_settings, make_pipeline, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(seeds_dir=seeds_copy)
    pipeline = make_pipeline(settings)
    pipeline.ingest()
    before = _info(settings)

    path = seeds_copy / "001_2e8cf8e2eaedbabd.txt"
    path.write_text(path.read_text() + "\nAn edit that triggers re-embedding.\n")

    def interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # what Ctrl-C does mid-embedding

    monkeypatch.setattr(type(pipeline.embed_model), "get_text_embedding_batch", interrupt)
    with pytest.raises(KeyboardInterrupt):
        pipeline.ingest()
    assert _info(settings) == before
    monkeypatch.undo()
    assert pipeline.ingest().updated == ["001"]


def test_empty_file_fails_ingest_naming_it(make_settings, make_pipeline, seeds_copy: Path) -> None:
    (seeds_copy / "006_empty.txt").write_text("")
    with pytest.raises(CorpusError, match=r"006_empty\.txt.*empty"):
        make_pipeline(make_settings(seeds_dir=seeds_copy)).ingest()


def test_model_mismatch_is_detected_and_rebuild_fixes_it(
    make_settings, make_pipeline, tmp_path: Path
) -> None:
    settings = make_settings()
    make_pipeline(settings).ingest()
    # (its own models folder: the other model's word vectors are not kept for real use)
    other = settings.model_copy(
        update={"embed_model": "some-other-model", "model_cache_dir": tmp_path / "models"}
    )
    with pytest.raises(IndexUnavailable, match="rebuild"):
        load_index(other)
    with pytest.raises(IndexUnavailable, match="some-other-model"):
        make_pipeline(other).ingest()
    # --rebuild re-embeds (with the shared model object) and records the new identity.
    make_pipeline(other).ingest(rebuild=True)
    assert _info(other).embedding == "local:some-other-model"


def test_changed_articles_are_embedded_together_in_windows(
    make_settings, make_pipeline, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    pipeline = make_pipeline(make_settings(seeds_dir=seeds_copy, embed_window=100_000))
    model_type = type(pipeline.embed_model)
    original = model_type.get_text_embedding_batch

    def counting(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return original(self, texts, **kwargs)

    monkeypatch.setattr(model_type, "get_text_embedding_batch", counting)
    report = pipeline.ingest()
    assert calls[0] == report.texts_embedded  # all five articles in one length-sorted run
    # then, once, the words they use (rag.kin), unless an index built before with the
    # model (another test's) has them all already
    assert len(calls) <= 2

    # Each stored vector still belongs to its own text after the sort and restore.
    index = load_index(pipeline.settings)
    assert index is not None
    article = load_article(seeds_copy / "001_2e8cf8e2eaedbabd.txt", load_catalog(seeds_copy))
    chunks = chunk_article(article)
    nodes = chunks[:: max(1, len(chunks) // 5)]
    stored = index.collection.get(ids=[n.node_id for n in nodes], include=["embeddings"])
    by_id = dict(zip(stored["ids"], stored["embeddings"], strict=True))  # type: ignore[arg-type]
    for node in nodes:
        fresh = original(pipeline.embed_model, [node.get_content(metadata_mode="embed")])[0]  # type: ignore[arg-type]
        assert sum(a * b for a, b in zip(fresh, by_id[node.node_id], strict=True)) > 0.999

    # A small window flushes once per article (a window never splits an article).
    calls.clear()
    small = make_pipeline(make_settings(seeds_dir=seeds_copy, embed_window=1, collection="win"))
    small.ingest(rebuild=True)
    assert len(calls) == 5


def test_bm25_is_saved_beside_the_index_and_loaded_not_rebuilt(
    make_settings, make_pipeline, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(seeds_dir=seeds_copy)
    make_pipeline(settings).ingest()
    active = _info(settings).collection
    assert [p.name for p in bm25_root(settings).iterdir()] == [active]

    import rag.index

    def no_rebuild(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("BM25 was rebuilt instead of loaded")

    with monkeypatch.context() as m:
        m.setattr(rag.index, "build_lexical", no_rebuild)
        fresh = make_pipeline(settings)  # what a new process does
        top = fresh.retrieve("tariffs lowered from 29% to 19%", k=1, mode="bm25")[0]
        assert (top.article_id, top.paragraph) == ("001", 6)
        assert len(fresh.index.nodes) >= 100

    # A new generation replaces the saved index; a damaged one is rebuilt on load.
    path = next(seeds_copy.glob("003_*"))
    path.write_text(path.read_text() + "\nA closing line on Gwadar port logistics.\n")
    make_pipeline(settings).ingest()
    previous = active
    active = _info(settings).collection
    saved = bm25_root(settings) / active
    # The replaced generation's BM25 stays while a live reader may still use it.
    assert sorted(p.name for p in bm25_root(settings).iterdir()) == sorted([active, previous])
    built = {n.node_id: n for n in make_pipeline(settings).index.nodes}
    corpus = saved / "corpus.jsonl"  # cut at a line boundary: counted, not trusted
    corpus.write_text("".join(corpus.read_text().splitlines(keepends=True)[:3]))
    # Rebuilt from Chroma's records: the same paragraphs, text and metadata as ingest's.
    assert {n.node_id: n for n in make_pipeline(settings).index.nodes} == built
    for file in saved.iterdir():
        file.write_bytes(b"garbage")
    hit = make_pipeline(settings).retrieve("Gwadar port logistics", k=1, mode="bm25")[0]
    assert hit.article_id == "003"
    assert (saved / "params.index.json").read_bytes() != b"garbage"  # saved afresh


@pytest.mark.parametrize("store_mode", ["embedded"], indirect=False)
def test_corrupt_index_gets_clear_error_and_rebuild_recovers(
    make_settings, make_pipeline, store_mode: str
) -> None:
    settings = make_settings()
    make_pipeline(settings).ingest()
    sqlite = settings.index_dir / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexUnavailable, match="rebuild"):
        load_index(settings)
    report = make_pipeline(settings).ingest(rebuild=True)
    assert len(report.added) == 5
    assert load_index(settings) is not None
