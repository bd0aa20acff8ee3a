"""The RDF formats a dump of the graph comes in, by the name ``kg export`` and ``GET /export``
take."""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    """Turtle and N-Triples give the union of all graphs; TriG, N-Quads and JSON-LD keep each
    named graph."""

    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    ntriples = "ntriples"
    jsonld = "jsonld"
