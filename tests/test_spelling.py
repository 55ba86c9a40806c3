"""Names read as the articles spell them (rag.spelling), on invented texts."""

from __future__ import annotations

import pytest

from rag.spelling import Spellings, skeleton

TEXTS = (
    "General Asim Munir met Prime Minister Shehbaz Sharif in Islamabad.",
    "The Reko Diq mine is run by the Frontier Works Organization.",
    "Iran and Imran Khan appear here; so does the Pakistan Crypto Council.",
)


@pytest.fixture(scope="module")
def spellings() -> Spellings:
    return Spellings(TEXTS)


def test_a_skeleton_keeps_the_consonants_as_they_sound() -> None:
    assert skeleton("Muneer") == skeleton("Munir") == "mnr"
    assert skeleton("Dik") == skeleton("Diq")
    assert skeleton("Organisation") == skeleton("Organization")


@pytest.mark.parametrize(
    ("question", "read", "note"),
    [
        ("Who is Asim Muneer?", "Who is Asim Munir?", "“Muneer” as “Munir”"),
        ("What did Shahbaz Sharif say?", "What did Shehbaz Sharif say?", "“Shahbaz” as “Shehbaz”"),
        ("Who runs Reko Dik?", "Who runs Reko Diq?", "“Dik” as “Diq”"),
        ("What does the Crypto Counsil do?", "What does the Crypto Council do?", "“Counsil”"),
        ("Who is Ásim Munir?", "Who is Asim Munir?", "“Ásim” as “Asim”"),
    ],
)
def test_a_name_spelled_otherwise_is_read_as_the_articles_spell_it(
    spellings: Spellings, question: str, read: str, note: str
) -> None:
    respelled, notes = spellings.respell(question)
    assert respelled == read
    assert len(notes) == 1
    assert note in notes[0]


@pytest.mark.parametrize(
    "question",
    [
        "Who is Imran Khan?",  # the articles' own spelling
        "What is the weather in Lahore?",  # no such name in the articles
        "Who is Malala Yousafzai?",
        "What does Iran want?",  # a word the corpus uses is never changed
    ],
)
def test_names_the_articles_use_or_lack_are_left_as_written(
    spellings: Spellings, question: str
) -> None:
    assert spellings.respell(question) == (question, [])


def test_a_name_two_names_could_be_is_left_as_written() -> None:
    twice = Spellings(["Munir spoke.", "Manar replied."])  # both are "mnr"
    assert twice.respell("What did Muneer say?") == ("What did Muneer say?", [])


def test_a_name_typed_in_lower_case_is_read_with_its_capital() -> None:
    """Words the articles only ever capitalise, and use as a name on their own, are
    names: a question typed in lower case means them. Words they also write in lower
    case ("may"), or only inside a longer name ("Bank" of "World Bank"), are left as
    typed; the longer name typed whole is that name."""
    cased = Spellings(
        [
            "Later, Munir met officials in Islamabad.",
            "The World Bank lent to Pakistan. Officials may meet in May.",
        ]
    )
    assert cased.respell("may munir visit the world bank in islamabad") == (
        "may Munir visit the World Bank in Islamabad?",
        [],
    )
    assert cased.respell("is the bank in islamabad") == ("is the bank in Islamabad?", [])


def test_a_wh_word_run_into_did_is_read_as_both() -> None:
    """ "why'd munir go": the parser would read "why'd" as one word, and the question's
    verb as whatever came next."""
    cased = Spellings(["Later, Munir met officials in Islamabad."])
    assert cased.respell("why'd munir go to islamabad") == (
        "why did Munir go to Islamabad?",
        [],
    )
    assert cased.respell("How’d Munir get there?")[0] == "How did Munir get there?"
    assert cased.respell("Who'd Munir meet?")[0] == "Who'd Munir meet?"  # "would" or "had"
    assert cased.respell("whats munir's job")[0] == "what's Munir's job?"  # "is" run in


def test_what_a_question_is_for_is_not_what_it_asks() -> None:
    """ "For my essay on Kenya-Uganda ties: why did…": the names of the reader's purpose
    are no names an answer must hold. A lead-in that a pronoun of the question points
    back to stays, as does one that says no purpose."""
    cased = Spellings(["Later, Munir met officials in Islamabad."])
    asked = "For my essay on Kenya-Uganda ties: why did Munir go to Islamabad?"
    assert cased.respell(asked)[0] == "why did Munir go to Islamabad?"
    assert cased.respell("for my class - who did Munir meet")[0] == "who did Munir meet?"
    leans = "For my report I need background on Munir: where did he go?"
    assert cased.respell(leans)[0] == leans
    assert cased.respell("On the record: why did Munir go?")[0].startswith("On the record")


