"""The public API contract: `ask`, `ask_stream`, `retrieve` over the real index."""

from __future__ import annotations

import pytest

import rag
from rag.answers import unanswered_parts
from rag.api import Pipeline
from rag.citations import parse_markers
from rag.missing import VAGUE
from rag.schema import Answer, Citation, Passage

pytestmark = pytest.mark.slow


def test_public_names_are_importable() -> None:
    assert callable(rag.ask)
    assert callable(rag.retrieve)
    assert callable(rag.ask_stream)


def test_ui_and_eval_import_only_the_documented_public_api() -> None:
    """What ui/ and eval/ import from rag is `rag` itself or a submodule that rag's
    docstring lists under "Public API"."""
    import ast
    import re
    from pathlib import Path

    assert rag.__doc__
    documented = {"rag", *re.findall(r"`(rag\.\w+)`", rag.__doc__.split("Public API")[1])}
    root = Path(rag.__file__).resolve().parents[1]
    used: dict[str, str] = {}
    for path in [*root.glob("ui/**/*.py"), *root.glob("eval/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] == "rag":
                    used.setdefault(name, path.name)
    assert {m: f for m, f in used.items() if m not in documented} == {}


def test_ask_answers_with_markers_resolving_to_article_and_paragraph(
    seeded_pipeline: Pipeline,
) -> None:
    answer = seeded_pipeline.ask("By how much were tariffs on Pakistani goods lowered?")
    assert isinstance(answer, Answer)
    assert answer.supported
    assert "19%" in answer.text
    assert all(isinstance(c, Citation) for c in answer.citations)
    assert [c.marker for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert set(parse_markers(answer.text)) == {c.marker for c in answer.citations}
    first = answer.citations[0]
    assert (first.article_id, first.paragraph, first.kind) == ("001", 6, "body")
    assert "29% to 19%" in first.text
    assert first.quote in first.text
    assert answer.generator == "extractive"
    assert answer.unsupported_sentences == []


def test_extractive_answer_reads_as_an_answer(seeded_pipeline: Pipeline) -> None:
    answer = seeded_pipeline.ask("Who was named Pakistan's minister for crypto and blockchain?")
    assert answer.supported
    assert "Bilal Bin Saqib" in answer.text.split("[")[0]
    sentences = [s for s in answer.text.split("]") if s.strip(" .")]
    assert 1 <= len(sentences) <= 4
    assert len(set(sentences)) == len(sentences)


def test_a_compound_question_answers_its_parts_and_names_the_one_the_articles_lack(
    seeded_pipeline: Pipeline,
) -> None:
    question = "Who chairs the Pakistan Crypto Council, and how many members sit on it?"
    answer = seeded_pipeline.ask(question)
    assert answer.supported
    assert "finance minister" in answer.text
    assert unanswered_parts(answer.text) == ["How many members sit on it?"]
    assert answer.unsupported_sentences == []  # the note claims nothing of the articles


@pytest.mark.parametrize("question", ["What, and why?", "Tell me more.", "Which article doesn't?"])
def test_a_question_that_names_nothing_is_refused_with_what_to_do(
    seeded_pipeline: Pipeline, question: str
) -> None:
    answer = seeded_pipeline.ask(question)
    assert answer.supported is False
    assert answer.reason == VAGUE


def test_a_name_spelled_otherwise_is_read_as_the_articles_spell_it(
    seeded_pipeline: Pipeline,
) -> None:
    answer = seeded_pipeline.ask("What did Shahbaz Sharif tell Trump in Egypt?")
    assert answer.supported
    assert answer.question == "What did Shehbaz Sharif tell Trump in Egypt?"
    assert answer.notes[0] == "read “Shahbaz” as “Shehbaz”, as the articles spell it"
    assert "Egypt" in answer.text


def test_a_compound_question_the_catalog_answers_in_part_gets_the_rest_from_the_text(
    seeded_pipeline: Pipeline,
) -> None:
    both = seeded_pipeline.ask(
        "Who wrote the research note, and what does she say about Fulbright?"
    )
    assert both.supported
    assert "Nawal Nawaz" in both.text
    assert "Fulbright" in both.text
    assert {(c.article_id, c.kind) for c in both.citations} == {("003", "note"), ("003", "body")}
    # The catalog can't say who wrote the explainer; the text says what it says of CPEC.
    half = seeded_pipeline.ask("Who wrote the explainer, and what does it say about CPEC?")
    assert half.supported
    assert unanswered_parts(half.text) == ["Who wrote the explainer?"]
    assert "CPEC" in half.text
    assert [c.article_id for c in half.citations] == ["002"]
    # Two asks of the catalog: each answered, or its lack said.
    each = seeded_pipeline.ask("Who wrote the Foreign Policy piece and which magazine ran it?")
    assert each.supported
    assert "no byline" in each.text
    assert "published by Foreign Policy [1]" in each.text
    neither = seeded_pipeline.ask("Which outlet published the Dar article and who wrote it?")
    assert not neither.supported
    assert "which outlet published" in neither.reason
    assert "name the author" in neither.reason
    # Both parts answered by the author note: one paragraph, one marker.
    where = seeded_pipeline.ask("Who wrote the research note, and where does she work?")
    assert "Research Assistant" in where.text
    assert [(c.marker, c.kind) for c in where.citations] == [(1, "note")]


def test_which_articles_mention_it_quotes_each_article_once(seeded_pipeline: Pipeline) -> None:
    answer = seeded_pipeline.ask("Which of the articles bring up Ukraine, and in what connection?")
    assert answer.supported
    assert answer.text.startswith("3 of the 5 articles mention “Ukraine”.")
    assert sorted({c.article_id for c in answer.citations}) == ["000", "003", "004"]
    quoted = [(c.article_id, c.paragraph) for c in answer.citations]
    assert len(quoted) == len(set(quoted))  # the later part adds no second quote of one


def test_a_compound_question_is_not_refused_for_its_other_half(
    seeded_pipeline: Pipeline,
) -> None:
    # The whole question's passages lack the paragraph naming the ambassador; the first
    # part's own search finds it.
    question = "Who is Pakistan's ambassador to the US, and what did he say about the cease-fire?"
    answer = seeded_pipeline.ask(question)
    assert answer.supported
    assert "Rizwan Saeed Sheikh" in answer.text
    assert "salutary" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 1992 cricket world cup?",
        "What is the boiling point of water at sea level?",
        "What is the population of Karachi?",
    ],
)
def test_refuses_what_the_articles_do_not_say(seeded_pipeline: Pipeline, question: str) -> None:
    answer = seeded_pipeline.ask(question)
    assert answer.supported is False
    assert answer.reason.startswith("The articles")  # says what is missing
    assert answer.text.startswith(answer.reason)
    assert len(answer.citations) <= 1  # at most the closest passage, cited
    assert set(parse_markers(answer.text)) == {c.marker for c in answer.citations}
    assert answer.passages, "the closest passages are still offered"


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        # the right topic, an attribute the articles don't give
        ("How many Pakistani soldiers died in the May conflict with India?", "a number"),
        # something the articles never mention
        ("What role did the Asian Development Bank play in Reko Diq?", "never mention"),
        # another year than the one the articles give
        pytest.param("Which Kashmir ceasefire did Pakistan help mediate in 2019?", "2019"),
        # a different deal's "$500 million" is not the trade deal's value
        ("What was the dollar value of the US-Pakistan trade deal?", "sum of money for"),
        # an attribute the articles give to another country ("the US ambassador to India")
        ("Who is India's ambassador to the United States?", "India"),
    ],
)
def test_near_misses_are_refused_with_what_is_missing(
    seeded_pipeline: Pipeline, question: str, missing: str
) -> None:
    answer = seeded_pipeline.ask(question)
    assert not answer.supported
    assert missing in answer.reason
    if "trade deal" in question:  # the thing whose sum is missing is named too
        assert "trade deal" in answer.reason


