"""``/export``: the Turtle dump is the store's union graph; the dataset formats keep each
fact's graph; one country or one graph can be taken alone; every file is named."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx
import pytest
import rdflib
from pyoxigraph import RdfFormat, parse
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


def test_turtle_reads_with_a_prefix_per_kind_and_a_blank_line_between_subjects(
    client: httpx.Client,
) -> None:
    text = client.get("/export", params={"country": "ES"}).text
    assert "@prefix state: <https://w3id.org/pledgekg/id/state/> ." in text
    assert "kgr:state" not in text and "\\/" not in text
    body = text[text.rindex("@prefix") :].split("\n", 1)[1]
    blocks = [b for b in body.split("\n\n") if b.strip()]
    assert len(blocks) > 5
    # each block is one subject: its first line names it, the others continue it
    for block in blocks:
        lines = block.strip("\n").splitlines()
        assert not lines[0].startswith("\t") and lines[-1].endswith(" .")
        assert all(line.startswith("\t") for line in lines[1:]), block
    subjects = {b.strip("\n").split(" ", 1)[0] for b in blocks}
    assert {"state:ES", "leader:pedro-sanchez"} <= subjects
    assert any(s.startswith("pledge:") for s in subjects)
    assert any(s.startswith("source:") for s in subjects)


def test_trig_has_a_blank_line_between_graphs_and_subjects(client: httpx.Client) -> None:
    text = client.get("/export", params={"format": "trig"}).text
    assert "\n}\n\nsource:" in text
    assert " .\n\n\tleader:" in text
    assert "\\/" not in text


def test_jsonld_is_compacted_with_the_published_context_one_object_per_graph(
    server: Server, client: httpx.Client
) -> None:
    context = client.get("/context.jsonld")
    assert context.status_code == 200
    assert context.headers["content-type"].startswith("application/ld+json")
    published = context.json()
    exported = client.get("/export", params={"format": "jsonld"})
    document = json.loads(exported.content)
    assert document["@context"] == published["@context"]
    graphs = [item["@id"] for item in document["@graph"] if "@graph" in item]
    assert len(graphs) == len(set(graphs)) >= 5
    assert "graph:reference" in graphs and any(g.startswith("source:") for g in graphs)
    nodes = [
        node
        for item in document["@graph"]
        if item["@id"] != "graph:ontology"
        for node in item.get("@graph", [item])
    ]
    pledges = [n for n in nodes if n.get("@type") == "Pledge"]
    assert pledges and all(p["@id"].startswith("pledge:") for p in pledges)
    assert all(p["stance"] in ("Committed", "Considering", "Declined") for p in pledges)
    assert all(str(p["pledgedBy"]).startswith(("state:", "organization:")) for p in pledges)
    assert not [key for node in nodes for key in node if key.startswith("http")]
    # the compact document, read with its context, is the same dataset as the store's
    read = rdflib.Dataset()
    read.parse(data=exported.content, format="json-ld")
    expected = rdflib.Dataset()
    expected.parse(data=server.union_nquads, format="nquads")
    names = {g.identifier for g in expected.graphs() if len(g)}
    assert names == {g.identifier for g in read.graphs() if len(g)}
    for name in names:
        assert isomorphic(read.graph(name), expected.graph(name)), name


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        ("turtle", "turtle"),
        ("ntriples", "nt"),
        ("trig", "trig"),
        ("nquads", "nquads"),
        ("jsonld", "json-ld"),
    ],
)
def test_rdflib_reads_every_export_of_a_country(
    client: httpx.Client, fmt: str, rdflib_format: str
) -> None:
    response = client.get("/export", params={"country": "FR", "format": fmt})
    assert response.status_code == 200
    dataset = rdflib.Dataset()
    dataset.parse(data=response.content, format=rdflib_format)
    france = rdflib.URIRef("https://w3id.org/pledgekg/id/state/FR")
    assert any(dataset.quads((None, None, france, None)))


def test_the_default_graph_is_the_union_each_triple_once(
    server: Server, client: httpx.Client
) -> None:
    response = client.get("/graph?default", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "@prefix state: <https://w3id.org/pledgekg/id/state/> ." in response.text
    triples = [q.triple for q in parse(response.content, RdfFormat.TURTLE)]
    expected = {q.triple for q in parse(server.union_nquads, RdfFormat.N_QUADS)}
    assert len(triples) == len(set(triples))
    assert set(triples) == expected
