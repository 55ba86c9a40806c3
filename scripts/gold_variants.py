"""Write the gold set as a reader might type it, to measure how well casual questions are
read: every question in lower case (`--lower`), without its question mark (`--no-mark`),
or both.

    python scripts/gold_variants.py --lower --out /tmp/gold-lower.jsonl
    rag eval --gold /tmp/gold-lower.jsonl --no-views --out /tmp/lower
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold.jsonl"


def typed(question: str, *, lower: bool, no_mark: bool) -> str:
    if lower:
        question = question.lower()
    if no_mark:
        question = question.rstrip().rstrip("?").rstrip()
    return question


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--gold", type=Path, default=GOLD, help="gold set (JSONL) [eval/gold.jsonl]")
    p.add_argument("--lower", action="store_true", help="every question in lower case")
    p.add_argument("--no-mark", action="store_true", help="without the question mark")
    p.add_argument("--out", type=Path, required=True, help="where to write the variant")
    args = p.parse_args()
    if not (args.lower or args.no_mark):
        p.error("choose --lower, --no-mark or both")
    with args.gold.open(encoding="utf-8") as src, args.out.open("w", encoding="utf-8") as out:
        for line in src:
            if not line.strip():
                continue
            item = json.loads(line)
            item["question"] = typed(item["question"], lower=args.lower, no_mark=args.no_mark)
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
