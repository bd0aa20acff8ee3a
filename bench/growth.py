"""Row 6: how cost grows with the corpus, at 1x, 10x (and with ``--large`` 100x) of a base
corpus of a tenth of the ingest corpus.

Extraction is measured at 1x and 10x (the first tenth and the whole of row 1's one-worker
ingest, in CPU time). Stores at every scale are written by the ingest write stage from extraction
records: at 1x and 10x those of the corpus, at 100x ten copies of the 10x records, each copy
with its own source ids (so its own source graphs and pledge IRIs) and its meeting dates
moved on by three years (so its own meeting nodes); leaders and states are shared, as they
would be. Each ratio compares the cost per unit at the larger scale with the smaller: 1.0 is
linear growth, below 1.0 worse than linear.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.ingest import IngestResult
from bench.loading import write_stage
from bench.measure import Row, dir_size, fmt_ms, fmt_s, safe_ratio
from bench.querytime import query_p50s
from kg.records import Extraction

COPY_SHIFT = timedelta(days=3 * 365)
LINEAR = 0.8  # cost per unit may grow by a quarter before growth counts as worse than linear


def replicate(extractions: Sequence[Extraction], copies: int) -> Iterator[Extraction]:
    """``copies`` copies of the records, each a distinct set of sources (see module doc)."""
    for copy in range(copies):
        shift = COPY_SHIFT * copy
        for record in extractions:
            if copy == 0:
                yield record
                continue
            digest = hashlib.sha256(f"{record.source_id}:{copy}".encode()).hexdigest()[:16]
            meetings = tuple(
                replace(m, date=m.date + shift) if m.date else m for m in record.meetings
            )
            pledges = tuple(
                replace(p, date=p.date + shift) if p.date else p for p in record.pledges
            )
            yield replace(record, source_id=digest, meetings=meetings, pledges=pledges)


@dataclass
class Point:
    """One scale: sources, write-stage seconds, quads, bytes on disk, query p50s."""

    scale: int
    sources: int
    write: float
    quads: int
    size: int
    queries: dict[str, float] = field(default_factory=dict)

    def finite(self) -> set[str]:
        """The queries that answered within the deadline at this scale."""
        return {n for n, v in self.queries.items() if math.isfinite(v)}

    def total(self, names: set[str]) -> float:
        return sum(self.queries[n] for n in names)


@dataclass
class GrowthResult:
    """Every scale's point, and the ingest timings of 1x and 10x."""

    points: list[Point]
    ingest: dict[int, float]
    runs: int
    deadline: float

    def describe(self) -> str:
        scales = ", ".join(f"{p.scale}x = {p.sources} sources" for p in self.points)
        return (
            f"Growth: {scales}; query p50s in-process, median of {self.runs}, "
            f"a query past {self.deadline:g} s is not tried at larger scales."
        )

    def rows(self) -> list[Row]:
        rows: list[Row] = []
        if 1 in self.ingest and 10 in self.ingest:
            small, large = self.ingest[1], self.ingest[10]
            rows.append(
                Row(
                    "6",
                    "Growth 1x→10x: ingest CPU time per article",
                    f"10x: {fmt_s(large)}",
                    f"1x: {fmt_s(small)}",
                    safe_ratio(small * 10, large),
                    LINEAR,
                )
            )
        for a, b in zip(self.points, self.points[1:], strict=False):
            step = f"{a.scale}x→{b.scale}x"
            factor = b.sources / a.sources
            common = a.finite() & b.finite()
            rows += [
                Row(
                    "6",
                    f"Growth {step}: write time per source",
                    f"{b.scale}x: {fmt_s(b.write)}",
                    f"{a.scale}x: {fmt_s(a.write)}",
                    safe_ratio(a.write * factor, b.write),
                    LINEAR,
                ),
                Row(
                    "6",
                    f"Growth {step}: store bytes per quad",
                    f"{b.scale}x: {b.size / 1e6:.3g} MB, {b.quads:,} quads",
                    f"{a.scale}x: {a.size / 1e6:.3g} MB, {a.quads:,} quads",
                    safe_ratio(a.size / a.quads, b.size / b.quads),
                    LINEAR,
                ),
                Row(
                    "6",
                    f"Growth {step}: query p50s (sum of {len(common)}) per source",
                    f"{b.scale}x: {fmt_ms(b.total(common))}",
                    f"{a.scale}x: {fmt_ms(a.total(common))}",
                    safe_ratio(a.total(common) * factor, b.total(common)),
                    LINEAR,
                ),
            ]
            if common:
                worst = min(common, key=lambda n: a.queries[n] / b.queries[n])
                rows.append(
                    Row(
                        "6",
                        f"Growth {step}: worst query p50 per source: {worst}",
                        f"{b.scale}x: {fmt_ms(b.queries[worst])}",
                        f"{a.scale}x: {fmt_ms(a.queries[worst])}",
                        safe_ratio(a.queries[worst] * factor, b.queries[worst]),
                        LINEAR,
                    )
                )
            lost = sorted(a.finite() - b.finite())
            if lost:
                rows.append(
                    Row(
                        "6",
                        f"Growth {step}: queries past the deadline",
                        f"{b.scale}x: {', '.join(lost)}",
                        f"{a.scale}x: answered",
                        0.0,
                        LINEAR,
                    )
                )
        return rows


