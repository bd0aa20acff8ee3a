"""``kg remove``, ``kg show`` and ``kg extract``: one source at a time, stored or not."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli.common import SourceArgument, StoreOption, connect, fail, settings_for

if TYPE_CHECKING:
    from kg.store import GraphStore


def remove(
    source: SourceArgument,
    store: StoreOption = None,
) -> None:
    """Remove a source, whatever version of it is stored: by IRI, id or URL its graph; by
    input file or folder every source read from there (a source another file also holds
    stays, for that file)."""
    from kg.ingest.remove import remove_sources

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
    from kg.store import StoreError

    try:
        yield
    except ValueError as exc:
        fail(f"not a source's IRI: {source!r} ({exc})")
    except StoreError as exc:
        fail(f"{action} failed: {exc}")
    finally:
        graph_store.close()


def show(
    source: SourceArgument,
    store: StoreOption = None,
) -> None:
    """Print what one stored article yielded: its title, locator and date, and its leaders,
    pledges and meetings with their evidence."""
    from kg.ingest.remove import find_sources
    from kg.report import format_report, source_report

    settings = settings_for(store)
    graph_store = connect(settings, read_only=not settings.is_remote)
    with _naming(source, "show", graph_store):
        graphs = find_sources(graph_store, source, settings).graphs
        reports = [r for g in graphs if (r := source_report(graph_store, g)) is not None]
    if not reports:
        fail(f"no stored source matches {source!r}")
    typer.echo("\n\n".join(format_report(r) for r in reports))


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles.")],
) -> None:
    """Print what articles yield (as `kg show` does) without storing anything."""
    from pyoxigraph import NamedNode

    from kg.ingest import ingest
    from kg.ingest.engines import local
    from kg.ingest.sinks import StoreSink
    from kg.pipeline import read_all
    from kg.report import format_report, source_report
    from kg.store import EmbeddedStore

    settings = settings_for(None)
    articles, errors = read_all(paths, settings)
    memory = EmbeddedStore(None)
    summary = ingest(articles, local(settings), StoreSink(memory, settings))
    for error in [*errors, *summary.errors]:
        typer.echo(f"kg: {error}", err=True)
    reports = [r for iri in summary.iris if (r := source_report(memory, NamedNode(iri)))]
    typer.echo("\n\n".join(format_report(r, stored=False) for r in reports))
    raise typer.Exit(1 if errors or summary.errors else 0)
