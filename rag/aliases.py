"""Countries by every name news prose gives them: "Pakistan", "Pakistani", "Islamabad".

One list (`ALIAS_GROUPS`), used to match a question's names to sentences and to the
corpus, to tell a country from a city or a person, and to group places by country.
"""

from __future__ import annotations

import re

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
        # others news on the region names, so a nationality is its country's ("Japanese
        # conglomerate Komatsu" is made in Japan, not elsewhere)
        "japan|japanese|tokyo",
        "south korea|south korean|south koreans|seoul",
        "north korea|north korean|north koreans|pyongyang",
        "turkey|turkish|türkiye|ankara",
        "egypt|egyptian|egyptians|cairo",
        "qatar|qatari|qataris|doha",
        "united arab emirates|uae|emirati|emiratis|abu dhabi",
        "iraq|iraqi|iraqis|baghdad",
        "syria|syrian|syrians|damascus",
        "palestine|palestinian|palestinians",
        "australia|australian|australians|canberra",
        "canada|canadian|canadians|ottawa",
        "chile|chilean|chileans",
        "germany|german|germans|berlin",
        "france|french|paris",
        "sri lanka|sri lankan|sri lankans|colombo",
        "nepal|nepalese|nepali|kathmandu",
        "indonesia|indonesian|indonesians|jakarta",
        "malaysia|malaysian|malaysians|kuala lumpur",
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
    | {"tokyo", "seoul", "pyongyang", "ankara", "cairo", "doha", "abu dhabi", "baghdad"}
    | {"damascus", "canberra", "ottawa", "berlin", "paris", "colombo", "kathmandu"}
    | {"jakarta", "kuala lumpur"}
)


def is_country(name: str) -> bool:
    """`name` names a country of the list ("India", "Islamabad", "the U.S.")."""
    return len(aliases(name)) > 1


def is_city(name: str) -> bool:
    """`name` is one of the list's capitals: a city, whatever country it stands for."""
    return _key(name) in CAPITALS


# A capitalised word, then a hyphen before another ("India-Pakistan", "U.S.-Pakistan")
# that is not followed by a third ("China-Pakistan Economic Corridor").
_PAIR = re.compile(r"(?<![\w.])([A-Z][\w.]*)-(?=([A-Z][\w.]*)(?![\w.])(?!\s+[A-Z]))")


def dash_pairs(text: str) -> str:
    """The text with a hyphen between two names, one a country's, read as the dash it
    stands for: "India-Pakistan cease-fire" -> "India–Pakistan cease-fire".

    Written with a hyphen, such a pair reads as one word: word matching joins it like
    "cease-fire" ("indiapakistan"), and the parser tags the second name as no place, so
    a question on the India-Pakistan cease-fire would lose both names. Compounds that
    name no country are one name and stay as written ("IS-Khorasan", "Inter-Services",
    "Indo-Pacific", "Gilgit-Baltistan"), as do lower-case ones ("Indian-controlled") and
    pairs that begin a longer name ("the China-Pakistan Economic Corridor"): the
    articles write that name with the same hyphen, and matching it whole is better."""

    def dash(m: re.Match[str]) -> str:
        pair = is_country(m.group(1)) or is_country(m.group(2))
        return f"{m.group(1)}–" if pair else m.group()

    return _PAIR.sub(dash, text)


def _key(name: str) -> str:
    """A name as the list writes it: "the U.S." as "u.s"."""
    return " ".join(tokens(name)).removeprefix("the ")
