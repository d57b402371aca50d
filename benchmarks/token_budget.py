"""Count a corpus's tokens as the GDT paper's training code does: StarCoder2's BPE, digits split.

    .venv/bin/python benchmarks/token_budget.py CORPUS [--tokenizer ../shared/reference/tokenizers/starcoder2]

Prints, as JSON: rows, the largest prompt / code / total counts, the rows over 4,096 tokens in all
and over 2,048 for the code, and the smallest characters-per-token ratio of prompts and code (the
calibration of ``families/factory/budget.CHARS_PER_TOKEN``, which must stay below both).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
from tokenizers import Tokenizer, models, pre_tokenizers

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twinforge.families.factory.budget import CHARS_PER_TOKEN, estimated_tokens

DEFAULT_TOKENIZER = ROOT.parent / "shared" / "reference" / "tokenizers" / "starcoder2"


def starcoder2(folder: Path) -> Tokenizer:
    """StarCoder2's byte-level BPE with its digit-by-digit pre-tokenizer, from the vocab and merges files."""
    tokenizer = Tokenizer(models.BPE.from_file(str(folder / "vocab.json"), str(folder / "merges.txt")))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)])
    return tokenizer


def measure(corpus: Path, tokenizer: Tokenizer, total: int = 4096, response: int = 2048) -> dict:
    rows = []
    for path in sorted((corpus / "shards").glob("part-*.parquet")):
        rows += pq.read_table(path, columns=["prompt", "code"]).to_pylist()
    prompts = [len(tokenizer.encode(row["prompt"]).ids) for row in rows]
    codes = [len(tokenizer.encode(row["code"]).ids) for row in rows]
    under = sum(1 for row, p, c in zip(rows, prompts, codes)
                if estimated_tokens(row["prompt"]) < p or estimated_tokens(row["code"]) < c)
    return {
        "rows": len(rows),
        "max_prompt_tokens": max(prompts), "max_code_tokens": max(codes),
        "max_total_tokens": max(p + c for p, c in zip(prompts, codes)),
        "rows_over_total": sum(1 for p, c in zip(prompts, codes) if p + c > total),
        "rows_over_code": sum(1 for c in codes if c > response),
        "min_chars_per_token_prompt": round(min(len(r["prompt"]) / p for r, p in zip(rows, prompts)), 3),
        "min_chars_per_token_code": round(min(len(r["code"]) / c for r, c in zip(rows, codes)), 3),
        "chars_per_token_used": CHARS_PER_TOKEN,
        "rows_where_the_estimate_falls_short": under,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--tokenizer", default=str(DEFAULT_TOKENIZER))
    args = parser.parse_args()
    print(json.dumps(measure(Path(args.corpus), starcoder2(Path(args.tokenizer))), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
