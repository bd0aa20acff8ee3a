"""Where a remote store's endpoints are. This project's server describes its own at
``/.well-known/pledgekg``; any other server is taken to use the paths of the settings, whose
defaults are Oxigraph's (``/query``, ``/update``, ``/store``). A ``KG_STORE_*_PATH`` that is
set overrides what was found.

>>> Endpoints.of_document(PLEDGEKG.document(), "http://127.0.0.1:8000") == PLEDGEKG
True
>>> Endpoints.of_document({"service": "pledgekg", "query": "sparql"}, "http://x")
Traceback (most recent call last):
ValueError: http://x/.well-known/pledgekg: field 'query' is not a path starting with /
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from kg.config import Settings

if TYPE_CHECKING:
    import httpx

WELL_KNOWN = "/.well-known/pledgekg"
SERVICE = "pledgekg"
_PATH_SETTINGS = {
    "query": "store_query_path",
    "update": "store_update_path",
    "graph": "store_graph_path",
}


@dataclass(frozen=True)
class Endpoints:
    """Paths under a store's base URL. ``dataset`` answers a GET with every graph as N-Quads;
    ``union``, when known, with the union of all graphs as N-Triples (else a CONSTRUCT gives
    it); ``ingest`` is set for this project's server, which takes writes only there."""

    query: str
    update: str
    graph: str
    dataset: str
    union: str | None = None
    ingest: str | None = None

    def document(self) -> dict[str, str | None]:
        """The discovery document that describes these endpoints."""
        return {"service": SERVICE, **{f.name: getattr(self, f.name) for f in fields(self)}}

    @classmethod
    def of_document(cls, document: object, base: str) -> Endpoints:
        """The endpoints a discovery document names; ValueError naming a bad field."""
        if not isinstance(document, dict):
            raise ValueError(f"{base}{WELL_KNOWN}: not a JSON object")
        found: dict[str, str | None] = {}
        for field in fields(cls):
            value = document.get(field.name)
            optional = field.default is None
            if (value is None and not optional) or (
                value is not None and not (isinstance(value, str) and value.startswith("/"))
            ):
                raise ValueError(
                    f"{base}{WELL_KNOWN}: field '{field.name}' is not a path starting with /"
                )
            found[field.name] = value
        return cls(**found)  # type: ignore[arg-type]


PLEDGEKG = Endpoints(
    query="/sparql",
    update="/sparql",
    graph="/graph",
    dataset="/export?format=nquads",
    union="/graph?default",
    ingest="/ingest",
)


def configured(settings: Settings) -> Endpoints:
    """The endpoints the settings name (Oxigraph's by default)."""
    return Endpoints(
        query=settings.store_query_path,
        update=settings.store_update_path,
        graph=settings.store_graph_path,
        dataset=settings.store_graph_path,
    )


def discover(client: httpx.Client, settings: Settings) -> Endpoints:
    """The endpoints of the store at ``settings.store``: asked of the server unless every path
    is set. Raises ``httpx.HTTPError`` when it cannot be reached, ValueError when its
    description is wrong."""
    base = settings.store.rstrip("/")
    overrides = {
        name: getattr(settings, setting)
        for name, setting in _PATH_SETTINGS.items()
        if setting in settings.model_fields_set
    }
    if len(overrides) == 3:
        return configured(settings)
    response = client.get(base + WELL_KNOWN, headers={"Accept": "application/json"})
    found = configured(settings)
    if response.status_code == 200:
        try:
            document = response.json()
        except ValueError:
            document = None
        if isinstance(document, dict) and document.get("service") == SERVICE:
            found = Endpoints.of_document(document, base)
    if "graph" in overrides:
        # A Graph Store endpoint named by hand is read as Oxigraph's: whole dataset, no union.
        overrides.update(dataset=overrides["graph"], union=None)
    return replace(found, **overrides)
