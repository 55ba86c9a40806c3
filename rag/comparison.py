"""Compare the articles: what each one says on a question, cited, and where they differ.

For each article, its paragraphs closest to the question are retrieved (the pipeline's
hybrid retrieval, restricted to that article) and their sentences scored (the pipeline's
evidence scorer). A sentence bears on the question when it holds at least
MIN_TOPIC_COVER of the question's topic words, idf-weighted, and names no other place
where the question named some (the Gaza cease-fire does not answer a question about
the India-Pakistan one). A neighbouring sentence of the same paragraph joins it when the
evidence gate alone would accept it ("Pakistan, on the other hand, gave Trump full
credit"). An article with no such sentence is silent on the question.

Offline and extractive: every line of a comparison is a quoted sentence or is built
from their entities, dates, figures and stance words (`rag.contrast`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.contrast import describe_differences
from rag.dates import MONTHS
from rag.evidence import ScoredSentence
from rag.findings import ArticleFindings, CitedSentence, Comparison, Person, Ref
from rag.nlp import Entity, parse
from rag.question import QuestionFrame
from rag.schema import Passage
from rag.text import content_words, stem, tokens
from rag.validation import validate_question
from rag.whoswho import people_of

if TYPE_CHECKING:
    from rag.api import Pipeline
    from rag.config import Settings

# Paragraphs retrieved per article: enough to reach a point made once in a long article.
COMPARE_K = 6
# Share of the question's topic words (idf-weighted) a sentence must hold to bear on it:
# half keeps "a potential Line of Control ceasefire framework" for a question on the
# India-Pakistan cease-fire, and drops sentences that only name India and Pakistan.
MIN_TOPIC_COVER = 0.5
# Sentences quoted per article, the most relevant (then shown in reading order).
MAX_SENTENCES = 4
# Closest passages listed when no article addresses the question.
CLOSEST = 3

_FRAMING = re.compile(
    r"^\s*(?:(?:what|how)\s+(?:do|does|did)\s+)?(?:the\s+)?(?:(?:five|two|different)\s+)?"
    r"(?:articles|sources|outlets)\s+(?:say|report|write|think|claim|agree|differ|disagree)"
    r"(?:\s+(?:on|about|over|regarding|when it comes to))?(?:\s+|\s*\??\s*$)|"
    r"^\s*(?:compare|contrast)\s+(?:what\s+)?(?:the\s+)?(?:articles|sources)\s+"
    r"(?:say\s+)?(?:on|about|over|regarding)?\s*|"
    r"^\s*(?:do|does|did)\s+(?:the\s+)?(?:articles|sources)\s+(?:agree|differ|disagree)"
    r"(?:\s+(?:on|about|over|regarding))?(?:\s+|\s*\??\s*$)",
    re.IGNORECASE,
)


def topic_of(question: str) -> str:
    """The question without its framing: "What do the articles say about X?" -> "X?"."""
    return _FRAMING.sub("", question, count=1).strip()


def _joined(text: str) -> str:
    return re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", text)


def _words(text: str) -> set[str]:
    """Content words, hyphenated compounds also joined ("cease-fire" = "ceasefire")."""
    return content_words(text) | content_words(_joined(text))


@dataclass(frozen=True)
class Topic:
    """What a sentence must be about: stems, and the modifiers among them that count only
    next to their noun ("critical" in "critical minerals": "a critical player" is not
    about critical minerals)."""

    words: frozenset[str]
    needs: tuple[tuple[str, str], ...] = ()  # (modifier, head)

    def cover(self, sentence: str, idf: Mapping[str, float]) -> float:
        """The idf-weighted share of the topic the sentence holds (0-1)."""
        if not self.words:
            return 0.0
        ceiling = max(idf.values(), default=1.0)
        weight = {w: idf.get(w, ceiling) for w in self.words}
        found = set(self.words & _words(sentence))
        for modifier, head in self.needs:
            if head not in found:
                found.discard(modifier)
        return sum(weight[w] for w in found) / sum(weight.values())


def topic_words(frame: QuestionFrame, known: Sequence[Person] = ()) -> Topic:
    """The question's topic: its words, less what it asks for (the predicate of "who
    brokered…", since the answer names an actor, not the verb) and less the dates it
    states (compared, not required: one article says 2025, another May). `known` are
    the who's who entries (`rag.whoswho`)."""
    terms = set(frame.terms)
    joined = content_words(_joined(frame.text))
    words = {w for w in joined if w in terms or w not in content_words(frame.text)}
    if frame.answer_type not in ("any", "list") and frame.predicate:
        words.discard(frame.predicate)
    for value in frame.values:
        words -= _words(value.text)
    words -= {stem(month) for month in MONTHS}
    # A person is named by their surname alone as often as in full ("Munir", "Asim Munir"):
    # a name's other words are not required when the who's who (`known`) has it by one.
    for person in known:
        if person.name in frame.text:
            short = {stem(a.lower()) for a in person.aliases if " " not in a}
            if short:
                words -= {stem(t) for t in tokens(person.name)} - short
    needs = tuple((m, h) for m, h in _modifiers(frame.text) if m in words and h in words)
    return Topic(frozenset(words), needs)


def _modifiers(question: str) -> list[tuple[str, str]]:
    """(modifier, noun) stems of the question's common-noun phrases: "critical minerals"."""
    return [
        (stem(tok.lower_), stem(tok.head.lower_))
        for tok in parse(question)
        if tok.dep_ in ("amod", "compound")
        and tok.pos_ in ("ADJ", "NOUN")
        and tok.head.pos_ == "NOUN"
    ]


