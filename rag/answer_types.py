"""The kind of answer a question asks for, from its wording: a person, a date, a sum of
money, a reason… (`answer_type_of`), and the nouns that fix it ("which minister")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from rag.dates import YEAR
from rag.nlp import Entity
from rag.text import stem, tokens, word_set

AnswerType = Literal[
    "person",  # who wrote…, which minister…
    "agent",  # who did…: a person, an organisation or a country
    "organisation",
    "place",
    "date",
    "duration",
    "money",
    "count",
    "percent",
    "quantity",  # how much / by how much: any figure
    "reason",
    "manner",
    "list",
    "any",
]

FIGURES: frozenset[AnswerType] = frozenset({"count", "money", "quantity", "percent"})  # figures

# Verbs of leading something: "Who heads X?" asks for a person (or the office they hold,
# "the finance minister"), not for any body the sentence names.
_LEAD_VERBS = (
    "heads?|headed|runs?|ran|leads?|led|chairs?|chaired|directs?|directed|manages?|managed|"
    "founded|co-founded"
)
_LEADS = re.compile(r"^who (?:\w+ )?(?:" + _LEAD_VERBS + r")\b")
# Words that keep "the value" a sum of money: "the total value" is, "the strategic value" is not.
_MONEY_QUALIFIERS = "(?:total|annual|yearly|overall|estimated|combined|approximate|exact|net|gross)"
# The answer type a question's wording asks for, first match wins. Each pattern reads the
# lower-cased question; these are question-syntax cues, not topic words.
_SPAN = r"\bwhat (?:is|was|'s|’s) the (?:duration|length|term) of\b"  # a span of time
_TYPE_RULES: list[tuple[re.Pattern[str], AnswerType]] = [
    (
        re.compile(
            r"\b(?:what|which) (?:percentage|percent|share|proportion)\b|\bwhat %|"
            r"\bhow much of\b.+\b(?:own|owns|owned|hold|holds|held|control|controls)\b|"  # a share
            r"\bhow (?:big|large) (?:a |of a )?(?:stake|share)\b|"
            r"\bhow many (?:percent|percentage points?)\b"
        ),
        "percent",
    ),
    (
        re.compile(
            r"\bhow many\b|\bwhat number of\b|\bnumber of \w+s\b|\b(?:death|casualty) toll\b"
        ),
        "count",
    ),
    (
        re.compile(
            r"\b(?:dollar|monetary|cash|financial) (?:value|amount|figure|size|cost)\b|"
            r"\bhow much (?:money|aid|funding|cash|investment|did \w+ (?:pay|spend|invest))|"
            r"\bhow much (?:\w+ ){0,5}(?:cost\w*|worth|pa(?:y|ys|ying|id)|spen[dt]\w*|"
            r"invest\w*|loan\w*|charg\w*|earn\w*|rais\w*)\b|"
            r"\bwhat (?:is|was|were|are) the (?:"
            + _MONEY_QUALIFIERS
            + r" )?(?:price|cost|value|worth)s?\b|"
            r"\bworth\b|\bin dollars\b"
        ),
        "money",
    ),
    (
        re.compile(
            r"\bhow much\b|\bby how much\b|\bwhat (?:amount|figure|sum|size)\b|"
            r"\bhow (?:large|big|small|far|wide|high|tall|deep|heavy|fast)\b|"
            r"\b(?:what|which) (?:\w+ )?rate\b|\brate (?:of|does|did|is|was)\b"
        ),
        "quantity",
    ),
    # an age is a time since birth ("57 years old"); "the duration of the pact" is a span
    (re.compile(r"\bhow (?:long|old)\b|\bfor how many (?:year|month|day)s\b|" + _SPAN), "duration"),
    (
        re.compile(
            r"\bwhen\b|\b(?:what|which|in which|in what) "
            r"(?:(?:year|date|month|day|decade)s?|time)\b|\bsince when\b|\bhow long ago\b"
        ),
        "date",
    ),
    (
        re.compile(
            r"\bwhere\b|\b(?:what|which|in which|in what) (?:country|countries|city|cities|"
            r"province|region|place|state|location|capital|town|port)\b(?!-)"  # not "state-run"
        ),
        "place",
    ),
    (
        re.compile(
            r"\bwhy\b|\bhow come\b|\bwhat (?:\w+ )?(?:reasons?|motives?|purposes?)\b|"
            r"\bwhat (?:grounds?|basis)\b|"  # "for what stated reason", "what grounds"
            # "what was the purpose of…", "what's New Delhi's reasoning"
            r"\bwhat(?:['’]s| (?:was|were|are|is)) (?:the|(?:[\w’'-]+ )?[\w’'-]+['’]s) "
            r"(?:\w+ )?(?:reasons?|motives?|purposes?|grounds|rationale|justification|reasoning)\b|"
            r"\bwhat (?:(?:do|does|did) (?:[\w’'-]+ ){1,3}(?:say|think|argue|believe)s? )?"
            r"(?:caused|led|prompted|drove|motivated|pushed|spurred|forced|made|makes|"
            r"triggered|sparked|persuaded|convinced|causes|leads|prompts|drives|persuades)\b"
        ),
        "reason",
    ),
    (re.compile(r"\bwho wrote\b|\bwho (?:is|was) the (?:author|writer)\b"), "person"),
    (_LEADS, "person"),
    (re.compile(r"^(?:who|whom|whose)\b"), "agent"),
    (
        re.compile(r"^how\b|\bhow (?:did|does|do|is|was|were|can|could|has|have|might|would)\b"),
        "manner",
    ),
]

# Verbs a question may open with as a request ("Name the minister who…", "List the
# minerals…"): the object is what it asks for, and the capital is the sentence's, no name's.
REQUESTS = word_set("give tell name list identify provide")

# Head nouns of "which/what <noun>" that fix the answer type. Small and general.
NOUN_TYPES: dict[AnswerType, frozenset[str]] = {
    "person": word_set(
        "minister president official leader ambassador envoy general chief premier secretary "
        "diplomat author writer founder chairman chair spokesman spokesperson commander senator "
        "negotiator historian journalist captain fellow person man woman politician statesman "
        "marshal king queen emir crown prince ceo director head lobbyist adviser advisor analyst "
        "scholar individual son daughter wife husband brother sister father mother associate aide"
    ),
    "organisation": word_set(
        "company companies firm firms organization organisation agency group outlet publication "
        "institute institution bank council party fund corporation ministry body forum alliance "
        "magazine newspaper network lobby team club university department"
    ),
    "place": word_set(
        "country countries city cities province region place state location capital town port "
        "border"
    ),
    "date": word_set("year date month day decade"),
    # a measure is told as a figure: "What was the tariff on Indian goods?" -> "50 percent"
    "quantity": word_set("tariff rate price cost budget population salary amount sum"),
    # a part owned is told as a share: "What stake does X hold?" -> "a 60% stake"
    "percent": word_set("stake"),
}

_WH = re.compile(r"\b(?:who|whom|whose|what|which|when|where|why|how)\b")
_SCENE = re.compile(
    r"^(?:when|while|after|before|as|once|if)\b[^,?]*,\s*(?=(?:who|whom|whose|what|which|"
    r"when|where|why|how)\b)"
)


# A question with no wh-word that opens with an auxiliary or a modal asks yes or no; one
# that opens with a verb to the reader asks for whatever it names ("tell me about…").
_CLAUSE_OPEN = re.compile(
    r"\s*(?:did|does|do|is|was|were|are|has|have|had|can|could|will|would|should|shall|may|"
    r"might|must|tell|list|name|give|show|describe|explain|summari[sz]e)\b"
)


def answer_type_of(question: str) -> AnswerType:
    """The answer type from the wording alone (see `_TYPE_RULES`), read from the
    question's leading wh-word on: in "How did X react when Y…", "when" is not asked."""
    low = " ".join(question.lower().split())
    # "When Dar met them, what did they focus on?": the clause before the comma only sets
    # the scene; the wh-word after it asks
    scene = _SCENE.match(low)
    if scene is not None:
        low = low[scene.end() :]
    lead = _WH.search(low)
    if lead is None and not _CLAUSE_OPEN.match(low):
        # typed as a search ("death toll of the twin blasts"): what is it?
        low = f"what {low}"
        lead = _WH.search(low)
    if lead is None:
        return "any"  # a yes/no question
    # Read the leading wh-phrase up to the next wh-word ("how did X react | when Y…").
    after = _WH.search(low, lead.end())
    low = low[lead.start() : after.start() if after else len(low)]
    for pattern, kind in _TYPE_RULES:
        if (found := pattern.search(low)) and not _modifies_head(low, found.end(), kind):
            return kind
    return "any"


