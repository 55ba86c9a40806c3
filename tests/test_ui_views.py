"""The UI's corpus views as HTML, without a browser: every citation opens the reader at its
paragraph, who's who names ask the chat, no article text can inject markup; and the page
has the three tabs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from seed_passages import seed_entities, seed_passages

from rag.chronology import find_events, sort_events
from rag.config import Settings
from rag.findings import ArticleFindings, CitedSentence, Comparison, Ref
from rag.whoswho import build_people
from ui import render
from ui.views import ask_about, render_comparison, render_people, render_timeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
READER_LINK = re.compile(r'<a class="open-reader" href="#([^"]+)">([^<]+)</a>')


def reader_targets(html: str) -> list[tuple[str, str]]:
    return READER_LINK.findall(html)


def test_comparison_cites_each_sentence_with_a_reader_link() -> None:
    c = Comparison(
        "Who brokered the <b>cease-fire</b>?",
        [
            ArticleFindings(
                "004",
                "How Pakistan won <i>Trump</i>",
                [
                    CitedSentence(
                        "Trump claimed credit <script>x</script>.", Ref("004", "t", 37), 0.9
                    )
                ],
            ),
            ArticleFindings(
                "004c",
                "Captions",
                [CitedSentence("A caption.", Ref("004c", "t", 2, "caption"), 0.5)],
            ),
        ],
        [Ref("001", "t", 0), Ref("003", "t", 0)],
        "Where they differ: dates: 004 early May.",
    )
    html = render_comparison(c)
    assert "<script>" not in html
    assert "<b>cease-fire</b>" not in html
    assert "&lt;i&gt;Trump&lt;/i&gt;" in html
    assert reader_targets(html) == [
        (render.paragraph_id("004", "body", 37), "004 ¶37"),
        (render.paragraph_id("004c", "caption", 2), "004c caption 2"),
    ]
    assert "001 and 003 don&#x27;t discuss this." in html
    assert "Where they differ: dates: 004 early May." in html
    assert "\n" not in html


def test_comparison_no_article_addresses_lists_closest_with_links() -> None:
    near = CitedSentence("Pakistan plays cricket.", Ref("004", "t", 5), 0.2)
    html = render_comparison(Comparison("cricket?", [], [Ref("000", "t", 0)], closest=[near]))
    assert "None of the articles discusses this." in html
    assert reader_targets(html) == [(render.paragraph_id("004", "body", 5), "004 ¶5")]


def test_timeline_groups_by_year_and_links_every_event() -> None:
    events = sort_events(find_events(seed_passages(), seed_entities()))
    html = render_timeline(events)
    headings = re.findall(r"<h4>([^<]+)</h4>", html)
    assert headings[0] == "1950s"
    assert headings[-1] == "Year not stated"
    assert {"2021", "2025", "2008"} <= set(headings)
    links = reader_targets(html)
    main_links = [t for t, _ in links]
    assert render.paragraph_id("004", "body", 36) in main_links  # early May
    assert render.paragraph_id("003", "body", 2) in main_links  # August 26, 2021
    assert len(re.findall(r'<li class="event"', html)) == len(events)
    assert html.count('<span class="unstated">year not stated</span>') == sum(
        not e.year_stated for e in events
    )
    assert "<mark>early May</mark>" in html
    assert "Also dated" in html
    assert render_timeline([]).count("No dated events") == 1


def test_whos_who_names_ask_the_chat_and_mentions_open_the_reader() -> None:
    entries = build_people(seed_passages(), seed_entities())
    html = render_people(entries)
    question = ask_about("Asim Munir")
    assert question == "What do the articles say about Asim Munir?"
    assert f'data-question="{question}"' in html
    assert html.index("<h4>People</h4>") < html.index("<h4>Organisations</h4>")
    munir = re.search(r'<li class="who person" data-name="Asim Munir">.*?</li>', html)
    assert munir is not None
    block = munir.group(0)
    assert "the country’s powerful military chief" in block
    targets = [t for t, _ in reader_targets(block)]
    assert render.paragraph_id("000", "body", 3) in targets
    assert render.paragraph_id("004", "caption", 2) in targets
    assert ask_about(None) == ""


def test_page_has_the_three_view_tabs(tmp_path: Path) -> None:
    pytest.importorskip("gradio")
    from ui.app import build_app

    settings = Settings(data_dir=tmp_path, seeds_dir=SEEDS, _env_file=None)  # type: ignore[call-arg]
    config = build_app(settings).get_config_file()
    tabs = [c["props"].get("label") for c in config["components"] if c.get("type") == "tabitem"]
    assert tabs == ["Sources", "Article reader", "Compare the articles", "Timeline", "Who's who"]
    assert not (tmp_path / "chroma").exists()  # building the page loads no index
