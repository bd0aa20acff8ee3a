"""Real servers for the API tests: ``kg serve`` in a subprocess on a free loopback port, over a
copy of the seed store, built once per session.

- ``server``: read-only (no token), the seed graph plus the SPARQL protocol test graphs, a row
  limit of :data:`ROW_LIMIT` and small size limits;
- ``token_server``: updates and ingestion on (``KG_API_TOKEN`` set), a store of its own;
- ``limits_server``: read-only with a one-second query time limit and two query workers.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, Store

from kg.store import EmbeddedStore
from tests.net import free_port

ROW_LIMIT = 1000
MAX_QUERY_CHARS = 20_000
MAX_BODY_BYTES = 200_000
FOAF_DOCUMENT = NamedNode("http://xmlns.com/foaf/0.1/Document")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PROTOCOL_GRAPHS = [f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)]


@dataclass
class Server:
    """A running ``kg serve``."""

    url: str
    store: Path
    log: Path
    process: subprocess.Popen[bytes]
    token: str | None = None
    union_nquads: bytes = b""

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60.0, **kwargs)  # type: ignore[arg-type]

    def auth(self) -> dict[str, str]:
        assert self.token
        return {"Authorization": f"Bearer {self.token}"}


def start_server(
    store: Path,
    log: Path,
    env: dict[str, str],
    token: str | None = None,
    *,
    kg: Sequence[str] = (sys.executable, "-m", "kg.cli"),
    cwd: Path | None = None,
) -> Server:
    """Start ``kg serve`` (the command ``kg``, run in ``cwd``) and wait until ``/healthz``
    answers."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    environment.update(env)
    if token:
        environment["KG_API_TOKEN"] = token
    handle = log.open("wb")
    process = subprocess.Popen(
        [
            *kg,
            "serve",
            "--store",
            str(store),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=environment,
        cwd=cwd,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kg serve exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return Server(url, store, log, process, token)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("kg serve did not start in time")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def add_protocol_graphs(path: Path) -> None:
    """The graphs the SPARQL protocol tests expect: each ``dataN.rdf`` typed a foaf:Document
    in the named graph of its own IRI."""
    store = EmbeddedStore(path)
    for iri in PROTOCOL_GRAPHS:
        node = NamedNode(iri)
        store.replace_graph(node, [Quad(node, RDF_TYPE, FOAF_DOCUMENT, node)])
    store.close()


def dump(path: Path) -> bytes:
    store = Store(str(path))
    data = store.dump(format=RdfFormat.N_QUADS) or b""
    del store
    return data


@pytest.fixture(scope="session")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Read-only server over the seed graph plus the protocol test graphs."""
    root = tmp_path_factory.mktemp("api-server")
    store = root / "store"
    shutil.copytree(seed_store_dir, store)
    add_protocol_graphs(store)
    union = dump(store)
    env = {
        "KG_QUERY_TIMEOUT": "20",
        "KG_RESULT_LIMIT": str(ROW_LIMIT),
        "KG_MAX_QUERY_CHARS": str(MAX_QUERY_CHARS),
        "KG_MAX_BODY_BYTES": str(MAX_BODY_BYTES),
    }
    running = start_server(store, root / "server.log", env)
    running.union_nquads = union
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def token_server(
    seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server that takes updates and articles with its token; its store is its own."""
    root = tmp_path_factory.mktemp("api-token-server")
    store = root / "store"
    shutil.copytree(seed_store_dir, store)
    running = start_server(store, root / "server.log", {}, token=secrets.token_urlsafe(32))
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def limits_server(
    seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """Read-only, a one-second query time limit, two SPARQL workers, no row limit to speak of."""
    root = tmp_path_factory.mktemp("api-limits-server")
    store = root / "store"
    shutil.copytree(seed_store_dir, store)
    env = {"KG_QUERY_TIMEOUT": "1", "KG_QUERY_WORKERS": "2", "KG_RESULT_LIMIT": "100000000"}
    running = start_server(store, root / "server.log", env)
    yield running
    stop_server(running)


@pytest.fixture()
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


class Launcher:
    """Starts servers for one test and stops any still running at its end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.running: list[Server] = []

    def start(
        self, store: Path, env: dict[str, str] | None = None, token: str | None = None
    ) -> Server:
        log = self.root / f"server-{len(self.running)}.log"
        running = start_server(store, log, env or {}, token)
        self.running.append(running)
        return running

    def stop(self, running: Server) -> None:
        stop_server(running)


@pytest.fixture()
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    launch = Launcher(tmp_path)
    yield launch
    for running in launch.running:
        stop_server(running)
