"""Names as the articles spell them: "Muneer" is read as "Munir", "Shahbaz" as "Shehbaz".

Pakistani names have several Latin spellings, and a reader may type one the articles
don't use. A name the corpus never uses would otherwise be refused as never mentioned.
So before a question is searched, each capitalised word the corpus never uses is
compared with the names it does use; one that is the same name spelled otherwise (the
same consonants, vowels aside, or nearly the same letters) is read as the articles'
spelling, and the answer says so in a note. A word with no such name, or with two, is
left as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_WORD = re.compile(r"[A-Za-z]+")
# Letters that spell the same sound in transliterated names ("Diq"/"Dik", "Organisation"/
# "Organization"); vowels differ most of all ("Muneer"/"Munir") and are left out.
_SAME_SOUND = (("ph", "f"), ("q", "k"), ("z", "s"), ("w", "v"))
# Nearly the same letters: a name this similar (difflib's ratio) and at least this long is
# the same name misspelled ("Sharief"/"Sharif"); shorter ones must share their consonants.
MIN_RATIO = 0.85
MIN_RATIO_LENGTH = 5


def skeleton(word: str) -> str:
    """The consonants of a word, as they sound: "Muneer" and "Munir" are both "mnr"."""
    w = word.lower()
    for written, sound in _SAME_SOUND:
        w = w.replace(written, sound)
    w = re.sub(r"[aeiouy]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


# A question's capitalised words, in any alphabet's letters ("Ásim").
_ANY_NAME = re.compile(r"\b[^\W\d_]{3,}\b")


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


class Spellings:
    """The names a corpus uses, to read a question's names as the corpus spells them."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.words: set[str] = set()
        names: dict[str, str] = {}  # lowercased -> as written
        for text in texts:
            self.words.update(w.lower() for w in _WORD.findall(text))
            names.update((n.lower(), n) for n in _NAME.findall(text))
        # Indexed by first letter, and by first letter and consonants, so a question's
        # name is compared with few of them however large the corpus.
        self.by_initial: dict[str, list[str]] = {}
        self.by_shape: dict[tuple[str, str], set[str]] = {}
        for low, written in names.items():
            self.by_initial.setdefault(low[0], []).append(written)
            self.by_shape.setdefault((low[0], skeleton(low)), set()).add(written)

    def respell(self, question: str) -> tuple[str, list[str]]:
        """The question with its names as the corpus spells them, and a note for each
        name read otherwise ("read “Muneer” as “Munir”, as the articles spell it")."""
        notes: list[str] = []

        def fix(match: re.Match[str]) -> str:
            word = match.group()
            if not word[0].isupper() or word.lower() in self.words:
                return word
            plain = _unaccented(word)  # "Ásim": "Asim"
            found = plain if plain.lower() in self.words else self._closest(plain)
            if found is None or not found.isascii():
                return word
            notes.append(f"read “{word}” as “{found}”, as the articles spell it")
            return found

        return _ANY_NAME.sub(fix, question), notes

    def _closest(self, word: str) -> str | None:
        low = word.lower()
        found = set(self.by_shape.get((low[0], skeleton(low)), ()))
        if not found and len(low) >= MIN_RATIO_LENGTH:
            found = {
                name
                for name in self.by_initial.get(low[0], ())
                if abs(len(name) - len(low)) <= 2 and _similar(low, name.lower())
            }
        return found.pop() if len(found) == 1 else None


def _similar(a: str, b: str) -> bool:
    """Nearly the same letters (difflib's ratio), its cheap upper bounds tried first."""
    matcher = SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= MIN_RATIO
        and matcher.quick_ratio() >= MIN_RATIO
        and matcher.ratio() >= MIN_RATIO
    )
