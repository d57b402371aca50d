"""Names of the objects every line has (buffers, sources, sinks, resources); stations come from ``routes``.

Names are plain words (no quotes or backslashes) because they become FlexSim object names.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

QUEUE_NAMES: tuple[str, ...] = ("Queue", "Buffer", "Input Buffer")
"""Buffer names; always numbered (FlexSim's own habit: ``Queue1``)."""

SOURCE_SUFFIXES: tuple[str, ...] = ("Source", "Arrivals", "Supply")
SINK_NAMES: tuple[str, ...] = ("Sink", "Exit")

RESOURCE_NAMES: Mapping[str, str] = MappingProxyType({
    "dispatcher": "Dispatcher",
    "operator": "Operator",
    "task_executer": "TaskExecuter",
    "transporter": "Transporter",
    "robot": "Robot",
    "agv": "AGV",
})
"""Resource kind -> base name (always numbered)."""
