"""The vocabulary in one place: every list of stances and contribution types follows the core
enums (the ontology's concepts, the SHACL shapes, the lexicon, the API's parameters), and no
module but :mod:`kg.vocab` mints a resource IRI."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import TypeAdapter
from rdflib import OWL, RDF, SKOS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from api.models import ContributionTypeName, StanceName
from kg.lexicon import load_lexicon
from kg.records import ContributionType, Stance
from kg.vocab import KG, KGR, concept, concept_of, local_id, resource_iri

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
K = Namespace(KG)
SH = Namespace("http://www.w3.org/ns/shacl#")
ENUMS: list[tuple[type[StrEnum], str, str, list[str]]] = [
    (Stance, "Stances", "Stance", ["stance", "claimStance"]),
    (ContributionType, "ContributionTypes", "ContributionType", ["contributionType", "claimType"]),
]
"""Each enum, its concept scheme, the class of its concepts, and the properties that take it."""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "pledgekg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


def _concepts(enum: type[StrEnum]) -> list[URIRef]:
    return [K[member.value] for member in enum]


def _list(graph: Graph, head: Node | None) -> list[Node]:
    assert head is not None
    return list(Collection(graph, head))


@pytest.mark.parametrize(("enum", "scheme", "member_class", "properties"), ENUMS)
def test_the_ontology_has_one_concept_per_member(
    ontology: Graph, enum: type[StrEnum], scheme: str, member_class: str, properties: list[str]
) -> None:
    wanted = _concepts(enum)
    assert set(ontology.subjects(SKOS.inScheme, K[scheme])) == set(wanted)
    assert set(ontology.subjects(RDF.type, K[member_class])) == set(wanted)
    for term in wanted:
        assert (term, SKOS.topConceptOf, K[scheme]) in ontology, term
        assert (term, RDF.type, SKOS.Concept) in ontology, term
        assert ontology.value(term, SKOS.prefLabel) is not None, term
        assert ontology.value(term, SKOS.definition) is not None, term
    closed = ontology.value(K[member_class], OWL.equivalentClass)
    assert _list(ontology, ontology.value(closed, OWL.oneOf)) == wanted
    distinct = next(iter(ontology.subjects(RDF.type, OWL.AllDifferent)))
    members = _list(ontology, ontology.value(distinct, OWL.distinctMembers))
    assert [m for m in members if m in set(wanted)] == wanted


@pytest.mark.parametrize(("enum", "scheme", "member_class", "properties"), ENUMS)
def test_the_shapes_allow_exactly_the_members(
    shapes: Graph, enum: type[StrEnum], scheme: str, member_class: str, properties: list[str]
) -> None:
    for name in properties:
        [shape] = shapes.subjects(SH.path, K[name])
        assert _list(shapes, shapes.value(shape, SH["in"])) == _concepts(enum), name


def test_the_lexicon_has_one_entry_per_contribution_type() -> None:
    lexicon = load_lexicon()
    assert set(lexicon.types) == set(ContributionType)
    assert all(cues.lemmas or cues.phrases for cues in lexicon.types.values())


@pytest.mark.parametrize(
    ("adapter", "enum"),
    [(TypeAdapter(StanceName), Stance), (TypeAdapter(ContributionTypeName), ContributionType)],
)
def test_the_api_takes_exactly_the_members_as_people_type_them(
    adapter: TypeAdapter[StrEnum], enum: type[StrEnum]
) -> None:
    assert adapter.json_schema()["enum"] == [m.value for m in enum]
    for member in enum:
        spelt = (member.value, member.value.upper(), f"kg:{member.value.lower()}")
        assert all(adapter.validate_python(text) is member for text in spelt)
    with pytest.raises(ValueError):
        adapter.validate_python("Unspecified")


def test_a_multi_word_type_is_read_with_spaces_hyphens_or_underscores() -> None:
    adapter = TypeAdapter(ContributionTypeName)
    for text in ("ground troops", "Ground-Troops", "GROUND_TROOPS", " groundtroops "):
        assert adapter.validate_python(text) is ContributionType.GROUND_TROOPS


def test_concepts_and_ids_read_back_what_was_minted() -> None:
    for enum in (Stance, ContributionType):
        for member in enum:
            assert concept_of(enum, concept(member).value) is member
    assert concept_of(Stance, "http://example.org/Committed") is None
    for kind in ("state", "organization", "leader", "pledge", "meeting", "source", "claim"):
        assert local_id(resource_iri(kind, "x-1").value, kind) == "x-1"
    assert resource_iri("organization", "nato").value == KGR + "org/nato"
    assert local_id(KGR + "org/", "organization") is None


def _mints(tree: ast.AST) -> list[int]:
    """Lines that build a string from the resources' namespace (``KGR + …``, ``f"{KGR}…"``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            operands = [node.left, node.right]
        elif isinstance(node, ast.JoinedStr):
            operands = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
        else:
            continue
        if any(isinstance(o, ast.Name) and o.id == "KGR" for o in operands):
            found.append(node.lineno)
    return found


def test_only_the_vocabulary_mints_resource_iris() -> None:
    modules = [*(ROOT / "src" / "kg").rglob("*.py"), *(ROOT / "api").rglob("*.py")]
    minting = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if path.name != "vocab.py" and (lines := _mints(ast.parse(path.read_text("utf-8"))))
    }
    assert minting == {}
    assert _mints(ast.parse('x = KGR + "state/" ; y = f"{KGR}leader/"')) == [1, 1]
