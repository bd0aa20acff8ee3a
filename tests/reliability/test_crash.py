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
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import (
    CORPUS_SIZE,
    KG_COMMAND,
    Corpus,
    Graphs,
    Run,
    clean_env,
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
    ingest gives it. Returns how many there are."""
    sources = source_graphs(graphs)
    for graph, quads in sources.items():
        assert has_source_node(graph, quads), graph
        assert quads == corpus.reference[graph], f"{graph} differs from a clean ingest"
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
