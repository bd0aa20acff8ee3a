"""The remote store and every `kg` command against a real `oxigraph serve`: the graph a remote
ingest builds is the graph an embedded ingest builds, and the commands behave the same."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import httpx
import pytest
from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    serialize,
)
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner, Result

from kg.claims import CHANGES_GRAPH, CLAIMS_GRAPH
from kg.cli import app
from kg.identity import source_id
from kg.prefixes import KG, SPARQL_PREFIXES
from kg.rdf import REFERENCE_GRAPH, SOURCE_PREFIX, source_iri
from kg.sources import read_file
from kg.store import RemoteStore, StoreError
from tests.commands import assert_one_line_error, kg_process
from tests.graphs import comparable
from tests.net import free_port

from .conftest import OxigraphServer

EX = "http://example.org/"
G1 = NamedNode(SOURCE_PREFIX + "0000000000000001")
G2 = NamedNode(SOURCE_PREFIX + "0000000000000002")
P = NamedNode(EX + "p")
PLEDGES_BY_STATE = (
    SPARQL_PREFIXES
    + "SELECT DISTINCT ?pledge ?iso WHERE { ?pledge a kg:Pledge ; kg:pledgedBy ?s . "
    "?s kg:isoCode ?iso } ORDER BY ?pledge"
)
runner = CliRunner()


def kg(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def by_graph(quads: list[Quad]) -> dict[str, set[Quad]]:
    graphs: dict[str, set[Quad]] = {}
    for q in quads:
        assert isinstance(q.graph_name, NamedNode), f"in the default graph: {q}"
        graphs.setdefault(q.graph_name.value, set()).add(q)
    return graphs


def remote_dataset(server: OxigraphServer) -> dict[str, set[Quad]]:
    """Every named graph on the server, fetched with the Graph Store protocol directly."""
    answer = httpx.get(f"{server.url}/store", headers={"Accept": "application/n-quads"})
    answer.raise_for_status()
    return by_graph(list(parse(answer.content, RdfFormat.N_QUADS)))


def embedded_dataset(path: Path) -> dict[str, set[Quad]]:
    return by_graph(list(Store.read_only(str(path))))


def rdflib_graph(quads: set[Quad]) -> Graph:
    data = serialize((q.triple for q in quads), None, RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data, format="nt")


def assert_same_graphs(found: dict[str, set[Quad]], expected: dict[str, set[Quad]]) -> None:
    """The same named graphs, each isomorphic to its counterpart (blank nodes may be renamed)."""
    assert set(found) == set(expected)
    for name, quads in expected.items():
        assert isomorphic(rdflib_graph(found[name]), rdflib_graph(quads)), name


def rdflib_union(graphs: dict[str, set[Quad]]) -> Graph:
    return rdflib_graph(set().union(*graphs.values()))


def load_seed_graph(server: OxigraphServer, seed_store_dir: Path) -> None:
    """Put the embedded seed store's dataset on the server in one Graph Store POST."""
    data = serialize(Store.read_only(str(seed_store_dir)), None, RdfFormat.N_QUADS)
    answer = httpx.post(
        f"{server.url}/store", content=data, headers={"Content-Type": "application/n-quads"}
    )
    answer.raise_for_status()


def seed_graph(path: Path) -> NamedNode:
    [article], _ = read_file(path, 1_000_000)
    return source_iri(source_id(article))


def quad(subject: str, obj: str, graph: NamedNode) -> Quad:
    return Quad(NamedNode(EX + subject), P, Literal(obj), graph)


# The store interface over HTTP


def test_remote_graphs_are_replaced_whole_and_alone(oxigraph_server: OxigraphServer) -> None:
    store = oxigraph_server.store()
    try:
        store.replace_graph(G1, [quad("a", "1", G1), quad("b", "2", G1)])
        store.replace_graph(G1, [quad("a", "1", G1), quad("b", "2", G1)])
        store.replace_graph(G2, [quad("a", "1", G2)])
        assert store.count() == 3
        store.replace_graph(G1, [quad("c", "3", G1)])
        assert set(store.graph_quads(G1)) == {quad("c", "3", G1)}
        assert set(store.graph_quads(G2)) == {quad("a", "1", G2)}
        assert store.graphs() == [G1, G2]
        assert store.has_graph(G1)
        assert store.remove_graph(G1) is True
        assert store.remove_graph(G1) is False
        assert not store.has_graph(G1)
        assert store.graph_quads(G1) == []
        assert store.graphs() == [G2]
    finally:
        store.close()


