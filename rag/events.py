"""The event a question asks about: its main verb, and whether it asks of the event as
done ("did Trump accept…"), as still to come ("when will Trump visit…") or neither.

Read from spaCy's parse of the question, with repairs for the small model's usual slips
(a name taken for the verb, a verb taken for a noun).
"""

from __future__ import annotations

import re
from typing import Any

from rag.answer_types import REQUESTS
from rag.nlp import root_of
from rag.text import stem, word_set

# Words that talk about the corpus rather than about the world ("according to the
# article"): they say where to look, not what the answer must contain.
CORPUS_TALK = word_set(
    "article articles piece pieces author authors writer text report explainer feature essay "
    "op-ed op ed analysis note according mention mentioned describe described discuss "
    "discussed state stated claim claimed argue argued suggest suggested write wrote written "
    "source sources say said tell told",
    stemmed=True,
)

# Verbs that carry no event of their own ("what did X do", "what does Y have").
LIGHT_VERBS = word_set(
    "be do have get make go take give happen see know think want mean play become seem call"
)
# Verbs whose event is the one they lead to ("Did Pakistan manage to get a resolution
# adopted?" asks whether it was adopted), when they lead to one: "Who will succeed Munir?"
# asks of a succession; "Did Pakistan end up signing it?" asks whether it signed.
_LEADING = word_set("manage succeed try attempt end")
# Verbs of wanting and asking: a question about one asks about the wish, not an event.
_WISHES = word_set(
    "want wish ask seek urge call push press pressure lobby appeal petition hope demand "
    "request propose plan aim intend"
)


def realized(doc: Any) -> bool:
    """The main verb is in the past or the perfect ("did X accept", "what was agreed",
    "has X accepted"), with no modal, and tells of an event, not a wish ("what did it
    want", "what did it ask for"): a sentence that tells of a request answers a question
    about the request."""
    root = root_of(doc)
    if root is None or any(c.tag_ == "MD" for c in root.children):
        return False
    # "Why might digging for ore cost less…?": the modal taken for the subject's
    if any(c.tag_ == "MD" for s in root.children if s.dep_ == "csubj" for c in s.children):
        return False
    # (also a wish the parser took for an auxiliary: "…did Islamabad want revived?"; not
    # "What pushed Pakistan to sign…?", which asks the cause of a signing done)
    # ("Why was Khan pushed out?": with a particle, a verb of its own, not a wish)
    wish = root.lemma_.lower() in _WISHES and not any(c.dep_ == "prt" for c in root.children)
    if (wish and not asks_cause(root)) or any(
        t.dep_ == "aux" and t.lemma_.lower() in _WISHES for t in doc
    ):
        return False
    aux = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    # "Has Trump accepted…", "Has the program been revived?": done by now, too (also when
    # the parser takes the opening "Has" for the verb: "Has X since been adopted?")
    perfect = root.tag_ == "VBN" and any(c.lemma_.lower() == "have" for c in aux)
    perfect |= root.i == 0 and root.lemma_.lower() == "have" and any(t.tag_ == "VBN" for t in doc)
    # "How did linking X make Y safer?": "did" taken for the auxiliary of the subject
    aux += [c for c in doc if c.dep_ == "aux" and c.head.dep_ == "csubj" and c.head.head == root]
    return root.tag_ == "VBD" or perfect or any(c.tag_ == "VBD" for c in aux)


# Modals of the future: "would", "could" and "might" suppose, they don't foretell.
_FUTURE = word_set("will shall wo 'll ’ll")


# The date of an event asked as planned for now on: "When is Reko Diq expected to
# begin…", "when's the reserve supposed to go live?" (read from the words: the small model
# often parses "when's" as a possessive). Asked of a thing ("What is the deal supposed to
# deliver?"), "supposed to" tells what it must do, not when.
_PLANNED_ASKED = re.compile(
    r"\bwhen(?:\s+(?:is|are)\b|['’]s\b)(?:\s+[\w’'-]+){0,6}?\s+"
    r"(?:supposed|expected|scheduled|due|set|slated|planned|going)\s+to\b",
    re.I,
)