def test_a_negation_typed_without_its_apostrophe_is_a_negation() -> None:
    cased = Spellings(["Later, Munir met officials in Islamabad."])
    assert (
        cased.respell("why didnt Munir go to Islamabad")[0] == "why didn't Munir go to Islamabad?"
    )
    assert cased.respell("Munir dont want talks. why?")[0] == "Munir don't want talks. why?"
    assert cased.respell("why wont he go")[0] == "why won't he go?"


def test_words_typed_before_the_question_are_not_read_as_it() -> None:
    """ "wait whats a stablecoin", "ok so why did…": the filler hides the question's
    opening word; a sentence that only starts with such a word keeps it."""
    cased = Spellings(["Later, Munir met officials in Islamabad."])
    assert cased.respell("wait whats a stablecoin exactly?")[0] == "what's a stablecoin exactly?"
    assert cased.respell("ok so why did munir go")[0] == "why did Munir go?"
    assert cased.respell("Well-known facts about Munir?")[0] == "Well-known facts about Munir?"
    assert cased.respell("what r the names of Munir's aides")[0] == (
        "what are the names of Munir's aides?"
    )


def test_a_request_opening_the_question_is_no_name() -> None:
    """ "Name the militant…": the capital is the sentence's; "Name" is one letter from
    "Naeem", a name the articles use, but asks for one."""
    cased = Spellings(["Later, Naeem met officials in Islamabad."])
    assert cased.respell("Name the militant Pakistan caught")[0].startswith("Name the")
    assert cased.respell("Did Nayem meet them?")[0] == "Did Naeem meet them?"


def test_a_name_after_a_title_is_a_name_typed_without_it() -> None:
    """ "then-Prime Minister Imran Khan", "President Biden": typed "imran khan" or
    "biden", the name is the articles' without its title."""
    cased = Spellings(["Later, then-Prime Minister Imran Khan met President Biden in Islamabad."])
    assert cased.respell("did imran khan meet biden") == ("did Imran Khan meet Biden?", [])


def test_a_name_of_several_words_typed_in_lower_case_is_read_with_its_capitals() -> None:
    """ "imran khan", "new delhi": the parser then sees one name. The articles' "Khan’s",
    "U.S." and "Line of Control" are read as names too; words the articles also write in
    lower case side by side ("prime minister") are left as typed, and so is a name typed
    with a capital of its own."""
    cased = Spellings(
        [
            "Imran Khan’s party won. Khan met officials in New Delhi, under new rules.",
            "The firm U.S. Strategic Metals signed. The Line of Control held.",
            "The prime minister met Prime Minister Sharif.",
        ]
    )
    assert cased.respell("how long is imran khan jailed for") == (
        "how long is Imran Khan jailed for?",
        [],
    )
    assert cased.respell("why go to new delhi?")[0] == "why go to New Delhi?"
    assert cased.respell("what did u.s. strategic metals sign")[0] == (
        "what did U.S. Strategic Metals sign?"
    )
    assert cased.respell("where is the line of control")[0] == "where is the Line of Control?"
    assert cased.respell("who is the prime minister")[0] == "who is the prime minister?"
    assert cased.respell("who is New delhi's envoy")[0] == "who is New delhi's envoy?"


def test_lower_case_initials_of_a_name_the_articles_spell_out_are_that_name() -> None:
    """ "ifc" (or "IFC") is the International Finance Corporation, which the articles only
    spell out: it is read as that name, so retrieval and the gate look for the words the
    articles use, and the reader is told. Initials that are a word of the articles ("pan")
    stay as typed; initials of two names the articles spell out are read in capitals."""
    cased = Spellings(
        [
            "Later, the International Finance Corporation lent to the project.",
            "The Pakistan Crypto Council met. The Pakistan Army Network met over a pan of rice.",
        ]
    )
    read, notes = cased.respell("how much did the ifc lend")
    assert read == "how much did the International Finance Corporation lend?"
    assert notes == [
        "read “ifc” as “International Finance Corporation”, which the articles spell out"
    ]
    assert cased.respell("what did the PCC say?")[0] == "what did the Pakistan Crypto Council say?"
    assert cased.respell("what was in the pan") == ("what was in the pan?", [])
    twice = Spellings(["The Pakistan Crypto Council met.", "The Pakistan Cricket Council met."])
    assert twice.respell("what did the pcc say") == ("what did the PCC say?", [])


