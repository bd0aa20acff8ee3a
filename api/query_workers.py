"""The SPARQL lane: a fixed number of worker processes (``api.worker``) that evaluate clients'
queries, each behind a fair slot (``api.lanes``).

A query gets a worker, the worker sends back the whole answer or a failure, and the worker is
free again. At the deadline the server kills the worker (SIGKILL) and starts another: the 503
means the work stopped, since pyoxigraph cannot cancel a query any other way. A worker that
dies on its own (out of memory, a crash of the engine) costs its one request a 503, never the
server. A client that leaves before its answer is sent also has its worker killed.

Workers read the embedded store through checkpoints (``api.checkpoints``): a job names the
checkpoint current when it starts, and a worker reopens when that changes. For a remote store
they send the query to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.responses import JSONResponse
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from api.evaluation import memory_message, timeout_message
from api.frames import END, FAILURE, JOB, READY, PipeClosedError, encode_frame, read_frame_async
from api.lanes import Lane
from api.middleware import StreamAbortedError
from api.runner import Deadline, QueryTimeoutError
from kg.config import Settings

log = logging.getLogger("api.workers")

GRACE = 0.25
"""Seconds past a deadline to let a worker report its own time-out before it is killed."""
START_SECONDS = 60.0
"""How long a new worker may take to import, open the store and say it is ready."""
WHOLE_BYTES = 256 * 1024
"""Answers up to this size are read from the worker whole, so the worker is free at once."""
# Fewer malloc arenas reserve less address space (the memory cap counts it); a worker that runs
# out of memory says so in one line, without a backtrace.
WORKER_ENV = {"MALLOC_ARENA_MAX": "2", "RUST_BACKTRACE": "0"}


class WorkerDiedError(Exception):
    """The worker process ended in the middle of a job (out of memory, or a crash)."""


class Worker:
    """One worker process and the pipes to it."""

    def __init__(self, number: int, settings: Settings) -> None:
        self.number = number
        self.settings = settings
        self.process: asyncio.subprocess.Process | None = None
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.views: set[str] = set()
        """Checkpoints this worker may have open (while it reopens, the old and the new)."""

    async def boot(self, view: str | None) -> None:
        """Start the process; ``ready`` resolves once it says it can take jobs."""
        ready = self.ready
        self.views = {view} if view else set()  # held from now on: not to be swept meanwhile
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "api.worker",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env={**os.environ, **WORKER_ENV},
            )
            self.send(
                {
                    "parent": os.getpid(),
                    "view": view,
                    "settings": self.settings.model_dump(mode="json", exclude={"api_token"}),
                }
            )
            kind, _ = await asyncio.wait_for(self._receive(), START_SECONDS)
            if kind != READY:
                raise WorkerDiedError(f"unexpected first message {kind!r}")
            ready.set_result(None)
        except (OSError, TimeoutError, PipeClosedError, WorkerDiedError) as exc:
            log.error("query worker %d did not start: %s", self.number, exc)
            self.kill()
            ready.set_exception(WorkerDiedError("a query worker could not be started"))
            ready.exception()  # marked as retrieved; each waiter gets the error itself

    def send(self, value: dict[str, Any]) -> None:
        if self.process is None or self.process.stdin is None:
            raise WorkerDiedError
        try:
            self.process.stdin.write(encode_frame(JOB, json.dumps(value).encode()))
        except (ConnectionError, RuntimeError):
            raise WorkerDiedError from None

    async def _receive(self) -> tuple[bytes, bytes]:
        if self.process is None or self.process.stdout is None:
            raise PipeClosedError
        return await read_frame_async(self.process.stdout)

    async def receive(self, timeout: float) -> tuple[bytes, bytes]:
        """The next frame; TimeoutError after ``timeout``, WorkerDiedError if it died."""
        try:
            return await asyncio.wait_for(self._receive(), max(0.0, timeout))
        except PipeClosedError:
            raise WorkerDiedError from None

    def kill(self) -> None:
        """Stop the process now: it only reads, so nothing needs a clean shutdown."""
        self.views = set()
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGKILL)

    async def reap(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                await self.process.wait()


class _WorkerResponse(StreamingResponse):
    """A streamed answer whose worker is handed back (or killed) however the sending ends."""

    def __init__(self, body: AsyncIterator[bytes], done: Callable[[bool], None], **kw: Any):
        super().__init__(body, **kw)
        self._done = done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._done(True)  # a no-op when the worker already sent its end


class QueryWorkers:
    """``settings.query_workers`` worker processes behind one fair lane."""

    def __init__(
        self,
        settings: Settings,
        view: str | None = None,
        on_views: Callable[[set[str]], None] | None = None,
    ) -> None:
        self.settings = settings
        self.lane = Lane("sparql", settings.query_workers)
        self.workers = [Worker(n, settings) for n in range(settings.query_workers)]
        self._idle = list(self.workers)
        self.view = view
        self._on_views = on_views
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def busy(self) -> int:
        return self.lane.busy

    async def start(self) -> None:
        await asyncio.gather(*(w.boot(self.view) for w in self.workers))

    def publish(self, view: str) -> None:
        """Make ``view`` the checkpoint that jobs started from now on read."""
        self.view = view
        self._report_views()

    def held(self) -> set[str]:
        """Every checkpoint a worker may have open, and the current one."""
        held = {v for w in self.workers for v in w.views}
        return held | ({self.view} if self.view else set())

    def _report_views(self) -> None:
        if self._on_views is not None:
            self._on_views(self.held())

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and start a new process in its place, in the background."""
        worker.kill()
        worker.ready = asyncio.get_running_loop().create_future()

        async def restart() -> None:
            await worker.reap()
            await worker.boot(self.view)

        task = asyncio.ensure_future(restart())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ready(self, worker: Worker, client: str, deadline: Deadline) -> None:
        """Wait until ``worker`` runs; on failure its slot is given back."""
        failed = worker.ready.done() and worker.ready.exception() is not None
        died = worker.process is not None and worker.process.returncode is not None
        if failed or (worker.ready.done() and died):
            self._replace(worker)  # it did not start, or died while idle: start another
        try:
            await asyncio.wait_for(asyncio.shield(worker.ready), deadline.remaining())
        except BaseException as exc:
            self._idle.append(worker)
            self.lane.release(client)
            if isinstance(exc, TimeoutError):
                raise QueryTimeoutError(deadline.limit) from None
            raise

    async def run(self, job: dict[str, Any], client: str, deadline: Deadline) -> Response:
        """Answer one query job within ``deadline``."""
        await self.lane.acquire(client, deadline.remaining())
        worker = self._idle.pop()
        try:
            await self._ready(worker, client, deadline)
        except WorkerDiedError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=503)
        view = self.view
        finished = False

        def done(kill: bool) -> None:
            nonlocal finished
            if finished:
                return
            finished = True
            if kill:
                self._replace(worker)
            else:
                worker.views = {view} if view else set()
            self._idle.append(worker)
            self.lane.release(client)
            self._report_views()

        try:
            if view:
                worker.views.add(view)
            worker.send({**job, "view": view, "seconds": deadline.remaining()})
            kind, payload = await worker.receive(deadline.remaining() + GRACE)
            if kind == FAILURE:
                done(False)
                failure = json.loads(payload)
                return JSONResponse(
                    {"detail": failure["message"]},
                    status_code=failure["status"],
                    headers=failure["headers"],
                )
            meta = json.loads(payload)
            chunks: list[bytes] = []
            size = 0
            while size <= WHOLE_BYTES:
                kind, payload = await worker.receive(deadline.remaining() + GRACE)
                if kind == END:
                    done(False)
                    return Response(
                        b"".join(chunks), media_type=meta["media_type"], headers=meta["headers"]
                    )
                chunks.append(payload)
                size += len(payload)
        except TimeoutError:
            done(True)
            raise QueryTimeoutError(deadline.limit) from None
        except WorkerDiedError:
            done(True)
            return JSONResponse(
                {"detail": memory_message(self.settings.query_memory_mb)}, status_code=503
            )
        except BaseException:  # the client left, or the server is stopping: stop the work too
            done(True)
            raise
        return _WorkerResponse(
            self._rest(worker, chunks, deadline, done),
            done,
            media_type=meta["media_type"],
            headers=meta["headers"],
        )

    async def _rest(
        self,
        worker: Worker,
        chunks: list[bytes],
        deadline: Deadline,
        done: Callable[[bool], None],
    ) -> AsyncIterator[bytes]:
        """The first chunks, then the rest as the worker sends it."""
        for chunk in chunks:
            yield chunk
        try:
            while True:
                kind, payload = await worker.receive(deadline.remaining() + GRACE)
                if kind == END:
                    done(False)
                    return
                yield payload
        except TimeoutError:
            raise StreamAbortedError(timeout_message(deadline.limit)) from None
        except WorkerDiedError:
            raise StreamAbortedError("the query worker died while sending") from None

    def shutdown(self) -> None:
        for worker in self.workers:
            worker.kill()
