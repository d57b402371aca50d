"""BLEU-4 with sacrebleu, on a 0-1 scale (as the GDT paper reports it).

Tokenisation is sacrebleu's ``13a`` (the WMT default: punctuation split off, so ``a.setProperty("X", 5.5);``
becomes ``a . setProperty ( " X " , 5.5 ) ;``); newlines count as spaces. Corpus BLEU pools
n-gram counts over all samples (one reference each); sentence BLEU uses ``effective_order`` so
short scripts are not zeroed by missing 4-grams. BLEU measures surface overlap only.
"""

from __future__ import annotations

from sacrebleu.metrics import BLEU

TOKENIZE = "13a"


def corpus_bleu(predictions: list[str], references: list[str]) -> float:
    """Corpus-level BLEU-4 of aligned prediction/reference lists, in [0, 1]."""
    if not references:
        return 0.0
    score = BLEU(tokenize=TOKENIZE).corpus_score(predictions, [references]).score
    return min(score / 100.0, 1.0)


def sentence_scorer() -> BLEU:
    """A reusable sentence-level scorer (build once, score many)."""
    return BLEU(tokenize=TOKENIZE, effective_order=True)


def sentence_bleu(scorer: BLEU, prediction: str, reference: str) -> float:
    """Sentence-level BLEU-4 of one prediction, in [0, 1]."""
    return min(scorer.sentence_score(prediction, [reference]).score / 100.0, 1.0)
