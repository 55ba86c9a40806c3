"""Generators behind one small interface, chosen from settings.

A generator sees the question and numbered sources and returns text whose claims
carry [n] markers pointing at those sources. The pipeline then validates and
renumbers the markers (`rag.citations`), so a generator can't cite what wasn't
retrieved.

- `base`: the `Draft` a generator returns, the `Generator` Protocol, `with_marker`.
- `extractive`: quotes the retrieved sentences that best answer (no model).
- `prompt`: the chat prompt, source packing and escaping, the reply cleaner.
- `chat`: the OpenAI-compatible and in-process llama.cpp generators.
- `redaction`: what of a server's URL or error may be shown (no credentials).

`build_generator` is the one place a generator's name maps to its class; the names
themselves are `rag.defaults.GENERATORS`, re-exported here. The generators import on use,
so listing the names (as `rag --help` does) loads no model code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rag.defaults import GENERATORS, one_of
from rag.generation.base import Draft, Generator, with_marker
from rag.generation.redaction import redact, redact_url

if TYPE_CHECKING:
    from rag.config import Settings


def _extractive(settings: Settings) -> Generator:
    from rag.generation.extractive import ExtractiveGenerator

    return ExtractiveGenerator(
        settings.max_answer_sentences, settings.keep_ratio, settings.min_support
    )


def _openai(settings: Settings) -> Generator:
    from rag.generation.chat import OpenAIGenerator

    return OpenAIGenerator.from_settings(settings)


def _local(settings: Settings) -> Generator:
    from rag.generation.chat import LocalGenerator

    return LocalGenerator.from_settings(settings)


_BUILDERS: dict[str, Callable[[Settings], Generator]] = {
    "extractive": _extractive,
    "openai": _openai,
    "local": _local,
}
assert tuple(_BUILDERS) == GENERATORS, "rag.defaults.GENERATORS and the builders differ"


def build_generator(settings: Settings, name: str | None = None) -> Generator:
    """The generator named (or the one settings choose), imported lazily."""
    choice = name or settings.resolved_generator()
    builder = _BUILDERS.get(choice)
    if builder is None:
        raise ValueError(f"unknown generator {choice!r}; choose {one_of(GENERATORS)}")
    return builder(settings)


__all__ = [
    "GENERATORS",
    "Draft",
    "Generator",
    "build_generator",
    "redact",
    "redact_url",
    "with_marker",
]