def _modifies_head(low: str, end: int, kind: AnswerType) -> bool:
    """ "Which State Department official…": the place word names the person or body
    asked for, which comes after it."""
    if kind != "place":
        return False
    heads = NOUN_TYPES["person"] | NOUN_TYPES["organisation"]
    return any(w in heads or stem(w) in heads for w in low[end:].split()[:1])


# The auxiliaries a yes/no question opens with ("Was…", "Did…", "Has…").
_AUXILIARIES = "did|does|do|is|was|were|are|has|have|had"
_YES_NO = re.compile(rf"\s*(?:{_AUXILIARIES})\b", re.I)


def asks_yes_no(question: str) -> bool:
    return _YES_NO.match(question) is not None


# "What did Haqqani predict about whether Pakistan will get aid?": a yes/no question inside
# another, which "no" answers too.
_WHETHER = re.compile(r"\bwhether\b", re.I)


def asks_whether(question: str) -> bool:
    """Is the question, or a question it asks about, a yes/no one?"""
    return asks_yes_no(question) or _WHETHER.search(question) is not None


# A question that asks whether a relation holds ("Did X negotiate Y's deal?", "Is X
# involved in Y?", modals too) or what it is ("the relationship between X and Y", "what
# role did X play in Y"): the articles answer it only where they name its parties together.
_RELATIONAL = re.compile(
    rf"^(?:{_AUXILIARIES}|can|could|will|would)\b|"
    r"\b(?:relationship|relation|relations|link|links|connection|ties) between\b|"
    # "What role did X play in Y?", "How is X involved in Y?"
    r"\b(?:role|part) (?:did|does|do|has|have|had|will|would|could|might) .+ play\b|"
    # "What position does X hold at Y?": X's post in Y
    r"\b(?:role|position|post|job|title) (?:does|did|do|has|have|had) .+ "
    r"(?:hold|have|occupy|fill) (?:at|in|with|on)\b|"
    r"\b(?:involved|involvement) in\b"
)


