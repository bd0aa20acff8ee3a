"""Reading a described resource's values (:data:`api.queries.sparql.Props`): IRIs, texts,
dates, scores and labels, each read leniently (a malformed value is left out).

>>> props = {LABEL.value: [Literal("Spanien", language="de"), Literal("Spain", language="en")]}
>>> label(props, "?")
'Spain'
"""

from __future__ import annotations

import datetime as dt

from pyoxigraph import Literal, NamedNode

from api.queries.sparql import Props
from kg.vocab import LABEL, SAME_AS, WD, A, kg


def iris_of(props: Props, predicate: NamedNode) -> list[str]:
    """The IRIs among a resource's values for ``predicate``."""
    return [t.value for t in props.get(predicate.value, []) if isinstance(t, NamedNode)]


def texts(props: Props, predicate: NamedNode) -> list[str]:
    """The distinct literal values for ``predicate``, sorted."""
    return sorted({t.value for t in props.get(predicate.value, []) if isinstance(t, Literal)})


def text(props: Props, predicate: NamedNode) -> str | None:
    """The literal values for ``predicate`` joined with "; ", or None."""
    found = texts(props, predicate)
    return "; ".join(found) if found else None


def score(props: Props) -> float | None:
    """The highest confidence any source's graph gives a fact."""
    scores = []
    for found in texts(props, kg("confidence")):
        try:
            scores.append(float(found))
        except ValueError:
            continue
    return max(scores) if scores else None


def date(props: Props, predicate: NamedNode) -> dt.date | None:
    """The latest date among the values for ``predicate``."""
    dates = []
    for found in texts(props, predicate):
        try:
            dates.append(dt.date.fromisoformat(found[:10]))
        except ValueError:
            continue
    return max(dates) if dates else None


def time(props: Props, predicate: NamedNode) -> dt.datetime | None:
    """The latest date and time among the values for ``predicate``."""
    times = []
    for found in texts(props, predicate):
        try:
            times.append(dt.datetime.fromisoformat(found))
        except ValueError:
            continue
    return max(times) if times else None


def label(props: Props, fallback: str) -> str:
    """The English (or untagged, or any) ``rdfs:label``, else ``fallback``."""
    labels = [t for t in props.get(LABEL.value, []) if isinstance(t, Literal)]
    for wanted in ("en", None):
        for term in labels:
            if (term.language or None) == wanted or (
                wanted == "en" and (term.language or "").lower().startswith("en-")
            ):
                return term.value
    return labels[0].value if labels else fallback


def has_type(props: Props, local: str) -> bool:
    """Whether the resource is a ``kg:{local}``."""
    return kg(local).value in iris_of(props, A)


def wikidata(props: Props) -> str | None:
    """The Wikidata entity the resource is ``owl:sameAs``."""
    return next((i for i in iris_of(props, SAME_AS) if i.startswith(WD)), None)
