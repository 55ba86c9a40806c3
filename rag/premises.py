"""Premises: when the sentence most relevant to a question contradicts what the question
takes as given, no sentence answers it.

The gate judges each sentence on its own (rag.answerability). These rules look across
the sentences of one question: if the sentence that tells of the question's event tells
it as ahead ("the upcoming meeting"), without a reason, with another date, or with another
country as a party, a weaker sentence elsewhere that happens to fit must not answer for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from rag.answerability import GATE_CANDIDATES, Signals


def _most_relevant(relevance: Sequence[float]) -> int:
    return max(range(len(relevance)), key=lambda i: relevance[i])


# The most relevant sentence tells of the question's event, for the premises that take it
# as the event's telling (told ahead, another date), only when it shares at least this
# share of the question's words (idf-weighted): "urging a revival of the GSP program"
# (0.25) is the talks' other business, not "Which sectors were brought into the tariff
# talks?". Fitted on dev: the highest that keeps every refusal these premises make there
# (one is lost at 0.4).
EVENT_COVER = 0.35


def _tells_event(sig: Signals) -> bool:
    return sig.term_cover >= EVENT_COVER


def premise_ahead(computed: list[Signals], relevance: Sequence[float]) -> list[Signals]:
    """When the sentence most relevant to a question asked as done ("what was agreed at
    the August meeting?") tells of its event as ahead ("the upcoming meeting in August"),
    the articles predate it: no sentence that lacks the question's verb answers it, nor
    one with the verb that shares far fewer of the question's words than the sentence
    telling of the event ahead: "the IFC agreed to provide…" tells of another agreement.
    (A most relevant sentence sharing few of the question's words tells of another
    event: `EVENT_COVER`.)"""
    if not computed or not computed[(top := _most_relevant(relevance))].anticipated:
        return computed
    event = computed[top]
    if not _tells_event(event):
        return computed
    return [
        replace(
            sig,
            anticipated=float(
                bool(sig.anticipated or sig.predicate_missing) or _another(sig, event)
            ),
        )
        for sig in computed
    ]


# A sentence sharing under this share of the question's words (idf-weighted) that the
# sentence telling of its event shares is about another event.
SAME_EVENT_COVER = 0.5


def _another(sig: Signals, event: Signals) -> bool:
    """Does the sentence tell of another event than `event`'s sentence (`SAME_EVENT_COVER`)?"""
    return sig.term_cover < event.term_cover * SAME_EVENT_COVER


def premise_value(
    computed: list[Signals], relevance: Sequence[float], places: Sequence[tuple[object, str]]
) -> list[Signals]:
    """When the sentence most relevant to a question asking for a value tells of its event
    (names all it names) without it ("As Pakistan held the rotational presidency of the
    UN Security Council…" for "In which month…?"), a value in another paragraph, in a
    sentence sharing far fewer of the question's words, is another event's ("…launching
    the Crypto Council in March"). Its own paragraph may still give it ("That was in
    July.")."""
    if not computed:
        return computed
    top = _most_relevant(relevance)
    # it tells of the event when it names everything the question names
    if not computed[top].type_missing or computed[top].entity_cover < 1.0:
        return computed
    return [
        replace(sig, type_missing=1.0)
        if places[i][0] != places[top][0] and _another(sig, computed[top])
        else sig
        for i, sig in enumerate(computed)
    ]


def premise_denied(computed: list[Signals], relevance: Sequence[float]) -> list[Signals]:
    """When the sentence most relevant to a question denies its event ("by not calling
    Khan" for "Why did Biden call Khan?"), the question's premise is false where the
    articles tell of it: no other sentence answers it either."""
    if not computed or not computed[_most_relevant(relevance)].denied:
        return computed
    return [replace(sig, denied=1.0) for sig in computed]


# The share of a why-question's words (idf-weighted) under which a sentence other than
# the event's own gives no reason for it unless it opens by pointing back to it.
REASON_LINK_COVER = 0.1
# Openings that point back to what the sentence before told ("This is because…", "That
# was meant to…", "Because…"): its reason is that event's.
_LINKS_BACK = re.compile(
    r"^\W*(?:this|that|these|those|such|it|because|since|as a result|the reason|hence|"
    r"thus|therefore)\b",
    re.I,
)


def premise_reason(
    computed: list[Signals],
    relevance: Sequence[float],
    places: Sequence[tuple[object, str]],
    voiced: Sequence[bool] = (),
) -> list[Signals]:
    """When the sentence most relevant to a why-question tells of its event and gives no
    reason ("the suspension of USAID programs… strained ties"), a reason stated in
    another paragraph is a reason for something else ("to maintain stability, the US
    must…"): only the paragraph that tells of the event may give its reason. (Unless a
    sentence with a reason says more of the question's words, in its own or other words:
    then that one tells of the event, "…he does not want them getting into another
    conflict,” said Younus. “That's primarily because…”.) Within it,
    a sentence sharing next to none of the question's words gives its own clause's
    reason, unless it opens by pointing back ("This is because…"). (`places`: each
    sentence's paragraph and text; `voiced`: whether each gives the words of the person
    whose account the question asks for, "according to Younus, why…": a reason in those
    words is the one asked, wherever the most relevant sentence is.)"""
    if not computed:
        return computed
    top = _most_relevant(relevance)
    told = _padded(voiced, len(computed))
    if not computed[top].reason_missing or any(
        not sig.reason_missing and (sig.soft_cover > computed[top].soft_cover or by_them)
        for sig, by_them in zip(computed, told, strict=True)
    ):  # another sentence says more of the question's words, or is the account asked
        return computed  # for, and gives a reason
    paragraph = places[top][0]
    return [
        replace(
            sig,
            reason_elsewhere=float(
                bool(sig.reason_elsewhere)
                or places[i][0] != paragraph
                or (
                    i != top
                    and sig.term_cover < REASON_LINK_COVER
                    and not _LINKS_BACK.match(places[i][1])
                )
                # told without its reason (in passing, as a thing): no sentence without a
                # reason word gives it either
                or (bool(computed[top].reason_elsewhere) and bool(sig.reason_missing))
            ),
        )
        for i, sig in enumerate(computed)
    ]


def premise_dates(
    computed: list[Signals], relevance: Sequence[float], stated: Sequence[bool] = ()
) -> list[Signals]:
    """When the sentence most relevant to the question gives its event another date or
    figure than the question states, no sentence answers it: the question's premise
    ("the 2019 ceasefire") is contradicted where the articles tell of that event, and
    an undated sentence elsewhere must not answer for it. Unless one of the sentences
    the gate may judge (`stated`: those giving the question's own date or figure) does
    state it of the event, by its verb: then the articles tell of both ("Trump's first
    term" beside "his second term"), and each sentence keeps its own verdict. ("meeting
    him… in 2020" states no ousting in 2020; and a most relevant sentence sharing few of
    the question's words tells of another event: `EVENT_COVER`.)"""
    if not computed:
        return computed
    ranked = sorted(range(len(computed)), key=lambda i: -relevance[i])
    if not computed[ranked[0]].value_conflict or not _tells_event(computed[ranked[0]]):
        return computed
    told = [i for i in ranked[:GATE_CANDIDATES] if not computed[i].predicate_missing]
    if any(stated[i] for i in told if i < len(stated)):
        return computed
    return [replace(sig, value_conflict=1.0) for sig in computed]


# A sentence sharing this share of the question's words (idf-weighted) tells of the same
# thing without its verb: "Pakistan's recent signing of a landmark security pact with
# Saudi Arabia" (0.66) for "What does Pakistan's recent landmark security pact with Egypt
# commit it to?".
TELLS_BY_WORDS = 0.6


def _padded(voiced: Sequence[bool], n: int) -> list[bool]:
    """`voiced` for each of n sentences (none given: no sentence is the account asked)."""
    return [*voiced[:n], *[False] * (n - len(voiced))]


def premise_party(
    computed: list[Signals],
    relevance: Sequence[float],
    swapped: Callable[[int], bool],
    voiced: Sequence[bool] = (),
) -> list[Signals]:
    """When the sentence most relevant to a question tells of its event with another
    country in place of one the question names (`swapped`, asked of that sentence's
    index: "the India-U.S. relationship… with the signing of a 10-year bilateral defense
    pact" for "When did Pakistan sign its 10-year pact with the United States?"), the
    premise is false where the articles tell of the event: neither that sentence nor one
    sharing far fewer of the question's words (another event) answers it. The sentence
    tells of the event by its verb, or by most of the question's words (`TELLS_BY_WORDS`:
    "a security pact with Saudi Arabia" for the pact with Egypt). (`voiced`, as for
    `premise_reason`: the words of the person whose account is asked for tell it.)"""
    if not computed:
        return computed
    top = _most_relevant(relevance)
    event = computed[top]
    if (event.predicate_missing and event.term_cover < TELLS_BY_WORDS) or not swapped(top):
        return computed
    told = _padded(voiced, len(computed))
    return [
        replace(sig, party_conflict=1.0)
        if (i == top or _another(sig, event)) and not told[i]
        else sig
        for i, sig in enumerate(computed)
    ]


def premise_owner(computed: list[Signals], relevance: Sequence[float]) -> list[Signals]:
    """When the sentence most relevant to a question tells of its event by its verb but
    gives it, or the thing asked, to another (`owner_conflict`: "The FWO… signed a $500
    million deal" for "What contract did Komatsu sign with the FWO?", "…must wait for the
    US sanctions waivers" for Chinese ones), a sentence sharing far fewer of the
    question's words tells of another event and doesn't answer either."""
    if not computed:
        return computed
    event = computed[_most_relevant(relevance)]
    if event.predicate_missing or not event.owner_conflict:
        return computed
    return _spread(computed, event, "owner_conflict")


def premise_unsettled(computed: list[Signals], relevance: Sequence[float]) -> list[Signals]:
    """When the sentence most relevant to a yes/no question about an event done tells of
    its subject without settling it (a proposed framework, for "Has the framework been
    adopted?"), a sentence sharing far fewer of the question's words tells of something
    else ("a letter of intent… to accelerate stablecoin adoption") and settles nothing."""
    if not computed or not computed[(top := _most_relevant(relevance))].unsettled:
        return computed
    return _spread(computed, computed[top], "unsettled")


def _spread(computed: list[Signals], event: Signals, name: str) -> list[Signals]:
    """`name` failed for every sentence telling of another event than `event`'s."""
    return marked(computed, [_another(sig, event) for sig in computed], name)


def marked(computed: list[Signals], flags: Sequence[bool], name: str) -> list[Signals]:
    """Each sentence's signal `name` set (to 1) where its flag is."""
    return [
        replace(sig, **{name: 1.0}) if f else sig for sig, f in zip(computed, flags, strict=True)
    ]
