"""Finding a stored source from what a user knows of it: its IRI, its URL or its input file."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, QuerySolutions

from kg.config import Settings
from kg.rdf import SCHEMA, SOURCE_PREFIX, source_iri
from kg.sources import read_file, source_id
from kg.store import GraphStore


def resolve_sources(store: GraphStore, reference: str, settings: Settings) -> list[NamedNode]:
    """The stored graphs a reference names: one for an IRI or URL, one per article of an
    input file (a JSONL file holds many)."""
    path = Path(reference)
    if not reference.startswith((SOURCE_PREFIX, "http://", "https://")) and path.is_file():
        articles, _ = read_file(path, settings.max_article_bytes)
        graphs = [source_iri(source_id(article)) for article in articles]
        return [g for g in dict.fromkeys(graphs) if store.has_graph(g)]
    found = _by_iri_or_url(store, reference)
    return [found] if found is not None else []


def _by_iri_or_url(store: GraphStore, reference: str) -> NamedNode | None:
    """The graph IRI of a source named by its IRI or its URL; None otherwise."""
    if reference.startswith(SOURCE_PREFIX):
        return NamedNode(reference)
    if reference.startswith(("http://", "https://")):
        query = f"SELECT ?s WHERE {{ ?s <{SCHEMA}url> ?u }} LIMIT 1"
        result = store.query(query.replace("?u", str(Literal(reference))))
        assert isinstance(result, QuerySolutions)
        for row in result:
            found = row["s"]
            if isinstance(found, NamedNode):
                return found
    return None
