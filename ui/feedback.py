"""Thumbs up/down on answers, appended as one JSON object per line.

What is accepted, and how much:
- a vote is "up" or "down" (the UI's like/dislike map onto them); anything else is
  rejected with a short message and nothing is stored;
- an optional comment of at most MAX_COMMENT_CHARS characters;
- each record is at most MAX_RECORD_BYTES: long questions and answers are cut, and
  citations beyond MAX_CITATIONS are left out;
- at most MAX_VOTES_PER_SESSION records per browser session;
- a repeated vote on the same answer (same session, same turn) is ignored; a changed vote
  is stored as a new record, and the last record for a (session, turn) wins.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.schema import Answer

VOTES = ("up", "down")
MAX_COMMENT_CHARS = 500
MAX_VOTES_PER_SESSION = 100
MAX_RECORD_BYTES = 16_000
MAX_TEXT_CHARS = 4_000  # question and answer text in one record
MAX_CITATIONS = 20

_lock = threading.Lock()


class FeedbackRejected(ValueError):
    """Feedback that is not stored; the message is short and fit for the reader."""


def feedback_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / "feedback.jsonl"


def check_vote(vote: object) -> str:
    """The vote, "up" or "down"; anything else is FeedbackRejected."""
    if isinstance(vote, str) and vote.strip().lower() in VOTES:
        return vote.strip().lower()
    raise FeedbackRejected("a vote must be up or down")


def check_comment(comment: object) -> str | None:
    """The comment without surrounding space (None when empty), or FeedbackRejected."""
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise FeedbackRejected("a comment must be text")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackRejected(f"a comment must be at most {MAX_COMMENT_CHARS} characters")
    return comment or None


@dataclass
class VoteLedger:
    """One session's votes so far: decides whether a new one is stored."""

    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    votes: dict[int, str] = field(default_factory=dict)  # turn -> last stored vote
    stored: int = 0

    def admit(self, turn: int, vote: str) -> bool:
        """True to store this vote (and count it); False for a repeat of the last vote on
        the same turn. FeedbackRejected past MAX_VOTES_PER_SESSION."""
        vote = check_vote(vote)
        if self.votes.get(turn) == vote:
            return False
        if self.stored >= MAX_VOTES_PER_SESSION:
            raise FeedbackRejected(
                f"this session has reached its limit of {MAX_VOTES_PER_SESSION} votes"
            )
        self.votes[turn] = vote
        self.stored += 1
        return True


def _cut(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def feedback_record(
    answer: Answer,
    asked: str,
    vote: str,
    options: dict[str, Any],
    settings: Settings,
    *,
    comment: str | None = None,
    session_id: str | None = None,
    turn: int | None = None,
) -> dict[str, Any]:
    """What one vote stores: enough to reproduce and judge the answer later.
    FeedbackRejected for a bad vote or comment, or a record over MAX_RECORD_BYTES."""
    citations = [asdict(c) for c in answer.citations[:MAX_CITATIONS]]
    record: dict[str, Any] = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "vote": check_vote(vote),
        "comment": check_comment(comment),
        "session": session_id,
        "turn": turn,
        "question": _cut(asked),
        "standalone_question": _cut(answer.question),
        "answer": _cut(answer.text),
        "supported": answer.supported,
        "citations": citations,
        "generator": answer.generator,
        "settings": {
            **options,
            "embed_model": settings.embed_model,
            "min_support": settings.min_support,
            "openai_model": settings.openai_model if answer.generator == "openai" else None,
        },
    }
    if len(json.dumps(record, ensure_ascii=False).encode()) > MAX_RECORD_BYTES:
        for citation in citations:
            citation["text"] = _cut(str(citation.get("text", "")), 500)
            citation["quote"] = _cut(str(citation.get("quote", "")), 300)
    if len(json.dumps(record, ensure_ascii=False).encode()) > MAX_RECORD_BYTES:
        raise FeedbackRejected("this feedback is too large to store")
    return record


def append_feedback(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False)
    with _lock, path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
