"""Words of like meaning (rag.kin), with the real bundled MiniLM model."""

from __future__ import annotations

from rag.kin import WordKin
from rag.question import analyse
from rag.text import stem


def test_a_modifier_said_in_another_word_is_stated(embed_model) -> None:  # type: ignore[no-untyped-def]
    kin = WordKin(embed_model)
    frame = analyse("How long is the prison sentence Otieno is serving?")
    sentence = "Otieno was jailed last year and is serving a nine-year sentence."
    assert stem("prison") in kin.stated(frame, sentence)


def test_another_kind_of_the_thing_is_not_kin(embed_model) -> None:  # type: ignore[no-untyped-def]
    kin = WordKin(embed_model)
    # "trade deal" asked; a deal to deliver minerals is another deal, and "deal" itself,
    # the question's own word, never says "trade"
    frame = analyse("What was the value of the trade deal?")
    sentence = "The firm signed a deal to deliver copper and other minerals."
    assert kin.stated(frame, sentence) == frozenset()
    # names are never compared: "Jail Road" is a street, not a prison
    frame = analyse("How long is the prison sentence Otieno is serving?")
    sentence = "Otieno lives on Jail Road and is serving a nine-year sentence."
    assert kin.stated(frame, sentence) == frozenset()
