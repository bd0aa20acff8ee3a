"""SPARQL result formats: choosing one from ``Accept`` or a ``format`` parameter, and writing
SELECT solutions row by row (JSON, XML, CSV, TSV), so that they can be cut at the row limit or
the time limit.

>>> pick(RESULTS, "application/sparql-results+xml;q=0.9, text/csv", None).name
'csv'
>>> pick(GRAPHS, None, "ntriples").media_type
'application/n-triples'
>>> term_json(Literal("Spain", language="en"))
{'type': 'literal', 'value': 'Spain', 'xml:lang': 'en'}
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    Triple,
)

from kg.dumps import TRIPLE_TERMS, TripleTermError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
Term = NamedNode | BlankNode | Literal | Triple


@dataclass(frozen=True)
class Format:
    """A result format: short name, media type, other media types it answers to."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    rdf: RdfFormat | None = None
    results: QueryResultsFormat | None = None

    @property
    def content_type(self) -> str:
        """The media type with a charset where the type is textual."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


RESULTS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        ("application/json", "text/javascript", "application/javascript"),
        results=QueryResultsFormat.JSON,
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
        results=QueryResultsFormat.XML,
    ),
    Format("csv", "text/csv", (), results=QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", ("text/tsv",), results=QueryResultsFormat.TSV),
)
GRAPHS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ("application/x-turtle", "ttl"), rdf=RdfFormat.TURTLE),
    Format("ntriples", "application/n-triples", ("text/plain", "nt"), rdf=RdfFormat.N_TRIPLES),
    Format(
        "jsonld",
        "application/ld+json",
        ("json-ld", "application/json", "json"),
        rdf=RdfFormat.JSON_LD,
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        ("application/xml", "text/xml", "xml"),
        rdf=RdfFormat.RDF_XML,
    ),
)


class NotAcceptableError(ValueError):
    """No format offered matches what the client accepts."""


class NotRepresentableError(ValueError):
    """The result holds something the chosen format cannot carry."""


# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def check_xml_text(term: Term) -> None:
    """:class:`NotRepresentableError` when ``term`` holds a character XML cannot carry.

    >>> check_xml_text(Literal("bell\x07"))
    Traceback (most recent call last):
    api.results.NotRepresentableError: the result holds a control character (U+0007), which XML \
cannot carry; ask for JSON, CSV, TSV, Turtle or N-Triples instead
    """
    if isinstance(term, Triple):
        for part in term:
            check_xml_text(part)
        return
    found = _NOT_XML.search(term.value)
    if found:
        raise NotRepresentableError(
            f"the result holds a control character (U+{ord(found.group()):04X}), which XML "
            "cannot carry; ask for JSON, CSV, TSV, Turtle or N-Triples instead"
        )


def checked(triples: Iterable[Triple], rdf: RdfFormat) -> Iterable[Triple]:
    """``triples``, with :class:`NotRepresentableError` raised at the first one the format
    cannot carry: a triple term in JSON-LD, a control character in RDF/XML. A format that
    carries every triple gets ``triples`` themselves, so the native writer reads them without
    a Python step per triple.

    >>> from pyoxigraph import NamedNode
    >>> a = NamedNode("http://example.org/a")
    >>> triples = [Triple(a, a, Triple(a, a, a))]
    >>> checked(triples, RdfFormat.TURTLE) is triples
    True
    >>> list(checked(triples, RdfFormat.JSON_LD))
    Traceback (most recent call last):
    api.results.NotRepresentableError: JSON-LD cannot carry triple terms; ask for Turtle, \
