"""Fault injection: damaged catalogs, special files among the seeds, bad API arguments.

Tests that need the real model or a built index are marked `slow`; the rest are pure.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

import pytest

from rag.api import Pipeline
from rag.config import Settings
from rag.corpus import CATALOG_NAME, CorpusError, article_files, iter_articles, load_catalog

ARTICLE = "A short article.\n\nIt has two paragraphs, each a full sentence.\n"


def _folder(tmp_path: Path, catalog: str | None, files: tuple[str, ...] = ("001_a.txt",)) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir(parents=True)
    for name in files:
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    if catalog is not None:
        (folder / CATALOG_NAME).write_text(catalog, encoding="utf-8")
    return folder


# --- item 11: catalog validation --------------------------------------------------------


def test_catalog_entry_without_file_names_catalog_entry_and_field(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        '[[article]]\nid = "001"\nfile = "001_a.txt"\n\n[[article]]\nid = "002"\ntitle = "T"\n',
    )
    with pytest.raises(CorpusError) as err:
        load_catalog(folder)
    message = str(err.value)
    assert str(folder / CATALOG_NAME) in message
    assert "entry 2" in message
    assert "`file`" in message
    assert "add" in message  # says how to fix it
    # the ingest path reports the same error, not a KeyError
    with pytest.raises(CorpusError, match="entry 2"):
        list(iter_articles(folder))


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("file = 3", "file"),
        ('file = "001_a.txt"\nid = 1', "id"),
        ('file = "001_a.txt"\ntitle = ["x"]', "title"),
        ('file = "001_a.txt"\nauthor = false', "author"),
        ('file = "001_a.txt"\noutlet = 2.5', "outlet"),
        ('file = "001_a.txt"\ntitle_assigned = "yes"', "title_assigned"),
        ('file = ""', "file"),
    ],
)
def test_catalog_field_of_wrong_type_is_named(tmp_path: Path, entry: str, field: str) -> None:
    folder = _folder(tmp_path, f"[[article]]\n{entry}\n")
    with pytest.raises(CorpusError) as err:
        load_catalog(folder)
    message = str(err.value)
    assert CATALOG_NAME in message
    assert "entry 1" in message
    assert f"`{field}`" in message
    assert "must be" in message or "give" in message


def test_catalog_article_that_is_not_a_table(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 'article = ["001_a.txt"]\n')
    with pytest.raises(CorpusError, match=r"entry 1 is str, not a table"):
        load_catalog(folder)
    folder2 = _folder(tmp_path / "b", 'article = "001_a.txt"\n')
    with pytest.raises(CorpusError, match="must be a list"):
        load_catalog(folder2)


def test_catalog_duplicate_file_is_an_error(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        '[[article]]\nfile = "001_a.txt"\n\n[[article]]\nfile = "001_a.txt"\nid = "9"\n',
    )
    with pytest.raises(CorpusError, match=r"entry 2: field `file` '001_a.txt' .*entry 1"):
        load_catalog(folder)


def test_catalog_unknown_keys_and_valid_fields_are_accepted(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        '[[article]]\nfile = "001_a.txt"\nid = "001"\ntitle = "T"\nauthor = "A"\n'
        'outlet = "O"\ntitle_assigned = true\ndate = 2024-01-01\nnotes = "anything"\n',
    )
    catalog = load_catalog(folder)
    assert list(catalog) == ["001_a.txt"]
    [article] = list(iter_articles(folder))
    assert (article.id, article.title, article.author, article.outlet) == ("001", "T", "A", "O")
    assert article.title_assigned is True


# --- item 13: special files among the seeds ---------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_dangling_lock_and_temp_files_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _folder(tmp_path, '[[article]]\nfile = "001_a.txt"\nid = "001"\n')
    os.mkfifo(folder / "002_fifo.txt")  # opening this for reading would block forever
    os.symlink(folder / "gone.txt", folder / ".#001_a.txt")  # Emacs lock: dangling symlink
    os.symlink(folder / "missing.txt", folder / "003_dangling.txt")
    for name in ("001_a.txt~", "001_a.txt.swp", ".hidden.txt", "~lock.txt", "004.tmp"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    (folder / "005_dir.txt").mkdir()
    (folder / ".git").mkdir()
    (folder / ".git" / "006_inside.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "007_link.txt").symlink_to(folder / "001_a.txt")  # a link to a regular file: fine

    with caplog.at_level(logging.WARNING, logger="rag.readers"):
        files = article_files(folder)
    assert [p.name for p in files] == ["001_a.txt", "007_link.txt"]
    warned = caplog.text
    for name in (
        "002_fifo.txt",
        ".#001_a.txt",
        "003_dangling.txt",
        "001_a.txt~",
        "001_a.txt.swp",
        ".hidden.txt",
        "~lock.txt",
        "005_dir.txt",
    ):
        assert name in warned, name
    assert "named pipe" in warned
    assert "missing file" in warned
    assert "006_inside" not in warned  # hidden folders are not searched
    # the ingest reads the regular file and the link to one, and nothing else
    assert [a.id for a in iter_articles(folder)] == ["001", "007"]


@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_iter_articles_over_a_fifo_returns_promptly(tmp_path: Path) -> None:
    folder = _folder(tmp_path, None, files=("001_a.txt", "002_b.txt"))
    os.mkfifo(folder / "003_fifo.md")
    os.symlink(tmp_path / "nowhere.txt", folder / ".#002_b.txt")
    ids = [a.id for a in iter_articles(folder)]
    assert ids == ["001", "002"]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_rag_ingest_warns_once_per_skipped_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The CLI counts the files for its progress bar, then ingests: one warning each."""
    from click.testing import CliRunner

    from rag.cli import cli

    folder = _folder(tmp_path, None)
    os.mkfifo(folder / "002_fifo.txt")
    args = ["--data-dir", str(tmp_path / "data"), "--seeds-dir", str(folder), "ingest"]
    with caplog.at_level(logging.WARNING, logger="rag.readers"):
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    warned = [r for r in caplog.records if "002_fifo.txt" in r.getMessage()]
    assert len(warned) == 1


