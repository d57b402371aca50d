"""Hand-written specs for the prompt tests: parallel twins, conveyors, pack/unpack, steps, AGV team,
parallel lines fed at random with a pack combiner per line, and a join combiner fed on input port 2.

Names carry spaces and digits on purpose ("Queue 1", "Mask Coater1", "Line 2 Packer", "AGV 2").
"""

from __future__ import annotations

from twinforge.schemas import FactorySpec

PARALLEL_SPEC = {
    "industry": "semiconductor", "automation": "robot", "layout": "parallel", "line_type": "workstation",
    "objects": [
        {"kind": "source", "name": "Wafer Source", "position": [0, 0, 0], "item_class": "Wafer",
         "inter_arrival": {"family": "exponential", "mean": 45}},
        {"kind": "queue", "name": "Queue 1", "position": [4, 0, 0], "max_content": 10},
        {"kind": "processor", "name": "Mask Coater1", "position": [8, 3, 0], "use_operator": True,
         "process_time": {"family": "normal", "mean": 60, "std": 6}},
        {"kind": "processor", "name": "Mask Coater2", "position": [8, -3, 0], "use_operator": True,
         "process_time": {"family": "normal", "mean": 60, "std": 6}},
        {"kind": "sink", "name": "Sink", "position": [12, 0, 0]},
        {"kind": "robot", "name": "Robot7", "position": [8, 0, 0], "speed": 1.5, "capacity": 2},
    ],
    "connections": [
        {"from": "Wafer Source", "to": "Queue 1", "port": "A"},
        {"from": "Queue 1", "to": "Mask Coater1", "port": "A"},
        {"from": "Queue 1", "to": "Mask Coater2", "port": "A"},
        {"from": "Mask Coater1", "to": "Sink", "port": "A"},
        {"from": "Mask Coater2", "to": "Sink", "port": "A"},
        {"from": "Mask Coater1", "to": "Robot7", "port": "S"},
        {"from": "Mask Coater2", "to": "Robot7", "port": "S"},
    ],
}

CONVEYOR_SPEC = {
    "industry": "food_processing", "automation": "agv", "layout": "conveyor", "line_type": "conveyor",
    "objects": [
        {"kind": "source", "name": "Tray Source", "position": [0, 2, 0], "item_class": "Tray",
         "inter_arrival": {"family": "uniform", "min": 10, "max": 20}},
        {"kind": "source", "name": "Part Source", "position": [0, -2, 0], "item_class": "Part",
         "inter_arrival": {"family": "constant", "value": 4}},
        {"kind": "conveyor", "name": "Conveyor A1", "position": [3, -2, 0], "length": 8, "speed": 0.5},
        {"kind": "combiner", "name": "Line 2 Packer", "position": [8, 0, 0], "mode": "pack",
         "component_quantity": 4, "use_transport": True,
         "process_time": {"family": "gamma", "shape": 2, "scale": 5},
         "setup_time": {"family": "triangular", "min": 1, "mode": 2, "max": 4}},
        {"kind": "conveyor", "name": "Conveyor B2", "position": [12, 0, 0], "length": 12.5, "speed": 1.25},
        {"kind": "multiprocessor", "name": "Oven 3", "position": [18, 0, 0], "steps": [
            {"name": "Preheat", "process_time": {"family": "weibull", "shape": 1.5, "scale": 30}},
            {"name": "Bake", "process_time": {"family": "poisson", "mean": 90}}]},
        {"kind": "separator", "name": "Unpacker", "position": [22, 0, 0], "mode": "unpack",
         "split_quantity": 4, "process_time": {"family": "lognormal", "mu": -0.4, "sigma": 0.3}},
        {"kind": "sink", "name": "Finished Goods", "position": [26, 0, 0]},
        {"kind": "dispatcher", "name": "Fleet Control", "position": [8, -5, 0]},
        {"kind": "agv", "name": "AGV 1", "position": [6, -5, 0], "speed": 2},
        {"kind": "agv", "name": "AGV 2", "position": [10, -5, 0], "speed": 2},
    ],
    "connections": [
        {"from": "Tray Source", "to": "Line 2 Packer", "port": "A"},
        {"from": "Part Source", "to": "Conveyor A1", "port": "A"},
        {"from": "Conveyor A1", "to": "Line 2 Packer", "port": "A"},
        {"from": "Line 2 Packer", "to": "Conveyor B2", "port": "A"},
        {"from": "Conveyor B2", "to": "Oven 3", "port": "A"},
        {"from": "Oven 3", "to": "Unpacker", "port": "A"},
        {"from": "Unpacker", "to": "Finished Goods", "port": "A"},
        {"from": "Fleet Control", "to": "AGV 1", "port": "A"},
        {"from": "Fleet Control", "to": "AGV 2", "port": "A"},
        {"from": "Line 2 Packer", "to": "Fleet Control", "port": "S"},
    ],
}


def _station(kind: str, name: str, x: float, y: float, mean: float, **extra) -> dict:
    return {"kind": kind, "name": name, "position": [x, y, 0],
            "process_time": {"family": "exponential", "mean": mean}, **extra}


