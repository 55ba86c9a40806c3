"""Which article a question names as its source: "according to the explainer", "the Dar
article", "per Nawaz", "in Foreign Policy's reporting".

A question that names its source asks what *that* article says. Retrieval prefers the
named article's paragraphs (`SOURCE_BOOST`); the evidence gate counts a sentence from
another article as failing a requirement (`Signals.source_mismatch`), so "why does the
explainer say X?" is not answered from a different article; and the words that name
the source are no part of what an answer must contain ("Nawaz" need not appear in
Nawaz's own sentences).

An article is named, from its catalog card, by
- its author (full name or surname) or outlet, written as a name of its own: "Nawaz",
  "Foreign Policy", but not "Nawaz Sharif" or "foreign policy";
- its genre, after "the" ("the explainer", "the research note");
- a word of its title that no other title has, beside a word for an article: "the Dar
  article", "the piece on Dar's trip", "the strategic realism author".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from rag.text import ARTICLE_WORDS, QUOTED, STOPWORDS, content_words, stem

# How much a named article's paragraphs gain in retrieval's fused score: enough to lift
# its relevant paragraphs over other articles' near-equal ones, not to let its
# irrelevant ones crowd out a clearly better passage elsewhere. Chosen on the dev split.
SOURCE_BOOST = 2.0
# Words that introduce a source: "according to X", "per X", "in X's view".
_CUES = frozenset({"according", "per"})
# Words that may follow an article word and introduce what it is about ("the piece *on*
# Dar's trip"), and how many words after them may still describe it.
_ABOUT = frozenset({"on", "about", "by", "covering"})
_ABOUT_WORDS = 6
# Words after a genre word that make it the common noun ("the feature of", "the report
# that"), not the article.
_NOT_A_GENRE = frozenset({"of", "that", "which", "who", "whose", "where", "for", "in"})
# Determiners that open a reference ("*the* Dar article"), and how far before the article
# word one may sit.
_DETERMINERS = frozenset({"the", "this", "that", "its"})
_BEFORE_WORDS = 4
# A word, with its start and end in the question; "Dar's" is the word "Dar".
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*(?:['’][A-Za-z]+)?")
_POSSESSIVE = re.compile(r"['’][A-Za-z]+$")
# A quote names an article by its title when it holds at least this many of the title's
# words, none other, and at least half of them ("'How Pakistan won over Trump'").
QUOTED_TITLE_WORDS = 2
_STOP_AFTER = re.compile(r"[,;:?!()]")


class Card(Protocol):
    """What naming needs of an article's catalog card (rag.metadata.ArticleCard)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def author(self) -> str | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def genre(self) -> str | None: ...


@dataclass(frozen=True)
class SourceRef:
    """The articles a question names, and where in the question it names them: `spans`
    by a genre, title words or a cue ("the explainer", "the Dar article", "per"), `names`
    by an author or outlet, which may also be what the question is about ("Nawaz's job")."""

    articles: frozenset[str] = frozenset()
    spans: tuple[tuple[int, int], ...] = ()
    names: tuple[tuple[int, int], ...] = ()
    quoted: tuple[tuple[int, int], ...] = ()  # titles the question quotes (also in spans)

    def unquoted(self, question: str) -> str:
        """The question with the titles it quotes blanked (offsets kept): "the explainer
        'Why the US is re-engaging Pakistan'" asks no why."""
        for start, end in self.quoted:
            question = question[:start] + " " * (end - start) + question[end:]
        return question

    def excludes(self, article_id: str) -> bool:
        """The question names its articles, and this is not one of them."""
        return bool(self.articles) and article_id not in self.articles


# Words that make a lower-case name before them an article's ("the foreign policy
# magazine"): a genre, or the outlet's kind.
_NAMED_BEFORE = ARTICLE_WORDS | {stem("magazine"), stem("outlet")}


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int

    @property
    def plain(self) -> str:  # "Dar's" -> "Dar"
        return _POSSESSIVE.sub("", self.text)

    @property
    def bare(self) -> str:  # "Dar's" -> "dar"
        return self.plain.lower()


