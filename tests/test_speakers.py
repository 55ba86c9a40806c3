"""rag.speakers: whose words a question asks for, and whether a paragraph gives them."""

from __future__ import annotations

import pytest

from rag.nlp import Entity, entities_of, parse
from rag.question import analyse
from rag.speakers import (
    accounted_speaker,
    asked_reactor,
    asked_speaker,
    continues_quote,
    gives_words,
    named_just_before,
    quotes_another,
    reacts_in,
    speaks_in,
)


def speaker(question: str) -> str | None:
    found = asked_speaker(parse(question), analyse(question).entities)
    return found.text if found is not None else None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Joseph Mwangi say about the agreement?", "Joseph Mwangi"),
        ("Why does Amina Otieno think the rail link matters?", "Amina Otieno"),
        ("What did Joseph Mwangi sign in Arusha?", None),  # not a speech verb
        ("What was Kenya after, according to Joseph Mwangi?", None),  # whose account
        ("Which 2021 treaty is Kenya said to have helped mediate?", None),  # others say it
        # the view it asks for, not its main verb's subject
        ("Should Kenya expect more aid, in Joseph Mwangi's view?", "Joseph Mwangi's"),
        ("What is Joseph Mwangi's view of the rail deal?", "Joseph Mwangi's"),
        ("What is Amina Otieno's stance on the tariffs?", "Amina Otieno's"),
        ("How does Amina Otieno regard the rail deal?", "Amina Otieno"),
        # parsed with "Otieno" for the verb: read from the words
        ("Why does Amina Otieno regard Mwangi as a friend?", "Amina Otieno"),
        ("What does Amina Otieno make of the rail deal?", "Amina Otieno"),
        ("What is the rail deal's cost, in Kenya?", None),
        # the view as someone else tells it
        ("How did the deal shape Kenya's view of it, according to Joseph Mwangi?", None),
    ],
)
def test_asked_speaker(question: str, expected: str | None) -> None:
    assert speaker(question) == expected


MWANGI = Entity("Joseph Mwangi", "PERSON", 0, 13)


@pytest.mark.parametrize(
    ("paragraph", "speaks"),
    [
        ("“The route is open,” said Joseph Mwangi, Kenya's ambassador.", True),
        ("Mwangi told reporters the route was open.", True),
        ("Kenya's ambassador, Joseph Mwangi, described the route as open.", True),
        ("Mwangi's remarks surprised the delegates.", True),
        ("Mwangi attended the signing in Arusha. He said the route was open.", True),
        # "he" is the last one named, Otieno
        ("Mwangi met Amina Otieno in Arusha. She said the route was open.", False),
        ("The minister praised Mwangi for the route.", False),  # spoken of, not speaking
        ("Otieno described Mwangi as a patient negotiator.", False),
        ("The route opened in March.", False),
        ("According to Mwangi, the route is open.", True),
        # the speech verb is another's: only names may stand between it and Mwangi
        ("“The route is open,” Otieno said before meeting Mwangi.", False),
    ],
)
def test_speaks_in(paragraph: str, speaks: bool) -> None:
    assert speaks_in(MWANGI, paragraph, entities_of(parse(paragraph))) is speaks


def test_a_quote_run_on_from_the_paragraph_before_is_its_speakers() -> None:
    quote = "“The route will pay for itself, and Uganda will see it,” he said."
    assert continues_quote(quote, entities_of(parse(quote)))  # Uganda is quoted, not speaking
    named = "Mwangi attended the signing. “The route will pay,” he said."
    assert not continues_quote(named, entities_of(parse(named)))
    assert named_just_before(MWANGI, "The ambassador, Joseph Mwangi, was upbeat.\n")
    assert not named_just_before(MWANGI, "The minister was upbeat.\n")


def test_a_relative_clause_gives_its_names_words() -> None:
    kenya = Entity("Kenya", "GPE", 0, 5)
    told = "The claim rankled Kenya, which has long insisted that the talks were bilateral."
    assert speaks_in(kenya, told, entities_of(parse(told)))
    spoken_of = "Tanzania insists the talks with Kenya were bilateral."
    assert not speaks_in(kenya, spoken_of, entities_of(parse(spoken_of)))


def test_whose_reaction_a_question_asks_for_and_where_it_is_told() -> None:
    def reactor(question: str) -> str | None:
        found = asked_reactor(parse(question), analyse(question).entities)
        return found.text if found is not None else None

    assert reactor("How did Uganda react to the rail deal?") == "Uganda"
    assert reactor("How did the Uganda government respond to the deal?") == "Uganda"
    assert reactor("How did Amina Otieno's party react to the deal?") == "Amina Otieno's"
    assert reactor("What did Uganda sign?") is None
    uganda = Entity("Uganda", "GPE", 0, 6)
    assert reacts_in(uganda, "Uganda swiftly condemned the rail deal.")
    assert reacts_in(uganda, "“It is unfair,” Uganda said.")
    # named, but not reacting
    assert not reacts_in(uganda, "The deal made Kenya one of Uganda's closest partners.")
    # what it did in answer, its name the subject ("Pakistan, on the other hand, gave…")
    assert reacts_in(uganda, "Uganda, on the other hand, gave Kenya full credit.")
    assert not reacts_in(uganda, "Kenya gave Uganda full credit.")


def test_a_country_speaks_by_any_of_its_names_and_views_are_its_words() -> None:
    """ "Why does the US regard Kenya as vital?" asks for the US's view: "The U.S. views
    Kenya as vital…" gives it, by another of its names and a verb of viewing."""
    us = Entity("US", "GPE", 0, 2)
    assert speaks_in(us, "The U.S. views Kenya as vital for the region's security.")
    assert speaks_in(us, "Washington regards Kenya as a partner.")
    assert not speaks_in(us, "Kenya views the U.S. as a partner.")


def test_whose_account_a_question_follows_and_a_quote_that_is_anothers() -> None:
    """ "According to Joseph Mwangi, …" follows Mwangi's account: a paragraph quoting
    Amina Otieno ("…,” said Otieno. “But…") gives someone else's words, while one quoting
    Mwangi, or telling his view around the quote, does not quote another."""
    question = "According to Joseph Mwangi, which factors kept Kenya and Uganda partners?"
    found = accounted_speaker(parse(question), analyse(question).entities)
    assert found is not None
    assert found.text == "Joseph Mwangi"
    assert accounted_speaker(parse("What did Kenya sign, according to the treaty?"), []) is None
    otieno = "“Trade is down,” said Otieno. “But all the factors that made them partners remain.”"
    names = entities_of(parse(otieno))
    assert gives_words(found, otieno, names, "") is None
    assert quotes_another("“But all the factors that made them partners remain.”", otieno)
    mwangi = otieno.replace("Otieno", "Mwangi")
    assert gives_words(found, mwangi, entities_of(parse(mwangi)), "") == "named"
    told = "Kenya and Uganda stayed partners, Mwangi argued, because trade kept growing."
    assert not quotes_another(told, told)
