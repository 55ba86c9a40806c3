"""The LLM generators: OpenAI or any OpenAI-compatible server (vLLM, Ollama, llama.cpp),
and llama.cpp in-process for a GGUF file.

We call the `openai` client directly rather than llama-index's OpenAI LLM class:
it streams usage figures, takes any model name a compatible server serves, and
its retry/backoff on timeouts, 429s and 5xx is what we configure from settings.

Both generators send the prompt of `rag.generation.prompt` and clean the reply
stream with its `ReplyCleaner` (and `SentenceAttributor`, if asked). Errors and
logs never show a credential: see `rag.generation.redaction`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.errors import GeneratorUnavailable
from rag.generation.base import Draft
from rag.generation.prompt import ReplyCleaner, SentenceAttributor, build_messages, pack_sources
from rag.generation.redaction import redact, redact_url
from rag.schema import Passage
from rag.scored import ScoredSentence
from rag.text import count_tokens

log = logging.getLogger(__name__)

# Errors a server gives for a prompt longer than its context (llama.cpp, vLLM, OpenAI).
_TOO_LONG = re.compile(r"context|maximum.*tokens|too (?:long|many tokens)|exceed", re.I)


# --- the generators -----------------------------------------------------------------


@dataclass
class _ChatGenerator:
    """The shared prompt, packing, stream cleaning and usage accounting."""

    settings: Settings
    name: str = "chat"

    # Subclasses: the prompt budget, the token counter, and the raw reply stream.
    def budget(self) -> int:
        raise NotImplementedError

    def count(self, text: str) -> int:
        return count_tokens(text)

    def _reply(
        self, messages: list[dict[str, str]], usage: dict[str, int]
    ) -> Iterator[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _describe_failure(self, exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}"

    def _is_too_long(self, exc: BaseException) -> bool:
        return False

    def messages(
        self, question: str, sources: Sequence[Passage], budget: int | None = None
    ) -> tuple[list[dict[str, str]], int, int]:
        """(chat messages, prompt tokens by our count, number of sources sent)."""
        blocks, tokens = pack_sources(
            question, sources, self.budget() if budget is None else budget, self.count
        )
        return build_messages(question, blocks), tokens, len(blocks)

    def stream(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Iterator[str | Draft]:
        budget = self.budget()
        notes: list[str] = []
        for attempt in range(3):
            messages, estimate, sent = self.messages(question, sources, budget)
            if sources and not sent:
                raise GeneratorUnavailable(
                    f"no source fits the {budget}-token prompt budget of the {self.name} "
                    "generator; raise RAG_CONTEXT_WINDOW or lower RAG_ANSWER_TOKENS"
                )
            usage = {
                "prompt_tokens_estimated": estimate,
                "prompt_budget": budget,
                "sources_sent": sent,
            }
            cleaner = ReplyCleaner(sent)
            attributor = (
                SentenceAttributor(sources[:sent]) if self.settings.attribute_uncited else None
            )
            emitted: list[str] = []
            started = False
            reply = self._reply(messages, usage)
            try:
                for delta in reply:
                    started = True
                    if cleaner.declined:
                        break  # no need to read the rest of a refusal
                    out = cleaner.feed(delta)
                    if attributor is not None:
                        out = attributor.feed(out)
                    if out:
                        emitted.append(out)
                        yield out
            except GeneratorUnavailable:
                raise
            except Exception as exc:  # the client's, the server's and the parser's errors
                if not started and self._is_too_long(exc) and sent > 1 and attempt < 2:
                    notes.append(f"prompt too long for the {self.name} model; fewer sources sent")
                    budget = estimate * 3 // 4
                    continue
                raise GeneratorUnavailable(self._describe_failure(exc)) from exc
            finally:
                _close(reply)  # releases the HTTP response or the llama.cpp lock at once
            break
        tail = cleaner.flush()
        if attributor is not None:
            tail = attributor.feed(tail) + attributor.flush()
            if attributor.added:
                notes.append(
                    f"{attributor.added} sentence(s) the model left uncited were given the "
                    "marker of the source that covers most of their words"
                )
        if tail:
            emitted.append(tail)
            yield tail
        answer = "".join(emitted).strip()
        declined = cleaner.declined or not re.search(r"\w", answer)
        yield Draft(answer, declined=declined, usage=usage, notes=notes)

    def generate(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Draft:
        final = Draft("")
        for event in self.stream(question, sources, scored):
            if isinstance(event, Draft):
                final = event
        return final


@dataclass
class OpenAIGenerator(_ChatGenerator):
    """OpenAI, or any server speaking its chat-completions API (vLLM, Ollama, llama.cpp)."""

    name: str = "openai"
    _client_cache: Any = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIGenerator:
        if not settings.openai_configured:
            raise ValueError(
                "the openai generator needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
                "OpenAI-compatible server); or use --generator extractive"
            )
        return cls(settings)

    @property
    def where(self) -> str:
        """The server's address for notes and errors, without any credentials in it."""
        return redact_url(self.settings.openai_url)

    @property
    def _secret(self) -> str | None:
        key = self.settings.openai_api_key
        return key.get_secret_value() if key else None

    def client(self):  # type: ignore[no-untyped-def]
        """One client per generator: it pools connections across questions."""
        if self._client_cache is None:
            from openai import OpenAI

            self._client_cache = OpenAI(
                # A local server needs no key, but the client insists on one.
                api_key=self._secret or "not-needed",
                base_url=self.settings.openai_base_url,
                timeout=self.settings.openai_timeout,
                max_retries=self.settings.openai_max_retries,
            )
        return self._client_cache

    def budget(self) -> int:
        room = self.settings.context_window - self.settings.answer_tokens
        return int(room * (1 - self.settings.context_margin))

    def _reply(self, messages: list[dict[str, str]], usage: dict[str, int]) -> Iterator[str]:
        response = self.client().chat.completions.create(
            model=self.settings.openai_model,
            messages=messages,  # type: ignore[arg-type]
            temperature=self.settings.temperature,
            max_tokens=self.settings.answer_tokens,
            stream=True,
            stream_options={"include_usage": True},
        )
        finished = reported = False
        deltas = 0
        try:
            for chunk in response:
                if chunk.usage:
                    reported = True
                    usage["prompt_tokens"] = chunk.usage.prompt_tokens
                    usage["completion_tokens"] = chunk.usage.completion_tokens
                    usage["total_tokens"] = chunk.usage.total_tokens
                for choice in chunk.choices or []:
                    finished = finished or bool(choice.finish_reason)
                    if choice.delta and choice.delta.content:
                        deltas += 1
                        yield choice.delta.content
        finally:
            response.close()
        if not reported:
            # Some servers (llama-cpp-python's) ignore stream_options.include_usage. Then
            # the prompt is our tiktoken count, and a streamed delta is about one token.
            usage["prompt_tokens"] = usage["prompt_tokens_estimated"]
            usage["completion_tokens"] = deltas
            usage["total_tokens"] = usage["prompt_tokens"] + deltas
            usage["usage_estimated"] = 1
        if not finished:
            raise GeneratorUnavailable(
                f"the reply from {self.where} ended without finishing (no finish_reason); "
                "is it an OpenAI-compatible chat-completions server?"
            )

    def _describe_failure(self, exc: BaseException) -> str:
        import openai

        retries = self.settings.openai_max_retries
        if isinstance(exc, openai.APITimeoutError):
            what = f"no reply within {self.settings.openai_timeout:g}s"
        elif isinstance(exc, openai.APIConnectionError):
            what = "could not connect"
        elif isinstance(exc, openai.RateLimitError):
            what = "rate limited (HTTP 429)"
        elif isinstance(exc, openai.AuthenticationError):
            what = "the API key was refused (HTTP 401); check OPENAI_API_KEY"
        elif isinstance(exc, openai.APIStatusError):
            what = f"HTTP {exc.status_code}: {_short(str(exc))}"
        else:
            what = f"unusable reply ({type(exc).__name__}: {_short(str(exc))})"
        tries = f" after {retries} retr{'y' if retries == 1 else 'ies'}" if retries else ""
        return redact(f"{what} from {self.where}{tries}", self._secret)

    def _is_too_long(self, exc: BaseException) -> bool:
        import openai

        return isinstance(exc, openai.BadRequestError) and bool(_TOO_LONG.search(str(exc)))


