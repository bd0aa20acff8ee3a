"""``/sparql`` with real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) and plain HTTP:
result formats, content negotiation, the dataset, the row limit, SERVICE refusal and size
limits."""

from __future__ import annotations

import csv
import io
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import TYPE_CHECKING
from xml.dom.minidom import Document

import httpx
import pytest
import rdflib
from pyoxigraph import QueryResultsFormat, QuerySolutions, parse_query_results
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from kg.prefixes import KG, KGR, SPARQL_PREFIXES
from kg.rdf import REFERENCE_GRAPH

if TYPE_CHECKING:
    from tests.api.conftest import Server

ROW_LIMIT = 1000
MAX_QUERY_CHARS = 20_000
MAX_BODY_BYTES = 200_000
LABELS = SPARQL_PREFIXES + (
    "SELECT DISTINCT ?leader ?name WHERE { ?leader a kg:Leader ; rdfs:label ?name } "
    "ORDER BY ?leader"
)


def test_sparqlwrapper_select_json(server: Server) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(LABELS)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert isinstance(result, dict)
    names = {row["name"]["value"] for row in result["results"]["bindings"]}
    assert "Pedro Sánchez" in names


def test_sparqlwrapper_select_xml_by_post(server: Server) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod("POST")
    client.setQuery(LABELS)
    client.setReturnFormat(XML)
    document = client.query().convert()
    assert isinstance(document, Document)
    text = document.toxml()
    assert "Pedro Sánchez" in text


def test_sparqlwrapper_ask_and_construct(server: Server) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(
        SPARQL_PREFIXES
        + "ASK { ?p a kg:Pledge ; kg:pledgedBy <https://w3id.org/pledgekg/id/state/ES> }"
    )
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert isinstance(answer, dict) and answer["boolean"] is True
    client.setQuery(
        SPARQL_PREFIXES + "CONSTRUCT { ?l rdfs:label ?n } WHERE { ?l a kg:Leader ; rdfs:label ?n }"
    )
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert isinstance(turtle, bytes | str)
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert (
        rdflib.URIRef(KGR + "leader/pedro-sanchez"),
        rdflib.RDFS.label,
        rdflib.Literal("Pedro Sánchez"),
    ) in graph


def test_rdflib_sparqlstore(server: Server) -> None:
    graph = rdflib.Graph(store=SPARQLStore(query_endpoint=server.url + "/sparql"))
    rows = list(graph.query(LABELS))
    assert any(str(row[1]) == "Pedro Sánchez" for row in rows)  # type: ignore[index]
    leader = rdflib.URIRef(KGR + "leader/pedro-sanchez")
    assert rdflib.URIRef(KG + "Leader") in set(graph.objects(leader, rdflib.RDF.type))


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        (
            "application/sparql-results+json",
            QueryResultsFormat.JSON,
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+xml",
            QueryResultsFormat.XML,
            "application/sparql-results+xml",
        ),
        ("text/csv", QueryResultsFormat.CSV, "text/csv"),
        ("text/tab-separated-values", QueryResultsFormat.TSV, "text/tab-separated-values"),
        (
            "text/html,application/xhtml+xml,*/*;q=0.8",
            QueryResultsFormat.JSON,
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+xml;q=0.5, text/csv;q=0.9",
            QueryResultsFormat.CSV,
            "text/csv",
        ),
    ],
)
def test_select_formats(
    client: httpx.Client, accept: str, fmt: QueryResultsFormat, media: str
) -> None:
    """Each format parses back (with pyoxigraph's parser; CSV, which it will not read, with
    the csv module) to the same rows."""
    response = client.get("/sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    if fmt == QueryResultsFormat.CSV:
        names = [row["name"] for row in csv.DictReader(io.StringIO(response.text))]
    else:
        parsed = parse_query_results(response.content, fmt)
        assert isinstance(parsed, QuerySolutions)
        names = [row["name"].value for row in parsed]
    assert "Pedro Sánchez" in names
    reference = client.get("/sparql", params={"query": LABELS}).json()["results"]["bindings"]
    assert names == [row["name"]["value"] for row in reference]


def test_format_parameter_wins_over_accept(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": LABELS, "format": "tsv"}, headers={"Accept": "text/csv"}
    )
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    assert response.text.splitlines()[0] == "?leader\t?name"
    graph = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s a ?t } LIMIT 3", "format": "rdfxml"}
    )
    assert graph.headers["content-type"].startswith("application/rdf+xml")
    assert len(rdflib.Graph().parse(data=graph.content, format="xml")) == 3


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(client: httpx.Client, accept: str, rdflib_format: str) -> None:
    query = SPARQL_PREFIXES + "CONSTRUCT { ?p kg:evidence ?e } WHERE { ?p kg:evidence ?e }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) > 0


