"""Names as the articles spell them: "Muneer" is read as "Munir", "Shahbaz" as "Shehbaz".

Pakistani names have several Latin spellings, and a reader may type one the articles
don't use. A name the corpus never uses would otherwise be refused as never mentioned.
So before a question is searched, each capitalised word the corpus never uses is
compared with the names it does use; one that is the same name spelled otherwise (the
same consonants, vowels aside, or nearly the same letters) is read as the articles'
spelling, and the answer says so in a note. A word with no such name, or with two, is
left as written. A question typed in lower case ("what did munir say") has its names
read with their capitals, so the parser sees names: a word the articles only ever
capitalise, and use somewhere as a name on its own, or the initials of a name they
spell out ("ifc": "IFC", the International Finance Corporation), a short name they
write in capitals only ("un": "UN"), and, by rag.casing's rules, a name of several words
typed whole that the articles never write in lower case ("imran khan", "new delhi"),
initials, the country "us", and a given name before a name ("narendra modi"). A
mistyped wh-word opening the question ("Wher was…") is read as the likeliest one, with
a note. And a question typed without its question mark ("what is a stablecoin") is read
with one, as the rules reading questions expect.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

from rag.answer_types import REQUESTS
from rag.casing import GLUE, Phrases, case_given_names, case_places, case_short_forms, core
from rag.fragments import QUESTION_OPENERS, WH_WORDS, as_question
from rag.names import HONORIFICS
from rag.text import STOPWORDS

_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
# A name of several capitalised words, with "of", "for", "and" or "the" between them:
# its initials may stand for it ("National Development Complex": NDC).
_SPELLED_OUT = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|for|and|the)\s+)?[A-Z][a-z]+){2,5}\b")
_LEADING_THE = re.compile(r"^The\s+")
_WORD = re.compile(r"[A-Za-z]+")
# Letters that spell the same sound in transliterated names ("Diq"/"Dik", "Organisation"/
# "Organization"); vowels differ most of all ("Muneer"/"Munir") and are left out.
_SAME_SOUND = (("ph", "f"), ("q", "k"), ("z", "s"), ("w", "v"))
# Nearly the same letters: a name this similar (difflib's ratio) and at least this long is
# the same name misspelled ("Sharief"/"Sharif"); shorter ones must share their consonants.
MIN_RATIO = 0.85
MIN_RATIO_LENGTH = 5
# How many letters a slip may add or drop: "Pakistn" is "Pakistan".
SLIP_LETTERS = 2
# Words of the language this short are often parts of names too ("xi", "li", "al").
SHORT_WORD_CHARS = 3


def skeleton(word: str) -> str:
    """The consonants of a word, as they sound: "Muneer" and "Munir" are both "mnr"."""
    w = word.lower()
    for written, sound in _SAME_SOUND:
        w = w.replace(written, sound)
    w = re.sub(r"[aeiouy]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


# The text before a word ends a sentence (or is none): the word's capital says nothing.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;“\"(\n—]\s*)$")
# What stands next to a word that is part of a longer name: another capitalised word
# ("World Bank", "25.White House"), a number ("60 Minutes"), a hyphen or slash
# ("Inter-Services", "SOPA Images/"), or "of" or "for" and a capital ("Line of Control").
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w’'.-]*|\d|[-/]|[A-Z][\w’'.-]*\s+of)\s*$")
_NAME_AFTER = re.compile(r"\s*(?:[A-Z\d/-]|(?:of|for)\s+(?:the\s+)?[A-Z])")


def _alone(text: str, match: re.Match[str]) -> bool:
    """The word stands as a name by itself, not as part of a longer one (a person's
    title before it is no part of the name: "President Biden")."""
    before = text[max(0, match.start() - 40) : match.start()]
    titled = _TITLE_BEFORE.search(before) is not None
    return (titled or not _NAME_BEFORE.search(before)) and not _NAME_AFTER.match(text, match.end())


_TITLE_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(re.escape(t) for t in HONORIFICS))})\s+$")


# A question's first word, which a typo may hide ("Wher was…"; rag.fragments.WH_WORDS).
_FIRST_WORD = re.compile(r"\s*([^\W\d_]+)\b")
# A question's capitalised words, in any alphabet's letters ("Ásim").
_ANY_NAME = re.compile(r"\b[^\W\d_]{3,}\b")
# A word of two lower-case letters ("un"), which `_ANY_NAME` leaves alone.
_SHORT = re.compile(r"\b[a-z]{2}\b")


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


class Spellings:
    """The names a corpus uses, to read a question's names as the corpus spells them."""

    def __init__(self, texts: Iterable[str], english: frozenset[str] = frozenset()) -> None:
        """`english`: words of the language (the embedder's, rag.embeddings.known_words),
        to tell a name typed in lower case from a word; empty, none is told."""
        texts = list(texts)
        self.english = english
        self.words: set[str] = set()
        names: dict[str, str] = {}  # lowercased -> as written
        lower: set[str] = set()  # words the corpus writes in lower case somewhere
        capital: dict[str, str] = {}  # lowercased -> as written with a capital mid-sentence
        short: dict[str, str] = {}  # two capitals anywhere ("UN Security Council")
        acronyms: dict[str, str] = {}  # initials of a spelled-out name -> in capitals
        spelled: dict[str, set[str]] = {}  # initials -> the names they stand for
        for text in texts:
            for m in _WORD.finditer(text):
                word = m.group()
                self.words.add(word.lower())
                if word.islower():
                    lower.add(word)
                elif len(word) == 2 and word.isupper():
                    short.setdefault(word.lower(), word)
                # capitals mid-sentence, or all capitals anywhere ("(NIFTAC)", "IMF.")
                elif (word.isupper() or not _SENTENCE_START.search(text, 0, m.start())) and _alone(
                    text, m
                ):
                    capital.setdefault(word.lower(), word)
            names.update((n.lower(), n) for n in _NAME.findall(text))
            for name in _SPELLED_OUT.findall(text):
                initials = "".join(w[0] for w in name.split() if w.lower() not in GLUE)
                acronyms.setdefault(initials.lower(), initials)
                spelled.setdefault(initials.lower(), set()).add(_LEADING_THE.sub("", name))
        # "trump", "dar", "cpec": words the articles only ever write with a capital, and
        # somewhere as a name on their own (not "Bank" of "World Bank"), are names; a
        # question typed in lower case means them (and the parser then sees a name)
        self.cased = {low: w for low, w in capital.items() if low not in lower and len(low) > 2}
        self.lowercase = frozenset(lower)  # words the articles write in lower case
        # "un": a short name the articles write in capitals only ("UN"), no common word
        self.short = {low: w for low, w in short.items() if low not in lower | STOPWORDS}
        # "ifc": the initials of a name the articles spell out, never a word they use
        self.cased |= {a: w for a, w in acronyms.items() if a not in self.words}
        # "IFC": read as the one name the articles spell out, which they never shorten
        self.spelled = {
            a: next(iter(n)) for a, n in spelled.items() if a not in self.words and len(n) == 1
        }
        self.phrases = Phrases(texts)
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
        typed = question

        def fix(match: re.Match[str]) -> str:
            word = match.group()
            if (name := self.spelled.get(word.lower())) is not None:
                notes.append(f"read “{word}” as “{name}”, which the articles spell out")
                return name
            if word.islower() and (word in self.cased or not self._misspelled(word)):
                return self.cased.get(word, word)
            if not (word[0].isupper() or word.islower()) or word.lower() in self.words:
                return word
            if word.lower() in REQUESTS and not question[: match.start()].strip():
                return word  # "Name the militant…": a request, not "Naeem"
            plain = _unaccented(word)  # "Ásim": "Asim"
            found = plain if plain.lower() in self.words else self._closest(plain)
            if found is None or not found.isascii():
                return word
            notes.append(f"read “{word}” as “{found}”, as the articles spell it")
            return found

        question = _WH_DID.sub(r"\1 did", question)  # "why'd he go": "why did he go"
        question = _WH_IS.sub(r"\1's", question)  # "whats a stablecoin": "what's…"
        question = _WH_R.sub(r"\1 are", question)  # "what r the names": "what are…"
        question = _NT.sub(r"\1n't", question)  # "why dont they": "why don't they"
        question = self.phrases.case(self._question_word(question, notes))
        question = case_places(case_short_forms(_SHORT.sub(self._short, question)))
        question = self._unknown_names(question)
        question = _FILLER.sub("", question)
        purpose = _PURPOSE.match(question)
        if purpose and not PRONOUN.search(question[purpose.end() :]):
            question = question[purpose.end() :]  # "…: what is he with?" keeps its "he"
        question = _ANY_NAME.sub(fix, question)
        if not any(c.isupper() for c in typed[1:]):  # a writer who types names cased
            question = case_given_names(question, self._foreign_word, self.lowercase)
        question = _asked(question)
        fragment = as_question(question)  # "reko diq barrick stake"
        if fragment is None:
            return question, notes
        notes.append(f"read “{typed.strip()}” as “{fragment}”")
        return fragment, notes

    def _short(self, match: re.Match[str]) -> str:
        return self.short.get(match.group(), match.group())

    def _question_word(self, question: str, notes: list[str]) -> str:
        """ "Wher was…", "Whta is…": a first word the articles never use, one letter off
        a wh-word, is that wh-word (the likeliest, when another is one letter off too:
        "wher" is "where" before "when"; "hwo" is left as typed), not a name to look for."""
        first = _FIRST_WORD.match(question)
        if first is None:
            return question
        typed = first[1].lower()
        if typed in self.words or typed in STOPWORDS or typed in WH_WORDS:
            return question  # a word of the articles', or a common one
        near = [w for w in WH_WORDS if _one_letter_off(typed, w)]
        if not near:
            return question
        ratio = {w: SequenceMatcher(None, typed, w).ratio() for w in near}
        best = max(near, key=ratio.__getitem__)
        if sum(r == ratio[best] for r in ratio.values()) > 1:
            return question  # "hwo": "how" or "who", no telling
        found = best.capitalize() if first[1][0].isupper() else best
        notes.append(f"read “{first[1]}” as “{found}”")
        return question[: first.start(1)] + found + question[first.end(1) :]

    def _unknown_names(self, question: str) -> str:
        """ "how did xi jinping react…": two or more words side by side typed in lower
        case that neither the articles nor the language use (short ones apart, "xi"), and
        that are no slip of an article's word, name someone the articles never mention.
        Capitalised, the parser reads them as a name, which the gate finds unknown."""
        tokens = question.split(" ")
        unknown = [self._foreign_word(core(t)) for t in tokens]
        i = 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and unknown[j]:
                j += 1
            run = [core(t) for t in tokens[i:j]]
            if len(run) >= 2 and any(w not in self.english for w in run):
                for k in range(i, j):
                    tokens[k] = tokens[k].replace(run[k - i], run[k - i].capitalize(), 1)
            i = j + 1
        return " ".join(tokens)

    def _misspelled(self, word: str) -> bool:
        """A lower-case word neither the articles nor the language use ("pakistn"): a
        slip, perhaps, of one of the articles' names."""
        return bool(self.english) and word not in self.words and word not in self.english

    def _foreign_word(self, word: str) -> bool:
        """Typed in lower case, and neither the articles' nor the language's (but for
        short words: "xi"), nor one letter or so off an article's word."""
        if not (self.english and word.isalpha() and word.islower() and len(word) > 1):
            return False
        if word in self.words or word in STOPWORDS:
            return False
        if word in self.english and len(word) > SHORT_WORD_CHARS:
            return False
        return not any(
            w[0] == word[0] and abs(len(w) - len(word)) <= SLIP_LETTERS and _similar(word, w)
            for w in self.words
        )

    def _closest(self, word: str) -> str | None:
        low = word.lower()
        found = set(self.by_shape.get((low[0], skeleton(low)), ()))
        if not found and len(low) >= MIN_RATIO_LENGTH:
            found = {
                name
                for name in self.by_initial.get(low[0], ())
                if abs(len(name) - len(low)) <= SLIP_LETTERS and _similar(low, name.lower())
            }
        if len(found) < 2:
            return found.pop() if found else None
        # forms of one name ("Pakistan", "Pakistani" for "Pakistn"): the shortest, the
        # name itself; two names ("Munir", "Manar" for "Muneer") leave it as typed
        shortest = min(found, key=len)
        return shortest if all(n.startswith(shortest) for n in found) else None


