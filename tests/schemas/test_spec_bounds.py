"""Bounded, safe specs: every number and count has a limit, and names hold printable text only.

Each rejection names the object and the field, and its message is itself printable (an escape
code in a name must not reach the terminal through the error either). The sampler's largest
specs must stay well inside every bound.
"""

from __future__ import annotations

import importlib
import json

import numpy as np
import pytest

from twinforge.schemas import SpecError, canonical_json, load_spec
from twinforge.schemas.objects import (
    MAX_CARRY,
    MAX_CONTENT,
    MAX_COORDINATE_M,
    MAX_LENGTH_M,
    MAX_QUANTITY,
    MAX_SPEED,
    MIN_LENGTH_M,
    MIN_SPEED,
)
from twinforge.schemas.spec import MAX_CONNECTIONS, MAX_OBJECTS
from twinforge.schemas.text import MAX_NAME_LENGTH, character_problem, printable, unwritable

CONTROL_CHARACTERS = {
    "NUL": "\x00", "BEL": "\x07", "BS": "\x08", "TAB": "\t", "LF": "\n", "VT": "\x0b", "FF": "\x0c",
    "CR": "\r", "ESC": "\x1b", "DEL": "\x7f", "NEL": "\x85", "CSI": "\x9b",
}
OTHER_UNWRITABLE = {
    "surrogate": "\ud800", "U+FFFE": "\ufffe", "U+FFFF": "\uffff", "U+FDD0": "\ufdd0",
    "line separator": "\u2028", "paragraph separator": "\u2029", "RLO": "\u202e", "LRI": "\u2066",
}


def problems_of(data: dict) -> str:
    with pytest.raises(SpecError) as error:
        load_spec(data)
    message = "; ".join(error.value.problems)
    assert message == printable(message), f"the message itself carries control characters: {message!r}"
    return message


def find(data: dict, name: str) -> dict:
    return next(obj for obj in data["objects"] if obj["name"] == name)


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("value", [1e308, -1e308, 10 ** 400, MAX_COORDINATE_M + 0.001])
def test_a_far_off_position_is_refused_naming_object_and_field(small_spec_data, axis, value):
    position = [0.0, 0.0, 0.0]
    position[axis] = value
    find(small_spec_data, "Queue1")["position"] = position
    message = problems_of(small_spec_data)
    assert "object 'Queue1' (objects[1])" in message and f"field 'position.{axis}'" in message


def test_positions_on_the_bound_and_negative_zero_are_accepted(small_spec_data):
    find(small_spec_data, "Queue1")["position"] = [MAX_COORDINATE_M, -MAX_COORDINATE_M, -0.0]
    spec = load_spec(small_spec_data)
    assert '"position":[1000,-1000,0]' in canonical_json(spec)


@pytest.mark.parametrize(("name", "field", "low", "high"), [
    ("Queue1", "max_content", 1, MAX_CONTENT),
    ("Mask Coater", "max_content", 1, MAX_CONTENT),
    ("Operator1", "speed", MIN_SPEED, MAX_SPEED),
    ("Operator1", "capacity", 1, MAX_CARRY),
])
def test_sizes_speeds_and_capacities_are_bounded(small_spec_data, name, field, low, high):
    find(small_spec_data, name)[field] = high
    load_spec(small_spec_data)
    for value in (high * 1.5 if isinstance(high, float) else high + 1, low / 2 if isinstance(low, float) else 0, 1e308):
        find(small_spec_data, name)[field] = value
        message = problems_of(small_spec_data)
        assert f"object '{name}'" in message and f"field '{field}'" in message


def _conveyor_line(small_spec_data: dict, **conveyor: float) -> dict:
    """The small line with a conveyor between the queue and the coater."""
    small_spec_data["objects"].insert(2, {"kind": "conveyor", "name": "Belt", "position": [5, 0, 0],
                                          "length": 2, "speed": 1, **conveyor})
    small_spec_data["connections"][1:2] = [{"from": "Queue1", "to": "Belt", "port": "A"},
                                           {"from": "Belt", "to": "Mask Coater", "port": "A"}]
    return small_spec_data


@pytest.mark.parametrize(("field", "good", "bad"), [
    ("length", (MIN_LENGTH_M, MAX_LENGTH_M), (0.001, MAX_LENGTH_M + 1, 1e308)),
    ("speed", (MIN_SPEED, MAX_SPEED), (1e-300, MAX_SPEED + 1, 1e308)),
])
def test_conveyor_length_and_speed_are_bounded(small_spec_data, field, good, bad):
    for value in good:
        load_spec(_conveyor_line(json.loads(json.dumps(small_spec_data)), **{field: value}))
    for value in bad:
        message = problems_of(_conveyor_line(json.loads(json.dumps(small_spec_data)), **{field: value}))
        assert "object 'Belt' (objects[2])" in message and f"field '{field}'" in message


def test_combiner_and_separator_quantities_are_bounded(small_spec_data):
    coater = find(small_spec_data, "Mask Coater")
    coater.update(kind="separator", mode="split", split_quantity=MAX_QUANTITY)
    load_spec(small_spec_data)
    coater["split_quantity"] = MAX_QUANTITY + 1
    message = problems_of(small_spec_data)
    assert "object 'Mask Coater'" in message and "field 'split_quantity'" in message


