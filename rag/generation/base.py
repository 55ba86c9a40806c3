"""What every generator shares: the `Draft` it returns, the `Generator` Protocol, and
`with_marker`, which puts a citation marker on a sentence.

Standard library only at run time, so `rag.generation` (and the CLI that lists its
names) loads no model code.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rag.schema import Passage
    from rag.scored import ScoredSentence


@dataclass
class Draft:
    """A generator's answer before marker validation."""

    text: str
    declined: bool = False  # the generator itself said the sources don't answer
    usage: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class Generator(Protocol):
    name: str

    def generate(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Draft: ...

    def stream(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Iterator[str | Draft]:
        """Text deltas (the joined deltas equal `generate(...).text`), optionally
        ending with a `Draft` that carries usage and notes."""
        ...


def with_marker(sentence: str, source: int) -> str:
    """ "… lens." -> "… lens [1]."; a sentence ending in a quotation keeps it whole."""
    if sentence[-1:] in ".!?" and not sentence.endswith("..."):
        return f"{sentence[:-1]} [{source}]{sentence[-1]}"
    return f"{sentence} [{source}]"
