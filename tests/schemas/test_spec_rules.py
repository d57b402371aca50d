"""Every rejection rule of the spec schema, each with a message that names the object and the field."""

from __future__ import annotations

import pytest

from twinforge.schemas import FactorySpec, SpecError, canonical_json, field_value, load_spec, spec_hash


def problems_of(data: dict) -> str:
    with pytest.raises(SpecError) as error:
        load_spec(data)
    return "; ".join(error.value.problems)


def find(data: dict, name: str) -> dict:
    return next(obj for obj in data["objects"] if obj["name"] == name)


def test_the_fixture_is_valid_and_round_trips(small_spec_data):
    spec = load_spec(small_spec_data)
    assert FactorySpec.model_validate_json(spec.model_dump_json(by_alias=True)) == spec
    assert canonical_json(load_spec(__import__("json").loads(canonical_json(spec)))) == canonical_json(spec)
    assert len(spec_hash(spec)) == 64


# ------------------------------------------------------------------ model-level rules (spec.py)
def test_duplicate_name(small_spec_data):
    find(small_spec_data, "Sink1")["name"] = "Queue1"
    message = problems_of(small_spec_data)
    assert "object 'Queue1'" in message and "duplicate name" in message


def test_connection_to_unknown_object(small_spec_data):
    small_spec_data["connections"].append({"from": "Queue1", "to": "Ghost", "port": "A"})
    message = problems_of(small_spec_data)
    assert "field 'to'" in message and "unknown object 'Ghost'" in message


def test_connection_from_unknown_object(small_spec_data):
    small_spec_data["connections"].append({"from": "Ghost", "to": "Queue1", "port": "A"})
    assert "field 'from' names unknown object 'Ghost'" in problems_of(small_spec_data)


def test_object_connected_to_itself(small_spec_data):
    small_spec_data["connections"].append({"from": "Queue1", "to": "Queue1", "port": "A"})
    assert "object 'Queue1' is connected to itself" in problems_of(small_spec_data)


def test_duplicate_connection(small_spec_data):
    small_spec_data["connections"].append({"from": "Queue1", "to": "Mask Coater", "port": "A"})
    message = problems_of(small_spec_data)
    assert "Queue1 -> Mask Coater" in message and "duplicate connection" in message


def test_flow_into_a_source(small_spec_data):
    small_spec_data["connections"].append({"from": "Queue1", "to": "Blank Source", "port": "A"})
    message = problems_of(small_spec_data)
    assert "object 'Blank Source'" in message and "flow into a source" in message


def test_flow_out_of_a_sink(small_spec_data):
    small_spec_data["connections"].append({"from": "Sink1", "to": "Queue1", "port": "A"})
    message = problems_of(small_spec_data)
    assert "object 'Sink1'" in message and "flow out of a sink" in message


def test_a_connection_from_station_to_resource(small_spec_data):
    small_spec_data["connections"].append({"from": "Queue1", "to": "Operator1", "port": "A"})
    message = problems_of(small_spec_data)
    assert "Queue1 -> Operator1 (A)" in message and "joins two stations" in message


def test_a_connection_between_resources_must_start_at_a_dispatcher(small_spec_data):
    small_spec_data["connections"].append({"from": "Operator1", "to": "Dispatcher1", "port": "A"})
    message = problems_of(small_spec_data)
    assert "Operator1 -> Dispatcher1 (A)" in message and "from a dispatcher to a task executer" in message


def test_s_connection_between_two_stations(small_spec_data):
    small_spec_data["connections"].append({"from": "Queue1", "to": "Mask Coater", "port": "S"})
    message = problems_of(small_spec_data)
    assert "Queue1 -> Mask Coater (S)" in message and "links a station with a dispatcher" in message


def test_s_connection_to_a_sink(small_spec_data):
    small_spec_data["connections"].append({"from": "Sink1", "to": "Dispatcher1", "port": "S"})
    message = problems_of(small_spec_data)
    assert "Sink1 -> Dispatcher1 (S)" in message and "sink" in message


