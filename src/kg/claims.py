"""Claims: the same position (a state's stance on a contribution type) as every source states
it, with how many independent sources back it, when it was first and last reported, and its
quotes; and the change log of what each write did to the sources and the claims.

Claims are derived from every source graph, so they live in a graph of their own
(:data:`CLAIMS_GRAPH`) that :func:`refresh` computes again, whole, after each ingest or
removal that wrote something, in one transaction with the :class:`ChangeSet` it appends to
:data:`CHANGES_GRAPH`. A run that wrote nothing computes them only when they are not
:func:`current` (a batch of a larger run wrote sources without computing them, or sources were
loaded from files).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions

from kg.prefixes import SPARQL_PREFIXES
from kg.rdf import date_literal, string
from kg.similarity import copies
from kg.store import GraphStore
from kg.vocab import CHANGE_PREFIX as CHANGE_PREFIX
from kg.vocab import CHANGES_GRAPH as CHANGES_GRAPH
from kg.vocab import CLAIM_PREFIX as CLAIM_PREFIX
from kg.vocab import CLAIMS_GRAPH as CLAIMS_GRAPH
from kg.vocab import (
    DERIVED_FROM,
    GENERATED_AT,
    LABEL,
    XSD_DATETIME,
    XSD_INTEGER,
    A,
    kg,
)

NEAR_DAYS = 7
"""Reports this many days apart or fewer count as one time when telling a contradiction
from a change of position."""

SUPPORTED_BY = kg("supportedBy")
INDEPENDENT = kg("independentSources")
COUNTED_VERSION = kg("countedVersion")
COUNTED_LOCATOR = kg("countedLocator")


@dataclass(frozen=True)
class Report:
    """One pledge as evidence for one claim: a source's statement of a stance on one type."""

    pledge: str
    source: str
    actor: str
    stance: str
    kind: str
    known: date | None
    quotes: frozenset[str]


@dataclass(frozen=True)
class SourceState:
    """What the claims need of one stored source: its version, its text's fingerprints and
    its locators."""

    version: str | None = None
    text_hash: str | None = None
    signature: str | None = None
    locators: frozenset[str] = frozenset()


@dataclass
class Claim:
    """One position and everything that supports it."""

    actor: str
    stance: str
    kind: str
    pledges: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    dates: set[date] = field(default_factory=set)
    quotes: set[str] = field(default_factory=set)

    @property
    def iri(self) -> str:
        return claim_iri(self.actor, self.stance, self.kind)

    @property
    def first(self) -> date | None:
        return min(self.dates) if self.dates else None

    @property
    def last(self) -> date | None:
        return max(self.dates) if self.dates else None


def claim_iri(actor: str, stance: str, kind: str) -> str:
    """Stable: the hash of the actor, stance and contribution type IRIs; one stance per claim,
    so a contradiction is a link between two claims.

    >>> claim_iri("a", "b", "c") == claim_iri("a", "b", "c") != claim_iri("a", "x", "c")
    True
    """
    basis = "|".join((actor, stance, kind))
    return f"{CLAIM_PREFIX}{hashlib.sha256(basis.encode()).hexdigest()[:16]}"


def _rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    result = store.query(SPARQL_PREFIXES + sparql)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in result]


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def read_reports(store: GraphStore) -> list[Report]:
    """Every pledge of every source, once per contribution type; a pledge is known from the
    date its article reported it, else from its own date."""
    rows = _rows(
        store,
        "SELECT ?src ?p ?actor ?stance ?type ?rep ?date ?ev WHERE { GRAPH ?src { "
        "?src a kg:Source . ?p a kg:Pledge ; kg:pledgedBy ?actor ; kg:stance ?stance ; "
        "kg:contributionType ?type . OPTIONAL { ?p kg:reportedOn ?rep } "
        "OPTIONAL { ?p kg:date ?date } OPTIONAL { ?p kg:evidence ?ev } } }",
    )
    found: dict[tuple[str, str, str, str, str], tuple[date | None, set[str]]] = {}
    for row in rows:
        key = (row["p"], row["src"], row["actor"], row["stance"], row["type"])
        known = _day(row.get("rep")) or _day(row.get("date"))
        held = found.setdefault(key, (known, set()))
        if "ev" in row:
            held[1].add(row["ev"])
    return [
        Report(p, src, actor, stance, kind, known, frozenset(quotes))
        for (p, src, actor, stance, kind), (known, quotes) in sorted(
            found.items(), key=lambda item: item[0]
        )
    ]


