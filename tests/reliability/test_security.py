"""Security of a real `kg serve`: read-only without a token, the token checked, no requests to
other hosts (SERVICE, LOAD), REST parameters that cannot reach the SPARQL text, request size
limits, error bodies without tracebacks or paths, no CORS unless asked for, and a loopback
bind by default. Every probe ends by checking the store still holds what it held."""

from __future__ import annotations

import concurrent.futures
import json
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.net import Listener, free_port
from tests.outbound_tricks import HARMLESS, TRICKS, UPDATE_TRICKS, fill_tricks

from .conftest import TOKEN, Server, count_through, start_server

ROOT = Path(__file__).resolve().parents[2]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
INSERT = (
    "INSERT DATA { GRAPH <http://example.org/g> "
    '{ <http://example.org/s> <http://example.org/p> "x" } }'
)
DELETE = INSERT.replace("INSERT", "DELETE", 1)
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Small limits, so that going past them costs the test little.
MAX_BODY = 65_536
MAX_QUERY_CHARS = 2_000
INJECTIONS = [
    'ES"',
    "ES'",
    'ES" } ; DROP ALL ; #',
    "ES' } ; DROP ALL ; #",
    "} ; DROP ALL ; {",
    '"""} DROP ALL {"""',
    "ES> } ; DROP ALL ; <x",
    "ES\\",
    "ES\n} ; CLEAR ALL",
    "?s ?p ?o",
    "ES%00",
    "<http://example.org/x>",
]


def quads(server: Server) -> int:
    """Quads the server's store holds, asked through the server itself."""
    return count_through(server, COUNT)


