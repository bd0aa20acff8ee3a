"""Running blocking store work off the event loop on threads: REST lookups, health checks,
exports and the single writer. Each pool of threads is a fair lane (``api.lanes``), every
request has a deadline, and a channel carries a result's bytes back to the event loop as they
are made, with back-pressure.

Only work whose cost the server itself bounds runs here: the lookups' fixed queries, dumps, and
writes. SPARQL queries from clients run in worker processes (``api.query_workers``), because a
thread cannot be stopped: pyoxigraph has no way to cancel a query.

Result objects of pyoxigraph are bound to the thread that made them (touching one from another
thread aborts the process), so one thread evaluates, iterates and serialises, and hands bytes on.

>>> pool = WorkerPool("doc", 1)
>>> import asyncio
>>> asyncio.run(pool.call(lambda: 6 * 7, "client", timeout=5.0))
42
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar, cast

from api.lanes import Lane

T = TypeVar("T")
log = logging.getLogger("api.runner")

CHUNK_BYTES = 64 * 1024
CHANNEL_CAPACITY = 8


class QueryTimeoutError(Exception):
    """The work did not finish within the time limit."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        super().__init__(f"stopped after the time limit of {limit:g} s")


class ConsumerGoneError(Exception):
    """The client stopped reading (it left, or the request timed out)."""


@dataclass(frozen=True)
class Deadline:
    """A point in monotonic time by which work must finish."""

    limit: float
    at: float = field(default=0.0)

    @staticmethod
    def after(seconds: float) -> Deadline:
        return Deadline(seconds, time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def check(self) -> None:
        """Raise :class:`QueryTimeoutError` once the deadline has passed."""
        if self.passed():
            raise QueryTimeoutError(self.limit)


class WorkerPool:
    """A fixed set of daemon threads behind a fair lane of as many slots; a job holds its slot
    until it returns.

    Daemon threads, because work that cannot be interrupted must not keep the process alive at
    shutdown. ``stack_bytes`` gives the threads a larger stack than the default, for work that
    recurses deeply (the writer parses updates).
    """

    def __init__(self, name: str, size: int, stack_bytes: int | None = None) -> None:
        self.name = name
        self.size = size
        self.lane = Lane(name, size)
        self._stack = stack_bytes
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def _ensure_threads(self) -> None:
        with self._lock:
            while len(self._threads) < self.size:
                previous = threading.stack_size(self._stack) if self._stack else None
                try:
                    thread = threading.Thread(
                        target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True
                    )
                    thread.start()
                finally:
                    if previous is not None:
                        threading.stack_size(previous)
                self._threads.append(thread)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job()
            except BaseException:  # noqa: BLE001 - a job's failure must not kill the thread
                log.exception("worker job failed")

    @property
    def busy(self) -> int:
        """How many slots are taken now."""
        return self.lane.busy

    async def submit(self, job: Callable[[], None], client: str, deadline: Deadline) -> None:
        """Start ``job`` on a free thread, waiting for one until ``deadline``; the slot is
        held until the job returns."""
        await self.lane.acquire(client, deadline.remaining())
        self._ensure_threads()
        loop = asyncio.get_running_loop()
        released = threading.Event()

        def release() -> None:
            if released.is_set():
                return
            released.set()
            try:
                loop.call_soon_threadsafe(self.lane.release, client)
            except RuntimeError:  # the loop is closed: nobody waits for the slot any more
                pass

        def run() -> None:
            try:
                job()
            finally:
                release()

        self._jobs.put(run)

    async def call(self, fn: Callable[[], T], client: str, timeout: float) -> T:
        """Run ``fn`` on a worker and return its result, or raise at the deadline."""
        deadline = Deadline.after(timeout)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def settle(value: Any, error: BaseException | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(value)

        def job() -> None:
            value: Any = None
            error: BaseException | None = None
            try:
                value = fn()
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting request
                error = exc
            try:
                loop.call_soon_threadsafe(settle, value, error)
            except RuntimeError:
                pass

        await self.submit(job, client, deadline)
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout=deadline.remaining())
        except TimeoutError:
            raise QueryTimeoutError(timeout) from None

    def shutdown(self) -> None:
        """Ask idle threads to stop; busy daemon threads end with the process."""
        for _ in self._threads:
            self._jobs.put(None)


@dataclass(frozen=True)
class Start:
    """The first piece of a response: its media type, headers and first bytes."""

    media_type: str
    body: bytes
    complete: bool
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200


@dataclass(frozen=True)
class Data:
    body: bytes


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class Failure:
    """The work failed before anything was sent: answer with this status and message."""

    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Abort:
    """The work failed after the response started: the connection must be cut."""

    reason: str


Message = Start | Data | End | Failure | Abort


class Channel:
    """Carries messages from one worker thread to the event loop, with back-pressure: the
    worker waits (until its deadline) when the client reads slower than it writes."""

    def __init__(self, loop: asyncio.AbstractEventLoop, capacity: int = CHANNEL_CAPACITY) -> None:
        self._loop = loop
        self._queue: asyncio.Queue[Message] = asyncio.Queue()
        self._credits = threading.Semaphore(capacity)
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def put(self, message: Message, deadline: Deadline | None, *, final: bool = False) -> None:
        """Send from the worker; raises when the reader has gone or the deadline passes."""
        if self._closed.is_set():
            raise ConsumerGoneError
        if not final:
            timeout = None if deadline is None else deadline.remaining()
            if not self._credits.acquire(timeout=timeout):
                assert deadline is not None
                raise QueryTimeoutError(deadline.limit)
            if self._closed.is_set():
                raise ConsumerGoneError
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, message)
        except RuntimeError:
            raise ConsumerGoneError from None

    async def get(self, timeout: float) -> Message:
        """The next message, or :class:`QueryTimeoutError` when none comes in time."""
        try:
            message = await asyncio.wait_for(self._queue.get(), timeout=timeout)
        except TimeoutError:
            raise QueryTimeoutError(timeout) from None
        self._credits.release()
        return message

    def close(self) -> None:
        """The reader is done: make the worker stop at its next write."""
        self._closed.set()
        self._credits.release()


