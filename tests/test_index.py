"""The real Chroma index: incremental and atomic ingest, model mismatch, corruption."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.chunking import chunk_article
from rag.corpus import CorpusError, load_article, load_catalog
from rag.index import IndexError_, active_info, load_index, open_client

pytestmark = pytest.mark.slow


def _info(settings):  # type: ignore[no-untyped-def]
    return active_info(open_client(settings), settings)


def test_cold_then_incremental_ingest(make_settings, make_pipeline, seeds_copy: Path) -> None:
    settings = make_settings(seeds_dir=seeds_copy)
    pipeline = make_pipeline(settings)

    cold = pipeline.ingest()
    assert sorted(cold.added) == ["000", "001", "002", "003", "004"]
    assert cold.chunks_embedded >= 100
    first = _info(settings)
    assert first is not None
    assert first.embedding == "local:all-MiniLM-L6-v2"
    assert first.dimension == 384

    again = pipeline.ingest()
    assert not again.changed
    assert again.chunks_embedded == 0
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
    assert report.chunks_embedded == sum(len(chunk_article(a)) for a in changed)

    index = load_index(settings)
    assert index is not None
    ids = {n.metadata["article_id"] for n in index.nodes}
    assert ids == {"001", "002", "003", "004", "900"}
    hits = pipeline.retrieve("Gwadar port", k=3)
    assert {h.article_id for h in hits} >= {"900"}


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
    names = [c.name for c in open_client(settings).list_collections()]
    assert len([n for n in names if n != f"{settings.collection}_pointer"]) == 1  # no leftovers


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


def test_model_mismatch_is_detected_and_rebuild_fixes_it(make_settings, make_pipeline) -> None:
    settings = make_settings()
    make_pipeline(settings).ingest()
    other = settings.model_copy(update={"embed_model": "some-other-model"})
    with pytest.raises(IndexError_, match="rebuild"):
        load_index(other)
    with pytest.raises(IndexError_, match="some-other-model"):
        make_pipeline(other).ingest()
    # --rebuild re-embeds (with the shared model object) and records the new identity.
    make_pipeline(other).ingest(rebuild=True)
    assert _info(other).embedding == "local:some-other-model"


@pytest.mark.parametrize("store_mode", ["embedded"], indirect=False)
def test_corrupt_index_gets_clear_error_and_rebuild_recovers(
    make_settings, make_pipeline, store_mode: str
) -> None:
    settings = make_settings()
    make_pipeline(settings).ingest()
    sqlite = settings.index_dir / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexError_, match="rebuild"):
        load_index(settings)
    report = make_pipeline(settings).ingest(rebuild=True)
    assert len(report.added) == 5
    assert load_index(settings) is not None
