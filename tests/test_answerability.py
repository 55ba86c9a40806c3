"""Near-miss questions on a small invented corpus (not the seeds): the signal of each
near-miss kind fires on the closest sentence, its probability is below that of the
answerable control question, and `explain` says what is missing. Similarity is fixed,
so the fast tests need no embedding model; one slow test runs EvidenceScorer for real."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from invented import as_passages, refused_then_answered
from lone import lone

from rag.answer_types import AnswerType
from rag.answerability import (
    GATE_CANDIDATES,
    REQUIREMENTS,
    SIGNALS,
    WEIGHTS,
    Signals,
    Text,
    entity_found,
    named_in,
    owner_conflict,
    signals,
    type_spans,
    value_conflict,
    value_owner_conflict,
)
from rag.config import Settings
from rag.conflicts import agent_conflict, conflict, parties, parties_split
from rag.conversation import following_up
from rag.evidence import EvidenceScorer, idf_table
from rag.figures import asks_figure
from rag.focus import asked_names, parties_apart, said_topic, without_source
from rag.missing import asks_nothing, contradicted, explain
from rag.nlp import Entity, entities_of, parse
from rag.premises import (
    premise_ahead,
    premise_dates,
    premise_denied,
    premise_owner,
    premise_party,
    premise_reason,
    premise_unsettled,
    premise_value,
)
from rag.proximity import (
    NEAR_CHARS,
    described_near,
    near,
    points_back,
    qualified_otherwise,
    subject_near,
)
from rag.question import QuestionFrame, analyse
from rag.ranking import ranks
from rag.schema import Passage
from rag.sentences import sentence_spans
from rag.sources import SourceRef
from rag.speakers import asked_speaker, speaks_in
from rag.titles import TitleClaim, Titles
from rag.values import states_values
from rag.vocabulary import (
    foreign_question,
    nominalised,
    tells_verb,
    unknown_signals,
    unknown_verb,
)

PARAGRAPHS = (
    "Kenya and Tanzania signed a preferential trade agreement in Arusha in March 2021. "
    "Under the trade agreement, Kenya cut tariffs on Tanzanian rice by 15 percent. "
    "Officials in both capitals said the deal would deepen regional ties. "
    "Kenya joined the trade agreement to secure cheaper food imports for its cities.",
    "Kenya's ambassador to Tanzania, Joseph Mwangi, attended the signing ceremony in Arusha. "
    "He said the agreement opened a new route for Kenyan exporters.",
    "The Kalam copper mine in western Kenya is operated by Rift Minerals. "
    "The mine produced 40,000 tonnes of copper concentrate in 2022.",
    "Tanzania agreed to supply Kenya with electricity for ten years. The African Development "
    "Bank provided a $300 million loan to build the transmission line between the two countries. "
    "The two governments are planning an energy summit in Nairobi in June.",
    "Rail freight between Mombasa and Dar es Salaam resumed after the trade agreement took "
    "effect. Traders expect rice shipments to double within five years. "
    "The railway now carries more rice than maize between the two ports.",
    "Uganda sent only an observer to the trade talks in Arusha. "
    "The Arusha rail depot is the busiest freight terminal in Tanzania.",
)
# The requirements whose failure makes a near miss (the others are weak hints).
GATE_SIGNALS = (
    "type_missing",
    "conflict",
    "owner_conflict",
    "value_conflict",
    "ranking_missing",
    "anticipated",
    "unknown_entity",
    "affirmed",
    "title_conflict",
    "parties_apart",
    "speaker_silent",
    "unsettled",
    "undefined",
    "reactor_absent",
)


@dataclass(frozen=True)
class Verdict:
    frame: QuestionFrame
    sentence: str
    signals: Signals
    entities: tuple[Entity, ...]
    never: list[str]
    miscalled: tuple[TitleClaim, ...] = ()
    speaker: Entity | None = None

    @property
    def probability(self) -> float:
        return WEIGHTS.probability(self.signals)

    def fired(self) -> set[str]:
        return {name for name in REQUIREMENTS if getattr(self.signals, name)}

    def reason(self) -> str:
        return explain(
            self.frame, self.signals, self.entities, self.never, self.miscalled, self.speaker
        )


class Corpus:
    """The fixture paragraphs cut into sentences with their entities, as EvidenceScorer
    does; `closest` picks the best sentence the way its gate does."""

    def __init__(self, paragraphs: tuple[str, ...]) -> None:
        self.idf = idf_table(paragraphs)
        self.text = Text.of(" ".join(paragraphs))
        self.titles = Titles(paragraphs)
        self.sentences: list[tuple[str, int, tuple[Entity, ...], Text, str]] = []
        for paragraph in paragraphs:
            spans = entities_of(parse(paragraph))
            for start, end in sentence_spans(paragraph):
                inside = tuple(e for e in spans if e.start >= start and e.end <= end)
                self.sentences.append(
                    (paragraph[start:end], start, inside, Text.of(paragraph), paragraph)
                )

    def verdicts(self, question: str) -> list[Verdict]:
        frame = analyse(question)
        unknown_entity, unknown_terms, never = unknown_signals(frame, self.text, self.idf)
        fixed: dict[str, Any] = {"similarity": 0.6, "retrieval": 0.5, "idf": self.idf}
        fixed |= {"unknown_entity": unknown_entity, "unknown_terms": unknown_terms}
        fixed |= {"corpus_stems": self.text.stems}  # as rag/evidence.py passes them
        fixed |= {"required": asked_names(frame, None)}
        miscalled = tuple(self.titles.unstated(frame.titles))
        fixed |= {"title_conflict": float(bool(miscalled))}
        speaker = asked_speaker(parse(question), frame.entities)
        computed = [
            signals(
                frame,
                s,
                inside,
                para,
                offset=at,
                paragraph_text=raw,
                speaker_silent=float(
                    speaker is not None and not speaks_in(speaker, raw, entities_of(parse(raw)))
                ),
                **fixed,
            )
            for s, at, inside, para, raw in self.sentences
        ]
        stated = [states_values(frame, s) for s, *_ in self.sentences]
        relevance = [WEIGHTS.relevance(sig) for sig in computed]
        computed = premise_ahead(premise_dates(computed, relevance, stated), relevance)
        computed = premise_reason(computed, relevance, [(raw, s) for s, *_, raw in self.sentences])
        return [
            Verdict(frame, s, sig, inside, never, miscalled, speaker)
            for (s, _, inside, _, _), sig in zip(self.sentences, computed, strict=True)
        ]

    def closest(self, question: str) -> Verdict:
        """The sentence the gate judges by (as EvidenceScorer picks it)."""
        ranked = sorted(self.verdicts(question), key=lambda v: -WEIGHTS.relevance(v.signals))
        return max(ranked[:GATE_CANDIDATES], key=lambda v: v.probability)

    def told(self, question: str) -> Verdict:
        """The sentence a refusal explains from: the most relevant one when it contradicts
        the question, else the gate's (as EvidenceScorer does)."""
        nearest = max(self.verdicts(question), key=lambda v: WEIGHTS.relevance(v.signals))
        return nearest if contradicted(nearest.signals) else self.closest(question)

    def on(self, question: str, marker: str) -> Verdict:
        (found,) = [v for v in self.verdicts(question) if marker in v.sentence]
        return found


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(PARAGRAPHS)


@dataclass(frozen=True)
class NearMiss:
    question: str
    control: str  # the answerable question on the same topic
    # (the signal that fires, a piece of the sentence the near miss lands on, a piece of
    # the sentence that answers the control)
    expect: tuple[str, str, str]


LOAN = "How much was the African Development Bank loan for the transmission line?"
NEAR_MISSES = {
    "missing_attribute": NearMiss(
        "What was the dollar value of the trade agreement between Kenya and Tanzania?",
        "By what percentage did Kenya cut tariffs on Tanzanian rice under the trade agreement?",
        ("type_missing", "trade agreement", "15 percent"),
    ),
    "wrong_entity": NearMiss(
        "Who is Uganda's ambassador to Tanzania?",
        "Who is Kenya's ambassador to Tanzania?",
        ("owner_conflict", "Joseph Mwangi", "Joseph Mwangi"),
    ),
    "wrong_time": NearMiss(
        "Which trade agreement did Kenya and Tanzania sign in 2022?",
        "Which trade agreement did Kenya and Tanzania sign in 2021?",
        ("value_conflict", "March 2021", "March 2021"),
    ),
    "absent_entity": NearMiss(
        "How much was the World Bank loan for the transmission line?",
        LOAN,
        ("unknown_entity", "$300 million", "$300 million"),
    ),
    "wrong_value_kind": NearMiss(
        "When did the African Development Bank approve the loan for the transmission line?",
        LOAN,
        ("type_missing", "$300 million", "$300 million"),
    ),
    "unstated_ranking": NearMiss(
        "Which is the largest copper mine in Kenya?",
        "Which is the busiest freight terminal in Tanzania?",
        ("ranking_missing", "Kalam copper mine", "busiest freight terminal"),
    ),
    # A comparison needs a sentence that makes it, between the things compared: the
    # rice-and-maize one doesn't compare rice with copper, nor does a copper sentence.
    "unstated_comparison": NearMiss(
        "Does the railway carry more rice than copper?",
        "Does the railway carry more rice than maize?",
        ("ranking_missing", "more rice than maize", "more rice than maize"),
    ),
    # Asked as done, told as ahead: the articles predate the summit.
    "future_event": NearMiss(
        "What did the two governments decide at the energy summit in Nairobi?",
        "Where will the two governments hold the energy summit?",
        ("anticipated", "planning an energy summit", "Nairobi"),
    ),
    # Why Uganda sent an observer is never said; Kenya's reason for joining is another's.
    "unstated_reason": NearMiss(
        "Why did Uganda send only an observer to the trade talks?",
        "Why did Kenya join the trade agreement?",
        ("reason_missing", "Uganda sent only an observer", "to secure cheaper food imports"),
    ),
    # Asked why it was refused, told as agreed: the question's premise is false.
    "false_premise": NearMiss(
        "Why did Tanzania refuse to supply Kenya with electricity?",
        "For how long will Tanzania supply Kenya with electricity?",
        ("affirmed", "agreed to supply Kenya", "ten years"),
    ),
    # The articles make Mwangi an ambassador, not a minister: a false premise of office.
    "wrong_title": NearMiss(
        "What did Prime Minister Joseph Mwangi say the agreement opened for Kenyan exporters?",
        "What did ambassador Joseph Mwangi say the agreement opened for Kenyan exporters?",
        ("title_conflict", "new route", "new route"),
    ),
    # Mwangi and the bank are each in the articles, never together: the relation asked
    # about is not stated, however well each sentence matches half of it.
    "unstated_relation": NearMiss(
        "Did Joseph Mwangi negotiate the African Development Bank loan?",
        "Did Joseph Mwangi attend the signing ceremony in Arusha?",
        ("parties_apart", "$300 million loan", "signing ceremony"),
    ),
    # The articles tell of Rift Minerals' mine, never in its own words.
    "unquoted_speaker": NearMiss(
        "What did Rift Minerals say about the copper concentrate the mine produced in 2022?",
        "What did ambassador Joseph Mwangi say the agreement opened for Kenyan exporters?",
        ("speaker_silent", "Rift Minerals", "new route"),
    ),
    # A yes/no about an event as done, and no sentence about Uganda tells of it.
    "unstated_yes_no": NearMiss(
        "Did Uganda sign the trade agreement in Arusha?",
        "Did Kenya and Tanzania sign a trade agreement in Arusha?",
        ("unsettled", "Uganda sent only an observer", "signed a preferential trade agreement"),
    ),
    # Rift Minerals is named, but nothing tells of its reaction; Kenya is told joining.
    "unreported_reaction": NearMiss(
        "How did Rift Minerals react to the trade agreement between Kenya and Tanzania?",
        "Why did Kenya join the trade agreement?",
        ("reactor_absent", "operated by Rift Minerals", "to secure cheaper food imports"),
    ),
    # Rift Minerals is only named; the depot is said to be something.
    "missing_definition": NearMiss(
        "What kind of company is Rift Minerals?",
        "What is the Arusha rail depot?",
        ("undefined", "operated by Rift Minerals", "busiest freight terminal"),
    ),
}
KINDS = list(NEAR_MISSES)


@pytest.mark.parametrize("kind", KINDS)
def test_near_miss_signal_fires_and_control_answers(corpus: Corpus, kind: str) -> None:
    case = NEAR_MISSES[kind]
    signal, closest, answer = case.expect
    near, control = corpus.told(case.question), corpus.closest(case.control)
    assert closest in near.sentence
    assert signal in near.fired()
    assert answer in control.sentence
    assert not control.fired() & set(GATE_SIGNALS)
    assert corpus.closest(case.question).probability < control.probability
    assert near.reason().startswith("The articles")


