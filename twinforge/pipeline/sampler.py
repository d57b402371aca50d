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

import itertools
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from twinforge.distributions.construct import nice, nice_int, with_mean
from twinforge.distributions.families import mean as dist_mean
from twinforge.distributions.ranges import (
    AUTOMATION_RANGES,
    CONVEYOR_GAP,
    INDUSTRY_RANGES,
    STATION_GAP,
    UTILISATION,
    AutomationRanges,
    IndustryRanges,
)
from twinforge.errors import UserError
from twinforge.pipeline.sampler_layout import Frame, LineGeometry, Point, place
from twinforge.pipeline.seeding import Stage, sample_rng
from twinforge.pipeline.vocabulary import (
    CONTAINER_CLASSES,
    ITEM_CLASSES,
    QUEUE_NAMES,
    RESOURCE_NAMES,
    SINK_NAMES,
    SOURCE_SUFFIXES,
    VOCABULARIES,
    IndustryVocabulary,
)
from twinforge.schemas import (
    ARRIVAL_FAMILIES,
    DISTRIBUTION_MODELS,
    SERVICE_FAMILIES,
    Automation,
    Distribution,
    FactorySpec,
    Industry,
    Layout,
    LineType,
)

MACHINE_KIND_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("processor", 0.55), ("multiprocessor", 0.15), ("combiner", 0.15), ("separator", 0.15),
)
BUFFER_BETWEEN_MACHINES = 0.4
SETUP_PROBABILITY = 0.4
BATCH_PROCESSOR_PROBABILITY = 0.2
MAX_TEAM = 6
CONVEYOR_CLEARANCE = 3.0
"""A conveyor starts this far past the object that feeds it (further where conveyors fan out of one
source and would start within 2 m of each other) and ends this far before the object it feeds."""
HANDLING_TIME = 1.0
"""Seconds a transport leg costs on top of travel, in the load check (FlexSim's load/unload default is 0)."""
TRANSPORT_AUTOMATIONS = frozenset({Automation.MANUAL, Automation.ROBOT, Automation.AGV, Automation.TASK_EXECUTER})
OPERATING_AUTOMATIONS = frozenset({Automation.MANUAL, Automation.OPERATOR})
ALWAYS_NUMBERED = frozenset({*QUEUE_NAMES, *SINK_NAMES, *RESOURCE_NAMES.values(), "Conveyor", "Source"})


@dataclass(frozen=True)
class SamplerOptions:
    """What a recipe may change: family weights per role and the machines-per-line range.

    Machines per line = ``machines_min + Binomial(machines_max - machines_min, 1/2)``; the default
    1..5 gives probabilities 1/16, 4/16, 6/16, 4/16, 1/16 and a mean of 3 (the paper's average).
    """

    arrival_weights: tuple[float, ...] = (1.0,) * len(ARRIVAL_FAMILIES)
    """In ``ARRIVAL_FAMILIES`` order."""
    service_weights: tuple[float, ...] = (1.0,) * len(SERVICE_FAMILIES)
    """In ``SERVICE_FAMILIES`` order (process times, multiprocessor steps and setup times)."""
    machines_min: int = 1
    machines_max: int = 5

    def __post_init__(self) -> None:
        for label, weights, size in (("arrival", self.arrival_weights, len(ARRIVAL_FAMILIES)),
                                     ("service", self.service_weights, len(SERVICE_FAMILIES))):
            if len(weights) != size or min(weights) < 0 or not sum(weights) > 0:
                raise ValueError(f"{label}_weights: need {size} non-negative weights with a positive sum")
        if not 1 <= self.machines_min <= self.machines_max:
            raise ValueError(f"machines: need 1 <= min <= max; got {self.machines_min}..{self.machines_max}")


def options_from_recipe(recipe) -> SamplerOptions:
    """The sampler options a ``schemas.recipe.Recipe`` asks for (its ``families`` and ``machines``)."""
    return SamplerOptions(
        arrival_weights=tuple(recipe.families.arrival[f.value] for f in ARRIVAL_FAMILIES),
        service_weights=tuple(recipe.families.service[f.value] for f in SERVICE_FAMILIES),
        machines_min=recipe.machines.min, machines_max=recipe.machines.max,
    )


