"""What the store holds of sources: found by graph IRI, locator, URL or input folder, and a
source graph's quads with where it was found set anew."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions

from kg.changes import Stored
from kg.identity import normalise_url
from kg.prefixes import SCHEMA
from kg.rdf import CONTENT_HASH, GENERATED_BY, INPUT_PATH, LOCATOR, A, kg, string
from kg.store import GraphStore

CHUNK = 200
URL = NamedNode(SCHEMA + "url")
_FIELDS = (A, LOCATOR, INPUT_PATH, CONTENT_HASH, URL, GENERATED_BY)


def _literals(values: Iterable[str]) -> str:
    return " ".join(str(Literal(v)) for v in values)


def _roots_filter(roots: Sequence[str]) -> str:
    """A FILTER keeping the input paths ``?path`` under any of the roots."""
    tests = []
    for root in roots:
        if root == ".":
            tests.append('!STRSTARTS(?path, "/")')
        else:
            exact, prefix = Literal(root), Literal(root.rstrip("/") + "/")
            tests.append(f"?path = {exact} || STRSTARTS(?path, {prefix})")
    return f"FILTER({' || '.join(f'({t})' for t in tests)})"


def stored_sources(
    store: GraphStore,
    *,
    graphs: Iterable[NamedNode] = (),
    locators: Iterable[str] = (),
    urls: Iterable[str] = (),
    roots: Sequence[str] = (),
) -> dict[NamedNode, Stored]:
    """The stored sources with one of these graph IRIs, locators, URLs (sources stored before
    locators were recorded) or input files under these roots."""
    selectors: list[str] = []
    graph_list = sorted({g.value for g in graphs})
    for start in range(0, len(graph_list), CHUNK):
        chosen = " ".join(f"<{g}>" for g in graph_list[start : start + CHUNK])
        selectors.append(f"VALUES ?g {{ {chosen} }}")
    for predicate, wanted in ((LOCATOR, locators), (URL, urls)):
        keys = sorted(set(wanted))
        for start in range(0, len(keys), CHUNK):
            chosen = _literals(keys[start : start + CHUNK])
            selectors.append(f"VALUES ?key {{ {chosen} }} GRAPH ?g {{ ?g {predicate} ?key }}")
    if roots:
        selectors.append(f"GRAPH ?g {{ ?g {INPUT_PATH} ?path }} {_roots_filter(roots)}")
    fields = " ".join(str(f) for f in _FIELDS)
    found: dict[NamedNode, dict[NamedNode, set[NamedNode | Literal]]] = {}
    for selector in selectors:
        result = store.query(
            f"SELECT DISTINCT ?g ?p ?o WHERE {{ {{ SELECT DISTINCT ?g WHERE {{ {selector} }} }} "
            f"GRAPH ?g {{ ?g ?p ?o . VALUES ?p {{ {fields} }} }} }}"
        )
        assert isinstance(result, QuerySolutions)
        for row in result:
            graph, predicate, value = row["g"], row["p"], row["o"]
            if isinstance(graph, NamedNode) and isinstance(predicate, NamedNode):
                if isinstance(value, NamedNode | Literal):
                    found.setdefault(graph, {}).setdefault(predicate, set()).add(value)
    return {
        graph: _stored(graph, props)
        for graph, props in found.items()
        if kg("Source") in props.get(A, set())
    }


def _stored(graph: NamedNode, props: dict[NamedNode, set[NamedNode | Literal]]) -> Stored:
    def texts(predicate: NamedNode) -> frozenset[str]:
        return frozenset(v.value for v in props.get(predicate, set()) if isinstance(v, Literal))

    locators = texts(LOCATOR) or frozenset(normalise_url(u) for u in texts(URL))
    contents = sorted(texts(CONTENT_HASH))
    made_by = sorted(
        (v for v in props.get(GENERATED_BY, set()) if isinstance(v, NamedNode)),
        key=lambda v: v.value,
    )
    return Stored(
        graph,
        locators,
        texts(INPUT_PATH),
        contents[0] if len(contents) == 1 else None,
        made_by[0] if len(made_by) == 1 else None,
    )


def relocated(
    store: GraphStore, graph: NamedNode, locators: Iterable[str], paths: Iterable[str]
) -> list[Quad]:
    """A stored source graph's quads with its locators and input files set to these."""
    quads = store.graph_quads(graph)
    kept = [q for q in quads if not (q.subject == graph and q.predicate in (LOCATOR, INPUT_PATH))]
    kept += [Quad(graph, LOCATOR, string(v), graph) for v in sorted(set(locators))]
    kept += [Quad(graph, INPUT_PATH, string(v), graph) for v in sorted(set(paths))]
    return kept
