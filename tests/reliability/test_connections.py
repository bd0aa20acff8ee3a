"""Connections that hold a real `kg serve` without asking it for work: ones that send nothing,
or their headers or body a byte at a time, enough of them to use up the process's file
descriptors, and clients that ask for a large download and never read it. Each is closed
after its time limit, and meanwhile ``ASK {}``, ``/healthz`` and ``/pledges?limit=1`` (and
``/countries/FR``) answer within 3 s (``attack.watched``).
"""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from .attack import ANSWER_SECONDS, attacker_socket, watched
from .conftest import Server

pytestmark = pytest.mark.slow

CLOSED_WITHIN = 30.0
SEND_SECONDS = 3
BULK_GRAPH = NamedNode("http://example.org/bulk")
CROSS_CONSTRUCT = "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }"


def closed_after(sock: socket.socket, limit: float) -> float | None:
    """Seconds until the server closes ``sock`` (reading and dropping what it sends), or None
    if it is still open after ``limit``."""
    started = time.monotonic()
    sock.settimeout(0.5)
    while time.monotonic() - started < limit:
        try:
            if not sock.recv(65536):
                return time.monotonic() - started
        except TimeoutError:
            continue
        except ConnectionError:
            return time.monotonic() - started
    return None


def drip(sock: socket.socket, data: bytes, every: float, limit: float) -> float | None:
    """Send ``data`` a byte at a time, one every ``every`` seconds, until the server closes the
    connection; the seconds that took, or None."""
    started = time.monotonic()
    sock.settimeout(every)
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
            if not sock.recv(65536):
                return time.monotonic() - started
        except TimeoutError:
            pass
        except (ConnectionError, BrokenPipeError):
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            return None
    return closed_after(sock, limit - (time.monotonic() - started))


def test_connections_that_send_nothing_or_drip_are_closed(
    seed_store_dir: Path, tmp_path: Path, serve: Callable[..., Server]
) -> None:
    """Default header limit (10 s): a connection that sends nothing, and one that sends its
    headers a byte every 2 s, are closed within 30 s; a body sent a byte a second is cut at the
    body limit."""
    server = serve(shutil.copytree(seed_store_dir, tmp_path / "store"), KG_BODY_TIMEOUT="5")
    with watched(server):
        silent = attacker_socket(server)
        headers = attacker_socket(server)
        body = attacker_socket(server)
        body.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")
        body.sendall(b"Content-Type: application/sparql-query\r\n\r\n")
        waited = closed_after(silent, CLOSED_WITHIN)
        assert waited is not None and waited < CLOSED_WITHIN, waited
        dripped = drip(headers, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" * 10, 2.0, CLOSED_WITHIN)
        assert dripped is not None and dripped < CLOSED_WITHIN, dripped
        cut = drip(body, b"ASK {}" + b" " * 94, 1.0, CLOSED_WITHIN)
        assert cut is not None and cut < 15, cut
        for sock in (silent, headers, body):
            sock.close()


def test_idle_connections_cannot_use_up_the_descriptors(
    seed_store_dir: Path, tmp_path: Path, serve: Callable[..., Server]
) -> None:
    """75 silent connections to a server that may open 100 files: the server caps what one
    client holds below what it has, answers the others meanwhile, and closes them all."""
    server = serve(
        shutil.copytree(seed_store_dir, tmp_path / "store"),
        open_files=100,
        KG_HEADER_TIMEOUT="5",
    )
    with watched(server):
        idle = [attacker_socket(server) for _ in range(75)]
        time.sleep(1)
        for sock in idle:
            waited = closed_after(sock, CLOSED_WITHIN)
            assert waited is not None, "a silent connection stayed open"
            sock.close()
    assert "refusing a connection" in server.output()


@pytest.fixture(scope="module")
def big_store(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus 60,000 quads of 200-character literals (about 15 MB as N-Quads), more
    than the kernel's socket buffers hold."""
    path = tmp_path_factory.mktemp("big") / "store"
    shutil.copytree(seed_store_dir, path)
    store = Store(str(path))
    predicate = NamedNode("http://example.org/p")
    store.bulk_extend(
        Quad(NamedNode(f"http://example.org/s{n}"), predicate, Literal(f"{n:0200}"), BULK_GRAPH)
        for n in range(60_000)
    )
    store.flush()
    del store
    return path


def test_clients_that_do_not_read_are_dropped(
    big_store: Path, tmp_path: Path, serve: Callable[..., Server]
) -> None:
    """Four clients ask for an N-Quads export or a large CONSTRUCT and never read: the lookups
    answer meanwhile, and each is dropped after the send limit, its export thread or query
    worker free again."""
    server = serve(
        shutil.copytree(big_store, tmp_path / "store"), KG_SEND_TIMEOUT=str(SEND_SECONDS)
    )
    targets = [
        "/export?format=nquads",
        "/export?format=nquads",
        "/sparql?format=ntriples&query=" + CROSS_CONSTRUCT.replace(" ", "%20"),
        "/sparql?format=ntriples&query=" + CROSS_CONSTRUCT.replace(" ", "%20"),
    ]
    with watched(server), httpx.Client(base_url=server.url) as client:
        readers = []
        for target in targets:
            sock = attacker_socket(server, receive_buffer=4096)
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            readers.append(sock)

        def lanes() -> dict[str, int]:
            for path in ("/countries/FR", "/pledges"):
                asked = time.monotonic()
                assert client.get(path).status_code == 200, path
                assert time.monotonic() - asked < ANSWER_SECONDS
            taken: dict[str, int] = client.get("/healthz").json()["busy"]
            time.sleep(0.3)
            return {name: taken[name] for name in ("export", "sparql")}

        started = time.monotonic()
        while not all(lanes().values()):  # both lanes hold the non-readers' work
            assert time.monotonic() - started < 30, "the downloads never started"
        while any((busy := lanes()).values()):
            assert time.monotonic() - started < SEND_SECONDS + 60, busy
        for sock in readers:
            received = 0
            sock.settimeout(10)
            try:
                while chunk := sock.recv(1 << 20):
                    received += len(chunk)
            except ConnectionError:
                pass
            assert received < 10_000_000, "a client that did not read got a whole response"
            sock.close()
    assert "send time-out" in server.output()