def test_missing_attribute_on_the_tariff_sentence(corpus: Corpus) -> None:
    # A percentage for the same deal is not its dollar value, nor is another deal's sum.
    case = NEAR_MISSES["missing_attribute"]
    assert corpus.on(case.question, "15 percent").signals.type_missing == 1.0
    assert corpus.on(case.question, "$300 million").signals.type_missing == 1.0
    assert corpus.on(case.control, "15 percent").signals.type_missing == 0.0


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("missing_attribute", "don't give a sum of money for"),
        ("wrong_entity", "don't say this about Uganda"),
        ("wrong_time", "2022"),
        ("absent_entity", "never mention the World Bank"),
        ("wrong_value_kind", "don't give a date for"),
        ("unstated_ranking", "largest"),
        ("unstated_comparison", "don't make this comparison"),
        ("future_event", "only as something ahead"),
        ("false_premise", "no refusal or denial"),
        ("wrong_title", "don't call Joseph Mwangi “Prime Minister”"),
        ("unstated_relation", "don't tell of Joseph Mwangi and the African Development Bank"),
        ("unquoted_speaker", "don't give Rift Minerals’s words"),
        ("unstated_yes_no", "don't say whether it happened"),
        ("missing_definition", "don't say what Rift Minerals is"),
        ("unreported_reaction", "don't say how Rift Minerals reacted"),
    ],
)
def test_explain_names_what_is_missing(corpus: Corpus, kind: str, phrase: str) -> None:
    assert phrase in corpus.told(NEAR_MISSES[kind].question).reason()


def test_wrong_entity_covers_only_part(corpus: Corpus) -> None:
    near = corpus.told(NEAR_MISSES["wrong_entity"].question)
    assert near.signals.entity_cover < 1.0
    assert near.signals.unknown_entity == 0.0  # Uganda is in the corpus, elsewhere
    assert "Kenya" in near.reason()


def test_wrong_time_value_conflict(corpus: Corpus) -> None:
    near = corpus.closest(NEAR_MISSES["wrong_time"].question)
    assert value_conflict(near.frame, near.sentence, near.entities)
    control = corpus.closest(NEAR_MISSES["wrong_time"].control)
    assert not value_conflict(control.frame, control.sentence, control.entities)


def test_absent_entity_is_named_as_never_mentioned(corpus: Corpus) -> None:
    frame = analyse(NEAR_MISSES["absent_entity"].question)
    unknown, _, words = unknown_signals(frame, corpus.text, corpus.idf)
    assert unknown == 1.0
    assert "the World Bank" in words
    assert unknown_signals(analyse(LOAN), corpus.text, corpus.idf)[0] == 0.0


def test_a_decade_is_known_when_the_corpus_dates_something_in_it(corpus: Corpus) -> None:
    # the fixture dates the signing in 2021 and the mine's output in 2022
    known = analyse("What did Kenya sign in the early 2020s?")
    entity, _, words = unknown_signals(known, corpus.text, corpus.idf)
    assert entity == 0.0
    assert not any("2020" in w for w in words)
    unknown = analyse("What did Kenya sign in the 1990s?")
    assert unknown_signals(unknown, corpus.text, corpus.idf)[0] == 1.0


def test_a_unit_the_corpus_never_measures_in_is_unknown(corpus: Corpus) -> None:
    # the fixture gives copper in tonnes and rice shipments without a unit
    barrels = analyse("How many barrels of oil does Kenya ship by rail?")
    unknown, _, words = unknown_signals(barrels, corpus.text, corpus.idf)
    assert unknown == 1.0
    assert "barrels" in words
    tonnes = analyse("How many tonnes of copper did the Kalam mine produce?")
    assert unknown_signals(tonnes, corpus.text, corpus.idf)[0] == 0.0


def test_inflected_verb_is_not_unknown(corpus: Corpus) -> None:
    frame = analyse("How much money did the African Development Bank provide?")
    assert "provide" not in unknown_signals(frame, corpus.text, corpus.idf)[2]


def test_irregular_form_of_a_word_the_corpus_uses_is_not_unknown(corpus: Corpus) -> None:
    """The fixture says the loan was "to build the transmission line": "built" is that
    word in another form, not one the articles never use. "Sold" is."""
    frame = analyse("Which line was built with the African Development Bank's loan?")
    assert frame.lemmas.get("built") == "build"
    assert "built" not in unknown_signals(frame, corpus.text, corpus.idf)[2]
    sold = analyse("Which line was sold with the African Development Bank's loan?")
    assert "sold" in unknown_signals(sold, corpus.text, corpus.idf)[2]
    # a longer form made from the word: "observes" is told by "an observer"
    observes = analyse("Who observes the trade talks in Arusha?")
    assert not unknown_signals(observes, corpus.text, corpus.idf)[2]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What was the dollar value of the trade deal?", "a sum of money for the trade deal"),
        ("Which lobbying firms did Pakistan hire?", "about other firms"),
        ("What did the trade deal change?", "give this for the trade deal; the closest passage is"),
    ],
)
def test_a_refusal_names_the_compound_the_passage_lacks(question: str, expected: str) -> None:
    """ "The trade deal" asked, and the closest passage tells of another deal."""
    frame = analyse(question)
    failed = Signals(**{**dict.fromkeys(SIGNALS, 0.0), "compound_missing": 1.0})
    assert expected in explain(frame, failed, (), [])


def gpe(name: str, label: str = "GPE") -> Entity:
    return Entity(name, label, 0, len(name))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("US", "Officials in Washington said no."),
        ("United States", "The U.S. envoy left."),
        ("America", "the United States objected"),
        ("Kenya", "Kenya's envoy arrived."),
        ("India", "New Delhi objected."),
    ],
)
def test_entity_found_by_alias_and_possessive(name: str, text: str) -> None:
    assert entity_found(gpe(name), Text.of(text)) == 1.0


def test_entity_found_acronym_surname_and_partial() -> None:
    found = Text.of("the Center for International Strategic Studies and the United Nations")
    assert entity_found(gpe("UN", "ORG"), found) == 1.0
    assert entity_found(gpe("CISS", "ORG"), found) == 1.0
    assert entity_found(gpe("Joseph Mwangi", "PERSON"), Text.of("Mwangi said")) == 1.0
    assert entity_found(gpe("Joseph Mwangi", "ORG"), Text.of("Mwangi said")) == 0.5
    assert entity_found(gpe("Uganda"), Text.of("Kenya and Tanzania")) == 0.0
    assert entity_found(gpe("US"), Text.of("Kenya and Tanzania")) == 0.0


def test_a_body_is_found_without_the_word_for_its_kind() -> None:
    """ "the Kenya Power Group's" is named where a text says "Kenya Power"; "Kenya Ports
    Group" is not, nor does a person's or place's last word drop."""
    text = Text.of("Kenya Power’s lending arm agreed to lend $5 million.")
    assert entity_found(gpe("the Kenya Power Group's", "ORG"), text) == 1.0
    assert entity_found(gpe("Kenya Power Corp.", "ORG"), text) == 1.0
    assert entity_found(gpe("Kenya Ports Group", "ORG"), text) < 1.0
    assert entity_found(gpe("Kenya Power Group", "GPE"), text) < 1.0


def test_a_surname_does_not_find_a_person_whom_the_text_gives_another_given_name() -> None:
    """ "Joseph Mwangi" is not found by "Mwangi" where the text names "Peter Mwangi"; a
    title ("Minister Mwangi") or the name spelled another way ("Josef") is no other
    person, and the full name itself is found wherever it is."""
    joseph = gpe("Joseph Mwangi", "PERSON")
    assert entity_found(joseph, Text.of("Peter Mwangi, the minister, said no.")) == 0.0
    assert entity_found(joseph, Text.of("Minister Mwangi said no.")) == 1.0
    assert entity_found(joseph, Text.of("But Mwangi said no.")) == 1.0
    assert entity_found(joseph, Text.of("Josef Mwangi said no.")) == 1.0
    assert entity_found(joseph, Text.of("Peter Mwangi and Joseph Mwangi met.")) == 1.0
    assert not named_in(joseph, Text.of("Peter Mwangi spoke. Mwangi left."))
    # a relative named by the family's name is another person too ("Mwangi's son Peter")
    assert entity_found(joseph, Text.of("Mwangi’s son Peter and others met the board.")) == 0.0
    assert entity_found(joseph, Text.of("Mwangi’s plan met the board.")) == 1.0


def test_a_name_spelled_out_is_found_by_the_acronym_the_text_uses() -> None:
    """ "the East African Rail Authority" where the text says "EARA"; two letters are
    too few ("South Africa" is not "SA")."""
    spelled = gpe("the East African Rail Authority", "ORG")
    assert entity_found(spelled, Text.of("Key EARA members backed the deal.")) == 1.0
    assert named_in(spelled, Text.of("Key EARA members backed the deal."))
    assert not named_in(spelled, Text.of("Key rail members backed the deal."))
    assert entity_found(gpe("South Africa"), Text.of("SA backed it.")) < 1.0


def test_acronym_needs_the_name() -> None:
    assert entity_found(gpe("UN", "ORG"), Text.of("Uganda's new envoy arrived.")) < 1.0


def test_named_in_is_strict_about_multiword_names() -> None:
    bank = gpe("Asian Development Bank", "ORG")
    scattered = Text.of("South Asian states want development money from the bank.")
    assert entity_found(bank, scattered) == 1.0  # every word is there…
    assert not named_in(bank, scattered)  # …but not the name
    assert named_in(bank, Text.of("The Asian Development Bank lent money."))
    assert named_in(gpe("ADB", "ORG"), Text.of("The Asian Development Bank lent money."))
    assert named_in(gpe("the United States"), Text.of("Washington objected."))
    # two names the recogniser ran together by a hyphen, one ending in a dot: each part
    both = Text.of("The U.S. and Kenya signed; Kenya and Uganda did not.")
    assert named_in(gpe("U.S.-Kenya", "ORG"), both)
    assert not named_in(gpe("U.S.-Tanzania", "ORG"), both)
    # two names typed side by side, which the recogniser read as one ("lamu port kenya
    # railways share"): each is named; a name made of one and a foreign word is not
    run_on = Text.of("Kenya Railways owns half of Lamu Port, the Standard Gauge Railway's end.")
    assert named_in(gpe("Lamu Port Kenya Railways", "ORG"), run_on)
    assert not named_in(gpe("Lamu Port Tanzania Railways", "ORG"), run_on)


def passages() -> list[Passage]:
    return as_passages(PARAGRAPHS)


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_scorer_answers_each_control(embed_model: Any, kind: str) -> None:
    scorer = EvidenceScorer(embed_model, PARAGRAPHS)
    case = NEAR_MISSES[kind]
    control = scorer.assess(case.control, passages())
    near = scorer.assess(case.question, passages())
    assert control.best is not None
    assert case.expect[2] in control.best.text
    assert control.support >= Settings(_env_file=None).min_support  # type: ignore[call-arg]
    assert near.support < control.support


# Kinds the fitted gate still lets through on this corpus (weights from the dev split),
# kept visible as strict xfails.
GATE_GAPS: dict[str, str] = {
    "unstated_reason": "the sentence telling of the event answers its why-question: a reason "
    "often comes without a cue word, so reason_missing's fitted severity is only 0.3",
}


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(k, marks=pytest.mark.xfail(reason=GATE_GAPS[k], strict=True))
        if k in GATE_GAPS
        else k
        for k in KINDS
    ],
)
def test_scorer_refuses_each_near_miss(embed_model: Any, kind: str) -> None:
    evidence = EvidenceScorer(embed_model, PARAGRAPHS).assess(
        NEAR_MISSES[kind].question, passages()
    )
    assert evidence.support < Settings(_env_file=None).min_support  # type: ignore[call-arg]
    assert evidence.missing.startswith("The articles")


def test_a_question_stating_two_years_is_met_by_either() -> None:
    frame = analyse("How did Kenya's 2025 deal differ from its 2018 one?")
    assert not value_conflict(frame, "In 2018 Kenya signed a smaller deal.", [])
    assert value_conflict(frame, "In 2020 Kenya signed a smaller deal.", [])


def test_a_year_naming_another_thing_is_no_date_of_the_event() -> None:
    """ "…arrest Otieno, the mastermind of a 2021 bombing in Arusha" dates the bombing, not
    the arrest asked about in 2025; asked about the bombing, the year is its date."""
    sentence = "Kenya helped arrest Otieno, the mastermind of a 2021 bombing in Arusha."
    arrest = analyse("How did Kenya help with the arrest of Otieno in 2025?")
    assert not value_conflict(arrest, sentence, [], sentence)
    bombing = analyse("Who planned the 2025 bombing in Arusha?")
    assert value_conflict(bombing, sentence, [], sentence)


