"""Each route module reads the store through its own resource's module of ``api.queries``
only, never through the shared helpers."""

from __future__ import annotations

import ast
from pathlib import Path

ROUTES = Path(__file__).resolve().parents[2] / "api" / "routes"
RESOURCES = {"countries", "leaders", "meetings", "pledges", "sources"}
# The export of one country's facts is the countries module's.
ALSO = {"export": {"countries"}}


def _queries_imported(source: str) -> set[str]:
    """The modules of ``api.queries`` a module imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "api.queries":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("api.queries."):
            found.add((node.module or "").removeprefix("api.queries."))
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("api.queries.")
                for a in node.names
                if a.name.startswith("api.queries.")
            }
    return found


def test_routes_import_only_their_resources_module() -> None:
    imported = {p.stem: _queries_imported(p.read_text("utf-8")) for p in ROUTES.glob("*.py")}
    for route in RESOURCES:
        assert imported[route] == {route}, route
    for route, modules in imported.items():
        allowed = ({route} & RESOURCES) | ALSO.get(route, set())
        assert modules <= allowed, f"api/routes/{route}.py imports {sorted(modules - allowed)}"


def test_the_check_sees_every_form_of_import() -> None:
    source = (
        "from api.queries import pledges\n"
        "from api.queries.sparql import select\n"
        "import api.queries.terms\n"
    )
    assert _queries_imported(source) == {"pledges", "sparql", "terms"}
