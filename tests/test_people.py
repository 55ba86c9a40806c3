"""Who's who: names cleaned and merged across variants, roles read as stated, every
mentioning paragraph found, grouped by article; places and photo credits left out."""

from __future__ import annotations

import pytest
from seed_passages import seed_entities, seed_passages

from rag.api import Pipeline
from rag.findings import Person
from rag.names import (
    acronyms,
    clean_name,
    glued,
    mention_spans,
    merge_variants,
    name_shape_ok,
    person_names,
)
from rag.nlp import Entity
from rag.roles import kind_of, kinds_in, names_kind, roles_at
from rag.whoswho import build_people, find_entry, people_of


# --- names --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("span", "name"),
    [
        ("the World Bank’s", "World Bank"),
        ("Ishaq Dar’s", "Ishaq Dar"),
        ("Field Marshal Munir", "Munir"),
        ("Gen. Asim Munir", "Asim Munir"),
        ("The Frontier Works Organization", "Frontier Works Organization"),
        ("Foreign Policy", "Foreign Policy"),  # "Foreign" begins names too
        ("U.S.", "U.S."),
    ],
)
def test_clean_name(span: str, name: str) -> None:
    assert clean_name(span) == name


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("Asim Munir", True),
        ("Bilal Bin Saqib", True),
        ("Center for International Strategic Studies", True),
        ("meme coin", False),
        ("Farooq Naeem/AFP", False),
        ("Sept. 25.White", False),
        ("Indo-Pacific region", False),
    ],
)
def test_name_shape(name: str, ok: bool) -> None:
    assert name_shape_ok(name) is ok


def test_glued_spans_are_parts_of_longer_names() -> None:
    text = "Secretary of State Marco Rubio on Sept. 25.White House photographer; $TRUMP coin"
    assert glued(text, text.index("State"), text.index("State") + 5)
    assert glued(text, text.index("House"), text.index("House") + 5)
    assert glued(text, text.index("TRUMP"), text.index("TRUMP") + 5)
    assert not glued(text, text.index("Marco"), text.index("Rubio") + 5)


def test_acronyms_need_matching_initials() -> None:
    text = (
        "officials of the Central Intelligence Agency (CIA) and the US Agency for "
        "International Development (USAID) met Pakistan and the United States (US)."
    )
    pairs = {(long, short) for long, short, _, _ in acronyms(text)}
    assert ("Central Intelligence Agency", "CIA") in pairs
    assert ("US Agency for International Development", "USAID") in pairs
    assert ("United States", "US") in pairs  # found, then dropped as a place by its votes


def test_one_word_goes_to_the_single_full_name_or_the_first_introduced() -> None:
    groups = merge_variants(
        [
            ("Steve Witkoff", "PERSON", 1),
            ("Witkoff", "ORG", 2),
            ("Zach Witkoff", "PERSON", 3),
            ("Zach", "PERSON", 4),
            ("Asim Munir", "PERSON", 5),
            ("Munir", "GPE", 6),
        ]
    )
    by_name = {g.name: g.variants for g in groups}
    assert by_name["Steve Witkoff"] == {"Steve Witkoff", "Witkoff"}
    assert by_name["Zach Witkoff"] == {"Zach Witkoff", "Zach"}
    assert by_name["Asim Munir"] == {"Asim Munir", "Munir"}


def test_mentions_count_the_longest_variant_once() -> None:
    owners = {"Steve Witkoff": 0, "Witkoff": 0, "Zach Witkoff": 1, "Sheikh": 2}
    text = "Zach Witkoff met Witkoff's friends in Sharm El-Sheikh; Sheikh said so."
    found = [(text[s:e], who) for s, e, who in mention_spans(text, owners)]
    assert found == [("Zach Witkoff", 1), ("Witkoff", 0), ("Sheikh", 2)]


