"""``/countries``: the states the sources speak of with their counts, one state's document
(its leaders, pledges, meetings, sources and stances over time), and its quads for export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence

from pyoxigraph import NamedNode, Quad

from api.models import (
    CountriesPublic,
    CountryDetailPublic,
    CountryPublic,
    PositionPublic,
    StanceReportPublic,
)
from api.queries.assemble import leader_models, meeting_models, pledge_models, source_models
from api.queries.described import Graph, order_dated, order_leaders, order_pledges
from api.queries.members import SOURCE_LINKS, country_members, state_branches, union
from api.queries.sparql import chunks, describe, select, value, values
from api.queries.states import StateIndex
from api.queries.terms import iris_of, wikidata
from kg.records import ContributionType, Stance
from kg.store import GraphStore
from kg.timeline import known_by, positions, stance_timeline
from kg.vocab import DATE_PUBLISHED, DERIVED_FROM, kg


def state_counts(store: GraphStore, states: Sequence[str]) -> dict[str, dict[str, int]]:
    """Distinct leaders, pledges and meetings per state (meetings directly or via a leader)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    bind = values("state", [NamedNode(s) for s in states])
    branches = union(state_branches("?state"), "s")
    rows = select(
        store,
        f"SELECT ?state ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {bind} {branches} }} "
        "GROUP BY ?state ?kind",
    )
    for row in rows:
        counts[value(row["state"])][value(row["kind"])] = int(value(row["n"]))
    return counts


def country(
    store: GraphStore, index: StateIndex, iri: str, counts: dict[str, int]
) -> CountryPublic:
    entry = index.states[iri]
    props = describe(store, [iri])[iri]
    return CountryPublic(
        code=entry.code,
        alpha3=entry.alpha3,
        name=entry.name,
        iri=iri,
        wikidata=wikidata(props),
        leaders=counts.get("leaders", 0),
        pledges=counts.get("pledges", 0),
        meetings=counts.get("meetings", 0),
    )


def countries_in_sources(store: GraphStore) -> list[str]:
    """States that some source graph points to, by ISO code."""
    rows = select(
        store,
        "SELECT DISTINCT ?state ?code WHERE { GRAPH ?g { ?g a kg:Source . ?x ?rel ?state . "
        f"VALUES ?rel {{ {SOURCE_LINKS} }} }} ?state a kg:State ; kg:isoCode ?code }}",
    )
    return [
        value(r["state"]) for r in sorted(rows, key=lambda r: (value(r["code"]), value(r["state"])))
    ]


def countries_page(
    store: GraphStore, index: StateIndex, limit: int, offset: int
) -> CountriesPublic:
    iris = [i for i in countries_in_sources(store) if i in index.states]
    page = iris[offset : offset + limit]
    counts = state_counts(store, page) if page else {}
    data = [country(store, index, iri, counts.get(iri, {})) for iri in page]
    return CountriesPublic(limit=limit, offset=offset, total=len(iris), data=data)


def country_detail(
    store: GraphStore, index: StateIndex, iri: str, as_of: dt.date | None = None
) -> CountryDetailPublic:
    """Everything about one state, each list in a stable order, with its stance on each type
    over time; with ``as_of``, its pledges and stances by what had been reported by then."""
    members = country_members(store, iri)
    if as_of is not None:
        members["pledge"] = sorted(known_by(store, as_of, members["pledge"]))
    timeline = stance_timeline(store, iri, as_of)
    counts = {f"{kind}s": len(members[kind]) for kind in ("leader", "pledge", "meeting")}
    graph = Graph()
    graph.add(store, [m for found in members.values() for m in found])
    graph.add(store, {s for p in members["pledge"] for s in iris_of(graph.of(p), DERIVED_FROM)})
    types = ContributionType._value2member_map_
    stances = Stance._value2member_map_
    return CountryDetailPublic(
        country=country(store, index, iri, counts),
        leaders=leader_models(store, graph, order_leaders(graph, members["leader"])),
        pledges=pledge_models(store, graph, order_pledges(graph, members["pledge"])),
        meetings=meeting_models(store, graph, order_dated(graph, members["meeting"], kg("date"))),
        sources=source_models(store, graph, order_dated(graph, members["source"], DATE_PUBLISHED)),
        as_of=as_of,
        positions=[
            PositionPublic(
                type=ContributionType(p.kind),
                stances=[Stance(x) for x in p.stances],
                since=p.since,
                sources=p.sources,
            )
            for p in positions(timeline)
            if p.kind in types
        ],
        stance_timeline=[
            StanceReportPublic(
                type=ContributionType(r.kind),
                date=r.day,
                stance=Stance(r.stance),
                sources=r.sources,
            )
            for r in timeline
            if r.kind in types and r.stance in stances
        ],
    )


def state_quads(store: GraphStore, state: str) -> Iterator[Quad]:
    """The quads whose subject is the state, its leaders, pledges, meetings or their sources."""
    members = country_members(store, state)
    subjects = sorted({state, *(m for found in members.values() for m in found)})
    graph = Graph()
    graph.add(store, members["pledge"] + members["meeting"] + members["leader"])
    subjects = sorted(
        {*subjects, *(s for m in subjects for s in iris_of(graph.of(m), DERIVED_FROM))}
    )
    for chunk in chunks(subjects):
        rows = select(
            store,
            f"SELECT DISTINCT ?s ?p ?o ?g WHERE {{ {values('s', chunk)} GRAPH ?g {{ ?s ?p ?o }} }}",
        )
        for row in rows:
            yield Quad(row["s"], row["p"], row["o"], row["g"])  # type: ignore[arg-type]
