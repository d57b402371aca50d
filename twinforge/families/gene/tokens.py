"""Float tokens: every parameter value as one of 1,024 quantile bins per (category, template, parameter, dim).

Two forms, as the reference (§7) describes them:

- ``release`` (GeneVLM's ``processor.py``): edges are the 0-100 % percentiles at 1,025 points;
  a value encodes to ``searchsorted(edges, v) - 1`` clipped to 0-1023 and is written as the integer
  ``2048 + bin``; decoding gives the bin's upper edge.
- ``paper`` (Eq. 1): the 1,024 quantiles at 0-100 %; a value encodes to the index of the nearest
  quantile (written as that integer, 0-1023) and decodes to the quantile.

The statistics come from a fixed reference sample of the sampler (``REFERENCE_PER_CELL`` genes per
cell, no removal, seed ``REFERENCE_SEED``), not from a corpus, so a record's tokens depend on
nothing but the template library. Pose values stay plain integers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import numpy as np

from twinforge.families.gene.categories import categories, param_table
from twinforge.families.gene.sampler import GeneCell, sample_parts
from twinforge.schemas.gene import ConceptInstance, Gene, GeneError, GenePose, gene_data, parse_gene

BINS = 1024
RELEASE_OFFSET = 2048
REFERENCE_SEED = 1024
REFERENCE_PER_CELL = 96
FORMS = ("release", "paper")
Key = tuple[str, str, str, int]


@dataclass(frozen=True)
class QuantileTables:
    """Per key: the 1,025 release edges and the 1,024 paper quantiles."""

    edges: dict[Key, np.ndarray]
    quantiles: dict[Key, np.ndarray]

    def _key(self, category: str, template: str, name: str, dim: int) -> Key:
        key = (category, template, name, dim)
        if key not in self.edges:
            raise GeneError(f"no quantile table for {category} {template} parameter '{name}'[{dim}]")
        return key

    def index(self, key: Key, value: float, form: str) -> int:
        """The bin (release) or nearest-quantile index (paper) of ``value``, 0-1023."""
        key = self._key(*key)
        if form == "release":
            return int(np.clip(np.searchsorted(self.edges[key], value) - 1, 0, BINS - 1))
        return int(np.argmin(np.abs(self.quantiles[key] - value)))

    def value(self, key: Key, index: int, form: str) -> float:
        """The value an index decodes to: the bin's upper edge (release) or the quantile (paper)."""
        key = self._key(*key)
        index = int(np.clip(index, 0, BINS - 1))
        return float(self.edges[key][index + 1] if form == "release" else self.quantiles[key][index])


@cache
def reference_tables() -> QuantileTables:
    """The tables of the fixed reference sample (computed once per process)."""
    values: dict[Key, list[float]] = defaultdict(list)
    for name, category in categories().items():
        for subtype in category.subtypes:
            for index in range(REFERENCE_PER_CELL):
                for part in sample_parts(REFERENCE_SEED, index, GeneCell(name, subtype), 0.0):
                    for param in part.template.domains():
                        for dim, value in enumerate(part.params[param]):
                            values[(name, part.template.name, param, dim)].append(float(value))
    edges = {k: np.percentile(v, np.linspace(0, 100, BINS + 1)) for k, v in values.items()}
    quantiles = {k: np.percentile(v, np.linspace(0, 100, BINS)) for k, v in values.items()}
    return QuantileTables(edges, quantiles)


def encode_gene(gene: Gene, form: str = "release", tables: QuantileTables | None = None) -> str:
    """The gene's token text: canonical JSON with every parameter value replaced by its integer token."""
    tables = tables or reference_tables()
    data = gene_data(gene, param_table())
    offset = RELEASE_OFFSET if form == "release" else 0
    for instance in data["conceptualization"]:
        instance["parameters"] = {
            name: [offset + tables.index((gene.category, instance["template"], name, dim), v, form)
                   for dim, v in enumerate(values)] for name, values in instance["parameters"].items()}
    return json.dumps(data)


def decode_gene(text: str, form: str = "release", tables: QuantileTables | None = None) -> Gene:
    """The gene a token text stands for (values from the tables; ``GeneError`` on a bad token)."""
    tables = tables or reference_tables()
    tokens = parse_gene(text)
    offset = RELEASE_OFFSET if form == "release" else 0
    instances = []
    for number, instance in enumerate(tokens.conceptualization):
        params = {}
        for name, values in instance.parameters.items():
            if any(not float(v).is_integer() or not 0 <= v - offset < BINS for v in values):
                raise GeneError(f"instance {number} ({instance.template}): parameter '{name}': tokens must be "
                                f"integers in [{offset}, {offset + BINS - 1}]")
            params[name] = [tables.value((tokens.category, instance.template, name, dim), int(v) - offset, form)
                            for dim, v in enumerate(values)]
        instances.append(ConceptInstance(template=instance.template, parameters=params))
    return Gene(category=tokens.category, pose=GenePose.model_validate(tokens.pose.model_dump()),
                conceptualization=instances)


__all__ = ["BINS", "FORMS", "RELEASE_OFFSET", "QuantileTables", "decode_gene", "encode_gene", "reference_tables"]
