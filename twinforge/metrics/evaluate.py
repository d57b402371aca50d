"""``twinforge eval``: score a predictions file against a corpus split.

Every sample of the split is scored. A sample without a prediction is scored as an empty script
(0 on every metric, not executable) and listed as missing; a prediction whose id appears twice is
scored once (the first) and listed as a duplicate; a prediction whose id is not in the split is
listed as unknown and not scored. Nothing is skipped without being counted.

References: the textual mode reads the reference's explicit-style code (a loop-style reference
is first rendered in the explicit style from its spec, so both styles give the same reference);
the executed mode builds the reference graph straight from the spec.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Any

from twinforge.errors import UserError
from twinforge.metrics.bleu import TOKENIZE, corpus_bleu, sentence_bleu, sentence_scorer
from twinforge.metrics.executed import EXECUTOR_UNAVAILABLE, execute, executor_available, reference_statements
from twinforge.metrics.predictions import read_predictions
from twinforge.metrics.scores import MatchScores, match
from twinforge.metrics.statements import Statements
from twinforge.metrics.textual import read_statements
from twinforge.pipeline.corpus import read_corpus

MODES = ("textual", "executed", "both")
LAYERS = ("industry", "automation", "layout")
REFERENCE_COLUMNS = ["industry", "automation", "layout", "spec", "code", "code_style"]
MISSING = "missing"
OK = "ok"


@dataclass
class SampleScore:
    """The scores of one sample of the split."""

    sample_id: str
    layers: dict[str, str]
    predicted: bool
    bleu: float
    outcome: str | None = None
    textual: MatchScores | None = None
    executed: MatchScores | None = None

    @property
    def executable(self) -> bool | None:
        return None if self.outcome is None else self.outcome == OK

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"sample_id": self.sample_id, **self.layers, "predicted": self.predicted,
                                  "bleu": self.bleu, "outcome": self.outcome, "executable": self.executable}
        for mode in ("textual", "executed"):
            scores = getattr(self, mode)
            if scores is not None:
                record[mode] = scores.to_json()
        return record


@dataclass
class EvalReport:
    """Per-sample scores, corpus means and their breakdown by industry, automation and layout."""

    corpus: str
    split: str
    mode: str
    samples: list[SampleScore]
    corpus_bleu: float
    missing: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    esr_note: str = "twinforge's executable check (FlexScript-subset interpreter + SimPy run), not FlexSim"
    seconds: float = 0.0

    @property
    def modes(self) -> tuple[str, ...]:
        return ("textual", "executed") if self.mode == "both" else (self.mode,)

    def summary(self, samples: list[SampleScore] | None = None) -> dict[str, Any]:
        """Means over ``samples`` (default: all): per mode CS, OS, SVR, PMR; ESR; BLEU-4."""
        samples = self.samples if samples is None else samples
        result: dict[str, Any] = {"n": len(samples)}
        for mode in self.modes:
            scores = [getattr(s, mode) for s in samples]
            result[mode] = {key: _mean([getattr(x, key) for x in scores]) for key in ("cs", "os", "svr", "pmr")}
        executable = [s.executable for s in samples if s.executable is not None]
        result["esr"] = _mean(executable) if executable or not samples else None
        result["bleu_sentence_mean"] = _mean([s.bleu for s in samples])
        return result

    def breakdown(self) -> dict[str, dict[str, dict[str, Any]]]:
        """``layer -> value -> summary`` for industry, automation and layout."""
        result: dict[str, dict[str, dict[str, Any]]] = {}
        for layer in LAYERS:
            groups: dict[str, list[SampleScore]] = {}
            for sample in self.samples:
                groups.setdefault(sample.layers.get(layer, "?"), []).append(sample)
            result[layer] = {value: self.summary(group) for value, group in sorted(groups.items())}
        return result

    def to_json(self) -> dict[str, Any]:
        overall = self.summary()
        overall["bleu_corpus"] = self.corpus_bleu
        return {
            "corpus": self.corpus, "split": self.split, "mode": self.mode,
            "bleu_tokenize": TOKENIZE, "esr_note": self.esr_note, "seconds": self.seconds,
            "counts": {"samples": len(self.samples), "scored_predictions": len(self.samples) - len(self.missing),
                       "missing": len(self.missing), "duplicates": len(self.duplicates),
                       "unknown": len(self.unknown)},
            "missing": self.missing, "duplicates": self.duplicates, "unknown": self.unknown,
            "overall": overall, "breakdown": self.breakdown(),
            "samples": [sample.to_json() for sample in self.samples],
        }

    def table(self) -> str:
        """The report as plain-text tables."""
        overall = self.summary()
        lines = [
            f"twinforge eval: {len(self.samples)} samples of {self.corpus} (split {self.split}, mode {self.mode}, "
            f"{self.seconds:.1f} s)",
            f"predictions: {len(self.samples) - len(self.missing)} scored, {len(self.missing)} missing "
            f"(scored as empty), {len(self.duplicates)} duplicate (first kept), {len(self.unknown)} unknown "
            "(not in the split, not scored)",
            "",
            f"{'metric':<8}" + "".join(f"{mode:>10}" for mode in self.modes),
        ]
        for key in ("cs", "os", "svr", "pmr"):
            lines.append(f"{key.upper():<8}" + "".join(f"{overall[m][key]:>10.4f}" for m in self.modes))
        lines.append(f"{'ESR':<8}{_fmt(overall['esr']):>10}   ({self.esr_note})")
        lines.append(f"{'BLEU-4':<8}{self.corpus_bleu:>10.4f}   (corpus; mean sentence "
                     f"{overall['bleu_sentence_mean']:.4f}; sacrebleu tokenize={TOKENIZE})")
        columns = [f"SVR-{m[0]}" for m in self.modes] + [f"PMR-{m[0]}" for m in self.modes] + ["ESR", "BLEU"]
        for layer, groups in self.breakdown().items():
            lines += ["", f"{'by ' + layer:<22}{'n':>6}" + "".join(f"{c:>9}" for c in columns)]
            for value, summary in groups.items():
                cells = [summary[m]["svr"] for m in self.modes] + [summary[m]["pmr"] for m in self.modes]
                cells += [summary["esr"], summary["bleu_sentence_mean"]]
                lines.append(f"{value:<22}{summary['n']:>6}" + "".join(f"{_fmt(c):>9}" for c in cells))
        return "\n".join(lines)


def _mean(values: list[float | bool]) -> float:
    return fmean(float(v) for v in values) if values else 0.0


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def textual_reference(row: dict[str, Any]) -> Statements:
    """The reference statements for the textual mode (see the module docstring)."""
    if row.get("code_style", "explicit") != "loop":
        return read_statements(row["code"])
    try:
        from twinforge.renderers.flexscript import render_flexscript
    except ImportError as error:
        raise UserError(f"renderer unavailable for a loop-style reference ({error})") from None
    from twinforge.schemas import load_spec

    return read_statements(render_flexscript(load_spec(json.loads(row["spec"])), "explicit"))


def score_sample(row: dict[str, Any], code: str | None, mode: str, run_executor: bool, scorer: Any) -> SampleScore:
    """All scores of one reference row against one predicted script (None: no prediction)."""
    predicted = code is not None
    code = code or ""
    sample = SampleScore(
        sample_id=row["sample_id"], layers={layer: row.get(layer, "?") for layer in LAYERS},
        predicted=predicted, bleu=sentence_bleu(scorer, code, row["code"]) if predicted else 0.0,
    )
    if mode in ("textual", "both"):
        sample.textual = match(textual_reference(row), read_statements(code))
    if run_executor:
        execution = execute(code) if predicted else None
        sample.outcome = execution.outcome if execution else MISSING
        if mode in ("executed", "both"):
            built = execution.statements if execution else Statements()
            sample.executed = match(reference_statements(json.loads(row["spec"])), built)
    return sample


def evaluate_predictions(pred_path: str | Path, corpus: str | Path, split: str = "test",
                         mode: str = "both") -> EvalReport:
    """Score the predictions in ``pred_path`` against the ``split`` rows of ``corpus``."""
    if mode not in MODES:
        raise UserError(f"mode {mode!r} is not one of {', '.join(MODES)}")
    start = time.perf_counter()
    predictions = read_predictions(pred_path)
    rows = read_corpus(corpus, columns=REFERENCE_COLUMNS, split=split).to_pylist()
    if not rows:
        raise UserError(f"{corpus}: split {split!r} has no samples")
    run_executor = executor_available()
    if mode != "textual" and not run_executor:
        raise UserError(f"{EXECUTOR_UNAVAILABLE}; use --mode textual")
    ids = {row["sample_id"] for row in rows}
    scorer = sentence_scorer()
    samples = [score_sample(row, predictions.codes.get(row["sample_id"]), mode, run_executor, scorer)
               for row in rows]
    report = EvalReport(
        corpus=str(corpus), split=split, mode=mode, samples=samples,
        corpus_bleu=corpus_bleu([predictions.codes.get(r["sample_id"], "") for r in rows], [r["code"] for r in rows]),
        missing=[row["sample_id"] for row in rows if row["sample_id"] not in predictions.codes],
        duplicates=list(predictions.duplicates),
        unknown=[sample_id for sample_id in predictions.codes if sample_id not in ids],
    )
    if not run_executor:
        report.esr_note = EXECUTOR_UNAVAILABLE
    report.seconds = time.perf_counter() - start
    return report
