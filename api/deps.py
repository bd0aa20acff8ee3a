"""Typed dependencies of the routes: settings, store, worker pools, lookups and the token check.

Everything lives on ``app.state`` (set up by the lifespan in ``api.main``); nothing here is a
module-level global.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.checkpoints import Checkpoints
from api.queries.states import StateEntry, StateIndex, unknown_country_message
from api.query_workers import QueryWorkers
from api.runner import QueryTimeoutError, WorkerPool
from kg.config import Settings
from kg.store import EmbeddedStore, GraphStore

T = TypeVar("T")
log = logging.getLogger("api")
STATE_INDEX_TTL = 300.0
# A shared lookup may outlive its first caller's deadline by this factor, for later callers.
SHARED_SLACK = 10.0
HEALTH_WORKERS = 2
# The writer parses updates, which recurses per level of the text: a deep stack keeps the
# structure limits of kg.sparql_text far below what would overflow it.
WRITER_STACK_BYTES = 256 * 1024 * 1024


@dataclass
class Pools:
    """The lanes of the server, each bounded and fair on its own, so that filling one leaves
    the others free: health checks, REST lookups, downloads, one writer that serialises
    updates and ingestion (threads), and the SPARQL query workers (processes)."""

    health: WorkerPool
    lookups: WorkerPool
    exports: WorkerPool
    writes: WorkerPool
    queries: QueryWorkers
    checkpoints: Checkpoints | None = None

    @staticmethod
    async def start(settings: Settings, store: GraphStore) -> Pools:
        """The lanes for ``settings``, with the query workers running (reading a first
        checkpoint of an embedded store)."""
        checkpoints = Checkpoints(store) if isinstance(store, EmbeddedStore) else None
        view = checkpoints.make() if checkpoints else None
        if checkpoints and view:
            checkpoints.publish(view)
        queries = QueryWorkers(settings, view, checkpoints.sweep if checkpoints else None)
        await queries.start()
        return Pools(
            health=WorkerPool("health", HEALTH_WORKERS),
            lookups=WorkerPool("lookup", settings.lookup_workers),
            exports=WorkerPool("export", settings.export_workers),
            writes=WorkerPool("write", 1, stack_bytes=WRITER_STACK_BYTES),
            queries=queries,
            checkpoints=checkpoints,
        )

    async def write(self, fn: Callable[[], T], client: str, timeout: float) -> T:
        """Run ``fn`` (a write) on the writer, then checkpoint the store in the same job, so
        that queries started after the write read a checkpoint that holds it. A write that
        outlives its time limit still gets its checkpoint when it ends."""
        loop = asyncio.get_running_loop()
        checkpoints = self.checkpoints

        def job() -> T:
            try:
                return fn()
            finally:
                if checkpoints is not None:
                    try:
                        path = checkpoints.make()
                    except OSError as exc:
                        log.error("no checkpoint after a write (queries read older data): %s", exc)
                    else:
                        loop.call_soon_threadsafe(self._publish, path)

        return await self.writes.call(job, client, timeout)

    def _publish(self, path: str) -> None:
        assert self.checkpoints is not None
        self.checkpoints.publish(path)
        self.queries.publish(path)

    def busy(self) -> dict[str, int]:
        lanes = (self.health, self.lookups, self.exports, self.writes)
        return {"sparql": self.queries.busy, **{p.name: p.busy for p in lanes}}

    def shutdown(self) -> None:
        self.queries.shutdown()
        for pool in (self.health, self.lookups, self.exports, self.writes):
            pool.shutdown()
        if self.checkpoints is not None:
            self.checkpoints.close()


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
    client: str

    async def run(self, fn: Callable[[GraphStore], T]) -> T:
        store = self.store
        return await self.pool.call(lambda: fn(store), self.client, self.timeout)

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
                    found = await self.pool.call(
                        lambda: fn(store), self.client, self.timeout * SHARED_SLACK
                    )
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
            raise QueryTimeoutError(self.timeout) from None
        return result

    async def country(self, code: str) -> StateEntry:
        """The state ``code`` names (alpha-2, alpha-3 or English name, any case), or a 404
        naming close matches."""
        index = await self.states()
        entry = index.find(code)
        if entry is None:
            raise HTTPException(status_code=404, detail=unknown_country_message(index, code))
        return entry


def client_of(request: Request) -> str:
    """Who sent a request, for fairness between clients: its address."""
    return request.client.host if request.client else "-"


def get_lookup(
    request: Request, settings: SettingsDep, store: StoreDep, pools: PoolsDep, cache: CacheDep
) -> Lookup:
    return Lookup(store, pools.lookups, settings.lookup_timeout, cache, client_of(request))


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
