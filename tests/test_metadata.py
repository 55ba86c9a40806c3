"""Questions about the articles themselves (rag.metadata), on hand-built catalog cards
and paragraphs: which article a question means, and answers (or honest refusals) for
its author, outlet, title and publication date."""

from __future__ import annotations

import pytest

from rag.evidence import idf_table
from rag.metadata import ArticleCard, MetadataAnswer, MetadataAsk, answer_metadata, pick_article
from rag.schema import HEADER_KIND, Passage

CARDS = {
    "a1": ArticleCard(
        "a1", "Strategic Realism in East Africa", author="Sara Njeri", outlet="Foreign Policy"
    ),
    "a2": ArticleCard("a2", "Rice, rails and tariffs", title_assigned=True),
    "a3": ArticleCard("a3", "The Copper Boom", author="Daniel Okafor", outlet="The Continent"),
}
PARAGRAPHS = [
    Passage(
        "a1",
        CARDS["a1"].title,
        1,
        "Kenya and Tanzania balance power along the coast. "
        "Foreign Policy readers will know the port rivalry well.",
        0.0,
    ),
    Passage("a1", CARDS["a1"].title, 2, "Nairobi hedges between its two larger partners.", 0.0),
    Passage(
        "a1",
        CARDS["a1"].title,
        1,
        "Sara Njeri is a Research Fellow at the Centre for "
        "International Strategic Studies (CISS), Nairobi.",
        0.0,
        kind="note",
    ),
    Passage(
        "a2",
        CARDS["a2"].title,
        1,
        "Rail freight between Mombasa and Dar es Salaam "
        "resumed after the trade agreement cut rice tariffs.",
        0.0,
    ),
    Passage("a2", CARDS["a2"].title, 2, "Traders expect rice and copper shipments to double.", 0.0),
    Passage(
        "a3",
        CARDS["a3"].title,
        1,
        "The Kalam copper mine is operated by Rift Minerals; "
        "copper prices rose as the mine expanded.",
        0.0,
    ),
]
IDF = idf_table(p.text for p in PARAGRAPHS)


def retrieved(*articles: str) -> list[Passage]:
    """Retrieved passages, best first: the first body paragraph of each article."""
    first = {p.article_id: p for p in reversed(PARAGRAPHS) if p.kind == "body"}
    return [first[a] for a in articles]


def ask(kind: MetadataAsk, question: str, *articles: str) -> MetadataAnswer:
    found = answer_metadata(kind, question, CARDS, retrieved(*articles), PARAGRAPHS, IDF)
    assert found is not None
    return found


def test_pick_by_a_word_only_the_note_holds() -> None:
    # "CISS" is only in a1's author note; retrieval ranked a2 and a3 above it.
    card = pick_article(
        "Who wrote the CISS article?", CARDS, retrieved("a2", "a3", "a1"), PARAGRAPHS, IDF
    )
    assert card is CARDS["a1"]


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("Which outlet published the copper boom piece?", "a3"),
        ("Who wrote the strategic realism article?", "a1"),
        ("Who wrote the Njeri piece?", "a1"),
        ("What is the title of the article about rice tariffs?", "a2"),
    ],
)
def test_pick_by_header_and_text_words(question: str, article: str) -> None:
    order = [a for a in ("a2", "a3", "a1") if a != article] + [article]  # the pick is last
    assert pick_article(question, CARDS, retrieved(*order), PARAGRAPHS, IDF) is CARDS[article]


def test_header_words_outweigh_body_words() -> None:
    # "Mombasa" (rare) is only in a2's text; "copper" (commoner) is in a2's text too, but
    # also in a3's title, which counts HEADER_WEIGHT times.
    question = "Who wrote the Mombasa copper piece?"
    card = pick_article(question, CARDS, retrieved("a2", "a3"), PARAGRAPHS, IDF)
    assert IDF["mombasa"] > IDF["copper"]
    assert card is CARDS["a3"]


def test_no_describing_words_falls_back_to_the_best_passage() -> None:
    question = "Who wrote the article?"
    assert pick_article(question, CARDS, retrieved("a3", "a1"), PARAGRAPHS, IDF) is CARDS["a3"]
    assert (
        pick_article("Who wrote the zeppelin piece?", CARDS, retrieved("a2"), PARAGRAPHS, IDF)
        is CARDS["a2"]
    )
    assert pick_article(question, CARDS, [], PARAGRAPHS, IDF) is None


def test_author_cites_the_note_naming_them() -> None:
    answer = ask("author", "Who wrote the CISS article?", "a2", "a1")
    assert answer.supported
    assert "Sara Njeri" in answer.text
    assert "[1]" in answer.text
    (source,) = answer.sources
    assert (source.article_id, source.kind) == ("a1", "note")
    assert "Sara Njeri" in source.text


def test_author_without_a_note_cites_the_header() -> None:
    answer = ask("author", "Who wrote the copper boom piece?", "a3")
    assert answer.supported
    assert "Daniel Okafor" in answer.text
    assert answer.sources[0].kind == HEADER_KIND
    assert "By Daniel Okafor" in answer.sources[0].text


def test_author_absent_is_refused() -> None:
    answer = ask("author", "Who wrote the article on rice tariffs?", "a1", "a2")
    assert not answer.supported
    assert answer.text == ""
    assert "don't name the author" in answer.reason
    assert "a2" in answer.reason
    assert answer.sources[0].article_id == "a2"


def test_assigned_title_is_refused_and_own_title_answered() -> None:
    refused = ask("title", "What is the title of the article about rice tariffs?", "a2")
    assert not refused.supported
    assert "no title of its own" in refused.reason
    assert "Rice, rails and tariffs" in refused.reason
    answered = ask("title", "What is the title of the copper boom article?", "a3")
    assert answered.supported
    assert "The Copper Boom" in answered.text
    assert answered.sources[0].kind == HEADER_KIND


def test_outlet_cites_the_paragraph_naming_it() -> None:
    answer = ask("outlet", "Which outlet published the strategic realism article?", "a1")
    assert answer.supported
    assert "Foreign Policy" in answer.text
    assert (answer.sources[0].article_id, answer.sources[0].paragraph) == ("a1", 1)
    assert answer.sources[0].kind == "body"


def test_outlet_absent_is_refused() -> None:
    answer = ask("outlet", "Which outlet published the article about rice tariffs?", "a2")
    assert not answer.supported
    assert "don't say which outlet" in answer.reason


@pytest.mark.parametrize("article", ["a1", "a2", "a3"])
def test_publication_date_is_never_supported(article: str) -> None:
    title = CARDS[article].title
    answer = ask("date", f"When was the {title} article published?", article)
    assert not answer.supported
    assert "don't say when" in answer.reason
    assert answer.sources[0].kind == HEADER_KIND


def test_which_article_is_left_to_the_evidence_gate() -> None:
    question = "Which article discusses rice tariffs?"
    assert (
        answer_metadata("which_article", question, CARDS, retrieved("a2"), PARAGRAPHS, IDF) is None
    )


def test_header_lists_title_byline_and_outlet() -> None:
    header = CARDS["a1"].header()
    assert header.text.splitlines() == [CARDS["a1"].title, "By Sara Njeri", "Foreign Policy"]
    assert (header.kind, header.paragraph) == (HEADER_KIND, 0)
    assert CARDS["a2"].header().text == "Rice, rails and tariffs"
