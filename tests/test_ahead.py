"""rag.ahead: what answers a question about an event still to come."""

from __future__ import annotations

import pytest
from lone import lone

from rag.answerability import Signals
from rag.missing import explain
from rag.nlp import entities_of, parse
from rag.question import analyse


def _told(question: str, sentence: str, *, verb_kin: bool = False) -> Signals:
    """A lone sentence's signals with its entities, the way evidence passes them for a
    question about an event ahead (`verb_kin`: rag.kin found its verb in other words)."""
    return lone(analyse(question), sentence, entities_of(parse(sentence)), verb_kin=verb_kin)


@pytest.mark.parametrize(
    ("question", "sentence", "ahead"),
    [
        # the event is not told at all: a visit done is not the one asked for
        (
            "When will the Kenyan president visit Dodoma?",
            "The Kenyan president visited Arusha in March.",
            True,
        ),
        ("Will Kenya lift its tariffs on Ugandan maize?", "Kenya imposed tariffs in 2021.", True),
        # only as planned, without the thing asked: what it will decide
        (
            "What will the energy summit in Nairobi decide?",
            "The two governments are planning an energy summit in Nairobi in June.",
            True,
        ),
        # told as ahead with its date: answered
        (
            "When will Kenya open the new rail depot?",
            "Kenya is expected to open the new rail depot in June.",
            False,
        ),
        # a date of something done beside it is not the event's: the reserve isn't dated
        (
            "When will Kenya's grain reserve be up and running?",
            "Mwangi was named minister in May, and he announced that Kenya would set up a "
            "grain reserve.",
            True,
        ),
        (
            "When will Kenya's grain reserve be up and running?",
            "Kenya's grain reserve will be up and running in March.",
            False,
        ),
        # a figure a thing has, and a reason, are not held to the question's verb
        (
            "How many years will the electricity agreement run?",
            "Tanzania signed a ten-year electricity agreement with Kenya.",
            False,
        ),
        # any other figure must be told with its event: reserves' worth is no investment
        (
            "How much will Kenyan firms invest in the Lamu corridor?",
            "The Lamu corridor holds mineral reserves worth billions of dollars.",
            True,
        ),
        (
            "How much will the new rail depot cost?",
            "The new rail depot is a $2 billion project.",
            False,
        ),
        (
            "Why will Kenya keep buying Tanzanian rice?",
            "That is mainly because Tanzanian rice is cheaper.",
            False,
        ),
        # a verb that only stages the event: the value must sit beside the event named
        (
            "Where will the two governments hold the energy summit?",
            "The two governments are planning an energy summit in Nairobi in June.",
            False,
        ),
        (
            "Where will the rail working group be held?",
            "The upcoming rail working group in May could set the tone for ties with Nairobi.",
            True,
        ),
    ],
)
def test_an_event_asked_as_ahead_needs_a_sentence_that_foretells_it(
    question: str, sentence: str, ahead: bool
) -> None:
    assert analyse(question).ahead
    assert _told(question, sentence).anticipated == float(ahead)


def test_an_event_ahead_may_be_told_in_other_words() -> None:
    question = "Will Kenya scrap its tariffs on Ugandan maize?"
    sentence = "Kenya plans to abolish its tariffs on Ugandan maize."
    assert _told(question, sentence).anticipated == 1.0
    assert _told(question, sentence, verb_kin=True).anticipated == 0.0


def test_a_refusal_of_an_event_ahead_says_so() -> None:
    question = "What will the two governments announce at the energy summit?"
    sentence = "The two governments are planning an energy summit in Nairobi in June."
    told = _told(question, sentence)
    reason = explain(analyse(question), told, tuple(entities_of(parse(sentence))), [])
    assert reason.startswith("The articles don't say what will happen")


def test_a_how_or_why_about_an_event_done_is_not_told_by_what_could_be() -> None:
    """ "How did Kenya make the route safer?" takes it as done: "Kenya can link the depot
    with its port to make the route safer" tells it only as what could be, and advice's
    reason ("To secure cheaper food, Kenya must cut tariffs") is no reason for a cut made."""
    could = "Kenya can link the Arusha depot with its port to make the route safer."
    assert lone(analyse("How did Kenya make the route safer?"), could).anticipated
    cut = analyse("Why did Kenya cut tariffs on rice?")
    advice = "To secure cheaper food, Kenya must cut tariffs on rice."
    assert lone(cut, advice).anticipated
    assert not lone(cut, "Kenya cut tariffs on rice.").anticipated
    assert not lone(analyse("Why should Kenya cut tariffs on rice?"), advice).anticipated


