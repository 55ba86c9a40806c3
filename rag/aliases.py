"""Countries by every name news prose gives them: "Pakistan", "Pakistani", "Islamabad".

One list (`ALIAS_GROUPS`), used to match a question's names to sentences and to the
corpus, to tell a country from a city or a person, and to group places by country.
"""

from __future__ import annotations

from rag.text import tokens

# Names that refer to the same country in news prose (people, capital as metonym).
# One list, used for matching question entities to sentences and to the corpus.
ALIAS_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split("|"))
    for group in (
        "us|u.s|u.s.a|usa|united states|america|american|americans|washington|d.c|dc",
        "pakistan|pakistani|pakistanis|islamabad|pak",
        "india|indian|indians|new delhi|delhi",
        "china|chinese|beijing",
        "afghanistan|afghan|afghans|kabul",
        "iran|iranian|iranians|tehran",
        "russia|russian|russians|moscow",
        "saudi arabia|saudi|saudis|riyadh",
        "uk|u.k|united kingdom|britain|british|london",
        "bangladesh|bangladeshi|bangladeshis|dhaka",
        "israel|israeli|israelis",
        "ukraine|ukrainian|ukrainians|kyiv",
    )
)


def aliases(name: str) -> frozenset[str]:
    """Every name of the country `name` names, or just `name` (lower-cased)."""
    key = _key(name)
    for group in ALIAS_GROUPS:
        if key in group:
            return group
    return frozenset({key})


# The capitals among the aliases: a country by metonymy ("Islamabad said"), a city too.
CAPITALS = frozenset(
    {"washington", "d.c", "dc", "islamabad", "new delhi", "delhi", "beijing", "kabul"}
    | {"tehran", "moscow", "riyadh", "london", "dhaka", "kyiv"}
)


def is_country(name: str) -> bool:
    """`name` names a country of the list ("India", "Islamabad", "the U.S.")."""
    return len(aliases(name)) > 1


def is_city(name: str) -> bool:
    """`name` is one of the list's capitals: a city, whatever country it stands for."""
    return _key(name) in CAPITALS


def _key(name: str) -> str:
    """A name as the list writes it: "the U.S." as "u.s"."""
    return " ".join(tokens(name)).removeprefix("the ")
