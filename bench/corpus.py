"""The scale corpus: seed paragraphs recombined and perturbed into `.txt` articles, and
the exact texts `rag ingest` embeds from it."""

from __future__ import annotations

import math
import random
import re
import shutil
from pathlib import Path

from bench.measure import SEEDS, model_path

PER_FILE = 20  # paragraphs per generated article file
MODEL_WINDOW = 256  # all-MiniLM-L6-v2 max_seq_length: longer inputs are truncated

_ENTITIES = ["Pakistan", "India", "China", "Afghanistan", "Iran", "Washington", "Islamabad"]
_TERMINAL = re.compile(r"[.!?:;]['\"”’)\]*]*$")


def make_corpus(folder: Path, paragraphs: int, seed: int = 0) -> dict[str, int]:
    """Write `paragraphs` synthetic body paragraphs as .txt articles of PER_FILE each."""
    from rag.corpus import iter_articles, load_corpus
    from rag.text import split_sentences

    rng = random.Random(seed)
    articles = load_corpus(SEEDS)
    body = [(a.title, p.text) for a in articles for p in a.body]
    pool = [s for _, t in body for s in split_sentences(t) if len(s.split()) >= 4]

    def paragraph() -> str:
        _, text = rng.choice(body)
        sentences = [rng.choice(pool) if rng.random() < 0.4 else s for s in split_sentences(text)]
        if len(sentences) > 1 and rng.random() < 0.3:
            rng.shuffle(sentences)
        out = " ".join(sentences)
        out = re.sub(  # perturb figures: "29%" -> "27%", "2025" -> "2026"
            r"\d+",
            lambda m: (
                str(max(1, int(m.group()) + rng.randint(-3, 3)))
                if rng.random() < 0.5 and len(m.group()) < 6
                else m.group()
            ),
            out,
        )
        out = re.sub(
            "|".join(_ENTITIES),
            lambda m: rng.choice(_ENTITIES) if rng.random() < 0.15 else m.group(),
            out,
        )
        if len(out.split()) <= 8:  # a short unpunctuated line would parse as a heading
            out += " " + rng.choice(pool)
        if out[:3].lower() == "by ":  # would parse as a byline after the title
            out = "Notably, " + out
        return out if _TERMINAL.search(out) else out + "."

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = 0
    for number in range(math.ceil(paragraphs / PER_FILE)):
        k = min(PER_FILE, paragraphs - written)
        title = rng.choice(articles).title
        text = "\n\n".join([f"# {title} (variant {number})", *(paragraph() for _ in range(k))])
        (folder / f"{number:06d}_bench.txt").write_text(text + "\n", encoding="utf-8")
        written += k
    parsed = list(iter_articles(folder))
    return {
        "files": len(parsed),
        "paragraphs": sum(len(a.paragraphs) for a in parsed),
        "words": sum(len(p.text.split()) for a in parsed for p in a.paragraphs),
    }


def ingest_texts(corpus: Path) -> tuple[list[str], list[str], list[int]]:
    """(unit, text, article number) of everything `rag ingest` embeds: each paragraph
    and each of its sentences, with the title/section prefix the model sees."""
    from rag.chunking import chunk_article
    from rag.corpus import iter_articles

    units, texts, owners = [], [], []
    for number, article in enumerate(iter_articles(corpus)):
        for node in chunk_article(article):
            units.append(str(node.metadata["unit"]))
            texts.append(node.get_content(metadata_mode="embed"))  # type: ignore[arg-type]
            owners.append(number)
    return units, texts, owners


def window_share(texts: list[str]) -> dict[str, float]:
    """How many wordpiece tokens the texts have and which share fits the model's window."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_path()))
    lengths = [len(ids) for ids in tok(texts, add_special_tokens=True)["input_ids"]]
    total = sum(lengths) or 1
    return {
        "tokens": total,
        "seen_share": sum(min(n, MODEL_WINDOW) for n in lengths) / total,
        "truncated_texts": sum(n > MODEL_WINDOW for n in lengths),
    }
