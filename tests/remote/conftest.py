"""A real Oxigraph server for the remote-store tests: `oxigraph serve` from the `oxigraph`
package, on a free loopback port, with its data in a temporary directory.

The server runs with ``--union-default-graph`` because the remote store, like the embedded one,
reads the union of all named graphs as the default graph.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kg.config import Settings
from kg.ingest import ingest
from kg.ingest.engines import local
from kg.ingest.sinks import StoreSink
from kg.pipeline import read_all
from kg.store import RemoteStore
from tests.net import free_port

STARTUP_SECONDS = 30.0


def oxigraph_binary() -> Path:
    """The `oxigraph` executable installed beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        pytest.fail("the `oxigraph` command is missing: install the dev extras (`make install`)")
    return Path(found)


@dataclass
class OxigraphServer:
    """A running `oxigraph serve` process."""

    url: str
    location: Path
    process: subprocess.Popen[bytes]
    log: Path

    def settings(self) -> Settings:
        return Settings(store=self.url)

    def store(self) -> RemoteStore:
        return RemoteStore(self.settings())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(directory: Path) -> OxigraphServer:
    """Start `oxigraph serve` with its data under ``directory`` and wait until /query answers."""
    location = directory / "oxigraph"
    log = directory / "oxigraph.log"
    last_error = "did not start"
    for _ in range(3):  # another process may grab the free port before the server binds it
        port = free_port()
        with log.open("wb") as handle:
            process = subprocess.Popen(
                [
                    str(oxigraph_binary()),
                    "serve",
                    "--location",
                    str(location),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--union-default-graph",
                ],
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        server = OxigraphServer(f"http://127.0.0.1:{port}", location, process, log)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                answer = httpx.get(f"{server.url}/query", params={"query": "ASK {}"}, timeout=2)
                if answer.status_code == 200:
                    return server
                last_error = f"/query answered {answer.status_code}"
            except httpx.HTTPError as exc:
                last_error = str(exc)
            time.sleep(0.1)
        server.stop()
        last_error = f"{last_error}; log: {log.read_text(errors='replace')[-500:]}"
    pytest.fail(f"oxigraph serve did not answer on /query: {last_error}")


@pytest.fixture()
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """An empty Oxigraph server of this test's own."""
    server = start_server(tmp_path)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def seeded_server(
    tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path
) -> Iterator[OxigraphServer]:
    """A server holding the seeds' graph, shared by a module's read-only tests."""
    server = start_server(tmp_path_factory.mktemp("seeded-oxigraph"))
    settings = server.settings()
    articles, errors = read_all([seeds_dir], settings)
    assert not errors
    store = server.store()
    summary = ingest(articles, local(settings), StoreSink(store, settings))
    store.close()
    assert summary.sources == len(articles) and not summary.errors
    yield server
    server.stop()
