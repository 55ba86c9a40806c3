"""What a question asks for: its answer type, the things it is about, and its attribute.

"Who is India's ambassador to the United States?" asks for a PERSON; it is about
India and the United States (entities) and the attribute "ambassador" (the slot).
A sentence answers it only if all of these sit together in it, which is what
`rag.answerability` checks. Rules here are general English question syntax and small
word lists, each kept once; nothing is specific to one question or one corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rag.answer_types import NOUN_TYPES, REQUESTS, AnswerType, answer_type_of
from rag.definitions import DefinitionAsk, asked_definition
from rag.doers import agent, owners, postings
from rag.events import (
    CORPUS_TALK,
    ahead,
    asks_cause,
    predicate_of,
    realized,
    verb_taken_for_noun,
)
from rag.metadata import MetadataAsk, metadata_ask
from rag.nlp import Entity, clause_of, entities_of, parse
from rag.polarity import NEGATION
from rag.question_names import FOCUS_LABELS, set_aside, split_possessive, trimmed
from rag.ranking import RANKING, compared, compares, has_ranking_word, ranked_by, ranked_of
from rag.speakers import asked_reactor
from rag.text import (
    ARTICLE_WORDS,
    FOLLOWING_UP,
    STOPWORDS,
    TITLE_WORDS,
    stem,
    tokens,
    word_set,
)
from rag.titles import TitleClaim, claimed_titles

# Words of talk, not of the topic ("why's Trump suddenly so into Pakistan lately?").
_FILLER = word_set("basically actually really suddenly lately nowadays anyway exactly roughly")
_APPROXIMATE = re.compile(r"(?:around|about|roughly|approximately|circa|nearly|almost)\b", re.I)
# A person the question points at without naming ("How long has he been in the job?"):
# with nobody named, answering would guess whom the reader means.
_PERSONAL = word_set("he him his himself she her hers herself")
# Words that only name the kind of answer ("what is the name of…", "which year").
ANSWER_WORDS = word_set(
    "name names number amount figure value percentage percent share year date money dollar "
    "dollars rate month day time reason reasons way ways kind type sort exactly precisely "
    "currently current total roughly approximately",
    stemmed=True,
)
# Verbs of a request whose object is what is asked for ("Name the minister who…": a
# person, not whoever "who" stands for).
# Labels whose values constrain the answer when the question states them ("in 2018").
_VALUE_LABELS = word_set("DATE MONEY PERCENT CARDINAL QUANTITY ORDINAL")


@dataclass(frozen=True)
class QuestionFrame:
    """The parts of a question that an answering sentence must contain."""

    text: str
    answer_type: AnswerType
    terms: tuple[str, ...]  # stemmed content words the question is about
    entities: tuple[Entity, ...]  # named things it is about (people, places, bodies)
    values: tuple[Entity, ...] = ()  # dates and figures it states ("in 2018")
    slot: str | None = None  # stem of the attribute asked for ("ambassador", "soldier")
    predicate: str | None = None  # stem of the main verb ("refuse" in "why did X refuse…")
    superlative: bool = False  # asks for a ranking ("the first", "the biggest", "top")
    compared: tuple[str, ...] = ()  # stems of what a comparison sets side by side
    ranked_by: tuple[str, ...] = ()  # what a superlative ranks by ("rich" in "richest")
    ranked: tuple[str, ...] = ()  # stems of what it ranks ("stake" in "the largest stake")
    definition: DefinitionAsk | None = None  # "What is a stablecoin?": what it is, asked
    reactor: Entity | None = None  # whose reaction it asks for ("How did China react…")
    negated: bool = False  # "why didn't…", "never", "refused"
    realized: bool = False  # asks about an event as done: "did Trump accept", "was agreed"
    ahead: bool = False  # asks about an event still to come: "when will Trump visit"
    # Noun compounds as (modifier, head) stems: "trade deal" is not any deal.
    compounds: tuple[tuple[str, str], ...] = ()
    # Named owners of a thing asked about, as (owner, noun stem): "India's ambassador",
    # "Indian students", "the Witkoff family" -> (India, ambassador), ...
    owners: tuple[tuple[Entity, str], ...] = ()
    # Countries a person asked about is posted to: "the ambassador to Islamabad" ->
    # (Islamabad, ambassador).
    postings: tuple[tuple[Entity, str], ...] = ()
    agent: Entity | None = None  # the named doer of the main verb ("did Komatsu agree")
    metadata: MetadataAsk | None = None
    surface: dict[str, str] = field(default_factory=dict)  # stem -> word as written
    # stem -> its lemma's stem where they differ (went -> go, sought -> seek): a word
    # the corpus uses in another form is not foreign to it.
    lemmas: dict[str, str] = field(default_factory=dict)
    # stems of what the question says things do or are, its verbs and adjectives: a
    # sentence denying one denies its premise (rag.polarity.denies_clause)
    predicates: frozenset[str] = frozenset()
    unresolved: str | None = None  # "he"/"she" with no one named in the question
    # Names that only say which article to read ("the BBC article"): not what the answer
    # is about, but a name no article has means the question's article isn't one of ours.
    sources: tuple[Entity, ...] = ()
    # Offices the question gives the people it names ("Prime Minister Ishaq Dar").
    titles: tuple[TitleClaim, ...] = ()

    @property
    def ranking(self) -> tuple[tuple[str, ...], ...]:
        """What a sentence must say to rank or compare as asked (rag.ranking.ranks)."""
        return self.compared, self.ranked_by, self.ranked


def asked_office(frame: QuestionFrame) -> str | None:
    """The noun a person question asks a holder of ("Which army chief…": "chief"), as
    written; None for any other question."""
    if frame.answer_type not in ("person", "agent") or frame.slot is None:
        return None
    return frame.surface.get(frame.slot, frame.slot)


def _wh_head(doc: Any) -> Any | None:
    """The noun a wh-determiner modifies ("which minerals" -> minerals), the attribute
    of "who/what is <the X>" ("who is India's ambassador" -> ambassador), or what a
    request asks for ("Name the minister who…", "Give the name of the minister…")."""
    if len(doc) and doc[0].lemma_.lower() in REQUESTS:
        for obj in (c for c in doc[0].children if c.dep_ == "dobj"):
            return _named(obj)
    for tok in doc:
        if tok.tag_ == "WDT" and tok.dep_ == "det" and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head
        if tok.lower_ == "which" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "of":
            # "Which of Trump's sons…": the person noun after "of"
            of = [g for g in doc[tok.i + 1].children if g.dep_ == "pobj" and g.pos_ == "NOUN"]
            if of and of[0].lemma_.lower() in NOUN_TYPES["person"]:
                return of[0]
        # misparsed "Which Iranian president visited…", "In which US state will…"
        if tok.tag_ == "WDT" and (tok.i == 0 or tok.dep_ == "pobj"):
            for nxt in doc[tok.i + 1 : tok.i + 4]:
                if nxt.pos_ == "NOUN":  # "Which Chinese state firm": firm
                    return nxt.head if nxt.dep_ == "compound" else nxt
                if nxt.pos_ in ("VERB", "AUX"):
                    break
        if (
            tok.lower_ in ("how",)
            and tok.i + 2 < len(doc)
            and doc[tok.i + 1].lower_
            in (
                "many",
                "much",
            )
        ):
            for nxt in doc[tok.i + 2 : tok.i + 5]:
                if nxt.pos_ in ("NOUN", "PROPN"):
                    return nxt
                if nxt.pos_ in ("VERB", "AUX"):
                    break
    for tok in doc:
        if tok.tag_ in ("WP", "WDT") and tok.head.lemma_ == "be":
            for child in tok.head.children:
                if child.dep_ in ("attr", "nsubj") and child.i != tok.i and child.pos_ == "NOUN":
                    return _named(child)
    return None


# "What was the name of the Las Vegas conference where…": the words naming the thing
# whose name is asked, up to a word that starts a clause or a phrase after it.
_NAME_ASKED = re.compile(
    r"\bnames? of\s+((?:(?!(?:where|which|who|whom|whose|that|when|in|at|on|for|with|from|by|"
    r"to|and|or)\b)[\w'’-]+\s*)+)",
    re.I,
)


def asks_name_of(question: str, slot: str | None) -> bool:
    """Does the question ask the name of the thing it asks about (`slot`, a stem)?"""
    found = _NAME_ASKED.search(question)
    words = tokens(found[1]) if found else []
    return slot is not None and [stem(w) for w in words[-1:]] == [slot]


def _named(noun: Any) -> Any:
    """The X of "the name of the X"; any other noun itself."""
    if noun.lemma_ == "name":
        for pobj in (
            g for c in noun.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
        ):
            return pobj
    return noun


def analyse(question: str, doc: Any | None = None) -> QuestionFrame:
    """Parse a question into what an answer must contain."""
    doc = doc if doc is not None else parse(question)
    kind = answer_type_of(question)
    head = _wh_head(doc)
    slot = None
    if head is not None:
        head_word = head.lemma_.lower()
        slot = stem(head_word) if stem(head_word) not in ANSWER_WORDS else None
        # "which state firm": the regex read a place; the noun it modifies is asked
        modifies = kind == "place" and any(
            c.dep_ == "compound" and c.lemma_.lower() in NOUN_TYPES["place"] for c in head.children
        )
        if kind in ("any", "agent", "manner") or modifies:
            for noun_kind, nouns in NOUN_TYPES.items():
                if head_word in nouns:
                    kind = noun_kind
                    break
            else:
                if kind == "any" and head.tag_ in ("NNS", "NNPS"):
                    kind = "list"
    pairs = list(zip(entities_of(doc), doc.ents, strict=True))
    sources = tuple(e for e, span in pairs if _names_source(span))
    ents = [
        part
        for e, span in pairs
        if not _names_source(span) and stem(e.text.lower()) not in CORPUS_TALK
        for name in trimmed(e, span)
        for part in split_possessive(name)
    ]
    # a name is written with a capital: spaCy's "gridiron" (ORG) in "which gridiron coach"
    named = [e for e in ents if e.label not in FOCUS_LABELS or any(c.isupper() for c in e.text)]
    focus = tuple(e for e in named if e.label in FOCUS_LABELS) + _unlabelled_names(doc)
    focus = tuple(e for e in focus if not set_aside(doc, e))
    values = tuple(e for e in ents if e.label in _VALUE_LABELS and _specific(e))
    # "Who is Asim Munir?" asks what the articles say about him, not for another name.
    if kind in ("agent", "person") and focus and _asks_identity(question, focus):
        kind = "any"
    terms: list[str] = []
    surface: dict[str, str] = {}
    causing = {t.lower_ for t in doc if asks_cause(t)}  # "What prompted…" asks no prompting
    for word in tokens(question.replace(FOLLOWING_UP, " (")):  # the reader's words only
        if word in STOPWORDS or word in _FILLER or len(word) < 2 or word in causing:
            continue
        s = stem(word)
        if s in CORPUS_TALK or s in ANSWER_WORDS or s in terms or word in RANKING:
            continue
        terms.append(s)
        surface.setdefault(s, word)
    comparing = compares(doc)
    return QuestionFrame(
        text=question,
        answer_type=kind,
        terms=tuple(terms),
        entities=focus,
        values=values,
        slot=slot,
        predicate=predicate_of(doc),
        superlative=(kind != "reason" and has_ranking_word(doc)) or comparing,
        compared=compared(doc) if comparing else (),
        ranked_by=ranked_by(doc) if kind != "reason" else (),
        ranked=ranked_of(doc) if kind != "reason" else (),
        definition=asked_definition(question.partition(FOLLOWING_UP)[0]),
        reactor=asked_reactor(doc, focus),
        negated=bool(NEGATION.search(question)),
        realized=realized(doc),
        ahead=ahead(doc),
        compounds=_compounds(doc),
        owners=owners(doc, ents, focus),
        postings=postings(doc, ents, focus),
        agent=agent(doc, focus),
        metadata=(asked := metadata_ask(question)),
        surface=surface,
        lemmas={
            stem(t.lower_): stem(t.lemma_.lower())
            for t in doc
            if stem(t.lower_) in surface and stem(t.lemma_.lower()) != stem(t.lower_)
        },
        predicates=frozenset(
            stem(t.lower_) for t in doc if t.pos_ in ("VERB", "ADJ") and t.dep_ != "aux"
        ),
        # "Who wrote it, and where does she work?": she is the answer, not unresolved.
        unresolved=None if asked else _unresolved(doc, focus),
        titles=claimed_titles(doc, focus),
        sources=sources,
    )


def _unresolved(doc: Any, focus: tuple[Entity, ...]) -> str | None:
    """The he/she of a question that nothing can name: no person or unlabelled name
    before it, no name at all in another clause (a follow-up's "(following up on: …)"),
    and no person noun before it ("the ambassador… his claim"). A name in its own
    clause does not count: in "has he met Trump", he is not Trump."""
    for tok in doc:
        if tok.lower_ in _PERSONAL and tok.pos_ == "PRON":
            spans = [doc.char_span(e.start, e.end, alignment_mode="expand") for e in focus]
            named = any(
                span is not None
                and (
                    clause_of(span.root) != clause_of(tok)  # context, e.g. a follow-up's
                    or (span.start < tok.i and e.label in _PERSON_LIKE)
                    # "In his talks…, how did Dar…": the subject the pronoun looks ahead to
                    or (span.root.dep_ == "nsubj" and e.label in _PERSON_LIKE)
                )
                for span, e in zip(spans, focus, strict=True)
            )
            noun_before = any(
                t.pos_ == "NOUN" and t.lemma_.lower() in NOUN_TYPES["person"] for t in doc[: tok.i]
            )
            return None if named or noun_before else tok.text
    return None


# Labels a person's name may carry before "he"/"his": the small English model often tags
# a surname ORG ("did Trump give Munir… his speech").
_PERSON_LIKE = frozenset({"PERSON", "NAME", "ORG"})


def _compounds(doc: Any) -> tuple[tuple[str, str], ...]:
    """(modifier, head) stems of common-noun compounds: "trade deal", "defense pact"; not
    a verb the parser took for a modifier ("did Trump hike tariffs"), nor a hyphened
    word's last part ("dollar" of "a half-billion-dollar minerals pact")."""
    pairs = []
    verb = verb_taken_for_noun(doc)
    for tok in doc:
        if (
            tok != verb
            and tok.dep_ == "compound"
            and tok.pos_ == "NOUN"
            and tok.head.pos_ == "NOUN"
            and tok.lower_ not in STOPWORDS
            # the last part of a hyphened modifier ("a half-billion-dollar minerals pact")
            and not (tok.i > 0 and doc[tok.i - 1].text == "-")
        ):
            pairs.append((stem(tok.lower_), stem(tok.head.lower_)))
    return tuple(pairs)


def _unlabelled_names(doc: Any) -> tuple[Entity, ...]:
    """Proper nouns the recogniser left unlabelled ("Did Binance sign…")."""
    found = []
    for tok in doc:
        if (
            tok.pos_ == "PROPN"
            and tok.ent_type_ == ""
            and tok.i > 0
            and tok.text[:1].isupper()
            and tok.text not in TITLE_WORDS  # "Prime Minister Shehbaz Sharif"
            and not (doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_)  # "IS-K"
            and stem(tok.lower_) not in CORPUS_TALK
            and not _names_article(tok)  # "the Dar article", "the Foreign Policy piece"
        ):
            found.append(Entity(tok.text, "NAME", tok.idx, tok.idx + len(tok.text)))
    return tuple(found)


_MONTH_NAME = re.compile(  # not "decade" or "marshal"
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.I,
)


def _specific(value: Entity) -> bool:
    """A date or figure precise enough to contradict ("2019", "first", "mid-November"),
    unlike "each year" or "recently"."""
    if _APPROXIMATE.match(value.text):  # "around 2010": no premise to contradict
        return False
    return (
        bool(re.search(r"\d", value.text))
        or value.label == "ORDINAL"
        or bool(_MONTH_NAME.search(value.text))
    )


def _names_article(tok: Any) -> bool:
    """The token modifies, through a chain of compounds, a word for an article."""
    while tok.dep_ in ("compound", "poss", "nmod", "amod") and tok.head is not tok:
        tok = tok.head
        if stem(tok.lower_) in CORPUS_TALK:
            return True
    return False


def _names_source(span: Any) -> bool:
    """ "the Dar article", "the Foreign Policy piece": a name that says which article to
    read, not what the answer is about."""
    head = span.root.head
    # Only a noun for an article: "Trump claim" misparsed as a compound is no source.
    return span.root.dep_ in ("compound", "poss", "nmod", "amod") and (
        stem(head.lower_) in ARTICLE_WORDS
    )


def _asks_identity(question: str, focus: tuple[Entity, ...]) -> bool:
    """ "Who is X?" / "Who was X?" with X a named entity spanning the rest."""
    m = re.match(r"\s*who (?:is|was|are|were) (.+?)\??\s*$", question, re.I)
    if not m:
        return False
    rest = m.group(1).lower()
    for e in focus:  # the name is (nearly) all that follows: "who is Asim Munir?"
        if e.text.lower() in rest and len(rest.replace(e.text.lower(), "").split()) <= 1:
            return True
    return False