def test_remote_default_graph_is_the_union(oxigraph_server: OxigraphServer) -> None:
    store = oxigraph_server.store()
    try:
        store.replace_graph(G1, [Quad(NamedNode(EX + "a"), P, NamedNode(EX + "b"), G1)])
        store.replace_graph(G2, [Quad(NamedNode(EX + "b"), P, Literal("end"), G2)])
        join = f"SELECT ?o WHERE {{ <{EX}a> <{P.value}> ?mid . ?mid <{P.value}> ?o }}"
        result = store.query(join)
        assert isinstance(result, QuerySolutions)
        assert [row["o"] for row in result] == [Literal("end")]
        restricted = store.query(join, default_graphs=[G1])
        assert isinstance(restricted, QuerySolutions)
        assert list(restricted) == []
        ask = store.query(f"ASK {{ <{EX}b> ?p 'end' }}")
        assert isinstance(ask, QueryBoolean) and bool(ask)
        raw = httpx.get(
            f"{oxigraph_server.url}/store",
            params={"default": ""},
            headers={"Accept": "application/n-triples"},
        )
        assert raw.status_code == 200 and raw.content.strip() == b""  # nothing in the default graph
    finally:
        store.close()


def test_awkward_terms_survive_the_trip(oxigraph_server: OxigraphServer) -> None:
    s = NamedNode(EX + "s/caf%C3%A9?x=1#frag")
    quads = [
        Quad(s, P, Literal('quote " backslash \\ end'), G1),
        Quad(s, P, Literal("line\nbreak\ttab\rreturn \x01 control"), G1),
        Quad(s, P, Literal("Volodímir Zelensky ✓ 🇺🇦"), G1),
        Quad(s, P, Literal("Espagne", language="fr"), G1),
        Quad(s, P, NamedNode("https://w3id.org/pledgekg/id/leader/pedro-sánchez"), G1),
    ]
    store = oxigraph_server.store()
    try:
        store.replace_graph(G1, quads)
        assert set(store.graph_quads(G1)) == set(quads)
        constructed = store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1.value}> {{ ?s ?p ?o }} }}"
        )
        assert set(constructed) == {q.triple for q in quads}
    finally:
        store.close()


def test_syntax_errors_and_server_errors_are_told_apart(oxigraph_server: OxigraphServer) -> None:
    store = oxigraph_server.store()
    try:
        with pytest.raises(SyntaxError):
            store.query("SELECT ?s WHERE { ?s ?p }")
        with pytest.raises(SyntaxError):
            store.update("INSERT DATA { nonsense }")
    finally:
        store.close()
    wrong_path = RemoteStore(
        oxigraph_server.settings().model_copy(update={"store_query_path": "/nowhere"})
    )
    try:
        with pytest.raises(StoreError, match="404"):
            wrong_path.query("ASK {}")
    finally:
        wrong_path.close()


# The commands


@pytest.mark.slow
def test_remote_ingest_builds_the_embedded_graph(
    oxigraph_server: OxigraphServer, seeds_dir: Path, seed_store_dir: Path
) -> None:
    url = oxigraph_server.url
    first = kg("ingest", "-q", seeds_dir, "--store", url)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("ingested 5 sources: ")
    after_first = remote_dataset(oxigraph_server)
    stats_first = json.loads(kg("stats", "--json", "--store", url).stdout)

    second = kg("ingest", "-q", seeds_dir, "--store", url)
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith("ingested 5 sources: 0 new, 0 changed, 5 unchanged, 0 removed")
    assert remote_dataset(oxigraph_server) == after_first
    assert json.loads(kg("stats", "--json", "--store", url).stdout) == stats_first

    # The same graphs as the embedded store's, but for when each was ingested.
    embedded = embedded_dataset(seed_store_dir)
    assert_same_graphs(
        {g: set(comparable(q)) for g, q in after_first.items()},
        {g: set(comparable(q)) for g, q in embedded.items()},
    )
    assert stats_first == json.loads(kg("stats", "--json", "--store", seed_store_dir).stdout)


def test_remote_query_in_every_format(seeded_server: OxigraphServer) -> None:
    url = seeded_server.url
    outputs = {}
    for fmt in ("table", "json", "csv", "tsv"):
        result = kg("query", PLEDGES_BY_STATE, "-f", fmt, "--store", url)
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout
    rows = json.loads(outputs["json"])["results"]["bindings"]
    assert rows
    expected = [(r["pledge"]["value"], r["iso"]["value"]) for r in rows]
    assert outputs["table"].splitlines()[-1] == f"({len(expected)} rows)"
    records = list(csv.reader(io.StringIO(outputs["csv"])))
    assert records[0] == ["pledge", "iso"] and [tuple(r) for r in records[1:]] == expected
    assert len(outputs["tsv"].splitlines()) == len(expected) + 1
    ask = kg("query", SPARQL_PREFIXES + "ASK { ?s a kg:Source }", "--store", url)
    assert ask.stdout.strip() == "true"
    construct = kg(
        "query",
        SPARQL_PREFIXES + "CONSTRUCT { ?s a kg:Source } WHERE { ?s a kg:Source }",
        "--store",
        url,
    )
    assert len(Graph().parse(data=construct.stdout, format="turtle")) == 5


