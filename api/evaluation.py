"""Running a SPARQL operation against the store: a query in a worker process, whose whole
answer (up to the row limit) is serialized before anything is sent, and an update in the
server's single writer.

The answer is made whole first so that its status and headers are true: a query stopped at the
time limit gets a 503, never half a body, and one cut at ``KG_RESULT_LIMIT`` says so in an
``X-Result-Truncated`` header and, where the format has room, a warning in the body (a
``warnings`` member in JSON results, a comment in XML, Turtle and N-Triples). Every format comes
out well-formed: XML cannot carry most control characters even escaped, so a result holding one
is refused in XML formats (406, naming the others), and JSON-LD cannot carry triple terms.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, RdfFormat, Triple, serialize

from api.outbound import outbound_operation
from api.results import (
    GRAPHS,
    RESULTS,
    Format,
    NotAcceptableError,
    NotRepresentableError,
    SolutionsWriter,
    UnknownFormatError,
    checked,
    pick,
)
from api.runner import Deadline, QueryTimeoutError
from api.sparql_protocol import Operation, ProtocolError
from kg.prefixes import PREFIXES
from kg.sparql_text import (
    DatasetConflictError,
    UndeclaredPrefixError,
    apply_using,
    check_structure,
    complete_prefixes,
    dataset_clauses,
    has_relative_iri,
)
from kg.store import GraphStore, StoreError
from kg.vocab import graph_iri

log = logging.getLogger("api.sparql")
EMPTY_GRAPH = graph_iri("empty")
_POSITION = re.compile(r"\bat (\d+):(\d+)")


@dataclass(frozen=True)
class Context:
    """What evaluating a query needs to know about the request and the server's limits."""

    base_iri: str | None
    accept: str | None
    deadline: Deadline
    result_limit: int
    allow_service: bool


@dataclass
class Answer:
    """A query's whole response body, its media type and headers."""

    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def timeout_message(limit: float) -> str:
    """The 503 text for a query stopped at the time limit."""
    return (
        f"the query ran past the time limit of {limit:g} s and was stopped; "
        "narrow it (LIMIT, more specific patterns) or ask the operator to raise KG_QUERY_TIMEOUT"
    )


def memory_message(budget_mb: int) -> str:
    """The 503 text for a query whose worker ran out of memory or crashed."""
    return (
        f"the query needed more than the {budget_mb} MB of memory a query may use (or it "
        "crashed the query engine) and was stopped; narrow it, or ask the operator to raise "
        "KG_QUERY_MEMORY_MB"
    )


def truncation_warning(limit: int) -> str:
    return (
        f"the result was cut at the server's limit of {limit} rows (KG_RESULT_LIMIT); "
        "narrow the query or page through it with LIMIT and OFFSET"
    )


def _prepared(text: str, base: str | None) -> tuple[str, int]:
    """The text the engine reads: the project's prefixes the text uses undeclared, and the
    endpoint's BASE when it holds relative IRIs, put before it; and how many lines that adds."""
    try:
        text, added = complete_prefixes(text, PREFIXES)
    except UndeclaredPrefixError as exc:
        raise ProtocolError(400, str(exc)) from None
    if base and has_relative_iri(text):
        return f"BASE <{base}>\n{text}", added + 1
    return text, added


def _parser_message(error: SyntaxError, shift: int) -> str:
    message = " ".join(str(error).split())
    if shift:
        message = _POSITION.sub(
            lambda m: f"at {max(1, int(m.group(1)) - shift)}:{m.group(2)}", message
        )
    return f"SPARQL syntax error: {message}"


def refuse_unsafe(text: str, *, update: bool, allow: bool) -> None:
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
            403,
            f"{what} is disabled on this server: it would send requests to other hosts (the "
            f"word {found} outside a string, comment or name reads as the keyword)",
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


class _Limited:
    """The triples of a CONSTRUCT, cut at the row limit (noting whether there were more), with
    the time limit checked."""

    def __init__(self, triples: Iterator[Triple], context: Context) -> None:
        self.triples = triples
        self.context = context
        self.truncated = False

    def __iter__(self) -> Iterator[Triple]:
        for index, triple in enumerate(self.triples):
            if index >= self.context.result_limit:
                self.truncated = True
                return
            self.context.deadline.check()
            yield triple


