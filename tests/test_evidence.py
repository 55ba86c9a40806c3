"""The evidence gate's inputs: sentence vectors come from the index where it has them;
and what it judges across passages (a year a question sets, stated nowhere near)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.api import Pipeline
from rag.chunking import sentence_id
from rag.config import Settings
from rag.evidence import EvidenceScorer
from rag.schema import Passage
from rag.sentences import sentence_spans

pytestmark = pytest.mark.slow


class CountingModel:
    """The real embedding model, noting every text it is asked to embed."""

    def __init__(self, model) -> None:  # type: ignore[no-untyped-def]
        self.model = model
        self.embedded: list[str] = []

    def get_query_embedding(self, question: str) -> list[float]:
        return self.model.get_query_embedding(question)  # type: ignore[no-any-return]

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return self.model.get_text_embedding_batch(texts)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "question",
    ["What did the trade deal do to tariffs on Pakistani goods?", "Who is Asim Munir?"],
)
def test_the_gate_reuses_the_sentence_vectors_ingest_stored(
    seeded_pipeline: Pipeline,
    embed_model,
    question: str,  # type: ignore[no-untyped-def]
) -> None:
    index, entities = seeded_pipeline.index, seeded_pipeline.entities
    passages = seeded_pipeline.retrieve(question)
    assert any(len(sentence_spans(p.text)) > 1 for p in passages)

    counting = CountingModel(embed_model)
    reusing = EvidenceScorer(counting, index.paragraph_texts(), entities, index.stored_vectors)  # type: ignore[arg-type]
    embedding = EvidenceScorer(embed_model, index.paragraph_texts(), entities)

    reused, fresh = reusing.assess(question, passages), embedding.assess(question, passages)
    # Only sentences with no record of their own (a one-sentence paragraph) are embedded.
    single = {p.text for p in passages if len(sentence_spans(p.text)) == 1}
    # (single words are rag.kin's word vectors, not sentences)
    sentences = [text for text in counting.embedded if " " in text]
    assert all(text in single for text in sentences), sentences
    # and the verdict is the one embedding every sentence gives.
    assert [s.text for s in reused.scored] == [s.text for s in fresh.scored]
    assert [s.score for s in reused.scored] == pytest.approx(
        [s.score for s in fresh.scored], abs=1e-3
    )
    assert reused.support == pytest.approx(fresh.support, abs=1e-3)


def test_an_index_of_another_chunker_version_lends_no_vectors(seeded_pipeline: Pipeline) -> None:
    """Its sentence vectors may carry a title prefix (before version 7): embed instead."""
    index = seeded_pipeline.index
    ids = [sentence_id(p.article_id, p.kind, p.paragraph, 0) for p in seeded_pipeline.paragraphs()]
    assert index.stored_vectors(ids)  # this version's index lends them
    older = replace(index, info=replace(index.info, chunking="v6:256"))
    assert older.stored_vectors(ids) == {}


TARIFFS = [
    "Kenya's trade deal with the US lowered tariffs on Kenyan tea from 29% to 19%.",
    "In 2018 the US accused Kenyan leaders of deceit and cut most military aid.",
    "The deal, signed in 2025, took effect this year.",
]


def test_a_year_the_question_sets_must_be_stated_near_the_answer(embed_model) -> None:  # type: ignore[no-untyped-def]
    """ "What tariff did the US impose on Kenyan tea in 2018?" is not answered by the
    undated tariff cut; the articles' latest year (2025 here) they may call "this year"."""
    scorer = EvidenceScorer(embed_model, TARIFFS)
    given = [Passage(f"p{i}", "Article", i + 1, p, 0.5) for i, p in enumerate(TARIFFS)]
    minimum = Settings(_env_file=None).min_support  # type: ignore[call-arg]
    asked = scorer.assess("What tariff did the US impose on Kenyan tea in 2018?", given)
    assert asked.support < minimum
    assert "2018" in asked.missing
    latest = scorer.assess("By how much did the US cut tariffs on Kenyan tea in 2025?", given)
    assert latest.support >= minimum


OFFICES = [
    "Chief of Army Staff Gen. Joseph Mwangi met the trade delegation in Nairobi.",
    "Later, the president called then-Prime Minister Amina Otieno his very good friend.",
]


def test_an_office_asked_is_not_answered_by_someone_given_another(embed_model) -> None:  # type: ignore[no-untyped-def]
    """ "Which army chief did the president call his friend?" gets no name from the
    sentence naming only a prime minister; "Which prime minister…" does."""
    scorer = EvidenceScorer(embed_model, OFFICES)
    given = [Passage(f"p{i}", "Article", i + 1, p, 0.5) for i, p in enumerate(OFFICES)]

    def otieno(question: str) -> float:
        found = scorer.assess(question, given).scored
        (sentence,) = [s for s in found if "Otieno" in s.text and s.signals is not None]
        return sentence.signals.type_missing  # type: ignore[union-attr]

    assert otieno("Which army chief did the president call his very good friend?") == 1.0
    assert otieno("Which prime minister did the president call his very good friend?") == 0.0