def test_every_figure_of_one_value_must_be_the_sentences() -> None:
    """ "from 29% to 10%" is not stated by "from 29% to 19%": one figure in common is not
    the change asked about."""
    frame = analyse("Why did Kenya cut tariffs on Ugandan goods from 29% to 10%?")
    assert value_conflict(frame, "Kenya lowered tariffs from 29% to 19%.", [])
    assert not value_conflict(frame, "Kenya lowered tariffs from 29% to 10%.", [])


def test_value_conflict_compares_years_months_and_numbers_part_by_part() -> None:
    from rag.answerability import value_conflict
    from rag.question import analyse

    year = analyse("Which Kashmir ceasefire did Pakistan help mediate in 2019?")
    date = [Entity("2025", "DATE", 0, 4)]
    assert value_conflict(year, "Pakistan mediated the 2025 Kashmir ceasefire.", date)
    assert not value_conflict(year, "Pakistan mediated a ceasefire in 2019 and 2025.", date)
    assert not value_conflict(year, "Pakistan mediated the Kashmir ceasefire.", [])  # absent
    month = analyse("What did Trump do in June 2025?")
    june = [Entity("June", "DATE", 0, 4)]
    assert not value_conflict(month, "Trump hosted Munir at the White House in June.", june)
    may = [Entity("May", "DATE", 0, 3)]
    assert value_conflict(month, "Trump claimed credit in May for the cease-fire.", may)
    # a decade asked is met by a year in it, not by a year of another
    decade = analyse("Who was Pakistan's ambassador in the late 2000s?")
    years = [Entity("2008", "DATE", 0, 4)]
    assert not value_conflict(decade, "Haqqani was ambassador from 2008 to 2011.", years)
    assert value_conflict(decade, "Haqqani was ambassador from 2012 to 2014.", years)


def test_a_sentence_states_the_question_values_with_the_word_they_qualify() -> None:
    second = analyse("How has Pakistan fared in Trump's second term?")
    assert states_values(second, "Pakistan has thrived in Trump's second term.")
    assert not states_values(second, "A diplomat who served in Trump's first term.")
    assert not states_values(second, "On his second visit, in Trump's first term.")
    year = analyse("What did Trump do in June 2025?")
    assert states_values(year, "In June 2025 Trump hosted Munir.")
    assert not states_values(year, "In June Trump hosted Munir.")  # the year is not stated
    assert not states_values(analyse("What did Trump do for Pakistan?"), "He met Munir.")


def test_a_premise_stands_where_another_judged_sentence_states_its_value() -> None:
    """The most relevant sentence dates its event otherwise (the first term); when
    another judged sentence states the asked value, it may still answer (the articles
    tell of both terms). When none does, the premise is contradicted for all."""
    first = Signals(**{**dict.fromkeys(SIGNALS, 0.0), "value_conflict": 1.0, "term_cover": 0.6})
    second = Signals(**dict.fromkeys(SIGNALS, 0.0))
    relevance = [0.9, 0.5]
    kept = premise_dates([first, second], relevance, [False, True])
    assert kept[1].value_conflict == 0.0
    assert premise_dates([first, second], relevance, [False, False])[1].value_conflict == 1.0
    # stating the value of another event ("met him in 2020" for "ousted in 2020"): no
    other = Signals(**{**dict.fromkeys(SIGNALS, 0.0), "predicate_missing": 1.0})
    assert premise_dates([first, other], relevance, [False, True])[1].value_conflict == 1.0


def test_an_event_told_as_ahead_is_answered_only_by_a_sentence_with_the_asked_verb() -> None:
    """The most relevant sentence tells of the event as ahead: sentences without the
    question's verb can't tell what was done; one with it keeps its own verdict."""
    zero = dict.fromkeys(SIGNALS, 0.0)
    ahead = Signals(**{**zero, "anticipated": 1.0, "predicate_missing": 1.0, "term_cover": 0.8})
    other = Signals(**{**zero, "predicate_missing": 1.0, "term_cover": 0.8})
    with_verb = Signals(**{**zero, "term_cover": 0.6})
    # the verb, but hardly any of the event's words: another event's ("the IFC agreed…")
    elsewhere = Signals(**{**zero, "term_cover": 0.2})
    marked = premise_ahead([ahead, other, with_verb, elsewhere], [0.9, 0.6, 0.5, 0.4])
    assert [s.anticipated for s in marked] == [1.0, 1.0, 0.0, 1.0]
    # told as ahead only by a less relevant sentence: nothing spreads
    assert premise_ahead([other, ahead], [0.9, 0.5])[0].anticipated == 0.0
    # the most relevant sentence shares few of the question's words: it tells of another
    # event ahead ("urging a revival of the GSP" for the sectors in the talks), not this one
    aside = Signals(**{**zero, "anticipated": 1.0, "predicate_missing": 1.0, "term_cover": 0.25})
    kept = premise_ahead([aside, other, with_verb], [0.9, 0.6, 0.5])
    assert [s.anticipated for s in kept] == [1.0, 0.0, 0.0]
    first = Signals(**{**zero, "value_conflict": 1.0, "term_cover": 0.25})
    assert premise_dates([first, other], [0.9, 0.5])[1].value_conflict == 0.0


def test_a_value_asked_is_not_taken_from_another_events_sentence() -> None:
    """The most relevant sentence tells of the event without the value asked: a sentence
    of another paragraph sharing far fewer of the question's words gives another event's
    value; one of the event's own paragraph, or as close to the question, keeps its own."""
    zero = dict.fromkeys(SIGNALS, 0.0)
    event = Signals(**{**zero, "type_missing": 1.0, "term_cover": 0.7, "entity_cover": 1.0})
    far = Signals(**{**zero, "term_cover": 0.2})
    places = [("p1", "event"), ("p2", "far"), ("p1", "same"), ("p3", "close")]
    close = Signals(**{**zero, "term_cover": 0.6})
    marked = premise_value([event, far, far, close], [0.9, 0.6, 0.5, 0.4], places)
    assert [s.type_missing for s in marked] == [1.0, 1.0, 0.0, 0.0]
    # the most relevant sentence gives a value, or lacks a name the question asks about
    # (so tells of something else): nothing changes
    given = Signals(**{**zero, "term_cover": 0.7})
    assert premise_value([given, far], [0.9, 0.6], places[:2])[1].type_missing == 0.0
    unnamed = Signals(**{**zero, "type_missing": 1.0, "term_cover": 0.7, "entity_cover": 0.5})
    assert premise_value([unnamed, far], [0.9, 0.6], places[:2])[1].type_missing == 0.0


def test_a_value_is_near_a_possessive_or_a_closing_word() -> None:
    """Words are read as `tokens` reads them: "Kenya’s envoy", a closing "2011."."""
    sentence = (
        "“It holds,” said Jo Lee, a fellow at the Lake Institute who served as Kenya’s envoy."
    )
    start = sentence.index("Jo Lee")
    spans = [(start, start + len("Jo Lee"))]
    assert near(spans, sentence, {"kenya"})
    assert near([(0, 3)], "Tariffs rose in 2011.", {"2011"})
    assert not near(spans, sentence, {"uganda"})


def test_near_counts_the_characters_between_a_word_and_a_value() -> None:
    """From the end of the question's word to the value, not from its start: a long word
    doesn't push the value out of reach."""
    between = " during the long rains that came to the west of the country, killing "
    between = between[: NEAR_CHARS - 1] + " "  # a gap a little under the reach
    sentence = f"A flood struck Nairobi{between}13 people."
    start = sentence.index("13")
    assert near([(start, start + 2)], sentence, {"nairobi"})
    far = f"A flood struck Nairobi{between * 2}13 people."
    assert not near([(far.index("13"), far.index("13") + 2)], far, {"nairobi"})


def test_a_role_stated_beside_a_name_is_near_it_however_long() -> None:
    """ "Jo Lee, a fellow at the Lake Institute for Regional Economic and Security Studies
    who served as Kenya's envoy": the envoy is Jo Lee, past the characters `near` reaches."""
    sentence = (
        "“It holds,” said Jo Lee, a fellow at the Lake Institute for Regional Economic and "
        "Security Studies who served as Kenya’s envoy to Uganda from 2008 to 2011."
    )
    start = sentence.index("Jo Lee")
    spans = [(start, start + len("Jo Lee"))]
    assert not near(spans, sentence, {"envoy"})
    assert described_near(spans, sentence, {"envoy"})
    assert not described_near(spans, sentence, {"minister"})
    frame = analyse("Who was Kenya's envoy to Uganda from 2008 to 2011?")
    assert lone(frame, sentence, entities_of(parse(sentence))).type_missing == 0.0


def test_a_figure_is_near_the_subject_of_its_clause_however_long() -> None:
    """ "the Lake Bank's private-sector lending arm, the Kenya Finance Corporation, agreed
    to provide at least $300 million": the sum is the Lake Bank's, past the characters
    `near` reaches; a sum in a clause whose subject is another's is not."""
    sentence = (
        "Earlier this year, the Lake Bank’s private-sector lending arm, the Kenya Finance "
        "Corporation, agreed to provide at least $300 million in financing to the dam, and "
        "Tana Power signed a $440 million deal."
    )
    first, second = sentence.index("$300"), sentence.index("$440")
    asked = [(first, first + len("$300 million"))]
    assert not near(asked, sentence, {"lake"})
    assert subject_near(asked, sentence, {"lake"})
    assert not subject_near([(second, second + len("$440 million"))], sentence, {"lake"})
    frame = analyse("How much is the Lake Bank putting in?")
    assert lone(frame, sentence, entities_of(parse(sentence))).type_missing == 0.0


def test_a_denied_event_is_denied_for_every_sentence() -> None:
    """The most relevant sentence tells the question's event as not done: the question's
    premise is false, and a weaker sentence elsewhere must not answer it."""
    zero = dict.fromkeys(SIGNALS, 0.0)
    denied, other = Signals(**{**zero, "denied": 1.0}), Signals(**zero)
    assert [s.denied for s in premise_denied([denied, other], [0.9, 0.5])] == [1.0, 1.0]
    # denied only by a less relevant sentence: nothing spreads
    assert premise_denied([other, denied], [0.9, 0.5])[0].denied == 0.0


def test_a_why_question_is_denied_by_a_negated_clause_holding_its_words() -> None:
    """A why or how question takes its event as given: "must not be … externally dictated"
    denies "should be dictated from outside", however far the "not" stands from it. An
    open question takes nothing as given: the same sentence may answer it."""
    corpus = Corpus(("Growth in the north must not be extractive or externally dictated.",))
    why = "Why does the minister say growth in the north should be dictated from outside?"
    assert corpus.on(why, "dictated").signals.denied == 1.0
    what = "What does the minister say about growth in the north being dictated?"
    assert corpus.on(what, "dictated").signals.denied == 0.0
    # denying a thing the question names may agree with it: only its verbs and
    # adjectives, what it says things do or are, are its premise
    agrees = Corpus(("Kamau said he does not want them getting into another dispute.",))
    warns = "Why, according to Kamau, will Otieno keep warning them off another dispute?"
    assert agrees.on(warns, "dispute").signals.denied == 0.0


def test_a_question_about_a_done_event_is_denied_by_a_negated_clause_holding_its_verb() -> None:
    """ "Which jets has Kenya been sold?" takes the sale as done; "I don't see any
    big-ticket military items being sold to Kenya" denies it, in the verb's irregular
    form too. Only the main verb counts: denying another word of the question ("any
    big-ticket items") may agree with it."""
    said = "I don’t see any big-ticket military items being sold to Kenya anytime soon."
    assert lone(analyse("Which big-ticket jets has Kenya recently been sold?"), said).denied == 1.0
    assert lone(analyse("Which jets did the US sell Kenya this year?"), said).denied == 1.0
    told = "The US sold six jets to Kenya this year."
    assert lone(analyse("Which jets did the US sell Kenya this year?"), told).denied == 0.0
    # the same sentence may answer an open question about the sale
    assert lone(analyse("What does Mwangi say about jets sold to Kenya?"), said).denied == 0.0
    # and a question asking whether: "no" answers it
    aid = (
        "“Kenya always looks for economic assistance, [but] it’s not going to get any because "
        "Mwangi is not giving economic assistance to anybody,” Otieno added."
    )
    whether = analyse("What did Otieno predict about whether Kenya will get economic aid?")
    assert lone(whether, aid).denied == 0.0


