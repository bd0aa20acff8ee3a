# ruff: noqa: E501 - the manifest's requests are kept as the manifest writes them
"""The W3C SPARQL 1.1 Protocol tests (rdf-tests ``sparql/sparql11/protocol/manifest.ttl``),
each request and expectation of the manifest run against the live ``/sparql``.

Test ids are the manifest's entry names. Query and bad-request tests run on the read-only
server (which holds the manifest's ``data1..3`` graphs); update tests run on the server with a
token, with the token, and must get 401/403 without it or on the read-only server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import httpx
import pytest
import rdflib

if TYPE_CHECKING:
    from tests.api.conftest import Server

KASEI = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
BOOLEAN_TYPES = ("application/sparql-results+xml", "application/sparql-results+json")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/tab-separated-values", "text/csv")
RDF_TYPES = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Step:
    """One request of a manifest test and what its response must be."""

    method: str
    path: str
    body: str | None = None
    content_type: str | None = None
    encoding: str = "utf-8"
    ok: bool = True
    result: str | None = None
    boolean: bool | None = None
    check_base: bool = False


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    steps: tuple[Step, ...]
    setup: tuple[Step, ...] = field(default=())


def ask_true(path: str, body: str | None = None, method: str = "POST") -> Step:
    return Step(method, path, body, QUERY if body else None, result="boolean", boolean=True)


UPDATE_DATA3 = """PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DROP ALL ;
INSERT DATA {
    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document }
    GRAPH <http://kasei.us/2009/09/sparql/data/data2.rdf> { <http://kasei.us/2009/09/sparql/data/data2.rdf> a foaf:Document }
    GRAPH <http://kasei.us/2009/09/sparql/data/data3.rdf> { <http://kasei.us/2009/09/sparql/data/data3.rdf> a foaf:Document }
} ;
"""

QUERY_CASES = [
    Case(
        "query_post_form",
        "query via URL-encoded POST",
        (
            Step(
                "POST",
                f"/sparql/?default-graph-uri={KASEI}data0.rdf",
                "query=ASK%20%7B%7D",
                FORM,
                result="boolean",
                boolean=True,
            ),
        ),
    ),
    Case(
        "query_dataset_default_graphs_get",
        "GET query with protocol-specified default graph",
        (
            ask_true(
                "/sparql/?query=ASK%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata"
                "%2Fdata1.rdf%3E%20a%20%3Ftype%20.%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql"
                "%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20.%20%7D"
                f"&default-graph-uri={KASEI}data1.rdf&default-graph-uri={KASEI}data2.rdf",
                method="GET",
            ),
        ),
    ),
    Case(
        "query_dataset_default_graphs_post",
        "POST query with protocol-specified default graphs",
        (
            ask_true(
                f"/sparql/?default-graph-uri={KASEI}data1.rdf&default-graph-uri={KASEI}data2.rdf",
                "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
                "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }",
            ),
        ),
    ),
    Case(
        "query_dataset_named_graphs_post",
        "POST query with protocol-specified named graphs",
        (
            ask_true(
                f"/sparql/?named-graph-uri={KASEI}data1.rdf&named-graph-uri={KASEI}data2.rdf",
                "ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
                "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }",
            ),
        ),
    ),
    Case(
        "query_dataset_named_graphs_get",
        "GET query with protocol-specified named graphs",
        (
            ask_true(
                "/sparql/?query=ASK%20%7B%20GRAPH%20%3Fg1%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009"
                "%2F09%2Fsparql%2Fdata%2Fdata1.rdf%3E%20a%20%3Ftype%20%7D%20GRAPH%20%3Fg2%20%7B%20"
                "%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype"
                f"%20%7D%20%7D&named-graph-uri={KASEI}data1.rdf&named-graph-uri={KASEI}data2.rdf",
                method="GET",
            ),
        ),
    ),
    Case(
        "query_dataset_full",
        "query with protocol-specified dataset (both named and default graphs)",
        (
            ask_true(
                f"/sparql/?default-graph-uri={KASEI}data3.rdf&named-graph-uri={KASEI}data1.rdf"
                f"&named-graph-uri={KASEI}data2.rdf",
                "ASK {\n  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type\n"
                "  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }\n"
                "  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }\n}",
            ),
        ),
    ),
    Case(
        "query_multiple_dataset",
        "query specifying dataset in both query string and protocol; test for use of "
        "protocol-specified dataset",
        (
            ask_true(
                f"/sparql/?named-graph-uri={KASEI}data1.rdf%26named-graph-uri%3D"
                "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
                "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> { GRAPH ?g1 { "
                "<http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } GRAPH ?g2 { "
                "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }",
            ),
        ),
    ),
    Case(
        "query_get",
        "query via GET",
        (
            ask_true(
                f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={KASEI}data0.rdf", method="GET"
            ),
        ),
    ),
    Case(
        "query_content_type_select",
        "query appropriate content type (expect one of: XML, JSON, CSV, TSV)",
        (
            Step(
                "POST",
                f"/sparql/?default-graph-uri={KASEI}data0.rdf",
                "SELECT (1 AS ?value) {}",
                QUERY,
                result="tabular",
            ),
        ),
    ),
    Case(
        "query_content_type_ask",
        "query appropriate content type (expect one of: XML, JSON)",
        (
            Step(
                "POST",
                f"/sparql/?default-graph-uri={KASEI}data0.rdf",
                "ASK {}",
                QUERY,
                result="boolean",
            ),
        ),
    ),
    Case(
        "query_content_type_describe",
        "query appropriate content type (expect one of: RDF/XML, Turtle, N-Triples, RDFa)",
        (
            Step(
                "POST",
                f"/sparql/?default-graph-uri={KASEI}data0.rdf",
                "DESCRIBE <http://example.org/>",
                QUERY,
                result="RDF",
            ),
        ),
    ),
    Case(
        "query_content_type_construct",
        "query appropriate content type (expect one of: RDF/XML, Turtle, N-Triples, RDFa)",
        (
            Step(
                "POST",
                f"/sparql/?default-graph-uri={KASEI}data0.rdf",
                "CONSTRUCT { <s> <p> 1 } WHERE {}",
                QUERY,
                result="RDF",
            ),
        ),
    ),
    Case("query_post_direct", "query via POST directly", (ask_true("/sparql/", "ASK {}"),)),
]

UPDATE_CASES = [
    Case(
        "update_dataset_default_graph",
        "update with protocol-specified default graph",
        (
            Step(
                "POST",
                f"/sparql/?using-graph-uri={KASEI}data1.rdf",
                "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
                "CLEAR ALL ;\nINSERT DATA {\n    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> {\n"
                "        <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document\n    }\n} ;\n"
                "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-test/> {\n"
                "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}",
                UPDATE,
            ),
            ask_true(
                "/sparql/",
                "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-test/> {\n"
                "        <http://kasei.us/2009/09/sparql/data/data1.rdf> a "
                "<http://purl.org/dc/terms/BibliographicResource>\n    }\n}",
            ),
        ),
    ),
    Case(
        "update_dataset_default_graphs",
        "update with protocol-specified default graphs",
        (
            Step(
                "POST",
                f"/sparql/?using-graph-uri={KASEI}data1.rdf&using-graph-uri={KASEI}data2.rdf",
                UPDATE_DATA3
                + "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {\n"
                "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}",
                UPDATE,
            ),
            ask_true(
                "/sparql/",
                "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {\n"
                "        <http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n"
                "        <http://kasei.us/2009/09/sparql/data/data2.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n"
                "    }\n    FILTER NOT EXISTS {\n"
                "        GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {\n"
                "            <http://kasei.us/2009/09/sparql/data/data3.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n"
                "        }\n    }\n}",
            ),
        ),
    ),
    Case(
        "update_dataset_named_graphs",
        "update with protocol-specified named graphs",
        (
            Step(
                "POST",
                f"/sparql/?using-named-graph-uri={KASEI}data1.rdf&using-named-graph-uri={KASEI}data2.rdf",
                UPDATE_DATA3
                + "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {\n"
                "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    GRAPH ?g {\n"
                "        ?s a foaf:Document\n    }\n}",
                UPDATE,
            ),
            ask_true(
                "/sparql/",
                "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {\n"
                "        <http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n"
                "        <http://kasei.us/2009/09/sparql/data/data2.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n"
                "    }\n    FILTER NOT EXISTS {\n"
                "        GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {\n"
                "            <http://kasei.us/2009/09/sparql/data/data3.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n"
                "        }\n    }\n}",
            ),
        ),
    ),
    Case(
        "update_dataset_full",
        "update with protocol-specified dataset (both named and default graphs)",
        (
            Step(
                "POST",
                f"/sparql/?using-graph-uri={KASEI}data1.rdf&using-named-graph-uri={KASEI}data2.rdf",
                UPDATE_DATA3
                + "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
                "        ?s <http://example.org/in> ?in\n    }\n}\nWHERE {\n    {\n"
                "        GRAPH ?g { ?s a foaf:Document }\n        BIND(?g AS ?in)\n    }\n    UNION\n"
                '    {\n        ?s a foaf:Document .\n        BIND("default" AS ?in)\n    }\n}',
                UPDATE,
            ),
            ask_true(
                "/sparql/",
                "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
                '        <http://kasei.us/2009/09/sparql/data/data1.rdf> <http://example.org/in> "default" .\n'
                "        <http://kasei.us/2009/09/sparql/data/data2.rdf> <http://example.org/in> "
                "<http://kasei.us/2009/09/sparql/data/data2.rdf> .\n    }\n    FILTER NOT EXISTS {\n"
                "        GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
                "            <http://kasei.us/2009/09/sparql/data/data3.rdf> ?p ?o\n        }\n    }\n}",
            ),
        ),
    ),
    Case(
        "update_post_form",
        "update via URL-encoded POST",
        (Step("POST", "/sparql/", "update=CLEAR+ALL", FORM),),
    ),
    Case(
        "update_post_direct",
        "update via POST directly",
        (Step("POST", "/sparql/", "CLEAR ALL", UPDATE),),
    ),
    Case(
        "update_base_uri",
        'test for service-defined BASE URI ("which MAY be the service endpoint")',
        (
            Step(
                "POST",
                "/sparql/",
                "CLEAR GRAPH <http://example.org/protocol-base-test/> ;\n"
                "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { "
                "<http://example.org/s> <http://example.org/p> <test> } }",
                UPDATE,
            ),
            Step(
                "POST",
                "/sparql/",
                "SELECT ?o WHERE {\n    GRAPH <http://example.org/protocol-base-test/> {\n"
                "        <http://example.org/s> <http://example.org/p> ?o\n    }\n}",
                QUERY,
                result="tabular",
                check_base=True,
            ),
        ),
        # The store records empty graphs, so (as the SPARQL 1.1 Update SILENT tests have it)
        # CLEAR of a graph that does not exist is an error; the test assumes it exists.
        setup=(
            Step(
                "POST",
                "/sparql/",
                "CREATE SILENT GRAPH <http://example.org/protocol-base-test/>",
                UPDATE,
            ),
        ),
    ),
]

BAD_CASES = [
    Case(
        "bad_query_method",
        "invoke query operation with a method other than GET or POST",
        (
            Step(
                "PUT",
                f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={KASEI}data0.rdf",
                None,
                FORM,
                ok=False,
            ),
        ),
    ),
    Case(
        "bad_multiple_queries",
        "invoke query operation with more than one query string",
        (Step("GET", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", ok=False),),
    ),
    Case(
        "bad_query_wrong_media_type",
        "invoke query operation with a POST with media type that's not url-encoded or "
        "application/sparql-query",
        (Step("POST", "/sparql/", "ASK {}", "text/plain", ok=False),),
    ),
    Case(
        "bad_query_missing_form_type",
        "invoke query operation with url-encoded body, but without "
        "application/x-www-form-urlencoded media type",
        (Step("POST", "/sparql/", "query=ASK%20%7B%7D", ok=False),),
    ),
    Case(
        "bad_query_missing_direct_type",
        "invoke query operation with SPARQL body, but without application/sparql-query media type",
        (Step("POST", "/sparql/", "ASK {}", ok=False),),
    ),
    Case(
        "bad_query_non_utf8",
        "invoke query operation with direct POST, but with a non-UTF8 encoding (UTF-16)",
        (
            Step(
                "POST",
                "/sparql/",
                "ASK {}",
                "application/sparql-query; charset=UTF-16",
                "utf-16",
                ok=False,
            ),
        ),
    ),
    Case(
        "bad_query_syntax",
        "invoke query operation with invalid query syntax (4XX result)",
        (Step("GET", "/sparql/?query=ASK%20%7B", ok=False),),
    ),
    Case(
        "bad_update_get",
        "invoke update operation with GET",
        (Step("GET", "/sparql/?update=CLEAR%20ALL", ok=False),),
    ),
    Case(
        "bad_multiple_updates",
        "invoke update operation with more than one update string",
        (Step("POST", "/sparql/", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM, ok=False),),
    ),
    Case(
        "bad_update_wrong_media_type",
        "invoke update operation with a POST with media type that's not url-encoded or "
        "application/sparql-update",
        (Step("POST", "/sparql/", "CLEAR NAMED", "text/plain", ok=False),),
    ),
    Case(
        "bad_update_missing_form_type",
        "invoke update operation with url-encoded body, but without "
        "application/x-www-form-urlencoded media type",
        (Step("POST", "/sparql/", "update=CLEAR%20NAMED", ok=False),),
    ),
    Case(
        "bad_update_non_utf8",
        "invoke update operation with direct POST, but with a non-UTF8 encoding",
        (
            Step(
                "POST",
                "/sparql/",
                "CLEAR NAMED",
                "application/sparql-update; charset=UTF-16",
                "utf-16",
                ok=False,
            ),
        ),
    ),
    Case(
        "bad_update_syntax",
        "invoke update operation with invalid update syntax",
        (Step("POST", "/sparql/", "update=CLEAR%20XYZ", FORM, ok=False),),
    ),
    Case(
        "bad_update_dataset_conflict",
        "invoke update with both using-graph-uri/using-named-graph-uri parameter and USING/WITH clause",
        (
            Step(
                "POST",
                "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
                "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
                "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
                "WHERE {\n    ?person foaf:givenName 'Bill'\n}",
                UPDATE,
                ok=False,
            ),
        ),
    ),
]

ALL_NAMES = {c.name for c in (*QUERY_CASES, *UPDATE_CASES, *BAD_CASES)}


def send(client: httpx.Client, step: Step, headers: dict[str, str] | None = None) -> httpx.Response:
    all_headers = dict(headers or {})
    if step.content_type:
        all_headers["Content-Type"] = step.content_type
    content = step.body.encode(step.encoding) if step.body is not None else None
    return client.request(step.method, step.path, content=content, headers=all_headers)


def media(response: httpx.Response) -> str:
    content_type: str = response.headers.get("content-type", "")
    return content_type.split(";")[0].strip()


def parse_boolean(response: httpx.Response) -> bool:
    kind = media(response)
    if kind == "application/sparql-results+json":
        value = json.loads(response.content)["boolean"]
        assert isinstance(value, bool)
        return value
    root = ElementTree.fromstring(response.content)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None and node.text in ("true", "false")
    return node.text == "true"


def check(step: Step, response: httpx.Response) -> None:
    assert response.status_code != 500, response.text
    if not step.ok:
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        return
    assert 200 <= response.status_code < 300, (response.status_code, response.text)
    if step.result == "boolean":
        assert media(response) in BOOLEAN_TYPES
        if step.boolean is not None:
            assert parse_boolean(response) is step.boolean
    elif step.result == "tabular":
        assert media(response) in TABULAR_TYPES
    elif step.result == "RDF":
        assert media(response) in RDF_TYPES
        rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media(response)])
    if step.check_base:
        assert media(response) == "application/sparql-results+json"
        bindings = json.loads(response.content)["results"]["bindings"]
        assert len(bindings) == 1
        value = bindings[0]["o"]
        assert value["type"] == "uri" and value["value"] != "test"
        assert value["value"].endswith("/test")


def test_every_manifest_entry_is_covered() -> None:
    """The 34 entries of the manifest, no more and no fewer."""
    assert len(ALL_NAMES) == 34


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c.name,
            marks=[
                pytest.mark.xfail(
                    strict=True,
                    reason="the manifest percent-encodes the '&' between the two named-graph-uri "
                    "parameters, so a server that decodes the query string correctly receives one "
                    "named graph whose IRI contains '&named-graph-uri=' and answers false (Oxigraph "
                    "server answers false too); the request as intended is tested below",
                )
            ]
            if c.name == "query_multiple_dataset"
            else [],
        )
        for c in QUERY_CASES
    ],
)
def test_query(case: Case, server: Server) -> None:
    """Query tests, on the read-only server."""
    with server.client() as client:
        for step in case.steps:
            check(step, send(client, step))


def test_query_multiple_dataset_as_intended(server: Server) -> None:
    """``query_multiple_dataset`` with the two named-graph-uri parameters as two parameters:
    the protocol's dataset wins over the query's FROM."""
    step = ask_true(
        f"/sparql/?named-graph-uri={KASEI}data1.rdf&named-graph-uri={KASEI}data2.rdf",
        "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> { GRAPH ?g1 { "
        "<http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } GRAPH ?g2 { "
        "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }",
    )
    with server.client() as client:
        check(step, send(client, step))
        # and without protocol parameters the query's FROM (no FROM NAMED) is used: no graphs
        bare = Step("POST", "/sparql/", step.body, QUERY, result="boolean", boolean=False)
        check(bare, send(client, bare))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in UPDATE_CASES])
def test_update_with_token(case: Case, token_server: Server) -> None:
    """Update tests, on the server with a token, sending it."""
    with token_server.client() as client:
        for step in (*case.setup, *case.steps):
            check(step, send(client, step, token_server.auth()))


def test_clear_of_missing_graph_is_an_error(token_server: Server) -> None:
    """Why ``update_base_uri`` needs its setup: CLEAR without SILENT of a graph the store does
    not have fails with a 400 naming the graph; with SILENT it succeeds."""
    graph = "<http://example.org/never-created/>"
    with token_server.client(headers=token_server.auth()) as client:
        headers = {"Content-Type": UPDATE}
        response = client.post("/sparql", content=f"CLEAR GRAPH {graph}", headers=headers)
        assert response.status_code == 400
        assert "does not exist" in response.json()["detail"]
        silent = client.post("/sparql", content=f"CLEAR SILENT GRAPH {graph}", headers=headers)
        assert silent.status_code == 204


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in UPDATE_CASES])
def test_update_refused_without_token(case: Case, server: Server, token_server: Server) -> None:
    """Without a token (401), with a wrong one (403), or on a read-only server (403), the
    update is refused and nothing changes."""
    update = case.steps[0]
    with server.client() as client:
        assert send(client, update).status_code == 403
        assert send(client, update, {"Authorization": "Bearer x" * 20}).status_code == 403
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    with token_server.client() as client:
        response = send(client, update)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].lower().startswith("bearer")
        wrong = {"Authorization": "Bearer " + "not-the-token-" * 3}
        assert send(client, update, wrong).status_code == 403
        assert send(client, update, {"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in BAD_CASES])
def test_bad_request(case: Case, server: Server, token_server: Server) -> None:
    """Bad requests get a 4xx on the read-only server and, with the token, on the other."""
    with server.client() as client:
        for step in case.steps:
            check(step, send(client, step))
    with token_server.client() as client:
        for step in case.steps:
            response = send(client, step, token_server.auth())
            check(step, response)
            assert response.status_code not in (401, 403), response.text
