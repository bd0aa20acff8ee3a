"""Mapping records to RDF (``kg.rdf``): the quads of small extractions, built record by record,
compared by graph isomorphism with the Turtle the contract in ``ontology/`` asks for."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from kg.prefixes import PREFIXES
from kg.provenance import Extractor
from kg.rdf import extraction_quads, ingest_quads, source_iri
from kg.records import PHONE, VIRTUAL, Actor, Article, Extraction, LeaderRecord, MeetingRecord
from kg.records import ContributionType as T
from kg.records import PledgeRecord as Pledge
from kg.records import Stance as S

SOURCE = "0123456789abcdef"
ES, FR, DE, IT = (Actor("state", key) for key in ("ES", "FR", "DE", "IT"))
NATO = Actor("organization", "nato")
PROLOGUE = "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREFIXES.items())


def graph(quads: Iterable[ox.Quad], name: ox.NamedNode | None = None) -> Graph:
    """The triples of ``quads``, every one of which is in the graph ``name`` (by default the
    source's own)."""
    quads = list(quads)
    assert {q.graph_name for q in quads} == {name or source_iri(SOURCE)}
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data, format="nt")


def assert_isomorphic(found: Graph, turtle: str) -> None:
    """``found`` is the graph ``turtle`` describes (the project's prefixes declared)."""
    expected = Graph().parse(data=PROLOGUE + turtle, format="turtle")
    left, right = to_isomorphic(found), to_isomorphic(expected)
    if left != right:
        _, extra, missing = graph_diff(left, right)
        raise AssertionError(
            "graphs differ\nnot expected:\n"
            + "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in extra))
            + "\nmissing:\n"
            + "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in missing))
        )


def extraction(
    article: Article,
    *,
    leaders: tuple[LeaderRecord, ...] = (),
    pledges: tuple[Pledge, ...] = (),
    meetings: tuple[MeetingRecord, ...] = (),
    mentions: tuple[Actor, ...] = (),
) -> Extraction:
    """One source's extraction, its text the article's and reported on 4 March 2026."""
    return Extraction(
        SOURCE,
        article,
        article.text,
        "en",
        0,
        date(2026, 3, 4),
        leaders=leaders,
        pledges=pledges,
        meetings=meetings,
        mentions=mentions,
    )


def test_leaders_with_their_state_or_organization_role_and_wikidata() -> None:
    article = Article(
        "Spain will send troops.",
        "a.txt",
        url="https://example.org/news/spain",
        title="Spain and France",
        publisher="Example News",
        published=date(2026, 3, 4),
    )
    found = extraction(
        article,
        leaders=(
            LeaderRecord("Pedro Sánchez", ES, "Prime Minister", "Q291169"),
            LeaderRecord("Mark Rutte", NATO, None),
            LeaderRecord("Jane Doe", None, "Spokesperson"),
        ),
        mentions=(ES, NATO),
    )
    assert_isomorphic(
        graph(extraction_quads(found)),
        """
        source:0123456789abcdef a kg:Source, schema:NewsArticle ;
            kg:contentHash "20de708e6094ee7d6de067625c6b2e6abaab1d0216ad96deb9cafc1bae90d38c" ;
            dcterms:title "Spain and France" ;
            schema:url "https://example.org/news/spain" ;
            schema:publisher "Example News" ;
            schema:datePublished "2026-03-04"^^xsd:date ;
            kg:language "en" ;
            kg:passagesSkipped 0 ;
            kg:mentions state:ES, organization:nato .
        leader:pedro-sanchez a kg:Leader ;
            rdfs:label "Pedro Sánchez" ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:represents state:ES ;
            kg:role "Prime Minister" ;
            owl:sameAs wd:Q291169 .
        leader:mark-rutte a kg:Leader ;
            rdfs:label "Mark Rutte" ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:represents organization:nato .
        leader:jane-doe a kg:Leader ;
            rdfs:label "Jane Doe" ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:role "Spokesperson" .
        """,
    )


