"""A query worker process (``python -m api.worker``): it evaluates SPARQL queries for the server
and sends their serialized results back, one job at a time, over its standard input and output
(``api.frames``).

It is built to be killed: the server kills it at a query's deadline and starts another, since
pyoxigraph cannot stop an evaluation. Its address space is capped a query's memory budget above
what it uses once started (``KG_QUERY_MEMORY_MB``), so a query that needs more dies here, not
in the server. It dies with the server, runs at a lower CPU priority than the server (whose
health checks and lookups then stay responsive), and opens the store read-only: a checkpoint
of the embedded store that nobody writes, or a remote SPARQL server.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import IO, Any

from api.evaluation import Context, memory_message, run_query
from api.frames import (
    DATA,
    END,
    FAILURE,
    JOB,
    READY,
    START,
    PipeClosedError,
    read_frame,
    write_frame,
    write_json,
)
from api.runner import Deadline
from api.sparql_protocol import Operation, ProtocolError
from kg.config import Settings
from kg.store import EmbeddedStore, GraphStore, open_store

CHUNK_BYTES = 64 * 1024
NICENESS = 5
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when the server dies (Linux), so a query that runs
    for hours cannot outlive it."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the server died before the request above
        os._exit(1)


def address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc is not available)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def cap_memory(budget_mb: int) -> None:
    """Cap the address space at what the process uses now plus ``budget_mb``: allocations past
    it fail and the process dies, which the server reports as one failed query."""
    used = address_space()
    if used:
        limit = used + budget_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class Views:
    """The store this worker reads: the checkpoint a job names, reopened when it changes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path: str | None = None
        self.store: GraphStore | None = None

    def get(self, path: str | None) -> GraphStore:
        if self.store is not None and path == self.path:
            return self.store
        if self.store is not None:
            self.store.close()
            self.store = None
        if path is None:
            self.store = open_store(self.settings)
        else:
            self.store = EmbeddedStore(Path(path), checkpoint=True)
        self.path = path
        return self.store


def answer(out: IO[bytes], views: Views, job: dict[str, Any]) -> None:
    """Run one job and send its result (or failure)."""
    operation = Operation(
        "query",
        job["text"],
        job["default_graphs"],
        job["named_graphs"],
        job["format"],
    )
    context = Context(
        base_iri=job["base_iri"],
        accept=job["accept"],
        deadline=Deadline(job["limit"], time.monotonic() + job["seconds"]),
        result_limit=job["result_limit"],
        allow_service=job["allow_service"],
    )
    try:
        result = run_query(views.get(job["view"]), operation, context)
    except ProtocolError as exc:
        failure = {"status": exc.status, "message": exc.message, "headers": exc.headers}
        write_json(out, FAILURE, failure)
        return
    write_json(out, START, {"media_type": result.media_type, "headers": result.headers})
    body = memoryview(result.body)
    for start in range(0, len(body), CHUNK_BYTES):
        write_frame(out, DATA, body[start : start + CHUNK_BYTES].tobytes())
    write_frame(out, END)


def serve(source: IO[bytes], out: IO[bytes]) -> None:
    config = json.loads(read_frame(source)[1])
    die_with_parent(config["parent"])
    settings = Settings(**config["settings"])
    views = Views(settings)
    if config["view"] is not None or settings.is_remote:
        views.get(config["view"])
    cap_memory(settings.query_memory_mb)
    write_frame(out, READY)
    while True:
        kind, payload = read_frame(source)
        if kind != JOB:
            continue
        try:
            answer(out, views, json.loads(payload))
        except MemoryError:
            message = memory_message(settings.query_memory_mb)
            write_json(out, FAILURE, {"status": 503, "message": message, "headers": {}})
            os._exit(3)  # the heap may be in any state: let the server start a fresh worker
        except Exception:  # noqa: BLE001 - reported as a failed request, logged to stderr
            traceback.print_exc()
            failure = {"status": 500, "message": "internal server error", "headers": {}}
            write_json(out, FAILURE, failure)


def main() -> None:
    # Frames go out on a copy of standard output; anything else printed goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server, which kills us
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(NICENESS)
    try:
        serve(sys.stdin.buffer, out)
    except (BrokenPipeError, PipeClosedError, KeyboardInterrupt):
        pass  # the server has gone
    except Exception as exc:  # noqa: BLE001 - e.g. the store could not be opened: one line
        print(f"kg query worker: {type(exc).__name__}: {exc}", file=sys.stderr)


if __name__ == "__main__":
    main()
