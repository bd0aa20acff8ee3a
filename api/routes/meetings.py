"""``/meetings``: summits, meetings, calls and talks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import Limit, LookupDep, Offset
from api.models import ErrorPublic, MeetingDetailPublic, MeetingsPublic
from api.queries import meetings

router = APIRouter(prefix="/meetings", tags=["meetings"])

MeetingId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        max_length=200,
        description="The last part of the meeting's IRI, e.g. 2026-01-06-paris.",
    ),
]
Country = Annotated[
    str | None,
    Query(max_length=100, description="Only meetings this state took part in (code or name)."),
]


@router.get(
    "",
    response_model=MeetingsPublic,
    responses={404: {"model": ErrorPublic, "description": "Unknown country."}},
    summary="Meetings, newest first",
)
async def list_meetings(
    lookup: LookupDep, country: Country = None, limit: Limit = 100, offset: Offset = 0
) -> MeetingsPublic:
    """Meetings with date, places, hosts, participants, evidence and sources; undated last."""
    actor = (await lookup.country(country)).iri if country else None
    return await lookup.run(lambda store: meetings.meetings_page(store, actor, limit, offset))


@router.get(
    "/{meeting_id}",
    response_model=MeetingDetailPublic,
    summary="One meeting, with the pledges made at it",
    responses={404: {"model": ErrorPublic}},
)
async def get_meeting(meeting_id: MeetingId, lookup: LookupDep) -> MeetingDetailPublic:
    found = await lookup.run(lambda store: meetings.meeting_detail(store, meeting_id))
    if found is None:
        raise HTTPException(status_code=404, detail=f"no meeting {meeting_id!r}")
    return found
