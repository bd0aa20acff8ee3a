"""Row 2: our write path for the quads of the ingested corpus against ``oxigraph load``, the
Rust bulk loader, on the same N-Quads.

Four ways of ours: ``EmbeddedStore.replace_graph`` once per source into a new store; the
same again over a store that already holds every graph, each graph changed by one quad (a
re-ingest after the extractors changed); the same again unchanged (a re-run, which the store
recognises and does not write); and the whole write stage of an ingest (reference graph, RDF
mapping of each extraction, one atomic write per source). Every store is on disk and closed
(flushed) inside the timing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from bench.measure import Row, Stopwatch, fmt_rate, median, rate, safe_ratio
from kg.ingest.reference import ensure_reference
from kg.rdf import extraction_quads, source_iri
from kg.store import EmbeddedStore


def dump_nquads(store: Path, out: Path) -> int:
    """Write every quad of a store to an N-Quads file; the number of quads."""
    graph_store = EmbeddedStore(store, read_only=True)
    with out.open("wb") as handle:
        graph_store.export_dataset(handle, RdfFormat.N_QUADS)
    graph_store.close()
    with out.open("rb") as handle:
        return sum(1 for _ in handle)


def group_by_graph(nquads: Path) -> dict[NamedNode, list[Quad]]:
    """The quads of an N-Quads file per named graph, in file order."""
    groups: dict[NamedNode, list[Quad]] = {}
    for quad in parse(path=str(nquads), format=RdfFormat.N_QUADS):
        graph = quad.graph_name
        assert isinstance(graph, NamedNode), "every quad of ours is in a named graph"
        groups.setdefault(graph, []).append(quad)
    return groups


def oxigraph_load(binary: str, nquads: Path, location: Path) -> float:
    """Seconds ``oxigraph load`` takes to load the file into a new store."""
    shutil.rmtree(location, ignore_errors=True)
    with Stopwatch() as watch:
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(nquads)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return watch.seconds


def replace_per_source(groups: dict[NamedNode, list[Quad]], location: Path) -> float:
    """Seconds to write each graph with ``replace_graph`` and close the store."""
    with Stopwatch() as watch:
        store = EmbeddedStore(location)
        for graph, quads in groups.items():
            store.replace_graph(graph, quads)
        store.close()
    return watch.seconds


def changed(groups: dict[NamedNode, list[Quad]]) -> dict[NamedNode, list[Quad]]:
    """Each graph with one quad more, as a re-extraction that found one more fact gives."""
    marker = NamedNode("https://w3id.org/pledgekg/id/bench/revision")
    return {graph: [*quads, Quad(graph, marker, graph, graph)] for graph, quads in groups.items()}


def write_stage(extractions: Sequence[Any], location: Path) -> float:
    """Seconds the write stage of an ingest takes for these extractions, into a new store."""
    shutil.rmtree(location, ignore_errors=True)
    with Stopwatch() as watch:
        store = EmbeddedStore(location)
        ensure_reference(store)
        for extraction in extractions:
            quads = extraction_quads(extraction)
            store.replace_graph(source_iri(extraction.source_id), quads)
        store.close()
    return watch.seconds


@dataclass
class LoadingResult:
    """Row 2's timings (seconds per repeat) and the Oxigraph-loaded store kept for row 3."""

    quads: int
    sources: int
    oxigraph: list[float] = field(default_factory=list)
    fresh: list[float] = field(default_factory=list)
    again: list[float] = field(default_factory=list)
    unchanged: list[float] = field(default_factory=list)
    stage: list[float] = field(default_factory=list)
    oxigraph_store: Path = Path()

    def describe(self) -> str:
        return f"Write: {self.quads:,} quads in {self.sources} graphs; median of {len(self.fresh)}."

    def rows(self) -> list[Row]:
        base = rate(self.quads, median(self.oxigraph))

        def row(name: str, runs: list[float]) -> Row:
            ours = rate(self.quads, median(runs))
            return Row(
                "2",
                f"{name} vs oxigraph load",
                fmt_rate(ours, "quads/s"),
                fmt_rate(base, "quads/s"),
                safe_ratio(ours, base),
            )

        return [
            row("Write: replace_graph, new store", self.fresh),
            row("Write: replace_graph, re-ingest, changed", self.again),
            row("Write: replace_graph, re-ingest, unchanged", self.unchanged),
            row("Write: ingest write stage", self.stage),
        ]


def measure_loading(
    oxigraph: str,
    store: Path,
    extractions: Sequence[Any],
    work: Path,
    repeats: int,
    log: Any = sys.stderr,
) -> LoadingResult:
    """Run row 2 over the quads of ``store`` (the one-worker ingest's)."""
    nquads = work / "corpus.nq"
    quads = dump_nquads(store, nquads)
    groups = group_by_graph(nquads)
    revised = changed(groups)
    result = LoadingResult(quads, len(groups))
    result.oxigraph_store = work / "store-oxigraph"
    for index in range(repeats):
        result.oxigraph.append(oxigraph_load(oxigraph, nquads, result.oxigraph_store))
        ours = work / "store-write"
        shutil.rmtree(ours, ignore_errors=True)
        result.fresh.append(replace_per_source(groups, ours))
        result.again.append(replace_per_source(revised, ours))
        result.unchanged.append(replace_per_source(revised, ours))
        result.stage.append(write_stage(extractions, work / "store-stage"))
        print(
            f"  loading {index + 1}: oxigraph {result.oxigraph[-1]:.2f} s, "
            f"new {result.fresh[-1]:.2f} s, changed {result.again[-1]:.2f} s, "
            f"unchanged {result.unchanged[-1]:.2f} s, "
            f"stage {result.stage[-1]:.2f} s",
            file=log,
            flush=True,
        )
    return result
