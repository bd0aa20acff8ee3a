"""``/sparql`` adds the PREFIX lines of the project's prefixes a query uses undeclared, never
changes a prefix the query declares, and names an unknown undeclared prefix in one sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from kg.prefixes import KG, PREFIXES
from kg.sparql_text import UndeclaredPrefixError, complete_prefixes

if TYPE_CHECKING:
    from tests.api.conftest import Server


def _ask(server: Server, query: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )


def test_undeclared_project_prefixes_are_added(server: Server) -> None:
    """A query with kg: and rdfs: and no PREFIX line runs as if it declared them."""
    response = _ask(
        server, "SELECT ?name WHERE { ?p a kg:Pledge ; kg:pledgedBy/rdfs:label ?name } LIMIT 1"
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]["bindings"]) == 1


def test_a_declared_prefix_is_never_changed(server: Server) -> None:
    """kg: bound to another namespace by the query keeps that meaning: nothing matches."""
    declared = _ask(server, "PREFIX kg: <http://example.org/other#> ASK { ?p a kg:Pledge }")
    assert declared.status_code == 200
    assert declared.json()["boolean"] is False
    assert _ask(server, "ASK { ?p a kg:Pledge }").json()["boolean"] is True


def test_an_unknown_prefix_is_named_in_one_sentence(server: Server) -> None:
    response = _ask(server, "SELECT * WHERE { ?s foaf:name ?o }")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("the prefix foaf: is used but not declared")
    assert "\n" not in detail and "expected" not in detail


def test_syntax_errors_keep_their_own_line_numbers(server: Server) -> None:
    """The added lines do not shift the position the parser reports."""
    response = _ask(server, "SELECT * WHERE {\n ?s a kg:Pledge \n ?s ?p }")
    assert response.status_code == 400
    assert "at 3:" in response.json()["detail"]


def test_completion_reads_tokens_not_text() -> None:
    """Prefixed names inside strings, IRIs and comments are not uses; each prefix is added
    once, before the text."""
    text = "# schema:x\nASK { ?s kg:a 'prov:b' ; kg:c <http://x/skos:d> }"
    completed, added = complete_prefixes(text, PREFIXES)
    assert added == 1
    assert completed == f"PREFIX kg: <{KG}>\n{text}"
    with pytest.raises(UndeclaredPrefixError, match="the prefix ex: "):
        complete_prefixes("ASK { ex:a kg:b ex:c }", PREFIXES)
