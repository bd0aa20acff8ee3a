"""Where the ontology, shapes and example queries come from: the copy shipped in the package
by default, `KG_ONTOLOGY_DIR` when set, and one line when either lacks a part."""

from __future__ import annotations

import importlib.resources
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.routes.page import queries
from kg.config import Settings
from kg.ontology_files import OntologyError, ontology_dir
from tests.commands import assert_fails, kg_process

CHECKOUT_ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
# A shape every seed pledge breaks: it asks for a property nothing has.
STRICTER_SHAPE = """
<urn:pledgekg:test:needs-reviewer> a <http://www.w3.org/ns/shacl#NodeShape> ;
    <http://www.w3.org/ns/shacl#targetClass> <https://w3id.org/pledgekg/ontology#Pledge> ;
    <http://www.w3.org/ns/shacl#property> [
        <http://www.w3.org/ns/shacl#path> <urn:pledgekg:test:reviewer> ;
        <http://www.w3.org/ns/shacl#minCount> 1
    ] .
"""


@pytest.fixture()
def ontology_copy(tmp_path: Path) -> Path:
    target = tmp_path / "ontology"
    shutil.copytree(CHECKOUT_ONTOLOGY, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_without_a_setting_the_packaged_ontology_is_used() -> None:
    folder = ontology_dir(Settings(ontology_dir=None))
    assert folder == Path(str(importlib.resources.files("kg.ontology")))
    assert sorted(p.name for p in (folder / "queries").glob("*.rq")) == sorted(
        p.name for p in (CHECKOUT_ONTOLOGY / "queries").glob("*.rq")
    )


def test_kg_ontology_dir_is_where_validate_takes_its_shapes(
    seed_store_dir: Path, ontology_copy: Path
) -> None:
    assert kg_process("validate", "--store", seed_store_dir).returncode == 0
    with (ontology_copy / "shapes.ttl").open("a", encoding="utf-8") as shapes:
        shapes.write(STRICTER_SHAPE)
    done = kg_process(
        "validate", "--store", seed_store_dir, env={"KG_ONTOLOGY_DIR": str(ontology_copy)}
    )
    assert done.returncode == 1
    assert "urn:pledgekg:test:reviewer" in done.stdout


def test_kg_ontology_dir_is_where_the_example_queries_come_from(ontology_copy: Path) -> None:
    (ontology_copy / "queries" / "extra.rq").write_text(
        "# title: Extra\n# description: One more.\nASK {}\n", encoding="utf-8"
    )
    names = {q.name for q in queries(Settings(ontology_dir=ontology_copy))}
    assert "extra" in names
    assert "extra" not in {q.name for q in queries(Settings(ontology_dir=None))}


@pytest.mark.parametrize("part", ["pledgekg.ttl", "shapes.ttl", "queries"])
def test_an_ontology_dir_without_a_part_is_refused_in_one_line(
    ontology_copy: Path, part: str
) -> None:
    target = ontology_copy / part
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    with pytest.raises(ValidationError, match="KG_ONTOLOGY_DIR"):
        Settings(ontology_dir=ontology_copy)
    done = kg_process("stats", env={"KG_ONTOLOGY_DIR": str(ontology_copy)})
    assert_fails(done, f"KG_ONTOLOGY_DIR={str(ontology_copy)!r} has no {part}")


def test_a_missing_ontology_dir_is_refused_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    done = kg_process("validate", env={"KG_ONTOLOGY_DIR": str(missing)})
    assert_fails(done, "KG_ONTOLOGY_DIR", "has no pledgekg.ttl, shapes.ttl, queries/")


def test_a_folder_that_loses_a_part_after_start_up_is_an_ontology_error(
    ontology_copy: Path,
) -> None:
    settings = Settings(ontology_dir=ontology_copy)
    (ontology_copy / "shapes.ttl").unlink()
    with pytest.raises(OntologyError, match=r"has no shapes\.ttl$"):
        ontology_dir(settings)
