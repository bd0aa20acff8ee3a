"""The response models of a list of resources of one kind (pledges, leaders, meetings,
sources), in the order given, from the describe cache, describing what they point to first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from api.models import ActorRef, LeaderPublic, MeetingPublic, PledgePublic, SourcePublic
from api.queries.described import Graph, source_fields
from api.queries.sparql import Props, chunks, select, value, values
from api.queries.terms import date, iris_of, label, score, text, texts, time, wikidata
from kg.records import ContributionType, Stance
from kg.store import GraphStore
from kg.vocab import DERIVED_FROM, GENERATED_AT, GENERATED_BY, concept_of, kg, local_id


def _pledge_refs(props: Props) -> set[str]:
    return {
        *(iris_of(props, kg("pledgedBy"))),
        *(iris_of(props, kg("announcedBy"))),
        *(iris_of(props, kg("madeAt"))),
        *(iris_of(props, DERIVED_FROM)),
    }


def pledge_models(store: GraphStore, graph: Graph, iris: Sequence[str]) -> list[PledgePublic]:
    """Pledge models for ``iris``, in that order."""
    graph.add(store, iris)
    graph.add(store, {r for i in iris for r in _pledge_refs(graph.of(i))})
    out = []
    for iri in iris:
        props = graph.of(iri)
        stances = [s for i in iris_of(props, kg("stance")) if (s := concept_of(Stance, i))]
        types = sorted(
            {
                t
                for i in iris_of(props, kg("contributionType"))
                if (t := concept_of(ContributionType, i))
            }
        )
        actors = iris_of(props, kg("pledgedBy"))
        out.append(
            PledgePublic(
                id=local_id(iri, "pledge"),
                iri=iri,
                actor=graph.actor(actors[0]) if actors else ActorRef(iri="", kind="other", name=""),
                stance=stances[0] if stances else None,
                types=types,
                quantity=text(props, kg("quantity")),
                condition=text(props, kg("condition")),
                confidence=score(props),
                date_precision=text(props, kg("datePrecision")),
                date=graph.when(iri),
                stated_date=date(props, kg("date")),
                reported_on=graph.reported(iri),
                evidence=texts(props, kg("evidence")),
                announced_by=[graph.actor(i) for i in iris_of(props, kg("announcedBy"))],
                made_at=[graph.meeting_ref(i) for i in iris_of(props, kg("madeAt"))],
                sources=[graph.source(i) for i in iris_of(props, DERIVED_FROM)],
            )
        )
    return out


def leader_models(store: GraphStore, graph: Graph, iris: Sequence[str]) -> list[LeaderPublic]:
    """Leader models for ``iris``, in that order."""
    graph.add(store, iris)
    graph.add(store, {r for i in iris for r in iris_of(graph.of(i), kg("represents"))})
    return [
        LeaderPublic(
            id=local_id(iri, "leader"),
            iri=iri,
            name=label(graph.of(iri), iri),
            roles=texts(graph.of(iri), kg("role")),
            represents=[graph.actor(a) for a in iris_of(graph.of(iri), kg("represents"))],
            wikidata=wikidata(graph.of(iri)),
        )
        for iri in iris
    ]


def meeting_models(store: GraphStore, graph: Graph, iris: Sequence[str]) -> list[MeetingPublic]:
    """Meeting models for ``iris``, in that order."""
    graph.add(store, iris)
    refs = {
        r
        for i in iris
        for p in (kg("participant"), kg("hostState"), DERIVED_FROM)
        for r in iris_of(graph.of(i), p)
    }
    graph.add(store, refs)
    out = []
    for iri in iris:
        props = graph.of(iri)
        participants = sorted(
            (graph.actor(a) for a in iris_of(props, kg("participant"))),
            key=lambda a: (a.kind, a.name.casefold(), a.iri),
        )
        out.append(
            MeetingPublic(
                id=local_id(iri, "meeting"),
                iri=iri,
                label=label(props, iri),
                kinds=texts(props, kg("meetingKind")),
                date=date(props, kg("date")),
                reported_on=date(props, kg("reportedOn")),
                locations=texts(props, kg("location")),
                confidence=score(props),
                place_precision=texts(props, kg("placePrecision")),
                hosts=[graph.actor(h) for h in iris_of(props, kg("hostState"))],
                participants=participants,
                evidence=texts(props, kg("evidence")),
                sources=[graph.source(s) for s in iris_of(props, DERIVED_FROM)],
            )
        )
    return out


def _source_counts(store: GraphStore, iris: Sequence[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    names = {kg(kind).value: f"{kind.lower()}s" for kind in ("Leader", "Pledge", "Meeting")}
    for chunk in chunks(iris):
        rows = select(
            store,
            f"SELECT ?g ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {values('g', chunk)} "
            "VALUES ?kind { kg:Leader kg:Pledge kg:Meeting } GRAPH ?g { ?x a ?kind } } "
            "GROUP BY ?g ?kind",
        )
        for row in rows:
            counts[value(row["g"])][names[value(row["kind"])]] = int(value(row["n"]))
    return counts


def source_models(store: GraphStore, graph: Graph, iris: Sequence[str]) -> list[SourcePublic]:
    """Source models for ``iris``, in that order, with how many facts each gave."""
    graph.add(store, iris)
    graph.add(store, {a for i in iris for a in iris_of(graph.of(i), GENERATED_BY)})
    counts = _source_counts(store, iris)
    out = []
    for iri in iris:
        props = graph.of(iri)
        found = counts.get(iri, {})
        versions = [
            v
            for a in iris_of(props, GENERATED_BY)
            for v in texts(graph.of(a), kg("extractorVersion"))
        ]
        out.append(
            SourcePublic(
                **source_fields(iri, props),
                locators=texts(props, kg("locator")),
                input_paths=texts(props, kg("inputPath")),
                ingested_at=time(props, GENERATED_AT),
                extractor_version="; ".join(versions) or None,
                language=text(props, kg("language")),
                leaders=found.get("leaders", 0),
                pledges=found.get("pledges", 0),
                meetings=found.get("meetings", 0),
            )
        )
    return out
