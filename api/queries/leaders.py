"""``/leaders``: leaders by name, one leader with the pledges they announced and the
meetings they attended, and close matches for a slug that names none."""

from __future__ import annotations

import difflib
from collections import defaultdict

from api.models import LeaderDetailPublic, LeadersPublic
from api.queries.assemble import leader_models, meeting_models, pledge_models, source_models
from api.queries.described import Graph, order_dated, order_pledges
from api.queries.members import typed
from api.queries.sparql import related, select, value
from api.queries.terms import iris_of
from kg.store import GraphStore
from kg.vocab import DATE_PUBLISHED, DERIVED_FROM, kg, local_id, resource_iri


def leaders_page(store: GraphStore, actor: str | None, limit: int, offset: int) -> LeadersPublic:
    """Leaders (of one state, with ``actor``) ordered by name."""
    found = typed(store, "Leader", actor)
    ordered = sorted(found, key=lambda i: (found[i][1].casefold(), i))
    page = ordered[offset : offset + limit]
    return LeadersPublic(
        limit=limit, offset=offset, total=len(ordered), data=leader_models(store, Graph(), page)
    )


def leader_detail(store: GraphStore, leader_id: str) -> LeaderDetailPublic | None:
    """The leader ``kgr:leader/{leader_id}``, or None when the graph has no such leader."""
    iri = resource_iri("leader", leader_id).value
    graph = Graph()
    graph.add(store, [iri])
    if not graph.is_a(iri, "Leader"):
        return None
    announced = related(store, iri, "kg:announcedBy", "Pledge")
    attended = related(store, iri, "kg:participant", "Meeting")
    graph.add(store, [*announced, *attended])
    graph.add(store, {s for p in announced for s in iris_of(graph.of(p), DERIVED_FROM)})
    own_sources = iris_of(graph.of(iri), DERIVED_FROM)
    return LeaderDetailPublic(
        leader=leader_models(store, graph, [iri])[0],
        pledges=pledge_models(store, graph, order_pledges(graph, announced)),
        meetings=meeting_models(store, graph, order_dated(graph, attended, kg("date"))),
        sources=source_models(store, graph, order_dated(graph, own_sources, DATE_PUBLISHED)),
    )


def unknown_leader_message(store: GraphStore, slug: str) -> str:
    """The 404 text for a slug that names no leader, with the leaders whose slug or surname
    looks like it."""
    rows = select(
        store, "SELECT DISTINCT ?x ?name WHERE { ?x a kg:Leader OPTIONAL { ?x rdfs:label ?name } }"
    )
    names: dict[str, str] = {}
    for row in rows:
        ident = local_id(value(row["x"]), "leader")
        if ident is not None:
            name = value(row["name"]) if "name" in row else ident
            names[ident] = min(names.get(ident, name), name)
    keys: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(names):
        keys[ident].append(ident)
        keys[ident.rsplit("-", 1)[-1]].append(ident)
    found: list[str] = []
    for key in difflib.get_close_matches(slug, list(keys), n=10, cutoff=0.6):
        found.extend(i for i in keys[key] if i not in found)
    if not found:
        return f"no leader {slug!r}; GET /leaders lists them all"
    listed = ", ".join(f"{i} ({names[i]})" for i in found[:5])
    return f"no leader {slug!r}; close matches: {listed}"
