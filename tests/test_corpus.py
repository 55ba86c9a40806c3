"""Parsing the messy seed texts into articles with numbered paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.corpus import (
    Article,
    CorpusError,
    load_article,
    load_catalog,
    load_corpus,
    parse_article,
)


@pytest.fixture(scope="module")
def corpus(seeds_dir: Path) -> dict:
    return {a.id: a for a in load_corpus(seeds_dir)}


def test_all_seed_articles_load_with_catalog_titles(corpus: dict) -> None:
    assert sorted(corpus) == ["000", "001", "002", "003", "004"]
    assert (
        corpus["003"].title == "Pak-US relations: Areas of Engagement beyond Security Cooperation"
    )
    assert corpus["003"].title_assigned is False
    assert corpus["000"].title_assigned is True
    assert corpus["004"].outlet == "Foreign Policy"
    assert corpus["003"].author == "Nawal Nawaz"
    assert all(a.content_hash for a in corpus.values())


def test_line_broken_mid_sentence_is_one_paragraph(corpus: dict) -> None:
    first = corpus["002"].paragraph(1).text
    assert "has positioned Pakistan as a critical player" in first
    assert len(corpus["002"].body) == 4


def test_paragraph_broken_across_blank_lines_is_one_paragraph(corpus: dict) -> None:
    texts = [p.text for p in corpus["003"].body]
    joined = [t for t in texts if "supply of critical minerals. Given considerable" in t]
    assert len(joined) == 1
    assert not any(t.startswith("minerals.") for t in texts)


def test_markdown_links_keep_text_and_lose_markup(corpus: dict) -> None:
    second = corpus["003"].paragraph(2).text
    assert "The arrest and extradition of the Islamic State" in second
    assert all("](" not in p.text and "[" not in p.text for p in corpus["003"].paragraphs)
    assert "(USAID) programs" in corpus["003"].paragraph(10).text


def test_title_block_becomes_metadata_not_paragraphs(corpus: dict) -> None:
    body = corpus["003"].body
    assert body[0].text.startswith("Historically, the nature of Pakistan-US relations")
    assert not any(p.text in ("By", "Nawal Nawaz") or p.text.startswith("##") for p in body)
    note = [p for p in corpus["003"].paragraphs if p.kind == "note"]
    assert len(note) == 1
    assert note[0].text.startswith("Nawal Nawaz is a Research Assistant")


def test_photo_captions_are_marked_and_do_not_shift_body_numbers(corpus: dict) -> None:
    article = corpus["004"]
    captions = [p for p in article.paragraphs if p.kind == "caption"]
    assert len(captions) == 12  # six photo descriptions, each with its credit line
    assert any(c.text.endswith("via Getty Images") for c in captions)
    assert any(c.text.endswith("White House photographer") for c in captions)
    assert any(c.text.startswith("Four men standing around an open box") for c in captions)
    assert [p.number for p in article.body] == list(range(1, len(article.body) + 1))
    # Body paragraphs on either side of the first photo keep consecutive numbers.
    assert article.paragraph(9).text.startswith("Beyond the fondness for alliteration")
    assert article.paragraph(10).text.startswith("During a speech in Egypt in October")
    assert not any("Getty Images" in p.text for p in article.body)


def test_section_headings_attach_to_following_paragraphs(corpus: dict) -> None:
    sections = [p.section for p in corpus["002"].body]
    assert sections == [
        "What's Happening?",
        "Why It's Important?",
        "What's Next?",
        "Beyond the Headlines",
    ]
    assert not any(p.text == "What's Happening?" for p in corpus["002"].paragraphs)


def test_paragraph_counts_are_stable(corpus: dict) -> None:
    assert {k: len(a.body) for k, a in corpus.items()} == {
        "000": 14,
        "001": 8,
        "002": 4,
        "003": 11,
        "004": 50,
    }


def test_non_utf8_file_gets_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\xe9 politics in Islamabad.".encode("latin-1"))
    with pytest.raises(CorpusError, match=r"latin\.txt.*not valid UTF-8"):
        load_article(bad)


def test_empty_file_gets_error_naming_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    with pytest.raises(CorpusError, match=r"empty\.txt.*empty"):
        load_article(empty)


def test_missing_folder_says_which(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such folder"):
        load_corpus(tmp_path / "nope")


def test_uncatalogued_file_gets_id_and_assigned_title() -> None:
    article = parse_article("First para here. It is long enough.\nSecond one.", "x1")
    assert article.title_assigned
    assert article.title.startswith("First para here")
    assert [p.number for p in article.body] == [1, 2]


def test_by_line_with_name_on_same_line() -> None:
    article = parse_article("# A Title\nBy Jane Doe\n\nBody text here.", "x2")
    assert (article.title, article.author) == ("A Title", "Jane Doe")
    assert [p.text for p in article.paragraphs] == ["Body text here."]


def test_catalog_entries_point_at_real_files(seeds_dir: Path) -> None:
    catalog = load_catalog(seeds_dir)
    assert len(catalog) == 5
    assert all((seeds_dir / name).exists() for name in catalog)


# --- .html/.htm and .pdf articles: rendered as text, then the same parsing rules ---

ARTICLE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Example News | Trade talks</title>
<script>var leaked = "SCRIPT TEXT";</script><style>p { color: red }</style></head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav><p>Subscribe today</p></header>
<article>
<header><h1>Pakistan and the US  Resume Trade Talks</h1><p class="byline">By Jane Doe</p></header>
<p>Officials from both countries met in Washington on Monday to resume talks on tariffs.</p>
<p>The talks were paused in March after a dispute over
   <a href="https://example.com/quotas">textile quotas</a>, which make up most of
   Pakistan&rsquo;s exports.</p>
<figure><img src="a.jpg" alt=""><figcaption>Commerce ministers shake hands in Washington
</figcaption></figure>
<h2>What's Next?</h2>
<p>A second round is planned for June in Islamabad.</p>
<ul><li>Tariffs on textiles could fall to 19%.</li>
<li>Mineral exports are also on the table.</li></ul>
<blockquote><p>“We are close to a deal,” the minister said.</p></blockquote>
<!-- an editor's comment -->
<script>document.write("SCRIPT TEXT")</script>
<p><em>Jane Doe covers trade for the paper.</em></p>
</article>
<aside>Related: more stories</aside>
<footer>Copyright Example News</footer>
</body></html>
"""

