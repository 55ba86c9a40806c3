"""rag.sides: the two sides of a comparison question."""

from __future__ import annotations

import pytest

from rag.nlp import parse
from rag.question import analyse
from rag.sides import Against, against_named, sides
from rag.text import stem


def stems(*words: str) -> frozenset[str]:
    return frozenset(stem(w.lower()) for w in words)


def test_a_comparison_splits_into_the_words_each_side_has_alone() -> None:
    found = sides("How did tariffs on Kenyan tea compare with tariffs on Ugandan coffee?")
    assert found is not None
    assert found.own == (stems("kenyan", "tea"), stems("ugandan", "coffee"))
    assert found.shared == stems("tariffs")


def test_the_word_standing_for_what_is_compared_is_no_side_of_its_own() -> None:
    """ "…compare with the ones on Ugandan goods": "ones" is the tariffs again, so a
    sentence giving Uganda's tariff tells that side by "Ugandan" alone."""
    found = sides("How do tariffs on Kenyan goods compare with the ones on Ugandan goods?")
    assert found is not None
    assert found.own == (stems("tariffs", "kenyan"), stems("ugandan"))


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


def against(question: str) -> Against | None:
    frame = analyse(question)
    return against_named(question, frame.entities, parse(question))


def test_a_comparison_with_a_thing_named_only_by_name_asks_its_measure() -> None:
    """ "…compare with that in Uganda" asks Uganda's cost: a sentence naming Uganda for
    something else doesn't give it, nor one giving the cost of another place."""
    cost = against(
        "How does the cost of growing tea in Kenya compare with that in Uganda, "
        "where the UN has been funding farms?"
    )
    assert cost is not None
    assert cost.told_by("Tea costs less to grow in Kenya than in Uganda.")
    assert not cost.told_by("The UN has been funding farms in Uganda.")
    assert not cost.told_by("Tea costs less to grow in Kenya than in Tanzania.")
    assert "cost for Uganda" in cost.refusal()
    # what is compared may follow ("in size", "on cost") or be the object compared
    size = against("How do Kenya's tea farms compare in size with Uganda's?")
    assert size is not None
    assert size.measures == stems("farms", "size", "tea")
    either = against("How does the report compare labour costs in Kenya with those in Uganda?")
    assert either is not None
    assert either.told_by("Labour costs are lower in Uganda.")


@pytest.mark.parametrize(
    "question",
    [
        "How did Ruto's tone in 2018 compare with the way he spoke of Uganda last year?",
        "How did Kenya's economy fare?",  # no comparison
        "Ruto compared to Museveni on Uganda",  # a name "on" a name: a topic, no measure
    ],
)
def test_a_comparison_with_more_than_a_name_is_left_to_sides(question: str) -> None:
    assert against(question) is None
