"""rag.definitions: which questions ask what a thing is, and which sentences say it."""

from __future__ import annotations

import pytest

from rag.definitions import DefinitionAsk, asked_definition, defines


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the Kalam copper mine?", DefinitionAsk("Kalam copper mine", False, named=True)),
        ("What exactly is a rail levy?", DefinitionAsk("rail levy", False)),
        ("What is a rail levy exactly?", DefinitionAsk("rail levy", False)),
        ("what is a rail levy", DefinitionAsk("rail levy", False)),  # typed without "?"
        ("What does the acronym EAC stand for?", DefinitionAsk("EAC", True)),
        ("How does the report define a transit fee?", DefinitionAsk("transit fee", False)),
        ("What kind of company is Rift Minerals?", DefinitionAsk("Rift Minerals", False)),
        # typed casually, or asked before a remark, or of a quoted term in a longer phrase
        ("what's a rail levy exactly?", DefinitionAsk("rail levy", False)),
        ("What's a rail levy? The reports keep naming it.", DefinitionAsk("rail levy", False)),
        (
            "How exactly does the report define the 'transit fee' it says Kenya lost?",
            DefinitionAsk("transit fee", False),
        ),
        ("What kind of firm is the operator?", DefinitionAsk("operator", False)),
        # the thing named first, then asked about by a pronoun
        ("Rail levy, what is it exactly?", DefinitionAsk("rail levy", False)),
        ("Rift Minerals — what is that?", DefinitionAsk("Rift Minerals", False, named=True)),
        # which kind, of what a place holds or an event took: no definition
        ("what kind of minerals are in western Kenya", None),
        ("What type of loan was signed?", None),
        # a common thing named bare, without "the" or "a"
        ("What is tokenization?", DefinitionAsk("tokenization", False)),
        ("What are rail levies?", DefinitionAsk("rail levies", False)),
        # attributes and other asks, not definitions
        ("What is the levy?", None),
        ("What is known about the levy on imported rice?", None),
        ("What is Kenya's population?", None),
        ("What is the main reason for the deal?", None),
        ("What is the dollar value of the loan?", None),
    ],
)
def test_asked_definition(question: str, expected: DefinitionAsk | None) -> None:
    assert asked_definition(question) == expected


MINE = DefinitionAsk("Kalam copper mine", False, named=True)
EAC = DefinitionAsk("EAC", True)


@pytest.mark.parametrize(
    ("ask", "sentence", "said"),
    [
        (MINE, "The Kalam copper mine, the largest in Kenya, reopened.", True),
        (MINE, "The Kalam copper mine is a joint venture of two firms.", True),
        (MINE, "Output at the Kalam copper mine rose in 2022.", False),  # only named
        (MINE, "Its biggest asset, the Kalam copper mine, reopened.", True),
        (DefinitionAsk("Uganda", False), "Kenya, Uganda, and Rwanda met.", False),  # a list
        (EAC, "Members of the East African Community (EAC) met in Arusha.", True),
        (EAC, "Key EAC members met in Arusha.", False),
        # an appositive says what it is, not what the letters stand for
        (EAC, "The EAC, a bloc of eight states, met in Arusha.", False),
    ],
)
def test_defines(ask: DefinitionAsk, sentence: str, said: bool) -> None:
    assert defines(ask, sentence) is said


def test_a_name_not_defined_fails_by_half() -> None:
    """ "What is the Kalam copper mine?" may be served by what the articles tell of it;
    "What is a rail levy?" only by a definition."""
    assert MINE.strictness < 1.0
    assert DefinitionAsk("rail levy", False).strictness == 1.0
