"""The seeded spec sampler: ``sample_spec(rng, cell)`` draws one valid ``FactorySpec``.

A spec is a pure function of the generator's state and the cell (industry, automation, layout,
line type). The draw, in order:

1. Structure: 1 line (2-3 identical lines for ``parallel``: same machines and parameters, names
   numbered per line); per line ``1 + Binomial(4, 1/2)`` machines (1-5, mean 3, the paper's
   "three machines on average"), each a processor (55 %), multiprocessor (2-3 named steps),
   combiner or separator (15 % each; at most one combiner per line, fed by its own container
   source; an unpack separator only after a packing combiner); an input buffer and, on
   workstation lines, buffers between machines (40 %).
2. Links: stations are joined directly (workstation) or by conveyors (conveyor line type; also
   the infeed and outfeed of the ``conveyor`` layout); where the automation level moves items,
   the non-conveyor links become transport legs (see ``_link_kinds``).
3. Geometry: ``sampler_layout.place`` folds the path for the layout.
4. Parameters from ``distributions.ranges`` for the industry and automation level, with the
   families drawn uniformly (5 arrival, 9 service), rounded the engineer's way.
5. Load check: the source's mean inter-arrival time is lengthened (and dispatcher teams enlarged)
   so that the busiest machine, robot and team stay at 40-75 % utilisation; so sampled lines flow.

Geometry conventions: positions are metres on the floor (z = 0), at least 2 m apart. A conveyor's
``position`` is its start, ``CONVEYOR_CLEARANCE`` past the object feeding it, on the straight
segment towards the object it feeds; its ``length`` ends the same clearance before that object.
"""

from __future__ import annotations

from collections.abc import Iterator

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
    BATCH_PROCESSOR_PROBABILITY,
    BUFFER_BETWEEN_MACHINES,
    DEFAULT_OPTIONS,
    MACHINE_KIND_WEIGHTS,
    SETUP_PROBABILITY,
    TRANSPORT_AUTOMATIONS,
    Machine,
    SamplerOptions,
    Station,
    as_distribution,
    draw_length,
    log_uniform,
    pick,
    weighted,
)
from twinforge.families.factory.layout import place
from twinforge.families.factory.stages import Stage
from twinforge.families.factory.vocabulary import (
    QUEUE_NAMES,
    VOCABULARIES,
    IndustryVocabulary,
)
from twinforge.schemas import (
    SERVICE_FAMILIES,
    FactorySpec,
    Layout,
    LineType,
)
from twinforge.seeding import sample_rng


def sample_specs(count: int, seed: int, filters: dict[str, str] | None = None) -> Iterator[FactorySpec]:
    """``count`` specs spread round-robin over the cells matching ``filters``; spec i uses stream (seed, i)."""
    if count < 0:
        raise UserError(f"--count must be >= 0; got {count}")
    cells = filter_cells(filters or {})
    for index in range(count):
        yield sample_spec(sample_rng(seed, index, Stage.SPEC), cells[index % len(cells)])



def sample_spec(rng: np.random.Generator, cell: Cell, options: SamplerOptions = DEFAULT_OPTIONS) -> FactorySpec:
    """Draw one valid spec for ``cell``; a pure function of ``rng``'s state, ``cell`` and ``options``."""
    ind, aut = INDUSTRY_RANGES[cell.industry], AUTOMATION_RANGES[cell.automation]
    vocab = VOCABULARIES[cell.industry]
    lines = int(rng.integers(2, 4)) if cell.layout is Layout.PARALLEL else 1
    machines = _draw_machines(rng, vocab, ind, aut, options)
    chain = _draw_chain(rng, cell, machines, ind)
    links = _link_kinds(cell, chain)
    gap, conveyor_gap = draw_length(rng, STATION_GAP), draw_length(rng, CONVEYOR_GAP)
    lengths = [conveyor_gap if how == "conveyor" else gap for how in links]
    geometry = place(cell.layout, lengths, lines)
    _propagate_rates(chain)
    return assemble(rng, cell, vocab, ind, aut, chain, links, geometry, lines, gap, options)


