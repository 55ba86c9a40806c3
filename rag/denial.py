"""Does a sentence deny what a question takes as given?

"Why did Biden call Khan after entering the White House?" takes the call as made; "…by
not calling Khan" denies it. So does a sentence telling only harm where the good in a
thing is asked ("What benefits…"), or only the contrary of the question's word ("Which
members objected?" / "Support from key members…"). `rag.answerability` reads the result
as its `denied` signal.
"""

from __future__ import annotations

from collections.abc import Set

from rag.ahead import PREMISED
from rag.answer_types import asks_whether
from rag.polarity import NEGATIVE_SENSE, contrary, denies_clause, denies_verb, harm_only
from rag.question import QuestionFrame
from rag.vocabulary import name_words, verb_forms


def denies_premise(
    frame: QuestionFrame, sentence: str, matched: Set[str], asks_denial: bool
) -> bool:
    """`matched`: the question's stems the sentence has; `asks_denial`: the question
    itself takes a refusal as given ("why did X refuse…"), which a denial agrees with."""
    if harm_only(frame.text, sentence) or contrary(frame.text, sentence):
        return True
    if (
        asks_denial
        or asks_whether(frame.text)  # "no" answers a yes/no question
        or NEGATIVE_SENSE.search(frame.text)  # "avoid a fight": "not want a fight"
    ):
        return False
    return (
        denies_verb(sentence, matched - name_words(frame.entities))
        # a why or how question takes its event as given: a sentence denying any of its
        # words denies that event, only what it says things do or are: denying a thing it
        # names may agree with it ("warning them off a conflict" / "does not want them
        # getting into a conflict")
        or (
            frame.answer_type in PREMISED
            and denies_clause(sentence, set(matched) & frame.predicates)
        )
        # "Which weapons has Pakistan been sold?": any question about a done event takes
        # it as given; a sentence denying its verb denies it
        or (
            frame.realized
            and frame.predicate is not None
            and denies_clause(sentence, verb_forms(frame, frame.predicate)[0])
        )
    )
