"""``/countries``: the states the sources speak of, and everything known about one of them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import Limit, LookupDep, Offset
from api.models import CountriesPublic, CountryDetailPublic, ErrorPublic
from api.queries import countries

router = APIRouter(prefix="/countries", tags=["countries"])

CountryCode = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        description="ISO 3166-1 alpha-2 (ES) or alpha-3 (ESP) code, or English name (Spain); "
        "any case.",
    ),
]


@router.get("", response_model=CountriesPublic, summary="States with facts in the graph")
async def list_countries(
    lookup: LookupDep, limit: Limit = 100, offset: Offset = 0
) -> CountriesPublic:
    """Every state some source pledges for, is represented in, meets with or mentions, by ISO
    code, with how many leaders, pledges and meetings the graph holds for it."""
    index = await lookup.states()
    return await lookup.run(lambda store: countries.countries_page(store, index, limit, offset))


@router.get(
    "/{code}",
    response_model=CountryDetailPublic,
    summary="One state: its leaders, pledges, meetings and sources",
    responses={404: {"model": ErrorPublic, "description": "No such country; close matches named."}},
)
async def get_country(
    code: CountryCode,
    lookup: LookupDep,
    as_of: Annotated[
        dt.date | None,
        Query(description="Only what had been reported on or before this day (YYYY-MM-DD)."),
    ] = None,
) -> CountryDetailPublic:
    """The state, its leaders with their roles, its pledges (stance, contribution types,
    quantity, condition, date, the evidence quoted verbatim and the source article), the
    meetings it took part in (itself or through its leaders), the articles about it, and its
    stance on each contribution type: now (``positions``) and over time (``stance_timeline``).
    The alpha-2 code, the alpha-3 code and the name give the same document. With ``as_of``,
    pledges and stances are those reported on or before that day."""
    entry = await lookup.country(code)
    index = await lookup.states()
    return await lookup.cached(
        f"country {entry.iri} {as_of}",
        lambda store: countries.country_detail(store, index, entry.iri, as_of),
    )
