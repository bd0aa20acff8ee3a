"""How processes share one embedded store: one writer, any number of readers.

A reader holds a shared lock on the store's ``LOCK`` file for as long as it reads, so no writer
can open the store under it. While ``kg serve`` holds the store, readers read the newest
checkpoint the server published instead (``<store>/.kg-readers/``): a copy made after a whole
write, which nobody writes, leased with a shared lock so the server does not delete it while
it is read. The server also leaves ``<store>/.kg-server.json`` saying where it listens.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     serving(Path(folder)), server_url(Path(folder))
(False, None)
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

MARKER = ".kg-server.json"
FOLDER = ".kg-readers"
CURRENT = "current"
_RETRIES = 20
# Locks of an open file description: they conflict with the store's own lock even inside the
# process that holds it, and closing another descriptor of the file does not drop them.
_SETLK = getattr(fcntl, "F_OFD_SETLK", fcntl.F_SETLK)


def read_lock(store: Path) -> int | None:
    """A shared lock on the store against writers (a descriptor to close to release it), or
    None when a writer holds the store."""
    fd = os.open(store / "LOCK", os.O_RDONLY)
    try:
        fcntl.fcntl(fd, _SETLK, struct.pack("hhqqi", fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0))
    except (BlockingIOError, PermissionError):  # EAGAIN or EACCES: a writer holds it
        os.close(fd)
        return None
    return fd


def _try_flock(path: Path, operation: int) -> int | None:
    """A descriptor of ``path`` locked with ``operation``; None when it is missing or the
    lock is held elsewhere."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, operation)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def serving(store: Path) -> bool:
    """True while a server publishes checkpoints of ``store`` (it holds their folder locked)."""
    try:
        fd = os.open(store / FOLDER, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def server_url(store: Path) -> str | None:
    """Where the server that holds ``store`` listens, while one does."""
    if not serving(store):
        return None
    try:
        url = json.loads((store / MARKER).read_text("utf-8")).get("url")
    except (OSError, ValueError, AttributeError):
        return None
    return url if isinstance(url, str) else None


@dataclass
class Lease:
    """A checkpoint held open for reading; the server leaves it alone until released."""

    path: Path
    fd: int

    def release(self) -> None:
        """Let the checkpoint go, and delete it when no server is left to (it outlived one)."""
        os.close(self.fd)
        if not serving(self.path.parent.parent):
            remove_unleased(self.path)


def lease_checkpoint(store: Path) -> Lease | None:
    """The newest checkpoint the running server published, leased; None without a server."""
    root = store / FOLDER
    for _ in range(_RETRIES):
        if not serving(store):
            return None
        try:
            name = (root / CURRENT).read_text("utf-8").strip()
        except FileNotFoundError:
            return None  # the server has not published one yet
        if not name.isdigit():
            return None
        path = root / name
        fd = _try_flock(path, fcntl.LOCK_SH)  # waits only while the server deletes it
        if fd is None:
            continue
        with contextlib.suppress(FileNotFoundError):
            found, held = os.stat(path), os.fstat(fd)
            if (found.st_dev, found.st_ino) == (held.st_dev, held.st_ino):
                return Lease(path, fd)
        os.close(fd)  # deleted meanwhile: a newer one is current
    return None


# The server's side


def hold_folder(store: Path) -> int:
    """Create the checkpoint folder and lock it for as long as this server runs."""
    root = store / FOLDER
    root.mkdir(exist_ok=True)
    fd = os.open(root, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def publish(path: Path) -> None:
    """Make the checkpoint ``path`` (in the folder) the one new readers lease."""
    pending = path.parent / (CURRENT + ".new")
    pending.write_text(path.name, "utf-8")
    os.replace(pending, path.parent / CURRENT)


def remove_unleased(path: Path) -> bool:
    """Delete a checkpoint unless a reader holds it; True when it is gone."""
    fd = _try_flock(path, fcntl.LOCK_EX | fcntl.LOCK_NB)
    if fd is None:
        return not path.exists()
    try:
        # Renamed first, so that a reader waiting for its lock finds the name gone.
        doomed = path.with_name(f"{path.name}.gone-{os.getpid()}")
        os.rename(path, doomed)
    except OSError:
        return not path.exists()
    finally:
        os.close(fd)
    shutil.rmtree(doomed, ignore_errors=True)
    return True