def test_object_and_connection_counts_are_bounded(small_spec_data):
    queue = find(small_spec_data, "Queue1")
    extra = [{**queue, "name": f"Spare{i}"} for i in range(MAX_OBJECTS - len(small_spec_data["objects"]) + 1)]
    message = problems_of({**small_spec_data, "objects": small_spec_data["objects"] + extra})
    assert "field 'objects'" in message and f"at most {MAX_OBJECTS}" in message
    links = small_spec_data["connections"] * (MAX_CONNECTIONS // len(small_spec_data["connections"]) + 1)
    message = problems_of({**small_spec_data, "connections": links})
    assert "field 'connections'" in message and f"at most {MAX_CONNECTIONS}" in message


# ------------------------------------------------------------------ names


@pytest.mark.parametrize("label", sorted(CONTROL_CHARACTERS))
def test_each_control_character_in_a_name_is_refused_naming_the_object(small_spec_data, label):
    char = CONTROL_CHARACTERS[label]
    find(small_spec_data, "Mask Coater")["name"] = f"Mask{char}Coater"
    message = problems_of(small_spec_data)
    assert "(objects[2]): field 'name'" in message
    assert f"object 'Mask{repr(char)[1:-1]}Coater'" in message
    assert f"control character U+{ord(char):04X} at position 4" in message


@pytest.mark.parametrize("label", sorted(OTHER_UNWRITABLE))
def test_other_unwritable_characters_in_a_name_are_refused(small_spec_data, label):
    find(small_spec_data, "Queue1")["name"] = f"Queue{OTHER_UNWRITABLE[label]}1"
    message = problems_of(small_spec_data)
    assert "(objects[1]): field 'name'" in message


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x0b"])
def test_step_names_item_classes_and_connection_ends_are_printable_too(small_spec_data, char):
    coater = find(small_spec_data, "Mask Coater")
    for key in ("process_time", "setup_time"):
        coater.pop(key)
    coater.update(kind="multiprocessor", steps=[{"name": f"Coat{char}", "process_time": {"family": "constant",
                                                                                         "value": 5}}])
    assert "object 'Mask Coater' (objects[2]): field 'steps.0.name'" in problems_of(small_spec_data)
    coater["steps"][0]["name"] = "Coat"
    find(small_spec_data, "Blank Source")["item_class"] = f"Box{char}"
    assert "object 'Blank Source' (objects[0]): field 'item_class'" in problems_of(small_spec_data)
    find(small_spec_data, "Blank Source")["item_class"] = "Box"
    small_spec_data["connections"][0]["to"] = f"Queue1{char}"
    assert "connections[0]: field 'to'" in problems_of(small_spec_data)


def test_printable_unicode_names_are_still_accepted(small_spec_data):
    find(small_spec_data, "Queue1")["name"] = "Étuve <3> & Q — 検査 🙂"
    small_spec_data["connections"][0]["to"] = small_spec_data["connections"][1]["from"] = "Étuve <3> & Q — 検査 🙂"
    load_spec(small_spec_data)


def test_a_huge_or_hostile_name_is_shown_short_and_escaped(small_spec_data):
    queue = small_spec_data["objects"][1]
    queue["name"] = "\x1b[2J" + "W" * 1_000_000
    message = problems_of(small_spec_data)
    assert len(message) < 500 and "\\x1b[2J" in message and "(1000004 characters)" in message
    small_spec_data["connections"][0]["port"] = "\x1b]0;pwned\x07"
    problems_of(small_spec_data)
    queue["kind"] = "\x1b[31mwarehouse"
    assert "\\x1b[31mwarehouse" in problems_of(small_spec_data)
    small_spec_data["\x1b[31mcolour"] = "red"
    assert "\\x1b[31mcolour" in problems_of(small_spec_data)


def test_name_length_is_bounded(small_spec_data):
    sink = find(small_spec_data, "Sink1")
    sink["name"] = small_spec_data["connections"][2]["to"] = "S" * MAX_NAME_LENGTH
    load_spec(small_spec_data)
    sink["name"] = "S" * (MAX_NAME_LENGTH + 1)
    assert "field 'name'" in problems_of(small_spec_data)


# ------------------------------------------------------------------ the sampler stays inside


def _sampler():
    """``(sample_spec, SamplerOptions, all_cells)`` wherever the sampler lives now."""
    for sampler, options, cells in (
        ("twinforge.families.factory.sampler", "twinforge.families.factory.draws", "twinforge.families.factory.cells"),
        ("twinforge.pipeline.sampler", "twinforge.pipeline.sampler", "twinforge.pipeline.sampler"),
    ):
        try:
            return (importlib.import_module(sampler).sample_spec, importlib.import_module(options).SamplerOptions,
                    importlib.import_module(cells).all_cells)
        except (ImportError, AttributeError):
            continue
    raise ImportError("no sampler found")


def test_the_sampler_at_its_largest_setting_stays_well_inside_the_bounds():
    sample_spec, sampler_options, all_cells = _sampler()
    options = sampler_options(machines_min=20, machines_max=20)
    for index, cell in enumerate(all_cells()):
        spec = load_spec(json.loads(canonical_json(sample_spec(np.random.default_rng([7, index]), cell, options))))
        assert len(spec.objects) <= MAX_OBJECTS * 0.7 and len(spec.connections) <= MAX_CONNECTIONS / 2
        assert max(abs(v) for obj in spec.objects for v in obj.position) <= MAX_COORDINATE_M / 2


def test_printable_text_is_settled_without_the_per_character_scan() -> None:
    """``character_problem``'s shortcut: no code point that ``str.isprintable`` accepts is unwritable,
    so a printable name needs no scan; a text with one unwritable character is still described."""
    assert not [code for code in range(0x110000) if chr(code).isprintable() and unwritable(chr(code))]
    assert character_problem("Mask Coater \u00e9\u4e2d") is None
    assert character_problem("Mask\u202eCoater") == "the bidirectional control U+202E at position 4"