def ahead(doc: Any) -> bool:
    """The main verb is in the future ("when will Trump visit…", "will the US lift…",
    "is Pakistan going to…", "is it expected to…"): the articles, written before it, can
    tell of it only as planned, expected or foretold."""
    root = root_of(doc)
    if root is None:
        return False
    if any(c.tag_ == "MD" and c.lower_ in _FUTURE for c in root.children):
        return True
    if _PLANNED_ASKED.search(doc.text):
        return True
    return root.lower_ == "going" and any(c.dep_ == "xcomp" for c in root.children)


# What do-support opens with.
_DO = ("did", "does", "do")


def _after_subject(doc: Any, do: int) -> Any | None:
    """The word after the name that follows "did"/"does" at `do` (do-support puts the
    verb there: "did Trump hike…"), or None when no name follows."""
    j = do + 1
    while j < len(doc) and doc[j].pos_ == "PROPN":  # the subject's name
        j += 1
    return doc[j] if do + 1 < j < len(doc) else None


def verb_taken_for_noun(doc: Any) -> Any | None:
    """The verb the small model read as a noun modifier after "did"/"does" and a named
    subject: "Why did Trump hike tariffs…" parses "Trump hike tariffs" as one noun
    phrase, though do-support puts the verb right after the subject. After a modal, the
    verb the model read as a noun or adjective when it took the name for the verb."""
    for i, tok in enumerate(doc[:-2]):
        if tok.tag_ == "MD":
            return _after_name(doc, i + 1)
        if tok.lemma_.lower() != "do" or tok.lower_ not in _DO:
            continue
        after = _after_subject(doc, i)
        return (
            after
            if after is not None and (after.pos_, after.dep_) == ("NOUN", "compound")
            else None
        )
    return None


# Where a clause's verb attaches; a verb after "did" and a name attached otherwise (as an
# object: "did Komatsu sign" parsed with "did" for the verb) is misread.
_CLAUSAL = frozenset({"ROOT", "relcl", "ccomp", "xcomp", "advcl", "conj", "csubj", "parataxis"})


def do_supported(doc: Any) -> Any | None:
    """The verb right after "did"/"does" and a named subject that the small model read as
    the object of "did" ("What contract did Komatsu sign with…"): do-support makes it the
    question's main verb."""
    for i, tok in enumerate(doc[:-2]):
        if tok.lower_ not in _DO:
            continue
        verb = _after_subject(doc, i)
        return (
            verb if verb is not None and verb.pos_ == "VERB" and verb.dep_ not in _CLAUSAL else None
        )
    return None


# Adverbs that may stand between a subject and its verb ("will Trump *next* host…").
_BETWEEN = word_set("next ever finally soon still also again actually really eventually")


def _after_name(doc: Any, start: int) -> Any | None:
    """After a modal, a name the small model took for the verb ("When will Trump next host
    Munir?" parses "Trump" as the verb and "host" as its object): the word after the name
    is the verb."""
    j = start
    while j < len(doc) and doc[j].ent_type_ and doc[j].pos_ in ("PROPN", "VERB", "AUX"):
        j += 1
    if j == start or not any(t.dep_ == "ROOT" for t in doc[start:j]):
        return None  # the name is no verb: the parse found the real one
    while j < len(doc) and doc[j].lower_ in _BETWEEN:
        j += 1
    if j < len(doc) and doc[j].pos_ in ("NOUN", "ADJ", "VERB") and not doc[j].ent_type_:
        return doc[j]
    return None


