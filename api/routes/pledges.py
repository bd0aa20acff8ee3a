"""``/pledges``: stated positions on contributing, filtered by country, stance, type and date;
``/pledges/{id}``: one of them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import Limit, LookupDep, Offset
from api.models import ContributionTypeName, ErrorPublic, PledgePublic, PledgesPublic, StanceName
from api.queries import pledges

router = APIRouter(prefix="/pledges", tags=["pledges"])

PledgeId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        max_length=200,
        description="The last part of the pledge's IRI (its `id`), e.g. 6e4b0102b144a785.",
    ),
]


@router.get(
    "",
    response_model=PledgesPublic,
    summary="Pledges, newest first",
    responses={
        400: {"model": ErrorPublic, "description": "'since' is after 'until'."},
        404: {"model": ErrorPublic, "description": "Unknown country."},
        422: {"description": "A stance or type that is none of the valid values, listed."},
    },
)
async def list_pledges(
    lookup: LookupDep,
    country: Annotated[
        str | None, Query(max_length=100, description="Pledging state: code or English name.")
    ] = None,
    stance: Annotated[
        StanceName | None, Query(description="Committed, Considering or Declined; any case.")
    ] = None,
    type: Annotated[
        ContributionTypeName | None,
        Query(
            description="Contribution type, as named in the ontology or as typed: GroundTroops, "
            "ground-troops, ground troops; any case."
        ),
    ] = None,
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
        lambda store: pledges.pledges_page(
            store, actor, stance, type, since, until, limit, offset, as_of
        )
    )


@router.get(
    "/{pledge_id}",
    response_model=PledgePublic,
    summary="One pledge: its state, stance, types, dates, evidence and sources",
    responses={404: {"model": ErrorPublic}},
)
async def get_pledge(pledge_id: PledgeId, lookup: LookupDep) -> PledgePublic:
    """The pledge as ``/pledges`` lists it: who pledged (the state or organization), stance,
    contribution types, quantity, condition, its own date and its article's, the evidence
    quoted verbatim, who announced it, the meeting it was made at and its source articles."""
    found = await lookup.run(lambda store: pledges.pledge_detail(store, pledge_id))
    if found is None:
        raise HTTPException(status_code=404, detail=f"no pledge {pledge_id!r}")
    return found
