"""``/leaders``: people who act for a state or organization."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import Limit, LookupDep, Offset
from api.models import ErrorPublic, LeaderDetailPublic, LeadersPublic
from api.queries import leaders

router = APIRouter(prefix="/leaders", tags=["leaders"])

LeaderId = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        max_length=200,
        description="The slug of the leader's IRI, e.g. pedro-sanchez.",
    ),
]
Country = Annotated[
    str | None,
    Query(max_length=100, description="Only leaders acting for this state (code or name)."),
]


@router.get(
    "",
    response_model=LeadersPublic,
    responses={404: {"model": ErrorPublic, "description": "Unknown country."}},
    summary="Leaders, by name",
)
async def list_leaders(
    lookup: LookupDep, country: Country = None, limit: Limit = 100, offset: Offset = 0
) -> LeadersPublic:
    """Leaders with their roles and whom they represent, ordered by name."""
    actor = (await lookup.country(country)).iri if country else None
    return await lookup.run(lambda store: leaders.leaders_page(store, actor, limit, offset))


@router.get(
    "/{leader_id}",
    response_model=LeaderDetailPublic,
    summary="One leader, with the pledges they announced and the meetings they attended",
    responses={404: {"model": ErrorPublic, "description": "No such leader; close matches named."}},
)
async def get_leader(leader_id: LeaderId, lookup: LookupDep) -> LeaderDetailPublic:
    found = await lookup.run(lambda store: leaders.leader_detail(store, leader_id))
    if found is None:
        message = await lookup.run(lambda store: leaders.unknown_leader_message(store, leader_id))
        raise HTTPException(status_code=404, detail=message)
    return found
