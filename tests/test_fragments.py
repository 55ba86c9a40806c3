"""Keyword queries read as the questions they stand for (rag.fragments)."""

from __future__ import annotations

import pytest

from rag.answer_types import AnswerType
from rag.definitions import asked_definition
from rag.fragments import as_question
from rag.outcomes import asks_outcome
from rag.question import analyse


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("lamu railway contract signing date", "date"),
        ("kenya railways lamu port stake", "percent"),
        ("number of kenyan rail strikes", "count"),
        ("lamu port expansion cost", "money"),
        ("railway tender cancellation reason", "reason"),
        ("lobbying firms kenya hired names", "organisation"),
        ("kenya freight tariff rate", "quantity"),
    ],
)
def test_a_fragment_asks_for_the_kind_its_end_word_names(typed: str, kind: AnswerType) -> None:
    read = as_question(typed)
    assert read is not None
    assert analyse(read).answer_type == kind


def test_a_fragment_may_ask_for_a_meaning_or_an_outcome() -> None:
    meaning = as_question("'standard gauge' meaning")
    assert meaning is not None
    ask = asked_definition(meaning)
    assert ask is not None
    assert ask.term.strip("'") == "standard gauge"
    outcome = as_question("nairobi rail talks results")
    assert outcome is not None
    assert asks_outcome(outcome)


@pytest.mark.parametrize(
    "typed",
    [
        "When was the railway contract signed?",  # a question already
        "kenya railway contract date when",  # its wh-word says what is asked
        "Did Kenya sign the contract on that date",  # a yes/no question
        "List the firms by stake",  # a request
        "lamu port expansion",  # no word of a kind at either end
        "date",  # nothing the kind is of
        "lamu port risks and kenya railways stake",  # several asks: the kind is one's
    ],
)
def test_a_question_or_a_fragment_without_a_kind_word_is_left_as_typed(typed: str) -> None:
    assert as_question(typed) is None
