"""Row 1: the ``kg ingest`` path (clean, annotate, extract, map to RDF, write an on-disk store)
against bare ``nlp.pipe`` with the same model over the same texts.

Each side runs in a process of its own, started once with its model loaded and warmed, so
both pay the same start-up and their memory peaks can be read apart. With one worker the two
sides take turns block by block over the corpus, and each block's CPU time is recorded beside
its wall time: one worker uses one core, so its CPU time is what its wall time would be on an
idle machine, and other processes on a shared one do not move it. The ratio is the median of
the blocks' ratios. The blocks are batches of one run, as ``POST /ingest`` batches are: the
claims are computed once, when the last block is written (as one ``kg ingest`` of the corpus
computes them once); what that costs is its own row. With two workers each side runs over
the whole corpus at once, because our worker pool is started once per ingest, as it is for
``kg ingest --workers 2``; what counts there is wall time.
"""

from __future__ import annotations

import multiprocessing
import pickle
import resource
import sys
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.measure import (
    PeakMemory,
    Row,
    fmt_mb,
    fmt_rate,
    median,
    rate,
    safe_ratio,
)


@dataclass(frozen=True)
class ChildSpec:
    """What one measuring process does: ``kind`` is ``bare`` or ``ingest``."""

    kind: str
    corpus: str
    model: str
    batch_size: int
    workers: int
    store: str | None = None
    extractions: str | None = None


@dataclass(frozen=True)
class Block:
    """One timed run over articles ``start`` to ``stop - 1``."""

    start: int
    stop: int
    seconds: float
    cpu: float
    tokens: int
    counts: dict[str, int]

    @property
    def articles(self) -> int:
        return self.stop - self.start


def _read_articles(corpus: str) -> list[Any]:
    from kg.config import Settings
    from kg.pipeline import read_all

    articles, errors = read_all([Path(corpus)], Settings(store="unused"))
    if errors:
        raise RuntimeError(f"corpus has unreadable files: {errors[0]}")
    return articles


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _child_main(conn: Connection, spec: ChildSpec) -> None:
    """Load, warm up, then time each block the parent asks for until it sends None."""
    try:
        articles = _read_articles(spec.corpus)
        run, finish = _bare(spec, articles) if spec.kind == "bare" else _ingest(spec, articles)
        conn.send(("ready", len(articles)))
        while (message := conn.recv()) is not None:
            start, stop = message
            began, cpu = time.perf_counter(), _cpu()
            tokens, counts = run(articles[start:stop], stop == len(articles))
            seconds, cpu = time.perf_counter() - began, _cpu() - cpu
            conn.send(("block", Block(start, stop, seconds, cpu, tokens, counts)))
        finish()
        conn.send(("done", None))
    except BaseException:  # noqa: BLE001 - the parent must hear why the child stopped
        conn.send(("error", traceback.format_exc()))


def _bare(spec: ChildSpec, articles: list[Any]) -> tuple[Any, Any]:
    import spacy

    nlp = spacy.load(spec.model)
    for _ in nlp.pipe([articles[0].text]):
        pass

    def run(block: list[Any], last: bool) -> tuple[int, dict[str, int]]:
        docs = nlp.pipe((a.text for a in block), batch_size=spec.batch_size, n_process=spec.workers)
        return sum(len(doc) for doc in docs), {}

    return run, lambda: None