def _solutions(result: QuerySolutions, fmt: Format, context: Context) -> tuple[bytes, bool]:
    writer = SolutionsWriter(fmt, [v.value for v in result.variables])
    rows = io.BytesIO()
    truncated = False
    for index, row in enumerate(result):
        if index >= context.result_limit:
            truncated = True
            break
        context.deadline.check()
        rows.write(writer.row(list(row)))
    # The head goes last: only now is it known whether it must carry a warning.
    warning = truncation_warning(context.result_limit) if truncated else None
    return writer.head(warning) + rows.getvalue() + writer.tail(), truncated


def _graph_warning(rdf: RdfFormat, limit: int) -> bytes:
    text = truncation_warning(limit)
    if rdf in (RdfFormat.TURTLE, RdfFormat.N_TRIPLES):
        return f"# {text}\n".encode()
    if rdf == RdfFormat.RDF_XML:
        return f"\n<!-- {text} -->\n".encode()
    return b""


def _evaluate(store: GraphStore, operation: Operation, context: Context) -> Answer:
    refuse_unsafe(operation.text, update=False, allow=context.allow_service)
    text, shift = _prepared(operation.text, context.base_iri)
    default, named = _dataset(operation, text, context.base_iri)
    try:
        result = store.query(text, default_graphs=default, named_graphs=named)
    except SyntaxError as exc:
        raise ProtocolError(400, _parser_message(exc, shift)) from None
    context.deadline.check()
    truncated = False
    if isinstance(result, QueryBoolean):
        fmt = pick(RESULTS, context.accept, operation.format)
        assert fmt.results is not None
        body = result.serialize(format=fmt.results) or b""
    elif isinstance(result, QuerySolutions):
        fmt = pick(RESULTS, context.accept, operation.format)
        body, truncated = _solutions(result, fmt, context)
    else:
        fmt = pick(GRAPHS, context.accept, operation.format)
        assert fmt.rdf is not None
        triples = _Limited(iter(result), context)
        body = serialize(checked(triples, fmt.rdf), None, fmt.rdf, prefixes=PREFIXES) or b""
        truncated = triples.truncated
        if truncated:
            body += _graph_warning(fmt.rdf, context.result_limit)
    headers = {"X-Result-Limit": str(context.result_limit)}
    if truncated:
        headers["X-Result-Truncated"] = "true"
    return Answer(fmt.content_type, body, headers)


def run_query(store: GraphStore, operation: Operation, context: Context) -> Answer:
    """Evaluate a query and serialize its whole answer; :class:`ProtocolError` says why not."""
    try:
        return _evaluate(store, operation, context)
    except (NotAcceptableError, NotRepresentableError) as exc:
        raise ProtocolError(406, str(exc)) from None
    except UnknownFormatError as exc:
        raise ProtocolError(400, str(exc)) from None
    except QueryTimeoutError as exc:
        raise ProtocolError(503, timeout_message(exc.limit)) from None
    except StoreError as exc:
        log.error("store error: %s", exc)
        raise ProtocolError(503, "the store is not available") from None
    except (ConnectionError, TimeoutError) as exc:
        # Only SERVICE makes connections (when allowed): the other host failed, not the query.
        detail = " ".join(str(exc).split())[:300]
        raise ProtocolError(502, f"a SERVICE request failed: {detail}") from None
    except OSError as exc:
        log.error("query failed: %s", exc)
        raise ProtocolError(503, f"the query failed: {' '.join(str(exc).split())[:300]}") from None
    except RuntimeError as exc:
        detail = " ".join(str(exc).split())[:500]
        raise ProtocolError(400, f"query evaluation failed: {detail}") from None


def run_update(store: GraphStore, operation: Operation, base_iri: str | None, allow: bool) -> None:
    """Apply an update atomically (writer thread); :class:`ProtocolError` when refused."""
    refuse_unsafe(operation.text, update=True, allow=allow)
    try:
        text = apply_using(operation.text, operation.default_graphs, operation.named_graphs)
    except DatasetConflictError as exc:
        raise ProtocolError(400, str(exc)) from None
    text, shift = _prepared(text, base_iri)
    try:
        store.update(text)
    except SyntaxError as exc:
        raise ProtocolError(400, _parser_message(exc, shift)) from None
    except (ConnectionError, TimeoutError) as exc:
        detail = " ".join(str(exc).split())[:300]
        raise ProtocolError(502, f"a SERVICE or LOAD request failed: {detail}") from None
    except (RuntimeError, OSError) as exc:
        raise ProtocolError(400, f"update failed: {' '.join(str(exc).split())[:500]}") from None
