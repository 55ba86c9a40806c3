"""Which articles never mention something (rag.mentions), on a small invented corpus."""

from __future__ import annotations

import pytest

from rag.answers import is_note
from rag.mentions import asks_mentions, mention_answer
from rag.metadata import ArticleCard, metadata_ask
from rag.question import analyse
from rag.schema import Passage
from rag.text import split_sentences

CARDS = {a: ArticleCard(a, f"Article {a}") for a in ("101", "102", "103")}
PARAGRAPHS = [
    Passage("101", "Article a1", 1, "Kenya and Tanzania signed a trade agreement.", 0.0),
    Passage("101", "Article a1", 2, "The East African Community welcomed the deal.", 0.0),
    Passage("102", "Article a2", 1, "Rice exports doubled after the EAC cut tariffs.", 0.0),
    Passage("103", "Article a3", 1, "The Kalam copper mine produced 40,000 tonnes.", 0.0),
]


def answer(question: str) -> tuple[str, bool, list[tuple[str, int]]]:
    found = mention_answer(analyse(question), CARDS, PARAGRAPHS)
    assert found is not None
    return (
        found.text or found.reason,
        found.supported,
        [(p.article_id, p.paragraph) for p in found.sources],
    )


@pytest.mark.parametrize(
    "question",
    [
        "Which article does not mention copper?",
        "Which articles never discuss copper?",
        "Which of the articles doesn't cover copper?",
    ],
)
def test_negated_which_article_questions_are_asked_of_the_catalog(question: str) -> None:
    frame = analyse(question)
    assert metadata_ask(question) == "which_article"
    assert frame.negated


def test_the_silent_articles_are_named_and_the_others_cited() -> None:
    text, supported, cited = answer("Which article does not mention copper?")
    assert supported
    assert text == (
        "101 and 102 never mention “copper”. 103: The Kalam copper mine produced 40,000 tonnes [1]."
    )
    assert cited == [("103", 1)]
    first, quote = split_sentences(text)
    assert is_note(first)  # said of the whole corpus: it cites nothing
    assert not is_note(quote)


def test_a_name_counts_as_its_acronym_and_each_article_is_cited_once() -> None:
    # "EAC" in 102, "East African Community" in 101: both mention it.
    text, supported, cited = answer("Which articles never mention the East African Community?")
    assert supported
    assert text.startswith("103 never mentions “East African Community”. 101: The East")
    assert "102: Rice exports doubled after the EAC cut tariffs [2]." in text
    assert cited == [("101", 2), ("102", 1)]


def test_when_every_article_mentions_it_the_answer_says_so() -> None:
    only = {"103": CARDS["103"]}
    found = mention_answer(analyse("Which article doesn't mention copper?"), only, PARAGRAPHS)
    assert found is not None
    assert found.supported
    assert found.text.startswith("Every article mentions “copper”. 103: The Kalam")


def test_a_topic_of_several_words_must_be_mentioned_in_one_paragraph() -> None:
    # "copper" and "tariffs" are each mentioned, never together.
    text, supported, _ = answer("Which article doesn't mention copper tariffs?")
    assert not supported
    assert text == "None of the articles mentions “copper tariffs”."


def test_a_topic_no_article_mentions_is_a_refusal_that_says_so() -> None:
    text, supported, cited = answer("Which article doesn't mention cricket?")
    assert not supported
    assert text == "None of the articles mentions “cricket”."
    assert cited == []


def test_a_question_with_no_topic_gets_no_answer_here() -> None:
    assert mention_answer(analyse("Which article doesn't say?"), CARDS, PARAGRAPHS) is None


def test_how_many_articles_mention_it_is_counted_and_each_mention_quoted() -> None:
    text, supported, cited = answer("How many articles mention copper?")
    assert supported
    assert text.startswith("1 of the 3 articles mentions “copper”. 101 and 102 never mention")
    assert cited == [("103", 1)]
    text, _, _ = answer("How many of the articles don't mention copper?")
    assert text.startswith("2 of the 3 articles never mention “copper”: 101 and 102. 103:")
    assert [is_note(s) for s in split_sentences(text)] == [True, False]


def test_which_articles_mention_it_lists_each_with_its_mention() -> None:
    """Asked in the plural, every article that mentions it, each quoted: not the one
    sentence that says most, as "Which article covers…?" gets from the gate."""
    assert asks_mentions(analyse("Which of the articles bring up tariffs, and why?"))
    assert not asks_mentions(analyse("Which article covers tariffs?"))
    text, supported, cited = answer("Which articles mention tariffs?")
    assert supported
    assert text == (
        "1 of the 3 articles mentions “tariffs”. 101 and 103 never mention “tariffs”. "
        "102: Rice exports doubled after the EAC cut tariffs [1]."
    )
    assert cited == [("102", 1)]


def test_which_articles_mention_what_none_holds_is_left_to_the_gate() -> None:
    # not asked which articles are silent: the gate finds what comes closest, or refuses
    frame = analyse("Which of the articles bring up copper as a field of trade talks?")
    assert asks_mentions(frame)
    assert mention_answer(frame, CARDS, PARAGRAPHS) is None
