"""The sentences of a paragraph: where each lies, and which the evidence gate judges."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.text import content_words, split_sentences

# A sentence shorter than this many words is a fragment ("Read more."), never evidence.
MIN_SENTENCE_WORDS = 4
# A very long paragraph (a list of 1,500 items) is judged by the sentences sharing most
# of the question's words, this many, so one passage can't cost seconds of embedding.
MAX_PASSAGE_SENTENCES = 40


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Character spans of the paragraph's sentences (as `split_sentences` cuts them)."""
    spans, pos = [], 0
    for sentence in split_sentences(paragraph):
        start = paragraph.find(sentence, pos)
        if start < 0:  # pragma: no cover - split_sentences returns substrings
            continue
        spans.append((start, start + len(sentence)))
        pos = start + len(sentence)
    return spans


# A sentence giving the reason for the one before it ("…,” said Younus. “That’s primarily
# because it’s a distraction…”): alone it names nothing it explains, so the two are judged
# and quoted as one.
REASON_BACK = re.compile(
    r"[“\"]?(?:that|this|it)(?:['’]s| is| was)\s+(?:\w+ly\s+)?(?:because|due to)\b", re.I
)


def judged_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int, int]]:
    """The sentences of a passage that are judged (see MAX_PASSAGE_SENTENCES), in order,
    each as (its position among the paragraph's sentences, start, end)."""
    spans: list[tuple[int, int, int]] = []
    for n, (start, end) in enumerate(sentence_spans(text)):
        if spans and spans[-1][0] == n - 1 and REASON_BACK.match(text, start):
            spans[-1] = (n - 1, spans[-1][1], end)  # judged with the sentence it explains
        elif len(text[start:end].split()) >= MIN_SENTENCE_WORDS:
            spans.append((n, start, end))
    if len(spans) <= MAX_PASSAGE_SENTENCES:
        return spans
    wanted = set(terms)
    ranked = sorted(spans, key=lambda s: -len(wanted & content_words(text[s[1] : s[2]])))
    return sorted(ranked[:MAX_PASSAGE_SENTENCES])
