"""``/id/…``: every ``https://w3id.org/pledgekg/id/…`` IRI resolves here, as an HTML page or,
by content negotiation (or ``?format=``), as the resource's graph in Turtle, JSON-LD,
N-Triples or RDF/XML."""

from __future__ import annotations

import io
import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import LookupDep
from api.models import ErrorPublic
from api.resource_html import resource_page
from api.resource_view import resource_triples, resource_view
from api.results import (
    GRAPHS,
    Format,
    NotRepresentableError,
    checked,
)
from api.routes import negotiate
from kg.dumps import TripleTermError, write_triples
from kg.vocab import resource_at

router = APIRouter(tags=["resources"])

HTML = Format("html", "text/html", ("application/xhtml+xml",))
OFFERED = (HTML, *GRAPHS)
RESOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*(?:/[A-Za-z0-9][A-Za-z0-9._~-]*)*")
MAX_ID_CHARS = 300
ResourceId = Annotated[
    str,
    Path(description="The IRI after `https://w3id.org/pledgekg/id/`, e.g. `state/ES`."),
]
FormatName = Annotated[
    str | None,
    Query(
        max_length=40,
        description="html, turtle, jsonld, ntriples or rdfxml (or a media type), overriding "
        "Accept.",
    ),
]


@router.get(
    "/id/{resource_id:path}",
    summary="One resource: an HTML page, or its graph by content negotiation",
    response_class=Response,
    responses={
        200: {
            "content": {f.media_type: {} for f in OFFERED},
            "description": "The page, or the resource's triples and those that point at it.",
        },
        400: {"model": ErrorPublic, "description": "Not a resource id."},
        404: {"model": ErrorPublic, "description": "No triple names this resource."},
        406: {"model": ErrorPublic, "description": "None of the accepted types is offered."},
    },
)
async def get_resource(
    resource_id: ResourceId, request: Request, lookup: LookupDep, format: FormatName = None
) -> Response:
    """The page of ``kgr:{resource_id}`` with its facts, quotes and links, or its graph."""
    if len(resource_id) > MAX_ID_CHARS or not RESOURCE_ID.fullmatch(resource_id):
        raise HTTPException(
            status_code=400,
            detail=f"not a resource id: {resource_id[:80]!r}; ids are like state/ES or "
            "leader/pedro-sanchez (letters, digits, '-', '.', '_', '~' between slashes)",
        )
    iri = resource_at(resource_id).value
    fmt = negotiate(OFFERED, request, format)
    vary = {"Vary": "Accept"}
    if fmt is HTML:
        view = await lookup.run(lambda store: resource_view(store, iri))
        if view is None:
            raise HTTPException(status_code=404, detail=f"no resource {iri} is in the graph")
        # From /id/state/ES, "../../" is the server's root: one step per folder of the path.
        root = "../" * (request.url.path.count("/") - 1)
        return HTMLResponse(resource_page(view, root), headers=vary)
    triples = await lookup.run(lambda store: resource_triples(store, iri))
    if not triples:
        raise HTTPException(status_code=404, detail=f"no resource {iri} is in the graph")
    assert fmt.rdf is not None
    body = io.BytesIO()
    try:
        write_triples(checked(triples, fmt.rdf), body, fmt.rdf)
    except (NotRepresentableError, TripleTermError) as exc:
        raise HTTPException(status_code=406, detail=str(exc)) from None
    return Response(body.getvalue(), media_type=fmt.content_type, headers=vary)
