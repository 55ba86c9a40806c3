"""The UI's pure HTML helpers: markers link to the right paragraph, quotes are
highlighted, and no article or answer text can inject markup."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

from rag.citations import attach_quotes
from rag.corpus import Article, Paragraph, load_corpus
from rag.schema import HEADER_KIND, Answer, Citation, Passage
from ui import render

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

PARA = (
    "India's refusal to lower tariffs strained ties. In this environment, Pakistan "
    "secured a deal which lowered tariffs from 29% to 19%. For Pakistan, it is more."
)
QUOTE = "In this environment, Pakistan secured a deal which lowered tariffs from 29% to 19%."


def citation(marker: int = 1, **kw: object) -> Citation:
    values: dict[str, object] = {
        "marker": marker,
        "article_id": "001",
        "title": "Strategic realism",
        "paragraph": 6,
        "text": PARA,
        "score": 0.9,
        "quote": QUOTE,
    }
    values.update(kw)
    return Citation(**values)  # type: ignore[arg-type]


def passage(**kw: object) -> Passage:
    values: dict[str, object] = {
        "article_id": "004",
        "title": "How Pakistan won",
        "paragraph": 5,
        "text": "Countries adopted strategies.",
        "score": 0.8,
    }
    values.update(kw)
    return Passage(**values)  # type: ignore[arg-type]


def answer(**kw: object) -> Answer:
    values: dict[str, object] = {
        "question": "By how much were tariffs lowered?",
        "text": "Tariffs fell from 29% to 19% [1].",
        "supported": True,
        "citations": [citation()],
        "passages": [passage()],
        "generator": "extractive",
        "seconds": 0.42,
    }
    values.update(kw)
    return Answer(**values)  # type: ignore[arg-type]


def test_paragraph_ids_name_article_kind_and_number() -> None:
    assert render.paragraph_id("001", "body", 6) == "p-001-body-6"
    assert render.paragraph_id("004", "caption", 2) == "p-004-caption-2"
    assert render.paragraph_id('x"><b', "body", 1) == "p-x___b-body-1"  # never breaks out


def test_markers_become_links_to_their_source_card_with_the_paragraph_as_tooltip() -> None:
    html = render.link_markers("Tariffs fell [1]. And rose [2].", 3, [citation(1), citation(2)])
    links = re.findall(r'<a class="cite" href="#(src-3-\d)" title="([^"]*)">\[(\d)\]</a>', html)
    assert [(href, n) for href, _, n in links] == [("src-3-1", "1"), ("src-3-2", "2")]
    assert links[0][1].startswith("Strategic realism, ¶6: India&#x27;s refusal")
    assert "29% to 19%" in links[0][1]  # hovering shows the cited paragraph itself


def test_marker_link_points_at_the_card_that_holds_the_right_paragraph() -> None:
    ans = answer(citations=[citation(1, article_id="001", paragraph=6)])
    chat_html = render.render_answer(ans, 2)
    sources_html = render.render_sources(ans, 2)
    href = re.search(r'class="cite" href="#([^"]+)"', chat_html)
    assert href
    assert href.group(1) == "src-2-1"
    card = re.search(
        r'<div class="src" id="src-2-1" data-article="001">(.*?)</div></div>', sources_html
    )
    assert card, sources_html
    assert "¶6" in card.group(1)
    assert 'href="#p-001-body-6"' in sources_html  # "Open in article" at that paragraph


def test_streaming_markers_link_before_citations_are_known() -> None:
    html = render.render_partial("Partial claim [1] and", 1)
    assert '<a class="cite" href="#src-1-1">[1]</a>' in html
    assert "Answering" in html


def test_highlight_wraps_the_quote_in_mark() -> None:
    html = render.highlight(PARA, QUOTE)
    assert html.count("<mark>") == 1
    assert f"<mark>{QUOTE}</mark>" in html
    assert html.startswith("India&#x27;s refusal")


def test_highlight_tolerates_whitespace_and_marks_each_sentence_found() -> None:
    text = "First   sentence is here. Something else entirely. Third sentence is here too."
    html = render.highlight(text, "First sentence is here. Third sentence is here too.")
    assert html.count("<mark>") == 2
    assert "<mark>First sentence is here.</mark>" in html  # whitespace tolerated
    assert "Something else entirely." in html
    assert "<mark>Something" not in html


def test_highlight_without_a_quote_is_just_escaped_text() -> None:
    assert render.highlight("a < b & c", "") == "a &lt; b &amp; c"
    assert render.highlight("a < b", "not in the text at all") == "a &lt; b"


def test_everything_from_sources_and_answers_is_escaped() -> None:
    evil = '<script>alert(1)</script> "quoted" <img src=x onerror=alert(2)>'
    ans = answer(
        question=evil,
        text=f"{evil} [1]",
        citations=[citation(title=evil, text=evil, quote="<script>alert(1)</script>")],
        notes=[evil],
    )
    pieces = [
        render.render_answer(ans, 1, asked=evil + "?"),
        render.render_sources(ans, 1),
        render.render_sources_panel([(1, evil, ans)]),
        render.render_partial(evil, 1),
        render.render_error(evil),
    ]
    for html in pieces:
        assert "<script" not in html, html
        assert "<img" not in html, html
        assert "&lt;script&gt;" in html
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in pieces[1]


def test_rendered_chat_html_has_no_newlines() -> None:
    """A blank line would end the chatbot's HTML block and expose raw text to Markdown."""
    ans = answer(text="First paragraph [1].\n\nSecond\nparagraph [1].")
    html = render.render_answer(ans, 1)
    assert "\n" not in html
    assert html.count("<p>") == 2
    assert "<br>" in html


