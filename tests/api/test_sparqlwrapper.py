"""SPARQLWrapper, a common Python client, against a real ``kg serve``: every return format it
offers, by GET and by POST. It sends the format twice, as a ``format`` parameter in its own
spelling (``n3``, ``json-ld``, or the Accept header's list) and in ``Accept``; the server
answers by ``Accept`` when it does not know the parameter's value."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any
from xml.dom.minidom import Document, Element, Text

import pytest
import rdflib
from rdflib.compare import isomorphic
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from kg.prefixes import SPARQL_PREFIXES

if TYPE_CHECKING:
    from tests.api.conftest import Server

SELECT = SPARQL_PREFIXES + (
    "SELECT DISTINCT ?pledge ?state WHERE { ?pledge a kg:Pledge ; kg:pledgedBy ?state }"
)
ASK = SPARQL_PREFIXES + "ASK {{ ?pledge kg:pledgedBy state:{} }}"
CONSTRUCT = SPARQL_PREFIXES + (
    "CONSTRUCT { ?pledge kg:pledgedBy ?state } WHERE { ?pledge a kg:Pledge ; kg:pledgedBy ?state }"
)
DESCRIBE = SPARQL_PREFIXES + "DESCRIBE state:ES"
KG = rdflib.Namespace("https://w3id.org/pledgekg/ontology#")
SPAIN = rdflib.URIRef("https://w3id.org/pledgekg/id/state/ES")


def ask(server: Server, query: str, return_format: str, method: str) -> Any:
    client = SPARQLWrapper(f"{server.url}/sparql", returnFormat=return_format)
    client.setMethod(method)
    client.setQuery(query)
    return client.query().convert()


def _text(element: Element) -> str:
    return "".join(n.data for n in element.childNodes if isinstance(n, Text))


def rows(server: Server, return_format: str, method: str) -> set[tuple[str, str]]:
    """The SELECT's rows as read from SPARQLWrapper's answer in ``return_format``."""
    answer = ask(server, SELECT, return_format, method)
    if return_format == JSON:
        bindings = answer["results"]["bindings"]
        return {(b["pledge"]["value"], b["state"]["value"]) for b in bindings}
    if return_format == XML:
        assert isinstance(answer, Document)
        found = set()
        for result in answer.getElementsByTagName("result"):
            values = {
                b.getAttribute("name"): _text(b.getElementsByTagName("uri")[0])
                for b in result.getElementsByTagName("binding")
            }
            found.add((values["pledge"], values["state"]))
        return found
    text = answer.decode("utf-8")
    if return_format == CSV:
        return {(r["pledge"], r["state"]) for r in csv.DictReader(io.StringIO(text))}
    lines = text.splitlines()
    assert lines[0] == "?pledge\t?state"
    cells = [[cell.strip("<>") for cell in line.split("\t")] for line in lines[1:]]
    return {(pledge, state) for pledge, state in cells}


@pytest.mark.parametrize("method", [GET, POST])
def test_select_in_every_results_format(server: Server, method: str) -> None:
    answers = {fmt: rows(server, fmt, method) for fmt in (JSON, XML, CSV, TSV)}
    expected = answers[JSON]
    assert expected and all(state.startswith("https://w3id.org/") for _, state in expected)
    for fmt, found in answers.items():
        assert found == expected, fmt


@pytest.mark.parametrize(("state", "expected"), [("ES", True), ("AQ", False)])
@pytest.mark.parametrize("method", [GET, POST])
def test_ask_in_every_results_format(
    server: Server, method: str, state: str, expected: bool
) -> None:
    query = ASK.format(state)
    word = "true" if expected else "false"
    assert ask(server, query, JSON, method)["boolean"] is expected
    xml = ask(server, query, XML, method)
    assert _text(xml.getElementsByTagName("boolean")[0]) == word
    for fmt in (CSV, TSV):
        assert ask(server, query, fmt, method).decode().split() == [word], fmt


def graph_of(server: Server, query: str, return_format: str, method: str) -> rdflib.Graph:
    """The CONSTRUCT or DESCRIBE answer in ``return_format``, read into a graph."""
    answer = ask(server, query, return_format, method)
    if isinstance(answer, bytes):  # Turtle and N3 come back as text
        return rdflib.Graph().parse(data=answer, format="turtle")
    graph = rdflib.Graph()
    for triple in answer.triples((None, None, None)):
        graph.add(triple)
    return graph


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("method", [GET, POST])
def test_graphs_in_every_rdf_format(server: Server, query: str, method: str) -> None:
    graphs = {fmt: graph_of(server, query, fmt, method) for fmt in (TURTLE, N3, JSONLD, RDFXML)}
    expected = graphs[TURTLE]
    assert len(expected) > 0
    if query == CONSTRUCT:
        assert set(expected.predicates()) == {KG.pledgedBy}
    else:
        assert (SPAIN, KG.isoCode, rdflib.Literal("ES")) in expected
    for fmt, graph in graphs.items():
        assert isomorphic(graph, expected), fmt


@pytest.mark.parametrize("method", [GET, POST])
def test_ntriples_by_accept_header(server: Server, method: str) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql", returnFormat=N3)
    client.setMethod(method)
    client.setOnlyConneg(True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    client.setQuery(CONSTRUCT)
    result = client.query()
    assert result.response.headers["Content-Type"] == "application/n-triples"
    body = result.convert()
    assert isinstance(body, bytes)
    graph = rdflib.Graph().parse(data=body, format="nt")
    assert isomorphic(graph, graph_of(server, CONSTRUCT, TURTLE, method))


def test_a_format_the_server_does_not_know_gives_way_to_accept(server: Server) -> None:
    with server.client() as http:
        n3 = http.get(
            "/sparql",
            params={"query": CONSTRUCT, "format": "n3"},
            headers={"Accept": "text/n3, text/turtle;q=0.9"},
        )
        assert n3.status_code == 200
        assert n3.headers["content-type"].startswith("text/turtle")
        # without a media type to go by, the unknown value is an error that names the choices
        alone = http.get("/sparql", params={"query": CONSTRUCT, "format": "n3"})
        assert alone.status_code == 400
        assert "'n3'" in alone.json()["detail"] and "turtle" in alone.json()["detail"]