# The same article as a text export: links in markdown, a line broken mid-sentence.
ARTICLE_TEXT = """# Pakistan and the US Resume Trade Talks
By Jane Doe

Officials from both countries met in Washington on Monday to resume talks on tariffs.
The talks were paused in March after a dispute over [textile quotas](https://example.com/quotas),
which make up most of Pakistan’s exports.

## What's Next?
A second round is planned for June in Islamabad.
Tariffs on textiles could fall to 19%.
Mineral exports are also on the table.
“We are close to a deal,” the minister said.

*Jane Doe covers trade for the paper.*
"""

EXPECTED_BODY = [
    (
        1,
        "Officials from both countries met in Washington on Monday to resume talks on tariffs.",
        None,
    ),
    (
        2,
        "The talks were paused in March after a dispute over textile quotas, which make up "
        "most of Pakistan’s exports.",
        None,
    ),
    (3, "A second round is planned for June in Islamabad.", "What's Next?"),
    (4, "Tariffs on textiles could fall to 19%.", "What's Next?"),
    (5, "Mineral exports are also on the table.", "What's Next?"),
    (6, "“We are close to a deal,” the minister said.", "What's Next?"),
]


def _body(article: Article) -> list[tuple[int, str, str | None]]:
    return [(p.number, p.text, p.section) for p in article.body]


