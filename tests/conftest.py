"""Shared fixtures: a small hand-written spec every test can build on."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from tests.families.toy import register as register_toy_families
from twinforge.schemas import FactorySpec

register_toy_families()

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
"""CI explores a fixed set of examples so a landing never hinges on luck; local runs keep exploring."""

SMALL_SPEC = {
    "industry": "photomask",
    "automation": "operator",
    "layout": "linear",
    "line_type": "workstation",
    "objects": [
        {"kind": "source", "name": "Blank Source", "position": [0, 0, 0],
         "inter_arrival": {"family": "exponential", "mean": 30}},
        {"kind": "queue", "name": "Queue1", "position": [4, 0, 0], "max_content": 20},
        {"kind": "processor", "name": "Mask Coater", "position": [8, 0, 0],
         "process_time": {"family": "triangular", "min": 20, "mode": 25, "max": 40},
         "setup_time": {"family": "constant", "value": 5}, "use_operator": True},
        {"kind": "sink", "name": "Sink1", "position": [12, 0, 0]},
        {"kind": "dispatcher", "name": "Dispatcher1", "position": [8, -5, 0]},
        {"kind": "operator", "name": "Operator1", "position": [10, -5, 0], "speed": 1.2},
    ],
    "connections": [
        {"from": "Blank Source", "to": "Queue1", "port": "A"},
        {"from": "Queue1", "to": "Mask Coater", "port": "A"},
        {"from": "Mask Coater", "to": "Sink1", "port": "A"},
        {"from": "Dispatcher1", "to": "Operator1", "port": "A"},
        {"from": "Mask Coater", "to": "Dispatcher1", "port": "S"},
    ],
}


@pytest.fixture
def small_spec_data() -> dict:
    """The serialised form of a valid four-station line with one operator (a fresh copy)."""
    import copy

    return copy.deepcopy(SMALL_SPEC)


@pytest.fixture
def small_spec(small_spec_data: dict) -> FactorySpec:
    return FactorySpec.model_validate(small_spec_data)
