"""A cited timeline: every dated statement in the articles, in order, grouped by year.

Each event is one date the text states (`rag.dates`), the sentence stating it and its
paragraph. Dates keep the form they were written in; a year is only ever the one written
inside the date ("in May" stays "May (year not stated)"). Undated-year events sort after
the dated ones, by month.

Where two articles appear to date the same event differently ("the 2025 Kashmir
ceasefire" in one, "early May" in another), each event lists the other's dating in
`Event.also`, so a reader sees both. "The same event" is judged from the words next to
each date: two dates in different articles are linked when the words nearest them share
a word rare in the corpus and the dates can be the same (same year, or a year one of them
doesn't state).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from rag.dates import DateMention, find_dates
from rag.findings import Dating, Event
from rag.nlp import EntityCache
from rag.passages import credit_start, ref_of, sentence_spans
from rag.schema import Passage
from rag.text import content_words
from rag.whoswho import find_entry

if TYPE_CHECKING:
    from rag.api import Pipeline
    from rag.config import Settings

# Words on either side of a date that say what it dates ("the 2025 Kashmir ceasefire",
# "a weeklong conflict … in early May, following a terrorist attack in … Kashmir").
CONTEXT_WORDS = 8
# A word names an event when few paragraphs use it: at most this share of them (and at
# least three, so a small corpus still links "Kashmir" used in three paragraphs).
RARE_SHARE = 0.03
MIN_RARE_PARAGRAPHS = 3

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")


def _words(text: str) -> set[str]:
    """Content words, with hyphenated compounds also joined ("cease-fire" = "ceasefire")."""
    joined = re.sub(r"(?<=[a-z])-(?=[a-z])", "", text)
    return content_words(text) | content_words(joined)


def _context(sentence: str, mentions: list[DateMention], i: int) -> set[str]:
    """The words that belong to date `i` of a sentence: the CONTEXT_WORDS words on each
    side of it, short of the midpoint to the sentence's next or previous date (in "came
    in February, when it helped arrest the mastermind of a 2021 bombing", "mastermind"
    belongs to 2021)."""
    spans = [(m.start, m.end) for m in mentions]
    start, end = spans[i]
    lo = (spans[i - 1][1] + start) / 2 if i > 0 else -1.0
    hi = (end + spans[i + 1][0]) / 2 if i + 1 < len(spans) else float(len(sentence))
    words = [
        (m.start(), m.group(0))
        for m in _WORD.finditer(sentence)
        if not any(s <= m.start() < e for s, e in spans)
    ]
    before = [w for at, w in words if lo <= at < start][-CONTEXT_WORDS:]
    after = [w for at, w in words if end <= at < hi][:CONTEXT_WORDS]
    return _words(" ".join(before + after))


def find_events(paragraphs: Sequence[Passage], entities: EntityCache | None = None) -> list[Event]:
    """Every dated statement of `paragraphs`, in corpus order (not yet sorted by date).

    With `entities`, spaCy's DATE spans confirm bare month names that follow no time
    word ("May" alone is also a verb)."""
    events: list[Event] = []
    contexts: list[set[str]] = []
    for passage in paragraphs:
        text = passage.text
        confirmed = (
            [(e.start, e.end) for e in entities.get(text) if e.label == "DATE"] if entities else []
        )
        limit = credit_start(passage)
        for start, end in sentence_spans(text):
            if start >= limit:
                break
            sentence = text[start:end]
            local = [(s - start, e - start) for s, e in confirmed if start <= s and e <= end]
            mentions = find_dates(sentence, local)
            for i, m in enumerate(mentions):
                events.append(
                    Event(
                        date_text=m.text,
                        date=m.edtf,
                        label=m.label,
                        year=m.year,
                        year_stated=m.year_stated,
                        sentence=sentence,
                        ref=ref_of(passage),
                        sort_key=m.sort_key,
                    )
                )
                contexts.append(_context(sentence, mentions, i))
    return link_datings(events, contexts, [p.text for p in paragraphs])


def _compatible(a: Event, b: Event) -> bool:
    """Could both dates name the same moment? Same year, or a year one of them lacks;
    and no two different months."""
    ya, yb = a.sort_key[0], b.sort_key[0]
    span_a = range(ya, ya + a.sort_key[3] + 1)
    span_b = range(yb, yb + b.sort_key[3] + 1)
    if a.year_stated and b.year_stated and not set(span_a) & set(span_b):
        return False
    ma, mb = a.sort_key[1], b.sort_key[1]
    return not (ma and mb and ma != mb)


def link_datings(
    events: list[Event], contexts: list[set[str]], corpus: Iterable[str]
) -> list[Event]:
    """Each event with the differing datings other articles give the same event."""
    texts = list(corpus)
    df: dict[str, int] = {}
    for text in texts:
        for word in _words(text):
            df[word] = df.get(word, 0) + 1
    rare_limit = max(MIN_RARE_PARAGRAPHS, math.floor(RARE_SHARE * len(texts)))
    rare = [{w for w in c if df.get(w, 0) <= rare_limit} for c in contexts]
    linked: list[Event] = []
    for i, event in enumerate(events):
        also = tuple(
            Dating(other.date_text, other.date, other.ref)
            for j, other in enumerate(events)
            if other.ref.article_id != event.ref.article_id
            and other.date != event.date
            and rare[i] & rare[j]
            and _compatible(event, other)
        )
        linked.append(_with_also(event, also))
    return linked


def _with_also(event: Event, also: tuple[Dating, ...]) -> Event:
    return replace(event, also=also) if also else event


def sort_events(events: Iterable[Event]) -> list[Event]:
    """By date (undated years last), then article and paragraph order."""
    return sorted(events, key=lambda e: (e.sort_key, e.ref.article_id, e.ref.paragraph))


def by_year(events: Iterable[Event]) -> list[tuple[str, list[Event]]]:
    """Sorted events grouped under their year heading ("Year not stated" last)."""
    groups: dict[str, list[Event]] = {}
    for event in sort_events(events):
        groups.setdefault(event.group, []).append(event)
    return list(groups.items())


def about_matcher(about: str, aliases: Sequence[str] = ()) -> Callable[[str], bool]:
    """A test for sentences about `about`: any of `aliases` (the name variants of an entity
    it names, e.g. "Munir" for "Asim Munir") as a whole word, or else every content word
    of `about` ("cease-fire" matches "ceasefire")."""
    names = [a for a in aliases if a.strip()]
    if names:
        pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.I
        )
        return lambda sentence: bool(pattern.search(sentence))
    wanted = content_words(re.sub(r"(?<=[a-z])-(?=[a-z])", "", about.lower()))
    if not wanted:
        raise ValueError(f"--about {about!r} names nothing to look for")
    return lambda sentence: wanted <= _words(sentence.lower())


def filter_events(
    events: Iterable[Event],
    *,
    article: str | None = None,
    about: Callable[[str], bool] | None = None,
    paragraphs: Mapping[tuple[str, str, int], str] | None = None,
) -> list[Event]:
    """The events of one article and/or about something: `about` tests the event's
    sentence, or with `paragraphs` (Passage.key -> text) its whole paragraph."""

    def text_of(e: Event) -> str:
        if paragraphs is None:
            return e.sentence
        return paragraphs.get((e.ref.article_id, e.ref.kind, e.ref.paragraph), e.sentence)

    return [
        e
        for e in events
        if (article is None or e.ref.article_id == article) and (about is None or about(text_of(e)))
    ]


def timeline_of(
    pipeline: Pipeline, article: str | None = None, about: str | None = None
) -> list[Event]:
    """The corpus timeline, sorted, optionally of one article and/or about a name or topic.

    `about` naming a person or organisation of the who's who ("Munir") keeps the events
    whose sentence names them in any form; other text keeps the events whose paragraph
    holds all its words (the date and the topic often sit in neighbouring sentences: "…
    in early May… before a sudden cease-fire four days later"). Raises ValueError for an
    unknown article id or an empty `about`."""
    known = pipeline.article_titles
    if article is not None and article not in known:
        raise ValueError(f"unknown article id {article!r}; known: {', '.join(sorted(known))}")
    if about is not None and not about.strip():
        raise ValueError("--about is empty: give a name or topic, e.g. --about Munir")
    paragraphs = pipeline.paragraphs()
    events = find_events(paragraphs, pipeline.entities)
    if about is None:
        return sort_events(filter_events(events, article=article))
    entry = find_entry(pipeline, about)
    if entry is not None:
        names = about_matcher(about, [entry.name, *entry.aliases])
        return sort_events(filter_events(events, article=article, about=names))
    texts = {p.key: p.text for p in paragraphs}
    topic = about_matcher(about)
    return sort_events(filter_events(events, article=article, about=topic, paragraphs=texts))


def timeline(
    article: str | None = None, about: str | None = None, *, settings: Settings | None = None
) -> list[Event]:
    """Every dated event of the articles in date order, each citing its paragraph; see
    `timeline_of`. Builds the index on first use, like `ask`."""
    from rag.api import get_pipeline

    return timeline_of(get_pipeline(settings), article, about)
