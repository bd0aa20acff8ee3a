"""The one ingest loop: group the articles into sources (:mod:`kg.identity`), plan the
changes against what the sink holds (:mod:`kg.changes`), have the engine extract only what is
new or changed, write each source whole, remove what is gone from the folders read, then bring
what is derived from all sources up to date."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol

from pyoxigraph import NamedNode, Quad

from kg.changes import UNCHANGED, Change, IngestSummary, Scope, Stored, after, plan, sweep_plan
from kg.identity import Unit, group
from kg.provenance import Extractor, extractor
from kg.rdf import count_kinds, extraction_iri, extraction_quads, ingest_quads, kg, string
from kg.records import Article, Extraction
from kg.similarity import signature, text_hash
from kg.sources import SourceError

# What a caller hears about each article: its extraction, its error, or None when it needs no
# extraction (unchanged, or the same article as another of the run).
Progress = Callable[[Extraction | SourceError | None], None]
# The sources a sweep dropped, and those that only lost some input files (with the files left).
Swept = tuple[list[NamedNode], dict[NamedNode, frozenset[str]]]


class EngineError(Exception):
    """An engine cannot run (its cluster cannot be reached, has no workers), said in one
    line."""


class Engine(Protocol):
    """What extracts: each article's extraction or error, in any order."""

    @property
    def model(self) -> str:
        """The spaCy pipeline it extracts with."""
        ...

    def extract(self, articles: list[Article]) -> Iterable[Extraction | SourceError]:
        """The outcome of every article."""
        ...


class Sink(Protocol):
    """Where an ingest writes: what it holds of some sources, and each source's change whole."""

    def snapshot(self, units: Sequence[Unit], scope: Scope | None) -> Mapping[NamedNode, Stored]:
        """The stored sources the units (and the scope's folders) concern."""
        ...

    def begin(self) -> None:
        """Get ready for the run's first write (not called by a dry run)."""
        ...

    def write(self, change: Change, quads: Sequence[Quad] | None) -> set[NamedNode]:
        """Write one source's change atomically (``quads`` is its new graph, None when only
        where it was found changes); the source graphs written or dropped."""
        ...

    def sweep(self, scope: Scope) -> Swept:
        """Remove what is gone from the scope."""
        ...

    def finish(self, touched: set[NamedNode]) -> None:
        """Bring what is derived from all sources up to date once the run's writes, which
        wrote or dropped the source graphs ``touched``, are done."""
        ...


def source_quads(
    change: Change, extraction: Extraction, made_by: Extractor, now: datetime
) -> list[Quad]:
    """A source's whole graph: its facts, where, when and by what it was ingested, and the
    fingerprints of its text that tell copies of it apart (:mod:`kg.similarity`)."""
    text = extraction.clean_text
    return [
        *extraction_quads(extraction),
        *ingest_quads(change.graph, change.locators, change.paths, now, made_by),
        Quad(change.graph, kg("textHash"), string(text_hash(text)), change.graph),
        Quad(change.graph, kg("minHash"), string(signature(text)), change.graph),
    ]


def ingest(
    articles: Sequence[Article],
    engine: Engine,
    sink: Sink,
    *,
    scope: Scope | None = None,
    dry_run: bool = False,
    on_result: Progress | None = None,
    claims: bool = True,
) -> IngestSummary:
    """Ingest ``articles`` into ``sink``, extracting with ``engine``: each source is written
    whole or not at all, unchanged ones are left alone, and with a ``scope`` what is gone
    from its folders is removed; then, unless ``claims`` is False (a batch of a larger run),
    what is derived from all sources is brought up to date. With ``dry_run`` only count what
    would change."""
    made_by = extractor(engine.model)
    grouped = group(articles)
    summary = IngestSummary(notes=list(grouped.notes), dry_run=dry_run)
    stored = sink.snapshot(grouped.units, scope)
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
    sink.begin()
    touched: set[NamedNode] = set()
    for change in changes:
        if change.status == UNCHANGED:
            if change.rewrite:
                touched |= sink.write(change, None)
            summary.count(UNCHANGED)
            heard(None)
    todo = [c for c in changes if c.extract]
    by_id = {c.unit.source_id: c for c in todo}
    by_origin = {c.unit.article.origin: c for c in todo}
    failed: set[str] = set()
    for result in engine.extract([c.unit.article for c in todo]):
        if isinstance(result, SourceError):
            summary.errors.append(result)
            failing = by_origin.get(result.origin)
            if failing is not None:
                failed.update(failing.unit.paths)
        else:
            change = by_id[result.source_id]
            quads = source_quads(change, result, made_by, datetime.now(UTC))
            touched |= sink.write(change, quads)
            _count(summary, change, result, quads)
        heard(result)
    if scope:
        dropped, patched = sink.sweep(scope.keeping(failed))
        summary.removed = len(dropped)
        touched |= {*dropped, *patched}
    if claims:
        sink.finish(touched)
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
