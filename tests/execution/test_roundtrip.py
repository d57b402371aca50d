"""Rendered FlexScript for sampled specs runs and rebuilds exactly the spec (both code styles)."""

from __future__ import annotations

import pytest

from twinforge.execution import (
    build_graph,
    check_script,
    graph_differences,
    graph_from_spec,
    graph_to_spec_data,
    simulated_model,
)
from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.flexscript import render_flexscript
from twinforge.schemas import canonical_data

SPECS = list(sample_specs(50, 20261121))


@pytest.mark.parametrize("style", ["explicit", "loop"])
def test_sampled_specs_render_build_and_run(style: str) -> None:
    failures = []
    for index, spec in enumerate(SPECS):
        result = check_script(render_flexscript(spec, style), seed=index)
        if result.outcome != "ok":
            failures.append(f"spec {index}: {result.outcome}: {result.message}")
            continue
        differences = graph_differences(result.graph, spec)
        if differences:
            failures.append(f"spec {index}: {differences[:3]}")
    assert failures == []


def test_graph_to_spec_data_reproduces_the_spec_objects() -> None:
    spec = SPECS[0]
    result = check_script(render_flexscript(spec, "loop"), horizon_s=600)
    data = graph_to_spec_data(result.graph)
    expected = canonical_data(spec)
    assert sorted(data["objects"], key=lambda o: o["name"]) == sorted(expected["objects"], key=lambda o: o["name"])
    assert sorted(map(str, data["connections"])) == sorted(map(str, expected["connections"]))


def test_the_explicit_style_builds_the_simulated_model_of_the_spec_and_the_loop_style_its_objects() -> None:
    for spec in SPECS:
        expected = simulated_model(graph_from_spec(spec))
        assert simulated_model(build_graph(render_flexscript(spec, "explicit"))) == expected
        loop = simulated_model(build_graph(render_flexscript(spec, "loop")))
        assert sorted(loop, key=lambda entry: entry[0]) == sorted(expected, key=lambda entry: entry[0])


def test_equal_simulated_models_check_alike_and_a_changed_port_order_or_position_is_another_model() -> None:
    spec = SPECS[1]
    code = render_flexscript(spec, "explicit")
    reformatted = "// reformatted\n" + code.replace(";\n", ";\n\n")
    model = simulated_model(build_graph(code))
    assert simulated_model(build_graph(reformatted)) == model
    first, second = (check_script(text, horizon_s=3600, seed=3) for text in (code, reformatted))
    assert (first.outcome, first.message, first.kpis) == (second.outcome, second.message, second.kpis)
    lines = code.splitlines(keepends=True)
    links = [i for i, line in enumerate(lines) if line.startswith("contextdragconnection(")]
    by_source_and_port: dict[tuple[str, str], list[int]] = {}
    for i in links:
        source, port = lines[i].split("(")[1].split(",")[0], lines[i].rsplit(",", 1)[1]
        by_source_and_port.setdefault((source, port), []).append(i)
    a, b = next(group for group in by_source_and_port.values() if len(group) > 1)[:2]
    lines[a], lines[b] = lines[b], lines[a]
    assert simulated_model(build_graph("".join(lines))) != model
    moved = spec.model_copy(update={"objects": [spec.objects[0].model_copy(update={"position": (99.0, 0.0, 0.0)}),
                                                *spec.objects[1:]]})
    assert simulated_model(graph_from_spec(moved)) != simulated_model(graph_from_spec(spec))


def test_renamed_objects_make_the_same_nameless_model_and_check_to_the_same_outcome() -> None:
    spec = SPECS[2]
    code = render_flexscript(spec, "explicit")
    renamed = code
    for obj in spec.objects:
        renamed = renamed.replace(f'"{obj.name}"', f'"{obj.name.lower()}_x"')
    assert renamed != code
    built, rebuilt = build_graph(code), build_graph(renamed)
    assert simulated_model(rebuilt) != simulated_model(built)
    assert simulated_model(rebuilt, names=False) == simulated_model(built, names=False)
    first, second = (check_script(text, horizon_s=3600, seed=5) for text in (code, renamed))
    assert first.outcome == second.outcome
    assert first.kpis["throughput_per_hour"] == second.kpis["throughput_per_hour"]
    assert list(first.kpis["utilisation"].values()) == list(second.kpis["utilisation"].values())
