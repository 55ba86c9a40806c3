"""The errors rag raises for its callers, in one place (all exported from `rag`)."""

from __future__ import annotations


class CorpusError(ValueError):
    """An article file that cannot be used; the message names the file and the fix."""


class IndexUnavailable(RuntimeError):
    """The index is missing, unreadable, unreachable or built by another model."""


class IndexBusy(IndexUnavailable):
    """Another ingest holds the index's writer lock (`rag ingest --wait` waits for it)."""


class GeneratorUnavailable(RuntimeError):
    """The LLM could not be reached or gave an unusable reply (after retries)."""