# --- roles --------------------------------------------------------------------------------
CIA_ISI = (
    "Before this high-profile capture, senior officials of the Central Intelligence Agency "
    "(CIA), a US government agency dealing with foreign intelligence and national security, "
    "and its Pakistani counterpart Inter-Services Intelligence (ISI), were in contact."
)


def role_of(sentence: str, name: str) -> list[str]:
    at = sentence.index(name)
    return [text for text, _ in roles_at(sentence, at, at + len(name))]


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ("He met Secretary of State Marco Rubio today.", "Marco Rubio", "Secretary of State"),
        ("“Field Marshal Munir is in that category.”", "Munir", "Field Marshal"),
        (
            "It hired Canadian mining company Barrick Gold.",
            "Barrick Gold",
            "Canadian mining company",
        ),
        (
            "said Uzair Younus, a principal at the Asia Group in Washington, D.C.",
            "Uzair Younus",
            "a principal at the Asia Group in Washington",
        ),
        (
            "including the country’s powerful military chief, Asim Munir—whom he hosted",
            "Asim Munir",
            "the country’s powerful military chief",
        ),
        (
            "along with Steve Witkoff, who is now his administration’s Middle East envoy.",
            "Steve Witkoff",
            "his administration’s Middle East envoy",
        ),
        (
            "Bilal Bin Saqib, was named Pakistan’s minister for crypto and blockchain in May.",
            "Bilal Bin Saqib",
            "Pakistan’s minister for crypto and blockchain",
        ),
        (
            "Nawal Nawaz is a Research Assistant at the Center (CISS), Islamabad.",
            "Nawal Nawaz",
            "a Research Assistant at the Center",
        ),
        (
            CIA_ISI,
            "Central Intelligence Agency",
            "a US government agency dealing with foreign intelligence and national security",
        ),
        (
            CIA_ISI,
            "CIA",
            "a US government agency dealing with foreign intelligence and national security",
        ),
        (CIA_ISI, "Inter-Services Intelligence", "its Pakistani counterpart"),
        (
            "The arrest and extradition of the Islamic State Khorasan (IS-K) terrorist, "
            "Sharifullah, the man behind the attack, highlights the partnership.",
            "Sharifullah",
            "the Islamic State Khorasan (IS-K) terrorist",
        ),
        (
            "The resurgence of militant groups like the Tehreek-e-Taliban Pakistan (TTP) has "
            "positioned Pakistan as a critical player.",
            "Tehreek-e-Taliban Pakistan",
            "militant groups",
        ),
    ],
)
def test_roles_as_stated(sentence: str, name: str, role: str) -> None:
    assert role in role_of(sentence, name)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("In a photo released by the White House, Trump and Sharif talk.", "Trump"),
        ("As observed by Edward Frantz, a US historian, Trump, a baby boomer, won.", "Trump"),
        (
            "In perhaps an unusual level of engagement for a company, Witkoff’s son Zach met.",
            "Witkoff",
        ),
        (
            "He hosted him in June and September—and Prime Minister Shehbaz Sharif.",
            "Shehbaz Sharif",
        ),
    ],
)
def test_no_role_from_neighbouring_words(sentence: str, name: str) -> None:
    roles = role_of(sentence, name)
    assert all(r in ("Prime Minister",) for r in roles), roles


def test_role_nouns_say_what_a_name_is() -> None:
    assert kind_of("a company in which the family holds a stake") == "ORG"
    assert kind_of("the country’s largest but most volatile province") == "PLACE"
    assert kind_of("Secretary of State") == "PERSON"
    assert kind_of("a baby boomer and football fan") is None
    # the head of the phrase, not its first role noun
    assert kind_of("the Islamic State Khorasan (IS-K) terrorist") == "PERSON"
    assert kind_of("militant groups") == "ORG"
    assert kind_of("The Pakistan Crypto Council’s CEO") == "PERSON"
    assert kind_of("a key engineering branch of the Pakistani military") == "ORG"
    assert kind_of("its Pakistani counterpart") is None  # a role of any kind