def assert_clean_error(response: httpx.Response, server: Server) -> None:
    """An error answer tells what went wrong in words: no trace, no source file, no path."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    body = response.text
    for leak in ("Traceback", 'File "', ".py", "site-packages", str(server.store), str(ROOT)):
        assert leak not in body, (leak, body[:500])
    assert "/tmp/" not in body and "/home/" not in body and "/root/" not in body, body[:500]


def assert_clean_error_or_busy(response: httpx.Response, server: Server) -> None:
    """Like :func:`assert_clean_error`, but a 503 (time limit, busy) is an allowed answer."""
    if response.status_code == 503:
        assert "Traceback" not in response.text and str(server.store) not in response.text
    else:
        assert_clean_error(response, server)


def _store_copy(seed_store_dir: Path, target: Path) -> Path:
    shutil.copytree(seed_store_dir, target)
    return target


@pytest.fixture(scope="module")
def open_server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server as `kg serve` starts with no settings at all: no token, default address."""
    folder = tmp_path_factory.mktemp("open-server")
    server = start_server(_store_copy(seed_store_dir, folder / "store"), folder)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def token_server(
    seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A writable server (token set) with small request limits."""
    folder = tmp_path_factory.mktemp("token-server")
    server = start_server(
        _store_copy(seed_store_dir, folder / "store"),
        folder,
        KG_API_TOKEN=TOKEN,
        KG_MAX_BODY_BYTES=str(MAX_BODY),
        KG_MAX_QUERY_CHARS=str(MAX_QUERY_CHARS),
    )
    yield server
    server.stop()


# --- where it listens -----------------------------------------------------------------------


def _listening(port: int) -> list[str]:
    """Local addresses of the sockets listening on ``port``, from the kernel's tables."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                assert len(address) == width
                found.append(address)
    return found


def test_kg_serve_listens_on_loopback_only_by_default(open_server: Server) -> None:
    addresses = _listening(open_server.port)
    # 0100007F is 127.0.0.1 as the kernel writes it (little-endian hex).
    assert addresses == ["0100007F"], addresses


# --- read-only unless a token is set --------------------------------------------------------


def test_without_a_token_the_server_is_read_only(open_server: Server) -> None:
    before = quads(open_server)
    url = f"{open_server.url}/sparql"
    attempts = [
        httpx.post(url, content=INSERT, headers={"Content-Type": "application/sparql-update"}),
        httpx.post(
            url,
            content=INSERT,
            headers={"Content-Type": "application/sparql-update", **AUTH},
        ),
        httpx.post(url, data={"update": INSERT}, headers=AUTH),
        httpx.post(url, data={"update": "DROP ALL"}),
        httpx.get(url, params={"update": "DROP ALL"}),
        httpx.post(
            f"{open_server.url}/ingest",
            json={"articles": [{"text": "Spain will send troops.", "origin": "a.txt"}]},
            headers=AUTH,
        ),
    ]
    for response in attempts:
        assert response.status_code in (400, 401, 403), (response.status_code, response.text)
        assert_clean_error(response, open_server)
    assert quads(open_server) == before


def test_updates_need_the_exact_token(token_server: Server) -> None:
    url = f"{token_server.url}/sparql"
    update = {"Content-Type": "application/sparql-update"}
    before = quads(token_server)
    wrong = {
        None: 401,
        "": 401,
        "Bearer": 401,
        f"Basic {TOKEN}": 401,
        f"Token {TOKEN}": 401,
        "Bearer " + "x" * len(TOKEN): 403,
        f"Bearer {TOKEN[:-1]}": 403,
        f"Bearer {TOKEN}x": 403,
        f"Bearer {TOKEN.upper()}": 403,
        f"Bearer {TOKEN[1:]}{TOKEN[0]}": 403,
    }
    for authorization, status in wrong.items():
        headers = dict(update)
        if authorization is not None:
            headers["Authorization"] = authorization
        response = httpx.post(url, content=INSERT, headers=headers)
        assert response.status_code == status, (authorization, response.text)
        assert_clean_error(response, token_server)
        ingest = httpx.post(
            f"{token_server.url}/ingest",
            json={"articles": [{"text": "Spain will send troops.", "origin": "a.txt"}]},
            headers={} if authorization is None else {"Authorization": authorization},
        )
        assert ingest.status_code == status, (authorization, ingest.text)
    assert quads(token_server) == before
    # The right token does write: the refusals above are not a server that writes nothing.
    assert httpx.post(url, content=INSERT, headers={**update, **AUTH}).status_code == 204
    assert quads(token_server) == before + 1
    assert httpx.post(url, content=DELETE, headers={**update, **AUTH}).status_code == 204
    assert quads(token_server) == before


# --- no requests to other hosts -------------------------------------------------------------


@pytest.fixture()
def decoy() -> Iterator[Listener]:
    """Another host: a loopback port that counts the connections made to it."""
    listener = Listener()
    yield listener
    listener.close()


def test_service_and_load_are_refused(
    open_server: Server, token_server: Server, decoy: Listener
) -> None:
    """Every spelling pyoxigraph runs (``tests/outbound_tricks.py``: escapes such as
    ``\\u00000022``, ``\\U`` and mixed-case hex, also inside IRIs and prefixed names;
    comments; case; keywords glued to their neighbours) is refused by both servers, as a query
    and (with the token) as an update, and nothing connects."""
    url = decoy.url
    sent = 0
    for server in (open_server, token_server):
        for template in TRICKS:
            text = fill_tricks(template, url)
            for response in (
                httpx.get(f"{server.url}/sparql", params={"query": text}),
                httpx.post(
                    f"{server.url}/sparql",
                    content=text,
                    headers={"Content-Type": "application/sparql-query"},
                ),
            ):
                assert response.status_code == 403, (text, response.status_code, response.text)
                assert_clean_error(response, server)
                sent += 1
    before = quads(token_server)
    for template in UPDATE_TRICKS:
        text = fill_tricks(template, url)
        response = httpx.post(
            f"{token_server.url}/sparql",
            content=text,
            headers={"Content-Type": "application/sparql-update", **AUTH},
        )
        assert response.status_code == 403, (text, response.status_code, response.text)
        sent += 1
    assert sent == 4 * len(TRICKS) + len(UPDATE_TRICKS)
    assert decoy.count == 0, "the server connected to another address"
    assert quads(token_server) == before
    # The words in strings, comments and names are no reason to refuse.
    for template in HARMLESS:
        response = httpx.get(
            f"{open_server.url}/sparql", params={"query": fill_tricks(template, url)}
        )
        assert response.status_code == 200, (template, response.text)


def test_service_to_a_dead_host_when_allowed_is_a_502(
    seed_store_dir: Path, tmp_path: Path, serve: Callable[..., Server], decoy: Listener
) -> None:
    """With outbound requests allowed, a SERVICE call to a listener does connect (so the
    refusals above are the check's doing), and one to a closed port is a 502, not a 500."""
    server = serve(_store_copy(seed_store_dir, tmp_path / "store"), KG_ALLOW_SERVICE="true")
    response = httpx.get(
        f"{server.url}/sparql",
        params={"query": f"SELECT * {{ SERVICE <{decoy.url}> {{ ?s ?p ?o }} }}"},
        timeout=60,
    )
    assert response.status_code == 502 and decoy.count == 1, response.text
    closed = f"http://127.0.0.1:{free_port()}/sparql"
    response = httpx.get(
        f"{server.url}/sparql",
        params={"query": f"SELECT * {{ SERVICE <{closed}> {{ ?s ?p ?o }} }}"},
        timeout=60,
    )
    assert response.status_code == 502, response.text
    assert "SERVICE request failed" in response.json()["detail"]


# --- REST parameters ------------------------------------------------------------------------


def _rest_probes(payload: str) -> list[str]:
    q = quote(payload, safe="")
    return [
        f"/countries/{q}",
        f"/countries?limit=5&offset={q}",
        f"/leaders?country={q}",
        f"/leaders/{q}",
        f"/meetings?country={q}",
        f"/meetings/{q}",
        f"/pledges?country={q}",
        f"/pledges?country=ES&stance={q}",
        f"/pledges?country=ES&since={q}",
        f"/sources/{q}",
        f"/graph?graph={q}",
        f"/export?graph={q}",
        f"/export?country={q}",
    ]


@pytest.mark.slow
def test_rest_parameters_cannot_inject_sparql(token_server: Server) -> None:
    """On a writable server, hostile parameter values are refused (4xx) and change nothing."""
    before = quads(token_server)
    with httpx.Client(base_url=token_server.url, timeout=30) as client:
        for payload in INJECTIONS:
            for path in _rest_probes(payload):
                response = client.get(path)
                assert 400 <= response.status_code < 500, (path, response.status_code)
                assert_clean_error(response, token_server)
        # The same endpoints do answer ordinary values, so the 4xx above are about the values.
        for path in ("/countries/ES", "/leaders?country=ES", "/pledges?country=ES"):
            assert client.get(path).status_code == 200, path
    assert quads(token_server) == before


# --- sizes ----------------------------------------------------------------------------------


def test_oversized_bodies_and_query_strings_are_refused(token_server: Server) -> None:
    url = f"{token_server.url}/sparql"
    before = quads(token_server)
    big_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (MAX_BODY + 10)

    def chunks() -> Iterator[bytes]:
        for _ in range(4):
            yield big_query.encode()

    answers = {
        "declared body": httpx.post(
            url, content=big_query, headers={"Content-Type": "application/sparql-query"}
        ),
        "streamed body": httpx.post(
            url, content=chunks(), headers={"Content-Type": "application/sparql-query"}
        ),
        "ingest body": httpx.post(
            f"{token_server.url}/ingest",
            json={"articles": [{"text": "x" * (MAX_BODY + 10), "origin": "big.txt"}]},
            headers=AUTH,
        ),
    }
    for what, response in answers.items():
        assert response.status_code == 413, (what, response.status_code, response.text[:200])
        assert_clean_error(response, token_server)
    long_string = httpx.get(url, params={"query": big_query[: 4 * MAX_QUERY_CHARS + 5000]})
    assert long_string.status_code == 414, long_string.text[:200]
    assert_clean_error(long_string, token_server)
    # A query text over its own limit, in a body and a query string that are both allowed.
    long_text = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_QUERY_CHARS
    for response in (
        httpx.get(url, params={"query": long_text}),
        httpx.post(url, content=long_text, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code in (413, 414), response.text[:200]
        assert_clean_error(response, token_server)
    assert httpx.get(f"{token_server.url}/healthz").status_code == 200
    assert quads(token_server) == before


# --- errors say nothing of the machine ------------------------------------------------------


def test_from_names_a_graph_and_never_reads_a_file(open_server: Server) -> None:
    for target in ("file:///etc/passwd", "http://127.0.0.1:1/", "/etc/hostname"):
        query = f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}"
        response = httpx.get(f"{open_server.url}/sparql", params={"query": query})
        assert response.status_code in (200, 400), response.text[:300]
        assert "root:" not in response.text and socket.gethostname() not in response.text
        if response.status_code == 200:
            assert response.json()["results"]["bindings"] == []


def test_error_bodies_hold_no_trace_or_path(open_server: Server, token_server: Server) -> None:
    probes: list[tuple[Server, str, str, dict[str, str], bytes | None]] = [
        (open_server, "GET", "/sparql?query=SELEC%20*%20WHERE", {}, None),
        (open_server, "GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20", {}, None),
        (open_server, "GET", "/sparql?query=ASK%7B%7D", {"Accept": "image/png"}, None),
        (open_server, "GET", "/sparql?query=ASK%7B%7D&format=nope", {}, None),
        (open_server, "POST", "/sparql", {"Content-Type": "application/x-unknown"}, b"ASK {}"),
        (
            open_server,
            "POST",
            "/sparql",
            {"Content-Type": "application/sparql-query"},
            b"\xff\xfe ASK {}",
        ),
        (open_server, "GET", "/nowhere/../../etc/passwd", {}, None),
        (open_server, "GET", "/static/../../pyproject.toml", {}, None),
        (open_server, "GET", "/static/%2e%2e/%2e%2e/pyproject.toml", {}, None),
        (open_server, "DELETE", "/countries/ES", {}, None),
        (open_server, "GET", "/countries?limit=100000000000000000000", {}, None),
        (open_server, "GET", "/countries/XX", {}, None),
        (open_server, "GET", "/graph?graph=not%20an%20iri", {}, None),
        (open_server, "GET", "/export?format=exe", {}, None),
        (token_server, "POST", "/ingest", {"Content-Type": "application/json", **AUTH}, b"{bad"),
        (
            token_server,
            "POST",
            "/ingest",
            {"Content-Type": "application/json", **AUTH},
            json.dumps({"articles": [{"text": 5}]}).encode(),
        ),
        (
            token_server,
            "POST",
            "/sparql",
            {"Content-Type": "application/sparql-update", **AUTH},
            b"DROP GRAPH <not an iri>",
        ),
        (
            token_server,
            "POST",
            "/sparql",
            {"Content-Type": "application/sparql-update", **AUTH},
            b"CREATE GRAPH <http://example.org/g> ; CREATE GRAPH <http://example.org/g>",
        ),
    ]
    for server, method, path, headers, body in probes:
        response = httpx.request(method, server.url + path, headers=headers, content=body)
        assert response.status_code >= 400, (path, response.status_code, response.text[:300])
        assert_clean_error(response, server)


# --- CORS -----------------------------------------------------------------------------------


def test_cors_is_off_by_default(open_server: Server) -> None:
    origin = {"Origin": "http://attacker.example"}
    responses = [
        httpx.get(f"{open_server.url}/countries", headers=origin),
        httpx.get(f"{open_server.url}/sparql", params={"query": "ASK {}"}, headers=origin),
        httpx.options(
            f"{open_server.url}/sparql",
            headers={
                **origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
        ),
    ]
    for response in responses:
        leaked = [name for name in response.headers if name.lower().startswith("access-control")]
        assert leaked == [], (response.request.method, leaked)


# --- hostile query shapes -------------------------------------------------------------------

NESTED = {
    "groups": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "filter parentheses": "ASK { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "negations": "ASK { FILTER(" + "!" * 20_000 + "true) }",
}


@pytest.mark.slow
def test_deeply_nested_sparql_is_refused_and_the_server_lives(
    seed_store_dir: Path, tmp_path: Path, serve: Callable[..., Server]
) -> None:
    """A query of a few kilobytes, nested thousands deep, well inside every size limit, must
    get a 4xx: never take the server process down with it."""
    server = serve(_store_copy(seed_store_dir, tmp_path / "store"), KG_API_TOKEN=TOKEN)
    sent = [
        *(("query", name, text) for name, text in NESTED.items()),
        (
            "update",
            "update groups",
            "INSERT { <http://a/s> <http://a/p> 1 } WHERE " + "{" * 5000 + "}" * 5000,
        ),
    ]
    for kind, name, text in sent:
        headers = {"Content-Type": f"application/sparql-{kind}"}
        if kind == "update":
            headers.update(AUTH)
        try:
            response = httpx.post(f"{server.url}/sparql", content=text, headers=headers, timeout=60)
        except httpx.TransportError as exc:
            time.sleep(0.5)
            alive = server.process.poll() is None
            pytest.fail(f"{name}: no answer ({type(exc).__name__}); server alive: {alive}")
        assert 400 <= response.status_code < 500, (name, response.status_code)
        assert_clean_error(response, server)
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200, name


@pytest.mark.slow
def test_a_few_small_queries_cannot_hold_every_query_worker(
    seed_store_dir: Path, tmp_path: Path, serve: Callable[..., Server]
) -> None:
    """Nested collections or blank-node lists cost the SPARQL engine time that grows much
    faster than their size, in work that cannot be stopped: 200 levels (under 1 KB) run for
    minutes. As many such queries as there are workers must not leave the endpoint unable to
    answer anyone else."""
    workers = 2
    server = serve(
        _store_copy(seed_store_dir, tmp_path / "store"),
        KG_QUERY_WORKERS=str(workers),
        KG_QUERY_TIMEOUT="2",
    )
    hostile = [
        "ASK { ?s ?p " + "(" * 200 + ")" * 200 + " }",
        "ASK { ?s ?p " + "[ ?p " * 200 + "1" + "]" * 200 + " }",
    ]
    url = f"{server.url}/sparql"
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        answers = list(pool.map(lambda q: httpx.get(url, params={"query": q}, timeout=60), hostile))
    for response in answers:
        assert 400 <= response.status_code < 600, response.status_code
        assert_clean_error_or_busy(response, server)
    time.sleep(1.0)
    started = time.monotonic()
    ordinary = httpx.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert ordinary.status_code == 200, (ordinary.status_code, ordinary.text[:200])
    assert time.monotonic() - started < 5.0