def test_a_name_in_capitals_is_a_name_wherever_it_stands() -> None:
    """Capitals at a sentence's start or after "(" may only open it; a word all in
    capitals is a name there too ("(NIFTAC)"), so "niftac" typed in lower case means it."""
    cased = Spellings(
        [
            "Kenya set up a new Threat Assessment Centre (NIFTAC) with its neighbours.",
            "KRA collects the taxes. The budget grew.",
        ]
    )
    assert cased.respell("when was niftac set up") == ("when was NIFTAC set up?", [])
    assert cased.respell("who runs kra") == ("who runs KRA?", [])
    assert cased.respell("when did the budget grow") == ("when did the budget grow?", [])


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("Wher did Munir meet Sharif?", "Where did Munir meet Sharif?"),  # not "when"
        ("Whta is the Reko Diq mine?", "What is the Reko Diq mine?"),
        ("whn did Munir meet Sharif?", "when did Munir meet Sharif?"),
        ("Hwo did Munir meet Sharif?", "Hwo did Munir meet Sharif?"),  # how or who: as typed
        ("Iran met whom?", "Iran met whom?"),  # a word the articles use
    ],
)
def test_a_mistyped_wh_word_is_read_as_the_likeliest_one(
    spellings: Spellings, question: str, read: str
) -> None:
    assert spellings.respell(question)[0] == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("what is a stablecoin", "what is a stablecoin?"),
        ("Did Munir meet Sharif  ", "Did Munir meet Sharif?"),
        ("Who is Imran Khan?", "Who is Imran Khan?"),
        ("Tell me about Munir", "Tell me about Munir"),  # a request, not a question
        ("What did Munir say.", "What did Munir say."),
    ],
)
def test_a_question_typed_without_its_question_mark_is_read_with_one(
    spellings: Spellings, typed: str, read: str
) -> None:
    assert spellings.respell(typed) == (read, [])


def test_a_keyword_fragment_is_read_as_its_question_and_says_so() -> None:
    cased = Spellings(["Later, Munir met officials in Islamabad."])
    read, notes = cased.respell("munir islamabad visit date")
    assert read == "What is the date of Munir Islamabad visit?"
    assert notes == [f"read “munir islamabad visit date” as “{read}”"]


# The language's words, as the embedder lists them (rag.embeddings.known_words): a few.
ENGLISH = frozenset({"react", "say", "about", "how", "did", "the", "deal", "xi", "tariffs"})


def test_words_neither_the_articles_nor_the_language_use_side_by_side_are_a_name() -> None:
    """ "xi jinping" is typed in lower case: the articles never use its words, nor does
    the language ("xi" is short, as names' parts often are), so it is a name they never
    mention. A single such word may be a slip; one off an article's word is a slip."""
    cased = Spellings(["Later, Munir met officials in Islamabad about the deal."], ENGLISH)
    asked, notes = cased.respell("how did xi jinping react to the deal")
    assert asked == "how did Xi Jinping react to the deal?"
    assert not notes
    assert cased.respell("how did jinping react")[0] == "how did jinping react?"
    assert cased.respell("how did xi islamabd react")[0] == "how did xi Islamabad react?"
    # without the language's words, nothing is told from a name
    plain = Spellings(["Later, Munir met officials in Islamabad about the deal."])
    assert plain.respell("how did xi jinping react")[0] == "how did xi jinping react?"


def test_a_slip_typed_in_lower_case_is_read_as_the_nearest_name() -> None:
    cased = Spellings(["Pakistan and Pakistani officials met in Islamabad."], ENGLISH)
    asked, notes = cased.respell("what tariffs did pakistn lower")
    assert asked == "what tariffs did Pakistan lower?"
    assert notes == ["read “pakistn” as “Pakistan”, as the articles spell it"]
    # a word of the language is no slip, whatever name it is near
    assert cased.respell("what did the deal say")[0] == "what did the deal say?"
