"""``kg export``: a dump of the graph, whole or one named graph."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kg import arguments
from kg.cli.common import StoreOption, checked, connect, fail, settings_for
from kg.formats import ExportFormat


def export(
    store: StoreOption = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="RDF format. Default: turtle.")
    ] = ExportFormat.turtle,
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph",
            help="Only this named graph (an absolute IRI). Default: all graphs.",
            callback=checked(arguments.check_iri),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write. Default: standard output.",
            callback=checked(arguments.check_output_file),
        ),
    ] = None,
) -> None:
    """Dump the graph: Turtle and N-Triples give the union of all graphs, TriG, N-Quads and
    JSON-LD keep each named graph."""
    from pyoxigraph import NamedNode

    from kg.store import StoreError

    settings = settings_for(store)
    graph_store = connect(settings, read_only=True)
    target = NamedNode(graph) if graph else None
    try:
        if target is not None and not graph_store.has_graph(target):
            fail(f"--graph {graph!r}: no such named graph in the store")
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
