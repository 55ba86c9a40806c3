"""Cited answers from a corpus of articles, offline by default.

from rag import ask, retrieve
a = ask("By how much were tariffs on Pakistani goods lowered?")
print(a.text, a.citations)

The public names load on first use (PEP 562), so importing a light submodule such as
`rag.cli` or `rag.errors` does not pull in llama-index, Chroma and the models.

Public API
----------
`rag` exports the questions (`ask`, `ask_stream`, `retrieve` and its `Mode`), the pipeline
(`Pipeline`, `get_pipeline`), settings (`Settings`, `get_settings`), the answer types
(`Answer`, `Citation`, `Passage`), the errors, and the views (`compare`, `timeline`,
`people`, `entities`, with `Comparison`, `Event`, `Person`): see `__all__`.

ui/ and eval/ import those from `rag`, and beyond them only these documented submodules
(tests/test_api.py keeps them to it); every other module is internal and may change:

- `rag.config`, `rag.errors`, `rag.schema`: settings, errors, the answer types and labels.
- `rag.corpus`: `Article`, `Paragraph`, `load_corpus`, `strip_links`.
- `rag.text`, `rag.citations`: the `[n]` marker, sentence splitting, citation parsing.
- `rag.answers`: the refusal and note wording.
- `rag.conversation`: `condense`, a follow-up rewritten to stand alone.
- `rag.generation`: the generator names (`GENERATORS`) and `redact_url`.
- `rag.defaults`: `apply_offline_defaults`, for a process entry such as the UI's `launch`.
- `rag.embeddings`: `llama_embedding`, for the llama-index baselines.
- the views' modules: `rag.findings`, `rag.comparison`, `rag.comparison_chat`,
  `rag.chronology`, `rag.whoswho`.
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
    from rag.retrieval import Mode
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
    "Mode": "rag.retrieval",
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
    "Mode",
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
