"""The analysts' page in a real headless Chromium: it loads, runs a query and shows rows.

Chromium is driven over the DevTools protocol (its ``--remote-debugging-port`` websocket), so
the page's scripts really run against a live server: the vendored editor posts the query to
``/sparql`` and draws the results, and the country view fetches ``/countries/{code}``.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from api.routes.page import STATIC_DIR, load_examples, parse_example

BROWSER_NAMES = ("chromium", "chromium-browser")
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1400,1000",
)
RESULT_ROWS = "document.querySelectorAll('.yasr table.dataTable tbody tr:not(:has(td.dt-empty))')"


class DevTools:
    """A minimal DevTools protocol client for one page target: commands, events, polling."""

    def __init__(self, websocket: ClientConnection) -> None:
        self._ws = websocket
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        """Send one command and return its result, keeping the events that arrive meanwhile."""
        message_id = next(self._ids)
        self._ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self._ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page (promises awaited)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """Poll an expression until it is truthy; fail with the page's status when it is not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        status = self.evaluate("document.body && document.body.dataset.status")
        text = self.evaluate("document.body && document.body.innerText.slice(0, 2000)")
        raise AssertionError(f"timed out waiting for {expression!r}; status={status!r}\n{text}")

    def goto(self, url: str) -> None:
        """Load a URL and wait until the new document has finished loading."""
        self.evaluate("window.__leaving = true")
        self.send("Page.navigate", url=url)
        self.wait_for("!window.__leaving && document.readyState === 'complete'")

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the whole page."""
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    def exceptions(self) -> list[str]:
        """Uncaught JavaScript exceptions seen so far."""
        return [
            json.dumps(event["params"]["exceptionDetails"])[:500]
            for event in self.events
            if event["method"] == "Runtime.exceptionThrown"
        ]

    def requested_urls(self) -> list[str]:
        """Every URL the page asked for so far."""
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event["method"] == "Network.requestWillBeSent"
        ]


@pytest.fixture()
def live_server_url(server: Any) -> str:
    """The base URL of the shared read-only test server (``server`` in ``conftest.py``)."""
    return str(server.url)


def _browser_binary() -> str:
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed; `make browser` installs it")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A headless Chromium with a fresh profile; yields its DevTools HTTP address."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [_browser_binary(), *BROWSER_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # With port 0 Chromium picks a free port and writes it to this file.
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Chromium did not start (exit code {process.poll()})")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture()
def tab(browser: str) -> Iterator[DevTools]:
    """A new browser tab with page, runtime and network events on."""
    target = httpx.put(f"{browser}/json/new?about:blank", timeout=30).json()
    try:
        with connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=30) as ws:
            devtools = DevTools(ws)
            for domain in ("Page", "Runtime", "Network"):
                devtools.send(f"{domain}.enable")
            yield devtools
    finally:
        httpx.get(f"{browser}/json/close/{target['id']}", timeout=30)


def _assert_stayed_home(devtools: DevTools, base_url: str) -> None:
    """The page must work offline: nothing may be fetched from another host."""
    home = urlsplit(base_url).netloc
    foreign = [
        url
        for url in devtools.requested_urls()
        if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).netloc != home
    ]
    assert not foreign, f"the page reached other hosts: {foreign}"


def test_examples_are_listed_with_titles(live_server_url: str) -> None:
    """`/queries` lists every shipped `.rq` file with its title, description and text."""
    response = httpx.get(f"{live_server_url}/queries", timeout=30)
    assert response.status_code == 200
    listed = {item["name"]: item for item in response.json()}
    shipped = {q.name: q for q in load_examples()}
    assert listed.keys() == shipped.keys()
    assert "pledge-evidence" in listed
    for name, item in listed.items():
        assert item["title"] and item["title"] != name
        assert item["description"]
        assert item["query"] == shipped[name].query


def test_page_and_vendored_editor_are_served(live_server_url: str) -> None:
    """`/` is the page; the editor's files come from this server, with their licence."""
    page = httpx.get(f"{live_server_url}/", timeout=30)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "static/vendor/yasgui/yasgui.min.js" in page.text
    for name in ("yasgui.min.js", "yasgui.min.css", "LICENSE", "THIRD-PARTY-LICENSES.txt"):
        assert (STATIC_DIR / "vendor" / "yasgui" / name).is_file()
        asset = httpx.get(f"{live_server_url}/static/vendor/yasgui/{name}", timeout=30)
        assert asset.status_code == 200, name


