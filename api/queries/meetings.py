"""``/meetings``: meetings newest first, and one meeting with the pledges made at it."""

from __future__ import annotations

from api.models import MeetingDetailPublic, MeetingsPublic
from api.queries.assemble import meeting_models, pledge_models
from api.queries.described import Graph, newest_first, order_pledges
from api.queries.members import typed
from api.queries.sparql import related
from api.queries.terms import iris_of
from kg.store import GraphStore
from kg.vocab import DERIVED_FROM, resource_iri


def meetings_page(store: GraphStore, actor: str | None, limit: int, offset: int) -> MeetingsPublic:
    """Meetings (of one state, with ``actor``) newest first."""
    found = typed(store, "Meeting", actor)
    ordered = newest_first((when, iri) for iri, (when, _) in found.items())
    page = ordered[offset : offset + limit]
    return MeetingsPublic(
        limit=limit, offset=offset, total=len(ordered), data=meeting_models(store, Graph(), page)
    )


def meeting_detail(store: GraphStore, meeting_id: str) -> MeetingDetailPublic | None:
    """The meeting ``kgr:meeting/{meeting_id}``, or None when the graph has no such meeting."""
    iri = resource_iri("meeting", meeting_id).value
    graph = Graph()
    graph.add(store, [iri])
    if not graph.is_a(iri, "Meeting"):
        return None
    made = related(store, iri, "kg:madeAt", "Pledge")
    graph.add(store, made)
    graph.add(store, {s for p in made for s in iris_of(graph.of(p), DERIVED_FROM)})
    return MeetingDetailPublic(
        meeting=meeting_models(store, graph, [iri])[0],
        pledges=pledge_models(store, graph, order_pledges(graph, made)),
    )
