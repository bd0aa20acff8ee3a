"""Where an ingest writes (:class:`kg.ingest.run.Sink`): a store, embedded or remote, one
atomic transaction per source; or N-Quads files for ``oxigraph load``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from kg.changes import Change, Scope, Stored, released, sweep_plan
from kg.claims import refresh
from kg.config import Settings
from kg.identity import Unit
from kg.ingest.reference import ensure_reference
from kg.ingest.run import Swept
from kg.ingest.stored import relocated, stored_sources
from kg.rdf import source_iri
from kg.store import EmbeddedStore, GraphStore

DEFAULT_SOURCES_PER_FILE = 10_000


class StoreSink:
    """Writes into a store, embedded or remote: each change (the source's graph, and the older
    versions that give up its locators) in one transaction; the claims computed again at the
    end."""

    def __init__(self, store: GraphStore, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings

    def snapshot(self, units: Sequence[Unit], scope: Scope | None) -> dict[NamedNode, Stored]:
        return stored_sources(
            self.store,
            graphs=[source_iri(u.source_id) for u in units],
            locators=[w for u in units for w in u.locators],
            urls=[u.article.url for u in units if u.article.url],
            roots=scope.roots if scope else (),
        )

    def begin(self) -> None:
        ensure_reference(self.store, self.settings)

    def write(self, change: Change, quads: Sequence[Quad] | None) -> set[NamedNode]:
        store = self.store
        if quads is None:
            quads = relocated(store, change.graph, change.locators, change.paths)
        writes: dict[NamedNode, Sequence[Quad]] = {change.graph: quads}
        drops: list[NamedNode] = []
        for graph, holder in stored_sources(store, graphs=change.releases).items():
            left = released(holder, change.unit.locators)
            if left is None:
                drops.append(graph)
            else:
                writes[graph] = relocated(store, graph, left.locators, left.paths)
        store.apply(writes, drops)
        return {*writes, *drops}

    def sweep(self, scope: Scope) -> Swept:
        """Drop the sources gone from the scope and strike the files gone from the others,
        one transaction each."""
        store = self.store
        drops, patches = sweep_plan(stored_sources(store, roots=scope.roots).values(), scope)
        for graph, paths in patches.items():
            [holder] = stored_sources(store, graphs=[graph]).values()
            store.apply({graph: relocated(store, graph, holder.locators, paths)})
        for graph in drops:
            store.apply({}, [graph])
        return drops, patches

    def finish(self, touched: set[NamedNode]) -> None:
        refresh(self.store, wrote=bool(touched))


class NQuadsSink:
    """Writes N-Quads files of ``per_file`` sources each, for ``oxigraph load``.

    A file is written as ``batch-NNNNNN.nq.part`` and renamed when whole, so an interrupted
    run leaves only complete files; the reference and ontology graphs go to ``reference.nq``.
    Sources are never skipped here: the files are meant for a new store, which computes the
    claims at its next ingest.
    """

    def __init__(self, directory: Path, per_file: int = DEFAULT_SOURCES_PER_FILE) -> None:
        self.directory = directory
        self.per_file = per_file
        directory.mkdir(parents=True, exist_ok=True)
        reference = directory / "reference.nq"
        if not reference.exists():
            # The graphs every store starts with, exactly as the store sink makes them.
            scratch = EmbeddedStore(None)
            ensure_reference(scratch)
            part = reference.with_suffix(".nq.part")
            with part.open("wb") as out:
                scratch.export_dataset(out, RdfFormat.N_QUADS)
            part.replace(reference)
        taken = [int(p.name[6:12]) for p in directory.glob("batch-??????.nq")]
        self._next = max(taken, default=0) + 1
        self._file: IO[bytes] | None = None
        self._part: Path | None = None
        self._in_file = 0
        self.files: list[Path] = []

    def snapshot(self, units: Sequence[Unit], scope: Scope | None) -> dict[NamedNode, Stored]:
        return {}  # a new store holds nothing yet

    def begin(self) -> None:
        """Nothing: the reference graphs were written when the sink was made."""

    def write(self, change: Change, quads: Sequence[Quad] | None) -> set[NamedNode]:
        assert quads is not None, "a new store has no graph to update in place"
        if self._file is None:
            self._part = self.directory / f"batch-{self._next:06d}.nq.part"
            self._next += 1
            self._file = self._part.open("wb")
        serialize(quads, self._file, RdfFormat.N_QUADS)
        self._in_file += 1
        if self._in_file >= self.per_file:
            self._finish_file()
        return {change.graph}

    def sweep(self, scope: Scope) -> Swept:
        return [], {}  # a new store has nothing to remove

    def finish(self, touched: set[NamedNode]) -> None:
        """Nothing: the store the files are loaded into computes the claims (its next run
        finds sources it has not counted and counts them all)."""

    def _finish_file(self) -> None:
        if self._file is None or self._part is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        done = self._part.with_suffix("")
        self._part.replace(done)
        self.files.append(done)
        self._file, self._part, self._in_file = None, None, 0

    def close(self) -> None:
        """Rename the last file, once whole."""
        self._finish_file()
