"""BLEU-4 with sacrebleu, on a 0-1 scale (as the GDT paper reports it).

Tokenisation is sacrebleu's ``13a`` (the WMT default: punctuation split off, so ``a.setProperty("X", 5.5);``
becomes ``a . setProperty ( " X " , 5.5 ) ;``); newlines count as spaces. Corpus BLEU pools
n-gram counts over all samples (one reference each); sentence BLEU uses ``effective_order`` so
short scripts are not zeroed by missing 4-grams. BLEU measures surface overlap only.

Both come from one pass over the texts: sacrebleu's per-segment statistics are extracted once
and aggregated per sample and for the corpus (the same arithmetic as ``sentence_score`` and
``corpus_score``, which would each tokenise and count everything again). A prediction equal to
its reference gets its statistics from its token count alone. This uses sacrebleu 2.6 internals
(the version is pinned); the tests check the results against the public calls.
"""

from __future__ import annotations

from sacrebleu.metrics import BLEU

TOKENIZE = "13a"


def bleu_scores(predictions: list[str], references: list[str]) -> tuple[float, list[float]]:
    """Corpus BLEU-4 and per-sample sentence BLEU-4 of aligned lists, all in [0, 1]."""
    if not references:
        return 0.0, []
    corpus = BLEU(tokenize=TOKENIZE)
    sentence = BLEU(tokenize=TOKENIZE, effective_order=True)
    stats: list[list[int]] = [[] for _ in references]
    differ = [i for i, (pred, ref) in enumerate(zip(predictions, references)) if pred != ref]
    if differ:
        rows = corpus._extract_corpus_statistics([predictions[i] for i in differ], [[references[i] for i in differ]])
        for i, row in zip(differ, rows):
            stats[i] = row
    for i, row in enumerate(stats):
        if not row:
            stats[i] = _identical_statistics(corpus, references[i])
    per_sample = [_unit(sentence._aggregate_and_compute([row]).score) for row in stats]
    return _unit(corpus._aggregate_and_compute(stats).score), per_sample


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
