"""Read-only checkpoints of the embedded store, for the query worker processes.

A read-only handle on a store another process writes is undefined behaviour in Oxigraph, so the
workers never open the live store. After every write through the server (an update, an
ingest), the writer makes a checkpoint with ``Store.backup``: a directory of hard links to the
store's immutable files, made in milliseconds, that no one ever writes. Queries started after
that read it; queries still running keep their own checkpoint to the end, so a query sees the
store as it was when it started, never part of a write. A checkpoint is deleted once no worker
has it open and a newer one exists, so there are at most as many as workers, plus one.

They live in ``<store>/.kg-readers/`` and are removed when the server stops (and any left by a
server that was killed, when the next one starts).
"""

from __future__ import annotations

import itertools
import logging
import shutil
from pathlib import Path

from kg.store import EmbeddedStore, StoreError

log = logging.getLogger("api.checkpoints")
FOLDER = ".kg-readers"


class Checkpoints:
    """The checkpoints of one embedded store. :meth:`make` runs in the writer's thread;
    :meth:`publish` and :meth:`sweep` on the event loop."""

    def __init__(self, store: EmbeddedStore) -> None:
        if store.location == ":memory:":
            raise StoreError("the server's query workers cannot read an in-memory store")
        self.store = store
        self.root = Path(store.location) / FOLDER
        self._numbers = itertools.count(1)
        self.current: str | None = None
        shutil.rmtree(self.root, ignore_errors=True)  # left by a server that was killed
        self.root.mkdir()

    def make(self) -> str:
        """A new checkpoint of the store as it is now."""
        target = self.root / str(next(self._numbers))
        self.store.backup(target)
        return str(target)

    def publish(self, path: str) -> None:
        """Make ``path`` the checkpoint new queries read."""
        self.current = path

    def sweep(self, held: set[str]) -> None:
        """Delete the checkpoints older than the current one that are not in ``held`` (newer
        ones may still be being made)."""
        if self.current is None:
            return
        newest = int(Path(self.current).name)
        for path in self.root.iterdir():
            if path.name.isdigit() and int(path.name) < newest and str(path) not in held:
                shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
