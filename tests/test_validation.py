"""rag.validation: what the public API accepts as a question."""

from __future__ import annotations

import pytest

from rag.validation import validate_question


def test_a_question_is_stripped_and_its_curly_apostrophes_made_straight() -> None:
    typed = "  Why didn’t Kenya’s envoy call it ‘a win’?\n"
    assert validate_question(typed, 200) == "Why didn't Kenya's envoy call it 'a win'?"


@pytest.mark.parametrize("question", ["", "  \n", None, "x" * 201])
def test_a_bad_question_is_a_clear_value_error(question: object) -> None:
    with pytest.raises(ValueError, match=r"empty|limit|text"):
        validate_question(question, 200)
