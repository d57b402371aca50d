"""What the dataset card says about a gene corpus beyond its figures."""

from __future__ import annotations

import json
from collections.abc import Iterator

from twinforge.families.base import CardText, ValueHistograms


def parameter_values(gene_text: str) -> Iterator[tuple[str, str, int, float]]:
    """``(category, template.parameter, dimension, value)`` of every parameter value of a gene."""
    gene = json.loads(gene_text)
    for instance in gene["conceptualization"]:
        for name, vector in instance["parameters"].items():
            for dimension, value in enumerate(vector):
                yield gene["category"], f"{instance['template']}.{name}", dimension, float(value)

COLUMNS = {
    "sample_id": "`<recipe name>-<index>`, unique and safe as a file name",
    "index": "sample index in the plan (its random streams derive from it)",
    "category": "one of Mug, Bottle, Bucket, Kettle, Chair, Table, Box, Trashcan",
    "subtype": "the category's subtype (which roles the object has)",
    "templates": "distinct ConceptTemplates of the gene", "n_instances": "ConceptInstances in the gene",
    "gene": "the Digital Gene under the first pose: canonical JSON (json.dumps default separators; normalized "
            "units, degrees)",
    "gene_hash": "SHA-256 of the gene at the origin pose (exact duplicates share it)",
    "gene_tokens": ("the gene with every parameter value as a float token (GeneVLM release form: 2048 + quantile "
                    "bin of 1,024 per category, template, parameter and dimension); pose values stay integers"),
    "prompt": "the request beside each image, in the style of the release's training prompt (names the category)",
    "poses": "JSON list of the poses: global_position on the {-1,0,1} grid, global_rotation in 5 degree steps",
    "images": "one grey-on-white PNG per pose (datasets Image structs); image k pairs with the gene under pose k",
    "image_sha256": "SHA-256 of each image's decoded pixels (PNG bytes depend on the zlib build)",
    "exec_outcome": "ok, param_error or build_error (twinforge's own gene check)",
    "exec_message": "why, when not ok (names the instance and parameter)",
    "mesh_stats": "JSON: vertices, faces, extent [x, y, z] and surface area of the object mesh",
    "recipe": "recipe name", "seed": "recipe seed", "twinforge_version": "package version",
    "template_version": "template library and sampler", "raster_version": "rasteriser",
}

CARD = CardText(
    summary=("Image-gene pairs: each row is one procedural Digital Gene (category, global pose, "
             "ConceptTemplate instances with their parameters) with one untextured grey-on-white image per pose."),
    motivation=("Training and evaluating vision-language models that parse an executable Digital Gene from a "
                "single image, as GeneVLM's WhiteImage-Gene data; every sample is synthetic and reproducible."),
    notes=(
        ("The templates re-implement the Digital-Gene Toolkit's ConceptTemplates over eight categories. Mug, "
         "Bottle and most Chair and Kettle templates have the GeneVLM release's parameter names and lengths; "
         "Ladder_back, the Table's legs and shelves and the Bucket, Box and "
         "Trashcan templates are twinforge's own (docs/genes.md lists the differences)."),
        ("Images come from twinforge's numpy rasteriser (fixed pinhole camera, Lambert shading, no anti-aliasing); "
         "they are not the release's renders and have no texture or colour."),
        "The executable check builds twinforge's meshes; it does not run the Toolkit or Blender.",
    ),
    numeric=("n_instances",),
    categorical=("category", "subtype", "templates", "exec_outcome"),
    contact_sheet="images",
    histograms=ValueHistograms("gene", parameter_values),
    json_ranges=("mesh_stats",),
    columns=COLUMNS,
    labels=("`exec_outcome` comes from parsing `gene`, validating every parameter's length and domain against "
            "the template table, building each instance's mesh and checking that every part touches another "
            "(bounding boxes within 0.02)."),
    biases=(
        "Parameters are uniform within hand-set ranges, not fitted to real objects.",
        "Positions use only the {-1, 0, 1} grid and rotations 5 degree steps, as the released examples do.",
        "Poses are redrawn until the object is wholly in frame, so objects near the frame edge are rarer.",
    ),
    intended_use=("Supervised fine-tuning and evaluation of image-to-gene models on white images; not a "
                  "substitute for real photographs (no texture, lighting or background variation)."),
)
