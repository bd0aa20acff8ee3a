"""Crashes: `kill -9` of a running ingest (the `kg ingest` process, or the server in the middle
of ``POST /ingest``) leaves a store that opens and holds only whole sources, each exactly as a
clean ingest makes it, and running the ingest again completes the store without duplicates."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.prefixes import SPARQL_PREFIXES
from tests.graphs import comparable

from .conftest import (
    CORPUS_SIZE,
    KG_COMMAND,
    TOKEN,
    Corpus,
    Graphs,
    Run,
    Server,
    clean_env,
    count_through,
    has_source_node,
    quad_count,
    read_graphs,
    same_graph,
    same_graphs,
    source_graphs,
)

# Kill once this many articles are stored: well inside the run, never at its end.
KILL_AFTER = CORPUS_SIZE // 5
_PROGRESS = re.compile(rb"(\d+)/" + str(CORPUS_SIZE).encode())


def assert_only_whole_sources(graphs: Graphs, corpus: Corpus) -> int:
    """Every stored source graph is complete: its Source node and exactly the quads a clean
    ingest gives it (but for the time it was ingested). Returns how many there are."""
    sources = source_graphs(graphs)
    for graph, quads in sources.items():
        assert has_source_node(graph, quads), graph
        expected = corpus.reference[graph]
        assert comparable(quads) == comparable(expected), f"{graph} differs from a clean ingest"
    for graph in set(graphs) - set(sources):
        assert same_graph(graphs[graph], corpus.reference[graph]), graph
    return len(sources)


def wait_for_progress(process: subprocess.Popen[bytes], done: int, timeout: float) -> int:
    """Read the progress bar on the process's stderr until it shows ``done`` articles stored;
    returns the count it showed."""
    assert process.stderr is not None
    fd = process.stderr.fileno()
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            assert process.poll() is None, f"ingest ended early: {seen[-500:]!r}"
            continue
        chunk = os.read(fd, 65536)
        assert chunk, f"ingest closed stderr: {seen[-500:]!r}"
        seen = (seen + chunk)[-4096:]
        counts = [int(n) for n in _PROGRESS.findall(seen)]
        if counts and max(counts) >= done:
            return max(counts)
    pytest.fail(f"no progress to {done} articles within {timeout:.0f} s: {seen[-500:]!r}")


@pytest.mark.slow
def test_kill_9_during_kg_ingest_keeps_whole_sources_and_a_rerun_completes(
    corpus: Corpus,
    tmp_path: Path,
    kg_runner: Callable[..., Run],
    process_group: list[subprocess.Popen[bytes]],
) -> None:
    store = tmp_path / "store"
    process = subprocess.Popen(
        [*KG_COMMAND, "ingest", str(corpus.folder), "--store", str(store)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=clean_env(),
        start_new_session=True,
    )
    process_group.append(process)
    shown = wait_for_progress(process, KILL_AFTER, timeout=120)
    os.killpg(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    assert shown < CORPUS_SIZE

    # Only now, with the writer dead, is the store read (read-only).
    stored = assert_only_whole_sources(read_graphs(store), corpus)
    assert KILL_AFTER <= stored < CORPUS_SIZE, stored

    # The second run spreads extraction over two processes: the result must not depend on it.
    rerun = kg_runner("ingest", str(corpus.folder), "--store", str(store), "-q", "-w", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert f"ingested {CORPUS_SIZE} sources" in rerun.stdout
    graphs = read_graphs(store)
    assert assert_only_whole_sources(graphs, corpus) == CORPUS_SIZE
    assert same_graphs(graphs, corpus.reference)
    assert quad_count(graphs) == quad_count(corpus.reference)


def stored_sources(server: Server) -> int:
    """Sources the server reports stored (asked through it: the store is its own)."""
    query = SPARQL_PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a kg:Source } }"
    return count_through(server, query)


@pytest.mark.slow
def test_kill_9_of_the_server_during_post_ingest_keeps_whole_sources(
    corpus: Corpus,
    tmp_path: Path,
    kg_runner: Callable[..., Run],
    serve: Callable[..., Server],
    process_group: list[subprocess.Popen[bytes]],
) -> None:
    store = tmp_path / "store"
    server = serve(store, KG_API_TOKEN=TOKEN)
    client = subprocess.Popen(
        [*KG_COMMAND, "ingest", str(corpus.folder), "--server", server.url, "-q"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(KG_API_TOKEN=TOKEN),
        start_new_session=True,
    )
    process_group.append(client)
    deadline = time.monotonic() + 180
    while stored_sources(server) < KILL_AFTER:
        assert client.poll() is None, client.communicate()
        assert time.monotonic() < deadline, "the server stored too little in time"
        time.sleep(0.2)
    os.killpg(server.process.pid, signal.SIGKILL)
    assert server.process.wait(timeout=30) == -signal.SIGKILL
    # The client says in one line that the server went away, and fails.
    _, err = client.communicate(timeout=60)
    assert client.returncode != 0
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err.decode(), err.decode()

    stored = assert_only_whole_sources(read_graphs(store), corpus)
    assert KILL_AFTER <= stored < CORPUS_SIZE, stored

    # A new server on the same store (the old one's address file is stale) takes the rest.
    again = serve(store, KG_API_TOKEN=TOKEN)
    rerun = kg_runner("ingest", str(corpus.folder), "--server", again.url, "-q", KG_API_TOKEN=TOKEN)
    assert rerun.returncode == 0, rerun.stderr
    assert stored_sources(again) == CORPUS_SIZE
    again.stop()
    graphs = read_graphs(store)
    assert assert_only_whole_sources(graphs, corpus) == CORPUS_SIZE
    assert same_graphs(graphs, corpus.reference)
    assert quad_count(graphs) == quad_count(corpus.reference)


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB in-memory file system (needs root, as CI has), unmounted at the end."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


@pytest.mark.slow
def test_a_full_disk_stops_the_ingest_cleanly_and_a_rerun_completes(
    corpus: Corpus, small_disk: Path, kg_runner: Callable[..., Run]
) -> None:
    store = small_disk / "store"
    run = kg_runner("ingest", str(corpus.folder), "--store", str(store), "-q")

    assert run.returncode == 1, run.stderr
    (line,) = run.error_lines
    assert line.startswith(f"kg: cannot write to the store {store}: ") and "space" in line, line

    # Room again (as after deleting other files): the store opens with whole sources only.
    subprocess.run(["mount", "-o", "remount,size=256m", str(small_disk)], check=True)
    stored = assert_only_whole_sources(read_graphs(store), corpus)
    assert 0 < stored < CORPUS_SIZE, stored

    rerun = kg_runner("ingest", str(corpus.folder), "--store", str(store), "-q")
    assert rerun.returncode == 0, rerun.stderr
    graphs = read_graphs(store)
    assert assert_only_whole_sources(graphs, corpus) == CORPUS_SIZE
    assert same_graphs(graphs, corpus.reference)
