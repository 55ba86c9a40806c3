"""Thumbs up/down on answers, appended as one JSON object per line."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.schema import Answer

_lock = threading.Lock()


def feedback_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / "feedback.jsonl"


def feedback_record(
    answer: Answer, asked: str, vote: str, options: dict[str, Any], settings: Settings
) -> dict[str, Any]:
    """What one vote stores: enough to reproduce and judge the answer later."""
    return {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "vote": vote,
        "question": asked,
        "standalone_question": answer.question,
        "answer": answer.text,
        "supported": answer.supported,
        "citations": [asdict(c) for c in answer.citations],
        "generator": answer.generator,
        "settings": {
            **options,
            "embed_model": settings.embed_model,
            "min_support": settings.min_support,
            "openai_model": settings.openai_model if answer.generator == "openai" else None,
        },
    }


def append_feedback(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False)
    with _lock, path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
