"""Cited answers from a corpus of articles, offline by default.

from rag import ask, retrieve
a = ask("By how much were tariffs on Pakistani goods lowered?")
print(a.text, a.citations)
"""

from rag.api import Pipeline, ask, ask_stream, get_pipeline, retrieve
from rag.chronology import timeline
from rag.comparison import compare
from rag.config import Settings, get_settings
from rag.errors import CorpusError, GeneratorUnavailable, IndexUnavailable
from rag.findings import Comparison, Event, Person
from rag.schema import Answer, Citation, Passage
from rag.whoswho import entities, people

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
