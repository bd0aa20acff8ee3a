"""Counts of what the graph holds, for `kg stats` and the server's health page."""

from __future__ import annotations

from pyoxigraph import QuerySolutions

from kg.prefixes import SPARQL_PREFIXES
from kg.store import GraphStore

_COUNTS = {
    "sources": "?x a kg:Source",
    "states": "?p kg:pledgedBy ?x . ?x a kg:State",
    "leaders": "?x a kg:Leader",
    "pledges": "?x a kg:Pledge",
    "meetings": "?x a kg:Meeting",
}


def store_stats(store: GraphStore) -> dict[str, int]:
    """Distinct sources, pledging states, leaders, pledges and meetings, and all quads."""
    selects = " ".join(
        f"{{ SELECT (COUNT(DISTINCT ?x) AS ?{name}) WHERE {{ {pattern} }} }}"
        for name, pattern in _COUNTS.items()
    )
    result = store.query(f"{SPARQL_PREFIXES}SELECT * WHERE {{ {selects} }}")
    assert isinstance(result, QuerySolutions)
    counts: dict[str, int] = {}
    for row in result:
        for name in _COUNTS:
            term = row[name]
            counts[name] = int(term.value) if term is not None else 0
    counts["quads"] = store.count()
    return counts