def test_html_article_parses_into_numbered_paragraphs_and_caption(tmp_path: Path) -> None:
    path = tmp_path / "010_trade.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    article = load_article(path)
    assert (article.id, article.title, article.author) == (
        "010",
        "Pakistan and the US Resume Trade Talks",
        "Jane Doe",
    )
    assert not article.title_assigned
    assert _body(article) == EXPECTED_BODY
    # A figcaption is a caption even without a photo credit (as text it would read as a
    # heading); it is numbered apart, so body numbers on either side stay consecutive.
    captions = [p for p in article.paragraphs if p.kind == "caption"]
    assert [(c.number, c.text) for c in captions] == [
        (1, "Commerce ministers shake hands in Washington")
    ]
    assert [p.text for p in article.paragraphs if p.kind == "note"] == [
        "Jane Doe covers trade for the paper."
    ]
    everything = " ".join([article.title, *(p.text for p in article.paragraphs)])
    for leaked in ("SCRIPT", "color", "Home", "Subscribe", "Related", "Copyright", "http", "<"):
        assert leaked not in everything


def test_same_article_as_txt_and_html_gives_same_paragraphs(tmp_path: Path) -> None:
    (tmp_path / "011_trade.txt").write_text(ARTICLE_TEXT, encoding="utf-8")
    (tmp_path / "012_trade.htm").write_text(ARTICLE_HTML, encoding="utf-8")
    text, html = load_corpus(tmp_path)
    assert (text.id, html.id) == ("011", "012")
    assert _body(text) == _body(html) == EXPECTED_BODY
    assert (text.title, text.author) == (html.title, html.author)
    assert [p.text for p in text.paragraphs if p.kind == "note"] == [
        p.text for p in html.paragraphs if p.kind == "note"
    ]


def test_html_title_falls_back_to_title_tag_and_sections_attach(tmp_path: Path) -> None:
    path = tmp_path / "013.html"
    path.write_text(
        "<html><head><title>Gwadar Port Update</title></head><body>"
        "<div>Work on the second berth at Gwadar began in <b>May</b>.<br>"
        "It should finish next year.</div><h3>Financing</h3>"
        "<p>China is paying for most of it.</p></body></html>",
        encoding="utf-8",
    )
    article = load_article(path)
    assert article.title == "Gwadar Port Update"
    assert _body(article) == [
        (1, "Work on the second berth at Gwadar began in May.", None),
        (2, "It should finish next year.", None),
        (3, "China is paying for most of it.", "Financing"),
    ]


def test_html_encoding_comes_from_the_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "014.html"
    html = '<meta charset="iso-8859-1"><h1>Caf\xe9 Talks</h1><p>\x93Caf\xe9 politics\x94 again.</p>'
    path.write_bytes(html.encode("latin-1"))
    article = load_article(path)
    assert article.title == "Café Talks"
    assert article.paragraph(1).text == "“Café politics” again."  # windows-1252, as browsers do


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<p>Caf\xe9 politics in Islamabad.</p>", r"latin\.html.*not valid UTF-8.*meta charset"),
        (
            '<meta charset="utf-8"><p>Caf\xe9 politics in Islamabad.</p>',
            r"latin\.html.*not valid utf-8 as it declares",
        ),
        ('<meta charset="klingon"><p>Politics.</p>', r"latin\.html.*unknown charset 'klingon'"),
    ],
)
def test_undecodable_html_gets_error_naming_it(tmp_path: Path, html: str, error: str) -> None:
    bad = tmp_path / "latin.html"
    bad.write_bytes(html.encode("latin-1"))
    with pytest.raises(CorpusError, match=error):
        load_article(bad)


