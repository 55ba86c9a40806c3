"""One sentence's gate signals, judged as its own paragraph (for tests of one rule)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rag.answerability import Signals, signals
from rag.matching import Text
from rag.nlp import Entity
from rag.question import QuestionFrame


def lone(
    frame: QuestionFrame, sentence: str, entities: Sequence[Entity] = (), **given: Any
) -> Signals:
    """The signals of a sentence that is its own paragraph, with fixed similarity and
    retrieval scores and nothing unknown; `given` overrides or adds keywords."""
    fixed: dict[str, Any] = {"idf": {}, "unknown_entity": 0.0, "unknown_terms": 0.0}
    return signals(
        frame,
        sentence,
        entities,
        Text.of(sentence),
        offset=0,
        paragraph_text=sentence,
        similarity=0.6,
        retrieval=0.5,
        **(fixed | given),
    )
