"""IRIs that callers give in parameters, read or refused with a 400 that names the parameter
and the value (cut to 200 characters)."""

from __future__ import annotations

from fastapi import HTTPException
from pyoxigraph import NamedNode

from kg.arguments import ArgumentError, check_iri


def iri_parameter(parameter: str, value: str) -> NamedNode:
    """``value`` of ``parameter`` as an IRI, or an HTTP 400 saying why not.

    >>> iri_parameter("graph", "https://w3id.org/pledgekg/id/graph/ontology").value
    'https://w3id.org/pledgekg/id/graph/ontology'
    >>> try:
    ...     iri_parameter("graph", "not an iri")
    ... except HTTPException as exc:
    ...     print(exc.status_code, exc.detail)
    400 graph 'not an iri': not an absolute IRI (Invalid IRI code point ' ')
    """
    try:
        return NamedNode(check_iri(value))
    except ArgumentError as exc:
        raise HTTPException(status_code=400, detail=f"{parameter} {value[:200]!r}: {exc}") from None
