"""The Digital-Gene family: one row per procedural gene with its poses and white images (GeneVLM §4).

Per sample: the gene's instances (``sampler.sample_parts``), its poses (redrawn until the object is
in frame), the executable check of the canonical text (``check.check_gene_text``), and one
untextured grey-on-white PNG per pose from twinforge's numpy rasteriser. The ``gene`` column holds
the gene under the first pose; ``poses`` holds every pose, so image ``k`` pairs with the gene under
pose ``k``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import pyarrow as pa

from twinforge import __version__
from twinforge.families.base import FamilyDeclaration, Previous, ReviewView
from twinforge.families.gene.card import CARD
from twinforge.families.gene.categories import categories, param_table
from twinforge.families.gene.check import check_gene_text
from twinforge.families.gene.evaluate import GeneEvaluator
from twinforge.families.gene.grammar import gene_grammar
from twinforge.families.gene.pairs import POSE_PAIRS, prompt_text
from twinforge.families.gene.sampler import GeneCell, object_mesh, posed, sample_parts, sample_poses, to_gene
from twinforge.families.gene.settings import GeneSettings
from twinforge.families.gene.tokens import encode_gene
from twinforge.renderers.gene.raster import RASTER_VERSION, encode_png, pixel_sha256, rasterize
from twinforge.schemas.gene import GenePose, canonical_gene_json, gene_hash
from twinforge.schemas.image import IMAGE_TYPE, image_value
from twinforge.schemas.recipe import Recipe

TEMPLATE_VERSION = "2"
"""Version of the template library and sampler (bump when a record's bytes change)."""
ORIGIN = GenePose(global_position=[0, 0, 0], global_rotation=[0, 0, 0])

RECORD_SCHEMA = pa.schema([
    ("sample_id", pa.string()), ("index", pa.int64()), ("category", pa.string()), ("subtype", pa.string()),
    ("templates", pa.list_(pa.string())), ("n_instances", pa.int32()),
    ("gene", pa.string()), ("gene_hash", pa.string()), ("gene_tokens", pa.string()), ("prompt", pa.string()),
    ("poses", pa.string()), ("images", pa.list_(IMAGE_TYPE)), ("image_sha256", pa.list_(pa.string())),
    ("exec_outcome", pa.string()), ("exec_message", pa.string()), ("mesh_stats", pa.string()),
    ("recipe", pa.string()), ("seed", pa.int64()), ("twinforge_version", pa.string()),
    ("template_version", pa.string()), ("raster_version", pa.string()),
])

NUMBER = r"\d+(?:\.\d+)?"
"""A number as a prompt writes it."""

DECLARATION = FamilyDeclaration(
    name="gene",
    record_schema=RECORD_SCHEMA,
    layers=("category", "subtype"),
    split_keys={"category": "category", "subtype": "subtype", "template": "templates"},
    exact_key="gene_hash",
    dedup_columns=("gene_tokens",),
    prompt_column="prompt",
    response_column="gene",
    image_column=None,
    export_columns=("sample_id", "pair_id", "pose_index", "index", "category", "subtype", "exec_outcome", "prompt",
                    "response", "gene", "poses", "mesh_stats"),
    json_columns=("gene", "poses", "mesh_stats"),
    card=CARD,
    packages=("numpy", "pillow", "pydantic"),
    show_columns=("category", "subtype", "templates", "exec_outcome", "exec_message", "poses", "mesh_stats", "gene"),
    show_files={"gene": ".json", "images": ".png"},
    expansion=POSE_PAIRS,
    grammar=gene_grammar,
    review=ReviewView(
        tags=("category", "subtype"),
        filters=("category", "subtype", "exec_outcome"),
        outcome="exec_outcome",
        metrics="mesh_stats",
        card_metrics=("faces", "area"),
        images=("images",),
        code=(("gene", "json"), ("gene_tokens", "text"), ("poses", "text")),
        details=("templates", "n_instances", "exec_message"),
    ),
)


class GeneFamily:
    """Image-gene pairs over the (category, subtype) cells of eight Digital-Gene categories."""

    declaration = DECLARATION
    settings_model = GeneSettings

    def cells(self, recipe: Recipe) -> list[tuple[GeneCell, float]]:
        """Every (category, subtype), its category's weight shared equally by the subtypes."""
        weights = _settings(recipe).categories
        return [(GeneCell(name, subtype), weights[name] / len(category.subtypes))
                for name, category in categories().items() for subtype in category.subtypes]

    def preflight(self, recipe: Recipe) -> None:
        return None

    def make_records(self, recipe: Recipe, samples: list[tuple[int, GeneCell]], workspace: Path,
                     progress: Callable[[int], None], previous: Previous | None = None) -> list[dict[str, Any]]:
        """Every gene computed afresh (``previous`` is not used: a gene costs milliseconds)."""
        records = []
        for index, cell in samples:
            records.append(self.make_record(recipe, index, cell))
            progress(1)
        return records

    def make_record(self, recipe: Recipe, index: int, cell: GeneCell) -> dict[str, Any]:
        """The record of sample ``index``: a pure function of the recipe, the index and the cell."""
        settings = _settings(recipe)
        table = param_table()
        parts = sample_parts(recipe.seed, index, cell, settings.removal_rate)
        mesh = object_mesh([(p.template, p.params) for p in parts])
        poses = sample_poses(recipe.seed, index, mesh, settings.poses, settings.image_size)
        first = to_gene(cell.category, parts, poses[0])
        gene = canonical_gene_json(first, table)
        result = check_gene_text(gene)
        shape = result.mesh if result.mesh is not None else mesh
        sample_id = f"{recipe.name}-{index:07d}"
        images, hashes = [], []
        for k, pose in enumerate(poses):
            pixels = rasterize(posed(shape, pose), settings.image_size)
            images.append(image_value(encode_png(pixels), f"{sample_id}-{k}.png"))
            hashes.append(pixel_sha256(pixels))
        return {
            "sample_id": sample_id, "index": index, "category": cell.category, "subtype": cell.subtype,
            "templates": sorted({p.template.name for p in parts}), "n_instances": len(parts),
            "gene": gene, "gene_hash": gene_hash(to_gene(cell.category, parts, ORIGIN), table), "gene_tokens": encode_gene(first, "release"),
            "prompt": prompt_text(cell.category),
            "poses": json.dumps([pose.model_dump() for pose in poses]), "images": images, "image_sha256": hashes,
            "exec_outcome": result.outcome, "exec_message": result.message,
            "mesh_stats": json.dumps(result.stats, sort_keys=True),
            "recipe": recipe.name, "seed": recipe.seed, "twinforge_version": __version__,
            "template_version": TEMPLATE_VERSION, "raster_version": RASTER_VERSION,
        }

    def coverage_targets(self, recipe: Recipe) -> dict[str, list[str]]:
        """Every category with a positive weight and every template it can use (subtypes are per category,
        so they are planned, not crossed with every category here)."""
        wanted = [name for name, weight in _settings(recipe).categories.items() if weight > 0]
        return {"category": wanted, "templates": sorted({t for name in wanted for t in categories()[name].templates})}

    def provenance(self, recipe: Recipe) -> dict[str, str]:
        return {"twinforge": __version__, "gene_templates": TEMPLATE_VERSION, "gene_raster": RASTER_VERSION}

    def prompt_problems(self, recipe: Recipe, record: Mapping[str, Any], prompt: str) -> list[str]:
        """A prompt must name the object's category and state no number of its own: the image gives
        none (the numbers of the generated instruction, the float-token range, may stay)."""
        problems = []
        if record["category"].lower() not in prompt.lower():
            problems.append(f"name '{record['category']}' (the category) does not appear")
        stated = set(re.findall(NUMBER, prompt_text(record["category"])))
        problems += [f"number '{number}' is not a fact of the image" for number in re.findall(NUMBER, prompt)
                     if number not in stated]
        return problems

    def evaluator(self, recipe: Recipe, mode: str) -> GeneEvaluator:
        """Concept Accuracy, Float Error, Chamfer and F-score of predicted genes (every ``mode`` alike)."""
        return GeneEvaluator(recipe.seed)


def _settings(recipe: Recipe) -> GeneSettings:
    return cast(GeneSettings, recipe.settings)


__all__ = ["DECLARATION", "GeneFamily"]