def test_no_queries_folder_means_no_examples(tmp_path: Path) -> None:
    """An ontology folder without `queries/` gives an empty list, not an error."""
    assert load_examples(tmp_path) == []


def test_parse_example_reads_only_the_leading_comments() -> None:
    """A `# title:` inside the query body is not taken for the file's title."""
    text = "# description: Said first.\n# title: Real\n\nSELECT * {\n# title: Not this\n}"
    example = parse_example("x", text)
    assert (example.title, example.description) == ("Real", "Said first.")


@pytest.mark.slow
def test_browser_runs_an_example_query(tab: DevTools, live_server_url: str, tmp_path: Path) -> None:
    """Load the page, let it run an example through the editor, and see result rows."""
    tab.goto(f"{live_server_url}/?run=pledge-evidence")
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    rows = tab.wait_for(f"{RESULT_ROWS}.length")
    assert rows > 0
    assert int(tab.evaluate("document.body.dataset.resultRows")) > 0
    # The examples are offered in the side list and the query went to this server's /sparql.
    titles = tab.evaluate(
        "[...document.querySelectorAll('.example-title')].map(e => e.textContent)"
    )
    assert "Evidence and sources for each pledge" in titles
    assert any(url.startswith(f"{live_server_url}/sparql") for url in tab.requested_urls())
    # Cells hold the quoted evidence, not just IRIs.
    table_text = tab.evaluate("document.querySelector('.yasr table.dataTable').innerText")
    assert "evidence" in table_text
    tab.screenshot(tmp_path / "query.png")
    assert not tab.exceptions()
    _assert_stayed_home(tab, live_server_url)


@pytest.mark.slow
def test_browser_shows_a_countrys_pledges(
    tab: DevTools, live_server_url: str, tmp_path: Path
) -> None:
    """The country view shows Spain's pledges with evidence and a link to the source."""
    tab.goto(f"{live_server_url}/?country=Spain")
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    rows = tab.evaluate("document.querySelectorAll('table.pledges tbody tr').length")
    assert rows > 0
    assert tab.evaluate("document.querySelectorAll('table.pledges blockquote').length") > 0
    links = tab.evaluate(
        "[...document.querySelectorAll('table.pledges td.source a')].map(a => a.href)"
    )
    assert links and all(link.startswith(("http://", "https://")) for link in links)
    # Without an article URL, a source links to its named graph on this server.
    local = [link for link in links if link.startswith(f"{live_server_url}/")]
    for link in local[:3]:
        assert httpx.get(link, timeout=30).status_code == 200, link
    assert "Sánchez" in tab.evaluate("document.getElementById('country-result').innerText")
    tab.screenshot(tmp_path / "country.png")
    assert not tab.exceptions()
    _assert_stayed_home(tab, live_server_url)


@pytest.mark.slow
def test_browser_reports_an_unknown_country(tab: DevTools, live_server_url: str) -> None:
    """An unknown country shows the server's message instead of an empty table."""
    tab.goto(f"{live_server_url}/?country=Atlantis")
    tab.wait_for("document.body.dataset.status === 'error'", timeout=60)
    message = tab.evaluate("document.getElementById('country-status').textContent")
    assert message.strip()
    assert not tab.evaluate("document.querySelectorAll('table.pledges').length")
    assert not tab.exceptions()
