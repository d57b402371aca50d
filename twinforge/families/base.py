"""What the engine needs to know about one kind of corpus: a declaration and a few methods.

The engine (plan, shard runner, manifest, dedup, splits, coverage, card, export, show, eval)
never names a family or its columns. It reads the family's ``FamilyDeclaration`` (record schema,
layer columns, exact-duplicate key, dedup text, which columns are image, prompt and response, card
prose) and calls the ``CorpusFamily`` methods below. A family is a vertical slice under
``families/`` and is found by name in the registry (``families/__init__.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyarrow as pa
from pydantic import BaseModel

from twinforge.metrics.predictions import EvalRun
from twinforge.schemas.recipe import Recipe


@dataclass(frozen=True)
class ValueHistograms:
    """Histograms of the numbers inside a JSON column (e.g. a gene's parameters) on the card.

    ``values(text)`` yields ``(figure, panel, dimension, value)`` for one cell of ``column``: the
    card draws one figure per ``figure`` name (e.g. a category), one panel per ``panel`` name (e.g.
    template.parameter) and one outline per vector dimension.
    """

    column: str
    values: Callable[[str], Iterable[tuple[str, str, int, float]]]


@dataclass(frozen=True)
class CardText:
    """What the dataset card says about a family beyond its figures."""

    summary: str
    """One sentence: what a sample is."""
    motivation: str
    """Why the corpus exists and what a model learns from it."""
    notes: tuple[str, ...] = ()
    """Sentences stated under "Limitations" (what is approximate, and why)."""
    numeric: tuple[str, ...] = ()
    """Integer columns drawn as histograms."""
    categorical: tuple[str, ...] = ()
    """String (or list-of-string) columns drawn as bar charts (a list counts each element)."""
    contact_sheet: str | None = None
    """An image column (an image or a list of them): the card shows a contact sheet of the first
    image of up to 40 samples, taken in turn from each value of the first layer."""
    histograms: ValueHistograms | None = None
    """Histograms of the numbers inside a JSON column."""
    json_ranges: tuple[str, ...] = ()
    """JSON-object string columns whose numeric keys are summarised (min, median, max)."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """Column -> what it holds, with units: the card's column schema."""
    labels: str = ""
    """How the labels (e.g. KPIs) are computed, for the card."""
    biases: tuple[str, ...] = ()
    """Known biases of the corpus a user should weigh."""
    intended_use: str = ""
    """What the corpus is for, and what it is not for."""


@dataclass(frozen=True)
class RowExpansion:
    """How the ``jsonl`` and ``hf`` exports turn one corpus row into several training pairs (e.g. one per pose).

    ``expand(row)`` gets the row's export columns and ``columns`` and returns one dict per pair: a
    unique file-safe ``pair_id``, ``pair_image`` (PNG bytes or None) and values for export columns,
    which replace the row's (a field named in ``fields`` has that Arrow type in the hf export).
    """

    columns: tuple[str, ...]
    fields: pa.Schema
    expand: Callable[[Mapping[str, Any]], list[dict[str, Any]]]


GrammarHook = Callable[[str, str | None, str], str]
"""``(format, subset or None for all, value form) -> grammar text``; raises ``UserError`` on a bad choice."""


@dataclass(frozen=True)
class ReviewView:
    """What ``twinforge review`` shows of a sample: the engine names no column, the family does."""

    tags: tuple[str, ...] = ()
    """String columns shown as tags on each grid card."""
    filters: tuple[str, ...] = ()
    """String columns the grid can be filtered by (each value offered with its count)."""
    outcome: str | None = None
    """The column holding a sample's check outcome (``ok`` is shown as a pass)."""
    metrics: str | None = None
    """A JSON-object column of numbers (e.g. KPIs) shown on the sample page."""
    card_metrics: tuple[str, ...] = ()
    """Keys of ``metrics`` also shown on the grid card."""
    images: tuple[str, ...] = ()
    """Image columns in order of preference: the first one a row holds is shown (a PNG Image
    struct, a list of them, or SVG text)."""
    code: tuple[tuple[str, str], ...] = ()
    """``(column, Pygments lexer name)`` of text shown highlighted on the sample page (JSON text is
    pretty-printed; ``text`` leaves it plain, the cheaper choice for long data)."""
    details: tuple[str, ...] = ()
    """Other columns listed on the sample page."""
    prompt_source: str | None = None
    """The column saying who wrote the prompt; an accepted edit sets it to ``human:<reviewer>``."""


@dataclass(frozen=True)
class FamilyDeclaration:
    """The columns of a family's records and what each means to the engine."""

    name: str
    record_schema: pa.Schema
    """The schema of ``make_records``' output (plain types only, without the ``minhash`` column)."""
    layers: tuple[str, ...]
    """Columns that together name a sample's cell (the plan's strata; coverage checks their pairs)."""
    split_keys: Mapping[str, str]
    """``ood:<key>=<value>`` key -> column (a string column, or a list column tested by membership)."""
    exact_key: str
    """Column whose equality means two samples are exact duplicates (e.g. a canonical hash)."""
    dedup_columns: tuple[str, ...]
    """Text columns joined by newlines into the text whose shingles feed the MinHash signature."""
    prompt_column: str
    """What a model is given (text)."""
    response_column: str
    """What a model must produce (text)."""
    image_column: str | None
    """An image a model is given beside the prompt, if the family has images: a PNG stored as
    ``datasets``' Image struct ``{bytes, path}`` (``pipeline.hf.image_value``)."""
    export_columns: tuple[str, ...]
    """Columns the jsonl and hf exports carry (those present in the corpus)."""
    json_columns: tuple[str, ...] = ()
    """Export columns holding JSON text, decoded in the jsonl export."""
    dedup_part: str | None = None
    """One of ``dedup_columns`` that a regeneration often keeps (the factory's code, which a
    prompt-template change leaves alone): the MinHash values of the shingles inside it are stored
    (``minhash_part``), so such a run hashes only the shingles of the other columns."""
    needs_image: tuple[str, str] | None = None
    """``(column, value)``: rows whose prompt is incomplete without the image (kept out of text-only exports)."""
    card: CardText = field(default_factory=lambda: CardText("", ""))
    packages: tuple[str, ...] = ()
    """Installed packages whose versions shape the records' bytes (listed in the manifest)."""
    show_columns: tuple[str, ...] = ()
    """Columns ``twinforge show`` prints, in order."""
    show_files: Mapping[str, str] = field(default_factory=dict)
    """Column -> file suffix that ``twinforge show`` writes to files (e.g. a sketch as .svg and .png)."""
    expansion: RowExpansion | None = None
    """One training pair per element of a row in the jsonl and hf exports (None: one pair per row)."""
    grammar: GrammarHook | None = None
    """The grammar of the family's responses for constrained decoding (``twinforge grammar``), if it has one."""
    review: ReviewView = field(default_factory=ReviewView)
    """What the review site shows and filters by."""

    def prompt_needs_image(self, record: Mapping[str, Any]) -> bool:
        """Whether a record's prompt refers to its image (it cannot be trained on as text alone)."""
        return self.needs_image is not None and record.get(self.needs_image[0]) == self.needs_image[1]

    def dedup_text(self, record: Mapping[str, Any]) -> str:
        """The text of a record whose shingles feed its MinHash signature."""
        return "\n".join(record[column] for column in self.dedup_columns)


class _FromPrevious:
    """The type of ``FROM_PREVIOUS`` (one instance)."""

    def __repr__(self) -> str:
        return "FROM_PREVIOUS"


FROM_PREVIOUS = _FromPrevious()
"""A record value meaning "this column of the sample's previous record, unchanged" (``generate
--reuse``): the engine copies it at the Arrow level, so a copied sketch or check never becomes
Python objects."""


@dataclass(frozen=True)
class Previous:
    """A previous corpus's rows of a shard's samples, for ``generate --reuse``.

    A family may copy a stage's output from the previous row of a sample instead of recomputing it,
    but only when it has checked that the stage's inputs (e.g. the code it ran, the spec it drew)
    and version (from ``provenance`` or the row) are those of this run: the record must come out
    byte-identical to a fresh one. It copies a value by setting it to ``FROM_PREVIOUS``, and reads
    the old values it compares with ``value``/``column`` (one column turned into Python at a time).
    """

    provenance: Mapping[str, str]
    """The previous corpus's ``CorpusFamily.provenance``."""
    recipe: Mapping[str, Any]
    """The previous corpus's recipe data (``Recipe.to_data()``)."""
    table: pa.Table
    """The previous rows (the shard's sample indices that the old corpus has), as read."""
    rows: Mapping[int, int]
    """Sample index -> its row in ``table``."""
    _columns: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)

    def __contains__(self, index: int) -> bool:
        return index in self.rows

    def column(self, name: str) -> list[Any]:
        """The Python values of one column of ``table`` (converted once)."""
        if name not in self._columns:
            self._columns[name] = self.table.column(name).to_pylist()
        return self._columns[name]

    def value(self, index: int, name: str) -> Any:
        """The previous value of ``name`` for sample ``index`` (which must be in ``rows``)."""
        return self.column(name)[self.rows[index]]