def test_pledges_with_stance_types_quantity_condition_and_dates() -> None:
    article = Article("Spain will send troops.\nNATO may pay.", "b.txt")
    found = extraction(
        article,
        pledges=(
            Pledge(
                ES,
                S.COMMITTED,
                (T.GROUND_TROOPS, T.TRAINING),
                "Spain will send 500 troops and trainers once a ceasefire holds.",
                0,
                announced_by="Pedro Sánchez",
                quantity="500 troops",
                condition="once a ceasefire holds",
                date=date(2026, 3, 2),
                confidence=0.95,
            ),
            Pledge(NATO, S.CONSIDERING, (T.FUNDING,), "NATO may pay.", 1, confidence=0.5),
            # a meeting the extraction does not hold is not linked
            Pledge(IT, S.DECLINED, (T.GROUND_TROOPS,), "Italy will not.", 2, meeting_key="gone"),
        ),
    )
    assert_isomorphic(
        graph(extraction_quads(found)),
        """
        source:0123456789abcdef a kg:Source, schema:NewsArticle ;
            kg:contentHash "f56acc0863e41fa27afe398672a3c18e5883a288f3a0fa111a744e60b1c68863" ;
            kg:opening "Spain will send troops." ;
            kg:referenceDate "2026-03-04"^^xsd:date ;
            kg:language "en" ;
            kg:passagesSkipped 0 .
        pledge:26fc4155f524387b a kg:Pledge ;
            kg:pledgedBy state:ES ;
            kg:stance kg:Committed ;
            kg:contributionType kg:GroundTroops, kg:Training ;
            kg:evidence "Spain will send 500 troops and trainers once a ceasefire holds." ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:announcedBy leader:pedro-sanchez ;
            kg:quantity "500 troops" ;
            kg:condition "once a ceasefire holds" ;
            kg:date "2026-03-02"^^xsd:date ;
            kg:datePrecision "day" ;
            kg:reportedOn "2026-03-04"^^xsd:date ;
            kg:confidence 0.95 .
        pledge:72d82a14a2bcfa7f a kg:Pledge ;
            kg:pledgedBy organization:nato ;
            kg:stance kg:Considering ;
            kg:contributionType kg:Funding ;
            kg:evidence "NATO may pay." ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:datePrecision "reported" ;
            kg:reportedOn "2026-03-04"^^xsd:date ;
            kg:confidence 0.5 .
        pledge:3042ad98fef007f0 a kg:Pledge ;
            kg:pledgedBy state:IT ;
            kg:stance kg:Declined ;
            kg:contributionType kg:GroundTroops ;
            kg:evidence "Italy will not." ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:datePrecision "reported" ;
            kg:reportedOn "2026-03-04"^^xsd:date .
        """,
    )


def test_meetings_with_participants_places_and_the_pledges_made_there() -> None:
    article = Article("Leaders met in Paris.", "c.txt", title="Paris summit")
    summit = MeetingRecord(
        "paris",
        "summit",
        "Paris",
        date(2026, 3, 2),
        "FR",
        (FR, ES, NATO),
        ("Emmanuel Macron",),
        ("Leaders met at the Elysee Palace in Paris on Monday.",),
        venue="Elysee Palace",
        confidence=0.9,
        place_precision="venue",
    )
    call = MeetingRecord(
        "call-1", "call", VIRTUAL, date(2026, 3, 3), None, (FR, DE), (), ("They spoke by video.",)
    )
    phone = MeetingRecord(
        "call-2", "call", PHONE, date(2026, 3, 3), None, (), (), ("A call took place.",)
    )
    talks = MeetingRecord("Talks 1", "meeting", None, None, None, (IT,), (), ("Talks went on.",))
    found = extraction(
        article,
        meetings=(summit, call, phone, talks),
        pledges=(
            Pledge(
                ES, S.COMMITTED, (T.MARITIME,), "Spain will send ships.", 3, meeting_key="paris"
            ),
        ),
    )
    assert_isomorphic(
        graph(extraction_quads(found)),
        """
        source:0123456789abcdef a kg:Source, schema:NewsArticle ;
            kg:contentHash "003fcc6ee22681e14a5bf652f9451d4ec237d9261c159318fd2989ae1f220ea0" ;
            dcterms:title "Paris summit" ;
            kg:referenceDate "2026-03-04"^^xsd:date ;
            kg:language "en" ;
            kg:passagesSkipped 0 .
        meeting:2026-03-02-paris a kg:Meeting ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:meetingKind "summit" ;
            rdfs:label "Summit in Paris on 2026-03-02" ;
            kg:location "Paris" ;
            kg:venue "Elysee Palace" ;
            kg:confidence 0.9 ;
            kg:placePrecision "venue" ;
            kg:date "2026-03-02"^^xsd:date ;
            kg:datePrecision "day" ;
            kg:hostState state:FR ;
            kg:participant state:FR, state:ES, organization:nato, leader:emmanuel-macron ;
            kg:evidence "Leaders met at the Elysee Palace in Paris on Monday." .
        meeting:2026-03-03-virtual-de-fr a kg:Meeting ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:meetingKind "call" ;
            rdfs:label "Call in virtual on 2026-03-03" ;
            kg:location "virtual" ;
            kg:date "2026-03-03"^^xsd:date ;
            kg:datePrecision "day" ;
            kg:participant state:FR, state:DE ;
            kg:evidence "They spoke by video." .
        meeting:2026-03-03-telephone-call-2 a kg:Meeting ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:meetingKind "call" ;
            rdfs:label "Call in telephone on 2026-03-03" ;
            kg:location "telephone" ;
            kg:date "2026-03-03"^^xsd:date ;
            kg:datePrecision "day" ;
            kg:evidence "A call took place." .
        meeting:0123456789abcdef-talks-1 a kg:Meeting ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:meetingKind "meeting" ;
            rdfs:label "Meeting" ;
            kg:reportedOn "2026-03-04"^^xsd:date ;
            kg:participant state:IT ;
            kg:evidence "Talks went on." .
        pledge:3c457684329bc8f2 a kg:Pledge ;
            kg:pledgedBy state:ES ;
            kg:stance kg:Committed ;
            kg:contributionType kg:Maritime ;
            kg:evidence "Spain will send ships." ;
            prov:wasDerivedFrom source:0123456789abcdef ;
            kg:datePrecision "reported" ;
            kg:reportedOn "2026-03-04"^^xsd:date ;
            kg:madeAt meeting:2026-03-02-paris .
        """,
    )