# The words a question may open with: a wh-word, or a verb asking yes or no ("Did…").
# A wh-word run into "did" ("why'd", "how'd"), which the parser reads as one odd word.
_WH_DID = re.compile(r"\b(why|how|where|when|what)['’]d\b", re.I)
# ...or typed with "is" run in and no apostrophe ("whats", "hows", "wheres"), or with
# "are" as "r" ("what r the names…").
_WH_IS = re.compile(r"\b(what|how|where)s\b", re.I)
_WH_R = re.compile(r"\b(what|who|where|when|how|why|which)\s+r\b", re.I)
# A negation typed without its apostrophe: "dont", "didnt", "isnt", "wont", "cant".
_NT = re.compile(r"\b(do|does|did|is|was|are|were|has|have|had|wo|ca|could|would|should)nt\b", re.I)


# A question's opening words, as a lookahead: what follows a lead-in or filler.
_OPENING = r"(?=(?:" + "|".join(sorted(QUESTION_OPENERS)) + r")\b)"
# What a reader's question is for, said before it ("For my essay on US-India ties: why
# did…"): the names it gives are the reader's topic, not what the answer must hold.
_PURPOSE = re.compile(
    r"^\s*(?:for|in)\s+(?:my|our|an?|the)\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?:essay|report|paper|class|course|thesis|dissertation|assignment|homework|"
    r"presentation|briefing|brief|research|project|newsletter|blog|podcast|memo|notes)"
    r"\b[^:?;]{0,80}?(?::|\s[-–—])\s+" + _OPENING,
    re.I,
)

