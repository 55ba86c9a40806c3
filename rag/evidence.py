"""Sentence-level evidence: which retrieved sentences answer the question, and how surely.

Used twice: the extractive generator builds its answer from the best sentences, and
every generator is gated by `Evidence.support`, so that a question the articles
don't answer gets an honest refusal that says what is missing, instead of a
confident quotation on a nearby topic. The signals and their weights live in
`rag.answerability`; this module gathers the inputs (sentences, their entities,
similarities, corpus statistics) and ranks.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cached_property

from rag.answer_types import asks_about_photo
from rag.answerability import (
    GATE_CANDIDATES,
    OFF_TOPIC_SIMILARITY,
    WEIGHTS,
    Text,
    Weights,
    entity_found,
    named_in,
    signals,
)
from rag.binding import values_elsewhere
from rag.chunking import sentence_id
from rag.conflicts import conflict, parties
from rag.dates import latest_year, year_unstated
from rag.embeddings import Embedder, known_words
from rag.focus import asked_names, said_topic, without_source
from rag.kin import WordKin
from rag.metadata import OUTLET_NOUNS
from rag.missing import VAGUE, absent_from_source, asks_nothing, contradicted, explain
from rag.names import person_names
from rag.nlp import Entity, EntityCache, parse
from rag.polarity import reverses
from rag.premises import (
    marked,
    premise_ahead,
    premise_dates,
    premise_denied,
    premise_owner,
    premise_party,
    premise_reason,
    premise_unsettled,
    premise_value,
)
from rag.question import QuestionFrame, analyse, asked_office
from rag.quotes import PersonClaim, Quotes, claimed_quotes
from rag.ranker import RANKER, Ranker
from rag.schema import CAPTION_WEIGHTS, Passage
from rag.scored import Evidence, ScoredSentence
from rag.sentence_vectors import SentenceVectors, StoredVectors
from rag.sentences import judged_spans
from rag.sides import against_named, sides
from rag.sources import SourceRef, Sources
from rag.speakers import accounted_speaker, asked_speaker, gives_words, quotes_another
from rag.spelling import Spellings
from rag.text import content_words, word_set
from rag.titles import Titles
from rag.values import states_values
from rag.vocabulary import foreign_question, unknown_signals, unknown_verb

# How far a caption or note may count as evidence: it can support an answer, rarely lead
# it. The value, and why retrieval's differs, live in rag.schema.CaptionWeights.
CAPTION_WEIGHT = CAPTION_WEIGHTS.evidence


def idf_table(texts: Iterable[str]) -> dict[str, float]:
    df: dict[str, int] = {}
    n = 0
    for text in texts:
        n += 1
        for word in content_words(text):
            df[word] = df.get(word, 0) + 1
    return {w: math.log(1 + n / c) for w, c in df.items()} | {"": math.log(1 + n)}


# "Which outlet interviewed him?" may be answered by an article's own outlet.
_PUBLICATIONS = word_set(" ".join(OUTLET_NOUNS), stemmed=True)


class EvidenceScorer:
    """Scores the sentences of retrieved passages against a question."""

    def __init__(
        self,
        embed_model: Embedder,
        paragraphs: Sequence[str],
        entities: EntityCache | None = None,
        stored: StoredVectors | None = None,
        sources: Sources | None = None,
        weights: Weights = WEIGHTS,
        ranker: Ranker = RANKER,
        kin: WordKin | None = None,
    ) -> None:
        self.embed_model = embed_model
        self.sources = sources  # the articles' cards: which one a question names
        cards = sources.cards if sources else []
        self.outlets = [Text.of(c.outlet) for c in cards if c.outlet]  # where they appeared
        # the index's sentence vectors: embed only what it lacks
        self.vectors = SentenceVectors(embed_model, stored)
        self.idf = idf_table(paragraphs)
        joined = " ".join(paragraphs)
        self.corpus = Text.of(joined)
        # names as the articles spell them, and names they never use told from words
        self.spellings = Spellings(paragraphs, known_words(embed_model))
        self.titles = Titles(paragraphs)  # which offices the articles give whom
        self.quotes = Quotes(paragraphs)  # and whose words
        self.entities = entities or EntityCache(None)
        self.weights = weights
        self.ranker = ranker
        # "jailed" says the "prison" of "prison sentence"
        self.kin = kin or WordKin(embed_model)
        self._paragraphs = paragraphs
        self.latest_year = latest_year(joined)
        self._source_texts: dict[tuple[str, ...], Text] = {}  # named articles' text
        self._lock = threading.Lock()

    def assess(self, question: str, passages: Sequence[Passage]) -> Evidence:
        named = self.sources.find(question) if self.sources else None
        read = named.unquoted(question) if named is not None else question
        doc = parse(read)
        frame = analyse(read, doc)
        quoted = self.quotes.misattributed(claimed_quotes(read, frame.entities))
        if named is not None:  # "per Nawaz": where to look, not what to find
            frame = without_source(frame, named, doc)
        absent = self._absent_from_source(frame, named)  # every sentence then fails
        unknown_entity, unknown_terms, never = unknown_signals(frame, self.corpus, self.idf)
        miscalled: list[PersonClaim] = [*self.titles.unstated(frame.titles), *quoted]
        speaker = asked_speaker(doc, frame.entities)
        # whose words a passage must give: the speaker asked, or whose account is followed
        who = speaker or accounted_speaker(doc, frame.entities)
        topic = said_topic(frame) if who is not None else {}  # what the words are on
        candidates: list[tuple[str, int, int, int, tuple[Entity, ...]]] = []
        records: list[str] = []  # each candidate's sentence record id
        follows: list[int | None] = []  # each candidate's: the one just before it, if any
        contexts: dict[int, Text] = {}
        previous: dict[int, str] = {}  # per passage: the paragraph before it in its article
        speaking: dict[int, bool] = {}  # per passage: does it give the words asked for?
        # an article's own outlet ("FP's interview") is no firm asked for
        no_outlets = frame.answer_type == "organisation" and frame.slot not in _PUBLICATIONS
        for i, passage in enumerate(passages, start=1):
            names = self.entities.get(passage.text)
            spans = [e for e in names if not self._outlet(e)] if no_outlets else names
            before = self._text_before(passage)
            previous[i] = before.rstrip("\n").rsplit("\n", 1)[-1]
            said = None if who is None else gives_words(who, passage.text, names, before)
            speaking[i] = said is not None and self._on_topic(topic, f"{before}\n{passage.text}")
            # A quote run on from the paragraph before is the speaker's, named or not.
            carried = said == "carried" and speaker is not None
            contexts[i] = Text.of(
                f"{speaker.text} {passage.text}" if carried and speaker else passage.text
            )
            last = None
            for n, start, end in judged_spans(passage.text, frame.terms):
                inside = tuple(e for e in spans if e.start >= start and e.end <= end)
                follows.append(len(candidates) - 1 if last == n - 1 else None)
                last = n
                candidates.append((passage.text[start:end], i, start, end, inside))
                p = passage
                records.append(sentence_id(p.article_id, p.kind, p.paragraph, n))
        if not candidates:
            return Evidence(
                frame, [], 0.0, explain(frame, None, (), never, miscalled, speaker), never
            )
        required = asked_names(frame, named)
        sims, in_context = self.vectors.similarities(
            question, [c[0] for c in candidates], records, follows
        )
        soft_covers = self.kin.covers(frame, [c[0] for c in candidates], self.idf)
        off_topic = unknown_terms if float(sims.max()) < OFF_TOPIC_SIMILARITY else 0.0
        foreign = float(foreign_question(frame, self.corpus))
        verb = unknown_verb(frame, self.corpus)
        people = self.people
        if verb is None and frame.ahead and frame.predicate is not None:
            # a future event's verb is looked for in other words too (signals.foretells)
            verb = frame.surface.get(frame.predicate, frame.predicate)
        computed = [
            signals(
                frame,
                sentence,
                inside,
                contexts[source],
                offset=start,
                paragraph_text=passages[source - 1].text,
                similarity=float(sim),
                context_similarity=float(joined),
                soft_cover=soft,
                retrieval=passages[source - 1].score,
                idf=self.idf,
                unknown_entity=unknown_entity,
                unknown_terms=unknown_terms,
                corpus_stems=self.corpus.stems,
                off_topic=off_topic,
                foreign=foreign,
                source_mismatch=float(
                    bool(absent)
                    or (named is not None and named.excludes(passages[source - 1].article_id))
                ),
                required=required,
                title_conflict=float(bool(miscalled)),
                speaker_silent=float(
                    who is not None
                    and not speaking[source]
                    and (speaker is not None or quotes_another(sentence, passages[source - 1].text))
                ),
                before=previous[source],
                kin=self.kin.stated(frame, sentence),
                verb_kin=None if verb is None else self.kin.says(verb, sentence),
                people=people,
            )
            for (sentence, source, start, _, inside), sim, joined, soft in zip(
                candidates, sims, in_context, soft_covers, strict=True
            )
        ]
        photo = asks_about_photo(read)  # the captions say, as body text would
        relevance = [self.weights.relevance(sig) for sig in computed]
        order = [self.weights.rank(sig, rel) for sig, rel in zip(computed, relevance, strict=True)]
        by_relevance = sorted(range(len(candidates)), key=lambda i: -order[i])
        # Only a question that states a date or figure can have its premise contradicted.
        stated = (  # a figure told the other way round ("from 29% to 19%") is not stated
            [states_values(frame, c[0]) and not reverses(frame.text, c[0]) for c in candidates]
            if frame.values
            else []
        )
        # a year the question sets that no passage near states, judged before the premises:
        # the event's own passage may be the one that dates it otherwise (not in a
        # comparison, whose year is one side's)
        near = [f"{previous[c[1]]}\n{passages[c[1] - 1].text}" for c in candidates]
        undated = [year_unstated(read, t, self.latest_year) for t in near]
        compared = sides(read) is not None
        computed = computed if compared else marked(computed, undated, "value_conflict")
        computed = premise_ahead(premise_dates(computed, order, stated), order)
        computed = premise_unsettled(computed, order)
        # "Which army chief…" asked of people the articles give other offices; values all
        # another event's (binding)
        office = asked_office(frame)
        top = by_relevance[:GATE_CANDIDATES]  # only these may answer: the rest aren't parsed
        unbound = values_elsewhere(frame, candidates, top, self.kin.alike)
        misplaced = [
            self.titles.misplaced(read, office, c[4]) or bad
            for c, bad in zip(candidates, unbound, strict=True)
        ]
        if compared:
            computed = marked(computed, undated, "value_conflict")
        computed = marked(computed, misplaced, "type_missing")
        against = against_named(read, frame.entities, doc)  # "…compare with that in Ukraine?"
        unmet = against is not None and not any(against.told_by(candidates[i][0]) for i in top)
        if unmet:  # no sentence gives the named thing's side: none answers
            computed = [replace(sig, type_missing=1.0) for sig in computed]

        def swapped(i: int) -> bool:
            """Does candidate i name another country where the question names one, as a
            party, not a place (a place asked is the answer)?"""
            text, source, inside = candidates[i][0], candidates[i][1], candidates[i][4]
            named_parties = parties(inside, passages[source - 1].text)
            return frame.answer_type != "place" and conflict(
                frame, Text.of(text), named_parties, contexts[source], people, "place"
            )

        voiced = [who is not None and speaking[c[1]] for c in candidates]
        computed = premise_party(premise_denied(computed, order), order, swapped, voiced)
        computed = premise_owner(computed, order)
        places = [(c[1], c[0]) for c in candidates]
        computed = premise_value(premise_reason(computed, order, places, voiced), order, places)
        scored: list[ScoredSentence] = []
        gate: dict[int, float] = {}  # each sentence's probability with every requirement
        for (sentence, source, start, end, inside), sim, sig, rel in zip(
            candidates, sims, computed, relevance, strict=True
        ):
            kind = passages[source - 1].kind
            weight = 1.0 if kind == "body" or (kind == "caption" and photo) else CAPTION_WEIGHT
            probability = weight * self.weights.probability(sig, rel, answering=True)
            scored.append(
                ScoredSentence(
                    sentence,
                    source,
                    float(sim),
                    sig.term_cover,
                    round(probability, 4),
                    not sig.type_missing,
                    start,
                    end,
                    sig,
                    inside,
                    round(weight * self.ranker.probability(sig), 4),
                )
            )
            gate[id(scored[-1])] = round(weight * self.weights.probability(sig, rel), 4)
        # Only the most relevant sentences may lead or pass the gate, in the ranker's
        # order; ties (the same sentence in two passages) go to the better-ranked passage.
        nearest = scored[by_relevance[0]]  # the most relevant sentence
        eligible = {id(scored[i]) for i in by_relevance[:GATE_CANDIDATES]}
        scored.sort(key=lambda s: (id(s) not in eligible, -s.rank, s.source))
        best = scored[0]
        if frame.unresolved:  # whoever the passages name, it may not be whom the reader means
            missing = (
                f"The question doesn't say who “{frame.unresolved}” is; ask again naming them."
            )
            return Evidence(frame, scored, 0.0, missing, never)
        if asks_nothing(frame):  # "What, and why?": any passage would be a guess
            return Evidence(frame, scored, 0.0, VAGUE, never)
        told = nearest if contradicted(nearest.signals) else best
        missing = explain(frame, told.signals, told.entities, never, miscalled, speaker)
        missing = against.refusal() if against is not None and unmet else missing
        if absent and not never:
            missing = absent_from_source(absent)
        support = max(gate[id(s)] for s in scored if id(s) in eligible)
        elsewhere = self._elsewhere(scored) if named is not None and not absent else None
        return Evidence(frame, scored, support, missing, never, elsewhere)

    def _on_topic(self, topic: dict[str, str], text: str) -> bool:
        """Does the text say a word of the topic a saying is asked about (rag.focus
        .said_topic), as written or in another word of like meaning (rag.kin)?"""
        if not topic or set(topic) & content_words(text):
            return True
        return any(self.kin.says(word, text) for word in topic.values())

    def _outlet(self, entity: Entity) -> bool:
        """Does the name stand for an article's outlet ("FP" for "Foreign Policy")?"""
        return entity.label == "ORG" and any(entity_found(entity, o) >= 1.0 for o in self.outlets)

    @cached_property
    def people(self) -> frozenset[str]:
        """The articles' people by name (rag.names.person_names), read once."""
        return person_names(e for p in self._paragraphs for e in self.entities.get(p))

    def _elsewhere(self, scored: Sequence[ScoredSentence]) -> tuple[ScoredSentence, float] | None:
        """The sentence of an article the question doesn't name that would answer best were
        it from the named one, with that probability."""
        other = [
            (s, self.weights.probability(replace(s.signals, source_mismatch=0.0)))
            for s in scored[: GATE_CANDIDATES * 2]
            if s.signals is not None and s.signals.source_mismatch
        ]
        return max(other, key=lambda sp: sp[1], default=None)

    def _absent_from_source(self, frame: QuestionFrame, named: SourceRef | None) -> list[str]:
        """The names of the question that the article it names never mentions (none when
        it names no article, or the articles' texts weren't given)."""
        if named is None or not named.articles or self.sources is None:
            return []
        key = tuple(sorted(named.articles))
        with self._lock:
            if key not in self._source_texts:
                self._source_texts[key] = Text.of(self.sources.text_of(key))
            told = self._source_texts[key]
        if not told.words:
            return []
        return [e.text for e in frame.entities if not named_in(e, told)]

    def _text_before(self, passage: Passage) -> str:
        """The passage's article up to the passage ("" when unknown), paragraphs apart by
        newlines."""
        article = self.sources.texts.get(passage.article_id, "") if self.sources else ""
        at = article.find(passage.text)
        return article[:at] if at > 0 else ""
