"""Session-wide fixtures: the spaCy pipeline, the seed articles and a store built from them, and
the extraction of a short text written in a test.

Costly things are built once per session; tests that change a store copy or build their own.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.config import Settings
from kg.ingest import ingest
from kg.ingest.engines import local
from kg.ingest.sinks import StoreSink
from kg.pipeline import extract_articles, read_all
from kg.records import Extraction
from kg.sources import parse_text
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles shipped with the repository."""
    return SEEDS


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store on disk holding the seeds' graph, built once; copy it before changing it."""
    path = tmp_path_factory.mktemp("seed-store") / "store"
    settings = Settings(store=str(path))
    articles, errors = read_all([SEEDS], settings)
    assert not errors
    store = EmbeddedStore(path)
    ingest(articles, local(settings), StoreSink(store, settings))
    store.close()
    yield path


@pytest.fixture()
def seed_store_copy(seed_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seed store, for tests that write."""
    target = tmp_path / "store"
    shutil.copytree(seed_store_dir, target)
    return target


@pytest.fixture(scope="session")
def extract_text() -> Callable[[str], Extraction]:
    """Extract a short text given inline (header lines allowed)."""
    settings = Settings()

    def run(text: str) -> Extraction:
        (result,) = list(extract_articles([parse_text(text, "inline.txt")], settings.model))
        assert isinstance(result, Extraction), result
        return result

    return run