def test_an_event_asked_as_done_is_not_told_by_advice_about_its_topic() -> None:
    """ "Which depots have opened along the corridor?" asks of an opening done; "Kenya
    should keep the corridor focused on rail depots" says only what should be, and without
    the question's verb it tells no opening. A sentence that tells the event itself ("the
    recent opening of two depots will ease…") is not held to it."""
    opened = analyse("Which rail depots have opened along the Lamu corridor?")
    advice = "Kenya should keep the Lamu corridor focused on rail depots and ports."
    assert lone(opened, advice).anticipated
    done = "Kenya opened two rail depots along the Lamu corridor in March."
    assert not lone(opened, done).anticipated
    told = "Kenya's recent signing of a rail pact with Uganda will ease freight costs."
    assert not lone(analyse("Has Kenya signed a rail pact with Uganda?"), told).anticipated
    # the event named in the subject, in other words, is done too
    concluded = analyse("Did Kenya conclude a rail accord with Uganda?")
    assert not lone(concluded, told).anticipated


def test_a_yes_no_question_with_no_verb_of_its_own_is_unsettled_by_a_thing_awaited() -> None:
    """ "Did the pipeline ever get its waivers?" has only a light verb: a sentence telling
    the waivers only as awaited ("must wait for") or under a modal doesn't say it got
    them; one telling them as granted may."""
    question = "Did the Kenya-Uganda pipeline ever get its sanctions waivers?"
    waits = "However, the Kenya-Uganda pipeline must wait for the sanctions waivers."
    assert _told(question, waits).unsettled == 1.0
    granted = "The Kenya-Uganda pipeline received its sanctions waivers in May."
    assert _told(question, granted).unsettled == 0.0


def test_a_yes_no_question_ahead_is_not_settled_by_the_thing_as_it_stands() -> None:
    """ "Will the May talks finalise the rail accord?" asks what is to come: "a
    near-finalised rail accord" tells of it as it stands, "is expected to finalise" foretells."""
    question = "Will the rail working group in May finalise the Kenya-Uganda rail accord?"
    stands = "At the core lies a near-finalised Kenya-Uganda rail accord."
    assert _told(question, stands).anticipated
    told = "The rail working group in May is expected to finalise the Kenya-Uganda rail accord."
    assert not _told(question, told).anticipated


def test_a_thing_called_upcoming_has_not_happened() -> None:
    """ "Did the rail working group meet in May?" takes the meeting as done: "the
    upcoming rail working group in May and follow-up meetings" says it is still ahead.
    A question that calls it upcoming itself is answered by it."""
    sentence = (
        "If implemented well, the upcoming rail working group in May and follow-up"
        " meetings with Ugandan officials could set the tone for ties with Kampala."
    )
    met = analyse("Did the Kenya-Uganda rail working group meet in May?")
    assert lone(met, sentence).anticipated
    asked_ahead = analyse("What could the upcoming rail working group in May set the tone for?")
    assert not lone(asked_ahead, sentence).anticipated
    done = "The rail working group met in May and agreed on a timetable."
    assert not lone(analyse("Did the rail working group meet in May?"), done).anticipated


def test_a_thing_urged_is_not_the_thing_asked_for() -> None:
    """ "Which Kenyan industries came up in the tariff talks?" takes the talks as held:
    "urging a revival of the duty-free scheme" tells that revival as ahead, and names no
    industry, so it tells nothing of the industries as ahead; a sentence that does name
    them only as what should come up does."""
    question = analyse("Which Kenyan industries came up in the tariff talks?")
    urged = "Kenya also raised tariff reform, urging a revival of the duty-free scheme."
    assert not lone(question, urged).anticipated
    ahead = "Kenya is urging that its textile industries be added to the tariff talks."
    assert lone(question, ahead).anticipated


def test_a_yes_no_question_hangs_on_how_and_what_as_well() -> None:
    """ "Did the resolution pass unanimously?" is not settled by its passage alone, nor
    "Is Kenya a BRICS member?" by a sentence naming Kenya and BRICS; a sentence saying
    "unanimously" or "member" may settle it, and "not unanimously" does."""
    unanimous = analyse("Did the UN climate resolution Kenya pushed pass unanimously?")
    passed = "As Kenya held the presidency, it led the passage of a UN climate resolution."
    assert lone(unanimous, passed).unsettled == 1.0
    said = "The UN climate resolution Kenya pushed passed unanimously in May."
    assert lone(unanimous, said).unsettled == 0.0
    denied = "The UN climate resolution Kenya pushed did not pass unanimously."
    assert lone(unanimous, denied).unsettled == 0.0
    member = analyse("Is Kenya actually a BRICS member?")
    ties = "Kenya can best manage its ties with BRICS, a forum of emerging economies."
    assert lone(member, ties).unsettled == 1.0
    assert lone(member, "Kenya became a BRICS member in 2024.").unsettled == 0.0
