"""``/id/…``: every resource IRI resolves on the server, as an HTML page with its facts,
quotes and links, or as its graph by content negotiation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.prefixes import KG, KGR

if TYPE_CHECKING:
    from tests.api.conftest import Launcher, Server

SPAIN = KGR + "state/ES"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def _first(server: Server, kind: str) -> str:
    """The IRI of one resource of a kind in the seed graph."""
    query = f"SELECT ?r WHERE {{ ?r a <{KG}{kind}> }} ORDER BY ?r LIMIT 1"
    answer = httpx.get(
        f"{server.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    value: str = answer.json()["results"]["bindings"][0]["r"]["value"]
    return value


def _local(server: Server, iri: str) -> str:
    return f"{server.url}/id/{iri.removeprefix(KGR)}"


def test_a_state_page_lists_its_facts_and_the_pledges_that_name_it(server: Server) -> None:
    page = httpx.get(_local(server, SPAIN), timeout=60)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["vary"] == "Accept"
    assert '<h2 class="resource-label">Spain</h2>' in page.text
    assert ">ESP<" in page.text  # its alpha-3 code, a fact of its own
    assert 'href="../../?country=ES" class="page-view"' in page.text
    # Pledges that name Spain link to their pages on this server, with their quotes.
    links = re.findall(r'href="([^"]+)"', page.text)
    assert any(link.startswith("../../id/pledge/") for link in links)
    assert not any(link.startswith("https://w3id.org/pledgekg/id/") for link in links)
    assert "<blockquote>" in page.text


def test_what_points_at_a_state_is_grouped_pledges_first_with_few_quotes(server: Server) -> None:
    """France hosts a meeting reported with many quotes: its row shows three and says how many
    more there are; the pledges France made come before the sources that mention it."""
    text = httpx.get(_local(server, KGR + "state/FR"), timeout=60).text
    headings = re.findall(r"<h4>([^<]+) · \d+</h4>", text)
    assert headings[0] == "pledged by" and headings[-1] == "mentions", headings
    cells = re.findall(r'<td class="evidence">(.*?)</td>', text)
    assert cells and max(cell.count("<blockquote>") for cell in cells) == 3
    assert re.search(r"and \d+ more on its page", text)


@pytest.mark.parametrize("kind", ["Leader", "Meeting", "Pledge", "Source"])
def test_every_kind_of_resource_has_a_page(server: Server, kind: str) -> None:
    iri = _first(server, kind)
    page = httpx.get(_local(server, iri), timeout=60)
    assert page.status_code == 200, page.text
    assert f"{KG}{kind}" in page.text  # its type, linked
    assert "<th" in page.text  # a table of facts
    if kind == "Source":  # and to the page's view of the article
        assert f'href="../../?source={iri.rsplit("/", 1)[1]}" class="page-view"' in page.text
    if kind == "Pledge":
        assert '<div class="quotes"><blockquote>' in page.text


@pytest.mark.parametrize("accept", sorted(RDF_TYPES))
def test_rdf_by_content_negotiation(server: Server, accept: str) -> None:
    """Each RDF type gives the same graph: the resource's triples and those naming it."""
    answer = httpx.get(_local(server, SPAIN), headers={"Accept": accept}, timeout=60)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(accept)
    graph = rdflib.Graph().parse(data=answer.text, format=RDF_TYPES[accept])
    spain = rdflib.URIRef(SPAIN)
    assert (spain, rdflib.URIRef(KG + "isoCode"), rdflib.Literal("ES")) in graph
    assert any(graph.subjects(rdflib.URIRef(KG + "pledgedBy"), spain))
    turtle = httpx.get(_local(server, SPAIN), params={"format": "turtle"}, timeout=60)
    assert isomorphic(graph, rdflib.Graph().parse(data=turtle.text, format="turtle"))


def test_unknown_and_bad_ids(server: Server) -> None:
    unknown = httpx.get(f"{server.url}/id/state/XX", timeout=60)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == f"no resource {KGR}state/XX is in the graph"
    for bad in ("state/%3Cscript%3E", "state/..%2F..%2Fetc", "state/a%20b", "x" * 400):
        answer = httpx.get(f"{server.url}/id/{bad}", timeout=60)
        assert answer.status_code == 400, bad
        detail = answer.json()["detail"]
        assert detail.startswith("not a resource id: ") and "\n" not in detail
    assert httpx.get(f"{server.url}/id/", timeout=60).status_code in (400, 404)
    wrong = httpx.get(_local(server, SPAIN), params={"format": "yaml"}, timeout=60)
    assert wrong.status_code == 400
    refused = httpx.get(_local(server, SPAIN), headers={"Accept": "image/png"}, timeout=60)
    assert refused.status_code == 406


def test_the_resource_page_escapes_what_the_graph_holds(
    seed_store_copy: Path, launcher: Launcher
) -> None:
    """A label, a title and a quote written by an update come out as text, never markup."""
    running = launcher.start(seed_store_copy, token="resource-page-token-1234")
    hostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
    update = (
        f"INSERT DATA {{ GRAPH <{KGR}graph/test> {{ <{KGR}pledge/hostile> a <{KG}Pledge> ; "
        f"<http://www.w3.org/2000/01/rdf-schema#label> {_literal(hostile)} ; "
        f"<{KG}evidence> {_literal(hostile)} ; <{KG}pledgedBy> <{SPAIN}> ; "
        f"<{KG}link> <javascript:alert(3)> }} }}"
    )
    done = httpx.post(
        f"{running.url}/sparql", data={"update": update}, headers=running.auth(), timeout=60
    )
    assert done.status_code == 204, done.text
    for page in (_local(running, KGR + "pledge/hostile"), _local(running, SPAIN)):
        text = httpx.get(page, timeout=60).text
        assert "<script>alert" not in text and "<img" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert 'href="javascript:' not in text


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
