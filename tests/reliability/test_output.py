"""Every answer of a real `kg serve` is well-formed, and nothing is a 500: control characters in
stored literals (from an article's title, or an update), a triple term asked for as JSON-LD,
an unpaired surrogate in ``POST /ingest``, and results cut at ``KG_RESULT_LIMIT`` (which say
so). Each body is read back by a real parser: pyoxigraph's for RDF and SPARQL results, the
standard library's for XML, JSON and CSV.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, parse, parse_query_results

from .conftest import TOKEN, Server, start_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ROW_LIMIT = 50
TITLE = "Leaders\x01 meet\x0b in Paris"
CONTROL = "bell\x07 and vertical\x0b tab"
RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}
EXPORT_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
}


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A writable server holding an article whose title has control characters, a literal
    with more of them and a triple term (both written by updates)."""
    folder = tmp_path_factory.mktemp("output")
    shutil.copytree(seed_store_dir, folder / "store")
    running = start_server(
        folder / "store", folder, KG_API_TOKEN=TOKEN, KG_RESULT_LIMIT=str(ROW_LIMIT)
    )
    article = {
        "text": "Spanish Prime Minister Pedro Sánchez said Spain will send troops to Ukraine.",
        "origin": "control.txt",
        "title": TITLE,
        "url": "https://example.org/control",
    }
    ingested = httpx.post(
        f"{running.url}/ingest", json={"articles": [article]}, headers=AUTH, timeout=120
    )
    assert ingested.status_code == 200, ingested.text
    escaped = json.dumps(CONTROL)  # a SPARQL string with \\u escapes, as JSON writes it
    update = (
        "INSERT DATA { GRAPH <http://example.org/odd> { "
        f"<http://example.org/s> <http://example.org/p> {escaped} . "
        "<http://example.org/s> <http://example.org/q> "
        "<<( <http://example.org/a> <http://example.org/b> <http://example.org/c> )>> } }"
    )
    written = httpx.post(
        f"{running.url}/sparql",
        content=update,
        headers={"Content-Type": "application/sparql-update", **AUTH},
    )
    assert written.status_code == 204, written.text
    yield running
    running.stop()


def well_formed_results(response: httpx.Response, name: str) -> None:
    assert response.status_code == 200, (name, response.status_code, response.text[:300])
    if name == "xml":
        ET.fromstring(response.content)
    if name == "json":
        json.loads(response.content)
    if name == "csv":  # lossy: pyoxigraph reads no CSV results back
        list(csv.reader(io.StringIO(response.text)))
    else:
        parsed = parse_query_results(response.content, RESULT_FORMATS[name])
        assert isinstance(parsed, QuerySolutions)
        list(parsed)


def test_control_characters_in_titles_are_not_stored(server: Server) -> None:
    query = "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }"
    response = httpx.get(f"{server.url}/sparql", params={"query": query, "format": "xml"})
    well_formed_results(response, "xml")
    titles = [e.text for e in ET.fromstring(response.content).iter() if e.tag.endswith("literal")]
    assert "Leaders  meet  in Paris" in titles


@pytest.mark.parametrize("name", RESULT_FORMATS)
def test_every_results_format_is_well_formed_or_refused(server: Server, name: str) -> None:
    """XML cannot carry the control characters an update wrote, so it says so (406); every
    other answer parses, triple term included."""
    odd = "SELECT ?s ?p ?o WHERE { GRAPH <http://example.org/odd> { ?s ?p ?o } }"
    response = httpx.get(f"{server.url}/sparql", params={"query": odd, "format": name})
    if name == "xml":
        assert response.status_code == 406, response.text[:300]
        assert "control character" in response.json()["detail"]
    else:
        well_formed_results(response, name)
    clean = "SELECT ?s ?o WHERE { ?s <http://purl.org/dc/terms/title> ?o }"
    well_formed_results(
        httpx.get(f"{server.url}/sparql", params={"query": clean, "format": name}), name
    )


@pytest.mark.parametrize("name", GRAPH_FORMATS)
def test_every_graph_format_is_well_formed_or_refused(server: Server, name: str) -> None:
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/odd> { ?s ?p ?o } }"
    response = httpx.get(f"{server.url}/sparql", params={"query": construct, "format": name})
    if name in ("jsonld", "rdfxml"):  # a triple term; control characters
        assert response.status_code == 406, (name, response.status_code, response.text[:300])
    else:
        assert response.status_code == 200, (name, response.text[:300])
        list(parse(response.content, GRAPH_FORMATS[name]))
    for path in ("/graph?default", "/graph?graph=http%3A%2F%2Fexample.org%2Fodd"):
        answer = httpx.get(f"{server.url}{path}&format={name}", timeout=60)
        assert answer.status_code in (200, 406), (path, name, answer.status_code)
        if answer.status_code == 200:
            list(parse(answer.content, GRAPH_FORMATS[name]))


@pytest.mark.parametrize("name", EXPORT_FORMATS)
def test_every_export_is_well_formed_or_refused(server: Server, name: str) -> None:
    response = httpx.get(f"{server.url}/export", params={"format": name}, timeout=120)
    if name == "jsonld":
        assert response.status_code == 406, response.text[:300]
        assert "triple terms" in response.json()["detail"]
    else:
        assert response.status_code == 200, response.text[:300]
        list(parse(response.content, EXPORT_FORMATS[name]))


def test_an_unpaired_surrogate_in_an_article_is_a_422(server: Server) -> None:
    body = '{"articles": [{"text": "Spain will send troops \\ud800.", "origin": "a.txt"}]}'
    response = httpx.post(
        f"{server.url}/ingest",
        content=body,
        headers={"Content-Type": "application/json", **AUTH},
    )
    assert response.status_code == 422, response.text
    assert "unicode" in response.json()["detail"][0]["msg"]
    assert "Traceback" not in response.text


def test_a_cut_result_says_so(server: Server) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    response = httpx.get(f"{server.url}/sparql", params={"query": everything})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == ROW_LIMIT
    assert response.headers["x-result-truncated"] == "true"
    assert response.json()["warnings"], response.json().keys()
    turtle = httpx.get(
        f"{server.url}/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "turtle"},
    )
    assert turtle.headers["x-result-truncated"] == "true"
    assert "# the result was cut" in turtle.text
    list(parse(turtle.content, RdfFormat.TURTLE))
