"""``twinforge validate``: one JSON line per file, exit 0 only when every file is ok."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from twinforge.cli import main

DATA = Path(__file__).parent / "data"


def test_validate_prints_one_record_per_file(tmp_path, capsys) -> None:
    good = tmp_path / "good.fs"
    shutil.copy(DATA / "reference_6_1.fs", good)
    bad = tmp_path / "bad.fs"
    bad.write_text('Object o = Object.create("Widget");\n')
    assert main(["validate", str(good), str(bad)]) == 1
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["outcome"] == "ok" and first["kpis"]["items_out"] > 0
    assert {"name": "Processor_Drill", "class": "Processor"} in first["objects"]
    assert first["connections"][-1] == {"from": "Processor_Drill", "to": "Dispatcher_Crew", "port": "S"}
    assert (second["outcome"], second["objects"]) == ("build_error", [])
    assert "Widget" in second["message"]


def test_validate_exit_zero_when_all_ok(tmp_path, capsys) -> None:
    path = tmp_path / "lines.fs"
    shutil.copy(DATA / "parallel_lines.fs", path)
    assert main(["validate", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == str(path)
