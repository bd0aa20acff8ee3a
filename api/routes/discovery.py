"""``/.well-known/pledgekg``: where this server's endpoints are, so that a client given only
its base URL (``kg stats --store http://127.0.0.1:8000``) finds them."""

from __future__ import annotations

from fastapi import APIRouter

from api.models import EndpointsPublic
from kg.endpoints import PLEDGEKG, WELL_KNOWN

router = APIRouter(tags=["SPARQL"])


@router.get(WELL_KNOWN, response_model=EndpointsPublic, summary="Where the endpoints are")
async def endpoints() -> EndpointsPublic:
    """The paths of the SPARQL query and update endpoints, the Graph Store endpoint, the
    dumps of the whole dataset and of the union of all graphs, and the ingest endpoint."""
    return EndpointsPublic.model_validate(PLEDGEKG.document())