def test_no_role_from_slogans_and_no_stray_abbreviated_title() -> None:
    poster = "The poster reads: “Alert President Trump: Remind America’s enemy.”"
    assert "Alert President" not in role_of(poster, "Trump")
    billboard = (
        "Commuters await transport near a billboard featuring Pakistan Chief of the Army "
        "Staff Gen. Asim Munir, along a street in Rawalpindi."
    )
    assert role_of(billboard, "Asim Munir") == ["Pakistan Chief of the Army Staff"]
    assert role_of("He met Gen. Asim Munir.", "Asim Munir") == ["Gen."]


def test_kinds_of_things_the_texts_name() -> None:
    kinds = kinds_in(
        [
            "deliver minerals such as copper and antimony to the United States",
            "Balochistan’s rich reserves of copper, lithium, gold, and rare earths for investment",
            "home to vast reserves of gold, copper, and other minerals estimated to be worth",
            "untapped reserves, oil, gas, rare earth, and critical minerals in Balochistan",
        ]
    )
    assert kinds["mineral"] == {
        ("copper",),
        ("antimony",),
        ("lithium",),
        ("gold",),
        ("rare", "earth"),
    }  # not oil or gas: their list names minerals themselves
    assert names_kind("Opening up reserves of copper and lithium", kinds["mineral"])
    assert names_kind("a boon beyond rare earth", kinds["mineral"])
    assert not names_kind("a settlement with Barrick Gold", kinds["mineral"])


# --- the seed corpus (no index needed) -----------------------------------------------------
@pytest.fixture(scope="module")
def entries() -> dict[str, Person]:
    return {e.name: e for e in build_people(seed_passages(), seed_entities())}


def labels(entry: Person, article: str) -> list[str]:
    return [r.label for r in entry.mentions.get(article, [])]


def test_asim_munir_with_his_roles_and_every_mention(entries: dict[str, Person]) -> None:
    munir = entries["Asim Munir"]
    assert munir.label == "PERSON"
    assert "Munir" in munir.aliases
    assert munir.role == "the country’s powerful military chief"
    stated = {(r.text, r.ref.cite) for r in munir.roles}
    assert ("General", "000 ¶3") in stated
    assert ("Field Marshal", "004 ¶10") in stated
    assert labels(munir, "000") == ["¶3"]
    assert {"¶2", "¶3", "¶4", "¶10", "¶24", "¶29", "caption 2"} <= set(labels(munir, "004"))
    assert set(munir.mentions) == {"000", "004"}


@pytest.mark.parametrize(
    ("name", "label", "role", "article"),
    [
        ("Shehbaz Sharif", "PERSON", "Prime Minister", "004"),
        ("Rizwan Saeed Sheikh", "PERSON", "Pakistan’s current ambassador to Washington", "004"),
        (
            "Frontier Works Organization",
            "ORG",
            "a key engineering branch of the Pakistani military",
            "004",
        ),
        (
            "World Liberty Financial",
            "ORG",
            "a company in which the Trump family holds a 60% ownership stake",
            "001",
        ),
        ("Bilal Bin Saqib", "PERSON", "Pakistan’s minister for crypto and blockchain", "004"),
        ("Ishaq Dar", "PERSON", "Foreign Minister and Deputy Prime Minister", "000"),
        ("Barrick Gold", "ORG", "Canadian mining company", "004"),
    ],
)
def test_named_people_and_organisations(
    entries: dict[str, Person], name: str, label: str, role: str, article: str
) -> None:
    entry = entries[name]
    assert (entry.label, entry.role) == (label, role)
    assert article in entry.mentions