N-Triples, TriG or N-Quads
    """
    if rdf not in (RdfFormat.JSON_LD, RdfFormat.RDF_XML):
        return triples
    return _checked(triples, rdf)


def _checked(triples: Iterable[Triple], rdf: RdfFormat) -> Iterator[Triple]:
    for triple in triples:
        if rdf == RdfFormat.JSON_LD and any(isinstance(t, Triple) for t in triple):
            raise NotRepresentableError(TRIPLE_TERMS)
        if rdf == RdfFormat.RDF_XML:
            for term in triple:
                check_xml_text(term)
        yield triple


def unrepresentable(exc: BaseException) -> str | None:
    """The message for a client when ``exc`` says the chosen format cannot carry the data
    (ours, or the JSON-LD writer's own refusal of triple terms), else None."""
    if isinstance(exc, NotRepresentableError | TripleTermError):
        return str(exc)
    if isinstance(exc, OSError) and "JSON-LD does not support" in str(exc):
        return TRIPLE_TERMS
    return None


def escape(text: str) -> str:
    """Text as XML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """Text as a double-quoted XML attribute value."""
    return '"' + escape(text).replace('"', "&quot;") + '"'


class UnknownFormatError(ValueError):
    """A ``format`` parameter naming no format this server writes."""


def body_schema(media: str) -> dict[str, Any]:
    """The OpenAPI content entry of a response body: any JSON value, else a string.

    >>> body_schema("text/turtle"), body_schema("application/ld+json")
    ({'schema': {'type': 'string'}}, {'schema': {}})
    """
    return {"schema": {} if "json" in media else {"type": "string"}}


def _accepted(header: str) -> list[tuple[float, int, str]]:
    ranges: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((quality, position, media))
    return ranges


def _matches(pattern: str, fmt: Format) -> int:
    """How specifically ``pattern`` matches the format: 3 exact, 2 alias, 1 wildcard, 0 not."""
    if pattern == fmt.media_type:
        return 3
    if pattern in fmt.aliases:
        return 2
    if pattern == "*/*" or (pattern.endswith("/*") and fmt.media_type.startswith(pattern[:-1])):
        return 1
    return 0


def _names_media_types(accept: str | None) -> bool:
    """True when ``accept`` names a media type, not only ``*/*`` or ``type/*`` ranges."""
    return any(not media.endswith("/*") for _, _, media in _accepted(accept or ""))


def pick(offered: Sequence[Format], accept: str | None, requested: str | None) -> Format:
    """The format to answer in: ``requested`` (a short name or media type) wins, then the best
    ``Accept`` match, then the first offered.

    A ``requested`` value this server does not know gives way to an ``Accept`` header that
    names media types (clients such as SPARQLWrapper send both, the parameter in a spelling of
    their own); with no such header it is an :class:`UnknownFormatError`.

    >>> pick(GRAPHS, "text/n3, text/turtle", "n3").name
    'turtle'
    """
    if requested:
        wanted = requested.strip().lower()
        for fmt in offered:
            if wanted == fmt.name or wanted == fmt.media_type or wanted in fmt.aliases:
                return fmt
        if not _names_media_types(accept):
            names = ", ".join(f.name for f in offered)
            raise UnknownFormatError(
                f"unknown format {requested!r} for this result; use one of {names}"
            )
    if not accept or not accept.strip():
        return offered[0]
    ranges = _accepted(accept)
    best: tuple[float, int, int] | None = None
    chosen: Format | None = None
    for index, fmt in enumerate(offered):
        # the most specific range that matches a format decides its quality (RFC 9110)
        matching = [
            (_matches(pattern, fmt), -position, quality)
            for quality, position, pattern in ranges
            if _matches(pattern, fmt)
        ]
        if not matching:
            continue
        specificity, position, quality = max(matching)
        if quality <= 0:
            continue
        key = (quality, position if specificity > 1 else -len(ranges), -index)
        if best is None or key > best:
            best, chosen = key, fmt
    if chosen is None:
        types = ", ".join(f.media_type for f in offered)
        raise NotAcceptableError(
            f"none of the accepted media types can be produced; offered: {types}"
        )
    return chosen


def term_json(term: Term) -> dict[str, Any]:
    """A term as SPARQL 1.1 (and 1.2 for triple terms) JSON results write it."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction)
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def _term_xml(term: Term) -> str:
    check_xml_text(term)
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_term_xml(term.subject)}</subject>"
        f"<predicate>{_term_xml(term.predicate)}</predicate>"
        f"<object>{_term_xml(term.object)}</object></triple>"
    )


def _term_tsv(term: Term) -> str:
    if isinstance(term, Triple):
        parts = (_term_tsv(term.subject), _term_tsv(term.predicate), _term_tsv(term.object))
        return "<<( {} {} {} )>>".format(*parts)
    return str(term)


def _term_csv(term: Term) -> str:
    if isinstance(term, NamedNode | Literal):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return _term_tsv(term)


class SolutionsWriter:
    """Writes the head, the rows and the end of a SELECT result in one of the four formats.

    >>> w = SolutionsWriter(RESULTS[2], ["x", "y"])
    >>> w.head() + w.row([NamedNode("http://a"), None]) + w.tail()
    b'x,y\\r\\nhttp://a,\\r\\n'
    """

    def __init__(self, fmt: Format, variables: Sequence[str]) -> None:
        self.fmt = fmt
        self.variables = list(variables)
        self._first = True

    def head(self, warning: str | None = None) -> bytes:
        """The start of the result, with ``warning`` where the format has room for one."""
        name = self.fmt.name
        if name == "json":
            warnings = f',"warnings":{json.dumps([warning])}' if warning else ""
            return (
                '{"head":{"vars":'
                + json.dumps(self.variables)
                + "}"
                + warnings
                + ',"results":{"bindings":['
            ).encode()
        if name == "xml":
            names = "".join(f"<variable name={quoteattr(v)}/>" for v in self.variables)
            comment = f"<!-- {warning} -->" if warning else ""
            return (
                '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{names}</head>{comment}<results>"
            ).encode()
        if name == "csv":
            return self._csv(self.variables)
        return ("\t".join(f"?{v}" for v in self.variables) + "\n").encode()

    def _csv(self, cells: Iterable[str]) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(list(cells))
        return buffer.getvalue().encode()

    def row(self, values: Sequence[Term | None]) -> bytes:
        name = self.fmt.name
        if name == "json":
            binding = {
                var: term_json(value)
                for var, value in zip(self.variables, values, strict=False)
                if value is not None
            }
            text = json.dumps(binding, ensure_ascii=False, separators=(",", ":"))
            prefix = "" if self._first else ","
            self._first = False
            return (prefix + text).encode()
        if name == "xml":
            cells = "".join(
                f"<binding name={quoteattr(var)}>{_term_xml(value)}</binding>"
                for var, value in zip(self.variables, values, strict=False)
                if value is not None
            )
            return f"<result>{cells}</result>".encode()
        if name == "csv":
            return self._csv("" if v is None else _term_csv(v) for v in values)
        return ("\t".join("" if v is None else _term_tsv(v) for v in values) + "\n").encode()

    def tail(self) -> bytes:
        if self.fmt.name == "json":
            return b"]}}"
        if self.fmt.name == "xml":
            return b"</results></sparql>"
        return b""
