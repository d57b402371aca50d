"""A tiny ``CorpusFamily`` for testing the engine without the factory renderers.

It implements only the family protocol and takes no recipe keys beyond the core: a recipe of
``family = "toy"`` has name, family, seed, count and the engine's tables, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import pyarrow as pa

from twinforge.families import CardText, FamilyDeclaration, Previous, register_family
from twinforge.schemas.recipe import Recipe
from twinforge.seeding import sample_rng

COLOURS = ("red", "green", "blue")
SHAPES = ("circle", "square")
WORDS = tuple(f"word{i}" for i in range(100))
WORDS_STAGE = 0


@dataclass(frozen=True)
class ToyCell:
    colour: str
    shape: str


def toy_words(seed: int, index: int) -> list[str]:
    """The words of sample ``index``: a copy of ``index - 1`` (exact), a copy but its last word (near), or fresh."""
    if index % 7 == 3:
        return toy_words(seed, index - 1)
    if index % 11 == 5:
        return [*toy_words(seed, index - 1)[:-1], "omega"]
    return [str(w) for w in sample_rng(seed, index, WORDS_STAGE).choice(WORDS, size=80)]


TOY_DECLARATION = FamilyDeclaration(
    name="toy",
    record_schema=pa.schema([
        ("sample_id", pa.string()), ("index", pa.int64()), ("colour", pa.string()), ("shape", pa.string()),
        ("text", pa.string()), ("words", pa.list_(pa.string())), ("n_words", pa.int64()),
        ("content_hash", pa.string()), ("stats", pa.string()), ("answer", pa.string()),
    ]),
    layers=("colour", "shape"),
    split_keys={"colour": "colour", "shape": "shape", "word": "words"},
    exact_key="content_hash",
    dedup_columns=("text",),
    prompt_column="text",
    response_column="answer",
    image_column=None,
    export_columns=("sample_id", "index", "colour", "shape", "text", "answer", "stats"),
    json_columns=("stats",),
    card=CardText(summary="Toy records: 80 random words and the colour as the answer.",
                  motivation="Testing the engine.", notes=("Toy records are random words.",),
                  numeric=("n_words",), categorical=("colour",), json_ranges=("stats",)),
    show_columns=("colour", "shape", "text"),
    show_files={"text": ".txt"},
)


class ToyFamily:
    """Records are 80 random words per sample, with planted duplicates.

    A sample with ``index % 7 == 3`` repeats sample ``index - 1`` exactly; one with ``index % 11 == 5``
    repeats it but for its last word (a near duplicate: Jaccard of 5-shingles about 0.97).
    """

    declaration = TOY_DECLARATION
    settings_model = None

    def cells(self, recipe: Recipe) -> list[tuple[ToyCell, float]]:
        return [(ToyCell(c, s), 1.0) for c, s in product(COLOURS, SHAPES)]

    def preflight(self, recipe: Recipe) -> None:
        return None

    def make_records(self, recipe: Recipe, samples: list[tuple[int, ToyCell]], workspace: Path,
                     progress: Callable[[int], None], previous: Previous | None = None) -> list[dict[str, Any]]:
        """Fresh records always (a family may ignore ``previous``)."""
        records = []
        for index, cell in samples:
            records.append(self.make_record(recipe, index, cell))
            progress(1)
        return records

    def make_record(self, recipe: Recipe, index: int, cell: ToyCell) -> dict[str, Any]:
        words = toy_words(recipe.seed, index)
        text = " ".join(words)
        return {
            "sample_id": f"{recipe.name}-{index:07d}", "index": index, "colour": cell.colour,
            "shape": cell.shape, "text": text, "words": sorted(set(words)), "n_words": len(words),
            "content_hash": hashlib.sha256(text.encode()).hexdigest(),
            "stats": json.dumps({"length": len(text)}), "answer": cell.colour,
        }

    def coverage_targets(self, recipe: Recipe) -> dict[str, list[str]]:
        return {"colour": list(COLOURS), "shape": list(SHAPES)}

    def provenance(self, recipe: Recipe) -> dict[str, str]:
        return {"toy_version": "1"}

    def evaluator(self, recipe: Recipe, mode: str) -> None:
        return None

    def prompt_problems(self, recipe: Recipe, record: dict[str, Any], prompt: str) -> list[str]:
        """A toy prompt keeps its words' count."""
        count = len(prompt.split())
        return [] if count == record["n_words"] else [f"{count} words, not {record['n_words']}"]


class SlowToyFamily(ToyFamily):
    """The toy family at 20 ms a sample, so that a run can be killed in the middle."""

    def make_record(self, recipe: Recipe, index: int, cell: ToyCell) -> dict[str, Any]:
        time.sleep(0.02)
        return super().make_record(recipe, index, cell)


def register() -> None:
    """Make ``toy`` and ``slow_toy`` families a recipe may name (the registry takes names only)."""
    register_family("toy", ToyFamily)
    register_family("slow_toy", SlowToyFamily)