def _ingest(spec: ChildSpec, articles: list[Any]) -> tuple[Any, Any]:
    from kg.config import Settings
    from kg.ingest import ingest
    from kg.ingest.engines import local
    from kg.ingest.sinks import StoreSink
    from kg.pipeline import extract_articles
    from kg.records import Extraction
    from kg.store import EmbeddedStore

    assert spec.store is not None
    settings = Settings(store=spec.store, model=spec.model, batch_size=spec.batch_size)
    store = EmbeddedStore(Path(spec.store))
    # Loads the pipeline, the lexicon, the language detector and the date parser.
    for _ in extract_articles(articles[:1], spec.model, spec.batch_size):
        pass
    sink = open(spec.extractions, "wb") if spec.extractions else None  # noqa: SIM115
    kept: list[Extraction] = []

    def keep(result: object) -> None:
        if sink is not None and isinstance(result, Extraction):
            kept.append(result)

    def run(block: list[Any], last: bool) -> tuple[int, dict[str, int]]:
        engine, target = local(settings, spec.workers), StoreSink(store, settings)
        summary = ingest(block, engine, target, on_result=keep, claims=last)
        counts = {
            "sources": summary.sources,
            "leaders": summary.leaders,
            "pledges": summary.pledges,
            "meetings": summary.meetings,
            "triples": summary.triples,
            "errors": len(summary.errors),
        }
        if sink is not None:
            # Written between blocks, outside the timed part.
            for extraction in kept:
                pickle.dump(extraction, sink)
            kept.clear()
        return 0, counts

    def finish() -> None:
        store.close()
        if sink is not None:
            sink.close()

    return run, finish


class Child:
    """A measuring process, its memory watched from outside."""

    def __init__(self, spec: ChildSpec) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(target=_child_main, args=(child_conn, spec))
        self.process.start()
        self.memory = PeakMemory(self.process.pid or 0)
        self.memory.__enter__()
        self.articles: int = self._receive("ready")

    def _receive(self, expected: str) -> Any:
        kind, payload = self.conn.recv()
        if kind == "error":
            self.process.join(5)
            raise RuntimeError(f"benchmark process failed:\n{payload}")
        assert kind == expected, (kind, expected)
        return payload

    def run(self, start: int, stop: int) -> Block:
        self.conn.send((start, stop))
        block: Block = self._receive("block")
        return block

    def close(self) -> int:
        """Stop the process; its peak resident memory (with its own workers), in bytes."""
        self.conn.send(None)
        self._receive("done")
        self.process.join(60)
        self.memory.__exit__()
        return self.memory.peak


