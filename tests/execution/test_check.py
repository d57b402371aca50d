"""check_script and the cycle collector: its first threshold is at least ``YOUNG_OBJECTS`` while a
script is built and simulated (fewer collections of the closures it compiles), a higher one that
the caller set (``metrics.evaluate`` does) is kept, and the caller's is back afterwards, also when
the script fails."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from twinforge.execution import check
from twinforge.execution.check import YOUNG_OBJECTS, check_script

LINE = """
Object source = createinstance(library().find("?Source"), model());
Object sink = createinstance(library().find("?Sink"), model());
contextdragconnection(source, sink, "A");
"""


@pytest.mark.parametrize("code", [LINE, "Object x = ;"])
@pytest.mark.parametrize("first", [700, YOUNG_OBJECTS * 4])
def test_check_raises_the_collector_threshold_only_while_it_runs(monkeypatch: pytest.MonkeyPatch, code: str,
                                                                   first: int) -> None:
    during: list[int] = []
    build = check.build_graph

    def recording_build(*args: Any, **kwargs: Any) -> Any:
        during.append(gc.get_threshold()[0])
        return build(*args, **kwargs)

    monkeypatch.setattr(check, "build_graph", recording_build)
    before = gc.get_threshold()
    try:
        gc.set_threshold(first, *before[1:])
        check_script(code)
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*before)
    assert during == [max(first, YOUNG_OBJECTS)]
    assert after == (first, *before[1:])
