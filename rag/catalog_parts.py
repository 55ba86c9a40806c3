"""Compound questions the catalog answers in part: "Who wrote the research note, and
where does she work?" (`metadata_parts`: the catalog's answer, then each later part
judged and quoted) and "Which outlet published the Dar article, and who wrote it?"
(`catalog_parts`: every part asks the catalog something else).

Split from rag.parts, which judges and answers the parts the articles answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rag.answers import UNANSWERED_PART, Assembly
from rag.generation.extractive import ExtractiveGenerator
from rag.metadata import ArticleCard, MetadataAnswer, MetadataAsk, answer_metadata, metadata_ask
from rag.parts import Assess, standalone
from rag.schema import HEADER_KIND, Passage
from rag.text import MARKER, content_words


def metadata_parts(found: MetadataAnswer, built: Assembly, assess: Assess) -> MetadataAnswer:
    """A compound question whose first part the catalog answers ("Who wrote the research
    note, and where does she work?"): each later part judged with that answer for its
    pronoun ("What does Nawal Nawaz say about Fulbright?") and its answer quoted after
    the catalog's. A later part the gate doesn't pass is left out, not said to be
    unanswered: it was judged on passages searched for the whole question, and the note
    is no search hit ("Where does she work?": the gate reads "Islamabad" far from
    "work"). A first part the catalog can't answer is named as unanswered when a later
    part is answered."""
    parts, generator = built.evidence.parts, built.extractive
    if len(parts) < 2 or not isinstance(generator, ExtractiveGenerator):
        return found
    if any(metadata_ask(part.text) for part in parts[1:]):
        return found  # "…, and what is its title?": the catalog's, not judged here
    first = found.text if found.supported else UNANSWERED_PART.format(part=parts[0].text)
    texts, sources = [first], list(found.sources) if found.supported else []
    # The catalog's own citations (an author note, not the header) may hold a later part's
    # answer too; they are about the article asked of, as surely as a first search hit.
    searched = {p.key for p in built.passages}
    cited = [replace(p, score=1.0) for p in found.sources if p.kind != HEADER_KIND]
    pool = [*built.passages, *(p for p in cited if p.key not in searched)]
    named = [found.value] if found.value is not None else []
    answered = found.supported
    for part in parts[1:]:
        asked, _ = standalone(part.text, parts[0].text, named, catalog=True)
        judged = assess(asked, pool)
        if judged.support < built.min_support or not judged.scored:
            continue  # judged on passages found for another question: not said to be absent
        answered, chosen = True, []
        for s in generator.select(judged.scored, content_words(asked), judged.frame.answer_type):
            if s.text.rstrip('.!?”" ') in found.text:
                continue  # the catalog's answer quotes it already ("which articles…")
            passage = pool[s.source - 1]
            keys = [p.key for p in sources]  # one paragraph, one marker (the note, cited twice)
            if passage.key not in keys:
                sources.append(passage)
                keys.append(passage.key)
            chosen.append(replace(s, source=keys.index(passage.key) + 1))
        if chosen:
            texts.append(generator.quote(chosen, content_words(asked)))
    if not answered:
        return found  # the catalog's own refusal says more than one per part
    return replace(found, text=" ".join(texts), sources=sources, supported=True)


def catalog_parts(
    ask: MetadataAsk,
    built: Assembly,
    cards: dict[str, ArticleCard],
    paragraphs: Sequence[Passage],
    idf: dict[str, float],
) -> MetadataAnswer | None:
    """The catalog's answer (rag.metadata.answer_metadata); to a compound question each
    part of which asks it something else ("Which outlet published the Dar article, and
    who wrote it?"), every part answered, or its lack said, in order, each citing its own
    source. A later part that points back ("who wrote *it*?") is asked of the article
    the first part names."""

    def catalog(ask: MetadataAsk, question: str) -> MetadataAnswer | None:
        return answer_metadata(ask, question, cards, built.passages, paragraphs, idf)

    found, parts = catalog(ask, built.question), built.evidence.parts
    asks = [metadata_ask(part.text) for part in parts]
    if found is None or len(parts) < 2 or len(set(asks)) < 2:
        return found
    texts: list[str] = []
    sources: list[Passage] = []
    for n, (part, part_ask) in enumerate(zip(parts, asks, strict=True)):
        pointing = n > 0 and part.asked != part.text  # its pronoun was replaced
        of = parts[0] if pointing else part
        got = None if part_ask is None else catalog(part_ask, of.text)
        if got is None:
            return found  # a part the catalog doesn't answer: the whole question's answer
        if not got.supported:
            texts.append(got.reason)
            continue
        keys = [p.key for p in sources]
        for source in got.sources:
            if source.key not in keys:
                sources.append(source)
                keys.append(source.key)
        markers = [keys.index(source.key) + 1 for source in got.sources]
        texts.append(_renumbered(got.text, markers))
    if not sources:  # refused throughout: each lack said
        return replace(found, supported=False, reason=" ".join(texts))
    return replace(found, text=" ".join(texts), sources=sources, supported=True, reason="")


def _renumbered(text: str, markers: Sequence[int]) -> str:
    """The text with each of its markers [n] made [markers[n - 1]]."""
    return MARKER.sub(lambda m: f"[{markers[int(m[1]) - 1]}]" if m[1].isdigit() else m[0], text)
