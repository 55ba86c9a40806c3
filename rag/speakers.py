"""Whose words a question asks for, and whether a paragraph gives that person's words.

"What did Imran Khan say about Trump's closeness to Munir?" asks for Khan's words. A
paragraph where Trump describes Khan, or where Khan is only mentioned, doesn't give
them: answering from it would put words in Khan's mouth. A paragraph gives a person's
words when it attributes speech to them: "Khan said", "said Imran Khan", "according to
Khan", "Khan's remarks". (An article's author is handled as its source, rag.sources.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from rag.aliases import aliases
from rag.nlp import Entity, parse, root_of
from rag.text import tokens, word_set

# Verbs whose subject's words or views a question asks for ("What did X say/think…").
SPEECH_LEMMAS = word_set(
    "say tell think believe argue claim predict expect feel suggest warn insist contend "
    "maintain acknowledge admit explain write reckon regard view assess"
)
# Verbs of reacting: "How did China react to…" asks what China did or said.
REACTION_LEMMAS = word_set("react respond reply retaliate")
# How a sentence tells of a reaction right after the name (stems: "Indian retaliatory
# airstrikes", "Beijing condemned", "New Delhi welcomed the move").
_REACTED = re.compile(
    r"^(?:react|respon|repli|retaliat|condemn|welcom|criticiz|criticis|protest|reject|"
    r"denied|deni|prais|hail|dismiss|object|eschew|rebuff|applaud|accus|blam)"
)
# Words that attribute speech to the name before them ("Khan said", "Sheikh, described").
_SPOKE = word_set(
    "said says say told tells argued argues wrote writes noted notes added adds warned "
    "warns insist insisted insists explained explains described describes stated states claimed "
    "claims predicted predicts urged urges asked asks believes thinks believed thought "
    "called calls acknowledged admitted suggested suggests recalled "
    # views, which SPEECH_LEMMAS asks for too ("Why does the US regard X as…": "The U.S.
    # views X as…")
    "views viewed regards regarded considers considered sees"
)
# Words that attribute speech to the name after them ("said Husain Haqqani").
_INVERTED_WORDS = "said|says|added|adds|wrote|writes|noted|notes|explained|according to"
# Labels of a name a "he" or "she" may stand for (the model tags "Trump" ORG at times).
_PERSON_LIKE = frozenset({"PERSON", "NAME", "ORG"})
# A quotation: the names inside it are spoken of, not speaking.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_SPOKE_WORDS = "|".join(sorted(_SPOKE))
# A pronoun and the speech verb that follows it ("he said", "she told reporters").
_PRONOUN_SPEAKS = re.compile(rf"\b(?:he|she|they)\s+(?:\w+\s+){{0,2}}?(?:{_SPOKE_WORDS})\b", re.I)
# Nouns of someone's words after their name ("Dar's articulation", "Khan's remarks").
_WORDS_OF = word_set(
    "articulation remarks remark words statement statements comments comment view views "
    "speech stance position argument assessment post letter interview testimony"
)
# Labels a speaker's name may carry: the small English model often tags a surname GPE or
# ORG ("Haqqani", "Trump"), and a body may speak ("the State Department said").
_SPEAKER_LABELS = frozenset({"PERSON", "NAME", "ORG", "GPE"})
# How far back a quote running on from the paragraph before may have named its speaker:
# about the length of one short news paragraph.
QUOTE_CHARS = 400
# How many words after a name its speech verb may come ("Rizwan Saeed Sheikh,
# described…"; "Haqqani, a senior fellow…, said" is told by the inverted form).
AFTER_WORDS = 4
# How many names or titles may stand between an inverted speech verb and the surname
# ("said Prime Minister Shehbaz Sharif").
BEFORE_WORDS = 3
# "in Haqqani's view", "Haqqani's view of…": whose words the question asks for, whatever
# its main verb's subject ("Should Islamabad expect…, in Haqqani's view?").
VIEW_WORDS = ("view", "views", "opinion", "assessment", "estimation", "judgment", "reading")
_VIEW_OF = re.compile(
    rf"\bin\s+(?:[\w.-]+\s+){{0,3}}?[\w.-]+['’]s\s+(?:{'|'.join(VIEW_WORDS)})\b|"
    # "What is Modi's view of the deal?", "Khan's stance on the talks"
    rf"\b[\w.-]+['’]s\s+(?:{'|'.join(VIEW_WORDS)}|stance|position|take)\s+(?:of|on|about)\b",
    re.I,
)


# Whose account a question follows ("according to Younus", "per the explainer").
_ACCOUNT = re.compile(r"\b(?:according to|per(?! cent))\s", re.I)
# "Why does Modi regard…", "What did Khan think…": an auxiliary, a name, a speech verb.
_AUX_THEN_NAME = re.compile(r"\b(?:do|does|did|would|will|has|have|had)\s+$", re.I)


def asked_speaker(doc: Any, people: Sequence[Entity]) -> Entity | None:
    """The named person whose words the question asks for: the subject of its main
    speech verb ("What did Khan say…", "Why does Haqqani think…"), or the one whose
    view it names ("…, in Haqqani's view?"). Not a name after
    "according to": that marks whose account to follow, which an article often tells
    around the person's quote, in the paragraphs before and after it."""
    # "…shape Washington's view of it, according to Younus?": Younus tells of that view
    accounted = _ACCOUNT.search(doc.text) is not None
    for view in () if accounted else _VIEW_OF.finditer(doc.text):
        inside = [
            p for p in people if p.label in _SPEAKER_LABELS and view.start() < p.end <= view.end()
        ]
        if inside:
            return inside[-1]
    return _subject_of(doc, people, SPEECH_LEMMAS) or _asked_before_speech(doc.text, people)