def test_metadata_questions_answer_from_the_catalog(seeded_pipeline: Pipeline) -> None:
    wrote = seeded_pipeline.ask("Who wrote the CISS article?")
    assert wrote.supported
    assert wrote.text.startswith("“Pak-US relations")
    assert "Nawal Nawaz" in wrote.text
    assert (wrote.citations[0].article_id, wrote.citations[0].kind) == ("003", "note")
    unknown = seeded_pipeline.ask("Who wrote the strategic realism piece?")
    assert not unknown.supported
    assert "don't name the author" in unknown.reason


def test_ask_stream_yields_deltas_then_the_answer(seeded_pipeline: Pipeline) -> None:
    events = list(seeded_pipeline.ask_stream("What is Reko Diq?"))
    *deltas, final = events
    assert isinstance(final, Answer)
    assert final.supported
    assert deltas
    assert all(isinstance(d, str) for d in deltas)
    assert parse_markers("".join(deltas)) == parse_markers(final.text)


def test_retrieve_returns_passages_best_first(seeded_pipeline: Pipeline) -> None:
    passages = seeded_pipeline.retrieve("Pakistan Crypto Council", k=4)
    assert len(passages) == 4
    assert all(isinstance(p, Passage) for p in passages)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    assert passages[0].article_id == "004"