def test_a_why_question_takes_its_reason_from_the_paragraph_that_tells_its_event() -> None:
    """The most relevant sentence tells of the event with no reason: a reason in its own
    paragraph may answer; one in another paragraph is a reason for something else, and so
    is one beside it that shares none of the question's words and doesn't point back."""
    zero = dict.fromkeys(SIGNALS, 0.0)
    event = Signals(**{**zero, "reason_missing": 1.0, "term_cover": 0.7})
    reason = Signals(**{**zero, "term_cover": 0.4})
    aside = Signals(**zero)  # shares no word of the question
    places = [
        (3, "The suspension of the programs strained ties."),
        (3, "Officials cut them to save money."),
        (7, "Officials cut them to save money."),
        (3, "To maintain stability, the US must adopt better policies."),
        (3, "This was because the funds had been misused."),
    ]
    marked = premise_reason(
        [event, reason, reason, aside, aside], [0.9, 0.6, 0.5, 0.4, 0.3], places
    )
    assert [s.reason_elsewhere for s in marked] == [0.0, 0.0, 1.0, 1.0, 0.0]
    # the most relevant sentence gives a reason itself: nothing is marked
    kept = premise_reason([reason, event], [0.9, 0.5], places[1:3])
    assert [s.reason_elsewhere for s in kept] == [0.0, 0.0]
    # the most relevant sentence tells the event in passing (reason_elsewhere): a sentence
    # beside it without a reason word gives no reason for it; one with a reason word may
    passing = Signals(**{**zero, "reason_missing": 1.0, "reason_elsewhere": 1.0})
    cueless = Signals(**{**zero, "reason_missing": 1.0, "term_cover": 0.4})
    marked = premise_reason([passing, cueless, reason], [0.9, 0.6, 0.5], [places[0]] * 3)
    assert [s.reason_elsewhere for s in marked] == [1.0, 1.0, 0.0]
    # a sentence elsewhere with a reason says more of the question: it tells the event
    fuller = Signals(**{**zero, "term_cover": 0.4, "soft_cover": 0.8})
    told = Signals(**{**zero, "reason_missing": 1.0, "term_cover": 0.7, "soft_cover": 0.6})
    kept = premise_reason([told, fuller], [0.9, 0.6], [places[0], places[2]])
    assert [s.reason_elsewhere for s in kept] == [0.0, 0.0]
    # "According to Otieno, why…": a reason in Otieno's words, in another paragraph, is
    # the account asked for, though it says less of the question
    marked = premise_reason([told, reason], [0.9, 0.6], [places[0], places[2]])
    assert [s.reason_elsewhere for s in marked] == [0.0, 1.0]
    kept = premise_reason([told, reason], [0.9, 0.6], [places[0], places[2]], [False, True])
    assert [s.reason_elsewhere for s in kept] == [0.0, 0.0]


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the asked-for thing given to another owner
        ("Who is India's ambassador to the US?", "Pakistan's former ambassador Husain Haqqani.", 1),
        ("How many Indian students come?", "About 800 Pakistani students come each year.", 1),
        ("Who is the US ambassador to Pakistan?", "Pakistan's ambassador to the US spoke.", 1),
        ("What share does the Witkoff family own?", "The Trump family owns 40 percent.", 1),
        # the office asked is posted to another country
        ("When was Jo Lee confirmed as US envoy to Iran?", "Jo Lee, the U.S. envoy to India.", 1),
        ("Who is the US ambassador to Iran?", "Iran's ambassador to Washington, Jo Lee.", 1),
        ("Who is the US ambassador to Iran?", "Jo Lee, the U.S. ambassador to Iran.", 0),
        # exports and trips are not posted: only an office is
        ("What hurt Iran's exports to the US?", "Tariffs hurt Iran's exports to China.", 0),
        # the question's own owner, or an alias of it, or a bloc that may contain the other
        ("Which Western companies invested?", "A Canadian company invested.", 0),
        ("Who is India's ambassador to the US?", "India's former ambassador Taranjit Sandhu.", 0),
        ("How many US exchange programs are there?", "American exchange programs grew.", 0),
        # a subject and its verb, not an owner: "did Kenya and Tanzania sign"
        ("Which deal did Kenya and Tanzania sign?", "Kenya and Tanzania signed a deal.", 0),
    ],
)
def test_owner_conflict(question: str, sentence: str, expected: int) -> None:
    frame = analyse(question)
    assert owner_conflict(frame, sentence, entities_of(parse(sentence)), 0) == bool(expected)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the two parties asked of, each in a clause with a doer of its own
        (
            "How much did the African Development Bank lend to Kivu Mining for the rail?",
            "The African Development Bank lent $300 million, and Lake Rail paid Kivu Mining $4.",
            1,
        ),
        ("What did Jo Lee give Ann Roe?", "Jo Lee met Kenya's press, and Ann Roe gave a talk.", 1),
        # one clause holds both, or the clause after goes on about the same doer
        (
            "How much did the African Development Bank lend to Kivu Mining for the rail?",
            "The African Development Bank lent Kivu Mining $300 million, and Lake Rail paid $4.",
            0,
        ),
        (
            "How much did the African Development Bank lend to Kivu Mining for the rail?",
            "The African Development Bank signed the deal, and it lent Kivu Mining $300 million.",
            0,
        ),
        # the question joins the two parties itself: asked of together
        (
            "How much did the African Development Bank and Kivu Mining put into the rail?",
            "The African Development Bank lent $300 million, and Kivu Mining gave $40 million.",
            0,
        ),
    ],
)
def test_parties_split(question: str, sentence: str, expected: int) -> None:
    frame = analyse(question)
    required = [e for e in frame.entities if e.label in ("ORG", "PERSON")]
    assert len(required) == 2
    assert parties_split(frame, sentence, required) == bool(expected)


def test_a_question_in_words_the_corpus_never_uses_is_foreign(corpus: Corpus) -> None:
    assert foreign_question(analyse("How do I apply for a tourist visa to Kenya?"), corpus.text)
    # one unknown word may be a paraphrase; known words make it the corpus' subject
    assert not foreign_question(analyse("Who heads the Kalam copper mine?"), corpus.text)
    assert not foreign_question(analyse("How do I apply for a copper loan?"), corpus.text)


def test_a_name_the_question_asks_about_must_be_in_the_paragraph(corpus: Corpus) -> None:
    # Uganda is in the corpus, but not in the paragraph on rice shipments.
    near = corpus.on("How much more rice will Uganda ship?", "rice shipments to double")
    assert near.signals.entity_absent == 1.0
    control = corpus.on("How much more rice will traders ship?", "rice shipments to double")
    assert control.signals.entity_absent == 0.0
    assert near.probability < control.probability


def test_names_a_follow_up_carries_or_naming_the_article_are_not_required() -> None:
    frame = analyse(following_up("Who attended the signing?", "What did Kenya and Uganda sign?"))
    assert [e.text for e in asked_names(frame, None)] == []
    question = "According to Nawaz, what did Kenya sign?"
    named = SourceRef(frozenset({"003"}), names=((13, 18),))
    assert [e.text for e in asked_names(analyse(question), named)] == ["Kenya"]
    # one side's name of a comparison: the paragraph telling the other side lacks it
    compared = analyse("How did Kenya's tariffs on rice compare with Uganda's tariffs on rice?")
    assert [e.text for e in asked_names(compared, None)] == []
    both = analyse("How did Kenya's tariffs on rice change after Uganda's complaint?")
    assert [e.text for e in asked_names(both, None)] == ["Kenya", "Uganda"]
    # "in X's view" names whose account to follow, as "according to X" does
    question = "In Nawaz's view, what did Kenya sign?"
    named = SourceRef(frozenset({"003"}), names=((3, 9),))
    frame = without_source(analyse(question), named, parse(question))
    assert [e.text for e in frame.entities] == ["Kenya"]


def test_a_name_that_only_describes_a_person_is_not_required() -> None:
    described = analyse("What did the African Development Bank analyst say about rice?")
    assert [e.text for e in asked_names(described, None)] == []
    # the person is whom it asks for: the bank must be named
    asked = analyse("Who is the African Development Bank analyst?")
    assert [e.text for e in asked_names(asked, None)] == ["the African Development Bank"]
    # a title after a verb is another person's
    met = analyse("Did Joseph Mwangi meet President Ruto in Nairobi?")
    assert "Joseph Mwangi" in [e.text for e in asked_names(met, None)]


def test_where_someone_works_is_answered_by_an_employer() -> None:
    sentence = "Amina Otieno is an economist at the African Development Bank."
    bank = Entity("the African Development Bank", "ORG", 33, 61)
    works = analyse("Where does Amina Otieno work?")
    assert type_spans("place", sentence, [bank], 0, works) == [(33, 61)]
    # "Works" in a name is not the question's verb
    signed = analyse("Where was the Mombasa Works Authority's deal signed?")
    assert type_spans("place", sentence, [bank], 0, signed) == []


def test_the_speaker_after_a_quote_answers_who_said_it() -> None:
    """The small model can miss a surname standing after a quote; the quote's form names
    the speaker all the same."""
    frame = analyse("Who said the Kenyans had done the hard work on copper?")
    sentence = "“On copper, the Kenyans had done the hard work,” Otieno said."
    assert [sentence[a:b] for a, b in type_spans("agent", sentence, [], 0, frame)] == ["Otieno"]
    # a quoted name is not a speaker
    assert type_spans("agent", "They call it the “Kenya” plan said by many.", [], 0, frame) == []


def test_where_something_happened_is_no_doer() -> None:
    """ "Who was behind the blasts in Mombasa?": "blasts in Nairobi" names where, not
    who; a country that did something may answer."""
    frame = analyse("Who was behind the twin blasts in Mombasa?")
    where = "Twin blasts in Nairobi and Mombasa raised hackles."
    nairobi = Entity("Nairobi", "GPE", where.index("Nairobi"), where.index("Nairobi") + 7)
    assert type_spans("agent", where, [nairobi], 0, frame) == []
    who = "Uganda carried out the twin blasts, officials said."
    uganda = Entity("Uganda", "GPE", 0, 6)
    assert type_spans("agent", who, [uganda], 0, frame) == [(0, 6)]


def test_a_date_the_question_gives_does_not_answer_it() -> None:
    frame = analyse("On which day in February was the envoy arrested?")
    sentence = "The envoy was arrested in February."
    assert type_spans("date", sentence, [], 0, frame) == []
    assert type_spans("date", "He was arrested on 3 March.", [], 0, frame)


def test_a_figure_in_a_date_is_no_amount() -> None:
    """ "How much did Kenya spend…" is not answered by "in 2021" or "the last two decades";
    a figure of its own is."""
    frame = analyse("How much did Kenya end up spending on roads?")
    assert type_spans("quantity", "Kenya renewed its road programme in 2021.", [], 0, frame) == []
    decades = "Kenya's roads grew over the last two decades."
    span = Entity("the last two decades", "DATE", 24, 44)
    assert decades[24:44] == "the last two decades"
    assert type_spans("quantity", decades, [span], 0, frame) == []
    built = "Kenya built 300 km of roads in 2021."
    assert [built[a:b] for a, b in type_spans("quantity", built, [], 0, frame)] == ["300"]


def test_a_name_its_appositive_calls_by_the_noun_asked_is_of_that_kind() -> None:
    frame = analyse("Which province holds Kenya's copper?")
    sentence = "Kalamu, the country's largest province, holds most of its copper."
    kalamu = Entity("Kalamu", "ORG", 0, 6)  # the small model's label for a province
    assert type_spans("place", sentence, [kalamu], 0, frame) == [(0, 6)]
    town = "Kalamu, the country's largest town, holds most of its copper."
    assert type_spans("place", town, [kalamu], 0, frame) == []


def test_a_name_asked_for_is_a_name_the_sentence_gives_the_thing() -> None:
    """ "What was the name of the Nairobi conference…" is not answered by "a conference in
    Nairobi" and another name; a name called a conference answers it."""
    frame = analyse("What was the name of the Nairobi conference where Ruto spoke?")
    unnamed = "The Kenya Tech Council's chief said at a conference in Nairobi that it would grow."
    council = Entity("The Kenya Tech Council", "ORG", 0, 22)
    assert type_spans("any", unnamed, [council], 0, frame) == []
    named = "Ruto spoke at Kenya Connect, a conference in Nairobi."
    connect = Entity("Kenya Connect", "ORG", 14, 27)
    assert type_spans("any", named, [connect], 0, frame) == [(14, 27)]
    # a question not asking a name takes what the sentence says of the conference
    said = analyse("What happened at the Nairobi conference where Ruto spoke?")
    assert type_spans("any", unnamed, [council], 0, said) == [(0, 0)]


def spans_of(kind: AnswerType, sentence: str, frame: QuestionFrame) -> list[tuple[int, int]]:
    """`type_spans` over the sentence's own entities, as spaCy finds them."""
    return type_spans(kind, sentence, entities_of(parse(sentence)), 0, frame)


def test_a_date_asked_to_the_day_is_not_answered_by_a_month() -> None:
    day = analyse("On what date did Kenya sign the trade agreement?")
    month = "Kenya signed the agreement in March."
    assert spans_of("date", month, day) == []
    dated = "Kenya signed the agreement on March 3."
    assert spans_of("date", dated, day)
    when = analyse("When did Kenya sign the trade agreement?")
    assert spans_of("date", month, when)


