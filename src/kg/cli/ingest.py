"""``kg ingest``: articles in, through the one ingest loop (:func:`kg.ingest.ingest`), with a
progress bar and the change summary."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from kg import arguments
from kg.cli.common import StoreOption, checked, connect, fail, settings_for, store_to_plan

if TYPE_CHECKING:
    from kg.changes import IngestSummary
    from kg.config import Settings
    from kg.ingest import Engine, Sink
    from kg.records import Article, Extraction
    from kg.sources import SourceError


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles.")],
    store: StoreOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", "-w", min=1, help="Extraction processes. Default: $KG_WORKERS or 1."
        ),
    ] = None,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            help="Send the articles to a running `kg serve` at this URL (needs KG_API_TOKEN) "
            "instead of writing the store directly. Default: off.",
            callback=checked(arguments.check_http_url),
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar. Default: off.")
    ] = False,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Spread extraction over a cluster: `dask` (see docs/distributed.md). "
            "Default: off, this machine's --workers processes.",
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            help="With --engine: the scheduler, tcp://HOST:PORT or a scheduler JSON file. "
            "Default: a local cluster of --workers processes (one per core when unset).",
            callback=checked(arguments.check_scheduler),
        ),
    ] = None,
    nquads_dir: Annotated[
        Path | None,
        typer.Option(
            "--nquads-dir",
            help="Write N-Quads files into this folder for `oxigraph load` instead of writing "
            "the store (the fast path into a new store). Default: off.",
            callback=checked(arguments.check_folder),
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Say what would be new, changed, unchanged and removed, and write nothing. "
            "Default: off.",
        ),
    ] = False,
) -> None:
    """Extract leaders, pledges and meetings from articles (.txt, .md, .html, .jsonl) and
    store each article's facts in its own named graph. Ends with how many sources are new,
    changed, unchanged and removed (sources read from these folders and files before that
    are gone from them)."""
    from kg.changes import scope_of
    from kg.ingest import ingest as run
    from kg.ingest.run import EngineError
    from kg.pipeline import read_all
    from kg.store import StoreError

    settings = settings_for(store)
    left_out: list[Path] = []
    articles, errors = read_all(paths, settings, left_out)
    _note_left_out(left_out)
    scope = scope_of(paths, articles, errors)
    for error in errors:
        typer.echo(f"kg: {error}", err=True)
    if server:
        from kg.ingest.server import send_articles

        try:
            summary = send_articles(server, articles, settings, scope=scope, dry_run=dry_run)
        except StoreError as exc:
            fail(str(exc))
        _finish(summary, errors)
    extractor = _engine(settings, engine, address, workers)
    bar = _Progress(articles, quiet)
    try:
        with _sink(settings, nquads_dir, dry_run) as sink:
            summary = run(
                articles,
                extractor,
                sink,
                # N-Quads files are for a new store: nothing in it to remove.
                scope=None if nquads_dir else scope,
                dry_run=dry_run,
                on_result=bar,
            )
    except (StoreError, EngineError) as exc:
        fail(str(exc))
    finally:
        bar.close()
    if nquads_dir and not dry_run:
        typer.echo(f"load them with: oxigraph load --location STORE --file {nquads_dir}/*.nq")
    _finish(summary, errors)


def _engine(
    settings: Settings, engine: str | None, address: str | None, workers: int | None
) -> Engine:
    """This machine's --workers processes, or a dask cluster with --engine or --address."""
    from kg.ingest.engines import local

    if not (engine or address):
        return local(settings, workers or settings.workers)
    try:
        from kg.ingest import cluster
    except ImportError:
        fail("--engine needs dask: pip install 'pledgekg[distributed]'")
    try:
        cluster.check_engine(engine or "dask")
    except cluster.DistributedError as exc:
        fail(str(exc))
    return cluster.Dask(
        settings.model, settings.batch_size, address, workers or os.cpu_count() or 1
    )


@contextlib.contextmanager
def _sink(settings: Settings, nquads_dir: Path | None, dry_run: bool) -> Iterator[Sink]:
    """N-Quads files in ``nquads_dir``, or the store (read-only for a dry run), closed at the
    end; a failure to write is one line."""
    from kg.ingest.sinks import NQuadsSink, StoreSink

    if nquads_dir:
        nquads = NQuadsSink(nquads_dir)
        yield nquads
        nquads.close()
        return
    graph_store = store_to_plan(settings) if dry_run else connect(settings)
    closed = False
    try:
        yield StoreSink(graph_store, settings)
        # Closing flushes to disk: a failure there is reported like any failed write.
        graph_store.close()
        closed = True
    except OSError as exc:
        # Disk full or an I/O error: each source is one atomic write, so the ones stored
        # before it are whole, and running the ingest again stores the rest.
        reason = " ".join(str(exc).split())
        fail(
            f"cannot write to the store {graph_store.location}: {reason}; the sources stored "
            "before this are whole: run the ingest again once it is fixed"
        )
    finally:
        if not closed:
            with contextlib.suppress(OSError):  # the first error is the one reported
                graph_store.close()


class _Progress:
    """A progress bar over the articles of an ingest; an article that fails gets its line."""

    def __init__(self, articles: list[Article], quiet: bool) -> None:
        from tqdm import tqdm

        self.failed = 0
        self.bar = tqdm(
            total=len(articles),
            unit="article",
            disable=quiet or not articles,
            file=sys.stderr,
            postfix={"failed": 0},
        )

    def __call__(self, result: Extraction | SourceError | None) -> None:
        from kg.sources import SourceError

        self.bar.update(1)
        if isinstance(result, SourceError):
            self.failed += 1
            self.bar.set_postfix(failed=self.failed)
            self.bar.write(f"kg: {result}", file=sys.stderr)

    def close(self) -> None:
        self.bar.close()


def _finish(summary: IngestSummary, read_errors: list[SourceError]) -> NoReturn:
    """The notes on articles found twice, the summary line, and the exit status."""
    for note in summary.notes:
        typer.echo(f"kg: {note}", err=True)
    summary.errors[:0] = read_errors
    typer.echo(summary.line())
    raise typer.Exit(1 if summary.errors else 0)


def _note_left_out(left: list[Path]) -> None:
    """One line saying which files under the folders were left out for their type: not an
    error (a folder of articles often holds other files), but never silent."""
    from kg.sources import SUPPORTED_SUFFIXES

    if left:
        shown = ", ".join(str(p) for p in left[:3]) + (", …" if len(left) > 3 else "")
        kinds = " ".join(SUPPORTED_SUFFIXES)
        typer.echo(
            f"kg: left out {len(left)} file(s) under the folders that are not {kinds}: {shown}",
            err=True,
        )
