"""`rag compare`, `rag timeline` and `rag entities`: the corpus views on the command line.

Built by `view_commands(settings_of, guard)`, which `rag.cli` calls with its own settings
reader and error handler, so these commands read settings and fail exactly like `ask`
(bad input: one line, exit 2) without this module importing the CLI. Only click loads at
import; the pipeline loads in the command bodies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rag.config import Settings
    from rag.findings import Comparison, Event, Person

Guard = Callable[[Callable[..., Any]], Callable[..., Any]]
# Mentions listed per article before "…" in the text view (--json lists them all).
SHOWN_MENTIONS = 12


def _json(payload: object) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def format_comparison(c: Comparison) -> str:
    """The per-article layout: each article's sentences with their paragraph, the silent
    articles, where they differ; or, when none addresses it, the closest passages."""
    from rag.comparison_chat import SILENT_ALL, silent_line

    lines: list[str] = []
    if not c.findings:
        lines.append(SILENT_ALL)
        if c.closest:
            lines += ["", "Closest passages:"]
            lines += [
                f"  - {s.ref.title} ({s.ref.article_id}), {s.ref.label}: {s.text}"
                for s in c.closest
            ]
        return "\n".join(lines)
    for f in c.findings:
        lines.append(click.style(f"{f.article_id}  {f.title}", bold=True))
        lines += [f"  {s.ref.label:>10}  {s.text}" for s in f.sentences]
        lines.append("")
    if c.silent:
        lines.append(silent_line(c))
    if c.differences:
        lines.append(c.differences)
    lines += [click.style(note, dim=True) for note in c.notes]
    return "\n".join(lines).rstrip()


def format_timeline(events: list[Event]) -> str:
    """Events under year headings, each as written, cited, with its sentence; other
    articles' datings of the same event under it."""
    from rag.chronology import by_year

    if not events:
        return "No dated events match."
    lines: list[str] = []
    for year, group in by_year(events):
        lines.append(click.style(year, bold=True))
        for e in group:
            lines.append(f"  {e.date_text:<16} {e.ref.cite:<15} {e.sentence}")
            lines += [f"{'':<19}also dated {d.date_text} by {d.ref.cite}" for d in e.also]
    return "\n".join(lines)


def format_people(entries: list[Person]) -> str:
    """One block per name: kind and role, other forms, roles with citations, mentions."""
    lines: list[str] = []
    for e in entries:
        kind = "person" if e.label == "PERSON" else "organisation"
        head = f"{e.name} ({kind})" + (f" — {e.role}" if e.role else "")
        lines.append(click.style(head, bold=True))
        if e.aliases:
            lines.append(f"  also: {', '.join(e.aliases)}")
        cites: dict[str, list[str]] = {}
        for r in e.roles:
            cites.setdefault(r.text, []).append(r.ref.cite)
        if len(e.roles) > 1:
            stated = [f"{text} ({', '.join(refs)})" for text, refs in cites.items()]
            lines.append(f"  roles: {'; '.join(stated)}")
        for article, refs in e.mentions.items():
            labels = [r.label for r in refs]
            more = ", …" if len(labels) > SHOWN_MENTIONS else ""
            lines.append(f"  {article}: {', '.join(labels[:SHOWN_MENTIONS])}{more}")
    return "\n".join(lines) if lines else "No people or organisations found."


def view_commands(
    settings_of: Callable[[click.Context], Settings], guard: Guard
) -> list[click.Command]:
    """The three commands, reading settings with `settings_of(ctx)` and failing through
    `guard` (the CLI's error handler)."""

    @click.command()
    @click.argument("question")
    @click.option(
        "-a", "--article", "articles", multiple=True, help="Compare only these (repeatable)."
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the Comparison as JSON.")
    @click.pass_context
    @guard
    def compare(
        ctx: click.Context, question: str, articles: tuple[str, ...], as_json: bool
    ) -> None:
        """What each article says on QUESTION, cited, and which don't discuss it."""
        from rag.api import get_pipeline
        from rag.comparison import compare_articles

        pipeline = get_pipeline(settings_of(ctx))
        comparison = compare_articles(pipeline, question, list(articles) or None)
        if as_json:
            _json(comparison.to_dict())
        else:
            click.echo(format_comparison(comparison))

    @click.command()
    @click.option("-a", "--article", help="Only this article's events (an id, e.g. 004).")
    @click.option("--about", help="Only events whose sentence names this person or topic.")
    @click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
    @click.pass_context
    @guard
    def timeline(ctx: click.Context, article: str | None, about: str | None, as_json: bool) -> None:
        """Every dated event in the articles, by year, each citing its paragraph."""
        from rag.api import get_pipeline
        from rag.chronology import timeline_of

        events = timeline_of(get_pipeline(settings_of(ctx)), article, about)
        if as_json:
            _json([e.to_dict() for e in events])
        else:
            click.echo(format_timeline(events))

    @click.command()
    @click.option(
        "--kind",
        type=click.Choice(["all", "person", "org"]),
        default="all",
        show_default=True,
        help="People, organisations, or both.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
    @click.pass_context
    @guard
    def entities(ctx: click.Context, kind: str, as_json: bool) -> None:
        """Who's who: the people and organisations named, their roles and mentions."""
        from rag.api import get_pipeline
        from rag.whoswho import people_of

        found = people_of(get_pipeline(settings_of(ctx)))
        wanted = {"all": ("PERSON", "ORG"), "person": ("PERSON",), "org": ("ORG",)}[kind]
        found = [e for e in found if e.label in wanted]
        if as_json:
            _json([e.to_dict() for e in found])
        else:
            click.echo(format_people(found))

    return [compare, timeline, entities]
