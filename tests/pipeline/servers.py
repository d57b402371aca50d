"""Real servers on 127.0.0.1 for the scale-out tests: an S3-compatible store (moto's server mode)
and a Dask cluster (``dask scheduler`` and ``dask worker`` processes). Each is a context manager
that starts its processes and, on leaving, kills them and waits, so nothing outlives a test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {START_TIMEOUT_S} s")


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM, then SIGKILL after 10 s; always reaped."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_environment(port: int) -> dict[str, str]:
    """The standard AWS variables that point boto/s3fs at a local server with dummy credentials."""
    return {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@contextmanager
def s3_server(bucket: str) -> Iterator[dict[str, str]]:
    """moto's S3 server on a free 127.0.0.1 port with ``bucket`` made; yields its environment."""
    import s3fs

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, "moto server")
        environment = s3_environment(port)
        s3fs.S3FileSystem.clear_instance_cache()
        s3fs.S3FileSystem(endpoint_url=environment["AWS_ENDPOINT_URL"], key="testing",
                          secret="testing", skip_instance_cache=True).mkdir(bucket)
        yield environment
    finally:
        stop([process])
        s3fs.S3FileSystem.clear_instance_cache()


@dataclass
class Cluster:
    """A running ``dask scheduler`` and its ``dask worker`` processes (one process each, no nanny)."""

    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)

    def processes(self) -> list[subprocess.Popen]:
        return [*self.workers, self.scheduler]


@contextmanager
def dask_cluster(workers: int, environment: dict[str, str], folder: Path) -> Iterator[Cluster]:
    """A scheduler and ``workers`` single-threaded workers on 127.0.0.1 that import this checkout."""
    from distributed import Client

    env = {**os.environ, **environment, "PYTHONPATH": str(ROOT)}
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": folder}
    scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], **quiet)
    cluster = Cluster(address, scheduler)
    try:
        wait_for_port(port, scheduler, "dask scheduler")
        for number in range(workers):
            cluster.workers.append(subprocess.Popen(
                [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                 "--no-dashboard", "--name", f"w{number}", "--death-timeout", "30",
                 "--local-directory", str(folder)], **quiet))
        with Client(address, timeout=START_TIMEOUT_S) as client:
            client.wait_for_workers(workers, timeout=START_TIMEOUT_S)
        yield cluster
    finally:
        stop(cluster.processes())