def test_roles_after_acronyms_before_names_and_of_classes(entries: dict[str, Person]) -> None:
    def roles(name: str) -> list[str]:
        return [r.text for r in entries[name].roles]

    assert "a US government agency dealing with foreign intelligence and national security" in (
        roles("Central Intelligence Agency")
    )
    assert "its Pakistani counterpart" in roles("Inter-Services Intelligence")
    assert "militant groups" in roles("Tehreek-e-Taliban Pakistan")
    assert entries["Tehreek-e-Taliban Pakistan"].label == "ORG"
    assert any("terrorist" in r for r in roles("Mohammad Sharifullah"))
    # no role from a caption's poster text, none ending in a stray "Gen."
    assert not any(r.startswith("Alert") for r in roles("Donald Trump"))
    assert not any(
        r.ref.kind == "caption" and r.ref.paragraph == 7 for r in entries["Donald Trump"].roles
    )
    assert "Pakistan Chief of the Army Staff" in roles("Asim Munir")
    assert not any(r.endswith("Gen.") for r in roles("Asim Munir"))


def test_variants_merge_and_namesakes_stay_apart(entries: dict[str, Person]) -> None:
    assert "Dar" in entries["Ishaq Dar"].aliases
    assert labels(entries["Ishaq Dar"], "000") == ["¶1", "¶3", "¶4", "¶7", "¶9", "¶11", "¶13"]
    assert "Biden" in entries["Joe Biden"].aliases  # "Biden" in 000, "Joe Biden" in 004
    assert set(entries["Joe Biden"].mentions) == {"000", "004"}
    assert "CIA" in entries["Central Intelligence Agency"].aliases
    assert labels(entries["Zach Witkoff"], "004") == ["¶29", "¶32"]
    assert "¶32" not in labels(entries["Steve Witkoff"], "004")  # "Zach Witkoff" there
    # "Sharm El-Sheikh" is a place, not the ambassador
    assert "caption 12" not in labels(entries["Rizwan Saeed Sheikh"], "004")


def test_places_nationalities_credits_and_junk_are_left_out(entries: dict[str, Person]) -> None:
    for name in (
        "Balochistan",
        "Pakistan",
        "Pakistanis",
        "Commuters",
        "House",
        "State",
        "Getty Images",
        "United States",
        "Policy",
        "Direct Investments",
    ):
        assert name not in entries, name
    assert all(e.label in ("PERSON", "ORG") for e in entries.values())


def test_mentions_are_grouped_by_article_in_reading_order(entries: dict[str, Person]) -> None:
    order = {p.key: i for i, p in enumerate(seed_passages())}
    for entry in entries.values():
        for article, refs in entry.mentions.items():
            assert all(r.article_id == article for r in refs)
            keys = [order[(r.article_id, r.kind, r.paragraph)] for r in refs]
            assert keys == sorted(keys)
            assert len(set(keys)) == len(keys)


# --- through the pipeline -----------------------------------------------------------------
@pytest.mark.slow
def test_people_of_the_index_and_lookup_by_any_form(seeded_pipeline: Pipeline) -> None:
    found = people_of(seeded_pipeline)
    assert found is people_of(seeded_pipeline)  # computed once per corpus
    assert found[0].count >= found[-1].count
    munir = find_entry(seeded_pipeline, "Field Marshal Munir")
    assert munir is not None
    assert munir.name == "Asim Munir"
    assert find_entry(seeded_pipeline, "cia") is not None
    assert find_entry(seeded_pipeline, "Nobody Atall") is None
    data = munir.to_dict()
    assert data["role"]
    assert data["mentions"]["000"] == ["¶3"]


def test_person_names_are_full_names_and_surnames_of_people() -> None:
    found = [
        Entity("Ishaq Dar", "PERSON", 0, 9),
        Entity("Minister Joseph Mwangi’s", "PERSON", 20, 44),
        Entity("Dar", "GPE", 60, 63),  # a bare surname tells nothing by itself
        Entity("Rift Minerals", "ORG", 70, 83),
        Entity("Nairobi", "PERSON", 90, 97),  # one word: not a full name
    ]
    assert person_names(found) == {"Ishaq Dar", "Dar", "Joseph Mwangi", "Mwangi"}