# Words a reader types before the question itself ("wait whats a stablecoin", "ok so why
# did…"): they say nothing, and hide the question's opening word from what reads it.
_FILLER = re.compile(
    r"^\s*(?:(?:wait|ok(?:ay)?|so|hey|hi|hello|um+|uh+|hmm+|oh|well|btw|also|and|but|"
    r"quick question|question)\b[\s,.!:;-]*)+" + _OPENING,
    re.I,
)
# A personal pronoun, which points back at a name said before it ("…: where did he go?"; a
# compound question's later part, rag.parts).
PRONOUN = re.compile(r"\b(it|its|they|them|their|he|him|his|she|her)\b", re.I)


def _asked(question: str) -> str:
    """The question with the "?" it was typed without ("who wrote it": "who wrote it?").
    A request ("Tell me about…", "List…") or text ending in other punctuation is kept."""
    text = question.rstrip()
    first = _FIRST_WORD.match(text)
    if not text or text[-1] in "?.!…" or first is None:
        return question
    return f"{text}?" if first[1].lower() in QUESTION_OPENERS else question


def _one_letter_off(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two side by side swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) == 1 or (swapped and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _similar(a: str, b: str) -> bool:
    """Nearly the same letters (difflib's ratio), its cheap upper bounds tried first."""
    matcher = SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= MIN_RATIO
        and matcher.quick_ratio() >= MIN_RATIO
        and matcher.ratio() >= MIN_RATIO
    )