DEFAULT_OPTIONS = SamplerOptions()


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


def sample_specs(count: int, seed: int, filters: dict[str, str] | None = None) -> Iterator[FactorySpec]:
    """``count`` specs spread round-robin over the cells matching ``filters``; spec i uses stream (seed, i)."""
    if count < 0:
        raise UserError(f"--count must be >= 0; got {count}")
    cells = filter_cells(filters or {})
    for index in range(count):
        yield sample_spec(sample_rng(seed, index, Stage.SPEC), cells[index % len(cells)])


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


# ------------------------------------------------------------------ the draw
@dataclass
class _Machine:
    kind: str
    base: str
    params: dict
    capacity: int = 1
    service: float = 0.0
    work: float = 1.0
    """Cycles per line-input item."""
    out: float = 1.0
    """Items leaving per line-input item."""


@dataclass
class _Station:
    kind: str  # "queue" or a machine kind
    base: str
    params: dict = field(default_factory=dict)
    machine: _Machine | None = None
    rate_out: float = 1.0


def sample_spec(rng: np.random.Generator, cell: Cell, options: SamplerOptions = DEFAULT_OPTIONS) -> FactorySpec:
    """Draw one valid spec for ``cell``; a pure function of ``rng``'s state, ``cell`` and ``options``."""
    ind, aut = INDUSTRY_RANGES[cell.industry], AUTOMATION_RANGES[cell.automation]
    vocab = VOCABULARIES[cell.industry]
    lines = int(rng.integers(2, 4)) if cell.layout is Layout.PARALLEL else 1
    machines = _draw_machines(rng, vocab, ind, aut, options)
    chain = _draw_chain(rng, cell, machines, ind)
    links = _link_kinds(cell, chain)
    gap, conveyor_gap = _draw_length(rng, STATION_GAP), _draw_length(rng, CONVEYOR_GAP)
    lengths = [conveyor_gap if how == "conveyor" else gap for how in links]
    geometry = place(cell.layout, lengths, lines)
    _propagate_rates(chain)
    return _assemble(rng, cell, vocab, ind, aut, chain, links, geometry, lines, gap, options)


def _draw_length(rng: np.random.Generator, span: tuple[float, float]) -> float:
    return float(rng.integers(int(span[0]), int(span[1]) + 1))


def _log_uniform(rng: np.random.Generator, span: tuple[float, float]) -> float:
    return float(math.exp(rng.uniform(math.log(span[0]), math.log(span[1]))))


def _pick(rng: np.random.Generator, options: tuple | list):
    return options[int(rng.integers(len(options)))]


def _weighted(rng: np.random.Generator, options: tuple, weights: tuple[float, ...]):
    point, cumulative = rng.random() * sum(weights), 0.0
    for option, weight in zip(options, weights):
        cumulative += weight
        if point < cumulative:
            return option
    return next(o for o, w in zip(reversed(options), reversed(weights)) if w > 0)


def _draw_machines(rng: np.random.Generator, vocab: IndustryVocabulary, ind: IndustryRanges,
                   aut: AutomationRanges, options: SamplerOptions) -> list[_Machine]:
    count = options.machines_min + int(rng.binomial(options.machines_max - options.machines_min, 0.5))
    kinds_, weights = zip(*MACHINE_KIND_WEIGHTS)
    kinds = [str(k) for k in rng.choice(kinds_, size=count, p=weights)]
    route = sorted(rng.choice(len(vocab.processors), size=min(kinds.count("processor"), len(vocab.processors)),
                              replace=False).tolist())
    route_names = iter(vocab.processors[i] for i in route)
    cv = float(rng.uniform(*aut.cv))
    machines: list[_Machine] = []
    pack_quantity = 0
    for kind in kinds:
        if kind == "combiner" and any(m.kind == "combiner" for m in machines):
            kind = "processor"
        if kind == "separator" and pack_quantity < 2 and rng.random() < 0.5:
            mode = "split"
        elif kind == "separator":
            mode = "unpack" if pack_quantity >= 2 else "split"
        base_mean = _log_uniform(rng, ind.process) * aut.process_factor
        machine = _draw_machine(rng, kind, vocab, route_names, base_mean, cv, ind, options.service_weights)
        if kind == "separator":
            quantity = pack_quantity if mode == "unpack" else int(rng.integers(2, 5))
            machine.params.update(mode=mode, split_quantity=quantity)
        if kind == "combiner" and machine.params["mode"] == "pack":
            pack_quantity = machine.params["component_quantity"]
        machines.append(machine)
    return machines


