"""The Digital Gene: an object as a category, a global pose and a list of ConceptTemplate instances.

The layout is the GeneVLM release's (``image2code/``): ``{"category", "pose": {"global_position":
[3 ints], "global_rotation": [3 ints, degrees]}, "conceptualization": [{"template", "parameters":
{name: [floats]}}]}``, no ``id``, ``type`` or ``component``. The canonical text is Python
``json.dumps`` with its default separators (the byte layout the release's decoder expects), keys in
that order, parameters in the template's declared order and floats rounded to ``FLOAT_DIGITS``.

Which templates a category has, and each parameter's length and domain, is the family's table
(``ParamTable``); ``check_gene`` validates a gene against it and names the instance and parameter.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FLOAT_DIGITS = 4
"""Decimals kept in the canonical text (finer than any quantile bin of the normalized units)."""

Vector3 = Annotated[list[int], Field(min_length=3, max_length=3)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GenePose(_Frozen):
    """Where the whole object is: a position on the integer grid of [-1, 1]^3 and XYZ Euler degrees."""

    global_position: Vector3
    global_rotation: Vector3


class ConceptInstance(_Frozen):
    """One ConceptTemplate with its parameters (every value a list, even a single number)."""

    template: str = Field(min_length=1)
    parameters: dict[str, list[float]]


class Gene(_Frozen):
    """A Digital Gene as GeneVLM emits it."""

    category: str = Field(min_length=1)
    pose: GenePose
    conceptualization: list[ConceptInstance] = Field(min_length=1)


@dataclass(frozen=True)
class ParamDomain:
    """A parameter's vector length and the closed interval every one of its values must lie in."""

    length: int
    low: float
    high: float


ParamTable = Mapping[str, Mapping[str, Mapping[str, ParamDomain]]]
"""Category -> template -> parameter -> domain (parameters in canonical order)."""


class GeneError(ValueError):
    """A gene that is not valid; ``kind`` is ``param_error`` or ``build_error``."""

    def __init__(self, message: str, kind: str = "param_error") -> None:
        super().__init__(message)
        self.kind = kind


def parse_gene(text: str) -> Gene:
    """A gene from its JSON text (``GeneError`` saying what is wrong)."""
    try:
        return Gene.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(gene)"
        raise GeneError(f"gene field '{where}': {first['msg']}") from None


def unwrap_code(text: str) -> str:
    """The gene text inside a ``<code>…</code>`` wrapper (the release's model output), or ``text`` unchanged."""
    stripped = text.strip()
    if stripped.startswith("<code>") and stripped.endswith("</code>"):
        return stripped[len("<code>"):-len("</code>")].strip()
    return text


def check_gene(gene: Gene, table: ParamTable) -> None:
    """Raise ``GeneError`` naming the instance and parameter of the first problem against ``table``."""
    templates = table.get(gene.category)
    if templates is None:
        raise GeneError(f"unknown category {gene.category!r}; expected one of {', '.join(sorted(table))}")
    for axis, value in zip("xyz", gene.pose.global_position, strict=True):
        if not -1 <= value <= 1:
            raise GeneError(f"pose global_position {axis}: {value} is outside [-1, 1]")
    for axis, value in zip("xyz", gene.pose.global_rotation, strict=True):
        if not -180 <= value <= 180:
            raise GeneError(f"pose global_rotation {axis}: {value} is outside [-180, 180]")
    for number, instance in enumerate(gene.conceptualization):
        label = f"instance {number} ({instance.template})"
        params = templates.get(instance.template)
        if params is None:
            raise GeneError(f"{label}: template {instance.template!r} is not one of {gene.category}'s")
        missing = [name for name in params if name not in instance.parameters]
        unknown = [name for name in instance.parameters if name not in params]
        if missing or unknown:
            problems = [f"parameter(s) {', '.join(names)} {what}" for names, what in ((missing, "missing"),
                                                                                       (unknown, "unknown")) if names]
            raise GeneError(f"{label}: {'; '.join(problems)}")
        for name, domain in params.items():
            values = instance.parameters[name]
            if len(values) != domain.length:
                raise GeneError(f"{label}: parameter '{name}': expected {domain.length} value(s), got {len(values)}")
            for k, value in enumerate(values):
                if not math.isfinite(value):
                    raise GeneError(f"{label}: parameter '{name}'[{k}]: {value} is not finite")
                if not domain.low <= value <= domain.high:
                    raise GeneError(f"{label}: parameter '{name}'[{k}]: {value:g} is outside "
                                    f"[{domain.low:g}, {domain.high:g}]")


def gene_data(gene: Gene, table: ParamTable | None = None) -> dict[str, Any]:
    """The gene as JSON data in canonical order (parameters in ``table`` order when given)."""
    conceptualization = []
    for instance in gene.conceptualization:
        order = list((table or {}).get(gene.category, {}).get(instance.template, {})) or list(instance.parameters)
        conceptualization.append({"template": instance.template, "parameters": {
            name: [_number(v) for v in instance.parameters[name]] for name in order}})
    return {"category": gene.category,
            "pose": {"global_position": list(gene.pose.global_position),
                     "global_rotation": list(gene.pose.global_rotation)},
            "conceptualization": conceptualization}


def _number(value: float) -> float:
    rounded = round(float(value), FLOAT_DIGITS)
    return 0.0 if rounded == 0 else rounded


def canonical_gene_json(gene: Gene, table: ParamTable | None = None) -> str:
    """The canonical text: ``json.dumps`` with default separators, keys in the release's order."""
    return json.dumps(gene_data(gene, table))


def gene_hash(gene: Gene, table: ParamTable | None = None) -> str:
    """SHA-256 of the canonical text (exact duplicates share it)."""
    return hashlib.sha256(canonical_gene_json(gene, table).encode()).hexdigest()


__all__ = ["FLOAT_DIGITS", "ConceptInstance", "Gene", "GeneError", "GenePose", "ParamDomain", "ParamTable",
           "canonical_gene_json", "check_gene", "gene_data", "gene_hash", "parse_gene", "unwrap_code"]
