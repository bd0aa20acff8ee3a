"""The analysts' web page at ``/`` and the example SPARQL queries it offers, at ``/queries``.

The page itself is static (``api/static/``); the examples are the ``queries/*.rq`` of the
ontology folder (``KG_ONTOLOGY_DIR``, else the one shipped in the package), whose leading
``# title:`` and ``# description:`` comment lines name and explain each query, and whose
``# view:`` line names the result view it opens in (one of :data:`VIEWS`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from api.deps import SettingsDep
from kg.ontology_files import ontology_dir

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
"""Where the page, its script and style sheet, and the vendored editor live."""

router = APIRouter(tags=["page"])
log = logging.getLogger("api.page")

VIEWS = ("table", "response", "barchart", "timeline", "map", "graph")
"""The result views of the page (its YASR plugins) an example may open in."""


class ExampleQueryPublic(BaseModel):
    """One example SPARQL query shipped in ``ontology/queries/``."""

    name: str = Field(description="File name without `.rq`, e.g. `pledge-evidence`.")
    title: str = Field(description="Short title from the query's `# title:` line.")
    description: str = Field(description="What it answers, from its `# description:` line.")
    query: str = Field(description="The full SPARQL text, comments included.")
    view: str | None = Field(
        default=None,
        description="The result view it opens in, from its `# view:` line: "
        + ", ".join(VIEWS)
        + "; null for the table.",
    )


def parse_example(name: str, text: str) -> ExampleQueryPublic:
    """Read the title, description and view from the comment lines heading a query file.

    Only the leading block of ``#`` lines is read; a missing title falls back to the name. A
    view the page does not have is logged, naming the file, and the table is used.

    >>> q = parse_example("ground-troops", "# title: Troops\\n# description: Who.\\nSELECT * {}")
    >>> (q.title, q.description, q.view)
    ('Troops', 'Who.', None)
    >>> parse_example("bare", "# view: barchart\\nSELECT * {}").view
    'barchart'
    >>> parse_example("odd", "# view: pie\\nSELECT * {}").view is None
    True
    """
    fields: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped.lstrip("#").partition(":")
        key = key.strip().lower()
        if sep and key in {"title", "description", "view"} and key not in fields:
            fields[key] = value.strip()
    view = fields.get("view") or None
    if view is not None and view not in VIEWS:
        log.warning(
            "%s.rq: unknown view %r in its '# view:' line, shown as a table; use one of %s",
            name,
            view,
            ", ".join(VIEWS),
        )
        view = None
    return ExampleQueryPublic(
        name=name,
        title=fields.get("title") or name,
        description=fields.get("description", ""),
        query=text,
        view=view,
    )


def load_examples(directory: Path | None = None) -> list[ExampleQueryPublic]:
    """Every ``*.rq`` file of ``<directory>/queries`` (by default the ontology folder's),
    ordered by title, then name; none when there is no such folder.

    >>> all(q.query.strip() for q in load_examples())
    True
    """
    folder = (directory or ontology_dir()) / "queries"
    if not folder.is_dir():
        return []
    examples = [
        parse_example(path.stem, path.read_text(encoding="utf-8"))
        for path in folder.glob("*.rq")
        if path.is_file()
    ]
    return sorted(examples, key=lambda q: (q.title.lower(), q.name))


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def page() -> FileResponse:
    """The page: a SPARQL editor over ``/sparql`` and a view of one country's pledges."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get(
    "/queries",
    response_model=list[ExampleQueryPublic],
    summary="Example SPARQL queries",
)
def queries(settings: SettingsDep) -> list[ExampleQueryPublic]:
    """The example queries of the ontology's ``queries/``, with title, description and text."""
    return load_examples(ontology_dir(settings))
