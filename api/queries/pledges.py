"""``/pledges``: pledges filtered by actor, stance, type and dates, newest first, and one
pledge with its state, stance, types, dates, evidence, meeting and sources."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pyoxigraph import NamedNode

from api.models import PledgePublic, PledgesPublic
from api.queries.assemble import pledge_models
from api.queries.described import Graph, newest_first
from api.queries.sparql import select, value, values
from kg.records import ContributionType, Stance
from kg.store import GraphStore
from kg.timeline import known_by
from kg.vocab import concept, resource_iri


def pledge_candidates(
    store: GraphStore,
    actor: str | None,
    stance: Stance | None,
    kind: ContributionType | None,
) -> dict[str, dt.date | None]:
    """Pledges matching the filters, with the date each is listed under (its own date, else
    the date it was reported on, else its article's)."""
    patterns = ["?p a kg:Pledge ."]
    if actor:
        patterns.append(f"{values('actor', [NamedNode(actor)])} ?p kg:pledgedBy ?actor .")
    if stance:
        patterns.append(f"{values('stance', [concept(stance)])} ?p kg:stance ?stance .")
    if kind:
        patterns.append(f"{values('type', [concept(kind)])} ?p kg:contributionType ?type .")
    rows = select(
        store,
        f"SELECT DISTINCT ?p ?d ?r ?pub WHERE {{ {' '.join(patterns)} "
        "OPTIONAL { ?p kg:date ?d } OPTIONAL { ?p kg:reportedOn ?r } "
        "OPTIONAL { ?p prov:wasDerivedFrom ?src . "
        "?src schema:datePublished|kg:referenceDate ?pub } }",
    )
    found: dict[str, dict[str, list[dt.date]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        dates = found[value(row["p"])]
        for name in ("d", "r", "pub"):
            if name in row:
                try:
                    dates[name].append(dt.date.fromisoformat(value(row[name])[:10]))
                except ValueError:
                    pass
    return {
        iri: next((max(dates[n]) for n in ("d", "r", "pub") if dates[n]), None)
        for iri, dates in found.items()
    }


def pledges_page(
    store: GraphStore,
    actor: str | None,
    stance: Stance | None,
    kind: ContributionType | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    offset: int,
    as_of: dt.date | None = None,
) -> PledgesPublic:
    """Pledges matching the filters, newest first (by the pledge's date, else its article's);
    ``since`` / ``until`` (inclusive) leave out pledges with no date at all; ``as_of`` keeps
    the pledges reported on or before that day (:func:`kg.timeline.known_by`)."""
    dates = pledge_candidates(store, actor, stance, kind)
    if as_of is not None:
        known = known_by(store, as_of, dates)
        dates = {iri: when for iri, when in dates.items() if iri in known}
    if since or until:
        dates = {
            iri: when
            for iri, when in dates.items()
            if when is not None and (not since or when >= since) and (not until or when <= until)
        }
    ordered = newest_first((when, iri) for iri, when in dates.items())
    page = ordered[offset : offset + limit]
    return PledgesPublic(
        limit=limit, offset=offset, total=len(ordered), data=pledge_models(store, Graph(), page)
    )


def pledge_detail(store: GraphStore, pledge_id: str) -> PledgePublic | None:
    """The pledge ``kgr:pledge/{pledge_id}``, or None when the graph has no such pledge."""
    iri = resource_iri("pledge", pledge_id).value
    graph = Graph()
    graph.add(store, [iri])
    if not graph.is_a(iri, "Pledge"):
        return None
    return pledge_models(store, graph, [iri])[0]
