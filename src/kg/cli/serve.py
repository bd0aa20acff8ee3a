"""``kg serve``: the SPARQL endpoint, the REST API and the web page."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli.common import StoreOption, fail, settings_for


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
    from kg.ontology_files import OntologyError, ontology_dir
    from kg.store import StoreError

    settings = settings_for(store)
    updates: dict[str, object] = {}
    if host:
        updates["host"] = host
    if port:
        updates["port"] = port
    settings = settings.model_copy(update=updates)
    try:
        ontology_dir(settings)  # the example queries and the ontology graph need it
        run(settings)
    except (StoreError, OntologyError) as exc:
        fail(str(exc))
