"""Words of like meaning: does a sentence state a question's word in other words?
(A compound's modifier, `stated`; a verb the articles never use, `says`.)

"How long is the prison sentence Khan is serving?" asks about a particular kind of
sentence, and `compound_missing` (rag.answerability) refuses a sentence that tells of a
sentence without "prison": "the trade deal" is not any deal. But "jailed … serving a
14-year sentence" says "prison" in another word. A compound's modifier therefore also
counts as stated when a word of the sentence means nearly the same, by the cosine of
the two words' MiniLM vectors (the embedder the index already uses; no other model).

Only common words are compared, never names: "India" and "Pakistan" are close in any
embedding and are not the same thing.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from rag.embeddings import Embedder, embed_by_length
from rag.question import QuestionFrame
from rag.text import STOPWORDS, content_words, stem

log = logging.getLogger(__name__)

# Two single words this close (cosine of their MiniLM vectors) mean nearly the same:
# "prison"/"jailed" 0.68, "military"/"army" 0.90, "election"/"vote" 0.66. Kinds of one
# thing stay under it ("oil"/"gas" 0.60, "gold"/"copper" 0.45), as does a compound's
# modifier and an unrelated word of the sentence ("trade"/"minerals" 0.24).
KIN_SIMILARITY = 0.65
# Two common words this close are no more alike than any two words of one topic
# ("trade"/"minerals" 0.24): a sentence's nearest word under it says nothing of the
# question's.
UNRELATED_SIMILARITY = 0.35
# Words kept per process: the same paragraphs come back question after question.
WORD_CACHE = 20_000
# Shorter words are too ambiguous to compare out of context ("us", "aid").
MIN_WORD_CHARS = 4
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


class WordKin:
    """Whether a sentence states a question's word in other words: its compound
    modifiers (`stated`), a verb the articles never use (`says`), and how much of the
    question it says at all (`covers`).

    With a `path`, the articles' words' vectors are kept on disk: ingest embeds them
    (`fill`, `save`), so a question embeds only its own words. A missing, damaged or
    other model's file is ignored (and rewritten), never fatal."""

    def __init__(self, embed_model: Embedder, path: Path | None = None) -> None:
        self.embed_model = embed_model
        self.path = path
        self._vectors: dict[str, np.ndarray] = self._load()
        self._lock = threading.Lock()

    def _load(self) -> dict[str, np.ndarray]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            with np.load(self.path, allow_pickle=False) as saved:
                if str(saved["model"]) != self.embed_model.model_name:
                    return {}
                vectors = saved["vectors"].astype(np.float32)
                return dict(zip(saved["words"].tolist(), vectors, strict=True))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            log.warning("ignoring the unreadable word vectors %s (%s)", self.path, exc)
            return {}

    def fill(self, texts: Iterable[str]) -> None:
        """Embed the words of `texts` that `covers` and `says` may compare."""
        words = set().union(*(_comparable(t) for t in texts))
        self._vectors_of(sorted(words))

    def save(self) -> None:
        """Write the vectors atomically (float16: a likeness needs no more)."""
        if self.path is None:
            return
        with self._lock:
            words = list(self._vectors)
            vectors = np.array([self._vectors[w] for w in words], dtype=np.float16)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".words-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(out, model=self.embed_model.model_name, words=words, vectors=vectors)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def stated(self, frame: QuestionFrame, sentence: str) -> frozenset[str]:
        """Stems of the modifiers of `frame.compounds` whose head the sentence names and
        whose modifier it says in another word of like meaning."""
        if not frame.compounds:  # the common case: nothing to read
            return frozenset()
        stems = content_words(sentence)
        wanted = {
            mod: frame.surface.get(mod, mod)
            for mod, head in frame.compounds
            if head in stems and mod not in stems
        }
        if not wanted:
            return frozenset()
        # words written in lower case (names are never compared), and none of the
        # question's own: "deal" is near "trade" but does not say it
        asked = {stem(w) for w in wanted.values()} | set(frame.terms)
        words = _comparable(sentence, asked)
        return frozenset(mod for mod, word in wanted.items() if self._near(word, words))

    def covers(
        self, frame: QuestionFrame, sentences: Sequence[str], idf: Mapping[str, float]
    ) -> list[float]:
        """For each sentence, as term_cover (rag.matching): the idf-weighted share of the
        question's words it states, but a word it says only in other words counts for
        part, the more the nearer the sentence's closest word ("bond" by "ties"). Only for
        the order of an answer's sentences (rag.ranker), never for the gate."""
        if not frame.terms:
            return [0.0] * len(sentences)
        unseen = idf.get("", 1.0)
        weights = np.array([idf.get(t, unseen) for t in frame.terms])
        surface = [frame.surface.get(t, t) for t in frame.terms]
        # names are never compared, nor short words
        likened = [i for i, w in enumerate(surface) if w.islower() and len(w) >= MIN_WORD_CHARS]
        said = [_comparable(s) for s in sentences]
        vocabulary = sorted(set().union(*said))
        alike = np.zeros((len(frame.terms), len(vocabulary)))  # as unrelated as can be
        if likened and vocabulary:
            vectors = self._vectors_of([*(surface[i] for i in likened), *vocabulary])
            asked = np.stack([vectors[surface[i]] for i in likened])
            alike[likened] = asked @ np.stack([vectors[w] for w in vocabulary]).T
        share = np.clip(
            (alike - UNRELATED_SIMILARITY) / (KIN_SIMILARITY - UNRELATED_SIMILARITY), 0.0, 1.0
        )
        column = {w: i for i, w in enumerate(vocabulary)}
        out = []
        for sentence, words in zip(sentences, said, strict=True):
            stems = content_words(sentence)
            cols = [column[w] for w in words]
            credit = share[:, cols].max(axis=1) if cols else np.zeros(len(frame.terms))
            credit = np.where([t in stems for t in frame.terms], 1.0, credit)
            out.append(float(weights @ credit / weights.sum()))
        return out

    def says(self, word: str, sentence: str) -> bool:
        """Does a lower-case word of the sentence mean nearly what `word` does? For a
        question's verb the articles never use: "Has X been convicted?" is not told by
        "the arrest and extradition of X" (0.57), "bought" is by "purchase" (0.87)."""
        return self._near(word.lower(), _comparable(sentence))

    def alike(self, word: str, other: str) -> bool:
        """Does `other` mean nearly what `word` does ("hosted" for "receive")?"""
        return self._near(word.lower(), [other.lower()])

    def _near(self, word: str, words: list[str]) -> bool:
        """Is one of `words` within KIN_SIMILARITY of `word`?"""
        if not words:
            return False
        vectors = self._vectors_of([word, *words])
        return max(float(vectors[w] @ vectors[word]) for w in words) >= KIN_SIMILARITY

    def _vectors_of(self, words: list[str]) -> dict[str, np.ndarray]:
        with self._lock:
            todo = [w for w in dict.fromkeys(words) if w not in self._vectors]
        if todo:
            raw = np.asarray(embed_by_length(self.embed_model, todo), dtype=np.float32)
            unit = raw / (np.linalg.norm(raw, axis=1, keepdims=True) + 1e-9)
            with self._lock:
                self._vectors.update(zip(todo, unit, strict=True))
                while len(self._vectors) > WORD_CACHE:
                    self._vectors.pop(next(iter(self._vectors)))
        with self._lock:
            return {w: self._vectors[w] for w in words}


def _comparable(sentence: str, skip: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The sentence's words worth comparing: written in lower case (names never are),
    long enough, not stopwords, and none whose stem is in `skip`."""
    return sorted(
        {
            w
            for w in _LOWER_WORD.findall(sentence)
            if len(w) >= MIN_WORD_CHARS and w not in STOPWORDS and stem(w) not in skip
        }
    )
