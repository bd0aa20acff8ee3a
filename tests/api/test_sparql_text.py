"""Reading SPARQL text: structure limits, FROM clauses, ``using-graph-uri`` rewriting and
content negotiation."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, Quad, Store

from api.results import GRAPHS, RESULTS, NotAcceptableError, UnknownFormatError, pick
from kg.sparql_text import (
    DatasetConflictError,
    apply_using,
    check_structure,
    dataset_clauses,
    structure,
    tokens,
)


def test_structure_counts_levels_and_chain_elements() -> None:
    assert structure("ASK { ?s ?p 'a || b' } # || &&") == (1, 0)
    assert structure("ASK { {} UNION {} UNION {} }") == (2, 2)
    assert structure("ASK { ?s <p:a>/<p:b>|<p:c> ?o }") == (1, 2)
    with pytest.raises(ValueError, match="at most 1000"):
        check_structure("ASK { " + " UNION ".join(["{}"] * 1002) + " }")
    check_structure("ASK { " + " UNION ".join(["{}"] * 999) + " }")


def test_tokens_take_linear_time_on_long_runs() -> None:
    """``ASK {} a.a.a...`` once cost minutes (every dot restarted a scan to the end)."""
    text = "ASK {} " + "a." * 50_000
    assert [t.kind for t in tokens(text)][:3] == ["word", "punct", "punct"]
    assert len(list(tokens(text))) == 5  # ASK { } a.a...a .


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
