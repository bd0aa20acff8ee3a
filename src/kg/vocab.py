"""The graph's vocabulary in one place: its namespaces, the terms the code writes and reads,
and the minting and parsing of every resource IRI, from the contract in ``ontology/``.

>>> state_iri("es").value
'https://w3id.org/pledgekg/id/state/ES'
>>> leader_iri("Pedro Sánchez").value
'https://w3id.org/pledgekg/id/leader/pedro-sanchez'
>>> local_id("https://w3id.org/pledgekg/id/leader/pedro-sanchez", "leader")
'pedro-sanchez'
>>> concept_of(Stance, "https://w3id.org/pledgekg/ontology#Declined")
<Stance.DECLINED: 'Declined'>
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from pyoxigraph import NamedNode

from kg.normalise import slugify
from kg.records import PHONE, VIRTUAL, Actor, ContributionType, Stance

if TYPE_CHECKING:
    from kg.provenance import Extractor
    from kg.records import MeetingRecord, PledgeRecord

# Namespaces ------------------------------------------------------------------------------

KG = "https://w3id.org/pledgekg/ontology#"
KGR = "https://w3id.org/pledgekg/id/"
KGSH = "https://w3id.org/pledgekg/shapes#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
WD = "http://www.wikidata.org/entity/"

# The kinds of resource under ``kgr:`` and the path segment of each (``org``, not
# ``organization``, is the contract's segment).
RESOURCE_KINDS = {
    "state": "state",
    "organization": "org",
    "leader": "leader",
    "pledge": "pledge",
    "meeting": "meeting",
    "source": "source",
    "claim": "claim",
    "change": "change",
    "extraction": "extraction",
    "graph": "graph",
}


def kg(local: str) -> NamedNode:
    """A term of the ontology namespace."""
    return NamedNode(KG + local)


# Terms of other vocabularies -------------------------------------------------------------

A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
ALT_LABEL = NamedNode(SKOS + "altLabel")
PREF_LABEL = NamedNode(SKOS + "prefLabel")
SAME_AS = NamedNode(OWL + "sameAs")
DERIVED_FROM = NamedNode(PROV + "wasDerivedFrom")
GENERATED_AT = NamedNode(PROV + "generatedAtTime")
GENERATED_BY = NamedNode(PROV + "wasGeneratedBy")
ACTIVITY = NamedNode(PROV + "Activity")
TITLE = NamedNode(DCTERMS + "title")
NEWS_ARTICLE = NamedNode(SCHEMA + "NewsArticle")
URL = NamedNode(SCHEMA + "url")
PUBLISHER = NamedNode(SCHEMA + "publisher")
DATE_PUBLISHED = NamedNode(SCHEMA + "datePublished")
XSD_DATE = NamedNode(XSD + "date")
XSD_DATETIME = NamedNode(XSD + "dateTime")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_DECIMAL = NamedNode(XSD + "decimal")

# Terms of the ontology that a source's own record carries
LOCATOR = kg("locator")
INPUT_PATH = kg("inputPath")
CONTENT_HASH = kg("contentHash")

# Concepts --------------------------------------------------------------------------------

E = TypeVar("E", bound=StrEnum)


def concept(member: Stance | ContributionType) -> NamedNode:
    """The ontology concept of a stance or contribution type.

    >>> concept(ContributionType.GROUND_TROOPS).value
    'https://w3id.org/pledgekg/ontology#GroundTroops'
    """
    return kg(member.value)


def concept_of(enum: type[E], iri: str) -> E | None:
    """The member of ``enum`` whose concept ``iri`` is, if any."""
    local = iri.removeprefix(KG)
    if local == iri:
        return None
    return next((m for m in enum if m.value == local), None)


# Resource IRIs ---------------------------------------------------------------------------


def resource_iri(kind: str, ident: str) -> NamedNode:
    """``kgr:{segment}/{ident}`` for a kind of :data:`RESOURCE_KINDS`; ``ident`` is trusted.

    >>> resource_iri("organization", "nato").value
    'https://w3id.org/pledgekg/id/org/nato'
    """
    return NamedNode(resource_prefix(kind) + ident)


def resource_prefix(kind: str) -> str:
    """The IRI every resource of a kind of :data:`RESOURCE_KINDS` starts with."""
    return f"{KGR}{RESOURCE_KINDS[kind]}/"


def local_id(iri: str, kind: str) -> str | None:
    """The part of a resource IRI after its kind's segment: the id the REST paths use."""
    prefix = resource_prefix(kind)
    return iri[len(prefix) :] if iri.startswith(prefix) and len(iri) > len(prefix) else None