@dataclass
class Side:
    """One side's timings and memory peak for one configuration."""

    blocks: list[Block] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return median(self.runs) if self.runs else sum(b.seconds for b in self.blocks)

    @property
    def cpu(self) -> float:
        return sum(b.cpu for b in self.blocks)

    @property
    def peak(self) -> float:
        return median([float(p) for p in self.peaks])

    def counts(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for block in self.blocks:
            for key, value in block.counts.items():
                total[key] = total.get(key, 0) + value
        return total


@dataclass
class IngestResult:
    """Everything row 1 measured, and what later rows reuse."""

    articles: int
    tokens: int
    bare1: Side
    ours1: Side
    bare2: Side
    ours2: Side
    store: Path
    extractions: Path
    load_before: str = ""

    def block_ratio(self, cpu: bool) -> float:
        """Median over blocks of bare time ÷ our time (CPU or wall)."""
        pairs = zip(self.bare1.blocks, self.ours1.blocks, strict=True)
        if cpu:
            return median([safe_ratio(b.cpu, o.cpu) for b, o in pairs])
        return median([safe_ratio(b.seconds, o.seconds) for b, o in pairs])

    def describe(self) -> str:
        counts = self.ours1.counts()
        kinds = ("leaders", "pledges", "meetings", "triples")
        extracted = ", ".join(f"{counts.get(k, 0):,} {k}" for k in kinds)
        return (
            f"Ingest: {self.articles} articles, {self.tokens:,} tokens; 1 worker: median of the "
            f"ratios of {len(self.ours1.blocks)} paired blocks, rates over the whole corpus, "
            f"load average before it {self.load_before}; "
            f"2 workers: median of {len(self.ours2.runs)} whole-corpus run(s); "
            f"extracted {extracted}."
        )

    def rows(self) -> list[Row]:
        n, tok = self.articles, self.tokens

        def speed(seconds: float) -> str:
            return (
                f"{fmt_rate(rate(n, seconds), 'art/s')} · {fmt_rate(rate(tok, seconds), 'tok/s')}"
            )

        speedup_ours = safe_ratio(self.ours1.seconds, self.ours2.seconds)
        speedup_bare = safe_ratio(self.bare1.seconds, self.bare2.seconds)
        return [
            Row(
                "1",
                "Ingest, 1 worker vs nlp.pipe, per CPU second",
                speed(self.ours1.cpu),
                speed(self.bare1.cpu),
                self.block_ratio(cpu=True),
                0.8,
            ),
            Row(
                "1",
                "Ingest, 1 worker vs nlp.pipe, wall clock",
                speed(self.ours1.seconds),
                speed(self.bare1.seconds),
                self.block_ratio(cpu=False),
            ),
            Row(
                "1",
                "Ingest, 2 workers vs nlp.pipe n_process=2",
                speed(self.ours2.seconds),
                speed(self.bare2.seconds),
                safe_ratio(self.bare2.seconds, self.ours2.seconds),
                0.8,
            ),
            Row(
                "1",
                f"Ingest speed-up, 2 workers vs 1 (nlp.pipe's: {speedup_bare:.2f})",
                speed(self.ours2.seconds),
                speed(self.ours1.seconds),
                speedup_ours,
                1.7,
            ),
            Row(
                "1",
                "Peak RSS, 1 worker vs nlp.pipe",
                fmt_mb(self.ours1.peak),
                fmt_mb(self.bare1.peak),
                safe_ratio(self.bare1.peak, self.ours1.peak),
            ),
            Row(
                "1",
                "Peak RSS (all processes), 2 workers vs nlp.pipe",
                fmt_mb(self.ours2.peak),
                fmt_mb(self.bare2.peak),
                safe_ratio(self.bare2.peak, self.ours2.peak),
            ),
        ]


def measure_ingest(
    corpus: Path,
    work: Path,
    *,
    model: str,
    batch_size: int,
    blocks: int,
    runs2: int,
    log: Any = sys.stderr,
) -> IngestResult:
    """Run row 1; the store and extractions of the one-worker run are kept for later rows."""
    store = work / "store-ingest-1"
    extractions = work / "extractions.pickle"
    bare = Child(ChildSpec("bare", str(corpus), model, batch_size, 1))
    ours = Child(
        ChildSpec("ingest", str(corpus), model, batch_size, 1, str(store), str(extractions))
    )
    total = bare.articles
    size = -(-total // blocks)
    bare1, ours1 = Side(), Side()
    for index, start in enumerate(range(0, total, size)):
        stop = min(total, start + size)
        # Alternate which side goes first, so a drift in machine load falls on both.
        order = (bare, ours) if index % 2 == 0 else (ours, bare)
        for child in order:
            block = child.run(start, stop)
            (bare1 if child is bare else ours1).blocks.append(block)
        b, o = bare1.blocks[-1], ours1.blocks[-1]
        print(
            f"  ingest block {index + 1}: bare {b.seconds:.1f} s ({b.cpu:.1f} s CPU), "
            f"ours {o.seconds:.1f} s ({o.cpu:.1f} s CPU), "
            f"ratio {safe_ratio(b.cpu, o.cpu):.2f} CPU, "
            f"{safe_ratio(b.seconds, o.seconds):.2f} wall",
            file=log,
            flush=True,
        )
    bare1.peaks.append(bare.close())
    ours1.peaks.append(ours.close())
    tokens = sum(b.tokens for b in bare1.blocks)

    bare2, ours2 = Side(), Side()
    for index in range(runs2):
        specs = [
            ChildSpec("bare", str(corpus), model, batch_size, 2),
            ChildSpec(
                "ingest", str(corpus), model, batch_size, 2, str(work / f"store-ingest-2-{index}")
            ),
        ]
        for spec in specs if index % 2 == 0 else specs[::-1]:
            child = Child(spec)
            block = child.run(0, total)
            side = bare2 if spec.kind == "bare" else ours2
            if index == 0:
                side.blocks.append(block)
            side.runs.append(block.seconds)
            side.peaks.append(child.close())
            print(f"  {spec.kind} 2 workers: {block.seconds:.1f} s", file=log, flush=True)
    return IngestResult(total, tokens, bare1, ours1, bare2, ours2, store, extractions)


def load_extractions(path: Path) -> list[Any]:
    """The extraction records the one-worker ingest kept, in corpus order."""
    found: list[Any] = []
    with path.open("rb") as handle:
        while True:
            try:
                found.append(pickle.load(handle))
            except EOFError:
                return found
