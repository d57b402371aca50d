"""``twinforge eval``: score a predictions file against a corpus split, with the family's evaluator.

Every sample of the split is scored. A sample without a prediction is scored as empty and listed
as missing; an id predicted twice is scored once (the first) and listed as a duplicate; a
predicted id not in the split is listed as unknown and not scored. A file none of whose ids are in
the split is refused: its scores would all be zero and mean nothing.

Scoring runs through the one runner (``runner.run_tasks``), in chunks of rows: in this process,
or in ``workers`` processes with the same results in the same order.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from twinforge.errors import UserError
from twinforge.families import Evaluator
from twinforge.metrics.predictions import EvalRun, read_predictions
from twinforge.pipeline.corpus import Corpus
from twinforge.pipeline.runner import run_tasks

CHUNKS_PER_WORKER = 8
"""Rows are cut into this many chunks per worker: enough to balance, few enough to ship cheaply."""


def _score_chunk(evaluator: Evaluator, chunk: tuple[int, list[dict[str, Any]], list[str | None]]
                 ) -> tuple[int, list[Any]]:
    position, rows, predictions = chunk
    return position, evaluator.score(rows, predictions)


def score_rows(evaluator: Evaluator, rows: list[dict[str, Any]], predictions: list[str | None],
               workers: int, on_progress: Callable[[int], None] | None = None) -> list[Any]:
    """``evaluator.score`` over all rows, in ``workers`` processes, in row order."""
    size = max(1, len(rows) // (max(workers, 1) * CHUNKS_PER_WORKER)) if workers > 1 else max(1, len(rows) // 20)
    chunks = [(start, rows[start:start + size], predictions[start:start + size])
              for start in range(0, len(rows), size)]
    done: dict[int, list[Any]] = {}

    def collect(result: tuple[int, list[Any]]) -> None:
        done[result[0]] = result[1]
        if on_progress:
            on_progress(len(result[1]))

    run_tasks(functools.partial(_score_chunk, evaluator), chunks, collect, workers=workers)
    return [score for start in sorted(done) for score in done[start]]


def evaluate_predictions(pred_path: str | Path, corpus: Corpus, split: str = "test", mode: str = "both",
                         workers: int = 1, evaluator: Evaluator | None = None,
                         on_progress: Callable[[int], None] | None = None) -> Any:
    """Score the predictions in ``pred_path`` against the ``split`` rows of ``corpus``.

    ``evaluator`` defaults to the corpus family's for ``mode``; the report it returns has
    ``table()`` and ``to_json()`` and its ``seconds`` is set here.
    """
    if workers < 1:
        raise UserError(f"--workers must be at least 1, got {workers}")
    declaration = corpus.family.declaration
    evaluator = evaluator or corpus.family.evaluator(corpus.recipe, mode)
    if evaluator is None:
        raise UserError(f"the {declaration.name!r} family has no evaluation")
    start = time.perf_counter()
    predictions = read_predictions(pred_path, declaration.response_column)
    rows = corpus.read(columns=list(evaluator.columns), split=split).to_pylist()
    if not rows:
        raise UserError(f"{corpus.location}: split {split!r} has no samples")
    ids = [row["sample_id"] for row in rows]
    known = set(ids)
    if not any(sample_id in known for sample_id in predictions.texts):
        raise UserError(f"{pred_path}: none of its {predictions.rows} prediction(s) has a sample_id of split "
                        f"{split!r} of {corpus.location} (e.g. {ids[0]!r}); nothing to score")
    texts = [predictions.texts.get(sample_id) for sample_id in ids]
    scores = score_rows(evaluator, rows, texts, workers, on_progress)
    run = EvalRun(corpus=str(corpus.location), split=split,
                  missing=tuple(i for i in ids if i not in predictions.texts),
                  duplicates=tuple(predictions.duplicates),
                  unknown=tuple(i for i in predictions.texts if i not in known))
    report = evaluator.report(run, rows, texts, scores)
    report.seconds = time.perf_counter() - start
    return report
