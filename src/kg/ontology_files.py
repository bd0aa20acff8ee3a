"""Where the ontology, the SHACL shapes and the example queries are: ``KG_ONTOLOGY_DIR`` when
set, else the copy shipped inside the package (``kg.ontology``, built from ``ontology/``).

>>> (ontology_dir() / "shapes.ttl").is_file()
True
>>> missing_from(ontology_dir())
[]
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.config import Settings

REQUIRED = ("pledgekg.ttl", "shapes.ttl", "queries/")
"""What an ontology folder must hold (a trailing slash marks a folder)."""


class OntologyError(Exception):
    """The ontology folder, or a file it must hold, is missing; the message is one line."""


def missing_from(folder: Path) -> list[str]:
    """The parts of :data:`REQUIRED` that ``folder`` lacks (all of them when it is no folder).

    >>> missing_from(Path("/nonexistent"))
    ['pledgekg.ttl', 'shapes.ttl', 'queries/']
    """
    return [
        name
        for name in REQUIRED
        if not ((folder / name).is_dir() if name.endswith("/") else (folder / name).is_file())
    ]


def packaged_ontology_dir() -> Path:
    """The ontology folder shipped inside the installed package."""
    try:
        files = importlib.resources.files("kg.ontology")
    except ModuleNotFoundError:
        raise OntologyError(
            "this pledgekg install has no ontology (package kg.ontology); reinstall it, "
            "or set KG_ONTOLOGY_DIR to a folder holding pledgekg.ttl, shapes.ttl and queries/"
        ) from None
    if not isinstance(files, Path):
        raise OntologyError(
            f"the ontology shipped with pledgekg is not a folder on disk ({files}); "
            "set KG_ONTOLOGY_DIR to a folder holding pledgekg.ttl, shapes.ttl and queries/"
        )
    return files


def ontology_dir(settings: Settings | None = None) -> Path:
    """The ontology folder of ``settings`` (the environment's when None), checked whole."""
    if settings is None:
        from kg.config import Settings

        settings = Settings()
    configured = settings.ontology_dir
    folder = configured or packaged_ontology_dir()
    missing = missing_from(folder)
    if missing:
        where = f"KG_ONTOLOGY_DIR={folder}" if configured else f"the packaged ontology {folder}"
        raise OntologyError(f"{where} has no {', '.join(missing)}")
    return folder