SOURCE_PREFIX = resource_prefix("source")
CLAIM_PREFIX = resource_prefix("claim")
CHANGE_PREFIX = resource_prefix("change")


def resource_at(path: str) -> NamedNode:
    """The resource whose IRI is ``kgr:`` followed by ``path`` (``state/ES``), as the
    server's ``/id/{path}`` pages name them; ``path`` is checked by the caller."""
    return NamedNode(KGR + path)


def graph_iri(name: str) -> NamedNode:
    """A graph of its own (``ontology``, ``reference``, ``claims``, ``changes``)."""
    return resource_iri("graph", name)


ONTOLOGY_GRAPH = graph_iri("ontology")
REFERENCE_GRAPH = graph_iri("reference")
CLAIMS_GRAPH = graph_iri("claims")
CHANGES_GRAPH = graph_iri("changes")


def state_iri(alpha2: str) -> NamedNode:
    return resource_iri("state", alpha2.upper())


def org_iri(slug: str) -> NamedNode:
    return resource_iri("organization", slug)


def actor_iri(actor: Actor) -> NamedNode:
    return state_iri(actor.key) if actor.is_state else org_iri(actor.key)


def leader_iri(name: str) -> NamedNode:
    return resource_iri("leader", slugify(name))


def source_iri(source_id: str) -> NamedNode:
    return resource_iri("source", source_id)


def extraction_iri(extractor: Extractor) -> NamedNode:
    """The PROV activity of extracting with one extractor version and spaCy pipeline.

    >>> from kg.provenance import Extractor
    >>> extraction_iri(Extractor("0.1.0+ab12", "en_core_web_sm", "3.8.0")).value
    'https://w3id.org/pledgekg/id/extraction/0-1-0-ab12-en-core-web-sm-3-8-0'
    """
    slug = slugify(f"{extractor.version} {extractor.model} {extractor.model_version}")
    return resource_iri("extraction", slug)


def meeting_iri(meeting: MeetingRecord, source_id: str) -> NamedNode:
    """Meetings with a date and a place are one node across sources; others stay per source.

    >>> from datetime import date
    >>> from kg.records import MeetingRecord
    >>> m = MeetingRecord("k", "summit", "Paris", date(2026, 1, 6), None, (), (), ())
    >>> meeting_iri(m, "abc").value
    'https://w3id.org/pledgekg/id/meeting/2026-01-06-paris'
    """
    if meeting.date and meeting.location in (VIRTUAL, PHONE):
        # Calls on one day are told apart by who took part.
        who = "-".join(sorted({a.key.lower() for a in meeting.participants})) or meeting.key
        return resource_iri("meeting", f"{meeting.date.isoformat()}-{meeting.location}-{who}")
    if meeting.date and meeting.location:
        return resource_iri("meeting", f"{meeting.date.isoformat()}-{slugify(meeting.location)}")
    return resource_iri("meeting", f"{source_id}-{slugify(meeting.key)}")


def pledge_iri(pledge: PledgeRecord, source_id: str) -> NamedNode:
    """A stable IRI: the same pledge in the same source always gets the same one."""
    basis = "|".join(
        [
            source_id,
            pledge.actor.kind,
            pledge.actor.key,
            pledge.stance.value,
            str(pledge.sentence_index),
            ",".join(t.value for t in pledge.types),
        ]
    )
    return resource_iri("pledge", hashlib.sha256(basis.encode()).hexdigest()[:16])
