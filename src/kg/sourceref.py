"""Finding stored sources from what a user knows of one: its IRI or id, its URL (tracking
parameters and all), or the input file or folder it was read from (path, relative or not)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from kg.changes import Scope
from kg.claims import refresh
from kg.config import Settings
from kg.identity import normalise_url, path_locator, source_id
from kg.ingest import StoreTarget, stored_sources
from kg.rdf import SOURCE_PREFIX, source_iri
from kg.sources import read_file
from kg.store import GraphStore

_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Reference:
    """A user's name for sources: named graphs, or an input file or folder (``path``)."""

    graphs: tuple[NamedNode, ...] = ()
    path: str | None = None


def parse_reference(reference: str) -> Reference:
    """What ``reference`` names. A malformed IRI under the sources' namespace is a ValueError.

    >>> parse_reference("https://example.org/a?utm_source=x").path is None
    True
    >>> parse_reference("seeds/a.txt").path
    'seeds/a.txt'
    """
    if reference.startswith(SOURCE_PREFIX):
        return Reference((NamedNode(reference),))
    if _ID.match(reference) and not Path(reference).exists():
        return Reference((source_iri(reference),))
    if reference.startswith(("http://", "https://")):
        return Reference()
    return Reference(path=path_locator(Path(reference)))


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
    if found.scope is None:
        if found.graphs:
            store.apply({}, found.graphs)
            refresh(store, [g.value for g in found.graphs])
        return found.graphs, {}
    target = StoreTarget(store)
    dropped, kept = target.remove_gone(found.scope)
    legacy = [g for g in found.graphs if g not in dropped and g not in kept and store.has_graph(g)]
    if legacy:
        store.apply({}, legacy)
    if dropped or kept or legacy:
        refresh(store, target.touched | {g.value for g in legacy})
    return sorted([*dropped, *legacy], key=lambda g: g.value), kept
