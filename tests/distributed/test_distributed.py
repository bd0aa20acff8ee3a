"""Ingest on a real local dask cluster: the graph equals a single-process ingest's, also when a
worker is killed mid-run, into an embedded store, a real Oxigraph server or N-Quads files for
``oxigraph load``; a re-run writes only what changed.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import cloudpickle
import pytest
from dask.distributed import Client, WorkerPlugin
from pyoxigraph import NamedNode, Quad
from typer.testing import CliRunner

from bench.distributed import LocalDaskCluster
from kg.changes import IngestSummary, plan
from kg.claims import CLAIMS_GRAPH
from kg.cli import app
from kg.config import Settings
from kg.identity import group, source_id
from kg.ingest import Progress, ingest
from kg.ingest.cluster import DEFAULT_CHUNK, Dask, Failed
from kg.ingest.engines import local
from kg.ingest.sinks import NQuadsSink, StoreSink
from kg.pipeline import extract_articles
from kg.prefixes import KG, KGR, RDF, RDFS
from kg.rdf import (
    GENERATED_AT,
    GENERATED_BY,
    INPUT_PATH,
    LOCATOR,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    extraction_quads,
    source_iri,
)
from kg.records import Article, Extraction
from kg.sources import SourceError
from kg.store import EmbeddedStore
from tests.distributed.support import ARTICLES, assert_same_dataset, dataset_quads, subset
from tests.remote.conftest import start_server

KILL_AFTER = 40  # articles written before one worker is killed
SPAIN = (
    "Spanish Prime Minister Pedro Sánchez said on Tuesday that Spain could send troops to "
    "Ukraine after a ceasefire, once parliament has been consulted about the mission."
)
ITALY = "Italian Prime Minister Giorgia Meloni said Italy would not send troops to Ukraine."
# What an ingest adds to an article's facts: where, when and by which extraction.
INGEST = {p.value for p in (LOCATOR, INPUT_PATH, GENERATED_AT, GENERATED_BY)} | {
    RDF + "type",
    RDFS + "label",
    KG + "extractorVersion",
    KG + "model",
    KG + "textHash",
    KG + "minHash",
}
KG = str(Path(sys.executable).parent / "kg")


def _run_kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=900, check=False)


def _extraction(text: str, url: str) -> Extraction:
    article = Article(text=text, origin="a.txt", url=url)
    return Extraction(source_id(article), article, text, "en", 0, None)


def _ingest_into_store(
    articles: list[Article],
    path: Path,
    cluster: LocalDaskCluster,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    on_result: Progress | None = None,
) -> tuple[EmbeddedStore, IngestSummary]:
    """Ingest on the cluster into a new embedded store at ``path``; the store, left open."""
    store = EmbeddedStore(path)
    settings = Settings(store=str(path))
    engine = Dask(settings.model, settings.batch_size, cluster.address, chunk_size=chunk_size)
    summary = ingest(articles, engine, StoreSink(store, settings), on_result=on_result)
    return store, summary


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_no_article(
    corpus: list[Article],
    single_process_quads: list[Quad],
    dask_cluster: LocalDaskCluster,
    tmp_path: Path,
) -> None:
    written = 0
    victims: list[tuple[int, int]] = []  # (pid, chunks it was running or holding)
    with Client(dask_cluster.address, set_as_default=False) as client:  # type: ignore[no-untyped-call]

        def kill_a_busy_worker(result: Extraction | SourceError | None) -> None:
            nonlocal written
            written += 1
            if written == KILL_AFTER:
                pids: dict[str, int] = client.run(os.getpid)
                busy = {a: len(keys) for a, keys in client.processing().items() if keys}
                address = max(busy, key=busy.__getitem__)
                victims.append((pids[address], busy[address]))
                os.kill(pids[address], signal.SIGKILL)

        store, summary = _ingest_into_store(
            corpus, tmp_path / "store", dask_cluster, on_result=kill_a_busy_worker
        )
        client.wait_for_workers(2, timeout=120)
        after: dict[str, int] = client.run(os.getpid)
    [(victim, chunks)] = victims
    assert chunks >= 1, "the killed worker had work in flight"
    assert written == len(corpus)
    assert not summary.errors
    assert summary.sources == len(corpus)
    assert_same_dataset(dataset_quads(store), single_process_quads)
    store.close()
    # The nanny replaced the dead worker, so the cluster is whole again for the next test.
    assert victim not in after.values() and len(after) == 2


@pytest.mark.slow
def test_cli_ingest_on_the_cluster_into_a_remote_store_then_rerun_skips_everything(
    corpus_dir: Path,
    single_process_quads: list[Quad],
    dask_cluster: LocalDaskCluster,
    tmp_path: Path,
) -> None:
    server = start_server(tmp_path)
    try:
        args = ("ingest", str(corpus_dir), "--engine", "dask", "--address", dask_cluster.address)
        first = _run_kg(*args, "--store", server.url, "-q")
        assert first.returncode == 0, first.stderr
        assert first.stdout.startswith(f"ingested {ARTICLES} sources"), first.stdout
        assert_same_dataset(dataset_quads(server.store()), single_process_quads)

        again = _run_kg(*args, "--store", server.url, "-q")
        assert again.returncode == 0, again.stderr
        expected = f"ingested {ARTICLES} sources: 0 new, 0 changed, {ARTICLES} unchanged, 0 removed"
        assert again.stdout.startswith(expected), again.stdout
        assert_same_dataset(dataset_quads(server.store()), single_process_quads)
    finally:
        server.stop()


@pytest.mark.slow
def test_rerun_rewrites_only_the_changed_source(
    corpus: list[Article], dask_cluster: LocalDaskCluster, tmp_path: Path
) -> None:
    articles = corpus[:16]
    settings = Settings(store=str(tmp_path / "store"))
    store = EmbeddedStore(tmp_path / "store")
    engine = Dask(settings.model, settings.batch_size, dask_cluster.address)
    ingest(articles, engine, StoreSink(store, settings))
    changed = dataclasses.replace(articles[3], text=articles[3].text + "\n\nFrance said nothing.")
    rerun = [*articles[:3], changed, *articles[4:]]
    summary = ingest(rerun, engine, StoreSink(store, settings))
    assert (summary.changed, summary.unchanged, summary.errors) == (1, 15, [])
    expected = next(iter(extract_articles([changed], settings.model)))
    assert isinstance(expected, Extraction)
    graph = source_iri(source_id(changed))
    stored = set(store.graph_quads(graph))
    assert set(extraction_quads(expected)) <= stored
    assert {q.predicate.value for q in stored - set(extraction_quads(expected))} <= INGEST
    store.close()


@pytest.mark.slow
def test_nquads_files_load_with_oxigraph_into_the_same_graph(
    corpus: list[Article],
    corpus_dir: Path,
    single_process_quads: list[Quad],
    dask_cluster: LocalDaskCluster,
    tmp_path: Path,
) -> None:
    files = sorted(corpus_dir.glob("*.txt"))[:40]
    out = tmp_path / "nquads"
    made = _run_kg("ingest", *map(str, files), "--engine", "dask", "--address",
                   dask_cluster.address, "--nquads-dir", str(out), "-q")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "oxigraph load" in made.stdout
    assert sorted(p.name for p in out.iterdir()) == ["batch-000001.nq", "reference.nq"]
    location = tmp_path / "loaded"
    oxigraph = str(Path(sys.executable).parent / "oxigraph")
    loaded = subprocess.run(
        [oxigraph, "load", "--location", str(location), "--file", *map(str, out.glob("*.nq"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    store = EmbeddedStore(location)
    graphs = {REFERENCE_GRAPH.value, ONTOLOGY_GRAPH.value}
    graphs |= {source_iri(source_id(a)).value for a in corpus[:40]}
    expected = subset(single_process_quads, {f"<{g}>" for g in graphs})
    # N-Quads files carry no claims: the first ingest into the loaded store computes them.
    stored = dataset_quads(store)
    assert not any(str(q.graph_name) == f"<{CLAIMS_GRAPH.value}>" for q in stored)
    assert_same_dataset(subset(stored, {f"<{g}>" for g in graphs}), expected)
    store.close()


POISON = "POISON-3d9b1f"
"""A marker that makes the test's worker plugin kill the worker process running the article."""


