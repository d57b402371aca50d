"""A real cluster writing to object storage: ``dask scheduler`` and two ``dask worker`` processes,
moto's S3 server, all on 127.0.0.1. The corpus in S3 has the bytes of a local one-worker run, even
when a worker or the client is killed with SIGKILL in the middle."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from distributed import Client

from tests.pipeline.conftest import write_factory_recipe, write_toy_recipe
from tests.pipeline.servers import ROOT, dask_cluster, s3_server
from twinforge.cli import main
from twinforge.pipeline.generate import generate_corpus

BUCKET = "corpora"
CLI = ("import sys; from tests.families.toy import register; register(); "
       "from twinforge.cli import main; sys.exit(main(sys.argv[1:]))")


def local_digests(corpus: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((corpus / "shards").glob("part-*"))}


def s3_files(prefix: str) -> dict[str, bytes]:
    """Every object under ``s3://BUCKET/prefix/shards`` (temporary keys included), by name."""
    import s3fs

    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    keys = fs.ls(f"{BUCKET}/{prefix}/shards", detail=False) if fs.exists(f"{BUCKET}/{prefix}/shards") else []
    return {key.rsplit("/", 1)[1]: fs.cat_file(key) for key in keys}


def s3_manifest(prefix: str) -> dict:
    import s3fs

    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    key = f"{BUCKET}/{prefix}/manifest.json"
    return json.loads(fs.cat_file(key)) if fs.exists(key) else {"shards": {}}


def assert_exactly_once(prefix: str, local: dict[str, str], count: int) -> dict:
    """The S3 corpus is complete, holds exactly the local shards (same bytes), each sample once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = s3_files(prefix)
    manifest = s3_manifest(prefix)
    assert manifest["complete"]
    assert {name: hashlib.sha256(data).hexdigest() for name, data in files.items()} == local
    assert {name: entry["sha256"] for name, entry in manifest["shards"].items()} == local
    ids = [i for data in files.values() for i in pq.read_table(pa.BufferReader(data))["sample_id"].to_pylist()]
    assert len(ids) == len(set(ids)) == count
    return manifest


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A fresh S3 server; this process and its children reach it through the standard AWS variables."""
    with s3_server(BUCKET) as environment:
        for key, value in environment.items():
            monkeypatch.setenv(key, value)
        yield environment


@pytest.fixture(scope="module")
def slow_local(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A 240-sample ``slow_toy`` recipe (12 shards of 0.4 s) and the shards of its local 2-process run."""
    folder = tmp_path_factory.mktemp("slow")
    recipe = write_toy_recipe(folder, count=240, shard_size=20, family="slow_toy")
    generate_corpus(recipe, out=folder / "local", workers=2, progress=False)
    return recipe, local_digests(folder / "local")


def wait_for_shards(prefix: str, at_least: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(s3_manifest(prefix)["shards"]) < at_least:
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "the run recorded no shard in time"
        time.sleep(0.05)


def wait_for_a_running_task(watcher: Client, worker_name: str, process: subprocess.Popen,
                            timeout: float = 120) -> None:
    """Return once the scheduler sees worker ``worker_name`` running a shard task of ``process``'s run.

    ``watcher`` is connected before the run starts: connecting after it had started took seconds on
    a loaded machine, long enough for the whole run to end unseen. The timeout is generous because
    the client starts in a new interpreter: on a loaded machine its imports alone took over 30 s. A
    client that ends first fails at once, with its exit code.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the run ended (exit code {process.returncode}) before {worker_name} ran"
        workers = watcher.scheduler_info(n_workers=-1)["workers"]
        where = next(addr for addr, info in workers.items() if info["name"] == worker_name)
        if watcher.processing(workers=[where])[where]:
            return
        time.sleep(0.02)
    raise AssertionError(f"worker {worker_name} never ran a task")


def test_a_two_worker_cluster_writes_the_local_shards_into_s3(tmp_path: Path, s3: dict[str, str],
                                                              capsys: pytest.CaptureFixture):
    recipe = write_factory_recipe(tmp_path, count=12, shard_size=3)
    generate_corpus(recipe, out=tmp_path / "local", workers=1, progress=False)
    local = local_digests(tmp_path / "local")
    with dask_cluster(2, s3, tmp_path) as cluster:
        assert main(["generate", str(recipe), "--out", f"s3://{BUCKET}/mini", "--scheduler", cluster.address,
                     "--quiet"]) == 0
    manifest = assert_exactly_once("mini", local, 12)
    assert len({entry["worker_pid"] for entry in manifest["shards"].values()}) == 2, "both workers took shards"
    generate_corpus(recipe, out=f"s3://{BUCKET}/processes", workers=2, progress=False)  # local processes, S3
    assert_exactly_once("processes", local, 12)
    assert not any(value in json.dumps(manifest) for value in s3.values()), "storage settings leaked"
    for command in (["verify"], ["dedup", "--quiet"], ["split"], ["card"]):
        assert main([command[0], f"s3://{BUCKET}/mini", *command[1:]]) == 0, command
    assert main(["coverage", f"s3://{BUCKET}/mini"]) == 1  # 12 samples cannot cover every industry
    out = capsys.readouterr().out
    assert set(s3_manifest("mini")["derived"]) >= {"dedup.parquet", "splits/assignment.parquet", "coverage.json",
                                                   "card/README.md"}
    assert "s3://corpora/mini: 4 shards, 12 rows in the manifest; ok" in out
    assert "s3://corpora/mini/card/README.md" in out
    assert "testing" not in out


def start_slow_client(recipe: Path, scheduler: str, cwd: Path) -> subprocess.Popen:
    """A ``generate`` client process of the slow recipe on the cluster into S3, once 2 shards are in."""
    command = [sys.executable, "-c", CLI, "generate", str(recipe), "--out", f"s3://{BUCKET}/slow",
               "--scheduler", scheduler, "--quiet"]
    client = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=cwd)
    wait_for_shards("slow", 2, client)
    return client


