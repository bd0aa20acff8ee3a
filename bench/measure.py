"""What every benchmark section shares: medians and percentiles, memory peaks of a process
tree, sizes on disk, free ports, and the rows of the one result table.

>>> median([3.0, 1.0, 2.0])
2.0
>>> percentile([float(i) for i in range(1, 101)], 99)
99.0
>>> Row("x", "y", "1", "2", 0.5, minimum=0.8).verdict
'MISS'
"""

from __future__ import annotations

import math
import os
import socket
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def median(values: Sequence[float]) -> float:
    """The median; NaN for no values."""
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 < q <= 100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Row:
    """One line of the table: our figure, the baseline's, and ours relative to it.

    ``ratio`` is always "higher is better": a throughput ratio is ours ÷ baseline, a latency,
    time or memory ratio is baseline ÷ ours. ``minimum`` is the target ratio, if there is one.
    """

    section: str
    measure: str
    ours: str
    baseline: str
    ratio: float | None
    minimum: float | None = None

    @property
    def target(self) -> str:
        return f"≥ {self.minimum:.2f}" if self.minimum is not None else "—"

    @property
    def verdict(self) -> str:
        if self.minimum is None:
            return ""
        if self.ratio is None or math.isnan(self.ratio):
            return "MISS"
        return "PASS" if self.ratio >= self.minimum else "MISS"


def format_table(rows: Sequence[Row]) -> str:
    """The rows as one Markdown table, columns padded so it also reads as plain text."""
    header = ("#", "Measure", "Ours", "Baseline", "Ratio", "Target", "Result")
    cells = [
        (
            r.section,
            r.measure,
            r.ours,
            r.baseline,
            "—" if r.ratio is None or math.isnan(r.ratio) else f"{r.ratio:.2f}",
            r.target,
            r.verdict,
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(c) for c in cells)])


def safe_ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, NaN when either is missing or the denominator is zero."""
    if denominator == 0 or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator


def rate(count: float, seconds: float) -> float:
    """Items per second."""
    return safe_ratio(count, seconds)


def fmt_rate(value: float, unit: str) -> str:
    """``1,234 art/s`` with three significant figures."""
    if math.isnan(value):
        return "—"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:.3g} {unit}"


def fmt_ms(seconds: float) -> str:
    """Milliseconds with three significant figures."""
    return "—" if math.isnan(seconds) else f"{seconds * 1000:.3g} ms"


def fmt_s(seconds: float) -> str:
    """Seconds with three significant figures."""
    return "—" if math.isnan(seconds) else f"{seconds:.3g} s"


def fmt_mb(size: float) -> str:
    """Bytes as MB (10^6) with three significant figures."""
    return "—" if math.isnan(size) else f"{size / 1e6:.3g} MB"


def dir_size(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        total += _rss_bytes(current)
        pending += _children(current)
    return total


class PeakMemory:
    """Samples the resident memory of a process tree in a thread and keeps the peak.

    Sampling every 50 ms can miss a spike shorter than that; the figure is a lower bound.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)


class Stopwatch:
    """``with Stopwatch() as sw: ...`` then ``sw.seconds``."""

    seconds: float = math.nan

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start
