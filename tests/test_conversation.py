"""Follow-up questions (rag.conversation): which questions lean on the previous turn, and
the standalone question `condense` makes of them. Pure, but for `_names_nobody`, which
parses the questions that carry a he/she with spaCy's small English pipeline."""

from __future__ import annotations

import pytest

import rag.question
from rag.conversation import _names_nobody, condense, following_up, is_follow_up

FOLLOW_UPS = [
    "What about India?",
    "And when was it signed?",
    "Who is he?",
    "How about the railway?",
    "Why?",
    "Tell me more",
    "  and what about India?",  # leading blanks and case don't hide the opening
    "WHAT ABOUT China?",
    "Did Trump praise it?",  # a pronoun in a short question, even beside a name
    # long, but the pronoun is all it has to go on: nothing is named
    "What did they decide to do about the tariffs on rice exports last year?",
]

STANDALONE = [
    "What is Reko Diq?",
    "Who wrote the CISS article?",
    "What did Kenya and Uganda sign?",
    "By how much were tariffs on Pakistani goods lowered?",
    "Who is Pakistan's ambassador in Washington?",
    # a pronoun in a long question that names who it is about
    "What did Trump say about Pakistan during his campaign?",
    # an opening word is a whole word: "So", "And", "But" start these names
    "Sovereign debt ratings of Pakistan: which agencies give them?",
    "Andrew Smith of the CIA: what role did he play in the Kabul arrest?",
    "Butterworth's report on Reko Diq: who commissioned the report?",
]


@pytest.mark.parametrize("question", FOLLOW_UPS)
def test_a_question_that_leans_on_the_previous_turn_is_a_follow_up(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize("question", STANDALONE)
def test_a_question_that_stands_alone_is_not_a_follow_up(question: str) -> None:
    assert not is_follow_up(question)


def test_following_up_appends_the_previous_question_without_its_question_mark() -> None:
    assert following_up("  What about India? ", " What is Reko Diq?? ") == (
        "What about India? (following up on: What is Reko Diq)"
    )
    # a previous turn with no question mark keeps all its words
    assert following_up("Who is he?", "Tell me about the minister") == (
        "Who is he? (following up on: Tell me about the minister)"
    )


@pytest.mark.parametrize("question", ["What about India?", "And when was it signed?"])
def test_condense_carries_the_last_turn_into_a_follow_up(question: str) -> None:
    history = ["What did Kenya and Uganda sign?", "What is Reko Diq?"]
    assert condense(question, history) == f"{question} (following up on: What is Reko Diq)"


def test_condense_reads_who_he_is_from_the_previous_question() -> None:
    previous = ["Who is Pakistan's finance minister?"]
    assert condense("Who is he?", previous) == (
        "Who is he? (following up on: Who is Pakistan's finance minister)"
    )


@pytest.mark.parametrize("question", STANDALONE)
def test_condense_leaves_a_standalone_question_alone(question: str) -> None:
    assert condense(question, ["What is Reko Diq?"]) == question


@pytest.mark.parametrize("question", ["What about India?", "Who is he?"])
def test_a_first_question_has_nothing_to_follow(question: str) -> None:
    assert condense(question, []) == question


def test_a_he_the_question_cannot_resolve_borrows_the_previous_turn() -> None:
    previous = ["Who is Pakistan's ambassador in Washington?"]
    asked = "How did he sum up Islamabad's approach to Trump?"  # names, but not him
    assert not is_follow_up(asked)  # long and full of names: the parse decides
    assert _names_nobody(asked)
    assert condense(asked, previous).endswith(
        "(following up on: Who is Pakistan's ambassador in Washington)"
    )
    standalone = "What did Trump say about Pakistan during his campaign?"
    assert not _names_nobody(standalone)  # "his" is Trump's
    assert condense(standalone, previous) == standalone


def test_a_question_without_he_or_she_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parse(question: str) -> None:
        raise AssertionError(f"parsed {question!r}")

    monkeypatch.setattr(rag.question, "analyse", no_parse)
    assert not _names_nobody("What did they agree about the Reko Diq mine and its copper?")
    question = "What did Kenya and Uganda sign at the summit in Nairobi last week?"
    assert condense(question, ["What is Reko Diq?"]) == question
