"""Compare the articles: per-article cited sentences, silent articles named, where they
differ; the chat's detector and per-article layout; the `rag compare/timeline/entities`
commands."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.aliases import dash_pairs
from rag.api import Pipeline
from rag.cli import cli
from rag.comparison import MIN_TOPIC_COVER, Topic, _pair, bears_on, compare_articles, pick, topic_of
from rag.comparison_chat import (
    articles_compared,
    chat_stream,
    comparison_answer,
    is_comparison_question,
)
from rag.config import Settings
from rag.contrast import describe_differences, join_ids
from rag.corpus import CATALOG_NAME
from rag.findings import ArticleFindings, CitedSentence, Comparison, Ref
from rag.names import place_key
from rag.nlp import Entity
from rag.schema import Answer
from rag.scored import ScoredSentence

CEASEFIRE = "Who brokered the May India–Pakistan cease-fire?"
CEASEFIRE_HYPHEN = "Who brokered the May India-Pakistan cease-fire?"  # as typed: a hyphen


# --- the chat's detector and the topic --------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What do the articles say about critical minerals?", True),
        ("Do the articles agree on who brokered the cease-fire?", True),
        ("How do the sources differ on Trump?", True),
        ("Compare the articles on crypto", True),
        ("What do the five articles say about Asim Munir?", True),
        ("Who brokered the May India–Pakistan cease-fire?", False),
        ("Which article says tariffs were lowered?", False),
        ("What does the Foreign Policy article say about crypto?", False),
    ],
)
def test_comparison_questions_are_detected(question: str, expected: bool) -> None:
    assert is_comparison_question(question) is expected


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What do the articles say about critical minerals?", "critical minerals?"),
        ("Do the articles agree on the Kabul airport attack?", "the Kabul airport attack?"),
        ("How do the articles differ on Asim Munir?", "Asim Munir?"),
        ("Compare the articles on crypto", "crypto"),
        (CEASEFIRE, CEASEFIRE),
        (CEASEFIRE_HYPHEN, CEASEFIRE),
        ("What do the articles say about US-Pakistan ties?", "US–Pakistan ties?"),
    ],
)
def test_topic_drops_the_framing(question: str, topic: str) -> None:
    assert topic_of(question) == topic


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("India-Pakistan", "India–Pakistan"),
        ("US-Pakistan", "US–Pakistan"),
        ("Pakistan-U.S. ties", "Pakistan–U.S. ties"),
        ("U.S.-Pakistan", "U.S.–Pakistan"),
        ("the Pakistan-Afghanistan-China talks", "the Pakistan–Afghanistan–China talks"),
        # One name, or no names: as written.
        ("the cease-fire", "the cease-fire"),
        ("Indian-controlled Kashmir", "Indian-controlled Kashmir"),
        ("Pakistan-based", "Pakistan-based"),
        ("IS-Khorasan (IS-K)", "IS-Khorasan (IS-K)"),
        ("Inter-Services Intelligence", "Inter-Services Intelligence"),
        ("the Indo-Pacific", "the Indo-Pacific"),
        ("Gilgit-Baltistan", "Gilgit-Baltistan"),
        ("Tehreek-e-Taliban", "Tehreek-e-Taliban"),
        ("the China-Pakistan Economic Corridor", "the China-Pakistan Economic Corridor"),
    ],
)
def test_a_hyphen_between_two_countries_reads_as_a_dash(text: str, read: str) -> None:
    assert dash_pairs(text) == read


def test_topic_cover_joins_hyphenated_words_and_ties_modifiers_to_nouns() -> None:
    idf = {"ceasefir": 3.0, "india": 2.0, "pakistan": 1.0, "critical": 2.0, "mineral": 2.0}
    topic = Topic(frozenset({"ceasefir", "india", "pakistan"}))
    assert topic.cover("a sudden cease-fire four days later", idf) == pytest.approx(0.5)
    assert topic.cover("the 2025 Kashmir ceasefire, Pakistan's role", idf) == pytest.approx(4 / 6)
    minerals = Topic(frozenset({"critical", "mineral"}), needs=(("critical", "mineral"),))
    assert minerals.cover("Pakistan is a critical player", idf) == 0.0
    assert minerals.cover("its mineral wealth", idf) == pytest.approx(0.5)
    assert minerals.cover("critical minerals", idf) == 1.0


def _minerals(**kinds: frozenset[tuple[str, ...]]) -> Topic:
    return Topic(
        frozenset({"critical", "mineral"}),
        needs=(("critical", "mineral"),),
        loose=frozenset({"critical"}),
        forms={"critical": frozenset({"critical"}), "mineral": frozenset({"mineral"})},
        kinds=kinds,
    )


def test_an_unsaid_adjective_is_tolerated_when_its_noun_or_a_kind_of_it_is_there() -> None:
    idf = {"critical": 2.0, "mineral": 2.0}
    minerals = _minerals(mineral=frozenset({("copper",), ("rare", "earth")}))
    assert minerals.cover("an alternative node in the global mineral supply chain", idf) == 1.0
    assert minerals.cover("reserves of copper, lithium, gold, and rare earths", idf) == 1.0
    assert minerals.cover("Pakistan is a critical player", idf) == 0.0
    assert minerals.cover("a deal with Barrick Gold and Copper Inc.", idf) == 0.0  # names
    assert _minerals().cover("reserves of copper and lithium", idf) == 0.0  # no kinds known
    # The adjective may be the only word unsaid: "exchanges" alone is not "educational
    # exchanges between Pakistan and the US".
    exchanges = Topic(
        frozenset({"educational", "exchang", "pakistan", "us"}),
        needs=(("educational", "exchang"),),
        loose=frozenset({"educational"}),
        context=frozenset({"pakistan", "us"}),
        forms={"exchang": frozenset({"exchang"})},
    )
    idf = {"educational": 3.0, "exchang": 3.0, "pakistan": 1.0, "us": 1.0}
    assert exchanges.cover("a way to bring in exchanges to formalize this sector", idf) < 0.5


LOBBYING = Topic(
    frozenset({"lobby", "pakistan", "washington"}),
    context=frozenset({"pakistan", "washington"}),
)
LOBBYING_IDF = {"lobby": 4.0, "pakistan": 1.0, "washington": 1.0}


def test_one_word_sharing_only_a_stem_or_only_places_do_not_make_a_topic() -> None:
    idf = {"spac": 2.0, "explor": 4.0}
    space = Topic(
        frozenset({"spac", "explor"}),
        needs=(("spac", "explor"),),
        forms={"spac": frozenset({"spac"}), "explor": frozenset({"exploration"})},
    )
    assert space.cover("from welcoming US investment to exploring digital assets", idf) == 0.0
    assert space.cover("a new era of space exploration", idf) == 1.0
    assert space.cover("the exploration of the deposits", idf) == pytest.approx(4 / 6)
    idf = LOBBYING_IDF
    assert LOBBYING.cover("Pakistan has spent big to figure out what else Trump likes.", idf) == 0
    assert LOBBYING.cover("Pakistan hired lobbying firms.", idf) == pytest.approx(5 / 6)


def _scored(text: str, start: int = 0, entities: tuple[Entity, ...] = ()) -> ScoredSentence:
    return ScoredSentence(text, 1, 0.5, 0.5, 0.9, True, start, start + len(text), None, entities)


def test_a_capital_counts_as_its_country() -> None:
    text = (
        "Islamabad shelled out millions of dollars earlier this year to hire multiple "
        "lobbying firms run by some of Trump’s former associates."
    )
    sentence = _scored(text, entities=(Entity("Islamabad", "GPE", 0, 9),))
    places = {place_key("Pakistan"), place_key("Washington")}
    assert place_key("Islamabad") == place_key("Pakistan") != place_key("Washington")
    assert bears_on(sentence, LOBBYING, LOBBYING_IDF, places) == pytest.approx(5 / 6)
    gaza = _scored(
        "Egypt and Israel lobbied for the Gaza truce.",
        entities=(Entity("Egypt", "GPE", 0, 5), Entity("Israel", "GPE", 10, 16)),
    )
    assert bears_on(gaza, LOBBYING, LOBBYING_IDF, places) == 0.0  # other places
    # Named by its capital, Pakistan is held: one other place is not "more often".
    cairo = _scored(
        "Islamabad hired lobbying firms, Egypt said.",
        entities=(Entity("Islamabad", "GPE", 0, 9), Entity("Egypt", "GPE", 32, 37)),
    )
    assert bears_on(cairo, LOBBYING, LOBBYING_IDF, places) == pytest.approx(5 / 6)


def test_a_point_made_over_two_sentences_is_read_as_one() -> None:
    topic = Topic(
        frozenset({"arrest", "mastermind", "attack", "airport", "kabul"}),
        needs=(("airport", "attack"),),
        context=frozenset({"kabul"}),
    )
    idf = dict.fromkeys(topic.words, 1.0)
    first = _scored("The arrest of Sharifullah, the man behind the 2021 attack on the Marines.")
    second = _scored(
        "He planned the Abbey Gate bombing at the Hamid Karzai International Airport in Kabul.",
        start=first.end + 1,
        entities=(Entity("Kabul", "GPE", first.end + 80, first.end + 85),),
    )
    places = {place_key("Kabul")}
    assert bears_on(first, topic, idf, places) < MIN_TOPIC_COVER
    assert bears_on(second, topic, idf, places) < MIN_TOPIC_COVER
    assert bears_on(_pair(second, first), topic, idf, places) >= MIN_TOPIC_COVER
    assert _pair(second, first).text.startswith("The arrest")


def test_pick_prefers_sentences_giving_new_names_figures_and_dates() -> None:
    # "Chief among those is critical minerals." ranks highest but names nothing.
    rank = [1.98, 1.9, 1.96, 1.95, 1.97]
    facts = [
        set(),
        {"frontier works organization", "$500 million", "september"},
        {"younus", "pakistanis"},
        {"younus", "middle east"},
        {"donald trump", "pakistan"},
    ]
    assert pick(rank, facts) == [1, 4, 2, 3]
    assert pick(rank, [set()] * 5) == [0, 4, 2, 3]
    assert pick(rank[:2], facts[:2]) == [1, 0]


# --- the differences line and the chat layout, from fixed findings ---------------------------
def _ref(article: str, paragraph: int) -> Ref:
    return Ref(article, f"Article {article}", paragraph)


FINDINGS = [
    ArticleFindings(
        "004",
        "Article 004",
        [
            CitedSentence(
                "Trump claimed credit for that cease-fire, rankling India.", _ref("004", 37), 0.9
            ),
            CitedSentence("Pakistan gave Trump full credit in early May.", _ref("004", 37), 0.5),
        ],
    ),
    ArticleFindings(
        "002",
        "Article 002",
        [
            CitedSentence(
                "Pakistan's role in mediating the 2025 Kashmir ceasefire.", _ref("002", 1), 0.4
            )
        ],
    ),
]
ENTITIES = {
    "004": [
        Entity("Trump", "PERSON", 0, 5),
        Entity("India", "GPE", 0, 5),
        Entity("Pakistan", "GPE", 0, 8),
    ],
    "002": [Entity("Pakistan's", "GPE", 0, 10)],
}


def test_differences_name_what_each_article_alone_has() -> None:
    line = describe_differences(FINDINGS, ENTITIES)
    assert line.startswith("Where they differ: ")
    assert "004 Trump, India" in line
    assert "dates: 004 early May; 002 2025" in line
    assert "“claimed”" in line
    assert "“mediating”" in line
    assert "(all name Pakistan)" in line
    assert describe_differences(FINDINGS[:1], ENTITIES) == "Only 004 addresses this."
    assert describe_differences([], {}) == ""
    assert join_ids(["001", "003"]) == "001 and 003"


def test_differences_count_name_variants_as_one_actor() -> None:
    findings = [
        ArticleFindings("004", "a", [CitedSentence("Trump hosted Munir in June.", _ref("004", 3))]),
        ArticleFindings("000", "b", [CitedSentence("General Asim Munir visited.", _ref("000", 3))]),
    ]
    entities = {
        "004": [Entity("Munir", "GPE", 0, 5), Entity("Trump", "ORG", 0, 5)],
        "000": [Entity("Asim Munir’s", "PERSON", 0, 12), Entity("marshal”—a", "PERSON", 0, 9)],
    }
    line = describe_differences(findings, entities, {"Munir": "Asim Munir"})
    assert "(all name Asim Munir)" in line
    assert "004 Trump" in line
    assert "Munir," not in line
    assert "marshal" not in line


def test_chat_layout_is_per_article_with_one_marker_per_paragraph() -> None:
    comparison = Comparison(
        CEASEFIRE, FINDINGS, [_ref("001", 0), _ref("003", 0)], "Where they differ: x."
    )
    paragraphs = {("004", "body", 37): "Full ¶37.", ("002", "body", 1): "Full ¶1."}
    answer = comparison_answer(comparison, paragraphs)
    blocks = answer.text.split("\n\n")
    assert blocks[0].startswith("004 (Article 004): Trump claimed")
    assert blocks[0].count("[1]") == 2
    assert blocks[1].startswith("002 (Article 002): ")
    assert blocks[1].endswith("[2]")
    assert blocks[2] == "001 and 003 don't discuss this."
    assert blocks[3] == "Where they differ: x."
    assert [(c.marker, c.article_id, c.paragraph, c.text) for c in answer.citations] == [
        (1, "004", 37, "Full ¶37."),
        (2, "002", 1, "Full ¶1."),
    ]
    assert answer.citations[0].quote.startswith("Trump claimed")
    assert answer.supported
    assert answer.generator == "compare"


def test_chat_layout_when_no_article_addresses_it_is_a_cited_refusal() -> None:
    near = CitedSentence("Pakistan plays cricket.", _ref("004", 5), 0.2)
    answer = comparison_answer(
        Comparison("What do the articles say about cricket?", [], [_ref("000", 0)], closest=[near])
    )
    assert not answer.supported
    assert answer.text == (
        "None of the articles discusses this. The closest passage says: Pakistan plays cricket. [1]"
    )
    assert answer.citations[0].paragraph == 5
    assert answer.passages[0].article_id == "004"


# --- through the pipeline ------------------------------------------------------------------
@pytest.mark.slow
def test_ceasefire_question_cites_004_and_002_and_names_the_silent(
    seeded_pipeline: Pipeline,
) -> None:
    c = compare_articles(seeded_pipeline, CEASEFIRE)
    by_article = {f.article_id: f for f in c.findings}
    assert {"004", "002"} <= set(by_article)
    assert c.findings[0].article_id == "004"
    cited_004 = {s.ref.paragraph for s in by_article["004"].sentences}
    assert 37 in cited_004
    assert any("Trump claimed credit" in s.text for s in by_article["004"].sentences)
    assert [s.ref.paragraph for s in by_article["002"].sentences] == [1]
    assert "2025 Kashmir ceasefire" in by_article["002"].sentences[0].text
    assert {"001", "003"} <= {r.article_id for r in c.silent}
    assert not {r.article_id for r in c.silent} & set(by_article)
    # Only sentences of the article they're filed under, quoted as written.
    paragraphs = {p.key: p.text for p in seeded_pipeline.paragraphs()}
    for f in c.findings:
        for s in f.sentences:
            assert s.ref.article_id == f.article_id
            assert s.text in paragraphs[(s.ref.article_id, s.ref.kind, s.ref.paragraph)]
    assert not any("Gaza" in s.text for f in c.findings for s in f.sentences)
    assert c.differences.startswith("Where they differ:")
    assert "2025" in c.differences


@pytest.mark.slow
def test_points_over_two_sentences_capitals_and_facts_are_found(seeded_pipeline: Pipeline) -> None:
    def cited(question: str) -> dict[str, str]:
        c = compare_articles(seeded_pipeline, question)
        return {f.article_id: " ".join(s.text for s in f.sentences) for f in c.findings}

    arrest = cited(
        "What do the articles say about the arrest of the mastermind of the 2021 Kabul "
        "airport attack?"
    )
    assert "Abbey Gate" in arrest["003"]  # "arrest … attack" / "… Airport in Kabul"
    assert "monster" in arrest["004"]
    lobbying = cited("What do the articles say about Pakistan's lobbying in Washington?")
    assert list(lobbying) == ["004"]
    assert "Islamabad shelled out millions" in lobbying["004"]
    minerals = cited("What do the articles say about critical minerals?")
    assert "copper, lithium" in minerals["000"]  # never says "critical minerals"
    assert "Frontier Works Organization" in minerals["004"]
    assert "Chief among those is critical minerals." not in minerals["004"]
    assert cited("What do the articles say about space exploration?") == {}


@pytest.mark.slow
def test_a_chat_question_setting_named_articles_side_by_side_is_answered_per_article(
    seeded_pipeline: Pipeline,
) -> None:
    question = "What do Foreign Policy and the explainer say about Reko Diq?"
    assert articles_compared(seeded_pipeline, question) == (["002", "004"], "Reko Diq?")
    answer = list(chat_stream(seeded_pipeline, question))[-1]
    assert isinstance(answer, Answer)
    assert answer.generator == "compare"
    assert answer.question == question
    assert {c.article_id for c in answer.citations} == {"002", "004"}
    assert answer.text.startswith(("004 (", "002 ("))
    # "with the explainer about": the topic is what follows, without the article's name.
    nawaz = "Does Nawaz agree with the explainer about CPEC?"
    assert articles_compared(seeded_pipeline, nawaz) == (["002", "003"], "CPEC?")
    # One named article, or none: the question is the pipeline's as usual.
    one = "What does the explainer say about Reko Diq?"
    assert articles_compared(seeded_pipeline, one) == ([], one)
    assert list(chat_stream(seeded_pipeline, one))[-1].generator == "extractive"


@pytest.mark.slow
def test_a_question_no_article_addresses_lists_the_closest(seeded_pipeline: Pipeline) -> None:
    c = compare_articles(seeded_pipeline, "What do the articles say about cricket?")
    assert c.findings == []
    assert len(c.silent) == 5
    assert c.closest


@pytest.mark.slow
def test_bad_input_gives_clear_errors(seeded_pipeline: Pipeline) -> None:
    with pytest.raises(ValueError, match="empty"):
        compare_articles(seeded_pipeline, "  ")
    with pytest.raises(ValueError, match="unknown article"):
        compare_articles(seeded_pipeline, CEASEFIRE, ["004", "999"])
    with pytest.raises(ValueError, match="compare the articles on"):
        compare_articles(seeded_pipeline, "Do the articles agree?")
    one = compare_articles(seeded_pipeline, CEASEFIRE, ["004"])
    assert [f.article_id for f in one.findings] == ["004"]
    assert one.notes


@pytest.mark.slow
def test_chat_answers_articles_questions_per_article(seeded_pipeline: Pipeline) -> None:
    events = list(chat_stream(seeded_pipeline, "What do the articles say about Asim Munir?"))
    answer = events[-1]
    assert isinstance(answer, Answer)
    assert answer.generator == "compare"
    assert answer.text.startswith(("004 (", "000 ("))
    assert {"000", "004"} <= {c.article_id for c in answer.citations}
    assert "don't discuss this." in answer.text
    plain = list(chat_stream(seeded_pipeline, "Who is Pakistan's minister for crypto?"))[-1]
    assert isinstance(plain, Answer)
    assert plain.generator == "extractive"


# --- the commands --------------------------------------------------------------------------
@pytest.fixture
def run_cli(seeded_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`rag …` against the seeded pipeline."""
    monkeypatch.setattr("rag.api.get_pipeline", lambda settings=None: seeded_pipeline)

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, list(args))

    return run


