"""The ontology files: they parse, declare every term of the graph's contract (and every term
the code emits or the shapes check), and every saved query parses and runs on the seed store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef

from kg.prefixes import KG
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
QUERIES = sorted((ONTOLOGY / "queries").glob("*.rq"))
SHARED_CONTRACT = ROOT.parent / "shared" / "ONTOLOGY.md"
K = Namespace(KG)
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

# The fixed contract (the shared ONTOLOGY.md), term by term.
CLASSES = {
    "State": [SCHEMA.Country],
    "Organization": [SCHEMA.Organization],
    "Leader": [SCHEMA.Person],
    "Pledge": [PROV.Entity],
    "Meeting": [SCHEMA.Event],
    "Source": [SCHEMA.NewsArticle, PROV.Entity],
}
OBJECT_PROPERTIES = [
    "represents",
    "pledgedBy",
    "announcedBy",
    "stance",
    "contributionType",
    "madeAt",
    "participant",
    "hostState",
]
DATATYPE_PROPERTIES = ["isoCode", "role", "quantity", "condition", "location", "date", "evidence"]
STANCES = ["Committed", "Considering", "Declined"]
CONTRIBUTION_TYPES = [
    "GroundTroops",
    "AirPower",
    "Maritime",
    "Demining",
    "Training",
    "Monitoring",
    "Funding",
    "Reconstruction",
    "Equipment",
    "Backstop",
    "UnspecifiedMilitary",
]
OUTSIDE_PROPERTIES = [
    PROV.wasDerivedFrom,
    DCTERMS.title,
    SCHEMA.url,
    SCHEMA.publisher,
    SCHEMA.datePublished,
]
OWL_PROPERTY_TYPES = {
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "pledgekg.ttl", format="turtle")


@pytest.fixture(scope="module")
def declared(ontology: Graph) -> set[URIRef]:
    """Every IRI the ontology gives a type."""
    return {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}


@pytest.mark.parametrize("path", sorted(ONTOLOGY.glob("*.ttl")), ids=lambda p: p.name)
def test_ontology_files_parse(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 50
    Store().load(path=path)  # Oxigraph reads them as well


def test_contract_classes_are_declared_and_aligned(ontology: Graph) -> None:
    for name, alignments in CLASSES.items():
        term = K[name]
        assert (term, RDF.type, OWL.Class) in ontology, name
        assert ontology.value(term, RDFS.label) is not None, name
        assert ontology.value(term, RDFS.comment) is not None, name
        related = set(ontology.objects(term, RDFS.subClassOf)) | set(
            ontology.objects(term, OWL.equivalentClass)
        )
        for outside in alignments:
            assert outside in related, f"kg:{name} is not aligned to {outside}"


@pytest.mark.parametrize(
    ("names", "kind"),
    [(OBJECT_PROPERTIES, OWL.ObjectProperty), (DATATYPE_PROPERTIES, OWL.DatatypeProperty)],
    ids=["object", "datatype"],
)
def test_contract_properties_are_declared_with_domain_and_range(
    ontology: Graph, names: list[str], kind: URIRef
) -> None:
    for name in names:
        term = K[name]
        assert (term, RDF.type, kind) in ontology, name
        for annotation in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
            assert ontology.value(term, annotation) is not None, f"kg:{name} lacks {annotation}"


@pytest.mark.parametrize(
    ("scheme", "members", "member_class"),
    [("Stances", STANCES, "Stance"), ("ContributionTypes", CONTRIBUTION_TYPES, "ContributionType")],
)
def test_concept_schemes(
    ontology: Graph, scheme: str, members: list[str], member_class: str
) -> None:
    assert (K[scheme], RDF.type, SKOS.ConceptScheme) in ontology
    # The contract's concepts are all there; tests/test_vocab.py holds the scheme to the enum.
    in_scheme = set(ontology.subjects(SKOS.inScheme, K[scheme]))
    assert in_scheme >= {K[m] for m in members}
    for member in members:
        term = K[member]
        assert (term, RDF.type, SKOS.Concept) in ontology, member
        assert (term, RDF.type, K[member_class]) in ontology, member
        assert ontology.value(term, SKOS.prefLabel) is not None, member
        assert ontology.value(term, SKOS.definition) is not None, member


def test_outside_properties_of_the_contract_are_declared(ontology: Graph) -> None:
    for term in OUTSIDE_PROPERTIES:
        types = set(ontology.objects(term, RDF.type))
        assert types & OWL_PROPERTY_TYPES, f"{term} is used by the graph but not declared"


@pytest.mark.skipif(not SHARED_CONTRACT.is_file(), reason="the shared contract is not beside")
def test_every_kg_term_of_the_shared_contract_is_listed_here() -> None:
    text = SHARED_CONTRACT.read_text("utf-8")
    mentioned = set(re.findall(r"`kg:([A-Za-z]+)`", text)) | set(
        re.findall(r"\bkg:([A-Za-z]+)\b", text)
    )
    listed = (
        set(CLASSES)
        | set(OBJECT_PROPERTIES)
        | set(DATATYPE_PROPERTIES)
        | set(STANCES)
        | set(CONTRIBUTION_TYPES)
        | {"ContributionTypes"}
    )
    assert mentioned <= listed


def test_every_term_the_shapes_check_is_declared(declared: set[URIRef]) -> None:
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    used = {
        term
        for triple in shapes
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(KG)
    }
    assert used, "the shapes name no kg: terms"
    assert used <= declared, sorted(str(t) for t in used - declared)


def test_every_term_the_seed_graph_uses_is_declared(
    seed_store_dir: Path, declared: set[URIRef]
) -> None:
    store = EmbeddedStore(seed_store_dir, read_only=True)
    try:
        result = store.query(
            "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } UNION { ?s ?p ?t } "
            f'FILTER (isIRI(?t) && STRSTARTS(STR(?t), "{KG}")) }}'
        )
        assert isinstance(result, QuerySolutions)
        used = {URIRef(row["t"].value) for row in result if isinstance(row["t"], NamedNode)}
    finally:
        store.close()
    assert K.Pledge in used and K.stance in used
    assert used <= declared, sorted(str(t) for t in used - declared)


def test_there_are_at_least_eight_documented_queries() -> None:
    assert len(QUERIES) >= 8
    for path in QUERIES:
        head = path.read_text("utf-8").splitlines()[:2]
        assert head[0].startswith("# title: ") and len(head[0]) > len("# title: "), path.name
        assert head[1].startswith("# description: "), path.name


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_saved_query_parses_and_runs_on_the_seed_store(path: Path, seed_store_dir: Path) -> None:
    text = path.read_text("utf-8")
    Store().query(text)  # parses on its own, without the data
    store = EmbeddedStore(seed_store_dir, read_only=True)
    try:
        result = store.query(text)
        if isinstance(result, QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = list(result)
            assert variables
            if path.stem in ("leaders-by-state", "meetings", "pledge-counts"):
                assert rows, f"{path.name} finds nothing in the seeds"
        elif not isinstance(result, QueryBoolean):
            list(result)
    finally:
        store.close()
