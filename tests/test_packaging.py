"""The installed-wheel round trip: the wheel built from the project carries its ontology,
shapes, example queries and page, and `kg` installed from it into a fresh virtual environment
outside the checkout ingests, validates, exports and serves with no setting.

The fresh environment gets the project's dependencies through a ``.pth`` line naming the
project environment's site-packages: such a line only adds that folder to ``sys.path`` (its
own ``.pth`` files, among them the editable install's finder, are not run), so ``kg`` and
``api`` can only come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pyoxigraph import RdfFormat, parse

from kg.rdf import ONTOLOGY_GRAPH
from tests.api.conftest import start_server, stop_server
from tests.commands import assert_one_line_error
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
BUILT_FROM = ("pyproject.toml", "README.md", "src", "api", "ontology")
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]

# Building and installing the wheel takes a while: the whole module is an end-to-end test.
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    """A virtual environment outside the checkout with pledgekg installed from its wheel."""

    wheel: Path
    venv: Path
    work: Path

    @property
    def kg(self) -> Path:
        return self.venv / "bin" / "kg"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def env(self, **settings: str) -> dict[str, str]:
        """The environment of a command: no KG_ setting and no PYTHONPATH from outside."""
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("KG_") and k not in {"PYTHONPATH", "VIRTUAL_ENV"}
        }
        return {**clean, "KG_STORE": str(self.work / "store"), **settings}

    def run(self, *args: str | Path, **settings: str) -> subprocess.CompletedProcess[str]:
        """``kg ARGS`` of this environment, run in its work folder."""
        return subprocess.run(
            [str(self.kg), *(str(a) for a in args)],
            cwd=self.work,
            env=self.env(**settings),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


def build_wheel(into: Path) -> Path:
    """The wheel of a copy of the files it is built from (so no build output lands in the
    checkout), built with the project environment's pip."""
    project = into / "project"
    for name in BUILT_FROM:
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(source, project / name, ignore=ignore)
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name)
    dist = into / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, project],
        check=True,
        timeout=600,
        capture_output=True,
    )
    [wheel] = dist.glob("pledgekg-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """pledgekg installed from its wheel into a new virtual environment, with a work folder
    holding a copy of one seed article."""
    root = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(root)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    target = str(venv / "bin" / "python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", target, "install", "--quiet", "--no-deps"]
        + ["--no-index", str(wheel)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    [site] = (venv / "lib").glob("python3*/site-packages")
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = root / "work"
    (work / "articles").mkdir(parents=True)
    shutil.copy2(SEED, work / "articles" / SEED.name)
    yield Installed(wheel, venv, work)


def test_the_wheel_carries_the_ontology_word_lists_and_page(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    ontology = {
        f"kg/ontology/{path.relative_to(ONTOLOGY).as_posix()}"
        for path in ONTOLOGY.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert {"kg/ontology/pledgekg.ttl", "kg/ontology/shapes.ttl"} < ontology
    assert any(name.startswith("kg/ontology/queries/") for name in ontology)
    assert ontology <= names, sorted(ontology - names)
    data = {f"kg/data/{path.name}" for path in (ROOT / "src" / "kg" / "data").glob("*.json")}
    assert data and data <= names, sorted(data - names)
    assert {"kg/py.typed", "api/static/index.html", "api/static/vendor/yasgui/LICENSE"} <= names


def test_the_code_comes_from_the_wheel_not_the_checkout(installed: Installed) -> None:
    done = subprocess.run(
        [str(installed.python), "-c", "import kg, api; print(kg.__file__); print(api.__file__)"],
        cwd=installed.work,
        env=installed.env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    for line in done.stdout.split():
        assert Path(line).is_relative_to(installed.venv), line


def test_ingest_validate_export_and_serve_from_the_installed_wheel(installed: Installed) -> None:
    ingested = installed.run("ingest", "--quiet", "articles")
    assert ingested.returncode == 0, ingested.stderr
    assert "1 new" in ingested.stdout

    validated = installed.run("validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert validated.stdout.startswith("conforms")

    exported = installed.run("export", "--format", "nquads", "-o", "graph.nq")
    assert exported.returncode == 0, exported.stderr
    quads = list(parse(path=str(installed.work / "graph.nq"), format=RdfFormat.N_QUADS))
    assert any(q.graph_name == ONTOLOGY_GRAPH for q in quads), "the ontology graph is missing"

    server = start_server(
        installed.work / "store",
        installed.work / "serve.log",
        installed.env(),
        kg=[str(installed.kg)],
        cwd=installed.work,
    )
    try:
        with server.client() as client:
            examples = client.get("/queries")
            assert examples.status_code == 200
            shipped = {p.stem for p in (ONTOLOGY / "queries").glob("*.rq")}
            assert {q["name"] for q in examples.json()} == shipped
            ask = f"ASK {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o }} }}"
            answer = client.get(
                "/sparql",
                params={"query": ask},
                headers={"Accept": "application/sparql-results+json"},
            )
            assert answer.status_code == 200
            assert answer.json()["boolean"] is True
            assert httpx.get(server.url + "/", timeout=30).status_code == 200
    finally:
        stop_server(server)


def test_an_install_missing_its_shapes_says_so_in_one_line(installed: Installed) -> None:
    """Run last in this module: it takes the shapes out of the installed package."""
    ingested = installed.run("ingest", "--quiet", "articles")
    assert ingested.returncode == 0, ingested.stderr
    [shapes] = installed.venv.glob("lib/python3*/site-packages/kg/ontology/shapes.ttl")
    shapes.unlink()
    done = installed.run("validate")
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "packaged ontology", "has no shapes.ttl")
    served = installed.run("serve", "--port", str(free_port()))
    assert served.returncode == 1
    assert_one_line_error(served.stderr, "has no shapes.ttl")
