"""Rows 3 and 4: our server (``kg serve``) and ``oxigraph serve`` on loopback, driven by a
bounded asyncio client with a fixed number of concurrent connections.

The client runs in this process, on the same two cores as the server it drives; both
servers are driven by the same client the same way, so its cost is in both figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.measure import percentile

SPARQL_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Request:
    """One HTTP request of a load run; ``label`` groups latencies (a query's name)."""

    label: str
    method: str
    path: str
    content: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def sparql_request(label: str, path: str, query: str) -> Request:
    """A SPARQL 1.1 Protocol query by POST, asking for JSON results."""
    return Request(
        label,
        "POST",
        path,
        query.encode("utf-8"),
        (("Content-Type", "application/sparql-query"), ("Accept", SPARQL_JSON)),
    )


@dataclass
class LoadResult:
    """Latencies (seconds) per label, the wall time of the run and what went wrong."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    wall: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]

    @property
    def requests_per_second(self) -> float:
        return len(self.all) / self.wall if self.wall else float("nan")

    def p(self, q: float, label: str | None = None) -> float:
        return percentile(self.latencies.get(label, []) if label else self.all, q)


async def _drive(
    base: str, requests: Sequence[Request], clients: int, timeout: float
) -> LoadResult:
    result = LoadResult()
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:

        async def worker() -> None:
            while True:
                try:
                    request = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                began = time.perf_counter()
                try:
                    response = await client.request(
                        request.method,
                        request.path,
                        content=request.content or None,
                        headers=dict(request.headers),
                    )
                    await response.aread()
                except httpx.HTTPError as exc:
                    result.errors.append(f"{request.label}: {type(exc).__name__}")
                    continue
                elapsed = time.perf_counter() - began
                if response.status_code != 200:
                    result.errors.append(f"{request.label}: HTTP {response.status_code}")
                    continue
                result.latencies.setdefault(request.label, []).append(elapsed)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        result.wall = time.perf_counter() - began
    return result


def drive(
    base: str, requests: Sequence[Request], clients: int, timeout: float = 120.0
) -> LoadResult:
    """Send every request once, ``clients`` at a time, and time each one."""
    return asyncio.run(_drive(base, requests, clients, timeout))


def result_rows(base: str, request: Request, timeout: float = 120.0) -> int:
    """How many solutions a SPARQL query returns (to check both servers agree)."""
    response = httpx.request(
        request.method,
        base + request.path,
        content=request.content,
        headers=dict(request.headers),
        timeout=timeout,
    )
    response.raise_for_status()
    bindings = json.loads(response.content)["results"]["bindings"]
    return len(bindings)


@contextlib.contextmanager
def running(command: Sequence[str], ready: str, log: Path, timeout: float = 90.0) -> Iterator[None]:
    """Start a server, wait until ``ready`` answers, and stop it (SIGTERM, then SIGKILL)."""
    env = {k: v for k, v in os.environ.items() if k not in ("KG_API_TOKEN", "KG_STORE")}
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_ready(process, ready, timeout, log)
            yield
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(process: subprocess.Popen[bytes], url: str, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text("utf-8", "replace")[-2000:]
            raise RuntimeError(f"server exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready at {url} after {timeout:.0f} s")
