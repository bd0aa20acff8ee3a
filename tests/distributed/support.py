"""Comparing the datasets of two stores, for the distributed tests."""

from __future__ import annotations

import io
from collections.abc import Iterable

from pyoxigraph import BlankNode, Quad, RdfFormat, parse, serialize
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.store import GraphStore
from tests.graphs import comparable

ARTICLES = 200  # the size of the generated corpus


def dataset_quads(store: GraphStore) -> list[Quad]:
    """Every quad of a store, with its graph."""
    out = io.BytesIO()
    store.export_dataset(out, RdfFormat.N_QUADS)
    return list(parse(out.getvalue(), RdfFormat.N_QUADS))


def _graphs(quads: Iterable[Quad]) -> dict[str, set[Quad]]:
    found: dict[str, set[Quad]] = {}
    for quad in quads:
        found.setdefault(str(quad.graph_name), set()).add(quad)
    return found


def _rdflib(quads: set[Quad]) -> Graph:
    text = serialize((q.triple for q in quads), None, RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=text.decode("utf-8"), format="nt")


def assert_same_dataset(actual: Iterable[Quad], expected: Iterable[Quad]) -> None:
    """The same named graphs with the same quads, but for when and from which files the
    articles were ingested (the corpus is read from memory and from files); graphs with blank
    nodes (the ontology's OWL lists) are compared by isomorphism."""
    mine = _graphs(comparable(actual, paths=False))
    theirs = _graphs(comparable(expected, paths=False))
    assert sorted(mine) == sorted(theirs), (
        f"graphs missing: {sorted(set(theirs) - set(mine))[:5]}, "
        f"extra: {sorted(set(mine) - set(theirs))[:5]}"
    )
    for name, quads in mine.items():
        other = theirs[name]
        blank = any(
            isinstance(term, BlankNode) for q in quads | other for term in (q.subject, q.object)
        )
        if blank:
            assert isomorphic(_rdflib(quads), _rdflib(other)), f"graph {name} differs"
        else:
            assert quads == other, (
                f"graph {name}: {len(quads - other)} quads extra, {len(other - quads)} missing"
            )


def subset(quads: Iterable[Quad], graphs: set[str]) -> list[Quad]:
    """The quads of the named graphs ``graphs`` only."""
    return [q for q in quads if str(q.graph_name) in graphs]
