"""The prefixes are defined once: the ontology README lists them, the shipped JSON-LD context is
the one the code compacts with, and SPARQL prologues declare them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pyoxigraph import Store

from kg.prefixes import PREFIXES, SPARQL_PREFIXES, context_document

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"


def test_the_ontology_readme_lists_every_prefix_with_its_iri() -> None:
    readme = (ONTOLOGY / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ((?:`[\w-]+:` ?)+) \| (`[^`]+`|[^|]+) \|", readme, re.MULTILINE)
    listed: dict[str, str | None] = {}
    for names, iri in rows:
        found = re.findall(r"`([\w-]+):`", names)
        for name in found:
            listed[name] = iri.strip("`") if len(found) == 1 else None
    assert set(PREFIXES) <= set(listed), set(PREFIXES) - set(listed)
    for name, iri in listed.items():
        if iri is not None and name in PREFIXES:
            assert PREFIXES[name] == iri, name


def test_the_shipped_context_is_the_one_exports_use() -> None:
    shipped = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))
    assert shipped == context_document()
    assert {k: v for k, v in shipped["@context"].items() if isinstance(v, str)} == {
        "@vocab": PREFIXES["kg"],
        **PREFIXES,
    }


def test_a_query_may_use_every_prefix() -> None:
    store = Store()
    names = " ".join(f"{name}:x" for name in PREFIXES)
    result = store.query(SPARQL_PREFIXES + f"SELECT * WHERE {{ VALUES ?x {{ {names} }} }}")
    assert len(list(result)) == len(PREFIXES)  # type: ignore[arg-type]
