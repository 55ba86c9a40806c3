"""Which article a question names (rag.sources), on invented catalog cards (not the seeds),
and what naming one does to the gate: a sentence from another article may not answer
"according to the explainer…"."""

from __future__ import annotations

from typing import Any

import pytest

from rag.answers import refusal_answer
from rag.config import Settings
from rag.evidence import EvidenceScorer
from rag.focus import without_source
from rag.metadata import ArticleCard
from rag.missing import told_elsewhere
from rag.nlp import parse
from rag.question import analyse
from rag.schema import Passage
from rag.sources import Sources

CARDS = (
    ArticleCard("a1", "Kenya's rice trade pivot: Ruto's visit to Arusha", genre="op-ed"),
    ArticleCard("a2", "Why Kenya is courting Tanzania", genre="explainer"),
    ArticleCard("a3", "Rail freight in East Africa", author="Amina Odhiambo"),
    ArticleCard(
        "a4", "How Kenya won the copper contest", outlet="East African Review", genre="feature"
    ),
    ArticleCard("a5", "Port notes", author="Grace Will", genre="note"),
    ArticleCard("a6", "Strategic patience and the rail plan", genre="op-ed"),
)


@pytest.fixture(scope="module")
def sources() -> Sources:
    return Sources(CARDS)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What does the explainer say about tariffs?", {"a2"}),
        ("Why, according to the explainer's closing section, does trade matter?", {"a2"}),
        ("What does Odhiambo say about freight?", {"a3"}),
        ("What could slow the railway, per Amina Odhiambo?", {"a3"}),
        ("How does the East African Review describe the mine?", {"a4"}),
        ("What does the Ruto article say about rice?", {"a1"}),
        ("According to the piece on Ruto's visit, what changed?", {"a1"}),
        ("Do the explainer and the op-ed agree on rice?", {"a1", "a2", "a6"}),
        # A title narrows a genre two articles share to the one it describes.
        ("In the op-ed about Ruto's visit, what changed?", {"a1"}),
        ("What does the op-ed on strategic patience say about rail?", {"a6"}),
        # A comma ends the reference: "who" opens the question, not a relative clause.
        ("According to the explainer, who leads the talks?", {"a2"}),
        ("In the feature, which company won?", {"a4"}),
        # An id as answers cite the article: "(a2)", "article a3".
        ("How do the explainer (a2) and the op-ed (a6) differ on rail?", {"a2", "a6"}),
        ("What does article a3 say about rail?", {"a3"}),
        ("What did Kenya pay (a7)?", set()),  # no such article
        ("(a2) what does it say about rail?", {"a2"}),  # the id first
        # A name between "the" and the genre: the author's institute, say.
        ("What does the EAR explainer say about rail?", {"a2"}),
        ("Is the Kenya explainer right about rail?", {"a2"}),
        # Not a source: the name is longer, lowercase, or the genre word means something else.
        ("What did Odhiambo Mwangi sign?", set()),
        ("What is a key feature of the trade deal?", set()),
        ("What is the main feature of the railway?", set()),
        ("Is the note that Kenya sent public?", set()),
        ("Who wrote the note who Kenya quoted?", set()),
        ("Will the railway carry copper?", set()),  # a first word, not the author Will
        ("How did the railway change rice trade?", set()),
        ("What is the copper contest?", set()),  # a title word, but no word for an article
        ("What does the Ruto Daily piece say?", set()),  # a name that only starts as a title
        # A possessive ends the author's name: "Amina Odhiambo's EAR note" names her.
        ("According to Amina Odhiambo's EAR note, what slowed rail?", {"a3"}),
        # A quoted title names its article.
        ("In 'Why Kenya is courting Tanzania', what is said of rail?", {"a2"}),
        ("What does “Rail freight in East Africa” say?", {"a3"}),
        ("Did Ruto call it a 'rice trade pivot'?", set()),  # a quote, but not of a title
        # An outlet typed in lower case, before a word for an article or an outlet
        ("what does the east african review article say about rail?", {"a4"}),
        ("what does the east african review magazine say?", {"a4"}),
        ("Is an east african review of rail due?", set()),  # the common phrase
    ],
)
def test_find_names_the_article(sources: Sources, question: str, named: set[str]) -> None:
    assert sources.find(question).articles == named