@pytest.mark.slow
@pytest.mark.parametrize("question", [CEASEFIRE, CEASEFIRE_HYPHEN])
def test_rag_compare_json_cites_004_and_002_and_names_the_silent(run_cli, question: str) -> None:  # type: ignore[no-untyped-def]
    # The done-when: the plain hyphen ("India-Pakistan") reads as the dash does.
    result = run_cli("compare", "--json", question)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    found = {f["article_id"]: f["sentences"] for f in data["findings"]}
    for article in ("004", "002"):
        assert found.get(article), f"{article} has no findings"
        assert all(
            s["ref"]["article_id"] == article and s["ref"]["paragraph"] for s in found[article]
        )
    assert {"001", "003"} <= {s["article_id"] for s in data["silent"]}
    assert not {s["article_id"] for s in data["silent"]} & set(found)


@pytest.mark.slow
def test_rag_compare_json_and_text(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("compare", "--json", CEASEFIRE)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    first = data["findings"][0]["sentences"][0]
    assert {"text", "ref", "score"} <= set(first)
    assert {"article_id", "paragraph", "kind"} <= set(first["ref"])
    text = run_cli("compare", CEASEFIRE)
    assert "¶37" in text.stdout
    assert "don't discuss this." in text.stdout
    bad = run_cli("compare", "--article", "999", CEASEFIRE)
    assert bad.exit_code == 2
    assert bad.stderr.strip().startswith("error: unknown article")


@pytest.mark.slow
def test_rag_timeline_json_lists_the_key_events_in_order(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("timeline", "--json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    written = {(e["ref"]["article_id"], e["date_text"]) for e in events}
    assert {("003", "August 26, 2021"), ("004", "2008 to 2011"), ("004", "early May")} <= written
    assert {e["ref"]["article_id"] for e in events} == {"000", "001", "002", "003", "004"}
    keys = [e["sort_key"] for e in events]
    assert keys == sorted(keys)
    text = run_cli("timeline", "--article", "004", "--about", "Munir")
    assert "Year not stated" in text.stdout
    assert "004 ¶3" in text.stdout


@pytest.mark.slow
def test_rag_entities_json_has_asim_munir_with_role_and_articles(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("entities", "--json")
    assert result.exit_code == 0, result.output
    entries = {e["name"]: e for e in json.loads(result.stdout)}
    munir = entries["Asim Munir"]
    assert munir["role"]
    assert set(munir["mentions"]) == {"000", "004"}
    assert "Frontier Works Organization" in entries
    people = run_cli("entities", "--kind", "person")
    assert "Asim Munir (person)" in people.stdout
    assert "Frontier Works Organization" not in people.stdout


@pytest.mark.slow
def test_compare_on_a_corpus_of_one_article_says_so(
    tmp_path: Path,
    seeds_dir: Path,
    make_settings: Callable[..., Settings],
    make_pipeline: Callable[[Settings], Pipeline],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A seeds folder holding only 004 and its catalog entry: compared, it says there was
    nothing to set it against, as a note, not a traceback."""
    with (seeds_dir / CATALOG_NAME).open("rb") as f:
        entry = next(a for a in tomllib.load(f)["article"] if a["id"] == "004")
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(seeds_dir / entry["file"], folder / entry["file"])
    fields = "".join(f"{key} = {json.dumps(value)}\n" for key, value in entry.items())
    (folder / CATALOG_NAME).write_text(f"[[article]]\n{fields}", encoding="utf-8")
    pipeline = make_pipeline(make_settings(seeds_dir=folder))
    pipeline.ingest()
    assert list(pipeline.article_titles) == ["004"]
    monkeypatch.setattr("rag.api.get_pipeline", lambda settings=None: pipeline)
    for args in (["compare", CEASEFIRE_HYPHEN], ["compare", "--json", CEASEFIRE_HYPHEN]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert result.exception is None
        assert "Traceback" not in result.output
        assert "Only one article (004) was compared: nothing to set it against." in result.stdout
    data = json.loads(result.stdout)
    assert [f["article_id"] for f in data["findings"]] == ["004"]
    assert data["silent"] == []
