"""The dask engine: extraction spread over a dask.distributed cluster.

Articles go to the workers in chunks; each worker process loads the spaCy pipeline once; results
come back as chunks finish, and the ingest loop (:func:`kg.ingest.ingest`) writes each source
whole through its sink. A dead worker's chunks are run again by the scheduler.
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from distributed import Client, Future, LocalCluster, as_completed
from distributed.diagnostics.plugin import NannyPlugin, WorkerPlugin

from kg.ingest.engines import chunks
from kg.ingest.run import EngineError
from kg.nlp import load_pipeline
from kg.pipeline import extract_articles
from kg.records import Article, Extraction
from kg.sources import SourceError

ENGINES = ("dask",)
# Articles per task. At 2,000 generated articles on two local workers, chunks of 32 used 12%
# less CPU per article than chunks of 8 (scheduler and per-chunk store reads), and a dead
# worker's lost work is still under a second per chunk.
DEFAULT_CHUNK = 32
ALONE_ATTEMPTS = 2
_PLUGIN_NAME = "kg-pipeline"
_ENVIRONMENT_PLUGIN = "kg-environment"


class DistributedError(EngineError):
    """The cluster cannot be reached or has no workers, said in one line."""


@dataclass(frozen=True)
class Failed:
    """An article's error as it travels back from a worker (a SourceError does not unpickle)."""

    origin: str
    reason: str
    line: int | None = None

    @classmethod
    def of(cls, error: SourceError) -> Failed:
        return cls(error.origin, error.reason, error.line)

    def error(self) -> SourceError:
        return SourceError(self.origin, self.reason, self.line)


Outcome = Extraction | Failed


def extract_chunk(articles: list[Article], model: str, batch_size: int) -> list[Outcome]:
    """One task: the outcome of each article of a chunk, in order (runs on a worker, where
    :func:`kg.nlp.load_pipeline` keeps the pipeline loaded between tasks)."""
    return [
        Failed.of(item) if isinstance(item, SourceError) else item
        for item in extract_articles(articles, model, batch_size)
    ]


class PipelineLoader(WorkerPlugin):
    """Loads the spaCy pipeline as each worker starts, so no task pays for it; a worker that
    replaces a dead one loads it again."""

    idempotent = True

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: object) -> None:
        load_pipeline(self.model)


class WorkerEnvironment(NannyPlugin):
    """Restarts each worker once without dask's ``MALLOC_TRIM_THRESHOLD_`` and profiler.

    Setting that variable turns off glibc's adaptive mmap threshold, so every large array spaCy
    allocates is a fresh mmap: a worker used about a fifth more CPU per article with it
    (docs/distributed.md). A worker without a nanny is left as it is.
    """

    restart = True
    idempotent = True

    def setup(self, nanny: Any) -> None:
        # The nanny also leaves the variable in its own environment after the first spawn.
        for variables in (nanny.pre_spawn_env, nanny.env, os.environ):
            variables.pop("MALLOC_TRIM_THRESHOLD_", None)
        # The statistical profiler samples every thread's stack every 10 ms; the tasks here
        # are one long CPU-bound call, so it only costs time.
        worker = nanny.config.setdefault("distributed", {}).setdefault("worker", {})
        worker.setdefault("profile", {})["enabled"] = False


@contextmanager
def connect(address: str | None, *, workers: int = 2, timeout: float = 30.0) -> Iterator[Client]:
    """A client of the scheduler at ``address`` (``tcp://HOST:PORT``, or a scheduler JSON file);
    without one, of a local cluster of ``workers`` single-threaded processes on loopback."""
    cluster: LocalCluster | None = None
    try:
        if address is None:
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = Client(cluster, set_as_default=False)  # type: ignore[no-untyped-call]
        elif address.endswith(".json"):
            client = Client(  # type: ignore[no-untyped-call]
                scheduler_file=address, timeout=timeout, set_as_default=False
            )
        else:
            client = Client(  # type: ignore[no-untyped-call]
                address, timeout=timeout, set_as_default=False
            )
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        where = address or "a local cluster"
        raise DistributedError(f"cannot reach the dask scheduler at {where}: {exc}") from None
    try:
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


