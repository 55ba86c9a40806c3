"""Which articles never mention something, and how many do: "Which article doesn't mention
cryptocurrency?", "How many articles discuss CPEC?"

The evidence gate answers "which article covers X?" with the sentence that does; asked
the other way round, the answer is the articles in which no paragraph does, which no
single sentence can show. So it is read off every indexed paragraph: an article
mentions the topic when one of its paragraphs holds every word of it (as written or as
its stem; a name also as written otherwise, "CPEC" for the corridor). The answer names
the silent articles and cites, for each of the others, the first paragraph that
mentions it, so the reader can check both halves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from rag.answers import absence_note, count_note
from rag.generation.base import with_marker
from rag.matching import Text, named_in
from rag.metadata import ABOUT_ARTICLES, ArticleCard, MetadataAnswer
from rag.nlp import Entity
from rag.question import QuestionFrame
from rag.schema import Passage
from rag.text import content_words, split_sentences, word_set

_WORD = re.compile(r"[\w-]+")
# "Which articles…", "which of the pieces…": the question asks for every article that does.
_SEVERAL_ARTICLES = re.compile(r"\b(?:which|what) (?:of the )?(?:articles|pieces|sources)\b", re.I)
# What a question says to ask which articles leave something out, besides its topic.
_ASKING = word_set(
    "which what not never mention mentions mentioned discuss discusses discussed cover "
    "covers covered talk talks address addresses deal deals say says said write writes "
    "nothing anything any none neither one ones bring brings brought raise raises raised "
    "refer refers referred touch touches touched",
    stemmed=True,
)


def asks_mentions(frame: QuestionFrame) -> bool:
    """Is it a question this module answers: how many articles mention something, which
    never do, or which ones do ("Which of the articles bring up Ukraine?": each of them,
    not the one sentence that says most)? ("Which article covers X?" is the evidence
    gate's.)"""
    return frame.metadata == "article_count" or (
        frame.metadata == "which_article"
        and (frame.negated or bool(_SEVERAL_ARTICLES.search(frame.text)))
    )


def mention_answer(
    frame: QuestionFrame, cards: Mapping[str, ArticleCard], paragraphs: Sequence[Passage]
) -> MetadataAnswer | None:
    """The answer to an `asks_mentions` question, or None when it names no topic."""
    topic = [t for t in frame.terms if t not in _ASKING and t not in ABOUT_ARTICLES and t.isalnum()]
    if not topic:
        return None
    wanted = set(topic)
    # The topic as the question writes it ("Reko Diq", "CPEC").
    written = [w for w in _WORD.findall(frame.text) if content_words(w) & wanted]
    what = " ".join(written) or " ".join(topic)
    # A name may be written another way: "CPEC" for "China-Pakistan Economic Corridor".
    names = _namer(what) if written and all(w[:1].isupper() for w in written) else None

    def mentions(text: str) -> bool:
        return wanted <= content_words(text) or (names is not None and names(text))

    first: dict[str, Passage] = {}
    for p in paragraphs:
        if p.article_id not in first and mentions(p.text):
            first[p.article_id] = p
    silent = [a for a in sorted(cards) if a not in first]
    if len(silent) == len(cards):
        if frame.metadata == "which_article" and not frame.negated:
            return None  # "Which articles bring up education as a field of …": the gate's
        return MetadataAnswer("", [], False, f"None of the articles mentions “{what}”.")
    mentioning = [a for a in sorted(cards) if a in first]
    # Each mention quoted, so the reader sees it: the paragraph's first sentence with it.
    quotes = []
    for n, a in enumerate(mentioning, start=1):
        sentences = split_sentences(first[a].text)
        quote = next((q for q in sentences if mentions(q)), sentences[0])
        quotes.append(f"{a}: {with_marker(quote, n)}")
    if frame.metadata != "article_count" and frame.negated:
        lead = absence_note(silent, what) if silent else f"Every article mentions “{what}”."
    elif frame.negated:
        lead = count_note(len(silent), len(cards), what, never=silent)
    else:
        lead = count_note(len(mentioning), len(cards), what)
        lead += f" {absence_note(silent, what)}" if silent else ""
    return MetadataAnswer(" ".join([lead, *quotes]), [first[a] for a in mentioning], True)


def _namer(name: str) -> Callable[[str], bool]:
    """Whether a text names `name`: as written, by an alias or by its initials."""
    initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())
    by_initials = re.compile(rf"\b{initials}\b") if len(initials) >= 2 else None
    entity = Entity(name, "ORG", 0, len(name))

    def names(text: str) -> bool:
        if by_initials is not None and by_initials.search(text):
            return True
        return named_in(entity, Text.of(text))

    return names
