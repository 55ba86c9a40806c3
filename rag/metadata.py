"""Questions about the articles themselves: who wrote one, where it was published, its
title, which article covers a topic.

They are answered from each article's catalog entry and header, never from body
sentences that happen to look similar ("Who wrote the CISS article?" must not open
with a sentence about the CIA). A citation points at the paragraph that states the
fact (an author note, a line naming the outlet) or else at the article's header.
What neither the text nor the catalog states gets an honest refusal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from rag.corpus import Article, Paragraph, ParagraphKind, load_article, load_catalog, photo_credit
from rag.errors import CorpusError
from rag.nlp import Entity
from rag.readers import article_files
from rag.schema import HEADER_KIND, Passage
from rag.sources import Sources
from rag.text import content_words, word_set

if TYPE_CHECKING:
    from rag.index import LoadedIndex

# Nouns of what publishes an article: "Which outlet ran it?" asks the catalog, and an
# article's own outlet is an answer only to a question asking for one.
OUTLET_NOUNS = ("outlet", "publication", "magazine", "newspaper", "publisher", "site", "website")
# A word of the question found in an article's title, author or outlet counts this many
# times one found only in its text: "the strategic realism piece" names the header.
HEADER_WEIGHT = 3.0
# Words that ask about a photo's credit rather than describe the photo.
_ABOUT_PHOTOS = word_set(
    "who photo photograph picture image shot photographer agency credit credited took taken "
    "captured capture",
    stemmed=True,
)
# Words that ask about an article rather than describe it.
ABOUT_ARTICLES = word_set(
    "who wrote written author writer byline outlet publication published publish publisher title "
    "headline article articles piece pieces called name magazine newspaper site website news "
    "report explainer feature essay op-ed analysis commentary column",
    stemmed=True,
)


MetadataAsk = Literal[
    "author", "outlet", "title", "date", "photo_credit", "which_article", "article_count"
]

# A noun for one of the articles, in the metadata patterns below.
_PIECE = r"(?:article|piece|op-ed|explainer|feature|report|essay|analysis|note|story)s?\b"

# Metadata questions: answered from the catalog and header, not from body sentences.
_METADATA_RULES: list[tuple[re.Pattern[str], MetadataAsk]] = [
    (
        re.compile(
            r"\bphotographer\b|\bwho (?:took|shot|captured)\b|\b(?:photo|photograph|picture|"
            r"image|shot)\b.*\b(?:credit\w*|taken by|took|captured|shot by)\b|"
            r"\bcredit\w* (?:for|to) the (?:photo|photograph|picture|image)\b"
        ),
        "photo_credit",
    ),
    (
        re.compile(
            r"\bwho (?:wrote|authored|penned|is behind)\b|"
            r"\bwho (?:is|was|are|were) (?:the )?(?:author|writer)s?\b|"
            r"\b(?:author|writer)s? of\b|\bbyline\b|\bwritten by\b|"
            r"\bname (?:of )?the (?:author|writer)\b"
        ),
        "author",
    ),
    (
        re.compile(
            rf"\b(?:which|what) (?:\w+ )?(?:{'|'.join(OUTLET_NOUNS)})\b|\bwho (?:published|ran)\b|"
            r"\bpublished (?:by|in)\b"
        ),
        "outlet",
    ),
    (
        re.compile(
            r"\bwhen (?:was|were|did)\b.*\b(?:published|written|released|publish|appear)\b|"
            r"\bpublication date\b|\bdate of publication\b"
        ),
        "date",
    ),
    (
        re.compile(
            # "the title of the explainer", not "the title of field marshal"
            r"\b(?:what|which) (?:is|was) (?:the|its) (?:title|headline)[?.]?$|"
            rf"\b(?:title|headline)s? of (?:(?:the|this|that|each) )?(?:[\w'’-]+ ){{0,3}}{_PIECE}|"
            r"\bwhat is (?:the|that) (?:article|piece) called\b|"
            rf"\bname of (?:the|that) (?:[\w'’-]+ ){{0,3}}{_PIECE}"
        ),
        "title",
    ),
    (
        re.compile(r"\bhow many (?:of the )?(?:articles|pieces|sources)\b"),
        "article_count",
    ),
    (
        re.compile(
            r"\b(?:which|what) (?:(?:one )?of the )?(?:article|articles|piece|pieces|source|"
            r"sources)\b.*\b(?:discuss|cover|mention|talk|about|deal|address|refer|"
            r"bring up|brings up|raise|touch)"
        ),
        "which_article",
    ),
]


def metadata_ask(question: str) -> MetadataAsk | None:
    low = " ".join(question.lower().split())
    for pattern, kind in _METADATA_RULES:
        if pattern.search(low):
            return kind
    return None


@dataclass(frozen=True)
class ArticleCard:
    """What the catalog and the header say about one article."""

    id: str
    title: str
    title_assigned: bool = False  # the title was given by the catalog, not the text
    author: str | None = None
    outlet: str | None = None
    genre: str | None = None  # the catalog's word for the kind of piece ("explainer")

    def header(self) -> Passage:
        """The header as a citable pseudo-paragraph."""
        lines = [self.title]
        if self.author:
            lines.append(f"By {self.author}")
        if self.outlet:
            lines.append(self.outlet)
        return Passage(self.id, self.title, 0, "\n".join(lines), 1.0, kind=HEADER_KIND)


def cards_from_nodes(nodes: Sequence[Any]) -> dict[str, ArticleCard]:
    """Each article's card from the metadata its indexed paragraphs carry."""
    cards: dict[str, ArticleCard] = {}
    for node in nodes:
        m = node.metadata
        article = str(m["article_id"])
        if article not in cards:
            cards[article] = ArticleCard(
                article,
                str(m["title"]),
                bool(m.get("title_assigned")),
                str(m["author"]) if m.get("author") else None,
                str(m["outlet"]) if m.get("outlet") else None,
                str(m["genre"]) if m.get("genre") else None,
            )
    return cards


