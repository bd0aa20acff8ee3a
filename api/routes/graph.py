"""``/graph``: the SPARQL 1.1 Graph Store HTTP Protocol, read side."""

from __future__ import annotations

from typing import IO, Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pyoxigraph import NamedNode, RdfFormat, serialize
from starlette.responses import Response

from api.deps import LookupDep, PoolsDep, SettingsDep
from api.iris import iri_parameter
from api.models import ErrorPublic
from api.results import (
    GRAPHS,
    body_schema,
    checked,
)
from api.routes import negotiate
from api.runner import Deadline
from api.streaming import stream_download
from kg.dumps import EXPORT_SECONDS, TRIPLE_TERMS
from kg.prefixes import PREFIXES
from kg.store import GraphStore

router = APIRouter(tags=["SPARQL"])


def _write_graph(
    store: GraphStore, graph: NamedNode | None, rdf: RdfFormat, out: IO[bytes]
) -> None:
    if graph is None:
        triples = store.union_triples()
    else:
        where = f"GRAPH {graph} {{ ?s ?p ?o }}"
        triples = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    serialize(checked(triples, rdf), out, rdf, prefixes=PREFIXES)


def _holds_triple_terms(store: GraphStore, graph: NamedNode | None) -> bool:
    where = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    answer = store.query(f"ASK {{ {where} FILTER(isTRIPLE(?o)) }}")
    return bool(answer)


@router.head("/graph", include_in_schema=False)
@router.get(
    "/graph",
    summary="Graph Store Protocol: one named graph, or the default graph",
    response_class=Response,
    responses={
        200: {
            "description": "The graph, as Turtle, N-Triples, JSON-LD or RDF/XML (by Accept or "
            "format).",
            "content": {f.media_type: body_schema(f.media_type) for f in GRAPHS},
        },
        400: {"model": ErrorPublic},
        404: {"model": ErrorPublic},
        406: {"model": ErrorPublic},
    },
)
async def get_graph(
    request: Request,
    settings: SettingsDep,
    pools: PoolsDep,
    lookup: LookupDep,
    graph: Annotated[str | None, Query(max_length=2000, description="A named graph's IRI.")] = None,
    default: Annotated[
        str | None, Query(description="Present (with any value) to ask for the default graph.")
    ] = None,
    format: Annotated[str | None, Query(max_length=100, description="Overrides Accept.")] = None,
) -> Response:
    """``?graph=IRI`` gives that named graph; ``?default`` the default graph, which here is
    the union of all graphs, as the SPARQL endpoint sees it."""
    if (graph is None) == (default is None):
        raise HTTPException(status_code=400, detail="give exactly one of ?graph=IRI or ?default")
    fmt = negotiate(GRAPHS, request, format)
    node: NamedNode | None = None
    if graph is not None:
        named = node = iri_parameter("graph", graph)
        if not await lookup.run(lambda store: store.has_graph(named)):
            raise HTTPException(status_code=404, detail="no such named graph")
    if fmt.rdf == RdfFormat.JSON_LD and await lookup.run(
        lambda store: _holds_triple_terms(store, node)
    ):
        # refused before the first byte: a stream cut at the first triple term is no answer
        raise HTTPException(status_code=406, detail=TRIPLE_TERMS)
    if request.method == "HEAD":
        return Response(media_type=fmt.content_type)
    store = lookup.store
    deadline = Deadline.after(max(settings.query_timeout, EXPORT_SECONDS))

    rdf = fmt.rdf
    assert rdf is not None
    return await stream_download(
        pools.exports,
        lambda out: _write_graph(store, node, rdf, out),
        lookup.client,
        deadline,
        fmt.content_type,
    )
