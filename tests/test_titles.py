"""rag.titles: the office a question gives a person, checked around the articles' mentions."""

from __future__ import annotations

import pytest

from rag.nlp import Entity, parse
from rag.question import analyse, asked_office
from rag.titles import Titles, claimed_titles

PARAGRAPHS = (
    "Foreign Minister and Deputy Prime Minister Amina Otieno visited Nairobi in May. "
    "Otieno spoke about the rail link.",
    "Chief of Army Staff Gen. Joseph Mwangi met the delegation. Later, the president "
    "called Mwangi his favourite field marshal.",
    "Peter Kamau, a senior fellow at a think tank who served as Kenya's ambassador to "
    "Tanzania from 2008 to 2011, said the deal was overdue.",
    "The president met Vice President David Kariuki, Secretary of State Paul Njoroge, "
    "and the governors. Kenya's ambassador to Uganda, Sarah Kimani, joined them.",
)


def claims(question: str) -> list[tuple[str, str]]:
    frame = analyse(question)
    return [(c.person.text, c.title) for c in claimed_titles(parse(question), frame.entities)]


def test_the_office_words_before_a_name_are_its_claimed_title() -> None:
    assert claims("What did Prime Minister Amina Otieno say?") == [
        ("Amina Otieno", "Prime Minister")
    ]
    assert claims("What did army chief Joseph Mwangi say?")[0][1] == "army chief"
    assert claims("What did Mr. Peter Kamau say?") == []  # an honorific claims no office
    assert claims("What did Peter Kamau say?") == []
    # the office a person is said to have served as, without whose or where
    assert claims("How long did Peter Kamau serve as Kenya's army chief?") == [
        ("Peter Kamau", "army chief")
    ]
    assert claims("When did Peter Kamau serve as Kenya's ambassador to Tanzania?") == [
        ("Peter Kamau", "ambassador")
    ]
    assert claims("When did Peter Kamau serve on the board?") == []


@pytest.fixture(scope="module")
def titles() -> Titles:
    return Titles(PARAGRAPHS)


def stated(titles: Titles, question: str) -> bool | None:
    frame = analyse(question)
    (claim,) = frame.titles
    return titles.stated(claim)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Foreign Minister Amina Otieno say?", True),
        ("What did Deputy Prime Minister Otieno say?", True),
        # a deputy prime minister is not the prime minister
        ("What did Prime Minister Amina Otieno say?", False),
        ("What did army chief Joseph Mwangi say?", True),  # "Chief of Army Staff"
        ("What did General Joseph Mwangi say?", True),  # "Gen."
        ("What did Field Marshal Mwangi say?", True),  # the title after the name
        ("What did ambassador Peter Kamau say?", True),  # late in the same sentence
        ("What did envoy Peter Kamau say?", True),  # another word for the office
        ("What did Prime Minister Peter Kamau say?", False),
        ("What did President Grace Wanjiru say?", None),  # never mentioned: not judged
        # in a list of people, each title is its own holder's
        ("What did Secretary of State Paul Njoroge say?", True),
        ("What did Secretary of State David Kariuki say?", False),
        ("What did Vice President Paul Njoroge say?", False),
        ("What did ambassador Sarah Kimani say?", True),  # "Kenya's ambassador…, Sarah Kimani"
        ("How long did Peter Kamau serve as Kenya's ambassador?", True),
        ("How long did Peter Kamau serve as Kenya's army chief?", False),
    ],
)
def test_a_title_is_stated_around_a_mention(titles: Titles, question: str, expected: bool) -> None:
    assert stated(titles, question) is expected


def test_an_office_asked_is_not_answered_by_a_person_given_another(titles: Titles) -> None:
    """ "Which army chief did the president praise?" is not answered by a sentence naming
    only Amina Otieno, whom the articles call a minister; Joseph Mwangi, their army
    chief, answers it, as does a person they never name (not judged)."""
    question = "Which army chief did the president praise?"
    office = asked_office(analyse(question))
    assert office == "chief"
    otieno, mwangi = (
        Entity("Amina Otieno", "PERSON", 0, 12),
        Entity("Joseph Mwangi", "PERSON", 0, 13),
    )
    assert titles.misplaced(question, office, [otieno])
    assert not titles.misplaced(question, office, [otieno, mwangi])
    assert not titles.misplaced(question, office, [Entity("Grace Wanjiru", "PERSON", 0, 13)])
    # a person the question names is not the answer it looks for
    assert not titles.misplaced("Which chief did Amina Otieno praise?", office, [otieno])
    assert asked_office(analyse("What did the president praise?")) is None