def test_title_words_shared_by_two_titles_name_neither() -> None:
    shared = Sources(
        (ArticleCard("b1", "Kenya trade report"), ArticleCard("b2", "Kenya rail report"))
    )
    assert shared.find("What does the Kenya article say?").articles == frozenset()
    assert shared.find("What does the rail article say?").articles == {"b2"}


def test_without_source_drops_only_the_naming_words(sources: Sources) -> None:
    question = "What could slow the railway, per Amina Odhiambo?"
    frame = analyse(question)
    assert any(e.text == "Amina Odhiambo" for e in frame.entities)
    stripped = without_source(frame, sources.find(question), parse(question))
    assert not any("Odhiambo" in e.text for e in stripped.entities)
    assert "per" not in stripped.terms
    assert "odhiambo" not in stripped.terms
    assert {"slow", "railway"} <= set(stripped.terms)
    # an article's id names it: no figure the question asks about
    cited = "What does the explainer (002) say about rail tariffs in 2021?"
    ids = Sources([*CARDS, ArticleCard("002", "Rail tariffs explained", genre="explainer")])
    frame = analyse(cited)
    assert any(v.text == "002" for v in frame.values)
    kept = without_source(frame, ids.find(cited), parse(cited)).values
    assert [v.text for v in kept] == ["2021"]


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("What does Odhiambo say about freight?", False),
        ("How does the East African Review describe the mine?", False),
        ("What is Amina Odhiambo's job?", True),  # asked about, not asked for an account
        ("Which railway did Amina Odhiambo visit?", True),
        ("Amina Odhiambo works where?", True),  # her own life, not her article's account
        ("Amina Odhiambo serves where?", True),  # in any form of the verb
    ],
)
def test_a_name_is_dropped_only_when_it_gives_the_account(
    sources: Sources, question: str, kept: bool
) -> None:
    ref = sources.find(question)
    assert ref.articles
    stripped = without_source(analyse(question), ref, parse(question))
    names = " ".join(e.text for e in stripped.entities)
    assert any(n in names for n in ("Odhiambo", "East African Review")) is kept


PARAGRAPHS = {
    "a2": "Kenya courts Tanzania because it needs cheaper food imports for its cities.",
    "a3": "Kenya courts Tanzania to win a share of the Dar es Salaam port traffic.",
}


def passages(*articles: str) -> list[Passage]:
    return [Passage(a, a, 1, PARAGRAPHS[a], 0.5) for a in articles]


@pytest.mark.slow
def test_the_gate_answers_from_the_named_article_only(embed_model: Any) -> None:
    scorer = EvidenceScorer(embed_model, list(PARAGRAPHS.values()), sources=Sources(CARDS))
    floor = Settings(_env_file=None).min_support  # type: ignore[call-arg]
    asked = "Why does Kenya court Tanzania, according to the explainer?"
    both = scorer.assess(asked, passages("a3", "a2"))
    assert both.best is not None
    assert "food imports" in both.best.text
    assert both.support >= floor
    # The explainer's paragraph missing, the other article's reason does not answer.
    elsewhere = scorer.assess(asked, passages("a3"))
    assert elsewhere.support < floor
    assert elsewhere.scored[0].signals is not None
    assert elsewhere.scored[0].signals.source_mismatch == 1.0
    assert elsewhere.missing.startswith("The article the question names doesn't say")
    # Unnamed, the same sentence answers.
    plain = scorer.assess("Why does Kenya court Tanzania?", passages("a3"))
    assert plain.support >= floor
    # So the refusal says which article does say it, and quotes that one.
    assert elsewhere.elsewhere is not None
    assert elsewhere.elsewhere[1] >= floor
    refused = refusal_answer(asked, passages("a3"), "extractive", 0.0, elsewhere, floor)
    assert refused.reason == told_elsewhere("a3")
    assert "Dar es Salaam port traffic" in refused.text
    assert [c.article_id for c in refused.citations] == ["a3"]


