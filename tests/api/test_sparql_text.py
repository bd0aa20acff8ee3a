"""Reading SPARQL text: the SERVICE / LOAD check, FROM clauses, ``using-graph-uri`` rewriting
and content negotiation."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, Quad, Store

from api.results import GRAPHS, RESULTS, NotAcceptableError, UnknownFormatError, pick
from api.sparql_text import (
    DatasetConflictError,
    OutboundCheckError,
    apply_using,
    dataset_clauses,
    outbound_operation,
)

REFUSED = [
    "SELECT * WHERE { SERVICE <http://h/> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent ?svc { ?s ?p ?o } }",
    "PREFIX e: <http://h/> SELECT * WHERE { FILTER(1<2)SERVICE e:x#>\n{ ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <http://h/> { ?s ?p ?o } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://h/> { ?s ?p ?o } } }",
]
ALLOWED = [
    "SELECT * WHERE { ?s ?p 'SERVICE <http://h/> { }' }",
    'SELECT * WHERE { ?s ?p """\nSERVICE <http://h/> {} """ }',
    "SELECT * WHERE { ?s <http://h/SERVICE> ?o } # SERVICE <http://h/> {}",
    "PREFIX service: <http://h/> SELECT * WHERE { ?s service:p ?service }",
    "SELECT ?serviceType WHERE { ?x <https://schema.org/serviceType> ?serviceType }",
]


@pytest.mark.parametrize("query", REFUSED)
def test_service_found(query: str) -> None:
    assert outbound_operation(query, update=False) == "SERVICE"


@pytest.mark.parametrize("query", ALLOWED)
def test_service_word_elsewhere_is_not_service(query: str) -> None:
    assert outbound_operation(query, update=False) is None


def test_bypass_regression_really_calls_service() -> None:
    """Regression: the query a plain lexer misses does run SERVICE in pyoxigraph (here against
    an address that refuses connections), which is why the check parses."""
    query = (
        "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { FILTER(1<2)SERVICE e:q#>\n{ ?s ?p ?o } }"
    )
    with pytest.raises(OSError):
        list(Store().query(query))  # type: ignore[arg-type]
    assert outbound_operation(query, update=False) == "SERVICE"


def test_unparsable_text_that_mentions_service_is_refused() -> None:
    with pytest.raises(OutboundCheckError):
        outbound_operation("SELECT * WHERE { ?s ?p 'service' ", update=False)
    assert outbound_operation("SELECT * WHERE { SERVICE <x:y> { ", update=False) == "SERVICE"


def test_load_in_updates() -> None:
    assert outbound_operation("LOAD <http://h/x.ttl> INTO GRAPH <http://g>", update=True) == "LOAD"
    assert outbound_operation("INSERT DATA { <a:s> <a:p> 'upload, download' }", update=True) is None


def test_dataset_clauses() -> None:
    assert dataset_clauses("SELECT * { ?s ?p ?o }", None) is None
    query = (
        "BASE <http://b/> PREFIX e: <http://e/> SELECT * FROM <g1> FROM e:g2 "
        "FROM NAMED <http://n/> WHERE { ?s ?p '<FROM x>' }"
    )
    assert dataset_clauses(query, None) == (["http://b/g1", "http://e/g2"], ["http://n/"])
    assert dataset_clauses("ASK FROM <g> {}", "http://host/sparql") == (["http://host/g"], [])


def test_apply_using_on_each_operation_and_conflicts() -> None:
    update = (
        "INSERT { GRAPH <http://t> { ?s a ?t } } WHERE { ?s a ?t } ;\n"
        "INSERT DATA { <http://a> <http://b> 'WHERE { }' } ;\n"
        "DELETE WHERE { GRAPH <http://t> { ?s ?p ?o } }"
    )
    rewritten = apply_using(update, ["http://d"], ["http://n"])
    assert rewritten.count("USING <http://d> USING NAMED <http://n> WHERE") == 2
    assert "DELETE { GRAPH <http://t> { ?s ?p ?o } } USING" in rewritten
    store = Store()
    store.add(
        Quad(
            NamedNode("http://x"),
            NamedNode("http://p"),
            NamedNode("http://y"),
            NamedNode("http://d"),
        )
    )
    store.update(rewritten)
    with pytest.raises(DatasetConflictError):
        apply_using("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://d"], [])
    with pytest.raises(DatasetConflictError):
        apply_using("DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }", [], ["http://n"])
    assert apply_using("CLEAR ALL", [], []) == "CLEAR ALL"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/*;q=0.5, application/sparql-results+xml;q=0.4", "csv"),
        ("application/sparql-results+json;q=0, */*", "xml"),
        ("TEXT/TAB-SEPARATED-VALUES", "tsv"),
    ],
)
def test_negotiation(accept: str | None, expected: str) -> None:
    assert pick(RESULTS, accept, None).name == expected


def test_negotiation_failures() -> None:
    with pytest.raises(NotAcceptableError):
        pick(GRAPHS, "application/sparql-results+json", None)
    with pytest.raises(UnknownFormatError):
        pick(RESULTS, None, "turtle")
    assert pick(GRAPHS, "application/json", None).name == "jsonld"
    assert pick(GRAPHS, None, "xml").name == "rdfxml"
