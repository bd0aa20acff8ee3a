"""Malformed IRIs in REST and SPARQL protocol parameters: a 400 whose JSON detail names the
parameter and the value, and nothing else happens (the store is unchanged)."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import Server

BAD_IRIS = ["not an iri", "no-scheme", "https://example.org/a b", "http://x/<y>"]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def assert_names(response: httpx.Response, parameter: str, value: str) -> None:
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert detail.startswith(f"{parameter} {value!r}: not an absolute IRI"), detail


@pytest.mark.parametrize("value", BAD_IRIS)
@pytest.mark.parametrize("path", ["/graph", "/export"])
def test_graph_parameter(client: httpx.Client, path: str, value: str) -> None:
    assert_names(client.get(path, params={"graph": value}), "graph", value)


@pytest.mark.parametrize("value", BAD_IRIS)
@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_query_dataset_parameters(client: httpx.Client, parameter: str, value: str) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", parameter: value})
    assert_names(response, parameter, value)


@pytest.mark.parametrize("parameter", ["using-graph-uri", "using-named-graph-uri"])
def test_update_dataset_parameters(token_server: Server, parameter: str) -> None:
    with token_server.client(headers=token_server.auth()) as client:
        before = client.get("/sparql", params={"query": COUNT}).json()
        update = "INSERT DATA { GRAPH <urn:pledgekg:test:g> { <urn:a> <urn:b> <urn:c> } }"
        response = client.post("/sparql", data={"update": update, parameter: "not an iri"})
        assert_names(response, parameter, "not an iri")
        assert client.get("/sparql", params={"query": COUNT}).json() == before