def read_sources(store: GraphStore) -> dict[str, SourceState]:
    """Every stored source with its version, text hash, signature and locators."""
    rows = _rows(
        store,
        "SELECT ?src ?version ?text ?sig ?loc WHERE { GRAPH ?src { ?src a kg:Source . "
        "OPTIONAL { ?src kg:contentHash ?version } OPTIONAL { ?src kg:textHash ?text } "
        "OPTIONAL { ?src kg:minHash ?sig } OPTIONAL { ?src kg:locator ?loc } } }",
    )
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        held = fields[row["src"]]
        for name in ("version", "text", "sig", "loc"):
            if name in row:
                held[name].add(row[name])

    def one(values: set[str]) -> str | None:
        return min(values) if values else None

    return {
        src: SourceState(
            one(held["version"]), one(held["text"]), one(held["sig"]), frozenset(held["loc"])
        )
        for src, held in fields.items()
    }


def build_claims(reports: Iterable[Report], groups: Mapping[str, str]) -> dict[str, Claim]:
    """The claims the reports make, by IRI; ``groups`` names each source's group of copies."""
    claims: dict[str, Claim] = {}
    for report in reports:
        iri = claim_iri(report.actor, report.stance, report.kind)
        claim = claims.setdefault(iri, Claim(report.actor, report.stance, report.kind))
        claim.pledges.add(report.pledge)
        claim.sources.add(report.source)
        claim.groups.add(groups.get(report.source, report.source))
        if report.known:
            claim.dates.add(report.known)
        claim.quotes |= report.quotes
    return claims


def _near(a: Claim, b: Claim) -> bool:
    """True when the two claims' reporting periods overlap (give or take :data:`NEAR_DAYS`);
    a claim with no date could be any time."""
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return True
    slack = timedelta(days=NEAR_DAYS)
    return a.first <= b.last + slack and b.first <= a.last + slack


def contradictions(claims: Mapping[str, Claim]) -> list[tuple[str, str]]:
    """Pairs of claims (Committed, Declined) of one actor and type reported at one time."""
    by_topic: dict[tuple[str, str], dict[str, Claim]] = defaultdict(dict)
    for claim in claims.values():
        by_topic[(claim.actor, claim.kind)][claim.stance.removeprefix(kg("").value)] = claim
    pairs = []
    for stances in by_topic.values():
        yes, no = stances.get("Committed"), stances.get("Declined")
        if yes and no and _near(yes, no):
            pairs.append((yes.iri, no.iri))
    return sorted(pairs)


def _label(claim: Claim) -> str:
    def local(iri: str) -> str:
        return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    return f"{local(claim.actor)} {local(claim.stance)} {local(claim.kind)}"