def test_answer_footer_names_the_generator_and_a_condensed_follow_up() -> None:
    ans = answer(question="When was he appointed? (following up on: Who is the minister)")
    html = render.render_answer(ans, 1, asked="When was he appointed?")
    assert "Answered by <b>extractive</b>" in html
    assert "Read as: “When was he appointed? (following up on: Who is the minister)”" in html
    assert "Read as" not in render.render_answer(answer(), 1, asked=answer().question)


def test_refusal_looks_different_and_lists_the_closest_passages() -> None:
    ans = answer(supported=False, text="The articles don't say.", citations=[])
    chat_html = render.render_answer(ans, 4)
    assert 'class="answer refused"' in chat_html
    assert "The articles don’t say." in chat_html
    assert 'href="#p-004-body-5"' in chat_html  # closest passage, one click from the reader
    sources_html = render.render_sources(ans, 4)
    assert 'class="src near"' in sources_html
    assert "Countries adopted strategies." in sources_html
    assert "<mark>" not in sources_html


REASON = "The articles don't give a sum of money for “US Pakistan trade deal”."


def refusal(**kw: object) -> Answer:
    """A refusal as `rag.api` builds it: the reason, then the closest passage, cited."""
    values: dict[str, object] = {
        "question": "How much is the US Pakistan trade deal worth?",
        "text": f"{REASON} The closest passage says: {QUOTE[:-1]} [1].",
        "supported": False,
        "citations": [citation(1)],
        "passages": [passage(article_id="001", paragraph=6, text=PARA), passage()],
        "reason": REASON,
    }
    values.update(kw)
    return answer(**values)


def test_refusal_gives_its_reason_and_quotes_the_closest_passage_with_a_marker() -> None:
    html = render.render_answer(refusal(), 5)
    assert 'class="answer refused"' in html
    assert '<div class="refusal-head">The articles don’t say.</div>' in html
    assert "The articles don&#x27;t give a sum of money for “US Pakistan trade deal”." in html
    nearby = re.search(r'<div class="nearby">(.*?)</div>', html)
    assert nearby, html
    assert nearby.group(1).startswith("<b>The closest passage says:</b> In this environment,")
    assert "lowered tariffs from 29% to 19%" in nearby.group(1)
    # The marker links to the refusal's own source card, with the paragraph as tooltip.
    link = re.search(
        r'<a class="cite" href="#src-5-1" title="Strategic realism, ¶6: [^"]*">\[1\]</a>',
        nearby.group(1),
    )
    assert link, nearby.group(1)
    assert html.count("The articles don&#x27;t give") == 1  # the reason is not repeated
    assert "five" not in html
    assert "None of the" not in html
    closest = re.search(r'<div class="closest">Closest: (.*?)</div>', html)
    assert closest, html
    assert 'href="#p-001-body-6"' in closest.group(1)
    assert 'href="#p-004-body-5"' in closest.group(1)
    assert "\n" not in html


