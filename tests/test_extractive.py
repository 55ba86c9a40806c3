"""The extractive generator's choice of sentences (rag.generation.extractive), on sentences
built by hand: the lead first, then only sentences that bring more of the question."""

from __future__ import annotations

from dataclasses import replace

from rag.answerability import SIGNALS, Signals
from rag.generation.extractive import (
    ELSEWHERE_RATIO,
    ExtractiveGenerator,
    asks_across,
    asks_several,
)
from rag.scored import ScoredSentence
from rag.sides import sides
from rag.text import content_words

QUESTION = "Which crops and minerals does Kenya export to Tanzania?"
ASKED = content_words(QUESTION)


def sentence(text: str, source: int, score: float, fits: bool = True) -> ScoredSentence:
    return ScoredSentence(text, source, 0.5, 0.5, score, fits, rank=score)


LEAD = sentence("Kenya exports rice and tea to Tanzania under the new agreement.", 1, 0.9)


def chosen(*others: ScoredSentence) -> list[str]:
    generator = ExtractiveGenerator(max_sentences=4, keep_ratio=0.7)
    return [s.text for s in generator.select([LEAD, *others], ASKED)]


def test_the_lead_comes_first_and_a_weak_sentence_is_left_out() -> None:
    weak = sentence("Kenya also exports copper concentrate from the Kalam mine.", 1, 0.5)
    assert chosen(weak) == [LEAD.text]


def test_the_leads_own_paragraph_may_add_a_fact() -> None:
    same = sentence("Shipments travel by rail through the port of Mombasa every week.", 1, 0.8)
    assert chosen(same) == [LEAD.text, same.text]


def test_another_paragraph_must_bring_a_question_word_the_answer_lacks() -> None:
    similar = sentence("Officials in Tanzania welcomed Kenya's rice and tea exporters.", 2, 0.85)
    assert chosen(similar) == [LEAD.text]  # the same question words, another citation
    minerals = sentence("Kenya's copper minerals now go to Tanzania by rail as well.", 2, 0.8)
    assert chosen(minerals) == [LEAD.text, minerals.text]


def test_another_paragraph_may_bring_the_kind_of_answer_the_lead_lacks() -> None:
    vague = sentence("Kenya exports a great deal to Tanzania under the agreement.", 1, 0.9, False)
    valued = sentence("Rice leads the shipments from Kenya, followed by tea and maize.", 2, 0.8)
    generator = ExtractiveGenerator(max_sentences=4, keep_ratio=0.7)
    assert [s.text for s in generator.select([vague, valued], ASKED)] == [vague.text, valued.text]


def judged(text: str, start: int, score: float, **failed: float) -> ScoredSentence:
    signals = replace(Signals(*[0.0] * len(SIGNALS)), term_cover=0.5, **failed)
    return ScoredSentence(
        text, 1, 0.5, 0.5, score, True, start, start + len(text), signals, rank=score
    )


def test_the_next_sentence_joins_a_lead_that_lacks_the_reason_asked_for() -> None:
    lead = judged("Younus said Trump does not want another war.", 0, 0.9, reason_missing=1.0)
    because = judged("The war distracts his administration, he argued.", 46, 0.3)
    elsewhere = judged("Trump also praised the cease-fire in October.", 100, 0.3)
    generator = ExtractiveGenerator()
    assert generator.select([lead, elsewhere, because], ASKED) == [lead, because]
    # A lead that gives the reason itself needs no help.
    whole = judged("Trump wants calm because a war distracts him.", 0, 0.9)
    assert generator.select([whole, because], ASKED) == [whole]
    # Nor does a next sentence that lacks it too.
    vague = judged("He said so on Tuesday in Washington.", 46, 0.3, reason_missing=1.0)
    assert generator.select([lead, vague], ASKED) == [lead]


