"""The `rag` command through click's CliRunner: output on stdout, errors as one line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from network import QUIETING, non_loopback_calls, strace_prefix

from rag.api import get_pipeline
from rag.cli import _print_answer, cli
from rag.schema import Answer, Citation, Passage


@pytest.fixture
def runner_env(make_settings, embed_model):  # type: ignore[no-untyped-def]
    settings = make_settings()
    get_pipeline(settings, embed_model=embed_model)  # the CLI finds this same pipeline
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
    assert result.stderr.strip().startswith("error:")
    assert len(result.stderr.strip().splitlines()) == 1


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


# --- start-up cost (issue 12) ------------------------------------------------------------

HEAVY = ("llama_index", "chromadb", "onnxruntime", "torch", "transformers", "spacy", "gradio")


def test_help_loads_nothing_heavy() -> None:
    """`rag --help` and `rag <command> --help` load neither the pipeline nor settings."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from rag.cli import main\n"
        "for argv in (['--help'], ['ask', '--help'], ['ingest', '--help'], "
        "['chat', '--help'], ['serve', '--help']):\n"
        "    sys.argv = ['rag', *argv]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code == 0, (argv, exit.code)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1].replace("'", '"')))
    assert not loaded & {*HEAVY, "numpy", "pydantic", "pydantic_settings"}


@pytest.mark.slow
def test_a_question_loads_no_llama_index_torch_or_transformers(seeded_pipeline) -> None:  # type: ignore[no-untyped-def]
    """Answering needs Chroma, onnxruntime and spaCy; llama-index (2.4 s to import) is for
    ingest and the baselines only, and torch and transformers only for the model export."""
    import os
    import subprocess
    import sys

    if seeded_pipeline.settings.store != "embedded":
        pytest.skip("the import list does not depend on the store")
    code = (
        "import sys\n"
        "from rag import ask\n"
        "assert ask('Who chairs the Pakistan Crypto Council?').citations\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    env = {**os.environ, "RAG_DATA_DIR": str(seeded_pipeline.settings.data_dir)}
    env["RAG_COLLECTION"] = seeded_pipeline.settings.collection
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1].replace("'", '"')))
    assert {"chromadb", "onnxruntime", "spacy"} <= loaded  # it did answer from the index
    assert not loaded & {"llama_index", "torch", "transformers", "sentence_transformers"}


def test_bad_settings_still_exit_2_when_a_command_reads_them() -> None:
    result = CliRunner().invoke(cli, ["ask", "What is Reko Diq?"], env={"RAG_EMBED_BACKEND": "x"})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: invalid settings")


# --- no network (issue 11, item 7) -------------------------------------------------------

# onnxruntime's first telemetry look-up came 6-7 s after its session opened: a process must
# outlive that for the test to mean anything.
LINGER_S = 12


@pytest.mark.slow
@pytest.mark.parametrize("store_mode", ["embedded"], indirect=True)
def test_ask_and_chat_make_no_network_calls(seeded_pipeline, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A real `rag ask`, a `rag chat` kept open, and `rag.ask` from Python, each under
    `strace -f`: no connect or sendto beyond loopback, DNS (port 53) included."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    if strace_prefix(tmp_path / "probe.strace") is None:
        pytest.skip("strace is missing or cannot trace here (apt-get install strace)")
    settings = seeded_pipeline.settings
    env = {k: v for k, v in os.environ.items() if k not in QUIETING}
    env.update(
        RAG_DATA_DIR=str(settings.data_dir),
        RAG_COLLECTION=settings.collection,
        RAG_GENERATOR="extractive",
    )
    question = "Who chairs the Pakistan Crypto Council?"
    rag = str(Path(sys.executable).with_name("rag"))
    library = (
        f"import time\nfrom rag import ask\nprint(ask({question!r}).text)\ntime.sleep({LINGER_S})\n"
    )
    commands = {
        "ask": [rag, "ask", question],
        "chat": [rag, "chat"],
        "library": [sys.executable, "-c", library],
    }
    running = {}
    for name, command in commands.items():
        log = tmp_path / f"{name}.strace"
        running[name] = (
            subprocess.Popen(
                [*strace_prefix(log), *command],  # type: ignore[misc]
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE if name == "chat" else (tmp_path / f"{name}.out").open("w"),
                stderr=(tmp_path / f"{name}.err").open("w"),  # a pipe nobody reads could fill
                text=True,
            ),
            log,
        )
    chat = running["chat"][0]
    assert chat.stdin is not None
    assert chat.stdout is not None
    chat.stdin.write(question + "\n")
    chat.stdin.flush()
    answered = []
    for line in chat.stdout:  # click flushes each echo: lines arrive as they are written
        answered.append(line)
        if line.startswith("  ["):  # the first source: the answer is complete
            break
    time.sleep(LINGER_S)  # onnxruntime's telemetry would have sent by now
    for name, (process, log) in running.items():
        out, _ = process.communicate(timeout=300)
        out = "".join(answered) + out if name == "chat" else (tmp_path / f"{name}.out").read_text()
        assert process.returncode == 0, (name, (tmp_path / f"{name}.err").read_text()[-2000:])
        assert "Crypto Council" in out, (name, out[-2000:])
        assert non_loopback_calls(log.read_text()) == [], name


def test_ingest_while_another_writes_says_so_and_suggests_wait(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rag.config import Settings
    from rag.store_lock import writer_lock

    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    with writer_lock(settings, wait=False):
        result = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "ingest"])
    assert result.exit_code != 0
    assert "another ingest" in result.output
    assert "--wait" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_doctor_reports_ok_then_the_fix(runner_env) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest"], env=runner_env).exit_code == 0
    healthy = runner.invoke(cli, ["doctor"], env=runner_env)
    assert healthy.exit_code == 0, healthy.output
    assert "FAIL" not in healthy.output
    from pathlib import Path

    sqlite = Path(runner_env["RAG_DATA_DIR"]) / "chroma" / "chroma.sqlite3"
    with open(sqlite, "r+b") as db:
        db.seek(sqlite.stat().st_size // 2)
        db.write(b"\x00garbage\xff" * 2048)
    damaged = runner.invoke(cli, ["doctor"], env=runner_env)
    assert damaged.exit_code == 1
    assert "FAIL database" in damaged.output
    assert "rag ingest --rebuild" in damaged.output


def test_an_unforeseen_error_is_one_line_pointing_at_doctor(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A failure no handler foresaw (here injected into `rag doctor`) still ends in one
    line saying where to look, not a traceback; -vv shows where it failed."""
    import rag.doctor

    def broken(settings: object) -> list[object]:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(rag.doctor, "diagnose", broken)
    args = ["--data-dir", str(tmp_path), "doctor"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: unexpected RuntimeError: the disk went away; run `rag doctor` to check the "
        "index, or add -vv to see where it failed"
    ]
    assert isinstance(CliRunner().invoke(cli, ["-vv", *args]).exception, RuntimeError)
