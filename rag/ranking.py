"""Whether a question asks for a ranking ("the largest mine") or a comparison ("more
oil or more gas"), and what a comparison sets side by side: an answering sentence must
state the ranking or make the comparison (`ranks`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from rag.answer_types import NOUN_TYPES
from rag.nlp import WH_TAGS, clause_of
from rag.text import stem, word_set

# What a sentence that states a ranking says ("the largest", "the first", "more than").
RANKED = re.compile(
    r"\b(?:most|least|first|second|third|top|biggest|largest|smallest|main|primary|"
    r"leading|highest|lowest|greatest|best|worst|only|chief|earliest|closest|"
    r"more|less|larger|bigger|higher|lower|greater|than)\b|\b\w+iest\b|"
    r"\b(?:big|larg|small|high|low|great|strong|weak|old|new|rich|poor|clos|near|fast|"
    r"long|short|deep|wid|cheap|hard)est\b",
    re.I,
)
# Ordinals and ranking words that ask for a ranking the text must state.
RANKING = word_set("first top biggest largest main primary leading")


def has_ranking_word(doc: Any) -> bool:
    """A ranking word ("largest", "first"); in a why-question it is what the question takes
    as given ("…instead of its main supplier?"), not what it asks."""
    return any(
        (t.tag_ in ("JJS", "RBS") and not _share(t))
        # "When did they first establish ties?": when it began, not which came first
        or (t.lower_ in RANKING and not (t.dep_ == "advmod" and t.head.pos_ == "VERB"))
        for t in doc
        if not _title(t)
    )


def _title(tok: Any) -> bool:
    """ "Pakistan's top diplomat": a title (its foreign minister), not a ranking asked
    ("the top negotiator" ranks)."""
    head = tok.head
    return (
        tok.lower_ == "top"
        and head.lemma_.lower() in NOUN_TYPES["person"]
        and any(c.dep_ == "poss" for c in head.children)
    )


def _share(tok: Any) -> bool:
    """ "most of the firm": a share of one thing (its majority), not the first of many;
    "the most of" ranks again."""
    following = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    before = tok.nbor(-1) if tok.i > 0 else None
    return (
        tok.lower_ == "most"
        and following is not None
        and following.lower_ == "of"
        and (before is None or before.lower_ != "the")
    )


def compares(doc: Any) -> bool:
    """Does the question turn on a comparison the text must state: "more oil or more
    gas", "cheaper in Pakistan than in Chile"? A comparative in another clause only
    describes ("the article arguing that ties need more than security cooperation"), and
    one with the past ("cheaper than it was") asks about a change, told in any words."""
    root = next((t.i for t in doc if t.dep_ == "ROOT"), -1)
    alternatives = any(t.lower_ == "or" for t in doc)
    than = any(t.lower_ == "than" and _names_side(t) for t in doc)
    return any(
        t.tag_ in ("JJR", "RBR") and (alternatives or (than and clause_of(t) == root)) for t in doc
    )


def _names_side(than: Any) -> bool:
    """ "than in Chile", or "than India did" (the clause "than" opens names it)."""
    side = than.head.subtree if than.dep_ == "mark" else than.subtree
    return any(n.pos_ in ("NOUN", "PROPN") for n in side)


# Comparatives of amount: the noun they modify is one of the things compared.
_QUANTITY_COMPARATIVES = frozenset({"more", "less", "fewer"})


def compared(doc: Any) -> tuple[str, ...]:
    """The nouns a comparison sets side by side, each of which a sentence that makes it
    names: oil and gas in "more oil or more gas", labor, Pakistan and Chile in "is mining
    labor cheaper in Pakistan than in Chile"."""
    items: list[Any] = []
    for tok in doc:
        if tok.tag_ in ("JJR", "RBR"):  # "more oil or more gas" parses oil as gas's nmod
            # "a better deal than…" compares on the deal; "more oil" compares oil
            quality = tok.dep_ == "amod" and tok.lower_ not in _QUANTITY_COMPARATIVES
            items += [*tok.subtree] if quality else [tok.head, *tok.subtree]
            if tok.head.dep_ in ("nmod", "compound", "conj"):
                items.append(tok.head.head)
        elif tok.lower_ == "than":
            items += list(tok.head.subtree if tok.dep_ == "mark" else tok.subtree)
    nouns = [t for t in items if t.pos_ in ("NOUN", "PROPN") and not _asked_or_source(t)]
    return tuple(dict.fromkeys(stem(t.lower_) for t in nouns))