def test_evidence_is_verbatim_but_for_control_characters() -> None:
    article = Article("Spain will\x07 send ships.", "d.txt", title="Ships")
    found = extraction(
        article,
        pledges=(Pledge(ES, S.COMMITTED, (T.MARITIME,), "Spain will\x07 send ships.", 3),),
        meetings=(
            MeetingRecord(
                "m", "meeting", None, None, None, (), (), ("First “quoted” line.", "Second\tline.")
            ),
        ),
    )
    assert_isomorphic(
        graph(q for q in extraction_quads(found) if q.predicate.value.endswith("#evidence")),
        """
        pledge:3c457684329bc8f2 kg:evidence "Spain will  send ships." .
        meeting:0123456789abcdef-m kg:evidence "First “quoted” line.", "Second\\tline." .
        """,
    )


def test_provenance_of_an_ingest_where_when_and_by_which_extraction() -> None:
    src = source_iri(SOURCE)
    quads = ingest_quads(
        src,
        ["https://example.org/news/spain", "seeds/a.txt", "seeds/a.txt"],
        ["seeds/a.txt", "mirror/a.txt"],
        datetime(2026, 3, 4, 12, 30, 15, 999, tzinfo=UTC),
        Extractor("0.1.0+ab12", "en_core_web_sm", "3.8.0"),
    )
    assert_isomorphic(
        graph(quads, src),
        """
        source:0123456789abcdef
            kg:locator "https://example.org/news/spain", "seeds/a.txt" ;
            kg:inputPath "seeds/a.txt", "mirror/a.txt" ;
            prov:generatedAtTime "2026-03-04T12:30:15+00:00"^^xsd:dateTime ;
            prov:wasGeneratedBy extraction:0-1-0-ab12-en-core-web-sm-3-8-0 .
        extraction:0-1-0-ab12-en-core-web-sm-3-8-0 a prov:Activity ;
            rdfs:label "pledgekg 0.1.0+ab12 extraction with en_core_web_sm 3.8.0" ;
            kg:extractorVersion "0.1.0+ab12" ;
            kg:model "en_core_web_sm 3.8.0" .
        """,
    )


def test_a_graph_that_differs_is_not_isomorphic() -> None:
    """The comparison the tests above rest on tells graphs apart."""
    found = graph(
        ingest_quads(
            source_iri(SOURCE),
            ["seeds/a.txt"],
            [],
            datetime(2026, 3, 4, tzinfo=UTC),
            Extractor("1", "m", "2"),
        ),
        source_iri(SOURCE),
    )
    try:
        assert_isomorphic(found, 'source:0123456789abcdef kg:locator "seeds/b.txt" .')
    except AssertionError as error:
        assert '"seeds/b.txt"' in str(error) and '"seeds/a.txt"' in str(error)
    else:
        raise AssertionError("a different graph passed as isomorphic")
