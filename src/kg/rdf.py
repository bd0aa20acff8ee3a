"""Mapping records to RDF: every source's facts go to the named graph of its Source IRI,
with the terms and IRIs of :mod:`kg.vocab`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from pyoxigraph import Literal, NamedNode, Quad

from kg.gazetteer import Gazetteer
from kg.identity import content_hash
from kg.provenance import Extractor, headline, opening
from kg.records import DAY, REPORTED, Extraction, LeaderRecord, MeetingRecord, PledgeRecord
from kg.vocab import (
    ACTIVITY,
    ALT_LABEL,
    CONTENT_HASH,
    DATE_PUBLISHED,
    DERIVED_FROM,
    GENERATED_AT,
    GENERATED_BY,
    INPUT_PATH,
    KG,
    LABEL,
    LOCATOR,
    NEWS_ARTICLE,
    ONTOLOGY_GRAPH,
    PUBLISHER,
    REFERENCE_GRAPH,
    SAME_AS,
    SOURCE_PREFIX,
    TITLE,
    URL,
    WD,
    XSD_DATE,
    XSD_DATETIME,
    XSD_DECIMAL,
    XSD_INTEGER,
    A,
    actor_iri,
    concept,
    extraction_iri,
    kg,
    leader_iri,
    meeting_iri,
    org_iri,
    pledge_iri,
    source_iri,
    state_iri,
)

# Modules that build graphs import these from here as well as from kg.vocab.
__all__ = [
    "A",
    "CONTENT_HASH",
    "GENERATED_AT",
    "GENERATED_BY",
    "INPUT_PATH",
    "LOCATOR",
    "ONTOLOGY_GRAPH",
    "REFERENCE_GRAPH",
    "SOURCE_PREFIX",
    "XSD_DATE",
    "XSD_DATETIME",
    "XSD_INTEGER",
    "confidence_literal",
    "count_kinds",
    "date_literal",
    "distinct",
    "extraction_iri",
    "extraction_quads",
    "ingest_quads",
    "kg",
    "meeting_iri",
    "pledge_iri",
    "reference_quads",
    "source_iri",
    "string",
    "time_literal",
]


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
    g.add(node, LABEL, string(leader.name))
    g.add(node, DERIVED_FROM, src)
    if leader.actor:
        g.add(node, kg("represents"), actor_iri(leader.actor))
    if leader.role:
        g.add(node, kg("role"), string(leader.role))
    if leader.wikidata:
        g.add(node, SAME_AS, NamedNode(WD + leader.wikidata))


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
    g.add(node, kg("stance"), concept(pledge.stance))
    for kind in pledge.types:
        g.add(node, kg("contributionType"), concept(kind))
    g.add(node, kg("evidence"), string(pledge.evidence))
    g.add(node, DERIVED_FROM, src)
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
    g.add(node, DERIVED_FROM, src)
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
    g.add(node, LABEL, string(label))
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
    g.add(src, A, NEWS_ARTICLE)
    g.add(src, CONTENT_HASH, string(content_hash(article)))
    title = article.title or headline(extraction.clean_text)
    if title:
        g.add(src, TITLE, string(title))
    else:
        g.add(src, kg("opening"), string(opening(extraction.clean_text)))
    if article.url:
        g.add(src, URL, string(article.url))
    if article.publisher:
        g.add(src, PUBLISHER, string(article.publisher))
    if article.published:
        g.add(src, DATE_PUBLISHED, date_literal(article.published))
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
    g.add(activity, A, ACTIVITY)
    g.add(activity, LABEL, string(extractor.label))
    g.add(activity, kg("extractorVersion"), string(extractor.version))
    g.add(activity, kg("model"), string(f"{extractor.model} {extractor.model_version}"))
    return list(g.quads)


def reference_quads(gazetteer: Gazetteer) -> Iterator[Quad]:
    """States and organizations, in the reference graph."""
    g = REFERENCE_GRAPH
    for state in gazetteer.states.values():
        node = state_iri(state.alpha2)
        yield Quad(node, A, kg("State"), g)
        yield Quad(node, kg("isoCode"), string(state.alpha2), g)
        yield Quad(node, kg("alpha3Code"), string(state.alpha3), g)
        yield Quad(node, LABEL, Literal(state.name, language="en"), g)
        for name in sorted(set(state.names) - {state.name}):
            yield Quad(node, ALT_LABEL, Literal(name, language="en"), g)
        if state.wikidata:
            yield Quad(node, SAME_AS, NamedNode(WD + state.wikidata), g)
    for org in gazetteer.organizations.values():
        node = org_iri(org.slug)
        yield Quad(node, A, kg("Organization"), g)
        yield Quad(node, LABEL, Literal(org.label, language="en"), g)
        for alias in sorted(set(org.aliases) - {org.label}):
            yield Quad(node, ALT_LABEL, Literal(alias, language="en"), g)
        if org.wikidata:
            yield Quad(node, SAME_AS, NamedNode(WD + org.wikidata), g)


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
