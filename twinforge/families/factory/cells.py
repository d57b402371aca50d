"""The cells of the factory design: industry x automation x layout x line type (13 x 5 x 4 x 2 = 520)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from twinforge.errors import UserError
from twinforge.schemas import (
    Automation,
    Industry,
    Layout,
    LineType,
)

LAYERS = ("industry", "automation", "layout", "line_type")
"""The layers of a cell, as record columns (the field names of ``Cell``)."""


@dataclass(frozen=True)
class Cell:
    """One combination of the four categorical layers."""

    industry: Industry
    automation: Automation
    layout: Layout
    line_type: LineType


def all_cells() -> list[Cell]:
    """All 13 x 5 x 4 x 2 = 520 cells, in enum declaration order."""
    return [Cell(*values) for values in itertools.product(Industry, Automation, Layout, LineType)]


CELL_FIELDS: dict[str, type] = {"industry": Industry, "automation": Automation, "layout": Layout, "line_type": LineType}
_FLAG = {"industry": "--industry", "automation": "--automation", "layout": "--layout", "line_type": "--line-type"}


def filter_cells(filters: dict[str, str]) -> list[Cell]:
    """The cells whose layers equal the given values; a bad layer or value raises ``UserError``."""
    wanted = {}
    for layer, value in filters.items():
        if layer not in CELL_FIELDS:
            raise UserError(f"unknown layer '{layer}': expected one of {', '.join(CELL_FIELDS)}")
        enum = CELL_FIELDS[layer]
        valid = [member.value for member in enum]
        if value not in valid:
            raise UserError(f"{_FLAG[layer]}: '{value}' is not one of {', '.join(valid)}")
        wanted[layer] = enum(value)
    return [cell for cell in all_cells() if all(getattr(cell, k) == v for k, v in wanted.items())]
