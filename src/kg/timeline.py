"""A state's stance over time, by what was known when: each pledge counts from the date its
article reported it (``kg:reportedOn``: the date published, else the latest date the text
states), else from the pledge's own date; a pledge with neither has no place in time.

>>> reports = [
...     StanceReport("GroundTroops", date(2026, 1, 6), "Committed", 2),
...     StanceReport("GroundTroops", date(2026, 3, 1), "Declined", 1),
... ]
>>> [p.stances for p in positions(reports)]
[('Declined',)]
>>> [p.stances for p in positions(reports[:1])]
[('Committed',)]
>>> disputed = StanceReport("GroundTroops", date(2026, 3, 1), "Committed", 1)
>>> [p.stances for p in positions([*reports, disputed])]
[('Committed', 'Declined')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pyoxigraph import Literal, NamedNode, QuerySolutions

from kg.prefixes import KG, SPARQL_PREFIXES
from kg.rdf import XSD_DATE
from kg.store import GraphStore


@dataclass(frozen=True)
class StanceReport:
    """How many sources reported one stance of an actor on one type on one day."""

    kind: str
    day: date
    stance: str
    sources: int


@dataclass(frozen=True)
class Position:
    """An actor's stance on one type as of a day: the stances of its latest reports (two when
    the sources of that day disagree), since when, and how many sources said so then."""

    kind: str
    stances: tuple[str, ...]
    since: date
    sources: int


def _local(iri: str) -> str:
    return iri.removeprefix(KG)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def stance_timeline(store: GraphStore, actor: str, as_of: date | None = None) -> list[StanceReport]:
    """Every (type, day, stance) the sources report of ``actor``, by type and day, each with
    its number of sources; with ``as_of``, only what was reported by then."""
    result = store.query(
        SPARQL_PREFIXES + "SELECT DISTINCT ?type ?stance ?src ?rep ?date WHERE { "
        f"GRAPH ?src {{ ?p kg:pledgedBy {NamedNode(actor)} ; a kg:Pledge ; kg:stance ?stance ; "
        "kg:contributionType ?type . OPTIONAL { ?p kg:reportedOn ?rep } "
        "OPTIONAL { ?p kg:date ?date } } }"
    )
    assert isinstance(result, QuerySolutions)
    found: dict[tuple[str, date, str], set[str]] = defaultdict(set)
    for row in result:
        rep, stated = row["rep"], row["date"]
        known = _day(rep.value if rep else None) or _day(stated.value if stated else None)
        if known is None or (as_of is not None and known > as_of):
            continue
        kind, stance, source = row["type"], row["stance"], row["src"]
        if kind is not None and stance is not None and source is not None:
            found[(_local(kind.value), known, _local(stance.value))].add(source.value)
    return [
        StanceReport(kind, day, stance, len(sources))
        for (kind, day, stance), sources in sorted(found.items())
    ]


def positions(timeline: Iterable[StanceReport]) -> list[Position]:
    """Each type's position at the end of ``timeline``: the stances of its latest day."""
    latest: dict[str, list[StanceReport]] = {}
    for report in timeline:
        held = latest.get(report.kind)
        if held is None or report.day > held[0].day:
            latest[report.kind] = [report]
        elif report.day == held[0].day:
            held.append(report)
    return [
        Position(
            kind,
            tuple(sorted({r.stance for r in held})),
            held[0].day,
            sum(r.sources for r in held),
        )
        for kind, held in sorted(latest.items())
    ]


def known_by(store: GraphStore, day: date, pledges: Iterable[str]) -> set[str]:
    """The pledges among ``pledges`` known on ``day``: reported on or before it (or, for a
    pledge of an undated article, dated on or before it)."""
    chosen = " ".join(str(NamedNode(p)) for p in sorted(set(pledges)))
    if not chosen:
        return set()
    limit = Literal(day.isoformat(), datatype=XSD_DATE)
    result = store.query(
        SPARQL_PREFIXES + f"SELECT DISTINCT ?p WHERE {{ VALUES ?p {{ {chosen} }} "
        "OPTIONAL { ?p kg:reportedOn ?rep } OPTIONAL { ?p kg:date ?date } "
        f"FILTER(COALESCE(?rep, ?date) <= {limit}) }}"
    )
    assert isinstance(result, QuerySolutions)
    return {row["p"].value for row in result if row["p"] is not None}
