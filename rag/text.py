"""Small text helpers shared by chunking, answering and verification."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache, partial

# Abbreviations whose period does not end a sentence in these texts and in news prose.
_ABBREVIATIONS = {
    "u.s",
    "u.k",
    "u.n",
    "d.c",
    "j.d",
    "gen",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
    "jan",
    "feb",
    "mar",
    "apr",
    "aug",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "vs",
    "e.g",
    "i.e",
    "lt",
    "col",
    "sen",
    "rep",
    "gov",
    "prof",
    "inc",
    "corp",
    "co",
    "jr",
    "sr",
}
# The citation marker answers carry: [1], [1, 2], [1; 2] and a range [1-2] are all
# accepted from generators. The one definition of the syntax: rag.citations builds on it
# (it can't live there, since rag.citations uses this module's sentence splitter).
MARKER = re.compile(r"\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
# A marker still open at the end of streamed text ("[2", "[1, "): held back until it closes.
OPEN_MARKER = re.compile(r"\[[\d,;\s–-]*$")
_RANGE = re.compile(r"[–-]")

# How a follow-up carries the question it follows ("And when? (following up on: …)"):
# rag.conversation writes it; the question's own words are read before it.
FOLLOWING_UP = " (following up on: "
# Quoted words: double quotes of either kind, curly single quotes, and straight single
# quotes not inside a word ("Trump's" quotes nothing; 'Trump's friend' keeps its own).
QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|‘([^’]+)’|(?<!\w)'((?:[^']|'(?=\w))+)'(?!\w)")


def marker_numbers(group: str) -> list[int]:
    """The numbers written inside a marker (`MARKER`'s group): "1, 3" -> [1, 3]."""
    return [int(n) for n in re.findall(r"\d+", group)]


def is_marker_range(group: str) -> bool:
    """The marker is written as a range ("1-3")."""
    return _RANGE.search(group) is not None


# Closing quotes and citation markers after the period stay with their sentence:
# 'He said “no.” [2] Then…' splits after "[2]".
_BOUNDARY = re.compile(
    r"(?<=[.!?])((?:[\"”’)\]]*)(?:\s*" + MARKER.pattern + r")*)\s+(?=[\"“‘(]?[A-Z0-9])"
)
_MARKERS = re.compile(r"\s*" + MARKER.pattern)
_TOKEN = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")
_POSSESSIVE = re.compile(r"'s\b")
# A figure run into the next word by a lost space ("on Sept. 25.White House photographer")
# is two tokens; "3.5" and "U.S." stay one.
_GLUED = re.compile(r"(?<=\d)\.(?=[^\W\d_])")
# Word stems and sentences' content words are recomputed for the same paragraphs
# question after question; caching them took ~20 ms off a warm ask. Bounded so a
# long-running server's memory stays flat (a few MB at these sizes).
STEM_CACHE = 65_536
SENTENCE_WORDS_CACHE = 16_384

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "s",
        "t",
        "ll",
        "ve",
        "re",
        "d",
        "m",
        "did",
        "does",
        "doing",
        "said",
        "says",
        "say",
        "according",
        "what's",
        "whats",
        "much",
        "many",
        "did",
        "do",
        "tell",
        "give",
        "know",
    ]
    # "why doesn't…": a negated auxiliary is a function word too, not a term to match
    + [
        f"{aux}n't"
        for aux in [
            "do",
            "does",
            "did",
            "is",
            "are",
            "was",
            "were",
            "has",
            "have",
            "had",
            "could",
            "would",
            "should",
            "must",
            "need",
        ]
    ]
    + ["can't", "won't", "shan't"]
)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations like "U.S." and "Sept." intact."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start(1) + len(match.group(1))
        candidate = text[start:end]
        bare = _MARKERS.sub("", candidate).rstrip('"”’)]. ')
        last_word = bare.rsplit(None, 1)[-1].lower() if bare else ""
        if last_word.rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        sentences.append(candidate.strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; "U.S." stays one token, "Pakistan's" is "pakistan"."""
    text = _GLUED.sub(" ", _POSSESSIVE.sub("", text.lower().replace("’", "'")))
    return _TOKEN.findall(text)


# A capitalised word, with the of/for/and/the that may join it to the next one.
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of|for|and|the)\s+(?=[A-Z]))?")


def initials(text: str) -> str:
    """First letters of the text's capitalised words, in order: an acronym's letters when
    the text spells it out ("Center for International Strategic Studies": "ciss")."""
    return "".join(w[0].lower() for w in _CAPITALISED.findall(text))


@lru_cache(maxsize=STEM_CACHE)
def stem(word: str) -> str:
    """A deliberately light stemmer: enough to match tariffs/tariff, lowered/lower, and
    British spellings with American ones (`_american`)."""
    return _american(_stem(word))


def _american(stemmed: str) -> str:
    """labour/labor, modernis(ation)/moderniz(ation), defenc(e)/defens(e): the articles
    and their readers spell either way."""
    if len(stemmed) >= 6 and stemmed.endswith("our"):
        return stemmed[:-3] + "or"
    if len(stemmed) >= 6 and stemmed.endswith("is"):
        return stemmed[:-2] + "iz"
    if len(stemmed) >= 5 and stemmed.endswith("nc"):
        return stemmed[:-2] + "ns"
    return stemmed


def _stem(word: str) -> str:
    for suffix in ("ies", "ied"):  # policies/policy, applied/apply: the same stem
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + "y"
    for suffix in (
        "ations",
        "ation",
        "ments",
        "ment",
        "ings",
        "ing",
        "es",
        "ed",
        "s",
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]  # "agreement" as "agree": its silent e goes too
            return base[:-1] if suffix[0] == "m" and base.endswith("e") else base
    return word[:-1] if word.endswith("e") and len(word) > 4 else word  # "provide(d)"


def word_set(words: str, *, stemmed: bool = False) -> frozenset[str]:
    """A word list written as one string ("a b c"), stemmed like `content_words` if asked."""
    return frozenset(stem(w) for w in words.split()) if stemmed else frozenset(words.split())


# Words for an article, beside which title words name one ("the Dar *article*").
ARTICLE_WORDS = word_set(
    "article articles piece pieces op-ed explainer essay feature report reporting column "
    "analysis commentary note author authors writer story",
    stemmed=True,
)
# Titles that precede a name and are not part of it ("Field Marshal Munir").
TITLE_WORDS = word_set(
    "President Vice Prime Minister Secretary General Gen. Gen Field Marshal Chief "
    "Ambassador Envoy Senator Governor Chairman Chairwoman CEO Director Commander King "
    "Queen Crown Prince Princess Deputy Foreign Finance Defense Defence Interior State "
    "Army Staff Lt. Col. Maj. Capt. Admiral Adm. Justice Judge Speaker Mayor Dr. Mr. Mrs. "
    "Ms. Sen. Rep. Gov. Prof. Sir then-Prime then-President former Former"
)


def content_words(text: str) -> set[str]:
    """Stemmed words that carry meaning (no stopwords, no one-letter tokens)."""
    return set(_content_words(text))


@lru_cache(maxsize=SENTENCE_WORDS_CACHE)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(stem(t) for t in tokens(text) if t not in STOPWORDS and len(t) > 1)


@cache
def _encoding():  # type: ignore[no-untyped-def]
    """cl100k's encoder, as llama-index's `get_tokenizer` makes it: tiktoken alone would
    download the file, so it is pointed at the copy llama-index bundles, found without
    importing llama-index (2.4 s for a process that answers with an LLM)."""
    import importlib.util
    import os

    import tiktoken

    spec = importlib.util.find_spec("llama_index.core")
    assert spec is not None, "llama-index is a dependency"
    assert spec.submodule_search_locations, "llama_index.core is a package"
    package = next(iter(spec.submodule_search_locations))
    bundled = os.path.join(package, "_static", "tiktoken_cache")
    user_set = "TIKTOKEN_CACHE_DIR" in os.environ
    if not user_set:  # only while the file is read, as llama-index does
        os.environ["TIKTOKEN_CACHE_DIR"] = bundled
    try:
        encoding = tiktoken.encoding_for_model("gpt-3.5-turbo")
    finally:
        if not user_set:
            del os.environ["TIKTOKEN_CACHE_DIR"]
    return partial(encoding.encode, allowed_special="all")


def count_tokens(text: str) -> int:
    return len(_encoding()(text))


def length_order(texts: Sequence[str]) -> list[int]:
    """Indices of `texts`, shortest first. Embedding in this order pads little (a batch
    pads to its longest text): measured ~26% faster on paragraphs mixed with sentences."""
    return sorted(range(len(texts)), key=lambda i: len(texts[i]))
