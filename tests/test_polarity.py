"""rag.polarity: a negation counts only near the words a sentence shares with the question."""

from __future__ import annotations

import pytest
from lone import lone

from rag.polarity import (
    NEGATIVE_SENSE,
    asks_refusal,
    contrary,
    denies_clause,
    denies_near,
    denies_verb,
    harm_only,
    modal_main,
    reverses,
    supposed_only,
)
from rag.question import analyse
from rag.text import stem


def stems(*words: str) -> set[str]:
    return {stem(w) for w in words}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Why did Kenya refuse to sign the deal?", True),
        ("Why did Uganda turn down the offer?", True),
        ("Why didn't the mine reopen?", True),
        ("Why has Kenya never signed?", True),
        ("Why did Kenya sign the deal?", False),
        ("Why did the railway go down to one train a day?", False),
        # a "not" inside what was asked for is no refusal
        ("Why did the diplomat ask the paper not to name him?", False),
        ("Why does Kenya still value the talks even though they aren't a breakthrough?", False),
        ("Why did Kenya not sign?", True),
        ("Why did Uganda hold back from backing the deal?", True),
        ("Why did Uganda withhold its support?", True),
        ("Why should the pipeline be held back?", False),  # delayed, not refused
        # after a lead-in naming the source
        ("According to Mwangi, why doesn't Kenya want the two sides fighting?", True),
        ("Per the explainer, why did Uganda not join?", True),
    ],
)
def test_asks_refusal(question: str, expected: bool) -> None:
    assert asks_refusal(question) is expected


def test_a_negation_near_a_shared_word_denies_it() -> None:
    sentence = "Experience shows that security cooperation alone does not ensure a partnership."
    assert denies_near(sentence, stems("cooperation", "enough"))
    assert not denies_near("Kenya helped Tanzania build the line.", stems("help", "build"))


def test_a_negation_far_from_the_shared_words_is_about_something_else() -> None:
    sentence = (
        "Kenya signed the trade agreement in March, after months of talks in which the "
        "ministers of several neighbouring states said they would not join it."
    )
    assert not denies_near(sentence, stems("kenya", "signed", "agreement"))
    assert denies_near(sentence, stems("join"))


def test_a_change_told_the_other_way_round_reverses_the_question() -> None:
    lowered = "The deal lowered tariffs from 29% to 19% on Kenyan goods."
    assert reverses("Why did Tanzania raise tariffs from 19% to 29%?", lowered)
    assert not reverses("Why were tariffs cut from 29% to 19%?", lowered)
    assert not reverses("Why were tariffs cut?", lowered)


def test_a_sentence_denies_the_word_right_after_its_negation() -> None:
    told = "Mwangi broke with precedent by not calling Otieno after the vote."
    assert denies_verb(told, stems("call"))
    assert denies_verb("Uganda's refusal to lower tariffs angered Kenya.", stems("lower"))
    # a negation elsewhere in the sentence denies something else
    assert not denies_verb("Mwangi called Otieno, who did not attend the vote.", stems("call"))
    assert not denies_verb("Kenya called for talks.", stems("call"))


def test_a_question_that_already_means_not() -> None:
    assert NEGATIVE_SENSE.search("Why does Kenya want to avoid another dispute?")
    assert NEGATIVE_SENSE.search("Why does Mwangi expect little new aid?")
    assert not NEGATIVE_SENSE.search("Why did Mwangi call Otieno?")
    # "keep them from fighting": "does not want them fighting" agrees
    assert NEGATIVE_SENSE.search("Why does Mwangi want to keep Kenya and Uganda from fighting?")
    assert not NEGATIVE_SENSE.search("Why does Mwangi keep calling Otieno?")