def test_a_lead_giving_the_one_value_asked_is_the_whole_answer() -> None:
    """ "In what year…": the sentence that gives the year answers; another sentence of
    its paragraph would add what was not asked. Several asked ("which countries") or no
    value in the lead: more may follow."""
    generator = ExtractiveGenerator(max_sentences=4, keep_ratio=0.7)
    lead = sentence("Kenya signed the agreement in 2021 in Arusha.", 1, 0.9)
    more = sentence("Shipments travel by rail through the port of Mombasa every week.", 1, 0.8)
    assert generator.select([lead, more], ASKED, "date") == [lead]
    assert generator.select([lead, more], ASKED) == [lead, more]
    undated = replace(lead, fits=False)
    assert generator.select([undated, more], ASKED, "date") == [undated, more]
    stream = "".join(
        d
        for d in generator.stream("Which countries did Kenya sign with in 2021?", [], [lead, more])
        if isinstance(d, str)
    )
    assert "Mombasa" in stream


def test_another_paragraph_must_be_nearly_as_likely_as_the_lead() -> None:
    """Its own paragraph's sentences follow the lead down to keep_ratio; another
    paragraph's only down to ELSEWHERE_RATIO, a second citation being the likelier wrong."""
    minerals = "Kenya's copper minerals now go to Tanzania by rail as well."
    assert chosen(sentence(minerals, 2, 0.9 * (ELSEWHERE_RATIO + 0.05))) == [LEAD.text, minerals]
    assert chosen(sentence(minerals, 2, 0.9 * (ELSEWHERE_RATIO - 0.05))) == [LEAD.text]
    assert chosen(sentence(minerals, 1, 0.9 * (ELSEWHERE_RATIO - 0.05))) == [LEAD.text, minerals]


def test_a_question_across_the_articles_takes_another_articles_sentence() -> None:
    """Asked what the articles say together, a sentence of an article not yet quoted
    follows the lead down to keep_ratio, even after a weaker one of the lead's article;
    another sentence of the lead's article still needs ELSEWHERE_RATIO."""
    generator = ExtractiveGenerator(max_sentences=4, keep_ratio=0.7)
    weak = sentence("Kenya's tea board met in Nairobi in June.", 3, 0.5)
    other = "Kenya's copper minerals now go to Tanzania by rail as well."
    later = sentence(other, 2, 0.9 * (ELSEWHERE_RATIO - 0.05))
    scored = [LEAD, weak, later]
    assert generator.select(scored, ASKED) == [LEAD]
    across = ["001", "002", "001"]  # each source's article: 2 is another article's
    assert generator.select(scored, ASKED, None, across) == [LEAD, later]
    assert generator.select(scored, ASKED, None, ["001", "001", "001"]) == [LEAD]


def test_asking_across_the_articles_is_read_from_the_question() -> None:
    assert asks_across("Across the coverage, which minerals does Kenya offer?")
    assert asks_across("What aid was cut, according to the articles?")
    assert not asks_across("What aid was cut, according to the Kenyan article?")


def test_a_lead_announcing_several_things_is_completed_by_the_sentences_naming_them() -> None:
    """Asked for several things, a lead naming none ("one of several areas") takes the
    sentences within LIST_REACH after it in its paragraph that name several; a lead
    naming them itself, or a question asking one thing, takes none."""
    lead = judged("Odhiambo, the Kenyan envoy, called trade one of several areas of work.", 0, 0.9)
    aside = judged("“The intent was always there, and now the content is,” he said.", 72, 0.3)
    items = judged("“We are working on tea, on rice, on power, and on schools.”", 140, 0.3)
    past = judged("“Ports, roads, rail, and pipelines come later,” he added.", 200, 0.3)
    generator = ExtractiveGenerator()
    scored = [lead, past, items, aside]
    assert generator.select(scored, ASKED, None, None, several=True) == [lead, aside, items]
    assert generator.select(scored, ASKED) == [lead]
    listing = judged("Odhiambo named trade, tea, and power as areas of work.", 0, 0.9)
    assert generator.select([listing, items], ASKED, None, None, several=True) == [listing]


