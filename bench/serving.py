"""Rows 3 and 4: the ``ontology/queries`` set through our ``/sparql`` against the same queries
sent to ``oxigraph serve`` over the same quads, and ``/countries/{code}`` against
``/healthz`` on our own server (the REST API has no outside counterpart).

Oxigraph is started with ``--union-default-graph`` so that, like our endpoint, a query
without ``GRAPH`` sees the union of every source's graph; the row counts of every query are
compared between the two servers before anything is timed.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.measure import Row, fmt_ms, fmt_rate, free_port, median, safe_ratio
from bench.servers import LoadResult, Request, drive, result_rows, running, sparql_request

LOAD_LIMIT = 1.0  # seconds in-process: slower queries would take the load runs over budget
QUERIES_DIR = Path(__file__).resolve().parent.parent / "ontology" / "queries"
STATES_WITH_PLEDGES = """PREFIX kg: <https://w3id.org/pledgekg/ontology#>
SELECT DISTINCT ?iso WHERE { ?p a kg:Pledge ; kg:pledgedBy ?s . ?s kg:isoCode ?iso }
ORDER BY ?iso"""


def load_queries(directory: Path = QUERIES_DIR) -> list[tuple[str, str]]:
    """``(name, text)`` of every ``.rq`` file that asks for result rows (SELECT), by name:
    both servers answer those in one results format."""
    found = [(p.stem, p.read_text("utf-8")) for p in sorted(directory.glob("*.rq"))]
    return [(name, text) for name, text in found if _form(text) == "SELECT"]


def _form(text: str) -> str:
    """A query's form, the first of its keywords outside comments."""
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    match = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", code, re.IGNORECASE)
    return match.group(1).upper() if match else ""


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

    def failures(self) -> str:
        """`` (3 of 48 failed: HTTP 503)`` when some requests failed, else nothing."""
        if not self.errors:
            return ""
        total = len(self.errors) + sum(len(r.all) for r in self.results)
        common = Counter(e.split(": ", 1)[-1] for e in self.errors).most_common(1)[0][0]
        return f" ({len(self.errors)} of {total} failed: {common})"