@pytest.mark.timeout(20)
def test_socket_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path, None)
    monkeypatch.chdir(folder)  # a relative name keeps the socket path short enough
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind("002_s.txt")
        assert [p.name for p in article_files(folder)] == ["001_a.txt"]


@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_reading_a_fifo_directly_fails_fast(tmp_path: Path) -> None:
    from rag.corpus import read_text

    os.mkfifo(tmp_path / "x.txt")
    with pytest.raises(CorpusError, match="not a regular file"):
        read_text(tmp_path / "x.txt")


# --- item 16: API argument validation ----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("k", [-1, 0, 51, 2.5, True, "3"])
def test_ask_rejects_k_outside_the_allowed_range(seeded_pipeline: Pipeline, k: object) -> None:
    with pytest.raises(ValueError, match=r"k must be a whole number from 1 to 50"):
        seeded_pipeline.ask("What is Reko Diq?", k=k)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"from 1 to 50"):
        seeded_pipeline.retrieve("What is Reko Diq?", k=k)  # type: ignore[arg-type]


@pytest.mark.slow
def test_retrieve_rejects_an_unknown_mode(seeded_pipeline: Pipeline) -> None:
    with pytest.raises(ValueError, match=r"mode must be one of hybrid, dense, bm25"):
        seeded_pipeline.retrieve("What is Reko Diq?", mode="bogus")  # type: ignore[arg-type]


@pytest.mark.slow
def test_valid_arguments_still_work(seeded_pipeline: Pipeline) -> None:
    for mode in ("hybrid", "dense", "bm25"):
        assert seeded_pipeline.retrieve("What is Reko Diq?", k=1, mode=mode)  # type: ignore[arg-type]
    assert len(seeded_pipeline.retrieve("What is Reko Diq?", k=50)) <= 50
    assert seeded_pipeline.ask("What is Reko Diq?", k=None).text