def sources_from_nodes(nodes: Sequence[Any]) -> Sources:
    """Which article a question names (rag.sources), with each article's text, which
    says whether the named article mentions what the question asks about."""
    texts: dict[str, list[str]] = {}
    for node in nodes:
        texts.setdefault(str(node.metadata["article_id"]), []).append(node.get_content())
    return Sources(cards_from_nodes(nodes).values(), {a: "\n".join(t) for a, t in texts.items()})


def passages_from_nodes(nodes: Sequence[Any]) -> list[Passage]:
    """Indexed paragraphs as passages (score 0: nothing was asked)."""
    return [
        Passage(
            article_id=str(n.metadata["article_id"]),
            title=str(n.metadata["title"]),
            paragraph=int(n.metadata["paragraph"]),
            text=n.get_content(),
            score=0.0,
            kind=str(n.metadata.get("kind", "body")),
        )
        for n in nodes
    ]


def articles_from_index(index: LoadedIndex) -> list[Article]:
    """The indexed articles, whole, for reading: what `ask` knows, not the seeds folder.

    Articles come in the order the ingest read them; paragraphs in the order they were
    indexed, each once and with its full text, though a long one is stored in parts.
    """
    cards = cards_from_nodes(index.nodes)
    paragraphs: dict[str, dict[tuple[str, int], Paragraph]] = {a: {} for a in cards}
    for node in index.nodes:
        m = node.metadata
        key = (str(m["article_id"]), str(m.get("kind", "body")), int(m["paragraph"]))
        article, kind, number = key
        if (kind, number) in paragraphs[article]:
            continue  # a later part of a long paragraph
        section = str(m["section"]) if m.get("section") else None
        text = index.paragraph_text(key)
        paragraphs[article][kind, number] = Paragraph(
            number, text, cast(ParagraphKind, kind), section
        )
    order = [a for a in index.info.titles if a in cards]
    order += sorted(set(cards) - set(order))
    return [
        Article(
            c.id,
            c.title,
            list(paragraphs[c.id].values()),
            c.title_assigned,
            c.author,
            c.outlet,
            c.genre,
        )
        for c in (cards[a] for a in order)
    ]


def seed_problems(folder: Path) -> list[str]:
    """Why files in the seeds folder can't be ingested, one message per file (each names
    the file and what is wrong). An index already built keeps serving its last ingest."""
    try:
        catalog = load_catalog(folder)
        paths = article_files(folder)
    except CorpusError as exc:  # the catalog or the folder itself
        return [str(exc)]
    problems = []
    for path in paths:
        try:
            load_article(path, catalog)
        except CorpusError as exc:
            problems.append(str(exc))
    return problems


@dataclass
class MetadataAnswer:
    text: str  # with [n] markers into `sources`
    sources: list[Passage]
    supported: bool
    reason: str = ""
    value: Entity | None = None  # the author or outlet it names, for a later "she"/"it"


