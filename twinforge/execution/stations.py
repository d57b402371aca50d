"""The core of a simulated model: task executers, the ``Station`` every flow object is, and the
``Inbox`` of stations whose items wait for worker processes (twinforge's approximation of
FlexSim, not FlexSim; ``simulation``'s docstring sums up what each object does).

``Run`` holds a run's clock, random draws and KPI accounts; the flow objects themselves are in
``flow``, and ``model.Model`` (a ``Run``) builds them from a ``ModelGraph``. An item is its birth
time (a float): that is all the KPIs need of it.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from twinforge.distributions import sample
from twinforge.execution.event_core import clock, new_environment, timeout, waiter, wake
from twinforge.execution.graph import GraphObject

ITEM_SPACING_M = 1.0
"""Conveyor capacity is one item per metre (FlexSim uses the items' real sizes)."""
DRAW_BATCH = 64
"""Random draws are made this many at a time per distribution (a run of 220 arrivals needs a few batches)."""

Item = float
"""A flow item: the simulated time it was created (a separator's parts and a combiner's result
keep the birth time of the item they came from)."""


_distance = math.dist
"""Straight-line distance between two positions."""


class TaskExecuter:
    """A mobile resource: one task at a time; remembers where it is.

    Lighter than ``simpy.Resource``: a free executer is taken without an event, and a busy one
    hands itself straight to the first process still waiting for it on release.
    """

    def __init__(self, env: simpy.Environment, obj: GraphObject) -> None:
        self.name = obj.name
        self.position = obj.position
        self.speed = float(obj.params["speed"])
        self.free = True
        self.waiting: deque[simpy.Event] = deque()
        self.busy = 0.0

    def release(self) -> None:
        """Free this executer: hand it to the first process still waiting, else mark it free."""
        while self.waiting:
            event = self.waiting.popleft()
            if not event.triggered:
                event.succeed(self)
                return
        self.free = True

def free_helper(helpers: list[TaskExecuter]) -> TaskExecuter | None:
    """The first free helper in port order, now taken; None when all are busy (the caller then
    waits in ``Run.acquire``; taking a free one first spares it a generator)."""
    for te in helpers:
        if te.free:
            te.free = False
            return te
    return None


class Run:
    """A run's clock, random draws and what the KPIs count (``model.Model`` adds the stations).

    Counts and time integrals cover the measurement window only, from ``warmup`` to ``horizon``;
    ``items_out`` counts every item that reached a sink.
    """

    def __init__(self, horizon: float, rng: np.random.Generator, warmup: float = 0.0) -> None:
        self.env = new_environment()
        self.rng = rng
        self.horizon = horizon
        self.warmup = min(warmup, horizon)
        self.wip = 0
        self.wip_area = 0.0
        self.wip_since = 0.0
        self.items_out = 0
        self.window_out = 0
        self.cycle_sum = 0.0
        self.cycle_count = 0

    def draw_fn(self, dist: Any) -> Callable[[], float]:
        """A sampler for ``dist`` clamped at 0 (constants skip numpy). Draws are made
        ``DRAW_BATCH`` at a time (one numpy call instead of one per draw) and handed out in order."""
        if dist.family == "constant":
            value = max(0.0, float(dist.value))
            return lambda: value
        rng, stock = self.rng, []

        def draw() -> float:
            if not stock:
                stock.extend(np.maximum(sample(dist, rng, DRAW_BATCH), 0.0)[::-1].tolist())
            return stock.pop()

        return draw

    def port_picker(self) -> Callable[[int, int], int]:
        """A uniform integer draw ``pick(low, high)`` from a stream of the object's own (seeded
        from the model's generator, so the run stays a function of the seed)."""
        return random.Random(int(self.rng.integers(2**63))).randint

    def in_window(self, start: float, end: float) -> float:
        """How much of ``[start, end]`` lies in the measurement window."""
        if start >= self.warmup and end <= self.horizon:
            return end - start
        return max(0.0, min(end, self.horizon) - max(start, self.warmup))

    def change_wip(self, delta: int) -> None:
        """Add ``delta`` items to the WIP count, accumulating its time integral over the window."""
        now = clock(self.env)
        if now > self.warmup:
            self.wip_area += self.wip * (now - max(self.wip_since, self.warmup))
        self.wip_since = now
        self.wip += delta

    def new_item(self) -> Item:
        """A new item (counted as WIP): its birth time."""
        self.change_wip(1)
        return clock(self.env)

    def item_out(self, item: Item) -> None:
        """An item reached a sink: count it, and its cycle time if it was born after the warm-up."""
        now = clock(self.env)
        self.items_out += 1
        if now >= self.warmup:
            self.window_out += 1
            if item >= self.warmup:
                self.cycle_sum += now - item
                self.cycle_count += 1
        self.change_wip(-1)

    def acquire(self, helpers: list[TaskExecuter]) -> Generator[Any, Any, TaskExecuter]:
        """Take the first free helper (port order), else wait for the first one released."""
        taken = free_helper(helpers)
        if taken is not None:
            return taken
        event = self.env.event()
        for te in helpers:
            te.waiting.append(event)
        te = yield event
        return te


class Station:
    """A flow object. Subclasses define ``start``, ``receive`` and, if needed, ``has_room``."""

    def __init__(self, model: Run, obj: GraphObject, capacity: float) -> None:
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
        self.route: int | tuple[int, int] | None = None
        self.pick: Callable[[int, int], int] | None = None
        self.room_waiters: list[simpy.Event] = []

    def set_routing(self, routing: Any) -> None:
        """The Send To Port rule: None (first available), a port index, or a range to draw from."""
        if routing == "first_available":
            self.route = None
            return
        if routing == "random":
            self.route = (0, len(self.outs) - 1)
        elif isinstance(routing, int):
            self.route = routing - 1
            return
        else:
            self.route = (routing[0] - 1, routing[1] - 1)
        self.pick = self.model.port_picker()

    def start(self) -> None:
        """Start the station's processes (none for passive stations)."""

    def has_room(self, src: Station) -> bool:
        """Whether an item from ``src`` may come in now."""
        return self.content < self.capacity

    def reserve(self, src: Station) -> None:
        """Take a place for an item from ``src`` before it travels here."""
        self.content += 1

    def receive(self, item: Item, src: Station) -> None:
        """Take in an item that has arrived from ``src``."""
        raise NotImplementedError

    def wait_for_room(self, event: simpy.Event) -> None:
        """Trigger ``event`` when this station next frees a place."""
        self.room_waiters.append(event)

    def released(self) -> None:
        """Wake the stations waiting for room here."""
        if self.room_waiters:
            waiters, self.room_waiters = self.room_waiters, []
            for event in waiters:
                if not event.triggered:
                    event.succeed()

    def release(self) -> None:
        """An item has left: free its place (and wake the stations waiting for room here)."""
        self.content -= 1
        if self.room_waiters:
            self.released()

    def try_send(self, item: Item) -> bool:
        """Hand ``item`` at once to the first output with room, if routing is first available and
        nothing carries it; False when it must wait, travel or be routed (``dispatch``)."""
        if self.route is not None or self.transport:
            return False
        dst = self.take_first_room()
        if dst is None:
            return False
        dst.receive(item, self)
        return True

    def dispatch(self, item: Item) -> Generator[Any, Any, None] | None:
        """Move ``item`` on by the routing rule: None when it went at once, else the process that
        sends it (the caller ``yield from``-s it). First available: the first output with room in
        port order, else the first to free a place. Otherwise the port is chosen once (a draw for
        random routing) and the item waits for that port, as FlexSim does. By transport if set.

        Why not always a process: most items go at once, and a generator per item was a fifth of
        the simulation's time."""
        outs = self.outs
        if not outs:
            return self.send(item, None)
        route = self.route
        if route is None:
            for dst in outs:
                if dst.has_room(self):
                    break
            else:
                return self.send(item, None)
        else:
            dst = outs[route] if type(route) is int else outs[self.pick(*route)]
            if not dst.has_room(self):
                return self.send(item, dst)
        if self.transport:
            return self.send(item, dst)
        dst.reserve(self)
        dst.receive(item, self)
        return None

    def send(self, item: Item, dst: Station | None) -> Generator[Any, Any, None]:
        """The rest of ``dispatch``: wait for room at ``dst`` (None: at the first output to free a
        place, all being full), take it, then carry the item there if transport is set."""
        env = self.env
        if not self.outs:
            yield env.event()
        if dst is None:
            while True:
                event = env.event()
                for out in self.outs:
                    out.wait_for_room(event)
                yield event
                dst = self.take_first_room()
                if dst is not None:
                    break
        else:
            while not self.take_room(dst):
                event = env.event()
                dst.wait_for_room(event)
                yield event
        if not self.transport:
            self.deliver(item, dst, None)
            return
        te = free_helper(self.helpers)  # a task executer travels here, then carries the item on to ``dst``
        if te is None:
            te = yield from self.model.acquire(self.helpers)
        travel = self.carry(te, dst)
        if travel > 0:
            yield timeout(env, travel)
        self.deliver(item, dst, te)

    def take_first_room(self) -> Station | None:
        """The first output (port order) with room for an item from here, its place now taken;
        None when all are full."""
        for dst in self.outs:
            if self.take_room(dst):
                return dst
        return None

    def take_room(self, dst: Station) -> bool:
        """Take a place at ``dst`` for an item from here, if it has room (for ``send``, whose
        generator cannot type ``dst``: compiled, these are C calls)."""
        if not dst.has_room(self):
            return False
        dst.reserve(self)
        return True

    def deliver(self, item: Item, dst: Station, te: TaskExecuter | None) -> None:
        """Hand ``item`` to ``dst`` (its place already reserved), first freeing ``te`` there if a
        task executer carried it (the end of ``send``, typed like ``carry``)."""
        if te is not None:
            te.position = dst.position
            te.release()
        dst.receive(item, self)

    def carry(self, te: TaskExecuter, dst: Station) -> float:
        """Seconds ``te`` takes to come here and carry an item on to ``dst``, counted as its busy
        time (a typed method: the per-item arithmetic of ``send`` without Python attribute look-ups)."""
        travel = (_distance(te.position, self.position) + _distance(self.position, dst.position)) / te.speed
        if travel > 0:
            now = clock(self.env)
            te.busy += self.model.in_window(now, now + travel)
        return travel

    def set_up_and_process(self) -> Generator[Any, Any, None]:
        """A machine's cycle: its setup draw (busy, no operator), then its process draw via ``work``.

        Only machines call it; they set ``setup`` and ``process`` (draw functions) in ``__init__``.
        """
        setup = self.setup()
        if setup > 0:
            now = clock(self.env)
            self.busy += self.model.in_window(now, now + setup)
            yield timeout(self.env, setup)
        yield from self.work(self.process())

    def work(self, duration: float) -> Generator[Any, Any, None]:
        """Spend ``duration`` processing, with an operator if the station uses one."""
        env = self.env
        if self.operated:
            te = free_helper(self.helpers)
            if te is None:
                te = yield from self.model.acquire(self.helpers)
            held = self.operate(te, duration)
            if held > 0:
                yield timeout(env, held)
            te.position = self.position
            te.release()
        elif duration > 0:
            now = clock(env)
            self.busy += self.model.in_window(now, now + duration)
            yield timeout(env, duration)

    def operate(self, te: TaskExecuter, duration: float) -> float:
        """Seconds operator ``te`` is held to walk here and run a ``duration`` process: the station
        counts the process busy, ``te`` the walk and the process (typed, as ``carry``)."""
        walk = _distance(te.position, self.position) / te.speed
        now = clock(self.env)
        self.busy += self.model.in_window(now + walk, now + walk + duration)
        te.busy += self.model.in_window(now, now + walk + duration)
        return walk + duration


class Inbox(Station):
    """A station whose items wait in a FIFO ``inbox`` for its worker processes; an idle worker
    sleeps on a waiter of its own in ``idle`` and is handed the next item directly (``wake``)."""

    def __init__(self, model: Run, obj: GraphObject, capacity: float) -> None:
        super().__init__(model, obj, capacity)
        self.inbox: deque[Item] = deque()
        self.idle: deque[Any] = deque()
        self.workers = 1

    def start(self) -> None:
        """Start the station's processes."""
        for _ in range(self.workers):
            self.env.process(self.run())

    def receive(self, item: Item, src: Station) -> None:
        """Take in an item that has arrived from ``src``: to an idle worker, else the inbox."""
        if self.idle:
            wake(self.env, self.idle.popleft(), item)
        else:
            self.inbox.append(item)

    def next_item(self) -> Generator[Any, Any, Item]:
        """The next item of the inbox (waiting for one if empty)."""
        if self.inbox:
            return self.inbox.popleft()
        sleeper = waiter(self.env)
        self.idle.append(sleeper)
        item = yield sleeper
        return item

    def run(self) -> Generator[Any, Any, None]:
        """The station's process."""
        raise NotImplementedError
