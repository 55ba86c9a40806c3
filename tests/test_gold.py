"""Validate the hand-written gold question set in eval/gold.jsonl against the corpus.

Offline and fast: parses the seed articles with rag.corpus only (no models).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.run import TYPES as GOLD_TYPES
from rag.corpus import Article, load_corpus

REPO = Path(__file__).resolve().parents[1]
GOLD_PATH = REPO / "eval" / "gold.jsonl"
SEEDS = REPO / "seeds"

# "metadata" questions (author, outlet, title, photo credits) are answered from an
# article's note, captions or header; the set is extended here in case eval/run.py
# does not list the type yet.
TYPES = set(GOLD_TYPES) | {"metadata"}
KINDS = {"body", "caption", "note"}
SPLITS = {"dev", "test"}
REQUIRED_FIELDS = {
    "id": str,
    "question": str,
    "reference_answer": str,
    "required_facts": list,
    "evidence": list,
    "type": str,
    "answerable": bool,
}
MIN_QUESTIONS = 60
MIN_UNANSWERABLE = 45
MIN_PARAPHRASED = 30
# Unanswerable questions carry "near_miss": the kind of near miss, or "off_topic" for a
# question about a subject the corpus does not cover at all (not a near miss).
OFF_TOPIC = "off_topic"
MIN_NEAR_MISS = 30
MIN_NEAR_MISS_KINDS = 5
MIN_PER_NEAR_MISS_KIND = 3


def _load_gold() -> list[dict]:
    items = []
    for n, line in enumerate(GOLD_PATH.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - message for humans
            pytest.fail(f"gold.jsonl line {n} is not valid JSON: {exc}")
        assert isinstance(item, dict), f"gold.jsonl line {n} is not a JSON object"
        items.append(item)
    return items


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return _load_gold()


@pytest.fixture(scope="module")
def corpus() -> dict[str, Article]:
    return {a.id: a for a in load_corpus(SEEDS)}


def _evidence_text(item: dict, corpus: dict[str, Article]) -> str:
    parts = []
    for ev in item["evidence"]:
        article = corpus[ev["article_id"]]
        parts.append(article.paragraph(ev["paragraph"], ev.get("kind", "body")).text)
        if item["type"] == "metadata":
            # What the article itself states about itself: a title it names (not one
            # we assigned), its byline and its outlet.
            if not article.title_assigned:
                parts.append(article.title)
            parts.extend(x for x in (article.author, article.outlet) if x)
    return "\n".join(parts)


def _is_near_miss(item: dict) -> bool:
    return not item["answerable"] and item.get("near_miss", OFF_TOPIC) != OFF_TOPIC


def test_fields_and_types(gold: list[dict]) -> None:
    for item in gold:
        qid = item.get("id", "<no id>")
        for name, typ in REQUIRED_FIELDS.items():
            assert name in item, f"{qid}: missing field {name!r}"
            assert isinstance(item[name], typ), f"{qid}: {name!r} should be {typ.__name__}"
        assert item["question"].strip(), f"{qid}: empty question"
        assert item["reference_answer"].strip(), f"{qid}: empty reference_answer"
        assert item["type"] in TYPES, f"{qid}: unknown type {item['type']!r}"
        for fact in item["required_facts"]:
            assert isinstance(fact, list), f"{qid}: each fact is a list of phrasings"
            assert fact, f"{qid}: a fact needs at least one phrasing"
            assert all(isinstance(p, str) and p.strip() for p in fact), (
                f"{qid}: fact phrasings must be non-empty strings"
            )
        for ev in item["evidence"]:
            assert isinstance(ev, dict), f"{qid}: evidence entries are objects"
            assert isinstance(ev.get("article_id"), str), f"{qid}: evidence needs article_id"
            assert isinstance(ev.get("paragraph"), int), f"{qid}: evidence needs int paragraph"
            assert ev.get("kind", "body") in KINDS, f"{qid}: bad evidence kind {ev.get('kind')!r}"


def test_missing_parts(gold: list[dict]) -> None:
    """A compound question may leave one part unanswered by the articles ("missing_part",
    as the question words it): it is answerable, and each split has some."""
    partly = [item for item in gold if "missing_part" in item]
    for item in partly:
        qid, part = item["id"], item["missing_part"]
        assert item["answerable"], f"{qid}: a missing part needs an answerable rest"
        assert item["type"] == "compound", f"{qid}: missing_part on a {item['type']} question"
        assert isinstance(part, str), f"{qid}: missing_part is the part as worded"
        assert part.endswith("?"), f"{qid}: missing_part is the part as worded"
    assert {item["split"] for item in partly} == {"dev", "test"}


def test_ids_unique(gold: list[dict]) -> None:
    counts = Counter(item["id"] for item in gold)
    dupes = [qid for qid, c in counts.items() if c > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_evidence_exists(gold: list[dict], corpus: dict[str, Article]) -> None:
    for item in gold:
        for ev in item["evidence"]:
            assert ev["article_id"] in corpus, f"{item['id']}: no article {ev['article_id']!r}"
            article = corpus[ev["article_id"]]
            try:
                article.paragraph(ev["paragraph"], ev.get("kind", "body"))
            except KeyError as exc:
                pytest.fail(f"{item['id']}: {exc}")


def test_required_facts_in_evidence(gold: list[dict], corpus: dict[str, Article]) -> None:
    problems = []
    for item in gold:
        if not item["answerable"]:
            continue
        text = _evidence_text(item, corpus).casefold()
        for fact in item["required_facts"]:
            if all(p in corpus for p in fact):
                continue  # an article as the answer ("Which articles never mention X?")
            if not any(p.casefold() in text for p in fact):
                problems.append(f"{item['id']}: none of {fact} in its evidence")
    assert not problems, "\n".join(problems)


def test_answerable_consistency(gold: list[dict]) -> None:
    for item in gold:
        qid = item["id"]
        if item["answerable"]:
            assert item["type"] != "unanswerable", f"{qid}: unanswerable type but answerable"
            assert item["evidence"], f"{qid}: answerable question without evidence"
            assert item["required_facts"], f"{qid}: answerable question without facts"
        else:
            assert item["evidence"] == [], f"{qid}: unanswerable question with evidence"
            assert item["required_facts"] == [], f"{qid}: unanswerable question with facts"
        if item["type"] == "unanswerable":
            assert item["answerable"] is False, f"{qid}: type unanswerable must be answerable=false"


def test_multi_article_spans_articles(gold: list[dict]) -> None:
    for item in gold:
        if item["type"] == "multi_article":
            ids = {ev["article_id"] for ev in item["evidence"]}
            assert len(ids) >= 2, f"{item['id']}: multi_article needs evidence from two articles"


def test_follow_ups_point_back(gold: list[dict]) -> None:
    seen: set[str] = set()
    for item in gold:
        qid = item["id"]
        if item["type"] == "follow_up":
            assert "follows" in item, f"{qid}: follow_up needs 'follows'"
        if "follows" in item:
            assert item["follows"] in seen, (
                f"{qid}: follows {item['follows']!r}, which is not an earlier question"
            )
        seen.add(qid)


def test_near_miss_labels(gold: list[dict], corpus: dict[str, Article]) -> None:
    for item in gold:
        qid = item["id"]
        if item["answerable"]:
            assert "near_miss" not in item, f"{qid}: near_miss on an answerable question"
            assert "nearby" not in item, f"{qid}: nearby on an answerable question"
            continue
        kind = item.get("near_miss")
        assert isinstance(kind, str), f"{qid}: unanswerable needs a near_miss kind"
        assert kind.strip(), f"{qid}: empty near_miss kind"
        nearby = item.get("nearby", [])
        if kind == OFF_TOPIC:
            assert not nearby, f"{qid}: an off-topic question has no nearby paragraph"
            continue
        # A near miss names the on-topic paragraph(s) closest to it (not evidence:
        # they do not answer the question).
        assert nearby, f"{qid}: a near miss needs its nearby paragraph(s)"
        for ev in nearby:
            assert ev.get("kind", "body") in KINDS, f"{qid}: bad nearby kind {ev.get('kind')!r}"
            assert ev["article_id"] in corpus, f"{qid}: no article {ev['article_id']!r}"
            try:
                corpus[ev["article_id"]].paragraph(ev["paragraph"], ev.get("kind", "body"))
            except KeyError as exc:
                pytest.fail(f"{qid}: {exc}")


def test_near_miss_coverage(gold: list[dict], corpus: dict[str, Article]) -> None:
    near = [item for item in gold if _is_near_miss(item)]
    assert len(near) >= MIN_NEAR_MISS, f"only {len(near)} near-miss questions"
    kinds = Counter(item["near_miss"] for item in near)
    assert len(kinds) >= MIN_NEAR_MISS_KINDS, f"only {len(kinds)} near-miss kinds: {kinds}"
    thin = {k: n for k, n in kinds.items() if n < MIN_PER_NEAR_MISS_KIND}
    assert not thin, f"near-miss kinds with fewer than {MIN_PER_NEAR_MISS_KIND}: {thin}"
    articles = {ev["article_id"] for item in near for ev in item["nearby"]}
    missing = set(corpus) - articles
    assert not missing, f"no near-miss question about articles {sorted(missing)}"


def test_splits(gold: list[dict]) -> None:
    by_id = {item["id"]: item for item in gold}
    for item in gold:
        qid = item["id"]
        assert item.get("split") in SPLITS, f"{qid}: split must be one of {sorted(SPLITS)}"
        if "follows" in item:
            parent = by_id[item["follows"]]
            assert item["split"] == parent["split"], (
                f"{qid}: follow-up in {item['split']!r}, its question {parent['id']} "
                f"in {parent['split']!r}"
            )
    for split in SPLITS:
        part = [item for item in gold if item["split"] == split]
        types = {item["type"] for item in part}
        assert types == TYPES, f"{split}: types missing {sorted(TYPES - types)}"
        kinds_here = {item["near_miss"] for item in part if not item["answerable"]}
        kinds_all = {item["near_miss"] for item in gold if not item["answerable"]}
        assert kinds_here == kinds_all, (
            f"{split}: near_miss kinds missing {sorted(kinds_all - kinds_here)}"
        )
    sizes = Counter(item["split"] for item in gold)
    assert abs(sizes["dev"] - sizes["test"]) <= len(gold) // 10, f"unbalanced splits {sizes}"


def test_coverage(gold: list[dict], corpus: dict[str, Article]) -> None:
    assert len(gold) >= MIN_QUESTIONS, f"only {len(gold)} questions"
    unanswerable = sum(1 for item in gold if not item["answerable"])
    assert unanswerable >= MIN_UNANSWERABLE, f"only {unanswerable} unanswerable questions"
    paraphrased = sum(1 for item in gold if item["type"] == "paraphrased")
    assert paraphrased >= MIN_PARAPHRASED, f"only {paraphrased} paraphrased questions"
    cited = {ev["article_id"] for item in gold for ev in item["evidence"]}
    missing = set(corpus) - cited
    assert not missing, f"articles never used as evidence: {sorted(missing)}"
    types = {item["type"] for item in gold}
    assert types == TYPES, f"types missing: {sorted(TYPES - types)}"
