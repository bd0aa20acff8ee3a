"""``/export``: the Turtle dump is the store's union graph; the dataset formats keep each
fact's graph; one country or one graph can be taken alone; every file is named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

if TYPE_CHECKING:
    from tests.api.conftest import Server


def union_of(nquads: bytes) -> rdflib.Graph:
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def test_turtle_export_is_the_union_graph(server: Server, client: httpx.Client) -> None:
    response = client.get("/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.headers["content-disposition"] == 'attachment; filename="pledgekg.ttl"'
    exported = rdflib.Graph().parse(data=response.content, format="turtle")
    assert isomorphic(exported, union_of(server.union_nquads))


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "extension"),
    [("trig", "trig", "trig"), ("nquads", "nquads", "nq"), ("jsonld", "json-ld", "jsonld")],
)
def test_dataset_formats_keep_graphs(
    server: Server, client: httpx.Client, fmt: str, rdflib_format: str, extension: str
) -> None:
    with client.stream("GET", "/export", params={"format": fmt}) as response:
        assert response.status_code == 200
        assert response.headers["content-disposition"].endswith(f'.{extension}"')
        body = response.read()
    exported = rdflib.Dataset()
    exported.parse(data=body, format=rdflib_format)
    expected = rdflib.Dataset()
    expected.parse(data=server.union_nquads, format="nquads")
    graphs = {g.identifier for g in expected.graphs() if len(g)}
    assert graphs <= {g.identifier for g in exported.graphs()}
    for name in graphs:
        assert isomorphic(exported.graph(name), expected.graph(name)), name


def test_country_export(client: httpx.Client) -> None:
    response = client.get("/export", params={"country": "spain", "format": "turtle"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="pledgekg-ES.ttl"'
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    kg = rdflib.Namespace("https://w3id.org/pledgekg/ontology#")
    spain = rdflib.URIRef("https://w3id.org/pledgekg/id/state/ES")
    pledges = set(graph.subjects(kg.pledgedBy, spain))
    assert pledges
    assert all(p2 == spain for p in pledges for p2 in graph.objects(p, kg.pledgedBy))
    assert (
        rdflib.URIRef("https://w3id.org/pledgekg/id/leader/pedro-sanchez"),
        kg.represents,
        spain,
    ) in graph
    assert not set(
        graph.subjects(kg.pledgedBy, rdflib.URIRef("https://w3id.org/pledgekg/id/state/FR"))
    )
    quads = client.get("/export", params={"country": "ES", "format": "nquads"})
    dataset = rdflib.Dataset()
    dataset.parse(data=quads.content, format="nquads")
    assert len({g.identifier for g in dataset.graphs() if len(g)}) >= 2
    assert client.get("/export", params={"country": "Atlantis"}).status_code == 404


def test_graph_export_and_errors(client: httpx.Client) -> None:
    source = client.get("/sources").json()["data"][0]
    response = client.get("/export", params={"graph": source["iri"], "format": "nquads"})
    assert response.status_code == 200
    assert f"pledgekg-graph-{source['id']}.nq" in response.headers["content-disposition"]
    lines = [line for line in response.text.splitlines() if line.strip()]
    assert lines and all(line.rstrip(" .").endswith(f"<{source['iri']}>") for line in lines)
    assert client.get("/export", params={"graph": "http://example.org/no"}).status_code == 404
    assert client.get("/export", params={"graph": "not an iri"}).status_code == 400
    assert client.get("/export", params={"format": "yaml"}).status_code == 422
    both = client.get("/export", params={"graph": source["iri"], "country": "ES"})
    assert both.status_code == 400
