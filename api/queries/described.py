"""The describe cache of one request: resources described once and read many times, the
short references to them that other resources' models carry, and the orders lists come in.

>>> newest_first([(None, "b"), (dt.date(2026, 1, 2), "c"), (dt.date(2026, 3, 1), "a")])
['a', 'c', 'b']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from typing import Literal as Kind

from pyoxigraph import NamedNode

from api.models import ActorRef, DateSource, MeetingRef, SourceRef
from api.queries.sparql import Props, describe
from api.queries.terms import date, has_type, iris_of, label, text, texts
from kg.store import GraphStore
from kg.vocab import DATE_PUBLISHED, DERIVED_FROM, PUBLISHER, TITLE, URL, kg, local_id


@dataclass
class Graph:
    """Described resources, and the refs built from them."""

    props: dict[str, Props] = field(default_factory=dict)

    def add(self, store: GraphStore, iris: Iterable[str]) -> None:
        """Describes the resources not described yet."""
        missing = {i for i in iris if i not in self.props}
        if missing:
            self.props.update(describe(store, missing))

    def of(self, iri: str) -> Props:
        return self.props.get(iri) or {}

    def actor(self, iri: str) -> ActorRef:
        props = self.of(iri)
        kind: Kind["state", "organization", "leader", "other"]
        if (code := local_id(iri, "state")) is not None:
            kind, ident = "state", text(props, kg("isoCode")) or code
        elif (slug := local_id(iri, "organization")) is not None:
            kind, ident = "organization", slug
        elif (slug := local_id(iri, "leader")) is not None:
            kind, ident = "leader", slug
        else:
            kind, ident = "other", None
        return ActorRef(iri=iri, kind=kind, id=ident, name=label(props, ident or iri))

    def source(self, iri: str) -> SourceRef:
        return SourceRef(**source_fields(iri, self.of(iri)))

    def meeting_ref(self, iri: str) -> MeetingRef:
        props = self.of(iri)
        return MeetingRef(
            id=local_id(iri, "meeting"),
            iri=iri,
            label=label(props, iri),
            date=date(props, kg("date")),
        )

    def reported(self, pledge: str) -> dt.date | None:
        """The date a pledge was reported on: its article's date."""
        props = self.of(pledge)
        dates = [d for s in iris_of(props, DERIVED_FROM) if (d := source_date(self.of(s))[0])]
        return date(props, kg("reportedOn")) or (max(dates) if dates else None)

    def when(self, pledge: str) -> dt.date | None:
        """The date a pledge is listed under: its own, else the date it was reported on."""
        return date(self.of(pledge), kg("date")) or self.reported(pledge)

    def is_a(self, iri: str, local: str) -> bool:
        """Whether the described resource is a ``kg:{local}``."""
        return has_type(self.of(iri), local)


def source_date(props: Props) -> tuple[dt.date | None, DateSource | None]:
    """A source's date and where it comes from: published, else the latest its text states."""
    published = date(props, DATE_PUBLISHED)
    if published:
        return published, "published"
    stated = date(props, kg("referenceDate"))
    return (stated, "text") if stated else (None, None)


def source_fields(iri: str, props: Props) -> dict[str, Any]:
    """What a source reference says of a source: names, locator and date."""
    title = text(props, TITLE)
    locators = texts(props, kg("locator"))
    opening = text(props, kg("opening"))
    when, basis = source_date(props)
    named = title or (f"\u201c{opening}\u201d" if opening else None)
    return {
        "id": local_id(iri, "source"),
        "iri": iri,
        "title": title,
        "label": named or (locators[0] if locators else "Untitled article"),
        "url": text(props, URL),
        "locator": locators[0] if locators else None,
        "publisher": text(props, PUBLISHER),
        "date": when,
        "date_source": basis,
    }


def newest_first(items: Iterable[tuple[dt.date | None, str]]) -> list[str]:
    """IRIs newest first, undated last, ties by IRI."""
    listed = list(items)
    dated = sorted(
        ((d, i) for d, i in listed if d is not None), key=lambda e: (-e[0].toordinal(), e[1])
    )
    undated = sorted(i for d, i in listed if d is None)
    return [iri for _, iri in dated] + undated


def order_leaders(graph: Graph, iris: Iterable[str]) -> list[str]:
    """By name, then IRI."""
    return sorted(set(iris), key=lambda i: (label(graph.of(i), i).casefold(), i))


def order_pledges(graph: Graph, iris: Iterable[str]) -> list[str]:
    """Newest first by the date each is listed under."""
    return newest_first((graph.when(i), i) for i in set(iris))


def order_dated(graph: Graph, iris: Iterable[str], predicate: NamedNode) -> list[str]:
    """Newest first by the date ``predicate`` gives."""
    return newest_first((date(graph.of(i), predicate), i) for i in set(iris))
