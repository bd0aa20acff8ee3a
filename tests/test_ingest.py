"""The ingest loop (:func:`kg.ingest.ingest`) tells the sink which source graphs a run wrote
or dropped, so what is derived from them can be brought up to date: nothing for a run that
changes nothing, both versions for an edit, the gone ones for a sweep."""

from __future__ import annotations

import dataclasses

from pyoxigraph import NamedNode

from kg.changes import Scope
from kg.config import Settings
from kg.identity import source_id
from kg.ingest import ingest
from kg.ingest.engines import local
from kg.ingest.sinks import StoreSink
from kg.rdf import source_iri
from kg.records import Article
from kg.store import EmbeddedStore

SPAIN = (
    "Spanish Prime Minister Pedro Sánchez said on Tuesday that Spain could send troops to "
    "Ukraine after a ceasefire, once parliament has been consulted about the mission."
)
ITALY = "Italian Prime Minister Giorgia Meloni said Italy would not send troops to Ukraine."


class Recording(StoreSink):
    """A store sink that keeps what each run's end was told."""

    def __init__(self, store: EmbeddedStore, settings: Settings) -> None:
        super().__init__(store, settings)
        self.told: list[set[NamedNode]] = []

    def finish(self, touched: set[NamedNode]) -> None:
        self.told.append(set(touched))
        super().finish(touched)


def graph(article: Article) -> NamedNode:
    return source_iri(source_id(article))


def test_the_sink_hears_the_graphs_a_run_wrote_or_dropped() -> None:
    settings = Settings(store=":memory:")
    engine = local(settings)
    sink = Recording(EmbeddedStore(None), settings)
    spain = Article(SPAIN, "wire/spain.txt", path="wire/spain.txt")
    italy = Article(ITALY, "wire/italy.txt", path="wire/italy.txt")

    assert ingest([spain, italy], engine, sink).new == 2
    assert sink.told[-1] == {graph(spain), graph(italy)}

    assert ingest([spain, italy], engine, sink).unchanged == 2
    assert sink.told[-1] == set()

    edited = dataclasses.replace(spain, text=SPAIN.replace("has been consulted about", "approved"))
    assert ingest([edited], engine, sink).changed == 1
    assert sink.told[-1] == {graph(edited), graph(spain)}
    assert not sink.store.has_graph(graph(spain))

    gone = ingest([], engine, sink, scope=Scope(roots=("wire",)))
    assert gone.removed == 2
    assert sink.told[-1] == {graph(edited), graph(italy)}

    assert ingest([italy], engine, sink, dry_run=True).new == 1
    assert len(sink.told) == 4, "a dry run writes nothing and derives nothing"
