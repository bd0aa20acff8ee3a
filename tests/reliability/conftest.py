"""Reliability fixtures: running `kg` as a real process (with its exit status, output and peak
memory), reading a store on disk, and a generated corpus with a reference store built from it.

Every process started here is bounded in time and killed with its whole process group when a
test ends, so a hung ingest or server cannot outlive the test that started it.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, serialize
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.claims import CHANGES_GRAPH
from kg.clean import clean_text
from kg.config import Settings
from kg.ingest import ingest
from kg.ingest.engines import local
from kg.ingest.sinks import StoreSink
from kg.pipeline import read_all
from kg.prefixes import KG
from kg.rdf import SOURCE_PREFIX
from kg.store import EmbeddedStore
from tests.graphs import comparable
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
KG_COMMAND = (sys.executable, "-m", "kg.cli")
# Articles in the generated corpus: enough that a kill lands in the middle of the ingest.
CORPUS_SIZE = 200
SERVER_STARTUP_SECONDS = 60.0
TOKEN = "reliability-test-token-7f3a9c2e5b8d4f61"

Graphs = dict[str, frozenset[Quad]]


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any KG_ setting, plus ``extra``: the tests say
    exactly which settings a process gets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(extra)
    return env


@dataclass
class Run:
    """A finished `kg` process."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kib: int

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def run_kg(args: Sequence[str], tmp_path: Path, *, timeout: float = 120.0, **env: str) -> Run:
    """Run `kg ARGS` to its end (killed after ``timeout`` seconds) and measure it.

    Peak memory comes from the kernel's accounting of this one child (``wait4``), so it is the
    whole process's high-water mark, not a sample.
    """
    out, err = tmp_path / "kg.stdout", tmp_path / "kg.stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        process = subprocess.Popen(
            [*KG_COMMAND, *args],
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env=clean_env(**env),
            start_new_session=True,
        )
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                os.wait4(process.pid, 0)
                pytest.fail(f"`kg {' '.join(args)}` still running after {timeout:.0f} s")
            time.sleep(0.05)
        seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        returncode=process.returncode,
        stdout=out.read_text("utf-8", errors="replace"),
        stderr=err.read_text("utf-8", errors="replace"),
        seconds=seconds,
        max_rss_kib=usage.ru_maxrss,
    )


def read_graphs(path: Path) -> Graphs:
    """Every named graph of a store on disk and its quads, read through a read-only handle."""
    store = EmbeddedStore(path, read_only=True)
    try:
        return {g.value: frozenset(store.graph_quads(g)) for g in store.graphs()}
    finally:
        store.close()


def source_graphs(graphs: Graphs) -> Graphs:
    """Only the per-source graphs."""
    return {g: quads for g, quads in graphs.items() if g.startswith(SOURCE_PREFIX)}


def has_source_node(graph: str, quads: frozenset[Quad]) -> bool:
    """True when a source graph holds its own ``kg:Source`` node."""
    source = NamedNode(graph)
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return Quad(source, rdf_type, NamedNode(KG + "Source"), source) in quads


def quad_count(graphs: Graphs) -> int:
    """Quads of every graph but the change log, which records how the store was written (one
    event per run or batch), not what it holds."""
    return sum(len(quads) for graph, quads in graphs.items() if graph != CHANGES_GRAPH.value)


def same_graph(left: frozenset[Quad], right: frozenset[Quad]) -> bool:
    """Equal quads but for the time each was ingested, with blank nodes (the ontology's lists)
    compared by isomorphism."""
    left, right = comparable(left), comparable(right)
    if not any(isinstance(term, BlankNode) for quad in left | right for term in quad):
        return left == right

    def as_rdflib(quads: frozenset[Quad]) -> Graph:
        data = serialize((q.triple for q in quads), None, RdfFormat.N_TRIPLES) or b""
        return Graph().parse(data=data, format="nt")

    return len(left) == len(right) and isomorphic(as_rdflib(left), as_rdflib(right))


def same_graphs(left: Graphs, right: Graphs) -> bool:
    """The same named graphs, each with the same content."""
    return left.keys() == right.keys() and all(same_graph(left[g], right[g]) for g in left)