def test_refusal_marker_finds_its_card_in_the_sources_panel() -> None:
    ans = refusal()
    sources_html = render.render_sources(ans, 5)
    card = re.search(
        r'<div class="src" id="src-5-1" data-article="001">(.*?)</div></div>', sources_html
    )
    assert card, sources_html
    assert '<span class="badge">[1]</span>' in card.group(1)
    assert f"<mark>{QUOTE}</mark>" in sources_html
    assert 'href="#p-001-body-6"' in sources_html
    # The other closest passages follow as plain cards; the quoted one is not repeated.
    assert sources_html.count('data-article="001"') == 1
    assert '<div class="src near" data-article="004">' in sources_html
    assert sources_html.index('id="src-5-1"') < sources_html.index('class="src near"')
    assert "No article answers this." in sources_html


def test_refusal_quote_is_rebuilt_from_the_citation_when_the_text_lacks_it() -> None:
    html = render.render_answer(refusal(text=REASON), 2)
    nearby = re.search(r'<div class="nearby">(.*?)</div>', html)
    assert nearby, html
    assert f"“{QUOTE}” " in nearby.group(1)
    assert 'href="#src-2-1"' in nearby.group(1)


def test_refusal_without_citations_gives_its_reason_and_no_quote() -> None:
    reason = (
        "The articles don't name the author of “Strategic realism” (001): "
        "its text carries no byline."
    )
    ans = refusal(text=reason, reason=reason, citations=[], passages=[passage()])
    html = render.render_answer(ans, 3)
    assert render.esc(reason) in html
    assert "The closest passage says" not in html
    assert 'class="cite"' not in html
    assert 'href="#p-004-body-5"' in html  # still one click from the closest passage
    sources_html = render.render_sources(ans, 3)
    assert 'id="src-3-' not in sources_html
    assert '<div class="src near" data-article="004">' in sources_html


def test_refusal_without_a_reason_falls_back_to_a_generic_sentence() -> None:
    for reason in ("", "The articles don't say."):
        html = render.render_answer(refusal(text=reason, reason=reason, citations=[]), 1)
        assert render.GENERIC_REASON in html
        assert html.count("The articles don") == 2  # the head and the generic sentence
        assert "five" not in html


def test_header_citation_links_to_the_article_top() -> None:
    header = citation(
        1, kind=HEADER_KIND, paragraph=0, text="Strategic realism\nBy Jane Roe", quote="Jane Roe"
    )
    ans = answer(text="It was written by Jane Roe [1].", citations=[header], generator="catalog")
    sources_html = render.render_sources(ans, 7)
    card = re.search(
        r'<div class="src" id="src-7-1" data-article="001">(.*?)</div></div>', sources_html
    )
    assert card, sources_html
    assert '<span class="src-label">header</span>' in card.group(1)
    assert "Strategic realism By <mark>Jane Roe</mark>" in card.group(1)
    assert '<a class="open-reader" href="#article-001">' in sources_html
    assert "p-001-header" not in sources_html  # the reader has no header paragraph
    chat_html = render.render_answer(ans, 7)
    assert 'title="Strategic realism, header: Strategic realism By Jane Roe"' in chat_html
    # A header among a refusal's closest passages opens the article top too.
    head = passage(kind=HEADER_KIND, paragraph=0, text="How Pakistan won\nBy A. Writer")
    near = refusal(citations=[], passages=[head])
    html = render.render_answer(near, 1)
    assert '<a class="open-reader" href="#article-004">How Pakistan won, header</a>' in html
    sources_html = render.render_sources(near, 1)
    assert '<div class="src near" data-article="004">' in sources_html
    assert 'href="#article-004"' in sources_html
    assert "p-004-header" not in sources_html


def test_highlight_marks_exactly_a_quoted_clause() -> None:
    clause = "Pakistan secured a deal which lowered tariffs from 29% to 19%"
    html = render.highlight(PARA, clause)
    assert html.count("<mark>") == 1
    assert f"In this environment, <mark>{clause}</mark>. For Pakistan" in html
    # As the pipeline quotes it: the clause, capitalised and cut with "…", then cited.
    text = "Lowered tariffs from 29% to 19%… [1]"
    (cited,) = attach_quotes(text, [citation(1, quote="")])
    assert cited.quote == "lowered tariffs from 29% to 19%"
    html = render.highlight(PARA, cited.quote)
    assert "which <mark>lowered tariffs from 29% to 19%</mark>. For" in html


