"""The `rag` command through click's CliRunner: output on stdout, errors as one line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rag.api import get_pipeline
from rag.cli import _print_answer, cli
from rag.schema import Answer, Citation, Passage


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


def _refusal(citations: list[Citation]) -> Answer:
    reason = "The articles don't give a sum of money for “US Pakistan trade deal”."
    near = "The closest passage says: Pakistan secured a deal [1]." if citations else ""
    return Answer(
        question="How much is the US Pakistan trade deal worth?",
        text=f"{reason} {near}".strip(),
        supported=False,
        citations=citations,
        passages=[Passage("004", "How Pakistan won", 5, "Countries adopted strategies.", 0.8)],
        generator="extractive",
        reason=reason,
    )


def test_refusal_prints_its_reason_cited_quote_then_closest_passages(capsys) -> None:  # type: ignore[no-untyped-def]
    quote = "Pakistan secured a deal."
    cited = Citation(1, "001", "Strategic realism", 6, quote, 0.9, quote=quote)
    _print_answer(_refusal([cited]))
    out = capsys.readouterr().out
    assert out.startswith("The articles don't give a sum of money")
    assert "The closest passage says: Pakistan secured a deal [1]." in out
    assert "  [1] Strategic realism (001), ¶6: Pakistan secured a deal." in out
    assert "  - How Pakistan won (004), ¶5: Countries adopted strategies." in out
    assert out.index("Sources:") < out.index("Closest passages:")


def test_refusal_without_citations_prints_no_sources(capsys) -> None:  # type: ignore[no-untyped-def]
    _print_answer(_refusal([]))
    out = capsys.readouterr().out
    assert out.startswith("The articles don't give a sum of money")
    assert "Sources:" not in out
    assert "Closest passages:" in out


def test_env_defaults_are_applied_at_main_not_at_import() -> None:
    """Importing the CLI writes no environment; `main` only fills what the user left unset."""
    import os
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "import rag.cli\n"
        "assert 'HF_HUB_OFFLINE' not in os.environ, 'written at import'\n"
        "sys.argv = ['rag', '--help']\n"
        "try:\n"
        "    rag.cli.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(os.environ['HF_HUB_OFFLINE'], os.environ['GRADIO_ANALYTICS_ENABLED'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE",)}
    env["GRADIO_ANALYTICS_ENABLED"] = "True"  # the user's choice wins
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["1", "True"]