def test_a_year_asked_is_not_answered_by_a_month() -> None:
    year = analyse("In what year did Kenya sign the trade agreement?")
    assert spans_of("date", "Kenya signed the agreement in March.", year) == []
    assert spans_of("date", "Kenya signed the agreement in March 2021.", year)
    when = analyse("When did Kenya sign the trade agreement?")
    assert spans_of("date", "Kenya signed the agreement in March.", when)


def test_a_figure_in_the_questions_own_words_is_no_answer() -> None:
    worth = analyse("How many billions of dollars is the copper in the north worth?")
    told = "The north holds copper estimated to be worth billions of dollars."
    assert spans_of("count", told, worth) == []
    assert spans_of("count", "The copper is worth 12 billion dollars.", worth)


def test_a_month_asked_is_not_answered_by_a_year() -> None:
    month = analyse("In which month of 2021 did Kenya sign the trade agreement?")
    assert spans_of("date", "Kenya signed the agreement in 2021.", month) == []
    assert spans_of("date", "Kenya signed the agreement in mid-March 2021.", month)


def test_an_amount_of_a_thing_is_not_its_price() -> None:
    """ "How much copper…" asks an amount of copper: "worth billions of dollars" is not
    one; "how much financing" is money."""
    copper = analyse("How much copper does the Kalam mine produce each year?")
    worth = "The Kalam mine holds copper reserves worth billions of dollars."
    assert spans_of("quantity", worth, copper) == []
    assert spans_of("quantity", "The Kalam mine produces 90,000 tonnes of copper a year.", copper)
    financing = analyse("How much financing did the bank provide for the Kalam mine?")
    assert spans_of("quantity", "The bank provided $300 million for the Kalam mine.", financing)


def test_a_rate_is_answered_by_a_share_not_a_sum() -> None:
    rate = analyse("What interest rate comes with the bank's loan to Kenya?")
    assert spans_of("quantity", "The bank lent Kenya at least $300 million.", rate) == []
    assert spans_of("quantity", "The bank lent Kenya $300 million at 4 percent.", rate)
    tariff = analyse("What was the tariff on Kenyan goods?")
    assert spans_of("quantity", "The US cut the tariff on Kenyan goods to 19%.", tariff)


def test_a_count_is_not_answered_by_a_sum_or_by_things_already_named() -> None:
    firms = analyse("How many firms did Kenya hire?")
    assert spans_of("count", "Kenya paid the firms $300 million.", firms) == []
    assert spans_of("count", "The deal links the two countries.", firms) == []
    assert spans_of("count", "Kenya hired two firms.", firms)
    # a count of days is a date to spaCy
    days = analyse("How many days did the talks last?")
    assert spans_of("count", "The talks ended four days later.", days)
    assert spans_of("count", "The talks were held in August.", days) == []
    # the unit typed in the singular ("for how many year") still counts time
    year = analyse("Odhiambo in jail for how many year?")
    assert spans_of("count", "Odhiambo is serving a 14-year sentence.", year)
    assert spans_of("count", "They have been partners over the last two decades.", days) == []
    # a number of things named before, but a larger one tells how many
    assert spans_of("count", "Kenya hired the five dozen firms that bid.", firms)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the figure belongs to another country's people, and the question's is unnamed
        (
            "How many Bangladeshis study at universities in Kenya?",
            "Kenya brings almost 800 Iranians to its universities every year.",
            1,
        ),
        (
            "By how much did Kenya cut tariffs on Bangladeshi exports?",
            "Kenya cut tariffs by 15 percent on Iranian rice.",
            1,
        ),
        # another country the question names (the government's) is no owner of the figure
        (
            "How many Bangladeshis does the Kenyan government bring to its universities?",
            "The Kenyan government brings almost 800 Iranians to its universities every year.",
            1,
        ),
        # the question's own country owns it, or one of the figures
        (
            "By how much did Kenya cut tariffs on Iranian exports?",
            "Kenya cut tariffs by 15 percent on Iranian rice.",
            0,
        ),
        (
            "How many Bangladeshis study at universities in Kenya?",
            "Of 800 students in Kenya, 300 are Iranians and 120 are Bangladeshis.",
            0,
        ),
        # the question's country named, but the figure is still another's
        (
            "How many Bangladeshis were killed in the bombing?",
            "Bangladesh helped arrest the plotters of the bombing that killed 13 Iranian soldiers.",
            1,
        ),
        # a city owns the event, not the people counted
        (
            "What was the death toll of the Tehran bombing?",
            "The bombing in Tehran killed 13 U.S. soldiers and 170 Afghan civilians.",
            0,
        ),
        # a country that does the cutting, not whose goods: no owner asked
        (
            "By how much did Kenya cut tariffs?",
            "Kenya cut tariffs by 15 percent on Iranian rice.",
            0,
        ),
    ],
)
def test_a_figure_of_another_countrys_people_or_goods(
    question: str, sentence: str, expected: int
) -> None:
    frame = analyse(question)
    entities = entities_of(parse(sentence))
    spans = type_spans(frame.answer_type, sentence, entities, 0, frame)
    assert int(value_owner_conflict(frame, entities, 0, spans)) == expected


def test_a_figure_owned_by_another_country_the_question_names_is_its() -> None:
    """ "the Iranian duty on goods coming from Bangladesh" is stated by "tariffs … on
    Bangladeshi goods": the question names both countries, and the figure is of both."""
    sentence = "The deal lowered tariffs from 29% to 19% on Bangladeshi goods."
    figure, goods = sentence.index("29%"), sentence.index("Bangladeshi")
    entities = [
        Entity("29% to 19%", "PERCENT", figure, figure + 10),
        Entity("Bangladeshi", "NORP", goods, goods + 11),
    ]
    both = analyse("By how much did the deal cut the Iranian duty on goods coming from Bangladesh?")
    assert not value_owner_conflict(both, entities, 0, [(figure, figure + 10)])
    one = analyse("By how much did the deal cut the Iranian duty on rice?")
    assert value_owner_conflict(one, entities, 0, [(figure, figure + 10)])


def test_a_city_owns_an_event_not_the_people_counted() -> None:
    """ "How many Indian nationals were killed in the Kabul bombing?": "13 U.S. troops"
    are not Indians, though Kabul is Afghanistan's capital and the Afghans are counted."""
    sentence = "The Kabul bombing killed 13 U.S. troops and 170 Afghan civilians."
    thirteen, us = sentence.index("13"), sentence.index("U.S.")
    hundred, afghan = sentence.index("170"), sentence.index("Afghan")
    entities = [
        Entity("13", "CARDINAL", thirteen, thirteen + 2),
        Entity("U.S.", "GPE", us, us + 4),
        Entity("170", "CARDINAL", hundred, hundred + 3),
        Entity("Afghan", "NORP", afghan, afghan + 6),
    ]
    spans = [(thirteen, thirteen + 2), (hundred, hundred + 3)]
    indians = analyse("How many Indian nationals were killed in the Kabul bombing?")
    assert value_owner_conflict(indians, entities, 0, spans)
    afghans = analyse("How many Afghan civilians were killed in the Kabul bombing?")
    assert not value_owner_conflict(afghans, entities, 0, spans)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the verb asked is another's: the bank agreed, the firm is only named
        (
            "How much did Rift Minerals agree to lend for the line?",
            "The African Development Bank agreed to lend $300 million, and Kenya hired Rift "
            "Minerals.",
            True,
        ),
        # "he" is the last person named before it
        (
            "What did John Kamau announce at the conference?",
            "Joseph Mwangi was named minister in May, and he announced a rail link at the "
            "conference.",
            True,
        ),
        (
            "What did John Kamau announce at the conference?",
            "John Kamau was named minister in May, and he announced a rail link at the conference.",
            False,
        ),
        ("How much did the bank agree to lend?", "The bank agreed to lend $300 million.", False),
        # "Did Kamau visit…": the small model parses the name as a compound, still the doer
        (
            "Did Kamau visit Iran in 2025?",
            "A conflict, during which the Indian foreign minister visited Tehran, simmers.",
            True,
        ),
        ("Did Kamau visit Iran in 2025?", "Kamau visited Tehran in May 2025.", False),
        # a figure asked of the bank's lending, in a sentence telling neither: another's
        (
            "How much financing did the World Bank commit to the rail deal?",
            "The Kenya Railways Corporation signed a $500 million rail deal with Uganda.",
            True,
        ),
        (
            "How much financing did the World Bank commit to the rail deal?",
            "The World Bank committed $300 million to the rail deal.",
            False,
        ),
        # a share got by a doer the sentence never names: got by another ("the company")
        (
            "What percentage of the rail line did Safaricom get in the 2022 settlement?",
            "The 2022 settlement with Kenya Railways gave the company a 50 percent share.",
            True,
        ),
        (
            "What percentage of the rail line did Kenya Railways get in the 2022 settlement?",
            "The 2022 settlement with Kenya Railways gave the company a 50 percent share.",
            False,
        ),
        # a country is a doer too, when it is the question's subject ("Uganda", not Kenya,
        # recommended him)
        (
            "Why did Kenya formally recommend Museveni for the prize?",
            "Uganda gave Museveni credit and became the first country to recommend him.",
            True,
        ),
        (
            "Why did Kenya formally recommend Museveni for the prize?",
            "Kenya gave Museveni credit and became the first country to recommend him.",
            False,
        ),
    ],
)
def test_the_verb_asked_done_by_another(question: str, sentence: str, expected: bool) -> None:
    assert agent_conflict(analyse(question), sentence, Text.of(sentence)) is expected


def test_a_figure_every_clause_gives_to_another_doer_is_not_the_doers() -> None:
    """ "How much did Tana Power put into the dam?": the sentence's sums are the Lake
    Bank's arm's and Safaricom's, told by clauses whose subjects name them; a clause
    whose subject names no one ("which") says nothing of whose the sum is."""
    sentence = (
        "The Lake Bank’s lending arm, the Kenya Finance Corporation, agreed to provide at "
        "least $300 million to the dam, and Safaricom signed a $440 million deal with Tana "
        "Power."
    )
    ents = entities_of(parse(sentence))
    asked = analyse("How much money did Tana Power put into the dam?")
    assert lone(asked, sentence, ents).owner_conflict == 1.0
    bank = analyse("How much money did the Kenya Finance Corporation agree to provide?")
    assert lone(bank, sentence, ents).owner_conflict == 0.0
    deal = "Kenya secured a trade deal, which lowered tariffs from 29% to 19% on its goods."
    frame = analyse("By how much did Uganda lower tariffs on Kenyan goods?")
    assert lone(frame, deal, entities_of(parse(deal))).owner_conflict == 0.0


def test_a_he_stands_for_a_known_person_the_model_tags_otherwise() -> None:
    # The small model tags "Museveni" ORG here; the articles' people (rag.names) say
    # he is a person, so "he accused" is his doing, not the asked Kenyatta's.
    question = "What did Uhuru Kenyatta accuse Kenyan leaders of in 2018?"
    sentence = (
        "Museveni’s gratefulness marked a departure from his first term, when in 2018 he "
        "accused Kenyan leaders of lies before suspending most aid."
    )
    frame, text = analyse(question), Text.of(sentence)
    assert agent_conflict(frame, sentence, text, frozenset({"Museveni"}))
    assert not agent_conflict(frame, sentence, text)  # (unknown: no doer to tell)


def test_it_stands_for_no_person() -> None:
    # "it" is Kenya's doing, not the last person named before it (Museveni)
    question = "In which month did Kenya help Uganda capture Okello?"
    sentence = (
        "Kenya's earliest win with Museveni came in February, when it helped Uganda capture Okello."
    )
    assert not agent_conflict(
        analyse(question), sentence, Text.of(sentence), frozenset({"Museveni"})
    )


def test_the_pronoun_one_is_no_thing_asked_for() -> None:
    # "PR firms, one of which helped…": "one" (CARDINAL) is no firm called "one"
    sentence = "Kenya hired several PR firms, one of which set up the interview."
    frame = analyse("Which PR firm set up the interview with the ambassador?")
    assert lone(frame, sentence, entities_of(parse(sentence))).type_missing == 1.0


def test_an_ordinal_counts_those_before() -> None:
    """ "How many… before X?" is answered by X being "only the second" to do it; an ordinal
    counts nothing else ("his first term" gives no number of dollars)."""
    sentence = "Otieno had become only the second Kenyan to hold that title."
    found = entities_of(parse(sentence))
    before = analyse("How many Kenyans had held the rank of field marshal before Otieno?")
    assert lone(before, sentence, found).type_missing == 0.0
    ever = analyse("How many Kenyans have held the rank of field marshal?")
    assert lone(ever, sentence, found).type_missing == 1.0


