"""The `rag` command: a thin layer over `rag.api`. Results go to stdout, logs to stderr.

Only click loads at import: settings (pydantic), the pipeline (llama-index, Chroma, the
models) and logging's redaction load when a command body needs them, so `rag --help` and
`rag <command> --help` return at once.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from rag.cli_views import view_commands
from rag.defaults import apply_offline_defaults
from rag.errors import CorpusError, IndexUnavailable
from rag.generation import GENERATORS

if TYPE_CHECKING:
    from rag.config import Settings
    from rag.schema import Answer

F = TypeVar("F", bound=Callable[..., Any])


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    """The settings for this run, read on first use: `--help` never pays for pydantic."""
    base: Settings | None = ctx.obj.get("settings")
    if base is None:
        from rag.config import get_settings

        try:
            base = get_settings(**ctx.obj["overrides"])
        except Exception as exc:  # pydantic's message names the bad variable
            _fail(f"invalid settings: {exc}", 2)
        ctx.obj["settings"] = base
    clean = {k: v for k, v in overrides.items() if v is not None}
    return base.model_copy(update=clean) if clean else base


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _handle_errors(func: F) -> F:
    """Known failures become a one-line message; bad input exits 2, the rest 1."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValueError as exc:  # includes CorpusError: bad input
            _fail(str(exc), 2)
        except IndexUnavailable as exc:
            _fail(str(exc), 1)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # unforeseen: still one line, and where to look next
            if click.get_current_context().find_root().params.get("verbose", 0) >= 2:
                raise  # -vv: the whole traceback
            _fail(
                f"unexpected {type(exc).__name__}: {exc}; run `rag doctor` to check the "
                "index, or add -vv to see where it failed",
                1,
            )

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


class _LazyRedactingFilter(logging.Filter):
    """`rag.generation.redaction.RedactingFilter`, imported with the first record rather than at
    start-up (it pulls in the answering modules); nothing logs before a command body runs."""

    _inner: logging.Filter | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if self._inner is None:
            from rag.generation.redaction import RedactingFilter

            self._inner = RedactingFilter()
        return bool(self._inner.filter(record))


class _MinLevel(logging.Filter):
    """Passes records at or above `level`; one instance, so each command resets it."""

    level = logging.INFO

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


_BM25S_QUIET = _MinLevel()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(), help="Index/data folder [env RAG_DATA_DIR].")
@click.option("--seeds-dir", type=click.Path(), help="Articles folder [env RAG_SEEDS_DIR].")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, seeds_dir: str | None, verbose: int) -> None:
    """Ask questions about the article corpus and get answers citing article and paragraph.

    Runs offline with no API key; set OPENAI_API_KEY (and OPENAI_BASE_URL for a
    compatible server) to answer with an LLM. Settings: see .env.example.
    """
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    # bm25s's index build is noise. A filter, not a level: bm25s sets its own logger to
    # DEBUG when it is imported, which happens later, at the first ingest or question.
    _BM25S_QUIET.level = max(level, logging.INFO)
    logging.getLogger("bm25s").addFilter(_BM25S_QUIET)  # added once, however often cli runs
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    for handler in logging.getLogger().handlers:  # no credential from a URL on stderr
        handler.addFilter(_LazyRedactingFilter())
    overrides = {"data_dir": data_dir, "seeds_dir": seeds_dir}
    ctx.obj = {"overrides": {k: v for k, v in overrides.items() if v}}


@cli.command()
@click.option(
    "--rebuild",
    is_flag=True,
    help="Re-embed every article (after a model change, or to recover a damaged index).",
)
@click.option("--wait", is_flag=True, help="If another ingest is running, wait for it.")
@click.pass_context
@_handle_errors
def ingest(ctx: click.Context, rebuild: bool, wait: bool) -> None:
    """Index the articles folder: incremental, atomic, one writer at a time, with progress."""
    from tqdm import tqdm

    from rag.api import get_pipeline
    from rag.readers import article_files

    settings = _settings(ctx)
    pipeline = get_pipeline(settings)
    readers_log = logging.getLogger("rag.readers")
    level = readers_log.level
    readers_log.setLevel(logging.ERROR)  # counting only: the ingest warns of skipped files
    try:
        total = len(article_files(settings.seeds_dir))
    except CorpusError as exc:
        _fail(str(exc), 2)
    finally:
        readers_log.setLevel(level)
    with tqdm(total=total, unit="article", file=sys.stderr, desc="ingest") as bar:

        def step(article: Any, status: str) -> None:
            bar.set_postfix_str(f"{article.id} {status}")
            bar.update(1)

        try:
            report = pipeline.ingest(
                rebuild=rebuild, wait=wait, on_article=step, on_wait=lambda m: bar.write(m)
            )
        except CorpusError as exc:
            bar.close()
            _fail(f"{exc}\nthe previous index is unchanged and still usable", 2)
    click.echo(f"{report.summary()} -> {report.where}")


@cli.command()
@click.pass_context
@_handle_errors
def doctor(ctx: click.Context) -> None:
    """Check every file the index keeps (database, vectors, BM25, seeds) and say the fix."""
    from rag.doctor import diagnose

    checks = diagnose(_settings(ctx))
    for check in checks:
        click.echo(check.line())
    if not all(check.ok for check in checks):
        sys.exit(1)


