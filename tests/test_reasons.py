"""rag.reasons: when a sentence can't hold the reason a why-question asks for."""

from __future__ import annotations

from lone import lone

from rag.matching import Text
from rag.question import analyse
from rag.reasons import gives_reason, only_told, other_reason, told_as_thing, told_in_passing

SUSPEND = "Why did Kenya suspend the rail service?"


def test_an_event_named_only_as_a_thing_is_told_without_its_reason() -> None:
    """ "The suspension of the rail service hurt traders" tells what the suspension did,
    not why it came about; a sentence using the verb may tell why."""
    frame = analyse(SUSPEND)
    assert told_as_thing(frame, "The suspension of the rail service became a burden for traders.")
    assert not told_as_thing(frame, "Kenya suspended the rail service after floods.")
    assert not told_as_thing(frame, "Traders in Mombasa met on Monday.")
    # the noun an object: "renewed its suspension" may tell the event itself
    assert not told_as_thing(frame, "Kenya has renewed its suspension of the rail service.")
    signing = analyse("Why did Kenya sign the trade agreement?")
    assert told_as_thing(signing, "Kenya's signing of the trade agreement angered Uganda.")
    # a verb whose noun is the same word: "the sanctions on…" name the sanctioning
    sanction = analyse("Why did Kenya sanction the state mining firm?")
    assert told_as_thing(sanction, "The sanctions on the state mining firm hurt its exports.")
    assert not told_as_thing(sanction, "Kenya sanctioned the state mining firm in May.")


def test_the_questions_own_word_is_not_a_noun_made_from_its_verb() -> None:
    """The small model may take "tariffs" for the verb of "Why did Trump hike tariffs on
    India?": "tariffs" in the sentence is then the question's word, not its event named
    as a thing."""
    frame = analyse("Why did Trump hike tariffs on India?")
    assert frame.predicate == "tariff"  # the parse this test guards against
    assert not told_as_thing(frame, "Trump raised the tariffs on India over its oil purchases.")


def test_other_reason_marks_the_sentence_for_the_gate() -> None:
    """The gate's `reason_elsewhere` is set for an event told only as a thing with no
    reason word; a reason word after the noun ("was due to") leaves it unset."""
    frame = analyse(SUSPEND)
    as_thing = "The suspension of the rail service became a burden for traders."
    assert other_reason(frame, as_thing, Text.of(as_thing), None)
    assert lone(frame, as_thing).reason_elsewhere == 1.0
    due = "The suspension of the rail service was due to flooding."
    assert not other_reason(frame, due, Text.of(due), None)
    when = analyse("When did Kenya suspend the rail service?")
    assert not other_reason(when, as_thing, Text.of(as_thing), None)


def test_a_sentence_telling_neither_the_event_nor_a_reason_gives_no_reason() -> None:
    """ "Why did Kenya suspend the rail service?": a sentence about the service that
    neither tells the suspension nor gives a reason is about something else; one that
    tells it may give its reason without a cue word ("over flooding"), and one with a
    reason word may give it in other words."""
    frame = analyse(SUSPEND)
    for sentence, elsewhere in (
        ("Traders called the rail service the best in the region.", True),
        ("Kenya suspended the rail service over flooding.", False),
        ("Traders said floods were the reason the trains stopped.", False),
        ("Kenya suspended the rail service in May.", True),  # when, not why
    ):
        assert other_reason(frame, sentence, Text.of(sentence), None) is elsewhere, sentence


def test_an_event_told_by_its_verb_and_nothing_more_is_told_without_its_reason() -> None:
    """A sentence that tells the event by its verb, with only the question's words, when
    it happened and what came next, says it happened, not why. A clause or a phrase of
    other words on the verb ("over flooding", "to reopen the talks") may be the reason
    told without a reason word; so may the noun a relative clause describes ("legal
    disputes that stalled it"), but not a clause with a doer of its own, about something
    else ("…, during which the minister visited Kampala, is a reminder…")."""
    suspend = analyse(SUSPEND)
    for sentence, bare in (
        ("Kenya suspended the rail service in May and closed the port a year later.", True),
        ("Kenya suspended the rail service over flooding.", False),
        ("Kenya suspended the rail service for its safety record.", False),
    ):
        assert only_told(suspend, sentence) is bare, sentence
        assert other_reason(suspend, sentence, Text.of(sentence), None) is bare, sentence
    visit = analyse("Why did the Kenyan minister visit Kampala?")
    passing = (
        "A bitter dispute between Kenya and Uganda, during which the Kenyan minister "
        "visited Kampala, is a reminder of how fragile the region remains."
    )
    assert only_told(visit, passing)
    assert other_reason(visit, passing, Text.of(passing), None)
    main = "The Kenyan minister visited Kampala in May to reopen the border talks."
    assert not only_told(visit, main)
    stall = analyse("Why did the railway project stall?")
    doer = "The railway project got mired in legal disputes that stalled it for years."
    assert not only_told(stall, doer)