def test_a_person_tagged_org_is_no_organisation_asked_for() -> None:
    # "Trump" tagged ORG gave "Which lobbying firms did Pakistan hire?" a value in "…hire
    # lobbying firms run by some of Trump's former associates", which names no firm
    frame = analyse("Which lobbying firm did Kenya hire earlier this year?")
    sentence = "Kenya hired lobbying firms run by some of Museveni’s former associates."
    start = sentence.index("Museveni")
    tagged = [Entity("Museveni", "ORG", start, start + len("Museveni"))]
    assert lone(frame, sentence, tagged).type_missing == 0.0  # taken for a firm
    assert lone(frame, sentence, tagged, people=frozenset({"Museveni"})).type_missing == 1.0


def test_a_name_right_after_the_noun_asked_is_of_that_kind() -> None:
    frame = analyse("Which firm did Kenya sign the copper deal with?")
    sentence = "Kenya signed the deal with the firm U.S. Copper Works in May."
    us = Entity("U.S.", "GPE", 36, 40)  # the small model's reading of the firm's name
    assert type_spans(frame.answer_type, sentence, [us], 0, frame) == [(36, 40)]


def test_a_figure_asked_exactly_is_not_answered_by_a_vague_one() -> None:
    exactly = analyse("Exactly how many firms did Kenya hire?")
    vague = "Kenya hired multiple firms and paid them millions of dollars."
    assert spans_of("count", vague, exactly) == []
    told = "Kenya hired 3 firms."
    assert spans_of("count", told, exactly)


@pytest.mark.parametrize(
    ("sentence", "answers"),
    [
        ("Each year the program brings almost 800 Kenyans to the United States.", False),
        ("The program hosts 800 students and 13 U.S. service members.", False),
        ("Kenyans abroad sent home 800 million shillings.", True),
        ("The program brings 800 Kenyan goods to the United States.", True),
    ],
)
def test_how_much_is_not_answered_by_a_head_count(sentence: str, answers: bool) -> None:
    """ "How much…" asks an amount: a figure counting people ("800 Kenyans") is a head
    count, whatever the question's topic."""
    question = analyse("How much do Kenyans abroad send home each year?")
    assert bool(spans_of("quantity", sentence, question)) is answers
    assert spans_of("count", sentence, analyse("How many Kenyans does the program bring?"))


def test_names_run_together_are_found_by_parts() -> None:
    text = Text.of("Kenya and the United States met. Mwangi won the Africa Prize.")
    for name in ("Kenya-US", "Mwangi for the Africa Prize"):
        assert named_in(Entity(name, "ORG", 0, len(name)), text)
    assert not named_in(Entity("Kenya-Uganda", "GPE", 0, 12), text)


def test_who_leads_is_answered_by_an_office_not_any_person_noun() -> None:
    frame = analyse("Who leads the Rift Liberation Front?")
    militants = "Militant groups like the Rift Liberation Front have grown."
    assert type_spans("person", militants, [], 0, frame) == []
    chaired = "The front is led by its chairman."
    assert type_spans("person", chaired, [], 0, frame)
    # a body may lead: "a delegation led by the Foreign Ministry" (not one it merely names)
    team = analyse("Who headed the Kenyan team sent to the mining forum?")
    led = "Kenya sent a delegation led by the Foreign Ministry to the forum."
    ministry = Entity("Foreign Ministry", "ORG", 35, 51)
    assert led[35:51] == "Foreign Ministry"
    assert type_spans("person", led, [ministry], 0, team)
    sent = "The Foreign Ministry sent a delegation to the forum."
    assert type_spans("person", sent, [Entity("Foreign Ministry", "ORG", 4, 20)], 0, team) == []


def test_a_name_that_names_a_group_is_no_person() -> None:
    frame = analyse("What is the name of the minister who chairs the council?")
    family = "The Mwangi family backs the council."
    mwangi = Entity("Mwangi", "PERSON", 4, 10)
    assert type_spans("person", family, [mwangi], 0, frame) == []
    chaired = "The council is chaired by Mwangi, the minister."
    assert type_spans("person", chaired, [Entity("Mwangi", "PERSON", 26, 32)], 0, frame)


def test_a_relation_may_be_told_across_a_paragraph_and_the_one_before() -> None:
    frame = analyse("Did Rift Minerals say it would build the Kalam mine's trucks in Kenya?")
    sentence = "Rift Minerals said it would build most of the trucks in Kenya."

    def apart(before: str) -> float:
        required = asked_names(frame, None)
        return lone(frame, sentence, required=required, before=before).parties_apart

    assert apart("") == 1.0  # the mine is named nowhere near
    assert apart("The Kalam mine reopened in March.") == 0.0


def test_another_figure_answers_a_yes_no_question_about_a_figure() -> None:
    """ "Is Mwangi the first…?" is answered "no" by "the second"; a year asked stays a
    premise another year contradicts."""
    rank = analyse("Is Joseph Mwangi the first Kenyan envoy to Tanzania?")
    assert asks_figure(rank)
    year = analyse("Did Kenya sign the trade agreement in 2019?")
    assert not asks_figure(year)
    assert not asks_figure(analyse("Why was Joseph Mwangi the first Kenyan envoy?"))


def test_one_of_is_a_pronoun_not_a_quantity() -> None:
    frame = analyse("How big is the copper deal?")
    allies = "Despite being one of China's closest allies, Kenya got what it wanted."
    assert spans_of(frame.answer_type, allies, frame) == []
    mines = "The deal covers one mine and two ports."
    assert spans_of(frame.answer_type, mines, frame)


@pytest.mark.parametrize(
    ("question", "vague"),
    [
        ("What, and why?", True),
        ("Why?", True),
        ("Which article doesn't mention?", True),
        (following_up("And when?", "What is it"), True),  # our own framing is not a word
        ("Muneer?", False),
        ("Why not the railway?", False),
        ("When?" + " (following up on: Which trade agreement did Kenya sign)", False),
    ],
)
def test_a_question_that_names_nothing_asks_nothing(question: str, vague: bool) -> None:
    assert asks_nothing(analyse(question)) is vague


def test_a_relation_needs_its_parties_together_but_not_the_countries_around_them() -> None:
    mwangi, bank = gpe("Joseph Mwangi", "PERSON"), gpe("African Development Bank", "ORG")
    # countries the alias list knows (rag.aliases.ALIAS_GROUPS)
    india, china = gpe("India"), gpe("China")
    paragraph = Text.of(PARAGRAPHS[1])  # Mwangi at the signing, no bank
    assert parties_apart([mwangi, bank], paragraph)
    assert not parties_apart([mwangi, india, china], Text.of("Mwangi spoke."))
    assert not parties_apart([mwangi], paragraph)
    # the one whose role is asked must be there, country or not
    question = "What role did China play in the Kenya-India rail pact?"
    china_at = Entity("China", "GPE", question.index("China"), question.index("China") + 5)
    pact = Text.of("Kenya and India signed the rail pact in May.")
    assert parties_apart([china_at, india], pact, question)
    assert not parties_apart([china_at, india], Text.of("China brokered it."), question)
    assert not parties_apart([china_at, india], pact)  # no role asked: countries aside
    # a player the parser found no name in: none of its words in the paragraph
    unnamed = "what part did zalmay okello play in the Kenya-India rail pact?"
    assert parties_apart([india], pact, unnamed)
    assert not parties_apart([india], Text.of("Zalmay Okello brokered it."), unnamed)


def test_a_comparison_is_made_by_comparing_words_or_figures_not_by_any_ranking_word() -> None:
    frame = analyse("Does the railway carry more rice or more maize?")

    def told(sentence: str) -> bool:
        return ranks(sentence, Text.of(sentence).stems, frame.compared, frame.ranked_by)

    assert told("The railway now carries more rice than maize.")
    assert told("The railway carried 40 tonnes of rice and 12 tonnes of maize.")
    assert not told("The railway is the only line that carries rice and maize.")


def test_a_ranking_is_stated_by_the_same_measure() -> None:
    def told(question: str, sentence: str) -> bool:
        asked = analyse(question)
        return ranks(sentence, Text.of(sentence).stems, asked.compared, asked.ranked_by)

    populous = "Which is Kenya's most populous province?"
    assert told(populous, "Kalamu is Kenya's most populous province.")
    assert not told(populous, "Kalamu is Kenya's largest but most remote province.")
    # one scale: "biggest" is said "largest"; an ordinal or "top" takes any ranking
    assert told("What is Kenya's biggest mine?", "Kalam is Kenya's largest mine.")
    assert told("What was Kenya's first trade deal?", "It was Kenya's earliest deal.")


def test_a_ranking_ranks_the_thing_asked() -> None:
    """ "Which firm had the largest stake?" is not answered by "the largest province"; a
    noun naming the answer's kind ("the largest province") takes any of that kind."""

    def told(question: str, sentence: str) -> bool:
        return ranks(sentence, Text.of(sentence).stems, *analyse(question).ranking)

    stake = "Among the firms in the Kalam dispute, which had the largest stake?"
    assert not told(stake, "Rift, the country's largest province, holds the Kalam mine.")
    assert told(stake, "Tana Mining held the largest stake in the Kalam mine.")
    example = "What was the most prominent example of Kenya's mining deals?"
    assert told(example, "The most prominent example was the Kalam mine.")
    assert not told(example, "Kalam is the most prominent mine in Kenya.")
    assert told("Which is Kenya's largest province?", "Rift is the largest in Kenya.")
    # "one of the highest levels" describes the thing, it asks no ranking of levels
    grievance = "What grievance pushed Uganda's tariffs up to one of the highest levels?"
    assert told(grievance, "Ruto gave Uganda some of the highest tariffs over its oil.")


def test_a_yes_no_event_is_told_by_its_verb_in_any_form() -> None:
    """ "Did the resolution pass…?" is settled by "led the passage of a resolution", and a
    verb in the question's own irregular form ("held") is its verb."""
    assert nominalised("pass", ["led", "the", "passage", "of"])
    assert nominalised("extradite", ["his", "extradition"])
    assert not nominalised("sign", ["a", "significant", "deal"])
    # a Latin noun turns a final d or t to s: include/inclusion, suspend/suspension
    assert nominalised("include", ["the", "inclusion", "of"])
    assert nominalised("suspend", ["the", "suspension", "of"])
    assert not nominalised("visit", ["a", "visible", "shift"])
    # and a sentence telling of it so doesn't lack the verb
    included = analyse("Which crops were included in the trade talks?")
    told = lone(included, "The inclusion of rice and maize in these talks was new.")
    assert told.predicate_missing == 0.0
    frame = analyse("Did Uganda hold the chair when Kenya's vote was taken?")
    held = analyse("Who held the chair of the talks in Arusha?")
    assert held.predicate == "hold"
    assert tells_verb(held, Text.of("Uganda held the chair of the talks."))
    assert not tells_verb(frame, Text.of("Uganda sent an observer to the talks."))


def test_a_city_asked_for_is_not_answered_by_a_country() -> None:
    frame = analyse("In which city was the envoy arrested?")
    country, capital = "He was arrested in India last year.", "He was arrested in New Delhi."
    india, delhi = Entity("India", "GPE", 19, 24), Entity("New Delhi", "GPE", 19, 28)
    assert type_spans("place", country, [india], 0, frame) == []
    assert type_spans("place", capital, [delhi], 0, frame) == [(19, 28)]


def test_a_state_of_a_country_is_answered_by_neither_that_country_nor_another() -> None:
    frame = analyse("In which US state will the firm build the trucks?")
    assert frame.answer_type == "place"  # "In which…" misparsed: "state" is still its noun
    told = "The firm said it would build them in the United States, not in Iran."
    assert spans_of("place", told, frame) == []
    assert spans_of("place", "The firm will build them in Texas.", frame)
    # a city of another country doesn't answer "which <country's> city"
    city = analyse("In which Iranian city was the envoy arrested?")
    assert spans_of("place", "The envoy of the bombing in Kabul was arrested.", city) == []
    assert spans_of("place", "The envoy was arrested in Tehran.", city)
    # a name that calls itself what is asked for is one, whatever the model labels it
    region = analyse("In which region would the US position weaken?")
    told = "This would weaken the U.S. posture in the Indo-Pacific region."
    assert spans_of("place", told, region) == [(told.index("the Indo"), len(told) - 1)]
    # the question's country by its capital may still answer "where"
    embassy = analyse("Where is Iran's embassy in the US?")
    assert spans_of("place", "Iran's embassy is in Washington.", embassy)


# --- a yes/no question's verb the articles never use -------------------------------------


