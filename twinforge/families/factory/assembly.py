"""The factory sampler's second half: objects, connections and resources from a drawn line.

Turns the stations and links ``sampler`` drew into spec objects placed on the line geometry,
sizes the source's arrivals and the resource teams by the load check, and names everything.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinforge.distributions.construct import nice, with_mean
from twinforge.distributions.families import mean as dist_mean
from twinforge.distributions.ranges import (
    AutomationRanges,
    IndustryRanges,
)
from twinforge.families.factory.cells import Cell
from twinforge.families.factory.draws import (
    ALWAYS_NUMBERED,
    CONVEYOR_CLEARANCE,
    HANDLING_TIME,
    MAX_TEAM,
    OPERATED_SHARE,
    RESOURCE_UTILISATION,
    UTILISATION,
    Machine,
    SamplerOptions,
    Station,
    pick,
    weighted,
)
from twinforge.families.factory.layout import Frame, LineGeometry, Point
from twinforge.families.factory.routes import Route
from twinforge.families.factory.vocabulary import (
    RESOURCE_NAMES,
    SINK_NAMES,
    SOURCE_SUFFIXES,
)
from twinforge.schemas import (
    ARRIVAL_FAMILIES,
    Automation,
)


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


def assemble(rng: np.random.Generator, cell: Cell, route: Route, ind: IndustryRanges, aut: AutomationRanges,
             chains: list[list[Station]], links: list[str], geometry: LineGeometry, gap: float,
             options: SamplerOptions) -> dict[str, Any]:
    """Objects and connections of the drawn lines, with arrivals and resources sized to the work: the
    data of a ``FactorySpec``, not yet validated (objects and connections as dicts)."""
    builder = _Builder()
    lines = len(chains)
    utilisation = float(rng.uniform(*UTILISATION))
    arrival_cv = float(rng.uniform(*aut.cv))
    speed = nice(float(rng.uniform(*aut.speed)))
    conveyor_speed = nice(float(rng.uniform(*ind.conveyor_speed)))
    source_name = pick(rng, [f"{route.item} {suffix}" for suffix in SOURCE_SUFFIXES])
    sink_name = pick(rng, [route.finished, *SINK_NAMES])
    operated = _operated(rng, cell, chains[0])

    # The bottleneck sets the pace: per source item, each line gets 1/lines of the items.
    legs = _transport_legs(chains[0], links, geometry)
    waits = _transport_waits(legs, speed)
    bottleneck = max(station.machine.work * (station.machine.service + waits.get(index, 0.0))
                     for chain in chains for index, station in enumerate(chain) if station.machine is not None)
    floor = bottleneck / (lines * utilisation)
    robot_groups = _robot_groups(rng, legs) if cell.automation is Automation.ROBOT else []
    team = 0
    resource_target = float(rng.uniform(*RESOURCE_UTILISATION))
    if cell.automation is Automation.ROBOT:
        robot_work = max((sum(rate * (2 * d / speed + HANDLING_TIME) for _, rate, d, _ in group)
                          for group in robot_groups), default=0.0)
        floor = max(floor, robot_work / (lines * resource_target))
    else:
        team_work = sum(rate * (2 * d / speed + HANDLING_TIME) for _, rate, d, _ in legs)
        team_work += sum(chains[0][i].machine.work * (chains[0][i].machine.service + gap / speed)
                         for i in operated)
        if team_work > 0:
            tasks_at_once = lines * (len(legs) + len(operated))
            team = min(max(1, math.ceil(team_work / (resource_target * floor))), MAX_TEAM, tasks_at_once)
            floor = max(floor, team_work / (resource_target * team))
    inter_arrival = with_mean(weighted(rng, ARRIVAL_FAMILIES, options.arrival_weights), nice(floor, "up"),
                              arrival_cv, rng)
    mean_gap = dist_mean(inter_arrival)

    source_params = {"inter_arrival": inter_arrival, "item_class": "Box"}
    if lines > 1:
        source_params["routing"] = "random"
    source = builder.add("source", source_name, geometry.source, **source_params)
    station_ids: list[list[int]] = []
    pending: list[tuple[int, int, str]] = []  # (upstream id, downstream id, link kind), per line in order
    joins: list[tuple[int, int]] = []  # (feeder source, combiner): connected after the line, as input 2
    for line, chain in enumerate(chains):
        ids = []
        for index, station in enumerate(chain):
            point, frame = geometry.stations[line][index], geometry.frames[line][index]
            feeder = None
            if station.kind == "combiner":
                feeder = _feeder_source(rng, builder, station, point, frame, mean_gap * lines, arrival_cv,
                                        options.arrival_weights)
            ids.append(builder.add(station.kind, station.base, point, **station.params))
            if feeder is not None and station.params["mode"] == "pack":
                builder.connect(feeder, ids[-1])  # the container comes in on input port 1
            elif feeder is not None:
                joins.append((feeder, ids[-1]))
        station_ids.append(ids)
        upstream = [source, *ids]
        for index, down in enumerate(ids):
            pending.append((upstream[index], down, links[index]))
    sink = builder.add("sink", sink_name, geometry.sink)
    for ids in station_ids:
        pending.append((ids[-1], sink, links[-1]))
    _emit_flow(builder, pending, conveyor_speed)
    for feeder, combiner in joins:
        builder.connect(feeder, combiner)

    transported = {up for up, _, how in pending if how == "transport"}
    operated_ids = {ids[i] for ids in station_ids for i in operated}
    for i in transported:
        builder.objects[i]["use_transport"] = True
    for i in operated_ids:
        builder.objects[i]["use_operator"] = True
    served = sorted(transported | operated_ids)
    if cell.automation is Automation.ROBOT:
        _add_robots(builder, geometry, station_ids, robot_groups, speed)
    elif served:
        _add_team(rng, builder, cell, aut, geometry, station_ids, served, max(team, 1), speed)
    return _finish(builder, cell)


def _machines(chain: list[Station]) -> list[Machine]:
    return [station.machine for station in chain if station.machine is not None]


def _operated(rng: np.random.Generator, cell: Cell, chain: list[Station]) -> list[int]:
    """Chain positions of the machines that need an operator (none above the operator level)."""
    share = OPERATED_SHARE.get(cell.automation, 0.0)
    machines = [index for index, station in enumerate(chain) if station.machine is not None]
    if not share:
        return []
    chosen = [index for index in machines if rng.random() < share]
    return chosen or [machines[int(rng.integers(len(machines)))]]


def _transport_legs(chain: list[Station], links: list[str], geometry: LineGeometry) -> list[tuple[int, float, float, int]]:
    """``(station index, items per line-input item, distance, row)`` for each transport leg of line 0."""
    points = [geometry.source, *geometry.stations[0], geometry.sink]
    legs = []
    for index, how in enumerate(links):
        if how == "transport" and index > 0:
            station = chain[index - 1]
            legs.append((index - 1, station.rate_out, math.dist(points[index], points[index + 1]),
                         geometry.rows[0][index - 1]))
    return legs


def _transport_waits(legs: list[tuple[int, float, float, int]], speed: float) -> dict[int, float]:
    """Chain index -> seconds a machine stands empty or blocked per item for its transport legs.

    A machine fed by a transport leg waits while an executer fetches its next item (there and
    back); one that sends by transport stays blocked until an executer comes to pick the item up.
    These waits are part of its cycle, whatever the team's size.
    """
    waits: dict[int, float] = {}
    for upstream, _, distance, _ in legs:
        waits[upstream + 1] = waits.get(upstream + 1, 0.0) + 2 * distance / speed + HANDLING_TIME
        waits[upstream] = waits.get(upstream, 0.0) + distance / speed + HANDLING_TIME
    return waits


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


def _feeder_source(rng: np.random.Generator, builder: _Builder, station: Station, point: Point, frame: Frame,
                   mean_gap_per_line: float, cv: float, weights: tuple[float, ...]) -> int:
    """The combiner's container or part supply, a little faster than the combiner takes them."""
    machine = station.machine
    per_item = machine.work * (machine.params["component_quantity"] if machine.params["mode"] == "join" else 1)
    family = weighted(rng, ARRIVAL_FAMILIES, weights)
    inter_arrival = with_mean(family, nice(mean_gap_per_line / per_item * rng.uniform(0.75, 0.95), "down"), cv, rng)
    where = (point[0] + frame.container_side[0], point[1] + frame.container_side[1])
    return builder.add("source", f"{machine.stage.feeder} Source", builder.free_point(where, frame),
                       inter_arrival=inter_arrival, item_class="Box")


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


def _finish(builder: _Builder, cell: Cell) -> dict[str, Any]:
    """Number repeated and generic names, round numbers, resolve connection ends: the spec's data."""
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
        obj["position"] = [clean_number(v) for v in obj["position"]]
        if "length" in obj:
            obj["length"] = clean_number(obj["length"])
    names = [obj["name"] for obj in builder.objects]
    connections = [{"from": names[c["from"]], "to": names[c["to"]], "port": c["port"]} for c in builder.connections]
    return {"industry": cell.industry, "automation": cell.automation, "layout": cell.layout,
            "line_type": cell.line_type, "objects": builder.objects, "connections": connections}


def clean_number(value: float) -> float:
    """Positions and lengths to centimetres, without binary noise."""
    return float(round(value, 2)) + 0.0