@pytest.mark.parametrize("articles", ["001", [1, 2], ("001", None), {"001": 1}])
def test_articles_must_be_a_list_of_strings(tmp_path: Path, articles: object) -> None:
    # rejected before anything is loaded, so no index is needed
    pipeline = Pipeline(Settings(data_dir=tmp_path / "data", _env_file=None))  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="articles must be a list of article id strings"):
        pipeline.retrieve("What is Reko Diq?", articles=articles)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="articles must be a list of article id strings"):
        pipeline.ask("What is Reko Diq?", articles=articles)  # type: ignore[arg-type]
    assert not (tmp_path / "data").exists()  # nothing was ingested or opened first


# --- item 16: `rag chat` counts only the user's own follow-up ----------------------------


def test_chat_follow_up_is_not_rejected_for_the_previous_questions_length() -> None:
    from rag.cli import _standalone
    from rag.conversation import condense

    limit = 2000
    previous = "Tell me about Reko Diq and " + "the copper mine " * 88  # ~1,400 characters
    follow_up = "And what about it? " + "more words here " * 67  # ~1,100 characters
    assert len(follow_up) < limit < len(condense(follow_up, [previous]))

    standalone = _standalone(follow_up, [previous], limit)
    assert len(standalone) <= limit
    assert standalone.startswith(" ".join(follow_up.split()))
    assert "following up on: Tell me about Reko Diq" in standalone
    assert standalone.endswith("…)")

    # the user's own question is still held to the limit, with its own length
    with pytest.raises(ValueError, match=r"is 2100 characters long; the limit is 2000"):
        _standalone("x" * 2100, [previous], limit)
    # short follow-ups are condensed as before; a standalone question is left alone
    assert _standalone("And what about India?", ["What is Reko Diq?"], limit) == condense(
        "And what about India?", ["What is Reko Diq?"]
    )
    assert _standalone("Who wrote the CISS article?", [previous], limit) == (
        "Who wrote the CISS article?"
    )


# --- item 14: credentials in OPENAI_BASE_URL and server paths stay out of messages ------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _credentialed_url() -> str:
    return f"http://user:pass@127.0.0.1:{_closed_port()}/v1?api_key=abc&token=zq9&x=1"


def test_where_and_redact_hide_url_credentials() -> None:
    from rag.generation.chat import OpenAIGenerator
    from rag.generation.redaction import redact, redact_url

    url = "http://user:pass@host:8/v1?api_key=abc&Token=t1&x=1"
    gen = OpenAIGenerator(Settings(openai_base_url=url, _env_file=None))  # type: ignore[call-arg]
    assert gen.where == "http://***@host:8/v1?api_key=***&Token=***&x=1"
    assert redact_url("https://api.openai.com/v1") == "https://api.openai.com/v1"
    for name in ("key", "secret", "password", "apikey", "access_token"):
        assert redact_url(f"http://h/v1?{name}=s3cr3t") == f"http://h/v1?{name}=***"
    # redact scrubs any URL userinfo in free text, and still the key itself
    message = redact("failed: https://bob:hunter2@proxy.example/v1 with sk-abcdefghij", None)
    for leaked in ("hunter2", "bob", "abcdefghij"):
        assert leaked not in message
    assert "https://***@proxy.example/v1" in message


@pytest.mark.timeout(60)
def test_openai_failure_note_has_no_url_credentials(caplog: pytest.LogCaptureFixture) -> None:
    from rag.errors import GeneratorUnavailable
    from rag.generation.chat import OpenAIGenerator
    from rag.schema import Passage

    settings = Settings(  # type: ignore[call-arg]
        openai_base_url=_credentialed_url(),
        openai_max_retries=0,
        openai_timeout=5,
        _env_file=None,
    )
    source = Passage(article_id="001", title="T", paragraph=1, text="A sentence.", score=1.0)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(GeneratorUnavailable) as err:
        OpenAIGenerator.from_settings(settings).generate("What?", [source], [])
    message = str(err.value)
    assert "could not connect" in message
    assert "127.0.0.1" in message  # still says where
    warnings = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    for secret in ("pass", "abc", "zq9"):
        assert secret not in message
        assert secret not in warnings


