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

import re
import threading

import numpy as np

from rag.embeddings import Embedder, embed_by_length
from rag.question import QuestionFrame
from rag.text import STOPWORDS, content_words, stem

# Two single words this close (cosine of their MiniLM vectors) mean nearly the same:
# "prison"/"jailed" 0.68, "military"/"army" 0.90, "election"/"vote" 0.66. Kinds of one
# thing stay under it ("oil"/"gas" 0.60, "gold"/"copper" 0.45), as does a compound's
# modifier and an unrelated word of the sentence ("trade"/"minerals" 0.24).
KIN_SIMILARITY = 0.65
# Words kept per process: the same paragraphs come back question after question.
WORD_CACHE = 20_000
# Shorter words are too ambiguous to compare out of context ("us", "aid").
MIN_WORD_CHARS = 4
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


class WordKin:
    """Whether a sentence states a question's word in other words: its compound
    modifiers (`stated`) or a verb the articles never use (`says`)."""

    def __init__(self, embed_model: Embedder) -> None:
        self.embed_model = embed_model
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

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

    def says(self, word: str, sentence: str) -> bool:
        """Does a lower-case word of the sentence mean nearly what `word` does? For a
        question's verb the articles never use: "Has X been convicted?" is not told by
        "the arrest and extradition of X" (0.57), "bought" is by "purchase" (0.87)."""
        return self._near(word.lower(), _comparable(sentence))

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
