"""Writing the graph for people to read: Turtle and TriG from the native writer with the
project's prefixes in a fixed order and a blank line between subjects, and JSON-LD compacted
with the published context (:data:`kg.prefixes.CONTEXT`), one object per named graph.

>>> import io
>>> from pyoxigraph import Literal, NamedNode, Triple
>>> gb, fr = (NamedNode(f"https://w3id.org/pledgekg/id/state/{c}") for c in ("GB", "FR"))
>>> label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
>>> out = io.BytesIO()
>>> write_triples([Triple(gb, label, Literal("UK")), Triple(fr, label, Literal("France"))],
...     out, RdfFormat.TURTLE)
>>> print(out.getvalue().decode().split("@prefix wd: <http://www.wikidata.org/entity/> .")[1])
<BLANKLINE>
<BLANKLINE>
state:GB rdfs:label "UK" .
<BLANKLINE>
state:FR rdfs:label "France" .
<BLANKLINE>
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg.prefixes import CONTEXT, PREFIXES

if TYPE_CHECKING:
    import rdflib
    from rdflib.plugins.shared.jsonld.context import Context

Graphs = Iterable[tuple[NamedNode | None, Iterable[Triple]]]
"""Graphs to write: each named graph (None for the default graph) with its triples."""


TRIPLE_TERMS = "JSON-LD cannot carry triple terms; ask for Turtle, N-Triples, TriG or N-Quads"


class TripleTermError(ValueError):
    """The graph holds a triple term, which JSON-LD cannot carry."""


EXPORT_SECONDS = 600.0
"""How long a whole-store export (``/export``, ``/graph``) may run before it is cut off."""

_ORDER = {f"@prefix {name}: ".encode(): index for index, name in enumerate(PREFIXES)}


class _Layout:
    r"""A byte sink that passes Turtle or TriG on with its ``@prefix`` lines in the order of
    :data:`PREFIXES` and a blank line before each subject and each graph block.

    The native writer escapes line breaks inside literals, so every line it writes that ends
    with `` .`` ends a statement and every line ``}`` ends a graph block. Each chunk of whole
    lines is laid out with a few byte replacements, not line by line.

    >>> import io
    >>> out = io.BytesIO()
    >>> layout = _Layout(out)
    >>> for piece in (b"@prefix wd: <w> .\n@prefix kg: <k> .\ng {\n\ta b c .\n", b"\td e f .\n}"):
    ...     _ = layout.write(piece)
    >>> layout.close()
    >>> out.getvalue().decode().splitlines()
    ['@prefix kg: <k> .', '@prefix wd: <w> .', '', 'g {', '\ta b c .', '', '\td e f .', '}']
    """

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.pending = b""
        self.header: list[bytes] | None = []
        self.blank_next = False

    def write(self, data: bytes) -> int:
        self.pending += data
        cut = self.pending.rfind(b"\n") + 1
        if cut:
            lines, self.pending = self.pending[:cut], self.pending[cut:]
            self._lines(lines)
        return len(data)

    def _lines(self, text: bytes) -> None:
        """Lay out ``text``: whole lines, but for the last piece of the output."""
        if self.header is not None:
            start = 0
            while text.startswith(b"@prefix ", start):
                end = text.find(b"\n", start) + 1 or len(text)
                self.header.append(text[start:end])
                start = end
            text = text[start:]
            if not text:
                return
            self._end_header()
        if self.blank_next and not text.startswith(b"}"):
            text = b"\n" + text
        # A blank line after every statement and graph block, then none before a "}".
        text = (b"\n" + text).replace(b"\n}\n", b"\n}\n\n").replace(b" .\n", b" .\n\n")
        text = text.replace(b"\n\n}", b"\n}")[1:]
        # The blank line after the last line waits for the next line, which may be a "}".
        self.blank_next = text.endswith(b"\n\n")
        self.out.write(text[:-1] if self.blank_next else text)

    def _end_header(self) -> None:
        assert self.header is not None
        key = len(_ORDER)
        ordered = sorted(self.header, key=lambda h: _ORDER.get(h[: h.find(b":") + 2], key))
        self.out.write(b"".join(ordered))
        self.blank_next = bool(ordered)
        self.header = None

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        if self.pending:
            self._lines(self.pending)
            self.pending = b""
        if self.header is not None:
            self._end_header()


@contextmanager
def laid_out(out: IO[bytes], rdf_format: RdfFormat) -> Iterator[IO[bytes]]:
    """``out``, or for Turtle and TriG a sink that lays the native writer's output out for
    reading on its way to ``out``."""
    if rdf_format not in (RdfFormat.TURTLE, RdfFormat.TRIG):
        yield out
        return
    layout = _Layout(out)
    yield layout  # type: ignore[misc]
    layout.close()


def write_triples(triples: Iterable[Triple], out: IO[bytes], rdf_format: RdfFormat) -> None:
    """Write one graph of triples in any RDF format."""
    if rdf_format == RdfFormat.JSON_LD:
        write_jsonld([(None, triples)], out)
        return
    with laid_out(out, rdf_format) as sink:
        serialize(triples, sink, rdf_format, prefixes=PREFIXES)


def write_quads(quads: Iterable[Quad], out: IO[bytes], rdf_format: RdfFormat) -> None:
    """Write quads in a dataset format (TriG, N-Quads, JSON-LD), each in its named graph.
    JSON-LD gathers each graph's triples in memory, so this is for parts of the store."""
    if rdf_format != RdfFormat.JSON_LD:
        with laid_out(out, rdf_format) as sink:
            serialize(quads, sink, rdf_format, prefixes=PREFIXES)
        return
    graphs: dict[NamedNode | None, list[Triple]] = defaultdict(list)
    for quad in quads:
        name = quad.graph_name if isinstance(quad.graph_name, NamedNode) else None
        graphs[name].append(quad.triple)
    ordered = sorted(graphs.items(), key=lambda g: "" if g[0] is None else g[0].value)
    write_jsonld(ordered, out)