def pick_article(
    question: str,
    cards: dict[str, ArticleCard],
    passages: Sequence[Passage],
    paragraphs: Sequence[Passage],
    idf: dict[str, float],
) -> ArticleCard | None:
    """The article the question describes ("the CISS article", "the Foreign Policy
    piece", "the Dar article"): the one whose header, and then whose text, holds the
    question's rarest words; on a tie, the article of the best retrieved passage. An
    article the question names outright (rag.sources: "the explainer") comes first."""
    named = Sources(cards.values()).find(question).articles
    if len(named) == 1:
        return cards[next(iter(named))]
    words = content_words(question) - ABOUT_ARTICLES
    if not words:
        return cards.get(passages[0].article_id) if passages else None
    text: dict[str, set[str]] = {a: set() for a in cards}
    for p in paragraphs:
        if p.article_id in text:
            text[p.article_id] |= content_words(p.text)
    unseen = idf.get("", 1.0)
    rank = {p.article_id: i for i, p in reversed(list(enumerate(passages)))}

    def score(card: ArticleCard) -> tuple[float, int]:
        header = content_words(" ".join(filter(None, [card.title, card.author, card.outlet])))
        found = sum(
            idf.get(w, unseen) * (HEADER_WEIGHT if w in header else 1.0)
            for w in words
            if w in header or w in text[card.id]
        )
        return found, -rank.get(card.id, len(passages))

    best = max(cards.values(), key=score, default=None)
    if best is None or score(best)[0] == 0:
        return cards.get(passages[0].article_id) if passages else None
    return best


def _stating(card: ArticleCard, value: str, paragraphs: Sequence[Passage]) -> Passage:
    """The first paragraph of the article that names `value`, else its header."""
    for p in paragraphs:
        if p.article_id == card.id and value.lower() in p.text.lower():
            return p
    return card.header()


def answer_metadata(
    ask: MetadataAsk,
    question: str,
    cards: dict[str, ArticleCard],
    passages: Sequence[Passage],
    paragraphs: Sequence[Passage],
    idf: dict[str, float],
) -> MetadataAnswer | None:
    """An answer from the catalog and header; None for `which_article`, which the
    evidence gate answers from body text (see `rag.api`)."""
    if ask == "which_article":
        return None
    if ask == "photo_credit":
        return _photo_credit(question, paragraphs, idf)
    card = pick_article(question, cards, passages, paragraphs, idf)
    if card is None:
        return None
    name = f"“{card.title}” ({card.id})"
    if ask == "author":
        if not card.author:
            return MetadataAnswer(
                "",
                [card.header()],
                False,
                f"The articles don't name the author of {name}: its text carries no byline.",
            )
        # An author note ("X is a Research Assistant at …") is the best citation.
        source = _stating(card, card.author, [p for p in paragraphs if p.kind == "note"])
        author = Entity(card.author, "PERSON", 0, len(card.author))
        return MetadataAnswer(
            f"{name} was written by {card.author} [1].", [source], True, "", author
        )
    if ask == "outlet":
        if not card.outlet:
            return MetadataAnswer(
                "",
                [card.header()],
                False,
                f"The articles don't say which outlet published {name}.",
            )
        source = _stating(card, card.outlet, paragraphs)
        outlet = Entity(card.outlet, "ORG", 0, len(card.outlet))
        return MetadataAnswer(
            f"{name} was published by {card.outlet} [1].", [source], True, "", outlet
        )
    if ask == "date":
        return MetadataAnswer(
            "",
            [card.header()],
            False,
            f"The articles don't say when {name} was published: neither its text nor the "
            "catalog gives a publication date.",
        )
    # title
    if card.title_assigned:
        return MetadataAnswer(
            "",
            [card.header()],
            False,
            f"Article {card.id} gives no title of its own; the catalog describes it as "
            f"“{card.title}”.",
        )
    return MetadataAnswer(f"The article's title is “{card.title}” [1].", [card.header()], True)


def _photo_credit(
    question: str, paragraphs: Sequence[Passage], idf: dict[str, float]
) -> MetadataAnswer:
    """Who took a photo: the credit line of the caption that best fits the question."""
    words = content_words(question) - _ABOUT_PHOTOS
    unseen = idf.get("", 1.0)
    captions = [p for p in paragraphs if p.kind == "caption"]

    def fit(p: Passage) -> float:
        return sum(idf.get(w, unseen) for w in words & content_words(p.text))

    best = max(captions, key=fit, default=None)
    if best is None or fit(best) == 0:
        return MetadataAnswer(
            "", [], False, "The articles carry no photo caption that matches this description."
        )
    credit = photo_credit(best.text)
    if credit is None:  # an image description; its credit closes the next caption
        after = [
            p
            for p in captions
            if p.article_id == best.article_id and p.paragraph == best.paragraph + 1
        ]
        if after and (credit := photo_credit(after[0].text)):
            best = after[0]
    if credit is None:
        return MetadataAnswer(
            "",
            [best],
            False,
            "The articles don't credit that photo: its caption names no photographer or agency.",
        )
    return MetadataAnswer(f"The photo is credited to {credit.rstrip('.')} [1].", [best], True)
