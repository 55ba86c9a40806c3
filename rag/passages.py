"""Small helpers over indexed paragraphs, shared by the corpus views (timeline, who's who)."""

from __future__ import annotations

from rag.corpus import photo_credit
from rag.findings import Ref
from rag.schema import Passage
from rag.sentences import sentence_spans

__all__ = ["credit_start", "ref_of", "sentence_spans"]


def ref_of(passage: Passage) -> Ref:
    """The citation of a paragraph."""
    return Ref(passage.article_id, passage.title, passage.paragraph, passage.kind)


def credit_start(passage: Passage) -> int:
    """Where a caption's photo credit begins ("… Farooq Naeem/AFP via Getty Images"):
    names and dates in a credit are not what the caption reports. Else the text's end."""
    if passage.kind != "caption":
        return len(passage.text)
    credit = photo_credit(passage.text)
    at = passage.text.rfind(credit) if credit else -1
    return at if at > 0 else len(passage.text)
