"""Settings: environment variables, the openai client's own variables, .env.example."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.config import Settings

REPO = Path(__file__).resolve().parents[1]


def test_defaults_work_offline_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("RAG_GENERATOR", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.resolved_generator() == "extractive"
    assert settings.embed_provider == "local"
    assert settings.store == "embedded"


def test_openai_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1")
    monkeypatch.setenv("RAG_TOP_K", "7")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.resolved_generator() == "openai"
    assert settings.openai_base_url == "http://127.0.0.1:8000/v1"
    assert settings.top_k == 7
    assert "sk-test" not in repr(settings)  # secrets never print


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAG_GENERATOR", raising=False)
    env = tmp_path / ".env"
    env.write_text("RAG_GENERATOR=extractive\nRAG_TOP_K=3\n")
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    assert (settings.generator, settings.top_k) == ("extractive", 3)


def test_invalid_values_are_rejected() -> None:
    with pytest.raises(ValueError, match="collection"):
        Settings(collection="ab", _env_file=None)  # type: ignore[call-arg]


def test_env_example_lists_every_setting() -> None:
    text = (REPO / ".env.example").read_text()
    aliases = {"openai_api_key": "OPENAI_API_KEY", "openai_base_url": "OPENAI_BASE_URL"}
    for name in Settings.model_fields:
        assert aliases.get(name, f"RAG_{name.upper()}") in text, name
