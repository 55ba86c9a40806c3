"""Sentence splitting, token-sized chunks that stay inside one paragraph."""

from __future__ import annotations

from rag.chunking import (
    SENTENCE_KEYS,
    TEXT_KEY,
    chunk_article,
    node_from_record,
    paragraph_key,
    split_paragraph,
    stored_metadata,
)
from rag.corpus import parse_article
from rag.text import content_words, count_tokens, split_sentences, stem, tokens


def test_split_sentences_keeps_abbreviations_and_markers() -> None:
    text = (
        "Gen. Munir met J.D. Vance on Sept. 25 in the U.S. capital. It went well. [1] "
        "He said “no.” [2][3] Then he left."
    )
    assert split_sentences(text) == [
        "Gen. Munir met J.D. Vance on Sept. 25 in the U.S. capital.",
        "It went well. [1]",
        "He said “no.” [2][3]",
        "Then he left.",
    ]


def test_content_words_drop_stopwords_and_stem() -> None:
    assert content_words("How much were the tariffs lowered?") == {"tariff", "lower"}


def test_a_verb_and_its_noun_in_ment_share_a_stem() -> None:
    """ "disengages" asked, "Disengagement" told; "agree" and "agreement"."""
    assert stem("disengagement") == stem("disengages") == stem("disengage")
    assert stem("agreement") == stem("agree") == stem("agreed")
    assert stem("investment") == stem("invest")


def test_tokens_keep_abbreviations_and_decimals_but_split_a_figure_run_into_a_word() -> None:
    expected = ["pakistan", "u.s", "deal", "3.5", "billion"]
    assert tokens("Pakistan's U.S. deal: 3.5 billion") == expected
    # a caption whose credit lost its space: the day is still a token of its own
    assert tokens("on Sept. 25.White House photographer")[:4] == ["on", "sept", "25", "white"]


def test_count_tokens_uses_bundled_tiktoken_offline() -> None:
    assert count_tokens("hello world") == 2


def test_long_paragraph_splits_at_sentences_and_keeps_its_number() -> None:
    sentence = "Pakistan and the United States discussed critical minerals again. "
    article = parse_article("Short first paragraph.\n" + sentence * 40, "t1")
    nodes = chunk_article(article, max_tokens=64)
    second = [
        n for n in nodes if n.metadata["paragraph"] == 2 and n.metadata["unit"] == "paragraph"
    ]
    assert len(second) > 3
    assert all(count_tokens(n.get_content()) <= 64 for n in second)
    assert [n.metadata["part"] for n in second] == list(range(len(second)))
    # The full text is kept once, on part 0: storage stays linear in the paragraph.
    assert second[0].metadata["paragraph_text"] == article.paragraph(2).text
    assert not any("paragraph_text" in n.metadata for n in second[1:])
    assert all(n.get_content().endswith("again.") for n in second)  # sentence boundaries


def test_chunks_carry_article_title_paragraph_and_kind() -> None:
    article = parse_article(
        "# Title\nBody one.\nA billboard.\n"
        "People wait, on May 14. Farooq Naeem/AFP via Getty Images",
        "t2",
    )
    nodes = [n for n in chunk_article(article) if n.metadata["unit"] == "paragraph"]
    meta = [(n.metadata["article_id"], n.metadata["kind"], n.metadata["paragraph"]) for n in nodes]
    assert meta == [("t2", "body", 1), ("t2", "caption", 1), ("t2", "caption", 2)]
    assert all(n.metadata["title"] == "Title" for n in nodes)
    assert len({n.node_id for n in nodes}) == len(nodes)


def test_split_paragraph_leaves_short_text_whole() -> None:
    assert split_paragraph("One. Two.", 100) == ["One. Two."]


