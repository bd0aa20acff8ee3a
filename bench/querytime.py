"""Query latency in-process over a store on disk, in a separate process so that a query that
runs away on a large store can be stopped at a deadline instead of stalling the benchmark.

The child imports nothing but pyoxigraph, so starting it costs little. Queries see the union
of all graphs as their default graph, as through ``/sparql``, and results are serialized to
SPARQL JSON, the work a server does before it answers.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from bench.measure import median


def _child(conn: Connection, location: str, queries: list[tuple[str, str]], runs: int) -> None:
    from pyoxigraph import QueryResultsFormat, QuerySolutions, Store

    store = Store.read_only(location)
    conn.send(("ready", 0.0))
    for name, text in queries:
        for _ in range(runs):
            began = time.perf_counter()
            result = store.query(text, use_default_graph_as_union=True)
            if isinstance(result, QuerySolutions):
                result.serialize(io.BytesIO(), QueryResultsFormat.JSON)
            conn.send((name, time.perf_counter() - began))


def query_p50s(
    location: Path, queries: Sequence[tuple[str, str]], runs: int, deadline: float
) -> dict[str, float]:
    """Median seconds of each query over ``runs``; ``inf`` for a query one of whose runs did
    not finish within ``deadline`` seconds (the process is then killed and a new one goes on
    with the next query)."""
    context = multiprocessing.get_context("spawn")
    remaining = list(queries)
    times: dict[str, list[float]] = {}
    found: dict[str, float] = {}
    while remaining:
        parent, child = context.Pipe()
        process = context.Process(target=_child, args=(child, str(location), remaining, runs))
        process.start()
        try:
            if not parent.poll(120):
                raise RuntimeError(f"query process did not open {location}")
            parent.recv()
            while remaining:
                name = remaining[0][0]
                if not parent.poll(deadline):
                    found[name] = math.inf
                    remaining = remaining[1:]
                    break
                _, seconds = parent.recv()
                times.setdefault(name, []).append(seconds)
                if len(times[name]) == runs:
                    found[name] = median(times[name])
                    remaining = remaining[1:]
        finally:
            if process.is_alive():
                process.kill()
            process.join()
    return found