def _draw_machines(rng: np.random.Generator, vocab: IndustryVocabulary, ind: IndustryRanges,
                   aut: AutomationRanges, options: SamplerOptions) -> list[Machine]:
    count = options.machines_min + int(rng.binomial(options.machines_max - options.machines_min, 0.5))
    kinds_, weights = zip(*MACHINE_KIND_WEIGHTS)
    kinds = [str(k) for k in rng.choice(kinds_, size=count, p=weights)]
    route = sorted(rng.choice(len(vocab.processors), size=min(kinds.count("processor"), len(vocab.processors)),
                              replace=False).tolist())
    route_names = iter(vocab.processors[i] for i in route)
    cv = float(rng.uniform(*aut.cv))
    machines: list[Machine] = []
    pack_quantity = 0
    for kind in kinds:
        if kind == "combiner" and any(m.kind == "combiner" for m in machines):
            kind = "processor"
        if kind == "separator" and pack_quantity < 2 and rng.random() < 0.5:
            mode = "split"
        elif kind == "separator":
            mode = "unpack" if pack_quantity >= 2 else "split"
        base_mean = log_uniform(rng, ind.process) * aut.process_factor
        machine = _draw_machine(rng, kind, vocab, route_names, base_mean, cv, ind, options.service_weights)
        if kind == "separator":
            quantity = pack_quantity if mode == "unpack" else int(rng.integers(2, 5))
            machine.params.update(mode=mode, split_quantity=quantity)
        if kind == "combiner" and machine.params["mode"] == "pack":
            pack_quantity = machine.params["component_quantity"]
        machines.append(machine)
    return machines


def _draw_machine(rng: np.random.Generator, kind: str, vocab: IndustryVocabulary, route_names: Iterator[str],
                  base_mean: float, cv: float, ind: IndustryRanges, weights: tuple[float, ...]) -> Machine:
    def _service(mean: float) -> dict:
        return with_mean(weighted(rng, SERVICE_FAMILIES, weights), mean, cv, rng).model_dump()

    if kind == "multiprocessor":
        base, all_steps = pick(rng, vocab.multiprocessors)
        step_names = all_steps[: int(rng.integers(2, len(all_steps) + 1))]
        shares = rng.dirichlet(np.full(len(step_names), 4.0))
        steps = [{"name": name, "process_time": _service(max(base_mean * share, 1.0))}
                 for name, share in zip(step_names, shares)]
        machine = Machine(kind, base, {"steps": steps})
        machine.service = sum(dist_mean(as_distribution(step["process_time"])) for step in steps)
        return machine
    if kind == "processor":
        base = next(route_names, None) or pick(rng, vocab.processors)
    else:
        base = pick(rng, vocab.combiners if kind == "combiner" else vocab.separators)
    params: dict = {"process_time": _service(base_mean)}
    if rng.random() < SETUP_PROBABILITY:
        params["setup_time"] = _service(log_uniform(rng, ind.setup))
    machine = Machine(kind, base, params)
    if kind == "processor" and rng.random() < BATCH_PROCESSOR_PROBABILITY:
        machine.capacity = int(rng.integers(ind.batch_capacity[0], ind.batch_capacity[1] + 1))
        params["max_content"] = machine.capacity
    if kind == "combiner":
        params["mode"] = str(rng.choice(("pack", "join", "batch"), p=(0.5, 0.3, 0.2)))
        params["component_quantity"] = int(rng.integers(1, 5))
    machine.service = sum(dist_mean(as_distribution(params[key])) for key in ("process_time", "setup_time") if key in params)
    return machine


def _draw_chain(rng: np.random.Generator, cell: Cell, machines: list[Machine], ind: IndustryRanges) -> list[Station]:
    """Stations of one line in flow order: an input buffer, the machines, buffers between them."""
    queue_base = pick(rng, QUEUE_NAMES[:2])
    capacity = nice_int(log_uniform(rng, ind.queue_capacity), minimum=5)
    conveyor_line = cell.line_type is LineType.CONVEYOR
    needs_buffer = not conveyor_line or cell.automation in TRANSPORT_AUTOMATIONS or rng.random() < 0.5
    chain: list[Station] = []
    if needs_buffer:
        chain.append(Station("queue", queue_base, {"max_content": capacity}))
    for index, machine in enumerate(machines):
        if index and not conveyor_line and rng.random() < BUFFER_BETWEEN_MACHINES:
            chain.append(Station("queue", queue_base, {"max_content": capacity}))
        chain.append(Station(machine.kind, machine.base, machine.params, machine))
    return chain


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
            if machine.kind == "combiner":
                quantity = params["component_quantity"]
                machine.work = rate / quantity
                rate = rate + machine.work if params["mode"] == "batch" else machine.work
            elif machine.kind == "separator":
                machine.work = rate
                extra = 1 if params["mode"] == "unpack" else 0
                rate = rate * (params["split_quantity"] + extra)
            else:
                machine.work = rate
            machine.out = rate
        station.rate_out = rate
