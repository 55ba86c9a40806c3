"""rag.tallies: a sentence that counts a thing otherwise than the question does."""

from __future__ import annotations

import pytest
from lone import lone

from rag.nlp import entities_of, parse
from rag.question import analyse
from rag.tallies import counts_otherwise

SONS = "The firm lists Ruto’s three sons and Odinga’s two sons among its seven co-founders."
MEETINGS = "Ruto has met Museveni three times this year, most recently in Kampala."


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("What are the names of Raila Odinga's three sons at the firm?", SONS),
        ("On what dates did Ruto's four meetings with Museveni take place?", MEETINGS),
    ],
)
def test_another_count_of_the_same_thing_contradicts(question: str, sentence: str) -> None:
    assert counts_otherwise(question, sentence)
    frame = analyse(question)
    assert lone(frame, sentence, entities_of(parse(sentence))).value_conflict == 1.0


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("What are the names of Ruto's three sons?", SONS),  # another owner's count aside
        ("What are the names of Odinga's two sons?", SONS),
        ("When were Ruto's three meetings with Museveni?", MEETINGS),
        ("Which two cities did Ruto visit?", MEETINGS),  # counts nothing the sentence counts
        ("How many sons does Odinga have?", SONS),  # states no count
    ],
)
def test_the_same_count_or_none_is_no_conflict(question: str, sentence: str) -> None:
    assert not counts_otherwise(question, sentence)
