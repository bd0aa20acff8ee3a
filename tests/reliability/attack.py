"""What every attack test checks while it runs and after: the server is alive, answers
``ASK {}``, ``/healthz`` and ``/pledges?limit=1`` with 200 within :data:`ANSWER_SECONDS`, and
it and its query workers together stay under :data:`MAX_TREE_RSS_KIB` of resident memory.

The attacker is another client: it connects from :data:`ATTACKER`, another loopback address
(the whole 127.0.0.0/8 network is this machine), while the checks come from 127.0.0.1, as an
analyst's browser would beside someone else's script.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

from .conftest import Server

ATTACKER = "127.0.0.2"
ANSWER_SECONDS = 3.0
MAX_TREE_RSS_KIB = int(1.5 * 1024 * 1024)
PROBES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("ASK {}", "/sparql", {"query": "ASK {}"}),
    ("/healthz", "/healthz", {}),
    ("/pledges?limit=1", "/pledges", {"limit": "1"}),
)


def attacker_client(server: Server, timeout: float = 60.0) -> httpx.Client:
    """An HTTP client that connects from the attacker's address."""
    transport = httpx.HTTPTransport(local_address=ATTACKER)
    return httpx.Client(base_url=server.url, transport=transport, timeout=timeout)


def attacker_socket(server: Server, receive_buffer: int | None = None) -> socket.socket:
    """A raw TCP connection from the attacker's address (with a small receive buffer when
    asked, so that a response it does not read soon backs up into the server)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.bind((ATTACKER, 0))
    sock.connect(("127.0.0.1", server.port))
    return sock


@dataclass
class Findings:
    """What the checks saw: failures, the slowest answer, the most memory."""

    failures: list[str] = field(default_factory=list)
    slowest: float = 0.0
    peak_rss_kib: int = 0
    rounds: int = 0


def check_once(server: Server, client: httpx.Client, found: Findings) -> None:
    """One round of the three probes, and a memory reading."""
    if server.process.poll() is not None:
        found.failures.append(f"the server died: {server.output()[-2000:]}")
        return
    for name, path, params in PROBES:
        started = time.monotonic()
        try:
            response = client.get(path, params=params, timeout=ANSWER_SECONDS + 2)
            status: int | str = response.status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        seconds = time.monotonic() - started
        found.slowest = max(found.slowest, seconds)
        if status != 200 or seconds > ANSWER_SECONDS:
            found.failures.append(f"{name}: {status} after {seconds:.2f} s")
    found.peak_rss_kib = max(found.peak_rss_kib, server.tree_rss_kib())
    found.rounds += 1


def assert_healthy(found: Findings) -> None:
    assert found.rounds > 0
    assert not found.failures, found.failures[:10]
    assert found.peak_rss_kib < MAX_TREE_RSS_KIB, f"{found.peak_rss_kib / 1024:.0f} MiB"


@contextlib.contextmanager
def watched(server: Server, pause: float = 0.3) -> Iterator[Findings]:
    """Run the checks over and over in the background while the body runs, then once more
    after it, and assert that every one held."""
    found = Findings()
    stop = threading.Event()

    def loop() -> None:
        with httpx.Client(base_url=server.url) as client:
            while not stop.is_set():
                check_once(server, client, found)
                stop.wait(pause)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join(timeout=30)
    with httpx.Client(base_url=server.url) as client:
        check_once(server, client, found)
    assert_healthy(found)
