"""The typed results of the three corpus views: compare, timeline and who's who.

Like `rag.schema` for answers: plain frozen dataclasses, every finding carrying the
article and paragraph it comes from (`Ref`), and a `to_dict` for `--json`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rag.schema import paragraph_label


@dataclass(frozen=True)
class Ref:
    """A citable paragraph: article id and title, paragraph number and kind."""

    article_id: str
    title: str
    paragraph: int
    kind: str = "body"  # body | caption | note

    @property
    def label(self) -> str:
        return paragraph_label(self.kind, self.paragraph)

    @property
    def cite(self) -> str:
        """How the CLI prints it: "004 ¶37", "004 caption 2"."""
        return f"{self.article_id} {self.label}"


def _dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)  # type: ignore[no-any-return]


# --- compare -------------------------------------------------------------------------
@dataclass(frozen=True)
class CitedSentence:
    """A sentence of an article, quoted as written, with its paragraph."""

    text: str
    ref: Ref
    score: float = 0.0  # how surely it bears on the question (0-1)


@dataclass
class ArticleFindings:
    """What one article says on the question: its sentences that bear on it."""

    article_id: str
    title: str
    sentences: list[CitedSentence]


@dataclass
class Comparison:
    """Per-article findings for one question, the articles that are silent on it, and
    what sets the findings apart."""

    question: str
    findings: list[ArticleFindings]  # articles that address it, most relevant first
    silent: list[Ref]  # articles that don't (paragraph 0: the article as a whole)
    differences: str = ""  # "Where they differ: …", built from the cited sentences
    closest: list[CitedSentence] = field(default_factory=list)  # when no article addresses it
    notes: list[str] = field(default_factory=list)

    @property
    def addressed(self) -> bool:
        return bool(self.findings)

    def to_dict(self) -> dict[str, Any]:
        out = _dict(self)
        out["silent"] = [{"article_id": r.article_id, "title": r.title} for r in self.silent]
        return out


# --- timeline ------------------------------------------------------------------------
@dataclass(frozen=True)
class Dating:
    """How another article dates what appears to be the same event."""

    date_text: str
    date: str
    ref: Ref


@dataclass(frozen=True)
class Event:
    """A dated statement: the date as written and normalised, its sentence, its paragraph."""

    date_text: str  # as written: "early May", "2008 to 2011"
    date: str  # normalised, EDTF-style: 2021-08-26, 2025-03, 2008/2011, XXXX-05
    label: str  # for readers: "26 August 2021", "early May (year not stated)"
    year: int | None  # None when the text states no year for it
    year_stated: bool
    sentence: str
    ref: Ref
    sort_key: tuple[int, int, int, int] = (9999, 0, 0, 0)
    also: tuple[Dating, ...] = ()  # other articles dating the same event differently

    @property
    def group(self) -> str:
        """The heading it sits under: "2021", "1950s", or "Year not stated"."""
        if self.year is None:
            return "Year not stated"
        return f"{self.year}s" if self.date.endswith("X") else str(self.year)

    def to_dict(self) -> dict[str, Any]:
        out = _dict(self)
        out["sort_key"] = list(self.sort_key)
        return out


# --- who's who -----------------------------------------------------------------------
@dataclass(frozen=True)
class Role:
    """A role or description an article gives a name: "the country's powerful military
    chief", "Secretary of State", "a senior fellow at the Hudson Institute"."""

    text: str
    ref: Ref


@dataclass
class Person:
    """A person or organisation the articles name, with every paragraph naming them."""

    name: str  # the fullest form the articles use: "Asim Munir"
    label: str  # PERSON or ORG
    aliases: list[str]  # other forms that were merged: "Munir", "CIA"
    roles: list[Role]
    mentions: dict[str, list[Ref]]  # article id -> paragraphs naming them, in order

    @property
    def count(self) -> int:
        return sum(len(refs) for refs in self.mentions.values())

    @property
    def role(self) -> str:
        """The role stated most often; on a tie, one stated in the body (captions
        describe photos), then the most detailed."""
        if not self.roles:
            return ""
        texts = [r.text for r in self.roles]
        best = max(
            self.roles,
            key=lambda r: (texts.count(r.text), r.ref.kind == "body", len(r.text.split())),
        )
        return best.text

    def to_dict(self) -> dict[str, Any]:
        out = _dict(self)
        out["role"] = self.role
        out["mentions"] = {
            article: [r.label for r in refs] for article, refs in self.mentions.items()
        }
        return out


Entry = Person  # who's who lists organisations too
