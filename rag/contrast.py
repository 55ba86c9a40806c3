"""Where the articles differ: built from what their cited sentences contain.

For each article that addresses a question, its cited sentences give four lists: the
actors they name (people, organisations, places: spaCy's entities), the dates they state
(`rag.dates`), the figures they give (sums, shares, counts with digits) and their stance
words (`STANCE_WORDS`: claims, denials, credit, hedges). The line names, per list, what
each article has that the others don't; nothing in it is written by a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rag.dates import find_dates
from rag.findings import ArticleFindings
from rag.names import clean_name, name_shape_ok
from rag.nlp import Entity
from rag.text import stem, tokens, word_set

# Words that say how a source stands on a claim: who asserts, credits, denies or hedges.
STANCE_WORDS = word_set(
    "claim claimed claims credit credited insist insisted deny denied denies dispute "
    "disputed reject rejected refuse refused refusal praise praised criticise criticised "
    "criticize criticized critical accuse accused blame blamed welcome welcomed support "
    "supported oppose opposed warn warned mediate mediating mediated broker brokered "
    "facilitate facilitated facilitation eschew eschews rankle rankling annoyed argue argues "
    "argued acknowledge acknowledged admit admitted doubt doubts potential possible likely "
    "unlikely reportedly allegedly tentative overblown overestimated",
    stemmed=True,
)
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
ACTOR_ORDER = {"PERSON": 0, "ORG": 1}
FIGURE_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
# Items shown per article and list: the line stays one line.
MAX_ITEMS = 3


def join_ids(ids: Sequence[str]) -> str:
    """ "001", "001 and 003", "000, 001 and 003"."""
    ids = list(ids)
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def _dedupe(items: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


def contents(
    finding: ArticleFindings,
    entities: Sequence[Entity],
    canonical: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """The actors, dates, figures and stance words of one article's cited sentences;
    `canonical` maps a name's variants to its who's who name ("Munir" -> "Asim Munir")."""
    canonical = canonical or {}
    text = " ".join(s.text for s in finding.sentences)
    # People and organisations first: they say who acts; places mostly say where.
    ranked = sorted(entities, key=lambda e: ACTOR_ORDER.get(e.label, len(ACTOR_ORDER)))
    actors = [clean_name(e.text) for e in ranked if e.label in ACTOR_LABELS]
    actors = [canonical.get(a, a) for a in actors if name_shape_ok(a)]
    figures = [
        e.text for e in entities if e.label in FIGURE_LABELS and any(c.isdigit() for c in e.text)
    ]
    dates = [m.text for s in finding.sentences for m in find_dates(s.text)]
    stance = [w for w in tokens(text) if stem(w) in STANCE_WORDS]
    return {
        "actors": _dedupe([a for a in actors if a]),
        "dates": _dedupe(dates),
        "figures": _dedupe(figures),
        "stance": _dedupe(stance),
    }


_HEADS = {
    "actors": "actors",
    "dates": "dates",
    "figures": "figures",
    "stance": "stance words",
}


def describe_differences(
    findings: Sequence[ArticleFindings],
    entities: Mapping[str, Sequence[Entity]],
    canonical: Mapping[str, str] | None = None,
) -> str:
    """ "Where they differ: actors: 004 Trump, India; 002 Kashmir · dates: …"; for one
    article, "Only 004 addresses this."; "" when none does."""
    if not findings:
        return ""
    if len(findings) == 1:
        return f"Only {findings[0].article_id} addresses this."
    lists = {f.article_id: contents(f, entities.get(f.article_id, ()), canonical) for f in findings}
    parts = []
    for key, head in _HEADS.items():
        own = []
        for article, found in lists.items():
            others = {
                item.casefold()
                for other, items in lists.items()
                if other != article
                for item in items[key]
            }
            unique = [item for item in found[key] if item.casefold() not in others]
            if unique:
                shown = unique[:MAX_ITEMS] + (["…"] if len(unique) > MAX_ITEMS else [])
                quoted = [f"“{w}”" if key == "stance" else w for w in shown if w != "…"]
                own.append(f"{article} {', '.join(quoted)}{', …' if '…' in shown else ''}")
        if own:
            parts.append(f"{head}: " + "; ".join(own))
    shared = set.intersection(
        *({a.casefold() for a in found["actors"]} for found in lists.values())
    )
    common = [a for a in next(iter(lists.values()))["actors"] if a.casefold() in shared]
    line = (
        "Where they differ: " + " · ".join(parts)
        if parts
        else ("The articles that address it name the same actors, dates and figures.")
    )
    if common and parts:
        line += f" (all name {', '.join(common[:MAX_ITEMS])})"
    return line + ("" if line.endswith(".") else ".")
