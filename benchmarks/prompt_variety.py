"""Variety and fidelity of the offline prompt drafter over many sampled specs.

For ``--count`` specs from the factory sampler (per sample, mode ``text`` or ``sketch`` and code style
``explicit`` or ``loop`` drawn with equal odds from its choices stream, independently of its cell;
the prompt generator per sample as in a corpus run) it reports:
- fidelity problems (must be 0; each spec is also checked in the other mode and style);
- the distinct word 3-gram ratio (distinct 3-grams / all 3-grams over all prompts), on the raw text
  and with numbers masked. Tokens are the dedup shingles' tokens (``\\w+`` or one punctuation mark,
  lower-cased); masking replaces EVERY run of digits, also inside names, by ``0`` (``Queue12`` ->
  ``queue0``, ``2.5 s`` -> ``0.0 s``), so neither numbered names nor the values count as variety;
- the vocabulary (distinct masked tokens holding a letter) and the share of prompts whose opener
  (first three masked tokens) is one of the nine most common openers;
- the near-duplicate rate: the share of prompts that have, among the prompts of OTHER specs, one
  whose word-3-gram Jaccard similarity is >= the threshold (MinHash LSH candidates, then the exact
  Jaccard), also at Jaccard 0.5, and the same for a one-phrasing baseline (the first variant of
  every template, fixed choices) to show what the variety buys;
- the mean 3-gram Jaccard of two prompts of the SAME spec drawn with different seeds (first 1,000).
Exit status 1 if a prompt is unfaithful or the near-duplicate rate reaches ``--max-rate``.

    .venv/bin/python benchmarks/prompt_variety.py --count 2000
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twinforge.families.factory.sampler import sample_specs
from twinforge.families.factory.stages import Stage
from twinforge.pipeline.minhash import shingles
from twinforge.renderers.fidelity import check_fidelity
from twinforge.renderers.prompt import draft_prompt
from twinforge.schemas import spec_hash
from twinforge.seeding import sample_rng

NUM_PERM = 128
SHINGLE = 3
TOKEN = re.compile(r"\w+|[^\w\s]")
DIGITS = re.compile(r"[0-9]+")
MODES = ("text", "sketch")
STYLES = ("explicit", "loop")


class _FirstChoice:
    """A generator stand-in that always picks the first option: the one-phrasing baseline."""

    def integers(self, low, high=None, *args, **kwargs):
        return 0 if high is None else low

    def random(self, *args, **kwargs):
        return 0.99

    def permutation(self, n):
        return np.arange(n)


def tokens(text: str, masked: bool) -> list[str]:
    """The dedup tokens of ``text`` (lower-cased); ``masked`` turns every digit run into ``0``."""
    text = text.lower()
    return TOKEN.findall(DIGITS.sub("0", text) if masked else text)


def distinct_ngram_ratio(texts: list[str], masked: bool, size: int = SHINGLE) -> float:
    """Distinct word n-grams over all word n-grams (with repeats) of all texts."""
    total, distinct = 0, set()
    for text in texts:
        words = tokens(text, masked)
        grams = [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]
        total += len(grams)
        distinct.update(grams)
    return len(distinct) / max(total, 1)


def vocabulary(texts: list[str]) -> int:
    """Distinct masked tokens that hold a letter."""
    return len({word for text in texts for word in tokens(text, True) if re.search(r"[a-z]", word)})


def top_opener_share(texts: list[str], top: int = 9) -> float:
    """Share of prompts opening (first three masked tokens) with one of the ``top`` commonest openers."""
    openers = Counter(" ".join(tokens(text, True)[:3]) for text in texts)
    return sum(count for _, count in openers.most_common(top)) / max(len(texts), 1)


def near_duplicate_rate(texts: list[str], groups: list[str], threshold: float) -> float:
    """Share of texts with a near duplicate (Jaccard >= threshold) whose group (spec) differs."""
    sets = [set(shingles(text, SHINGLE)) for text in texts]
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes = []
    for index, grams in enumerate(sets):
        minhash = MinHash(num_perm=NUM_PERM, seed=1)
        minhash.update_batch(sorted(grams))
        hashes.append(minhash)
        lsh.insert(str(index), minhash)
    flagged = 0
    for index, grams in enumerate(sets):
        for other in map(int, lsh.query(hashes[index])):
            if other != index and groups[other] != groups[index]:
                union = len(grams | sets[other])
                if union and len(grams & sets[other]) / union >= threshold:
                    flagged += 1
                    break
    return flagged / len(texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--max-rate", type=float, default=0.01)
    args = parser.parse_args()

    started = time.perf_counter()
    specs = list(sample_specs(args.count, args.seed))
    texts, groups, kinds, unfaithful = [], [], [], []
    for index, spec in enumerate(specs):
        choices = sample_rng(args.seed, index, Stage.CHOICES)
        mode, style = MODES[int(choices.integers(2))], STYLES[int(choices.integers(2))]
        text = draft_prompt(spec, mode, sample_rng(args.seed, index, Stage.PROMPT), code_style=style)
        other = (MODES[1 - MODES.index(mode)], STYLES[1 - STYLES.index(style)])
        other_text = draft_prompt(spec, other[0], sample_rng(args.seed + 1, index, Stage.PROMPT),
                                  code_style=other[1])
        for (checked_mode, checked_style), checked in (((mode, style), text), (other, other_text)):
            problems = check_fidelity(checked, spec, checked_mode, code_style=checked_style)
            if problems:
                unfaithful.append({"index": index, "mode": checked_mode, "problems": problems[:3]})
        texts.append(text)
        groups.append(spec_hash(spec))
        kinds.append((mode, style))
    drafted = time.perf_counter() - started

    baseline = [draft_prompt(spec, kinds[i][0], _FirstChoice(), code_style=kinds[i][1])
                for i, spec in enumerate(specs)]
    same_spec = []
    for index, spec in enumerate(specs[:1000]):
        again = draft_prompt(spec, kinds[index][0], sample_rng(args.seed + 2, index, Stage.PROMPT),
                             code_style=kinds[index][1])
        first, second = set(shingles(texts[index], SHINGLE)), set(shingles(again, SHINGLE))
        same_spec.append(len(first & second) / len(first | second))
    report = {
        "prompts": len(texts),
        "distinct_specs": len(set(groups)),
        "fidelity_problems": len(unfaithful),
        "first_problems": unfaithful[:3],
        "distinct_3gram_ratio": round(distinct_ngram_ratio(texts, masked=False), 4),
        "distinct_3gram_ratio_numbers_masked": round(distinct_ngram_ratio(texts, masked=True), 4),
        "vocabulary": vocabulary(texts),
        "top9_opener_share": round(top_opener_share(texts), 3),
        "near_duplicate_rate": round(near_duplicate_rate(texts, groups, args.threshold), 5),
        "near_duplicate_rate_at_0.5": round(near_duplicate_rate(texts, groups, 0.5), 5),
        "baseline_distinct_3gram_ratio_numbers_masked": round(distinct_ngram_ratio(baseline, masked=True), 4),
        "baseline_near_duplicate_rate_at_0.5": round(near_duplicate_rate(baseline, groups, 0.5), 5),
        "same_spec_two_seeds_mean_jaccard": round(float(np.mean(same_spec)), 4),
        "mean_words": round(float(np.mean([len(t.split()) for t in texts])), 1),
        "seconds_draft_and_check_per_spec": round(drafted / max(len(specs), 1), 5),
        "threshold": args.threshold,
    }
    print(json.dumps(report, indent=2))
    return 0 if not unfaithful and report["near_duplicate_rate"] < args.max_rate else 1


if __name__ == "__main__":
    sys.exit(main())
