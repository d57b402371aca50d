"""``twinforge eval`` for genes: Concept Accuracy, Float Error, Chamfer distance and F-score (GeneVLM §6).

A prediction is the gene's JSON text (the ``gene`` field of a predictions row, or a JSON object
there), optionally wrapped in ``<code>…</code>`` as the release's model writes it. Concept Accuracy
is the share of the split's samples whose prediction passes the executable check and has the
reference's set of ConceptTemplates (a missing or malformed prediction counts as wrong, and every
sample's outcome is counted). Float Error is the mean absolute difference of paper-form quantile
indices (0-1023) over paired instances, only for structurally correct predictions whose template
multiset is the reference's (so instances pair up). Shapes compare ``PAPER_POINTS`` surface points
of the posed meshes of every executable prediction, in the paper's definition (``chamfer``,
``fscore``: unit sphere, coarse rotation grid, ICP, squared distances) and the release code's
(``chamfer_release``, ``fscore_release``: plain distances over the longest box edge, the pose as
predicted).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from twinforge.families.gene.check import check_gene_text
from twinforge.families.gene.sampler import Stage, posed
from twinforge.families.gene.tokens import reference_tables
from twinforge.metrics.gene_metrics import (
    F_THRESHOLDS,
    PAPER_POINTS,
    concept_match,
    float_error,
    pair_instances,
    paper_scores,
    release_scores,
    surface_points,
)
from twinforge.metrics.predictions import EvalRun
from twinforge.schemas.gene import Gene, unwrap_code
from twinforge.seeding import sample_rng


@dataclass
class GeneScore:
    """The scores of one sample of the split (None: not defined for this prediction)."""

    sample_id: str
    category: str
    predicted: bool
    outcome: str | None
    message: str = ""
    concept: bool = False
    float_error: float | None = None
    chamfer: float | None = None
    fscore: dict[str, float] | None = None
    chamfer_release: float | None = None
    fscore_release: dict[str, float] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"sample_id": self.sample_id, "category": self.category, "predicted": self.predicted,
                "outcome": self.outcome, "message": self.message, "concept": self.concept,
                "float_error": self.float_error, "chamfer": self.chamfer, "fscore": self.fscore,
                "chamfer_release": self.chamfer_release, "fscore_release": self.fscore_release}


def _mean(values: list[float]) -> float | None:
    return fmean(values) if values else None


@dataclass
class GeneReport:
    """Scores of a run, overall and per category."""

    run: EvalRun
    samples: list[GeneScore]
    seconds: float = 0.0

    def summary(self, samples: list[GeneScore] | None = None) -> dict[str, Any]:
        """Counts and means of ``samples`` (all by default)."""
        samples = self.samples if samples is None else samples
        executable = [s for s in samples if s.outcome == "ok"]
        result: dict[str, Any] = {
            "samples": len(samples), "predicted": sum(s.predicted for s in samples),
            "executable": len(executable) / len(samples) if samples else 0.0,
            "concept_accuracy": sum(s.concept for s in samples) / len(samples) if samples else 0.0,
            "float_error": _mean([s.float_error for s in samples if s.float_error is not None]),
            "chamfer": _mean([s.chamfer for s in executable if s.chamfer is not None]),
            "chamfer_release": _mean([s.chamfer_release for s in executable if s.chamfer_release is not None]),
        }
        for tau in F_THRESHOLDS:
            result[f"fscore@{tau}"] = _mean([s.fscore[str(tau)] for s in executable if s.fscore])
            result[f"fscore_release@{tau}"] = _mean([s.fscore_release[str(tau)] for s in executable
                                                     if s.fscore_release])
        result["outcomes"] = dict(sorted(Counter(s.outcome or "missing" for s in samples).items()))
        return result

    def breakdown(self) -> dict[str, dict[str, Any]]:
        categories = sorted({s.category for s in self.samples})
        return {c: self.summary([s for s in self.samples if s.category == c]) for c in categories}

    def to_json(self) -> dict[str, Any]:
        return {"corpus": self.run.corpus, "split": self.run.split, "seconds": round(self.seconds, 3),
                "missing": list(self.run.missing), "duplicates": list(self.run.duplicates),
                "unknown": list(self.run.unknown), "summary": self.summary(), "per_category": self.breakdown(),
                "samples": [s.to_json() for s in self.samples]}

    def table(self) -> str:
        """A plain-text table: the summary row, then one row per category."""
        keys = ["samples", "executable", "concept_accuracy", "float_error", "chamfer",
                *[f"fscore@{tau}" for tau in F_THRESHOLDS], "chamfer_release"]
        lines = ["\t".join(["scope", *keys])]
        for scope, summary in [("all", self.summary()), *self.breakdown().items()]:
            lines.append("\t".join([scope, *(_fmt(summary[k]) for k in keys)]))
        outcomes = ", ".join(f"{k} {v}" for k, v in self.summary()["outcomes"].items())
        lines.append(f"outcomes: {outcomes}; missing {len(self.run.missing)}, duplicates {len(self.run.duplicates)}, "
                     f"unknown {len(self.run.unknown)}; {self.seconds:.1f} s")
        return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _indices(gene: Gene, pairs: list[tuple[int, int]], side: int) -> list[int]:
    tables = reference_tables()
    out = []
    for pair in pairs:
        instance = gene.conceptualization[pair[side]]
        for name in sorted(instance.parameters):
            for dim, value in enumerate(instance.parameters[name]):
                out.append(tables.index((gene.category, instance.template, name, dim), value, "paper"))
    return out


@dataclass(frozen=True)
class GeneEvaluator:
    """Scores predicted genes against the corpus's (picklable: it travels to the runner's workers)."""

    seed: int
    columns: tuple[str, ...] = ("sample_id", "index", "category", "gene")

    def score(self, rows: list[dict[str, Any]], predictions: list[str | None]) -> list[GeneScore]:
        return [self.score_one(row, text) for row, text in zip(rows, predictions, strict=True)]

    def score_one(self, row: dict[str, Any], text: str | None) -> GeneScore:
        """The scores of one prediction against its reference row."""
        score = GeneScore(row["sample_id"], row["category"], text is not None, None)
        if text is None:
            return score
        predicted = check_gene_text(unwrap_code(text))
        score.outcome, score.message = predicted.outcome, predicted.message
        if predicted.outcome != "ok" or predicted.gene is None or predicted.mesh is None:
            return score
        reference = check_gene_text(row["gene"])
        assert reference.gene is not None and reference.mesh is not None, reference.message
        names = [i.template for i in reference.gene.conceptualization]
        guessed = [i.template for i in predicted.gene.conceptualization]
        score.concept = predicted.gene.category == reference.gene.category and concept_match(names, guessed)
        pairs = pair_instances(names, guessed) if predicted.gene.category == reference.gene.category else None
        if pairs is not None:
            score.float_error = float_error(_indices(reference.gene, pairs, 0), _indices(predicted.gene, pairs, 1))
        clouds = []
        for result in (reference, predicted):
            mesh = posed(result.mesh, result.gene.pose)  # the same stream: an exact prediction gives the same points
            clouds.append(surface_points(mesh.vertices, mesh.faces, PAPER_POINTS,
                                         sample_rng(self.seed, int(row["index"]), Stage.EVAL)))
        paper, release = paper_scores(*clouds), release_scores(*clouds)
        score.chamfer, score.fscore = paper.chamfer, {str(k): v for k, v in paper.fscore.items()}
        score.chamfer_release = release.chamfer
        score.fscore_release = {str(k): v for k, v in release.fscore.items()}
        return score

    def report(self, run: EvalRun, rows: list[dict[str, Any]], predictions: list[str | None],
               scores: list[GeneScore]) -> GeneReport:
        return GeneReport(run, scores)


__all__ = ["GeneEvaluator", "GeneReport", "GeneScore"]
