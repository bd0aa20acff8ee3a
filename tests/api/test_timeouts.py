"""The query time limit: what pyoxigraph allows (measured in-process), and what the server
does with it (on a server with a one-second limit and two SPARQL workers).

See ``api.runner`` for the behaviour these tests pin down.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from pyoxigraph import QuerySolutions, Store

if TYPE_CHECKING:
    from tests.api.conftest import Server

pytestmark = pytest.mark.slow

LAZY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""Billions of rows, produced one at a time."""
BLOCKING = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?k { 1 2 3 4 5 6 } }"
"""Tens of millions of rows counted inside one call: seconds of work that cannot be cut short,
well past the one-second limit even on a fast idle machine (the bare cross product of the
seed graph takes about 0.6 s there, too close to the limit)."""


@pytest.fixture(scope="module")
def seed(seed_store_dir: Path) -> Store:
    return Store.read_only(str(seed_store_dir))


def test_lazy_results_start_at_once(seed: Store) -> None:
    started = time.monotonic()
    result = seed.query(LAZY, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    next(iter(result))
    assert time.monotonic() - started < 0.5


def test_aggregates_do_their_work_inside_query(seed: Store) -> None:
    started = time.monotonic()
    seed.query(BLOCKING, use_default_graph_as_union=True)
    assert time.monotonic() - started > 1.5


def test_evaluation_releases_the_gil(seed: Store) -> None:
    """Python keeps running on another thread while pyoxigraph evaluates."""

    def spin(seconds: float) -> int:
        count, end = 0, time.monotonic() + seconds
        while time.monotonic() < end:
            count += 1
        return count

    baseline = spin(0.3) / 0.3
    done = threading.Event()

    def evaluate() -> None:
        seed.query(BLOCKING, use_default_graph_as_union=True)
        done.set()

    worker = threading.Thread(target=evaluate)
    started = time.monotonic()
    worker.start()
    count = 0
    while not done.is_set():
        count += spin(0.05)
    rate = count / (time.monotonic() - started)
    worker.join()
    assert rate > 0.2 * baseline, (rate, baseline)


def busy(client: httpx.Client) -> int:
    value: int = client.get("/healthz").json()["busy"]["sparql"]
    return value


def wait_idle(client: httpx.Client, seconds: float = 60) -> float:
    started = time.monotonic()
    while busy(client):
        assert time.monotonic() - started < seconds, "a SPARQL worker stayed busy"
        time.sleep(0.05)
    return time.monotonic() - started


def test_blocking_query_gets_503_at_the_deadline_and_others_are_served(
    limits_server: Server,
) -> None:
    with limits_server.client() as client:
        wait_idle(client)
        results: dict[str, object] = {}

        def slow() -> None:
            started = time.monotonic()
            response = client.post("/sparql", data={"query": BLOCKING})
            results["status"] = response.status_code
            results["detail"] = response.json().get("detail")
            results["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.2)
        latencies = []
        while thread.is_alive():
            started = time.monotonic()
            assert client.get("/countries/ES").status_code == 200
            latencies.append(time.monotonic() - started)
        thread.join()
        assert results["status"] == 503
        assert "time limit of 1 s" in str(results["detail"])
        assert 0.9 < float(results["seconds"]) < 3.0  # type: ignore[arg-type]
        assert latencies and max(latencies) < 1.0, latencies
        # the evaluation cannot be interrupted: its thread is freed only when it ends
        wait_idle(client)


def test_lazy_query_is_stopped_and_its_worker_freed(limits_server: Server) -> None:
    with limits_server.client() as client:
        wait_idle(client)
        started = time.monotonic()
        with pytest.raises(httpx.HTTPError):  # noqa: PT012 - the cut comes while reading
            with client.stream("POST", "/sparql", data={"query": LAZY}) as response:
                assert response.status_code == 200
                for _ in response.iter_bytes():
                    pass
        assert time.monotonic() - started < 5
        assert wait_idle(client, 5) < 1.5


def test_busy_workers_give_503_and_rest_still_answers(limits_server: Server) -> None:
    with limits_server.client() as client:
        wait_idle(client)
        with ThreadPoolExecutor(2) as pool:
            blockers = [
                pool.submit(client.post, "/sparql", data={"query": BLOCKING}) for _ in range(2)
            ]
            time.sleep(0.3)
            queued = client.get("/sparql", params={"query": "ASK {}"})
            assert client.get("/countries/ES").status_code == 200
            assert [b.result().status_code for b in blockers] == [503, 503]
        assert queued.status_code == 503
        assert "busy" in queued.json()["detail"]
        wait_idle(client)
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
