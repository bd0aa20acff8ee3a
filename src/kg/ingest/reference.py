"""The graphs every store starts with: the reference graph (states, organizations) and the
ontology graph."""

from __future__ import annotations

from pyoxigraph import Quad, RdfFormat, parse

from kg.config import Settings
from kg.gazetteer import load_gazetteer
from kg.ontology_files import ontology_dir
from kg.rdf import ONTOLOGY_GRAPH, REFERENCE_GRAPH, reference_quads
from kg.store import GraphStore


def ensure_reference(store: GraphStore, settings: Settings | None = None) -> None:
    """Load the reference graph and the ontology graph if missing; an ontology that cannot be
    found is an :class:`~kg.ontology_files.OntologyError`."""
    ontology = ontology_dir(settings) / "pledgekg.ttl"
    if not store.has_graph(REFERENCE_GRAPH):
        store.replace_graph(REFERENCE_GRAPH, list(reference_quads(load_gazetteer())))
    if not store.has_graph(ONTOLOGY_GRAPH):
        triples = parse(path=str(ontology), format=RdfFormat.TURTLE)
        quads = [Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples]
        store.replace_graph(ONTOLOGY_GRAPH, quads)
