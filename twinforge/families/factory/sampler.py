"""The seeded spec sampler: ``sample_spec(rng, cell)`` draws one valid ``FactorySpec``.

A spec is a pure function of the generator's state and the cell (industry, automation, layout,
line type). The draw, in order:

1. Structure: 1 line (2-3 for ``parallel``: the same stations and buffers, names numbered per
   line, each line's machines with their own times, and the source sending items to the lines at
   random); per line ``1 + Binomial(4, 1/2)`` stations (1-5, mean 3, the paper's "three machines
   on average") taken from the industry's route (``routes.py``) in route order: processors,
   combiners (fed by a container or part source) and separators where a real line has them; an
   input buffer and, on workstation lines, buffers between machines (40 %).
2. Links: stations are joined directly (workstation) or by conveyors (conveyor line type; also
   the infeed and outfeed of the ``conveyor`` layout); where the automation level moves items,
   the non-conveyor links become transport legs (see ``_link_kinds``).
3. Geometry: ``layout.place`` folds the path for the layout.
4. Parameters: process times within the stage's range (scaled by the automation level), with the
   families drawn by the recipe's weights (5 arrival, 9 service), rounded the engineer's way.
5. Load: the source's mean inter-arrival time is set from the line's capacity, so that the
   bottleneck runs at a drawn 60-90 % utilisation; teams and robots are sized to their work
   (the inter-arrival time is lengthened only if a full team could not keep up).

Geometry conventions: positions are metres on the floor (z = 0), at least 2 m apart. A conveyor's
``position`` is its start, ``CONVEYOR_CLEARANCE`` past the object feeding it, on the straight
segment towards the object it feeds; its ``length`` ends the same clearance before that object.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from twinforge.distributions.construct import nice_int, with_mean
from twinforge.distributions.families import mean as dist_mean
from twinforge.distributions.ranges import (
    AUTOMATION_RANGES,
    CONVEYOR_GAP,
    INDUSTRY_RANGES,
    STATION_GAP,
    AutomationRanges,
    IndustryRanges,
)
from twinforge.errors import UserError
from twinforge.families.factory.assembly import assemble
from twinforge.families.factory.cells import Cell, filter_cells
from twinforge.families.factory.draws import (
    BUFFER_BETWEEN_MACHINES,
    DEFAULT_OPTIONS,
    SETUP_PROBABILITY,
    TRANSPORT_AUTOMATIONS,
    Machine,
    SamplerOptions,
    Station,
    draw_length,
    log_uniform,
    pick,
    weighted,
)
from twinforge.families.factory.layout import place
from twinforge.families.factory.routes import ROUTES, Route, RouteStage
from twinforge.families.factory.stages import Stage
from twinforge.families.factory.vocabulary import (
    QUEUE_NAMES,
)
from twinforge.schemas import (
    SERVICE_FAMILIES,
    Distribution,
    FactorySpec,
    Layout,
    LineType,
)
from twinforge.seeding import sample_rng

SAMPLER_VERSION = "2"
"""Bump when the spec drawn from a given stream, cell and options changes (this module, ``draws``,
``assembly``, ``layout``, ``routes``, ``distributions``' draws and rounding, the ``FactorySpec``
schema): ``generate --reuse`` copies a previous row's spec only when its sampler version is this one."""


def sample_specs(count: int, seed: int, filters: dict[str, str] | None = None) -> Iterator[FactorySpec]:
    """``count`` specs spread round-robin over the cells matching ``filters``; spec i uses stream (seed, i)."""
    if count < 0:
        raise UserError(f"--count must be >= 0; got {count}")
    cells = filter_cells(filters or {})
    for index in range(count):
        yield sample_spec(sample_rng(seed, index, Stage.SPEC), cells[index % len(cells)])



def sample_spec(rng: np.random.Generator, cell: Cell, options: SamplerOptions = DEFAULT_OPTIONS) -> FactorySpec:
    """Draw one valid spec for ``cell``; a pure function of ``rng``'s state, ``cell`` and ``options``."""
    return FactorySpec.model_validate(draw_spec_data(rng, cell, options))


def draw_spec_data(rng: np.random.Generator, cell: Cell, options: SamplerOptions = DEFAULT_OPTIONS) -> dict[str, Any]:
    """``sample_spec``'s draw before validation: the spec's fields as plain data (objects and connections
    as dicts). The token-budget loop looks at them first and drops a draw too large without validating it."""
    ind, aut = INDUSTRY_RANGES[cell.industry], AUTOMATION_RANGES[cell.automation]
    route = ROUTES[cell.industry]
    lines = min(int(rng.integers(2, 4)), options.max_lines) if cell.layout is Layout.PARALLEL else 1
    stages = _draw_stages(rng, route, options)
    cv = float(rng.uniform(*aut.cv))
    branches = [[_draw_machine(rng, stage, ind, aut, cv, options) for stage in stages] for _ in range(lines)]
    chains = _draw_chains(rng, cell, branches, ind)
    links = _link_kinds(cell, chains[0])
    gap, conveyor_gap = draw_length(rng, STATION_GAP), draw_length(rng, CONVEYOR_GAP)
    lengths = [conveyor_gap if how == "conveyor" else gap for how in links]
    geometry = place(cell.layout, lengths, lines)
    for chain in chains:
        _propagate_rates(chain)
    return assemble(rng, cell, route, ind, aut, chains, links, geometry, gap, options)


