"""The layers hold: the core (the ``kg`` package but its CLI) imports neither the API nor the
CLI, and the readers do not import the store, even through another module of the core."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "src" / "kg"
FACES = ("api", "kg.cli")
READERS = ("kg.sources", "kg.reference", "kg.identity", "kg.records", "kg.clean")
STORE = "kg.store"


def module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, package: str) -> Iterator[str]:
    """Every module an import anywhere in ``source`` names (inside functions and
    ``TYPE_CHECKING`` blocks too): ``from a import b`` names ``a`` and ``a.b``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def core_imports() -> dict[str, set[str]]:
    """The modules each module of the core imports, by module name."""
    found: dict[str, set[str]] = {}
    for path in sorted(CORE.rglob("*.py")):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found[name] = set(imported(path.read_text("utf-8"), package))
    return found


def test_the_walk_sees_imports_in_functions_and_from_packages() -> None:
    source = "from kg import cli\ndef f():\n    import api.main\nfrom .store import X\n"
    names = set(imported(source, "kg.ingest"))
    assert {"kg.cli", "api.main", "kg.ingest.store"} <= names


@pytest.mark.parametrize("module", sorted(n for n in core_imports() if not within(n, "kg.cli")))
def test_the_core_imports_no_face(module: str) -> None:
    faces = sorted(n for n in core_imports()[module] if any(within(n, f) for f in FACES))
    assert not faces, f"{module} imports {faces}: the core sits below the API and the CLI"


def reached(start: str, graph: dict[str, set[str]]) -> set[str]:
    """The modules of the core that ``start`` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for name in graph.get(todo.pop(), set()):
            if name in graph and name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


@pytest.mark.parametrize("reader", READERS)
def test_a_reader_does_not_import_the_store(reader: str) -> None:
    graph = core_imports()
    assert reader in graph
    assert STORE not in reached(reader, graph), f"{reader} reaches {STORE}"