def test_a_verb_the_corpus_never_uses_must_be_said_in_other_words_or_denied(
    corpus: Corpus,
) -> None:
    """ "Has the Kalam mine been privatised?": the corpus never uses the verb, so the
    sentence settles it only by a word of like meaning (`verb_kin`, rag.kin) or by
    denying something (a "no"); else it is unsettled."""
    frame = analyse("Has the Kalam copper mine been privatised?")

    def unsettled(sentence: str, verb_kin: bool) -> float:
        return lone(
            frame, sentence, idf=corpus.idf, corpus_stems=corpus.text.stems, verb_kin=verb_kin
        ).unsettled

    told = "The Kalam copper mine in western Kenya is operated by Rift Minerals."
    assert unsettled(told, verb_kin=False) == 1.0
    assert unsettled(told, verb_kin=True) == 0.0
    denied = "The Kalam copper mine was never sold and is operated by Rift Minerals."
    assert unsettled(denied, verb_kin=False) == 0.0


def test_a_yes_no_event_is_settled_only_by_a_sentence_telling_it_as_done() -> None:
    """ "Has production started at the Kalam mine?": a sentence without the verb leaves
    it open when the articles use the verb (`verb_kin` None: not looked for in other
    words, however they use it, "starters" included), and so does one telling it only
    under a modal ("can start")."""
    frame = analyse("Has production started at the Kalam mine?")
    assert lone(frame, "The Kalam mine is operated by Rift Minerals.").unsettled == 1.0
    assert lone(frame, "Production at the Kalam mine can start next year.").unsettled == 1.0
    assert lone(frame, "Production at the Kalam mine started in 2019.").unsettled == 0.0


@pytest.mark.slow
def test_scorer_reads_a_readers_verb_by_its_meaning(embed_model: Any) -> None:
    """Neither "privatise" nor "lend" is a word of the corpus: the loan sentence says
    "lend" in other words (MiniLM word cosine 0.81, rag.kin), nothing says "privatise".
    ("bankroll", once the example, is only 0.40 from "loan": the test passed while the
    parser took "bankroll" for a noun and the question had no verb to check.)"""
    scorer = EvidenceScorer(embed_model, PARAGRAPHS)
    floor = Settings(_env_file=None).min_support  # type: ignore[call-arg]
    said = scorer.assess(
        "Did the African Development Bank lend the transmission line money?", passages()
    )
    assert said.best is not None
    assert "$300 million loan" in said.best.text
    assert said.support >= floor
    unsaid = scorer.assess("Has the Kalam copper mine been privatised?", passages())
    assert unsaid.support < floor
    assert unsaid.best is not None
    assert unsaid.best.signals is not None
    assert unsaid.best.signals.unsettled == 1.0


def test_a_persons_name_tagged_a_place_is_no_other_place() -> None:
    """ "When did Uganda sign the rail deal?": "Mwangi’s visit", tagged a place by the
    small model, is not another country where Uganda was asked about."""
    frame = analyse("When did Uganda sign the rail deal?")
    assert [e.label for e in frame.entities] == ["GPE"]
    sentence = "After Mwangi’s visit, the rail deal was signed in May."
    mwangi = Entity("Mwangi’s", "GPE", 6, 14)
    text = Text.of(sentence)
    assert conflict(frame, text, [mwangi], text)
    assert not conflict(frame, text, [mwangi], text, frozenset({"Mwangi"}))


def test_a_reason_for_an_event_the_articles_never_tell_is_anothers() -> None:
    """ "Why did Kenya abandon the rail deal?": when the articles never use the verb and
    the sentence doesn't say it in other words (`verb_kin` False), a reason it gives is
    for something else; a verb they use (`verb_kin` None) leaves the sentence to its
    other signals, and so does a reason asked for an event still to come."""
    sentence = "Kenya joined the trade agreement to secure cheaper food imports."
    done = analyse("Why did Kenya abandon the trade agreement?")
    assert lone(done, sentence, verb_kin=False).reason_elsewhere == 1.0
    assert lone(done, sentence, verb_kin=True).reason_elsewhere == 0.0
    assert lone(done, sentence).reason_elsewhere == 0.0
    ahead = analyse("Why will Kenya abandon the trade agreement?")
    assert lone(ahead, sentence, verb_kin=False).reason_elsewhere == 0.0


def test_an_event_asked_as_the_result_of_another_needs_its_own_verb() -> None:
    """ "Which bank was opened as a result of the pact?" is not answered by a sentence
    telling of the pact alone; one telling of the opening may answer it."""
    frame = analyse("Which bank was opened in Kenya as a result of the trade pact?")
    assert lone(frame, "Kenya signed a trade pact with Uganda in 2021.").unresulted
    assert not lone(frame, "After the trade pact, Kenya opened the Umoja Bank.").unresulted
    # a time the question sets ("after the pact") marks no result: the pact is its date
    dated = analyse("Which bank did Kenya name after the trade pact?")
    assert not lone(dated, "Kenya signed a trade pact with Uganda in 2021.").unresulted


def test_unknown_verb_covers_a_why_question_about_a_done_event(corpus: Corpus) -> None:
    assert unknown_verb(analyse("Why did Kenya abandon the trade agreement?"), corpus.text)
    assert not unknown_verb(analyse("Why did Kenya join the trade agreement?"), corpus.text)
    assert not unknown_verb(analyse("Why does Kenya abandon deals?"), corpus.text)


def test_what_came_of_an_event_needs_a_sentence_telling_a_result() -> None:
    frame = analyse("What came of the trade agreement between Kenya and Tanzania?")
    assert lone(frame, "Kenya and Tanzania signed a trade agreement in Arusha.").unresulted
    told = "Kenya and Tanzania signed a trade agreement, which lowered tariffs on rice."
    assert not lone(frame, told).unresulted
    reason = explain(frame, lone(frame, "Kenya and Tanzania signed a trade agreement."), (), [])
    assert reason.startswith("The articles don't say what came of")


def test_an_event_told_only_as_what_would_be_is_not_told_as_done() -> None:
    """ "…announced in May that it would build a depot" tells of the announcement as done,
    and of the building only as ahead; "May", a month, supposes nothing."""
    told = "Its minister was named in May, and he then announced that Tanzania would build a depot."
    assert lone(analyse("When did Tanzania build the depot?"), told).anticipated == 1.0
    assert lone(analyse("What did the minister announce?"), told).anticipated == 0.0
    # asked as what would be, it is answered by what would be
    asked = analyse("Where did Tanzania say it would build the depot?")
    assert lone(asked, told).anticipated == 0.0


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is tokenization?", "The articles don't say what tokenization is."),
        ("What are rail levies?", "The articles don't say what rail levies are."),
    ],
)
def test_a_refusal_says_what_the_thing_asked_about_is_not_said_to_be(
    question: str, expected: str
) -> None:
    frame = analyse(question)
    failed = Signals(**{**dict.fromkeys(SIGNALS, 0.0), "undefined": 1.0})
    assert explain(frame, failed, (), []) == expected


def test_a_question_that_already_means_not_agrees_with_a_denial() -> None:
    """ "Why is Kenya unlikely to get more aid?" is answered by "Kenya is not going to get
    any aid, because…": the denial is what the question takes as given."""
    said = "“Kenya is not going to get any aid, because donors are cutting budgets,” Mwangi said."
    assert (
        lone(analyse("Why is Kenya unlikely to get more aid, in Mwangi's view?"), said).denied
        == 0.0
    )
    assert lone(analyse("Why does Mwangi doubt that Kenya will get more aid?"), said).denied == 0.0
    assert lone(analyse("Why will Kenya get more aid, in Mwangi's view?"), said).denied == 1.0


def test_a_compound_named_before_is_pointed_back_to() -> None:
    """ "these talks" after "the issue of tariff reform" are the tariff talks asked about;
    "the talks", or "these talks" with no tariff named before, may be others."""
    frame = analyse("Why was rice included in Kenya's tariff talks with Uganda?")
    these = "The inclusion of rice in these talks reflects Kenya's needs."
    before = "Kenya raised the issue of tariff reform."
    assert lone(frame, these, before=before).compound_missing == 0.0
    assert lone(frame, these).compound_missing == 1.0
    the = "The inclusion of rice in the talks reflects Kenya's needs."
    assert lone(frame, the, before=before).compound_missing == 1.0
    assert points_back("Rice came up in these tariff talks.", "talk")


def test_a_compound_qualified_by_the_questions_name_or_year_needs_no_modifier() -> None:
    """ "the 2021 Mombasa port bombing": "a 2021 suicide bombing in Mombasa" is that
    bombing, though it never says "port"; a bombing with neither name nor year may be
    another."""
    frame = analyse("How many people died in the 2021 Mombasa port bombing?")
    told = "A 2021 suicide bombing in Mombasa killed 13 people."
    assert lone(frame, told).compound_missing == 0.0
    other = "A suicide bombing killed 13 people."
    assert lone(frame, other).compound_missing == 1.0
    assert qualified_otherwise(frame.text, "port", {"2021", "mombasa"})
    assert not qualified_otherwise(frame.text, "port", {"bomb"})


# Where the articles tell of a pact with another country as party than the question's.
PARTY_SWAP = (
    "Uganda and the United States signed a ten-year defence pact in March, the foreign "
    "ministry said. The pact covers training and joint patrols on Lake Victoria.",
    "Kenya and the United States have held trade talks since 2019. Kenya's exports to them "
    "rose in 2022.",
)


@pytest.mark.slow
def test_an_event_told_with_another_country_as_party_answers_no_question_about_it(
    embed_model: Any,
) -> None:
    """The sentence telling of the pact names Uganda where the question names Kenya: the
    premise is false there, and a date of Kenya's in another sentence (trade talks since
    2019) is another event's. Asked of Uganda, the same sentence answers."""
    scorer = EvidenceScorer(embed_model, PARTY_SWAP)
    given = as_passages(PARTY_SWAP, "p")
    kenya = "When did Kenya sign its ten-year defence pact with the United States?"
    uganda = "When did Uganda sign its ten-year defence pact with the United States?"
    refused_then_answered(scorer, given, kenya, uganda)


def test_the_topic_a_saying_is_asked_about_is_its_words_names_apart() -> None:
    asked = analyse("What does Jo Lee think of Kenya's rice dealings with the Mwangi family?")
    assert set(said_topic(asked).values()) == {"rice", "dealings", "family"}
    assert said_topic(analyse("Why did Jo Lee's claim about the cease-fire anger Kenya?"))
    assert said_topic(analyse("When did Jo Lee visit Kenya?")) == {}


# A speaker quoted twice, on two things.
SPOKEN = (
    "Kenya has courted Uganda for years. “They have read the mood well,” said Jo Lee, an "
    "analyst at the Lake Institute.",
    "Rice exports to Uganda doubled after the trade agreement took effect, the ministry said.",
)


@pytest.mark.slow
def test_a_speakers_words_on_another_thing_answer_no_question_on_this_one(
    embed_model: Any,
) -> None:
    """Jo Lee is quoted on Kenya's courting of Uganda, not on its rice exports: asked for
    his words on those, the articles don't give them; asked on the mood, they do."""
    scorer = EvidenceScorer(embed_model, SPOKEN)
    given = as_passages(SPOKEN, "s")
    rice = "What does Jo Lee think of Kenya's rice exports to Uganda?"
    mood = "What does Jo Lee think of the mood in Uganda?"
    near, _ = refused_then_answered(scorer, given, rice, mood)
    assert "Jo Lee’s words" in near.missing


def test_a_place_where_something_happens_is_no_party_to_it() -> None:
    text = "Uganda and Kenya met in Nairobi to sign the pact."
    found = [Entity("Uganda", "GPE", 0, 6), Entity("Kenya", "GPE", 11, 16)]
    found.append(Entity("Nairobi", "GPE", 24, 31))
    assert [e.text for e in parties(found, text)] == ["Uganda", "Kenya"]


def test_a_party_swapped_where_the_event_is_told_contradicts_every_sentence() -> None:
    """Only when the most relevant sentence tells the event (its verb) with another party;
    a sentence sharing about as many of the question's words keeps its own verdict."""
    zero = dict.fromkeys(SIGNALS, 0.0)
    event = Signals(**{**zero, "term_cover": 0.8})
    near, far = Signals(**{**zero, "term_cover": 0.7}), Signals(**{**zero, "term_cover": 0.2})
    marked = premise_party([event, near, far], [0.9, 0.6, 0.5], lambda i: i == 0)
    assert [s.party_conflict for s in marked] == [1.0, 0.0, 1.0]
    # asked of the most relevant sentence only: another swapped sentence spreads nothing
    assert premise_party([event, far], [0.9, 0.5], lambda i: i == 1)[1].party_conflict == 0.0
    verbless = Signals(**{**zero, "term_cover": 0.5, "predicate_missing": 1.0})
    assert premise_party([verbless, far], [0.9, 0.5], lambda i: True)[1].party_conflict == 0.0
    # the words of the person whose account the question follows are not another event's
    voiced = premise_party(
        [event, near, far], [0.9, 0.6, 0.5], lambda i: i == 0, [False, False, True]
    )
    assert [s.party_conflict for s in voiced] == [1.0, 0.0, 0.0]
    # without the verb, most of the question's words tell of the same thing ("a security
    # pact with Uganda" for Kenya's security pact)
    worded = Signals(**{**zero, "term_cover": 0.8, "predicate_missing": 1.0})
    assert premise_party([worded, far], [0.9, 0.5], lambda i: True)[1].party_conflict == 1.0


