"""The corpus views in the UI: "Compare the articles", "Timeline" and "Who's who" tabs.

Pure HTML builders (`render_comparison`, `render_timeline`, `render_people`) and the tabs
that show them. Every citation is a reader link like the chat's sources ("Open in
article"), so a click opens the article reader at that paragraph. Who's who names are
links too: a click asks the chat "What do the articles say about X?" (the page script
`VIEWS_JS` fills the question box and presses Ask); the dropdown and button under the
list do the same without it. Everything loads when its tab is first opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag import Pipeline
from rag.chronology import by_year, timeline_of
from rag.comparison import compare_articles
from rag.comparison_chat import SILENT_ALL, silent_line
from rag.corpus import Article
from rag.findings import Comparison, Event, Person, Ref
from rag.whoswho import people_of
from ui.render import esc, highlight, reader_link, render_error

log = logging.getLogger(__name__)

COMPARE_EXAMPLE = "Who brokered the May India–Pakistan cease-fire?"
EMPTY_COMPARE = (
    '<div class="view-empty"><p><b>Compare the articles on one question.</b></p>'
    "<p>Each article's sentences that bear on it are quoted with their paragraph; the "
    "articles that don't discuss it are named.</p></div>"
)
ALL_ARTICLES = "all"
# Paragraph links shown per article in who's who before the rest fold away.
SHOWN_MENTIONS = 8


def ask_about(name: str | None) -> str:
    """The chat question a who's who name asks ("" when none is chosen)."""
    return f"What do the articles say about {name}?" if name else ""


def _cite(ref: Ref, *, article: bool = True) -> str:
    """A reader link to the paragraph, labelled "004 ¶37" (or "¶37")."""
    label = f"{ref.article_id} {ref.label}" if article else ref.label
    return reader_link(ref.article_id, ref.kind, ref.paragraph, label)


def render_comparison(c: Comparison) -> str:
    """Per article: its sentences, each linking to its paragraph; then the silent ones and
    where they differ. With no article addressing it, the closest passages."""
    out = [f'<div class="compare"><div class="view-q">“{esc(c.question)}”</div>']
    if not c.findings:
        out.append(f'<p class="silent all">{esc(SILENT_ALL)}</p>')
        if c.closest:
            near = "".join(f"<li>{esc(s.text)} {_cite(s.ref)}</li>" for s in c.closest)
            out.append(f'<p class="near-head">Closest passages:</p><ul class="near">{near}</ul>')
        return "".join(out) + "</div>"
    for f in c.findings:
        items = "".join(f"<li>{esc(s.text)} {_cite(s.ref)}</li>" for s in f.sentences)
        out.append(
            f'<section class="cmp-article" data-article="{esc(f.article_id)}">'
            f'<h4><span class="badge">{esc(f.article_id)}</span> {esc(f.title)}</h4>'
            f"<ul>{items}</ul></section>"
        )
    if c.silent:
        out.append(f'<p class="silent">{esc(silent_line(c))}</p>')
    if c.differences:
        out.append(f'<p class="differ">{esc(c.differences)}</p>')
    out += [f'<p class="note">{esc(n)}</p>' for n in c.notes]
    return "".join(out) + "</div>"


def _event(e: Event) -> str:
    also = "".join(
        f'<div class="also">Also dated {esc(d.date_text)} by {_cite(d.ref)}</div>' for d in e.also
    )
    unstated = "" if e.year_stated else '<span class="unstated">year not stated</span>'
    return (
        f'<li class="event" data-date="{esc(e.date)}"><span class="tl-date">'
        f"{esc(e.date_text)}</span>{unstated} "
        f'<span class="tl-text">{highlight(e.sentence, e.date_text)}</span> {_cite(e.ref)}'
        f"{also}</li>"
    )


