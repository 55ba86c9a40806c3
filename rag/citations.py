"""Citation markers as pure functions: parse, validate, renumber, check support.

Generators write markers [n] that refer to the numbered sources they were shown.
Before an answer leaves the pipeline, every marker must resolve to a retrieved
paragraph; the rest are removed, and the survivors are renumbered 1, 2, 3… in
order of first appearance so the citation list reads top to bottom.

The marker syntax itself (`MARKER`, `OPEN_MARKER`, `marker_numbers`) is defined once,
in rag.text, beside the sentence splitter that keeps markers with their sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.schema import Citation, Passage
from rag.text import (
    MARKER,
    OPEN_MARKER,
    content_words,
    is_marker_range,
    marker_numbers,
    split_sentences,
)


def _numbers(group: str) -> list[int]:
    """The sources a marker cites; a short range [1-3] stands for 1, 2 and 3."""
    parts = marker_numbers(group)
    if is_marker_range(group) and len(parts) == 2 and 0 < parts[1] - parts[0] < 10:
        return list(range(parts[0], parts[1] + 1))
    return parts


def parse_markers(text: str) -> list[int]:
    """Source numbers in order of appearance (with repeats)."""
    return [n for m in MARKER.finditer(text) for n in _numbers(m.group(1))]


def renumber(text: str, sources: Sequence[Passage]) -> tuple[str, list[Citation]]:
    """Drop markers that point at no source; renumber the rest by first appearance."""
    renumberer = StreamRenumberer(len(sources))
    cleaned = renumberer.feed(text) + renumberer.flush()
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)  # "claim [9]." -> "claim."
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned).strip()
    citations = [
        Citation(
            marker=marker,
            article_id=p.article_id,
            title=p.title,
            paragraph=p.paragraph,
            text=p.text,
            score=p.score,
            kind=p.kind,
        )
        for n, marker in renumberer.mapping.items()  # insertion order is marker order
        for p in [sources[n - 1]]
    ]
    return cleaned, citations


def strip_markers(text: str) -> str:
    return re.sub(r"\s+", " ", MARKER.sub("", text)).strip()


def support(sentence: str, paragraph: str) -> float:
    """Share of a sentence's content words found in the paragraph it cites (0-1)."""
    words = content_words(strip_markers(sentence))
    if not words:
        return 1.0
    return len(words & content_words(paragraph)) / len(words)


def best_quote(claim: str, paragraph: str) -> str:
    """The part of the paragraph a claim relies on, for highlighting: the claim itself
    when it quotes the paragraph (a sentence or a clause), else its best sentence."""
    bare = re.sub(r"\s+([.,;:!?])", r"\1", strip_markers(claim)).rstrip("…").strip()
    for variant in (bare, bare[:1].lower() + bare[1:]):
        at = paragraph.find(variant) if variant else -1
        if at >= 0:
            return paragraph[at : at + len(variant)]
    sentences = split_sentences(paragraph) or [paragraph]
    return max(sentences, key=lambda s: support(claim, s) + support(s, claim) / 4)


def attach_quotes(text: str, citations: list[Citation]) -> list[Citation]:
    """Fill each citation's `quote` with the sentence its first claim relies on."""
    by_marker = {c.marker: c for c in citations}
    quoted: dict[int, str] = {}
    for sentence in split_sentences(text):
        for n in parse_markers(sentence):
            if n in by_marker and n not in quoted:
                quoted[n] = best_quote(sentence, by_marker[n].text)
    return [replace(c, quote=quoted.get(c.marker, "")) for c in citations]


def unsupported_sentences(
    text: str, citations: Sequence[Citation], threshold: float = 0.5
) -> list[str]:
    """Sentences that cite nothing, or whose cited paragraphs don't carry their words."""
    by_marker = {c.marker: c for c in citations}
    flagged = []
    for sentence in split_sentences(text):
        cited = [by_marker[n] for n in parse_markers(sentence) if n in by_marker]
        if not strip_markers(sentence):
            continue
        if not cited or max(support(sentence, c.text) for c in cited) < threshold:
            flagged.append(sentence)
    return flagged


class StreamRenumberer:
    """Renumbers markers in a token stream the way `renumber` does for whole text.

    Text is held back only while a marker may still be open ("[1" without "]"),
    so a UI shows final marker numbers as the answer streams in.
    """

    def __init__(self, n_sources: int) -> None:
        self.n_sources = n_sources
        self.mapping: dict[int, int] = {}
        self._pending = ""

    def feed(self, delta: str) -> str:
        text = self._pending + delta
        if (open_marker := OPEN_MARKER.search(text)) is not None:
            cut = open_marker.start()
            text, self._pending = text[:cut], text[cut:]
        else:
            self._pending = ""
        return MARKER.sub(self._replace, text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return MARKER.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        tags = []
        for n in _numbers(match.group(1)):
            if 1 <= n <= self.n_sources:
                self.mapping.setdefault(n, len(self.mapping) + 1)
                tag = f"[{self.mapping[n]}]"
                if tag not in tags:
                    tags.append(tag)
        return "".join(tags)
