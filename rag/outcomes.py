"""What came of an event: a question asking for an outcome ("What came of the talks?") or
for an event that followed another ("…launched as a result of the letter of intent"), and
whether a sentence tells of one (`unresulted`, the answerability signal)."""

from __future__ import annotations

import re

from rag.matching import Text
from rag.question import QuestionFrame
from rag.vocabulary import tells_verb

# A question asking what came of a done event ("What came of the talks?", "What was the
# outcome of…", "What resulted from…", "What did the deal lead to?", "How did the clash
# end?"): a sentence telling of the event answers it only if it tells of a result.
_OUTCOME_ASKED = re.compile(
    r"\bwhat came of\b|\bwhat (?:was|were) the (?:\w+ )?(?:results?|outcomes?|upshot|"
    r"consequences?)\b|\bwhat (?:resulted|followed|happened)\b|"
    r"\bwhat did .+ (?:lead to|result in|achieve|accomplish|produce|yield)\b|"
    r"\bhow did .+ (?:end|turn out)\b|\bin (?:retaliation|response)\b",
    re.I,
)
# What a sentence telling of a result says: a result word, a clause of what it did
# ("…, which helped capture…", "…, rankling India", "…that killed 13"), or what it
# brought or achieved. Not "following" or "during which": those look back.
_TELLS_RESULT = re.compile(
    r"\b(?:result\w*|led to|lead(?:s|ing)? to|brought|bring\w*|yield\w*|produc\w*|"
    r"achiev\w*|success\w*|culminat\w*|ended|ensu\w*|outcomes?|consequen\w*|"
    r"so that|therefore|thus|allow\w*|enabl\w*|helped|paved|prompt\w*|trigger\w*|"
    r"spark\w*|retaliat\w*|in response)\b|"
    r"\b(?:which|that) (?!\w+ing\b)\w+ed\b|,\s(?!following\b|including\b|according\b)\w+ing\b",
    re.I,
)


def asks_outcome(question: str) -> bool:
    return bool(_OUTCOME_ASKED.search(question))


# An event asked of as coming after another ("What sentence did X receive after his
# extradition?", "…launched as a result of the letter of intent"): a sentence telling of
# the earlier event alone says nothing of it.
_AFTER_ASKED = re.compile(r"\b(?:afterwards|in the wake of|as a result of|in return for)\b", re.I)


def asks_after(question: str) -> bool:
    return bool(_AFTER_ASKED.search(question))


def tells_result(sentence: str) -> bool:
    return bool(_TELLS_RESULT.search(sentence))


def unresulted(frame: QuestionFrame, sentence: str, text: Text, verb_kin: bool | None) -> bool:
    """The question asks what came of an event and the sentence tells of no result; or it
    asks of an event as the result of another, and the sentence tells of the event neither
    by its verb nor in a word of like meaning (`verb_kin`, rag.kin): only of the other."""
    if asks_outcome(frame.text) and not tells_result(sentence):
        return True
    verb = frame.predicate
    return (
        asks_after(frame.text) and verb is not None and not tells_verb(frame, text) and not verb_kin
    )