def claim_quads(
    claims: Mapping[str, Claim],
    groups: Mapping[str, str],
    sources: Mapping[str, SourceState],
) -> list[Quad]:
    """The claims graph: each claim, its contradictions, the copies among its sources, and the
    version and locators of every source it was computed from (for the next change set)."""
    g = CLAIMS_GRAPH
    out: list[Quad] = []

    def add(s: str, p: NamedNode, o: NamedNode | Literal) -> None:
        out.append(Quad(NamedNode(s), p, o, g))

    for iri, claim in sorted(claims.items()):
        add(iri, A, kg("Claim"))
        add(iri, LABEL, string(_label(claim)))
        add(iri, kg("claimant"), NamedNode(claim.actor))
        add(iri, kg("claimStance"), NamedNode(claim.stance))
        add(iri, kg("claimType"), NamedNode(claim.kind))
        for pledge in sorted(claim.pledges):
            add(iri, SUPPORTED_BY, NamedNode(pledge))
        for source in sorted(claim.sources):
            add(iri, DERIVED_FROM, NamedNode(source))
        add(iri, kg("sourceCount"), Literal(str(len(claim.sources)), datatype=XSD_INTEGER))
        add(iri, INDEPENDENT, Literal(str(len(claim.groups)), datatype=XSD_INTEGER))
        if claim.first and claim.last:
            add(iri, kg("firstReported"), date_literal(claim.first))
            add(iri, kg("lastReported"), date_literal(claim.last))
        for quote in sorted(claim.quotes):
            add(iri, kg("quote"), string(quote))
    for yes, no in contradictions(claims):
        add(yes, kg("contradicts"), NamedNode(no))
        add(no, kg("contradicts"), NamedNode(yes))
    for source, group in sorted(groups.items()):
        if source != group:
            add(source, kg("copyOf"), NamedNode(group))
    for source, state in sorted(sources.items()):
        # Written even when empty (a graph stored before versions were recorded): it is how
        # the next change set knows the source was counted.
        add(source, COUNTED_VERSION, string(state.version or ""))
        for locator in sorted(state.locators):
            add(source, COUNTED_LOCATOR, string(locator))
    return out


@dataclass(frozen=True)
class Previous:
    """What the claims graph said before: each source's version and locators, and each
    claim's support."""

    sources: dict[str, SourceState]
    support: dict[str, frozenset[str]]