def test_restrict_to_articles(seeded_pipeline: Pipeline) -> None:
    passages = seeded_pipeline.retrieve("critical minerals", k=5, articles=["003"])
    assert passages
    assert {p.article_id for p in passages} == {"003"}
    answer = seeded_pipeline.ask("critical minerals", articles=["003"])
    assert {c.article_id for c in answer.citations} <= {"003"}
    with pytest.raises(ValueError, match="unknown article"):
        seeded_pipeline.retrieve("minerals", articles=["999"])


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_each_retrieval_mode_finds_the_tariff_paragraph(
    seeded_pipeline: Pipeline, mode: str
) -> None:
    passages = seeded_pipeline.retrieve("tariffs lowered from 29% to 19%", k=5, mode=mode)
    assert ("001", "body", 6) in [p.key for p in passages]


def test_a_photo_question_reaches_the_captions(seeded_pipeline: Pipeline) -> None:
    """Captions rank below body text, except for a question about a photo."""
    question = "On what date were Sharif and Munir photographed with Trump in the Oval Office?"
    passages = seeded_pipeline.retrieve(question, k=5)
    assert "caption" in [p.kind for p in passages]
    answer = seeded_pipeline.ask(question)
    assert "Sept. 25" in answer.text


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 5000, None])
def test_bad_questions_raise_clear_value_errors(seeded_pipeline: Pipeline, question) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"empty|limit|text"):
        seeded_pipeline.ask(question)


def test_first_use_builds_the_index(make_settings, make_pipeline) -> None:  # type: ignore[no-untyped-def]
    pipeline = make_pipeline(make_settings())
    answer = pipeline.ask("What is the Pakistan Crypto Council?")
    assert answer.supported
    assert answer.citations


def test_module_level_ask_uses_given_settings(make_settings, embed_model) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings()
    rag.get_pipeline(settings, embed_model=embed_model)  # ask/retrieve find this same one
    answer = rag.ask("Which program brings Pakistanis to the US every year?", settings=settings)
    assert answer.supported
    assert any(c.article_id == "003" for c in answer.citations)
    assert rag.retrieve("Fulbright", k=1, settings=settings)[0].article_id == "003"


def test_articles_are_the_indexed_ones_whole_and_in_order(seeded_pipeline: Pipeline) -> None:
    from dataclasses import replace

    from rag.corpus import load_corpus

    def shown(article):  # type: ignore[no-untyped-def]  # what the reader shows of it
        return replace(article, source="", content_hash="", metadata={})

    articles = seeded_pipeline.articles()
    seeds = load_corpus(seeded_pipeline.settings.seeds_dir)
    assert [a.id for a in articles] == list(seeded_pipeline.article_titles)
    assert [shown(a) for a in articles] == [shown(a) for a in seeds]  # parts joined, in order


def test_articles_come_from_the_index_not_the_seeds_folder(  # type: ignore[no-untyped-def]
    make_settings, make_pipeline, seeds_copy
) -> None:
    pipeline = make_pipeline(make_settings(seeds_dir=seeds_copy))
    pipeline.ingest()
    indexed = pipeline.articles()
    seed = seeds_copy / "003_35903c4ade33ce09.txt"
    seed.write_text(seed.read_text() + "\n\nA paragraph added after the ingest.\n")
    (seeds_copy / "zz_notes.txt").write_text("")  # an ingest would reject it
    assert pipeline.articles() == indexed  # not re-read from the folder
    assert [a.id for a in indexed] == ["000", "001", "002", "003", "004"]
    problems = pipeline.seed_problems()
    assert len(problems) == 1
    assert "zz_notes.txt: the file is empty" in problems[0]


def test_curly_and_straight_apostrophes_read_alike(seeded_pipeline: Pipeline) -> None:
    """A phone types "didn’t" and "Pakistan’s"; a keyboard "didn't": the same question."""
    straight = "What came of the follow-up meetings with US commerce officials after Dar's visit?"
    curly = straight.replace("'", "’")
    assert seeded_pipeline.ask(curly).text == seeded_pipeline.ask(straight).text
