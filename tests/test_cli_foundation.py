"""The foundation commands as a user runs them: ``sample``, ``check-spec`` and ``fit``."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from twinforge.cli import main
from twinforge.schemas import FactorySpec, canonical_json

TWINFORGE = Path(sys.executable).parent / "twinforge"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sample_prints_valid_json_lines_identically_each_run(capsys):
    code, first, _ = run(capsys, "sample", "--count", "5", "--seed", "1")
    assert code == 0
    lines = first.splitlines()
    assert len(lines) == 5
    for line in lines:
        spec = FactorySpec.model_validate_json(line)
        assert canonical_json(spec) == line
    assert run(capsys, "sample", "--count", "5", "--seed", "1")[1] == first
    assert run(capsys, "sample", "--count", "5", "--seed", "2")[1] != first


def test_sample_filters_select_layer_values(capsys):
    code, out, _ = run(capsys, "sample", "--count", "6", "--seed", "3", "--industry", "photomask",
                       "--automation", "robot", "--layout", "parallel", "--line-type", "conveyor")
    assert code == 0
    for line in out.splitlines():
        data = json.loads(line)
        assert (data["industry"], data["automation"], data["layout"], data["line_type"]) == (
            "photomask", "robot", "parallel", "conveyor")


def test_sample_rejects_a_bad_filter_naming_the_flag(capsys):
    code, out, err = run(capsys, "sample", "--count", "2", "--layout", "zigzag")
    assert code != 0 and out == ""
    assert "--layout" in err and "'zigzag'" in err and "u_shaped" in err


def test_sample_runs_as_an_installed_command():
    result = subprocess.run([str(TWINFORGE), "sample", "--count", "2", "--seed", "4"],
                            capture_output=True, text=True, check=True, timeout=120)
    assert len(result.stdout.splitlines()) == 2


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_check_spec_accepts_valid_specs(capsys, tmp_path, small_spec_data):
    path = write(tmp_path / "good.json", small_spec_data)
    code, out, _ = run(capsys, "sample", "--count", "3", "--seed", "8")
    jsonl = tmp_path / "many.jsonl"
    jsonl.write_text(out, encoding="utf-8")
    code, out, err = run(capsys, "check-spec", str(path), str(jsonl))
    assert code == 0 and err == ""
    assert f"{path}: ok" in out and f"{jsonl}:3: ok" in out


def test_check_spec_names_file_object_and_field_of_each_problem(capsys, tmp_path, small_spec_data):
    duplicate = copy.deepcopy(small_spec_data)
    duplicate["objects"][3]["name"] = "Queue1"
    dangling = copy.deepcopy(small_spec_data)
    dangling["connections"].append({"from": "Mask Coater", "to": "Inspector", "port": "A"})
    triangular = copy.deepcopy(small_spec_data)
    triangular["objects"][2]["process_time"] = {"family": "triangular", "min": 20, "mode": 55, "max": 40}
    files = [write(tmp_path / f"{name}.json", data) for name, data in
             (("duplicate", duplicate), ("dangling", dangling), ("triangular", triangular))]
    code, _, err = run(capsys, "check-spec", *map(str, files))
    assert code != 0
    assert f"{files[0]}: object 'Queue1': duplicate name" in err
    assert f"{files[1]}: " in err and "unknown object 'Inspector'" in err
    assert f"{files[2]}: object 'Mask Coater'" in err and "field 'process_time'" in err and "mode=55" in err


def test_check_spec_names_the_line_of_a_bad_jsonl_entry_and_unreadable_files(capsys, tmp_path, small_spec_data):
    bad = copy.deepcopy(small_spec_data)
    bad["objects"][1]["max_content"] = 0
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_text(json.dumps(small_spec_data) + "\n" + json.dumps(bad) + "\n{oops\n", encoding="utf-8")
    code, out, err = run(capsys, "check-spec", str(jsonl), str(tmp_path / "missing.json"))
    assert code != 0
    assert f"{jsonl}:1: ok" in out
    assert f"{jsonl}:3: invalid JSON" in err and "missing.json: no such file" in err


def test_fit_prints_the_best_family_as_json(capsys, tmp_path):
    rng = np.random.default_rng(6)
    path = tmp_path / "cycle.csv"
    path.write_text("station,seconds\n" + "".join(f"S,{v:.4f}\n" for v in rng.uniform(20, 40, 400)))
    code, out, _ = run(capsys, "fit", str(path))
    assert code == 0
    report = json.loads(out)
    assert report["family"] == "uniform" and report["column"] == "seconds"
    assert report["distribution"]["min"] == pytest.approx(20, abs=0.5)
    code, out, err = run(capsys, "fit", str(path), "--column", "minutes")
    assert code != 0 and "no column 'minutes'" in err and "station, seconds" in err


def test_an_empty_spec_file_is_a_failed_check_not_silence(capsys, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    code, out, err = run(capsys, "check-spec", str(empty))
    assert code == 1 and "holds no spec" in err and out == ""


def test_sketch_refuses_one_file_name_for_many_specs(capsys, tmp_path, small_spec_data):
    many = tmp_path / "many.jsonl"
    many.write_text((json.dumps(small_spec_data) + "\n") * 2)
    code, _, err = run(capsys, "sketch", str(many), "--out", str(tmp_path / "x.svg"))
    assert code == 2 and "--out-dir" in err and not (tmp_path / "x.svg").exists()