def test_another_owner_where_the_event_is_told_contradicts_weaker_sentences() -> None:
    """ "The port authority signed a deal with Safaricom" for "What deal did Komatsu
    sign…?": a sentence sharing far fewer of the question's words doesn't answer either;
    only when the most relevant sentence has the verb and another owner or doer."""
    zero = dict.fromkeys(SIGNALS, 0.0)
    event = Signals(**{**zero, "term_cover": 0.8, "owner_conflict": 1.0})
    near, far = Signals(**{**zero, "term_cover": 0.7}), Signals(**{**zero, "term_cover": 0.2})
    marked = premise_owner([event, near, far], [0.9, 0.6, 0.5])
    assert [s.owner_conflict for s in marked] == [1.0, 0.0, 1.0]
    verbless = Signals(
        **{**zero, "term_cover": 0.8, "owner_conflict": 1.0, "predicate_missing": 1.0}
    )
    assert premise_owner([verbless, far], [0.9, 0.5])[1].owner_conflict == 0.0


def test_names_written_as_a_pair_hold_the_thing_together() -> None:
    """ "Kenya-US relations" are Kenya's too: no owner conflict for "Kenya's relations"."""
    frame = analyse("How have Kenya's relations with Washington changed?")
    sentence = "The future of Kenya-US relations looks bright."
    found = [Entity("Kenya", "GPE", 14, 19), Entity("US", "GPE", 20, 22)]
    assert [sentence[e.start : e.end] for e in found] == ["Kenya", "US"]
    assert not owner_conflict(frame, sentence, found, 0)
    assert owner_conflict(
        frame, "The future of US relations looks bright.", [Entity("US", "GPE", 14, 16)], 0
    )


def test_an_unsettled_event_is_settled_by_no_weaker_sentence() -> None:
    """The most relevant sentence tells of the framework without settling whether it was
    adopted: a sentence sharing far fewer of the question's words settles nothing either;
    one sharing about as many keeps its own verdict."""
    zero = dict.fromkeys(SIGNALS, 0.0)
    event = Signals(**{**zero, "term_cover": 0.8, "unsettled": 1.0})
    near, far = Signals(**{**zero, "term_cover": 0.7}), Signals(**{**zero, "term_cover": 0.2})
    marked = premise_unsettled([event, near, far], [0.9, 0.6, 0.5])
    assert [s.unsettled for s in marked] == [1.0, 0.0, 1.0]
    settled = Signals(**{**zero, "term_cover": 0.8})
    assert premise_unsettled([settled, far], [0.9, 0.5])[1].unsettled == 0.0


def test_a_refusal_names_the_silent_speaker_without_a_second_possessive() -> None:
    """The small model may take "Uhuru Kenyatta's" for the name: the refusal says
    "Uhuru Kenyatta’s words", not "Uhuru Kenyatta's’s"."""
    frame = analyse("What is Uhuru Kenyatta's view of the rail deal?")
    failed = Signals(**{**dict.fromkeys(SIGNALS, 0.0), "speaker_silent": 1.0})
    speaker = Entity("Uhuru Kenyatta's", "PERSON", 8, 24)
    assert "give Uhuru Kenyatta’s words on" in explain(frame, failed, (), [], (), speaker)


def test_a_why_question_without_a_reason_is_refused_for_the_reason() -> None:
    """ "Why did Kenya hike tariffs?", its closest sentence giving no reason, lacks the
    reason, not the word "hike" the articles don't use (they say "raised")."""
    frame = analyse("Why did Kenya hike tariffs on Uganda?")
    zero = dict.fromkeys(SIGNALS, 0.0)
    reasonless = Signals(**{**zero, "reason_missing": 1.0, "unknown_terms": 0.4})
    text = explain(frame, reasonless, (), ["hike"])
    assert text.startswith("The articles don't say why")
    assert "never mention" not in text
    # no requirement failed but the word is foreign to the articles: then it is said
    foreign = Signals(**{**zero, "unknown_terms": 0.4})
    assert explain(frame, foreign, (), ["hike"]) == "The articles never mention hike."


@pytest.mark.slow
def test_a_comparison_with_a_named_thing_needs_its_measure(embed_model: Any) -> None:
    """ "How does the cost of growing tea in Kenya compare with that in Rwanda?" is not
    answered by a sentence comparing Kenya with Uganda, nor by one naming Rwanda for
    something else; the refusal says whose cost is missing. Asked of Uganda, it is."""
    paragraphs = (
        "Tea costs far less to grow in Kenya than in Uganda, growers say.",
        "As donors fund farms in Rwanda, it is wise to keep Kenya's tea estates in mind.",
    )
    scorer = EvidenceScorer(embed_model, paragraphs)
    found = as_passages(paragraphs)
    asked = "How does the cost of growing tea in Kenya compare with that in {}?"
    rwanda, _ = refused_then_answered(scorer, found, asked.format("Rwanda"), asked.format("Uganda"))
    assert rwanda.missing == "The articles don't give the cost for Rwanda to compare with."


def test_according_to_a_person_is_not_met_by_another_persons_quote(embed_model: Any) -> None:
    """ "According to X, …" follows X's account: a sentence the paragraph quotes as Y's
    words ("…,” said Otieno. “But…") doesn't answer for X; it answers for Y."""
    paragraphs = (
        "“Trade with Uganda is down this year,” said Amina Otieno, a Nairobi trade analyst. "
        "“But all the factors that made Kenya and Uganda partners are still there.”",
        "Joseph Mwangi, Kenya's ambassador to Tanzania, attended the signing in Arusha.",
    )
    scorer = EvidenceScorer(embed_model, paragraphs)
    found = as_passages(paragraphs)
    asked = "which factors have kept Kenya and Uganda partners?"
    refused_then_answered(
        scorer, found, f"According to Joseph Mwangi, {asked}", f"According to Amina Otieno, {asked}"
    )


def test_a_thing_counted_only_vaguely_is_not_named() -> None:
    """ "What reforms did Nairobi promise?" is not answered by "multiple reforms, and
    land reform": that names none. Names that follow ("including …") do answer it."""
    question = analyse("What reforms did Nairobi promise the lenders?")
    vague = "Nairobi promised the lenders multiple reforms, and it cut fuel subsidies."
    assert lone(question, vague).type_missing == 1.0
    named = "Nairobi promised the lenders several reforms, including land and tax reform."
    assert lone(question, named).type_missing == 0.0


def test_a_name_asked_is_not_given_by_a_count() -> None:
    """ "Which of Ruto's sons runs the firm?" is not answered by "Ruto's three sons and
    Odinga's two sons are listed among its founders": that counts them, it names none.
    Where a figure is asked, the number is the answer ("almost 800 Kenyans")."""
    sons = "Ruto’s three sons and Odinga’s two sons are listed among the firm’s founders."
    ruto = analyse("Which of Ruto's sons runs the firm day to day?")
    assert lone(ruto, sons, entities_of(parse(sons))).type_missing == 1.0
    many = "The exchange programs bring almost 800 Kenyans to the US every year."
    asked = analyse("Roughly how many Kenyans do the exchange programs bring each year?")
    assert lone(asked, many, entities_of(parse(many))).type_missing == 0.0


def test_a_thing_sent_to_another_place_is_another_event() -> None:
    """ "…contract to ship copper to China?" is not answered by a deal to deliver copper
    "to the United States", even where the paragraph names China elsewhere; the same deal
    sent to China does answer it, and "to Otieno's arrest" sends nothing anywhere."""
    question = analyse("Which firm did Kenya Railways contract to ship copper to China?")
    elsewhere = (
        "Kenya Railways signed a deal with Acme Metals to deliver copper to the United States."
    )
    china = "Kenya Railways signed a deal with Acme Metals to deliver copper to China."
    for sentence, swapped in ((elsewhere, 1.0), (china, 0.0)):
        told = lone(question, sentence, entities_of(parse(sentence)))
        assert told.owner_conflict == swapped
    reacted = analyse("How did Kenya react to Otieno's arrest in Nairobi?")
    sentence = "Kenya cut most aid to Uganda after the arrest."
    assert lone(reacted, sentence, entities_of(parse(sentence))).owner_conflict == 0.0


def test_the_doer_asked_about_must_be_in_the_paragraph() -> None:
    """ "What did John Kamau discuss when he met Museveni?" asks of Kamau's deed: a
    paragraph about Museveni that never names Kamau tells of others' deeds."""
    question = analyse("What did John Kamau discuss when he met Museveni?")
    assert question.agent is not None
    others = "The Kenyan president has developed a close relationship with Museveni."
    told = lone(question, others, required=question.entities)
    assert told.party_absent == 1.0
    assert WEIGHTS.probability(told) < WEIGHTS.probability(replace(told, party_absent=0.0))
    his = "John Kamau met Museveni in May and discussed the rail accord."
    assert lone(question, his, required=question.entities).party_absent == 0.0
    reason = explain(question, told, (), [])
    assert reason.startswith("The articles don't tell of John Kamau doing this")


def test_what_a_saying_is_asked_about_must_be_in_the_paragraph() -> None:
    """ "What did Otieno say about Uganda's strategy?" is not answered by Otieno on
    football in a paragraph that never names Uganda; Otieno on Uganda answers it."""
    question = analyse("What did historian John Kamau say about Uganda's trade strategy?")
    football = "As observed by John Kamau, a historian, Museveni is a keen football fan."
    told = lone(question, football, required=question.entities)
    assert told.party_absent == 1.0
    reason = explain(question, told, tuple(entities_of(parse(football))), [])
    assert reason.startswith("The articles don't give these words about Uganda")
    on_uganda = "John Kamau said Uganda's trade strategy leans on Kenyan ports."
    assert lone(question, on_uganda, required=question.entities).party_absent == 0.0


@pytest.mark.slow
def test_a_year_the_events_own_passage_denies_no_other_passage_answers(
    embed_model: Any,
) -> None:
    """ "What did Museveni say when he addressed parliament in 2018?": the passage that
    tells of his address dates it otherwise ("in early March" of this year), so another
    passage giving 2018 for other words of his does not answer for it. Asked without the
    year, the address answers."""
    paragraphs = (
        "“I thank the government of Kenya for catching this man,” Museveni said while "
        "addressing a joint session of parliament in early March.",
        "That gratitude marked a departure from Museveni’s first term, when in 2018 he "
        "accused Kenya's leaders of deceit before cutting most aid to Kenya.",
        "Kenya's exports to Uganda rose by a tenth in 2025.",  # the articles' latest year
    )
    scorer = EvidenceScorer(embed_model, paragraphs)
    read = as_passages(paragraphs, "b")
    dated = "What remarks about Kenya did Museveni make when he addressed parliament in 2018?"
    undated = "What remarks about Kenya did Museveni make when he addressed parliament?"
    refused_then_answered(scorer, read, dated, undated)


def test_a_figure_of_a_thing_the_passage_never_names_is_anothers() -> None:
    """ "What share of Rift Minerals does the Mwangi family own?" is not answered by the
    family's share of another firm; a paragraph whose "the firm" stands for Rift
    Minerals, named in the paragraph before, may answer it."""
    frame = analyse("What share of Rift Minerals does the Mwangi family own?")
    required = asked_names(frame, None)
    other = "Nairobi hired Lake Holdings, a firm in which the Mwangi family holds a 60% stake."
    assert lone(frame, other, required=required).owner_conflict == 1.0
    own = "The Mwangi family holds a 60% stake in the firm."
    named_before = "Rift Minerals was founded in Nairobi in 2001."
    assert lone(frame, own, required=required, before=named_before).owner_conflict == 0.0


def test_a_nationality_is_its_country_not_another_place() -> None:
    """ "…made mainly in Japan?": "the Japanese conglomerate" names Japan, so the
    sentence names no other country where Japan was asked about."""
    frame = analyse("Is the firm's equipment going to be made mainly in Japan?")
    sentence = "The Japanese conglomerate said it would make the equipment in Ohio."
    japanese = Entity("Japanese", "NORP", 4, 12)
    text = Text.of(sentence)
    assert not conflict(frame, text, [japanese], text)
    korean = "The Korean conglomerate said it would make the equipment in Ohio."
    other = Text.of(korean)
    assert conflict(frame, other, [Entity("Korean", "NORP", 4, 10)], other)