def test_not_acceptable_and_unknown_format(client: httpx.Client) -> None:
    refused = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    unknown = client.get("/sparql", params={"query": "ASK {}", "format": "yaml"})
    assert unknown.status_code == 400
    assert "yaml" in unknown.json()["detail"]


def test_syntax_error_carries_the_parser_message(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("SPARQL syntax error: error at 1:")


def test_syntax_error_position_is_the_clients_own(client: httpx.Client) -> None:
    """A relative IRI makes the server put a BASE line before the query; the error position
    still counts the client's lines."""
    response = client.get("/sparql", params={"query": "SELECT * WHERE {\n  <rel> ?p ?o ?x }"})
    assert response.status_code == 400
    assert "error at 2:" in response.json()["detail"]


def test_rows_stop_at_the_limit_and_say_so(client: httpx.Client) -> None:
    everything = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(everything.json()["results"]["bindings"]) == ROW_LIMIT
    assert everything.headers["x-result-truncated"] == "true"
    assert everything.headers["x-result-limit"] == str(ROW_LIMIT)
    assert f"limit of {ROW_LIMIT} rows" in everything.json()["warnings"][0]
    as_csv = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
    assert len(list(csv.reader(io.StringIO(as_csv.text)))) == ROW_LIMIT + 1
    assert as_csv.headers["x-result-truncated"] == "true"
    as_xml = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "xml"})
    assert ET.fromstring(as_xml.content).tag.endswith("sparql")  # the warning is a comment
    assert b"<!-- the result was cut" in as_xml.content
    triples = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "ntriples"}
    )
    lines = [line for line in triples.text.splitlines() if line.strip()]
    assert len([line for line in lines if not line.startswith("#")]) == ROW_LIMIT
    assert lines[-1].startswith("# the result was cut")
    assert triples.headers["x-result-truncated"] == "true"
    small = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 7"})
    assert len(small.json()["results"]["bindings"]) == 7
    assert "x-result-truncated" not in small.headers and "warnings" not in small.json()


def test_default_graph_is_the_union_and_from_is_honoured(client: httpx.Client) -> None:
    def ask(query: str, **params: str | list[str]) -> bool:
        response = client.get("/sparql", params={"query": SPARQL_PREFIXES + query, **params})
        assert response.status_code == 200, response.text
        value = response.json()["boolean"]
        assert isinstance(value, bool)
        return value

    union = "ASK { ?s a kg:State . ?p a kg:Pledge }"
    assert ask(union)
    reference = f"<{REFERENCE_GRAPH.value}>"
    assert ask(f"ASK FROM {reference} {{ ?s a kg:State }}")
    assert not ask(f"ASK FROM {reference} {{ ?p a kg:Pledge }}")
    assert not ask(union, **{"default-graph-uri": REFERENCE_GRAPH.value})
    assert ask("ASK { GRAPH ?g { ?s a kg:State } }", **{"named-graph-uri": REFERENCE_GRAPH.value})
    assert not ask("ASK { ?s a kg:State }", **{"named-graph-uri": REFERENCE_GRAPH.value})