def _asked_or_source(token: Any) -> bool:
    """ "than which countries": the answer, not a side the sentence must name; "according
    to the research note": whose account, not a side either. The wh-word may come a
    word before, parsed apart from its noun ("those of which two countries")."""
    before = token.doc[max(0, token.i - 2) : token.i]
    if any(c.tag_ in WH_TAGS for c in [*token.children, *before]):
        return True
    return any(a.lower_ == "according" for a in token.ancestors)


# Adjectives that rank on one scale: "the biggest" is stated by "the largest", and news
# prose ranks by size and by importance alike ("the biggest channel": "the most
# significant").
_SAME_SCALE = (
    frozenset({"big", "large", "huge", "great", "major", "significant", "important"}),
    frozenset({"small", "little", "tiny", "minor"}),
    frozenset({"rich", "wealthy"}),
)


def ranked_by(doc: Any) -> tuple[str, ...]:
    """The adjectives a superlative ranks by: "rich" in "the richest", "populous" in "the
    most populous"; none for an ordinal, "top" or an adverb ("what best captures…"),
    which any ranking may state."""
    found = []
    for t in doc:
        if t.tag_ == "JJS" and t.dep_ != "advmod" and t.lower_ not in ("most", "least"):
            found.append(t.lemma_.lower())
        elif t.lower_ in ("most", "least") and t.head.pos_ == "ADJ":  # not "best captures"
            found.append(t.head.lemma_.lower())
    return tuple(dict.fromkeys(found))


# Nouns naming a person, body or place: "the largest province" ranks any province.
_KIND_NOUNS = NOUN_TYPES["person"] | NOUN_TYPES["organisation"] | NOUN_TYPES["place"]


def ranked_of(doc: Any) -> tuple[str, ...]:
    """The nouns a superlative ranks, as stems: "stake" in "which had the largest stake?",
    "example" in "the most prominent example". Not a noun naming a person, body or place
    ("the largest province", "the most powerful man"): any such may be the one ranked."""
    adjectives = [t.head if t.lower_ in ("most", "least") else t for t in doc if _superlative(t)]
    found = [
        a.head.lemma_.lower()
        for a in adjectives
        if a.dep_ == "amod"
        and a.head.pos_ == "NOUN"
        and a.head.lemma_.lower() not in _KIND_NOUNS
        and not _one_of(a.head)
    ]
    return tuple(dict.fromkeys(stem(n) for n in found))


def _one_of(noun: Any) -> bool:
    """ "one of the highest levels": a description of the thing, not the ranking asked."""
    of = noun.head
    return of.lower_ == "of" and of.head.lower_ in ("one", "some", "among")


def _superlative(tok: Any) -> bool:
    """ "largest", or the "most" of "most prominent"."""
    return tok.tag_ == "JJS" or (tok.lower_ in ("most", "least") and tok.head.pos_ == "ADJ")


def states_ranking(adjectives: Sequence[str], sentence: str) -> bool:
    """The sentence ranks by one of the adjectives or one of the same scale ("richest",
    "most populous"; "largest" for "biggest"): "the largest province" does not say which
    is the most populous."""
    if not adjectives:
        return True
    words = set(adjectives)
    for scale in _SAME_SCALE:
        if words & scale:
            words |= scale
    return any(_degrees(w).search(sentence) for w in words)


@cache
def _degrees(adjective: str) -> re.Pattern[str]:
    """The adjective's superlative: "largest", "biggest", "earliest", "most populous"."""
    base = adjective[:-1] if adjective[-1:] in ("e", "y") else adjective
    word = re.escape(adjective)
    return re.compile(rf"\b(?:most|least)\s+{word}\b|\b{re.escape(base)}\w*est\b", re.I)


def ranks(
    sentence: str,
    stems: frozenset[str],
    compared: Sequence[str],
    ranked_by: Sequence[str],
    ranked: Sequence[str] = (),
) -> bool:
    """Does the sentence state the ranking or comparison a question asks for (its
    `compared`, `ranked_by` and `ranked`, see `rag.question.QuestionFrame`)? It ranks
    ("most", "largest") the thing ranked ("the largest stake", not "the largest
    province"), or for a comparison compares ("more", "less", "than") or gives figures,
    and names each thing a comparison sets side by side."""
    if compared:  # figures for each compare them too: "13 service members and 170…"
        cued = bool(_COMPARES.search(sentence)) or len(_FIGURE.findall(sentence)) >= 2
    else:
        cued = bool(RANKED.search(sentence)) and states_ranking(ranked_by, sentence)
        cued = cued and stems >= set(ranked)
    return cued and stems >= set(compared)


# What a sentence that makes a comparison says: "only" or "first" rank, they don't compare.
_COMPARES = re.compile(r"\b(?:more|less|fewer|than|compared|whereas|unlike)\b", re.I)
_FIGURE = re.compile(r"\d[\d,.]*")
