"""The ``kg`` command: ingest, query, export, remove, show, extract, validate, stats, eval and
serve, one module per group of commands, each importing what it needs when it runs.

Errors are one line on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys

import typer

from kg.cli import checks, export, ingest, query, serve, sources
from kg.cli.common import app

__all__ = ["app", "main"]

# In the order `kg --help` lists them.
app.command()(ingest.ingest)
app.command()(query.query)
app.command()(export.export)
app.command()(sources.remove)
app.command()(sources.show)
app.command()(sources.extract)
app.command()(checks.validate)
app.command()(checks.stats)
app.command(name="eval")(checks.evaluate)
app.command()(serve.serve)


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
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, not a trace
        from kg.ontology_files import OntologyError
        from kg.store import StoreError

        if isinstance(exc, StoreError | OntologyError):
            typer.echo(f"kg: {exc}", err=True)
            sys.exit(1)
        if os.environ.get("KG_DEBUG"):
            raise
        typer.echo(
            f"kg: unexpected error: {type(exc).__name__}: {exc} (set KG_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(2)
