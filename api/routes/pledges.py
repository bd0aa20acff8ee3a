"""``/pledges``: stated positions on contributing, filtered by country, stance, type and date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api import lookups
from api.deps import Limit, LookupDep, Offset
from api.models import ContributionTypeName, ErrorPublic, PledgesPublic, StanceName

router = APIRouter(prefix="/pledges", tags=["pledges"])


@router.get(
    "",
    response_model=PledgesPublic,
    summary="Pledges, newest first",
    responses={
        400: {"model": ErrorPublic, "description": "'since' is after 'until'."},
        404: {"model": ErrorPublic, "description": "Unknown country."},
    },
)
async def list_pledges(
    lookup: LookupDep,
    country: Annotated[
        str | None, Query(max_length=100, description="Pledging state: code or English name.")
    ] = None,
    stance: Annotated[
        StanceName | None, Query(description="Committed, Considering or Declined.")
    ] = None,
    type: Annotated[ContributionTypeName | None, Query(description="Contribution type.")] = None,
    since: Annotated[dt.date | None, Query(description="Dated on or after (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="Dated on or before (YYYY-MM-DD).")] = None,
    as_of: Annotated[
        dt.date | None,
        Query(description="Known by then: reported on or before this day (YYYY-MM-DD)."),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> PledgesPublic:
    """Pledges with stance, types, quantity, condition, evidence and sources. A pledge is
    dated by its own date, else by its article's; with ``since`` or ``until`` undated pledges
    are left out. With ``as_of``, only pledges reported on or before that day (or, from an
    undated article, dated on or before it): what was known then."""
    if since and until and since > until:
        raise HTTPException(status_code=400, detail="'since' is after 'until'")
    actor = (await lookup.country(country)).iri if country else None
    return await lookup.run(
        lambda store: lookups.pledges_page(
            store, actor, stance, type, since, until, limit, offset, as_of
        )
    )
