"""Where ingest keeps what it works out about the articles' text (rag.annotations)."""

from __future__ import annotations

from pathlib import Path

from rag.annotations import Annotations
from rag.config import Settings


def _never() -> None:
    raise AssertionError("the model is loaded only when the word vectors are wanted")


def test_entities_stay_with_the_index_and_word_vectors_with_the_model(tmp_path: Path) -> None:
    def made(data: str, model: str = "all-MiniLM-L6-v2") -> Annotations:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            data_dir=tmp_path / data,
            model_cache_dir=tmp_path / "models",
            embed_model=model,
        )
        return Annotations(settings, _never)  # type: ignore[arg-type]

    one, two = made("one"), made("two")
    assert one.entities_path == tmp_path / "one" / "nlp" / "entities.json"
    assert one.entities_path != two.entities_path
    # word vectors depend on the model alone: every index built with it shares them
    assert one.words_path == two.words_path == tmp_path / "models" / "words-all-MiniLM-L6-v2.npz"
    assert made("one", "/opt/models/my model").words_path.name == "words-opt_models_my_model.npz"
    assert one.entities.path == one.entities_path  # no model loaded for the entities
