"""An ingest run, whichever engine extracts: group the articles into sources, plan the
changes against the store (:mod:`kg.changes`), extract only what is new or changed, write each
source in one atomic transaction, remove what is gone from the folders read, then compute the
claims again (:mod:`kg.claims`).

The pipeline (:func:`kg.pipeline.ingest_articles`, also behind ``POST /ingest``) and the
cluster (:mod:`kg.distributed`) both run :func:`ingest`; they differ only in how articles are
extracted and where graphs go (a :class:`Target`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions

from kg.changes import (
    UNCHANGED,
    Change,
    IngestSummary,
    Scope,
    Stored,
    after,
    plan,
    released,
    sweep_plan,
)
from kg.claims import mark_pending, refresh
from kg.identity import Unit, group, normalise_url
from kg.prefixes import SCHEMA
from kg.provenance import Extractor, extractor
from kg.rdf import (
    CONTENT_HASH,
    GENERATED_BY,
    INPUT_PATH,
    LOCATOR,
    A,
    count_kinds,
    extraction_iri,
    extraction_quads,
    ingest_quads,
    kg,
    string,
)
from kg.records import Article, Extraction
from kg.similarity import signature, text_hash
from kg.sources import SourceError
from kg.store import GraphStore

CHUNK = 200
URL = NamedNode(SCHEMA + "url")
_FIELDS = (A, LOCATOR, INPUT_PATH, CONTENT_HASH, URL, GENERATED_BY)
# What a caller hears about each article: its extraction, its error, or None when it needs no
# extraction (unchanged, or the same article as another of the run).
Progress = Callable[[Extraction | SourceError | None], None]
Extract = Callable[[list[Article]], Iterable[Extraction | SourceError]]


def _literals(values: Iterable[str]) -> str:
    return " ".join(str(Literal(v)) for v in values)


def _roots_filter(roots: Sequence[str]) -> str:
    """A FILTER keeping the input paths ``?path`` under any of the roots."""
    tests = []
    for root in roots:
        if root == ".":
            tests.append('!STRSTARTS(?path, "/")')
        else:
            exact, prefix = Literal(root), Literal(root.rstrip("/") + "/")
            tests.append(f"?path = {exact} || STRSTARTS(?path, {prefix})")
    return f"FILTER({' || '.join(f'({t})' for t in tests)})"


def stored_sources(
    store: GraphStore,
    *,
    graphs: Iterable[NamedNode] = (),
    locators: Iterable[str] = (),
    urls: Iterable[str] = (),
    roots: Sequence[str] = (),
) -> dict[NamedNode, Stored]:
    """The stored sources with one of these graph IRIs, locators, URLs (sources stored before
    locators were recorded) or input files under these roots."""
    selectors: list[str] = []
    graph_list = sorted({g.value for g in graphs})
    for start in range(0, len(graph_list), CHUNK):
        chosen = " ".join(f"<{g}>" for g in graph_list[start : start + CHUNK])
        selectors.append(f"VALUES ?g {{ {chosen} }}")
    for predicate, wanted in ((LOCATOR, locators), (URL, urls)):
        keys = sorted(set(wanted))
        for start in range(0, len(keys), CHUNK):
            chosen = _literals(keys[start : start + CHUNK])
            selectors.append(f"VALUES ?key {{ {chosen} }} GRAPH ?g {{ ?g {predicate} ?key }}")
    if roots:
        selectors.append(f"GRAPH ?g {{ ?g {INPUT_PATH} ?path }} {_roots_filter(roots)}")
    fields = " ".join(str(f) for f in _FIELDS)
    found: dict[NamedNode, dict[NamedNode, set[NamedNode | Literal]]] = {}
    for selector in selectors:
        result = store.query(
            f"SELECT DISTINCT ?g ?p ?o WHERE {{ {{ SELECT DISTINCT ?g WHERE {{ {selector} }} }} "
            f"GRAPH ?g {{ ?g ?p ?o . VALUES ?p {{ {fields} }} }} }}"
        )
        assert isinstance(result, QuerySolutions)
        for row in result:
            graph, predicate, value = row["g"], row["p"], row["o"]
            if isinstance(graph, NamedNode) and isinstance(predicate, NamedNode):
                if isinstance(value, NamedNode | Literal):
                    found.setdefault(graph, {}).setdefault(predicate, set()).add(value)
    return {
        graph: _stored(graph, props)
        for graph, props in found.items()
        if kg("Source") in props.get(A, set())
    }


def _stored(graph: NamedNode, props: dict[NamedNode, set[NamedNode | Literal]]) -> Stored:
    def texts(predicate: NamedNode) -> frozenset[str]:
        return frozenset(v.value for v in props.get(predicate, set()) if isinstance(v, Literal))

    locators = texts(LOCATOR) or frozenset(normalise_url(u) for u in texts(URL))
    contents = sorted(texts(CONTENT_HASH))
    made_by = sorted(
        (v for v in props.get(GENERATED_BY, set()) if isinstance(v, NamedNode)),
        key=lambda v: v.value,
    )
    return Stored(
        graph,
        locators,
        texts(INPUT_PATH),
        contents[0] if len(contents) == 1 else None,
        made_by[0] if len(made_by) == 1 else None,
    )


def with_claims(
    quads: Iterable[Quad], graph: NamedNode, locators: Iterable[str], paths: Iterable[str]
) -> list[Quad]:
    """A source graph's quads with its locators and input files set to these."""
    kept = [q for q in quads if not (q.subject == graph and q.predicate in (LOCATOR, INPUT_PATH))]
    kept += [Quad(graph, LOCATOR, string(v), graph) for v in sorted(set(locators))]
    kept += [Quad(graph, INPUT_PATH, string(v), graph) for v in sorted(set(paths))]
    return kept


