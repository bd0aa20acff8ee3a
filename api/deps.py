"""Typed dependencies of the routes: settings, store, worker pools, lookups and the token check.

Everything lives on ``app.state`` (set up by the lifespan in ``api.main``); nothing here is a
module-level global.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.lookups import StateEntry, StateIndex, unknown_country_message
from api.runner import QueryTimeoutError, WorkerPool
from kg.config import Settings
from kg.store import GraphStore

T = TypeVar("T")
STATE_INDEX_TTL = 300.0
# A shared lookup may outlive its first caller's deadline by this factor, for later callers.
SHARED_SLACK = 10.0


@dataclass
class Pools:
    """Worker threads: user SPARQL, REST lookups (so runaway SPARQL cannot starve them), and
    one writer that serialises updates and ingestion."""

    sparql: WorkerPool
    lookups: WorkerPool
    writes: WorkerPool

    @staticmethod
    def for_settings(settings: Settings) -> Pools:
        return Pools(
            sparql=WorkerPool("sparql", settings.query_workers),
            lookups=WorkerPool("lookup", settings.query_workers),
            writes=WorkerPool("write", 1),
        )

    def shutdown(self) -> None:
        for pool in (self.sparql, self.lookups, self.writes):
            pool.shutdown()


@dataclass
class LookupCache:
    """What REST lookups reuse between requests; cleared by every write through the server."""

    states: StateIndex | None = None
    loaded_at: float = 0.0
    generation: int = field(default=0)
    documents: dict[str, tuple[float, Any]] = field(default_factory=dict)
    inflight: dict[str, asyncio.Future[Any]] = field(default_factory=dict)

    def invalidate(self) -> None:
        self.states = None
        self.documents.clear()
        self.generation += 1


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def get_pools(request: Request) -> Pools:
    pools: Pools = request.app.state.pools
    return pools


def get_cache(request: Request) -> LookupCache:
    cache: LookupCache = request.app.state.cache
    return cache


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
PoolsDep = Annotated[Pools, Depends(get_pools)]
CacheDep = Annotated[LookupCache, Depends(get_cache)]


@dataclass
class Lookup:
    """Runs read-only store work for a REST request on the lookup threads, within the time
    limit, and finds states by code or name."""

    store: GraphStore
    pool: WorkerPool
    timeout: float
    cache: LookupCache

    async def run(self, fn: Callable[[GraphStore], T]) -> T:
        store = self.store
        return await self.pool.call(lambda: fn(store), self.timeout)

    async def states(self) -> StateIndex:
        cache = self.cache
        fresh = time.monotonic() - cache.loaded_at < STATE_INDEX_TTL
        if cache.states is None or not fresh:
            generation = cache.generation
            index = await self.run(StateIndex.load)
            if generation == cache.generation:
                cache.states, cache.loaded_at = index, time.monotonic()
            return index
        return cache.states

    async def cached(self, key: str, fn: Callable[[GraphStore], T]) -> T:
        """``run(fn)``, reusing the answer for ``key`` until a write through this server or
        the index's time to live (another process may write a shared store). Requests for a
        key that is being computed wait for that one computation instead of starting their
        own, and it finishes (and is kept) even when the first caller gave up waiting."""
        cache = self.cache
        held = cache.documents.get(key)
        if held is not None and time.monotonic() - held[0] < STATE_INDEX_TTL:
            document: T = held[1]
            return document
        task = cache.inflight.get(key)
        if task is None:
            store, generation = self.store, cache.generation

            async def compute() -> T:
                try:
                    found = await self.pool.call(lambda: fn(store), self.timeout * SHARED_SLACK)
                finally:
                    cache.inflight.pop(key, None)
                if generation == cache.generation:
                    if len(cache.documents) >= 1024:
                        cache.documents.clear()
                    cache.documents[key] = (time.monotonic(), found)
                return found

            task = asyncio.ensure_future(compute())
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
            cache.inflight[key] = task
        try:
            result: T = await asyncio.wait_for(asyncio.shield(task), timeout=self.timeout)
        except TimeoutError:
            raise QueryTimeoutError(self.timeout, still_running=True) from None
        return result

    async def country(self, code: str) -> StateEntry:
        """The state ``code`` names (alpha-2, alpha-3 or English name, any case), or a 404
        naming close matches."""
        index = await self.states()
        entry = index.find(code)
        if entry is None:
            raise HTTPException(status_code=404, detail=unknown_country_message(index, code))
        return entry


def get_lookup(settings: SettingsDep, store: StoreDep, pools: PoolsDep, cache: CacheDep) -> Lookup:
    return Lookup(store, pools.lookups, settings.lookup_timeout, cache)


LookupDep = Annotated[Lookup, Depends(get_lookup)]

bearer = HTTPBearer(
    auto_error=False,
    description="The server's KG_API_TOKEN; needed for SPARQL updates and POST /ingest.",
)


def check_token(settings: Settings, authorization: str | None) -> None:
    """Allow a write only with the right bearer token: 403 when the server is read-only or the
    token is wrong, 401 when none is given. Compared in constant time."""
    if settings.api_token is None:
        raise HTTPException(
            status_code=403,
            detail="this server is read-only: updates and ingestion need KG_API_TOKEN to be set",
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(
            status_code=401,
            detail="updates need an 'Authorization: Bearer <token>' header",
            headers={"WWW-Authenticate": 'Bearer realm="pledgekg"'},
        )
    if not hmac.compare_digest(given.strip().encode("utf-8"), settings.api_token.encode("utf-8")):
        raise HTTPException(status_code=403, detail="the bearer token is not valid")


def require_token(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> None:
    check_token(settings, request.headers.get("authorization"))


TokenDep = Depends(require_token)

Limit = Annotated[int, Query(ge=1, le=1000, description="Most items to return.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
