"""FlexScript rendering: golden files for hand-written specs, and the statements a user relies on.

Golden files live in ``tests/renderers/golden/<spec>.<style>.fs``; the specs beside them
(``<spec>.json``) and ``tests/conftest.py``'s small spec together use every object kind the
renderer writes (all but the multiprocessor, which it refuses).
After an intended template change, regenerate them and read the diff before committing::

    TWINFORGE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/renderers/test_flexscript.py
"""

from __future__ import annotations

import functools
import json
import operator
import os
import re
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SMALL_SPEC
from twinforge.errors import UserError
from twinforge.families.factory.cells import all_cells
from twinforge.families.factory.draws import SamplerOptions
from twinforge.families.factory.sampler import draw_spec_data, sample_specs
from twinforge.renderers.flexscript import (
    FLEXSCRIPT_TEMPLATE_VERSION,
    UnsupportedSpec,
    code_length_floor,
    creation_order,
    data_code_length_floor,
    escape_string,
    loop_links,
    render_flexscript,
    render_flexscript_within,
    template_context,
    variable_names,
)
from twinforge.schemas import ALL_KINDS, FactorySpec, load_spec
from twinforge.schemas import flexsim_vocabulary as vocab

GOLDEN = Path(__file__).parent / "golden"
STYLES = ("explicit", "loop")
UPDATE = os.environ.get("TWINFORGE_UPDATE_GOLDEN") == "1"


def golden_specs() -> dict[str, FactorySpec]:
    specs = {"small_line": load_spec(SMALL_SPEC)}
    for path in sorted(GOLDEN.glob("*.json")):
        specs[path.stem] = load_spec(json.loads(path.read_text(encoding="utf-8")))
    return specs


SPECS = golden_specs()


def test_golden_specs_cover_every_object_kind_the_renderer_writes():
    kinds = {obj.kind for spec in SPECS.values() for obj in spec.objects}
    assert kinds == ALL_KINDS - {"multiprocessor"}


def test_template_version_is_bumped_for_the_verdict_forms():
    assert FLEXSCRIPT_TEMPLATE_VERSION == "flexscript-2"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(SPECS))
def test_matches_golden_file(name: str, style: str):
    code = render_flexscript(SPECS[name], style)
    path = GOLDEN / f"{name}.{style}.fs"
    if UPDATE:
        path.write_bytes(code.encode("ascii"))
    assert path.exists(), f"missing golden file {path}; run with TWINFORGE_UPDATE_GOLDEN=1"
    assert code == path.read_bytes().decode("ascii"), f"{path} differs; regenerate and review the diff"


@pytest.mark.parametrize("style", STYLES)
def test_no_header_states_what_the_prompt_does_not(small_spec: FactorySpec, style: str):
    code = render_flexscript(small_spec, style)
    assert code.splitlines()[0].startswith("// ---- ")  # a section comment, no metadata
    assert "twinforge" not in code and FLEXSCRIPT_TEMPLATE_VERSION not in code
    for layer in ("photomask", "operator |", "linear", "workstation"):
        assert layer not in code


@pytest.mark.parametrize("style", STYLES)
def test_plain_ascii_unix_lines_one_trailing_newline(style: str):
    for spec in SPECS.values():
        code = render_flexscript(spec, style)
        assert code.isascii() and "\r" not in code and "\t" not in code
        assert code.endswith(";\n") and not code.endswith("\n\n")


def test_explicit_creates_every_object_with_its_class(small_spec: FactorySpec):
    code = render_flexscript(small_spec, "explicit")
    names = variable_names(small_spec)
    for obj in small_spec.objects:
        var = names[obj.name]
        assert f'Object {var} = Object.create("{vocab.KIND_TO_CLASS[obj.kind]}");' in code
        assert f'{var}.name = "{obj.name}";' in code


def test_explicit_connections_in_spec_order():
    spec = SPECS["parallel_kitting"]
    names = variable_names(spec)
    code = render_flexscript(spec, "explicit")
    written = re.findall(r'contextdragconnection\((\w+), (\w+), "([AS])"\);', code)
    assert written == [(names[c.from_], names[c.to], c.port) for c in spec.connections]


def test_processor_parameters_match_the_reference_example(small_spec: FactorySpec):
    code = render_flexscript(small_spec, "explicit")
    assert 'mask_coater.setProperty("SetupTime", 5);' in code
    assert ('mask_coater.setProperty("ProcessTime", "Object current = ownerobject(c);\\nObject item = param(1);'
            '\\nreturn triangular(20, 40, 25, getstream(current));");') in code
    assert 'mask_coater.setProperty("UseProcessOperators", 1);' in code
    assert 'mask_coater.setProperty("NumProcessOperators", 1);' in code


def test_source_writes_no_arrival_style_and_no_default_item_class(small_spec: FactorySpec):
    code = render_flexscript(small_spec, "explicit")
    assert "ArrivalStyle" not in code and "FlowItemClass" not in code
    assert 'tray_source.setProperty("FlowItemClass", "Pallet");' in render_flexscript(SPECS["parallel_kitting"])