def test_a_worker_killed_mid_run_loses_and_duplicates_no_shard(tmp_path: Path, s3: dict[str, str],
                                                               slow_local: tuple[Path, dict[str, str]]):
    recipe, local = slow_local
    with dask_cluster(2, s3, tmp_path) as cluster, Client(cluster.address, timeout=10) as watcher:
        client = start_slow_client(recipe, cluster.address, tmp_path)
        wait_for_a_running_task(watcher, "w0", client)
        victim = cluster.workers[0]
        victim.send_signal(signal.SIGKILL)
        assert victim.wait() == -signal.SIGKILL
        assert client.wait(timeout=120) == 0
    assert_exactly_once("slow", local, 240)
    assert not [name for name in s3_files("slow") if not name.startswith("part-")], "a temporary key was left"


def test_a_killed_client_resumes_from_the_manifest_in_s3(tmp_path: Path, s3: dict[str, str],
                                                         slow_local: tuple[Path, dict[str, str]]):
    recipe, local = slow_local
    with dask_cluster(2, s3, tmp_path) as cluster:
        client = start_slow_client(recipe, cluster.address, tmp_path)
        client.send_signal(signal.SIGKILL)
        assert client.wait() == -signal.SIGKILL
        done = len(s3_manifest("slow")["shards"])
        assert not s3_manifest("slow").get("complete")
        summary = generate_corpus(recipe, out=f"s3://{BUCKET}/slow", scheduler=cluster.address, progress=False)
    assert f"{12 - done} computed" in summary and f"{done} already done" in summary
    assert_exactly_once("slow", local, 240)


def test_a_task_dask_gives_up_on_is_one_clear_error_and_the_run_resumes(
        tmp_path: Path, s3: dict[str, str], slow_local: tuple[Path, dict[str, str]]):
    recipe, local = slow_local
    no_retry = {**s3, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    with dask_cluster(2, no_retry, tmp_path) as cluster, Client(cluster.address, timeout=10) as watcher:
        command = [sys.executable, "-c", CLI, "generate", str(recipe), "--out", f"s3://{BUCKET}/slow",
                   "--scheduler", cluster.address, "--quiet"]
        client = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp_path,
                                  stderr=subprocess.PIPE, text=True)
        wait_for_shards("slow", 1, client)
        wait_for_a_running_task(watcher, "w0", client)
        cluster.workers[0].send_signal(signal.SIGKILL)
        _, err = client.communicate(timeout=120)
        assert client.returncode == 2
        assert "Dask gave up on a task whose workers kept dying" in err and "Traceback" not in err
        assert "run the same command to resume" in err
        summary = generate_corpus(recipe, out=f"s3://{BUCKET}/slow", scheduler=cluster.address, progress=False)
    assert "already done" in summary
    assert_exactly_once("slow", local, 240)
