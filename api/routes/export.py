"""``/export``: the whole graph, one named graph, or the facts about one state, as a file;
``/context.jsonld``: the JSON-LD context its JSON-LD is compacted with."""

from __future__ import annotations

import re
from typing import IO, Annotated

from fastapi import APIRouter, HTTPException, Query
from pyoxigraph import NamedNode, RdfFormat, Triple
from starlette.responses import JSONResponse, Response

from api.deps import LookupDep, PoolsDep, SettingsDep
from api.iris import iri_parameter
from api.models import ErrorPublic
from api.queries.countries import state_quads
from api.results import body_schema, checked
from api.runner import Deadline
from api.streaming import stream_download
from kg.dumps import EXPORT_SECONDS, write_quads, write_triples
from kg.formats import ExportFormat
from kg.prefixes import context_document
from kg.store import DATASET_FORMATS, FORMATS, GraphStore

router = APIRouter(tags=["export"])


MEDIA = {
    ExportFormat.turtle: ("text/turtle; charset=utf-8", "ttl"),
    ExportFormat.trig: ("application/trig", "trig"),
    ExportFormat.nquads: ("application/n-quads", "nq"),
    ExportFormat.jsonld: ("application/ld+json", "jsonld"),
    ExportFormat.ntriples: ("application/n-triples", "nt"),
}


def _slug(text: str) -> str:
    """A file-name-safe rendering of an IRI's last segment.

    >>> _slug("https://w3id.org/pledgekg/id/source/0a1b")
    '0a1b'
    """
    last = re.split(r"[/#:]", text.rstrip("/#"))[-1] or "graph"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", last)[:60].strip("-.") or "graph"


def _write(
    store: GraphStore, fmt: ExportFormat, state: str | None, graph: str | None, out: IO[bytes]
) -> None:
    rdf_format: RdfFormat = FORMATS[fmt.value]
    if state is None:
        store.export(out, fmt.value, NamedNode(graph) if graph else None)
    elif fmt.value in DATASET_FORMATS:
        quads = list(state_quads(store, state))
        list(checked((q.triple for q in quads), rdf_format))
        write_quads(quads, out, rdf_format)
    else:
        triples = {Triple(q.subject, q.predicate, q.object) for q in state_quads(store, state)}
        write_triples(checked(sorted(triples, key=str), rdf_format), out, rdf_format)


@router.get(
    "/export",
    summary="Download the graph",
    response_class=Response,
    responses={
        200: {
            "description": "The RDF file, streamed, with a file name in Content-Disposition.",
            "content": {media: body_schema(media) for media, _ in MEDIA.values()},
        },
        400: {"model": ErrorPublic},
        404: {"model": ErrorPublic, "description": "No such country or graph."},
    },
)
async def export(
    settings: SettingsDep,
    pools: PoolsDep,
    lookup: LookupDep,
    format: Annotated[ExportFormat, Query(description="RDF format.")] = ExportFormat.turtle,
    country: Annotated[
        str | None, Query(max_length=100, description="Only the facts about this state.")
    ] = None,
    graph: Annotated[
        str | None, Query(max_length=2000, description="Only this named graph.")
    ] = None,
) -> Response:
    """Turtle and N-Triples give the union of all graphs; TriG, N-Quads and JSON-LD keep each
    fact's named graph (its source). ``country`` gives the state, its leaders, pledges and
    meetings and their articles; ``graph`` one named graph."""
    if country and graph:
        raise HTTPException(status_code=400, detail="give either 'country' or 'graph', not both")
    state: str | None = None
    name = "pledgekg"
    if country:
        entry = await lookup.country(country)
        state, name = entry.iri, f"pledgekg-{entry.code}"
    elif graph:
        node = iri_parameter("graph", graph)
        if not await lookup.run(lambda store: store.has_graph(node)):
            raise HTTPException(status_code=404, detail="no such named graph")
        name = f"pledgekg-graph-{_slug(graph)}"
    media, extension = MEDIA[format]
    headers = {"Content-Disposition": f'attachment; filename="{name}.{extension}"'}
    store = lookup.store
    deadline = Deadline.after(max(settings.query_timeout, EXPORT_SECONDS))

    return await stream_download(
        pools.exports,
        lambda out: _write(store, format, state, graph, out),
        lookup.client,
        deadline,
        media,
        headers,
    )


@router.get(
    "/context.jsonld",
    summary="The JSON-LD context of the exports",
    response_class=JSONResponse,
    responses={200: {"content": {"application/ld+json": body_schema("application/ld+json")}}},
)
async def jsonld_context() -> JSONResponse:
    """The prefixes and terms JSON-LD exports are compacted with (also shipped as
    ``ontology/context.jsonld``): use it to compact or expand the graph's JSON-LD."""
    return JSONResponse(context_document(), media_type="application/ld+json")
