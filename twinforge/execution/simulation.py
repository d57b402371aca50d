"""A SimPy discrete-event simulation of a ``ModelGraph`` (twinforge's approximation, not FlexSim).

Semantics, kept deliberately simple (docs/execution.md lists the differences from FlexSim):
- a station holds at most ``max_content`` items (sources 1, sinks unlimited); an item moves on
  to the first output port whose station has room, else waits until one has (blocking);
- a source draws the next inter-arrival time after its previous item has left;
- processors (capacity c: c items in parallel) do setup then process; a multiprocessor runs its
  steps in order; a combiner takes one container on input port 1 and ``component_quantity``
  items from each other port (pack/join: one item leaves, batch: all leave); a separator sends
  on ``split_quantity`` copies (split) or the container plus that many items (unpack);
- a conveyor holds ``floor(length / 1 m)`` items, each travelling ``length / speed`` seconds, in order;
- ``use_transport``: a task executer (first centre partner, or a free member of that dispatcher's
  team) travels to the station and carries the item to its destination at its speed;
  ``use_operator``: one such task executer walks to the machine and is held while it processes.
Draws use ``twinforge.distributions.sampler`` clamped at 0 with ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from twinforge.distributions import sampler
from twinforge.execution.graph import GraphObject, ModelGraph
from twinforge.schemas.objects import TASK_EXECUTER_KINDS

ITEM_SPACING_M = 1.0
"""Conveyor capacity is one item per metre (FlexSim uses the items' real sizes)."""


class SimulationError(Exception):
    """The simulation cannot run or went wrong (a ``runtime_error``)."""


@dataclass
class SimulationReport:
    """KPIs and how the run ended: ``deadlock_at`` is set when nothing could move any more."""

    kpis: dict[str, Any]
    items_out: int
    deadlock_at: float | None = None
    stuck: list[str] = field(default_factory=list)
    events: int = 0


def _distance(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return math.dist(a, b)


class TaskExecuter:
    """A mobile resource: one task at a time; remembers where it is.

    Lighter than ``simpy.Resource``: a free executer is taken without an event, and a busy one
    hands itself straight to the first process still waiting for it on release.
    """

    def __init__(self, env: simpy.Environment, obj: GraphObject):
        self.name = obj.name
        self.position = obj.position
        self.speed = float(obj.params["speed"])
        self.free = True
        self.waiting: deque[simpy.Event] = deque()
        self.busy = 0.0

    def release(self) -> None:
        while self.waiting:
            event = self.waiting.popleft()
            if not event.triggered:
                event.succeed(self)
                return
        self.free = True


class Model:
    """The running model: clock, random draws, WIP accounting and the stations."""

    def __init__(self, graph: ModelGraph, horizon: float, rng: np.random.Generator):
        self.env = simpy.Environment()
        self.rng = rng
        self.horizon = horizon
        self.wip = 0
        self.wip_area = 0.0
        self.wip_since = 0.0
        self.items_out = 0
        self.next_item = 0
        objects = {obj.name: obj for obj in graph.objects}
        self.executers = {o.name: TaskExecuter(self.env, o) for o in graph.objects if o.kind in TASK_EXECUTER_KINDS}
        self.teams = {o.name: [self.executers[m] for m in graph.outputs(o.name) if m in self.executers]
                      for o in graph.objects if o.kind == "dispatcher"}
        self.stations: dict[str, Station] = {}
        for obj in graph.objects:
            factory = STATION_TYPES.get(obj.kind)
            if factory is not None:
                self.stations[obj.name] = factory(self, obj)
        for name, station in self.stations.items():
            station.outs = [self.stations[n] for n in graph.outputs(name) if n in self.stations]
            station.ins = [self.stations[n] for n in graph.inputs(name) if n in self.stations]
            obj = objects[name]
            wants = [flag for flag in ("use_transport", "use_operator") if obj.params.get(flag)]
            if wants:
                station.helpers = self.helpers_of(obj, graph.centre(name), wants)
                station.transport = "use_transport" in wants
                station.operated = "use_operator" in wants
        for station in self.stations.values():
            station.start()

    def helpers_of(self, obj: GraphObject, centre: list[str], wants: list[str]) -> list[TaskExecuter]:
        """The task executers behind a station's first centre port (``centerObjects[1]``)."""
        if not centre:
            raise SimulationError(f"{obj.cls} '{obj.name}' sets {' and '.join(wants)} but has no S connection "
                                  "to a dispatcher or task executer")
        ref = centre[0]
        if ref in self.executers:
            return [self.executers[ref]]
        if ref in self.teams:
            if not self.teams[ref]:
                raise SimulationError(f"dispatcher '{ref}' serves '{obj.name}' but has no team "
                                      "(no A connection to a task executer)")
            return self.teams[ref]
        raise SimulationError(f"{obj.cls} '{obj.name}': its first centre port leads to '{ref}', which is not a "
                              "dispatcher or task executer")

    def draw_fn(self, dist: Any) -> Callable[[], float]:
        """A sampler for ``dist`` clamped at 0 (constants skip numpy)."""
        if dist.family == "constant":
            value = max(0.0, float(dist.value))
            return lambda: value
        draw = sampler(dist, self.rng)
        return lambda: max(0.0, draw())

    def change_wip(self, delta: int) -> None:
        now = self.env.now
        self.wip_area += self.wip * (now - self.wip_since)
        self.wip_since = now
        self.wip += delta

    def new_item(self) -> int:
        self.next_item += 1
        self.change_wip(1)
        return self.next_item

    def acquire(self, helpers: list[TaskExecuter]) -> Generator[Any, Any, TaskExecuter]:
        """Take the first free helper (port order), else wait for the first one released."""
        for te in helpers:
            if te.free:
                te.free = False
                return te
        event = self.env.event()
        for te in helpers:
            te.waiting.append(event)
        te = yield event
        return te


class Station:
    """A flow object. Subclasses define ``start``, ``receive`` and, if needed, ``has_room``."""

    def __init__(self, model: Model, obj: GraphObject, capacity: float):
        self.model = model
        self.env = model.env
        self.name = obj.name
        self.kind = obj.kind
        self.position = obj.position
        self.capacity = capacity
        self.content = 0
        self.busy = 0.0
        self.outs: list[Station] = []
        self.ins: list[Station] = []
        self.helpers: list[TaskExecuter] = []
        self.transport = False
        self.operated = False
        self.room = self.env.event()

    def start(self) -> None:
        """Start the station's processes (none for passive stations)."""

    def has_room(self, src: Station) -> bool:
        return self.content < self.capacity

    def reserve(self, src: Station) -> None:
        self.content += 1

    def receive(self, item: int, src: Station) -> None:
        raise NotImplementedError

    def released(self) -> None:
        """Wake stations waiting for room here."""
        if self.room.callbacks:
            event, self.room = self.room, self.env.event()
            event.succeed()

    def release(self) -> None:
        self.content -= 1
        self.released()

    def send(self, item: int) -> Generator[Any, Any, None]:
        """Move ``item`` to the first output with room (waiting if none), by transport if set."""
        while True:
            for dst in self.outs:
                if dst.has_room(self):
                    dst.reserve(self)
                    if self.transport:
                        yield from self.carry(dst)
                    dst.receive(item, self)
                    return
            if not self.outs:
                yield self.env.event()
            elif len(self.outs) == 1:
                yield self.outs[0].room
            else:
                yield self.env.any_of([dst.room for dst in self.outs])

    def carry(self, dst: Station) -> Generator[Any, Any, None]:
        te = yield from self.model.acquire(self.helpers)
        travel = (_distance(te.position, self.position) + _distance(self.position, dst.position)) / te.speed
        if travel > 0:
            yield self.env.timeout(travel)
        te.busy += travel
        te.position = dst.position
        te.release()

    def set_up_and_process(self) -> Generator[Any, Any, None]:
        """A machine's cycle: its setup draw (busy, no operator), then its process draw via ``work``.

        Only machines call it; they set ``setup`` and ``process`` (draw functions) in ``__init__``.
        """
        setup = self.setup()
        if setup > 0:
            yield self.env.timeout(setup)
            self.busy += setup
        yield from self.work(self.process())

    def work(self, duration: float) -> Generator[Any, Any, None]:
        """Spend ``duration`` processing, with an operator if the station uses one."""
        if self.operated:
            te = yield from self.model.acquire(self.helpers)
            walk = _distance(te.position, self.position) / te.speed
            if walk + duration > 0:
                yield self.env.timeout(walk + duration)
            te.position = self.position
            te.busy += walk + duration
            te.release()
        elif duration > 0:
            yield self.env.timeout(duration)
        self.busy += duration


class Inbox(Station):
    """A station whose items wait in a FIFO ``inbox`` for its worker processes."""

    workers = 1

    def __init__(self, model: Model, obj: GraphObject, capacity: float):
        super().__init__(model, obj, capacity)
        self.inbox: deque[int] = deque()
        self.arrival = self.env.event()

    def start(self) -> None:
        for _ in range(self.workers):
            self.env.process(self.run())

    def receive(self, item: int, src: Station) -> None:
        self.inbox.append(item)
        if self.arrival.callbacks:
            event, self.arrival = self.arrival, self.env.event()
            event.succeed()

    def next_item(self) -> Generator[Any, Any, int]:
        while not self.inbox:
            yield self.arrival
        return self.inbox.popleft()

    def run(self) -> Generator[Any, Any, None]:
        raise NotImplementedError


class Source(Station):
    def __init__(self, model: Model, obj: GraphObject):
        super().__init__(model, obj, 1)
        self.draw = model.draw_fn(obj.params["inter_arrival"])

    def start(self) -> None:
        self.env.process(self.run())

    def run(self) -> Generator[Any, Any, None]:
        while True:
            yield self.env.timeout(self.draw())
            item = self.model.new_item()
            self.content = 1
            yield from self.send(item)
            self.content = 0


class Queue(Inbox):
    def __init__(self, model: Model, obj: GraphObject):
        super().__init__(model, obj, obj.params["max_content"])

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            yield from self.send(item)
            self.release()


class Processor(Inbox):
    def __init__(self, model: Model, obj: GraphObject):
        super().__init__(model, obj, obj.params.get("max_content", 1))
        self.workers = int(self.capacity)
        self.setup = model.draw_fn(obj.params["setup_time"])
        self.process = model.draw_fn(obj.params["process_time"])

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            yield from self.set_up_and_process()
            yield from self.send(item)
            self.release()


class MultiProcessor(Inbox):
    def __init__(self, model: Model, obj: GraphObject):
        super().__init__(model, obj, 1)
        self.steps = [model.draw_fn(dist) for _, dist in obj.params["steps"]]

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            for step in self.steps:
                yield from self.work(step())
            yield from self.send(item)
            self.release()


class Separator(Processor):
    def __init__(self, model: Model, obj: GraphObject):
        super().__init__(model, obj)
        self.capacity, self.workers = 1, 1
        self.quantity = obj.params["split_quantity"]
        self.unpack = obj.params["mode"] == "unpack"

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            yield from self.set_up_and_process()
            count = self.quantity + 1 if self.unpack else self.quantity
            self.model.change_wip(count - 1)
            parts = [item] + [self.model.next_item + i for i in range(1, count)]
            self.model.next_item += count - 1
            for part in parts:
                yield from self.send(part)
            self.release()


class Combiner(Station):
    """Container on input port 1, ``component_quantity`` items from each other input port."""

    def __init__(self, model: Model, obj: GraphObject):
        super().__init__(model, obj, math.inf)
        quantity = obj.params["component_quantity"]
        self.quantities = quantity if isinstance(quantity, list) else None
        self.quantity = quantity if isinstance(quantity, int) else 1
        self.batch = obj.params["mode"] == "batch"
        self.setup = model.draw_fn(obj.params["setup_time"])
        self.process = model.draw_fn(obj.params["process_time"])
        self.working = False
        self.container: int | None = None
        self.container_reserved = False
        self.counts: dict[int, int] = {}
        self.held: list[int] = []
        self.ready = self.env.event()

    def needed(self, port: int) -> int:
        if self.quantities is not None:
            return self.quantities[port - 2] if port - 2 < len(self.quantities) else 1
        return self.quantity

    def port(self, src: Station) -> int:
        return self.ins.index(src) + 1

    def has_room(self, src: Station) -> bool:
        if self.working:
            return False
        port = self.port(src)
        if port == 1:
            return not self.container_reserved
        return self.counts.get(port, 0) < self.needed(port)

    def reserve(self, src: Station) -> None:
        port = self.port(src)
        if port == 1:
            self.container_reserved = True
        else:
            self.counts[port] = self.counts.get(port, 0) + 1
        self.content += 1

    def receive(self, item: int, src: Station) -> None:
        if self.port(src) == 1:
            self.container = item
        else:
            self.held.append(item)
        if self.complete() and self.ready.callbacks:
            event, self.ready = self.ready, self.env.event()
            event.succeed()

    def complete(self) -> bool:
        components = sum(self.needed(port) for port in range(2, len(self.ins) + 1))
        return self.container is not None and len(self.held) == components

    def start(self) -> None:
        self.env.process(self.run())

    def run(self) -> Generator[Any, Any, None]:
        while True:
            while not self.complete():
                yield self.ready
            self.working = True
            yield from self.set_up_and_process()
            if self.batch:
                outgoing = [self.container, *self.held]
            else:
                outgoing = [self.container]
                self.model.change_wip(-len(self.held))
            for item in outgoing:
                yield from self.send(item)
            self.container, self.held, self.counts = None, [], {}
            self.container_reserved = self.working = False
            self.content = 0
            self.released()


class Conveyor(Station):
    def __init__(self, model: Model, obj: GraphObject):
        length, speed = float(obj.params["length"]), float(obj.params["speed"])
        super().__init__(model, obj, max(1, int(length // ITEM_SPACING_M)))
        self.travel = length / speed
        self.items: deque[tuple[int, float]] = deque()
        self.arrival = self.env.event()

    def start(self) -> None:
        self.env.process(self.run())

    def receive(self, item: int, src: Station) -> None:
        self.items.append((item, self.env.now + self.travel))
        if self.arrival.callbacks:
            event, self.arrival = self.arrival, self.env.event()
            event.succeed()

    def run(self) -> Generator[Any, Any, None]:
        while True:
            while not self.items:
                yield self.arrival
            item, due = self.items[0]
            if due > self.env.now:
                yield self.env.timeout(due - self.env.now)
            yield from self.send(item)
            self.items.popleft()
            self.release()


class Sink(Station):
    def __init__(self, model: Model, obj: GraphObject):
        super().__init__(model, obj, math.inf)

    def reserve(self, src: Station) -> None:
        return None

    def receive(self, item: int, src: Station) -> None:
        self.model.items_out += 1
        self.model.change_wip(-1)


STATION_TYPES: dict[str, Callable[[Model, GraphObject], Station]] = {
    "source": Source, "queue": Queue, "processor": Processor, "multiprocessor": MultiProcessor,
    "combiner": Combiner, "separator": Separator, "conveyor": Conveyor, "sink": Sink,
}


def simulate(graph: ModelGraph, *, horizon_s: float, seed: int, max_events: int = 2_000_000,
             max_seconds: float = 5.0) -> SimulationReport:
    """Run ``graph`` for ``horizon_s`` simulated seconds; raise ``SimulationError`` on a broken model."""
    model = Model(graph, horizon_s, np.random.default_rng(seed))
    env = model.env
    deadline = time.perf_counter() + max_seconds
    events = 0
    deadlock_at = None
    while True:
        when = env.peek()
        if when >= horizon_s:
            if when == math.inf and env.now < horizon_s:
                deadlock_at = env.now
            break
        env.step()
        events += 1
        if not events & 4095:
            if events > max_events:
                raise SimulationError(f"more than {max_events:,} simulation events before "
                                      f"t = {env.now:.0f} s (zero-time loops?)")
            if time.perf_counter() > deadline:
                raise SimulationError(f"simulation took longer than {max_seconds} s of wall time "
                                      f"(reached t = {env.now:.0f} s of {horizon_s:.0f} s)")
    model.wip_area += model.wip * (horizon_s - model.wip_since)
    stuck = [f"{s.name} ({s.content})" for s in model.stations.values()
             if s.content and s.kind not in ("sink",)]
    return SimulationReport(kpis=_kpis(model, graph), items_out=model.items_out, deadlock_at=deadlock_at,
                            stuck=stuck, events=events)


def _kpis(model: Model, graph: ModelGraph) -> dict[str, Any]:
    hours = model.horizon / 3600
    utilisation: dict[str, float] = {}
    for obj in graph.objects:
        station = model.stations.get(obj.name)
        if station is not None and obj.kind in ("processor", "multiprocessor", "combiner", "separator"):
            slots = station.workers if isinstance(station, Processor) else 1
            utilisation[obj.name] = round(min(1.0, station.busy / (slots * model.horizon)), 6)
        elif obj.name in model.executers:
            utilisation[obj.name] = round(min(1.0, model.executers[obj.name].busy / model.horizon), 6)
    return {
        "throughput_per_hour": round(model.items_out / hours, 6),
        "mean_wip": round(model.wip_area / model.horizon, 6),
        "utilisation": utilisation,
        "items_out": model.items_out,
    }