class KillOnPoison(WorkerPlugin):
    """Kills its worker process (as a segfault or the kernel's OOM killer would) whenever a
    task holding an article whose text carries ``POISON`` starts executing."""

    name = "test-kill-on-poison"

    def setup(self, worker: Any) -> None:
        self.worker = worker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "executing":
            task = self.worker.state.tasks.get(key)
            if task is not None and POISON in repr(getattr(task.run_spec, "args", ())):
                os._exit(1)


@pytest.mark.slow
def test_an_article_that_kills_its_workers_fails_alone(
    corpus: list[Article],
    single_process_quads: list[Quad],
    dask_cluster: LocalDaskCluster,
    tmp_path: Path,
) -> None:
    articles = corpus[:16]
    poisoned = dataclasses.replace(
        articles[5], text=articles[5].text + f"\n\nRef. {POISON}.", origin="poisoned.txt"
    )
    articles = [*articles[:5], poisoned, *articles[6:]]
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with Client(dask_cluster.address, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        before = client.run_on_scheduler(_allowed_failures, 1)
        client.register_plugin(KillOnPoison(), name=KillOnPoison.name)
        try:
            store, summary = _ingest_into_store(
                articles, tmp_path / "store", dask_cluster, chunk_size=4
            )
        finally:
            client.unregister_worker_plugin(KillOnPoison.name)
            client.run_on_scheduler(_allowed_failures, before)
            cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
        client.wait_for_workers(2, timeout=120)
    assert [e.origin for e in summary.errors] == ["poisoned.txt"]
    assert "KilledWorker" in str(summary.errors[0])
    healthy = [a for a in articles if a is not poisoned]
    assert summary.sources == len(healthy)
    graphs = {REFERENCE_GRAPH.value, ONTOLOGY_GRAPH.value}
    graphs |= {source_iri(source_id(a)).value for a in healthy}
    expected = subset(single_process_quads, {f"<{g}>" for g in graphs})
    # The claims are those of the healthy articles only, so they are no part of the comparison.
    stored = dataset_quads(store)
    assert any(str(q.graph_name) == f"<{CLAIMS_GRAPH.value}>" for q in stored)
    assert_same_dataset(subset(stored, {f"<{g}>" for g in graphs}), expected)
    store.close()


def _allowed_failures(value: int, dask_scheduler: Any = None) -> int:
    """Set how many worker deaths a task may cause before dask gives up on it; the old value."""
    before: int = dask_scheduler.allowed_failures
    dask_scheduler.allowed_failures = value
    return before


def test_an_article_error_survives_the_trip_back_from_a_worker() -> None:
    error = SourceError("a.txt", "article is not in English", 3)
    # A frozen dataclass exception cannot be unpickled, so workers send a Failed instead.
    with pytest.raises(dataclasses.FrozenInstanceError):
        pickle.loads(pickle.dumps(error))
    back = pickle.loads(pickle.dumps(Failed.of(error))).error()
    assert (back.origin, back.reason, back.line) == ("a.txt", "article is not in English", 3)


def _write(sink: NQuadsSink, extraction: Extraction) -> None:
    [unit] = group([extraction.article]).units
    [change] = plan([unit], {}, NamedNode(f"{KGR}extraction/test"))
    sink.write(change, extraction_quads(extraction))


def test_nquads_files_appear_only_when_whole(tmp_path: Path) -> None:
    sink = NQuadsSink(tmp_path, per_file=2)
    for index in range(3):
        _write(sink, _extraction(f"Text {index}.", f"https://example.org/{index}"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "batch-000001.nq",
        "batch-000002.nq.part",
        "reference.nq",
    ]
    sink.close()
    again = NQuadsSink(tmp_path, per_file=2)
    _write(again, _extraction("Text 9.", "https://example.org/9"))
    again.close()
    assert sorted(p.name for p in tmp_path.glob("batch-*")) == [
        "batch-000001.nq",
        "batch-000002.nq",
        "batch-000003.nq",
    ]


def test_unchanged_sources_are_not_sent_to_extraction_nor_written_again(tmp_path: Path) -> None:
    store = EmbeddedStore(None)
    settings = Settings(store=":memory:")
    first = [
        Article(SPAIN, "a.txt", url="https://example.org/1"),
        Article(ITALY, "b.txt", url="https://example.org/2"),
    ]
    summary = ingest(first, local(settings), StoreSink(store, settings))
    assert (summary.new, summary.errors) == (2, [])
    before = {g.value: set(store.graph_quads(g)) for g in store.graphs()}
    sent: list[Extraction | SourceError | None] = []
    changed = dataclasses.replace(first[1], text=ITALY + " Rome said it again on Friday.")
    failing = Article("Bonjour à tous, les ministres se réunissent à Paris.", "c.txt")
    summary = ingest(
        [first[0], changed, failing],
        local(settings),
        StoreSink(store, settings),
        on_result=sent.append,
    )
    assert (summary.new, summary.changed, summary.unchanged) == (0, 1, 1)
    assert [e.origin for e in summary.errors] == ["c.txt"]
    assert sent.count(None) == 1  # the unchanged one, never extracted
    kept = source_iri(source_id(first[0])).value
    assert set(store.graph_quads(NamedNode(kept))) == before[kept]
    store.close()


def test_ray_is_refused_in_one_line(seeds_dir: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(seeds_dir), "--engine", "ray"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "kg: engine 'ray' is not supported: use --engine dask"
    ]
