"""The lean event core: SimPy's scheduling, exactly, for the few calls the simulated model makes.

The model (``stations``, ``flow``) is written against SimPy's API: ``env.process(generator)``,
``env.timeout(delay)``, ``env.event()``, ``event.succeed(value)``, ``event.triggered``,
``event.callbacks``, ``env.schedule(event, priority, delay)``, ``env.now``, and the heap
``env._queue`` that ``run_until`` steps through. ``LeanEnvironment`` implements just those, with
every heap push made at the same moment and with the same time and priority as SimPy makes it,
so ties are broken identically and a run gives the same KPIs, messages and event count, in about
0.8 of SimPy's time (1.24x measured on 300 ``gdt120k`` samples; the rest is the stations' own code):

- a heap entry is the ``Event`` or ``Process`` itself (an ``Entry``), ordered by its own key
  ``(at, priority, order)``, SimPy's ``(time, priority, id)``: no key tuple, float and integer are
  made per push, and compiled, a comparison is one C call on two doubles (each entry is on the
  heap at most once at a time: an event is triggered once, a process waits on one thing);

- a timeout is no event object: ``env.timeout(delay)`` pushes the process that asks for it
  (the active one) straight onto the heap and returns a marker its driver recognises;
- a process's start (SimPy's ``Initialize``, urgent) is the process itself on the heap;
- a process that sleeps until one other party wakes it with a value (an idle worker handed its
  next item, a conveyor waiting for its first item) needs no event either: ``waiter(env)`` is
  the process itself, which it yields, and ``wake`` pushes it onto the heap with the value, at
  the moment and with the priority SimPy's event would have been pushed;
- events keep SimPy's ``callbacks`` list, so a station may wait on several at once;
- an exception in a process propagates at once (SimPy re-raises a copy when its failed process
  event is processed; nothing in the model catches one, so the run ends with it either way).

The switch is ``ENABLED``; ``simpy.Environment`` stays the plain reference, and
tests/execution/test_event_core.py demands identical reports from both on sampled models.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from heapq import heappop, heappush
from typing import Any

import simpy

ENABLED = True
"""The switch: False makes every run use ``simpy.Environment`` (same results, slower)."""

URGENT = 0
NORMAL = 1
"""SimPy's two priorities (``simpy.events.URGENT``, ``NORMAL``): a process starts before the
ordinary events of its instant."""
_PENDING = object()


def lean_enabled() -> bool:
    """Whether the switch is on, read at each call (so a test may flip ``ENABLED``)."""
    return ENABLED


def new_environment() -> Any:
    """A fresh environment for one run: the lean core, or SimPy's when the switch is off."""
    return LeanEnvironment() if lean_enabled() else simpy.Environment()


class Entry:
    """What the heap holds: ordered by time, then priority, then the order of pushes (SimPy's key),
    which ``LeanEnvironment.push`` sets."""

    __slots__ = ("at", "order", "priority")

    def __lt__(self, other: Entry) -> bool:
        return self.before(other)

    def before(self, other: Entry) -> bool:
        """Whether this entry comes off the heap before ``other`` (compiled, a C call: ``__lt__``
        cannot type its argument)."""
        if self.at != other.at:
            return self.at < other.at
        if self.priority != other.priority:
            return self.priority < other.priority
        return self.order < other.order


class Event(Entry):
    """SimPy's ``Event`` reduced to what the model uses: callbacks, ``succeed`` and ``triggered``."""

    __slots__ = ("_ok", "_value", "callbacks", "env")

    def __init__(self, env: LeanEnvironment) -> None:
        self.env = env
        self.callbacks: list[Callable[[Any], None]] | None = []
        self._value: Any = _PENDING
        self._ok = True

    @property
    def triggered(self) -> bool:
        return self._value is not _PENDING

    def succeed(self, value: Any = None) -> Event:
        """Trigger the event now (normal priority), as ``simpy.Event.succeed``."""
        if self._value is not _PENDING:
            raise RuntimeError(f"{self} has already been triggered")
        self._ok = True
        self._value = value
        env = self.env
        env.push(env.now, NORMAL, self)
        return self


_SCHEDULED = Event.__new__(Event)
"""What ``LeanEnvironment.timeout`` returns: the active process is already on the heap."""


class Process(Entry):
    """A generator driven by the core: resumed with the value of each event it yields.

    On the heap it stands for itself (its start, the end of a timeout, a ``wake``), resumed with
    its own ``_value``: what ``wake`` handed it, None after a timeout."""

    __slots__ = ("_ok", "_value", "env", "resume", "send")

    def __init__(self, env: LeanEnvironment, generator: Generator[Any, Any, Any]) -> None:
        self.env = env
        self.send = generator.send
        self.resume = self._resume
        self._value: Any = None
        self._ok = True

    def _resume(self, event: Any) -> None:
        """Run the generator until it waits on an event that has not happened yet (or on itself:
        until ``wake``); ``event`` is a triggered ``Event`` or this process."""
        env, send = self.env, self.send
        value = self._value if event is self else event._value
        env.active = self
        while True:
            try:
                event = send(value)
            except StopIteration:
                break
            if event is _SCHEDULED or event is self:
                break
            callbacks = event.callbacks
            if callbacks is not None:
                callbacks.append(self.resume)
                break
            value = event._value
        env.active = None


