"""The extractive generator: answers with the retrieved sentences that best answer.

No model writes text, so every sentence is a quotation from its cited paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rag.answer_types import AnswerType, answer_type_of
from rag.generation.base import Draft, with_marker
from rag.schema import Passage
from rag.scored import ScoredSentence
from rag.sides import Sides, sides
from rag.text import content_words

# A sentence longer than this is quoted by its answering clause when one clause holds
# everything the sentence matched of the question (the citation still names the paragraph).
LONG_SENTENCE_WORDS = 45
# A clause shorter than this reads as a fragment, so the whole sentence is quoted instead.
MIN_CLAUSE_WORDS = 8
# A sentence from another paragraph than the lead's is added only if its rank (rag.ranker)
# is at least this share of the lead's (the lead's own paragraph: Settings.keep_ratio). On
# dev, fact coverage is flat from 0.7 to 0.9 and falls at 1.0, while citation precision
# rises across it (0.825 -> 0.866): 0.8, the middle of that flat range, as the fit picks
# thresholds (scripts/fit_answerability.py).
ELSEWHERE_RATIO = 0.8
# A sentence telling a side of a comparison the answer leaves out must say this many of
# the side's own words, and be at least this share as likely as the lead (rag.ranker): the
# gate judged it against the whole question, which it half answers, so it need not pass
# the gate. A side of one word ("…compared to Trump") is too little to find its sentence.
SIDE_WORDS = 2
SIDE_RATIO = 0.5
# A figure (a share or a sum): a comparison whose answer gives one side's ("19%") gives
# the other's too where a sentence has it ("…increasing them to 50 percent"), like for
# like, and then one word of that side's own is enough to find it.
_FIGURE = re.compile(r"\d\s*(?:%|per ?cent\b)|[$€£]\s*\d", re.I)
# A sentence after the lead must bring at least this many content words the answer lacks.
MIN_NEW_WORDS = 3
# Kinds of answer one value gives: a sentence stating it (its lead) is the answer, and
# another sentence would only add what was not asked.
SINGLE_VALUE_TYPES = frozenset(
    {"date", "duration", "money", "count", "percent", "quantity", "person", "place", "organisation"}
)
_ASKS_SEVERAL = re.compile(
    r"\b(?:which|what)\s+(?:[\w-]+\s+)?(?!(?:was|is|has|does|us|its|this|his|as)\b)"
    r"[\w-]+(?:ies|[^s\W]s)\b",
    re.I,
)
# "Which two headaches…", "What three steps…": several things asked by their number.
_ASKS_NUMBERED = re.compile(r"\b(?:which|what)\s+(?:two|three|four|five|six|several)\b", re.I)
# How far past the lead, in its paragraph, the items a lead announces may come ("…one of
# several areas of engagement. “The intent…,” he said. “We are charting it out on
# minerals, on crypto, on energy…”").
LIST_REACH = 2
# A sentence naming several things ("X and Y", "X, Y, Z, W"); an apposition ("Sheikh, the
# Pakistani ambassador, described…") names one.
_NAMES_SEVERAL = re.compile(r"\b(?:and|or)\b|(?:,[^,]+){3,}")
# Characters between two sentences in a row: a space, perhaps after a closing quote.
ADJACENT_GAP = 2
# A sentence opening by pointing back at the one before ("This strengthens people-to-people
# ties…", "These resources carry strategic weight…"): it tells what that one's fact does or
# means, and reads as nothing on its own.
_REFERS_BACK = re.compile(r"[“\"]?(?:this|these|those|such|that)\s", re.I)
_CLAUSE_BREAK = re.compile(r";\s|\s[—–]\s|—")
# A question asking what the articles say together ("across the coverage", "according to
# the articles"): another article's sentence is more of the answer, not a weaker echo.
_ACROSS = re.compile(
    r"\b(?:across|throughout|in|according to|among) (?:the|these|all|both|all the) "
    r"(?:articles|coverage|pieces|reports|sources)\b",
    re.I,
)


def asks_across(question: str) -> bool:
    return bool(_ACROSS.search(question))


def asks_several(question: str) -> bool:
    """Does the question ask for several things ("Which countries…", "Which two…")?"""
    return bool(_ASKS_SEVERAL.search(question) or _ASKS_NUMBERED.search(question))


class ExtractiveGenerator:
    """Answers with the retrieved sentences that best answer the question.

    No model writes text, so every sentence is a quotation from its cited paragraph.
    The lead is the sentence most likely to answer (`rag.ranker`); another is
    added only if it is nearly as likely, on the question's topic, and carries facts
    the answer lacks, never to fill space. A long sentence is quoted by its answering
    clause.
    """

    name = "extractive"

    def __init__(
        self, max_sentences: int = 4, keep_ratio: float = 0.7, min_score: float = 0.0
    ) -> None:
        self.max_sentences = max_sentences
        self.keep_ratio = keep_ratio
        self.min_score = min_score

    def select(
        self,
        scored: Sequence[ScoredSentence],
        asked: set[str] | None = None,
        kind: AnswerType | None = None,
        articles: Sequence[str] | None = None,
        several: bool = False,
        sides: Sides | None = None,
    ) -> list[ScoredSentence]:
        """The lead and the sentences worth adding to it. `asked`: the question's content
        words; a sentence from another paragraph than the lead's must bring one of them
        the answer lacks, so a second citation is spent on more of the question, not on
        another passage that merely resembles the lead. `articles`: each source's article,
        when the question asks across them: a sentence of an article not yet quoted need
        not be nearly as likely as the lead (`ELSEWHERE_RATIO`). `several`: the question
        asks for several things, which a lead naming none may announce for a sentence
        after it to list. `sides`: the words only each side of a comparison question has
        (rag.sides); a side no chosen sentence tells gets the sentence telling most of it."""
        chosen = self._chosen(scored, asked, kind, articles, several)
        if sides is None or not chosen:
            return chosen
        for side in sides.own:
            if not any(sides.tells(side, content_words(c.text)) for c in chosen):
                chosen += _telling(sides, side, scored, chosen)
        if any(_FIGURE.search(c.text) for c in chosen):  # like for like
            for side in sides.own:
                telling = [c for c in chosen if sides.tells(side, content_words(c.text))]
                if not any(_FIGURE.search(c.text) for c in telling):
                    chosen += _telling(sides, side, scored, chosen, figure=True)
        return chosen

    def _chosen(
        self,
        scored: Sequence[ScoredSentence],
        asked: set[str] | None,
        kind: AnswerType | None,
        articles: Sequence[str] | None,
        several: bool,
    ) -> list[ScoredSentence]:
        if not scored:
            return []
        lead = scored[0]
        if kind in SINGLE_VALUE_TYPES and lead.fits:
            return [lead]  # "In which year…": the sentence giving the year answers it
        chosen = [lead]
        chosen += _completes(lead, scored, several)
        covered = set().union(*(content_words(c.text) for c in chosen))
        floor = lead.rank * self.keep_ratio
        # The gate's candidates come first, then the rest, each in the ranker's order: the
        # first sentence under the floor ends the answer (fewer, surer quotations).
        for s in scored[1:]:
            if len(chosen) >= self.max_sentences or (s.rank < floor and articles is None):
                break  # (asked across articles, a later article's sentence may still come)
            if s.rank < floor:
                continue
            if s in chosen or s.score < self.min_score:
                continue  # a follower must pass the gate too
            if s.signals is not None and s.signals.term_cover == 0:
                continue  # shares no word with the question: off-topic filler
            words = content_words(s.text)
            fresh = articles is not None and articles[s.source - 1] not in {
                articles[c.source - 1] for c in chosen
            }
            if s.source != lead.source and s.rank < lead.rank * ELSEWHERE_RATIO and not fresh:
                continue  # another paragraph's sentence must be nearly as likely as the lead
            if asked is not None and s.source != lead.source and not _adds(s, lead, asked, covered):
                continue
            if len(words - covered) < MIN_NEW_WORDS or _near_duplicate(
                s.text, [c.text for c in chosen]
            ):
                continue
            chosen.append(s)
            covered |= words
        return chosen

    def stream(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Iterator[str | Draft]:
        asked = content_words(question)
        # "Which countries…" asks for several, each perhaps in its own sentence
        several = asks_several(question)
        kind = None if several else answer_type_of(question)
        articles = [p.article_id for p in sources] if asks_across(question) else None
        chosen = self.select(scored, asked, kind, articles, several, sides(question))
        for i, sentence in enumerate(chosen):
            yield ("" if i == 0 else " ") + self.quote([sentence], asked)

    @staticmethod
    def quote(sentences: Sequence[ScoredSentence], asked: set[str]) -> str:
        """The chosen sentences as the answer quotes them: each by its answering
        clause, with its source's marker."""
        return " ".join(with_marker(answering_clause(s, asked), s.source) for s in sentences)

    def generate(
        self, question: str, sources: Sequence[Passage], scored: Sequence[ScoredSentence]
    ) -> Draft:
        return Draft(
            "".join(d for d in self.stream(question, sources, scored) if isinstance(d, str))
        )


