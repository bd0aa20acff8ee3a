"""`--store http://host:port` finds the endpoints by itself: against a real `kg serve` (which
describes them at /.well-known/pledgekg) the read commands give what they give on its store
directly, and against a real `oxigraph serve` it uses Oxigraph's paths; the KG_STORE_*_PATH
settings still override both."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.config import Settings
from kg.endpoints import PLEDGEKG, WELL_KNOWN, configured
from kg.store import RemoteStore
from tests.api.conftest import Server, start_server, stop_server
from tests.commands import assert_fails, kg_process

from .conftest import OxigraphServer

GROUND_TROOPS = Path(__file__).resolve().parents[2] / "ontology" / "queries" / "ground-troops.rq"
ROW_LIMIT = 20


@pytest.fixture(scope="module")
def kg_server(
    seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Path]]:
    """`kg serve` over a copy of the seed store, with a small row limit; and a second copy
    of the same store to read directly."""
    root = tmp_path_factory.mktemp("discovery")
    shutil.copytree(seed_store_dir, root / "served")
    shutil.copytree(seed_store_dir, root / "direct")
    server = start_server(root / "served", root / "serve.log", {"KG_RESULT_LIMIT": str(ROW_LIMIT)})
    yield server, root / "direct"
    stop_server(server)


@pytest.mark.slow
def test_read_commands_on_kg_serve_by_its_url_match_its_store(
    kg_server: tuple[Server, Path], tmp_path: Path
) -> None:
    server, direct = kg_server
    for command in (
        ["stats", "--json"],
        ["query", f"@{GROUND_TROOPS}", "-f", "csv"],
        ["query", "ASK { ?s a <https://w3id.org/pledgekg/ontology#Pledge> }"],
        ["validate"],
    ):
        remote = kg_process(*command, "--store", server.url)
        local = kg_process(*command, "--store", direct)
        assert remote.returncode == local.returncode == 0, remote.stderr
        assert remote.stdout == local.stdout, command
    # Exports are whole although the server cuts query answers at ROW_LIMIT rows.
    for fmt, rdf in (("nquads", RdfFormat.N_QUADS), ("trig", RdfFormat.TRIG)):
        remote_out, local_out = tmp_path / f"remote.{fmt}", tmp_path / f"local.{fmt}"
        assert (
            kg_process("export", "-f", fmt, "-o", remote_out, "--store", server.url).returncode == 0
        )
        assert kg_process("export", "-f", fmt, "-o", local_out, "--store", direct).returncode == 0
        remote_quads = set(parse(path=remote_out, format=rdf))
        assert len(remote_quads) > ROW_LIMIT
        assert remote_quads == set(parse(path=local_out, format=rdf))
    turtle = kg_process("export", "-f", "turtle", "--store", server.url)
    assert turtle.returncode == 0, turtle.stderr
    expected = kg_process("export", "-f", "turtle", "--store", direct).stdout
    assert isomorphic(
        Graph().parse(data=turtle.stdout, format="turtle"),
        Graph().parse(data=expected, format="turtle"),
    )


def test_kg_serve_describes_its_endpoints(kg_server: tuple[Server, Path]) -> None:
    server, _ = kg_server
    with server.client() as client:
        assert client.get(WELL_KNOWN).json() == PLEDGEKG.document()
    store = RemoteStore(Settings(store=server.url + "/"))
    try:
        assert store.endpoints == PLEDGEKG
        assert store.query_url == server.url + "/sparql"
    finally:
        store.close()


def test_a_cut_answer_is_an_error_not_a_short_answer(kg_server: tuple[Server, Path]) -> None:
    server, _ = kg_server
    done = kg_process("query", "SELECT * WHERE { ?s ?p ?o }", "--store", server.url)
    assert_fails(done, "cut the answer at its row limit")
    assert done.stdout == ""


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", "-q", "seeds/000_7a9975804206b27f.txt"],
        ["remove", "seeds/000_7a9975804206b27f.txt"],
    ],
    ids=["ingest", "remove"],
)
def test_writes_to_kg_serve_by_its_url_say_how_to_write(
    kg_server: tuple[Server, Path], command: list[str]
) -> None:
    server, _ = kg_server
    root = Path(__file__).resolve().parents[2]
    before = kg_process("stats", "--json", "--store", server.url).stdout
    done = kg_process(
        *[str(root / a) if a.startswith("seeds/") else a for a in command], "--store", server.url
    )
    assert_fails(done, f"kg ingest --server {server.url}", "KG_API_TOKEN")
    assert kg_process("stats", "--json", "--store", server.url).stdout == before


def test_path_settings_override_what_is_found(kg_server: tuple[Server, Path]) -> None:
    server, direct = kg_server
    expected = kg_process("stats", "--json", "--store", direct).stdout
    # The settings that used to be needed for this server still work ...
    old_way = kg_process(
        "stats",
        "--json",
        "--store",
        server.url,
        env={"KG_STORE_QUERY_PATH": "/sparql", "KG_STORE_GRAPH_PATH": "/graph"},
    )
    assert old_way.returncode == 0, old_way.stderr
    assert old_way.stdout == expected
    # ... and one set to a wrong path is used, and named in the error.
    wrong = kg_process("stats", "--store", server.url, env={"KG_STORE_QUERY_PATH": "/query"})
    assert_fails(wrong, "404", f"{server.url}/query", "KG_STORE_QUERY_PATH")


def test_oxigraph_serve_is_read_with_its_own_paths(seeded_server: OxigraphServer) -> None:
    store = seeded_server.store()
    try:
        assert store.endpoints == configured(Settings(store=seeded_server.url))
        assert store.query_url == seeded_server.url + "/query"
        assert store.dataset_url == seeded_server.url + "/store"
    finally:
        store.close()


class _BadDiscovery(BaseHTTPRequestHandler):
    """A server that claims to be this project's but names no query endpoint."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        body = json.dumps({**PLEDGEKG.document(), "query": "sparql"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_bad_description_is_one_line_naming_the_field() -> None:
    http = ThreadingHTTPServer(("127.0.0.1", 0), _BadDiscovery)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{http.server_address[1]}"
        done = kg_process("stats", "--store", url)
        assert_fails(done, f"{url}{WELL_KNOWN}", "field 'query'")
    finally:
        http.shutdown()
        http.server_close()