def test_remote_query_from_a_file_and_a_syntax_error(
    seeded_server: OxigraphServer, tmp_path: Path
) -> None:
    query_file = tmp_path / "q.rq"
    query_file.write_text(PLEDGES_BY_STATE, encoding="utf-8")
    from_file = kg("query", f"@{query_file}", "-f", "csv", "--store", seeded_server.url)
    inline = kg("query", PLEDGES_BY_STATE, "-f", "csv", "--store", seeded_server.url)
    assert from_file.exit_code == 0 and from_file.stdout == inline.stdout
    done = kg_process("query", "SELECT ?s WHERE { ?s ?p }", "--store", seeded_server.url)
    assert done.returncode != 0 and done.stdout == ""
    assert_one_line_error(done.stderr, "SPARQL syntax error")


def test_remote_export(seeded_server: OxigraphServer, tmp_path: Path) -> None:
    url = seeded_server.url
    expected = remote_dataset(seeded_server)
    assert kg("export", "-f", "turtle", "-o", tmp_path / "g.ttl", "--store", url).exit_code == 0
    exported = Graph().parse(tmp_path / "g.ttl", format="turtle")
    assert isomorphic(exported, rdflib_union(expected))
    for fmt, rdf_format in (("trig", RdfFormat.TRIG), ("nquads", RdfFormat.N_QUADS)):
        out = tmp_path / f"dump.{fmt}"
        assert kg("export", "-f", fmt, "-o", out, "--store", url).exit_code == 0, fmt
        assert_same_graphs(by_graph(list(parse(path=out, format=rdf_format))), expected)
    one = next(name for name in expected if name.startswith(SOURCE_PREFIX))
    result = kg("export", "-f", "nquads", "--graph", one, "--store", url)
    assert result.exit_code == 0
    assert set(parse(result.stdout_bytes, RdfFormat.N_QUADS)) == expected[one]


@pytest.mark.slow
def test_remote_stats_and_validate_match_the_embedded_store(
    seeded_server: OxigraphServer, seed_store_dir: Path
) -> None:
    remote = json.loads(kg("stats", "--json", "--store", seeded_server.url).stdout)
    embedded = json.loads(kg("stats", "--json", "--store", seed_store_dir).stdout)
    assert remote == embedded
    result = kg("validate", "--store", seeded_server.url)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("conforms")


def test_remote_remove_by_path_and_iri(
    oxigraph_server: OxigraphServer, seed_store_dir: Path, seeds_dir: Path
) -> None:
    load_seed_graph(oxigraph_server, seed_store_dir)
    url = oxigraph_server.url
    seeds = sorted(seeds_dir.glob("*.txt"))
    before = remote_dataset(oxigraph_server)
    by_path, by_iri = seed_graph(seeds[0]), seed_graph(seeds[4])
    result = kg("remove", seeds[0], "--store", url)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"removed {by_path.value}"
    result = kg("remove", by_iri.value, "--store", url)
    assert result.exit_code == 0, result.output
    after = remote_dataset(oxigraph_server)
    assert set(after) == set(before) - {by_path.value, by_iri.value}
    # Only the graphs derived from all sources (claims, change log) follow the removals.
    derived = {CLAIMS_GRAPH.value, CHANGES_GRAPH.value}
    assert all(after[name] == before[name] for name in after if name not in derived)
    assert not any(by_path in (q.subject, q.object) for q in after[CLAIMS_GRAPH.value])
    assert REFERENCE_GRAPH.value in after
    done = kg_process("remove", by_iri.value, "--store", url)
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "no stored source matches")


@pytest.mark.slow
def test_remote_validate_reports_a_pledge_with_two_stances(
    oxigraph_server: OxigraphServer, seed_store_dir: Path
) -> None:
    load_seed_graph(oxigraph_server, seed_store_dir)
    store = oxigraph_server.store()
    try:
        found = store.query(
            SPARQL_PREFIXES + "SELECT ?p ?g WHERE { GRAPH ?g { ?p a kg:Pledge } } LIMIT 1"
        )
        assert isinstance(found, QuerySolutions)
        [(pledge, graph)] = [(row["p"], row["g"]) for row in found]
        store.update(
            f"INSERT DATA {{ GRAPH {graph} {{ {pledge} <{KG}stance> <{KG}Committed> , "
            f"<{KG}Declined> }} }}"
        )
    finally:
        store.close()
    done = kg_process("validate", "--store", oxigraph_server.url)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(r"\d+ violations", lines[0])
    assert any(str(pledge.value) in line and "stance" in line for line in lines[1:])


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["query", "ASK {}"],
        ["export"],
        ["validate"],
        ["remove", SOURCE_PREFIX + "0"],
        ["ingest", "-q"],
    ],
    ids=lambda c: c[0],
)
def test_unreachable_server_is_one_line(command: list[str], seeds_dir: Path) -> None:
    args: list[str | Path] = [*command]
    if command[0] == "ingest":
        args.append(sorted(seeds_dir.glob("*.txt"))[0])
    done = kg_process(*args, "--store", f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "cannot reach the store at http://127.0.0.1:")


def test_nothing_lands_in_the_default_graph(seeded_server: OxigraphServer) -> None:
    answer = httpx.get(f"{seeded_server.url}/store", headers={"Accept": "application/n-quads"})
    assert all(q.graph_name != DefaultGraph() for q in parse(answer.content, RdfFormat.N_QUADS))