def words_of(text: str) -> list[Word]:
    """The words of a text, each with where it sits."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


class Sources:
    """Resolves the article a question names, from the indexed articles' cards."""

    def __init__(self, cards: Iterable[Card], texts: Mapping[str, str] | None = None) -> None:
        self.cards = list(cards)
        self.texts = dict(texts or {})  # each article's whole text, for `text_of`
        # Names: the author's full name and surname, the outlet, each as its words.
        self.names: dict[tuple[str, ...], set[str]] = {}
        for card in self.cards:
            for name in filter(None, (card.author, card.outlet)):
                words = tuple(w.text for w in words_of(name))
                for handle in {words, words[-1:]} if card.author == name else {words}:
                    self.names.setdefault(handle, set()).add(card.id)
        self.genres: dict[tuple[str, ...], set[str]] = {}
        for card in self.cards:
            if card.genre:
                key = tuple(w.bare for w in words_of(card.genre))
                self.genres.setdefault(key, set()).add(card.id)
        titled = {card.id: content_words(card.title) for card in self.cards}
        shared = Counter(s for stems in titled.values() for s in stems)
        # A title word names its article only where no other title has it.
        self.title_words = {a: {s for s in stems if shared[s] == 1} for a, stems in titled.items()}
        self.titles = titled
        # An article's id as answers write it after its title, "(002)", or "article 002".
        ids = "|".join(re.escape(card.id) for card in sorted(self.cards, key=lambda c: -len(c.id)))
        self._ids = re.compile(rf"\(({ids})\)|\barticle ({ids})\b" if ids else r"(?!)")

    def text_of(self, articles: Iterable[str]) -> str:
        """The named articles' text together ("" when the texts weren't given)."""
        return "\n".join(self.texts.get(a, "") for a in sorted(articles))

    def find(self, question: str) -> SourceRef:
        words = words_of(question)
        named: set[str] = set()
        spans: list[tuple[int, int]] = []
        names: list[tuple[int, int]] = []
        used: set[int] = set()
        self._by_name(words, named, names, used)
        self._by_lower_name(words, named, names, used)
        genre_at = self._by_genre(question, words, named, spans, used)
        self._by_title(question, words, named, spans, used, genre_at)
        quoted = self._by_quoted_title(question, named)
        spans += quoted
        for m in self._ids.finditer(question):  # "the explainer (002)", as answers cite it
            found = m[1] or m[2]
            before = sum(w.end <= m.start() for w in words) - 1  # the word just before it
            named.difference_update(genre_at.get(before, frozenset()) - {found})  # one op-ed
            named.add(found)
            spans.append(m.span())
        for i, w in enumerate(words):  # "according (to)", "per" before a found source
            if w.bare in _CUES and any(j in used for j in range(i + 1, i + 4)):
                spans.append((w.start, w.end))
        return SourceRef(frozenset(named), tuple(spans), tuple(names), tuple(quoted))

    def _by_name(
        self, words: list[Word], named: set[str], spans: list[tuple[int, int]], used: set[int]
    ) -> None:
        i = 0
        while i < len(words):
            if not words[i].text[0].isupper():
                i += 1
                continue
            j = _name_at(words, i).stop
            run = tuple(w.plain for w in words[i:j])
            # The whole run must be the name: "Nawaz Sharif" is not the author Nawaz.
            # A question's capitalised first word may precede it ("Does Nawaz…").
            for start in (i, i + 1) if i == 0 else (i,):
                if start == 0 and j == 1 and run[0].lower() in STOPWORDS:
                    continue  # "Will the deal pass?" names no author Will
                if run[start - i :] in self.names:
                    named |= self.names[run[start - i :]]
                    spans.append((words[start].start, words[j - 1].end))
                    used.update(range(start, j))
                    break
            i = j

    def _by_lower_name(
        self, words: list[Word], named: set[str], spans: list[tuple[int, int]], used: set[int]
    ) -> None:
        """A name typed in lower case right before a word for an article or an outlet ("the
        foreign policy magazine article"): without it, "foreign policy" is the phrase."""
        for key, articles in self.names.items():
            low, n = tuple(w.lower() for w in key), len(key)
            for i in range(len(words) - n):
                if any(j in used for j in range(i, i + n)) or words[i].text[0].isupper():
                    continue
                if tuple(w.bare for w in words[i : i + n]) == low and (
                    stem(words[i + n].bare) in _NAMED_BEFORE
                ):
                    named |= articles
                    spans.append((words[i].start, words[i + n - 1].end))
                    used.update(range(i, i + n))

    def _by_genre(
        self,
        question: str,
        words: list[Word],
        named: set[str],
        spans: list[tuple[int, int]],
        used: set[int],
    ) -> dict[int, frozenset[str]]:
        """Adds the articles named by genre; returns them by the genre words' positions."""
        at: dict[int, frozenset[str]] = {}
        for key, articles in self.genres.items():
            n = len(key)
            for i in range(len(words) - n + 1):
                if tuple(w.bare for w in words[i : i + n]) != key:
                    continue
                # Right after "the" (or a name after it: "the Foreign Policy feature", "the
                # CISS research note"), and not the common noun: "the feature of X", "the
                # note that…".
                before = i > 0 and (
                    words[i - 1].bare in _DETERMINERS
                    or i - 1 in used
                    or (i > 1 and words[i - 1].text[0].isupper() and words[i - 2].bare == "the")
                )
                # Punctuation ends the reference: "According to the explainer, who…".
                last = i + n >= len(words) or _broken(question, words, i + n)
                after = "" if last else words[i + n].bare
                if before and after not in _NOT_A_GENRE:
                    named |= articles
                    spans.append((words[i].start, words[i + n - 1].end))
                    used.update(range(i, i + n))
                    at.update(dict.fromkeys(range(i, i + n), frozenset(articles)))
        return at

    def _by_title(
        self,
        question: str,
        words: list[Word],
        named: set[str],
        spans: list[tuple[int, int]],
        used: set[int],
        genre_at: Mapping[int, frozenset[str]],
    ) -> None:
        for i, w in enumerate(words):
            if stem(w.bare) not in ARTICLE_WORDS and w.bare not in ARTICLE_WORDS:
                continue
            window = self._window(question, words, i, used)
            genre = genre_at.get(i)  # "the op-ed about Dar's visit": one of the op-eds
            hits = {
                a: matched
                for a, title in self.title_words.items()
                if (genre is None or a in genre)
                and (matched := [j for j in window if _in_title(words, j, title)])
            }
            if len(hits) == 1:
                (article, matched), *_ = hits.items()
                named.difference_update((genre or frozenset()) - {article})
                named.add(article)
                spans.extend((words[j].start, words[j].end) for j in matched)
                used.update(matched)

    def _by_quoted_title(self, question: str, named: set[str]) -> list[tuple[int, int]]:
        """A title the question quotes ("the explainer 'Why the US is re-engaging
        Pakistan'") names its article, and its words are no part of what is asked."""
        spans: list[tuple[int, int]] = []
        for m in QUOTED.finditer(question):
            quoted = content_words(next(g for g in m.groups() if g))
            if len(quoted) < QUOTED_TITLE_WORDS:
                continue
            found = [
                a
                for a, title in self.titles.items()
                if quoted <= title and len(quoted) * 2 >= len(title)
            ]
            if len(found) == 1:
                named.add(found[0])
                spans.append(m.span())
        return spans

    @staticmethod
    def _window(question: str, words: list[Word], i: int, used: set[int]) -> list[int]:
        """The words describing the article word at `i`: back to its determiner, and
        after it, what "on/about/by" introduces up to the next punctuation."""
        before = []
        for j in range(i - 1, max(-1, i - 1 - _BEFORE_WORDS), -1):
            if words[j].bare in _DETERMINERS:
                before = list(range(j + 1, i))
                break
        after: list[int] = []
        if i + 1 < len(words) and words[i + 1].bare in _ABOUT:
            for j in range(i + 2, min(len(words), i + 2 + _ABOUT_WORDS)):
                if _broken(question, words, j):
                    break
                after.append(j)
        return [j for j in before + after if j not in used]


def _broken(question: str, words: list[Word], j: int) -> bool:
    """Does punctuation stand between word j and the word before it?"""
    return bool(_STOP_AFTER.search(question[words[j - 1].end : words[j].start]))


def _in_title(words: list[Word], j: int, title: set[str]) -> bool:
    """Word j is a word of the title, and, when it is part of a name, so is the rest of
    the name: "Washington" is in "Dar's visit to Washington", "the Washington Post" not."""
    if not content_words(words[j].text) & title:
        return False
    run = _name_at(words, j) if words[j].text[0].isupper() else range(j, j + 1)
    return all(content_words(words[m].text) <= title for m in run)


def _name_at(words: list[Word], j: int) -> range:
    """The run of capitalised words around word j: the whole name it is part of. A
    possessive ends it ("Nawal Nawaz's CISS note" names Nawal Nawaz)."""
    lo, hi = j, j + 1
    while lo > 0 and words[lo - 1].text[0].isupper() and words[lo - 1].plain == words[lo - 1].text:
        lo -= 1
    while (
        hi < len(words)
        and words[hi].text[0].isupper()
        and words[hi - 1].plain == words[hi - 1].text
    ):
        hi += 1
    return range(lo, hi)
