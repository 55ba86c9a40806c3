"""Names typed in lower case, read with their capitals.

A reader at a chat box types "what did ishaq dar say at the un?". The parser finds names
by their capitals, and the gate checks a question's names against the articles, so a
name typed in lower case goes unseen: the question reads as one about "dar" and "say".
rag.spelling reads the question with its names cased before anything else reads it;
this module holds the rules for names of several words and short forms:

* `Phrases`: a name of several words the articles always write with capitals ("imran
  khan", "national development complex"), also without the titles before it ("Prime
  Minister Ishaq Dar": "ishaq dar") or by its last words ("security council").
* `case_short_forms`: initials ("j.d.", "u.s.") and "us" where it can only be the
  country ("the us", "despite us pressure"), never the pronoun ("tell us what…").
* `case_places`: a country, its people or its capital ("japan", "south korea",
  "beijing"), by rag.aliases' list.
* `case_given_names`: a person's name of which one word is of no language, beside a name
  or a given name ("narendra Modi", "scott bessent"), someone the articles may never
  mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from itertools import pairwise

from rag.aliases import ALIAS_GROUPS
from rag.nlp import entities_of, parse
from rag.text import STOPWORDS, TITLE_WORDS

# Words that join the words of one name: "Line of Control", "Belt and Road".
GLUE = frozenset({"of", "for", "and", "the"})

# What may follow a word in a token without being part of it: a possessive, punctuation
# ("Pakistan’s", "Khan," and "U.S." are read as "Pakistan", "Khan" and "U.S": a name's own
# final dot is cut alike in the question and the articles).
_TOKEN_END = re.compile(r"(?:[’']s)?[,.;:!?)”\"]*$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
_CUT_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")  # initials without their last dot: "U.S"
# Dashes run into the words around them ("September—and Prime Minister…") part them.
_DASH = re.compile(r"[—–]")


def core(token: str) -> str:
    """A token without the punctuation or possessive around its word."""
    return _TOKEN_END.sub("", token.lstrip('(“"'))


def _ends_name(token: str, word: str) -> bool:
    """Punctuation or a possessive after the word ends the name it is in ("Khan’s",
    "Dar,"), the dots of initials don't ("U.S. Strategic Metals")."""
    return word != token and not _INITIALS.fullmatch(token)


class Phrases:
    """Names of several words the articles always write with capitals ("Imran Khan",
    "New Delhi", "Line of Control"), so that one typed whole in lower case is read with
    them: the parser then sees one name, not a lower-case "khan" or "new". A name whose
    words the articles also write in lower case, next to each other ("prime minister"),
    is left as typed."""

    def __init__(self, texts: Iterable[str]) -> None:
        found: dict[tuple[str, ...], tuple[str, ...]] = {}
        lower_pairs: set[tuple[str, str]] = set()
        for text in texts:
            tokens = _DASH.sub(" ", text).split()
            run: list[str] = []
            for i, token in enumerate([*tokens, ""]):
                word = core(token)
                if token.startswith("("):  # "(NDC)" is another name for the one before
                    self._keep(run, found)
                    run = []
                in_name = word[:1].isupper() or (bool(run) and word in GLUE)
                if in_name:
                    run.append(word)
                if not in_name or _ends_name(token, word):
                    self._keep(run, found)
                    run = []
                if i and word.islower() and (prev := core(tokens[i - 1])).islower():
                    lower_pairs.add((prev, word))
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for low, cased in found.items():
            if not all(pair in lower_pairs for pair in pairwise(low)):
                self.by_first.setdefault(low[0], []).append((low, cased))
        for candidates in self.by_first.values():
            candidates.sort(key=lambda c: -len(c[0]))  # the longest name first

    @staticmethod
    def _keep(run: list[str], found: dict[tuple[str, ...], tuple[str, ...]]) -> None:
        while run and (run[-1] in GLUE or run[-1].lower() in STOPWORDS):
            run = run[:-1]
        while run and run[0].lower() in STOPWORDS:  # "The World Bank": "World Bank"
            run = run[1:]
        if sum(not w.islower() for w in run) >= 2:
            found.setdefault(_key(run), tuple(run))
        # "UN Security Council": "security council" is typed for it too
        for start in range(1, len(run) - 1):
            tail = run[start:]
            if tail[0] not in GLUE and all(not w.islower() for w in tail):
                found.setdefault(_key(tail), tuple(tail))
        # "Foreign Minister and Deputy Prime Minister Ishaq Dar": the name is typed
        # without its titles too, the words after the last of them
        titles = [i for i, w in enumerate(run) if w in TITLE_WORDS]
        untitled = run[titles[-1] + 1 :] if titles else []
        if sum(not w.islower() for w in untitled) >= 2:
            found.setdefault(_key(untitled), tuple(untitled))

    def case(self, question: str) -> str:
        """The question with each such name it types (in part) in lower case in capitals."""
        tokens = question.split(" ")
        cores = [core(t) for t in tokens]
        lowered = [c.lower().replace(".", "") for c in cores]
        i = 0
        while i < len(tokens):
            for low, cased in self.by_first.get(lowered[i], ()):
                end = i + len(low)
                typed = cores[i:end]
                # in lower case but for its initials: "us strategic metals", "U.S. strategic
                # metals"; "Kabul airport" is cased as its writer meant
                if (
                    tuple(lowered[i:end]) == low
                    and any(c.islower() for c in typed)
                    and all(c.islower() or c.replace(".", "").isupper() for c in typed)
                ):
                    for j, word in zip(range(i, end), cased, strict=True):
                        cut = _CUT_INITIALS.fullmatch(word) and f"{cores[j]}." not in tokens[j]
                        word += "." if cut else ""  # "us": "U.S."
                        tokens[j] = tokens[j].replace(cores[j], word, 1)
                    i = end - 1
                    break
            i += 1
        return " ".join(tokens)