def _asked_before_speech(question: str, people: Sequence[Entity]) -> Entity | None:
    """The person between an auxiliary and a speech verb ("What does Rubio make of…"
    too), read from the words when the parse doesn't give it ("Why does Narendra Modi
    regard Trump as a friend?" parsed with "Modi" for the verb)."""
    for person in people:
        after = tokens(question[person.end :])[:2]
        if (
            person.label == "PERSON"
            and _AUX_THEN_NAME.search(question[: person.start])
            and after
            and (after[0] in SPEECH_LEMMAS or after == ["make", "of"])  # "make of": think of
        ):
            return person
    return None


def accounted_speaker(doc: Any, people: Sequence[Entity]) -> Entity | None:
    """The person whose account the question follows ("According to Uzair Younus, which
    factors…"): a quotation its paragraph gives as another's words is not that account
    (`quotes_another`)."""
    for account in _ACCOUNT.finditer(doc.text):
        for person in people:
            if person.label == "PERSON" and 0 <= person.start - account.end() <= 1:
                return person
    return None


def quotes_another(sentence: str, paragraph: str) -> bool:
    """The sentence quotes words that its paragraph, which gives none of the person's
    asked about, gives as someone's ("…,” said Haqqani. “But substantively…")."""
    return bool(_QUOTE_MARK.search(sentence)) and attributes_speech(paragraph)


# A quotation mark: the sentence quotes someone ("“But substantively…").
_QUOTE_MARK = re.compile(r"[“\"]")


def gives_words(
    speaker: Entity, paragraph: str, names: Sequence[Entity], before: str
) -> str | None:
    """How the paragraph gives the speaker's words: "named" (it says so), "carried" (it
    runs on a quote, "…," he said, from the paragraph before, which names the
    speaker), or None. `names`: the paragraph's entities; `before`: the article's text
    before it."""
    if speaks_in(speaker, paragraph, names):
        return "named"
    if not before or not continues_quote(paragraph, names):
        return None
    return "carried" if named_just_before(speaker, before) else None


def asked_reactor(doc: Any, people: Sequence[Entity]) -> Entity | None:
    """Whose reaction the question asks for: the named subject of its main verb "react",
    "respond"… ("How did China react to the minerals deal?"). A sentence that doesn't
    name them tells of the deal, not of their reaction."""
    return _subject_of(doc, people, REACTION_LEMMAS, compounds=True)


def reacts_in(reactor: Entity, sentence: str, names: Sequence[Entity] = ()) -> bool:
    """The sentence tells of the reactor's reaction: their words (`speaks_in`), or a verb
    or adjective of reacting within a few words after their name; not a mere mention
    ("one of China's closest allies")."""
    if speaks_in(reactor, sentence, names):
        return True
    names_of = {tokens(alias)[-1] for alias in aliases(reactor.text) if tokens(alias)}
    words = tokens(sentence)
    if any(
        word in names_of and any(_REACTED.match(w) for w in words[i + 1 : i + 1 + AFTER_WORDS])
        for i, word in enumerate(words)
    ):
        return True
    # or what they did in answer: "Pakistan, on the other hand, gave Trump full credit"
    return any(names_of & set(words)) and _acts_in(names_of, sentence)


def _acts_in(names_of: set[str], sentence: str) -> bool:
    """Is one of the names the subject of the sentence's main verb?"""
    root = root_of(parse(sentence))
    return root is not None and any(
        c.dep_ == "nsubj" and c.lower_ in names_of for c in root.children
    )


