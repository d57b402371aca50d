"""The seeded spec sampler: valid, reproducible, covering every layer value and family, and flowing."""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.errors import UserError
from twinforge.families.factory.cells import Cell, all_cells, filter_cells
from twinforge.families.factory.draws import SamplerOptions
from twinforge.families.factory.routes import ROUTES, line_stations, route_position
from twinforge.families.factory.sampler import sample_spec, sample_specs
from twinforge.families.factory.stages import Stage
from twinforge.schemas import (
    ARRIVAL_FAMILIES,
    SERVICE_FAMILIES,
    Automation,
    FactorySpec,
    Industry,
    Layout,
    LineType,
    canonical_json,
    load_spec,
    spec_hash,
)
from twinforge.seeding import sample_rng

COUNT = 2000
CELLS = all_cells()


@pytest.fixture(scope="module")
def specs() -> list[FactorySpec]:
    """2,000 specs, round-robin over the 520 cells (10,000 run in benchmarks/sampler_stats.py)."""
    return list(sample_specs(COUNT, seed=17))


def lines_of(spec: FactorySpec) -> int:
    main_source = spec.objects[0].name
    return sum(1 for c in spec.connections if c.from_ == main_source)


def stations(spec: FactorySpec) -> list:
    return spec.of_kinds({"queue", "processor", "combiner", "separator"})


def test_cells_are_the_520_combinations_in_a_stable_order():
    assert len(CELLS) == 13 * 5 * 4 * 2 == len(set(CELLS))
    assert CELLS[0] == Cell(Industry.SEMICONDUCTOR, Automation.MANUAL, Layout.LINEAR, LineType.WORKSTATION)
    assert CELLS[-1] == Cell(Industry.BATTERY, Automation.TASK_EXECUTER, Layout.CONVEYOR, LineType.CONVEYOR)


def test_every_layer_value_and_family_occurs(specs):
    for layer, enum in (("industry", Industry), ("automation", Automation), ("layout", Layout),
                        ("line_type", LineType)):
        assert {getattr(s, layer) for s in specs} == set(enum)
    arrival, service, kinds = Counter(), Counter(), Counter()
    for spec in specs:
        for obj in spec.objects:
            kinds[obj.kind] += 1
            if obj.kind == "source":
                arrival[obj.inter_arrival.family] += 1
            elif hasattr(obj, "process_time"):
                service[obj.process_time.family] += 1
    assert set(arrival) == {f.value for f in ARRIVAL_FAMILIES} and min(arrival.values()) > 0.1 * COUNT
    assert set(service) == {f.value for f in SERVICE_FAMILIES} and min(service.values()) > 0.1 * COUNT
    assert kinds["processor"] > max(kinds["combiner"], kinds["separator"])
    assert all(kinds[k] for k in ("combiner", "separator", "conveyor", "robot", "agv",
                                  "transporter", "task_executer", "operator", "dispatcher"))
    assert kinds["multiprocessor"] == 0  # FlexSim's MultiProcessor has no settable steps: routes chain processors


def test_lines_hold_three_machines_on_average(specs):
    per_line = [len(s.machines) / lines_of(s) for s in specs]
    assert np.mean(per_line) == pytest.approx(3, abs=0.3)
    assert min(per_line) >= 1 and max(per_line) <= 5


def test_every_spec_round_trips_through_json_exactly(specs):
    for index, spec in enumerate(specs):
        assert FactorySpec.model_validate_json(spec.model_dump_json(by_alias=True)) == spec
        if index % 4 == 0:  # canonical form: a quarter suffices here; the benchmark checks all 10,000
            text = canonical_json(spec)
            assert canonical_json(load_spec(json.loads(text))) == text


def test_objects_stand_at_least_two_metres_apart(specs):
    for spec in specs:
        points = [obj.position[:2] for obj in spec.objects]
        closest = min(math.dist(a, b) for a, b in itertools.combinations(points, 2))
        assert closest >= 2.0, (spec.layout, spec.line_type, closest)


def test_layouts_have_their_own_geometry(specs):
    for spec in specs:
        source, sink = spec.objects[0], spec.of_kinds({"sink"})[0]
        rows = {round(obj.position[1], 3) for obj in stations(spec)}
        first = next(c.to for c in spec.connections if c.from_ == source.name)
        if spec.layout is Layout.LINEAR:
            assert rows == {source.position[1]} == {sink.position[1]}
        elif spec.layout is Layout.U_SHAPED:
            assert len(rows) <= 2 and sink.position[1] < source.position[1]
            assert sink.position[0] < max(obj.position[0] for obj in stations(spec))
        elif spec.layout is Layout.PARALLEL:
            assert 2 <= lines_of(spec) == len(rows) <= 3
        else:
            assert spec.get(first).kind == "conveyor" and sink.position[1] > source.position[1]


