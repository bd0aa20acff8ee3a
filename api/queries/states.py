"""The state index: every state in the graph, found by ISO code or English name in any case
and without accents, with close matches for a name that finds none."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal

from api.queries.sparql import select, value
from kg.store import GraphStore


def _key(text: str) -> str:
    """Case- and accent-insensitive form of a code or name.

    >>> _key("  Türkiye ") == _key("turkiye")
    True
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class StateEntry:
    iri: str
    code: str
    alpha3: str | None
    name: str


@dataclass
class StateIndex:
    """Every state in the graph, found by alpha-2, alpha-3 or English name in any case."""

    states: dict[str, StateEntry] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def load(store: GraphStore) -> StateIndex:
        rows = select(
            store,
            "SELECT DISTINCT ?state ?code ?a3 ?name ?rank WHERE { ?state a kg:State ; "
            "kg:isoCode ?code . OPTIONAL { ?state kg:alpha3Code ?a3 } "
            "OPTIONAL { { ?state rdfs:label ?name BIND(1 AS ?rank) } UNION "
            "{ ?state skos:altLabel ?name BIND(2 AS ?rank) } } }",
        )
        names: dict[str, list[tuple[int, str]]] = defaultdict(list)
        index = StateIndex()
        entries: dict[str, tuple[str, str | None]] = {}
        for row in rows:
            iri = value(row["state"])
            entries[iri] = (value(row["code"]), value(row["a3"]) if "a3" in row else None)
            term = row.get("name")
            if isinstance(term, Literal):
                english = (term.language or "en").lower().startswith("en")
                rank = int(value(row["rank"])) + (0 if english else 2)
                names[iri].append((rank, term.value))
        for iri, (code, alpha3) in sorted(entries.items(), key=lambda e: e[1][0]):
            ordered = [n for _, n in sorted(names[iri])]
            index.states[iri] = StateEntry(iri, code, alpha3, ordered[0] if ordered else code)
        # codes outrank names, and preferred names outrank alternatives, when keys collide
        for iri, entry in index.states.items():
            index.keys.setdefault(_key(entry.code), iri)
        for iri, entry in index.states.items():
            if entry.alpha3:
                index.keys.setdefault(_key(entry.alpha3), iri)
        for rank in (1, 2, 3, 4):
            for iri in index.states:
                for item_rank, name in sorted(names[iri]):
                    if item_rank == rank:
                        index.keys.setdefault(_key(name), iri)
        return index

    def find(self, text: str) -> StateEntry | None:
        iri = self.keys.get(_key(text))
        return self.states[iri] if iri else None

    def close_matches(self, text: str, n: int = 5) -> list[StateEntry]:
        """States whose code or names look like ``text``."""
        found = difflib.get_close_matches(_key(text), list(self.keys), n=n * 3, cutoff=0.6)
        out: list[StateEntry] = []
        for key in found:
            entry = self.states[self.keys[key]]
            if entry not in out:
                out.append(entry)
        return out[:n]


def unknown_country_message(index: StateIndex, text: str) -> str:
    """The 404 text for a code or name that names no state, with close matches."""
    shown = text if len(text) <= 80 else text[:80] + "..."
    matches = index.close_matches(text)
    if not matches:
        return (
            f"no country matches {shown!r}; use an ISO 3166-1 alpha-2 or alpha-3 code "
            "or an English name"
        )
    listed = ", ".join(f"{m.code} ({m.name})" for m in matches)
    return f"no country matches {shown!r}; close matches: {listed}"
