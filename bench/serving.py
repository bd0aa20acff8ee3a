"""Rows 3 and 4: the ``ontology/queries`` set through our ``/sparql`` against the same queries
sent to ``oxigraph serve`` over the same quads, and ``/countries/{code}`` against
``/healthz`` on our own server (the REST API has no outside counterpart).

Oxigraph is started with ``--union-default-graph`` so that, like our endpoint, a query
without ``GRAPH`` sees the union of every source's graph; the row counts of every query are
compared between the two servers before anything is timed.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.measure import Row, fmt_ms, fmt_rate, fmt_s, free_port, median, safe_ratio
from bench.servers import LoadResult, Request, drive, result_rows, running, sparql_request

LOAD_LIMIT = 5.0  # seconds: slower queries would take the load runs past the time budget
QUERIES_DIR = Path(__file__).resolve().parent.parent / "ontology" / "queries"
STATES_WITH_PLEDGES = """PREFIX kg: <https://w3id.org/pledgekg/ontology#>
SELECT DISTINCT ?iso WHERE { ?p a kg:Pledge ; kg:pledgedBy ?s . ?s kg:isoCode ?iso }
ORDER BY ?iso"""


def load_queries(directory: Path = QUERIES_DIR) -> list[tuple[str, str]]:
    """``(name, text)`` of every ``.rq`` file, by name."""
    return [(p.stem, p.read_text("utf-8")) for p in sorted(directory.glob("*.rq"))]


@dataclass
class Runs:
    """Repeated load runs of one server at one concurrency."""

    results: list[LoadResult] = field(default_factory=list)

    def p(self, q: float, label: str | None = None) -> float:
        return median([r.p(q, label) for r in self.results])

    @property
    def rps(self) -> float:
        return median([r.requests_per_second for r in self.results])

    @property
    def errors(self) -> list[str]:
        return [e for r in self.results for e in r.errors]


@dataclass
class ServingResult:
    """What rows 3 and 4 measured."""

    queries: list[str]
    clients: int
    ours: dict[int, Runs] = field(default_factory=dict)
    oxigraph: dict[int, Runs] = field(default_factory=dict)
    countries: Runs = field(default_factory=Runs)
    healthz: Runs = field(default_factory=Runs)
    mismatches: list[str] = field(default_factory=list)
    requests: dict[int, int] = field(default_factory=dict)
    left_out: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        runs = len(self.ours[1].results)
        return (
            f"SPARQL: {len(self.queries)} queries; per run {self.requests[1]} requests from 1 "
            f"client and {self.requests[self.clients]} from {self.clients}, median of {runs} runs; "
            f"REST: {self.requests[0]} requests per run, median of {len(self.countries.results)}."
        )

    def rows(self) -> list[Row]:
        rows: list[Row] = []
        if self.left_out:
            slow = ", ".join(
                f"{name} ({'past the deadline' if math.isinf(v) else fmt_s(v)})"
                for name, v in sorted(self.left_out.items())
            )
            rows.append(
                Row(
                    "3",
                    f"SPARQL: left out (over {LOAD_LIMIT:g} s)",
                    slow,
                    "same engine, same queries",
                    None,
                )
            )
        for clients in (1, self.clients):
            ours, base = self.ours[clients], self.oxigraph[clients]
            tag = f"{clients} client{'s' if clients > 1 else ''}"
            rows += [
                Row(
                    "3",
                    f"SPARQL p50, {tag}",
                    fmt_ms(ours.p(50)),
                    fmt_ms(base.p(50)),
                    safe_ratio(base.p(50), ours.p(50)),
                    0.5,
                ),
                Row(
                    "3",
                    f"SPARQL p99, {tag}",
                    fmt_ms(ours.p(99)),
                    fmt_ms(base.p(99)),
                    safe_ratio(base.p(99), ours.p(99)),
                ),
                Row(
                    "3",
                    f"SPARQL req/s, {tag}",
                    fmt_rate(ours.rps, "req/s"),
                    fmt_rate(base.rps, "req/s"),
                    safe_ratio(ours.rps, base.rps),
                ),
            ]
        single_ours, single_base = self.ours[1], self.oxigraph[1]
        for name in self.queries:
            ours_p50, base_p50 = single_ours.p(50, name), single_base.p(50, name)
            rows.append(
                Row(
                    "3",
                    f"SPARQL p50, 1 client: {name}",
                    fmt_ms(ours_p50),
                    fmt_ms(base_p50),
                    safe_ratio(base_p50, ours_p50),
                    0.5,
                )
            )
        tag = f"{self.clients} clients"
        rows += [
            Row(
                "4",
                f"REST /countries/{{code}} req/s vs /healthz, {tag}",
                fmt_rate(self.countries.rps, "req/s"),
                fmt_rate(self.healthz.rps, "req/s"),
                safe_ratio(self.countries.rps, self.healthz.rps),
            ),
            Row(
                "4",
                f"REST /countries/{{code}} p99 vs /healthz, {tag}",
                fmt_ms(self.countries.p(99)),
                fmt_ms(self.healthz.p(99)),
                safe_ratio(self.healthz.p(99), self.countries.p(99)),
            ),
        ]
        return rows


def measure_serving(
    kg: str,
    oxigraph: str,
    our_store: Path,
    oxigraph_store: Path,
    work: Path,
    queries: list[tuple[str, str]],
    *,
    repeats: int,
    rounds: int,
    clients: int,
    log: Any = sys.stderr,
) -> ServingResult:
    """Run rows 3 and 4 with both servers up side by side, over ``queries``."""
    result = ServingResult([name for name, _ in queries], clients)
    our_port, oxigraph_port = free_port(), free_port()
    ours = f"http://127.0.0.1:{our_port}"
    base = f"http://127.0.0.1:{oxigraph_port}"
    our_command = [kg, "serve", "--store", str(our_store), "--host", "127.0.0.1"]
    oxigraph_command = [oxigraph, "serve-read-only", "--location", str(oxigraph_store)]
    oxigraph_command += ["--bind", f"127.0.0.1:{oxigraph_port}", "--union-default-graph"]
    with (
        running([*our_command, "--port", str(our_port)], ours + "/healthz", work / "kg.log"),
        running(oxigraph_command, base + "/", work / "oxigraph.log"),
    ):
        ours_requests = [sparql_request(n, "/sparql", q) for n, q in queries]
        base_requests = [sparql_request(n, "/query", q) for n, q in queries]
        for mine, theirs in zip(ours_requests, base_requests, strict=True):
            a, b = result_rows(ours, mine), result_rows(base, theirs)
            if a != b:
                result.mismatches.append(f"{mine.label}: ours {a} rows, Oxigraph {b}")
            print(f"  {mine.label}: {a} rows", file=log, flush=True)
        for concurrency in (1, clients):
            # One client sends every query `rounds` times; with many clients each sends about
            # three, in whole rounds of the set.
            count = rounds if concurrency == 1 else math.ceil(3 * concurrency / len(queries))
            result.requests[concurrency] = count * len(queries)
            mine_runs = result.ours.setdefault(concurrency, Runs())
            their_runs = result.oxigraph.setdefault(concurrency, Runs())
            for index in range(repeats):
                pairs = [(ours, ours_requests * count, mine_runs)]
                pairs.append((base, base_requests * count, their_runs))
                for url, requests, runs in pairs if index % 2 == 0 else pairs[::-1]:
                    runs.results.append(drive(url, requests, concurrency))
                print(
                    f"  sparql {concurrency} client(s) run {index + 1}: ours p50 "
                    f"{mine_runs.results[-1].p(50) * 1000:.1f} ms, Oxigraph p50 "
                    f"{their_runs.results[-1].p(50) * 1000:.1f} ms",
                    file=log,
                    flush=True,
                )
        codes = _country_codes(ours)
        count = clients * 2
        result.requests[0] = count
        countries = [
            Request("countries", "GET", f"/countries/{codes[i % len(codes)]}") for i in range(count)
        ]
        health = [Request("healthz", "GET", "/healthz")] * count
        for _ in range(repeats):
            result.countries.results.append(drive(ours, countries, clients))
            result.healthz.results.append(drive(ours, health, clients))
    for runs in [
        *result.ours.values(),
        *result.oxigraph.values(),
        result.countries,
        result.healthz,
    ]:
        if runs.errors:
            raise RuntimeError(f"requests failed: {sorted(set(runs.errors))[:5]}")
    return result


def _country_codes(base: str) -> list[str]:
    response = httpx.post(
        base + "/sparql",
        content=STATES_WITH_PLEDGES.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
        timeout=60,
    )
    response.raise_for_status()
    codes = [b["iso"]["value"] for b in response.json()["results"]["bindings"]]
    return codes or ["FR"]
