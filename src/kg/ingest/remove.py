"""Finding and removing the stored sources a user names (:mod:`kg.reference`): by IRI, id or
URL the graph; by input file or folder every source read from there, as an ingest of that
folder removes what is gone from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from kg.changes import Scope
from kg.config import Settings
from kg.identity import normalise_url, source_id
from kg.ingest.sinks import StoreSink
from kg.ingest.stored import stored_sources
from kg.rdf import source_iri
from kg.reference import parse_reference
from kg.sources import read_file
from kg.store import GraphStore


@dataclass
class Found:
    """The graphs a reference names, and how a path reaches them."""

    graphs: list[NamedNode] = field(default_factory=list)
    scope: Scope | None = None


def find_sources(store: GraphStore, reference: str, settings: Settings) -> Found:
    """The stored sources ``reference`` names: one for an IRI, id or URL; for an input file
    or folder, every source read from it (or, for a file read before input files were
    recorded, the sources its articles are now)."""
    parsed = parse_reference(reference)
    if parsed.path is None and parsed.graphs:
        return Found([g for g in parsed.graphs if store.has_graph(g)])
    if parsed.path is None:
        found = stored_sources(store, locators=[normalise_url(reference)], urls=[reference])
        return Found(sorted(found, key=lambda g: g.value))
    scope = Scope(roots=(parsed.path,))
    graphs = set(stored_sources(store, roots=scope.roots))
    path = Path(reference)
    if path.is_file():
        # Sources stored before input files were recorded are found by what the file holds.
        articles, _ = read_file(path, settings.max_article_bytes)
        held = stored_sources(store, graphs=[source_iri(source_id(a)) for a in articles])
        graphs |= {graph for graph, source in held.items() if not source.paths}
    return Found(sorted(graphs, key=lambda g: g.value), scope)


def remove_sources(
    store: GraphStore, reference: str, settings: Settings
) -> tuple[list[NamedNode], dict[NamedNode, frozenset[str]]]:
    """Remove what ``reference`` names: the graphs it names, or the claims of an input file
    or folder, a source going once no file of it is left; what went, and the sources that
    stay because other files still hold them (with those files). The claims are computed
    again afterwards."""
    found = find_sources(store, reference, settings)
    sink = StoreSink(store, settings)
    if found.scope is None:
        if found.graphs:
            store.apply({}, found.graphs)
            sink.finish(set(found.graphs))
        return found.graphs, {}
    dropped, kept = sink.sweep(found.scope)
    legacy = [g for g in found.graphs if g not in dropped and g not in kept and store.has_graph(g)]
    if legacy:
        store.apply({}, legacy)
    if dropped or kept or legacy:
        sink.finish({*dropped, *kept, *legacy})
    return sorted([*dropped, *legacy], key=lambda g: g.value), kept