def test_model_without_source(small_spec_data):
    small_spec_data["objects"] = [o for o in small_spec_data["objects"] if o["kind"] != "source"]
    small_spec_data["connections"] = [c for c in small_spec_data["connections"] if c["from"] != "Blank Source"]
    assert "field 'objects': the model has no source" in problems_of(small_spec_data)


def test_model_without_sink(small_spec_data):
    small_spec_data["objects"] = [o for o in small_spec_data["objects"] if o["kind"] != "sink"]
    small_spec_data["connections"] = [c for c in small_spec_data["connections"] if c["to"] != "Sink1"]
    assert "field 'objects': the model has no sink" in problems_of(small_spec_data)


def test_station_no_source_reaches(small_spec_data):
    small_spec_data["objects"].append({"kind": "queue", "name": "Orphan", "position": [4, 6, 0], "max_content": 5})
    small_spec_data["connections"].append({"from": "Orphan", "to": "Sink1", "port": "A"})
    assert "object 'Orphan': no source reaches it" in problems_of(small_spec_data)


def test_station_that_reaches_no_sink(small_spec_data):
    small_spec_data["connections"] = [c for c in small_spec_data["connections"] if c["to"] != "Sink1"]
    assert "object 'Blank Source': it reaches no sink" in problems_of(small_spec_data)


def test_use_transport_without_a_resource(small_spec_data):
    find(small_spec_data, "Queue1")["use_transport"] = True
    message = problems_of(small_spec_data)
    assert "object 'Queue1'" in message and "field 'use_transport'" in message


def test_s_connected_station_that_uses_nothing(small_spec_data):
    small_spec_data["connections"].append({"from": "Queue1", "to": "Dispatcher1", "port": "S"})
    message = problems_of(small_spec_data)
    assert "object 'Queue1'" in message and "neither use_transport nor use_operator" in message


def test_dispatcher_without_a_team(small_spec_data):
    small_spec_data["connections"] = [c for c in small_spec_data["connections"] if c["from"] != "Dispatcher1"]
    message = problems_of(small_spec_data)
    assert "object 'Dispatcher1'" in message and "no team" in message


def test_dispatcher_that_serves_no_station(small_spec_data):
    find(small_spec_data, "Mask Coater")["use_operator"] = False
    small_spec_data["connections"] = [c for c in small_spec_data["connections"] if c["port"] != "S"]
    message = problems_of(small_spec_data)
    assert "object 'Dispatcher1'" in message and "serves no station" in message


def test_task_executer_that_serves_nothing(small_spec_data):
    small_spec_data["objects"].append({"kind": "operator", "name": "Operator2", "position": [14, -5, 0], "speed": 1})
    message = problems_of(small_spec_data)
    assert "object 'Operator2'" in message and "serves nothing" in message


def test_task_executer_in_two_teams(small_spec_data):
    small_spec_data["objects"].append({"kind": "dispatcher", "name": "Dispatcher2", "position": [8, -9, 0]})
    small_spec_data["connections"] += [
        {"from": "Dispatcher2", "to": "Operator1", "port": "A"},
        {"from": "Queue1", "to": "Dispatcher2", "port": "S"},
    ]
    find(small_spec_data, "Queue1")["use_transport"] = True
    message = problems_of(small_spec_data)
    assert "object 'Operator1'" in message and "more than one dispatcher team" in message


def test_combiner_needs_two_inputs(small_spec_data):
    coater = find(small_spec_data, "Mask Coater")
    coater.update(kind="combiner", mode="pack", component_quantity=2)
    message = problems_of(small_spec_data)
    assert "object 'Mask Coater'" in message and "combiner needs a container on input port 1" in message


def test_automation_without_its_resources(small_spec_data):
    small_spec_data["automation"] = "agv"
    message = problems_of(small_spec_data)
    assert "field 'automation' = 'agv'" in message and "agv" in message


