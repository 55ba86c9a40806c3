"""Shared fixtures: real seeds, the real embedding model (loaded once), real Chroma in tmp."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from rag.api import Pipeline
from rag.config import Settings

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


@pytest.fixture(scope="session")
def store_mode() -> str:
    """Which Chroma store the index/API tests run against."""
    return "embedded"


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


@pytest.fixture(scope="session")
def embed_model():  # type: ignore[no-untyped-def]
    """The real bundled all-MiniLM-L6-v2, loaded once for the whole run."""
    from rag.embeddings import build_embed_model

    return build_embed_model(Settings(_env_file=None))  # type: ignore[call-arg]


@pytest.fixture
def make_pipeline(embed_model) -> Callable[[Settings], Pipeline]:  # type: ignore[no-untyped-def]
    def make(settings: Settings) -> Pipeline:
        pipeline = Pipeline(settings)
        pipeline._embed_model = embed_model  # share the one loaded model across tests
        return pipeline

    return make


@pytest.fixture(scope="session")
def seeded_pipeline(tmp_path_factory: pytest.TempPathFactory, embed_model) -> Pipeline:  # type: ignore[no-untyped-def]
    """A pipeline over the real seeds, ingested once for the read-only API tests."""
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("seeded"),
        seeds_dir=SEEDS,
        generator="extractive",
        _env_file=None,
    )
    pipeline = Pipeline(settings)
    pipeline._embed_model = embed_model
    pipeline.ingest()
    return pipeline
