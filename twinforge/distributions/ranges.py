"""Value ranges per industry and automation level: where sampled parameters come from.

The GDT paper samples "within validated ranges per industry and automation level"; these are
our ranges (engineering judgement, not measured data). Times are means in seconds, speeds m/s.
An industry sets the scale of the work (a photomask e-beam write is slow, a food packer fast);
an automation level sets how much the work varies and how fast the resources move (manual work
varies more than a robot cell). The sampler may lengthen an inter-arrival mean beyond its range
to keep every machine and resource pool below its target utilisation.
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

    inter_arrival: Span
    """Mean time between arrivals at a line's source, s."""
    process: Span
    """Mean process time of one machine, s (a multiprocessor splits it over its steps)."""
    setup: Span
    """Mean setup time of a machine that has one, s."""
    queue_capacity: tuple[int, int]
    """Items a buffer holds."""
    batch_capacity: tuple[int, int]
    """Items a batch processor (oven, furnace, bath) holds when it is not a one-piece machine."""
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
    team_size: tuple[int, int]
    """Task executers in a dispatcher's team before the load check adds more."""
    capacity: tuple[int, int]
    """Items one task executer carries at once."""


INDUSTRY_RANGES: Mapping[Industry, IndustryRanges] = MappingProxyType({
    # Wafer steps (lithography, etch, deposition) are long and carriers move slowly.
    Industry.SEMICONDUCTOR: IndustryRanges((120, 600), (60, 300), (10, 60), (10, 25), (2, 4), (0.3, 1.0)),
    # SMT placement, reflow and test: short cycles, fast conveyors.
    Industry.ELECTRONICS: IndustryRanges((20, 90), (10, 60), (5, 30), (10, 50), (2, 4), (0.5, 1.5)),
    # E-beam writing and mask inspection are the slowest steps of all; few masks wait.
    Industry.PHOTOMASK: IndustryRanges((300, 900), (120, 600), (20, 120), (5, 10), (2, 3), (0.3, 0.8)),
    # Filling, sealing, packing: seconds per item, long buffers, fast belts.
    Industry.FOOD_PROCESSING: IndustryRanges((8, 45), (5, 30), (5, 30), (20, 100), (2, 4), (0.5, 2.0)),
    # Body and final assembly stations with a takt of minutes; slow assembly conveyors.
    Industry.AUTOMOTIVE: IndustryRanges((60, 240), (45, 180), (15, 90), (5, 20), (2, 3), (0.2, 0.5)),
    # Granulation, tableting, filling and inspection in batches.
    Industry.PHARMACEUTICAL: IndustryRanges((30, 180), (20, 120), (10, 60), (10, 40), (2, 4), (0.3, 1.0)),
    # Cutting, bending, welding: medium cycles, heavy parts.
    Industry.METAL_FABRICATION: IndustryRanges((45, 200), (30, 150), (15, 90), (5, 30), (2, 3), (0.3, 1.0)),
    # Injection moulding cycles and trimming.
    Industry.PLASTICS: IndustryRanges((20, 120), (15, 90), (10, 60), (10, 50), (2, 4), (0.5, 1.5)),
    # Cutting, sewing and finishing of garments.
    Industry.TEXTILE: IndustryRanges((15, 90), (10, 60), (5, 30), (10, 60), (2, 4), (0.5, 1.5)),
    # Printing, folding, gluing and boxing at high rates.
    Industry.PRINTING_PACKAGING: IndustryRanges((8, 60), (5, 40), (5, 30), (20, 80), (2, 4), (1.0, 2.5)),
    # Long manual assembly and inspection of large parts; very slow movers.
    Industry.AEROSPACE: IndustryRanges((240, 900), (120, 600), (30, 180), (5, 10), (2, 2), (0.1, 0.3)),
    # Scanning, labelling, sorting and packing parcels.
    Industry.LOGISTICS: IndustryRanges((6, 40), (5, 30), (2, 15), (20, 100), (2, 4), (1.0, 2.5)),
    # Electrode coating, cell stacking, formation and module assembly.
    Industry.BATTERY: IndustryRanges((30, 150), (20, 120), (10, 60), (10, 40), (2, 4), (0.5, 1.5)),
})

AUTOMATION_RANGES: Mapping[Automation, AutomationRanges] = MappingProxyType({
    # People carry and run the machines: the most variable and the slowest.
    Automation.MANUAL: AutomationRanges((0.2, 0.45), 1.25, (0.8, 1.4), (1, 3), (1, 1)),
    # Operators run the machines; items flow by themselves.
    Automation.OPERATOR: AutomationRanges((0.15, 0.35), 1.0, (1.0, 1.5), (1, 3), (1, 1)),
    # Robot cells repeat precisely and move fast.
    Automation.ROBOT: AutomationRanges((0.03, 0.12), 0.8, (1.5, 3.0), (1, 1), (1, 1)),
    # AGVs carry between automated machines.
    Automation.AGV: AutomationRanges((0.08, 0.25), 0.9, (1.0, 2.0), (1, 3), (1, 2)),
    # Generic task executers and forklifts carry between machines.
    Automation.TASK_EXECUTER: AutomationRanges((0.1, 0.3), 1.0, (1.0, 2.5), (1, 3), (1, 4)),
})

UTILISATION: Span = (0.4, 0.75)
"""Target utilisation of the busiest machine or resource pool: lines flow, but are not idle."""

STATION_GAP: Span = (4, 6)
"""Distance between stations joined directly or by transport, m."""

CONVEYOR_GAP: Span = (8, 14)
"""Distance between stations joined by a conveyor, m."""