class Target(Protocol):
    """Where an ingest writes: what it holds of some sources, and writing one change."""

    def snapshot(self, units: Sequence[Unit], scope: Scope | None) -> dict[NamedNode, Stored]:
        """The stored sources the units (and the scope's folders) concern."""
        ...

    def write(self, change: Change, quads: Sequence[Quad] | None) -> None:
        """Write one source's change atomically (``quads`` is its new graph, None when only
        where it was found changes)."""
        ...

    def sweep(self, scope: Scope) -> int:
        """Remove what is gone from the scope; how many sources went."""
        ...

    def finish(self) -> None:
        """Bring what is derived from all sources up to date, once the run's writes are done."""
        ...

    def defer(self) -> None:
        """Note that the run's writes are not yet reflected in what is derived from all
        sources (a batch of a larger run)."""
        ...


class StoreTarget:
    """Writes into a store: each change (the source's graph, and the older versions that give
    up its locators) in one transaction."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.touched: set[str] = set()
        """The source graphs written or dropped: the claims they concern are computed again."""

    def snapshot(self, units: Sequence[Unit], scope: Scope | None) -> dict[NamedNode, Stored]:
        from kg.rdf import source_iri

        return stored_sources(
            self.store,
            graphs=[source_iri(u.source_id) for u in units],
            locators=[w for u in units for w in u.locators],
            urls=[u.article.url for u in units if u.article.url],
            roots=scope.roots if scope else (),
        )

    def write(self, change: Change, quads: Sequence[Quad] | None) -> None:
        store = self.store
        if quads is None:
            quads = with_claims(
                store.graph_quads(change.graph), change.graph, change.locators, change.paths
            )
        writes: dict[NamedNode, Sequence[Quad]] = {change.graph: quads}
        drops: list[NamedNode] = []
        holders = stored_sources(store, graphs=change.releases)
        for graph, holder in holders.items():
            left = released(holder, change.unit.locators)
            if left is None:
                drops.append(graph)
            else:
                quads_left = with_claims(store.graph_quads(graph), graph, left.locators, left.paths)
                writes[graph] = quads_left
        store.apply(writes, drops)
        self.touched.update(g.value for g in (*writes, *drops))

    def sweep(self, scope: Scope) -> int:
        return len(self.remove_gone(scope)[0])

    def finish(self) -> None:
        refresh(self.store, self.touched)
        self.touched.clear()

    def defer(self) -> None:
        if self.touched:
            mark_pending(self.store)

    def remove_gone(self, scope: Scope) -> tuple[list[NamedNode], dict[NamedNode, frozenset[str]]]:
        """Drop the sources gone from the scope and strike the files gone from the others,
        one transaction each; what was dropped, and the input files left to the others."""
        store = self.store
        drops, patches = sweep_plan(stored_sources(store, roots=scope.roots).values(), scope)
        for graph, paths in patches.items():
            [holder] = stored_sources(store, graphs=[graph]).values()
            quads = with_claims(store.graph_quads(graph), graph, holder.locators, paths)
            store.apply({graph: quads})
        for graph in drops:
            store.apply({}, [graph])
        self.touched.update(g.value for g in (*patches, *drops))
        return drops, patches


def source_quads(
    change: Change, extraction: Extraction, extractor: Extractor, now: datetime
) -> list[Quad]:
    """A source's whole graph: its facts, where, when and by what it was ingested, and the
    fingerprints of its text that tell copies of it apart (:mod:`kg.similarity`)."""
    text = extraction.clean_text
    return [
        *extraction_quads(extraction),
        *ingest_quads(change.graph, change.locators, change.paths, now, extractor),
        Quad(change.graph, kg("textHash"), string(text_hash(text)), change.graph),
        Quad(change.graph, kg("minHash"), string(signature(text)), change.graph),
    ]


def ingest(
    articles: Sequence[Article],
    target: Target,
    extract: Extract,
    model: str,
    *,
    scope: Scope | None = None,
    dry_run: bool = False,
    on_result: Progress | None = None,
    claims: bool = True,
) -> IngestSummary:
    """Ingest ``articles`` into ``target``, extracting with ``extract`` (the spaCy pipeline
    ``model``; results may come in any order), then bring what is derived from all sources up
    to date (unless ``claims`` is False: a batch of a larger run); with ``dry_run`` only count
    what would change."""
    made_by = extractor(model)
    grouped = group(articles)
    summary = IngestSummary(notes=list(grouped.notes), dry_run=dry_run)
    stored = target.snapshot(grouped.units, scope)
    changes = plan(grouped.units, stored, extraction_iri(made_by))
    summary.iris = [c.graph.value for c in changes]

    def heard(result: Extraction | SourceError | None) -> None:
        if on_result:
            on_result(result)

    for error in grouped.refused:
        summary.errors.append(error)
        heard(error)
    for _ in range(len(articles) - len(grouped.refused) - len(grouped.units)):
        heard(None)  # the same article as another of the run
    if dry_run:
        for change in changes:
            summary.count(change.status)
        if scope:
            summary.removed = len(sweep_plan(after(stored, changes), scope)[0])
        return summary
    for change in changes:
        if change.status == UNCHANGED:
            if change.rewrite:
                target.write(change, None)
            summary.count(UNCHANGED)
            heard(None)
    todo = [c for c in changes if c.extract]
    by_id = {c.unit.source_id: c for c in todo}
    by_origin = {c.unit.article.origin: c for c in todo}
    failed: set[str] = set()
    for result in extract([c.unit.article for c in todo]):
        if isinstance(result, SourceError):
            summary.errors.append(result)
            failing = by_origin.get(result.origin)
            if failing is not None:
                failed.update(failing.unit.paths)
        else:
            change = by_id[result.source_id]
            quads = source_quads(change, result, made_by, datetime.now(UTC))
            target.write(change, quads)
            _count(summary, change, result, quads)
        heard(result)
    if scope:
        summary.removed = target.sweep(scope.keeping(failed))
    if claims:
        target.finish()
    else:
        target.defer()
    return summary


def _count(
    summary: IngestSummary, change: Change, extraction: Extraction, quads: list[Quad]
) -> None:
    counts = count_kinds(quads)
    summary.count(change.status)
    summary.leaders += counts["leaders"]
    summary.pledges += counts["pledges"]
    summary.meetings += counts["meetings"]
    summary.triples += len(quads)
    summary.skipped_passages += extraction.passages_skipped
