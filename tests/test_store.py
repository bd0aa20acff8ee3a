"""The embedded store: atomic, idempotent graph replacement, the union default graph, exports
that keep (or merge) the named graphs, and re-ingesting the seeds."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

import pytest
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
)
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.config import Settings
from kg.ingest import ingest
from kg.ingest.engines import local
from kg.ingest.sinks import StoreSink
from kg.pipeline import read_all
from kg.rdf import REFERENCE_GRAPH, SOURCE_PREFIX
from kg.statistics import store_stats
from kg.store import EmbeddedStore, GraphStore, StoreBusyError, StoreError

EX = "http://example.org/"
G1 = NamedNode(SOURCE_PREFIX + "0000000000000001")
G2 = NamedNode(SOURCE_PREFIX + "0000000000000002")
P = NamedNode(EX + "p")


def quad(subject: str, obj: str, graph: NamedNode) -> Quad:
    return Quad(NamedNode(EX + subject), P, Literal(obj), graph)


def graph_sets(store: GraphStore) -> dict[str, set[Quad]]:
    """Every named graph of the store and its quads."""
    return {g.value: set(store.graph_quads(g)) for g in store.graphs()}


def rdflib_dataset(data: bytes, fmt: str) -> dict[str, Graph]:
    """The named graphs of a serialized dataset, parsed by rdflib."""
    dataset = Dataset()
    dataset.parse(data=data, format=fmt)
    graphs: dict[str, Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = str(g.identifier if isinstance(g, Graph) else g)
        graphs.setdefault(name, Graph()).add((s, p, o))
    return graphs


def rdflib_graph(quads: Sequence[Quad]) -> Graph:
    from pyoxigraph import serialize

    data = serialize((q.triple for q in quads), None, RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data, format="nt")


class BreaksAfter(Sequence[Quad]):
    """A list of quads whose iteration fails part-way, as a crashing producer would."""

    def __init__(self, quads: list[Quad], after: int) -> None:
        self._quads = quads
        self._after = after

    def __len__(self) -> int:
        return len(self._quads)

    @overload
    def __getitem__(self, index: int) -> Quad: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Quad]: ...
    def __getitem__(self, index: int | slice) -> Quad | Sequence[Quad]:
        return self._quads[index]

    def __iter__(self) -> Iterator[Quad]:
        for position, item in enumerate(self._quads):
            if position == self._after:
                raise RuntimeError("producer crashed")
            yield item


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore(tmp_path / "store")
    yield opened
    opened.close()


# Replacing graphs


def test_replace_graph_is_idempotent(store: EmbeddedStore) -> None:
    quads = [quad("a", "1", G1), quad("b", "2", G1)]
    store.replace_graph(G1, quads)
    store.replace_graph(G1, quads)
    assert store.count() == 2
    assert set(store.graph_quads(G1)) == set(quads)


def test_replace_graph_replaces_only_that_graph(store: EmbeddedStore) -> None:
    store.replace_graph(G1, [quad("a", "1", G1), quad("b", "2", G1)])
    store.replace_graph(G2, [quad("a", "1", G2)])
    store.replace_graph(G1, [quad("c", "3", G1)])
    assert set(store.graph_quads(G1)) == {quad("c", "3", G1)}
    assert set(store.graph_quads(G2)) == {quad("a", "1", G2)}
    assert store.count(G1) == 1 and store.count(G2) == 1 and store.count() == 2


@pytest.mark.parametrize("existing", [False, True], ids=["new-graph", "existing-graph"])
def test_replace_graph_is_all_or_nothing(store: EmbeddedStore, existing: bool) -> None:
    before = [quad("old", "0", G1)]
    if existing:
        store.replace_graph(G1, before)
    store.replace_graph(G2, [quad("other", "0", G2)])
    new = [quad(f"n{i}", str(i), G1) for i in range(10)]
    with pytest.raises(RuntimeError, match="producer crashed"):
        store.replace_graph(G1, BreaksAfter(new, after=5))
    assert set(store.graph_quads(G1)) == (set(before) if existing else set())
    assert store.has_graph(G1) is existing
    assert set(store.graph_quads(G2)) == {quad("other", "0", G2)}


G3 = NamedNode(SOURCE_PREFIX + "0000000000000003")


def test_apply_replaces_and_drops_graphs_together(store: EmbeddedStore) -> None:
    for graph in (G1, G2, G3):
        store.replace_graph(graph, [quad("old", graph.value, graph)])
    store.apply({G1: [quad("new", "1", G1)], G3: [quad("new", "3", G3)]}, [G2])
    assert graph_sets(store) == {
        G1.value: {quad("new", "1", G1)},
        G3.value: {quad("new", "3", G3)},
    }


@pytest.mark.parametrize("writes", [1, 2], ids=["one-graph", "two-graphs"])
def test_apply_is_all_or_nothing(store: EmbeddedStore, writes: int) -> None:
    for graph in (G1, G2, G3):
        store.replace_graph(graph, [quad("old", graph.value, graph)])
    before = graph_sets(store)
    new = BreaksAfter([quad(f"n{i}", str(i), G1) for i in range(10)], after=5)
    changes: dict[NamedNode, Sequence[Quad]] = {G1: new}
    if writes == 2:
        changes[G3] = [quad("new", "3", G3)]
    with pytest.raises(RuntimeError, match="producer crashed"):
        store.apply(changes, [G2] if writes == 2 else [])
    assert graph_sets(store) == before


def test_replacing_with_nothing_keeps_an_empty_graph(store: EmbeddedStore) -> None:
    store.replace_graph(G1, [quad("a", "1", G1)])
    store.replace_graph(G1, [])
    store.replace_graph(G2, [])
    assert store.has_graph(G1) and store.has_graph(G2)
    assert store.count() == 0


def test_awkward_terms_survive_replacing_a_graph(store: EmbeddedStore) -> None:
    s = NamedNode(EX + "s/caf%C3%A9?x=1#frag")
    quads = [
        Quad(s, P, Literal('quote " backslash \\ end'), G1),
        Quad(s, P, Literal("line\nbreak\ttab\rreturn \x01 control"), G1),
        Quad(s, P, Literal("Volodímir Zelensky ✓ 🇺🇦"), G1),
        Quad(s, P, Literal("Espagne", language="fr"), G1),
        Quad(
            s,
            P,
            Literal("2026-01-06", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")),
            G1,
        ),
        Quad(s, P, Literal("''' \"\"\" }} ; . GRAPH"), G1),
        Quad(s, P, NamedNode("https://w3id.org/pledgekg/id/leader/pedro-sánchez"), G1),
    ]
    store.replace_graph(G1, quads[:1])
    store.replace_graph(G1, quads)  # the graph exists now: the replacing path
    assert set(store.graph_quads(G1)) == set(quads)


def test_blank_nodes_in_a_replaced_graph_keep_their_shape(store: EmbeddedStore) -> None:
    node = BlankNode()
    quads = [Quad(NamedNode(EX + "a"), P, node, G1), Quad(node, P, Literal("x"), G1)]
    store.replace_graph(G1, [quad("z", "z", G1)])
    store.replace_graph(G1, quads)
    assert isomorphic(rdflib_graph(store.graph_quads(G1)), rdflib_graph(quads))


def test_remove_graph(store: EmbeddedStore) -> None:
    store.replace_graph(G1, [quad("a", "1", G1)])
    store.replace_graph(G2, [quad("a", "1", G2)])
    assert store.remove_graph(G1) is True
    assert store.remove_graph(G1) is False
    assert store.graphs() == [G2]
    assert set(store.graph_quads(G2)) == {quad("a", "1", G2)}


# Querying


def test_default_graph_is_the_union_of_all_graphs(store: EmbeddedStore) -> None:
    store.replace_graph(G1, [Quad(NamedNode(EX + "a"), P, NamedNode(EX + "b"), G1)])
    store.replace_graph(G2, [Quad(NamedNode(EX + "b"), P, Literal("end"), G2)])
    join = f"SELECT ?o WHERE {{ <{EX}a> <{P.value}> ?mid . ?mid <{P.value}> ?o }}"
    result = store.query(join)
    assert isinstance(result, QuerySolutions)
    assert [row["o"] for row in result] == [Literal("end")]
    only_g1 = store.query(join, default_graphs=[G1])
    assert isinstance(only_g1, QuerySolutions)
    assert list(only_g1) == []
    ask = store.query(f"ASK {{ GRAPH <{G2.value}> {{ ?s ?p 'end' }} }}", named_graphs=[G2])
    assert isinstance(ask, QueryBoolean) and bool(ask)


def test_nothing_is_written_to_the_default_graph(store: EmbeddedStore) -> None:
    store.replace_graph(G1, [quad("a", "1", G1)])
    store.replace_graph(G1, [quad("a", "2", G1)])
    raw = store._store  # the pyoxigraph store underneath
    assert list(raw.quads_for_pattern(None, None, None, DefaultGraph())) == []


# Opening


def test_read_only_open_of_a_missing_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        EmbeddedStore(tmp_path / "nothing-here", read_only=True)
    assert not (tmp_path / "nothing-here").exists()


def test_second_writer_in_one_process_is_refused(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "store")
    try:
        with pytest.raises(StoreBusyError, match="in use"):
            EmbeddedStore(tmp_path / "store")
        with pytest.raises(StoreBusyError, match="in use"):
            EmbeddedStore(tmp_path / "store", read_only=True)
    finally:
        first.close()
    EmbeddedStore(tmp_path / "store", read_only=True).close()


def test_readers_can_share_a_store(seed_store_dir: Path) -> None:
    first = EmbeddedStore(seed_store_dir, read_only=True)
    second = EmbeddedStore(seed_store_dir, read_only=True)
    try:
        assert first.count() == second.count() > 0
    finally:
        first.close()
        second.close()


# Exports


# rdflib's own parsers use its deprecated ConjunctiveGraph internally.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dataset_exports_keep_every_graph(seed_store_dir: Path) -> None:
    store = EmbeddedStore(seed_store_dir, read_only=True)
    try:
        expected = graph_sets(store)
        for fmt, rdflib_format in (("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")):
            out = io.BytesIO()
            store.export(out, fmt)
            back = rdflib_dataset(out.getvalue(), rdflib_format)
            assert set(back) == set(expected), fmt
            for name, quads in expected.items():
                assert isomorphic(back[name], rdflib_graph(list(quads))), (fmt, name)
            if fmt != "jsonld":
                reloaded = Store()
                reloaded.load(
                    out.getvalue(), RdfFormat.TRIG if fmt == "trig" else RdfFormat.N_QUADS
                )
                assert len(reloaded) == sum(len(q) for q in expected.values()), fmt
    finally:
        store.close()


def test_graph_exports_are_the_union(seed_store_dir: Path) -> None:
    store = EmbeddedStore(seed_store_dir, read_only=True)
    try:
        union = Graph()
        for quads in graph_sets(store).values():
            union += rdflib_graph(list(quads))
        for fmt, rdflib_format in (("turtle", "turtle"), ("ntriples", "nt")):
            out = io.BytesIO()
            store.export(out, fmt)
            assert isomorphic(Graph().parse(data=out.getvalue(), format=rdflib_format), union)
    finally:
        store.close()


def test_one_graph_export(seed_store_dir: Path) -> None:
    store = EmbeddedStore(seed_store_dir, read_only=True)
    try:
        source = next(g for g in store.graphs() if g.value.startswith(SOURCE_PREFIX))
        expected = store.graph_quads(source)
        out = io.BytesIO()
        store.export(out, "trig", source)
        assert set(parse(out.getvalue(), RdfFormat.TRIG)) == set(expected)
        out = io.BytesIO()
        store.export(out, "turtle", source)
        back = {q.triple for q in parse(out.getvalue(), RdfFormat.TURTLE)}
        assert back == {q.triple for q in expected}
    finally:
        store.close()


# The seeds


def test_seed_store_has_one_graph_per_seed_and_the_reference_graph(
    seed_store_dir: Path, seeds_dir: Path
) -> None:
    store = EmbeddedStore(seed_store_dir, read_only=True)
    try:
        graphs = store.graphs()
        sources = [g for g in graphs if g.value.startswith(SOURCE_PREFIX)]
        assert len(sources) == len(list(seeds_dir.glob("*.txt")))
        assert REFERENCE_GRAPH in graphs
        for source in sources:
            subjects = {q.subject for q in store.graph_quads(source)}
            assert source in subjects  # the Source node lives in its own graph
    finally:
        store.close()


@pytest.mark.slow
def test_ingesting_the_seeds_twice_changes_nothing(seed_store_copy: Path, seeds_dir: Path) -> None:
    settings = Settings(store=str(seed_store_copy))
    store = EmbeddedStore(seed_store_copy)
    try:
        before_graphs = graph_sets(store)
        before_stats = store_stats(store)
        articles, errors = read_all([seeds_dir], settings)
        assert errors == []
        summary = ingest(articles, local(settings), StoreSink(store, settings))
        assert summary.sources == len(articles)
        assert store_stats(store) == before_stats
        assert graph_sets(store) == before_graphs
        assert store.count() == sum(len(q) for q in before_graphs.values())
    finally:
        store.close()
