"""What the page of one resource (``kgr:state/ES``, ``kgr:pledge/…``, any ``kgr:`` IRI) shows:
its own facts, the resources that point at it, the quotes that state them, and a readable
label for every IRI on the page; and its graph, for RDF by content negotiation.

Works for any type, so a new kind of resource gets a page without code of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, QueryTriples, Triple

from api.queries.sparql import Props, describe, select, value, values
from api.queries.terms import iris_of, label
from kg.prefixes import PREFIXES
from kg.store import GraphStore
from kg.vocab import PREF_LABEL, TITLE, A, kg

# Props are keyed by predicate IRI.
TYPE = A.value
EVIDENCE = kg("evidence").value
PLEDGE = kg("Pledge")
MAX_INCOMING = 500
"""Most resources listed as pointing at one resource (a state is named by many pledges)."""


@dataclass
class ResourceView:
    """One resource: its facts (predicate to values), the resources that point at it (up to
    :data:`MAX_INCOMING`), and a label for each IRI shown."""

    iri: str
    facts: Props
    incoming: list[tuple[str, str]] = field(default_factory=list)
    incoming_cut: bool = False
    described: dict[str, Props] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Its label; a pledge, which has none, is named by who, which stance and what."""
        named = self.label_of(self.iri)
        pledge = PLEDGE in self.facts.get(TYPE, [])
        if named != compact(self.iri) or not pledge:
            return named
        parts = [
            ", ".join(self.label_of(v) for v in iris_of(self.facts, kg(local)))
            for local in ("pledgedBy", "stance", "contributionType")
        ]
        return f"{parts[0] or 'Pledge'}: {', '.join(p for p in parts[1:] if p)}"

    @property
    def quotes(self) -> list[str]:
        """The sentences that state this resource (a pledge's or claim's evidence)."""
        return [t.value for t in self.facts.get(EVIDENCE, []) if isinstance(t, Literal)]

    def quotes_of(self, iri: str) -> list[str]:
        """The quotes of a resource shown on the page (one that points here)."""
        props = self.described.get(iri, {})
        return [t.value for t in props.get(EVIDENCE, []) if isinstance(t, Literal)]

    def label_of(self, iri: str) -> str:
        """Its label, title or preferred label, else its name in compact form (``state:ES``)."""
        props = self.described.get(iri, {})
        if iri == self.iri:
            props = self.facts
        for predicate in (TITLE, PREF_LABEL, kg("opening")):
            named = [t.value for t in props.get(predicate.value, []) if isinstance(t, Literal)]
            if named and not label(props, ""):
                return named[0]
        return label(props, compact(iri))


def compact(iri: str) -> str:
    """The IRI in compact form with the project's prefix of the longest namespace that holds
    it (``state:ES``, ``kg:Pledge``, ``rdfs:label``), else the IRI itself.

    >>> compact("https://w3id.org/pledgekg/id/state/ES"), compact("http://x/y")
    ('state:ES', 'http://x/y')
    >>> compact("http://www.w3.org/2000/01/rdf-schema#label")
    'rdfs:label'
    """
    found = [(len(ns), p) for p, ns in PREFIXES.items() if iri.startswith(ns) and iri != ns]
    if not found:
        return iri
    length, prefix = max(found)
    return f"{prefix}:{iri[length:]}"


def resource_view(store: GraphStore, iri: str) -> ResourceView | None:
    """The resource's page, or None when no triple names it."""
    node = NamedNode(iri)
    facts = describe(store, [iri])[iri]
    rows = select(
        store,
        f"SELECT DISTINCT ?s ?p WHERE {{ {values('o', [node])} ?s ?p ?o . FILTER(isIRI(?s)) }} "
        f"ORDER BY ?p ?s LIMIT {MAX_INCOMING + 1}",
    )
    incoming = [(value(row["s"]), value(row["p"])) for row in rows]
    if not facts and not incoming:
        return None
    view = ResourceView(iri, facts, incoming[:MAX_INCOMING], len(incoming) > MAX_INCOMING)
    shown = set(facts) | {s for s, _ in view.incoming} | {p for _, p in view.incoming}
    shown |= {t.value for terms in facts.values() for t in terms if isinstance(t, NamedNode)}
    view.described = describe(store, shown - {iri})
    return view


def resource_triples(store: GraphStore, iri: str) -> list[Triple]:
    """The resource's graph: every triple with it as subject, and those that point at it (up
    to :data:`MAX_INCOMING`), each once however many sources state it."""
    node = values("r", [NamedNode(iri)])
    result = store.query(
        f"CONSTRUCT {{ ?r ?p ?o . ?s ?q ?r }} WHERE {{ {node} "
        f"{{ ?r ?p ?o }} UNION {{ SELECT DISTINCT ?s ?q ?r WHERE {{ {node} ?s ?q ?r }} "
        f"LIMIT {MAX_INCOMING} }} }}"
    )
    assert isinstance(result, QueryTriples)
    return sorted(set(result), key=str)
