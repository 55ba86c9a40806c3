"""Names typed in lower case, read with their capitals (rag.casing, through
rag.spelling's `Spellings.respell`), on invented texts."""

from __future__ import annotations

from rag.casing import Phrases, case_given_names, case_places, case_short_forms
from rag.spelling import Spellings

# Words of the language, as the embedder's vocabulary would give them.
ENGLISH = frozenset({"did", "what", "say", "about", "the", "deal", "irritate", "trump"})


def test_a_name_after_its_titles_is_a_name_typed_without_them() -> None:
    """ "Foreign Minister and Deputy Prime Minister Ishaq Dar": the name is the words
    after the last title, however the titles are joined; a dash run into the word before
    ("September—and Prime Minister Shehbaz Sharif") ends that word's name."""
    phrases = Phrases(
        [
            "Foreign Minister and Deputy Prime Minister Ishaq Dar’s visit mattered.",
            "He met Munir in September—and Prime Minister Shehbaz Sharif, twice.",
        ]
    )
    assert phrases.case("what did ishaq dar say") == "what did Ishaq Dar say"
    assert phrases.case("did shehbaz sharif go") == "did Shehbaz Sharif go"


def test_the_last_words_of_a_name_are_typed_for_it_too() -> None:
    """ "the UN Security Council": "security council" typed in lower case is its name."""
    phrases = Phrases(["It held the presidency of the UN Security Council in July."])
    assert phrases.case("what did the security council pass") == (
        "what did the Security Council pass"
    )


def test_a_name_s_initials_in_brackets_are_no_part_of_it() -> None:
    """ "National Development Complex (NDC)": typed without "(NDC)", still the name."""
    phrases = Phrases(["Sanctions on the state-owned National Development Complex (NDC) hurt."])
    assert phrases.case("why sanction the national development complex") == (
        "why sanction the National Development Complex"
    )


def test_a_name_typed_in_lower_case_but_for_its_initials_is_the_name() -> None:
    """ "us strategic metals" and "U.S. strategic metals" are "U.S. Strategic Metals";
    a name its writer typed with capitals of their own ("Kabul airport") is left so."""
    phrases = Phrases(["The firm U.S. Strategic Metals signed. The Kabul Airport attack."])
    assert phrases.case("is us strategic metals in it") == "is U.S. Strategic Metals in it"
    assert phrases.case("did U.S. strategic metals sign") == "did U.S. Strategic Metals sign"
    assert phrases.case("when was the Kabul airport attack") == "when was the Kabul airport attack"


def test_initials_and_the_country_us_are_read_in_capitals() -> None:
    """ "j.d. vance", "the us", "despite us pressure": initials and the country; "tell us
    what…" and "offer us money" keep the pronoun."""
    assert case_short_forms("what did j.d. vance say") == "what did J.D. vance say"
    assert case_short_forms("why did the us act") == "why did the US act"
    assert case_short_forms("why despite us pressure") == "why despite US pressure"
    assert case_short_forms("a deal with a us firm") == "a deal with a US firm"
    assert case_short_forms("can you tell us what happened") == ("can you tell us what happened")
    assert case_short_forms("did they offer us money") == "did they offer us money"
    assert case_short_forms("what did he say to us about it") == "what did he say to us about it"


def test_a_word_of_no_language_before_a_name_is_a_given_name() -> None:
    """ "narendra Modi" is one person's name; "irritate New Delhi" is no name, though
    "irritate" is no word the embedder holds whole, and neither is a word ending like one
    of the language's ("courting Munir")."""
    foreign = {"narendra", "irritate", "courting"}.__contains__
    assert case_given_names("what did narendra Modi say", foreign) == "what did Narendra Modi say"
    assert case_given_names("why irritate New Delhi", foreign) == "why irritate New Delhi"
    assert case_given_names("why was he courting Munir", foreign) == "why was he courting Munir"


def test_a_word_of_no_language_after_a_given_name_or_initial_is_a_surname() -> None:
    """ "scott bessent", "s. jaishankar": a surname of no language after a word or an
    initial, where the parser reads the two as a person; "the dar article foresee" is no
    name ("article" is a word of the articles'), nor "to bankroll" ("to" a small word)."""
    foreign = {"bessent", "jaishankar", "foresee", "bankroll"}.__contains__
    common = frozenset({"article"})
    assert case_given_names("what did scott bessent say", foreign, common) == (
        "what did Scott Bessent say"
    )
    assert case_given_names("what did s. jaishankar say", foreign, common) == (
        "what did S. Jaishankar say"
    )
    assert case_given_names("what did J.D. bessent say", foreign, common) == (
        "what did J.D. Bessent say"
    )
    assert case_given_names("does the dar article foresee", foreign, common) == (
        "does the dar article foresee"
    )
    assert case_given_names("who is going to bankroll it", foreign, common) == (
        "who is going to bankroll it"
    )


def test_a_short_name_in_capitals_is_read_in_them_and_given_names_only_typed_lower() -> None:
    """ "the un" is the articles' "UN" (two capitals, never a word of theirs in lower
    case); a given name is read only in a question typed all in lower case: a writer who
    types names with capitals meant the word before one as typed."""
    cased = Spellings(
        ["As Pakistan held the UN Security Council presidency, Modi spoke.", "Modi left."],
        ENGLISH,
    )
    assert cased.respell("what did dar say at the un")[0] == "what did dar say at the UN?"
    assert cased.respell("what did narendra modi say")[0] == "what did Narendra Modi say?"
    assert cased.respell("What did narendra Modi say?")[0] == "What did narendra Modi say?"


def test_countries_peoples_and_capitals_typed_in_lower_case_are_places() -> None:
    """ "japan", "south korea", "beijing": rag.aliases' names, read with capitals; its
    short ones are words too ("us") and left to `case_short_forms`."""
    assert case_places("how did japan and south korea do it") == (
        "how did Japan and South Korea do it"
    )
    assert case_places("did beijing react") == "did Beijing react"
    assert case_places("why did the us act") == "why did the us act"