def _pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF: each page one Helvetica text object, one string per line."""

    def escape(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 "]
    objects[2] += b"/BaseFont /Helvetica >>"
    kids = []
    for lines in pages:
        ops = "BT /F1 11 Tf 14 TL 72 720 Td " + " ".join(f"({escape(s)}) Tj T*" for s in lines)
        stream = (ops + " ET").encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            b"<< /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PDF_PAGES = [
    [
        "Pakistan Review",
        "Officials from both countries met in Washington on Monday after a long pause in rela-",
        "tions between the two governments, the ministry said.",
        "A second round of talks is planned for June in Islamabad, where the",
        "ministers will discuss tariffs on textiles.",
        "Page 1 of 2",
    ],
    [
        "Pakistan Review",
        "The Pakistan-",
        "US relationship has improved this year.",
        "Page 2 of 2",
    ],
]


def test_pdf_lines_rejoin_into_paragraphs_without_page_furniture(tmp_path: Path) -> None:
    path = tmp_path / "020_review.pdf"
    path.write_bytes(_pdf(PDF_PAGES))
    article = load_article(path)
    assert article.id == "020"
    assert [p.text for p in article.paragraphs] == [
        "Officials from both countries met in Washington on Monday after a long pause in "
        "relations between the two governments, the ministry said.",
        "A second round of talks is planned for June in Islamabad, where the ministers will "
        "discuss tariffs on textiles.",
        "The Pakistan-US relationship has improved this year.",
    ]
    assert [p.number for p in article.body] == [1, 2, 3]


def test_pdf_and_html_content_hash_follows_the_file(tmp_path: Path) -> None:
    pdf = tmp_path / "021.pdf"
    pdf.write_bytes(_pdf(PDF_PAGES))
    before = load_article(pdf).content_hash
    assert load_article(pdf).content_hash == before
    pdf.write_bytes(_pdf([[*PDF_PAGES[0][:-1], "A new closing paragraph.", "Page 1 of 2"]]))
    assert load_article(pdf).content_hash != before

    html = tmp_path / "022.html"
    html.write_text(ARTICLE_HTML, encoding="utf-8")
    before = load_article(html).content_hash
    # Same text, but a paragraph becomes a caption: the index must re-read it.
    html.write_text(ARTICLE_HTML.replace("<p>A second", "<figcaption>A second"), encoding="utf-8")
    assert load_article(html).content_hash != before


def test_unusable_pdfs_get_errors_naming_them(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    cases = {
        "corrupt.pdf": (b"this is not a PDF at all", r"corrupt\.pdf: not a readable PDF"),
        "cut.pdf": (_pdf(PDF_PAGES)[:200], r"cut\.pdf: not a readable PDF"),
        "scan.pdf": (_pdf([[], []]), r"scan\.pdf: .*no text layer.*OCR"),
    }
    for name, (data, error) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(CorpusError, match=error):
            load_article(tmp_path / name)

    (tmp_path / "plain.pdf").write_bytes(_pdf(PDF_PAGES))
    writer = PdfWriter(clone_from=PdfReader(tmp_path / "plain.pdf"))
    writer.encrypt("secret", algorithm="RC4-128")
    writer.write(tmp_path / "locked.pdf")
    with pytest.raises(CorpusError, match=r"locked\.pdf: the PDF is encrypted.*decrypt"):
        load_article(tmp_path / "locked.pdf")
    # Only an owner password (no password to open it): readable as it is.
    writer = PdfWriter(clone_from=PdfReader(tmp_path / "plain.pdf"))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    writer.write(tmp_path / "owner.pdf")
    assert len(load_article(tmp_path / "owner.pdf").body) == 3


def test_a_first_sentence_starting_with_by_is_not_a_byline() -> None:
    article = parse_article(
        "# Trade grows\n\nBy the end of the year, trade between the two had grown.\n", "x"
    )
    assert article.author is None
    assert article.body[0].text.startswith("By the end of the year")
    named = parse_article("# Trade grows\n\nBy Nawal Nawaz\n\nTrade grew.\n", "y")
    assert named.author == "Nawal Nawaz"
