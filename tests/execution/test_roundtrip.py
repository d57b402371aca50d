"""Rendered FlexScript for sampled specs runs and rebuilds exactly the spec (both code styles)."""

from __future__ import annotations

import pytest

from twinforge.execution import check_script, graph_differences, graph_to_spec_data
from twinforge.pipeline.sampler import sample_specs
from twinforge.renderers.flexscript import render_flexscript
from twinforge.schemas import canonical_data

SPECS = list(sample_specs(50, 20261121))


@pytest.mark.parametrize("style", ["explicit", "loop"])
def test_sampled_specs_render_build_and_run(style: str) -> None:
    failures = []
    for index, spec in enumerate(SPECS):
        result = check_script(render_flexscript(spec, style), horizon_s=4 * 3600, seed=index)
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
