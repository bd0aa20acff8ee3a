"""Row 5: ``kg export --format turtle`` and ``--format nquads`` against ``oxigraph dump`` on the
same store, each a command run to a file, start-up included, as a user would run it.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat, parse

from bench.measure import Row, Stopwatch, fmt_rate, median, safe_ratio


def _timed(command: list[str], out: Path) -> tuple[float, int]:
    out.unlink(missing_ok=True)
    with Stopwatch() as watch:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return watch.seconds, out.stat().st_size


@dataclass
class ExportResult:
    """Seconds and bytes per repeat, per exporter."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)

    def mb_per_s(self, name: str) -> float:
        return self.size[name] / 1e6 / median(self.seconds[name])

    def statements_per_s(self, name: str) -> float:
        return self.statements[name] / median(self.seconds[name])

    def describe(self) -> str:
        sizes = ", ".join(f"{n} {self.size[n] / 1e6:.3g} MB" for n in ("turtle", "nquads", "dump"))
        runs = len(self.seconds["dump"])
        return f"Export: {sizes}; median of {runs}; each a command, start-up included."

    def rows(self) -> list[Row]:
        base = self.mb_per_s("dump")
        rows = []
        for name in ("turtle", "nquads"):
            ours = self.mb_per_s(name)
            rows.append(
                Row(
                    "5",
                    f"Export {name} vs oxigraph dump",
                    fmt_rate(ours, "MB/s"),
                    fmt_rate(base, "MB/s"),
                    safe_ratio(ours, base),
                    0.5,
                )
            )
        # Turtle holds each triple of the union once, with prefixes and grouping, so it is
        # several times smaller than N-Quads: per statement is the like-for-like figure.
        base = self.statements_per_s("dump")
        ours = self.statements_per_s("turtle")
        rows.append(
            Row(
                "5",
                "Export turtle vs oxigraph dump, statements/s",
                fmt_rate(ours, "triples/s"),
                fmt_rate(base, "quads/s"),
                safe_ratio(ours, base),
            )
        )
        return rows


def measure_export(
    kg: str, oxigraph: str, store: Path, work: Path, repeats: int, log: Any = sys.stderr
) -> ExportResult:
    """Run row 5 on ``store`` (closed, so each command opens it itself)."""
    result = ExportResult()
    commands = {
        "turtle": ([kg, "export", "--store", str(store), "--format", "turtle"], "out.ttl"),
        "nquads": ([kg, "export", "--store", str(store), "--format", "nquads"], "out.nq"),
        "dump": ([oxigraph, "dump", "--location", str(store)], "dump.nq"),
    }
    for index in range(repeats):
        for name, (command, file_name) in commands.items():
            out = work / file_name
            flag = "--file" if name == "dump" else "--output"
            seconds, size = _timed([*command, flag, str(out)], out)
            result.seconds.setdefault(name, []).append(seconds)
            result.size[name] = size
        print(
            f"  export {index + 1}: "
            + ", ".join(f"{n} {s[-1]:.2f} s" for n, s in result.seconds.items()),
            file=log,
            flush=True,
        )
    for name, (_, file_name) in commands.items():
        rdf_format = RdfFormat.TURTLE if name == "turtle" else RdfFormat.N_QUADS
        result.statements[name] = sum(
            1 for _ in parse(path=str(work / file_name), format=rdf_format)
        )
    return result
