"""BM25 over the paragraphs: built and searched through bm25s directly, ranked as
llama-index's BM25Retriever ranks, and loaded back from disk without llama-index, in our
lean format or the retriever's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import Stemmer
from llama_index.core.schema import QueryBundle, TextNode
from llama_index.retrievers.bm25 import BM25Retriever

from rag.chunking import StoredChunk, chunk_article, is_sentence
from rag.config import Settings
from rag.corpus import parse_article
from rag.lexical import MANIFEST, bm25_search, build_bm25, corpus_nodes, load_bm25, save_bm25

ARTICLE = """# Minerals and tariffs
Pakistan signed a $500 million minerals deal with U.S. Strategic Metals.

The trade deal lowered tariffs on Pakistani goods from 29% to 19%.

Reko Diq holds copper and gold; Barrick Gold runs the mine.

Gwadar port could carry the ore. The port sits on the Arabian Sea.

Tariffs, tariffs and more tariffs: the word repeats, so the scores tie less often.
"""


@pytest.fixture(scope="module")
def paragraphs() -> list[TextNode]:
    nodes = chunk_article(parse_article(ARTICLE, "t1"))
    return [n for n in nodes if not is_sentence(n.metadata)]


def llama_bm25(paragraphs: list[TextNode]) -> BM25Retriever:
    """How ingest built BM25 before it used bm25s directly."""
    return BM25Retriever.from_defaults(
        nodes=list(paragraphs),
        stemmer=Stemmer.Stemmer("english"),
        language="en",
        similarity_top_k=len(paragraphs),
    )


@pytest.mark.parametrize(
    "question",
    [
        "How far did tariffs fall?",
        "Who runs the Reko Diq mine?",
        "minerals deal with U.S. Strategic Metals",
        "Which port could carry the ore?",
        "gold copper tariffs port deal",
    ],
)
def test_bm25_search_ranks_as_the_llama_index_retriever_does(
    paragraphs: list[TextNode], question: str
) -> None:
    ours = bm25_search(build_bm25(paragraphs), question, len(paragraphs))
    theirs = llama_bm25(paragraphs).retrieve(QueryBundle(question))
    assert [paragraphs[i].node_id for i, _ in ours] == [n.node.node_id for n in theirs]
    assert [s for _, s in ours] == pytest.approx([n.score for n in theirs])
    assert ours[0][1] > 0


@pytest.mark.parametrize("question", ["What is it?", "zebra xylophone", "?!", ""])
def test_bm25_search_of_a_question_with_no_indexed_word_scores_nothing(
    paragraphs: list[TextNode], question: str
) -> None:
    assert all(s == 0 for _, s in bm25_search(build_bm25(paragraphs), question, 3))


def test_a_saved_index_loads_back_with_the_same_ranking_and_paragraphs(
    paragraphs: list[TextNode], tmp_path: Path
) -> None:
    built = build_bm25(paragraphs)
    settings = Settings(data_dir=tmp_path)
    save_bm25(built, settings, "g1")
    loaded = load_bm25(settings, "g1")
    assert loaded is not None
    for question in ("How far did tariffs fall?", "Who runs the Reko Diq mine?", "port ore"):
        n = len(paragraphs)
        assert bm25_search(loaded, question, n) == bm25_search(built, question, n)
    assert corpus_nodes(loaded) == [
        StoredChunk(p.node_id, p.get_content(), dict(p.metadata)) for p in paragraphs
    ]


def test_an_index_saved_by_llama_indexs_retriever_still_loads(
    paragraphs: list[TextNode], tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path)
    folder = tmp_path / "bm25" / "old"
    folder.mkdir(parents=True)
    llama_bm25(paragraphs).persist(str(folder))
    (folder / MANIFEST).write_text(json.dumps({"paragraphs": len(paragraphs)}))
    loaded = load_bm25(settings, "old")
    assert loaded is not None
    assert corpus_nodes(loaded) == [
        StoredChunk(p.node_id, p.get_content(), dict(p.metadata)) for p in paragraphs
    ]
    n = len(paragraphs)
    assert bm25_search(loaded, "port ore", n) == bm25_search(build_bm25(paragraphs), "port ore", n)


def test_the_saved_corpus_holds_each_paragraph_once(
    paragraphs: list[TextNode], tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path)
    path = save_bm25(build_bm25(paragraphs), settings, "g1")
    text = (path / "corpus.jsonl").read_text()
    assert text.count("Gwadar port could carry the ore") == 1
