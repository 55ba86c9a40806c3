"""What ingest works out once about the articles' text: each paragraph's named entities
(rag.nlp), kept beside the index in data_dir/nlp, and the vectors of the words they use
(rag.kin), kept with the model's other caches in the models folder, since they depend on
the model alone and serve every index built with it. A question then parses and embeds
only itself."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from rag.config import Settings
from rag.embeddings import Embedder
from rag.kin import WordKin
from rag.nlp import EntityCache
from rag.onnx_embedding import file_stem


class Annotations:
    """The caches, each loaded on first use; `refresh` brings them in line after ingest."""

    def __init__(self, settings: Settings, embed_model: Callable[[], Embedder]) -> None:
        self.entities_path = settings.data_dir / "nlp" / "entities.json"
        self.words_path = settings.models_dir / f"words-{file_stem(settings.embed_model)}.npz"
        self._embed_model = embed_model  # loaded only when the word vectors are wanted
        self._lock = threading.Lock()
        self._entities: EntityCache | None = None
        self._kin: WordKin | None = None

    @property
    def entities(self) -> EntityCache:
        with self._lock:
            if self._entities is None:
                self._entities = EntityCache(self.entities_path)
            return self._entities

    @property
    def kin(self) -> WordKin:
        model = self._embed_model()  # outside the lock: the model's loader has its own
        with self._lock:
            if self._kin is None:
                self._kin = WordKin(model, self.words_path)
            return self._kin

    def refresh(self, texts: Sequence[str], changed: bool) -> None:
        """After an ingest (`texts`: every paragraph now indexed): parse the paragraphs
        not parsed yet, and forget those gone; embed the words, when the articles
        `changed` or none were saved (nothing to embed when nothing changed)."""
        self.entities.fill(texts)
        self.entities.save(keep=texts)
        if changed or not self.words_path.exists():
            self.kin.fill(texts)
            self.kin.save()
