"""The ``kg`` command: ingest, query, export, remove, validate, stats, eval and serve.

Errors are one line on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions

from kg.config import Settings
from kg.records import Article, Extraction
from kg.sources import SourceError
from kg.store import FORMATS, GraphStore, StoreError, open_store

if TYPE_CHECKING:
    from kg.changes import IngestSummary, Scope

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Build and query a knowledge graph of leaders, states, pledges and meetings.",
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store directory or http(s) URL of a SPARQL server. Default: $KG_STORE or data/store.",
    ),
]


SourceArgument = Annotated[
    str, typer.Argument(help="A source's IRI, id or URL, or the file or folder it was read from.")
]


class ResultFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


class ExportFormat(StrEnum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    ntriples = "ntriples"
    jsonld = "jsonld"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line and exit."""
    typer.echo(f"kg: {message}", err=True)
    raise typer.Exit(code)


def settings_for(store: str | None) -> Settings:
    """Settings from the environment, with ``--store`` taking precedence."""
    try:
        settings = Settings()
        if store:
            settings = settings.model_copy(update={"store": store})
        return settings
    except ValueError as exc:
        fail(" ".join(str(exc).split())[:500])


def connect(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The store to read (or, unless ``read_only``, to write), or one line saying why not."""
    try:
        store = open_store(settings, read_only=read_only)
    except StoreError as exc:
        fail(str(exc))
    if not read_only:
        try:
            store.check_writable()
        except StoreError as exc:
            store.close()
            fail(str(exc))
    return store


@app.command()
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
        ),
    ] = None,
    nquads_dir: Annotated[
        Path | None,
        typer.Option(
            "--nquads-dir",
            help="Write N-Quads files into this folder for `oxigraph load` instead of writing "
            "the store (the fast path into a new store). Default: off.",
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
    from kg.pipeline import ingest_articles, read_all

    settings = settings_for(store)
    left_out: list[Path] = []
    articles, errors = read_all(paths, settings, left_out)
    _note_left_out(left_out)
    scope = scope_of(paths, articles, errors)
    for error in errors:
        typer.echo(f"kg: {error}", err=True)
    if server:
        from kg.remote_ingest import send_articles

        try:
            summary = send_articles(server, articles, settings, scope=scope, dry_run=dry_run)
        except StoreError as exc:
            fail(str(exc))
        _finish(summary, errors)
    if engine or address or nquads_dir:
        options = EngineOptions(engine, address, workers, nquads_dir, quiet, dry_run)
        _ingest_on_engine(articles, errors, settings, scope, options)
    graph_store = _store_to_plan(settings) if dry_run else connect(settings)
    bar = _Progress(articles, quiet)
    closed = False
    try:
        summary = ingest_articles(
            articles,
            graph_store,
            settings,
            workers=workers or settings.workers,
            on_result=bar,
            scope=scope,
            dry_run=dry_run,
        )
        # Closing flushes to disk: a failure there is reported like any failed write.
        graph_store.close()
        closed = True
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:
        # Disk full or an I/O error: each source is one atomic write, so the ones stored
        # before it are whole, and running the ingest again stores the rest.
        reason = " ".join(str(exc).split())
        fail(
            f"cannot write to the store {graph_store.location}: {reason}; the sources stored "
            "before this are whole: run the ingest again once it is fixed"
        )
    finally:
        bar.close()
        if not closed:
            with contextlib.suppress(OSError):  # the first error is the one reported
                graph_store.close()
    _finish(summary, errors)


def _store_to_plan(settings: Settings) -> GraphStore:
    """The store a dry run compares with: read-only, or an empty one when there is none yet."""
    from kg.store import EmbeddedStore

    if not settings.is_remote and not (Path(settings.store) / "CURRENT").is_file():
        return EmbeddedStore(None)
    return connect(settings, read_only=not settings.is_remote)


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


@dataclass(frozen=True)
class EngineOptions:
    """How ``kg ingest`` was asked to run on an engine."""

    engine: str | None
    address: str | None
    workers: int | None
    nquads_dir: Path | None
    quiet: bool
    dry_run: bool


def _ingest_on_engine(
    articles: list[Article],
    errors: list[SourceError],
    settings: Settings,
    scope: Scope,
    options: EngineOptions,
) -> NoReturn:
    """``kg ingest --engine/--address/--nquads-dir``: extraction on a dask cluster (or this
    machine), each source written as it comes back, to the store or to N-Quads files."""
    from kg.ingest import StoreTarget, Target

    try:
        from kg import distributed
    except ImportError:
        fail("--engine and --nquads-dir need dask: pip install 'pledgekg[distributed]'")
    try:
        distributed.check_engine(options.engine or "dask")
    except distributed.DistributedError as exc:
        fail(str(exc))
    bar = _Progress(articles, options.quiet)
    graph_store: GraphStore | None = None
    dry_run = options.dry_run
    try:
        sink: Target
        if options.nquads_dir:
            sink = nquads = distributed.NQuadsSink(options.nquads_dir)
        else:
            graph_store = _store_to_plan(settings) if dry_run else connect(settings)
            sink = StoreTarget(graph_store) if dry_run else distributed.StoreSink(graph_store)
        # N-Quads files are for a new store: nothing in it to remove.
        swept = None if options.nquads_dir else scope
        if options.engine or options.address:
            summary = distributed.ingest_distributed(
                articles,
                sink,
                settings,
                address=options.address,
                workers=options.workers or os.cpu_count() or 1,
                scope=swept,
                dry_run=dry_run,
                on_result=bar,
            )
        else:
            summary = distributed.ingest_local(
                articles,
                sink,
                settings,
                workers=options.workers or settings.workers,
                scope=swept,
                dry_run=dry_run,
                on_result=bar,
            )
        if options.nquads_dir:
            nquads.close()
    except (StoreError, distributed.DistributedError) as exc:
        fail(str(exc))
    finally:
        bar.close()
        if graph_store is not None:
            graph_store.close()
    if options.nquads_dir and not dry_run:
        folder = options.nquads_dir
        typer.echo(f"load them with: oxigraph load --location STORE --file {folder}/*.nq")
    _finish(summary, errors)


def _read_query(text: str) -> str:
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            return path.read_text("utf-8")
        except OSError as exc:
            fail(f"cannot read query file {path}: {exc.strerror or exc}")
    return text


def _term_text(term: object) -> str:
    value = getattr(term, "value", None)
    return "" if term is None else str(value if value is not None else term)


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read one.")],
    store: StoreOption = None,
    fmt: Annotated[
        ResultFormat, typer.Option("--format", "-f", help="Result format. Default: table.")
    ] = ResultFormat.table,
) -> None:
    """Run a SPARQL query over the union of all graphs."""
    settings = settings_for(store)
    text = _read_query(sparql)
    from api.sparql_text import check_structure

    try:
        check_structure(text)
    except ValueError as exc:
        fail(f"{exc}; simplify the query")
    graph_store = connect(settings, read_only=True)
    try:
        result = graph_store.query(text)
        if isinstance(result, QueryBoolean):
            typer.echo("true" if bool(result) else "false")
            return
        if not isinstance(result, QuerySolutions):
            from pyoxigraph import RdfFormat, serialize

            from kg.rdf import PREFIXES

            serialize(result, sys.stdout.buffer, RdfFormat.TURTLE, prefixes=PREFIXES)
            return
        if fmt is ResultFormat.table:
            _print_table(result)
            return
        formats = {
            ResultFormat.json: QueryResultsFormat.JSON,
            ResultFormat.csv: QueryResultsFormat.CSV,
            ResultFormat.tsv: QueryResultsFormat.TSV,
        }
        result.serialize(sys.stdout.buffer, formats[fmt])
        sys.stdout.buffer.flush()
        if fmt is ResultFormat.json:
            typer.echo("")
    except SyntaxError as exc:
        fail(f"SPARQL syntax error: {' '.join(str(exc).split())}")
    except BrokenPipeError:
        raise
    except (OSError, StoreError) as exc:
        fail(f"query failed: {exc}")
    finally:
        graph_store.close()


def _print_table(result: QuerySolutions) -> None:
    names = [v.value for v in result.variables]
    rows = [[_term_text(row[name]) for name in names] for row in result]
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return " | ".join(c[:60].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    typer.echo(line(names))
    typer.echo("-+-".join("-" * w for w in widths))
    for row in rows:
        typer.echo(line(row))
    typer.echo(f"({len(rows)} rows)")


@app.command()
def export(
    store: StoreOption = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="RDF format. Default: turtle.")
    ] = ExportFormat.turtle,
    graph: Annotated[
        str | None, typer.Option("--graph", help="Only this named graph. Default: all graphs.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write. Default: standard output.")
    ] = None,
) -> None:
    """Dump the graph: Turtle and N-Triples give the union of all graphs, TriG, N-Quads and
    JSON-LD keep each named graph."""
    from pyoxigraph import NamedNode

    settings = settings_for(store)
    graph_store = connect(settings, read_only=True)
    target = NamedNode(graph) if graph else None
    try:
        if output is None:
            graph_store.export(sys.stdout.buffer, fmt.value, target)
            sys.stdout.buffer.flush()
        else:
            partial = output.with_name(output.name + ".partial")
            with partial.open("wb") as handle:
                graph_store.export(handle, fmt.value, target)
            partial.replace(output)
    except BrokenPipeError:
        raise
    except (OSError, StoreError, ValueError) as exc:
        fail(f"export failed: {exc}")
    finally:
        graph_store.close()
    assert fmt.value in FORMATS


@app.command()
def remove(
    source: SourceArgument,
    store: StoreOption = None,
) -> None:
    """Remove a source, whatever version of it is stored: by IRI, id or URL its graph; by
    input file or folder every source read from there (a source another file also holds
    stays, for that file)."""
    from kg.sourceref import remove_sources

    settings = settings_for(store)
    graph_store = connect(settings)
    with _naming(source, "remove", graph_store):
        removed, kept = remove_sources(graph_store, source, settings)
    if not removed and not kept:
        fail(f"no stored source matches {source!r}")
    for graph in removed:
        typer.echo(f"removed {graph.value}")
    for graph, paths in kept.items():
        typer.echo(f"kept {graph.value}: also read from {', '.join(sorted(paths))}")


@contextlib.contextmanager
def _naming(source: str, action: str, graph_store: GraphStore) -> Iterator[None]:
    """Work on the sources ``source`` names: one line for a bad name or a store that fails,
    and the store closed in any case."""
    try:
        yield
    except ValueError as exc:
        fail(f"not a source's IRI: {source!r} ({exc})")
    except StoreError as exc:
        fail(f"{action} failed: {exc}")
    finally:
        graph_store.close()


@app.command()
def show(
    source: SourceArgument,
    store: StoreOption = None,
) -> None:
    """Print what one stored article yielded: its title, locator and date, and its leaders,
    pledges and meetings with their evidence."""
    from kg.report import format_report, source_report
    from kg.sourceref import find_sources

    settings = settings_for(store)
    graph_store = connect(settings, read_only=not settings.is_remote)
    with _naming(source, "show", graph_store):
        graphs = find_sources(graph_store, source, settings).graphs
        reports = [r for g in graphs if (r := source_report(graph_store, g)) is not None]
    if not reports:
        fail(f"no stored source matches {source!r}")
    typer.echo("\n\n".join(format_report(r) for r in reports))


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles.")],
) -> None:
    """Print what articles yield (as `kg show` does) without storing anything."""
    from pyoxigraph import NamedNode

    from kg.pipeline import ingest_articles, read_all
    from kg.report import format_report, source_report
    from kg.store import EmbeddedStore

    settings = settings_for(None)
    articles, errors = read_all(paths, settings)
    memory = EmbeddedStore(None)
    summary = ingest_articles(articles, memory, settings)
    for error in [*errors, *summary.errors]:
        typer.echo(f"kg: {error}", err=True)
    reports = [r for iri in summary.iris if (r := source_report(memory, NamedNode(iri)))]
    typer.echo("\n\n".join(format_report(r, stored=False) for r in reports))
    raise typer.Exit(1 if errors or summary.errors else 0)


@app.command()
def validate(store: StoreOption = None) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl; exit 1 on violations."""
    from kg.validate import validate_store

    settings = settings_for(store)
    graph_store = connect(settings, read_only=True)
    try:
        conforms, report = validate_store(graph_store)
    except StoreError as exc:
        fail(f"validate failed: {exc}")
    finally:
        graph_store.close()
    typer.echo(report)
    if not conforms:
        raise typer.Exit(1)


@app.command()
def stats(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON. Default: text.")] = False,
) -> None:
    """Counts of sources, states, leaders, pledges, meetings and quads."""
    from kg.statistics import store_stats

    settings = settings_for(store)
    graph_store = connect(settings, read_only=True)
    try:
        counts = store_stats(graph_store)
    except StoreError as exc:
        fail(f"stats failed: {exc}")
    finally:
        graph_store.close()
    if as_json:
        typer.echo(json.dumps(counts))
    else:
        for key, value in counts.items():
            typer.echo(f"{key:>10}: {value}")


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold answers (JSON, see its 'about').")],
    paths: Annotated[list[Path], typer.Argument(help="The articles the gold file describes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON. Default: a table.")] = False,
    errors: Annotated[
        bool,
        typer.Option("--errors/--no-errors", help="List misses and spurious facts. Default: on."),
    ] = True,
) -> None:
    """Score extraction against gold answers: precision, recall and F1 per fact kind."""
    from kg.evaluate import evaluate_paths, format_report

    settings = settings_for(None)
    try:
        report = evaluate_paths(gold, paths, settings)
    except (ValueError, OSError) as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(format_report(report, show_errors=errors))


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[
        str | None, typer.Option("--host", help="Bind address. Default: $KG_HOST or 127.0.0.1.")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Port. Default: $KG_PORT or 8000.")
    ] = None,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the web page."""
    from api.main import run

    settings = settings_for(store)
    updates: dict[str, object] = {}
    if host:
        updates["host"] = host
    if port:
        updates["port"] = port
    settings = settings.model_copy(update=updates)
    try:
        run(settings)
    except StoreError as exc:
        fail(str(exc))


def main() -> None:
    """Console entry point."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        typer.echo("kg: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`kg export | head`): stop quietly, as other filters do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except StoreError as exc:
        typer.echo(f"kg: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, not a trace
        if os.environ.get("KG_DEBUG"):
            raise
        typer.echo(
            f"kg: unexpected error: {type(exc).__name__}: {exc} (set KG_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
