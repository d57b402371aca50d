"""The running model: it builds the stations of a ``ModelGraph`` and holds the clock, the
random draws and what the KPIs count (twinforge's approximation of FlexSim, not FlexSim)."""

from __future__ import annotations

import numpy as np

from twinforge.execution.errors import SimulationError
from twinforge.execution.flow import STATION_TYPES
from twinforge.execution.graph import GraphObject, ModelGraph
from twinforge.execution.stations import Run, Station, TaskExecuter
from twinforge.schemas.objects import TASK_EXECUTER_KINDS


class Model(Run):
    """The running model: a ``Run`` with the stations and task executers of a ``ModelGraph``."""

    def __init__(self, graph: ModelGraph, horizon: float, rng: np.random.Generator, warmup: float = 0.0) -> None:
        super().__init__(horizon, rng, warmup)
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
            station.set_routing(obj.params.get("routing", "first_available"))
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
