"""``/sources``: articles newest first, and one article with what it mentions and the
leaders, pledges and meetings extracted from it."""

from __future__ import annotations

from pyoxigraph import NamedNode

from api.models import ActorRef, SourceDetailPublic, SourcesPublic
from api.queries.assemble import leader_models, meeting_models, pledge_models, source_models
from api.queries.described import Graph, newest_first, order_dated, order_leaders, order_pledges
from api.queries.members import source_members, typed
from api.queries.terms import iris_of
from kg.store import GraphStore
from kg.vocab import kg, resource_iri


def sources_page(store: GraphStore, limit: int, offset: int) -> SourcesPublic:
    """Articles newest first, undated last."""
    found = typed(store, "Source")
    ordered = newest_first((when, iri) for iri, (when, _) in found.items())
    page = ordered[offset : offset + limit]
    return SourcesPublic(
        limit=limit, offset=offset, total=len(ordered), data=source_models(store, Graph(), page)
    )


def _mentions(graph: Graph, source: str) -> list[ActorRef]:
    refs = [graph.actor(i) for i in iris_of(graph.of(source), kg("mentions"))]
    return sorted(refs, key=lambda a: (a.kind, a.name.casefold(), a.iri))


def source_detail(store: GraphStore, source_id: str) -> SourceDetailPublic | None:
    """The article ``kgr:source/{source_id}``, or None when the store has no such source."""
    iri = resource_iri("source", source_id).value
    if not store.has_graph(NamedNode(iri)):
        return None
    graph = Graph()
    graph.add(store, [iri])
    if not graph.is_a(iri, "Source"):
        return None
    members = source_members(store, iri)
    mentioned = iris_of(graph.of(iri), kg("mentions"))
    graph.add(store, [*mentioned, *(m for found in members.values() for m in found)])
    return SourceDetailPublic(
        source=source_models(store, graph, [iri])[0],
        mentions=_mentions(graph, iri),
        leaders=leader_models(store, graph, order_leaders(graph, members["Leader"])),
        pledges=pledge_models(store, graph, order_pledges(graph, members["Pledge"])),
        meetings=meeting_models(store, graph, order_dated(graph, members["Meeting"], kg("date"))),
    )