def relational(question: str) -> bool:
    """A yes/no question, or one asking how two named things are related."""
    return bool(_RELATIONAL.search(" ".join(question.lower().split())))


# Units a figure is measured in. A question asking for one the articles never use ("How
# many tonnes of copper…") asks for a figure they don't give, whatever else they count.
MEASURE_UNITS = word_set(
    "tonne tonnes ton tons tonnage barrel barrels mile miles kilometre kilometres kilometer "
    "kilometers km acre acres hectare hectares megawatt megawatts gigawatt gigawatts gallon "
    "gallons ounce ounces kilogram kilograms kg pound pounds litre litres liter liters metre "
    "metres meter meters feet foot",
    stemmed=True,
)

# A place smaller than a country, asked for ("in which city", "which US state").
_TOWN_ASKED = re.compile(
    r"\b(?:which|what) (?:[a-z][\w.]*\s+)?"  # a word before: "which Pakistani city"
    r"(?:city|cities|town|towns|capital|port|state|states|province|provinces)\b(?!-)",
    re.I,
)
# "Where does X work?" is answered by an employer as well as a place ("at the Hudson
# Institute"): the question's words (stems) that ask where someone works.
_WORKPLACE_WORDS = word_set("work employed based studied teaches taught", stemmed=True)


def asks_town(question: str) -> bool:
    return bool(_TOWN_ASKED.search(question))


def asks_workplace(question: str, names: Sequence[Entity]) -> bool:
    """A question about someone's work, in words outside its names (not the "Works" of
    "the Frontier Works Organization")."""
    for e in sorted(names, key=lambda e: -e.start):
        question = question[: e.start] + " " + question[e.end :]
    return any(stem(w) in _WORKPLACE_WORDS for w in tokens(question))


def asks_leader(question: str) -> bool:
    """ "Who heads / runs / chairs X?": a person or an office answers."""
    return bool(_LEADS.search(" ".join(question.lower().split())))