def test_conveyor_lines_join_stations_by_conveyors(specs):
    for spec in specs:
        kinds = {obj.name: obj.kind for obj in spec.objects}
        direct = [c for c in spec.flow_connections()
                  if kinds[c.from_] not in ("source", "conveyor") and kinds[c.to] not in ("conveyor", "sink")]
        conveyors = len(spec.of_kinds({"conveyor"}))
        if spec.line_type is LineType.CONVEYOR:
            assert len(direct) <= lines_of(spec)  # only the buffer -> first machine loading leg
            assert conveyors >= 2 * lines_of(spec)
        elif spec.layout is Layout.CONVEYOR:
            assert conveyors == 2
        else:
            assert conveyors == 0
        for conveyor in spec.of_kinds({"conveyor"}):
            assert conveyor.length >= 1


def test_resources_follow_the_automation_level(specs):
    for spec in specs:
        kinds = Counter(obj.kind for obj in spec.objects)
        flags = [(getattr(o, "use_transport", False), getattr(o, "use_operator", False)) for o in spec.objects]
        machines_operated = any(m.use_operator for m in spec.machines)
        if spec.automation is Automation.MANUAL:
            assert kinds["dispatcher"] == 1 and kinds["operator"] >= 1 and machines_operated
            assert any(t for t, _ in flags)
        elif spec.automation is Automation.OPERATOR:
            assert kinds["dispatcher"] == 1 and kinds["operator"] >= 1 and machines_operated
            assert not any(t for t, _ in flags)
        elif spec.automation is Automation.ROBOT:
            assert kinds["robot"] >= 1 and kinds["dispatcher"] == 0 and not any(o for _, o in flags)
            assert all(spec.get(c.to).kind == "robot" for c in spec.connections if c.port == "S")
        elif spec.automation is Automation.AGV:
            assert kinds["dispatcher"] == 1 and kinds["agv"] >= 1 and not any(o for _, o in flags)
        else:
            assert kinds["dispatcher"] == 1 and kinds["task_executer"] + kinds["transporter"] >= 1


def test_a_packing_combiner_gets_its_container_on_port_1_and_a_join_its_part_on_port_2(specs):
    seen = Counter()
    for spec in specs:
        for combiner in spec.of_kinds({"combiner"}):
            feeders = [c.from_ for c in spec.flow_connections() if c.to == combiner.name]
            stage = ROUTES[spec.industry].stages[route_position(spec.industry, combiner.name)]
            feeder = spec.get(feeders[0] if combiner.mode == "pack" else feeders[1])
            assert feeder.kind == "source" and feeder.name.startswith(stage.feeder)
            assert stage.quantity[0] <= combiner.component_quantity <= stage.quantity[1]
            seen[combiner.mode] += 1
    assert seen["pack"] > 100 and seen["join"] > 10


def test_items_are_boxes_the_flexsim_default(specs):
    assert {obj.item_class for spec in specs for obj in spec.of_kinds({"source"})} == {"Box"}


def test_stations_run_in_their_industrys_route_order(specs):
    violations = []
    for spec in specs:
        for line in line_stations(spec):
            positions = [route_position(spec.industry, name) for name in line]
            if positions != sorted(positions) or len(set(positions)) != len(positions):
                violations.append((spec.industry.value, line))
    assert not violations, violations[:5]


def test_parallel_lines_differ_and_are_fed_at_random(specs):
    parallel = [spec for spec in specs if spec.layout is Layout.PARALLEL]
    differing = 0
    for spec in parallel:
        assert spec.objects[0].routing == "random"
        lines = line_stations(spec)
        times = [[spec.get(name).process_time for name in line] for line in lines]
        differing += any(t != times[0] for t in times[1:])
    assert differing == len(parallel)
    assert all(s.objects[0].routing == "first_available" for s in specs if s.layout is not Layout.PARALLEL)


def test_quantities_and_capacities_keep_lines_flowing(specs):
    for spec in specs:
        for obj in spec.objects:
            if obj.kind == "queue":
                assert obj.max_content >= 5
            if obj.kind == "processor":
                assert obj.max_content == 1  # FlexSim's help warns against Processors holding more
            if obj.kind == "separator":
                stage = ROUTES[spec.industry].stages[route_position(spec.industry, obj.name)]
                assert obj.mode == "split" and stage.quantity[0] <= obj.split_quantity <= stage.quantity[1]


