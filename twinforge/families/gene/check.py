"""The executable check of a gene: it parses, fits the template table, and builds an attached mesh.

Outcomes: ``ok``; ``param_error`` (bad JSON, unknown template, wrong vector length, non-finite or
out-of-domain value: the message names the instance and parameter); ``build_error`` (an instance
builds no triangles, non-finite vertices, or a part further than ``ATTACH_TOLERANCE`` from the rest).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinforge.families.gene.categories import categories, param_table
from twinforge.families.gene.templates import Params, Template
from twinforge.renderers.gene.mesh import Mesh, concat
from twinforge.schemas.gene import Gene, GeneError, check_gene, parse_gene

ATTACH_TOLERANCE = 0.02
"""Largest gap (normalized units) between a part's bounding box and the boxes of the other parts."""


@dataclass(frozen=True)
class CheckResult:
    """What the check found: outcome, why (when not ok), the object mesh and its statistics."""

    outcome: str
    message: str = ""
    gene: Gene | None = None
    mesh: Mesh | None = None
    stats: dict[str, Any] = field(default_factory=dict)


def gene_parts(gene: Gene) -> list[tuple[Template, Params]]:
    """Template and parameter arrays of each instance (the gene must have passed ``check_gene``)."""
    library = categories()[gene.category].templates
    return [(library[i.template], {k: np.asarray(v, dtype=float) for k, v in i.parameters.items()})
            for i in gene.conceptualization]


def build_parts(gene: Gene) -> list[Mesh]:
    """Each instance's mesh in the object frame (``GeneError`` of kind ``build_error`` naming the instance)."""
    meshes = []
    for number, (template, params) in enumerate(gene_parts(gene)):
        label = f"instance {number} ({template.name})"
        try:
            mesh = template.mesh(params)
        except (ValueError, IndexError, FloatingPointError) as error:
            raise GeneError(f"{label}: does not build: {error}", "build_error") from None
        if mesh.empty:
            raise GeneError(f"{label}: builds no triangles", "build_error")
        if not np.isfinite(mesh.vertices).all():
            raise GeneError(f"{label}: non-finite vertices", "build_error")
        meshes.append(mesh)
    return meshes


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    """Distance between two axis-aligned boxes (0 when they touch or overlap)."""
    return float(np.linalg.norm(np.maximum(0.0, np.maximum(a[0] - b[1], b[0] - a[1]))))


def detached(gene: Gene, meshes: list[Mesh]) -> str:
    """The first instance not connected to the first (the body) through parts within the tolerance ('' if none)."""
    boxes = [m.bounds() for m in meshes]
    reached, frontier = {0}, [0]
    while frontier:
        current = frontier.pop()
        for number, box in enumerate(boxes):
            if number not in reached and _gap(boxes[current], box) <= ATTACH_TOLERANCE:
                reached.add(number)
                frontier.append(number)
    for number, box in enumerate(boxes):
        if number not in reached:
            gap = min(_gap(box, boxes[k]) for k in reached)
            name = gene.conceptualization[number].template
            return f"instance {number} ({name}): detached by {gap:.3f} (tolerance {ATTACH_TOLERANCE})"
    return ""


def mesh_stats(mesh: Mesh) -> dict[str, Any]:
    """Vertices, triangles, bounding-box extent (x, y, z) and surface area of the object mesh."""
    v = mesh.vertices[mesh.faces]
    area = float(np.linalg.norm(np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0]), axis=1).sum() / 2)
    extent = np.ptp(mesh.vertices, axis=0)
    return {"vertices": len(mesh.vertices), "faces": len(mesh.faces),
            "extent": [round(float(e), 4) for e in extent], "area": round(area, 4)}


def check_gene_text(text: str) -> CheckResult:
    """Run the check on a gene's JSON text."""
    try:
        gene = parse_gene(text)
        check_gene(gene, param_table())
        meshes = build_parts(gene)
    except GeneError as error:
        return CheckResult(error.kind, str(error))
    mesh = concat(meshes)
    problem = detached(gene, meshes)
    if problem:
        return CheckResult("build_error", problem, gene, mesh, mesh_stats(mesh))
    return CheckResult("ok", "", gene, mesh, mesh_stats(mesh))


__all__ = ["ATTACH_TOLERANCE", "CheckResult", "build_parts", "check_gene_text", "detached", "gene_parts",
           "mesh_stats"]
