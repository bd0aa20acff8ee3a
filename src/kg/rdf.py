"""Mapping records to RDF: every IRI of the graph is minted here, from the contract in
``ontology/``, and every source's facts go to the named graph of its Source IRI.

>>> state_iri("ES").value
'https://w3id.org/pledgekg/id/state/ES'
>>> leader_iri("Pedro Sánchez").value
'https://w3id.org/pledgekg/id/leader/pedro-sanchez'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from pyoxigraph import Literal, NamedNode, Quad

from kg.gazetteer import Gazetteer
from kg.identity import content_hash
from kg.normalise import slugify
from kg.prefixes import DCTERMS, KG, KGR, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD
from kg.provenance import Extractor, headline, opening
from kg.records import (
    DAY,
    PHONE,
    REPORTED,
    VIRTUAL,
    Actor,
    Extraction,
    LeaderRecord,
    MeetingRecord,
    PledgeRecord,
)


def distinct(variables: str, pattern: str) -> str:
    """``pattern`` as a SPARQL sub-select of its distinct ``variables``.

    Every source restates its leaders and meetings in its own graph, and a query over the
    union of all graphs sees such a triple once per graph that holds it. A join of several
    patterns over a leader named in a thousand sources makes a thousand rows per pattern,
    multiplied together; joining the distinct answers of each pattern keeps the work linear.

    >>> distinct("?x", "?x kg:represents ?state")
    '{ SELECT DISTINCT ?x WHERE { ?x kg:represents ?state } }'
    """
    return f"{{ SELECT DISTINCT {variables} WHERE {{ {pattern} }} }}"


ONTOLOGY_GRAPH = NamedNode(KGR + "graph/ontology")
REFERENCE_GRAPH = NamedNode(KGR + "graph/reference")
SOURCE_PREFIX = KGR + "source/"

A = NamedNode(RDF + "type")
XSD_DATE = NamedNode(XSD + "date")
XSD_DATETIME = NamedNode(XSD + "dateTime")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_DECIMAL = NamedNode(XSD + "decimal")
LOCATOR = NamedNode(KG + "locator")
INPUT_PATH = NamedNode(KG + "inputPath")
CONTENT_HASH = NamedNode(KG + "contentHash")
GENERATED_AT = NamedNode(PROV + "generatedAtTime")
GENERATED_BY = NamedNode(PROV + "wasGeneratedBy")


def kg(local: str) -> NamedNode:
    """A term of the ontology namespace."""
    return NamedNode(KG + local)


def state_iri(alpha2: str) -> NamedNode:
    return NamedNode(f"{KGR}state/{alpha2.upper()}")


def org_iri(slug: str) -> NamedNode:
    return NamedNode(f"{KGR}org/{slug}")


def actor_iri(actor: Actor) -> NamedNode:
    return state_iri(actor.key) if actor.is_state else org_iri(actor.key)


def leader_iri(name: str) -> NamedNode:
    return NamedNode(f"{KGR}leader/{slugify(name)}")


def source_iri(source_id: str) -> NamedNode:
    return NamedNode(f"{SOURCE_PREFIX}{source_id}")


def extraction_iri(extractor: Extractor) -> NamedNode:
    """The PROV activity of extracting with one extractor version and spaCy pipeline.

    >>> extraction_iri(Extractor("0.1.0+ab12", "en_core_web_sm", "3.8.0")).value
    'https://w3id.org/pledgekg/id/extraction/0-1-0-ab12-en-core-web-sm-3-8-0'
    """
    slug = slugify(f"{extractor.version} {extractor.model} {extractor.model_version}")
    return NamedNode(f"{KGR}extraction/{slug}")


def meeting_iri(meeting: MeetingRecord, source_id: str) -> NamedNode:
    """Meetings with a date and a place are one node across sources; others stay per source.

    >>> m = MeetingRecord("k", "summit", "Paris", date(2026, 1, 6), None, (), (), ())
    >>> meeting_iri(m, "abc").value
    'https://w3id.org/pledgekg/id/meeting/2026-01-06-paris'
    """
    if meeting.date and meeting.location in (VIRTUAL, PHONE):
        # Calls on one day are told apart by who took part.
        who = "-".join(sorted({a.key.lower() for a in meeting.participants})) or meeting.key
        return NamedNode(f"{KGR}meeting/{meeting.date.isoformat()}-{meeting.location}-{who}")
    if meeting.date and meeting.location:
        return NamedNode(f"{KGR}meeting/{meeting.date.isoformat()}-{slugify(meeting.location)}")
    return NamedNode(f"{KGR}meeting/{source_id}-{slugify(meeting.key)}")


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
    return NamedNode(f"{KGR}pledge/{hashlib.sha256(basis.encode()).hexdigest()[:16]}")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def string(value: str) -> Literal:
    """A plain literal; control characters (other than tab and line breaks) become spaces,
    since XML formats cannot carry them.

    >>> string("a\x07b").value
    'a b'
    """
    return Literal(_CONTROL.sub(" ", value))


def confidence_literal(value: float) -> Literal:
    """A score in [0, 1] as an ``xsd:decimal`` to three places, in the canonical form a store
    keeps ("0.95", "1").

    >>> [confidence_literal(v).value for v in (0.95, 1.0, 0.0504)]
    ['0.95', '1', '0.05']
    """
    return Literal(f"{value:.3f}".rstrip("0").rstrip("."), datatype=XSD_DECIMAL)


def date_literal(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD_DATE)


def time_literal(value: datetime) -> Literal:
    """An ``xsd:dateTime`` to the second, in UTC when the time carries a zone."""
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD_DATETIME)


class _Graph:
    """Collects the quads of one named graph without repeats, in insertion order."""

    def __init__(self, graph: NamedNode) -> None:
        self.graph = graph
        self.quads: dict[Quad, None] = {}

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.quads[Quad(s, p, o, self.graph)] = None


def _leader_quads(g: _Graph, leader: LeaderRecord, src: NamedNode) -> None:
    node = leader_iri(leader.name)
    g.add(node, A, kg("Leader"))
    g.add(node, NamedNode(RDFS + "label"), string(leader.name))
    g.add(node, NamedNode(PROV + "wasDerivedFrom"), src)
    if leader.actor:
        g.add(node, kg("represents"), actor_iri(leader.actor))
    if leader.role:
        g.add(node, kg("role"), string(leader.role))
    if leader.wikidata:
        g.add(node, NamedNode(OWL + "sameAs"), NamedNode(WD + leader.wikidata))


def _pledge_quads(
    g: _Graph,
    pledge: PledgeRecord,
    src: NamedNode,
    extraction: Extraction,
    meetings: dict[str, NamedNode],
) -> None:
    node = pledge_iri(pledge, extraction.source_id)
    g.add(node, A, kg("Pledge"))
    g.add(node, kg("pledgedBy"), actor_iri(pledge.actor))
    g.add(node, kg("stance"), kg(pledge.stance.value))
    for kind in pledge.types:
        g.add(node, kg("contributionType"), kg(kind.value))
    g.add(node, kg("evidence"), string(pledge.evidence))
    g.add(node, NamedNode(PROV + "wasDerivedFrom"), src)
    if pledge.announced_by:
        g.add(node, kg("announcedBy"), leader_iri(pledge.announced_by))
    if pledge.quantity:
        g.add(node, kg("quantity"), string(pledge.quantity))
    if pledge.condition:
        g.add(node, kg("condition"), string(pledge.condition))
    if pledge.date:
        g.add(node, kg("date"), date_literal(pledge.date))
        g.add(node, kg("datePrecision"), string(DAY))
    if extraction.reference_date:
        g.add(node, kg("reportedOn"), date_literal(extraction.reference_date))
        if not pledge.date:
            g.add(node, kg("datePrecision"), string(REPORTED))
    if pledge.confidence is not None:
        g.add(node, kg("confidence"), confidence_literal(pledge.confidence))
    if pledge.meeting_key and pledge.meeting_key in meetings:
        g.add(node, kg("madeAt"), meetings[pledge.meeting_key])


def _meeting_quads(
    g: _Graph, meeting: MeetingRecord, node: NamedNode, src: NamedNode, reported: date | None
) -> None:
    g.add(node, A, kg("Meeting"))
    g.add(node, NamedNode(PROV + "wasDerivedFrom"), src)
    g.add(node, kg("meetingKind"), string(meeting.kind))
    label = " ".join(
        part
        for part in (
            meeting.kind.capitalize(),
            meeting.location and f"in {meeting.location}",
            meeting.date and f"on {meeting.date.isoformat()}",
        )
        if part
    )
    g.add(node, NamedNode(RDFS + "label"), string(label))
    if meeting.location:
        g.add(node, kg("location"), string(meeting.location))
    if meeting.venue and meeting.venue != meeting.location:
        g.add(node, kg("venue"), string(meeting.venue))
    if meeting.confidence is not None:
        g.add(node, kg("confidence"), confidence_literal(meeting.confidence))
    if meeting.place_precision:
        g.add(node, kg("placePrecision"), string(meeting.place_precision))
    if meeting.date:
        g.add(node, kg("date"), date_literal(meeting.date))
        g.add(node, kg("datePrecision"), string(DAY))
    elif reported:
        # An undated meeting is minted per source, so its one report date is its own.
        g.add(node, kg("reportedOn"), date_literal(reported))
    if meeting.host:
        g.add(node, kg("hostState"), state_iri(meeting.host))
    for actor in meeting.participants:
        g.add(node, kg("participant"), actor_iri(actor))
    for name in meeting.leaders:
        g.add(node, kg("participant"), leader_iri(name))
    for sentence in meeting.evidence:
        g.add(node, kg("evidence"), string(sentence))


def extraction_quads(extraction: Extraction) -> list[Quad]:
    """All quads of one source, in the named graph of its Source IRI."""
    src = source_iri(extraction.source_id)
    g = _Graph(src)
    article = extraction.article
    g.add(src, A, kg("Source"))
    g.add(src, A, NamedNode(SCHEMA + "NewsArticle"))
    g.add(src, CONTENT_HASH, string(content_hash(article)))
    title = article.title or headline(extraction.clean_text)
    if title:
        g.add(src, NamedNode(DCTERMS + "title"), string(title))
    else:
        g.add(src, kg("opening"), string(opening(extraction.clean_text)))
    if article.url:
        g.add(src, NamedNode(SCHEMA + "url"), string(article.url))
    if article.publisher:
        g.add(src, NamedNode(SCHEMA + "publisher"), string(article.publisher))
    if article.published:
        g.add(src, NamedNode(SCHEMA + "datePublished"), date_literal(article.published))
    elif extraction.reference_date:
        g.add(src, kg("referenceDate"), date_literal(extraction.reference_date))
    g.add(src, kg("language"), string(extraction.language))
    g.add(
        src, kg("passagesSkipped"), Literal(str(extraction.passages_skipped), datatype=XSD_INTEGER)
    )
    for actor in extraction.mentions:
        g.add(src, kg("mentions"), actor_iri(actor))
    for leader in extraction.leaders:
        _leader_quads(g, leader, src)
    meetings = {m.key: meeting_iri(m, extraction.source_id) for m in extraction.meetings}
    for meeting in extraction.meetings:
        _meeting_quads(g, meeting, meetings[meeting.key], src, extraction.reference_date)
    for pledge in extraction.pledges:
        _pledge_quads(g, pledge, src, extraction, meetings)
    return list(g.quads)


def ingest_quads(
    src: NamedNode,
    locators: Iterable[str],
    paths: Iterable[str],
    ingested_at: datetime,
    extractor: Extractor,
) -> list[Quad]:
    """What an ingest records of a source in its graph: where the article was found (its
    locators and input files), when it was stored, and by which extraction (PROV)."""
    g = _Graph(src)
    for value in sorted(set(locators)):
        g.add(src, LOCATOR, string(value))
    for value in sorted(set(paths)):
        g.add(src, INPUT_PATH, string(value))
    g.add(src, GENERATED_AT, time_literal(ingested_at))
    activity = extraction_iri(extractor)
    g.add(src, GENERATED_BY, activity)
    g.add(activity, A, NamedNode(PROV + "Activity"))
    g.add(activity, NamedNode(RDFS + "label"), string(extractor.label))
    g.add(activity, kg("extractorVersion"), string(extractor.version))
    g.add(activity, kg("model"), string(f"{extractor.model} {extractor.model_version}"))
    return list(g.quads)


def reference_quads(gazetteer: Gazetteer) -> Iterator[Quad]:
    """States and organizations, in the reference graph."""
    g = REFERENCE_GRAPH
    label = NamedNode(RDFS + "label")
    alt = NamedNode(SKOS + "altLabel")
    same = NamedNode(OWL + "sameAs")
    for state in gazetteer.states.values():
        node = state_iri(state.alpha2)
        yield Quad(node, A, kg("State"), g)
        yield Quad(node, kg("isoCode"), string(state.alpha2), g)
        yield Quad(node, kg("alpha3Code"), string(state.alpha3), g)
        yield Quad(node, label, Literal(state.name, language="en"), g)
        for name in sorted(set(state.names) - {state.name}):
            yield Quad(node, alt, Literal(name, language="en"), g)
        if state.wikidata:
            yield Quad(node, same, NamedNode(WD + state.wikidata), g)
    for org in gazetteer.organizations.values():
        node = org_iri(org.slug)
        yield Quad(node, A, kg("Organization"), g)
        yield Quad(node, label, Literal(org.label, language="en"), g)
        for alias in sorted(set(org.aliases) - {org.label}):
            yield Quad(node, alt, Literal(alias, language="en"), g)
        if org.wikidata:
            yield Quad(node, same, NamedNode(WD + org.wikidata), g)


def count_kinds(quads: Iterable[Quad]) -> dict[str, int]:
    """How many leaders, pledges and meetings a list of quads types."""
    counts = {"leaders": 0, "pledges": 0, "meetings": 0}
    names = {KG + "Leader": "leaders", KG + "Pledge": "pledges", KG + "Meeting": "meetings"}
    for quad in quads:
        if quad.predicate == A and isinstance(quad.object, NamedNode):
            kind = names.get(quad.object.value)
            if kind:
                counts[kind] += 1
    return counts