def test_process_times_follow_the_stage_ranges(specs):
    from twinforge.distributions.families import mean as dist_mean
    from twinforge.distributions.ranges import AUTOMATION_RANGES

    for spec in specs[:400]:
        factor = AUTOMATION_RANGES[spec.automation].process_factor
        for machine in spec.machines:
            low, high = ROUTES[spec.industry].stages[route_position(spec.industry, machine.name)].time
            assert 0.7 * low * factor <= dist_mean(machine.process_time) <= 1.3 * high * factor, machine.name


def test_names_are_unique_and_numbered_only_when_repeated(specs):
    for spec in specs:
        names = [obj.name for obj in spec.objects]
        assert len(names) == len(set(names))
        for name in names:
            if name[-1].isdigit():
                base = name.rstrip("0123456789")
                assert base not in names


def test_routes_cover_every_industry_without_clashes():
    assert set(ROUTES) == set(Industry)
    for route in ROUTES.values():
        words = [stage.name for stage in route.stages] + [route.finished]
        assert len(words) == len(set(words))
        assert not any(word[-1].isdigit() for word in words)
        assert sum(stage.kind == "combiner" for stage in route.stages) <= 1
        assert sum(stage.kind == "separator" for stage in route.stages) <= 1
        assert all(0 < stage.time[0] <= stage.time[1] for stage in route.stages)


def test_sampled_lines_deliver_items_in_the_executable_check():
    from twinforge.execution import check_script
    from twinforge.renderers.flexscript import render_flexscript

    chosen = [c for c in CELLS if c.industry in (Industry.PHOTOMASK, Industry.LOGISTICS)][::10]
    for index, cell in enumerate(chosen):
        result = check_script(render_flexscript(sample_spec(np.random.default_rng(index), cell)))
        assert result.outcome == "ok", (cell, result.message)


def test_same_seed_same_specs_whatever_the_global_random_state():
    np.random.seed(1)
    first = [canonical_json(s) for s in sample_specs(8, seed=5)]
    np.random.seed(2)
    again = [canonical_json(s) for s in sample_specs(8, seed=5)]
    assert first == again
    assert first != [canonical_json(s) for s in sample_specs(8, seed=6)]


def test_spec_i_comes_from_stream_seed_i_and_the_cells_round_robin():
    specs = list(sample_specs(3, seed=9, filters={"industry": "photomask", "layout": "u_shaped"}))
    cells = filter_cells({"industry": "photomask", "layout": "u_shaped"})
    assert len(cells) == 10
    for index, spec in enumerate(specs):
        assert spec == sample_spec(sample_rng(9, index, Stage.SPEC), cells[index])


def test_golden_hashes_pin_the_draw():
    """Update these only on purpose: a change here changes every corpus made from a recipe."""
    hashes = [spec_hash(s)[:16] for s in sample_specs(3, seed=1)]
    assert hashes == GOLDEN


GOLDEN = ["ca40e7bfa9dc61c8", "e6f7e53d345aed9d", "0a068de8e68dff0a"]


@pytest.mark.parametrize(("filters", "words"), [
    ({"industry": "mining"}, ["--industry", "'mining'", "semiconductor", "battery"]),
    ({"line_type": "belt"}, ["--line-type", "workstation, conveyor"]),
    ({"colour": "red"}, ["unknown layer 'colour'"]),
])
def test_bad_filters_name_the_flag_and_the_valid_values(filters, words):
    with pytest.raises(UserError) as error:
        list(sample_specs(1, seed=0, filters=filters))
    for word in words:
        assert word in str(error.value)


def test_options_change_family_weights_and_machine_counts():
    options = SamplerOptions(service_weights=(0, 0, 0, 0, 0, 0, 0, 0, 1), arrival_weights=(0, 1, 0, 0, 0),
                             machines_min=4, machines_max=4)
    for index in range(20):
        spec = sample_spec(np.random.default_rng(index), CELLS[index * 26], options)
        assert len(spec.machines) == 4 * lines_of(spec)
        assert {o.inter_arrival.family for o in spec.of_kinds({"source"})} == {"exponential"}
        times = [m.process_time for m in spec.machines if hasattr(m, "process_time")]
        assert {t.family for t in times} == {"poisson"}
    with pytest.raises(ValueError, match="service_weights"):
        SamplerOptions(service_weights=(1, 2))


@given(seed=st.integers(0, 2**63 - 1), cell=st.sampled_from(CELLS))
@settings(max_examples=100, deadline=None)
def test_any_seed_and_cell_gives_a_valid_spec_that_round_trips(seed, cell):
    spec = sample_spec(np.random.default_rng(seed), cell)
    assert (spec.industry, spec.automation, spec.layout, spec.line_type) == (
        cell.industry, cell.automation, cell.layout, cell.line_type)
    assert load_spec(json.loads(canonical_json(spec))) == spec
    assert spec == sample_spec(np.random.default_rng(seed), cell)