def _subject_of(
    doc: Any, people: Sequence[Entity], verbs: frozenset[str], *, compounds: bool = False
) -> Entity | None:
    """The named subject of the question's main verb, when that verb is one of `verbs`;
    with `compounds`, a name compounded with it or owning it too ("the Taliban
    government", "Imran Khan's party")."""
    root = root_of(doc)
    if root is None or root.lemma_.lower() not in verbs:
        return None
    if any(c.dep_ == "auxpass" for c in root.children):  # "X is said to have…": others say
        return None
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    if compounds:
        subjects += [c for s in subjects for c in s.children if c.dep_ in ("compound", "poss")]
    for person in people:
        if person.label not in _SPEAKER_LABELS:
            continue
        span = doc.char_span(person.start, person.end, alignment_mode="expand")
        if span is not None and any(span.start <= s.i < span.end for s in subjects):
            return person
    return None


def speaks_in(speaker: Entity, paragraph: str, names: Sequence[Entity] = ()) -> bool:
    """The paragraph attributes words to the speaker: by surname, or by "he"/"she" when
    the last name before it (of the paragraph's `names`) is the speaker's."""
    name = tokens(speaker.text)
    if not name:
        return True
    # a country speaks by any of its names ("The U.S. views…" for "the US")
    lasts = {name[-1]} | {tokens(a)[-1] for a in aliases(speaker.text) if tokens(a)}
    words = tokens(paragraph)
    for i, word in enumerate(words):
        if word not in lasts:
            continue
        after = words[i + 1 : i + 1 + AFTER_WORDS]
        if _SPOKE & set(after) or (after and after[0] in _WORDS_OF):
            return True
    if _inverted(name[-1]).search(paragraph):
        return True
    if any(_relative_clause(alias).search(paragraph) for alias in aliases(speaker.text)):
        return True  # "rankling India, which … has continued to insist that…"
    # "Mwangi attended the signing. He said…"; not "Trump described Khan… he said"
    surname = name[-1:]
    return any(
        last is not None and tokens(last.text)[-1:] == surname
        for last in _pronoun_speakers(paragraph, names)
    )


@cache
def _inverted(surname: str) -> re.Pattern[str]:
    """ "said Haqqani", "said Husain Haqqani, a senior fellow", "according to Munir": the
    verb, then only names and titles before the surname (not "said before hosting Munir")."""
    return re.compile(
        rf"\b(?i:{_INVERTED_WORDS})\s+(?:[A-Z][\w.'’-]*\s+){{0,{BEFORE_WORDS}}}"
        rf"(?i:{re.escape(surname)})\b"
    )


@cache
def _relative_clause(name: str) -> re.Pattern[str]:
    """The name, then a relative clause whose verb is a speech verb, in one sentence."""
    return re.compile(
        rf"\b{re.escape(name)}\b,? (?:which|who)\b[^.;]*?\b(?:{_SPOKE_WORDS})\b", re.I
    )


def attributes_speech(paragraph: str) -> bool:
    """Does the paragraph say, outside its quotes, who spoke ("said", "added")?"""
    return bool(_SPOKE & set(tokens(_QUOTED.sub(" ", paragraph))))


def continues_quote(paragraph: str, names: Sequence[Entity]) -> bool:
    """The paragraph's words are someone's the paragraph doesn't name: "“…,” he said."
    with no person named before the pronoun (the quote runs on from the paragraph
    before, where the speaker is named)."""
    return any(last is None for last in _pronoun_speakers(paragraph, names))


def _pronoun_speakers(paragraph: str, names: Sequence[Entity]) -> list[Entity | None]:
    """For each "he said" of the paragraph, the person-like name last before it (names
    inside quotation marks are spoken of, not speaking), or None when there is none."""
    quotes = [m.span() for m in _QUOTED.finditer(paragraph)]
    outside = [
        e for e in names if e.label in _PERSON_LIKE and not any(a <= e.start < b for a, b in quotes)
    ]
    found: list[Entity | None] = []
    for m in _PRONOUN_SPEAKS.finditer(paragraph):
        before = [e for e in outside if e.end <= m.start()]
        found.append(max(before, key=lambda e: e.end) if before else None)
    return found


def named_just_before(speaker: Entity, before: str) -> bool:
    """The speaker is named in the text just before a paragraph (its last QUOTE_CHARS)."""
    name = tokens(speaker.text)
    return bool(name) and name[-1] in tokens(before[-QUOTE_CHARS:])
