"""``/sparql``: the SPARQL 1.1 Protocol endpoint (queries for everyone, updates with the token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pyoxigraph import NamedNode
from starlette.responses import Response

from api.deps import CacheDep, PoolsDep, SettingsDep, StoreDep, check_token, client_of
from api.evaluation import run_update
from api.results import body_schema
from api.runner import Deadline, QueryTimeoutError
from api.sparql_protocol import ProtocolError, check_length, parse_operation

router = APIRouter(tags=["SPARQL"])

_TEXT = body_schema("text/plain")
_BODY: dict[str, Any] = {
    "requestBody": {
        "required": False,
        "content": {
            "application/sparql-query": _TEXT,
            "application/sparql-update": _TEXT,
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "update": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "format": {"type": "string"},
                    },
                }
            },
        },
    }
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; "
        "CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML (by Accept or format).",
        "content": {
            media: body_schema(media)
            for media in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
                "text/turtle",
                "application/n-triples",
                "application/ld+json",
                "application/rdf+xml",
            )
        },
    },
    204: {"description": "The update was applied."},
    400: {"description": "Not a valid SPARQL request; the parser's message says why."},
    401: {"description": "An update without a bearer token."},
    403: {"description": "Updates are off, the token is wrong, or SERVICE/LOAD was asked for."},
    406: {"description": "No acceptable result format, or one that cannot carry the result."},
    413: {"description": "The body or the query text is too large."},
    414: {"description": "The query string or the query text is too long."},
    415: {"description": "Unsupported Content-Type or charset."},
    502: {"description": "A SERVICE request (when allowed) failed."},
    503: {
        "description": "The query ran past the time limit or its memory limit and was stopped, "
        "or every worker is busy."
    },
}


def endpoint_iri(request: Request) -> str | None:
    """The endpoint's own URL, the base for relative IRIs; None if the Host header makes it
    no IRI."""
    url = str(request.url.replace(query=None, fragment=None))
    try:
        NamedNode(url)
    except ValueError:
        return None
    return url


@router.get(
    "/sparql",
    summary="SPARQL 1.1 Protocol endpoint (query by GET)",
    responses=_RESPONSES,
    response_class=Response,
    operation_id="sparql_get",
)
@router.post(
    "/sparql",
    summary="SPARQL 1.1 Protocol endpoint (query or update by POST)",
    responses=_RESPONSES,
    openapi_extra=_BODY,
    response_class=Response,
    operation_id="sparql_post",
)
@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False)
async def sparql(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    pools: PoolsDep,
    cache: CacheDep,
    query: Annotated[str | None, Query(description="A SPARQL query (GET or form POST).")] = None,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(alias="default-graph-uri", description="Graphs whose merge is the default graph."),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None, Query(alias="named-graph-uri", description="The named graphs.")
    ] = None,
    format: Annotated[
        str | None,
        Query(
            description="Result format, overriding Accept: json, xml, csv, tsv, turtle, "
            "ntriples, jsonld, rdfxml (or a media type). A value the server does not know "
            "gives way to the Accept header."
        ),
    ] = None,
) -> Response:
    """Query with GET ``?query=``, a form POST (``query=`` or ``update=``) or a direct POST of
    ``application/sparql-query`` / ``application/sparql-update``. The default graph is the
    union of all graphs unless ``default-graph-uri`` / ``named-graph-uri`` (or FROM) say
    otherwise. Updates need ``Authorization: Bearer <token>``; SERVICE and LOAD are refused
    unless the server allows them. Results stop at the server's row limit, and then say so
    (``X-Result-Truncated: true``, and a warning in the body where the format has room)."""
    body = await request.body() if request.method == "POST" else b""
    try:
        operation = parse_operation(
            request.method,
            request.scope.get("query_string", b""),
            request.headers.get("content-type"),
            body,
        )
        check_length(operation, settings.max_query_chars)
    except ProtocolError as exc:
        return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=exc.headers)
    deadline = Deadline.after(settings.query_timeout)
    if operation.kind == "update":
        check_token(settings, request.headers.get("authorization"))
        base = endpoint_iri(request)
        try:
            await pools.write(
                lambda: run_update(store, operation, base, settings.allow_service),
                client_of(request),
                settings.query_timeout,
            )
        except ProtocolError as exc:
            return JSONResponse(
                {"detail": exc.message}, status_code=exc.status, headers=exc.headers
            )
        except QueryTimeoutError as exc:
            return JSONResponse(
                {
                    "detail": f"the update ran past the time limit of {exc.limit:g} s; it is still "
                    "running and may still be applied"
                },
                status_code=503,
            )
        finally:
            cache.invalidate()
        return Response(status_code=204)
    job = {
        "text": operation.text,
        "default_graphs": operation.default_graphs,
        "named_graphs": operation.named_graphs,
        "format": operation.format,
        "accept": request.headers.get("accept"),
        "base_iri": endpoint_iri(request),
        "limit": settings.query_timeout,
        "result_limit": settings.result_limit,
        "allow_service": settings.allow_service,
    }
    return await pools.queries.run(job, client_of(request), deadline)
