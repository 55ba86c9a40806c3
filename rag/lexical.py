"""The BM25 side of the index, persisted beside the vectors.

Tokenising and indexing every paragraph takes seconds at 10k paragraphs and
tens of seconds at 100k, so it is done once per index generation and saved under
`<data_dir>/bm25/<generation>`; every later process loads the saved index (and
the paragraph nodes it holds) instead of re-reading the corpus from Chroma. The
generation name is unique per ingest, so a saved index can never be stale; in
server mode each app instance keeps its own copy next to its own data folder.

It is built with bm25s exactly as llama-index's `BM25Retriever` builds it (the same
text per paragraph, tokeniser, stop words and stemmer, so it ranks as that retriever
does), and saved with a lean corpus: each paragraph's id, text and metadata once,
where the retriever's copy serialised every node twice over (2 KB a paragraph). A
process that answers loads it with bm25s alone, as importing llama-index would cost it
2.4 s. Indexes saved in the retriever's format still load.

A saved index records how many paragraphs it holds (`MANIFEST`); one whose
files disagree (a truncated corpus, a missing file) is rebuilt, never used.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bm25s
import numpy as np
import Stemmer
from bm25s.selection import topk

from rag.chunking import StoredChunk, is_sentence_id, node_from_record
from rag.config import Settings
from rag.store import records

if TYPE_CHECKING:
    from llama_index.core.schema import TextNode

log = logging.getLogger(__name__)

MANIFEST = "rag_manifest.json"  # {"paragraphs": N}, written last
_CORPUS = "corpus.jsonl"  # the paragraphs, one record per line (see build_bm25)
_TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # BM25Retriever's default, which build_bm25 keeps
_STOPWORDS = "en"  # BM25Retriever's language="en", as ingest built it


@dataclass
class Lexical:
    """A built or loaded BM25 index and its corpus records, one per paragraph."""

    bm25: bm25s.BM25
    corpus: list[dict[str, Any]]
    stemmer: Any
    token_pattern: str = _TOKEN_PATTERN


def bm25_root(settings: Settings) -> Path:
    return settings.data_dir / "bm25"


def build_bm25(nodes: Sequence[TextNode]) -> Lexical:
    """BM25 over the paragraphs, indexed as `BM25Retriever.from_defaults(nodes,
    language="en", stemmer=english)` indexes them: each node's text with its embedded
    metadata (title, section), English stop words out, Snowball-stemmed."""
    from llama_index.core.schema import MetadataMode

    if not nodes:
        raise ValueError("BM25 needs at least one paragraph")
    stemmer = Stemmer.Stemmer("english")
    tokens = bm25s.tokenize(
        [node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes],
        stopwords=_STOPWORDS,
        stemmer=stemmer,
        token_pattern=_TOKEN_PATTERN,
        show_progress=False,
    )
    bm25 = bm25s.BM25()
    bm25.index(tokens, show_progress=False)
    corpus = [
        {"node_id": node.node_id, "text": node.get_content(), "metadata": dict(node.metadata)}
        for node in nodes
    ]
    return Lexical(bm25, corpus, stemmer)


def save_bm25(lexical: Lexical, settings: Settings, generation: str) -> Path:
    """Write to a scratch folder, then rename: a reader never sees half a save."""
    target = bm25_root(settings) / generation
    scratch = target.with_name(f".{generation}.{uuid.uuid4().hex[:8]}.tmp")
    scratch.mkdir(parents=True)
    try:
        lexical.bm25.save(str(scratch), corpus=lexical.corpus, show_progress=False)
        (scratch / MANIFEST).write_text(json.dumps({"paragraphs": len(lexical.corpus)}))
        scratch.rename(target)
    except OSError:
        if not target.is_dir():  # another process saving the same generation won the race
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def load_bm25(settings: Settings, generation: str) -> Lexical | None:
    """The saved index for this generation, or None (missing or unreadable)."""
    path = bm25_root(settings) / generation
    if not path.is_dir():
        return None
    try:
        problem = bm25_problem(path)
        if problem:
            raise ValueError(problem)
        # The stemmer and token pattern are not saved: they are the ones build_bm25 uses.
        bm25 = bm25s.BM25.load(str(path), load_corpus=True)
        return Lexical(bm25, list(bm25.corpus), Stemmer.Stemmer("english"))
    except Exception as exc:  # a damaged cache is rebuilt, never fatal
        log.warning("ignoring the unreadable BM25 index at %s (%s); rebuilding it", path, exc)
        shutil.rmtree(path, ignore_errors=True)
        return None


def bm25_problem(path: Path) -> str | None:
    """What is wrong with a saved BM25 index (None: its files agree with its manifest)."""
    try:
        expected = int(json.loads((path / MANIFEST).read_text())["paragraphs"])
        with open(path / _CORPUS, "rb") as corpus:
            lines = sum(1 for line in corpus if line.strip())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"unreadable ({exc})"
    if lines != expected:
        return f"{_CORPUS} holds {lines} paragraphs, the manifest says {expected}"
    return None


def build_and_save_bm25(
    nodes: Sequence[TextNode], settings: Settings, generation: str, keep: set[str]
) -> Lexical:
    """Build BM25 for a generation and save it, dropping the saved indexes of every
    generation but this one and `keep`."""
    started = time.perf_counter()
    lexical = build_bm25(nodes)
    try:
        save_bm25(lexical, settings, generation)
        drop_stale_bm25(settings, keep={generation, *keep})
    except OSError as exc:  # a read-only data folder costs a rebuild per process, no more
        log.warning("could not save the BM25 index under %s: %s", settings.data_dir, exc)
    log.info("built BM25 over %d paragraphs in %.1fs", len(nodes), time.perf_counter() - started)
    return lexical


def bm25_search(lexical: Lexical, question: str, k: int) -> list[tuple[int, float]]:
    """The k best paragraphs for the question as (position in the saved corpus, score),
    ranked exactly as `BM25Retriever.retrieve` ranks them. Scored by bm25s directly: the
    llama-index call rebuilds a node from JSON for every hit (6 of its 6.4 ms a query)."""
    words = bm25s.tokenize(
        question,
        stemmer=lexical.stemmer,
        token_pattern=lexical.token_pattern,
        return_ids=False,
        show_progress=False,
    )[0]
    if not words or k <= 0:
        return []
    scores = lexical.bm25.get_scores(list(words))
    top_scores, top = topk(np.asarray(scores), min(k, len(scores)), backend="numpy")
    return [(int(i), float(score)) for i, score in zip(top, top_scores, strict=True)]


def corpus_nodes(lexical: Lexical) -> list[StoredChunk]:
    """The paragraph chunks a saved index carries, so loading needs no Chroma scan. An
    index saved by llama-index's retriever holds each node serialised (`_node_content`)."""
    nodes = []
    for record in lexical.corpus:
        if "_node_content" in record:
            node = json.loads(record["_node_content"])
            nodes.append(StoredChunk(node["id_"], node.get("text") or "", node["metadata"]))
        else:
            nodes.append(StoredChunk(record["node_id"], record["text"], record["metadata"]))
    return nodes


def drop_stale_bm25(settings: Settings, keep: set[str]) -> None:
    root = bm25_root(settings)
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.name not in keep and not path.name.startswith("."):
            shutil.rmtree(path, ignore_errors=True)


def build_lexical(settings: Settings, collection: Any, keep: set[str] | None = None) -> Lexical:
    """BM25 over a generation's paragraphs (sentence vectors serve dense search), saved
    beside the index; `keep` names other generations whose saved BM25 must stay."""
    nodes = [  # a paragraph's record is told from a sentence's by its id (is_sentence_id)
        node_from_record(node_id, text, dict(meta))
        for page in records(collection, fields=("documents", "metadatas"))
        for node_id, text, meta in zip(
            page["ids"], page["documents"], page["metadatas"], strict=True
        )
        if not is_sentence_id(node_id)
    ]
    return build_and_save_bm25(nodes, settings, collection.name, keep=keep or set())
