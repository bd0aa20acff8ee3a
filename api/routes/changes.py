"""``/changes``: the change feed: sources added, replaced and removed since a time, with the
claims whose support changed, so a saved view knows what to fetch again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import Limit, LookupDep
from api.models import ChangeEventPublic, ChangesPublic, ErrorPublic, ReplacementPublic
from kg.changefeed import SINCE_FORMS, changes_since, parse_since

router = APIRouter(prefix="/changes", tags=["changes"])


@router.get(
    "",
    response_model=ChangesPublic,
    summary="Writes since a time, with the sources and claims they changed",
    responses={
        400: {"model": ErrorPublic, "description": "'since' is missing, or no date or time."}
    },
)
async def list_changes(
    lookup: LookupDep,
    since: Annotated[
        str | None,
        Query(
            description="ISO 8601 date or date and time (UTC when no zone is given); writes "
            "strictly after it are listed. Ask again with the answer's `latest`.",
        ),
    ] = None,
    limit: Limit = 100,
) -> ChangesPublic:
    """Each ingest or removal since ``since``, oldest first: the sources it added, replaced
    (with the version each took the place of) and removed, and the claims whose supporting
    pledges or count of independent sources changed."""
    if since is None:
        raise HTTPException(status_code=400, detail=f"'since' is required: {SINCE_FORMS}")
    try:
        after = parse_since(since)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    events, total = await lookup.run(lambda store: changes_since(store, after, limit))
    return ChangesPublic(
        since=after,
        limit=limit,
        total=total,
        latest=events[-1].at if events else None,
        claims=sorted({c for e in events for c in e.claims}),
        data=[
            ChangeEventPublic(
                iri=e.iri,
                at=e.at,
                added=list(e.added),
                replaced=[ReplacementPublic(source=n, previous=o) for n, o in e.replaced],
                removed=list(e.removed),
                claims=list(e.claims),
            )
            for e in events
        ],
    )
