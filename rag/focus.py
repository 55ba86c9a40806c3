"""What a question is about once the article it names is set aside.

"According to the explainer, who…" and "What does Nawaz say about…" name where to look,
not what the answer must contain: `without_source` drops those words and names from the
question's frame, and `asked_names` lists the names an answering paragraph must hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rag.aliases import is_country
from rag.matching import Text, entity_found
from rag.nlp import Entity
from rag.question import QuestionFrame
from rag.roles import PERSON_NOUNS
from rag.sides import sides
from rag.sources import SourceRef, words_of
from rag.speakers import VIEW_WORDS
from rag.text import FOLLOWING_UP, content_words, stem, tokens, word_set
from rag.vocabulary import name_words


def asked_names(frame: QuestionFrame, named: SourceRef | None) -> list[Entity]:
    """The names an answering paragraph must hold: the question's own, not those of the
    question a follow-up carries, nor an author or outlet naming the article to read, nor
    those of only one side of a comparison (rag.sides)."""
    context = frame.text.find(FOLLOWING_UP)
    sources = named.names if named is not None else ()
    compared = sides(frame.text)
    return [
        e
        for e in frame.entities
        if (context < 0 or e.start < context)
        and not _overlaps(e, sources)
        and not _describes(e, frame)
        # one side's name of a comparison: the other side's paragraph need not hold it
        and not (compared is not None and compared.one_sided(content_words(e.text)))
    ]


# Words that may stand between a name and the person noun it describes ("the CISS
# research assistant", "the Hudson Institute senior fellow").
_ROLE_MODIFIERS = word_set("senior research former chief top lead principal")
# Verbs that tell an author's own life, not their account: "Nawal Nawaz works where?"
# asks about Nawaz, not what Nawaz's article says.
_OWN_DOINGS = word_set("work live study serve teach join belong", stemmed=True)


def _describes(entity: Entity, frame: QuestionFrame) -> bool:
    """The name only describes a person the question means ("the Asia Group principal",
    "the Hudson Institute fellow"): the paragraph that quotes them may name them alone.
    Not when that person is whom the question asks for."""
    after = tokens(frame.text[entity.end :])
    while (
        after
        and after[0] in _ROLE_MODIFIERS
        and after[1:2]
        and after[1] in (PERSON_NOUNS | _ROLE_MODIFIERS)
    ):
        after = after[1:]
    if frame.answer_type in ("person", "agent"):  # "Who is the Crypto Council CEO?"
        return False
    return bool(after) and after[0] in PERSON_NOUNS and stem(after[0]) != frame.slot


def _overlaps(entity: Entity, spans: Sequence[tuple[int, int]]) -> bool:
    """Does the entity share a character with one of the question's spans?"""
    return any(entity.start < end and start < entity.end for start, end in spans)


def without_source(frame: QuestionFrame, ref: SourceRef, doc: Any) -> QuestionFrame:
    """The question as what the answer must contain: the words and names that only say
    which article to read are dropped ("the Dar article", "per Nawaz", "does Nawaz say");
    an author or outlet the question asks about stays ("What is Nawaz's job?")."""
    spans = list(ref.spans) + [s for s in ref.names if _gives_account(doc, *s)]
    if not spans:
        return frame

    def within(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in spans)

    inside: set[str] = set()
    outside: set[str] = set()
    for w in words_of(frame.text):
        (inside if within(w.start, w.end) else outside).update(content_words(w.text))
    # An entity may take in more than the name ("the East African Review").
    entities = tuple(e for e in frame.entities if not _overlaps(e, spans))
    values = tuple(v for v in frame.values if not _overlaps(v, spans))  # "(002)"
    terms = tuple(t for t in frame.terms if t not in inside - outside)
    return replace(frame, entities=entities, values=values, terms=terms)


def _gives_account(doc: Any, start: int, end: int) -> bool:
    """The name at start-end is whose account the question asks for: introduced by
    "according to", "per" or "in X's view", or the subject of its main verb ("does Nawaz
    say")."""
    for tok in (t for t in doc if start <= t.idx < end):
        head = tok.head
        if tok.dep_ == "nsubj" and head.dep_ == "ROOT":
            return stem(head.lower_) not in _OWN_DOINGS
        if tok.dep_ == "pobj" and (
            head.lower_ == "per" or (head.lower_ == "to" and head.head.lower_ == "according")
        ):
            return True
        if tok.dep_ == "poss" and head.lower_ in VIEW_WORDS and head.head.lower_ == "in":
            return True  # "in Nawaz's view"
    return False


def parties_apart(required: Sequence[Entity], paragraph: Text, question: str = "") -> bool:
    """Two or more of the question's names, countries aside, and the paragraph lacks one
    of them: "Did Sheikh negotiate the FWO's deal?" needs Sheikh and the FWO together.
    Countries ("India", "Pakistan", rag.aliases) are where things happen,
    named all over the articles: "Did Trump host Munir before or after the India-Pakistan
    clash?" needs only Trump and Munir together. But the one whose role the question asks
    ("What role did Turkey play in…?") must be there, country or not."""
    player = _ROLE_PLAYER.search(question)
    if player is not None:
        inside = [e for e in required if e.start >= player.start(1) and e.end <= player.end(1)]
        if any(entity_found(e, paragraph) == 0.0 for e in inside):
            return True
        # a player the parser found no name in ("zalmay khalilzad"): none of its words
        words = content_words(player[1])
        if not inside and words and not words & paragraph.stems:
            return True
    parties = [e for e in required if not is_country(e.text)]
    return len(parties) >= 2 and any(entity_found(e, paragraph) == 0.0 for e in parties)


def role_player(question: str) -> str:
    """Whose role the question asks ("Turkey" of "What role did Turkey play in…?"), or ""."""
    player = _ROLE_PLAYER.search(question)
    return player[1] if player is not None else ""


# "What role did Turkey play in…", "What part has the IMF played…": whose role is asked.
_ROLE_PLAYER = re.compile(
    r"\b(?:role|part) (?:did|does|do|has|have|had) (.+?) (?:play|played)\b", re.I
)


# A saying asked about something: "What did Frantz say about Pakistan's strategy…?"
_SAID_ABOUT = re.compile(
    r"\b(?:say|says|said|think|thinks|thought|argue|argues|argued|write|writes|wrote|"
    r"claim|claims|claimed|believe|believes|believed|feel|feels|felt)\s+"
    r"(?:[\w’'-]+\s+){0,2}?(?:about|of|regarding|on)\s+",
    re.I,
)


def spoken_about(frame: QuestionFrame, required: Sequence[Entity]) -> list[Entity]:
    """The names a saying is asked about ("…say about Pakistan's strategy…"): a paragraph
    that quotes the speaker on something else never names them."""
    said = _SAID_ABOUT.search(frame.text)
    if said is None:
        return []
    return [e for e in required if e.start >= said.end()]


def said_topic(frame: QuestionFrame) -> dict[str, str]:
    """The words of what a saying is asked about, names apart, by stem as typed ("crypto",
    "dealings" of "What does Haqqani think of Pakistan's crypto dealings with the Trump
    family?"): a paragraph giving the speaker's words on another thing says none of them."""
    said = _SAID_ABOUT.search(frame.text)
    if said is None:
        return {}
    topic = frame.text[said.end() :].split(FOLLOWING_UP)[0]
    stems = content_words(topic) - name_words(frame.entities)
    return {stem(w): w for w in tokens(topic) if stem(w) in stems}
