"""The prefixes of the graph's namespaces (:mod:`kg.vocab`), defined once: Turtle and TriG
exports, SPARQL prologues, the JSON-LD context and the ontology README all use these.

Each kind of resource has a prefix of its own, so exports read ``state:GB`` and
``leader:pedro-sanchez`` rather than ``kgr:state\\/GB``.

>>> SPARQL_PREFIXES.splitlines()[0]
'PREFIX kg: <https://w3id.org/pledgekg/ontology#>'
>>> CONTEXT["pledgedBy"]
{'@id': 'kg:pledgedBy', '@type': '@id'}
"""

from __future__ import annotations

from typing import Any

from kg.vocab import (
    DCTERMS,
    KG,
    KGR,
    KGSH,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    RESOURCE_KINDS,
    SCHEMA,
    SEM,
    SKOS,
    WD,
    XSD,
    resource_prefix,
)

# Modules that write SPARQL import the namespaces from here as well as from kg.vocab.
__all__ = [
    "CONTEXT",
    "DCTERMS",
    "KG",
    "KGR",
    "KGSH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RESOURCE_PREFIXES",
    "SCHEMA",
    "SEM",
    "SKOS",
    "SPARQL_PREFIXES",
    "WD",
    "XSD",
    "context_document",
]

RESOURCE_PREFIXES = {kind: resource_prefix(kind) for kind in RESOURCE_KINDS}
"""The kinds of resource under ``kgr:``, each with its prefix (``organization``, not ``org``,
which names the W3C Organization Ontology)."""

PREFIXES: dict[str, str] = {
    "kg": KG,
    "kgr": KGR,
    **RESOURCE_PREFIXES,
    "kgsh": KGSH,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "schema": SCHEMA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "org": ORG,
    "sem": SEM,
    "wd": WD,
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

# Properties whose values are resources (written as compact IRIs) or concepts of the ontology
# (written as bare names, e.g. "Committed"); other kg: properties are bare names through @vocab.
_LINKS = (
    "pledgedBy",
    "announcedBy",
    "madeAt",
    "participant",
    "hostState",
    "represents",
    "mentions",
    "claimant",
    "supportedBy",
    "contradicts",
    "copyOf",
    "sourceAdded",
    "sourceRemoved",
    "sourceReplaced",
    "claimChanged",
    "replacement",
    "newSource",
    "oldSource",
)
_CONCEPTS = ("stance", "contributionType", "claimStance", "claimType")
_DATES = ("date", "reportedOn", "referenceDate", "firstReported", "lastReported")

CONTEXT: dict[str, Any] = {
    "@vocab": KG,
    **PREFIXES,
    "label": {"@id": "rdfs:label"},
    "title": {"@id": "dcterms:title"},
    "url": {"@id": "schema:url"},
    "publisher": {"@id": "schema:publisher"},
    "datePublished": {"@id": "schema:datePublished"},
    "sameAs": {"@id": "owl:sameAs", "@type": "@id"},
    "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
    "wasGeneratedBy": {"@id": "prov:wasGeneratedBy", "@type": "@id"},
    "generatedAtTime": {"@id": "prov:generatedAtTime", "@type": "xsd:dateTime"},
    **{name: {"@id": f"kg:{name}", "@type": "@id"} for name in _LINKS},
    **{name: {"@id": f"kg:{name}", "@type": "@vocab"} for name in _CONCEPTS},
    **{name: {"@id": f"kg:{name}", "@type": "xsd:date"} for name in _DATES},
}
"""The JSON-LD context of the exports, served at ``/context.jsonld`` and shipped as
``ontology/context.jsonld``."""


def context_document() -> dict[str, Any]:
    """The context as a JSON-LD document of its own."""
    return {"@context": CONTEXT}