PACK_PARALLEL_SPEC = {
    "industry": "electronics", "automation": "operator", "layout": "parallel", "line_type": "workstation",
    "objects": [
        {"kind": "source", "name": "Panel Source", "position": [0, -3, 0], "routing": "random",
         "inter_arrival": {"family": "constant", "value": 45}},
        {"kind": "queue", "name": "Queue1", "position": [5, 0, 0], "max_content": 35},
        _station("processor", "Reflow Oven1", 10, 0, 40, use_operator=True),
        {"kind": "source", "name": "Tray Source1", "position": [15, 3, 0],
         "inter_arrival": {"family": "uniform", "min": 600, "max": 800}},
        _station("combiner", "Tray Packer1", 15, 0, 20, mode="pack", component_quantity=10),
        {"kind": "queue", "name": "Queue2", "position": [5, -6, 0], "max_content": 35},
        _station("processor", "Reflow Oven2", 10, -6, 50, use_operator=True),
        {"kind": "source", "name": "Tray Source2", "position": [15, -9, 0],
         "inter_arrival": {"family": "exponential", "mean": 650}},
        _station("combiner", "Tray Packer2", 15, -6, 25, mode="pack", component_quantity=12),
        {"kind": "sink", "name": "Finished Boards", "position": [20, -3, 0]},
        {"kind": "dispatcher", "name": "Dispatcher1", "position": [8, -3, 0]},
        {"kind": "operator", "name": "Operator1", "position": [9, -3, 0], "speed": 0.9},
    ],
    "connections": [
        {"from": "Tray Source1", "to": "Tray Packer1", "port": "A"},
        {"from": "Tray Source2", "to": "Tray Packer2", "port": "A"},
        {"from": "Panel Source", "to": "Queue1", "port": "A"},
        {"from": "Queue1", "to": "Reflow Oven1", "port": "A"},
        {"from": "Reflow Oven1", "to": "Tray Packer1", "port": "A"},
        {"from": "Panel Source", "to": "Queue2", "port": "A"},
        {"from": "Queue2", "to": "Reflow Oven2", "port": "A"},
        {"from": "Reflow Oven2", "to": "Tray Packer2", "port": "A"},
        {"from": "Tray Packer1", "to": "Finished Boards", "port": "A"},
        {"from": "Tray Packer2", "to": "Finished Boards", "port": "A"},
        {"from": "Dispatcher1", "to": "Operator1", "port": "A"},
        {"from": "Reflow Oven1", "to": "Dispatcher1", "port": "S"},
        {"from": "Reflow Oven2", "to": "Dispatcher1", "port": "S"},
    ],
}

JOIN_SPEC = {
    "industry": "automotive", "automation": "manual", "layout": "linear", "line_type": "workstation",
    "objects": [
        {"kind": "source", "name": "Body Source", "position": [0, 0, 0],
         "inter_arrival": {"family": "normal", "mean": 150, "std": 20}},
        {"kind": "queue", "name": "Queue1", "position": [4, 0, 0], "max_content": 10, "use_transport": True},
        {**_station("processor", "Body Welder", 8, 0, 90), "process_time": {"family": "lognormal", "mu": 4.5,
                                                                            "sigma": 0.25}},
        {"kind": "source", "name": "Powertrain Source", "position": [12, 3, 0],
         "inter_arrival": {"family": "triangular", "min": 60, "mode": 90, "max": 150}},
        {**_station("combiner", "Engine Marriage", 12, 0, 120, mode="join", component_quantity=1),
         "setup_time": {"family": "constant", "value": 30}},
        {"kind": "sink", "name": "Vehicle Yard", "position": [16, 0, 0]},
        {"kind": "dispatcher", "name": "Dispatcher1", "position": [6, -3, 0]},
        {"kind": "operator", "name": "Operator1", "position": [7, -3, 0], "speed": 1.1},
        {"kind": "operator", "name": "Operator2", "position": [8, -3, 0], "speed": 1.1},
    ],
    "connections": [
        {"from": "Body Source", "to": "Queue1", "port": "A"},
        {"from": "Queue1", "to": "Body Welder", "port": "A"},
        {"from": "Body Welder", "to": "Engine Marriage", "port": "A"},
        {"from": "Engine Marriage", "to": "Vehicle Yard", "port": "A"},
        {"from": "Powertrain Source", "to": "Engine Marriage", "port": "A"},
        {"from": "Dispatcher1", "to": "Operator1", "port": "A"},
        {"from": "Dispatcher1", "to": "Operator2", "port": "A"},
        {"from": "Queue1", "to": "Dispatcher1", "port": "S"},
    ],
}


def hand_specs() -> list[FactorySpec]:
    """The hand-written specs, validated: parallel twins, conveyor cell, pack-parallel, join line."""
    return [FactorySpec.model_validate(data)
            for data in (PARALLEL_SPEC, CONVEYOR_SPEC, PACK_PARALLEL_SPEC, JOIN_SPEC)]
