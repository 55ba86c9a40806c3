"""`rag doctor`: check every file the index keeps, and the exported embedding model, and
say what is wrong and the fix.

Each check is independent and returns a `Check`; none of them changes anything.
The HNSW probe (rag.store_files.probe_search) runs in a child process, because a
damaged vector file can crash Chroma's native code outright.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.config import Settings
from rag.errors import CorpusError, IndexUnavailable
from rag.store_files import REBUILD


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        return f"{mark} {self.name}: {self.detail}" + (f" — fix: {self.fix}" if self.fix else "")


def diagnose(settings: Settings) -> list[Check]:
    """Every check, in the order data flows: seeds, store, generation, model, vectors,
    BM25."""
    from rag.embeddings import model_files_check
    from rag.index import active_info, check_compatible, chunking_id
    from rag.lexical import bm25_problem, bm25_root
    from rag.store import ChromaStore, integrity

    checks = [_seeds(settings)]
    found = integrity(settings)
    if found is not None:
        sound, detail = found
        if not sound:  # nothing else can be read reliably
            return [*checks, Check("database", False, detail, REBUILD)]
        checks.append(Check("database", True, detail))
    try:
        store = ChromaStore(settings)
        info = active_info(store)
    except IndexUnavailable as exc:
        return [*checks, Check("store", False, str(exc))]
    if info is None:
        return [*checks, Check("index", False, "nothing ingested yet", "run `rag ingest`")]
    checks.append(Check("store", True, f"{store.address}, active generation {info.collection}"))
    try:
        check_compatible(info, settings)
        checks.append(Check("embeddings", True, info.embedding))
    except IndexUnavailable as exc:
        checks.append(Check("embeddings", False, str(exc)))
    model = model_files_check(settings)
    if model is not None:
        sound, detail = model
        checks.append(
            Check("model", sound, detail)
            if sound
            else Check("model", False, detail, "none needed: the next command re-exports it")
        )
    current = chunking_id(settings)
    checks.append(
        Check("chunking", True, info.chunking)
        if info.chunking == current
        else Check(
            "chunking",
            False,
            f"the index was chunked as {info.chunking}, this version and settings chunk as "
            f"{current}; questions are answered from it meanwhile",
            "run `rag ingest` to re-chunk it",
        )
    )
    try:
        problem = store.probe(info.collection)
        checks.append(
            Check("vectors", True, "a search finds a stored vector")
            if problem is None
            else Check("vectors", False, f"the vector index is damaged: {problem}", REBUILD)
        )
    except IndexUnavailable as exc:
        checks.append(Check("vectors", False, str(exc)))
    saved = bm25_root(settings) / info.collection
    if not saved.is_dir():
        checks.append(Check("bm25", True, "not saved yet: built on the next question"))
    else:
        problem = bm25_problem(saved)
        checks.append(
            Check("bm25", False, f"{saved}: {problem}", "none needed: it is rebuilt on next load")
            if problem
            else Check("bm25", True, f"{saved.name} matches its manifest")
        )
    return checks


def _seeds(settings: Settings) -> Check:
    from rag.corpus import iter_articles

    try:
        count = sum(1 for _ in iter_articles(settings.seeds_dir))
    except CorpusError as exc:
        return Check("seeds", False, str(exc), "fix or remove that file, then `rag ingest`")
    return Check("seeds", True, f"{count} articles readable in {settings.seeds_dir}")