def read_previous(store: GraphStore) -> Previous:
    """The sources and claim support the claims graph was last computed from."""
    rows = _rows(
        store,
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {CLAIMS_GRAPH} {{ ?s ?p ?o . VALUES ?p {{ "
        f"{SUPPORTED_BY} {INDEPENDENT} {COUNTED_VERSION} {COUNTED_LOCATOR} }} }} }}",
    )
    versions: dict[str, str] = {}
    locators: dict[str, set[str]] = defaultdict(set)
    support: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        subject, predicate, value = row["s"], row["p"], row["o"]
        if predicate == COUNTED_VERSION.value:
            versions[subject] = value
        elif predicate == COUNTED_LOCATOR.value:
            locators[subject].add(value)
        elif predicate == SUPPORTED_BY.value:
            support[subject].add(value)
        else:
            support[subject].add(f"independent={value}")
    sources = {
        s: SourceState(versions.get(s), locators=frozenset(locators[s]))
        for s in {*versions, *locators}
    }
    return Previous(sources, {c: frozenset(p) for c, p in support.items()})


@dataclass(frozen=True)
class ChangeSet:
    """What one write changed: sources added, replaced (new, old: the same IRI for an edited
    article under a URL) and removed, and the claims whose support changed."""

    added: tuple[str, ...] = ()
    replaced: tuple[tuple[str, str], ...] = ()
    removed: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.replaced or self.removed or self.claims)


def compare(
    before: Previous, sources: Mapping[str, SourceState], support: Mapping[str, frozenset[str]]
) -> ChangeSet:
    """The change set from ``before`` to the sources and claim support now. A source gone
    whose locator a new source holds was replaced by it (an edited article read from a file).

    >>> file = frozenset({"a.txt"})
    >>> old = Previous({"s1": SourceState("v1", locators=file)}, {"c": frozenset({"p1"})})
    >>> compare(old, {"s2": SourceState("v2", locators=file)}, {"c": frozenset({"p2"})})
    ChangeSet(added=(), replaced=(('s2', 's1'),), removed=(), claims=('c',))
    """
    gone = sorted(set(before.sources) - set(sources))
    new = sorted(set(sources) - set(before.sources))
    replaced = [
        (s, s)
        for s in sorted(set(sources) & set(before.sources))
        if (sources[s].version or "") != (before.sources[s].version or "")
    ]
    removed: list[str] = []
    taken: set[str] = set()
    for old in gone:
        heir = next(
            (
                s
                for s in new
                if s not in taken and sources[s].locators & before.sources[old].locators
            ),
            None,
        )
        if heir is None:
            removed.append(old)
        else:
            taken.add(heir)
            replaced.append((heir, old))
    changed = sorted(
        c for c in {*before.support, *support} if before.support.get(c) != support.get(c)
    )
    return ChangeSet(
        tuple(s for s in new if s not in taken),
        tuple(sorted(replaced)),
        tuple(removed),
        tuple(changed),
    )


def _time(value: datetime) -> Literal:
    return Literal(value.astimezone(UTC).isoformat(), datatype=XSD_DATETIME)


def change_quads(changes: ChangeSet, at: datetime) -> list[Quad]:
    """One ``kg:ChangeEvent`` in the changes graph, named by its time and content."""
    basis = repr((at.isoformat(), changes)).encode()
    event = (
        f"{CHANGE_PREFIX}{at.astimezone(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-"
        + (hashlib.sha256(basis).hexdigest()[:8])
    )
    g = CHANGES_GRAPH
    out = [
        Quad(NamedNode(event), A, kg("ChangeEvent"), g),
        Quad(NamedNode(event), GENERATED_AT, _time(at), g),
    ]
    node = NamedNode(event)
    out += [Quad(node, kg("sourceAdded"), NamedNode(s), g) for s in changes.added]
    out += [Quad(node, kg("sourceRemoved"), NamedNode(s), g) for s in changes.removed]
    out += [Quad(node, kg("claimChanged"), NamedNode(c), g) for c in changes.claims]
    for number, (new, old) in enumerate(changes.replaced, start=1):
        step = NamedNode(f"{event}/replacement/{number}")
        out += [
            Quad(node, kg("sourceReplaced"), NamedNode(new), g),
            Quad(node, kg("replacement"), step, g),
            Quad(step, kg("newSource"), NamedNode(new), g),
            Quad(step, kg("oldSource"), NamedNode(old), g),
        ]
    return out


def _data(operation: str, graph: NamedNode, quads: list[Quad]) -> str:
    """``INSERT DATA`` or ``DELETE DATA`` of ``quads`` in ``graph``."""
    body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
    return f"{operation} DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def current(store: GraphStore) -> bool:
    """True when the claims were computed from the sources as stored: every stored source was
    counted, at the version it has now, and no source counted is gone."""
    stored = {
        (row["src"], row.get("v", ""))
        for row in _rows(
            store,
            "SELECT ?src ?v WHERE { GRAPH ?src { ?src a kg:Source . "
            "OPTIONAL { ?src kg:contentHash ?v } } }",
        )
    }
    counted = {
        (row["s"], row["v"])
        for row in _rows(
            store,
            f"SELECT ?s ?v WHERE {{ GRAPH {CLAIMS_GRAPH} {{ ?s {COUNTED_VERSION} ?v }} }}",
        )
    }
    return stored == counted


def refresh(store: GraphStore, *, wrote: bool = True, now: datetime | None = None) -> ChangeSet:
    """Compute the claims again from every source, write what differs in the claims graph and
    log what changed since the last time, in one transaction; the change set (empty when
    nothing did). When the caller ``wrote`` no source and the claims are :func:`current`,
    there is nothing to compute."""
    if not wrote and current(store):
        return ChangeSet()
    sources = read_sources(store)
    reports = read_reports(store)
    groups = copies({s: (state.text_hash, state.signature) for s, state in sources.items()})
    claims = build_claims(reports, groups)
    support = {
        iri: frozenset({*c.pledges, f"independent={len(c.groups)}"}) for iri, c in claims.items()
    }
    changes = compare(read_previous(store), sources, support)
    stored = set(store.graph_quads(CLAIMS_GRAPH))
    wanted = claim_quads(claims, groups, sources)
    # Only the difference is written: a run touches few claims of a large store.
    gone = sorted(stored - set(wanted), key=str)
    added = [q for q in wanted if q not in stored]
    operations = []
    if gone:
        operations.append(_data("DELETE", CLAIMS_GRAPH, gone))
    if added:
        operations.append(_data("INSERT", CLAIMS_GRAPH, added))
    if changes:
        at = now or datetime.now(UTC)
        operations.append(_data("INSERT", CHANGES_GRAPH, change_quads(changes, at)))
    if operations:  # a run that changed nothing writes nothing
        store.update(" ;\n".join(operations))
    return changes
