"""BLEU-4 with sacrebleu, on a 0-1 scale (as the GDT paper reports it).

Tokenisation is sacrebleu's ``13a`` (the WMT default: punctuation split off, so ``a.setProperty("X", 5.5);``
becomes ``a . setProperty ( " X " , 5.5 ) ;``); newlines count as spaces. Corpus BLEU pools
n-gram counts over all samples (one reference each); sentence BLEU uses ``effective_order`` so
short scripts are not zeroed by missing 4-grams. BLEU measures surface overlap only.

Both come from one pass over the texts: sacrebleu's per-segment statistics are counted once
and aggregated per sample and for the corpus (the same arithmetic as ``sentence_score`` and
``corpus_score``, which would each tokenise and count everything again). A prediction equal to
its reference gets its statistics from its token count alone. This uses sacrebleu 2.6 internals
(the version is pinned); the tests check the results against the public calls.

Tokenisation is ``tokenize_13a``, sacrebleu's ``13a`` rewritten to give the same tokens faster:
its per-match regex substitutions dominated the run.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from sacrebleu.metrics import BLEU

TOKENIZE = "13a"

_PUNCTUATION = re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])")
"""13a's first rule: these characters are spaced out one at a time (joining the pieces of a split
by it with spaces does exactly that, in C)."""

_NUMBER_AWARE = [
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
]
"""13a's other rules (``.``, ``,`` and ``-`` next to digits), verbatim from sacrebleu."""


def tokenize_13a(line: str) -> str:
    """sacrebleu's ``13a`` tokens of ``line``, joined by single spaces.

    After the first rule, the other rules only see two adjacent characters, and whitespace is
    never the one they split, so they can run word by word, each word padded with a space as
    it is in the line; words repeat a lot in scripts, so their results are cached.
    """
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return " ".join([_word_tokens(word) for word in " ".join(_PUNCTUATION.split(f" {line} ")).split()])


@lru_cache(maxsize=2**16)
def _word_tokens(word: str) -> str:
    """The number-aware rules applied to one whitespace-free word (padded as in the line)."""
    if "." not in word and "," not in word and "-" not in word:
        return word
    padded = f" {word} "
    for pattern, replacement in _NUMBER_AWARE:
        padded = pattern.sub(replacement, padded)
    return " ".join(padded.split())


def bleu_scores(predictions: list[str], references: list[str]) -> tuple[float, list[float]]:
    """Corpus BLEU-4 and per-sample sentence BLEU-4 of aligned lists, all in [0, 1]."""
    if not references:
        return 0.0, []
    corpus = BLEU(tokenize=TOKENIZE)
    corpus.tokenizer = tokenize_13a
    sentence = BLEU(tokenize=TOKENIZE, effective_order=True)
    stats: list[list[int]] = [[] for _ in references]
    for i, (prediction, reference) in enumerate(zip(predictions, references)):
        if prediction == reference:
            stats[i] = _identical_statistics(corpus, reference)
        else:
            stats[i] = _segment_statistics(corpus, prediction, reference)
    per_sample = [_unit(sentence._aggregate_and_compute([row]).score) for row in stats]
    return _unit(corpus._aggregate_and_compute(stats).score), per_sample


def _segment_statistics(metric: BLEU, prediction: str, reference: str) -> list[int]:
    """sacrebleu's segment statistics of ``prediction`` against one ``reference``.

    The same numbers as ``BLEU._compute_segment_statistics``, counted one order at a time with
    ``Counter`` over ``zip`` (sacrebleu builds every n-gram tuple in a Python loop). Only the
    n-grams that touch the part where the token lists differ are counted: those that lie in
    the shared head or the shared tail are in both lists and all match (a prediction is often
    its reference with a few tokens changed).
    """
    hyp = metric._preprocess_segment(prediction).split()
    ref = metric._preprocess_segment(reference).split()
    head = _shared_length(hyp, ref)
    tail = min(_shared_length(hyp[::-1], ref[::-1]), len(hyp) - head, len(ref) - head)
    correct, total = [], []
    for n in range(1, metric.max_ngram_order + 1):
        first = max(0, head - n + 1)
        hyp_ngrams = _ngram_counts(hyp, n, first, len(hyp) - tail)
        ref_ngrams = _ngram_counts(ref, n, first, len(ref) - tail)
        shared = first + max(0, tail - n + 1)
        correct.append(shared + sum((hyp_ngrams & ref_ngrams).values()))
        total.append(max(0, len(hyp) - n + 1))
    return [len(hyp), len(ref), *correct, *total]


def _shared_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common prefix of two token lists (bisection over slice comparisons)."""
    low, high = 0, min(len(a), len(b))
    if a[:high] == b[:high]:
        return high
    while high - low > 1:
        middle = (low + high) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle
    return low


def _ngram_counts(tokens: list[str], n: int, first: int, stop: int) -> Counter:
    """The n-grams of ``tokens`` that start at ``first`` or later and before ``stop``."""
    window = tokens[first:min(stop, len(tokens) - n + 1) + n - 1]
    return Counter(zip(*[window[i:] for i in range(n)]))


def _identical_statistics(metric: BLEU, text: str) -> list[int]:
    """sacrebleu's segment statistics of a prediction equal to its reference, without counting n-grams.

    Layout ``[hyp_len, ref_len, correct_1..4, total_1..4]``: every n-gram matches, and a text of
    ``t`` tokens has ``t - n + 1`` n-grams of order n.
    """
    tokens = len(metric._preprocess_segment(text).split())
    counts = [max(0, tokens - n + 1) for n in range(1, metric.max_ngram_order + 1)]
    return [tokens, tokens, *counts, *counts]


def _unit(score: float) -> float:
    return min(score / 100.0, 1.0)
