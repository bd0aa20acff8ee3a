"""The HTTP server: :func:`create_app` builds the ASGI application, :func:`run` serves it with
uvicorn (``kg serve``)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from api.connections import guarded_protocol
from api.deps import LookupCache, Pools
from api.evaluation import timeout_message
from api.lanes import WorkersBusyError
from api.middleware import CONTENT_SECURITY_POLICY, AccessLogMiddleware, LimitsMiddleware
from api.routes import (
    changes,
    countries,
    discovery,
    export,
    graph,
    health,
    ingest,
    leaders,
    meetings,
    page,
    pledges,
    resources,
    sources,
    sparql,
)
from api.runner import QueryTimeoutError
from kg import sharing
from kg.config import Settings, get_settings
from kg.store import GraphStore, StoreError, open_store

log = logging.getLogger("api")
STATIC_DIR = Path(__file__).resolve().parent / "static"
MARKER = sharing.MARKER


def _version() -> str:
    try:
        return importlib.metadata.version("pledgekg")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The application for ``settings`` (default: from the environment).

    The lifespan puts the store, the worker pools and the lookup cache on ``app.state``; it
    opens the store itself unless one is given (:func:`run` opens it first, so that a busy or
    missing store is one clear error rather than a failed start-up).
    """
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store is None
        app.state.store = store if store is not None else open_store(settings)
        app.state.pools = await Pools.start(settings, app.state.store)
        app.state.cache = LookupCache()
        try:
            yield
        finally:
            app.state.pools.shutdown()
            if opened:
                app.state.store.close()

    app = FastAPI(
        title="pledgekg",
        version=_version(),
        summary="Leaders, states, pledges and meetings extracted from news: SPARQL and REST.",
        lifespan=lifespan,
        debug=False,
        docs_url=None,  # served below from vendored files, so /docs works offline
        redoc_url=None,
    )
    app.state.settings = settings

    @app.exception_handler(QueryTimeoutError)
    async def _timeout(request: Request, exc: QueryTimeoutError) -> JSONResponse:
        return JSONResponse(
            {"detail": timeout_message(exc.limit)}, status_code=503, headers={"Retry-After": "5"}
        )

    @app.exception_handler(WorkersBusyError)
    async def _busy(request: Request, exc: WorkersBusyError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", exc)
        return JSONResponse({"detail": "the store is not available"}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        # As FastAPI answers, but with non-ASCII escaped: the input it echoes may hold an
        # unpaired surrogate, which is no UTF-8.
        detail = jsonable_encoder(exc.errors())
        body = json.dumps({"detail": detail}, ensure_ascii=True, default=str)
        return Response(body, status_code=422, media_type="application/json")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": "internal server error"}, status_code=500)

    for module in (
        health,
        discovery,
        sparql,
        graph,
        countries,
        leaders,
        meetings,
        pledges,
        sources,
        resources,
        export,
        ingest,
        changes,
    ):
        app.include_router(module.router)
    app.include_router(page.router)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        vendor = "/static/vendor/swagger-ui"
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="pledgekg API",
            swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui.css",
            swagger_favicon_url=f"{vendor}/favicon-32x32.png",
        )
        page.headers["Content-Security-Policy"] = inline_script_policy(bytes(page.body))
        return page

    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.add_middleware(
        LimitsMiddleware,
        max_body=settings.max_body_bytes,
        max_query_string=3 * settings.max_query_chars + 4096,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    app.add_middleware(AccessLogMiddleware)
    return app


def inline_script_policy(html: bytes) -> str:
    """The Content-Security-Policy for a page whose inline scripts (those of the API docs)
    may run, by their hashes, and nothing else from elsewhere.

    >>> inline_script_policy(b"<script>go()</script>").split("; ")[1]
    "script-src 'self' 'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"
    """
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in re.findall(rb"<script>(.*?)</script>", html, re.DOTALL)
    ]
    return CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", " ".join(["script-src 'self'", *hashes])
    )


def log_config() -> dict[str, Any]:
    """Logging for uvicorn and the server: messages to stderr, access lines to stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(levelprefix)s %(message)s",
                "use_colors": None,
            },
            "access": {"format": "%(asctime)s %(message)s"},
        },
        "handlers": {
            "default": {
                "formatter": "default",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "formatter": "access",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "WARNING", "propagate": False},
            "api": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "api.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


def server_url(settings: Settings) -> str:
    """The URL other processes on this machine reach the server at.

    >>> server_url(Settings(store="s", host="0.0.0.0", port=8000))
    'http://127.0.0.1:8000'
    """
    host = settings.host
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


@contextlib.contextmanager
def _marker(settings: Settings) -> Iterator[None]:
    """While serving an embedded store, ``<store>/.kg-server.json`` tells other processes
    where the server that holds it listens (``kg ingest`` names it when it is refused)."""
    if settings.is_remote:
        yield
        return
    path = Path(settings.store) / MARKER
    try:
        path.write_text(json.dumps({"url": server_url(settings), "pid": os.getpid()}), "utf-8")
    except OSError as exc:
        log.warning("cannot write %s: %s", MARKER, exc.strerror)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def run(settings: Settings) -> None:
    """Serve until interrupted, on ``settings.host:settings.port`` (127.0.0.1:8000 by default);
    :class:`StoreError` when the store cannot be opened."""
    import uvicorn

    store = open_store(settings)
    try:
        app = create_app(settings, store)
        config = uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            loop="uvloop",
            http=guarded_protocol(settings),
            timeout_keep_alive=settings.idle_timeout,
            access_log=False,
            log_config=log_config(),
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        with _marker(settings):
            uvicorn.Server(config).run()
    finally:
        store.close()
