"""`kg` starts fast: importing the CLI, and running `kg --help`, `kg export` or `kg query`,
loads none of spaCy, dask, rdflib, pyshacl, FastAPI or the API package (each command imports
what it needs when it runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.store import EmbeddedStore

HEAVY = ("spacy", "dask", "distributed", "rdflib", "pyshacl", "fastapi", "api")
PROBE = """
import json, sys
import kg.cli
args = json.loads(sys.argv[1])
if args:
    try:
        kg.cli.app(args, standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)))
"""


def loaded(*args: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after importing the CLI and running it with
    ``args``."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args)), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: list[str] = json.loads(done.stdout.splitlines()[-1])
    return found


def test_importing_the_cli_loads_nothing_heavy() -> None:
    assert loaded() == []


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "store"
    EmbeddedStore(path).close()
    return path


@pytest.mark.parametrize(
    "args",
    [["--help"], ["export", "-f", "nquads"], ["query", "ASK {}"]],
    ids=["help", "export", "query"],
)
def test_read_commands_load_nothing_heavy(args: list[str], empty_store: Path) -> None:
    store = [] if args == ["--help"] else ["--store", str(empty_store)]
    assert loaded(*args, *store) == []