def _draw_machine(rng: np.random.Generator, kind: str, vocab: IndustryVocabulary, route_names: Iterator[str],
                  base_mean: float, cv: float, ind: IndustryRanges, weights: tuple[float, ...]) -> _Machine:
    def _service(mean: float) -> dict:
        return with_mean(_weighted(rng, SERVICE_FAMILIES, weights), mean, cv, rng).model_dump()

    if kind == "multiprocessor":
        base, all_steps = _pick(rng, vocab.multiprocessors)
        step_names = all_steps[: int(rng.integers(2, len(all_steps) + 1))]
        shares = rng.dirichlet(np.full(len(step_names), 4.0))
        steps = [{"name": name, "process_time": _service(max(base_mean * share, 1.0))}
                 for name, share in zip(step_names, shares)]
        machine = _Machine(kind, base, {"steps": steps})
        machine.service = sum(dist_mean(_dist(step["process_time"])) for step in steps)
        return machine
    if kind == "processor":
        base = next(route_names, None) or _pick(rng, vocab.processors)
    else:
        base = _pick(rng, vocab.combiners if kind == "combiner" else vocab.separators)
    params: dict = {"process_time": _service(base_mean)}
    if rng.random() < SETUP_PROBABILITY:
        params["setup_time"] = _service(_log_uniform(rng, ind.setup))
    machine = _Machine(kind, base, params)
    if kind == "processor" and rng.random() < BATCH_PROCESSOR_PROBABILITY:
        machine.capacity = int(rng.integers(ind.batch_capacity[0], ind.batch_capacity[1] + 1))
        params["max_content"] = machine.capacity
    if kind == "combiner":
        params["mode"] = str(rng.choice(("pack", "join", "batch"), p=(0.5, 0.3, 0.2)))
        params["component_quantity"] = int(rng.integers(1, 5))
    machine.service = sum(dist_mean(_dist(params[key])) for key in ("process_time", "setup_time") if key in params)
    return machine


def _dist(data: dict) -> Distribution:
    return DISTRIBUTION_MODELS[data["family"]].model_validate(data)


def _draw_chain(rng: np.random.Generator, cell: Cell, machines: list[_Machine], ind: IndustryRanges) -> list[_Station]:
    """Stations of one line in flow order: an input buffer, the machines, buffers between them."""
    queue_base = _pick(rng, QUEUE_NAMES[:2])
    capacity = nice_int(_log_uniform(rng, ind.queue_capacity), minimum=5)
    conveyor_line = cell.line_type is LineType.CONVEYOR
    needs_buffer = not conveyor_line or cell.automation in TRANSPORT_AUTOMATIONS or rng.random() < 0.5
    chain: list[_Station] = []
    if needs_buffer:
        chain.append(_Station("queue", queue_base, {"max_content": capacity}))
    for index, machine in enumerate(machines):
        if index and not conveyor_line and rng.random() < BUFFER_BETWEEN_MACHINES:
            chain.append(_Station("queue", queue_base, {"max_content": capacity}))
        chain.append(_Station(machine.kind, machine.base, machine.params, machine))
    return chain


def _link_kinds(cell: Cell, chain: list[_Station]) -> list[str]:
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


def _propagate_rates(chain: list[_Station]) -> None:
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


