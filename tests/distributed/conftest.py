"""A real local dask cluster (a scheduler and two single-threaded worker processes on
loopback, each a subprocess), a generated corpus, and the graph a single-process ingest of that
corpus builds, which every distributed ingest must reproduce.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Quad

from bench.corpus import CorpusGenerator, write_corpus
from bench.distributed import LocalDaskCluster
from kg.config import Settings
from kg.ingest import ingest
from kg.ingest.engines import local
from kg.ingest.sinks import StoreSink
from kg.records import Article
from kg.store import EmbeddedStore
from tests.distributed.support import ARTICLES, dataset_quads

SEED = 11


@pytest.fixture(scope="session")
def corpus() -> list[Article]:
    """The generated articles, as ``kg ingest`` reads them from ``corpus_dir``."""
    return list(CorpusGenerator(seed=SEED).articles(ARTICLES))


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same articles as ``.txt`` files with header lines."""
    directory = tmp_path_factory.mktemp("corpus")
    write_corpus(directory, ARTICLES, SEED)
    return directory


@pytest.fixture(scope="session")
def single_process_quads(corpus: list[Article]) -> list[Quad]:
    """Every quad a plain single-process ingest of the corpus stores."""
    store = EmbeddedStore(None)
    settings = Settings(store=":memory:")
    summary = ingest(corpus, local(settings), StoreSink(store, settings))
    assert summary.sources == len(corpus) and not summary.errors
    return dataset_quads(store)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalDaskCluster]:
    """A scheduler and two worker processes (each under a nanny that restarts it)."""
    with LocalDaskCluster(tmp_path_factory.mktemp("dask"), workers=2) as cluster:
        yield cluster
