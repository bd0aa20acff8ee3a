"""``/healthz`` (is the server up and its store reachable) and ``/stats`` (what it holds)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from api.deps import LookupDep, PoolsDep, SettingsDep
from api.models import ErrorPublic, HealthPublic, StatsPublic
from kg.statistics import store_stats
from kg.store import GraphStore, StoreError

router = APIRouter(tags=["health"])


def _ping(store: GraphStore) -> None:
    store.query("ASK { }")


@router.get(
    "/healthz",
    response_model=HealthPublic,
    summary="Liveness and store reachability",
    responses={503: {"model": ErrorPublic}},
)
async def healthz(settings: SettingsDep, lookup: LookupDep, pools: PoolsDep) -> HealthPublic:
    """The store answers a trivial query, on a lane of its own; ``busy`` counts the taken
    slots of every lane."""
    store = lookup.store
    try:
        await pools.health.call(lambda: _ping(store), lookup.client, settings.lookup_timeout)
    except StoreError:
        raise HTTPException(status_code=503, detail="the store is not reachable") from None
    return HealthPublic(
        status="ok",
        store="remote" if settings.is_remote else "embedded",
        updates=settings.updates_enabled,
        busy=pools.busy(),
    )


@router.get("/stats", response_model=StatsPublic, summary="Counts of what the graph holds")
async def stats(lookup: LookupDep) -> StatsPublic:
    """Distinct sources, pledging states, leaders, pledges and meetings, and all quads."""
    return StatsPublic(**await lookup.run(store_stats))