def test_each_sentence_of_a_paragraph_gets_its_own_vector_node() -> None:
    article = parse_article("First sentence here. Second sentence here.\nAlone.", "t3")
    sentences = [n for n in chunk_article(article) if n.metadata["unit"] == "sentence"]
    assert [n.get_content() for n in sentences] == ["First sentence here.", "Second sentence here."]
    assert all(n.metadata["paragraph"] == 1 for n in sentences)
    text = article.paragraph(1).text
    assert all("paragraph_text" not in n.metadata for n in sentences)  # offsets, not copies
    assert [text[n.metadata["start"] : n.metadata["end"]] for n in sentences] == [
        n.get_content() for n in sentences
    ]


def test_a_sentence_record_stores_where_it_sits_and_embeds_the_bare_sentence() -> None:
    article = parse_article("# Reko Diq\nFirst sentence here. Second sentence here.", "t5")
    sentence = next(n for n in chunk_article(article) if n.metadata["unit"] == "sentence")
    assert set(stored_metadata(sentence)) <= set(SENTENCE_KEYS)  # no title, author, ...
    # the sentence alone is embedded, so the evidence gate can reuse its vector as is
    assert sentence.get_content(metadata_mode="embed") == "First sentence here."
    paragraph = next(n for n in chunk_article(article) if n.metadata["unit"] == "paragraph")
    assert stored_metadata(paragraph)["title"] == "Reko Diq"
    assert "Reko Diq" in paragraph.get_content(metadata_mode="embed")  # the title goes here


def test_a_paragraph_record_keeps_its_text_in_metadata_and_reads_back_whole() -> None:
    article = parse_article("# Reko Diq\nFirst sentence here. Second sentence here.", "t6")
    paragraph = next(n for n in chunk_article(article) if n.metadata["unit"] == "paragraph")
    stored = stored_metadata(paragraph)
    assert stored[TEXT_KEY] == paragraph.get_content()  # no Chroma document to full-text index
    back = node_from_record(paragraph.node_id, None, stored)
    assert back.get_content() == paragraph.get_content()
    assert back.metadata == paragraph.metadata  # the text is not left in the metadata
    # an index stored before keeps the text as the record's document
    older = node_from_record(paragraph.node_id, paragraph.get_content(), dict(paragraph.metadata))
    assert older.get_content() == paragraph.get_content()


def test_a_records_id_tells_which_paragraph_it_belongs_to() -> None:
    article = parse_article("# T\nOne sentence. Two sentences.\n\nAnother one here.", "a:1")
    for node in chunk_article(article):
        m = node.metadata
        assert paragraph_key(node.node_id) == (m["article_id"], m["kind"], m["paragraph"])


def test_a_very_long_paragraph_is_stored_in_space_linear_in_its_length() -> None:
    body = " ".join(f"Sentence number {i} is short." for i in range(1500))
    nodes = chunk_article(parse_article(f"# T\n{body}", "t4"), 256)
    stored = sum(len(n.get_content()) + len(str(n.metadata)) for n in nodes)
    assert stored < 12 * len(body)  # a copy per sentence would be ~1500x


def test_stem_gives_singular_and_plural_of_y_words_one_stem() -> None:
    from rag.text import stem

    assert stem("cryptocurrencies") == stem("cryptocurrency")
    assert stem("policies") == stem("policy")
    assert stem("applied") == stem("apply")
    assert stem("tariffs") == stem("tariff")


def test_a_sentence_giving_the_reason_of_the_one_before_is_judged_with_it() -> None:
    """ "…,” said Otieno. “That's primarily because…”": the reason names nothing it
    explains, so the gate judges and quotes the two as one (under the first's number)."""
    from rag.sentences import judged_spans

    text = (
        "Kenya opened the port last year. “Traders want no delays at the border,” said "
        "Otieno. “That’s primarily because the rice spoils in a week.” Trade with Uganda "
        "has doubled."
    )
    spans = judged_spans(text, [])
    assert [n for n, _, _ in spans] == [0, 1, 3]
    _, start, end = spans[1]
    assert text[start:end].startswith("“Traders want")
    assert text[start:end].endswith("spoils in a week.”")
