"""Articles per second of a whole ingest on one machine: one process, plain multiprocessing
(``kg ingest --workers 2``), a local dask cluster of two worker processes (``kg ingest
--engine dask``) and, with ``--with-ray``, the same on a local ray cluster for comparison.

Every run ingests the same generated corpus (``bench.corpus``) into an in-memory store through
the same writing path, and is timed with its workers already up and warm, except
multiprocessing, whose pool starts inside each ingest as it does for ``kg ingest --workers``.
The CPU seconds of the whole process tree (this process, the workers, the engine's daemons)
are counted too: on a shared machine the wall-clock figures move with other load, the CPU
figures much less. Run ``python -m bench.distributed --help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.corpus import CorpusGenerator
from bench.measure import free_port, median
from kg.changes import IngestSummary
from kg.config import Settings
from kg.ingest import ingest
from kg.ingest.cluster import DEFAULT_CHUNK, Dask, Failed, extract_chunk
from kg.ingest.engines import chunks, local
from kg.ingest.sinks import StoreSink
from kg.nlp import load_pipeline
from kg.records import Article, Extraction
from kg.sources import SourceError
from kg.store import EmbeddedStore

STARTUP_SECONDS = 120.0


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"bench: the `{name}` command is missing")
    return found


@dataclass
class LocalDaskCluster:
    """A dask scheduler and ``workers`` single-threaded worker processes on loopback, each a
    subprocess, as an operator would start them on several machines."""

    directory: Path
    workers: int = 2
    scheduler: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None

    @property
    def scheduler_file(self) -> Path:
        return self.directory / "scheduler.json"

    @property
    def address(self) -> str:
        address: str = json.loads(self.scheduler_file.read_text())["address"]
        return address

    def start(self) -> LocalDaskCluster:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.scheduler_file.unlink(missing_ok=True)
        dask = _tool("dask")
        port = free_port()
        log = (self.directory / "scheduler.log").open("wb")
        self.scheduler = subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(self.scheduler_file)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait(lambda: self.scheduler_file.is_file(), "the scheduler to write its file")
        log = (self.directory / "workers.log").open("wb")
        self.worker = subprocess.Popen(
            [dask, "worker", "--scheduler-file", str(self.scheduler_file),
             "--nworkers", str(self.workers), "--nthreads", "1", "--host", "127.0.0.1",
             "--dashboard-address", "127.0.0.1:0",
             "--local-directory", str(self.directory / "work")],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        from distributed import Client

        with Client(self.address, set_as_default=False) as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(self.workers, timeout=STARTUP_SECONDS)
        return self

    def _wait(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready():
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"timed out waiting for {what}")
            time.sleep(0.1)

    def stop(self) -> None:
        for process in (self.worker, self.scheduler):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)

    def __enter__(self) -> LocalDaskCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class CpuMeter:
    """CPU seconds of this process and all its descendants over a block of code, polled often
    enough that short-lived pool processes are counted too."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.seen: dict[int, float] = {}
        self.start: dict[int, float] = {}
        self._stop = threading.Event()

    def _sample(self) -> dict[int, float]:
        me = psutil.Process()
        found: dict[int, float] = {}
        # Ray's raylet may start workers outside this process tree; count them by name.
        others = [p for p in psutil.process_iter(["name"]) if p.info["name"].startswith("ray::")]
        for process in {me, *me.children(recursive=True), *others}:
            try:
                times = process.cpu_times()
                found[process.pid] = times.user + times.system
            except psutil.Error:
                continue
        return found

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            self.seen.update(self._sample())

    @contextmanager
    def measure(self) -> Iterator[CpuMeter]:
        self.start = self._sample()
        self.seen = dict(self.start)
        thread = threading.Thread(target=self._poll, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()
            self.seen.update(self._sample())

    @property
    def seconds(self) -> float:
        return sum(v - self.start.get(pid, 0.0) for pid, v in self.seen.items())


@dataclass
class Result:
    """One timed ingest."""

    name: str
    articles: int
    seconds: float
    cpu_seconds: float
    sources: int
    load: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds


def _timed(
    name: str, articles: Sequence[Article], run: Callable[[], IngestSummary | Any]
) -> Result:
    load = os.getloadavg()[0]
    meter = CpuMeter()
    with meter.measure():
        began = time.perf_counter()
        summary = run()
        seconds = time.perf_counter() - began
    result = Result(name, len(articles), seconds, meter.seconds, summary.sources, load)
    print(
        f"{name}: {result.rate:.2f} articles/s, {meter.seconds:.1f} CPU s, load {load:.1f}",
        file=sys.stderr,
        flush=True,
    )
    return result


def run_one(articles: Sequence[Article], settings: Settings, workers: int) -> Any:
    return ingest(articles, local(settings, workers), StoreSink(EmbeddedStore(None), settings))


def run_dask(articles: Sequence[Article], settings: Settings, address: str, chunk: int) -> Any:
    engine = Dask(settings.model, settings.batch_size, address, chunk_size=chunk)
    return ingest(articles, engine, StoreSink(EmbeddedStore(None), settings))


@contextmanager
def local_ray_cluster(directory: Path, workers: int) -> Iterator[str]:
    """A ray head node with ``workers`` CPUs on loopback, stopped on exit."""
    port = free_port()
    log = (directory / "ray.log").open("wb")
    head = subprocess.Popen(
        [_tool("ray"), "start", "--head", "--block", "--num-cpus", str(workers),
         "--node-ip-address", "127.0.0.1", "--port", str(port),
         "--include-dashboard", "false", "--disable-usage-stats"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            if time.monotonic() > deadline or head.poll() is not None:
                raise RuntimeError(f"ray did not start; see {directory / 'ray.log'}")
            time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        head.terminate()
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            head.kill()


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass(frozen=True)
class Ray:
    """The dask engine's work on ray: tasks retried on a dead worker (ray's ``max_retries``),
    results taken as they finish with ``ray.wait``."""

    model: str
    batch_size: int
    chunk_size: int

    def extract(self, articles: list[Article]) -> Iterator[Extraction | SourceError]:
        import ray

        task = ray.remote(max_retries=3)(extract_chunk)
        waiting = [
            task.remote(c, self.model, self.batch_size) for c in chunks(articles, self.chunk_size)
        ]
        while waiting:
            done, waiting = ray.wait(waiting, num_returns=1)
            for outcome in ray.get(done[0]):
                yield outcome.error() if isinstance(outcome, Failed) else outcome


def run_ray(articles: Sequence[Article], settings: Settings, chunk: int) -> Any:
    """The same ingest as :func:`run_dask`, on ray."""
    engine = Ray(settings.model, settings.batch_size, chunk)
    return ingest(articles, engine, StoreSink(EmbeddedStore(None), settings))


def _ray_connect(address: str, model: str) -> None:
    import ray

    def hook() -> None:  # a closure, so ray ships it by value to workers that lack bench/
        load_pipeline(model)

    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            ray.init(
                address=address,
                runtime_env={"worker_process_setup_hook": hook},
                log_to_driver=False,
                logging_level=logging.ERROR,
            )
            return
        except ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def measure(args: argparse.Namespace, work: Path) -> list[Result]:
    settings = Settings(store=":memory:")
    articles = list(CorpusGenerator(seed=args.seed).articles(args.articles))
    warm = list(CorpusGenerator(seed=args.seed + 1).articles(16))
    results: list[Result] = []
    load_pipeline(settings.model)
    run_one(warm, settings, 1)
    with LocalDaskCluster(work / "dask", workers=args.workers) as cluster:
        run_dask(warm, settings, cluster.address, args.chunk)
        for _ in range(args.repeats):
            results.append(_timed("1 process", articles, lambda: run_one(articles, settings, 1)))
            results.append(
                _timed(
                    f"multiprocessing, {args.workers} processes",
                    articles,
                    lambda: run_one(articles, settings, args.workers),
                )
            )
            results.append(
                _timed(
                    f"dask, {args.workers} local workers",
                    articles,
                    lambda: run_dask(articles, settings, cluster.address, args.chunk),
                )
            )
    if args.with_ray:
        import ray

        with local_ray_cluster(work, args.workers) as address:
            _ray_connect(address, settings.model)
            run_ray(warm, settings, args.chunk)
            for _ in range(args.repeats):
                results.append(
                    _timed(
                        f"ray, {args.workers} local workers",
                        articles,
                        lambda: run_ray(articles, settings, args.chunk),
                    )
                )
            ray.shutdown()
    for result in results:
        if result.sources != len(articles):
            raise SystemExit(f"bench: {result.name} stored {result.sources} of {len(articles)}")
    return results


def table(results: Sequence[Result]) -> str:
    """Medians per configuration, as Markdown."""
    names = list(dict.fromkeys(r.name for r in results))
    base = median([r.rate for r in results if r.name == names[0]])
    lines = [
        "| Configuration | Articles/s | × 1 process | CPU s / article | Load at start |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in names:
        runs = [r for r in results if r.name == name]
        rate = median([r.rate for r in runs])
        cpu = median([r.cpu_seconds / r.articles for r in runs])
        load = median([r.load for r in runs])
        lines.append(f"| {name} | {rate:.2f} | {rate / base:.2f} | {cpu:.3f} | {load:.1f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.distributed", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000, help="Corpus size. Default: 2000.")
    parser.add_argument("--workers", type=int, default=2, help="Worker processes. Default: 2.")
    parser.add_argument(
        "--chunk",
        type=int,
        default=DEFAULT_CHUNK,
        help=f"Articles per task. Default: {DEFAULT_CHUNK}.",
    )
    parser.add_argument("--repeats", type=int, default=1, help="Runs of each. Default: 1.")
    parser.add_argument("--seed", type=int, default=0, help="Corpus seed. Default: 0.")
    parser.add_argument(
        "--with-ray", action="store_true", help="Also measure ray (needs ray installed)."
    )
    parser.add_argument("--json", type=Path, help="Also write every run as JSON here.")
    parser.add_argument(
        "--work", type=Path, default=Path("bench/out/distributed"), help="Scratch folder."
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = measure(args, args.work)
    print(f"{args.articles} generated articles, {os.cpu_count()} cores")
    print(table(results))
    if args.json:
        payload = [asdict(r) | {"rate": r.rate} for r in results]
        args.json.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
