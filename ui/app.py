"""The reader's chat UI (`rag serve`): layout and event handlers.

One pipeline per process (index and models load once, warmed up in the background at
launch); each browser session keeps its own conversation in a `gr.State`. Rendering lives
in `ui.render`, the page's CSS/JS in `ui.assets`, votes in `ui.feedback`.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from rag import IndexUnavailable, Pipeline, get_pipeline
from rag.comparison_chat import chat_stream
from rag.config import Settings
from rag.conversation import condense
from rag.defaults import apply_offline_defaults
from rag.generation import GENERATORS
from rag.schema import Answer
from ui import render
from ui.assets import CSS, HEAD
from ui.feedback import (
    FeedbackRejected,
    VoteLedger,
    append_feedback,
    feedback_path,
    feedback_record,
)
from ui.views import VIEWS_CSS, VIEWS_HEAD, ViewControls, ask_about, build_view_tabs

log = logging.getLogger(__name__)

TITLE = "Ask the articles: Pakistan–US relations"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
EXAMPLES = [
    "By how much were tariffs on Pakistani goods lowered?",
    "Who is Pakistan's minister for crypto?",
    "Why is the US re-engaging Pakistan?",
    "What minerals could Pakistan offer US investors?",
]
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _articles(count: int | None) -> str:
    """The article count in words ("the five articles", "the one article", "the 12
    articles"), or "the articles" before the page has asked the index how many."""
    if count is None:
        return "the articles"
    word = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
    return f"the {word} article" + ("" if count == 1 else "s")


def header(count: int | None) -> str:
    return (
        f'<div class="app-header"><h1>{TITLE}</h1>'
        f"<p>Answers come only from {_articles(count)}, and every claim cites the paragraph "
        "it comes from. Click a marker like [1] to see the passage, then open it in the "
        "article reader.</p></div>"
    )


THEME = gr.themes.Soft(
    primary_hue="teal",
    neutral_hue="slate",
    # Regular and Bold only: the bundled SemiBold file lacks glyphs (bold "a" fell back).
    font=(gr.themes.LocalFont("IBM Plex Sans", weights=(400, 700)), "ui-sans-serif", "sans-serif"),
    font_mono=(gr.themes.LocalFont("IBM Plex Mono"), "ui-monospace", "monospace"),
)


def placeholder(count: int | None) -> str:
    return (
        f"**Ask a question about {_articles(count)}.**<br>"
        "Try one of the examples below, or ask your own. Follow-up questions "
        "(“When was he appointed?”) build on the conversation."
    )


@dataclass
class Turn:
    number: int
    asked: str
    answer: Answer
    message_index: int
    options: dict[str, Any]


@dataclass
class Session:
    """One browser session's conversation."""

    history: list[str] = field(default_factory=list)  # the reader's questions, for condense
    turns: list[Turn] = field(default_factory=list)
    votes: VoteLedger = field(default_factory=VoteLedger)  # dedupe and per-session limit

    def sources_html(self) -> str:
        return render.render_sources_panel([(t.number, t.asked, t.answer) for t in self.turns])


def _message(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def _error_text(exc: Exception) -> str:
    if isinstance(exc, IndexUnavailable):
        return f"the article index is unavailable: {exc}"
    if isinstance(exc, ValueError):
        return str(exc)
    log.exception("answering failed")
    return f"something went wrong while answering ({type(exc).__name__}); please try again"


def make_respond(pipeline: Pipeline) -> Callable[..., Iterator[tuple[Any, ...]]]:
    def respond(
        question: str,
        chat: list[dict[str, Any]],
        session: Session,
        articles: list[str],
        k: float,
        generator: str,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat; outputs: chat, sources, session, question box."""
        asked = " ".join((question or "").split())
        number = len(session.turns) + 1
        chat = list(chat or [])
        if asked:
            chat.append(_message("user", render.esc(asked)))
        chat.append(_message("assistant", render.render_partial("", number)))
        yield chat, gr.skip(), session, ""  # clear the box once, as the question is taken
        options = {"k": int(k), "articles": list(articles or []), "generator": generator}
        try:
            answer, streamed = None, ""
            if generator == "openai" and not pipeline.settings.openai_configured:
                raise ValueError(
                    "the openai writer is not set up on this server (no OPENAI_API_KEY or "
                    "OPENAI_BASE_URL); choose extractive under Search options"
                )
            standalone = condense(asked, session.history)
            # "What do the articles say about X?" is answered per article (rag.comparison_chat).
            events = chat_stream(
                pipeline, standalone, k=int(k), articles=articles or None, generator=generator
            )
            for event in events:
                if isinstance(event, Answer):
                    answer = event
                else:
                    streamed += event
                    chat[-1] = _message("assistant", render.render_partial(streamed, number))
                    # gr.skip(): the reader may already be typing the next question
                    yield chat, gr.skip(), session, gr.skip()
            if answer is None:
                raise RuntimeError("the pipeline produced no answer")
        except Exception as exc:  # every failure becomes a short message, never a traceback
            chat[-1] = _message("assistant", render.render_error(_error_text(exc)))
            yield chat, gr.skip(), session, gr.skip()
            return
        session.history.append(asked)
        session.turns.append(Turn(number, asked, answer, len(chat) - 1, options))
        chat[-1] = _message("assistant", render.render_answer(answer, number, asked))
        yield chat, session.sources_html(), session, gr.skip()

    return respond


def make_vote(settings: Settings) -> Callable[..., None]:
    def vote(session: Session, data: gr.LikeData) -> None:
        turn = next((t for t in session.turns if t.message_index == data.index), None)
        if turn is None:
            return
        if data.liked is None:  # a vote taken back: nothing to store
            return
        liked = data.liked if isinstance(data.liked, bool | str) else repr(data.liked)
        choice = {True: "up", "Like": "up", False: "down", "Dislike": "down"}.get(liked, str(liked))
        try:
            record = feedback_record(
                turn.answer,
                turn.asked,
                choice,
                turn.options,
                settings,
                session_id=session.votes.session_id,
                turn=turn.number,
            )
            if not session.votes.admit(turn.number, record["vote"]):
                return  # the same vote again on the same answer: already stored
        except FeedbackRejected as exc:
            gr.Warning(f"Your feedback was not saved: {exc}.")
            return
        try:
            append_feedback(feedback_path(settings), record)
        except OSError as exc:
            log.warning("could not save feedback: %s", exc)
            gr.Warning("Your feedback could not be saved.")
            return
        gr.Info("Thanks, your feedback was saved.")

    return vote


def new_conversation() -> tuple[Any, ...]:
    return [], render.EMPTY_SOURCES, Session(), ""


def make_fill(pipeline: Pipeline, views: ViewControls) -> Callable[[], list[Any]]:
    """What a page shows of the articles, read from the index (built on first use) each
    time a page loads, so it always matches what `ask` knows: the header's count, the
    chat's placeholder, the article filter, the reader and the views' article pickers."""

    def fill() -> list[Any]:
        try:
            articles = pipeline.articles()
        except Exception as exc:  # the page still works; the reader says what is wrong
            log.warning("the article reader could not load the index: %s", exc)
            failed = render.render_error(f"the articles could not be loaded: {exc}")
            return [gr.skip(), gr.skip(), gr.skip(), failed, *(gr.skip() for _ in views.pickers)]
        count = len(articles)
        return [
            header(count),
            gr.Chatbot(placeholder=placeholder(count)),
            gr.Dropdown(choices=[(a.title, a.id) for a in articles]),
            render.render_reader(articles),
            *views.fill(articles),
        ]

    return fill


def build_app(settings: Settings) -> gr.Blocks:
    """The whole page. The pipeline is shared; nothing heavy loads here (see `make_fill`)."""
    pipeline = get_pipeline(settings)
    # A bad seed file doesn't stop the UI: the index serves on, and the page names the file.
    problems = pipeline.seed_problems()
    for problem in problems:
        log.warning("%s (the index keeps its last good ingest; fix it, then `rag ingest`)", problem)
    default_generator = settings.resolved_generator()
    # The in-process model is offered only when it is the configured one: it loads a GGUF.
    generators = [g for g in GENERATORS if g != "local" or g == default_generator]

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        session = gr.State(Session())
        title = gr.HTML(header(None))
        if problems:
            gr.HTML(render.render_seed_problems(problems), elem_id="seed-problems")
        with gr.Row(equal_height=False):
            with gr.Column(scale=6, min_width=380):
                chat = gr.Chatbot(
                    elem_id="chat",
                    show_label=False,
                    height="58vh",
                    placeholder=placeholder(None),
                    latex_delimiters=[],
                    buttons=[],
                    layout="panel",
                )
                with gr.Row():
                    question = gr.Textbox(
                        placeholder="Ask a question about the articles…",
                        show_label=False,
                        scale=1,
                        elem_id="question",
                        max_lines=4,
                        autofocus=True,
                    )
                    ask = gr.Button("Ask", variant="primary", scale=0, min_width=90, elem_id="ask")
                    clear = gr.Button(
                        "New conversation", scale=0, min_width=190, elem_id="new-conversation"
                    )
                gr.Markdown("Try one of these:", elem_classes="examples-label")
                with gr.Row(elem_id="examples"):
                    example_buttons = [gr.Button(q, size="sm", min_width=200) for q in EXAMPLES]
                with gr.Accordion("Search options", open=False, elem_id="options"), gr.Row():
                    only = gr.Dropdown(
                        choices=[],
                        value=[],
                        multiselect=True,
                        label="Only these articles",
                        info="Leave empty to search all of them.",
                        scale=3,
                    )
                    k = gr.Slider(
                        1, 10, value=settings.top_k, step=1, label="Passages to consult", scale=2
                    )
                    generator = gr.Radio(
                        generators,
                        value=default_generator,
                        label="Answer writer",
                        info="extractive quotes the articles; openai needs an API key "
                        "on the server.",
                        scale=2,
                    )
            with gr.Column(scale=5, min_width=340), gr.Tabs(elem_id="side-tabs"):
                with gr.Tab("Sources", elem_id="sources-tab", render_children=True):
                    sources = gr.HTML(render.EMPTY_SOURCES, elem_id="sources-panel")
                with gr.Tab("Article reader", elem_id="reader-tab", render_children=True):
                    reader = gr.HTML(render.READER_LOADING, elem_id="reader-panel")
                views = build_view_tabs(pipeline)  # compare, timeline, who's who

        inputs = [question, chat, session, only, k, generator]
        outputs = [chat, sources, session, question]
        respond = make_respond(pipeline)
        question.submit(respond, inputs, outputs, show_progress="hidden")
        ask.click(respond, inputs, outputs, show_progress="hidden")
        clear.click(new_conversation, None, outputs, queue=False)
        chat.clear(new_conversation, None, outputs, queue=False)
        for button, text in zip(example_buttons, EXAMPLES, strict=True):
            button.click(_constant(text), None, question, queue=False).then(
                respond, inputs, outputs, show_progress="hidden"
            )
        views.ask.click(ask_about, views.entity, question, queue=False).then(
            respond, inputs, outputs, show_progress="hidden"
        )
        chat.like(make_vote(settings), session, None)
        demo.load(
            make_fill(pipeline, views),
            None,
            [title, chat, only, reader, *views.pickers],
            show_progress="hidden",
            concurrency_limit=None,  # page loads never wait behind questions
        )
    return demo


def _constant(value: str) -> Callable[[], str]:
    return lambda: value


def _auth(settings: Settings) -> tuple[str, str] | None:
    """The (user, password) to require; refuses a non-loopback bind without one."""
    if settings.ui_auth:
        user, _, password = settings.ui_auth.partition(":")
        if not user or not password:
            raise ValueError("RAG_UI_AUTH must look like user:password")
        return user, password
    if settings.host not in LOOPBACK:
        raise ValueError(
            f"refusing to serve the UI on {settings.host} without a password: set "
            "RAG_UI_AUTH=user:password, or bind to 127.0.0.1 (the default)"
        )
    return None


def _warm_up(pipeline: Pipeline) -> None:
    """Load the index and models before the first question arrives."""
    try:
        pipeline.index  # noqa: B018 - builds from the seeds on first use
        pipeline.scorer  # noqa: B018
        pipeline.generator()
    except Exception as exc:  # the first question will show the problem to the reader
        log.warning("warm-up failed: %s", exc)


def launch(settings: Settings, *, block: bool = True) -> gr.Blocks:
    """Serve the UI on settings.host:settings.port (loopback unless a password is set)."""
    apply_offline_defaults()  # the process entry: offline unless the user chose otherwise
    auth = _auth(settings)
    demo = build_app(settings)
    demo.queue(default_concurrency_limit=settings.ui_concurrency)
    try:
        _serve(demo, settings, auth)
    except OSError as exc:  # e.g. the port is taken
        raise ValueError(f"cannot serve the UI on {settings.host}:{settings.port}: {exc}") from exc
    threading.Thread(target=_warm_up, args=(get_pipeline(settings),), daemon=True).start()
    where = f"http://{settings.host}:{settings.port}/"
    print(
        f"Serving the reader UI at {where}" + (" (login required)" if auth else ""),
        file=sys.stderr,
        flush=True,
    )
    if block:
        demo.block_thread()
    return demo


def _serve(demo: gr.Blocks, settings: Settings, auth: tuple[str, str] | None) -> None:
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        auth=auth,
        prevent_thread_lock=True,
        show_error=False,
        footer_links=[],
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        enable_monitoring=False,
        theme=THEME,
        css=CSS + VIEWS_CSS + render.SEED_PROBLEMS_CSS,
        head=HEAD + VIEWS_HEAD,
        quiet=True,
    )
