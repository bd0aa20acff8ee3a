"""Reading what a user knows of a source: its IRI or id, its URL (tracking parameters and
all), or the input file or folder it was read from (path, relative or not)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from kg.identity import path_locator
from kg.rdf import SOURCE_PREFIX, source_iri

_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Reference:
    """A user's name for sources: named graphs, or an input file or folder (``path``)."""

    graphs: tuple[NamedNode, ...] = ()
    path: str | None = None


def parse_reference(reference: str) -> Reference:
    """What ``reference`` names. A malformed IRI under the sources' namespace is a ValueError.

    >>> parse_reference("https://example.org/a?utm_source=x").path is None
    True
    >>> parse_reference("seeds/a.txt").path
    'seeds/a.txt'
    """
    if reference.startswith(SOURCE_PREFIX):
        return Reference((NamedNode(reference),))
    if _ID.match(reference) and not Path(reference).exists():
        return Reference((source_iri(reference),))
    if reference.startswith(("http://", "https://")):
        return Reference()
    return Reference(path=path_locator(Path(reference)))
