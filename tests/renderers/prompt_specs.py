"""Hand-written specs for the prompt tests: parallel twins, conveyors, pack/unpack, steps, AGV team.

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


def hand_specs() -> list[FactorySpec]:
    """The hand-written specs, validated."""
    return [FactorySpec.model_validate(data) for data in (PARALLEL_SPEC, CONVEYOR_SPEC)]
