"""A real headless Chromium for the page's tests, driven over the DevTools protocol (its
``--remote-debugging-port`` websocket), so the page's scripts really run against a live
server. Test modules import the ``browser`` and ``tab`` fixtures from here."""

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

    def policy_violations(self) -> list[str]:
        """Console reports of what the Content-Security-Policy blocked."""
        texts = [
            str(event["params"].get("entry", {}).get("text", ""))
            for event in self.events
            if event["method"] == "Log.entryAdded"
        ]
        return [text for text in texts if "Content Security Policy" in text]

    def requested_urls(self) -> list[str]:
        """Every URL the page asked for so far."""
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event["method"] == "Network.requestWillBeSent"
        ]


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
            for domain in ("Page", "Runtime", "Network", "Log"):
                devtools.send(f"{domain}.enable")
            yield devtools
    finally:
        httpx.get(f"{browser}/json/close/{target['id']}", timeout=30)


def assert_stayed_home(devtools: DevTools, base_url: str) -> None:
    """The page must work offline: nothing may be fetched from another host."""
    home = urlsplit(base_url).netloc
    foreign = [
        url
        for url in devtools.requested_urls()
        if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).netloc != home
    ]
    assert not foreign, f"the page reached other hosts: {foreign}"
