"""Row 5: ``kg export --format nquads`` and ``--format turtle`` against ``oxigraph dump`` on the
same store, each a command run to a file, start-up included, as a user would run it; MB/s and
statements/s both.

Rows without a target explain the others: the same exports timed inside one Python process
that has already imported the project (the store opened, written and closed, as the command
does after its start-up), Turtle against Oxigraph's own writer doing the same job
(``oxigraph query --union-default-graph`` with a CONSTRUCT of every triple, written as
Turtle), and what the command takes beyond the export (start-up, exit) against a bare
interpreter. Each command's CPU time is recorded beside its wall time, for a shared machine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat, parse

from bench.measure import Row, Stopwatch, fmt_rate, median, safe_ratio

TARGET = 0.70
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

# Run in a child process: the project is imported before the clock starts; then the store is
# opened, exported to a file and closed, as `kg export` does after its start-up.
_IN_PROCESS = """
import json, sys, time
from pathlib import Path
from kg.store import EmbeddedStore
store_dir, fmt, out = sys.argv[1:4]
wall, cpu = time.perf_counter(), time.process_time()
store = EmbeddedStore(Path(store_dir), read_only=True)
try:
    with open(out, "wb") as handle:
        store.export(handle, fmt)
finally:
    store.close()
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""

# The files of each exporter, and the format they are counted in.
FILES = {
    "turtle": ("out.ttl", RdfFormat.TURTLE),
    "nquads": ("out.nq", RdfFormat.N_QUADS),
    "turtle in-process": ("in-process.ttl", RdfFormat.TURTLE),
    "nquads in-process": ("in-process.nq", RdfFormat.N_QUADS),
    "dump": ("dump.nq", RdfFormat.N_QUADS),
    "union": ("union.ttl", RdfFormat.TURTLE),
}


def _children_cpu() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def _timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and standard output of one command."""
    cpu = _children_cpu()
    with Stopwatch() as watch:
        done = subprocess.run(command, check=True, capture_output=True, text=True)
    return watch.seconds, _children_cpu() - cpu, done.stdout


@dataclass
class ExportResult:
    """Seconds (wall and CPU) per repeat, bytes and statements per exporter."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)
    imports: list[tuple[str, float]] = field(default_factory=list)

    def add(self, name: str, seconds: float, cpu: float) -> None:
        self.seconds.setdefault(name, []).append(seconds)
        self.cpu.setdefault(name, []).append(cpu)

    def mb_per_s(self, name: str) -> float:
        return self.size[name] / 1e6 / median(self.seconds[name])

    def statements_per_s(self, name: str) -> float:
        return self.statements[name] / median(self.seconds[name])

    def overhead(self) -> float:
        """What the N-Quads command takes beyond the export itself: start-up and exit."""
        return median(self.seconds["nquads"]) - median(self.seconds["nquads in-process"])

    def describe(self) -> str:
        sizes = ", ".join(f"{n} {self.size[n] / 1e6:.3g} MB" for n in ("turtle", "nquads", "dump"))
        counts = ", ".join(
            f"{n} {self.statements[n]:,}" for n in ("turtle", "nquads", "dump", "union")
        )
        cpu = ", ".join(f"{n} {median(s):.2f} s" for n, s in self.cpu.items())
        runs = len(self.seconds["dump"])
        heaviest = ", ".join(f"{name} {seconds:.3f} s" for name, seconds in self.imports[:6])
        return (
            f"Export: {sizes}; statements {counts}; median of {runs}; each a command, "
            f"start-up included, but the in-process rows; CPU seconds {cpu}. "
            f"`kg export` takes {self.overhead():.2f} s beyond the export itself; its "
            f"heaviest imports (cumulative, under -X importtime): {heaviest}."
        )

    def rows(self) -> list[Row]:
        rows = []
        mb, st = self.mb_per_s("dump"), self.statements_per_s("dump")
        for name in ("nquads", "turtle"):
            unit = "quads/s" if name == "nquads" else "triples/s"
            rows.append(
                Row(
                    "5",
                    f"Export {name} vs oxigraph dump, MB/s",
                    fmt_rate(self.mb_per_s(name), "MB/s"),
                    fmt_rate(mb, "MB/s"),
                    safe_ratio(self.mb_per_s(name), mb),
                    TARGET,
                )
            )
            rows.append(
                Row(
                    "5",
                    f"Export {name} vs oxigraph dump, statements/s",
                    fmt_rate(self.statements_per_s(name), unit),
                    fmt_rate(st, "quads/s"),
                    safe_ratio(self.statements_per_s(name), st),
                    TARGET,
                )
            )
        for name in ("nquads in-process", "turtle in-process"):
            unit = "quads/s" if name.startswith("nquads") else "triples/s"
            rows.append(
                Row(
                    "5",
                    f"Export {name} vs oxigraph dump, statements/s",
                    fmt_rate(self.statements_per_s(name), unit),
                    fmt_rate(st, "quads/s"),
                    safe_ratio(self.statements_per_s(name), st),
                )
            )
        union = self.statements_per_s("union")
        rows.append(
            Row(
                "5",
                "Export turtle vs oxigraph query union Turtle, statements/s",
                fmt_rate(self.statements_per_s("turtle"), "triples/s"),
                fmt_rate(union, "triples/s"),
                safe_ratio(self.statements_per_s("turtle"), union),
            )
        )
        bare = median(self.seconds["interpreter"])
        rows.append(
            Row(
                "5",
                "Export nquads start-up + exit vs bare interpreter",
                f"{self.overhead():.3g} s",
                f"{bare:.3g} s",
                safe_ratio(bare, self.overhead()),
            )
        )
        return rows


