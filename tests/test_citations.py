"""Marker parsing, validation, renumbering and support checks (pure functions)."""

from __future__ import annotations

from rag.citations import (
    StreamRenumberer,
    attach_quotes,
    parse_markers,
    renumber,
    unsupported_sentences,
)
from rag.schema import Passage


def _passages(n: int) -> list[Passage]:
    texts = [
        "Tariffs on Pakistani goods were lowered from 29% to 19%. Trade talks went on.",
        "Bilal Bin Saqib was named minister for crypto and blockchain in May.",
        "Reko Diq is a large gold and copper reserve in Balochistan.",
    ]
    return [
        Passage(f"00{i}", f"Title {i}", i + 1, texts[i % 3], score=1.0 - i / 10) for i in range(n)
    ]


def test_parse_markers_accepts_lists_and_ranges() -> None:
    assert parse_markers("a [1] b [2, 3] c [4-6] d [7][1]") == [1, 2, 3, 4, 5, 6, 7, 1]


def test_renumber_by_first_appearance_and_drop_invalid() -> None:
    text, citations = renumber(
        "Crypto minister named [2]. Tariffs fell [1][9]. Again [2].", _passages(3)
    )
    assert text == "Crypto minister named [1]. Tariffs fell [2]. Again [1]."
    assert [(c.marker, c.article_id, c.paragraph) for c in citations] == [
        (1, "001", 2),
        (2, "000", 1),
    ]
    assert citations[0].text.startswith("Bilal Bin Saqib")


def test_renumber_removes_markers_pointing_nowhere() -> None:
    text, citations = renumber("Unfounded claim [7]. Zero [0].", _passages(2))
    assert text == "Unfounded claim. Zero."
    assert citations == []


def test_every_marker_in_renumbered_text_resolves() -> None:
    text, citations = renumber("A [3] B [1, 3] C [2] D [5]", _passages(3))
    markers = set(parse_markers(text))
    assert markers == {c.marker for c in citations} == {1, 2, 3}


def test_stream_renumberer_matches_whole_text_renumbering() -> None:
    raw = "Crypto minister named [2]. Tariffs fell [1][9]. Again [2]."
    deltas = ["Crypto minister named [", "2", "]. Tariffs fell [1", "][9]. Ag", "ain [2]."]
    stream = StreamRenumberer(3)
    out = "".join(stream.feed(d) for d in deltas) + stream.flush()
    assert parse_markers(out) == parse_markers(renumber(raw, _passages(3))[0])


def test_unsupported_sentences_flags_uncited_and_unsupported_claims() -> None:
    text, citations = renumber(
        "Tariffs on Pakistani goods were lowered to 19% [1]. "
        "The moon is made of cheese [1]. Nothing cites this sentence.",
        _passages(1),
    )
    flagged = unsupported_sentences(text, citations)
    assert flagged == ["The moon is made of cheese [1].", "Nothing cites this sentence."]


def test_attach_quotes_picks_the_supporting_sentence() -> None:
    text, citations = renumber("Trade talks went on [1].", _passages(1))
    assert attach_quotes(text, citations)[0].quote == "Trade talks went on."
