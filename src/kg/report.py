"""What one article yielded, read back from a store: the source (title, locator, date, how it
was ingested) and its leaders, pledges and meetings with their evidence. ``kg show`` prints it
from the store, ``kg extract`` from a store in memory that was never written to disk.

>>> print(format_date(None, None))
none given by the article
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, QuerySolutions

from kg.prefixes import DCTERMS, KG, PROV, RDF, RDFS, SCHEMA, SPARQL_PREFIXES
from kg.store import GraphStore

Props = dict[str, list[str]]


@dataclass(frozen=True)
class Fact:
    """A leader, pledge or meeting of the article: what it says, in words, and its evidence."""

    heading: str
    details: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class SourceReport:
    """One source and the facts of its graph."""

    iri: str
    title: str | None
    opening: str | None
    locators: tuple[str, ...]
    paths: tuple[str, ...]
    url: str | None
    publisher: str | None
    published: str | None
    reference_date: str | None
    ingested_at: str | None
    extractor: str | None
    leaders: tuple[Fact, ...]
    pledges: tuple[Fact, ...]
    meetings: tuple[Fact, ...]


def _rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    result = store.query(SPARQL_PREFIXES + sparql)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [
        {n: t.value for n, t in zip(names, row, strict=False) if isinstance(t, Literal | NamedNode)}
        for row in result
    ]


def _described(store: GraphStore, graph: NamedNode, kind: str) -> dict[str, Props]:
    """Every node of ``kind`` in the graph with its properties (values as text)."""
    found: dict[str, Props] = defaultdict(lambda: defaultdict(list))
    for row in _rows(
        store, f"SELECT ?x ?p ?o WHERE {{ GRAPH {graph} {{ ?x a kg:{kind} ; ?p ?o }} }}"
    ):
        found[row["x"]][row["p"]].append(row["o"])
    return {iri: {p: sorted(set(v)) for p, v in props.items()} for iri, props in found.items()}


def _labels(store: GraphStore, iris: set[str]) -> dict[str, str]:
    """English (or untagged) labels of states, organizations and leaders, from any graph."""
    if not iris:
        return {}
    chosen = " ".join(f"<{i}>" for i in sorted(iris))
    rows = _rows(
        store,
        f"SELECT DISTINCT ?x ?label WHERE {{ VALUES ?x {{ {chosen} }} ?x rdfs:label ?label "
        'FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }',
    )
    labels: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r["label"]):
        labels.setdefault(row["x"], row["label"])
    return labels


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _one(props: Props, predicate: str) -> str | None:
    values = props.get(predicate, [])
    return "; ".join(values) if values else None


def source_report(store: GraphStore, graph: NamedNode) -> SourceReport | None:
    """The report of one stored source; None when the store holds no such source."""
    rows = _rows(store, f"SELECT ?p ?o WHERE {{ GRAPH {graph} {{ {graph} ?p ?o }} }}")
    source: Props = defaultdict(list)
    for row in rows:
        source[row["p"]].append(row["o"])
    if KG + "Source" not in source.get(RDF + "type", []):
        return None
    versions = _rows(
        store,
        f"SELECT ?v ?m WHERE {{ GRAPH {graph} {{ {graph} prov:wasGeneratedBy ?a . "
        "?a kg:extractorVersion ?v . OPTIONAL { ?a kg:model ?m } } }",
    )
    extractor = "; ".join(
        f"pledgekg {r['v']}" + (f" with {r['m']}" if r.get("m") else "") for r in versions
    )
    leaders = _described(store, graph, "Leader")
    pledges = _described(store, graph, "Pledge")
    meetings = _described(store, graph, "Meeting")
    linked = {
        value
        for group in (leaders, pledges, meetings)
        for props in group.values()
        for predicate in ("represents", "pledgedBy", "announcedBy", "participant", "madeAt")
        for value in props.get(KG + predicate, [])
    }
    labels = _labels(store, linked | set(leaders))
    return SourceReport(
        iri=graph.value,
        title=_one(source, DCTERMS + "title"),
        opening=_one(source, KG + "opening"),
        locators=tuple(sorted(source.get(KG + "locator", []))),
        paths=tuple(sorted(source.get(KG + "inputPath", []))),
        url=_one(source, SCHEMA + "url"),
        publisher=_one(source, SCHEMA + "publisher"),
        published=_one(source, SCHEMA + "datePublished"),
        reference_date=_one(source, KG + "referenceDate"),
        ingested_at=_one(source, PROV + "generatedAtTime"),
        extractor=extractor or None,
        leaders=tuple(_leader(p, labels) for _, p in sorted(leaders.items())),
        pledges=tuple(_pledge(p, labels) for _, p in _by_date(pledges)),
        meetings=tuple(_meeting(p, labels) for _, p in _by_date(meetings)),
    )


def _by_date(nodes: dict[str, Props]) -> list[tuple[str, Props]]:
    def key(item: tuple[str, Props]) -> tuple[str, str]:
        props = item[1]
        when = _one(props, KG + "date") or _one(props, KG + "reportedOn") or ""
        return (when, " ".join(props.get(KG + "evidence", [])))

    return sorted(nodes.items(), key=key)


def _names(props: Props, predicate: str, labels: dict[str, str]) -> str:
    return ", ".join(labels.get(i, _local(i)) for i in props.get(KG + predicate, []))


def _leader(props: Props, labels: dict[str, str]) -> Fact:
    name = _one(props, RDFS + "label") or "?"
    roles = ", ".join(props.get(KG + "role", []))
    acts_for = _names(props, "represents", labels)
    heading = name + (f", {roles}" if roles else "") + (f" ({acts_for})" if acts_for else "")
    return Fact(heading, (), ())


def _pledge(props: Props, labels: dict[str, str]) -> Fact:
    stance = ", ".join(_local(s) for s in props.get(KG + "stance", []))
    types = ", ".join(_local(t) for t in props.get(KG + "contributionType", []))
    heading = f"{_names(props, 'pledgedBy', labels)}: {stance} {types}"
    details = [
        f"{label} {value}"
        for label, value in (
            ("dated", _one(props, KG + "date")),
            ("reported on", _one(props, KG + "reportedOn")),
            ("announced by", _names(props, "announcedBy", labels)),
            ("quantity:", _one(props, KG + "quantity")),
            ("condition:", _one(props, KG + "condition")),
            ("made at", _names(props, "madeAt", labels)),
        )
        if value
    ]
    return Fact(heading, tuple(details), tuple(props.get(KG + "evidence", [])))


def _meeting(props: Props, labels: dict[str, str]) -> Fact:
    heading = _one(props, RDFS + "label") or "Meeting"
    details = [
        f"{label} {value}"
        for label, value in (
            ("reported on", _one(props, KG + "reportedOn")),
            ("host:", _names(props, "hostState", labels)),
            ("participants:", _names(props, "participant", labels)),
        )
        if value
    ]
    return Fact(heading, tuple(details), tuple(props.get(KG + "evidence", [])))


def format_date(published: str | None, reference: str | None) -> str:
    """A source's date and where it comes from."""
    if published:
        return f"{published} (given with the article)"
    if reference:
        return f"{reference} (the latest full date its text states; none given with it)"
    return "none given by the article"


def format_report(report: SourceReport, *, stored: bool = True) -> str:
    """The report as text for a terminal."""
    title = report.title or f"Untitled: \u201c{report.opening or ''}\u201d"
    lines = [title]
    fields = [
        ("source", report.iri),
        ("locator", ", ".join(report.locators) or "none (given neither URL nor file)"),
        ("read from", ", ".join(report.paths)),
        ("url", report.url),
        ("publisher", report.publisher),
        ("date", format_date(report.published, report.reference_date)),
    ]
    if stored:
        ingested = report.ingested_at or "unknown"
        if report.extractor:
            ingested += f" by {report.extractor}"
        fields.append(("ingested", ingested))
    else:
        fields.append(("extracted", f"by {report.extractor} (not stored)"))
    lines += [f"  {name:<10} {value}" for name, value in fields if value]
    for heading, facts in (
        ("Leaders", report.leaders),
        ("Pledges", report.pledges),
        ("Meetings", report.meetings),
    ):
        lines += ["", f"{heading} ({len(facts)})"]
        for fact in facts:
            lines.append(f"  {fact.heading}")
            lines += [f"    {detail}" for detail in fact.details]
            lines += [f"    > {' '.join(quote.split())}" for quote in fact.evidence]
    return "\n".join(lines)