# ------------------------------------------------------------------ assembling objects and connections
@dataclass
class _Builder:
    objects: list[dict] = field(default_factory=list)
    connections: list[dict] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    def add(self, kind: str, base: str, point: Point, **params) -> int:
        self.objects.append({"kind": kind, "name": base, "position": [point[0], point[1], 0.0], **params})
        self.points.append(point)
        return len(self.objects) - 1

    def connect(self, a: int, b: int, port: str = "A") -> None:
        self.connections.append({"from": a, "to": b, "port": port})

    def free_point(self, anchor: Point, frame: Frame, minimum: float = 2.0) -> Point:
        """``anchor`` pushed along the flow direction until it is ``minimum`` metres from everything."""
        x, y = anchor
        while any(math.dist((x, y), p) < minimum for p in self.points):
            x, y = x + 2.5 * frame.tangent[0], y + 2.5 * frame.tangent[1]
        return (x, y)


def _assemble(rng: np.random.Generator, cell: Cell, vocab: IndustryVocabulary, ind: IndustryRanges,
              aut: AutomationRanges, chain: list[_Station], links: list[str], geometry: LineGeometry,
              lines: int, gap: float, options: SamplerOptions) -> FactorySpec:
    builder = _Builder()
    utilisation = float(rng.uniform(*UTILISATION))
    arrival_cv = float(rng.uniform(*aut.cv))
    speed = nice(float(rng.uniform(*aut.speed)))
    conveyor_speed = nice(float(rng.uniform(*ind.conveyor_speed)))
    source_name = _pick(rng, [f"{vocab.item} {suffix}" for suffix in SOURCE_SUFFIXES] + ["Source"])
    sink_name = _pick(rng, [vocab.finished, *SINK_NAMES])

    # Loads per line-input item, then the inter-arrival time and team size that keep them below target.
    legs = _transport_legs(chain, links, geometry)
    operated = [s.machine for s in chain if s.machine and cell.automation in OPERATING_AUTOMATIONS]
    machine_floor = max(m.work * m.service / m.capacity for m in (s.machine for s in chain if s.machine))
    team_work = sum(rate * (2 * d / speed + HANDLING_TIME) for _, rate, d, _ in legs) * (
        cell.automation is not Automation.ROBOT)
    team_work += sum(m.work * (m.service + gap / speed) for m in operated)
    robot_groups = _robot_groups(rng, legs) if cell.automation is Automation.ROBOT else []
    robot_floor = max((sum(rate * (2 * d / speed + HANDLING_TIME) for _, rate, d, _ in group)
                       for group in robot_groups), default=0.0)
    floor = max(_log_uniform(rng, ind.inter_arrival), max(machine_floor, robot_floor) / (lines * utilisation))
    team = 0
    if cell.automation is not Automation.ROBOT:
        team = int(rng.integers(aut.team_size[0], aut.team_size[1] + 1)) + lines - 1
        team = min(max(team, math.ceil(team_work / (utilisation * floor))), MAX_TEAM)
        floor = max(floor, team_work / (utilisation * team))
    inter_arrival = with_mean(_weighted(rng, ARRIVAL_FAMILIES, options.arrival_weights), nice(floor * 1.05, "up"),
                              arrival_cv, rng)
    mean_gap = dist_mean(inter_arrival)

    source = builder.add("source", source_name, geometry.source, inter_arrival=inter_arrival.model_dump(),
                         item_class=_pick(rng, ITEM_CLASSES))
    container_class = _pick(rng, CONTAINER_CLASSES)
    station_ids: list[list[int]] = []
    pending: list[tuple[int, int, str]] = []  # (upstream id, downstream id, link kind), per line in order
    for line in range(lines):
        ids = []
        for index, station in enumerate(chain):
            point, frame = geometry.stations[line][index], geometry.frames[line][index]
            container = None
            if station.kind == "combiner":
                container = _container_source(rng, builder, vocab, station, point, frame, mean_gap * lines,
                                              arrival_cv, container_class, options.arrival_weights)
            ids.append(builder.add(station.kind, station.base, point, **station.params))
            if container is not None:
                builder.connect(container, ids[-1])
        station_ids.append(ids)
        upstream = [source, *ids]
        for index, down in enumerate(ids):
            pending.append((upstream[index], down, links[index]))
    sink = builder.add("sink", sink_name, geometry.sink)
    for ids in station_ids:
        pending.append((ids[-1], sink, links[-1]))
    _emit_flow(builder, pending, conveyor_speed)

    transported = {up for up, _, how in pending if how == "transport"}
    operated_ids = {i for ids in station_ids for i in ids
                    if builder.objects[i]["kind"] != "queue" and cell.automation in OPERATING_AUTOMATIONS}
    for i in transported:
        builder.objects[i]["use_transport"] = True
    for i in operated_ids:
        builder.objects[i]["use_operator"] = True
    served = sorted(transported | operated_ids)
    if cell.automation is Automation.ROBOT:
        _add_robots(builder, geometry, station_ids, robot_groups, speed)
    else:
        _add_team(rng, builder, cell, aut, geometry, station_ids, served, team, speed)
    return _finish(builder, cell)


