"""Cited answers from a corpus of articles, offline by default.

from rag import ask, retrieve
a = ask("By how much were tariffs on Pakistani goods lowered?")
print(a.text, a.citations)
"""

from rag.api import Pipeline, ask, ask_stream, get_pipeline, retrieve
from rag.config import Settings, get_settings
from rag.errors import CorpusError, GeneratorUnavailable, IndexUnavailable
from rag.schema import Answer, Citation, Passage

__all__ = [
    "Answer",
    "Citation",
    "CorpusError",
    "GeneratorUnavailable",
    "IndexUnavailable",
    "Passage",
    "Pipeline",
    "Settings",
    "ask",
    "ask_stream",
    "get_pipeline",
    "get_settings",
    "retrieve",
]
