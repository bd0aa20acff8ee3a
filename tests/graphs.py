"""Comparing graphs of two ingests of the same articles: everything but when each ingest ran
(``prov:generatedAtTime``, and the change log, whose events are named by their time), and,
where the articles were read differently (from memory and from files), the input files they
were read from."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Quad

from kg.claims import CHANGES_GRAPH
from kg.rdf import GENERATED_AT, INPUT_PATH


def comparable(quads: Iterable[Quad], *, paths: bool = True) -> frozenset[Quad]:
    """The quads without the ingest time and the change log (and, with ``paths=False``, the
    input files)."""
    left_out = {GENERATED_AT} if paths else {GENERATED_AT, INPUT_PATH}
    return frozenset(
        q for q in quads if q.predicate not in left_out and q.graph_name != CHANGES_GRAPH
    )