def test_processor_max_content_only_above_flexsims_default(small_spec: FactorySpec):
    assert '"MaxContent", 1)' not in render_flexscript(small_spec, "explicit")
    assert '_2nd_tester.setProperty("MaxContent", 2);' in render_flexscript(SPECS["parallel_kitting"], "explicit")


def test_lognormal_is_written_as_lognormal2_with_exp_mu():
    code = render_flexscript(SPECS["parallel_kitting"], "explicit")
    # mu 2.3: exp(2.3) = 9.97418245 (9 significant digits, as numbers are written everywhere)
    assert "return lognormal2(0, 9.97418245, 0.25, getstream(current));" in code
    assert "lognormal(" not in code


@pytest.mark.parametrize("style", STYLES)
def test_random_routing_writes_send_to_port_code(style: str):
    code = render_flexscript(SPECS["parallel_kitting"], style)
    assert ('kit_splitter.setProperty("SendToPort", "Object current = ownerobject(c);\\nObject item = param(1);'
            '\\nreturn duniform(1, current.outObjects.length, getstream(current));");') in code
    assert code.count("SendToPort") == 1  # first available is FlexSim's default: never written


def test_a_multiprocessor_is_refused_with_a_clear_user_error(small_spec_data: dict):
    small_spec_data["objects"][2] = {
        "kind": "multiprocessor", "name": "Mask Coater", "position": [8, 0, 0], "use_operator": True,
        "steps": [{"name": "Coat", "process_time": {"family": "constant", "value": 20}}]}
    spec = load_spec(small_spec_data)
    for style in STYLES:
        with pytest.raises(UnsupportedSpec, match="Mask Coater.*no settable step properties.*processors") as caught:
            render_flexscript(spec, style)
        assert isinstance(caught.value, UserError) and isinstance(caught.value, ValueError)


def test_agv_is_a_labelled_task_executer():
    code = render_flexscript(SPECS["conveyor_cell"], "explicit")
    assert 'Object agv_1 = Object.create("TaskExecuter");' in code
    assert "agv_1.AGV = 1;" in code


@pytest.mark.parametrize("style", STYLES)
def test_combiner_components_set_after_all_connections(style: str):
    code = render_flexscript(SPECS["parallel_kitting"], style)
    components = code.index('kit_packer.setProperty("ComponentsList", [2]);')
    assert components > code.rindex("contextdragconnection(")


def test_conveyors_are_created_with_object_create_in_both_styles():
    explicit = render_flexscript(SPECS["conveyor_cell"], "explicit")
    assert 'Object infeed_conveyor = Object.create("Conveyor::StraightConveyor");' in explicit
    loop = render_flexscript(SPECS["conveyor_cell"], "loop")
    assert '"Conveyor::StraightConveyor"' in loop and "/?" not in loop


def test_loop_style_builds_objects_in_a_for_loop(small_spec: FactorySpec):
    code = render_flexscript(small_spec, "loop")
    assert "for (int i = 1; i <= classes.length; i++) {" in code
    assert "Object obj = Object.create(classes[i]);" in code
    assert "createinstance" not in code and "library()" not in code
    assert 'Array classes = ["Source", "Queue", "Processor", "Sink", "Dispatcher", "Operator"];' in code
    assert "Array upstream = [0, 1, 2, 3, 0, 0];" in code


def test_loop_links_keep_the_combiner_container_on_port_one():
    spec = SPECS["parallel_kitting"]
    links = [(c.from_, c.to) for c in loop_links(spec)]
    assert ("Tray Buffer", "Kit Packer") in links
    assert ("Board Buffer", "Kit Packer") not in links
    assert ("2nd Tester", "Shipped") not in links


def reference_loop_links(spec: FactorySpec) -> list:
    """``loop_links`` written plainly: each candidate's whole statement order is regrouped into
    port lists and compared with the spec's (the oracle of its in-order test)."""
    def port_orders(edges: list) -> dict:
        orders: dict = {}
        for edge in edges:
            if edge[2] == "A":
                orders.setdefault((edge[0], "out"), []).append(edge)
                orders.setdefault((edge[1], "in"), []).append(edge)
        return orders

    index = {obj.name: number for number, obj in enumerate(creation_order(spec))}
    edges = [(c.from_, c.to, c.port) for c in spec.connections]
    flow = {id(c) for c in spec.flow_connections()}
    chosen: list[int] = []
    for number, conn in enumerate(spec.connections):
        if id(conn) not in flow or index[conn.from_] >= index[conn.to] or any(edges[k][1] == conn.to for k in chosen):
            continue
        trial = sorted([*chosen, number], key=lambda k: index[edges[k][1]])
        rest = [k for k in range(len(edges)) if k not in trial]
        if port_orders([edges[k] for k in trial + rest]) == port_orders(edges):
            chosen = trial
    return [spec.connections[k] for k in chosen]


def test_loop_links_match_the_plain_reference_on_sampled_and_golden_specs():
    specs = [*sample_specs(600, seed=11), *SPECS.values()]
    assert [loop_links(spec) for spec in specs] == [reference_loop_links(spec) for spec in specs]
    assert sum(len(loop_links(spec)) < len(spec.flow_connections()) for spec in specs) > 0