def heaviest_imports(command: list[str]) -> list[tuple[str, float]]:
    """The modules a Python command imports at the top level (``site`` among them), each with
    its cumulative import seconds, heaviest first."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command], check=True, capture_output=True, text=True
    )
    found = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S+)", line)
        if match:
            found.append((match[2], int(match[1]) / 1e6))
    return sorted(found, key=lambda item: -item[1])


def measure_export(
    kg: str, oxigraph: str, store: Path, work: Path, repeats: int, log: Any = sys.stderr
) -> ExportResult:
    """Run row 5 on ``store`` (closed, so each command opens it itself)."""
    result = ExportResult()
    out = {name: work / file_name for name, (file_name, _) in FILES.items()}
    commands = {
        "nquads": [kg, "export", "--store", str(store), "-f", "nquads", "-o", str(out["nquads"])],
        "turtle": [kg, "export", "--store", str(store), "-f", "turtle", "-o", str(out["turtle"])],
        "dump": [oxigraph, "dump", "--location", str(store), "--file", str(out["dump"])],
        "union": [
            oxigraph,
            "query",
            "--location",
            str(store),
            "--union-default-graph",
            "--query",
            UNION,
            "--results-format",
            "ttl",
            "--results-file",
            str(out["union"]),
        ],
        "interpreter": [sys.executable, "-c", "pass"],
    }
    for index in range(repeats):
        for name, command in commands.items():
            if name in out:
                out[name].unlink(missing_ok=True)
            seconds, cpu, _ = _timed(command)
            result.add(name, seconds, cpu)
        for fmt in ("nquads", "turtle"):
            name = f"{fmt} in-process"
            _, _, printed = _timed(
                [sys.executable, "-c", _IN_PROCESS, str(store), fmt, str(out[name])]
            )
            seconds, cpu = json.loads(printed)
            result.add(name, seconds, cpu)
        print(
            f"  export {index + 1}: "
            + ", ".join(f"{n} {s[-1]:.2f} s" for n, s in result.seconds.items()),
            file=log,
            flush=True,
        )
    for name, (_, rdf_format) in FILES.items():
        result.size[name] = out[name].stat().st_size
        result.statements[name] = sum(1 for _ in parse(path=str(out[name]), format=rdf_format))
    # The console script is a Python file: run it under -X importtime as it is.
    result.imports = heaviest_imports([kg, *commands["nquads"][1:]])
    return result
