"""What a script says about a model, in one comparable form for both scoring modes.

``Statements`` holds the objects (name -> FlexSim class), the connections in statement order
and the parameters (``(object name, property) -> canonical value``). The textual reader fills it
from the script text; the executed reader fills it from the interpreter's ModelGraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twinforge.metrics.values import Value
from twinforge.schemas.flexsim_vocabulary import KIND_TO_CLASS, KIND_TO_LIBRARY_PATH

Connection = tuple[str, str, str]


@dataclass
class Statements:
    """Objects, connections and parameters read from one script (or one graph)."""

    objects: dict[str, str] = field(default_factory=dict)
    connections: list[Connection] = field(default_factory=list)
    parameters: dict[tuple[str, str], Value] = field(default_factory=dict)


def _class_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for kind, cls in KIND_TO_CLASS.items():
        path = KIND_TO_LIBRARY_PATH[kind]
        for alias in (cls, path, path.lstrip("/"), path.lstrip("/?"), "/" + path.lstrip("/?")):
            aliases.setdefault(alias, cls)
    return aliases


CLASS_ALIASES: dict[str, str] = _class_aliases()
"""Every spelling our scripts use for a class (``Processor``, ``/?Processor``, ``?Processor``)."""


def class_of(written: str) -> str | None:
    """The FlexSim class a written class name or library path means (case-sensitive), else None."""
    return CLASS_ALIASES.get(written.strip())