def test_a_light_verbs_event_is_told_in_passing_when_its_doer_does_a_relative_clause() -> None:
    """ "Why did the Kenyan minister go to Kampala?" has no content verb to look for:
    the visit is told in passing when the question's doer, every word of it, is the doer
    of a relative clause about something else; not when it is the main clause's."""
    go = analyse("Why did the Kenyan minister go to Kampala?")
    assert go.predicate is None
    passing = (
        "A bitter dispute between Kenya and Uganda, during which the Kenyan minister "
        "visited Kampala, is a reminder of how fragile the region remains."
    )
    assert told_in_passing(go, passing)
    main = "The Kenyan minister visited Kampala in May, during a dispute that began in March."
    assert not told_in_passing(go, main)
    other = "A dispute during which the Ugandan minister visited Nairobi is a reminder."
    assert not told_in_passing(go, other)


def test_a_reason_joined_to_what_it_explains_is_that_events() -> None:
    """A candidate joined with the reason that follows it (rag.sentences) gives that
    reason even when no word of it is near the question's verb to the small model
    (`verb_kin` False: "fighting" beside "conflict")."""
    frame = analyse("Why did Kenya suspend the rail service?")
    joined = "“He wants no conflict,” said Otieno. “That’s primarily because trade suffers.”"
    assert not other_reason(frame, joined, Text.of(joined), False)
    own = "Kenya closed the port because trade suffers."
    assert other_reason(frame, own, Text.of(own), False)


def test_an_event_named_as_the_cause_of_another_is_told_as_a_thing() -> None:
    """ "Tanzania raised tariffs over Nairobi's decision to keep buying Ugandan rice" tells
    why the tariffs rose, not why the decision was made: the decision is the object of a
    preposition of cause. A sentence telling the deciding itself may say why."""
    frame = analyse("Why did Kenya decide to keep buying Ugandan rice?")
    cause = "Tanzania raised tariffs on Kenya over Nairobi's decision to keep buying Ugandan rice."
    assert told_as_thing(frame, cause)
    assert other_reason(frame, cause, Text.of(cause), None)
    told = "Kenya decided to keep buying Ugandan rice when prices fell."
    assert not told_as_thing(frame, told)


def test_a_cause_named_with_every_party_gives_the_reason() -> None:
    """ "…increasing them to 50 percent over Nairobi's decision to keep buying Ugandan
    rice" says why the tariffs rose, though it has no reason word and the reader's verb
    ("hit") is none the articles use (`verb_kin` False). Only with every party the
    question names: asked of Uganda, it tells of another country's tariffs. Nor is a
    thing's subject ("cooperation over the envoy's arrest") or a stretch of time a cause."""
    told = (
        "Tanzania slapped Kenya with steep tariffs, increasing them to 50 percent over "
        "Nairobi's decision to keep buying Ugandan rice."
    )
    hit = analyse("Why did Tanzania hit Kenya with 50 percent tariffs?")
    assert gives_reason(hit, told, Text.of(told))
    assert not other_reason(hit, told, Text.of(told), False)
    assert lone(hit, told).reason_missing == 0.0
    uganda = analyse("Why did Tanzania hit Uganda with 50 percent tariffs?")
    assert not gives_reason(uganda, told, Text.of(told))
    assert other_reason(uganda, told, Text.of(told), False)
    for sentence in (
        "Cooperation between Tanzania and Kenya over the envoy's arrest grew.",
        "Tanzania has raised tariffs on Kenya over the past decade.",
    ):
        assert not gives_reason(hit, sentence, Text.of(sentence)), sentence


def test_given_a_named_things_state_is_a_reason() -> None:
    """ "Given Kenya's stable supply chain, …" gives a reason as "given its…" does."""
    frame = analyse("Why would investing in Kenyan mining be cost effective?")
    given = (
        "Given Kenya's stable supply chain, investment in Kenyan mining could be cost effective."
    )
    assert gives_reason(frame, given, Text.of(given))


def test_a_thing_taken_up_as_a_way_out_is_a_reason() -> None:
    frame = analyse("Why has Kenya taken up crypto?")
    way = "Kenya has taken up crypto as a potential pathway out of its debt troubles."
    assert gives_reason(frame, way, Text.of(way))