def answering_clause(sentence: ScoredSentence, asked: set[str]) -> str:
    """The clause of a long sentence that answers, else the whole sentence.

    A clause is chosen only if it keeps every question word the sentence matched and
    every value (name, date, figure) the sentence holds for the answer type.
    """
    text = sentence.text
    sig = sentence.signals
    if len(text.split()) <= LONG_SENTENCE_WORDS or sig is None or sig.type_missing:
        return text
    matched = asked & content_words(text)
    values = [e.text for e in sentence.entities]
    pieces = [p.strip(" ,;—–") for p in _CLAUSE_BREAK.split(text)]
    for piece in pieces:
        if (
            len(piece.split()) >= MIN_CLAUSE_WORDS
            and matched <= content_words(piece)
            and all(v in piece for v in values)
        ):
            clause = piece[0].upper() + piece[1:]
            return clause if clause[-1:] in ".!?" else clause + "…"
    return text


def _telling(
    sides: Sides,
    side: frozenset[str],
    scored: Sequence[ScoredSentence],
    chosen: Sequence[ScoredSentence],
    *,
    figure: bool = False,
) -> list[ScoredSentence]:
    """The sentence telling most of one side of a comparison (then the likeliest), if
    any tells some of it and says something the answer doesn't already; with `figure`,
    one that gives a figure too (`_FIGURE`)."""
    said = [c.text for c in chosen]
    told = [
        (sides.tells(side, content_words(s.text)), s.rank, i)
        for i, s in enumerate(scored)
        if s not in chosen
        and (s.signals is None or s.signals.term_cover > 0)
        and not _near_duplicate(s.text, said)
        and (not figure or _FIGURE.search(s.text))
    ]
    floor = chosen[0].rank * SIDE_RATIO
    needed = min(SIDE_WORDS, len(side)) if figure else SIDE_WORDS
    best = max((t for t in told if t[0] >= needed and t[1] >= floor), default=None)
    return [scored[best[2]]] if best is not None else []