def _print_answer(answer: Answer) -> None:
    click.echo(answer.text)
    for note in answer.notes:  # how it was read ("read “Muneer” as “Munir”…"), fallbacks
        if not note.startswith("answerability"):  # the gate's score: `rag ask --json` has it
            click.echo(click.style(f"({note})", dim=True))
    if answer.unsupported_sentences:
        click.echo(
            click.style(
                f"\n⚠ {len(answer.unsupported_sentences)} sentence(s) not supported "
                "by their citations",
                fg="yellow",
            )
        )
    if answer.citations:  # a refusal's text quotes its closest passage, cited too
        click.echo("\nSources:")
        for c in answer.citations:
            click.echo(f"  [{c.marker}] {c.title} ({c.article_id}), {c.label}: {c.quote or c.text}")
    if not answer.supported and answer.passages:
        click.echo("\nClosest passages:")
        for p in answer.passages[:3]:
            snippet = p.text if len(p.text) < 200 else p.text[:197] + "…"
            click.echo(f"  - {p.title} ({p.article_id}), {p.label}: {snippet}")
    click.echo(click.style(f"\n[{answer.generator}, {answer.seconds:.2f}s]", dim=True), err=True)


@cli.command()
@click.argument("question")
@click.option("-k", "--top-k", type=click.IntRange(1, 50), help="Passages to answer from.")
@click.option(
    "-a", "--article", "articles", multiple=True, help="Restrict to article id (repeatable)."
)
@click.option(
    "-g",
    "--generator",
    type=click.Choice(GENERATORS),
    help="Override RAG_GENERATOR.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
@click.pass_context
@_handle_errors
def ask(
    ctx: click.Context,
    question: str,
    top_k: int | None,
    articles: tuple[str, ...],
    generator: str | None,
    as_json: bool,
) -> None:
    """Answer QUESTION from the articles, with numbered sources."""
    from rag.api import get_pipeline

    answer = get_pipeline(_settings(ctx)).ask(
        question, k=top_k, articles=list(articles) or None, generator=generator
    )
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)


def _standalone(question: str, history: list[str], max_chars: int) -> str:
    """The question to search for in `rag chat`. The length limit applies to what the
    user typed; a follow-up that borrows the previous question is kept within the limit
    by shortening the borrowed part, never by rejecting the user's own question."""
    from rag.conversation import condense
    from rag.validation import validate_question

    typed = validate_question(question, max_chars)
    standalone = condense(typed, history)
    if standalone == typed or len(" ".join(standalone.split())) <= max_chars:
        return standalone
    previous = " ".join(history[-1].split()).rstrip("?")
    overhead = len(condense(typed, [*history[:-1], "x"])) - 1  # everything but `previous`
    room = max_chars - overhead - 1  # one character for the ellipsis
    if room < 1:
        return typed
    cut = previous[:room]
    if " " in cut and not previous[room : room + 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return condense(typed, [*history[:-1], cut.rstrip() + "…"])


@cli.command()
@click.option("-g", "--generator", type=click.Choice(GENERATORS))
@click.pass_context
@_handle_errors
def chat(ctx: click.Context, generator: str | None) -> None:
    """A conversation in the terminal (empty line or Ctrl-D to quit)."""
    from rag.api import get_pipeline
    from rag.comparison_chat import chat_stream
    from rag.schema import Answer

    pipeline = get_pipeline(_settings(ctx))
    history: list[str] = []
    click.echo("Ask about the articles. An empty line or Ctrl-D quits.", err=True)
    while True:
        try:
            question = click.prompt("you", default="", show_default=False, err=True)
        except (EOFError, click.Abort):
            break
        if not question.strip():
            break
        try:
            standalone = _standalone(question, history, pipeline.settings.max_question_chars)
            answer = None
            # Questions on what "the articles" say are answered per article (rag.comparison_chat).
            for event in chat_stream(pipeline, standalone, generator=generator):
                if isinstance(event, Answer):
                    answer = event
                else:
                    click.echo(event, nl=False)
            click.echo()
        except ValueError as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        history.append(question)
        if answer and answer.citations:
            for c in answer.citations:
                click.echo(f"  [{c.marker}] {c.title}, {c.label}")


@cli.command(name="eval", context_settings={"ignore_unknown_options": True}, add_help_option=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
@_handle_errors
def eval_(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Score the pipeline on eval/gold.jsonl (see `rag eval --help`)."""
    from eval.run import main as eval_main

    sys.exit(eval_main(list(args), settings=_settings(ctx)))


@cli.command()
@click.option("--host", help="Bind address [env RAG_HOST, default 127.0.0.1].")
@click.option("--port", type=int, help="Port [env RAG_PORT, default 7860].")
@click.pass_context
@_handle_errors
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Start the chat UI in the browser."""
    from ui.app import launch

    launch(_settings(ctx, host=host, port=port))


# `rag compare`, `rag timeline`, `rag entities` (rag/cli_views.py).
for _command in view_commands(_settings, _handle_errors):
    cli.add_command(_command)


def main() -> None:
    apply_offline_defaults()  # offline unless the user chose otherwise
    try:
        cli(prog_name="rag")
    finally:
        # The heap dies with the process: exempting it from the collections run at exit
        # saves a cold `rag ask` about 0.5 s of walking Chroma's, spaCy's and our objects.
        gc.freeze()


if __name__ == "__main__":
    main()