def _place_names(entities: Sequence[Entity]) -> list[str]:
    """Places and peoples named, one lower-case word prefix per mention ("India–Pakistan"
    names both; "Indian" matches "India")."""
    return [
        part.lower()[:4]
        for e in entities
        if e.label in ("GPE", "NORP", "LOC")
        for part in re.split(r"[^\w.]+", e.text)
        if len(part) > 2
    ]


def _places(entities: Sequence[Entity]) -> set[str]:
    return set(_place_names(entities))


def bears_on(
    sentence: ScoredSentence, topic: Topic, idf: Mapping[str, float], places: set[str]
) -> float:
    """How much of the topic the sentence holds; 0 when it is about other places: it
    lacks some of the question's places and names others more often than the question's
    (the Gaza and Ukraine cease-fires, asked about the India-Pakistan one)."""
    words = [w.lower()[:4] for w in re.findall(r"\w+", sentence.text)]
    held = {p for p in places if p in words}
    others = [n for n in _place_names(sentence.entities) if n not in places]
    if held != places and len(others) > sum(w in places for w in words):
        return 0.0
    return topic.cover(sentence.text, idf)


def _article_findings(
    pipeline: Pipeline, question: str, article: str, title: str, known: Sequence[Person]
) -> tuple[ArticleFindings | None, list[Entity], list[CitedSentence]]:
    """One article's sentences bearing on the question (None when silent), their
    entities, and its closest sentence (for a question no article addresses)."""
    passages = pipeline.retrieve(question, COMPARE_K, articles=[article])
    evidence = pipeline.assess(question, passages)
    scored = evidence.scored
    topic = topic_words(evidence.frame, known)
    places = _places([e for e in evidence.frame.entities if e.label != "NAME"])
    covers = [bears_on(s, topic, pipeline.scorer.idf, places) for s in scored]
    bearing = [i for i, c in enumerate(covers) if c >= MIN_TOPIC_COVER]
    # A sentence right before or after one that bears on the question joins it when
    # the evidence gate alone would accept it ("Pakistan, on the other hand, gave…").
    anchors = {(scored[i].source, scored[i].start, scored[i].end) for i in bearing}
    gate = pipeline.settings.min_support

    def next_to_anchor(s: ScoredSentence) -> bool:
        text = passages[s.source - 1].text
        return any(
            source == s.source
            and (
                (s.end <= start and not text[s.end : start].strip())
                or (end <= s.start and not text[end : s.start].strip())
            )
            for source, start, end in anchors
        )

    follow = [
        i
        for i, s in enumerate(scored)
        if i not in bearing and covers[i] > 0 and s.score >= gate and next_to_anchor(s)
    ]
    best = sorted(bearing + follow, key=lambda i: -(covers[i] + scored[i].score))
    closest = [_cited(s, passages, c) for s, c in zip(scored[:1], covers, strict=False)]
    if not best:
        return None, [], closest
    chosen = sorted(
        best[:MAX_SENTENCES],
        key=lambda i: (_position(passages[scored[i].source - 1]), scored[i].start),
    )
    sentences = [_cited(scored[i], passages, covers[i]) for i in chosen]
    entities = [e for i in chosen for e in scored[i].entities]
    return ArticleFindings(article, title, sentences), entities, closest


def _position(p: Passage) -> tuple[int, int]:
    return (p.kind != "body", p.paragraph)


def _cited(s: ScoredSentence, passages: list[Passage], cover: float) -> CitedSentence:
    p = passages[s.source - 1]
    score = round((cover + s.score) / 2, 4)
    return CitedSentence(s.text, Ref(p.article_id, p.title, p.paragraph, p.kind), score)


def compare_articles(
    pipeline: Pipeline, question: str, articles: Sequence[str] | None = None
) -> Comparison:
    """What each article says on `question`, cited; which are silent; where they differ.

    Raises ValueError for an empty or over-long question, an unknown article id, or a
    question with nothing to compare on ("Do the articles agree?")."""
    question = validate_question(question, pipeline.settings.max_question_chars)
    titles = pipeline.article_titles
    chosen = list(dict.fromkeys(articles)) if articles else sorted(titles)
    unknown = [a for a in chosen if a not in titles]
    if unknown:
        raise ValueError(
            f"unknown article id(s) {', '.join(unknown)}; known: {', '.join(sorted(titles))}"
        )
    topic = topic_of(question)
    entries = people_of(pipeline)
    known = [p for p in entries if p.label == "PERSON"]
    if not topic.strip("? ") or not topic_words(pipeline.assess(topic, []).frame, known).words:
        raise ValueError(
            "say what to compare the articles on, e.g. "
            '"What do the articles say about critical minerals?"'
        )
    findings: list[ArticleFindings] = []
    entities: dict[str, list[Entity]] = {}
    silent: list[Ref] = []
    closest: list[CitedSentence] = []
    for article in chosen:
        found, named, near = _article_findings(pipeline, topic, article, titles[article], known)
        if found is None:
            silent.append(Ref(article, titles[article], 0))
            closest += near
        else:
            findings.append(found)
            entities[article] = named
    findings.sort(key=lambda f: -max(s.score for s in f.sentences))
    notes = []
    if len(chosen) == 1:
        notes.append(f"Only one article ({chosen[0]}) was compared: nothing to set it against.")
    return Comparison(
        question=question,
        findings=findings,
        silent=silent,
        differences=describe_differences(
            findings, entities, {alias: e.name for e in entries for alias in e.aliases}
        ),
        closest=[] if findings else sorted(closest, key=lambda c: -c.score)[:CLOSEST],
        notes=notes,
    )


def compare(
    question: str,
    articles: Sequence[str] | None = None,
    *,
    settings: Settings | None = None,
) -> Comparison:
    """Compare what the articles say on `question` (see `compare_articles`)."""
    from rag.api import get_pipeline

    return compare_articles(get_pipeline(settings), question, articles)
