"""Value ranges per industry and automation level: where sampled parameters come from.

The GDT paper samples "within validated ranges per industry and automation level"; these are
our ranges (engineering judgement, not measured data). Times are means in seconds, speeds m/s.
Process times are set per station by the factory family's routes; an industry sets its setups,
buffers and conveyors, an automation level how much the work varies, how fast it is done and how
fast the resources move (manual work varies more than a robot cell).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from twinforge.schemas.enums import Automation, Industry

Span = tuple[float, float]


@dataclass(frozen=True)
class IndustryRanges:
    """What one industry's lines look like (all spans are ``(low, high)``)."""

    setup: Span
    """Mean setup time of a machine that has one, s."""
    queue_capacity: tuple[int, int]
    """Items a buffer holds."""
    conveyor_speed: Span
    """m/s."""


@dataclass(frozen=True)
class AutomationRanges:
    """How one automation level behaves."""

    cv: Span
    """Coefficient of variation of process times (std / mean) for families with a free spread."""
    process_factor: float
    """Multiplies the industry's process times (people are slower than robots)."""
    speed: Span
    """Travel speed of the level's task executers, m/s."""
    capacity: tuple[int, int]
    """Items one task executer carries at once."""


INDUSTRY_RANGES: Mapping[Industry, IndustryRanges] = MappingProxyType({
    # Wafer steps (lithography, etch, deposition) are long and carriers move slowly.
    Industry.SEMICONDUCTOR: IndustryRanges((10, 60), (10, 25), (0.3, 1.0)),
    # SMT placement, reflow and test: short cycles, fast conveyors.
    Industry.ELECTRONICS: IndustryRanges((5, 30), (10, 50), (0.5, 1.5)),
    # E-beam writing and mask inspection are the slowest steps of all; few masks wait.
    Industry.PHOTOMASK: IndustryRanges((20, 120), (5, 10), (0.3, 0.8)),
    # Filling, sealing, packing: seconds per item, long buffers, fast belts.
    Industry.FOOD_PROCESSING: IndustryRanges((5, 30), (20, 100), (0.5, 2.0)),
    # Body and final assembly stations with a takt of minutes; slow assembly conveyors.
    Industry.AUTOMOTIVE: IndustryRanges((15, 90), (5, 20), (0.2, 0.5)),
    # Granulation, tableting, filling and inspection in batches.
    Industry.PHARMACEUTICAL: IndustryRanges((10, 60), (10, 40), (0.3, 1.0)),
    # Cutting, bending, welding: medium cycles, heavy parts.
    Industry.METAL_FABRICATION: IndustryRanges((15, 90), (5, 30), (0.3, 1.0)),
    # Injection moulding cycles and trimming.
    Industry.PLASTICS: IndustryRanges((10, 60), (10, 50), (0.5, 1.5)),
    # Cutting, sewing and finishing of garments.
    Industry.TEXTILE: IndustryRanges((5, 30), (10, 60), (0.5, 1.5)),
    # Printing, folding, gluing and boxing at high rates.
    Industry.PRINTING_PACKAGING: IndustryRanges((5, 30), (20, 80), (1.0, 2.5)),
    # Long manual assembly and inspection of large parts; very slow movers.
    Industry.AEROSPACE: IndustryRanges((30, 180), (5, 10), (0.1, 0.3)),
    # Scanning, labelling, sorting and packing parcels.
    Industry.LOGISTICS: IndustryRanges((2, 15), (20, 100), (1.0, 2.5)),
    # Electrode coating, cell stacking, formation and module assembly.
    Industry.BATTERY: IndustryRanges((10, 60), (10, 40), (0.5, 1.5)),
})

AUTOMATION_RANGES: Mapping[Automation, AutomationRanges] = MappingProxyType({
    # People carry and run the machines: the most variable and the slowest.
    Automation.MANUAL: AutomationRanges((0.2, 0.45), 1.25, (0.8, 1.4), (1, 1)),
    # Operators run the machines; items flow by themselves.
    Automation.OPERATOR: AutomationRanges((0.15, 0.35), 1.0, (1.0, 1.5), (1, 1)),
    # Robot cells repeat precisely and move fast.
    Automation.ROBOT: AutomationRanges((0.03, 0.12), 0.8, (1.5, 3.0), (1, 1)),
    # AGVs carry between automated machines.
    Automation.AGV: AutomationRanges((0.08, 0.25), 0.9, (1.0, 2.0), (1, 2)),
    # Generic task executers and forklifts carry between machines.
    Automation.TASK_EXECUTER: AutomationRanges((0.1, 0.3), 1.0, (1.0, 2.5), (1, 4)),
})

STATION_GAP: Span = (4, 6)
"""Distance between stations joined directly or by transport, m."""

CONVEYOR_GAP: Span = (8, 14)
"""Distance between stations joined by a conveyor, m."""