def _transport_legs(chain: list[_Station], links: list[str], geometry: LineGeometry) -> list[tuple[int, float, float, int]]:
    """``(station index, items per line-input item, distance, row)`` for each transport leg of line 0."""
    points = [geometry.source, *geometry.stations[0], geometry.sink]
    legs = []
    for index, how in enumerate(links):
        if how == "transport" and index > 0:
            station = chain[index - 1]
            legs.append((index - 1, station.rate_out, math.dist(points[index], points[index + 1]),
                         geometry.rows[0][index - 1]))
    return legs


def _robot_groups(rng: np.random.Generator, legs: list) -> list[list]:
    """Consecutive transport legs on the same row, 1-3 per robot."""
    groups: list[list] = []
    for leg in legs:
        last = groups[-1] if groups else None
        joins = last is not None and last[-1][3] == leg[3] and last[-1][0] + 2 >= leg[0] and len(last) < 3
        if joins and rng.random() < 0.6:
            last.append(leg)
        else:
            groups.append([leg])
    return groups


def _container_source(rng: np.random.Generator, builder: _Builder, vocab: IndustryVocabulary, station: _Station, point: Point,
                      frame: Frame, mean_gap_per_line: float, cv: float, item_class: str,
                      weights: tuple[float, ...]) -> int:
    """The combiner's container supply, a little faster than the line needs containers."""
    machine = station.machine
    needed = mean_gap_per_line / machine.work
    family = _weighted(rng, ARRIVAL_FAMILIES, weights)
    inter_arrival = with_mean(family, nice(needed * rng.uniform(0.75, 0.95), "down"), cv, rng)
    where = (point[0] + frame.container_side[0], point[1] + frame.container_side[1])
    return builder.add("source", f"{vocab.container} Source", builder.free_point(where, frame),
                       inter_arrival=inter_arrival.model_dump(), item_class=item_class)


def _emit_flow(builder: _Builder, pending: list[tuple[int, int, str]], speed: float) -> None:
    """A connections in flow order; a conveyor link becomes ``up -> conveyor -> down``."""
    for up, down, how in pending:
        if how != "conveyor":
            builder.connect(up, down)
            continue
        start, end = builder.points[up], builder.points[down]
        distance = math.dist(start, end)
        unit = ((end[0] - start[0]) / distance, (end[1] - start[1]) / distance)
        offset = CONVEYOR_CLEARANCE
        at = (start[0] + unit[0] * offset, start[1] + unit[1] * offset)
        while any(math.dist(at, p) < 2.0 for p in builder.points) and offset < distance / 2:
            offset += 0.5
            at = (start[0] + unit[0] * offset, start[1] + unit[1] * offset)
        conveyor = builder.add("conveyor", "Conveyor", at, length=distance - offset - CONVEYOR_CLEARANCE, speed=speed)
        builder.connect(up, conveyor)
        builder.connect(conveyor, down)