@dataclass
class ServingResult:
    """What rows 3 and 4 measured."""

    queries: list[str]
    slow: list[str]
    clients: int
    ours: dict[int, Runs] = field(default_factory=dict)
    oxigraph: dict[int, Runs] = field(default_factory=dict)
    ours_slow: Runs = field(default_factory=Runs)
    oxigraph_slow: Runs = field(default_factory=Runs)
    countries: Runs = field(default_factory=Runs)
    healthz: Runs = field(default_factory=Runs)
    mismatches: list[str] = field(default_factory=list)
    requests: dict[int, int] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)

    def describe(self) -> str:
        runs = len(self.ours[1].results)
        text = (
            f"SPARQL: {len(self.queries)} queries under {LOAD_LIMIT:g} s in-process in the load "
            f"runs, {self.requests[1]} requests from 1 client and {self.requests[self.clients]} "
            f"from {self.clients} per run, median of {runs} runs"
        )
        if self.slow:
            text += f"; {', '.join(self.slow)} sent alone, once per run"
        if self.left_out:
            text += f"; left out, no answer within the deadline: {', '.join(self.left_out)}"
        runs = len(self.countries.results)
        return text + f". REST: {self.requests[0]} requests per run, median of {runs} runs."

    def rows(self) -> list[Row]:
        rows: list[Row] = []
        for clients in (1, self.clients):
            ours, base = self.ours[clients], self.oxigraph[clients]
            tag = f"{clients} client{'s' if clients > 1 else ''}"
            rows += [
                Row(
                    "3",
                    f"SPARQL p50, {tag}",
                    fmt_ms(ours.p(50)) + ours.failures(),
                    fmt_ms(base.p(50)) + base.failures(),
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
        measured = [(n, self.ours[1], self.oxigraph[1]) for n in self.queries]
        measured += [(n, self.ours_slow, self.oxigraph_slow) for n in self.slow]
        for name, ours, base in sorted(measured):
            rows.append(
                Row(
                    "3",
                    f"SPARQL p50, 1 client: {name}",
                    fmt_ms(ours.p(50, name)),
                    fmt_ms(base.p(50, name)),
                    safe_ratio(base.p(50, name), ours.p(50, name)),
                    0.5,
                )
            )
        tag = f"{self.clients} clients"
        rows += [
            Row(
                "4",
                f"REST /countries/{{code}} req/s vs /healthz, {tag}",
                fmt_rate(self.countries.rps, "req/s") + self.countries.failures(),
                fmt_rate(self.healthz.rps, "req/s") + self.healthz.failures(),
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
    timings: dict[str, float],
    *,
    repeats: int,
    rounds: int,
    clients: int,
    log: Any = sys.stderr,
) -> ServingResult:
    """Run rows 3 and 4 with both servers up side by side.

    ``timings`` are the in-process p50s of every query over the same quads: queries under
    LOAD_LIMIT make up the load runs, slower ones are sent alone, once per run, and those
    that did not answer within the deadline are left out.
    """
    queries = load_queries()
    fast = [(n, q) for n, q in queries if timings.get(n, math.inf) <= LOAD_LIMIT]
    slow = [(n, q) for n, q in queries if LOAD_LIMIT < timings.get(n, math.inf) < math.inf]
    result = ServingResult([n for n, _ in fast], [n for n, _ in slow], clients)
    result.left_out = [n for n, _ in queries if not math.isfinite(timings.get(n, math.inf))]
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
        for name, text in fast + slow:
            a = result_rows(ours, sparql_request(name, "/sparql", text))
            b = result_rows(base, sparql_request(name, "/query", text))
            if a != b:
                result.mismatches.append(f"{name}: ours {a} rows, Oxigraph {b}")
            print(f"  {name}: {a} rows", file=log, flush=True)
        for concurrency in (1, clients):
            # One client sends every query `rounds` times; with many clients each sends about
            # two, in whole rounds of the set.
            count = rounds if concurrency == 1 else math.ceil(2 * concurrency / len(fast))
            result.requests[concurrency] = count * len(fast)
            for index in range(repeats):
                _pair(
                    index,
                    (ours, [sparql_request(n, "/sparql", q) for n, q in fast] * count),
                    (base, [sparql_request(n, "/query", q) for n, q in fast] * count),
                    result.ours.setdefault(concurrency, Runs()),
                    result.oxigraph.setdefault(concurrency, Runs()),
                    concurrency,
                    f"sparql {concurrency} client(s)",
                    log,
                )
        for index in range(repeats if slow else 0):
            _pair(
                index,
                (ours, [sparql_request(n, "/sparql", q) for n, q in slow]),
                (base, [sparql_request(n, "/query", q) for n, q in slow]),
                result.ours_slow,
                result.oxigraph_slow,
                1,
                "sparql slow queries",
                log,
            )
        codes = _country_codes(ours)
        result.requests[0] = clients
        countries = [
            Request("countries", "GET", f"/countries/{codes[i % len(codes)]}")
            for i in range(clients)
        ]
        health = [Request("healthz", "GET", "/healthz")] * clients
        for _ in range(repeats):
            result.countries.results.append(drive(ours, countries, clients))
            result.healthz.results.append(drive(ours, health, clients))
    return result


def _pair(
    index: int,
    mine: tuple[str, list[Request]],
    theirs: tuple[str, list[Request]],
    mine_runs: Runs,
    their_runs: Runs,
    clients: int,
    label: str,
    log: Any,
) -> None:
    """One run on each server, the order alternating between repeats."""
    pairs = [(mine, mine_runs), (theirs, their_runs)]
    for (url, requests), runs in pairs if index % 2 == 0 else pairs[::-1]:
        runs.results.append(drive(url, requests, clients))
    print(
        f"  {label} run {index + 1}: ours p50 {mine_runs.results[-1].p(50) * 1000:.1f} ms, "
        f"Oxigraph p50 {their_runs.results[-1].p(50) * 1000:.1f} ms",
        file=log,
        flush=True,
    )


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
