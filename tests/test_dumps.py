"""Exports for people to read: the layout of Turtle and TriG laid over the native writer's
output, whatever pieces it arrives in, and the Turtle of the union graph (each triple once,
triple terms kept, the project's prefixes), written to real files from a real store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from kg.dumps import _Layout, laid_out
from kg.prefixes import PREFIXES
from kg.store import EmbeddedStore

EX = "http://example.org/"
KG = PREFIXES["kg"]
STATE = PREFIXES["state"]


def line_by_line(raw: bytes) -> bytes:
    """The layout read one line at a time, as it was first written: ``@prefix`` lines in
    the order of :data:`PREFIXES`, a blank line after them, after every line ending with
    `` .`` and after every ``}``, but none before a ``}``."""
    order = {f"@prefix {name}: ".encode(): index for index, name in enumerate(PREFIXES)}
    lines = raw.splitlines(keepends=True)
    header = []
    while lines and lines[0].startswith(b"@prefix "):
        header.append(lines.pop(0))
    header.sort(key=lambda h: order.get(h[: h.find(b":") + 2], len(order)))
    out, blank_next = list(header), bool(header)
    for line in lines:
        stripped = line.strip()
        if blank_next and stripped != b"}":
            out.append(b"\n")
        out.append(line)
        blank_next = stripped.endswith(b" .") or stripped == b"}"
    return b"".join(out)


def laid_out_in_pieces(raw: bytes, size: int) -> bytes:
    out = io.BytesIO()
    layout = _Layout(out)
    for start in range(0, len(raw), size):
        layout.write(raw[start : start + size])
    layout.close()
    return out.getvalue()


def native(store: Store, rdf_format: RdfFormat) -> bytes:
    """What the native writer gives for the whole store (TriG) or its union (Turtle)."""
    if rdf_format == RdfFormat.TRIG:
        return store.dump(format=RdfFormat.TRIG, prefixes=PREFIXES) or b""
    union = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
    )
    assert isinstance(union, QueryTriples)
    return serialize(union, None, RdfFormat.TURTLE, prefixes=PREFIXES) or b""


@pytest.mark.parametrize("rdf_format", [RdfFormat.TURTLE, RdfFormat.TRIG])
def test_the_layout_is_the_line_by_line_one_in_pieces_of_any_size(
    seed_store_dir: Path, rdf_format: RdfFormat
) -> None:
    store = Store.read_only(str(seed_store_dir))
    raw = native(store, rdf_format)
    expected = line_by_line(raw)
    assert expected.count(b"\n\n") > 10
    for size in (1, 2, 7, 64, 8192, len(raw)):
        assert laid_out_in_pieces(raw, size) == expected, size


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"@prefix kg: <k> .\n",
        b"@prefix wd: <w> .\n@prefix kg: <k> .",
        b"<a> <b> <c> .",
        b'<a> <b> "x .\\n}\\n" ;\n\t<c> "y" .\n<d> <e> <f> .\n',
        b"<g> {\n}\n<h> {\n\t<a> <b> <c> .\n}\n<i> {\n\t<a> <b> <c> .\n\t<d> <e> <f> .\n}\n",
        b'@prefix kg: <k> .\n<g> {\n\t<a> <b> <<( <a> <b> "1" )>> .\n}\n',
    ],
)
def test_the_layout_of_edge_cases(raw: bytes) -> None:
    for size in (1, 3, len(raw) or 1):
        assert laid_out_in_pieces(raw, size) == line_by_line(raw), size


def test_formats_without_a_layout_go_straight_to_the_output() -> None:
    out = io.BytesIO()
    with laid_out(out, RdfFormat.N_QUADS) as sink:
        assert sink is out


@pytest.fixture()
def restated(tmp_path: Path) -> EmbeddedStore:
    """A store where two graphs restate one fact, and one graph holds a triple term."""
    store = EmbeddedStore(tmp_path / "store")
    spain, france = NamedNode(STATE + "ES"), NamedNode(STATE + "FR")
    named, says = NamedNode(KG + "name"), NamedNode(KG + "says")
    for index in range(3):
        graph = NamedNode(f"{EX}graph/{index}")
        quads = [Quad(spain, named, Literal("Spain"), graph)]
        if index == 2:
            fact = Triple(france, named, Literal("France"))
            quads.append(Quad(NamedNode(f"{EX}source"), says, fact, graph))
        store.replace_graph(graph, quads)
    return store


def test_turtle_of_the_union_holds_each_triple_once_with_triple_terms(
    restated: EmbeddedStore, tmp_path: Path
) -> None:
    out = tmp_path / "union.ttl"
    try:
        with out.open("wb") as handle:
            restated.export(handle, "turtle")
        expected = {q.triple for q in restated.graph_quads(NamedNode(f"{EX}graph/2"))}
    finally:
        restated.close()
    text = out.read_text("utf-8")
    statements = [q.triple for q in parse(path=str(out), format=RdfFormat.TURTLE)]
    assert sorted(statements, key=str) == sorted(expected, key=str)
    assert len(statements) == 2
    assert text.startswith("@prefix kg: <https://w3id.org/pledgekg/ontology#> .\n")
    assert 'state:ES kg:name "Spain" .' in text
    assert '<<( state:FR kg:name "France" )>>' in text


def test_trig_keeps_the_restated_triple_in_every_graph(
    restated: EmbeddedStore, tmp_path: Path
) -> None:
    out = tmp_path / "all.trig"
    try:
        with out.open("wb") as handle:
            restated.export(handle, "trig")
    finally:
        restated.close()
    quads = list(parse(path=str(out), format=RdfFormat.TRIG))
    assert len(quads) == 4
    assert len({q.graph_name for q in quads}) == 3
    assert "\n}\n\n" in out.read_text("utf-8")