# A date asked to the day ("On what date…", "the exact date of…"): a month doesn't answer.
_DAY_ASKED = re.compile(
    r"\b(?:exact|precise|specific) (?:date|day)\b|\b(?:what|which) (?:date|day)\b", re.I
)
# A day of the month in a date ("Sept. 25", "on 3 March", "August 26, 2021"), not a year
# nor a span ("a 10-year pact", "3 days"), looked for this many characters around a date.
_DAY_OF_MONTH = re.compile(
    r"\b(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b(?!-|\s*(?:years?|months?|weeks?|days?)\b)"
)
_DAY_CONTEXT = 4


def gives_day(question: str, sentence: str, start: int, end: int) -> bool:
    """The sentence's date at start-end answers a question asking for a day only if it
    gives one."""
    around = sentence[max(0, start - _DAY_CONTEXT) : end + _DAY_CONTEXT]
    return not _DAY_ASKED.search(question) or bool(_DAY_OF_MONTH.search(around))


# A date asked to the month ("In which month of 2021…"): the year alone doesn't answer.
_MONTH_ASKED = re.compile(r"\b(?:what|which) months?\b", re.I)


def asks_month(question: str) -> bool:
    return bool(_MONTH_ASKED.search(question))


# A date asked to the year ("In what year…", "which year"): "in October" doesn't answer.
_YEAR_ASKED = re.compile(r"\b(?:what|which) years?\b", re.I)


def gives_year(question: str, sentence: str) -> bool:
    """A sentence answers a question asking for a year only if it states one."""
    return not _YEAR_ASKED.search(question) or bool(YEAR.search(sentence))


# A question about a photo ("…photographed…", "the picture of…"): the captions say.
_PHOTO_ASKED = re.compile(r"\b(?:photo\w*|pictur\w*|images?|captions?|poster)\b", re.I)


def asks_about_photo(question: str) -> bool:
    return bool(_PHOTO_ASKED.search(question))


# A name's appositive that calls it by the noun asked for: "Balochistan, the country's
# largest but most volatile province," answers "Which province…", as do "World Liberty
# Financial, a company in which…" and "the Green Alliance—the climate initiative—".
_APPOSITIVE = re.compile(
    r"(?:,\s+|\s*[—–]\s*)(?:the|a|an|its|their|[\w.-]+['’]s)\s+([^,;.—–]{0,60}?)"
    r"(?=[,;.—–)]|\s+(?:in which|which|who|that|whose|where)\b|$)"
)


# Nouns for one kind of thing: "the firm X" names the company a question asks for.
_SAME_KIND = (frozenset(stem(w) for w in word_set("company firm corporation conglomerate")),)


def _names_slot(word: str, slot: str) -> bool:
    return word == slot or any(word in kind and slot in kind for kind in _SAME_KIND)


def called(before: str, after: str, slot: str) -> bool:
    """The name is called by the noun asked for, or one for the same kind of thing, in
    apposition after it or right before it ("with the firm U.S. Strategic Metals")."""
    found = _APPOSITIVE.match(after)
    if found is not None and any(_names_slot(stem(w), slot) for w in tokens(found[1])):
        return True
    return any(_names_slot(stem(w), slot) for w in tokens(before)[-1:])


# Nouns a person's name may modify to name a group instead ("the Trump family", "the
# Trump administration"): that names no person who answers "Who…".
_GROUPS = re.compile(
    r"^\s+(?:family|administration|government|team|campaign|era|presidency|camp|circle)\b"
)


def names_group(after: str) -> bool:
    """The text right after a person's name makes it a group's ("… family")."""
    return bool(_GROUPS.match(after))


# A question asking what will come of something ("What will happen to…", "What would
# become of…", "What could Pakistan do…"): only a sentence that predicts or supposes
# answers it, not one that tells of the thing as it stands.
_PREDICTION_ASKED = re.compile(
    r"\bwhat (?:will|would|could|might) (?:\w+ ){0,4}?(?:happen|become|do|use)\b", re.I
)
_PREDICTS = re.compile(
    r"\b(?:will|would|could|might|may|likely|unlikely|expected|set to|poised|risk\w*|"
    r"threaten\w*|going to|if)\b|['’]ll\b",
    re.I,
)


def asks_prediction(question: str) -> bool:
    return bool(_PREDICTION_ASKED.search(question))


def predicts(sentence: str) -> bool:
    return bool(_PREDICTS.search(sentence))
