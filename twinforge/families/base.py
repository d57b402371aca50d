"""``CorpusFamily``: what the generic pipeline needs to know about one kind of corpus.

The pipeline (plan, shard runner, dedup, splits, coverage, card, show) never names factories: it
asks the family for its cells, one record per sample, the Arrow schema of those records, and
which columns mean what. A second family (e.g. Digital-Gene image/JSON pairs) implements the same
protocol beside ``factory.py``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Protocol, runtime_checkable

import pyarrow as pa

from twinforge.schemas.recipe import Recipe


@runtime_checkable
class CorpusFamily(Protocol):
    """One kind of corpus. Instances must be picklable (they travel to Dask workers)."""

    name: str
    layers: tuple[str, ...]
    """Columns that together name a sample's cell (the plan's strata; coverage checks their pairs)."""
    split_keys: Mapping[str, str]
    """``ood:<key>=<value>`` key -> column (a string column, or a list column tested by membership)."""
    exact_key: str
    """Column whose equality means two samples are exact duplicates (e.g. the canonical spec hash)."""
    card_numeric: tuple[str, ...]
    """Integer columns the dataset card draws as histograms."""
    card_categorical: tuple[str, ...]
    """String columns the dataset card draws as bar charts."""
    card_json_ranges: tuple[str, ...]
    """JSON-object string columns whose numeric keys the card summarises (min, median, max)."""
    card_notes: tuple[str, ...]
    """Sentences the dataset card states under "Limitations" (what is approximate, and why)."""
    show_columns: tuple[str, ...]
    """Columns ``twinforge show`` prints, in order."""
    show_files: Mapping[str, str]
    """Column -> file suffix that ``twinforge show`` writes to files (e.g. the sketch as .svg and .png)."""

    def cells(self, recipe: Recipe) -> list[tuple[Hashable, float]]:
        """Every cell with its weight (weight 0: the recipe leaves it out)."""

    def preflight(self, recipe: Recipe) -> None:
        """Fail before any work (``UserError``) if the recipe cannot run here, e.g. a missing API key."""

    def make_record(self, recipe: Recipe, index: int, cell: Hashable) -> dict[str, Any]:
        """The record of sample ``index``: a pure function of recipe, index and cell."""

    def make_records(self, recipe: Recipe, samples: list[tuple[int, Hashable]]) -> list[dict[str, Any]]:
        """The records of one shard, in order (a family may batch work across them, e.g. LLM calls)."""

    def dedup_text(self, record: Mapping[str, Any]) -> str:
        """The text whose shingles feed the MinHash signature."""

    def arrow_schema(self) -> pa.Schema:
        """The schema of ``make_record``'s output (plain types only, without the ``minhash`` column)."""

    def coverage_targets(self, recipe: Recipe) -> dict[str, list[str]]:
        """Column -> values that must each appear ``min_count`` times (list columns count rows holding it)."""

    def provenance(self, recipe: Recipe) -> dict[str, str]:
        """Versions of everything that shapes a record's bytes (templates, renderers), for the manifest."""
