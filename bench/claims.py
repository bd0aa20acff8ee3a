"""Row 1c: what the claim layer adds to an ingest. A ``kg ingest`` run pays it twice: the
text fingerprints of each article it writes (:mod:`kg.similarity`) and one computation of the
claims over the whole store at its end (:func:`kg.claims.refresh`). Both are timed here on
row 1's corpus and store and set against row 1's ingest of that corpus, which includes them.
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import Row, fmt_s, median, safe_ratio


@dataclass
class ClaimsResult:
    """Seconds per repeat of the two parts, and the ingest they are set against."""

    ingest_seconds: float
    articles: int
    claims: int = 0
    fingerprints: list[float] = field(default_factory=list)
    refreshes: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return median(self.fingerprints) + median(self.refreshes)

    def describe(self) -> str:
        return (
            f"Claims: {self.claims:,} claims over {self.articles} articles; fingerprints "
            f"{fmt_s(median(self.fingerprints))}, claims computed over the whole store "
            f"{fmt_s(median(self.refreshes))} (medians of {len(self.refreshes)}), against the "
            f"one-worker ingest's {fmt_s(self.ingest_seconds)} wall clock."
        )

    def rows(self) -> list[Row]:
        return [
            Row(
                "1",
                "Claim layer vs the whole ingest (ratio ≥ 10: at most 10% of it)",
                fmt_s(self.seconds),
                fmt_s(self.ingest_seconds),
                safe_ratio(self.ingest_seconds, self.seconds),
                10.0,
            )
        ]


def measure_claims(
    corpus: Path,
    store: Path,
    ingest_seconds: float,
    work: Path,
    repeats: int,
    log: Any = sys.stderr,
) -> ClaimsResult:
    """Time the fingerprints of every article of ``corpus`` and the claims over a copy of
    ``store`` (closed), computed from scratch as a first ingest does."""
    from pyoxigraph import QuerySolutions

    from kg.claims import CHANGES_GRAPH, CLAIMS_GRAPH, refresh
    from kg.config import Settings
    from kg.pipeline import read_all
    from kg.similarity import signature, text_hash
    from kg.store import EmbeddedStore

    articles, _ = read_all([corpus], Settings(store="unused"))
    result = ClaimsResult(ingest_seconds, len(articles))
    copy = work / "store-claims"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    graph_store = EmbeddedStore(copy)
    try:
        for _ in range(repeats):
            began = time.perf_counter()
            for article in articles:
                text_hash(article.text)
                signature(article.text)
            result.fingerprints.append(time.perf_counter() - began)
            graph_store.update(
                f"DROP SILENT GRAPH {CLAIMS_GRAPH} ; DROP SILENT GRAPH {CHANGES_GRAPH}"
            )
            began = time.perf_counter()
            refresh(graph_store)
            result.refreshes.append(time.perf_counter() - began)
            print(
                f"  claims: fingerprints {result.fingerprints[-1]:.2f} s, "
                f"refresh {result.refreshes[-1]:.2f} s",
                file=log,
                flush=True,
            )
        counted = graph_store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/pledgekg/ontology#Claim> }"
        )
        assert isinstance(counted, QuerySolutions)
        for row in counted:
            value = row["n"]
            result.claims = int(value.value) if value is not None else 0
    finally:
        graph_store.close()
        shutil.rmtree(copy, ignore_errors=True)
    return result