def _draw_stages(rng: np.random.Generator, route: Route, options: SamplerOptions) -> list[RouteStage]:
    """The line's stations: ``machines`` of the route's stages, in route order.

    Machines per line = ``machines_min + Binomial(machines_max - machines_min, 1/2)`` (mean 3 by
    default, the paper's average), capped by the route's length.
    """
    count = options.machines_min + int(rng.binomial(options.machines_max - options.machines_min, 0.5))
    count = min(count, len(route.stages))
    chosen = sorted(int(i) for i in rng.choice(len(route.stages), size=count, replace=False))
    return [route.stages[i] for i in chosen]


def _draw_machine(rng: np.random.Generator, stage: RouteStage, ind: IndustryRanges, aut: AutomationRanges,
                  cv: float, options: SamplerOptions) -> Machine:
    """One station's parameters: its process time within the stage's range, an optional setup, its mode."""
    def service(mean: float) -> Distribution:
        return with_mean(weighted(rng, SERVICE_FAMILIES, options.service_weights), mean, cv, rng)

    times = {"process_time": service(log_uniform(rng, stage.time) * aut.process_factor)}
    if rng.random() < SETUP_PROBABILITY:
        times["setup_time"] = service(min(log_uniform(rng, ind.setup), stage.time[0]))
    params: dict = dict(times)
    if stage.kind == "combiner":
        params.update(mode=stage.mode, component_quantity=int(rng.integers(stage.quantity[0], stage.quantity[1] + 1)))
    elif stage.kind == "separator":
        params.update(mode=stage.mode, split_quantity=int(rng.integers(stage.quantity[0], stage.quantity[1] + 1)))
    machine = Machine(stage.kind, stage.name, params, stage=stage)
    machine.service = sum(dist_mean(dist) for dist in times.values())
    return machine


def _draw_chains(rng: np.random.Generator, cell: Cell, branches: list[list[Machine]],
                 ind: IndustryRanges) -> list[list[Station]]:
    """Each line's stations in flow order: an input buffer, the machines, buffers between them.

    Parallel lines share their layout (the same buffers in the same places) and their stations,
    but each line's machines have their own times, as parallel machines in a plant do.
    """
    queue_base = pick(rng, QUEUE_NAMES[:2])
    capacity = nice_int(log_uniform(rng, ind.queue_capacity), minimum=5)
    conveyor_line = cell.line_type is LineType.CONVEYOR
    needs_buffer = not conveyor_line or cell.automation in TRANSPORT_AUTOMATIONS or rng.random() < 0.5
    buffered = [index > 0 and not conveyor_line and rng.random() < BUFFER_BETWEEN_MACHINES
                for index in range(len(branches[0]))]
    chains = []
    for machines in branches:
        chain: list[Station] = []
        if needs_buffer:
            chain.append(Station("queue", queue_base, {"max_content": capacity}))
        for machine, buffer in zip(machines, buffered):
            if buffer:
                chain.append(Station("queue", queue_base, {"max_content": capacity}))
            chain.append(Station(machine.kind, machine.base, machine.params, machine))
        chains.append(chain)
    return chains


def _link_kinds(cell: Cell, chain: list[Station]) -> list[str]:
    """How each link of ``source -> chain -> sink`` moves items: direct, transport or conveyor.

    Conveyor lines join every pair by a conveyor, except that where resources move items the
    input buffer's link to the first machine is a transport leg (the resource loads the line).
    The ``conveyor`` layout always has an infeed and an outfeed conveyor. On workstation lines,
    every link after the input buffer is a transport leg where the automation level carries items.
    """
    count = len(chain) + 1
    transport = cell.automation in TRANSPORT_AUTOMATIONS
    if cell.line_type is LineType.CONVEYOR:
        links = ["conveyor"] * count
        if transport and chain[0].kind == "queue":
            links[1] = "transport"
    else:
        links = ["direct"] + ["transport" if transport else "direct"] * (count - 1)
    if cell.layout is Layout.CONVEYOR:
        links[0] = links[-1] = "conveyor"
    return links


def _propagate_rates(chain: list[Station]) -> None:
    """Items per line-input item leaving each station, and machine cycles per line-input item."""
    rate = 1.0
    for station in chain:
        machine = station.machine
        if machine is not None:
            params = machine.params
            if machine.kind == "combiner" and params["mode"] == "pack":
                machine.work = rate / params["component_quantity"]
                rate = machine.work
            elif machine.kind == "separator":
                machine.work = rate
                rate = rate * params["split_quantity"]
            else:
                machine.work = rate
            machine.out = rate
        station.rate_out = rate
