"""Keyword queries read as the questions they stand for.

A reader typing into a search box leaves a question's syntax out: "saudi pakistan
security pact signing date", "blackrock reko diq stake", "'put in the long yards'
meaning". No wh-word says what kind of answer is wanted; a word at either end does
("date", "stake", "meaning"). Such a fragment is read as the question it abbreviates
("What is the date of saudi pakistan security pact signing?"), so the rules that read
questions read it too: the answer type (rag.answer_types), a definition asked
(rag.definitions), an outcome asked (rag.outcomes). A fragment without such a word is
left as typed: it asks what the articles say about its words.
"""

from __future__ import annotations

import re

from rag.answer_types import REQUESTS
from rag.text import word_set

# The question a fragment's kind word stands for; {kind} is the word, {rest} the other
# words. Each template is one the question rules already read as that kind.
_TEMPLATES: tuple[tuple[frozenset[str], str], ...] = (
    (word_set("date year month day"), "What is the {kind} of {rest}?"),
    (word_set("reason reasons motive motives rationale"), "What reason is given for {rest}?"),
    (word_set("meaning definition"), "What does {rest} mean?"),
    (word_set("result results outcome outcomes"), "What was the {kind} of {rest}?"),
    (word_set("number"), "How many {rest}?"),
    (word_set("size"), "How big is {rest}?"),
    (word_set("name names"), "What are the names of {rest}?"),
    (word_set("cost price value worth budget amount"), "What is the {kind} of {rest}?"),
    (word_set("stake"), "What is the stake of {rest}?"),
    (word_set("share percentage"), "What {kind} of {rest}?"),
    (word_set("rate"), "What is the rate of {rest}?"),
)
_KINDS = {word: template for words, template in _TEMPLATES for word in words}
# The words a question opens with: a wh-word, an auxiliary or a modal (rag.spelling reads
# them too, to mend a typo in one and to add the "?" a question was typed without).
WH_WORDS = ("who", "whom", "whose", "what", "which", "when", "where", "why", "how")
QUESTION_OPENERS = frozenset(WH_WORDS) | word_set(
    "is are was were do does did has have had can could will would should may might must"
)
# Words that make the text a question already: a wh-word anywhere, or an auxiliary,
# modal or request first ("did trump visit", "list the firms").
_WH = re.compile(r"\b(?:" + "|".join(WH_WORDS) + r")\b", re.I)
_OPENERS = REQUESTS | QUESTION_OPENERS
# Words that join a leading kind word to what it is of ("number of drone strikes").
_JOINS = word_set("of for behind in on")
_WORD = re.compile(r"\S+")
_SEVERAL = re.compile(r"\band\b|[,;&]", re.I)


def as_question(text: str) -> str | None:
    """The question a keyword fragment stands for, or None for a question (or a fragment
    without a kind word at either end)."""
    words = _WORD.findall(text.strip().rstrip("?.!").strip())
    if len(words) < 2 or _WH.search(text) or words[0].lower() in _OPENERS:
        return None
    if _SEVERAL.search(text):  # "reko diq risk and barrick share": its kind is one part's
        return None
    last, first = words[-1].lower(), words[0].lower()
    if last in _KINDS:
        kind, rest = last, words[:-1]
    elif first in _KINDS:
        kind, rest = first, words[1:]
        if rest and rest[0].lower() in _JOINS:
            rest = rest[1:]
    else:
        return None
    return _KINDS[kind].format(kind=kind, rest=" ".join(rest)) if rest else None