@pytest.mark.slow
def test_retrieval_ranks_the_named_article_first_and_keeps_its_score(
    seeded_pipeline: Any,
) -> None:
    """On the seeds, whose catalog calls 002 the explainer. The boost orders passages; the
    score the gate reads stays the fused one (at most 1), not the boosted one."""
    named = seeded_pipeline.retrieve("What does the explainer say about the Afghan withdrawal?")
    assert named[0].article_id == "002"
    assert all(p.score <= 1.0 for p in named)  # boosted 2x, the first would pass 1


def test_an_article_named_by_a_name_no_article_has_is_never_mentioned() -> None:
    from rag.answerability import Text
    from rag.evidence import idf_table
    from rag.vocabulary import unknown_signals

    corpus = ["Kenya exports rice to Tanzania by rail.", "The port of Mombasa is busy."]
    frame = analyse("What does the Reuters article say about rice exports?")
    assert [e.text for e in frame.sources] == ["Reuters"]
    unknown, _, never = unknown_signals(frame, Text.of(" ".join(corpus)), idf_table(corpus))
    assert unknown == 1.0
    assert never == ["Reuters"]  # once, not again as the word "reuters"


@pytest.mark.slow
def test_the_named_article_must_mention_what_the_question_names(embed_model: Any) -> None:
    sources = Sources(CARDS, texts=PARAGRAPHS)
    scorer = EvidenceScorer(embed_model, list(PARAGRAPHS.values()), sources=sources)
    floor = Settings(_env_file=None).min_support  # type: ignore[call-arg]
    # Only the other article mentions Dar es Salaam: the explainer says nothing of it.
    absent = scorer.assess("What does the explainer say about Dar es Salaam?", passages("a3", "a2"))
    assert absent.support < floor
    assert absent.missing == "The article the question names never mentions Dar es Salaam."
    told = scorer.assess("What does the explainer say about Kenya's food imports?", passages("a2"))
    assert told.support >= floor


@pytest.mark.slow
def test_an_articles_own_outlet_is_no_firm_asked_for(embed_model: Any) -> None:
    """The feature's outlet (the East African Review, "EAR") hired no one: "Which PR firm
    arranged EAR's interview?" is not answered by the sentence naming EAR. A question
    asking for an outlet may still be answered by it."""
    text = (
        "(Kenya has also hired several PR firms, one of which helped arrange EAR’s "
        "interview with the country’s ambassador.)"
    )
    scorer = EvidenceScorer(embed_model, [text], sources=Sources(CARDS))
    found = [Passage("a4", "a4", 1, text, 0.5)]
    firm = scorer.assess("Which PR firm arranged EAR's interview with the ambassador?", found)
    assert firm.support < Settings(_env_file=None).min_support  # type: ignore[call-arg]
    outlet = scorer.assess("Which outlet interviewed Kenya's ambassador?", found)
    assert outlet.scored[0].fits


def test_a_quoted_title_is_no_part_of_what_is_asked(sources: Sources) -> None:
    """ "the explainer 'Why Kenya is courting Tanzania'" names the article: its "Why" asks
    nothing, so the question is read with the title blanked (its offsets kept)."""
    question = (
        "According to the explainer 'Why Kenya is courting Tanzania', how far did tariffs fall?"
    )
    ref = sources.find(question)
    read = ref.unquoted(question)
    assert "Why" not in read
    assert len(read) == len(question)
    assert read.endswith("how far did tariffs fall?")
    assert analyse(read).answer_type != "reason"
