"""Pure HTML helpers for the chat UI: answers with clickable markers, sources, the reader.

Every piece of article or answer text goes through `esc` (html.escape), so a source can
never inject markup. Output never contains a newline: the chatbot's Markdown renderer
treats a blank line as the end of an HTML block, so one-line HTML stays exactly as built.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence

from rag.answers import NEARBY, REFUSAL
from rag.corpus import Article, Paragraph
from rag.generation import redact_url
from rag.schema import HEADER_KIND, Answer, Citation, Passage, paragraph_label
from rag.text import MARKER, marker_numbers

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")

EMPTY_SOURCES = (
    '<div class="sources-empty"><p><b>Sources appear here.</b></p>'
    "<p>Every answer cites the article paragraphs it comes from. Click or hover a marker "
    'like <span class="cite demo">[1]</span> to see the passage, with the supporting '
    "sentence highlighted; then <b>Open in article</b> to read it in context.</p></div>"
)

# The refusal's wording is rag.answers'; the page shows its apostrophes typeset.
REFUSAL_HEAD = REFUSAL.replace("'", "’")
# When a refusal carries no reason of its own.
GENERIC_REASON = "The articles don’t answer this question, so there is no answer to cite."


def esc(text: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# The directories of an absolute server path (`/work/main/data/index/`), not the slashes
# inside a URL (`http://host/v1`) or a word pair (`and/or`).
_SERVER_DIRS = re.compile(r"(?<![\w:/.~-])/(?:[^\s/'\"`<>]+/)+(?=[^\s/'\"`<>])")


def reader_message(text: str) -> str:
    """A message fit for the reader: server paths cut to the file name, URL credentials
    replaced by `***` (rag's own `redact_url`). Logs keep the full text; the page shows
    only this."""
    return _SERVER_DIRS.sub("", redact_url(text))


def paragraph_id(article_id: str, kind: str, number: int) -> str:
    """The reader's element id for a paragraph: p-<article>-<kind>-<n>."""
    return f"p-{_UNSAFE_ID.sub('_', article_id)}-{_UNSAFE_ID.sub('_', kind)}-{int(number)}"


def article_anchor(article_id: str) -> str:
    return f"article-{_UNSAFE_ID.sub('_', article_id)}"


def source_id(turn: int, marker: int) -> str:
    """The sources panel's element id for marker [marker] of answer number `turn`."""
    return f"src-{int(turn)}-{int(marker)}"


def _find(text: str, part: str) -> tuple[int, int] | None:
    words = part.split()
    match = re.search(r"\s+".join(map(re.escape, words)), text) if words else None
    return match.span() if match else None


def _quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where the quote occurs in text (whitespace-insensitively); failing that, where each
    of its sentences of three or more words does."""
    if not quote.split():
        return []
    if whole := _find(text, quote):
        return [whole]
    parts = re.split(r"(?<=[.!?])\s+", quote)
    spans = sorted(s for part in parts if len(part.split()) >= 3 and (s := _find(text, part)))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, quote: str) -> str:
    """The escaped paragraph with the supporting quote wrapped in <mark>."""
    out, pos = [], 0
    for start, end in _quote_spans(text, quote.strip()):
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return _one_line("".join(out))


def reader_link(
    article_id: str,
    kind: str | None = None,
    number: int | None = None,
    label: str = "Open in article ›",
) -> str:
    """A link that opens the article reader at a paragraph (or at the article's top)."""
    if kind and number is not None:
        target = paragraph_id(article_id, kind, number)
    else:
        target = article_anchor(article_id)
    return f'<a class="open-reader" href="#{target}">{esc(label)}</a>'


def source_link(item: Citation | Passage, label: str = "Open in article ›") -> str:
    """The reader link for a cited or retrieved paragraph. The header (title, byline) has
    no paragraph element in the reader, so it opens the article at its top."""
    if item.kind == HEADER_KIND:
        return reader_link(item.article_id, label=label)
    return reader_link(item.article_id, item.kind, item.paragraph, label)


def marker_link(marker: int, turn: int, citation: Citation | None = None) -> str:
    """[n] as a link to its source card; hovering shows the cited paragraph.

    Only class, href and title: the chatbot's sanitizer drops data-* attributes.
    """
    title = ""
    if citation is not None:
        tip = f"{citation.title}, {citation.label}: {citation.text}"
        title = f' title="{esc(_one_line(tip))}"'
    return f'<a class="cite" href="#{source_id(turn, marker)}"{title}>[{marker}]</a>'


def _single_markers(text: str) -> Iterator[tuple[re.Match[str], int]]:
    """Each one-source marker [n] in text, with its number. An answer's markers are
    renumbered to this form; any other ([1, 2], [1-2]) stays text."""
    for match in MARKER.finditer(text):
        numbers = marker_numbers(match.group(1))
        if len(numbers) == 1:
            yield match, numbers[0]


def _link_inline(text: str, turn: int, by_marker: dict[int, Citation]) -> str:
    """One paragraph of text, escaped, with each [n] a marker link and line breaks <br>."""
    pieces, pos = [], 0
    for match, n in _single_markers(text):
        pieces.append(esc(text[pos : match.start()]))
        pieces.append(marker_link(n, turn, by_marker.get(n)))
        pos = match.end()
    pieces.append(esc(text[pos:]))
    return "<br>".join("".join(pieces).splitlines())


def link_markers(text: str, turn: int, citations: Sequence[Citation] = ()) -> str:
    """Escaped answer text with each [n] turned into a marker link (paragraphs kept)."""
    by_marker = {c.marker: c for c in citations}
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(f"<p>{_link_inline(para, turn, by_marker)}</p>" for para in paragraphs)


def _meta(answer: Answer, asked: str | None) -> str:
    n = len(answer.citations)
    bits = [f"Answered by <b>{esc(answer.generator)}</b>", f"{answer.seconds:.1f} s"]
    if answer.supported:
        bits.append(f"{n} source{'s' if n != 1 else ''}")
    out = '<div class="meta">' + " · ".join(bits) + "</div>"
    if asked and _one_line(asked) != answer.question:  # a follow-up, condensed
        out += f'<div class="meta">Read as: “{esc(answer.question)}”</div>'
    if answer.unsupported_sentences:
        k = len(answer.unsupported_sentences)
        out += (
            f'<div class="meta warn">⚠ {k} sentence{"s" if k != 1 else ""} not clearly '
            "supported by the cited paragraph; check the sources.</div>"
        )
    for note in answer.notes:
        if not note.startswith("answerability"):
            out += f'<div class="meta note">{esc(_one_line(reader_message(note)))}</div>'
    return out


def _reason(answer: Answer) -> str:
    """Why the articles don't answer: the refusal's own first sentence, unless it only
    repeats the box's head ("The articles don't say.")."""
    reason = _one_line(answer.reason)
    if not reason or reason.replace("'", "’") == REFUSAL_HEAD:
        return GENERIC_REASON
    return reason


def _nearby(answer: Answer, turn: int) -> str:
    """A refusal's closest passage, quoted with its marker linking to the source card.

    The refusal's text is "<reason> The closest passage says: <sentence> [1]."; what
    follows the reason is shown. Should the text not carry the marker, the quote is
    rebuilt from the citations."""
    if not answer.citations:
        return ""
    rest = answer.text.strip()
    reason = answer.reason.strip()
    if reason and rest.startswith(reason):
        rest = rest[len(reason) :].strip()
    if rest.startswith(NEARBY):
        rest = rest[len(NEARBY) :].strip()
    if next(_single_markers(rest), None) is None:
        rest = " ".join(f"“{c.quote or c.text}” [{c.marker}]" for c in answer.citations)
    quote = _link_inline(_one_line(rest), turn, {c.marker: c for c in answer.citations})
    return f'<div class="nearby"><b>{esc(NEARBY)}</b> {quote}</div>'


def render_answer(answer: Answer, turn: int, asked: str | None = None) -> str:
    """The chat bubble for a finished answer: linked markers, or the refusal box."""
    if answer.supported:
        body = link_markers(answer.text, turn, answer.citations)
        meta = _meta(answer, asked)
        return f'<div class="answer" id="answer-{int(turn)}">{body}{meta}</div>'
    closest = ", ".join(source_link(p, f"{p.title}, {p.label}") for p in answer.passages[:3])
    box = (
        f'<div class="refusal"><div class="refusal-head">{esc(REFUSAL_HEAD)}</div>'
        f'<div class="reason">{esc(_reason(answer))}</div>'
        + _nearby(answer, turn)
        + (f'<div class="closest">Closest: {closest}</div>' if closest else "")
        + "</div>"
    )
    meta = _meta(answer, asked)
    return f'<div class="answer refused" id="answer-{int(turn)}">{box}{meta}</div>'


def render_partial(text: str, turn: int) -> str:
    """A bubble for an answer still streaming in (markers link, details come at the end)."""
    return (
        f'<div class="answer streaming">{link_markers(text, turn)}'
        '<div class="meta">Answering…</div></div>'
    )


def render_error(message: str) -> str:
    text = reader_message(message).strip() or "something went wrong"
    return (
        '<div class="answer failed"><div class="error-box"><b>Couldn’t answer.</b> '
        f"{esc(_one_line(text[0].upper() + text[1:]))}</div></div>"
    )


def _card(turn: int, item: Citation | Passage, marker: int | None) -> str:
    quote = item.quote if isinstance(item, Citation) else ""
    badge = f'<span class="badge">[{marker}]</span>' if marker else ""
    ident = f' id="{source_id(turn, marker)}"' if marker else ""
    score = "" if marker else f'<span class="score">relevance {item.score:.2f}</span>'
    return (
        f'<div class="src{"" if marker else " near"}"{ident} data-article="{esc(item.article_id)}">'
        f'<div class="src-head">{badge}<span class="src-title">{esc(item.title)}</span>'
        f'<span class="src-label">{esc(item.label)}</span>{score}</div>'
        f'<p class="src-text">{highlight(item.text, quote)}</p>'
        f'<div class="src-foot">{source_link(item)}</div>'
        "</div>"
    )


def render_sources(answer: Answer, turn: int) -> str:
    """One answer's sources: cited paragraphs; after a refusal, the one it quotes (cards
    like an answer's, so its marker finds them) and then the other closest passages."""
    cited = "".join(_card(turn, c, c.marker) for c in answer.citations)
    if answer.supported and cited:
        return f'<div class="turn-sources" data-turn="{int(turn)}">{cited}</div>'
    quoted = {(c.article_id, c.kind, c.paragraph) for c in answer.citations}
    near = "".join(_card(turn, p, None) for p in answer.passages[:5] if p.key not in quoted)
    return (
        f'<div class="turn-sources refused" data-turn="{int(turn)}">'
        '<p class="near-head">No article answers this. Closest passages:</p>'
        f"{(cited + near) or '<p>No passages matched.</p>'}</div>"
    )


def render_sources_panel(turns: Sequence[tuple[int, str, Answer]]) -> str:
    """All answers' sources, newest first; earlier ones fold away but stay clickable."""
    if not turns:
        return EMPTY_SOURCES
    *earlier, (turn, question, answer) = turns
    out = [
        f'<div class="turn-q">Sources for “{esc(_one_line(question))}”</div>',
        render_sources(answer, turn),
    ]
    for t, q, a in reversed(earlier):
        out.append(
            f'<details class="earlier"><summary>Earlier: “{esc(_one_line(q))}”</summary>'
            f"{render_sources(a, t)}</details>"
        )
    return '<div class="sources">' + "".join(out) + "</div>"


def _byline(article: Article) -> str:
    bits = []
    if article.author:
        bits.append(f"By {esc(article.author)}")
    if article.outlet:
        bits.append(f"<i>{esc(article.outlet)}</i>")
    body = len(article.body)
    extra = len(article.paragraphs) - body
    bits.append(f"{body} paragraphs" + (f", {extra} captions/notes" if extra else ""))
    meta = " · ".join(bits)
    if article.title_assigned:
        meta += (
            ' <span class="assigned" title="The article text names no title; this short '
            'descriptive title was given by the corpus editors.">title assigned</span>'
        )
    return f'<p class="doc-meta">{meta}</p>'


def _paragraph(article: Article, p: Paragraph) -> str:
    label = paragraph_label(p.kind, p.number)
    label = label if p.kind == "body" else label.capitalize()
    return (
        f'<p class="para {esc(p.kind)}" id="{paragraph_id(article.id, p.kind, p.number)}">'
        f'<span class="pnum">{esc(label)}</span>{esc(_one_line(p.text))}</p>'
    )


def render_article(article: Article, hidden: bool = False) -> str:
    parts = [
        f'<article class="doc{" is-hidden" if hidden else ""}" id="{article_anchor(article.id)}" '
        f'data-article="{esc(article.id)}">',
        f'<h2 class="doc-title">{esc(article.title)}</h2>',
        _byline(article),
    ]
    section = None
    for p in article.paragraphs:
        if p.section and p.section != section:
            parts.append(f'<h3 class="doc-section">{esc(p.section)}</h3>')
        section = p.section or section
        parts.append(_paragraph(article, p))
    parts.append("</article>")
    return "".join(parts)


READER_LOADING = '<div class="sources-empty"><p>Loading the articles…</p></div>'


SEED_PROBLEMS_CSS = """
#seed-problems .seed-problems {
  border-left: 4px solid #d97706; background: rgba(245, 158, 11, .12);
  padding: .5em .8em; border-radius: .4em; font-size: .92em;
}
#seed-problems ul { margin: .3em 0; padding-left: 1.2em; }
"""


def render_seed_problems(problems: Sequence[str]) -> str:
    """The page's warning for seed files an ingest rejects (each named by its file
    name only): the index, and so every answer and the reader, goes on without them."""
    items = "".join(f"<li>{esc(_one_line(reader_message(p)))}</li>" for p in problems)
    return (
        '<div class="seed-problems"><b>⚠ Some article files could not be read.</b> '
        "Answers and the reader come from the last good index, which may not match the "
        f"articles folder:<ul>{items}</ul>Fix or remove these files, then run "
        "<code>rag ingest</code>.</div>"
    )


def render_reader(articles: Iterable[Article]) -> str:
    """Every article, one shown at a time (first by default); the nav switches between them."""
    articles = list(articles)
    nav = "".join(
        f'<a class="open-reader nav-item{" is-current" if i == 0 else ""}" '
        f'href="#{article_anchor(a.id)}" data-article="{esc(a.id)}">'
        f"{esc(a.title)}</a>"
        for i, a in enumerate(articles)
    )
    docs = "".join(render_article(a, hidden=i > 0) for i, a in enumerate(articles))
    nav = f'<nav class="reader-nav">{nav}</nav>'
    return f'<div class="reader">{nav}<div class="docs">{docs}</div></div>'
