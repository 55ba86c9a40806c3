"""Negation and prospect: does a sentence say that what the question asks about happened?

"Why does Nawaz argue that security cooperation alone is enough?" is not answered by
"security cooperation alone does not ensure a viable partnership": the sentence denies
what the question takes as given. Nor is "Why did Pakistan refuse to help catch him?"
answered by "Pakistan helped the United States arrest him". A sentence's negation counts
only *near the words it shares with the question* ("not" a few words from "ensure"):
a "not" elsewhere in a long sentence is about something else. And a sentence that tells
of an event as ahead ("the planned summit", "urging a revival") doesn't say it happened.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection
from functools import lru_cache
from typing import Any

from rag.nlp import parse, root_of
from rag.text import stem, tokens, word_set

# Negation and refusal in a question or a sentence: a sentence saying X refused, where
# the question asks why X agreed, answers a different question.
# (Every "n't" below is written n['’]t: the articles write "don’t", readers type either.)
NEGATION = re.compile(
    r"\b(?:not|never|no|n['’]t|refus\w*|reject\w*|declin\w*|den(?:y|ied|ies)|without|"
    r"fail\w*|halt\w*|suspend\w*|cancel\w*|withdr[ae]w\w*)\b|n['’]t\b",
    re.I,
)
# Words that put an event ahead of the text: upcoming, planned, hoped for, asked for,
# not yet done ("accused of planning the bombing" is done: only "are planning" or
# "planning to" is ahead). Not bare modals: "would" and "could" run through analysis
# of what did happen.
PROSPECTIVE = re.compile(
    r"\b(?:upcoming|forthcoming|planned|(?:is|are|am|was|were|be|been) planning|"
    r"planning to|plans? to|expected to|set to|scheduled|"
    r"prepar\w* to|aims? to|hopes? to|intends? to|proposed|"
    # asked for, or waited on: "urging a revival of", "must wait for the waivers"
    r"urg(?:e|es|ed|ing)|call(?:s|ed|ing)? for|push(?:es|ed|ing)? for|must wait|"
    r"awaits?|awaiting|pending|yet to|not yet)\b",
    re.I,
)
# Words that deny or turn down what follows them. Narrower than NEGATION:
# "suspended" or "cancelled" tell of an event, which a sentence may tell as "the
# suspension of…"; these only say that something did not happen or was refused.
NEGATOR = re.compile(
    r"\b(?:not|never|no|nor|neither|n['’]t|cannot|refus\w*|reject\w*|declin\w*|"
    r"den(?:y|ied|ies|ial)|fail\w*|unwilling\w*|turn(?:s|ed|ing)? down|"
    r"rule[sd]? out|ruling out)\b|n['’]t\b",
    re.I,
)
# How many words from a shared word a negation may stand and still be about it: "must
# not be externally dictated" (3), "alone does not ensure" (2). Further off, it is
# usually another clause's.
SCOPE_WORDS = 4
_WORD = re.compile(r"[\w'’-]+")


# A question that takes a refusal or a thing not done as given: "why did X refuse…",
# "why didn't X…", "why has X never…"; not a "not" inside what someone asked for ("ask
# Foreign Policy not to name him") or in a clause of its own ("even though it isn't").
_ASKS_REFUSAL = re.compile(
    r"\b(?:refus\w*|reject\w*|declin\w*|den(?:y|ied|ies)|fail(?:s|ed)? to|"
    r"turn(?:s|ed)? down|rule[sd]? out|never|h[oe]ld(?:s|ing)? back from|refrain\w*|"
    r"withh[oe]ld\w*|balk\w*)\b|"
    # a negated main verb: "why didn't X…", "why did X not…", after a lead-in too
    # ("According to Younus, why doesn't…"; not "even though it isn't")
    r"(?:^\W*\w+|\b(?:why|how|when|where|who|what))\s+"
    r"(?:did|does|do|has|have|had|was|were|is|are|could|would|will)"
    r"(?:n['’]t|\s+not|\s+\w+\s+not)\b",
    re.I,
)


def asks_refusal(question: str) -> bool:
    """The question takes as given that something was refused or not done."""
    return bool(_ASKS_REFUSAL.search(question.replace("’", "'")))


def _negations(sentence: str) -> tuple[list[str], list[int]]:
    """The sentence's words (stemmed) and the positions among them of its negations;
    no words when it has no negation."""
    negations = list(NEGATOR.finditer(sentence))
    if not negations:  # the common case: no need to tokenise
        return [], []
    found = list(_WORD.finditer(sentence))
    starts = [m.start() for m in found]
    words = [stem(m.group().lower()) for m in found]
    return words, [bisect_right(starts, m.start()) - 1 for m in negations]


def denies_near(sentence: str, terms: Collection[str]) -> bool:
    """A negation within SCOPE_WORDS words of one of `terms` (stems) in the sentence."""
    words, negators = _negations(sentence)
    shared = [i for i, w in enumerate(words) if w in terms]
    return any(abs(i - j) <= SCOPE_WORDS for i in negators for j in shared)


# Words of a question that already mean "not" ("avoid a fight", "little help", "can
# any superpower still…"): a sentence's negation may then agree with it, not deny it.
NEGATIVE_SENSE = re.compile(
    r"\b(?:avoid\w*|prevent\w*|stop\w*|lack\w*|little|few|without|hardly|refrain\w*|"
    r"keep(?:s|ing)?\s+(?:[\w'’-]+\s+){1,4}from|kept\s+(?:[\w'’-]+\s+){1,4}from|"
    r"unlikely|unable|doubts?|doubted|doubting|"
    r"any|no|not|never|n['’]t|instead)\b|n['’]t\b",
    re.I,
)
# How many words after a negation the verb it denies may stand: "not calling", "refusal
# to lower", "never formally signed".
VERB_SCOPE_WORDS = 2


def denies_verb(sentence: str, verbs: Collection[str]) -> bool:
    """The sentence denies one of `verbs` (stems): a negation right before it ("by not
    calling Khan" for "Why did Biden call Khan?")."""
    if not verbs:
        return False
    words, negators = _negations(sentence)
    return any(set(words[at + 1 : at + 1 + VERB_SCOPE_WORDS]) & set(verbs) for at in negators)


# A negated word's dependents that are not what it denies: its subject ("security
# cooperation alone does not ensure…" denies the ensuring, of security cooperation), a
# clause of its own ("…, because…") and what is joined to it ("did not join and signed").
_OUTSIDE_DENIAL = frozenset({"nsubj", "nsubjpass", "csubj", "advcl", "conj", "cc", "parataxis"})


def denies_clause(sentence: str, terms: Collection[str]) -> bool:
    """The sentence negates a clause holding one of `terms` (stems), as written or by its
    lemma: "must not be extractive or externally dictated" denies "dictated", "I don't
    see any big-ticket items being sold" denies "sold" and "sell". Parses only a
    sentence with a negation."""
    if not terms or not NEGATOR.search(sentence):
        return False
    for tok in parse(sentence):
        if tok.dep_ != "neg" and not (tok.lower_ == "no" and tok.dep_ == "det"):
            continue
        # "not" denies its head's clause; "no" only its noun ("received no aid")
        head = tok.head
        denied = [head, *_scope(head)] if tok.dep_ == "neg" else list(head.subtree)
        if any(stem(t.lower_) in terms or stem(t.lemma_.lower()) in terms for t in denied):
            return True
    return False


def _scope(head: Any) -> list[Any]:
    return [
        t for child in head.children if child.dep_ not in _OUTSIDE_DENIAL for t in child.subtree
    ]


# "from 29% to 19%", "from 2008 to 2011": a change or span between two figures.
_FROM_TO = re.compile(
    r"\bfrom\s+\$?(\d[\d,.]*)\s*(?:%|percent|per cent)?\s+to\s+\$?(\d[\d,.]*)", re.I
)


def reverses(question: str, sentence: str) -> bool:
    """The sentence gives the question's change the other way round: "raised tariffs
    from 19% to 29%" asked, "lowered tariffs from 29% to 19%" told."""
    asked = set(_FROM_TO.findall(question))
    told = set(_FROM_TO.findall(sentence))
    return any((b, a) in told and (a, b) not in told for a, b in asked if a != b)


# Modals that suppose an event, not tell it as done: "Pakistan can integrate NIFTAC"
# doesn't answer "Has Pakistan integrated NIFTAC?".
_MODALS = "can could should must may might would will ought shall"
_SUPPOSING = word_set(_MODALS, stemmed=True)
# Any modal, written out or clipped ("won't", "they'll"): a sentence without one has no
# main verb under a modal (`modal_main` parses only the others).
_MODAL = re.compile(rf"\b(?:{'|'.join(_MODALS.split())})\b|\bwon['’]t\b|['’]ll\b", re.I)
# How many words may stand between the modal and its verb ("can now fully integrate").
MODAL_REACH = 3
# Verbs of planning: the verb after their "to" is only intended ("Islamabad is reportedly
# planning to invite Trump"), not done. Not "want": "I want to thank…" thanks.
_INTENDING = word_set(
    "plan planning planned hope hoping aim intend seek expect propose prepare try tried",
    stemmed=True,
)

# Words that say an event has not quite happened: "a near-finalized trade agreement",
# "nearly complete", "almost agreed" don't tell it as done.
_HEDGES = word_set("near nearly almost", stemmed=True)
_HEDGED = re.compile(r"(?<=^near)-", re.I)


def supposed_only(sentence: str, verb: str) -> bool:
    """Every use of the verb (a stem) in the sentence is under a modal or after a verb of
    planning's "to": the sentence tells of the event only as possible, advised, intended
    or ahead, never as done."""
    # "a near-finalized agreement" is not finalized: the hedge is a word of its own
    written = [w for m in _WORD.finditer(sentence) for w in _HEDGED.split(m.group()) if w]
    words = [stem(w.lower()) for w in written]
    # "in May, and he subsequently announced": a month, not a modal (capitalised past
    # the sentence's first word)
    supposing = [
        (w in _SUPPOSING and not (i and written[i][0].isupper()))
        or (w in _INTENDING and words[i + 1 : i + 2] == ["to"])
        or w in _HEDGES
        for i, w in enumerate(words)
    ]
    uses = [i for i, w in enumerate(words) if w == verb]
    return bool(uses) and all(any(supposing[max(0, i - MODAL_REACH - 1) : i]) for i in uses)


def modal_main(sentence: str) -> bool:
    """The sentence's main verb is under a modal ("To maintain stability, the US must
    adopt policies…"): it tells what should, could or will be done, so a reason it
    gives is that advice's or forecast's, not how a past event came about."""
    return _modal(sentence)[0]


def modal_ahead(sentence: str) -> bool:
    """`modal_main`, unless the main verb's subject tells of an event by a noun in -ing
    ("Pakistan's recent signing of a pact will further enmesh it"): what will be is then
    that event's outcome, and the event itself is told as done."""
    under, done = _modal(sentence)
    return under and not done


# Sentences whose modal parse is remembered: the passages a question retrieves recur
# across questions, and each parse costs milliseconds.
MODAL_CACHE = 4096


@lru_cache(maxsize=MODAL_CACHE)
def _modal(sentence: str) -> tuple[bool, bool]:
    """(the main verb is under a modal, its subject names an event by an -ing noun)."""
    if not _MODAL.search(sentence):  # the common case: no modal, nothing to parse
        return False, False
    root = root_of(parse(sentence))
    if root is None or not any(c.tag_ == "MD" for c in root.children):
        return False, False
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    done = any(t.pos_ == "NOUN" and t.lower_.endswith("ing") for c in subjects for t in c.subtree)
    return True, done


# A question asking for the good in something ("What advantages does Nawaz see in the
# sanctions?"), and the words a sentence tells harm by ("…undermine the stability of
# Pakistan-US relations").
_ASKS_GOOD = re.compile(r"\b(?:advantages?|benefits?|upsides?|merits?|positives?)\b", re.I)
_HARMS = re.compile(
    r"\b(?:undermin\w*|hurt\w*|harm\w*|damag\w*|strain\w*|weaken\w*|counterproductive|"
    r"erod\w*|jeopardi[sz]\w*|backfir\w*|destabili[sz]\w*|sour\w*)\b",
    re.I,
)


def asks_good(question: str) -> bool:
    return bool(_ASKS_GOOD.search(question))


def harm_only(question: str, sentence: str) -> bool:
    """The question asks for the good in something the sentence tells only as harmful:
    its premise, that there is some, is the sentence's denial."""
    return asks_good(question) and bool(_HARMS.search(sentence)) and not asks_good(sentence)


# Words of contrary sense, each pair's two sides: a sentence that tells one side ("Support
# from key OIC members…") and never the other denies a question that takes the other as
# given ("Which OIC members objected…?"). Common English, none of the articles' own.
_CONTRARIES = tuple(
    (word_set(one), word_set(other))
    for one, other in (
        (
            "support supported supporting back backed endorse endorsed welcome welcomed "
            "praise praised",
            "oppose opposed object objected objection criticise criticised criticize "
            "criticized condemn condemned denounce denounced",
        ),
        (
            "raise raised increase increased increasing hike hiked",
            "lower lowered reduce reduced decrease decreased",
        ),
        ("impose imposed imposition", "lift lifted remove removed waive waived"),
        ("accept accepted approve approved", "reject rejected decline declined"),
        ("strengthen strengthened", "weaken weakened"),
        ("former ex previous erstwhile", "current present incumbent sitting"),
        (
            "embrace embraced embracing",
            "isolate isolated isolating sideline sidelined sidelining shun shunned snub snubbed",
        ),
        ("improve improved", "worsen worsened deteriorate deteriorated"),
    )
)


def contrary(question: str, sentence: str) -> bool:
    """The sentence tells the contrary of a word the question uses, and none of that
    word's side: "objected" asked, only "support" told."""
    sides = _asked_sides(question)
    if not sides:  # the common case: the question uses no such word
        return False
    told = set(tokens(sentence))
    return any(
        told & opposite
        and not told & side
        # "refusal to lower tariffs" tells no lowering, nor the contrary of a raise
        and not denies_near(sentence, {stem(w) for w in told & opposite})
        for side, opposite in sides
    )


@lru_cache(maxsize=MODAL_CACHE)
def _asked_sides(question: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """(the side the question's word is on, the contrary side) for each word it uses."""
    asked = set(tokens(question))
    return tuple(
        (side, opposite)
        for one, other in _CONTRARIES
        for side, opposite in ((one, other), (other, one))
        if asked & side
    )