def _station_frame(geometry: LineGeometry, station_ids: list[list[int]], object_id: int) -> tuple[Point, Frame]:
    for line, ids in enumerate(station_ids):
        if object_id in ids:
            index = ids.index(object_id)
            return geometry.stations[line][index], geometry.frames[line][index]
    raise KeyError(object_id)


def _beside(point: Point, frame: Frame) -> Point:
    return (point[0] + frame.resource_side[0], point[1] + frame.resource_side[1])


def _add_robots(builder: _Builder, geometry: LineGeometry, station_ids: list[list[int]], groups: list[list],
                speed: float) -> None:
    for ids in station_ids:
        for group in groups:
            members = [ids[leg[0]] for leg in group]
            points = [_station_frame(geometry, station_ids, i) for i in members]
            centre = (sum(p[0] for p, _ in points) / len(points), sum(p[1] for p, _ in points) / len(points))
            frame = points[0][1]
            robot = builder.add("robot", RESOURCE_NAMES["robot"], builder.free_point(_beside(centre, frame), frame),
                                speed=speed)
            for member in members:
                builder.connect(member, robot, "S")


def _add_team(rng: np.random.Generator, builder: _Builder, cell: Cell, aut: AutomationRanges, geometry: LineGeometry,
              station_ids: list[list[int]], served: list[int], team: int, speed: float) -> None:
    kinds = _team_kinds(rng, cell.automation, team)
    first_point, first_frame = _station_frame(geometry, station_ids, served[0])
    back = (first_point[0] - first_frame.tangent[0] * 2.5, first_point[1] - first_frame.tangent[1] * 2.5)
    dispatcher = builder.add("dispatcher", RESOURCE_NAMES["dispatcher"],
                             builder.free_point(_beside(back, first_frame), first_frame))
    for index, kind in enumerate(kinds):
        anchor, frame = _station_frame(geometry, station_ids, served[index * len(served) // len(kinds)])
        capacity = int(rng.integers(aut.capacity[0], aut.capacity[1] + 1)) if kind in ("agv", "transporter") else 1
        member = builder.add(kind, RESOURCE_NAMES[kind], builder.free_point(_beside(anchor, frame), frame),
                             speed=speed, capacity=capacity)
        builder.connect(dispatcher, member)
    for station in served:
        builder.connect(station, dispatcher, "S")


def _team_kinds(rng: np.random.Generator, automation: Automation, team: int) -> list[str]:
    if automation is Automation.AGV:
        return ["agv"] * team
    if automation is Automation.TASK_EXECUTER:
        style = int(rng.integers(3))
        if style == 2 and team > 1:
            return ["task_executer" if i % 2 == 0 else "transporter" for i in range(team)]
        return [("task_executer", "transporter", "task_executer")[style]] * team
    return ["operator"] * team


def _finish(builder: _Builder, cell: Cell) -> FactorySpec:
    """Number repeated and generic names, round numbers, resolve connection ends, validate."""
    bases = Counter(obj["name"] for obj in builder.objects)
    counters: Counter = Counter()
    taken = {base for base, n in bases.items() if n == 1 and base not in ALWAYS_NUMBERED}
    for obj in builder.objects:
        base = obj["name"]
        if base in taken and bases[base] == 1:
            continue
        counters[base] += 1
        name = f"{base}{counters[base]}"
        while name in taken:
            counters[base] += 1
            name = f"{base}{counters[base]}"
        taken.add(name)
        obj["name"] = name
    for obj in builder.objects:
        obj["position"] = [_clean(v) for v in obj["position"]]
        if "length" in obj:
            obj["length"] = _clean(obj["length"])
    names = [obj["name"] for obj in builder.objects]
    connections = [{"from": names[c["from"]], "to": names[c["to"]], "port": c["port"]} for c in builder.connections]
    return FactorySpec.model_validate({
        "industry": cell.industry, "automation": cell.automation, "layout": cell.layout,
        "line_type": cell.line_type, "objects": builder.objects, "connections": connections,
    })


def _clean(value: float) -> float:
    """Positions and lengths to centimetres, without binary noise."""
    return float(round(value, 2)) + 0.0
