"""Cited answers from a corpus of articles, offline by default.

from rag import ask, retrieve
a = ask("By how much were tariffs on Pakistani goods lowered?")
print(a.text, a.citations)

The public names load on first use (PEP 562), so importing a light submodule such as
`rag.cli` or `rag.errors` does not pull in llama-index, Chroma and the models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rag.api import Pipeline, ask, ask_stream, get_pipeline, retrieve
    from rag.chronology import timeline
    from rag.comparison import compare
    from rag.config import Settings, get_settings
    from rag.errors import CorpusError, GeneratorUnavailable, IndexUnavailable
    from rag.findings import Comparison, Event, Person
    from rag.schema import Answer, Citation, Passage
    from rag.whoswho import entities, people

# public name -> the module that defines it
_EXPORTS = {
    "Answer": "rag.schema",
    "Citation": "rag.schema",
    "Comparison": "rag.findings",
    "CorpusError": "rag.errors",
    "Event": "rag.findings",
    "GeneratorUnavailable": "rag.errors",
    "IndexUnavailable": "rag.errors",
    "Passage": "rag.schema",
    "Person": "rag.findings",
    "Pipeline": "rag.api",
    "Settings": "rag.config",
    "ask": "rag.api",
    "ask_stream": "rag.api",
    "compare": "rag.comparison",
    "entities": "rag.whoswho",
    "get_pipeline": "rag.api",
    "get_settings": "rag.config",
    "people": "rag.whoswho",
    "retrieve": "rag.api",
    "timeline": "rag.chronology",
}

__all__ = [
    "Answer",
    "Citation",
    "Comparison",
    "CorpusError",
    "Event",
    "GeneratorUnavailable",
    "IndexUnavailable",
    "Passage",
    "Person",
    "Pipeline",
    "Settings",
    "ask",
    "ask_stream",
    "compare",
    "entities",
    "get_pipeline",
    "get_settings",
    "people",
    "retrieve",
    "timeline",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rag' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
