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


def test_a_sentence_saying_the_question_in_other_words_covers_more_of_it(embed_model) -> None:  # type: ignore[no-untyped-def]
    kin = WordKin(embed_model)
    frame = analyse("What do the exchange visits do for the bond between the two societies?")
    idf = {"": 1.0}
    ties, rails, exact = kin.covers(
        frame,
        [
            "This strengthens people-to-people ties between the two countries.",
            "The railway carries more rice than maize between the two ports.",
            "The exchange visits strengthen the bond between the two societies.",
        ],
        idf,
    )
    assert exact == 1.0  # every word stated: no likeness needed
    assert ties > rails  # "ties" says "bond", in part
    assert 0.0 < rails < ties < 1.0


def test_names_are_only_matched_as_written(embed_model) -> None:  # type: ignore[no-untyped-def]
    kin = WordKin(embed_model)
    frame = analyse("What did Kenya sign with Tanzania?")
    told, other = kin.covers(frame, ["Kenya signed a pact.", "Uganda signed a pact."], {"": 1.0})
    assert told > other  # Uganda is not Kenya, however alike their vectors
    assert kin.covers(analyse("Who?"), ["Kenya signed a pact."], {}) == [0.0]


def test_the_word_vectors_are_kept_on_disk_for_one_model(embed_model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nlp" / "words.npz"
    kin = WordKin(embed_model, path)
    kin.fill(["Otieno was jailed and is serving a sentence."])
    kin.save()
    again = WordKin(embed_model, path)
    assert {"jailed", "serving", "sentence"} <= set(again._vectors)
    saved, loaded = kin._vectors_of(["jailed"])["jailed"], again._vectors["jailed"]
    assert float(saved @ loaded) > 0.999  # float16 on disk is close enough

    class Other:  # another embedding model's vectors are not these
        model_name = "another-model"

    assert WordKin(Other(), path)._vectors == {}  # type: ignore[arg-type]
    whole = path.read_bytes()
    for damaged in (b"not an npz file", whole[: len(whole) // 2]):
        path.write_bytes(damaged)
        assert WordKin(embed_model, path)._vectors == {}  # ignored, rewritten at ingest


def test_no_words_to_keep_is_no_error(embed_model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "words.npz"
    kin = WordKin(embed_model, path)
    kin.fill(["NATO and the EU met."])  # names only: nothing to compare
    kin.save()
    assert WordKin(embed_model, path)._vectors == {}
