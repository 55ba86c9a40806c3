"""The timeline: dates found and normalised by rule (never a year the text doesn't state),
events cited, sorted, grouped by year, linked across articles, filtered."""

from __future__ import annotations

import re

import pytest
from seed_passages import seed_entities, seed_passages

from rag.api import Pipeline
from rag.chronology import about_matcher, by_year, filter_events, find_events, timeline_of
from rag.dates import find_dates, latest_year, year_unstated, years_in
from rag.findings import Event


def one(text: str) -> tuple[str, str, str]:
    (m,) = find_dates(text)
    return m.text, m.edtf, m.label


# --- rules ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the ceasefire in May held", ("May", "XXXX-05", "May (year not stated)")),
        ("a conflict in early May", ("early May", "XXXX-05", "early May (year not stated)")),
        ("blasts in mid-November", ("mid-November", "XXXX-11", "mid-November (year not stated)")),
        (
            "an interview in late October",
            ("late October", "XXXX-10", "late October (year not stated)"),
        ),
        ("ambassador from 2008 to 2011.", ("2008 to 2011", "2008/2011", "2008–2011")),
        ("the August 26, 2021, attack", ("August 26, 2021", "2021-08-26", "26 August 2021")),
        ("on 26 August 2021 it", ("26 August 2021", "2021-08-26", "26 August 2021")),
        ("The operation in March 2025 gave", ("March 2025", "2025-03", "March 2025")),
        ("in September 2024—weeks before", ("September 2024", "2024-09", "September 2024")),
        (
            "the Oval Office on Sept. 25.",
            ("Sept. 25", "XXXX-09-25", "25 September (year not stated)"),
        ),
        ("in Mumbai on Aug. 8. Photo", ("Aug. 8", "XXXX-08-08", "8 August (year not stated)")),
        ("ties since the 1950s, Pakistan", ("the 1950s", "195X", "1950s")),
        ("the 2021 Kabul airport attack", ("2021", "2021", "2021")),
        (
            "In April this year, a delegation",
            ("April this year", "XXXX-04", "April (year not stated)"),
        ),
    ],
)
def test_dates_are_normalised_as_written(text: str, expected: tuple[str, str, str]) -> None:
    assert one(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a sovereign state within pre-1967 borders",  # a state, not an event
        "he is now serving a 14-year sentence",  # a length of time
        "a 10-year bilateral defense pact",
        "the company raised $2025 in fees",
        "some 2,000 soldiers and 230,000 square miles",
        "May I ask a question?",  # the verb, not the month
        "It may open avenues for talks.",
        "Trump said it this year and last month and four days later.",  # relative only
    ],
)
def test_non_dates_are_not_events(text: str) -> None:
    assert find_dates(text) == []


def test_a_bare_month_tagged_date_by_spacy_counts_without_a_time_word() -> None:
    text = "Talks resumed. June brought the deal."
    assert find_dates(text) == []
    (m,) = find_dates(text, confirmed=[(15, 19)])
    assert (m.text, m.year) == ("June", None)


def test_a_year_elsewhere_in_the_sentence_is_never_borrowed() -> None:
    found = find_dates("It came in February, after a 2021 bombing and early March talks.")
    by_text = {m.text: m for m in found}
    assert set(by_text) == {"February", "2021", "early March"}
    assert by_text["February"].year is None
    assert by_text["early March"].year is None
    assert by_text["2021"].year == 2021


def test_sort_keys_order_years_then_months_then_days_with_unknown_years_last() -> None:
    texts = ["in early May", "in 2021", "on August 26, 2021", "in March 2025", "in 2008 to 2011"]
    ordered = sorted((m for t in texts for m in find_dates(t)), key=lambda m: m.sort_key)
    assert [m.text for m in ordered] == [
        "2008 to 2011",
        "2021",
        "August 26, 2021",
        "March 2025",
        "early May",
    ]


def test_a_decade_asked_is_met_by_any_year_in_it() -> None:
    assert years_in("from the late 2000s to the 1990's") == {"200X", "199X"}
    assert years_in("from 2008 to 2011", decades=True) == {"2008", "200X", "2011", "201X"}
    asked = "Who was ambassador in the late 2000s?"
    assert not year_unstated(asked, "He served from 2008 to 2011.", "2025")
    assert year_unstated(asked, "He served from 2012 to 2014.", "2025")
    # a year asked is not met by another year of its decade, nor by the decade
    assert year_unstated("Who was ambassador in 2009?", "He served from 2008 to 2011.", "2025")
    assert year_unstated("Who was ambassador in 2009?", "He served in the 2000s.", "2025")
    assert latest_year("the 2020s began; in 2019 and 2025") == "2025"


def test_about_matches_name_variants_and_hyphenated_topics() -> None:
    munir = about_matcher("Asim Munir", ["Asim Munir", "Munir"])
    assert munir("Trump said before hosting Munir in June.")
    assert not munir("Sharif met Trump.")
    ceasefire = about_matcher("cease-fire")
    assert ceasefire("the 2025 Kashmir ceasefire")
    assert ceasefire("a sudden cease-fire")
    with pytest.raises(ValueError, match="about"):
        about_matcher("the of")


