"""Putting an answer together: a generator's text checked against its sources,
refusals, and answers from the catalog.

A refusal says what the articles lack (`Evidence.missing`) and quotes the closest
sentence they do have, cited, so a reader sees how near the articles come. A
generated answer whose citations are missing or unsupported falls back to quoting
the sources (`Assembly.finish`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from rag.citations import attach_quotes, renumber, unsupported_sentences
from rag.contrast import join_ids
from rag.generation import Draft, Generator, with_marker
from rag.metadata import MetadataAnswer
from rag.missing import told_elsewhere
from rag.schema import Answer, Citation, Passage
from rag.scored import Evidence
from rag.text import split_sentences

# Every refusal starts with what the articles lack; this is the fallback wording.
REFUSAL = "The articles don't say."
NEARBY = "The closest passage says:"
# What a compound question's answer says of a part the articles don't answer (rag.parts):
# a statement about the articles, so it cites nothing and is not an unsupported claim.
UNANSWERED_PART = "On “{part}”, the articles don't say."
_UNANSWERED = re.compile(re.escape(UNANSWERED_PART).replace(re.escape("{part}"), "(?P<part>[^”]+)"))


def unanswered_parts(text: str) -> list[str]:
    """The parts of a compound question an answer says the articles don't answer."""
    return [m.group("part") for m in _UNANSWERED.finditer(text)]


def absence_note(articles: Sequence[str], topic: str) -> str:
    """ "002 and 003 never mention “CPEC”.": said of the whole corpus (rag.mentions), so
    it cites nothing."""
    verb = "never mentions" if len(articles) == 1 else "never mention"
    return f"{join_ids(articles)} {verb} “{topic}”."


def count_note(count: int, total: int, topic: str, never: Sequence[str] | None = None) -> str:
    """ "3 of the 5 articles mention “CPEC”."; with `never`, the articles that don't:
    "3 of the 5 articles never mention “CPEC”: 000, 003 and 004."."""
    verb = ("never mention" if never is not None else "mention") + ("s" if count == 1 else "")
    which = f": {join_ids(never)}" if never else ""
    return f"{count} of the {total} articles {verb} “{topic}”{which}."


_IDS = r"[\w-]+(?:, [\w-]+)*(?: and [\w-]+)?"
_ABSENCE = re.compile(
    rf"^(?:{_IDS}|\d+ of the \d+ articles|Every article) (?:never )?mentions? “[^”]+”"
    rf"(?:: {_IDS})?\.$"
)


def is_note(sentence: str) -> bool:
    """A sentence saying what the articles don't say (a part they don't answer, articles
    that never mention something): true of the corpus, though it cites no paragraph."""
    return bool(unanswered_parts(sentence) or _ABSENCE.match(sentence.strip()))


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def with_notes(events: Iterator[str | Answer], notes: Sequence[str]) -> Iterator[str | Answer]:
    """An answer stream whose final `Answer` carries `notes` first (how the question was
    read: "read “Muneer” as “Munir”…")."""
    for event in events:
        yield replace(event, notes=[*notes, *event.notes]) if isinstance(event, Answer) else event


def refusal_answer(
    question: str,
    passages: list[Passage],
    generator: str,
    started: float,
    evidence: Evidence,
    min_support: float,
    draft: Draft | None = None,
) -> Answer:
    """What the articles lack, and the closest thing they do say, cited."""
    notes = list(draft.notes) if draft else []
    notes.append(
        f"answerability {evidence.support:.2f} < {min_support:.2f}"
        if evidence.support < min_support
        else f"the {generator} model found no answer in the sources"
    )
    reason = evidence.missing or REFUSAL
    text, citations = reason, list[Citation]()
    closest = evidence.best
    if evidence.elsewhere is not None and evidence.elsewhere[1] >= min_support:
        closest = evidence.elsewhere[0]  # another article says it: quote that one
        reason = told_elsewhere(passages[closest.source - 1].article_id)
    if closest is not None:
        nearby = with_marker(closest.text, closest.source)
        text, citations = renumber(f"{reason} {NEARBY} {nearby}", passages)
        citations = attach_quotes(text, citations)
    return Answer(
        question=question,
        text=text,
        supported=False,
        citations=citations,
        passages=passages,
        generator=generator,
        usage=draft.usage if draft else {},
        notes=notes,
        reason=reason,
        support=evidence.support,
        seconds=_seconds(started),
    )


def metadata_answer(
    question: str, found: MetadataAnswer, passages: list[Passage], started: float
) -> Answer:
    """An answer (or refusal) from the catalog, the header or a caption."""
    text, citations = renumber(found.text, found.sources) if found.supported else ("", [])
    return Answer(
        question=question,
        text=text if found.supported else found.reason,
        supported=found.supported,
        citations=attach_quotes(text, citations),
        passages=found.sources + [p for p in passages if p not in found.sources],
        generator="catalog",
        reason=found.reason,
        support=float(found.supported),
        seconds=_seconds(started),
    )


@dataclass
class Assembly:
    """One question's answer being put together from its passages and evidence."""

    question: str
    passages: list[Passage]
    evidence: Evidence
    extractive: Generator  # the fallback when a model declines or writes unsupported text
    min_support: float
    started: float = field(default_factory=time.perf_counter)

    def refusal(self, generator: str, draft: Draft | None = None) -> Answer:
        return refusal_answer(
            self.question,
            self.passages,
            generator,
            self.started,
            self.evidence,
            self.min_support,
            draft,
        )

    def finish(self, raw: str, draft: Draft, generator: str, fallback_done: bool = False) -> Answer:
        text, citations = renumber(raw, self.passages)
        if draft.declined or not citations:
            if generator == "extractive" or fallback_done:
                return self.refusal(generator, draft)
            # The gate found strong evidence, so the model's decline is overruled in the
            # reader's favour: quote the sources, and say so.
            return self.quoted(
                draft, f"the {generator} model declined, but the articles answer this"
            )
        citations = attach_quotes(text, citations)
        unsupported = [s for s in unsupported_sentences(text, citations) if not is_note(s)]
        if unsupported and len(unsupported) == len(split_sentences(text)) and not fallback_done:
            # Nothing the generator wrote is backed by its sources: quote them instead.
            return self.quoted(
                draft, f"no sentence of the {generator} answer is supported by its sources"
            )
        return Answer(
            question=self.question,
            text=text,
            supported=True,
            citations=citations,
            passages=self.passages,
            generator=generator,
            unsupported_sentences=unsupported,
            usage=draft.usage,
            notes=draft.notes,
            support=self.evidence.support,
            seconds=_seconds(self.started),
        )

    def quoted(self, draft: Draft, note: str) -> Answer:
        fallback = self.extractive_draft([*draft.notes, note])
        fallback.usage = draft.usage
        return self.finish(fallback.text, fallback, "extractive", fallback_done=True)

    def extractive_draft(self, notes: list[str]) -> Draft:
        """Quote the sources, and say in the notes why that replaced the model."""
        draft = self.extractive.generate(self.question, self.passages, self.evidence.scored)
        draft.notes = [*notes[:-1], f"{notes[-1]}; extractive answer instead"]
        return draft