def test_asking_for_several_things_is_read_from_the_question() -> None:
    assert asks_several("Which areas of cooperation did the Kenyan envoy list?")
    assert asks_several("Which two problems does Nairobi hope closer ties will ease?")
    assert not asks_several("Which area of cooperation did the envoy name first?")
    assert not asks_several("What was Kenya's tariff in 2018?")


def test_a_sentence_pointing_back_at_the_lead_is_quoted_with_it() -> None:
    """The sentence right after the lead that opens by pointing back at it ("This
    strengthens…") tells what the lead's fact does: it comes with the lead. One that
    doesn't point back, or isn't right after it, stays out."""
    lead = judged("Kenya brings 800 Ugandan students to Nairobi every year.", 0, 0.9)
    this = judged("This strengthens the ties between the two peoples.", 58, 0.3)
    generator = ExtractiveGenerator()
    assert generator.select([lead, this], ASKED) == [lead, this]
    other = judged("Uganda also sends nurses to Mombasa each spring.", 58, 0.3)
    assert generator.select([lead, other], ASKED) == [lead]
    later = judged("This strengthens the ties between the two peoples.", 120, 0.3)
    assert generator.select([lead, later], ASKED) == [lead]


def test_a_side_of_a_comparison_no_sentence_tells_gets_the_one_telling_it() -> None:
    """ "How did Ruto's dealings with Kenya differ from the way Museveni treated it?": the
    lead tells Ruto's side; the sentence telling Museveni's joins it, though it would not
    pass the gate or the followers' floor, if it says two of the side's own words and
    is at least half as likely as the lead. Off the side, or far less likely: left out."""
    question = "How did Ruto's dealings with Kenya differ from the way Museveni treated Kenya?"
    compared = sides(question)
    assert compared is not None
    asked = content_words(question)
    lead = sentence("Ruto's dealings with Kenya grew warm after the 2023 visit.", 1, 0.8)
    museveni = sentence("Museveni treated Kenya coldly, closing the border.", 2, 0.45)
    museveni = replace(museveni, score=0.3)  # under the gate's bar for the whole question
    generator = ExtractiveGenerator(max_sentences=4, keep_ratio=0.7, min_score=0.45)
    picked = generator.select([lead, museveni], asked, sides=compared)
    assert [s.text for s in picked] == [lead.text, museveni.text]
    assert generator.select([lead, museveni], asked) == [lead]  # no sides, no addition
    unlikely = replace(museveni, rank=0.3)
    assert generator.select([lead, unlikely], asked, sides=compared) == [lead]
    # Museveni, but nothing of Kenya, which both sides are about
    elsewhere = replace(sentence("Museveni treated Tanzania coldly.", 2, 0.7), score=0.3)
    assert generator.select([lead, elsewhere], asked, sides=compared) == [lead]


def test_a_side_told_without_its_figure_gets_the_sentence_giving_it() -> None:
    """ "How does the tariff on Uganda compare to the tariff on Kenya?": with Kenya's side
    given as a figure ("from 29% to 19%"), Uganda's is given as one too where a sentence
    has it ("…raising them to 50 percent"), though that side has only one word of its own
    and a sentence without a figure already tells it."""
    question = "How does the tariff on Uganda compare to the tariff on Kenya now?"
    compared = sides(question)
    assert compared is not None
    asked = content_words(question)
    uganda = sentence("Uganda's refusal to lower tariffs has strained its ties.", 1, 0.9)
    kenya = sentence("Kenya's trade deal lowered tariffs from 29% to 19% on its goods.", 1, 0.85)
    figure = replace(
        sentence("Nairobi hit Uganda with tariffs, raising them to 50 percent.", 2, 0.7), score=0.3
    )
    generator = ExtractiveGenerator(max_sentences=4, keep_ratio=0.9, min_score=0.45)
    picked = generator.select([uganda, kenya, figure], asked, sides=compared)
    assert figure in picked
    no_figures = replace(kenya, text="Kenya's trade deal lowered its tariffs on Kenyan goods.")
    assert figure not in generator.select([uganda, no_figures, figure], asked, sides=compared)
