"""Safe to expose: CORS off unless configured, no tracebacks or file paths in answers, loopback
by default, the server's address published next to the store only while it runs, one access
line per request."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn

from api.main import MARKER, create_app
from kg.config import Settings
from kg.store import EmbeddedStore

if TYPE_CHECKING:
    from tests.api.conftest import Launcher

LEAKS = ("Traceback", 'File "', "/work/", "site-packages", '.py"', "/tmp/")


def test_cors_is_off_by_default(client: httpx.Client) -> None:
    origin = {"Origin": "https://evil.example"}
    response = client.get("/countries/ES", headers=origin)
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/sparql", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.fixture()
def app_client(seed_store_copy: Path) -> Iterator[httpx.Client]:
    """The application served by uvicorn on a thread, with CORS allowed for one origin and a
    route that fails."""
    settings = Settings(store=str(seed_store_copy), cors_origins=["https://analysts.example"])
    store = EmbeddedStore(seed_store_copy)
    app = create_app(settings, store)

    @app.get("/boom", include_in_schema=False)
    async def boom() -> None:
        raise RuntimeError(f"secret detail in {Path(__file__)}")

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
        yield http
    server.should_exit = True
    thread.join(timeout=30)
    store.close()


def test_cors_when_configured(app_client: httpx.Client) -> None:
    allowed = app_client.get("/healthz", headers={"Origin": "https://analysts.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://analysts.example"
    other = app_client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_unexpected_errors_are_a_plain_500(app_client: httpx.Client) -> None:
    response = app_client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}
    assert "secret" not in response.text


BAD_REQUESTS = [
    ("GET", "/sparql", {"query": "SELECT * WHERE { ?s ?p ?o FILTER(" * 50}),
    ("GET", "/sparql", {"query": "\x00\x01\x02"}),
    ("GET", "/graph", {"graph": "file:///etc/passwd"}),
    ("GET", "/export", {"graph": "file:///etc/passwd"}),
    ("GET", "/countries/%00", {}),
    ("GET", "/countries/" + "x" * 500, {}),
    ("GET", "/sparql", {"query": "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"}),
    (
        "GET",
        "/sparql",
        {"query": "SELECT (<http://www.w3.org/2001/XMLSchema#integer>('x') AS ?x) {}"},
    ),
    ("GET", "/static/../../pyproject.toml", {}),
    ("GET", "/nowhere", {}),
]


@pytest.mark.parametrize(("method", "path", "params"), BAD_REQUESTS)
def test_errors_leak_nothing(
    client: httpx.Client, method: str, path: str, params: dict[str, str]
) -> None:
    response = client.request(method, path, params=params)
    assert response.status_code < 500 or response.status_code == 503, response.text
    for leak in LEAKS:
        assert leak not in response.text, (leak, response.text)


def test_responses_carry_nosniff(client: httpx.Client) -> None:
    for path in ("/healthz", "/countries/ES", "/sparql?query=ASK%7B%7D", "/nowhere"):
        assert client.get(path).headers["x-content-type-options"] == "nosniff"


def test_defaults_bind_loopback_and_stay_read_only() -> None:
    settings = Settings(store="data/store")
    assert settings.host == "127.0.0.1"
    assert not settings.updates_enabled
    assert not settings.allow_service
    assert settings.cors_origins == []


@pytest.mark.slow
def test_marker_and_access_log(seed_store_dir: Path, tmp_path: Path, launcher: Launcher) -> None:
    """``<store>/.kg-server.json`` names the server while it runs and is gone after; each
    request writes one access line."""
    store = tmp_path / "store"
    shutil.copytree(seed_store_dir, store)
    running = launcher.start(store)
    try:
        marker = json.loads((store / MARKER).read_text("utf-8"))
        assert marker["url"] == running.url
        probe = uuid.uuid4().hex
        with running.client() as client:
            for _ in range(3):
                assert client.get("/countries/ES", params={"probe": probe}).status_code == 200
    finally:
        launcher.stop(running)
    assert not (store / MARKER).exists()
    lines = [line for line in running.log.read_text("utf-8").splitlines() if probe in line]
    assert len(lines) == 3
    assert all('"GET /countries/ES?probe=' in line and " 200 " in line for line in lines)
