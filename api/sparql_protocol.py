"""The SPARQL 1.1 Protocol: reading an operation (a query or an update, with its dataset and
result format) from an HTTP request. ``api.evaluation`` runs it.

The default graph is the union of all graphs unless the request names a dataset
(``default-graph-uri`` / ``named-graph-uri``, or the query's own FROM / FROM NAMED, the
protocol's winning). A dataset with only named graphs has an empty default graph and vice
versa, as the protocol says; the store is given the reserved, never-written graph
:data:`EMPTY_GRAPH` for the empty part. Updates read the store's own default graph unless
they say ``USING`` / ``WITH`` or the request gives ``using-graph-uri`` /
``using-named-graph-uri``. Relative IRIs resolve against the endpoint's URL.

>>> op = parse_operation("GET", b"query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fg", None, b"")
>>> op.kind, op.text, op.default_graphs
('query', 'ASK {}', ['http://g'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal as Kind
from urllib.parse import parse_qsl

from kg.arguments import ArgumentError, check_iri

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
MAX_FIELDS = 1000


class ProtocolError(Exception):
    """A request the endpoint refuses: an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class Operation:
    """One query or update, with the dataset the request gives for it."""

    kind: Kind["query", "update"]
    text: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None
    in_body: bool = False


def _fields(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            raw.decode("ascii", errors="strict") if raw else "",
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {where} is not valid UTF-8 percent-encoding") from None
    except ValueError as exc:
        raise ProtocolError(400, f"cannot read the {where}: {exc}") from None


def _media(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _utf8(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(415, f"only UTF-8 is accepted, not charset={charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not valid UTF-8") from None


def parse_operation(
    method: str, query_string: bytes, content_type: str | None, body: bytes
) -> Operation:
    """The operation a request carries, or :class:`ProtocolError` saying why it is not one."""
    url_fields = _fields(query_string, "query string")
    fields = list(url_fields)
    direct: tuple[Kind["query", "update"], str] | None = None
    if method == "POST":
        media, charset = _media(content_type)
        if media == FORM:
            if charset not in (None, "utf-8", "utf8"):
                raise ProtocolError(415, f"only UTF-8 is accepted, not charset={charset}")
            fields += _fields(body, "form body")
        elif media == QUERY_TYPE:
            direct = ("query", _utf8(body, charset))
        elif media == UPDATE_TYPE:
            direct = ("update", _utf8(body, charset))
        else:
            shown = f"'{media}'" if media else "no Content-Type"
            raise ProtocolError(
                415,
                f"a SPARQL POST needs Content-Type {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}, "
                f"not {shown}",
            )
    elif method != "GET":
        raise ProtocolError(405, "use GET or POST", {"Allow": "GET, POST"})
    queries = [v for k, v in fields if k == "query"]
    updates = [v for k, v in fields if k == "update"]
    if method == "GET" and updates:
        raise ProtocolError(400, "an update must be sent with POST, not GET")
    if direct is not None:
        if queries or updates:
            raise ProtocolError(
                400, "the body holds the operation; do not also pass query= or update="
            )
        kind, text = direct
        in_body = True
    else:
        if len(queries) + len(updates) == 0:
            raise ProtocolError(400, "give a query (query=...) or an update (update=...)")
        if len(queries) + len(updates) > 1:
            raise ProtocolError(400, "give exactly one query or one update per request")
        kind, text = ("query", queries[0]) if queries else ("update", updates[0])
        in_body = method == "POST" and not any(k in ("query", "update") for k, _ in url_fields)
    formats = [v for k, v in fields if k == "format"]
    if kind == "query":
        graph_keys = ("default-graph-uri", "named-graph-uri")
    else:
        graph_keys = ("using-graph-uri", "using-named-graph-uri")
    default = [v for k, v in fields if k == graph_keys[0]]
    named = [v for k, v in fields if k == graph_keys[1]]
    for key, iri in fields:
        if key in graph_keys:
            try:
                check_iri(iri)
            except ArgumentError as exc:
                raise ProtocolError(400, f"{key} {iri[:200]!r}: {exc}") from None
    if not text.strip():
        raise ProtocolError(400, f"the {kind} is empty")
    return Operation(kind, text, default, named, formats[-1] if formats else None, in_body)


def check_length(operation: Operation, max_chars: int) -> None:
    """Refuse over-long operation text: 413 when it came in the body, 414 in the URL."""
    if len(operation.text) > max_chars:
        status = 413 if operation.in_body else 414
        raise ProtocolError(
            status,
            f"the {operation.kind} is {len(operation.text)} characters; the limit is {max_chars}",
        )
