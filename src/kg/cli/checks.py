"""``kg validate``, ``kg stats`` and ``kg eval``: what the graph holds, and how good it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kg import arguments
from kg.cli.common import StoreOption, checked, connect, fail, settings_for


def validate(store: StoreOption = None) -> None:
    """Check the graph against the SHACL shapes of the ontology (shapes.ttl); exit 1 on
    violations."""
    from kg.ontology_files import OntologyError
    from kg.store import StoreError
    from kg.validate import validate_store

    settings = settings_for(store)
    graph_store = connect(settings, read_only=True)
    try:
        conforms, report = validate_store(graph_store, settings)
    except (StoreError, OntologyError) as exc:
        fail(f"validate failed: {exc}")
    finally:
        graph_store.close()
    typer.echo(report)
    if not conforms:
        raise typer.Exit(1)


def stats(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON. Default: text.")] = False,
) -> None:
    """Counts of sources, states, leaders, pledges, meetings and quads."""
    from kg.statistics import store_stats
    from kg.store import StoreError

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


def evaluate(
    gold: Annotated[
        Path,
        typer.Argument(
            help="Gold answers (JSON, see its 'about').",
            callback=checked(arguments.check_input_file),
        ),
    ],
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
