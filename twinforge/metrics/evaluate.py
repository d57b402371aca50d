"""``twinforge eval``: score a predictions file against a corpus split.

Every sample of the split is scored. A sample without a prediction is scored as an empty script
(0 on every metric, not executable) and listed as missing; a prediction whose id appears twice is
scored once (the first) and listed as a duplicate; a prediction whose id is not in the split is
listed as unknown and not scored. Nothing is skipped without being counted.

References: the textual mode reads the reference code (either style; see ``textual_reference``);
the executed mode builds the reference graph straight from the spec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from twinforge.collector import fewer_collections
from twinforge.errors import UserError
from twinforge.metrics.bleu import TOKENIZE, bleu_scores
from twinforge.metrics.executed import (
    StoredCheck,
    execute,
    reference_graph,
    statements_from_graph,
)
from twinforge.metrics.predictions import EvalRun
from twinforge.metrics.scores import MatchScores, match
from twinforge.metrics.statements import Statements
from twinforge.metrics.textual import read_statements

MODES = ("textual", "executed", "both")
LAYERS = ("industry", "automation", "layout")
REFERENCE_COLUMNS = ("index", "industry", "automation", "layout", "spec", "code", "exec_outcome")
MISSING = "missing"
OK = "ok"
UNSUPPORTED = "unsupported"
"""The check cannot judge the prediction (a FlexSim API it does not implement): counted on its own,
and not executable (never a success in ESR)."""


@dataclass
class SampleScore:
    """The scores of one sample of the split."""

    sample_id: str
    layers: dict[str, str]
    predicted: bool
    bleu: float
    outcome: str | None = None
    outcome_reused: bool = False
    textual: MatchScores | None = None
    executed: MatchScores | None = None

    @property
    def executable(self) -> bool | None:
        return None if self.outcome is None else self.outcome == OK

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"sample_id": self.sample_id, **self.layers, "predicted": self.predicted,
                                  "bleu": self.bleu, "outcome": self.outcome, "executable": self.executable,
                                  "outcome_reused": self.outcome_reused}
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

    @property
    def run_checks(self) -> bool:
        """Whether the executable check ran (it does unless the textual mode skipped it)."""
        return any(s.outcome is not None for s in self.samples)

    def summary(self, samples: list[SampleScore] | None = None) -> dict[str, Any]:
        """Means over ``samples`` (default: all): per mode CS, OS, SVR, PMR; ESR; BLEU-4."""
        samples = self.samples if samples is None else samples
        result: dict[str, Any] = {"n": len(samples)}
        for mode in self.modes:
            scores = [getattr(s, mode) for s in samples]
            result[mode] = {key: _mean([getattr(x, key) for x in scores]) for key in ("cs", "os", "svr", "pmr")}
        executable = [s.executable for s in samples if s.executable is not None]
        result["esr"] = _mean(executable) if executable or not samples else None
        result["unsupported"] = sum(1 for s in samples if s.outcome == UNSUPPORTED)
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
                       "unknown": len(self.unknown),
                       "outcomes_reused": sum(1 for s in self.samples if s.outcome_reused),
                       "unsupported": overall["unsupported"]},
            "missing": self.missing, "duplicates": self.duplicates, "unknown": self.unknown,
            "overall": overall, "breakdown": self.breakdown(),
            "samples": [sample.to_json() for sample in self.samples],
        }

    def table(self) -> str:
        """The report as plain-text tables."""
        overall = self.summary()
        lines = [
            (f"twinforge eval: {len(self.samples)} samples of {self.corpus} (split {self.split}, mode {self.mode}, "
            f"{self.seconds:.1f} s)"),
            (f"predictions: {len(self.samples) - len(self.missing)} scored, {len(self.missing)} missing "
            f"(scored as empty), {len(self.duplicates)} duplicate (first kept), {len(self.unknown)} unknown "
            "(not in the split, not scored)"),
        ]
        for label, ids in (("missing", self.missing), ("duplicate", self.duplicates), ("unknown", self.unknown)):
            if ids:
                more = f" (+{len(ids) - 10} more)" if len(ids) > 10 else ""
                lines.append(f"  {label}: {', '.join(ids[:10])}{more}")
        lines += ["", f"{'metric':<8}" + "".join(f"{mode:>10}" for mode in self.modes)]
        for key in ("cs", "os", "svr", "pmr"):
            lines.append(f"{key.upper():<8}" + "".join(f"{overall[m][key]:>10.4f}" for m in self.modes))
        lines.append(f"{'ESR':<8}{_fmt(overall['esr']):>10}   ({self.esr_note})")
        if self.run_checks:
            lines.append(f"{'UNSUP':<8}{overall['unsupported']:>10}   (predictions the check cannot judge: they use "
                         "FlexSim API it does not implement; not executable in ESR)")
        lines.append(f"{'BLEU-4':<8}{self.corpus_bleu:>10.4f}   (corpus; mean sentence "
                     f"{overall['bleu_sentence_mean']:.4f}; sacrebleu tokenize={TOKENIZE})")
        columns = [f"SVR-{m[0]}" for m in self.modes] + [f"PMR-{m[0]}" for m in self.modes] + ["ESR", "BLEU"]
        columns += ["UNSUP"] if self.run_checks else []
        for layer, groups in self.breakdown().items():
            lines += ["", f"{'by ' + layer:<22}{'n':>6}" + "".join(f"{c:>9}" for c in columns)]
            for value, summary in groups.items():
                cells = [summary[m]["svr"] for m in self.modes] + [summary[m]["pmr"] for m in self.modes]
                cells += [summary["esr"], summary["bleu_sentence_mean"]]
                counts = f"{summary['unsupported']:>9}" if self.run_checks else ""
                lines.append(f"{value:<22}{summary['n']:>6}" + "".join(f"{_fmt(c):>9}" for c in cells) + counts)
        return "\n".join(lines)


def _mean(values: list[float | bool]) -> float:
    return fmean(float(v) for v in values) if values else 0.0


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def textual_reference(row: dict[str, Any]) -> Statements:
    """The reference statements for the textual mode: what the reference code states.

    Both code styles are read in full (the loop style's tables are resolved), so an explicit and
    a loop reference of one spec give the same statements (checked on sampled specs in the tests).
    """
    return read_statements(row["code"])


@dataclass(frozen=True)
class FlexScriptEvaluator:
    """Scores predicted FlexScript against reference rows: SVR/PMR (textual, executed), ESR, BLEU-4.

    ``seed_of`` maps a sample index to the seed its executable check used in the corpus, so a
    prediction is run exactly as its reference was. ``esr=False`` skips the executable check in
    the textual mode (no ESR; for timing text-only scoring); the executed modes always run it.
    Picklable: ``score`` runs in the runner's worker processes.
    """

    mode: str
    seed_of: Callable[[int], int]
    esr: bool = True
    columns: tuple[str, ...] = REFERENCE_COLUMNS

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise UserError(f"mode {self.mode!r} is not one of {', '.join(MODES)}")

    @property
    def run_executor(self) -> bool:
        return self.esr or self.mode != "textual"

    def score(self, rows: list[dict[str, Any]], predictions: list[str | None]) -> list[SampleScore]:
        """``score_sample`` of every row against its prediction, in order (BLEU comes in ``report``)."""
        with fewer_collections(YOUNG_OBJECTS, freeze=True):
            return [score_sample(row, code, self) for row, code in zip(rows, predictions)]

    def report(self, run: EvalRun, rows: list[dict[str, Any]], predictions: list[str | None],
               scores: list[SampleScore]) -> EvalReport:
        """The report of a run: corpus BLEU over all rows, each sample's sentence BLEU, the means."""
        with fewer_collections(YOUNG_OBJECTS, freeze=True):
            corpus_score, sentence_scores = bleu_scores([code or "" for code in predictions],
                                                        [row["code"] for row in rows])
        for sample, bleu in zip(scores, sentence_scores):
            sample.bleu = bleu if sample.predicted else 0.0
        report = EvalReport(corpus=run.corpus, split=run.split, mode=self.mode, samples=scores,
                            corpus_bleu=corpus_score, missing=list(run.missing),
                            duplicates=list(run.duplicates), unknown=list(run.unknown))
        if not self.run_executor:
            report.esr_note = "not computed: esr=False"
        return report


def score_sample(row: dict[str, Any], code: str | None, context: FlexScriptEvaluator) -> SampleScore:
    """Structural, parameter and executable scores of one reference row against one predicted script.

    ``code`` None means no prediction: scored as an empty script, outcome ``missing``. BLEU is
    filled in afterwards for all samples at once.
    """
    predicted = code is not None
    code = code or ""
    sample = SampleScore(sample_id=row["sample_id"], layers={layer: row.get(layer, "?") for layer in LAYERS},
                         predicted=predicted, bleu=0.0)
    if context.mode in ("textual", "both"):
        reference = textual_reference(row)
        sample.textual = match(reference, reference if code == row["code"] else read_statements(code))
    if not context.run_executor:
        return sample
    spec_graph = reference_graph(row["spec"])
    execution = None
    if predicted:
        stored = StoredCheck(row["code"], row["exec_outcome"], spec_graph) if row.get("exec_outcome") else None
        execution = execute(code, seed=context.seed_of(int(row["index"])), stored=stored)
        sample.outcome_reused = execution.reused
    sample.outcome = execution.outcome if execution else MISSING
    if context.mode in ("executed", "both"):
        built = execution.statements if execution else Statements()
        sample.executed = match(statements_from_graph(spec_graph), built)
    return sample


YOUNG_OBJECTS = 20_000
"""The cycle collector's first threshold while scoring, with the objects alive at its start frozen
(``collector.fewer_collections``). Reading, parsing and running a script makes thousands of short-lived
objects; at the default threshold (700) the collector ran some 18,600 times per 5,000 samples and moved
each script's still-live tree into the oldest generation, which set off about 150 full collections:
10 s of CPU in all, 0.4 s at this threshold. Frozen, the corpus rows and the compiled statements cached
by the chunks scored before are not scanned again (1.2 s -> 0.4 s of collections over the 5,000 bench
predictions)."""