@pytest.mark.parametrize("style", STYLES)
def test_code_length_floor_never_exceeds_the_rendered_length_and_stays_close(style: str):
    """The token-budget loop drops a draw unrendered when this bound is over the limit: a bound above
    the real length would drop a draw that fits (and move corpus bytes); a loose one saves nothing."""
    specs = [*SPECS.values(), *sample_specs(520, 11)]
    for spec in specs:
        length = len(render_flexscript(spec, style))
        floor = code_length_floor(template_context(spec, style), style)
        assert floor <= length
        assert length - floor < 0.1 * length + 300


def spec_data(spec: FactorySpec) -> tuple[list[dict], list[dict]]:
    """A spec's objects and connections as the sampler's data holds them (field values, ends by name)."""
    return ([dict(obj.__dict__) for obj in spec.objects],
            [{"from": c.from_, "to": c.to, "port": c.port} for c in spec.connections])


@pytest.mark.parametrize("style", STYLES)
def test_data_code_length_floor_never_exceeds_the_specs_floor_and_stays_close(style: str):
    """The token-budget loop drops a draw unvalidated when this bound is over the limit: above the
    spec's own floor it could drop a draw that fits (and move corpus bytes); loose, it saves nothing.
    Checked on the sampler's own data (fields left to their defaults, parallel lines with 20 machines
    each) and on the golden specs' full data."""
    big = SamplerOptions(machines_min=1, machines_max=20)
    drawn = [draw_spec_data(np.random.default_rng([3, number]), cell, big if number % 2 else SamplerOptions())
             for number, cell in enumerate(all_cells())]
    cases = [(data["objects"], data["connections"], FactorySpec.model_validate(data)) for data in drawn]
    cases += [(*spec_data(spec), spec) for spec in SPECS.values()]
    closeness = []
    for objects, connections, spec in cases:
        floor = code_length_floor(template_context(spec, style), style)
        data_floor = data_code_length_floor(objects, connections, style)
        assert data_floor <= floor <= len(render_flexscript(spec, style))
        closeness.append(data_floor / floor)
    assert sorted(closeness)[len(closeness) // 2] > 0.75


@pytest.mark.parametrize("style", STYLES)
def test_render_within_renders_exactly_when_the_floor_may_fit(style: str):
    for spec in [*SPECS.values(), *sample_specs(52, 5)]:
        code = render_flexscript(spec, style)
        floor = code_length_floor(template_context(spec, style), style)
        assert render_flexscript_within(spec, style, functools.partial(operator.ge, len(code))) == code
        assert render_flexscript_within(spec, style, functools.partial(operator.gt, floor)) is None


def test_escape_string():
    assert escape_string('a "b" \\ c\nd') == 'a \\"b\\" \\\\ c\\nd'


def test_variable_names_are_unique_safe_identifiers(small_spec_data: dict):
    data = small_spec_data
    data["objects"][1]["name"] = "current"
    data["objects"][3]["name"] = "C"
    data["objects"][4]["name"] = "2 Crew"
    data["connections"] = [
        {"from": "Blank Source", "to": "current", "port": "A"},
        {"from": "current", "to": "Mask Coater", "port": "A"},
        {"from": "Mask Coater", "to": "C", "port": "A"},
        {"from": "2 Crew", "to": "Operator1", "port": "A"},
        {"from": "Mask Coater", "to": "2 Crew", "port": "S"},
    ]
    names = variable_names(load_spec(data))
    assert names["current"] == "current_2"
    assert names["C"] == "c_2"
    assert names["2 Crew"] == "dispatcher_2_crew"
    assert len(set(names.values())) == len(names)


def test_unknown_style_is_rejected(small_spec: FactorySpec):
    with pytest.raises(ValueError, match="unknown FlexScript style"):
        render_flexscript(small_spec, "fancy")  # type: ignore[arg-type]


def test_cli_render_prints_one_spec_and_writes_many(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from twinforge.cli import main

    spec_file = GOLDEN / "conveyor_cell.json"
    assert main(["render", str(spec_file), "--style", "loop"]) == 0
    assert capsys.readouterr().out == (GOLDEN / "conveyor_cell.loop.fs").read_text(encoding="ascii")

    lines = tmp_path / "specs.jsonl"
    lines.write_text("\n".join(json.dumps(json.loads((GOLDEN / f"{n}.json").read_text()))
                               for n in ("conveyor_cell", "parallel_kitting")) + "\n")
    assert main(["render", str(lines), "--out-dir", str(tmp_path / "out")]) == 0
    written = sorted((tmp_path / "out").glob("*.fs"))
    assert [p.read_text() for p in written] == [
        (GOLDEN / f"{n}.explicit.fs").read_text() for n in ("conveyor_cell", "parallel_kitting")]


def test_cli_render_names_a_bad_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from twinforge.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**SMALL_SPEC, "connections": []}))
    assert main(["render", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err
