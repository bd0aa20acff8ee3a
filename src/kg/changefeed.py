"""Reading the change log (:data:`kg.claims.CHANGES_GRAPH`): the writes since a time, each
with the sources it added, replaced and removed and the claims whose support it changed.

>>> parse_since("2026-01-06")
datetime.datetime(2026, 1, 6, 0, 0, tzinfo=datetime.timezone.utc)
>>> parse_since("2026-01-06T10:00:00+01:00").isoformat()
'2026-01-06T09:00:00+00:00'
>>> parse_since("yesterday")
Traceback (most recent call last):
...
ValueError: 'since' is not an ISO 8601 date or time (2026-01-06, 2026-01-06T10:00Z): 'yesterday'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from pyoxigraph import Literal, QuerySolutions

from kg.claims import CHANGES_GRAPH
from kg.prefixes import KG, SPARQL_PREFIXES
from kg.rdf import XSD_DATETIME
from kg.store import GraphStore

SINCE_FORMS = "an ISO 8601 date or time (2026-01-06, 2026-01-06T10:00Z)"


@dataclass(frozen=True)
class ChangeEvent:
    """One write: when, and what it changed."""

    iri: str
    at: datetime
    added: tuple[str, ...]
    replaced: tuple[tuple[str, str], ...]
    removed: tuple[str, ...]
    claims: tuple[str, ...]


def parse_since(text: str) -> datetime:
    """A time from an ISO 8601 date or date and time; one without a zone is UTC."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'since' is not {SINCE_FORMS}: {text[:60]!r}") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def changes_since(store: GraphStore, since: datetime, limit: int) -> tuple[list[ChangeEvent], int]:
    """The first ``limit`` writes after ``since``, oldest first, and how many there are."""
    after = Literal(since.astimezone(UTC).isoformat(), datatype=XSD_DATETIME)
    result = store.query(
        SPARQL_PREFIXES + f"SELECT ?e ?at ?p ?o ?new ?old WHERE {{ GRAPH {CHANGES_GRAPH} {{ "
        f"?e a kg:ChangeEvent ; prov:generatedAtTime ?at . FILTER(?at > {after}) "
        "OPTIONAL { ?e ?p ?o . VALUES ?p { kg:sourceAdded kg:sourceRemoved kg:claimChanged } } "
        "OPTIONAL { ?e kg:replacement ?r . ?r kg:newSource ?new ; kg:oldSource ?old } } }"
    )
    assert isinstance(result, QuerySolutions)
    times: dict[str, datetime] = {}
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    swaps: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in result:
        event, at = row["e"], row["at"]
        if event is None or at is None:
            continue
        times[event.value] = datetime.fromisoformat(at.value)
        predicate, value = row["p"], row["o"]
        if predicate is not None and value is not None:
            links[event.value][predicate.value.removeprefix(KG)].add(value.value)
        new, old = row["new"], row["old"]
        if new is not None and old is not None:
            swaps[event.value].add((new.value, old.value))
    ordered = sorted(times, key=lambda e: (times[e], e))
    return [
        ChangeEvent(
            iri,
            times[iri],
            tuple(sorted(links[iri]["sourceAdded"])),
            tuple(sorted(swaps[iri])),
            tuple(sorted(links[iri]["sourceRemoved"])),
            tuple(sorted(links[iri]["claimChanged"])),
        )
        for iri in ordered[:limit]
    ], len(ordered)
