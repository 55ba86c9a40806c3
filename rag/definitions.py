"""Questions that ask what a thing is ("What is a stablecoin?", "What does OIC stand for?")
and whether a sentence says it.

A sentence that merely mentions the thing ("key OIC members", "stablecoins and meme
coins") doesn't define it. One that does calls it something in apposition ("Reko Diq, a
large gold and copper reserve"), says what it is ("BRICS is a forum of…") or spells an
acronym out ("the National Intelligence Fusion and Threat Assessment Centre (NIFTAC)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rag.text import initials


@dataclass(frozen=True)
class DefinitionAsk:
    term: str  # the thing asked about, as the question writes it ("meme coin", "OIC")
    expansion: bool  # only its spelled-out name answers ("What does OIC stand for?")
    # "What is the Pakistan Crypto Council?": a sentence telling what it was set up to do
    # may serve without defining it, so a miss counts for less (`strictness`)
    named: bool = False

    @property
    def strictness(self) -> float:
        """How much a sentence that doesn't define the thing fails the question."""
        return NAMED_STRICTNESS if self.named else 1.0


# Question forms that ask for a definition. "What is X?" counts only for a name or an
# acronym ("What is the Frontier Works Organization?") or a thing with "a"/"an" ("What
# is a stablecoin?"): "What is the main reason…" asks for something else.
_STANDS_FOR = re.compile(
    r"^what do(?:es)? (?:the )?(?:abbreviation |acronym |letters (?:in )?|initials )?"
    r"(?P<term>[\w.&-]+) stand for\b",
    re.I,
)
_DEFINE = re.compile(
    r"^how (?:exactly |precisely )?(?:do|does|did) [^?]*?\bdefine (?P<term>[^?,]+)|"
    r"^what (?:kind|type|sort) of \w+ (?:is|are|was|were) (?P<kind_of>[^?,]+)|"
    r"^what does (?P<mean>[^?,]+?) mean\b",
    re.I,
)
# A term the reader quotes inside a longer phrase: "the 'strategic depth' that it says…".
_QUOTED_TERM = re.compile(r"^(?:the\s+)?['‘\"“](?P<term>[^'’\"”]+)['’\"”]")
_WHAT_IS = re.compile(
    r"^what(?:['’]s| (?:exactly )?(?:is|are)) (?:exactly )?(?:(?P<a>an? )|(?P<the>the ))?"
    # typed without its "?", or closing on an adverb: "what is a stablecoin exactly"
    r"(?P<term>[^?,]+?)\s*(?:,[^?]*)?(?:\s(?:exactly|really|precisely|actually))?\s*\??$",
    re.I,
)
# The thing named first, then asked about by a pronoun: "Meme coin, what is it exactly?"
_TOPIC_FIRST = re.compile(
    r"^(?P<term>[^,?—–]{2,40}?)\s*[,—–:]\s*what(?:['’]s| is| are) (?:it|that|this|they)\b.*$",
    re.I,
)
# "What is <a name>?" is often answered by what the articles tell of the thing rather than
# a definition; a sentence that doesn't define it fails the question by half.
NAMED_STRICTNESS = 0.5
# The longest thing a "What is X?" may name: a longer phrase asks about something else.
_TERM_WORDS = 5
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
# A bare thing is asked about in at most this many words ("What is crypto mining?"); a
# longer lower-case phrase asks something else ("What is known about the deal?").
_BARE_WORDS = 2


def _which_kind(thing: str | None) -> bool:
    """ "What kind of minerals are in Balochistan?", "What type of deal was signed?": which
    kind, of things a place holds or an event took, not what a named thing is ("What kind
    of company is World Liberty Financial?", "… is the FWO?")."""
    if thing is None:
        return False
    first = thing.split()[0]
    return not (first[0].isupper() or first.lower() in _NAMING_WORDS)


# Words that open a thing named after "What kind of X is…": "the FWO", "its partner".
_NAMING_WORDS = frozenset({"the", "a", "an", "this", "that", "its", "their", "his", "her"})


def _asked_of(topic: re.Match[str]) -> str:
    """ "Meme coin, what is it?" as "what is meme coin?": the capital that opens the
    question is no name's, unless the next word has one too ("Reko Diq, what is it?")."""
    term = topic["term"]
    words = term.split()
    if len(words) > 1 and words[1].islower():
        term = term[0].lower() + term[1:]
    return f"what is {term}?"


def asked_definition(question: str) -> DefinitionAsk | None:
    # the question asked first: "What's a stablecoin? The articles keep mentioning it."
    text = " ".join(question.split()).split("?")[0] + "?"
    if found := _STANDS_FOR.search(text):
        return DefinitionAsk(found["term"], expansion=True)
    if (found := _DEFINE.search(text)) and not _which_kind(found["kind_of"]):
        term = found["term"] or found["kind_of"] or found["mean"]
        quoted = _QUOTED_TERM.search(term)  # "define the 'strategic depth' that it says…"
        term = quoted["term"] if quoted else term
        return DefinitionAsk(_ARTICLE.sub("", term.strip()), expansion=False)
    found = _WHAT_IS.search(_TOPIC_FIRST.sub(_asked_of, text))
    if found is None:
        return None
    term = found["term"]
    words = term.split()
    named = words[0][:1].isupper() and not re.search(r"['’]s?\b", term)
    # "What is bitcoin?", "What are stablecoins?": a common thing, named bare (no "the")
    lower = all(w.isalpha() and w.islower() for w in words)
    bare = not found["the"] and len(words) <= _BARE_WORDS and lower
    if len(words) > _TERM_WORDS or " of " in f" {term} " or not (found["a"] or named or bare):
        return None
    return DefinitionAsk(term, expansion=False, named=named and not found["a"])


def defines(ask: DefinitionAsk, sentence: str) -> bool:
    """Does the sentence say what the asked thing is (for an acronym asked to "stand
    for", spell it out)?"""
    for spelled in _spelled_out(ask.term).finditer(sentence):  # "… Centre (NIFTAC)"
        if initials(sentence[: spelled.start()]).endswith(ask.term.lower()):
            return True
    return not ask.expansion and bool(_defining(ask.term).search(sentence))


def _escaped(term: str) -> str:
    return re.escape(term).replace(r"\ ", r"\s+")


@cache
def _spelled_out(term: str) -> re.Pattern[str]:
    """The acronym in brackets, after the words it stands for."""
    return re.compile(rf"\(\s*{_escaped(term)}\s*\)")


@cache
def _defining(term: str) -> re.Pattern[str]:
    """A sentence form that says what the term is."""
    name = _escaped(term)
    plural = r"(?:e?s)?" if not term[-1:].isupper() else ""
    return re.compile(
        rf"\b{name}{plural}(?:\s*\([^)]*\))?(?:\s*[,—–(]\s*|\s+-+\s+)"
        r"(?:an?|the|one|its|their)\b"  # "X, a large reserve", "X—the initiative"
        rf"|\b{name}{plural}\s+(?:is|are|was|were)\s+(?:an?|the|one)\b"
        # a common noun before it in apposition: "its investment arm, the IFC,"
        rf"|\b(?!and\b|or\b)(?-i:[a-z])[\w-]*,\s+(?:the\s+)?{name}{plural}\s*,"
        rf"|\b(?:called|named|known as)\s+(?:the\s+)?{name}\b",
        re.I,
    )
