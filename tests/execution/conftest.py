"""Helpers for the executor tests: scripts from tests/execution/data and a quick runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinforge.execution import build_graph

DATA = Path(__file__).parent / "data"
HEADER = r"Object current = ownerobject(c);\nObject item = param(1);\n"
"""FlexSim's picklist header as it appears inside a FlexScript string literal."""


def code_string(body: str) -> str:
    """A FlexScript string literal holding a property code string with the standard header."""
    return f'"{HEADER}{body}"'


def printed(code: str) -> list[str]:
    """What ``print`` wrote when ``code`` ran (no simulation)."""
    return list(build_graph(code).printed)


@pytest.fixture
def data_dir() -> Path:
    return DATA