def run_chunks(
    client: Client,
    chunks: Iterable[list[Article]],
    model: str,
    batch_size: int,
    *,
    in_flight: int | None = None,
    wait_for_workers: float = 60.0,
) -> Iterator[tuple[list[Article], list[Outcome]]]:
    """Each chunk with its outcomes, in the order chunks finish.

    At most ``in_flight`` chunks are out at once, so a corpus of millions is never held by
    the scheduler. A chunk whose workers kept dying (dask's ``allowed-failures``) is split and
    its articles tried alone, one at a time, so one poisonous article does not fail its
    neighbours. Dask counts a worker's death against every task the worker held, so an
    article that fails alone may have been a bystander of another chunk's poison: it gets
    ``ALONE_ATTEMPTS`` tries before it is reported as failed.
    """
    try:
        client.wait_for_workers(1, timeout=wait_for_workers)
        client.register_plugin(WorkerEnvironment(), name=_ENVIRONMENT_PLUGIN)
        client.wait_for_workers(1, timeout=wait_for_workers)
    except TimeoutError:
        raise DistributedError(
            f"no dask worker joined the scheduler within {wait_for_workers:.0f} s; "
            "start workers with `dask worker ADDRESS --nthreads 1`"
        ) from None
    client.register_plugin(PipelineLoader(model), name=_PLUGIN_NAME)
    if in_flight is None:
        # Enough queued that a worker never waits for the next chunk to be sent (a chunk
        # takes about a second), few enough to keep memory flat.
        threads = client.nthreads()  # type: ignore[no-untyped-call]
        in_flight = max(8, 4 * sum(threads.values()))
    pending: dict[Future[list[Outcome]], list[Article]] = {}
    # Articles of split chunks, run one at a time, with the attempts each has had alone.
    alone: deque[tuple[Article, int]] = deque()
    attempts: dict[Future[list[Outcome]], int] = {}
    # Results are fetched in the background as tasks finish, not one round trip per chunk.
    finished = as_completed(  # type: ignore[no-untyped-call]
        loop=client.loop, with_results=True, raise_errors=False
    )
    source = iter(chunks)

    def submit(chunk: list[Article]) -> Future[list[Outcome]]:
        future: Future[list[Outcome]] = client.submit(
            extract_chunk,
            chunk,
            model,
            batch_size,
            key=f"kg-extract-{uuid.uuid4().hex}",
            pure=False,
        )
        pending[future] = chunk
        finished.add(future)  # type: ignore[no-untyped-call]
        return future

    def top_up() -> None:
        if alone and not attempts:
            article, tried = alone.popleft()
            attempts[submit([article])] = tried + 1
        while len(pending) < in_flight:
            chunk = next(source, None)
            if chunk is None:
                return
            submit(chunk)

    top_up()
    for future, result in finished:
        chunk = pending.pop(future)
        tried = attempts.pop(future, 0)
        if future.status == "finished":
            outcomes: list[Outcome] = result
        else:  # the task raised, or dask gave up on it after workers kept dying under it
            exc = future.exception()
            if _killed_worker(exc) and (len(chunk) > 1 or tried < ALONE_ATTEMPTS):
                future.release()
                alone.extend((article, tried) for article in chunk)
                top_up()
                continue
            reason = f"extraction failed on the cluster: {type(exc).__name__}: {exc}"
            outcomes = [Failed(article.origin, reason[:500]) for article in chunk]
        future.release()
        yield chunk, outcomes
        top_up()


def _killed_worker(exc: BaseException | None) -> bool:
    return type(exc).__name__ == "KilledWorker"


@dataclass(frozen=True)
class Dask:
    """Extraction on the dask cluster at ``address`` (``tcp://HOST:PORT`` or a scheduler JSON
    file; a local one of ``workers`` processes when None), results as chunks finish."""

    model: str
    batch_size: int = 32
    address: str | None = None
    workers: int = 2
    chunk_size: int = DEFAULT_CHUNK

    def extract(self, articles: list[Article]) -> Iterator[Extraction | SourceError]:
        if not articles:
            return
        with connect(self.address, workers=self.workers) as client:
            finished = run_chunks(
                client, chunks(articles, self.chunk_size), self.model, self.batch_size
            )
            for _, outcomes in finished:
                for outcome in outcomes:
                    yield outcome.error() if isinstance(outcome, Failed) else outcome


def check_engine(engine: str) -> None:
    """A one-line refusal of an engine other than dask.

    >>> check_engine("dask")
    >>> check_engine("ray")
    Traceback (most recent call last):
    ...
    kg.ingest.cluster.DistributedError: engine 'ray' is not supported: use --engine dask
    """
    if engine not in ENGINES:
        raise DistributedError(f"engine {engine!r} is not supported: use --engine dask")