def _term(term: NamedNode | BlankNode | Literal | Triple) -> rdflib.term.Identifier:
    import rdflib

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(
            term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False
        )
    raise TripleTermError(TRIPLE_TERMS)


def _nodes(triples: Iterable[Triple], context: Context) -> list[Any]:
    import rdflib
    from rdflib.plugins.serializers.jsonld import Converter

    graph = rdflib.Graph()
    for triple in triples:
        graph.add((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
    nodes: list[dict[str, Any]] = Converter(context, False, False).from_graph(graph)
    return sorted((_id_first(n) for n in nodes), key=lambda node: str(node.get("@id", "")))


def _id_first(node: dict[str, Any]) -> dict[str, Any]:
    """The node with ``@id`` first, then its other keywords, then its properties by name."""
    keys = sorted(node, key=lambda k: (k != "@id", not k.startswith("@"), k))
    return {k: node[k] for k in keys}


def _indented(value: Any, depth: int) -> bytes:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * depth).encode()


def write_jsonld(graphs: Graphs, out: IO[bytes]) -> None:
    """JSON-LD compacted with the published context: the default graph's nodes, then one
    object per named graph holding its nodes; written graph by graph.
    :class:`TripleTermError` for a triple term, raised before anything is written when it is
    in the first graph."""
    # Imported here: rdflib takes a good part of a second to import, which every command on
    # the store would otherwise pay.
    from rdflib.plugins.shared.jsonld.context import Context

    context = Context(CONTEXT)
    opening = b'{\n  "@context": ' + _indented(CONTEXT, 1) + b',\n  "@graph": ['
    separator = b"\n    "
    for name, triples in graphs:
        nodes = _nodes(triples, context)
        if not nodes:
            continue
        if name is not None:
            nodes = [{"@id": context.shrink_iri(name.value), "@graph": nodes}]
        for item in nodes:
            out.write(opening + separator + _indented(item, 2))
            opening, separator = b"", b",\n    "
    out.write(opening + b"\n  ]\n}\n")