def _near_duplicate(text: str, others: list[str], threshold: float = 0.6) -> bool:
    words = content_words(text)
    for other in others:
        theirs = content_words(other)
        if words and theirs and len(words & theirs) / len(words | theirs) > threshold:
            return True
    return False


def _adds(
    sentence: ScoredSentence, lead: ScoredSentence, asked: set[str], covered: set[str]
) -> bool:
    """Does a sentence of another paragraph bring more of the question: one of its words
    the answer lacks, or the kind of value asked for when the lead has none?"""
    if (asked & content_words(sentence.text)) - covered:
        return True
    return not lead.fits and sentence.fits


def _completes(
    lead: ScoredSentence, scored: Sequence[ScoredSentence], several: bool = False
) -> list[ScoredSentence]:
    """The sentences after the lead, in its paragraph, that give what the lead lacks: the
    reason a why-question asks for ("…said Younus. “That's primarily because…”"), or the
    kind of value asked for. Asked for several things, a lead naming none ("…one of
    several areas of engagement.") is completed by the sentences within `LIST_REACH`
    after it that name several ("“We are charting it out on minerals, on crypto…”").
    The sentence right after the lead that points back at it ("This strengthens
    people-to-people ties…") tells what the lead's fact does, and comes with it."""
    after = sorted(
        (s for s in scored if s.source == lead.source and s.start >= lead.end),
        key=lambda s: s.start,
    )
    if several and not _NAMES_SEVERAL.search(lead.text):
        listing = [s for s in after[:LIST_REACH] if _NAMES_SEVERAL.search(s.text)]
        if listing:
            return listing
    if after and after[0].start - lead.end <= ADJACENT_GAP and _REFERS_BACK.match(after[0].text):
        return [after[0]]
    sig = lead.signals
    following = after[0] if after else None
    if sig is None or following is None or following.signals is None:
        return []
    if sig.reason_missing and not following.signals.reason_missing:
        return [following]
    if sig.type_missing and not following.signals.type_missing:
        return [following]
    return []
