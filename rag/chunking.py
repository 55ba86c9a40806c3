"""Paragraph-aligned chunks: llama-index `TextNode`s at ingest, `StoredChunk`s when read back.

A chunk never spans two paragraphs, so every retrieved chunk cites exactly one
paragraph. A paragraph longer than the token budget (tiktoken, cl100k) is split
at sentence boundaries into parts that all keep its paragraph number.

Storage stays linear in the text however long a paragraph is: the paragraph's
full text is stored once (as the text of its only part, or on part 0 of a split
one), and its sentence records carry offsets into it, not copies of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rag.corpus import Article, Paragraph
from rag.text import count_tokens, split_sentences

if TYPE_CHECKING:  # ingest builds TextNodes; answering a question never imports llama-index
    from llama_index.core.schema import TextNode

# Bump when chunk boundaries or contents change: an index built by another
# version is re-chunked on the next ingest instead of being reused.
CHUNKER_VERSION = 7

# Metadata kept on every chunk. Only the title and section (and author, outlet) are
# embedded with a paragraph's text: they tell the model what the paragraph is about
# ("What's Next?"). A sentence record embeds its sentence alone (see chunk_article).
_NOT_EMBEDDED = [
    "article_id",
    "paragraph",
    "kind",
    "part",
    "paragraph_text",
    "unit",
    "title_assigned",
    "genre",
    "start",
    "end",
]


def split_paragraph(text: str, max_tokens: int) -> list[str]:
    """Greedy sentence packing; a single over-long sentence becomes its own part."""
    if count_tokens(text) <= max_tokens:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for sentence in split_sentences(text):
        n = count_tokens(sentence) + 1
        if current and used + n > max_tokens:
            parts.append(" ".join(current))
            current, used = [], 0
        current.append(sentence)
        used += n
    if current:
        parts.append(" ".join(current))
    return parts


def chunk_id(article_id: str, paragraph: Paragraph, part: int) -> str:
    return f"{article_id}:{paragraph.kind}:{paragraph.number}:{part}"


def paragraph_key(node_id: str) -> tuple[str, str, int]:
    """(article, kind, paragraph number) read back from a chunk's or sentence record's id
    (`chunk_id`, `sentence_id`), so a search needs no metadata to know where a hit sits."""
    parts = node_id.split(":")
    if is_sentence_id(node_id):
        parts.pop()
    return ":".join(parts[:-3]), parts[-3], int(parts[-2])


def sentence_id(article_id: str, kind: str, number: int, i: int) -> str:
    """The id of a paragraph's i-th sentence record (its first chunk's id, then s{i})."""
    return f"{article_id}:{kind}:{number}:0:s{i}"


def chunk_article(article: Article, max_tokens: int = 256) -> list[TextNode]:
    nodes: list[TextNode] = []
    for paragraph in article.paragraphs:
        parts = split_paragraph(paragraph.text, max_tokens)
        for part, text in enumerate(parts):
            metadata: dict[str, str | int] = {
                "article_id": article.id,
                "title": article.title,
                "paragraph": paragraph.number,
                "kind": paragraph.kind,
                "part": part,
            }
            if paragraph.section:
                metadata["section"] = paragraph.section
            # Embedded with the text, so "who wrote…" and "the Foreign Policy piece" match.
            if article.author:
                metadata["author"] = article.author
            if article.outlet:
                metadata["outlet"] = article.outlet
            if article.genre:  # names the article ("the explainer"); not embedded
                metadata["genre"] = article.genre
            if article.title_assigned:  # metadata questions must not present it as stated
                metadata["title_assigned"] = 1
            if len(parts) > 1 and part == 0:  # once, not once per part
                metadata["paragraph_text"] = paragraph.text
            nodes.append(_node(chunk_id(article.id, paragraph, part), text, metadata))
        # Sentence vectors let dense search find one fact inside a long paragraph
        # ("small-to-big"): a hit on a sentence retrieves its whole paragraph. They embed
        # the bare sentence, no title or section: that retrieved better on the gold set
        # (eval/reports/20261126-bare-sentences), and the evidence gate, which compares
        # the question with bare sentences, reuses them instead of embedding again.
        sentences = split_sentences(paragraph.text)
        if len(sentences) > 1:
            shared = {k: v for k, v in nodes[-1].metadata.items() if k != "paragraph_text"}
            for i, (sentence, start) in enumerate(sentence_offsets(paragraph.text, sentences)):
                metadata = {**shared, "unit": "sentence", "part": i}
                metadata.update(start=start, end=start + len(sentence))
                node_id = sentence_id(article.id, paragraph.kind, paragraph.number, i)
                nodes.append(_node(node_id, sentence, metadata))
    return nodes


def sentence_offsets(text: str, sentences: list[str]) -> list[tuple[str, int]]:
    """Each sentence with where it starts in the text (-1 if the splitter changed it)."""
    found, at = [], 0
    for sentence in sentences:
        start = text.find(sentence, at)
        found.append((sentence, start))
        if start >= 0:
            at = start + len(sentence)
    return found


# What a sentence record stores: its article, which searches filter by. Where it sits
# (paragraph and sentence number) is its id (`sentence_id`), which the gate asks for by
# splitting the paragraph as ingest did (the index's CHUNKER_VERSION vouches for that);
# everything else is on the paragraph's own record. Each key is a row, indexed twice, in
# Chroma's sqlite: per-record metadata was the index's second-largest part.
SENTENCE_KEYS = ("article_id",)
# Keys a paragraph's record leaves to its id (`chunk_id`), restored on reading it back.
_ID_KEYS = ("kind", "paragraph", "part", "unit")


# Where a paragraph record keeps its text: in its metadata, not as Chroma's document.
# Chroma indexes every document for full-text search (a trigram index about five times
# the text), which retrieval never uses (BM25 is ours); it was 1.8 KB of the 13.9 KB a
# paragraph took at 10,000 paragraphs. Indexes stored before keep it as the document.
TEXT_KEY = "text"


def stored_metadata(node: TextNode) -> dict[str, object]:
    """The metadata written to the store for one chunk (a paragraph's with its text)."""
    if is_sentence(node.metadata):
        return {k: node.metadata[k] for k in SENTENCE_KEYS if k in node.metadata}
    kept = {k: v for k, v in node.metadata.items() if k not in _ID_KEYS}
    return {**kept, TEXT_KEY: node.get_content()}


def is_sentence_id(node_id: str) -> bool:
    """A sentence record's id (`sentence_id`: ...:{number}:0:s{i}), not a chunk's."""
    return node_id.rsplit(":", 1)[-1].startswith("s")


def is_sentence(metadata: Mapping[str, object]) -> bool:
    return metadata.get("unit") == "sentence"


def node_from_record(node_id: str, text: str | None, metadata: dict[str, object]) -> TextNode:
    """A chunk read back from the store: its text from the metadata (`TEXT_KEY`) or, in
    an index stored before, the document. Sentence records keep no text of their own."""
    metadata = dict(metadata)
    stored = metadata.pop(TEXT_KEY, None)
    if not is_sentence_id(node_id) and "unit" not in metadata:  # the keys its id holds
        _, kind, number = paragraph_key(node_id)
        metadata.update(kind=kind, paragraph=number, part=int(node_id.rsplit(":", 1)[-1]))
    return _node(node_id, str(stored) if stored is not None else text or "", metadata)  # type: ignore[arg-type]


def _node(node_id: str, text: str, metadata: dict[str, str | int]) -> TextNode:
    from llama_index.core.schema import TextNode

    metadata.setdefault("unit", "paragraph")
    return TextNode(
        id_=node_id,
        text=text,
        metadata=metadata,
        excluded_embed_metadata_keys=list(metadata if is_sentence(metadata) else _NOT_EMBEDDED),
        excluded_llm_metadata_keys=list(metadata),
    )


def chunk_articles(articles: Iterable[Article], max_tokens: int = 256) -> list[TextNode]:
    return [node for article in articles for node in chunk_article(article, max_tokens)]


@dataclass(frozen=True)
class StoredChunk:
    """A paragraph chunk as a loaded index holds it: what answering needs of a `TextNode`
    (id, text, metadata), read from the saved BM25 corpus without importing llama-index."""

    node_id: str
    text: str
    metadata: dict[str, Any]

    def get_content(self) -> str:
        return self.text