@pytest.mark.parametrize(
    ("sentence", "words", "expected"),
    [
        # the negated clause holds the word, however far from the "not"
        ("Growth in the north must not be extractive or externally dictated.", ("dictated",), 1),
        ("I don't see any big-ticket military items being sold to Kenya.", ("sold",), 1),
        ("Kenya got no aid from the bank.", ("aid",), 1),
        # the negated verb's subject is not what it denies, nor a clause of its own
        ("No country has done more for rail links than Kenya.", ("rail",), 0),
        ("Kenya did not join the talks, because the summit was cancelled.", ("summit",), 0),
        ("Kenya joined the talks and signed the deal.", ("deal",), 0),
    ],
)
def test_a_negated_clause_denies_the_words_inside_it(
    sentence: str, words: tuple[str, ...], expected: int
) -> None:
    assert denies_clause(sentence, stems(*words)) == bool(expected)


def test_an_event_under_a_modal_is_only_supposed() -> None:
    assert supposed_only("Kenya can now fully integrate its grid with Tanzania's.", "integrat")
    assert supposed_only("Kenya should integrate its grid.", "integrat")
    # told as done once is enough
    assert not supposed_only("Kenya integrated its grid and could integrate more.", "integrat")
    assert not supposed_only("Kenya integrated its grid.", "integrat")
    assert not supposed_only("The grid is old.", "integrat")  # not told at all
    # after a verb of planning's "to": intended, not done; "I want to thank" thanks
    assert supposed_only("Nairobi is reportedly planning to invite the envoy.", "invit")
    assert not supposed_only("“I want to thank Kenya,” the envoy said.", "thank")
    # nearly done is not done: "a near-finalized agreement", "almost agreed"
    assert supposed_only("Kenya hailed a near-finalized trade agreement.", "finaliz")
    assert supposed_only("The pact was almost finalized in May.", "finaliz")
    assert not supposed_only("The pact was finalized in May.", "finaliz")


def test_a_modal_main_verb_tells_what_could_or_should_be() -> None:
    assert modal_main("To protect farmers, Kenya must cut tariffs on rice.")
    assert not modal_main("Kenya cut tariffs on rice to protect farmers.")


def test_a_negation_is_read_with_either_apostrophe() -> None:
    """The articles write "don’t"; readers type "don't" or "don’t"."""
    for nt in ("n't", "n’t"):
        assert denies_clause(f"I do{nt} see any tractors being sold to Kenya soon.", {"sold"})
        assert asks_refusal(f"Why did{nt} Uganda sign the rail deal?")


def test_the_good_in_a_thing_told_only_as_harmful_is_denied() -> None:
    """ "What benefits does Mwangi see in the sanctions?" takes some as given; a sentence
    saying the sanctions undermine the relationship denies it, one naming a benefit
    doesn't."""
    question = "What benefits does Mwangi see in the sanctions on Kenya?"
    harmful = "The sanctions on Kenya undermine the stability of the relationship."
    assert harm_only(question, harmful)
    assert lone(analyse(question), harmful).denied == 1.0
    assert not harm_only(question, "The sanctions brought one benefit: cheaper rice.")
    assert not harm_only("Why does Mwangi oppose the sanctions on Kenya?", harmful)


def test_a_word_of_contrary_sense_denies_the_premise() -> None:
    """ "Which EAC members objected to the plan?" is denied by "Support from key EAC
    members…", which tells the contrary and no objection; "refusal to lower" is no
    contrary of a raise, and a sentence telling both sides denies nothing."""
    assert contrary("Which EAC members objected to the plan?", "Support from key EAC members.")
    assert not contrary("Which EAC members objected?", "Uganda objected; others backed it.")
    assert contrary("Why did Kenya raise tariffs?", "Kenya lowered tariffs on rice in May.")
    assert not contrary("Why did Kenya raise tariffs?", "Uganda's refusal to lower tariffs.")
    assert not contrary("Why did Kenya raise tariffs?", "Kenya raised tariffs in May.")
    told = lone(analyse("Which EAC members objected to the plan?"), "Support from key EAC members.")
    assert told.denied == 1.0
    embrace = "How did Ruto's warm embrace of Museveni improve ties?"
    assert contrary(embrace, "Ruto reverted to isolating and sidelining Uganda.")
    former = "Which firm set up the interview with former ambassador Otieno?"
    assert contrary(former, "A firm set up the interview with the current ambassador.")
    assert not contrary(former, "A firm set up the interview with the former ambassador.")
