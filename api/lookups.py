"""The read-only SPARQL behind the REST API, and the assembly of its answers into response
models.

Parameters never enter SPARQL text as strings: every IRI or literal is built as a pyoxigraph
term (which checks and escapes it) and bound with ``VALUES`` or written in place in its
N-Triples form. The union default graph is a
bag (a triple in two graphs comes back twice), so every query says ``DISTINCT``, and joins
over leaders and meetings, which every source restates, join distinct sub-selects
(``kg.rdf.distinct``).

>>> values("s", [NamedNode("https://w3id.org/pledgekg/id/state/ES")])
'VALUES ?s { <https://w3id.org/pledgekg/id/state/ES> }'
>>> local_id("https://w3id.org/pledgekg/id/leader/pedro-sanchez", "leader")
'pedro-sanchez'
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from typing import Literal as Kind

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple

from api.models import (
    ActorRef,
    ContributionTypeName,
    CountriesPublic,
    CountryDetailPublic,
    CountryPublic,
    DateSource,
    LeaderDetailPublic,
    LeaderPublic,
    LeadersPublic,
    MeetingDetailPublic,
    MeetingPublic,
    MeetingRef,
    MeetingsPublic,
    PledgePublic,
    PledgesPublic,
    PositionPublic,
    SourceDetailPublic,
    SourcePublic,
    SourceRef,
    SourcesPublic,
    StanceName,
    StanceReportPublic,
)
from kg.prefixes import DCTERMS, KG, KGR, OWL, PROV, RDF, RDFS, SCHEMA, SPARQL_PREFIXES
from kg.rdf import distinct
from kg.store import GraphStore
from kg.timeline import known_by, positions, stance_timeline

Term = NamedNode | BlankNode | Literal | Triple
Props = dict[str, list[Term]]

TYPE = RDF + "type"
LABEL = RDFS + "label"
SAME_AS = OWL + "sameAs"
DERIVED = PROV + "wasDerivedFrom"
TITLE = DCTERMS + "title"
URL = SCHEMA + "url"
PUBLISHER = SCHEMA + "publisher"
PUBLISHED = SCHEMA + "datePublished"
REFERENCE_DATE = KG + "referenceDate"
REPORTED = KG + "reportedOn"
GENERATED_AT = PROV + "generatedAtTime"
GENERATED_BY = PROV + "wasGeneratedBy"
WIKIDATA = "http://www.wikidata.org/entity/"
CHUNK = 200
SOURCE_LINKS = "kg:pledgedBy kg:represents kg:participant kg:mentions"


def values(var: str, terms: Iterable[Term]) -> str:
    """A VALUES block binding ``?var`` to terms written by pyoxigraph (escaped, validated)."""
    return f"VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }}"


def value(term: Term) -> str:
    """The IRI, lexical form or blank node id of a term (a triple term's N-Triples form)."""
    return str(term) if isinstance(term, Triple) else term.value


def kg(local: str) -> NamedNode:
    return NamedNode(KG + local)


def local_id(iri: str, kind: str) -> str | None:
    """The part of a resource IRI after ``kgr:{kind}/``, the id the REST paths use."""
    prefix = f"{KGR}{kind}/"
    return iri[len(prefix) :] if iri.startswith(prefix) and len(iri) > len(prefix) else None


def resource_iri(kind: str, ident: str) -> NamedNode:
    """The IRI of ``kgr:{kind}/{ident}``; ``ident`` is validated by the route."""
    return NamedNode(f"{KGR}{kind}/{ident}")


def select(store: GraphStore, sparql: str) -> list[dict[str, Term]]:
    """Rows of a SELECT over the union of all graphs, unbound variables left out."""
    result = store.query(SPARQL_PREFIXES + sparql)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    rows: list[dict[str, Term]] = []
    for solution in result:
        rows.append({n: t for n, t in zip(names, solution, strict=False) if t is not None})
    return rows


def describe(store: GraphStore, iris: Iterable[str]) -> dict[str, Props]:
    """Every (distinct) property value of each resource, in a stable order."""
    wanted = sorted(set(iris))
    found: dict[str, Props] = {iri: defaultdict(list) for iri in wanted}
    for start in range(0, len(wanted), CHUNK):
        chunk = [NamedNode(i) for i in wanted[start : start + CHUNK]]
        rows = select(store, f"SELECT DISTINCT ?s ?p ?o WHERE {{ {values('s', chunk)} ?s ?p ?o }}")
        for row in rows:
            subject, predicate, obj = row["s"], row["p"], row["o"]
            assert isinstance(subject, NamedNode) and isinstance(predicate, NamedNode)
            found[subject.value][predicate.value].append(obj)
    for props in found.values():
        for key in props:
            props[key] = sorted(set(props[key]), key=str)
    return found


def iris_of(props: Props, predicate: str) -> list[str]:
    """The IRIs among a resource's values for ``predicate``."""
    return [t.value for t in props.get(predicate, []) if isinstance(t, NamedNode)]


def _texts(props: Props, predicate: str) -> list[str]:
    return sorted({t.value for t in props.get(predicate, []) if isinstance(t, Literal)})


def _text(props: Props, predicate: str) -> str | None:
    texts = _texts(props, predicate)
    return "; ".join(texts) if texts else None


def _score(props: Props) -> float | None:
    """The highest confidence any source's graph gives a fact."""
    scores = []
    for text in _texts(props, KG + "confidence"):
        try:
            scores.append(float(text))
        except ValueError:
            continue
    return max(scores) if scores else None


def _date(props: Props, predicate: str) -> dt.date | None:
    dates = []
    for text in _texts(props, predicate):
        try:
            dates.append(dt.date.fromisoformat(text[:10]))
        except ValueError:
            continue
    return max(dates) if dates else None


def label(props: Props, fallback: str) -> str:
    """The English (or untagged, or any) ``rdfs:label``, else ``fallback``."""
    labels = [t for t in props.get(LABEL, []) if isinstance(t, Literal)]
    for wanted in ("en", None):
        for term in labels:
            if (term.language or None) == wanted or (
                wanted == "en" and (term.language or "").lower().startswith("en-")
            ):
                return term.value
    return labels[0].value if labels else fallback


def _has_type(props: Props, local: str) -> bool:
    return KG + local in iris_of(props, TYPE)


def _wikidata(props: Props) -> str | None:
    return next((i for i in iris_of(props, SAME_AS) if i.startswith(WIKIDATA)), None)


@dataclass
class Graph:
    """Described resources, and the refs built from them."""

    props: dict[str, Props] = field(default_factory=dict)

    def add(self, store: GraphStore, iris: Iterable[str]) -> None:
        missing = {i for i in iris if i not in self.props}
        if missing:
            self.props.update(describe(store, missing))

    def of(self, iri: str) -> Props:
        return self.props.get(iri) or {}

    def actor(self, iri: str) -> ActorRef:
        props = self.of(iri)
        kind: Kind["state", "organization", "leader", "other"]
        if (code := local_id(iri, "state")) is not None:
            kind, ident = "state", _text(props, KG + "isoCode") or code
        elif (slug := local_id(iri, "org")) is not None:
            kind, ident = "organization", slug
        elif (slug := local_id(iri, "leader")) is not None:
            kind, ident = "leader", slug
        else:
            kind, ident = "other", None
        return ActorRef(iri=iri, kind=kind, id=ident, name=label(props, ident or iri))

    def source(self, iri: str) -> SourceRef:
        props = self.of(iri)
        return SourceRef(**source_fields(iri, props))

    def meeting_ref(self, iri: str) -> MeetingRef:
        props = self.of(iri)
        return MeetingRef(
            id=local_id(iri, "meeting"),
            iri=iri,
            label=label(props, iri),
            date=_date(props, KG + "date"),
        )

    def reported(self, pledge: str) -> dt.date | None:
        """The date a pledge was reported on: its article's date."""
        props = self.of(pledge)
        dates = [d for s in iris_of(props, DERIVED) if (d := source_date(self.of(s))[0])]
        return _date(props, REPORTED) or (max(dates) if dates else None)

    def when(self, pledge: str) -> dt.date | None:
        """The date a pledge is listed under: its own, else the date it was reported on."""
        return _date(self.of(pledge), KG + "date") or self.reported(pledge)


def source_date(props: Props) -> tuple[dt.date | None, DateSource | None]:
    """A source's date and where it comes from: published, else the latest its text states."""
    published = _date(props, PUBLISHED)
    if published:
        return published, "published"
    stated = _date(props, REFERENCE_DATE)
    return (stated, "text") if stated else (None, None)


def source_fields(iri: str, props: Props) -> dict[str, Any]:
    """What a source reference says of a source: names, locator and date."""
    title = _text(props, TITLE)
    locators = _texts(props, KG + "locator")
    opening = _text(props, KG + "opening")
    date, basis = source_date(props)
    label = title or (f"\u201c{opening}\u201d" if opening else None)
    return {
        "id": local_id(iri, "source"),
        "iri": iri,
        "title": title,
        "label": label or (locators[0] if locators else "Untitled article"),
        "url": _text(props, URL),
        "locator": locators[0] if locators else None,
        "publisher": _text(props, PUBLISHER),
        "date": date,
        "date_source": basis,
    }


def _newest_first(items: Iterable[tuple[dt.date | None, str]]) -> list[str]:
    """IRIs newest first, undated last, ties by IRI."""
    listed = list(items)
    dated = sorted(
        ((d, i) for d, i in listed if d is not None), key=lambda e: (-e[0].toordinal(), e[1])
    )
    undated = sorted(i for d, i in listed if d is None)
    return [iri for _, iri in dated] + undated


def _pledge_refs(props: Props) -> set[str]:
    return {
        *(iris_of(props, KG + "pledgedBy")),
        *(iris_of(props, KG + "announcedBy")),
        *(iris_of(props, KG + "madeAt")),
        *(iris_of(props, DERIVED)),
    }


def pledges(store: GraphStore, graph: Graph, iris: Sequence[str]) -> list[PledgePublic]:
    """Pledge models for ``iris``, in that order."""
    graph.add(store, iris)
    graph.add(store, {r for i in iris for r in _pledge_refs(graph.of(i))})
    out = []
    for iri in iris:
        props = graph.of(iri)
        stances = [local for i in iris_of(props, KG + "stance") if (local := i.removeprefix(KG))]
        stance = next((StanceName(s) for s in stances if s in StanceName._value2member_map_), None)
        types = sorted(
            {
                ContributionTypeName(t)
                for i in iris_of(props, KG + "contributionType")
                if (t := i.removeprefix(KG)) in ContributionTypeName._value2member_map_
            }
        )
        actors = iris_of(props, KG + "pledgedBy")
        out.append(
            PledgePublic(
                id=local_id(iri, "pledge"),
                iri=iri,
                actor=graph.actor(actors[0]) if actors else ActorRef(iri="", kind="other", name=""),
                stance=stance,
                types=types,
                quantity=_text(props, KG + "quantity"),
                condition=_text(props, KG + "condition"),
                confidence=_score(props),
                date_precision=_text(props, KG + "datePrecision"),
                date=graph.when(iri),
                stated_date=_date(props, KG + "date"),
                reported_on=graph.reported(iri),
                evidence=_texts(props, KG + "evidence"),
                announced_by=[graph.actor(i) for i in iris_of(props, KG + "announcedBy")],
                made_at=[graph.meeting_ref(i) for i in iris_of(props, KG + "madeAt")],
                sources=[graph.source(i) for i in iris_of(props, DERIVED)],
            )
        )
    return out


def leaders(store: GraphStore, graph: Graph, iris: Sequence[str]) -> list[LeaderPublic]:
    graph.add(store, iris)
    graph.add(store, {r for i in iris for r in iris_of(graph.of(i), KG + "represents")})
    return [
        LeaderPublic(
            id=local_id(iri, "leader"),
            iri=iri,
            name=label(graph.of(iri), iri),
            roles=_texts(graph.of(iri), KG + "role"),
            represents=[graph.actor(a) for a in iris_of(graph.of(iri), KG + "represents")],
            wikidata=_wikidata(graph.of(iri)),
        )
        for iri in iris
    ]


def meetings(store: GraphStore, graph: Graph, iris: Sequence[str]) -> list[MeetingPublic]:
    graph.add(store, iris)
    refs = {
        r
        for i in iris
        for p in (KG + "participant", KG + "hostState", DERIVED)
        for r in iris_of(graph.of(i), p)
    }
    graph.add(store, refs)
    out = []
    for iri in iris:
        props = graph.of(iri)
        participants = sorted(
            (graph.actor(a) for a in iris_of(props, KG + "participant")),
            key=lambda a: (a.kind, a.name.casefold(), a.iri),
        )
        out.append(
            MeetingPublic(
                id=local_id(iri, "meeting"),
                iri=iri,
                label=label(props, iri),
                kinds=_texts(props, KG + "meetingKind"),
                date=_date(props, KG + "date"),
                reported_on=_date(props, REPORTED),
                locations=_texts(props, KG + "location"),
                confidence=_score(props),
                place_precision=_texts(props, KG + "placePrecision"),
                hosts=[graph.actor(h) for h in iris_of(props, KG + "hostState")],
                participants=participants,
                evidence=_texts(props, KG + "evidence"),
                sources=[graph.source(s) for s in iris_of(props, DERIVED)],
            )
        )
    return out


def _source_counts(store: GraphStore, iris: Sequence[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    names = {KG + "Leader": "leaders", KG + "Pledge": "pledges", KG + "Meeting": "meetings"}
    for start in range(0, len(iris), CHUNK):
        chunk = [NamedNode(i) for i in iris[start : start + CHUNK]]
        rows = select(
            store,
            f"SELECT ?g ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {values('g', chunk)} "
            "VALUES ?kind { kg:Leader kg:Pledge kg:Meeting } GRAPH ?g { ?x a ?kind } } "
            "GROUP BY ?g ?kind",
        )
        for row in rows:
            counts[value(row["g"])][names[value(row["kind"])]] = int(value(row["n"]))
    return counts


def sources(store: GraphStore, graph: Graph, iris: Sequence[str]) -> list[SourcePublic]:
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
            for v in _texts(graph.of(a), KG + "extractorVersion")
        ]
        out.append(
            SourcePublic(
                **source_fields(iri, props),
                locators=_texts(props, KG + "locator"),
                input_paths=_texts(props, KG + "inputPath"),
                ingested_at=_time(props, GENERATED_AT),
                extractor_version="; ".join(versions) or None,
                language=_text(props, KG + "language"),
                leaders=found.get("leaders", 0),
                pledges=found.get("pledges", 0),
                meetings=found.get("meetings", 0),
            )
        )
    return out


def _time(props: Props, predicate: str) -> dt.datetime | None:
    times = []
    for text in _texts(props, predicate):
        try:
            times.append(dt.datetime.fromisoformat(text))
        except ValueError:
            continue
    return max(times) if times else None


# Leaders --------------------------------------------------------------------------------


def unknown_leader_message(store: GraphStore, slug: str) -> str:
    """The 404 text for a slug that names no leader, with the leaders whose slug or surname
    looks like it."""
    rows = select(
        store, "SELECT DISTINCT ?x ?name WHERE { ?x a kg:Leader OPTIONAL { ?x rdfs:label ?name } }"
    )
    names: dict[str, str] = {}
    for row in rows:
        ident = local_id(value(row["x"]), "leader")
        if ident is not None:
            name = value(row["name"]) if "name" in row else ident
            names[ident] = min(names.get(ident, name), name)
    keys: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(names):
        keys[ident].append(ident)
        keys[ident.rsplit("-", 1)[-1]].append(ident)
    found: list[str] = []
    for key in difflib.get_close_matches(slug, list(keys), n=10, cutoff=0.6):
        found.extend(i for i in keys[key] if i not in found)
    if not found:
        return f"no leader {slug!r}; GET /leaders lists them all"
    listed = ", ".join(f"{i} ({names[i]})" for i in found[:5])
    return f"no leader {slug!r}; close matches: {listed}"


# States ---------------------------------------------------------------------------------


def _key(text: str) -> str:
    """Case- and accent-insensitive form of a code or name.

    >>> _key("  Türkiye ") == _key("turkiye")
    True
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class StateEntry:
    iri: str
    code: str
    alpha3: str | None
    name: str


@dataclass
class StateIndex:
    """Every state in the graph, found by alpha-2, alpha-3 or English name in any case."""

    states: dict[str, StateEntry] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def load(store: GraphStore) -> StateIndex:
        rows = select(
            store,
            "SELECT DISTINCT ?state ?code ?a3 ?name ?rank WHERE { ?state a kg:State ; "
            "kg:isoCode ?code . OPTIONAL { ?state kg:alpha3Code ?a3 } "
            "OPTIONAL { { ?state rdfs:label ?name BIND(1 AS ?rank) } UNION "
            "{ ?state skos:altLabel ?name BIND(2 AS ?rank) } } }",
        )
        names: dict[str, list[tuple[int, str]]] = defaultdict(list)
        index = StateIndex()
        entries: dict[str, tuple[str, str | None]] = {}
        for row in rows:
            iri = value(row["state"])
            entries[iri] = (value(row["code"]), value(row["a3"]) if "a3" in row else None)
            term = row.get("name")
            if isinstance(term, Literal):
                english = (term.language or "en").lower().startswith("en")
                rank = int(value(row["rank"])) + (0 if english else 2)
                names[iri].append((rank, term.value))
        for iri, (code, alpha3) in sorted(entries.items(), key=lambda e: e[1][0]):
            ordered = [n for _, n in sorted(names[iri])]
            index.states[iri] = StateEntry(iri, code, alpha3, ordered[0] if ordered else code)
        # codes outrank names, and preferred names outrank alternatives, when keys collide
        for iri, entry in index.states.items():
            index.keys.setdefault(_key(entry.code), iri)
        for iri, entry in index.states.items():
            if entry.alpha3:
                index.keys.setdefault(_key(entry.alpha3), iri)
        for rank in (1, 2, 3, 4):
            for iri in index.states:
                for item_rank, name in sorted(names[iri]):
                    if item_rank == rank:
                        index.keys.setdefault(_key(name), iri)
        return index

    def find(self, text: str) -> StateEntry | None:
        iri = self.keys.get(_key(text))
        return self.states[iri] if iri else None

    def close_matches(self, text: str, n: int = 5) -> list[StateEntry]:
        """States whose code or names look like ``text``."""
        found = difflib.get_close_matches(_key(text), list(self.keys), n=n * 3, cutoff=0.6)
        out: list[StateEntry] = []
        for key in found:
            entry = self.states[self.keys[key]]
            if entry not in out:
                out.append(entry)
        return out[:n]


def unknown_country_message(index: StateIndex, text: str) -> str:
    """The 404 text for a code or name that names no state, with close matches."""
    shown = text if len(text) <= 80 else text[:80] + "..."
    matches = index.close_matches(text)
    if not matches:
        return (
            f"no country matches {shown!r}; use an ISO 3166-1 alpha-2 or alpha-3 code "
            "or an English name"
        )
    listed = ", ".join(f"{m.code} ({m.name})" for m in matches)
    return f"no country matches {shown!r}; close matches: {listed}"


def _state_branches(state: str) -> list[tuple[str, str]]:
    """``(kind, pattern)`` pairs, each pattern binding ``?x`` to a leader, pledge or meeting of
    ``state``: a state's IRI written by pyoxigraph (a constant makes each pattern an index
    lookup; the engine does not push a binding from outside into UNION branches), or
    ``?state``, which the patterns then bind too. Meetings come twice: those the state took
    part in, and those one of its leaders did."""
    keep = " ?state" if state == "?state" else ""
    leaders_of = distinct(f"?leader{keep}", f"?leader kg:represents {state}")
    return [
        (
            "leader",
            distinct(f"?x{keep}", f"?x kg:represents {state}")
            + " FILTER EXISTS { ?x a kg:Leader }",
        ),
        ("pledge", f"?x kg:pledgedBy {state} . FILTER EXISTS {{ ?x a kg:Pledge }}"),
        (
            "meeting",
            distinct(f"?x{keep}", f"?x kg:participant {state}")
            + " FILTER EXISTS { ?x a kg:Meeting }",
        ),
        (
            "meeting",
            distinct(
                f"?x{keep}",
                f"{leaders_of} ?x kg:participant ?leader . FILTER EXISTS {{ ?leader a kg:Leader }}",
            )
            + " FILTER EXISTS { ?x a kg:Meeting }",
        ),
    ]


def _union(branches: Iterable[tuple[str, str]], suffix: str = "") -> str:
    """The patterns as one UNION, each binding ``?kind`` to its kind (plus ``suffix``)."""
    return " UNION ".join(
        f'{{ {pattern} BIND("{kind}{suffix}" AS ?kind) }}' for kind, pattern in branches
    )


def _state_iri(state: str) -> str:
    """A state's IRI as SPARQL text, written by pyoxigraph (validated)."""
    return str(NamedNode(state))


def state_counts(store: GraphStore, states: Sequence[str]) -> dict[str, dict[str, int]]:
    """Distinct leaders, pledges and meetings per state (meetings directly or via a leader)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    bind = values("state", [NamedNode(s) for s in states])
    branches = _union(_state_branches("?state"), "s")
    rows = select(
        store,
        f"SELECT ?state ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {bind} {branches} }} "
        "GROUP BY ?state ?kind",
    )
    for row in rows:
        counts[value(row["state"])][value(row["kind"])] = int(value(row["n"]))
    return counts


def country(
    store: GraphStore, index: StateIndex, iri: str, counts: dict[str, int]
) -> CountryPublic:
    entry = index.states[iri]
    props = describe(store, [iri])[iri]
    return CountryPublic(
        code=entry.code,
        alpha3=entry.alpha3,
        name=entry.name,
        iri=iri,
        wikidata=_wikidata(props),
        leaders=counts.get("leaders", 0),
        pledges=counts.get("pledges", 0),
        meetings=counts.get("meetings", 0),
    )


def countries_in_sources(store: GraphStore) -> list[str]:
    """States that some source graph points to, by ISO code."""
    rows = select(
        store,
        "SELECT DISTINCT ?state ?code WHERE { GRAPH ?g { ?g a kg:Source . ?x ?rel ?state . "
        f"VALUES ?rel {{ {SOURCE_LINKS} }} }} ?state a kg:State ; kg:isoCode ?code }}",
    )
    return [
        value(r["state"]) for r in sorted(rows, key=lambda r: (value(r["code"]), value(r["state"])))
    ]


def country_members(store: GraphStore, state: str) -> dict[str, list[str]]:
    """The leaders, pledges, meetings and sources of one state."""
    iri = _state_iri(state)
    sources = f"GRAPH ?x {{ ?x a kg:Source . ?y ?rel {iri} . VALUES ?rel {{ {SOURCE_LINKS} }} }}"
    branches = _union([*_state_branches(iri), ("source", sources)])
    rows = select(store, f"SELECT DISTINCT ?kind ?x WHERE {{ {branches} }}")
    members: dict[str, list[str]] = {"leader": [], "pledge": [], "meeting": [], "source": []}
    for row in rows:
        members[value(row["kind"])].append(value(row["x"]))
    return members


def order_leaders(graph: Graph, iris: Iterable[str]) -> list[str]:
    return sorted(set(iris), key=lambda i: (label(graph.of(i), i).casefold(), i))


def order_pledges(graph: Graph, iris: Iterable[str]) -> list[str]:
    return _newest_first((graph.when(i), i) for i in set(iris))


def order_dated(graph: Graph, iris: Iterable[str], predicate: str) -> list[str]:
    return _newest_first((_date(graph.of(i), predicate), i) for i in set(iris))


def pledge_candidates(
    store: GraphStore,
    actor: str | None,
    stance: StanceName | None,
    kind: ContributionTypeName | None,
) -> dict[str, dt.date | None]:
    """Pledges matching the filters, with the date each is listed under (its own date, else
    the date it was reported on, else its article's)."""
    patterns = ["?p a kg:Pledge ."]
    if actor:
        patterns.append(f"{values('actor', [NamedNode(actor)])} ?p kg:pledgedBy ?actor .")
    if stance:
        patterns.append(f"{values('stance', [kg(stance.value)])} ?p kg:stance ?stance .")
    if kind:
        patterns.append(f"{values('type', [kg(kind.value)])} ?p kg:contributionType ?type .")
    rows = select(
        store,
        f"SELECT DISTINCT ?p ?d ?r ?pub WHERE {{ {' '.join(patterns)} "
        "OPTIONAL { ?p kg:date ?d } OPTIONAL { ?p kg:reportedOn ?r } "
        "OPTIONAL { ?p prov:wasDerivedFrom ?src . "
        "?src schema:datePublished|kg:referenceDate ?pub } }",
    )
    found: dict[str, dict[str, list[dt.date]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        dates = found[value(row["p"])]
        for name in ("d", "r", "pub"):
            if name in row:
                try:
                    dates[name].append(dt.date.fromisoformat(value(row[name])[:10]))
                except ValueError:
                    pass
    return {
        iri: next((max(dates[n]) for n in ("d", "r", "pub") if dates[n]), None)
        for iri, dates in found.items()
    }


def ordered_by_date(dates: dict[str, dt.date | None]) -> list[str]:
    """Newest first, undated last, ties by IRI."""
    return _newest_first((d, i) for i, d in dates.items())


def typed(
    store: GraphStore, kind: str, actor: str | None = None
) -> dict[str, tuple[dt.date | None, str]]:
    """Every ``kg:{kind}`` (Leader, Meeting, Source) with its newest date and its first label,
    optionally only those of one state."""
    if kind == "Source":
        pattern = "GRAPH ?x { ?x a kg:Source }"
    elif actor:
        branches = _state_branches(_state_iri(actor))
        chosen = [pattern for found, pattern in branches if found == kind.lower()]
        pattern = " UNION ".join(f"{{ {p} }}" for p in chosen)
    else:
        pattern = f"?x a kg:{kind}"
    dated = [PUBLISHED, REFERENCE_DATE] if kind == "Source" else [KG + "date"]
    wanted = [*(NamedNode(d) for d in dated), NamedNode(LABEL)]
    rows = select(
        store,
        f"SELECT DISTINCT ?x ?p ?o WHERE {{ {distinct('?x', pattern)} "
        f"OPTIONAL {{ {values('p', wanted)} ?x ?p ?o }} }}",
    )
    dates: dict[str, list[dt.date]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        iri = value(row["x"])
        dates[iri]
        if "o" not in row:
            continue
        text = value(row["o"])
        if value(row["p"]) == LABEL:
            names[iri].append(text)
            continue
        try:
            dates[iri].append(dt.date.fromisoformat(text[:10]))
        except ValueError:
            pass
    return {
        iri: (max(found) if found else None, min(names[iri]) if names[iri] else iri)
        for iri, found in dates.items()
    }


def source_members(store: GraphStore, source: str) -> dict[str, list[str]]:
    """The leaders, pledges and meetings extracted from one source."""
    rows = select(
        store,
        f"SELECT DISTINCT ?kind ?x WHERE {{ {values('g', [NamedNode(source)])} "
        "VALUES ?kind { kg:Leader kg:Pledge kg:Meeting } GRAPH ?g { ?x a ?kind } }",
    )
    members: dict[str, list[str]] = {"Leader": [], "Pledge": [], "Meeting": []}
    for row in rows:
        members[value(row["kind"]).removeprefix(KG)].append(value(row["x"]))
    return members


def related(store: GraphStore, subject: str, predicate: str, kind: str) -> list[str]:
    """The distinct ``kg:{kind}`` resources ``?x`` with ``?x predicate subject``."""
    link = f"{values('s', [NamedNode(subject)])} ?x {predicate} ?s"
    rows = select(
        store,
        f"SELECT ?x WHERE {{ {distinct('?x', link)} FILTER EXISTS {{ ?x a kg:{kind} }} }}",
    )
    return [value(r["x"]) for r in rows]


def is_a(graph: Graph, iri: str, local: str) -> bool:
    return _has_type(graph.of(iri), local)


def mentions(graph: Graph, source: str) -> list[ActorRef]:
    refs = [graph.actor(i) for i in iris_of(graph.of(source), KG + "mentions")]
    return sorted(refs, key=lambda a: (a.kind, a.name.casefold(), a.iri))


def mentioned_iris(graph: Graph, source: str) -> list[str]:
    return iris_of(graph.of(source), KG + "mentions")


# Documents ------------------------------------------------------------------------------


def country_detail(
    store: GraphStore, index: StateIndex, iri: str, as_of: dt.date | None = None
) -> CountryDetailPublic:
    """Everything about one state, each list in a stable order, with its stance on each type
    over time; with ``as_of``, its pledges and stances by what had been reported by then."""
    members = country_members(store, iri)
    if as_of is not None:
        members["pledge"] = sorted(known_by(store, as_of, members["pledge"]))
    timeline = stance_timeline(store, iri, as_of)
    counts = {f"{kind}s": len(members[kind]) for kind in ("leader", "pledge", "meeting")}
    graph = Graph()
    graph.add(store, [m for found in members.values() for m in found])
    graph.add(store, {s for p in members["pledge"] for s in iris_of(graph.of(p), DERIVED)})
    return CountryDetailPublic(
        country=country(store, index, iri, counts),
        leaders=leaders(store, graph, order_leaders(graph, members["leader"])),
        pledges=pledges(store, graph, order_pledges(graph, members["pledge"])),
        meetings=meetings(store, graph, order_dated(graph, members["meeting"], KG + "date")),
        sources=sources(store, graph, order_dated(graph, members["source"], PUBLISHED)),
        as_of=as_of,
        positions=[
            PositionPublic(
                type=ContributionTypeName(p.kind),
                stances=[StanceName(x) for x in p.stances],
                since=p.since,
                sources=p.sources,
            )
            for p in positions(timeline)
            if p.kind in ContributionTypeName._value2member_map_
        ],
        stance_timeline=[
            StanceReportPublic(
                type=ContributionTypeName(r.kind),
                date=r.day,
                stance=StanceName(r.stance),
                sources=r.sources,
            )
            for r in timeline
            if r.kind in ContributionTypeName._value2member_map_
            and r.stance in StanceName._value2member_map_
        ],
    )


def countries_page(
    store: GraphStore, index: StateIndex, limit: int, offset: int
) -> CountriesPublic:
    iris = [i for i in countries_in_sources(store) if i in index.states]
    page = iris[offset : offset + limit]
    counts = state_counts(store, page) if page else {}
    data = [country(store, index, iri, counts.get(iri, {})) for iri in page]
    return CountriesPublic(limit=limit, offset=offset, total=len(iris), data=data)


def leaders_page(store: GraphStore, actor: str | None, limit: int, offset: int) -> LeadersPublic:
    found = typed(store, "Leader", actor)
    ordered = sorted(found, key=lambda i: (found[i][1].casefold(), i))
    page = ordered[offset : offset + limit]
    return LeadersPublic(
        limit=limit, offset=offset, total=len(ordered), data=leaders(store, Graph(), page)
    )


def meetings_page(store: GraphStore, actor: str | None, limit: int, offset: int) -> MeetingsPublic:
    found = typed(store, "Meeting", actor)
    ordered = _newest_first((when, iri) for iri, (when, _) in found.items())
    page = ordered[offset : offset + limit]
    return MeetingsPublic(
        limit=limit, offset=offset, total=len(ordered), data=meetings(store, Graph(), page)
    )


def sources_page(store: GraphStore, limit: int, offset: int) -> SourcesPublic:
    found = typed(store, "Source")
    ordered = _newest_first((when, iri) for iri, (when, _) in found.items())
    page = ordered[offset : offset + limit]
    return SourcesPublic(
        limit=limit, offset=offset, total=len(ordered), data=sources(store, Graph(), page)
    )


def pledges_page(
    store: GraphStore,
    actor: str | None,
    stance: StanceName | None,
    kind: ContributionTypeName | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    offset: int,
    as_of: dt.date | None = None,
) -> PledgesPublic:
    """Pledges matching the filters, newest first (by the pledge's date, else its article's);
    ``since`` / ``until`` (inclusive) leave out pledges with no date at all; ``as_of`` keeps
    the pledges reported on or before that day (:func:`kg.timeline.known_by`)."""
    dates = pledge_candidates(store, actor, stance, kind)
    if as_of is not None:
        known = known_by(store, as_of, dates)
        dates = {iri: when for iri, when in dates.items() if iri in known}
    if since or until:
        dates = {
            iri: when
            for iri, when in dates.items()
            if when is not None and (not since or when >= since) and (not until or when <= until)
        }
    ordered = ordered_by_date(dates)
    page = ordered[offset : offset + limit]
    return PledgesPublic(
        limit=limit, offset=offset, total=len(ordered), data=pledges(store, Graph(), page)
    )


def leader_detail(store: GraphStore, iri: str) -> LeaderDetailPublic | None:
    graph = Graph()
    graph.add(store, [iri])
    if not is_a(graph, iri, "Leader"):
        return None
    announced = related(store, iri, "kg:announcedBy", "Pledge")
    attended = related(store, iri, "kg:participant", "Meeting")
    graph.add(store, [*announced, *attended])
    graph.add(store, {s for p in announced for s in iris_of(graph.of(p), DERIVED)})
    return LeaderDetailPublic(
        leader=leaders(store, graph, [iri])[0],
        pledges=pledges(store, graph, order_pledges(graph, announced)),
        meetings=meetings(store, graph, order_dated(graph, attended, KG + "date")),
        sources=sources(
            store, graph, order_dated(graph, iris_of(graph.of(iri), DERIVED), PUBLISHED)
        ),
    )


def pledge_detail(store: GraphStore, iri: str) -> PledgePublic | None:
    """One pledge with its state, stance, types, dates, evidence, meeting and sources."""
    graph = Graph()
    graph.add(store, [iri])
    if not is_a(graph, iri, "Pledge"):
        return None
    return pledges(store, graph, [iri])[0]


def meeting_detail(store: GraphStore, iri: str) -> MeetingDetailPublic | None:
    graph = Graph()
    graph.add(store, [iri])
    if not is_a(graph, iri, "Meeting"):
        return None
    made = related(store, iri, "kg:madeAt", "Pledge")
    graph.add(store, made)
    graph.add(store, {s for p in made for s in iris_of(graph.of(p), DERIVED)})
    return MeetingDetailPublic(
        meeting=meetings(store, graph, [iri])[0],
        pledges=pledges(store, graph, order_pledges(graph, made)),
    )


def source_detail(store: GraphStore, iri: str) -> SourceDetailPublic | None:
    if not store.has_graph(NamedNode(iri)):
        return None
    graph = Graph()
    graph.add(store, [iri])
    if not is_a(graph, iri, "Source"):
        return None
    members = source_members(store, iri)
    graph.add(
        store, [*mentioned_iris(graph, iri), *(m for found in members.values() for m in found)]
    )
    return SourceDetailPublic(
        source=sources(store, graph, [iri])[0],
        mentions=mentions(graph, iri),
        leaders=leaders(store, graph, order_leaders(graph, members["Leader"])),
        pledges=pledges(store, graph, order_pledges(graph, members["Pledge"])),
        meetings=meetings(store, graph, order_dated(graph, members["Meeting"], KG + "date")),
    )