@dataclass
class LocalGenerator(_ChatGenerator):
    """llama.cpp in-process for a GGUF file; needs the optional `local` extra."""

    name: str = "local"
    llama: Any = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalGenerator:
        try:
            import llama_cpp
        except ImportError as exc:
            raise ValueError(
                "the local generator needs llama-cpp-python, the optional `local` extra: "
                "pip install -e '.[local]' (it compiles for several minutes)"
            ) from exc
        path = settings.local_model_path
        if path is None:
            raise ValueError(
                "the local generator needs a GGUF model file: set RAG_LOCAL_MODEL_PATH"
            )
        path = Path(path).expanduser()
        if not path.is_file():
            raise ValueError(f"RAG_LOCAL_MODEL_PATH {path} is not a file; point it at a .gguf")
        try:
            llama = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=settings.local_context,
                n_threads=settings.local_threads,
                chat_format=settings.local_chat_format,
                verbose=False,
            )
        except Exception as exc:  # llama.cpp reports a bad file as ValueError/RuntimeError
            raise ValueError(f"llama.cpp could not load {path}: {exc}") from exc
        return cls(settings, llama=llama)

    def budget(self) -> int:
        return self.settings.local_context - self.settings.answer_tokens

    def count(self, text: str) -> int:
        """Exact: the model's own tokenizer."""
        return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _reply(self, messages: list[dict[str, str]], usage: dict[str, int]) -> Iterator[str]:
        with self._lock:  # one llama.cpp context serves one request at a time
            chunks: Iterable[dict[str, Any]] = self.llama.create_chat_completion(
                messages=messages,
                temperature=self.settings.temperature,
                max_tokens=self.settings.answer_tokens,
                stream=True,
            )
            generated = 0
            for chunk in chunks:
                for choice in chunk.get("choices", []):
                    content = (choice.get("delta") or {}).get("content")
                    if content:
                        generated += 1
                        yield content
            # llama.cpp streams no usage; the context holds the prompt and the reply.
            usage["completion_tokens"] = generated
            usage["prompt_tokens"] = max(int(self.llama.n_tokens) - generated, 0)

    def _is_too_long(self, exc: BaseException) -> bool:
        return isinstance(exc, ValueError) and bool(_TOO_LONG.search(str(exc)))

    def _describe_failure(self, exc: BaseException) -> str:
        return f"llama.cpp failed on {self.settings.local_model_path}: {type(exc).__name__}: {exc}"


def _close(reply: Iterator[str]) -> None:
    """Stops a reply stream now; `_reply` implementations are generators, which close."""
    close = getattr(reply, "close", None)
    if close is not None:
        close()


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["LocalGenerator", "OpenAIGenerator"]
