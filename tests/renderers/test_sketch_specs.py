"""Spec builders for the sketch tests: every layout and automation level, awkward names and spacing.

They stand apart from the corpus sampler on purpose: they push the sketch where the sampler
rarely goes (long or non-ASCII names, objects almost on top of each other, wide spans).
"""

from __future__ import annotations

import numpy as np
import pytest

from twinforge.schemas import Automation, FactorySpec, Layout

WORDS = ["Wafer", "Litho", "Etch", "Coater", "Oven", "Press", "Packer", "Inspect", "Buffer", "Mixer",
         "Filler", "Stepper", "Dryer", "Cutter", "Weld", "Paint", "Assembly", "Test", "Label", "Sorter"]
ODD = ["Q&A Bench", "Stage <2>", "Étuve 3", "M/C-07", "Line_A.Cell 12", "WWWW MMMM", "iii"]


def _name(rng: np.random.Generator, used: set[str], prefix: str) -> str:
    roll = rng.random()
    if roll < 0.08:
        base = str(rng.choice(ODD))
    elif roll < 0.2:
        base = " ".join(rng.choice(WORDS, size=int(rng.integers(3, 6))))
    elif roll < 0.6:
        base = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
    else:
        base = prefix
    name, k = base, 1
    while name in used:
        k += 1
        name = f"{base}{k}"
    used.add(name)
    return name


def _machine(rng: np.random.Generator, name: str, pos: list[float]) -> dict:
    kind = str(rng.choice(["processor", "processor", "multiprocessor", "separator"]))
    obj = {"kind": kind, "name": name, "position": pos}
    time = {"family": "exponential", "mean": float(rng.integers(5, 60))}
    if kind == "multiprocessor":
        obj["steps"] = [{"name": "wash", "process_time": time}, {"name": "dry", "process_time": time}]
    else:
        obj["process_time"] = time
    if kind == "separator":
        obj.update(mode="split", split_quantity=2)
    return obj


def random_spec_data(rng: np.random.Generator, layout: str | None = None, automation: str | None = None,
                     squeeze: bool = False) -> dict:
    """A valid serialised spec; ``squeeze`` places objects much closer than glyphs are wide."""
    layout = layout or str(rng.choice([v.value for v in Layout]))
    automation = automation or str(rng.choice([v.value for v in Automation]))
    used: set[str] = set()
    gap = float(rng.uniform(0.2, 1.0)) if squeeze else float(rng.uniform(2.5, 6.0))
    stations = int(rng.integers(1, 6))
    objects, conns = [], []

    def add(obj: dict) -> str:
        objects.append(obj)
        return obj["name"]

    def flow(a: str, b: str) -> None:
        conns.append({"from": a, "to": b, "port": "A"})

    machines: list[str] = []
    src = add({"kind": "source", "name": _name(rng, used, "Source1"), "position": [0, 0, 0],
               "inter_arrival": {"family": "exponential", "mean": 20}})
    if layout == "parallel":
        branches = int(rng.integers(2, 4))
        ends = []
        for b in range(branches):
            y = (b - (branches - 1) / 2) * gap * 1.5
            prev = src
            for s in range(stations):
                q = add({"kind": "queue", "name": _name(rng, used, f"Queue{b}{s}"),
                         "position": [gap * (2 * s + 1), y, 0], "max_content": 10})
                m = add(_machine(rng, _name(rng, used, f"Proc{b}{s}"), [gap * (2 * s + 2), y, 0]))
                flow(prev, q)
                flow(q, m)
                machines.append(m)
                prev = m
            ends.append(prev)
        sink = add({"kind": "sink", "name": _name(rng, used, "Sink1"), "position": [gap * (2 * stations + 1), 0, 0]})
        for end in ends:
            flow(end, sink)
    else:
        prev, x, y, direction = src, 0.0, 0.0, 1.0
        half = max(1, (2 * stations + 1) // 2)
        for s in range(2 * stations):
            if layout == "u_shaped" and s == half:
                y += gap * 1.6
                direction = -1.0
            else:
                x += gap * direction
            if layout == "conveyor" and s % 2 == 0:
                obj = {"kind": "conveyor", "name": _name(rng, used, f"Conveyor{s}"), "position": [x, y, 0],
                       "length": float(rng.uniform(1, 8)), "speed": 1}
            elif s % 2 == 0:
                obj = {"kind": "queue", "name": _name(rng, used, f"Queue{s}"), "position": [x, y, 0],
                       "max_content": 10}
            else:
                obj = _machine(rng, _name(rng, used, f"Proc{s}"), [x, y, 0])
            name = add(obj)
            if obj["kind"] not in ("queue", "conveyor"):
                machines.append(name)
            flow(prev, name)
            prev = name
        x += gap * direction
        sink = add({"kind": "sink", "name": _name(rng, used, "Sink1"), "position": [x, y, 0]})
        flow(prev, sink)
    _add_resources(rng, automation, objects, conns, machines, used, gap)
    return {"industry": "electronics", "automation": automation, "layout": layout,
            "line_type": "conveyor" if layout == "conveyor" else "workstation",
            "objects": objects, "connections": conns}


def _add_resources(rng, automation, objects, conns, machines, used, gap) -> None:
    by_name = {o["name"]: o for o in objects}
    if automation == "robot":
        for m in machines:
            x, y, _ = by_name[m]["position"]
            name = _name(rng, used, f"Robot{m}")
            objects.append({"kind": "robot", "name": name, "position": [x, y - gap * 0.8, 0], "speed": 1})
            by_name[m]["use_transport"] = True
            conns.append({"from": m, "to": name, "port": "S"})
        return
    kinds = {"manual": ["operator"], "operator": ["operator"], "agv": ["agv"],
             "task_executer": ["task_executer", "transporter"]}[automation]
    ys = [o["position"][1] for o in objects]
    y = min(ys) - gap * 1.2
    disp = _name(rng, used, "Dispatcher1")
    objects.append({"kind": "dispatcher", "name": disp, "position": [gap, y, 0]})
    for i in range(int(rng.integers(1, 4))):
        kind = kinds[i % len(kinds)]
        name = _name(rng, used, f"{kind.title()}{i}")
        objects.append({"kind": kind, "name": name, "position": [gap * (2 + i), y, 0], "speed": 1})
        conns.append({"from": disp, "to": name, "port": "A"})
    for m in machines:
        by_name[m]["use_operator" if automation in ("manual", "operator") else "use_transport"] = True
        conns.append({"from": m, "to": disp, "port": "S"})


def random_spec(rng: np.random.Generator, **kwargs) -> FactorySpec:
    return FactorySpec.model_validate(random_spec_data(rng, **kwargs))


@pytest.mark.parametrize("layout", [v.value for v in Layout])
@pytest.mark.parametrize("automation", [v.value for v in Automation])
def test_builders_make_valid_specs_for_every_cell(layout: str, automation: str) -> None:
    rng = np.random.default_rng(7)
    for _ in range(5):
        spec = random_spec(rng, layout=layout, automation=automation)
        assert spec.layout.value == layout and spec.automation.value == automation
