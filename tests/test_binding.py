"""Which event a value belongs to (rag.binding), on sentences written for the test (Kenya
and Uganda, not the seeds): a place or date of another event doesn't answer."""

from __future__ import annotations

from rag.binding import value_elsewhere
from rag.question import analyse


def unlike(verb: str, word: str) -> bool:
    return False  # no two different words mean the same here


def elsewhere(question: str, sentence: str, *values: str) -> bool:
    spans = [(sentence.index(v), sentence.index(v) + len(v)) for v in values]
    return value_elsewhere(analyse(question), sentence, spans, unlike)


def test_a_place_of_another_event_nested_in_the_asked_one_does_not_answer() -> None:
    asked = "In which city was Odinga arrested?"
    nested = "Police helped Uganda arrest Raila Odinga, the planner of a 2019 bombing in Kampala."
    assert elsewhere(asked, nested, "Kampala")
    told = "Police arrested Raila Odinga in Nairobi, months after the bombing in Kampala."
    assert not elsewhere(asked, told, "Nairobi", "Kampala")  # Nairobi is the arrest's


def test_a_value_of_a_verb_whose_clause_holds_the_asked_event_answers() -> None:
    asked = "In which month did Uganda help arrest Odinga?"
    sentence = "Kenya's first success came in March, when it helped Uganda arrest Odinga."
    assert not elsewhere(asked, sentence, "March")


def test_a_sentence_without_the_asked_verb_is_left_alone() -> None:
    """ "Detained" may be the arrest in other words: the parse can't tell which word
    tells the event, so the sentence is not judged."""
    asked = "In which city was Odinga arrested?"
    assert not elsewhere(asked, "Odinga was detained in Nairobi after the bombing.", "Nairobi")


def test_a_value_completing_the_asked_verb_belongs_to_it() -> None:
    asked = "How much did the bank agree to lend Kenya?"
    sentence = "The bank agreed to provide $300 million to Kenya for the railway."
    assert not elsewhere(asked, sentence, "$300 million")


def test_a_phase_of_an_event_or_a_preposition_is_no_event_of_its_own() -> None:
    """ "The beginning of their ties in the 1960s" dates the ties; "including" is a
    preposition, whatever its form."""
    asked = "In what decade did Kenya and Uganda first establish ties?"
    sentence = (
        "Since the beginning of their ties in the 1960s, Kenya and Uganda have often "
        "quarreled, establishing no lasting basis for a partnership."
    )
    assert not elsewhere(asked, sentence, "the 1960s")