class LeanEnvironment:
    """The clock and the heap; ``step`` processes one entry as ``simpy.Environment.step`` does."""

    def __init__(self) -> None:
        self.now = 0.0
        self._queue: list[Entry] = []
        self.pushes = 0
        """Entries pushed so far: the next one's id (SimPy's event id, the last tie-breaker)."""
        self.active: Process | None = None
        self.event: Callable[[], Event] = partial(Event, self)
        """A new pending event (``simpy.Environment.event``)."""

    def process(self, generator: Generator[Any, Any, Any]) -> Process:
        """Start ``generator`` as a process (urgently, at the current time)."""
        process = Process(self, generator)
        self.push(self.now, URGENT, process)
        return process

    def push(self, time: float, priority: int, entry: Entry) -> None:
        """Put ``entry`` on the heap at ``time``: ties go by priority, then in the order of pushes
        (SimPy's heap key; a plain counter instead of SimPy's ``itertools.count``, a C integer
        when compiled)."""
        entry.at, entry.priority, entry.order = time, priority, self.pushes
        heappush(self._queue, entry)
        self.pushes += 1

    def timeout(self, delay: float = 0) -> Event:
        """Resume the active process after ``delay`` (what yielding ``simpy.Timeout`` does)."""
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")
        active = self.active
        active._value = None
        self.push(self.now + delay, NORMAL, active)
        return _SCHEDULED

    def schedule(self, event: Event, priority: int = NORMAL, delay: float = 0) -> None:
        self.push(self.now + delay, priority, event)

    def step(self) -> None:
        """Process the next heap entry: resume a process, or call an event's callbacks."""
        entry = heappop(self._queue)
        self.now = entry.at
        if type(entry) is Process:
            process = entry
            process._resume(process)
            return
        event = entry
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)

    def run_until(self, horizon: float, check: Callable[[int], None]) -> int:
        """``run_until`` of this core: ``step`` inlined."""
        queue, events = self._queue, 0
        while queue:
            first = queue[0]
            if not first.at < horizon:  # not ``>=``: a NaN time ends the run, as SimPy's ``<`` test does
                break
            entry = heappop(queue)
            self.now = entry.at
            if type(entry) is Process:
                process = entry
                process._resume(process)
            else:
                event = entry
                callbacks, event.callbacks = event.callbacks, None
                for callback in callbacks:
                    callback(event)
            events += 1
            if not events & CHECK_EVERY:
                check(events)
        return events


def waiter(env: Any) -> Any:
    """What the active process yields to sleep until ``wake`` hands it a value: itself on the lean
    core, a new event on SimPy's; compiled, a C read of the active process."""
    if type(env) is LeanEnvironment:
        lean = env
        return lean.active
    return env.event()


def clock(env: Any) -> float:
    """``env.now`` (SimPy's or the lean core's); compiled, a C read of the lean core's clock."""
    if type(env) is LeanEnvironment:
        lean = env
        return lean.now
    return env.now


def timeout(env: Any, delay: float) -> Any:
    """``env.timeout(delay)`` (SimPy's or the lean core's), what the active process yields to sleep
    ``delay`` seconds; compiled, a C call on the lean core."""
    if type(env) is LeanEnvironment:
        lean = env
        return lean.timeout(delay)
    return env.timeout(delay)


def wake(env: Any, waiter: Any, value: Any, delay: float = 0) -> None:
    """Resume the process sleeping on ``waiter`` with ``value`` after ``delay``: the heap push
    ``event.succeed(value)`` makes (delay 0), or ``simpy.Timeout`` makes for a new event."""
    if type(env) is LeanEnvironment:
        lean, process = env, waiter
        process._ok = True
        process._value = value
        lean.push(lean.now + delay, NORMAL, process)
        return
    waiter._ok = True
    waiter._value = value
    heappush(env._queue, (env.now + delay, NORMAL, next(env._eid), waiter))


CHECK_EVERY = 4095
"""``run_until`` calls its ``check`` after every 4,096 entries (a mask: events & 4095 == 0)."""


def run_until(env: Any, horizon: float, check: Callable[[int], None]) -> int:
    """Process every heap entry before ``horizon`` (SimPy's or the lean core's environment); call
    ``check(events)`` after every 4,096 of them (it may raise to stop the run); return the count.
    The run ended in a deadlock when the heap is empty and ``env.now`` is short of ``horizon``."""
    if isinstance(env, LeanEnvironment):
        return env.run_until(horizon, check)
    queue, step, events = env._queue, env.step, 0
    while queue and queue[0][0] < horizon:
        step()
        events += 1
        if not events & CHECK_EVERY:
            check(events)
    return events

