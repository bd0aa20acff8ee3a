"""The page of a real `kg serve` in a real headless Chromium, opened from a link a hostile site
could make: ``#query=...&endpoint=http://elsewhere/sparql`` (the editor used to read both and
run the query on load, against that endpoint). Nothing runs until the user presses run, it
runs here, and the Content-Security-Policy keeps the page from reaching any other origin.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest

from tests.browser import DevTools, assert_stayed_home, browser, tab
from tests.net import Listener

from .conftest import Server, start_server

__all__ = ["browser", "tab"]  # fixtures, used by name
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("page")
    shutil.copytree(seed_store_dir, folder / "store")
    running = start_server(folder / "store", folder)
    yield running
    running.stop()


@pytest.fixture()
def elsewhere() -> Iterator[Listener]:
    """Another origin, which counts the connections made to it."""
    listener = Listener()
    yield listener
    listener.close()


def test_the_page_carries_a_policy_that_keeps_it_home(server: Server) -> None:
    policy = httpx.get(f"{server.url}/").headers["content-security-policy"]
    for part in ("default-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"):
        assert part in policy, policy
    docs = httpx.get(f"{server.url}/docs")
    assert "'sha256-" in docs.headers["content-security-policy"]  # its one inline script


@pytest.mark.parametrize("where", ["#", "?"])
def test_a_link_cannot_pick_the_endpoint_or_run_a_query(
    tab: DevTools, server: Server, elsewhere: Listener, where: str
) -> None:
    other = f"{elsewhere.url}sparql"
    query = "SELECT ?evil WHERE { ?evil ?p ?o } LIMIT 1"
    tab.goto(f"{server.url}/{where}query={quote(query)}&endpoint={quote(other)}")
    tab.wait_for("document.body.dataset.status === 'ready'", timeout=60)
    time.sleep(1.0)  # time for a query on load to start, if the editor were to run one
    assert not [url for url in tab.requested_urls() if urlsplit(url).path == "/sparql"]
    assert elsewhere.count == 0
    endpoints = tab.evaluate(
        "[...document.querySelectorAll('.yasgui input.autocomplete')].map(e => e.value)"
    )
    assert endpoints and set(endpoints) == {f"{server.url}/sparql"}, endpoints
    assert "?evil" not in tab.evaluate("document.querySelector('.CodeMirror').innerText")
    # Pressing run sends the editor's query here.
    tab.evaluate("document.querySelector('.yasqe_queryButton').click()")
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    assert any(url.startswith(f"{server.url}/sparql") for url in tab.requested_urls())
    assert elsewhere.count == 0
    assert not tab.exceptions() and not tab.policy_violations()
    assert_stayed_home(tab, server.url)


def test_the_policy_blocks_requests_to_other_origins(
    tab: DevTools, server: Server, elsewhere: Listener
) -> None:
    """Even script on the page (as an injected one would be) cannot send a query elsewhere."""
    other = f"{elsewhere.url}sparql?query=ASK%7B%7D"
    tab.goto(f"{server.url}/")
    tab.wait_for("document.body.dataset.status === 'ready'", timeout=60)
    outcome = tab.evaluate(f"fetch({other!r}).then(() => 'sent', () => 'blocked')")
    assert outcome == "blocked"
    assert tab.policy_violations()
    assert elsewhere.count == 0
