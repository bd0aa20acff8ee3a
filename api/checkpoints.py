"""Read-only checkpoints of the embedded store, for the query worker processes.

A read-only handle on a store another process writes is undefined behaviour in Oxigraph, so the
workers never open the live store. After every write through the server (an update, an
ingest), the writer makes a checkpoint with ``Store.backup``: a directory of hard links to the
store's immutable files, made in milliseconds, that no one ever writes. Queries started after
that read it; queries still running keep their own checkpoint to the end, so a query sees the
store as it was when it started, never part of a write. A checkpoint is deleted once no worker
has it open and a newer one exists, so there are at most as many as workers, plus one.

They live in ``<store>/.kg-readers/``, where other processes read them too (``kg query``,
``kg export`` ... while the server runs, through :mod:`kg.sharing`): the newest is named in
``current``, and one a reader has leased is left until it lets go. They are removed when the
server stops (and any left by a server that was killed, when the next one starts).
"""

from __future__ import annotations

import itertools
import logging
import os
from pathlib import Path

from kg import sharing
from kg.store import EmbeddedStore, StoreError

log = logging.getLogger("api.checkpoints")


class Checkpoints:
    """The checkpoints of one embedded store. :meth:`make` runs in the writer's thread;
    :meth:`publish` and :meth:`sweep` on the event loop."""

    def __init__(self, store: EmbeddedStore) -> None:
        if store.location == ":memory:":
            raise StoreError("the server's query workers cannot read an in-memory store")
        self.store = store
        self.root = Path(store.location) / sharing.FOLDER
        # Left by a server that was killed: gone before readers take this server for its maker.
        (self.root / sharing.CURRENT).unlink(missing_ok=True)
        self._hold = sharing.hold_folder(Path(store.location))
        left = self._remove_all()
        self._numbers = itertools.count(max(left, default=0) + 1)
        self.current: str | None = None

    def make(self) -> str:
        """A new checkpoint of the store as it is now."""
        target = self.root / str(next(self._numbers))
        self.store.backup(target)
        return str(target)

    def publish(self, path: str) -> None:
        """Make ``path`` the checkpoint new queries (and other processes) read."""
        self.current = path
        try:
            sharing.publish(Path(path))
        except OSError as exc:
            log.error("cannot name the newest checkpoint for other readers: %s", exc)

    def sweep(self, held: set[str]) -> None:
        """Delete the checkpoints older than the current one that neither a worker (``held``)
        nor another process has open (newer ones may still be being made)."""
        if self.current is None:
            return
        newest = int(Path(self.current).name)
        for path in self.root.iterdir():
            if path.name.isdigit() and int(path.name) < newest and str(path) not in held:
                sharing.remove_unleased(path)

    def _remove_all(self) -> list[int]:
        """Delete every checkpoint no reader holds; the numbers of those left."""
        left: list[int] = []
        for path in self.root.iterdir():
            if path.is_dir() and not sharing.remove_unleased(path) and path.name.isdigit():
                left.append(int(path.name))
        return left

    def close(self) -> None:
        (self.root / sharing.CURRENT).unlink(missing_ok=True)
        self._remove_all()
        os.close(self._hold)
        try:
            self.root.rmdir()
        except OSError:
            pass  # a reader still holds a checkpoint: it deletes it when done