def render_timeline(events: Sequence[Event]) -> str:
    """Events under year headings, the date as written highlighted in its sentence."""
    if not events:
        return '<div class="view-empty"><p>No dated events match.</p></div>'
    groups = "".join(
        f'<section class="tl-year"><h4>{esc(year)}</h4><ul>{"".join(map(_event, group))}</ul>'
        "</section>"
        for year, group in by_year(events)
    )
    return f'<div class="timeline">{groups}</div>'


def _person(e: Person) -> str:
    kind = "person" if e.label == "PERSON" else "organisation"
    role = f' — <span class="role">{esc(e.role)}</span>' if e.role else ""
    aliases = f'<div class="aliases">also {esc(", ".join(e.aliases))}</div>' if e.aliases else ""
    rows = []
    for article, refs in e.mentions.items():
        links = [_cite(r, article=False) for r in refs]
        shown = " ".join(links[:SHOWN_MENTIONS])
        if len(links) > SHOWN_MENTIONS:
            more = len(links) - SHOWN_MENTIONS
            rest = " ".join(links[SHOWN_MENTIONS:])
            shown += f" <details><summary>{more} more</summary>{rest}</details>"
        rows.append(f'<div class="mentions"><b>{esc(article)}</b> {shown}</div>')
    question = ask_about(e.name)
    return (
        f'<li class="who {kind}" data-name="{esc(e.name)}">'
        f'<a class="ask-about" href="#question" title="{esc(question)}" '
        f'data-question="{esc(question)}">{esc(e.name)}</a> <span class="kind">{kind}</span>'
        f"{role}{aliases}{''.join(rows)}</li>"
    )


def render_people(entries: Sequence[Person]) -> str:
    """People first, then organisations; each name asks the chat about it."""
    if not entries:
        return '<div class="view-empty"><p>No people or organisations found.</p></div>'
    people = [e for e in entries if e.label == "PERSON"]
    orgs = [e for e in entries if e.label != "PERSON"]
    parts = []
    for head, group in (("People", people), ("Organisations", orgs)):
        if group:
            parts.append(f'<h4>{head}</h4><ul class="whos-who">{"".join(map(_person, group))}</ul>')
    return '<div class="people">' + "".join(parts) + "</div>"


def _guarded(render: Callable[..., str]) -> Callable[..., str]:
    def run(*args: Any) -> str:
        try:
            return render(*args)
        except ValueError as exc:  # bad input: the message says what to change
            return render_error(str(exc))
        except Exception as exc:  # never a traceback on the page
            log.exception("a corpus view failed")
            return render_error(f"something went wrong ({type(exc).__name__}); please try again")

    return run


@dataclass
class ViewControls:
    """What the page wires up: the who's who name and its Ask button (to the chat), and
    the article pickers the page fills from the index when it loads (`fill`)."""

    entity: gr.Dropdown
    ask: gr.Button
    pickers: list[gr.Dropdown]  # compare's "Only these articles", the timeline's "Article"

    @staticmethod
    def fill(articles: Sequence[Article]) -> list[gr.Dropdown]:
        """The pickers' choices: every indexed article (the timeline's after "All")."""
        ids = [(f"{a.id} · {a.title}", a.id) for a in articles]
        return [
            gr.Dropdown(choices=ids),
            gr.Dropdown(choices=[("All articles", ALL_ARTICLES), *ids]),
        ]


