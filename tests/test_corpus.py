"""Parsing the messy seed texts into articles with numbered paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.corpus import CorpusError, load_article, load_catalog, load_corpus, parse_article


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