class Evaluator(Protocol):
    """Scores predictions of one family against reference rows (``twinforge eval``).

    ``score`` runs in worker processes (the runner's), so an evaluator must be picklable.
    """

    columns: Sequence[str]
    """Corpus columns the reference rows need."""

    def score(self, rows: list[dict[str, Any]], predictions: list[str | None]) -> list[Any]:
        """Per-row scores (``None`` prediction: the sample has none)."""

    def report(self, run: EvalRun, rows: list[dict[str, Any]], predictions: list[str | None],
               scores: list[Any]) -> Any:
        """The run's report (with ``table()``, ``to_json()`` and a settable ``seconds``)."""


@runtime_checkable
class CorpusFamily(Protocol):
    """One kind of corpus. Instances must be picklable (they travel to Dask workers)."""

    declaration: FamilyDeclaration
    settings_model: type[BaseModel] | None
    """The pydantic model of the recipe keys beside the core (None: the family takes none)."""

    def cells(self, recipe: Recipe) -> list[tuple[Hashable, float]]:
        """Every cell with its weight (weight 0: the recipe leaves it out)."""

    def preflight(self, recipe: Recipe) -> None:
        """Fail before any work (``UserError``) if the recipe cannot run here, e.g. a missing API key."""

    def make_records(self, recipe: Recipe, samples: list[tuple[int, Hashable]], workspace: Path,
                     progress: Callable[[int], None], previous: Previous | None = None) -> list[dict[str, Any]]:
        """The records of one shard's ``(index, cell)`` samples, in order: pure functions of the recipe.

        ``workspace`` is a folder inside the corpus where the family may keep caches across runs
        (e.g. LLM answers); what it holds must never change a record's bytes. ``progress(n)`` is
        called as records are finished (``n`` of them each time), for the progress bar.
        ``previous`` (``generate --reuse``) holds an older corpus's rows of these samples; a
        family may ignore it, or set a value it has checked unchanged to ``FROM_PREVIOUS``.
        """

    def coverage_targets(self, recipe: Recipe) -> dict[str, list[str]]:
        """Column -> values that must each appear ``min_count`` times (list columns count rows holding it)."""

    def provenance(self, recipe: Recipe) -> dict[str, str]:
        """Versions of everything that shapes a record's bytes (templates, renderers), for the manifest."""

    def evaluator(self, recipe: Recipe, mode: str) -> Evaluator | None:
        """How predictions are scored in ``mode`` (None: the family has no evaluation)."""

    def prompt_problems(self, recipe: Recipe, record: Mapping[str, Any], prompt: str) -> list[str]:
        """Why ``prompt`` is not a faithful prompt for ``record`` (empty: it is): a reviewer's edit
        is accepted only when this finds nothing."""
