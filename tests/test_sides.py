"""rag.sides: the two sides of a comparison question."""

from __future__ import annotations

import pytest

from rag.sides import sides
from rag.text import stem


def stems(*words: str) -> frozenset[str]:
    return frozenset(stem(w.lower()) for w in words)


def test_a_comparison_splits_into_the_words_each_side_has_alone() -> None:
    found = sides("How did tariffs on Kenyan tea compare with tariffs on Ugandan coffee?")
    assert found is not None
    assert found.own == (stems("kenyan", "tea"), stems("ugandan", "coffee"))
    assert found.shared == stems("tariffs")


def test_which_of_two_weighs_the_things_either_side_of_or() -> None:
    found = sides("Which was higher: the tariff on Kenyan tea, or the one on Ugandan coffee?")
    assert found is not None
    assert found.own[0] >= stems("kenyan", "tea")
    assert found.own[1] >= stems("ugandan", "coffee")


@pytest.mark.parametrize(
    "question",
    [
        "How do the two articles compare?",  # no side has a word of its own
        "What tariffs does Kenya put on Ugandan coffee?",  # nothing set against anything
    ],
)
def test_no_sides(question: str) -> None:
    assert sides(question) is None


def test_a_sentence_tells_a_side_only_with_what_both_share() -> None:
    found = sides("How did tariffs on Kenyan tea compare with tariffs on Ugandan coffee?")
    assert found is not None
    uganda = found.own[1]
    assert found.tells(uganda, set(stems("ugandan", "coffee", "tariffs"))) == 2
    assert found.tells(uganda, set(stems("ugandan", "coffee", "prices"))) == 0


def test_a_name_of_one_side_only_is_one_sided() -> None:
    found = sides("How did Kenya's tariffs on rice compare with Uganda's tariffs on rice?")
    assert found is not None
    assert found.one_sided(set(stems("Kenya")))
    assert found.one_sided(set(stems("Uganda")))
    assert not found.one_sided(set(stems("Uganda", "Kenya")))
    assert not found.one_sided(set(stems("rice")))  # shared
    assert not found.one_sided(set())