def test_unsupported_sentences_are_flagged() -> None:
    html = render.render_answer(answer(unsupported_sentences=["A claim."]), 1)
    assert "1 sentence not clearly supported" in html


def test_sources_panel_keeps_earlier_answers_folded() -> None:
    first, second = answer(), answer(citations=[citation(1, article_id="004", paragraph=30)])
    html = render.render_sources_panel([(1, "first?", first), (2, "second?", second)])
    assert html.index('id="src-2-1"') < html.index('id="src-1-1"')  # newest first
    assert '<details class="earlier"><summary>Earlier: “first?”</summary>' in html
    assert render.render_sources_panel([]) == render.EMPTY_SOURCES


def test_reader_numbers_paragraphs_marks_captions_and_notes_assigned_titles() -> None:
    article = Article(
        id="009",
        title="A <title>",
        author="Jane Roe",
        outlet="Outlet",
        title_assigned=True,
        paragraphs=[
            Paragraph(1, "Body one.", "body", "Intro"),
            Paragraph(1, "A photo & credit.", "caption"),
            Paragraph(2, "Body two.", "body", "Intro"),
        ],
    )
    html = render.render_reader([article])
    assert '<h2 class="doc-title">A &lt;title&gt;</h2>' in html
    assert "By Jane Roe" in html
    assert "<i>Outlet</i>" in html
    assert "title assigned" in html
    assert html.count('<h3 class="doc-section">Intro</h3>') == 1
    body = '<p class="para body" id="p-009-body-2"><span class="pnum">¶2</span>Body two.</p>'
    assert body in html
    assert (
        '<p class="para caption" id="p-009-caption-1"><span class="pnum">Caption 1</span>'
        "A photo &amp; credit.</p>"
    ) in html


def test_reader_covers_the_real_corpus_one_article_shown_at_a_time() -> None:
    articles = load_corpus(SEEDS)
    html = render.render_reader(articles)
    for a in articles:
        for p in a.paragraphs:
            assert f'id="{render.paragraph_id(a.id, p.kind, p.number)}"' in html
    assert html.count('class="doc is-hidden"') == len(articles) - 1
    assert 'id="p-001-body-6"' in html


def test_article_count_in_the_page_comes_from_the_data() -> None:
    from ui.app import header, placeholder

    assert "five articles" in header(5)
    assert "five" not in header(3)
    assert "the one article." in placeholder(1)
    assert "12 articles" in placeholder(12)


def test_seed_problems_name_the_file_not_the_server_path() -> None:
    html = render.render_seed_problems(["/srv/rag/seeds/x.txt: the file is empty; add text"])
    assert "<li>x.txt: the file is empty; add text</li>" in html
    assert "/srv/" not in html
    assert "rag ingest" in html


@pytest.mark.slow
def test_serve_starts_over_a_valid_index_when_a_seed_file_is_bad(  # type: ignore[no-untyped-def]
    make_settings, make_pipeline, seeds_copy, monkeypatch, caplog
) -> None:
    """Issue 11 item 6: an empty .txt in the seeds doesn't stop `rag serve`; the page
    warns about it, and its article count and reader come from the index."""
    pytest.importorskip("gradio")
    from ports import free_port

    from ui import app

    settings = make_settings(seeds_dir=seeds_copy, port=free_port())
    make_pipeline(settings).ingest()
    (seeds_copy / "zz_empty.txt").write_text("")
    monkeypatch.setattr(app, "_warm_up", lambda pipeline: None)  # no model to load here
    demo = app.launch(settings, block=False)
    try:
        url = f"http://{settings.host}:{settings.port}/"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200
        config = demo.get_config_file()
        shown = [c["props"].get("value") or "" for c in config["components"]]
        warning = next(v for v in shown if "seed-problems" in str(v))
        assert "zz_empty.txt: the file is empty" in warning
        assert str(seeds_copy) not in warning  # no server path on the page
        assert any("zz_empty.txt" in r.getMessage() for r in caplog.records)  # and logged
        fill = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "fill")
        head, _chat, _only, reader, *_pickers = fill()
        assert "five articles" in head
        assert reader.count('<article class="doc') == 5
        assert 'id="p-001-body-6"' in reader
    finally:
        demo.close()
