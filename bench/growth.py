"""Row 6: how cost grows with the corpus, at 1x, 10x (and with ``--large`` 100x) of a base
corpus of a tenth of the ingest corpus.

Extraction is measured at 1x and 10x (the first block and the whole of row 1's one-worker
ingest). Stores at every scale are written by the ingest write stage from extraction
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

    @property
    def query_total(self) -> float:
        return sum(self.queries.values())


@dataclass
class GrowthResult:
    """Every scale's point, and the ingest timings of 1x and 10x."""

    points: list[Point]
    ingest: dict[int, float]

    def rows(self) -> list[Row]:
        rows: list[Row] = []
        if 1 in self.ingest and 10 in self.ingest:
            small, large = self.ingest[1], self.ingest[10]
            rows.append(
                Row(
                    "6",
                    "Growth 1x→10x: ingest time (extract + write), per article",
                    f"10x: {fmt_s(large)}",
                    f"1x: {fmt_s(small)}",
                    safe_ratio(small * 10, large),
                    LINEAR,
                )
            )
        for a, b in zip(self.points, self.points[1:], strict=False):
            step = f"{a.scale}x→{b.scale}x"
            factor = b.sources / a.sources
            rows += [
                Row(
                    "6",
                    f"Growth {step}: write stage time, per source",
                    f"{b.scale}x: {fmt_s(b.write)}",
                    f"{a.scale}x: {fmt_s(a.write)}",
                    safe_ratio(a.write * factor, b.write),
                    LINEAR,
                ),
                Row(
                    "6",
                    f"Growth {step}: store size on disk, per quad",
                    f"{b.scale}x: {b.size / 1e6:.3g} MB, {b.quads:,} quads",
                    f"{a.scale}x: {a.size / 1e6:.3g} MB, {a.quads:,} quads",
                    safe_ratio(a.size / a.quads, b.size / b.quads),
                    LINEAR,
                ),
                Row(
                    "6",
                    f"Growth {step}: query set, sum of p50s, per source",
                    f"{b.scale}x: {fmt_ms(b.query_total)}",
                    f"{a.scale}x: {fmt_ms(a.query_total)}",
                    safe_ratio(a.query_total * factor, b.query_total),
                    LINEAR,
                ),
            ]
            worst = min(
                a.queries,
                key=lambda n: safe_ratio(a.queries[n] * factor, b.queries.get(n, math.inf)),
            )
            rows.append(
                Row(
                    "6",
                    f"Growth {step}: worst-growing query, p50 per source: {worst}.rq",
                    f"{b.scale}x: {fmt_ms(b.queries[worst])}",
                    f"{a.scale}x: {fmt_ms(a.queries[worst])}",
                    safe_ratio(a.queries[worst] * factor, b.queries[worst]),
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
    points = []
    for scale, records in scales:
        point = measure_point(
            scale, records, work / f"store-growth-{scale}x", queries, runs, deadline
        )
        points.append(point)
        print(
            f"  growth {scale}x: {point.sources} sources, write {point.write:.1f} s, "
            f"{point.quads} quads, {point.size / 1e6:.1f} MB, queries {point.query_total:.2f} s",
            file=log,
            flush=True,
        )
    blocks = ingest.ours1.blocks
    timings = {1: blocks[0].seconds, 10: sum(b.seconds for b in blocks)} if blocks else {}
    return GrowthResult(points, timings)