def test_relative_iris_resolve_against_the_endpoint(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT (<thing> AS ?x) {}"})
    value = response.json()["results"]["bindings"][0]["x"]
    assert value == {"type": "uri", "value": str(client.base_url).rstrip("/") + "/thing"}


def test_bad_dataset_iri(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the handler's API
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[]}}')

    do_POST = do_GET  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records any request sent to it."""
    httpd = HTTPServer(("127.0.0.1", 0), _Recorder)
    hits: list[str] = []
    _Recorder.hits = hits
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql", hits
    httpd.shutdown()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX e: <{url}> SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE e: {{ ?s ?p ?o }} }} }}",
        # '<' read as the start of an IRI by a naive lexer hides this SERVICE from it
        "PREFIX e: <{url}> SELECT * WHERE {{ FILTER(1<2)SERVICE e:#>\n{{ ?s ?p ?o }} }}",
    ],
    ids=["plain", "lower-case-silent", "prefixed-in-optional", "hidden-behind-less-than"],
)
def test_service_is_refused(
    client: httpx.Client, listener: tuple[str, list[str]], template: str
) -> None:
    url, hits = listener
    response = client.post("/sparql", data={"query": template.format(url=url)})
    assert response.status_code == 403
    assert "SERVICE" in response.json()["detail"]
    assert hits == []


def test_service_word_in_a_literal_or_iri_is_fine(client: httpx.Client) -> None:
    query = (
        'SELECT ?x WHERE { BIND("SERVICE <http://x/> { }" AS ?x) FILTER(?x != <http://s/service>) }'
    )
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text


def test_load_and_service_in_updates_are_refused(
    token_server: Server, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    with token_server.client(headers=token_server.auth()) as client:
        for update in (
            f"LOAD <{url}>",
            f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        ):
            response = client.post("/sparql", data={"update": update})
            assert response.status_code == 403, response.text
    assert hits == []


def test_query_text_limits(client: httpx.Client) -> None:
    padding = "#" + "x" * MAX_QUERY_CHARS + "\n"
    long_query = padding + "ASK {}"
    assert client.get("/sparql", params={"query": long_query}).status_code == 414
    assert (
        client.post(
            "/sparql", content=long_query, headers={"Content-Type": "application/sparql-query"}
        ).status_code
        == 413
    )
    assert client.post("/sparql", data={"query": long_query}).status_code == 413
    huge_url = "/sparql?query=" + "a" * (3 * MAX_QUERY_CHARS + 5000)
    assert client.get(huge_url).status_code == 414


def test_body_limit(client: httpx.Client) -> None:
    body = b"ASK {}" + b" " * MAX_BODY_BYTES
    response = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413

    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 10_000 + 2):
            yield b" " * 10_000

    streamed = client.post(
        "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert streamed.status_code == 413


def test_json_results_escape_and_types(client: httpx.Client) -> None:
    query = (
        'SELECT ?s ?n ?l ?d ?b WHERE { BIND("a \\"q\\" \\t <b>&" AS ?s) BIND(42 AS ?n) '
        'BIND("Spain"@en AS ?l) BIND("2025-04-11"^^<http://www.w3.org/2001/XMLSchema#date> AS ?d) '
        "BIND(BNODE() AS ?b) }"
    )
    row = client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]
    assert row["s"] == {"type": "literal", "value": 'a "q" \t <b>&'}
    assert row["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert row["l"] == {"type": "literal", "value": "Spain", "xml:lang": "en"}
    assert row["b"]["type"] == "bnode"
    xml = client.get("/sparql", params={"query": query, "format": "xml"})
    parsed = parse_query_results(xml.content, QueryResultsFormat.XML)
    assert isinstance(parsed, QuerySolutions)
    assert next(iter(parsed))["s"].value == 'a "q" \t <b>&'
    assert json.loads(client.get("/sparql", params={"query": "ASK {}"}).text) == {
        "head": {},
        "boolean": True,
    }


def test_graph_store_read(server: Server, client: httpx.Client) -> None:
    sources = client.get("/sources").json()["data"]
    iri = sources[0]["iri"]
    response = client.get("/graph", params={"graph": iri})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    expected = rdflib.Dataset()
    expected.parse(data=server.union_nquads, format="nquads")
    assert isomorphic(graph, expected.graph(rdflib.URIRef(iri)))
    nt = client.get("/graph", params={"graph": iri}, headers={"Accept": "application/n-triples"})
    assert nt.headers["content-type"].startswith("application/n-triples")
    union = client.get("/graph?default", headers={"Accept": "application/n-triples"})
    assert union.status_code == 200
    assert len(rdflib.Graph().parse(data=union.content, format="nt")) >= len(graph)
    assert client.head("/graph", params={"graph": iri}).status_code == 200
    assert client.get("/graph", params={"graph": "http://example.org/none"}).status_code == 404
    assert client.get("/graph").status_code == 400
    assert client.get("/graph", params={"graph": iri, "default": ""}).status_code == 400
    assert client.get("/graph", params={"graph": "no iri"}).status_code == 400