def predicate_of(doc: Any) -> str | None:
    """The main content verb, if the question has one ("refused", "signed"). A name is
    none ("Will Trump travel…" parsed with "Trump" for the verb); a root a modal or "did"
    leans on is one, though tagged a noun or an adjective ("When will the depot open?",
    "When did the working group meet?")."""
    misread = do_supported(doc)
    if misread is not None and misread.lemma_.lower() not in LIGHT_VERBS:
        return stem(misread.lemma_.lower())
    for tok in (_past_prefix(t) for t in doc if t.text != "-"):
        verb = tok.pos_ == "VERB" or (
            tok.dep_ == "ROOT"
            and tok.pos_ in ("NOUN", "ADJ")
            and any(c.tag_ == "MD" or (c.dep_ == "aux" and c.lemma_ == "do") for c in tok.children)
        )
        if verb and not tok.ent_type_ and tok.dep_ in ("ROOT", "relcl", "ccomp", "xcomp", "advcl"):
            lemma = tok.lemma_.lower()
            if lemma == "come" and tok.i > 0 and doc[tok.i - 1].lower_ == "how":
                continue  # "How come X was suspended?" asks why it was
            if lemma in LIGHT_VERBS or (lemma in _LEADING and _leads(tok)):
                continue
            if tok.i == 0 and lemma in REQUESTS:
                continue  # "Name the militant…": a request, the verb asked is further on
            if stem(lemma) not in CORPUS_TALK and not asks_cause(tok):
                return stem(lemma)
    # "What sparked the recent fighting?": the event is the gerund the cause brought about
    caused = [
        c
        for t in doc
        if asks_cause(t) and t.tag_ == "VBD"
        for c in t.children
        if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lower_.endswith("ing")
    ]
    if caused:
        return stem(caused[0].lower_)
    taken = verb_taken_for_noun(doc)
    if taken is not None:
        return stem(taken.lower_)
    # a light verb's preposition leading to the event: "Did X go through with inviting…",
    # "What part did X play in founding…"
    led = [
        t
        for t in doc
        if t.pos_ == "VERB"
        and t.dep_ == "pcomp"
        and t.lemma_.lower() not in LIGHT_VERBS
        and t.head.dep_ == "prep"
        and t.head.head.dep_ == "ROOT"
        and t.head.head.lemma_.lower() in LIGHT_VERBS
    ]
    if led:
        return stem(led[0].lemma_.lower())
    passive = _passive_participle(doc)
    return stem(passive.lemma_.lower()) if passive is not None else None


def _passive_participle(doc: Any) -> Any | None:
    """A passive yes/no question the small model parsed with its opening "was" for the
    verb ("Was the framework floated after Dar's meetings ultimately adopted by India?"
    hangs "adopted" under "meetings"): the last participle is the question's verb."""
    root = root_of(doc)
    if root is None or root.i != 0 or root.pos_ != "AUX" or root.lemma_.lower() != "be":
        return None
    participles = [t for t in doc if t.tag_ == "VBN" and t.dep_ == "acl" and not t.ent_type_]
    if not participles or participles[-1].lemma_.lower() in LIGHT_VERBS:
        return None
    return participles[-1]


def _leads(verb: Any) -> bool:
    """Does the verb lead to another ("manage to get", "succeeded in getting")?"""
    if verb.lemma_.lower() == "end":  # only "end up doing": not "end with a deal"
        up = any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children)
        return up and any(c.dep_ in ("xcomp", "advcl") and c.tag_ == "VBG" for c in verb.children)
    return any(c.dep_ in ("xcomp", "prep") and c.lower_ != "as" for c in verb.children)


def _past_prefix(tok: Any) -> Any:
    """The small model parses "re-engage" as "re", "-", "engage": the word after the
    hyphen is the verb."""
    doc = tok.doc
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and not tok.whitespace_:
        return doc[tok.i + 2]
    return tok


# Verbs of causing: with the wh-word for subject they ask for a cause ("What prompted…").
_CAUSING = word_set("prompt cause lead drive motivate push spur spark trigger make force")


def asks_cause(verb: Any) -> bool:
    """A verb of causing whose subject is the wh-word asks for the cause of the event it
    governs: "What prompted Trump to hike tariffs?" asks about hiking, not prompting."""
    return verb.lemma_.lower() in _CAUSING and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WP", "WDT") for c in verb.children
    )