def test_log_filter_scrubs_request_urls_from_any_logger() -> None:
    from rag.generation.redaction import RedactingFilter

    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        'HTTP Request: POST %s "%s"',
        ("http://user:pass@h:1/v1/chat/completions?api_key=abc", "HTTP/1.1 200 OK"),
        None,
    )
    assert RedactingFilter().filter(record)
    shown = logging.Formatter("%(message)s").format(record)
    assert "pass" not in shown
    assert "abc" not in shown
    assert "http://***@h:1/v1/chat/completions?api_key=***" in shown


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_pipeline_fallback_note_and_log_have_no_url_credentials(
    seeded_pipeline: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    from rag.generation.chat import OpenAIGenerator

    settings = seeded_pipeline.settings.model_copy(
        update={"openai_base_url": _credentialed_url(), "openai_max_retries": 0}
    )
    seeded_pipeline._generators["openai"] = OpenAIGenerator(settings)
    caplog.set_level(logging.DEBUG)
    try:
        answer = seeded_pipeline.ask("What is Reko Diq?", generator="openai")
    finally:
        seeded_pipeline._generators.pop("openai", None)
    notes = " ".join(answer.notes)
    warnings = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    assert "openai generator unavailable" in notes
    assert "generator openai failed" in warnings
    for secret in ("pass", "abc", "zq9"):
        assert secret not in notes
        assert secret not in warnings


def test_reader_messages_cut_server_paths_and_url_credentials() -> None:
    from ui.render import reader_message, render_error

    message = (
        "cannot open the Chroma index at /work/main/data/index: [Errno 13] Permission "
        "denied: '/work/main/data/index/chroma.sqlite3'; also /tmp/x/y.txt, /home/u/a.gguf "
        "and /root/m.onnx from http://user:pass@host:8/v1?api_key=abc, and/or 1/2"
    )
    shown = reader_message(message)
    for path in ("/work/", "/tmp/", "/home/", "/root/", "pass", "abc"):
        assert path not in shown
    for name in ("'chroma.sqlite3'", "y.txt", "m.onnx"):
        assert name in shown
    assert "http://***@host:8/v1?api_key=***" in shown
    assert "and/or 1/2" in shown  # not paths
    box = render_error(message)
    assert "/work/" not in box
    assert "chroma.sqlite3" in box


# --- item 15: the feedback endpoint accepts only bounded up/down votes -----------------


def _answer(text: str = "An answer [1].", quote: str = "A quote.") -> object:
    from rag.schema import Answer, Citation

    citation = Citation(1, "001", "T", 1, "Paragraph text. " * 10, 0.9, quote=quote)
    return Answer(
        question="What?",
        text=text,
        citations=[citation],
        passages=[],
        generator="extractive",
        supported=True,
    )


@pytest.mark.parametrize("vote", ["sideways", "", "UPVOTE", None, 1, "up" * 400])
def test_feedback_rejects_votes_other_than_up_or_down(tmp_path: Path, vote: object) -> None:
    from ui.feedback import FeedbackRejected, feedback_record

    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(FeedbackRejected, match="a vote must be up or down"):
        feedback_record(_answer(), "What?", vote, {}, settings)  # type: ignore[arg-type]


def test_feedback_comment_is_optional_and_bounded(tmp_path: Path) -> None:
    from ui.feedback import MAX_COMMENT_CHARS, FeedbackRejected, feedback_record

    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    record = feedback_record(_answer(), "What?", "Down", {}, settings, comment="  wrong  ")
    assert record["vote"] == "down"
    assert record["comment"] == "wrong"
    assert feedback_record(_answer(), "q", "up", {}, settings)["comment"] is None
    ok = "x" * MAX_COMMENT_CHARS
    assert feedback_record(_answer(), "q", "up", {}, settings, comment=ok)["comment"] == ok
    with pytest.raises(FeedbackRejected, match="at most 500 characters"):
        feedback_record(_answer(), "q", "up", {}, settings, comment=ok + "x")
    with pytest.raises(FeedbackRejected, match="must be text"):
        feedback_record(_answer(), "q", "up", {}, settings, comment=["x"])  # type: ignore[arg-type]


def test_feedback_record_size_is_bounded(tmp_path: Path) -> None:
    import json

    from ui.feedback import MAX_RECORD_BYTES, feedback_record

    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    huge = "word " * 100_000
    record = feedback_record(_answer(huge, quote=huge), huge, "up", {}, settings)
    assert len(json.dumps(record, ensure_ascii=False).encode()) <= MAX_RECORD_BYTES


def test_vote_ledger_dedupes_and_limits_a_session() -> None:
    from ui.feedback import MAX_VOTES_PER_SESSION, FeedbackRejected, VoteLedger

    ledger = VoteLedger()
    assert ledger.admit(1, "up")
    assert not ledger.admit(1, "up")  # the same vote again: ignored
    assert ledger.admit(1, "down")  # a changed vote is stored; the last one wins
    assert not ledger.admit(1, "down")
    with pytest.raises(FeedbackRejected):
        ledger.admit(2, "meh")
    assert ledger.stored == 2
    for turn in range(2, MAX_VOTES_PER_SESSION):
        assert ledger.admit(turn, "up")
    assert ledger.stored == MAX_VOTES_PER_SESSION
    with pytest.raises(FeedbackRejected, match=f"limit of {MAX_VOTES_PER_SESSION} votes"):
        ledger.admit(10_000, "up")
    assert VoteLedger().session_id != ledger.session_id


# --- item 12: a read-only data folder is reported as such, not as corruption ------------


def test_embedded_hint_names_the_unwritable_folder_and_the_fix(tmp_path: Path) -> None:
    from rag.store_files import embedded_hint

    hint = embedded_hint(tmp_path / "index", tmp_path / "index")
    assert f"{tmp_path / 'index'} is not writable" in hint
    assert "make it writable" in hint
    assert "RAG_DATA_DIR" in hint
    assert "--rebuild" not in hint
    assert "corrupt" not in hint
    assert "rebuild" in embedded_hint(tmp_path / "index", None)


def test_unwritable_index_folder_is_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag import store_files as store

    folder = tmp_path / "data" / "index"
    folder.mkdir(parents=True)
    (folder / "chroma.sqlite3").write_bytes(b"")
    assert store.unwritable(folder) is None
    assert store.unwritable(tmp_path / "data" / "missing" / "index") is None
    # no real permissions needed (CI runs as root, which ignores them)
    monkeypatch.setattr(store.os, "access", lambda path, mode: Path(path) != folder)
    assert store.unwritable(folder) == folder
    sqlite = folder / "chroma.sqlite3"
    monkeypatch.setattr(store.os, "access", lambda path, mode: Path(path) != sqlite)
    assert store.unwritable(folder) == sqlite


def test_ingest_into_a_read_only_data_folder_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`rag ingest` takes its writer lock first: a data folder it cannot write gives the
    one-line "not writable" error, not a PermissionError traceback. Permissions are
    simulated (CI runs as root, which ignores them)."""
    from click.testing import CliRunner

    from rag import store_files, store_lock
    from rag.cli import cli

    data = tmp_path / "data"
    data.mkdir()

    def refuse(path: object, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(store_lock, "open", refuse, raising=False)
    denied = lambda path, mode: Path(path) == data and bool(mode & os.W_OK)  # noqa: E731
    monkeypatch.setattr(store_files.os, "access", lambda path, mode: not denied(path, mode))
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "ingest"])
    assert result.exit_code == 1, result.output
    assert f"{data} is not writable" in result.output
    assert "Traceback" not in result.output
    (error,) = [line for line in result.output.splitlines() if "not writable" in line]
    assert error.startswith("error: cannot take the writer lock")


@pytest.mark.slow
@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root ignores file permissions; the hint is tested without them above",
)
def test_read_only_data_folder_says_it_is_not_writable(tmp_path: Path) -> None:
    from rag.errors import IndexUnavailable
    from rag.store import open_client

    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    open_client(settings)  # creates the index
    for path in (settings.index_dir, *settings.index_dir.rglob("*")):
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        with pytest.raises(IndexUnavailable, match="not writable"):
            open_client(settings.model_copy(update={"data_dir": tmp_path / "data"}))
    finally:
        for path in (settings.index_dir, *settings.index_dir.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