class ChunkWriter:
    """A binary file for the worker to write a response into; bytes go out in chunks of
    :data:`CHUNK_BYTES`, so a small result is sent whole (with its length) and a large one
    streams. Every write checks the deadline."""

    def __init__(
        self,
        channel: Channel,
        deadline: Deadline,
        media_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.channel = channel
        self.deadline = deadline
        self.media_type = media_type
        self.headers = headers or {}
        self.started = False
        self.stopped: BaseException | None = None
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def as_file(self) -> IO[bytes]:
        """This writer where a binary file is expected (only ``write`` is ever called)."""
        return cast(IO[bytes], self)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        try:
            self.deadline.check()
            self._buffer += data
            if len(self._buffer) >= CHUNK_BYTES:
                self._send()
        except (QueryTimeoutError, ConsumerGoneError) as exc:
            self.stopped = exc
            raise
        return len(data)

    def flush(self) -> None:
        """Kept for file-like callers; chunks are sent by size, not on flush."""

    def _send(self) -> None:
        body = bytes(self._buffer)
        self._buffer.clear()
        if not self.started:
            self.started = True
            start = Start(self.media_type, body, complete=False, headers=self.headers)
            self.channel.put(start, self.deadline)
        else:
            self.channel.put(Data(body), self.deadline)

    def finish(self) -> None:
        """Send what is left and mark the end."""
        if not self.started:
            self.started = True
            body = bytes(self._buffer)
            start = Start(self.media_type, body, complete=True, headers=self.headers)
            self.channel.put(start, None, final=True)
            return
        if self._buffer:
            self._send()
        self.channel.put(End(), None, final=True)

    def fail(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        """Report a failure: as an error response if nothing was sent, else by cutting it."""
        try:
            if not self.started:
                self.channel.put(Failure(status, message, headers or {}), None, final=True)
            else:
                self.channel.put(Abort(message), None, final=True)
        except ConsumerGoneError:
            pass