# --- the seed corpus (no index needed) -----------------------------------------------------
@pytest.fixture(scope="module")
def events() -> list[Event]:
    return find_events(seed_passages(), seed_entities())


def _find(events: list[Event], article: str, paragraph: int, date_text: str) -> Event:
    for e in events:
        if (e.ref.article_id, e.ref.paragraph, e.date_text) == (article, paragraph, date_text):
            return e
    raise AssertionError(f"no event {date_text!r} in {article} ¶{paragraph}")


def test_seed_timeline_holds_the_key_events_with_citations(events: list[Event]) -> None:
    kabul = _find(events, "003", 2, "August 26, 2021")
    assert (kabul.date, kabul.year_stated) == ("2021-08-26", True)
    assert "attack on the US Marines" in kabul.sentence
    haqqani = _find(events, "004", 7, "2008 to 2011")
    assert haqqani.date == "2008/2011"
    assert "ambassador" in haqqani.sentence
    ceasefire = _find(events, "004", 36, "early May")
    assert (ceasefire.year, ceasefire.label) == (None, "early May (year not stated)")
    assert _find(events, "004", 45, "mid-November").year is None
    assert {e.ref.article_id for e in events} == {"000", "001", "002", "003", "004"}


def test_no_event_gets_a_year_its_text_does_not_state(events: list[Event]) -> None:
    for e in events:
        written_years = re.findall(r"\b(?:19|20)\d\d\b", e.date_text)
        if e.year_stated:
            assert str(e.year) in e.date_text, e
            assert e.date.startswith(str(e.year)[:3]), e
        else:
            assert written_years == [], e
            assert e.date.startswith("XXXX"), e
            assert "year not stated" in e.label, e
        assert e.date_text in e.sentence
        assert e.sentence in next(
            p.text
            for p in seed_passages()
            if p.key == (e.ref.article_id, e.ref.kind, e.ref.paragraph)
        )


def test_photo_credits_are_not_events(events: list[Event]) -> None:
    assert not any("Getty Images" in e.date_text for e in events)


def test_two_articles_dating_the_same_event_differently_show_both(events: list[Event]) -> None:
    kashmir = _find(events, "002", 1, "2025")
    assert ("early May", "004", 36) in {
        (d.date_text, d.ref.article_id, d.ref.paragraph) for d in kashmir.also
    }
    may = _find(events, "004", 36, "early May")
    assert ("2025", "002") in {(d.date_text, d.ref.article_id) for d in may.also}
    attack = _find(events, "003", 2, "August 26, 2021")
    assert {"001", "004"} <= {d.ref.article_id for d in attack.also}
    # A February arrest is not the 2021 attack, though their sentences share words.
    february = _find(events, "004", 12, "February")
    assert not any(d.date.startswith("2021") for d in february.also)


def test_grouped_by_year_in_order_with_unstated_years_last(events: list[Event]) -> None:
    groups = by_year(events)
    headings = [year for year, _ in groups]
    assert headings[-1] == "Year not stated"
    assert headings[0] == "1950s"
    years = [int(h[:4]) for h in headings[:-1]]
    assert years == sorted(years)
    undated = groups[-1][1]
    assert [e.sort_key[1] for e in undated] == sorted(e.sort_key[1] for e in undated)


def test_filters_by_article_and_topic(events: list[Event]) -> None:
    only = filter_events(events, article="003")
    assert only
    assert {e.ref.article_id for e in only} == {"003"}
    crypto = filter_events(events, about=about_matcher("crypto"))
    assert crypto
    assert all("crypto" in e.sentence.lower() for e in crypto)
    # A topic may sit in the date's neighbouring sentence: matched over the paragraph.
    texts = {p.key: p.text for p in seed_passages()}
    ceasefire = about_matcher("cease-fire")
    by_sentence = filter_events(events, about=ceasefire)
    by_paragraph = filter_events(events, about=ceasefire, paragraphs=texts)
    assert ("004", 36) not in {(e.ref.article_id, e.ref.paragraph) for e in by_sentence}
    assert {("004", 36), ("002", 1)} <= {(e.ref.article_id, e.ref.paragraph) for e in by_paragraph}


# --- through the pipeline -----------------------------------------------------------------
@pytest.mark.slow
def test_timeline_of_the_index_filters_by_article_and_entity(seeded_pipeline: Pipeline) -> None:
    everything = timeline_of(seeded_pipeline)
    assert [e.sort_key for e in everything] == sorted(e.sort_key for e in everything)
    munir = timeline_of(seeded_pipeline, about="Field Marshal Munir")
    assert munir
    assert all("Munir" in e.sentence for e in munir)
    assert ("004", 3) in {(e.ref.article_id, e.ref.paragraph) for e in munir}  # "hosting Munir"
    assert {e.ref.article_id for e in timeline_of(seeded_pipeline, article="002")} == {"002"}
    topic = {
        (e.ref.article_id, e.date_text) for e in timeline_of(seeded_pipeline, about="ceasefire")
    }
    assert {("004", "early May"), ("002", "2025")} <= topic
    with pytest.raises(ValueError, match="unknown article"):
        timeline_of(seeded_pipeline, article="999")
    with pytest.raises(ValueError, match="empty"):
        timeline_of(seeded_pipeline, about="  ")