def build_view_tabs(pipeline: Pipeline) -> ViewControls:
    """The three tabs; call inside the page's side `gr.Tabs`. Building loads nothing:
    the article pickers are empty until the page fills them (`ViewControls.fill`)."""

    def compare(question: str, chosen: list[str]) -> str:
        return render_comparison(compare_articles(pipeline, question, chosen or None))

    def timeline(article: str, about: str) -> str:
        chosen = None if article in (None, "", ALL_ARTICLES) else article
        return render_timeline(timeline_of(pipeline, chosen, about.strip() or None))

    def people() -> tuple[str, Any]:
        found = people_of(pipeline)
        return render_people(found), gr.Dropdown(choices=[e.name for e in found])

    with gr.Tab("Compare the articles", elem_id="compare-tab", render_children=True):
        with gr.Row():
            question = gr.Textbox(
                value=COMPARE_EXAMPLE, show_label=False, scale=4, elem_id="compare-question"
            )
            go = gr.Button("Compare", variant="primary", scale=0, min_width=110)
        chosen = gr.Dropdown([], value=[], multiselect=True, label="Only these articles")
        compared = gr.HTML(EMPTY_COMPARE, elem_id="compare-panel", elem_classes="view-panel")
    with gr.Tab("Timeline", elem_id="timeline-tab", render_children=True) as tl_tab:
        with gr.Row():
            article = gr.Dropdown(
                [("All articles", ALL_ARTICLES)], value=ALL_ARTICLES, label="Article"
            )
            about = gr.Textbox(label="About (a name or topic)", placeholder="e.g. Munir")
            show = gr.Button("Show", scale=0, min_width=90)
        events = gr.HTML(elem_id="timeline-panel", elem_classes="view-panel")
    with gr.Tab("Who's who", elem_id="people-tab", render_children=True) as who_tab:
        with gr.Row():
            entity = gr.Dropdown([], label="Ask the chat about", scale=3)
            ask = gr.Button("Ask", scale=0, min_width=90, elem_id="ask-about")
        listing = gr.HTML(elem_id="people-panel", elem_classes="view-panel")

    go.click(_guarded(compare), [question, chosen], compared)
    question.submit(_guarded(compare), [question, chosen], compared)
    for trigger in (show.click, about.submit, tl_tab.select):
        trigger(_guarded(timeline), [article, about], events)
    who_tab.select(people, None, [listing, entity])
    return ViewControls(entity, ask, [chosen, article])


# The page script's addition: a who's who name fills the chat's question box and asks.
VIEWS_JS = """
(() => {
  if (window.__ragViews) return;
  window.__ragViews = true;
  document.addEventListener("click", (event) => {
    const el = event.target instanceof Element ? event.target : null;
    const link = el && el.closest("a.ask-about");
    if (!link) return;
    event.preventDefault();
    const box = document.querySelector("#question textarea");
    const ask = document.getElementById("ask");
    if (!box || !ask) return;
    box.value = link.dataset.question || "";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(() => ask.click(), 50);
  }, true);
})();
"""
VIEWS_HEAD = f"<script>{VIEWS_JS}</script>"

VIEWS_CSS = """
.view-panel { max-height: 62vh; overflow-y: auto; padding-right: .4em; }
.view-empty { color: var(--body-text-color-subdued); padding: .4em .2em; }
.view-q { font-weight: 650; margin: .2em 0 .6em; }
.cmp-article h4, .tl-year h4, .people h4 { margin: .8em 0 .3em; font-size: 1rem; }
.cmp-article .badge { color: var(--color-accent); font-weight: 700; }
.cmp-article ul, .timeline ul, .whos-who, ul.near { margin: 0; padding-left: 1.1em; }
.cmp-article li, .event, .who { margin: 0 0 .5em; line-height: 1.5; }
.compare .silent, .compare .differ { margin: .6em 0 0; }
.compare .differ { color: var(--body-text-color-subdued); font-size: .92em; }
.tl-date { font-weight: 650; margin-right: .35em; }
.unstated {
  font-size: .78em; border: 1px dashed var(--border-color-primary); border-radius: .4em;
  padding: 0 .35em; margin-right: .35em; color: var(--body-text-color-subdued);
}
.event .also { font-size: .88em; color: var(--body-text-color-subdued); }
a.ask-about { font-weight: 650; cursor: pointer; color: var(--color-accent); }
.who .kind { font-size: .78em; color: var(--body-text-color-subdued); }
.who .aliases, .who .mentions { font-size: .88em; }
.who details { display: inline; }
.who a.open-reader { font-weight: 500; }
"""
