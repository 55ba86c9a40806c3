"""Compare the articles: what each one says on a question, cited, and where they differ.

For each article, its paragraphs closest to the question are retrieved (the pipeline's
hybrid retrieval, restricted to that article) and their sentences scored (the pipeline's
evidence scorer). A sentence bears on the question when it holds at least
MIN_TOPIC_COVER of the question's topic words, idf-weighted, and names no other place
where the question named some (the Gaza cease-fire does not answer a question about
the India-Pakistan one); a capital counts as its country (`rag.aliases.ALIAS_GROUPS`:
"Islamabad" for Pakistan). A sentence the evidence gate accepts also bears on it when,
holding some topic words, it does read with a neighbour of its paragraph (a point made
over two sentences: "the arrest … of Sharifullah, the man behind the … attack" / "… the
Hamid Karzai International Airport in Kabul"), or when, naming only the question's
places, it follows one that does (the point continued: "Pakistan, on the other hand,
gave Trump full credit"). An article with no such sentence is silent on the question.

A topic's adjective may go unsaid when its noun, or a kind of it the corpus names, is
there ("copper" for "critical minerals": `rag.roles.kinds_in`); a topic of several words
is not met by one word merely sharing a stem with one ("exploring" for "space
exploration"), nor by its places alone. Sentences giving names, figures and dates the
others have not are preferred (`pick`).

Offline and extractive: every line of a comparison is a quoted sentence or is built
from their entities, dates, figures and stance words (`rag.contrast`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rag.aliases import dash_pairs
from rag.contrast import describe_differences
from rag.dates import MONTHS
from rag.findings import ArticleFindings, CitedSentence, Comparison, Person, Ref
from rag.names import place_aliases, place_groups, place_key
from rag.nlp import Entity, parse
from rag.question import QuestionFrame
from rag.roles import Kinds, lexeme, names_kind
from rag.schema import Passage
from rag.scored import ScoredSentence
from rag.text import content_words, stem, tokens
from rag.validation import validate_question
from rag.whoswho import kinds_of, people_of

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
# What a sentence's names, figures and dates new to the chosen ones add to its rank
# (cover + evidence score, 0.85-2), per fact and at most FACTS_COUNTED of them: enough to
# put "The Frontier Works Organization … signed a $500 million deal" before "Chief among
# those is critical minerals.", too little to lift an off-topic sentence.
FACT_WEIGHT = 0.1
FACTS_COUNTED = 3
FACT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
    | {"DATE", "EVENT", "PRODUCT", "LAW"}
)

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
    return _FRAMING.sub("", dash_pairs(question), count=1).strip()  # "India-Pakistan": two


def _joined(text: str) -> str:
    return re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", text)


def _words(text: str) -> set[str]:
    """Content words, hyphenated compounds also joined ("cease-fire" = "ceasefire")."""
    return content_words(text) | content_words(_joined(text))


@dataclass(frozen=True)
class Topic:
    """What a sentence must be about: stems, and the modifiers among them that count only
    next to their noun ("critical" in "critical minerals": "a critical player" is not
    about critical minerals). A `loose` modifier (a common adjective) may be missing when
    its noun is there as written, or one of its `kinds` ("copper" for minerals); `forms`
    are the written words' lexemes, so a stem shared with another word ("exploring",
    "exploration") is told apart."""

    words: frozenset[str]
    needs: tuple[tuple[str, str], ...] = ()  # (modifier, head)
    loose: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()  # the places named: never a topic by themselves
    forms: Mapping[str, frozenset[str]] = field(default_factory=dict)
    kinds: Kinds = field(default_factory=dict)

    def named(self, sentence: str) -> set[str]:
        """The topic words the sentence holds. A place the question names is named by any
        of its aliases ("Islamabad", "U.S."), unless it modifies a topic noun ("Pakistani
        goods": "Pakistan" is not that)."""
        places = self.context - {m for m, _ in self.needs}
        aliases = {w for a in place_aliases(sentence) for w in _words(a)} if places else set()
        return set(self.words & _words(sentence)) | (places & aliases)

    def touches(self, sentence: str, places: bool = False) -> bool:
        """Does the sentence hold a topic word (a place only if `places`)?"""
        return bool(self.named(sentence) - (frozenset() if places else self.context))

    def cover(self, sentence: str, idf: Mapping[str, float]) -> float:
        """The idf-weighted share of the topic the sentence holds (0-1)."""
        if not self.words:
            return 0.0
        ceiling = max(idf.values(), default=1.0)
        weight = {w: idf.get(w, ceiling) for w in self.words}
        found = self.named(sentence)
        lexemes = {lexeme(t) for t in tokens(sentence) + tokens(_joined(sentence))}
        exact = {w for w in found if self.forms.get(w, lexemes) & lexemes}
        for word, kinds in self.kinds.items():
            if word in self.words and names_kind(sentence, kinds):
                found.add(word)
                exact.add(word)
        for modifier, head in self.needs:
            if head not in found:
                found.discard(modifier)
            elif modifier in self.loose and head in exact and self.words - found == {modifier}:
                found.add(modifier)  # only the adjective unsaid: "copper" for critical minerals
        if len(self.words) > 1 and len(found) == 1 and not found & exact:
            return 0.0  # one word sharing only a stem: "exploring" for "space exploration"
        if self.words - self.context and not found - self.context:
            return 0.0  # only the places: "Pakistan has spent big…" is not about lobbying
        return sum(weight[w] for w in found) / sum(weight.values())


def topic_words(
    frame: QuestionFrame,
    known: Sequence[Person] = (),
    kinds: Kinds | None = None,
) -> Topic:
    """The question's topic: its words, less what it asks for (the predicate of "who
    brokered…", since the answer names an actor, not the verb) and less the dates it
    states (compared, not required: one article says 2025, another May). `known` are
    the who's who entries (`rag.whoswho`), `kinds` the corpus's kinds of things
    (`kinds_in`)."""
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
    pairs = [(m, h, a) for m, h, a in _modifiers(frame.text) if m in words and h in words]
    forms: dict[str, set[str]] = {}
    for t in tokens(frame.text) + tokens(_joined(frame.text)):
        forms.setdefault(stem(t), set()).add(lexeme(t))
    places = [e.text for e in frame.entities if e.label in ("GPE", "NORP", "LOC")]
    return Topic(
        frozenset(words),
        tuple((m, h) for m, h, _ in pairs),
        frozenset(m for m, _, adjective in pairs if adjective),
        frozenset(words & {w for place in places for w in _words(place)}),
        {w: frozenset(f) for w, f in forms.items() if w in words},
        {w: k for w, k in (kinds or {}).items() if w in words},
    )


def _modifiers(question: str) -> list[tuple[str, str, bool]]:
    """(modifier, noun, is a common adjective) stems of the question's common-noun
    phrases: "critical minerals" (an adjective: may go unsaid), "space exploration"."""
    return [
        (stem(tok.lower_), stem(tok.head.lower_), tok.pos_ == "ADJ" and tok.text.islower())
        for tok in parse(question)
        if tok.dep_ in ("amod", "compound")
        and tok.pos_ in ("ADJ", "NOUN")
        and tok.head.pos_ == "NOUN"
    ]


def _place_names(entities: Sequence[Entity]) -> list[str]:
    """Places and peoples named, one key per mention ("India–Pakistan" names both)."""
    return [
        place_key(part)
        for e in entities
        if e.label in ("GPE", "NORP", "LOC")
        for part in re.split(r"[^\w.]+", e.text)
        if len(part) > 2
    ]


def _elsewhere(sentence: ScoredSentence, places: set[str]) -> bool:
    """Is the sentence about other places: it lacks some of the question's places and
    names others more often than the question's (the Gaza and Ukraine cease-fires, asked
    about the India-Pakistan one)?"""
    words = [w.lower()[:4] for w in re.findall(r"\w+", sentence.text)]
    words += [f"#{i}" for i in place_groups(sentence.text)]
    held = {p for p in places if p in words}
    others = [n for n in _place_names(sentence.entities) if n not in places]
    return held != places and len(others) > sum(w in places for w in words)


def bears_on(
    sentence: ScoredSentence, topic: Topic, idf: Mapping[str, float], places: set[str]
) -> float:
    """How much of the topic the sentence holds; 0 when it is about other places."""
    return 0.0 if _elsewhere(sentence, places) else topic.cover(sentence.text, idf)


def _article_findings(
    pipeline: Pipeline,
    question: str,
    article: str,
    title: str,
    known: Sequence[Person],
    kinds: Kinds | None = None,
) -> tuple[ArticleFindings | None, list[Entity], list[CitedSentence]]:
    """One article's sentences bearing on the question (None when silent), their
    entities, and its closest sentence (for a question no article addresses)."""
    passages = pipeline.retrieve(question, COMPARE_K, articles=[article])
    evidence = pipeline.assess(question, passages)
    scored, idf = evidence.scored, pipeline.scorer.idf
    topic = topic_words(evidence.frame, known, kinds)
    places = set(_place_names([e for e in evidence.frame.entities if e.label != "NAME"]))
    covers = [bears_on(s, topic, idf, places) for s in scored]
    bearing = [i for i, c in enumerate(covers) if c >= MIN_TOPIC_COVER]
    # A sentence accepted by the evidence gate joins when, holding some of the topic, it
    # bears on the question read with a neighbour of its paragraph (a point made over two
    # sentences), or, naming only the question's places, it follows one that bears on it
    # alone: the point continued ("Pakistan, on the other hand, gave…"; it ranks last).
    gate, anchors = pipeline.settings.min_support, set(bearing)
    for i, s in enumerate(scored):
        if i in anchors or s.score < gate or not topic.touches(s.text, places=True):
            continue
        text = passages[s.source - 1].text
        if not topic.touches(s.text):
            if _neighbours(i, scored, text, after=True) & anchors and not _elsewhere(s, places):
                bearing.append(i)
                covers[i] = 0.0
            continue
        pairs = [_pair(s, scored[n]) for n in _neighbours(i, scored, text)]
        pair = max([bears_on(p, topic, idf, places) for p in pairs], default=0.0)
        if pair >= MIN_TOPIC_COVER:
            bearing.append(i)
            covers[i] = pair
    closest = [_cited(s, passages, c) for s, c in zip(scored[:1], covers, strict=False)]
    if not bearing:
        return None, [], closest
    rank = [covers[i] + scored[i].score for i in bearing]
    picked = [bearing[j] for j in pick(rank, [_facts(scored[i], topic) for i in bearing])]
    chosen = sorted(
        picked, key=lambda i: (_position(passages[scored[i].source - 1]), scored[i].start)
    )
    sentences = [_cited(scored[i], passages, covers[i]) for i in chosen]
    entities = [e for i in chosen for e in scored[i].entities]
    return ArticleFindings(article, title, sentences), entities, closest


def pick(rank: Sequence[float], facts: Sequence[set[str]], limit: int = MAX_SENTENCES) -> list[int]:
    """Which sentences to quote (indices), best first: each time the one whose rank
    (cover + evidence score), plus FACT_WEIGHT for each name, figure or date it adds to
    those picked (at most FACTS_COUNTED), is highest: facts over repetition of the topic."""
    picked: list[int] = []
    given: set[str] = set()
    for _ in range(min(limit, len(rank))):
        new = [min(len(f - given), FACTS_COUNTED) for f in facts]
        best = max(
            (i for i in range(len(rank)) if i not in picked),
            key=lambda i: rank[i] + FACT_WEIGHT * new[i],
        )
        picked.append(best)
        given |= facts[best]
    return picked


def _neighbours(
    i: int, scored: Sequence[ScoredSentence], text: str, after: bool = False
) -> set[int]:
    """The sentences right before (and unless `after`, after) scored[i] in its paragraph."""
    s = scored[i]
    return {
        j
        for j, n in enumerate(scored)
        if n.source == s.source
        and (
            (n.end <= s.start and not text[n.end : s.start].strip())
            or (not after and s.end <= n.start and not text[s.end : n.start].strip())
        )
    }


def _pair(a: ScoredSentence, b: ScoredSentence) -> ScoredSentence:
    first, second = sorted((a, b), key=lambda s: s.start)
    text = f"{first.text} {second.text}"
    return replace(first, text=text, end=second.end, entities=first.entities + second.entities)


def _facts(s: ScoredSentence, topic: Topic) -> set[str]:
    """The names, figures and dates a sentence gives, other than the question's own."""
    named = {e.text.casefold() for e in s.entities if e.label in FACT_LABELS}
    return {n for n in named if not content_words(n) <= topic.words}


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
    kinds = kinds_of(pipeline)
    for article in chosen:
        found, named, near = _article_findings(
            pipeline, topic, article, titles[article], known, kinds
        )
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
