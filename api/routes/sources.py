"""``/sources``: the ingested articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from api.deps import Limit, LookupDep, Offset
from api.models import ErrorPublic, SourceDetailPublic, SourcesPublic
from api.queries import sources

router = APIRouter(prefix="/sources", tags=["sources"])

SourceId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        max_length=200,
        description="The last part of the source's IRI (16 hex digits).",
    ),
]


@router.get("", response_model=SourcesPublic, summary="Articles, newest first")
async def list_sources(lookup: LookupDep, limit: Limit = 100, offset: Offset = 0) -> SourcesPublic:
    """Articles with title, URL, publisher, date and how many facts each gave."""
    return await lookup.run(lambda store: sources.sources_page(store, limit, offset))


@router.get(
    "/{source_id}",
    response_model=SourceDetailPublic,
    summary="One article and the facts extracted from it",
    responses={404: {"model": ErrorPublic}},
)
async def get_source(source_id: SourceId, lookup: LookupDep) -> SourceDetailPublic:
    found = await lookup.run(lambda store: sources.source_detail(store, source_id))
    if found is None:
        raise HTTPException(status_code=404, detail=f"no source {source_id!r}")
    return found
