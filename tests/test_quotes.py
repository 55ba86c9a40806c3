"""Quoted words a question gives a person, checked against whom the articles give them."""

from __future__ import annotations

from typing import Any

import pytest

from rag.config import Settings
from rag.evidence import EvidenceScorer
from rag.nlp import Entity
from rag.quotes import QuoteClaim, Quotes, claimed_quotes
from rag.schema import Passage

OTIENO = Entity("Amina Otieno", "PERSON", 0, 12)
MWANGI = Entity("Joseph Mwangi", "PERSON", 0, 13)
PARAGRAPHS = [
    "“They have charmed the president,” said Amina Otieno, a fellow at the Nairobi Institute.",
    "Kenya's envoy, Joseph Mwangi, described the approach thus: “It's trade, trust, timing.”",
    "“That was the quick win they wanted,” said Joseph Mwangi.",
    "“And they got it, too.”",
    "Charming the president has been part of Kenya's game plan.",
]


def claim(*people: Entity, words: str) -> QuoteClaim:
    return QuoteClaim(people, words)


def test_quoted_words_the_articles_give_another_are_misattributed() -> None:
    quotes = Quotes(PARAGRAPHS)
    [wrong] = quotes.misattributed([claim(OTIENO, words="trade, trust, timing")])
    assert wrong.people == (OTIENO,)
    assert "Amina Otieno" in wrong.refusal()
    assert quotes.misattributed([claim(MWANGI, words="trade, trust, timing")]) == []
    # another form of a quoted word ("charmed") is the same words
    assert quotes.misattributed([claim(MWANGI, words="charm")])[0].people == (MWANGI,)
    assert quotes.misattributed([claim(OTIENO, words="charm")]) == []


def test_only_quotations_hold_quoted_words() -> None:
    """ "game plan" in the writer's own words is no one's quote; words never quoted are
    another check's business."""
    quotes = Quotes(PARAGRAPHS)
    assert quotes.misattributed([claim(OTIENO, words="game plan")]) == []
    assert quotes.misattributed([claim(OTIENO, words="never said at all")]) == []


def test_a_quote_run_on_is_the_speaker_before_it() -> None:
    """ "“And they got it, too.”" names no one: it runs on from Mwangi's quote."""
    quotes = Quotes(PARAGRAPHS)
    assert quotes.misattributed([claim(MWANGI, words="got it")]) == []
    assert quotes.misattributed([claim(OTIENO, words="got it")])[0].people == (OTIENO,)


def test_a_question_quotes_words_in_any_quote_marks_but_not_an_apostrophe() -> None:
    question = "Why did Amina Otieno's envoy call it 'trade, trust, timing' and “quick”?"
    found = claimed_quotes(question, [OTIENO, Entity("Kenya", "GPE", 0, 5)])
    assert [c.words for c in found] == ["trade, trust, timing", "quick"]
    assert all(c.people == (OTIENO,) for c in found)
    assert claimed_quotes("What did Kenya call 'trade'?", [Entity("Kenya", "GPE", 0, 5)]) == ()


@pytest.mark.slow
def test_the_gate_refuses_words_given_to_the_wrong_person(embed_model: Any) -> None:
    """Asked why Otieno called it "trade, trust, timing", the passage where Mwangi says it
    doesn't answer, and the refusal says whose words they are not; asked of Mwangi, it
    answers."""
    scorer = EvidenceScorer(embed_model, PARAGRAPHS)
    given = [Passage(f"p{i}", "Article", i + 1, p, 0.5) for i, p in enumerate(PARAGRAPHS)]
    minimum = Settings(_env_file=None).min_support  # type: ignore[call-arg]
    wrong = scorer.assess(
        "Why did Amina Otieno call Kenya's approach 'trade, trust, timing'?", given
    )
    assert wrong.support < minimum
    assert "don't give the words “trade, trust, timing” to Amina Otieno" in wrong.missing
    right = scorer.assess(
        "Why did Joseph Mwangi call Kenya's approach 'trade, trust, timing'?", given
    )
    assert right.support >= minimum