def measure_point(
    scale: int,
    extractions: Sequence[Extraction],
    location: Path,
    queries: Sequence[tuple[str, str]],
    runs: int,
    deadline: float,
) -> Point:
    """Write a store from the records, then measure its size and the queries over it."""
    from pyoxigraph import Store

    seconds = write_stage(extractions, location)
    size = dir_size(location)
    quads = len(Store.read_only(str(location)))
    point = Point(scale, len(extractions), seconds, quads, size)
    point.queries = query_p50s(location, queries, runs, deadline)
    return point


def unanswered(points: Sequence[Point]) -> set[str]:
    """Queries that missed the deadline at some scale (not tried again at larger ones)."""
    return {n for p in points for n, v in p.queries.items() if not math.isfinite(v)}


def measure_growth(
    ingest: IngestResult,
    extractions: Sequence[Any],
    work: Path,
    queries: Sequence[tuple[str, str]],
    *,
    large: bool,
    runs: int,
    deadline: float,
    log: Any = sys.stderr,
) -> GrowthResult:
    """Run row 6; the 1x corpus is the first tenth of row 1's."""
    base = max(1, len(extractions) // 10)
    scales: list[tuple[int, Sequence[Extraction]]] = [(1, extractions[:base]), (10, extractions)]
    if large:
        scales.append((100, list(replicate(extractions, 10))))
    points: list[Point] = []
    for scale, records in scales:
        # A query that missed the deadline at a smaller scale is not tried again.
        skip = unanswered(points)
        tried = [(n, q) for n, q in queries if n not in skip]
        location = work / f"store-growth-{scale}x"
        point = measure_point(scale, records, location, tried, runs, deadline)
        point.queries.update(dict.fromkeys(skip, math.inf))
        points.append(point)
        slow = ", ".join(sorted(n for n, v in point.queries.items() if not math.isfinite(v)))
        print(
            f"  growth {scale}x: {point.sources} sources, write {point.write:.1f} s, "
            f"{point.quads} quads, {point.size / 1e6:.1f} MB, "
            f"queries {point.total(point.finite()):.2f} s; past the deadline: {slow or 'none'}",
            file=log,
            flush=True,
        )
    blocks = ingest.ours1.blocks
    first = [b for b in blocks if b.stop <= base]
    timings = {1: sum(b.cpu for b in first), 10: sum(b.cpu for b in blocks)} if first else {}
    return GrowthResult(points, timings, runs, deadline)