def _key(words: list[str]) -> tuple[str, ...]:
    """A name's words as a reader may type them: "U.S. Strategic Metals" as "us strategic
    metals"."""
    return tuple(w.lower().replace(".", "") for w in words)


# Initials typed in lower case: "j.d. vance", "u.s. tariffs".
_LOWER_INITIALS = re.compile(r"(?<![\w.])(?:[a-z]\.){2,}(?![\w.])")
# "us" that can only be the country: after "the", or between a small word and a word of
# content ("despite us pressure", "with a us firm"); the pronoun follows a verb ("tell
# us", "offer us") or comes before a small word ("to us about…"). Small words: the
# stopwords, and prepositions the stopword list lacks.
_SMALL = STOPWORDS | {"despite", "amid", "toward", "towards", "via", "per"}
_US = re.compile(r"\b(?:(?P<the>the)|(?P<small>[a-z]+))\s+us\b(?=\s+(?P<next>[a-z]+))?")


def case_short_forms(question: str) -> str:
    """The question with its initials and its country "us" in capitals."""
    question = _LOWER_INITIALS.sub(lambda m: m.group().upper(), question)

    def us(m: re.Match[str]) -> str:
        small, after = m.group("small"), m.group("next")
        country = m.group("the") is not None or (
            small in _SMALL and after is not None and after not in STOPWORDS
        )
        return m.group()[:-2] + "US" if country else m.group()

    return _US.sub(us, question)


# A given name is longer than the language's short words ("xi", "nab"), and doesn't end
# like a word of the language the embedder holds in pieces ("courting Trump").
_GIVEN_MIN_CHARS = 4
_WORD_ENDING = re.compile(r"(?:ing|ed|s|ise|ize|ly|ion)$")


def _given(word: str, common: Collection[str]) -> bool:
    """Could the word be a given name typed in lower case: a word, but none the articles
    or the language use as a small word?"""
    return word.isalpha() and word.islower() and word not in common and word not in STOPWORDS


def case_given_names(
    question: str, foreign: Callable[[str], bool], common: Collection[str] = frozenset()
) -> str:
    """The question with a person's name it types in lower case in capitals, where the
    parser then reads one: a word of no language (`foreign`) right before a capitalised
    word ("narendra Modi") or right after a word or initial of the language ("scott
    bessent", "s. jaishankar"; not one the articles write in lower case, `common`: "the
    dar article foresee"). "irritate New Delhi" and "to bankroll" stay as typed."""
    tokens = question.split(" ")
    for i in range(len(tokens) - 1, -1, -1):
        word = core(tokens[i])
        if (
            word != tokens[i]
            or len(word) < _GIVEN_MIN_CHARS
            or _WORD_ENDING.search(word)
            or not foreign(word)
        ):
            continue
        following = core(tokens[i + 1]) if i + 1 < len(tokens) else ""
        before = tokens[i - 1] if i else ""
        if following[:1].isupper():  # the given name of a name cased
            first, tried = i, [*tokens[:i], word.capitalize(), *tokens[i + 1 :]]
        elif _given(before, common) or _INITIALS.fullmatch(before):  # a surname after it
            first = i - 1
            given = before[:1].upper() + before[1:]  # "J.D." stays so
            tried = [*tokens[: i - 1], given, word.capitalize(), *tokens[i + 1 :]]
        else:
            continue
        start = len(" ".join(tokens[:first])) + bool(first)
        end = len(" ".join(tried[: i + 1]))
        if any(
            e.label == "PERSON" and e.start <= start and e.end >= end
            for e in entities_of(parse(" ".join(tried)))
        ):
            tokens = tried
    return " ".join(tokens)


# The list's names of countries, peoples and capitals, as typed in lower case: the short
# ones ("us", "uk", "pak") are words too, or read by `case_short_forms`.
_PLACE_MIN_CHARS = 4
_PLACES = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            (re.escape(a) for g in ALIAS_GROUPS for a in g if a.replace(" ", "").isalpha()),
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)


def case_places(question: str) -> str:
    """The question with the countries, peoples and capitals it types in lower case in
    capitals: "how did japan and south korea do it" names two countries."""

    def cased(m: re.Match[str]) -> str:
        name, before = m.group(), question[: m.start()].split()
        # part of a name its writer typed with a capital of its own: "New delhi"
        typed = bool(before) and before[-1][:1].isupper()
        return name.title() if len(name) >= _PLACE_MIN_CHARS and not typed else name

    return _PLACES.sub(cased, question)
