"""Who's who: the people and organisations the articles name, their roles, their mentions.

Names come from spaCy's entities of every paragraph (cached at ingest by `rag.nlp`),
cleaned and merged across variants by the rules in `rag.names` ("Munir", "Asim Munir"
and "Field Marshal Munir" are one person). Roles are read around every mention by the
patterns in `rag.roles`, except inside a caption's quotation: poster or sign text ("The
poster reads: “Alert President Trump: …”") states no roles. What a name is (a person or
an organisation) is decided, in order, by the role nouns the articles give it ("a
company", "the country's … province"), by a multi-word form spaCy tagged PERSON, and by
spaCy's majority label. Places and nationalities are left out.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rag.findings import Person, Ref, Role
from rag.names import (
    NameGroup,
    acronyms,
    clean_name,
    glued,
    mention_spans,
    merge_variants,
    name_shape_ok,
)
from rag.nlp import Entity, EntityCache
from rag.passages import credit_start, ref_of, sentence_spans
from rag.roles import Kinds, kinds_in, roles_at
from rag.schema import Passage

if TYPE_CHECKING:
    from rag.api import Pipeline
    from rag.config import Settings

# spaCy labels kept in the who's who, and those whose votes can outweigh them (a name
# tagged GPE more often than ORG is a place: "Balochistan").
KEPT_LABELS = ("PERSON", "ORG")
VOTING_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})

_cache: dict[str, list[Person]] = {}
_kinds_cache: dict[str, Kinds] = {}
_cache_lock = threading.Lock()


def _mid_sentence_words(paragraphs: Sequence[Passage]) -> set[str]:
    """Capitalised words seen somewhere other than a sentence's start: proper nouns."""
    seen: set[str] = set()
    for p in paragraphs:
        for start, end in sentence_spans(p.text):
            words = p.text[start:end].split()[1:]
            seen.update(re.sub(r"['’]s$", "", w.strip(".,;:!?”“\"'’()")) for w in words)
    return seen


def _spans(
    paragraphs: Sequence[Passage], entities: EntityCache
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str]]]:
    """Cleaned (name, label, corpus position) of every usable entity span, and the
    (long name, acronym) pairs the articles define."""
    mid = _mid_sentence_words(paragraphs)
    spans: list[tuple[str, str, int]] = []
    pairs: list[tuple[str, str]] = []
    position = 0
    for p in paragraphs:
        limit = credit_start(p)
        defined = acronyms(p.text[:limit])
        pairs += [(long, short) for long, short, _, _ in defined]
        for e in sorted(entities.get(p.text), key=lambda e: e.start):
            position += 1
            if e.label not in VOTING_LABELS or e.end > limit:
                continue
            name = _span_name(p.text, e, defined, mid)
            if name:
                spans.append((name, e.label, position))
    return spans, pairs


def _span_name(
    text: str, e: Entity, defined: list[tuple[str, str, int, int]], mid: set[str]
) -> str:
    for long, short, start, end in defined:
        if start <= e.start and e.end <= end:  # inside "Long Name (ACR)"
            return short if text[e.start : e.end].strip("()") == short else long
    if glued(text, e.start, e.end):
        return ""
    name = clean_name(text[e.start : e.end])
    if not name_shape_ok(name):
        return ""
    if " " not in name and name not in mid:  # one word seen only opening a sentence
        return ""
    return name


def _quoted(sentence: str, at: int) -> bool:
    """Is sentence[at] inside a quotation (more opening quotes than closing before it)?"""
    before = sentence[:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _label(group: NameGroup, roles: list[tuple[str, str | None]]) -> str:
    kinds = [k for _, k in roles if k]
    if kinds:
        return max(("PERSON", "ORG", "PLACE"), key=kinds.count)
    if group.person_tagged:
        return "PERSON"
    votes = group.labels
    return max(votes, key=lambda label: (votes[label], label in KEPT_LABELS))


def build_people(paragraphs: Sequence[Passage], entities: EntityCache) -> list[Person]:
    """Every person and organisation the paragraphs name, most mentioned first."""
    spans, pairs = _spans(paragraphs, entities)
    named = {name for name, label, _ in spans if label in KEPT_LABELS}
    groups = [
        g
        for g in merge_variants(spans, pairs)
        if g.variants & named or any(n in g.variants for n, _ in pairs)
    ]
    owners = {v: i for i, g in enumerate(groups) for v in g.variants}
    mentions: list[dict[str, list[Ref]]] = [{} for _ in groups]
    roles: list[list[tuple[Role, str | None]]] = [[] for _ in groups]
    for p in paragraphs:
        text, limit = p.text, credit_start(p)
        sentences = sentence_spans(text)
        for start, end, owner in mention_spans(text[:limit], owners):
            refs = mentions[owner].setdefault(p.article_id, [])
            if ref_of(p) not in refs:
                refs.append(ref_of(p))
            s_start, s_end = next(((a, b) for a, b in sentences if a <= start < b), (0, len(text)))
            sentence = text[s_start:s_end]
            if p.kind != "body" and _quoted(sentence, start - s_start):
                continue  # a caption quoting a poster or sign: its words state no roles
            for role, kind in roles_at(sentence, start - s_start, end - s_start):
                roles[owner].append((Role(role, ref_of(p)), kind))
    people = []
    for group, found, stated in zip(groups, mentions, roles, strict=True):
        label = _label(group, [(r.text, k) for r, k in stated])
        if label not in KEPT_LABELS or not found:
            continue
        unique = list(dict.fromkeys(r for r, _ in stated))
        aliases = sorted(group.variants - {group.name}, key=lambda v: (-len(v), v))
        people.append(Person(group.name, label, aliases, unique, found))
    people.sort(key=lambda e: (-e.count, e.name))
    return people


def _corpus_key(paragraphs: Sequence[Passage]) -> str:
    return hashlib.sha256("\0".join(p.text for p in paragraphs).encode()).hexdigest()


def people_of(pipeline: Pipeline) -> list[Person]:
    """Who's who of the pipeline's index, computed once per indexed corpus."""
    paragraphs = pipeline.paragraphs()
    key = _corpus_key(paragraphs)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    found = build_people(paragraphs, pipeline.entities)
    with _cache_lock:
        _cache[key] = found
    return found


def kinds_of(pipeline: Pipeline) -> Kinds:
    """The kinds of things the index's paragraphs name ("copper" is a mineral:
    `rag.roles.kinds_in`), computed once per indexed corpus."""
    paragraphs = pipeline.paragraphs()
    key = _corpus_key(paragraphs)
    with _cache_lock:
        if key not in _kinds_cache:
            _kinds_cache[key] = kinds_in(p.text for p in paragraphs)
        return _kinds_cache[key]


def find_entry(pipeline: Pipeline, name: str) -> Person | None:
    """The who's who entry `name` designates, by any of its forms ("Field Marshal Munir",
    "munir", "CIA"), or None."""
    wanted = {name.strip().casefold(), clean_name(name).casefold()}
    for entry in people_of(pipeline):
        if wanted & {v.casefold() for v in (entry.name, *entry.aliases)}:
            return entry
    return None


def entities(*, settings: Settings | None = None) -> list[Person]:
    """The people and organisations the articles name, most mentioned first: each with
    the roles the articles state and every paragraph naming them, by article."""
    from rag.api import get_pipeline

    return people_of(get_pipeline(settings))


def people(*, settings: Settings | None = None) -> list[Person]:
    """The people the articles name (`entities` without the organisations)."""
    return [e for e in entities(settings=settings) if e.label == "PERSON"]