# ------------------------------------------------------------------ field-level rules (objects and distributions)
@pytest.mark.parametrize(("process_time", "words"), [
    ({"family": "triangular", "min": 20, "mode": 50, "max": 40}, ["mode=50", "[min, max]"]),
    ({"family": "triangular", "min": 40, "mode": 40, "max": 40}, ["min < max"]),
    ({"family": "uniform", "min": 9, "max": 3}, ["uniform needs min < max"]),
    ({"family": "exponential", "mean": -5}, ["process_time.mean", "greater than 0"]),
    ({"family": "normal", "mean": 10, "std": 0}, ["process_time.std", "greater than 0"]),
    ({"family": "constant", "value": -1}, ["process_time.value", "greater than or equal to 0"]),
    ({"family": "lognormal", "mu": 2, "sigma": -0.5}, ["process_time.sigma"]),
    ({"family": "lognormal", "mu": float("inf"), "sigma": 0.5}, ["process_time.mu", "finite"]),
    ({"family": "weibull", "shape": 0, "scale": 3}, ["process_time.shape"]),
    ({"family": "gamma", "shape": 2, "scale": -3}, ["process_time.scale"]),
    ({"family": "poisson", "mean": 0}, ["process_time.mean"]),
    ({"family": "beta", "a": 1}, ["process_time", "beta"]),
    ({"family": "exponential", "mean": 5, "rate": 1}, ["process_time.rate", "Extra inputs"]),
])
def test_distribution_domains_name_object_and_field(small_spec_data, process_time, words):
    find(small_spec_data, "Mask Coater")["process_time"] = process_time
    message = problems_of(small_spec_data)
    assert "object 'Mask Coater'" in message and "field 'process_time" in message
    for word in words:
        assert word in message


def test_arrival_distribution_is_limited_to_five_families(small_spec_data):
    find(small_spec_data, "Blank Source")["inter_arrival"] = {"family": "gamma", "shape": 2, "scale": 3}
    message = problems_of(small_spec_data)
    assert "object 'Blank Source'" in message and "field 'inter_arrival'" in message


@pytest.mark.parametrize(("change", "field"), [
    ({"name": 'Bad "quoted" name'}, "name"),
    ({"name": " padded"}, "name"),
    ({"name": ""}, "name"),
    ({"max_content": 0}, "max_content"),
    ({"position": [0, 0]}, "position"),
    ({"position": [0, float("nan"), 0]}, "position"),
    ({"colour": "red"}, "colour"),
])
def test_object_fields_are_checked(small_spec_data, change, field):
    find(small_spec_data, "Queue1").update(change)
    message = problems_of(small_spec_data)
    assert "objects[1]" in message and f"field '{field}" in message


def test_unknown_kind_and_bad_port_and_bad_layer(small_spec_data):
    find(small_spec_data, "Queue1")["kind"] = "warehouse"
    assert "objects[1]" in problems_of(small_spec_data)
    find(small_spec_data, "Queue1")["kind"] = "queue"
    small_spec_data["connections"][0]["port"] = "B"
    assert "connections[0]: field 'port'" in problems_of(small_spec_data)
    small_spec_data["connections"][0]["port"] = "A"
    small_spec_data["layout"] = "zigzag"
    assert "field 'layout'" in problems_of(small_spec_data)


def test_multiprocessor_step_times_are_checked(small_spec_data):
    coater = find(small_spec_data, "Mask Coater")
    for key in ("process_time", "setup_time"):
        coater.pop(key)
    coater.update(kind="multiprocessor", steps=[
        {"name": "Coat", "process_time": {"family": "normal", "mean": 10, "std": -1}}])
    message = problems_of(small_spec_data)
    assert "object 'Mask Coater'" in message and "steps.0.process_time.std" in message


def test_field_value_reads_what_getattr_reads_for_every_object_and_field(small_spec_data):
    """The renderers read optional fields (``routing``, ``use_operator``, ...) with ``field_value``:
    the same value as ``getattr``, and the default where the kind has no such field."""
    spec = load_spec(small_spec_data)
    names = {name for obj in spec.objects for name in type(obj).model_fields} | {"no_such_field"}
    for obj in spec.objects:
        for name in names:
            assert field_value(obj, name, "default") == getattr(obj, name, "default")
