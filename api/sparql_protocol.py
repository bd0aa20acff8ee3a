"""The SPARQL 1.1 Protocol: reading an operation from an HTTP request, and the worker jobs that
run queries and updates against the store.

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

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as Kind
from urllib.parse import parse_qsl

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Triple, serialize

from api.outbound import outbound_operation
from api.results import (
    GRAPHS,
    RESULTS,
    NotAcceptableError,
    SolutionsWriter,
    UnknownFormatError,
    pick,
)
from api.runner import ChunkWriter, ConsumerGoneError, Deadline, QueryTimeoutError
from api.sparql_text import (
    DatasetConflictError,
    apply_using,
    check_structure,
    dataset_clauses,
    has_relative_iri,
)
from kg.rdf import KGR, PREFIXES
from kg.store import GraphStore, StoreError

log = logging.getLogger("api.sparql")
EMPTY_GRAPH = NamedNode(KGR + "graph/empty")
FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
MAX_FIELDS = 1000
_POSITION = re.compile(r"\bat (\d+):(\d+)")


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
        default = [v for k, v in fields if k == "default-graph-uri"]
        named = [v for k, v in fields if k == "named-graph-uri"]
    else:
        default = [v for k, v in fields if k == "using-graph-uri"]
        named = [v for k, v in fields if k == "using-named-graph-uri"]
    for iri in (*default, *named):
        try:
            NamedNode(iri)
        except ValueError:
            raise ProtocolError(400, f"not an absolute IRI: {iri[:200]!r}") from None
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


@dataclass(frozen=True)
class Context:
    """What a worker job needs to know about the request and the server's limits."""

    base_iri: str | None
    accept: str | None
    deadline: Deadline
    result_limit: int
    allow_service: bool


def _with_base(text: str, base: str | None) -> tuple[str, bool]:
    if base and has_relative_iri(text):
        return f"BASE <{base}>\n{text}", True
    return text, False


def _parser_message(error: SyntaxError, shifted: bool) -> str:
    message = " ".join(str(error).split())
    if shifted:
        message = _POSITION.sub(lambda m: f"at {max(1, int(m.group(1)) - 1)}:{m.group(2)}", message)
    return f"SPARQL syntax error: {message}"


def _refuse_unsafe(text: str, *, update: bool, allow: bool) -> None:
    """A 400 for text too large in structure for the engine's parser; a 403 for SERVICE or
    LOAD unless ``allow``."""
    try:
        check_structure(text)
    except ValueError as exc:
        raise ProtocolError(400, str(exc)) from None
    if allow:
        return
    found = outbound_operation(text, update=update)
    if found:
        what = "SERVICE (federated queries)" if found == "SERVICE" else "LOAD"
        raise ProtocolError(
            403, f"{what} is disabled on this server: it would send requests to other hosts"
        )


def _dataset(
    operation: Operation, text: str, base: str | None
) -> tuple[list[NamedNode] | None, list[NamedNode] | None]:
    default, named = operation.default_graphs, operation.named_graphs
    if not default and not named:
        clauses = dataset_clauses(text, base)
        if clauses is None:
            return None, None
        default, named = clauses
        try:
            [NamedNode(iri) for iri in (*default, *named)]
        except ValueError:
            raise ProtocolError(400, "a FROM clause names an invalid IRI") from None
    return (
        [NamedNode(g) for g in default] or [EMPTY_GRAPH],
        [NamedNode(g) for g in named] or [EMPTY_GRAPH],
    )


def _limited(items: Iterator[Triple], limit: int, deadline: Deadline) -> Iterator[Triple]:
    for index, item in enumerate(items):
        if index >= limit:
            return
        deadline.check()
        yield item


def _stream_solutions(
    result: QuerySolutions, out: ChunkWriter, writer: SolutionsWriter, context: Context
) -> None:
    out.write(writer.head())
    for index, row in enumerate(result):
        if index >= context.result_limit:
            break
        context.deadline.check()
        out.write(writer.row(list(row)))
    out.write(writer.tail())


def run_query(store: GraphStore, operation: Operation, context: Context, out: ChunkWriter) -> None:
    """Evaluate a query and write its result to ``out`` (worker thread)."""
    try:
        _refuse_unsafe(operation.text, update=False, allow=context.allow_service)
        text, shifted = _with_base(operation.text, context.base_iri)
        default, named = _dataset(operation, operation.text, context.base_iri)
        try:
            result = store.query(text, default_graphs=default, named_graphs=named)
        except SyntaxError as exc:
            raise ProtocolError(400, _parser_message(exc, shifted)) from None
        context.deadline.check()
        if isinstance(result, QueryBoolean):
            fmt = pick(RESULTS, context.accept, operation.format)
            assert fmt.results is not None
            out.media_type = fmt.content_type
            out.write(result.serialize(format=fmt.results) or b"")
        elif isinstance(result, QuerySolutions):
            fmt = pick(RESULTS, context.accept, operation.format)
            out.media_type = fmt.content_type
            writer = SolutionsWriter(fmt, [v.value for v in result.variables])
            _stream_solutions(result, out, writer, context)
        else:
            fmt = pick(GRAPHS, context.accept, operation.format)
            assert fmt.rdf is not None
            out.media_type = fmt.content_type
            triples = _limited(iter(result), context.result_limit, context.deadline)
            serialize(triples, out.as_file(), fmt.rdf, prefixes=PREFIXES)
        out.finish()
    except ProtocolError as exc:
        out.fail(exc.status, exc.message, exc.headers)
    except NotAcceptableError as exc:
        out.fail(406, str(exc))
    except UnknownFormatError as exc:
        out.fail(400, str(exc))
    except QueryTimeoutError as exc:
        out.fail(503, timeout_message(exc.limit))
    except ConsumerGoneError:
        return
    except StoreError as exc:
        log.error("store error: %s", exc)
        out.fail(503, "the store is not available")
    except RuntimeError as exc:
        out.fail(400, f"query evaluation failed: {' '.join(str(exc).split())[:500]}")
    except Exception as exc:
        if isinstance(out.stopped, QueryTimeoutError):
            out.fail(503, timeout_message(out.stopped.limit))
        elif isinstance(out.stopped, ConsumerGoneError):
            return
        else:
            out.fail(500, "internal server error")
            raise exc


def run_update(store: GraphStore, operation: Operation, context: Context) -> None:
    """Apply an update atomically (worker thread); :class:`ProtocolError` when refused."""
    _refuse_unsafe(operation.text, update=True, allow=context.allow_service)
    try:
        text = apply_using(operation.text, operation.default_graphs, operation.named_graphs)
    except DatasetConflictError as exc:
        raise ProtocolError(400, str(exc)) from None
    text, shifted = _with_base(text, context.base_iri)
    try:
        store.update(text)
    except SyntaxError as exc:
        raise ProtocolError(400, _parser_message(exc, shifted)) from None
    except RuntimeError as exc:
        raise ProtocolError(400, f"update failed: {' '.join(str(exc).split())[:500]}") from None


def timeout_message(limit: float) -> str:
    """The 503 text for a query stopped at the time limit."""
    return (
        f"the query ran past the time limit of {limit:g} s and was stopped; "
        "narrow it (LIMIT, more specific patterns) or ask the operator to raise KG_QUERY_TIMEOUT"
    )
