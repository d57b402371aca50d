"""``twinforge validate``: one JSON line per file, exit 0 only when every file is ok."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from twinforge.cli import main
from twinforge.execution import check_script, validate_file

DATA = Path(__file__).parent / "data"


def test_validate_prints_one_record_per_file(tmp_path, capsys) -> None:
    good = tmp_path / "good.fs"
    shutil.copy(DATA / "reference_6_1.fs", good)
    bad = tmp_path / "bad.fs"
    bad.write_text('Object o = Object.create("Widget");\n')
    assert main(["validate", str(good), str(bad)]) == 1
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["outcome"] == "ok" and first["kpis"]["throughput_per_hour"] > 0
    assert {"name": "Processor_Drill", "class": "Processor"} in first["objects"]
    assert first["connections"][-1] == {"from": "Processor_Drill", "to": "Dispatcher_Crew", "port": "S"}
    assert (second["outcome"], second["objects"]) == ("build_error", [])
    assert "Widget" in second["message"]


def test_validate_exit_zero_when_all_ok(tmp_path, capsys) -> None:
    path = tmp_path / "lines.fs"
    shutil.copy(DATA / "parallel_lines.fs", path)
    assert main(["validate", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == str(path)


GOLDEN = Path(__file__).parent.parent / "renderers" / "golden"


def broken_code_string_script() -> str:
    """A rendered script whose processor's ProcessTime code string lacks a ')'."""
    code = (GOLDEN / "small_line.explicit.fs").read_text(encoding="utf-8")
    broken = code.replace("return triangular(20, 40, 25, getstream(current));",
                          "return triangular(20, 40, 25, getstream(current);")
    assert broken != code
    return broken


def test_a_code_string_that_does_not_parse_is_a_param_error(tmp_path) -> None:
    code = broken_code_string_script()
    line = next(number for number, text in enumerate(code.splitlines(), 1) if '"ProcessTime"' in text
                and text.startswith("mask_coater"))
    result = check_script(code)
    assert (result.outcome, result.line) == ("param_error", line)
    assert result.message.startswith(f"line {line}: Processor 'Mask Coater': property 'ProcessTime': the code "
                                     "string does not parse: line 3, column 49: unexpected ';'")
    bare = 'Object p = Object.create("Processor");\np.setProperty("ProcessTime", "return normal(10, 2;");\n'
    result = check_script(bare)
    assert (result.outcome, result.line) == ("param_error", 2)
    assert "property 'ProcessTime': the code string does not parse" in result.message
    path = tmp_path / "broken.fs"
    path.write_text(bare, encoding="utf-8")
    record = validate_file(path)
    assert (record["outcome"], record["message"]) == ("param_error", str(result.message))


def test_validate_reports_a_code_string_that_does_not_parse(tmp_path, capsys) -> None:
    path = tmp_path / "broken.fs"
    path.write_text(broken_code_string_script(), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    record = json.loads(capsys.readouterr().out)
    assert record["outcome"] == "param_error" and "property 'ProcessTime'" in record["message"]


def test_an_empty_file_says_it_is_empty(tmp_path):
    path = tmp_path / "empty.fs"
    path.write_text("\n  \n")
    record = validate_file(path)
    assert record["outcome"] == "parse_error" and record["message"] == "the file is empty"
