"""What an ingest changes in the store: the one rule for "new", "changed", "unchanged" and
"removed" that every ingest follows, whatever engine extracts and wherever it writes.

Decisions only, on what the store holds (:class:`Stored`) and what the run brings
(:class:`kg.identity.Unit`); :mod:`kg.ingest` reads the store and writes the changes.

- **unchanged**: the store holds the source's graph with the same content hash, made by the
  same extractor; it is neither extracted nor written again (only where it was found is
  updated, when that changed).
- **changed**: the source, or one of its locators, is stored, with another version or by
  another extractor; its graph is replaced, and an older version stored under one of its
  locators gives that locator up and goes when it has none left, in the same transaction.
- **new**: nothing of it is stored.
- **removed**: a source read from files under a folder or file of the run, whose files are
  gone or no longer hold it (a file that could not be read, or whose article failed, keeps
  what it had).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pyoxigraph import NamedNode

from kg.identity import Unit, path_locator, source_id, under
from kg.rdf import SOURCE_PREFIX, source_iri
from kg.records import Article
from kg.sources import SourceError, length_error

Status = Literal["new", "changed", "unchanged"]
NEW: Status = "new"
CHANGED: Status = "changed"
UNCHANGED: Status = "unchanged"


@dataclass(frozen=True)
class Stored:
    """What the store says of one source: where it was found, which version it holds and
    which extraction made it (None for a graph stored before these were recorded)."""

    graph: NamedNode
    locators: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()
    content: str | None = None
    extraction: NamedNode | None = None

    @property
    def id(self) -> str:
        return self.graph.value.removeprefix(SOURCE_PREFIX)


@dataclass(frozen=True)
class Change:
    """What the run does with one source: its status, where it was found once written, and
    the other graphs that held one of its locators (older versions)."""

    unit: Unit
    graph: NamedNode
    status: Status
    locators: frozenset[str]
    paths: frozenset[str]
    releases: tuple[NamedNode, ...] = ()
    rewrite: bool = True

    @property
    def extract(self) -> bool:
        """True when the article must be extracted (new or changed)."""
        return self.status != UNCHANGED


def plan(
    units: Sequence[Unit], stored: Mapping[NamedNode, Stored], extraction: NamedNode
) -> list[Change]:
    """The change of each source of a run, in order, against the store's ``stored`` sources
    (at least those with one of the run's graphs or locators)."""
    claimed = {where: source_iri(u.source_id) for u in units for where in u.locators}
    changes = []
    for unit in units:
        graph = source_iri(unit.source_id)
        before = stored.get(graph)
        mine = set(unit.locators)
        holders = tuple(
            sorted(
                (s.graph for s in stored.values() if s.graph != graph and s.locators & mine),
                key=lambda g: g.value,
            )
        )
        kept = {w for w in before.locators if claimed.get(w, graph) == graph} if before else set()
        locators = frozenset(kept | mine)
        paths = frozenset((before.paths if before else frozenset()) | set(unit.paths))
        if before and before.content == unit.content and before.extraction == extraction:
            moved = locators != before.locators or paths != before.paths
            changes.append(
                Change(unit, graph, UNCHANGED, locators, paths, holders, moved or bool(holders))
            )
        else:
            status = CHANGED if before or holders else NEW
            changes.append(Change(unit, graph, status, locators, paths, holders))
    return changes


def released(stored: Stored, locators: Iterable[str]) -> Stored | None:
    """What is left of an older version once it gives up ``locators``; None when nothing
    names it any more (then it goes)."""
    left = stored.locators - set(locators)
    return replace(stored, locators=left) if left else None


@dataclass(frozen=True)
class Scope:
    """The folders and files an ingest read, for finding what is gone from them.

    ``roots`` are the path locators of the folders and files named; ``files`` every input
    file read whole, with the ids of the sources it holds; ``kept`` the files to leave as they
    are (one could not be read, or an article of it failed).
    """

    roots: tuple[str, ...] = ()
    files: Mapping[str, frozenset[str]] = field(default_factory=dict)
    kept: frozenset[str] = frozenset()

    def keeping(self, paths: Iterable[str]) -> Scope:
        """The same scope with ``paths`` left as they are too."""
        return replace(self, kept=self.kept | frozenset(paths))


def scope_of(
    named: Sequence[Path], articles: Sequence[Article], errors: Sequence[SourceError]
) -> Scope:
    """The scope of an ingest of the files and folders ``named`` (those that exist), which
    read ``articles`` and met ``errors``."""
    files: dict[str, set[str]] = {}
    refused: set[str] = set()
    for article in articles:
        if article.path and length_error(article) is not None:
            refused.add(article.path)  # never hashed: it is refused whole
        elif article.path:
            files.setdefault(article.path, set()).add(source_id(article))
    kept = frozenset(path_locator(Path(error.origin)) for error in errors) | refused
    return Scope(
        roots=tuple(dict.fromkeys(path_locator(p) for p in named if p.exists())),
        files={path: frozenset(ids) for path, ids in files.items()},
        kept=kept,
    )


def sweep_plan(
    stored: Iterable[Stored], scope: Scope
) -> tuple[list[NamedNode], dict[NamedNode, frozenset[str]]]:
    """The sources to drop (every input file they came from is gone from the scope, or no
    longer holds them) and those that only lose some of their files (with the files left)."""
    drops: list[NamedNode] = []
    patches: dict[NamedNode, frozenset[str]] = {}
    for source in stored:
        lost = {
            path
            for path in source.paths
            if any(under(path, root) for root in scope.roots)
            and path not in scope.kept
            and source.id not in scope.files.get(path, frozenset())
        }
        if not lost:
            continue
        left = source.paths - lost
        if left:
            patches[source.graph] = left
        else:
            drops.append(source.graph)
    return drops, patches


def after(stored: Mapping[NamedNode, Stored], changes: Iterable[Change]) -> list[Stored]:
    """What the store would hold of these sources once the changes are written (for a dry
    run, which writes nothing)."""
    state = dict(stored)
    for change in changes:
        for holder in change.releases:
            if holder in state:
                left = released(state[holder], change.unit.locators)
                if left is None:
                    del state[holder]
                else:
                    state[holder] = left
        state[change.graph] = Stored(change.graph, change.locators, change.paths)
    return list(state.values())


@dataclass
class IngestSummary:
    """What an ingest did: sources new, changed, unchanged and removed; what the written
    graphs hold; the articles that failed and the notes on articles found twice."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    leaders: int = 0
    pledges: int = 0
    meetings: int = 0
    triples: int = 0
    skipped_passages: int = 0
    errors: list[SourceError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    iris: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def sources(self) -> int:
        """Sources of the run now in the store (new, changed or unchanged)."""
        return self.new + self.changed + self.unchanged

    def counts(self) -> dict[str, int]:
        """The numbers, by name (what ``POST /ingest`` returns)."""
        return {
            "sources": self.sources,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "leaders": self.leaders,
            "pledges": self.pledges,
            "meetings": self.meetings,
            "triples": self.triples,
            "skipped_passages": self.skipped_passages,
        }

    def line(self) -> str:
        """The closing line of ``kg ingest``.

        >>> IngestSummary(new=2, unchanged=1, leaders=3, pledges=4, triples=90).line()
        'ingested 3 sources: 2 new, 0 changed, 1 unchanged, 0 removed; wrote 3 leaders, \
4 pledges, 0 meetings, 90 triples; 0 other-language passages left out'
        """
        failed = f", {len(self.errors)} failed" if self.errors else ""
        changes = (
            f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.removed} removed"
        )
        if self.dry_run:
            return (
                f"would ingest {self.sources} sources: {changes}{failed} (dry run: nothing written)"
            )
        return (
            f"ingested {self.sources} sources: {changes}; wrote {self.leaders} leaders, "
            f"{self.pledges} pledges, {self.meetings} meetings, {self.triples} triples; "
            f"{self.skipped_passages} other-language passages left out{failed}"
        )

    def count(self, status: Status) -> None:
        """Count one source of the run by its status."""
        setattr(self, status, getattr(self, status) + 1)
