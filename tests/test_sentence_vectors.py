"""Sentence vectors and their similarity to a question, alone and in context
(rag.sentence_vectors), with the real bundled MiniLM model."""

from __future__ import annotations

import numpy as np

from rag.sentence_vectors import SentenceVectors

SENTENCES = [
    "Every year hundreds of Kenyan students travel to Tanzania on exchange programs.",
    "This strengthens people-to-people ties.",
    "The railway carries more rice than maize.",
]


def test_a_sentence_leaning_on_the_one_before_is_read_with_it(embed_model) -> None:  # type: ignore[no-untyped-def]
    vectors = SentenceVectors(embed_model)
    question = "What do student exchanges between Kenya and Tanzania do for their bond?"
    alone, in_context = vectors.similarities(question, SENTENCES, ["a", "b", "c"], [None, 0, None])
    assert in_context[1] > alone[1]  # "This strengthens…" says more with its exchanges
    assert in_context[0] == alone[0]  # no sentence before it: its own
    assert in_context[2] == alone[2]


def test_stored_vectors_are_used_and_the_rest_embedded(embed_model) -> None:  # type: ignore[no-untyped-def]
    stored = {"b": [1.0] + [0.0] * 383}
    asked: list[list[str]] = []

    def lookup(ids):  # type: ignore[no-untyped-def]
        asked.append(list(ids))
        return {i: stored[i] for i in ids if i in stored}

    got = SentenceVectors(embed_model, lookup).vectors(SENTENCES[:2], ["a", "b"])
    assert asked == [["a", "b"]]
    assert np.allclose(got[1], stored["b"])
    assert abs(float(np.linalg.norm(got[0])) - 1.0) < 0.01  # embedded here

    def broken(ids):  # type: ignore[no-untyped-def]
        raise RuntimeError("the generation was dropped")

    assert SentenceVectors(embed_model, broken).vectors(SENTENCES[:1], ["a"]).shape == (1, 384)
