"""The SPARQL the REST lookups share: rows of a SELECT over the union of all graphs, terms
written into query text by pyoxigraph, and every property value of a list of resources.

>>> values("s", [NamedNode("https://w3id.org/pledgekg/id/state/ES")])
'VALUES ?s { <https://w3id.org/pledgekg/id/state/ES> }'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple

from kg.prefixes import SPARQL_PREFIXES
from kg.rdf import distinct
from kg.store import GraphStore

Term = NamedNode | BlankNode | Literal | Triple
Props = dict[str, list[Term]]
"""A resource's values by predicate IRI."""
CHUNK = 200
"""Most resources bound in one query."""


def values(var: str, terms: Iterable[Term]) -> str:
    """A VALUES block binding ``?var`` to terms written by pyoxigraph (escaped, validated)."""
    return f"VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }}"


def value(term: Term) -> str:
    """The IRI, lexical form or blank node id of a term (a triple term's N-Triples form)."""
    return str(term) if isinstance(term, Triple) else term.value


def select(store: GraphStore, sparql: str) -> list[dict[str, Term]]:
    """Rows of a SELECT over the union of all graphs, unbound variables left out."""
    result = store.query(SPARQL_PREFIXES + sparql)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    rows: list[dict[str, Term]] = []
    for solution in result:
        rows.append({n: t for n, t in zip(names, solution, strict=False) if t is not None})
    return rows


def chunks(iris: Iterable[str]) -> Iterable[list[NamedNode]]:
    """The IRIs as terms, :data:`CHUNK` at a time, in the order given."""
    listed = list(iris)
    for start in range(0, len(listed), CHUNK):
        yield [NamedNode(i) for i in listed[start : start + CHUNK]]


def describe(store: GraphStore, iris: Iterable[str]) -> dict[str, Props]:
    """Every (distinct) property value of each resource, in a stable order."""
    wanted = sorted(set(iris))
    found: dict[str, Props] = {iri: defaultdict(list) for iri in wanted}
    for chunk in chunks(wanted):
        rows = select(store, f"SELECT DISTINCT ?s ?p ?o WHERE {{ {values('s', chunk)} ?s ?p ?o }}")
        for row in rows:
            subject, predicate, obj = row["s"], row["p"], row["o"]
            assert isinstance(subject, NamedNode) and isinstance(predicate, NamedNode)
            found[subject.value][predicate.value].append(obj)
    for props in found.values():
        for key in props:
            props[key] = sorted(set(props[key]), key=str)
    return found


def related(store: GraphStore, subject: str, predicate: str, kind: str) -> list[str]:
    """The distinct ``kg:{kind}`` resources ``?x`` with ``?x predicate subject``."""
    link = f"{values('s', [NamedNode(subject)])} ?x {predicate} ?s"
    rows = select(
        store,
        f"SELECT ?x WHERE {{ {distinct('?x', link)} FILTER EXISTS {{ ?x a kg:{kind} }} }}",
    )
    return [value(r["x"]) for r in rows]
