"""The `rag` command through click's CliRunner: output on stdout, errors as one line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rag.api import get_pipeline
from rag.cli import cli


@pytest.fixture
def runner_env(make_settings, embed_model):  # type: ignore[no-untyped-def]
    settings = make_settings()
    get_pipeline(settings)._embed_model = embed_model  # the CLI finds this same pipeline
    return {"RAG_DATA_DIR": str(settings.data_dir), "RAG_GENERATOR": "extractive"}


def test_help_lists_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "ask", "chat", "eval", "serve"):
        assert command in result.output


@pytest.mark.slow
def test_ingest_then_ask_json(runner_env) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    ingest = runner.invoke(cli, ["ingest"], env=runner_env)
    assert ingest.exit_code == 0, ingest.output
    assert "5 added" in ingest.stdout
    result = runner.invoke(
        cli, ["ask", "Who chairs the Pakistan Crypto Council?", "--json"], env=runner_env
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["supported"] is True
    assert data["citations"]
    assert {"marker", "article_id", "title", "paragraph", "text", "score"} <= set(
        data["citations"][0]
    )


@pytest.mark.slow
def test_ask_prints_sources_with_paragraph_numbers(runner_env) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["ask", "What is Reko Diq?", "-k", "3"], env=runner_env)
    assert result.exit_code == 0
    assert "Sources:" in result.stdout
    assert "¶" in result.stdout


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_exits_2_with_one_line(runner_env, question: str) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["ask", question], env=runner_env)
    assert result.exit_code == 2
    assert (
        result.stderr.strip().startswith("error:")
    )
    assert (
        len(result.stderr.strip().splitlines()) == 1
    )


def test_missing_seeds_folder_exits_2(runner_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli, ["--seeds-dir", str(tmp_path / "none"), "ingest"], env=runner_env
    )
    assert result.exit_code == 2
    assert "no such folder" in result.stderr