def write_corpus(target: Path, size: int) -> list[Path]:
    """``size`` short articles made from windows of the seeds' English paragraphs, each with
    its own URL (so its own source)."""
    target.mkdir(parents=True, exist_ok=True)
    paragraphs = []
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in seed.read_text("utf-8").split("\n")]
        # Whole-article language checks must pass, so windows take only English paragraphs.
        paragraphs.append([line for line in lines if len(line.split()) >= 8 and _english(line)])
    files = []
    for number in range(size):
        pool = paragraphs[number % len(paragraphs)]
        start = (number // len(paragraphs)) % len(pool)
        body = "\n".join(pool[(start + step) % len(pool)] for step in range(3))
        path = target / f"article-{number:04d}.txt"
        path.write_text(
            f"url: https://example.org/reliability/{number}\ntitle: Variant {number}\n\n{body}\n",
            "utf-8",
        )
        files.append(path)
    return files


def _english(paragraph: str) -> bool:
    return bool(clean_text(paragraph).paragraphs)


@dataclass(frozen=True)
class Corpus:
    """The generated articles and the store a clean, uninterrupted ingest of them makes."""

    folder: Path
    files: tuple[Path, ...]
    reference: Graphs
    store: Path

    def copy_store(self, target: Path) -> Path:
        """A private copy of the reference store, for a test to serve or change."""
        shutil.copytree(self.store, target)
        return target


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """A few hundred generated articles and their reference graphs (built once)."""
    root = tmp_path_factory.mktemp("corpus")
    files = write_corpus(root / "articles", CORPUS_SIZE)
    store_path = root / "reference-store"
    settings = Settings(store=str(store_path))
    articles, errors = read_all([root / "articles"], settings)
    assert not errors, errors
    store = EmbeddedStore(store_path)
    try:
        summary = ingest(articles, local(settings), StoreSink(store, settings))
    finally:
        store.close()
    assert summary.sources == CORPUS_SIZE and not summary.errors, summary.line()
    return Corpus(root / "articles", tuple(files), read_graphs(store_path), store_path)


@pytest.fixture()
def kg_runner(tmp_path: Path) -> Callable[..., Run]:
    """``run_kg`` bound to this test's temporary folder."""

    def run(*args: str, timeout: float = 120.0, **env: str) -> Run:
        return run_kg(args, tmp_path, timeout=timeout, **env)

    return run


@pytest.fixture()
def process_group() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts in their own session; any still alive at the end are killed
    with their children."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@dataclass
class Server:
    """A running `kg serve` process."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    store: Path
    log: Path

    def rss_kib(self) -> int:
        """The server's resident memory now, from the kernel's process status."""
        return _rss_kib(self.process.pid) or 0

    def workers(self) -> set[int]:
        """The process ids of the server's query workers (its children)."""
        found: set[int] = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found.update(int(pid) for pid in (task / "children").read_text().split())
        return found

    def tree_rss_kib(self) -> int:
        """Resident memory of the server and its query workers together."""
        return self.rss_kib() + sum(_rss_kib(pid) or 0 for pid in self.workers())

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def stop(self) -> None:
        """Stop it the way an operator would (SIGTERM), killing it if it does not go."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)


def _rss_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the process has just ended
        return None
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else None


def count_through(server: Server, query: str) -> int:
    """The ``?n`` of a one-row COUNT query, asked through the server (the store is its own)."""
    response = httpx.get(
        f"{server.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def start_server(
    store: Path,
    log_dir: Path,
    *,
    args: Sequence[str] = (),
    open_files: int | None = None,
    **env: str,
) -> Server:
    """Start `kg serve` on ``store`` (with exactly the KG_ settings in ``env``, and at most
    ``open_files`` descriptors when given) and wait until it answers ``/healthz``."""
    port = free_port()
    log = log_dir / f"server-{port}.log"

    def limit_files() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    with log.open("wb") as handle:
        process = subprocess.Popen(
            [*KG_COMMAND, "serve", "--store", str(store), "--port", str(port), *args],
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=clean_env(**env),
            start_new_session=True,
            preexec_fn=limit_files,  # noqa: PLW1509 - only setrlimit, before exec
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, store, log)
    deadline = time.monotonic() + SERVER_STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`kg serve` exited with {process.returncode}: {server.output()[-2000:]}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2.0).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    pytest.fail(f"`kg serve` did not answer within {SERVER_STARTUP_SECONDS:.0f} s")


@pytest.fixture()
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start servers for one test (``serve(store, **KG_settings)``); all stopped at its end."""
    servers: list[Server] = []

    def start(
        store: Path, *, args: Sequence[str] = (), open_files: int | None = None, **env: str
    ) -> Server:
        server = start_server(store, tmp_path, args=args, open_files=open_files, **env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=20)
