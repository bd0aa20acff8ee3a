"""Which resources a page or document lists: the leaders, pledges, meetings and sources of a
state, the facts of a source, and every resource of one kind with its date and name."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import NamedNode

from api.queries.sparql import select, value, values
from kg.rdf import distinct
from kg.store import GraphStore
from kg.vocab import DATE_PUBLISHED, KG, LABEL, kg

SOURCE_LINKS = "kg:pledgedBy kg:represents kg:participant kg:mentions"
"""The links from a source's facts to the states the source is about."""


def state_branches(state: str) -> list[tuple[str, str]]:
    """``(kind, pattern)`` pairs, each pattern binding ``?x`` to a leader, pledge or meeting of
    ``state``: a state's IRI written by pyoxigraph (a constant makes each pattern an index
    lookup; the engine does not push a binding from outside into UNION branches), or
    ``?state``, which the patterns then bind too. Meetings come twice: those the state took
    part in, and those one of its leaders did."""
    keep = " ?state" if state == "?state" else ""
    leaders_of = distinct(f"?leader{keep}", f"?leader kg:represents {state}")
    return [
        (
            "leader",
            distinct(f"?x{keep}", f"?x kg:represents {state}")
            + " FILTER EXISTS { ?x a kg:Leader }",
        ),
        ("pledge", f"?x kg:pledgedBy {state} . FILTER EXISTS {{ ?x a kg:Pledge }}"),
        (
            "meeting",
            distinct(f"?x{keep}", f"?x kg:participant {state}")
            + " FILTER EXISTS { ?x a kg:Meeting }",
        ),
        (
            "meeting",
            distinct(
                f"?x{keep}",
                f"{leaders_of} ?x kg:participant ?leader . FILTER EXISTS {{ ?leader a kg:Leader }}",
            )
            + " FILTER EXISTS { ?x a kg:Meeting }",
        ),
    ]


def union(branches: Iterable[tuple[str, str]], suffix: str = "") -> str:
    """The patterns as one UNION, each binding ``?kind`` to its kind (plus ``suffix``)."""
    return " UNION ".join(
        f'{{ {pattern} BIND("{kind}{suffix}" AS ?kind) }}' for kind, pattern in branches
    )


def _state_term(state: str) -> str:
    """A state's IRI as SPARQL text, written by pyoxigraph (validated)."""
    return str(NamedNode(state))


def country_members(store: GraphStore, state: str) -> dict[str, list[str]]:
    """The leaders, pledges, meetings and sources of one state."""
    iri = _state_term(state)
    sources = f"GRAPH ?x {{ ?x a kg:Source . ?y ?rel {iri} . VALUES ?rel {{ {SOURCE_LINKS} }} }}"
    branches = union([*state_branches(iri), ("source", sources)])
    rows = select(store, f"SELECT DISTINCT ?kind ?x WHERE {{ {branches} }}")
    members: dict[str, list[str]] = {"leader": [], "pledge": [], "meeting": [], "source": []}
    for row in rows:
        members[value(row["kind"])].append(value(row["x"]))
    return members


def source_members(store: GraphStore, source: str) -> dict[str, list[str]]:
    """The leaders, pledges and meetings extracted from one source."""
    rows = select(
        store,
        f"SELECT DISTINCT ?kind ?x WHERE {{ {values('g', [NamedNode(source)])} "
        "VALUES ?kind { kg:Leader kg:Pledge kg:Meeting } GRAPH ?g { ?x a ?kind } }",
    )
    members: dict[str, list[str]] = {"Leader": [], "Pledge": [], "Meeting": []}
    for row in rows:
        members[value(row["kind"]).removeprefix(KG)].append(value(row["x"]))
    return members


def typed(
    store: GraphStore, kind: str, actor: str | None = None
) -> dict[str, tuple[dt.date | None, str]]:
    """Every ``kg:{kind}`` (Leader, Meeting, Source) with its newest date and its first label,
    optionally only those of one state."""
    if kind == "Source":
        pattern = "GRAPH ?x { ?x a kg:Source }"
    elif actor:
        branches = state_branches(_state_term(actor))
        chosen = [pattern for found, pattern in branches if found == kind.lower()]
        pattern = " UNION ".join(f"{{ {p} }}" for p in chosen)
    else:
        pattern = f"?x a kg:{kind}"
    dated = [DATE_PUBLISHED, kg("referenceDate")] if kind == "Source" else [kg("date")]
    wanted = [*dated, LABEL]
    rows = select(
        store,
        f"SELECT DISTINCT ?x ?p ?o WHERE {{ {distinct('?x', pattern)} "
        f"OPTIONAL {{ {values('p', wanted)} ?x ?p ?o }} }}",
    )
    dates: dict[str, list[dt.date]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        iri = value(row["x"])
        dates[iri]
        if "o" not in row:
            continue
        text = value(row["o"])
        if value(row["p"]) == LABEL.value:
            names[iri].append(text)
            continue
        try:
            dates[iri].append(dt.date.fromisoformat(text[:10]))
        except ValueError:
            pass
    return {
        iri: (max(found) if found else None, min(names[iri]) if names[iri] else iri)
        for iri, found in dates.items()
    }
