"""Dates as the articles write them, found and normalised by rules (no year ever guessed).

`find_dates` reads a text and returns every dated expression it states: a year
("2021"), a decade ("the 1950s"), a span of years ("2008 to 2011"), a month with or
without a year ("March 2025", "early May", "mid-November") and a day ("August 26,
2021", "May 14", "Sept. 25"). Each is normalised to an EDTF-style string (the Library
of Congress's Extended Date/Time Format: `2021-08-26`, `2025-03`, `195X`, `2008/2011`,
and `XXXX-05` for a month whose year the text doesn't state) and a sort key.

The one rule that matters: a year belongs to a date only when it is written inside
that date expression. None of the articles states its publication date, so "in May"
stays "May (year not stated)" even when another sentence mentions 2025: paragraphs mix
years ("in February … a 2021 suicide bombing"), and borrowing one would invent facts.
Relative dates ("this year", "last month", "four days later") are not dates of their own
and are skipped; so are years that describe a state rather than an event ("pre-1967
borders") and lengths of time ("a 14-year sentence").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "month", "year", "decade", "range"]

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
# Abbreviations as news prose writes them ("Sept. 25", "Aug. 8"); "May" has none.
_ABBREVIATED = {name[:3].lower(): n for name, n in zip(MONTH_NAMES, range(1, 13), strict=True)}
_ABBREVIATED["sept"] = 9
# "early", "mid" and "late" place a date inside its month (or year) without a day: they
# sort as the 1st, 15th and 25th, and are kept as written.
QUALIFIER_DAYS = {"early": 1, "mid": 15, "late": 25}

# Plausible years for news prose: 1900-2099. Four digits outside this are figures.
_YEAR = r"(?:19|20)\d\d"
_FULL_MONTH = "(?:" + "|".join(MONTH_NAMES) + ")"
_SHORT_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_FULL_MONTH}|{_SHORT_MONTH})"
_QUAL = r"(?:(?P<qual>early|mid|late)[- ])?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# A year must not be glued to other digits, a currency sign or a prefix ("pre-1967"),
# nor be a length ("14-year") or a count ("2,000").
_NOT_BEFORE = r"(?<![\w$£€.,/-])"
_NOT_AFTER = r"(?![\w%/]|-(?:year|month|day|week)|,\d)"

# Tried in this order; a later pattern never overlaps an earlier match.
_PATTERNS: list[tuple[Precision, re.Pattern[str]]] = [
    ("range", re.compile(
        rf"{_NOT_BEFORE}(?P<year>{_YEAR})\s*(?:to|until|through|and|–|—|-)\s*"
        rf"(?P<year_end>{_YEAR}){_NOT_AFTER}")),
    ("day", re.compile(
        rf"{_QUAL}\b(?P<month>{_MONTH})\s+{_DAY},?\s+(?P<year>{_YEAR}){_NOT_AFTER}")),
    ("day", re.compile(rf"\b{_DAY}\s+(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR}){_NOT_AFTER}")),
    ("month", re.compile(
        rf"{_QUAL}\b(?P<month>{_MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR}){_NOT_AFTER}")),
    ("day", re.compile(rf"\b(?P<month>{_MONTH})\s+{_DAY}(?![\d,]*\s*(?:19|20)\d\d)\b")),
    ("day", re.compile(rf"\b{_DAY}\s+(?P<month>{_FULL_MONTH})\b")),
    ("month", re.compile(rf"\b(?P<qual>early|mid|late)[- ](?P<month>{_FULL_MONTH})\b")),
    ("month", re.compile(rf"\b(?P<month>{_FULL_MONTH})\b(?P<rel>\s+(?:this|last|next) year)?")),
    ("decade", re.compile(r"\b(?:the\s+)?(?P<year>(?:19|20)\d0)s\b")),
    ("year", re.compile(rf"{_NOT_BEFORE}(?P<year>{_YEAR}){_NOT_AFTER}")),
]  # fmt: skip

# A bare month name counts as a date only after a word that introduces a time ("in
# June", "since April") or when spaCy's recogniser tagged it DATE: "May" is also a verb.
_TIME_CUE = re.compile(
    r"\b(?:in|on|since|by|until|till|from|to|through|during|of|between|and|or|before|"
    r"after|early|mid|late|last|next|this|that|each|every)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """One dated expression in a text, as written and normalised."""

    text: str  # as written: "early May", "2008 to 2011", "Sept. 25"
    start: int  # character offsets in the text it was found in
    end: int
    precision: Precision
    year: int | None = None  # None: the text states no year for it
    year_end: int | None = None  # last year of a range
    month: int | None = None
    day: int | None = None
    qualifier: str = ""  # early | mid | late, as written

    @property
    def year_stated(self) -> bool:
        return self.year is not None

    @property
    def edtf(self) -> str:
        """The normalised date: 2021-08-26, 2025-03, 2021, 195X, 2008/2011, XXXX-05-14."""
        if self.precision == "range":
            return f"{self.year}/{self.year_end}"
        if self.precision == "decade":
            return f"{str(self.year)[:3]}X"
        year = str(self.year) if self.year is not None else "XXXX"
        out = year
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    @property
    def label(self) -> str:
        """For readers: "26 August 2021", "early May (year not stated)", "2008–2011"."""
        if self.precision == "range":
            return f"{self.year}–{self.year_end}"
        if self.precision == "decade":
            return f"{self.year}s"
        parts = []
        if self.qualifier:
            parts.append(self.qualifier)
        if self.day is not None:
            parts.append(str(self.day))
        if self.month is not None:
            parts.append(MONTH_NAMES[self.month - 1])
        if self.year is not None:
            parts.append(str(self.year))
        text = " ".join(parts)
        if self.qualifier == "mid":
            text = text.replace("mid ", "mid-", 1)
        return text if self.year is not None else f"{text} (year not stated)"

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """Undated years sort last; within a year, months in order, days (or the
        early/mid/late proxy) within months; a year alone before its months."""
        year = self.year if self.year is not None else 9999
        month = self.month or 0
        day = self.day or QUALIFIER_DAYS.get(self.qualifier, 0)
        return (year, month, day, (self.year_end or year) - year)


def _month_number(word: str) -> int:
    key = word.lower().rstrip(".")
    return MONTHS.get(key) or _ABBREVIATED[key]


def _mention(precision: Precision, match: re.Match[str]) -> DateMention | None:
    groups = {k: v for k, v in match.groupdict().items() if v}
    day = int(groups["day"]) if "day" in groups else None
    if day is not None and not 1 <= day <= 31:
        return None
    year = int(groups["year"]) if "year" in groups else None
    year_end = int(groups["year_end"]) if "year_end" in groups else None
    if year is not None and year_end is not None and year_end <= year:
        return None  # "2011-2008" or "2020-2020" is not a span of years
    text = match.group(0).rstrip()
    return DateMention(
        text=text,
        start=match.start(),
        end=match.start() + len(text),
        precision=precision,
        year=year,
        year_end=year_end,
        month=_month_number(groups["month"]) if "month" in groups else None,
        day=day,
        qualifier=groups.get("qual", ""),
    )


def find_dates(text: str, confirmed: Iterable[tuple[int, int]] = ()) -> list[DateMention]:
    """Every date `text` states, in order. `confirmed` are spans a recogniser tagged as
    dates (spaCy's DATE entities): a bare month name inside one needs no time cue."""
    confirmed = list(confirmed)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for precision, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            groups = match.groupdict()
            if precision == "month" and not groups.get("qual") and not groups.get("year"):
                cued = _TIME_CUE.search(text[max(0, start - 12) : start])
                tagged = any(s <= start and end <= e for s, e in confirmed)
                if not (cued or tagged or groups.get("rel")):
                    continue
            mention = _mention(precision, match)
            if mention is not None:
                found.append(mention)
                taken.append((start, end))
    return sorted(found, key=lambda m: m.start)


# A year as written anywhere in a text, or a decade: "2022", "the 2000s", "the 1990's" (a
# relative "the following year" counts where its sentence names the year it follows).
# Its groups: the first three digits, the last, and a decade's "s".
YEAR = re.compile(r"\b(1[89]\d|20\d)(\d)(['’]?s)?\b")


def years_in(text: str, *, decades: bool = False) -> set[str]:
    """The years `text` states ("2008") and its decades, EDTF-style ("the 2000s": "200X").
    With `decades`, each year's decade too ("2008": "2008" and "200X"), so that a decade
    asked is met by any year in it, and a year asked not by another year of its decade."""
    found: set[str] = set()
    for m in YEAR.finditer(text):
        decade = f"{m[1]}X"
        if m[3] and m[2] == "0":
            found.add(decade)
            continue
        found.add(m[1] + m[2])
        if decades:
            found.add(decade)
    return found


def year_unstated(question: str, text: str, latest: str) -> bool:
    """The question sets its event in a year (or decade) that the text (a paragraph and
    the one before it) never states ("What tariff did the US impose in 2018?" beside
    "lowered tariffs from 29% to 19%"): what the text gives may be of any other time. The
    articles' latest year is exempt: they may call it "this year"."""
    return not years_in(question) - {latest} <= years_in(text, decades=True)


def latest_year(text: str) -> str:
    """The latest year `text` states ("" when none)."""
    return max((y for y in years_in(text) if not y.endswith("X")), default="")
