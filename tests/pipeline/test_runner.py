"""The shard runner: same bytes on any executor, atomic shards, resume after SIGKILL, recipe guard."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.pipeline.conftest import write_factory_recipe, write_toy_recipe
from twinforge.errors import UserError
from twinforge.pipeline.generate import generate_corpus

ROOT = Path(__file__).resolve().parents[2]


def shard_digests(corpus: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((corpus / "shards").glob("part-*"))}


def assert_consistent(corpus: Path) -> dict:
    """Every visible shard reads; every shard the manifest lists has the recorded hash."""
    manifest = json.loads((corpus / "manifest.json").read_text())
    for path in sorted((corpus / "shards").glob("part-*.parquet")):
        assert pq.read_table(path).num_rows > 0
    for name, entry in manifest.get("shards", {}).items():
        assert hashlib.sha256((corpus / "shards" / name).read_bytes()).hexdigest() == entry["sha256"]
        assert entry["worker_max_rss_mb"] > 10 and entry["worker_pid"] > 0, entry
    return manifest


def test_same_bytes_on_one_worker_two_processes_and_a_cluster(tmp_path: Path):
    from distributed import LocalCluster

    recipe = write_factory_recipe(tmp_path, count=6, shard_size=3)
    generate_corpus(recipe, out=tmp_path / "one", workers=1, progress=False)
    generate_corpus(recipe, out=tmp_path / "two", workers=2, progress=False)
    with LocalCluster(n_workers=2, processes=False, protocol="tcp", host="127.0.0.1",
                      dashboard_address=None) as cluster:
        generate_corpus(recipe, out=tmp_path / "cluster", scheduler=cluster.scheduler_address, progress=False)
    one = shard_digests(tmp_path / "one")
    assert len(one) == 2
    assert one == shard_digests(tmp_path / "two") == shard_digests(tmp_path / "cluster")
    manifest = assert_consistent(tmp_path / "cluster")
    assert manifest["complete"] and sum(e["rows"] for e in manifest["shards"].values()) == 6
    files = str(tmp_path / "one" / "shards" / "part-*.parquet")
    frame = pd.concat(pd.read_parquet(p) for p in sorted((tmp_path / "one" / "shards").glob("part-*.parquet")))
    outcomes = duckdb.sql(f"select exec_outcome, count(*) from read_parquet('{files}') group by 1").fetchall()
    assert outcomes == [("ok", 6)]
    assert frame["sample_id"].tolist() == [f"mini-{i:07d}" for i in range(6)]
    assert pq.read_table(files.replace("part-*", "part-00000"))["minhash"].type.value_type == "uint64"


def test_resume_after_sigkill_gives_the_uninterrupted_corpus(tmp_path: Path):
    recipe = write_toy_recipe(tmp_path, count=80, shard_size=5, family="slow_toy")
    generate_corpus(recipe, out=tmp_path / "whole", workers=1, progress=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = ("import sys; from tests.families.toy import register; register(); "
           "from twinforge.cli import main; sys.exit(main(sys.argv[1:]))")
    command = [sys.executable, "-c", cli, "generate", str(recipe), "--out", str(tmp_path / "cut"),
               "--workers", "1", "--quiet"]
    cut = tmp_path / "cut"
    process = subprocess.Popen(command, env=env, cwd=tmp_path)
    deadline = time.monotonic() + 30
    while not (cut / "manifest.json").exists() and time.monotonic() < deadline:  # start-up done, work begins
        time.sleep(0.02)
    time.sleep(float(np.random.default_rng().uniform(0.0, 1.2)))  # the work takes ~1.6 s
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert not assert_consistent(cut)["complete"]
    (cut / "shards" / ".tmp-part-00003.parquet.999").write_bytes(b"half a shard")
    summary = generate_corpus(recipe, out=cut, workers=1, progress=False)
    assert "already done" in summary
    assert not list((cut / "shards").glob(".tmp-*"))
    assert shard_digests(cut) == shard_digests(tmp_path / "whole")
    assert_consistent(cut)["complete"]


def test_a_second_run_skips_finished_shards_and_redoes_a_damaged_one(tmp_path: Path):
    recipe = write_toy_recipe(tmp_path, count=30, shard_size=10)
    out = tmp_path / "c"
    generate_corpus(recipe, out=out, workers=1, progress=False)
    before = shard_digests(out)
    assert "0 computed" in generate_corpus(recipe, out=out, workers=1, progress=False)
    (out / "shards" / "part-00001.parquet").write_bytes(b"garbage")
    assert "1 computed" in generate_corpus(recipe, out=out, workers=1, progress=False)
    assert shard_digests(out) == before


def test_changed_recipe_needs_no_resume(tmp_path: Path):
    recipe = write_toy_recipe(tmp_path, count=20, shard_size=10)
    out = tmp_path / "c"
    generate_corpus(recipe, out=out, workers=1, progress=False)
    with pytest.raises(UserError, match="count"):
        generate_corpus(recipe, n=30, out=out, workers=1, progress=False)
    generate_corpus(recipe, n=30, out=out, workers=1, resume=False, progress=False)
    assert json.loads((out / "manifest.json").read_text())["plan"]["count"] == 30
    assert len(shard_digests(out)) == 3


def test_corpus_reads_in_pyarrow_pandas_and_duckdb(toy_corpus: Path):
    files = str(toy_corpus / "shards" / "part-*.parquet")
    table = pq.ParquetDataset(str(toy_corpus / "shards")).read()
    frame = pd.concat(pd.read_parquet(p) for p in sorted((toy_corpus / "shards").glob("part-*.parquet")))
    rows = duckdb.sql(f"select count(*), count(distinct sample_id) from read_parquet('{files}')").fetchall()[0]
    assert table.num_rows == len(frame) == rows[0] == rows[1] == 77
    assert list(frame["index"]) == list(range(77))


def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(tmp_path: Path):
    # 4 s of samples: with 1.6 s, a loaded machine once let the run finish before the Ctrl-C was sent
    recipe = write_toy_recipe(tmp_path, count=200, shard_size=5, family="slow_toy")
    cli = ("import sys; from tests.families.toy import register; register(); "
           "from twinforge.cli import main; sys.exit(main(sys.argv[1:]))")
    command = [sys.executable, "-c", cli, "generate", str(recipe), "--out", str(tmp_path / "c"), "--workers", "1",
               "--quiet"]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp_path,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (tmp_path / "c" / "manifest.json").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted; resume with the same command" in err and "Traceback" not in err
    assert "already done" in generate_corpus(recipe, out=tmp_path / "c", workers=1, progress=False)


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_worker_processes_die_with_a_killed_generate(tmp_path: Path):
    recipe = write_toy_recipe(tmp_path, count=400, shard_size=10, family="slow_toy")
    cli = ("import sys; from tests.families.toy import register; register(); "
           "from twinforge.cli import main; sys.exit(main(sys.argv[1:]))")
    command = [sys.executable, "-c", cli, "generate", str(recipe), "--out", str(tmp_path / "c"), "--workers", "2",
               "--quiet"]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = [pid for pid in children_of(process.pid)
                   if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
    assert len(workers) == 2, "the run never started its two workers"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if alive(pid)]
