"""``kg query``: a SPARQL query over the union of all graphs, as a table, JSON, CSV or TSV."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions

from kg.cli.common import StoreOption, connect, fail, settings_for


class ResultFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


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


def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read one.")],
    store: StoreOption = None,
    fmt: Annotated[
        ResultFormat, typer.Option("--format", "-f", help="Result format. Default: table.")
    ] = ResultFormat.table,
) -> None:
    """Run a SPARQL query over the union of all graphs."""
    from kg.sparql_text import check_structure
    from kg.store import StoreError

    settings = settings_for(store)
    text = _read_query(sparql)
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
            from pyoxigraph import RdfFormat

            from kg.dumps import write_triples

            write_triples(result, sys.stdout.buffer, RdfFormat.TURTLE)
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
