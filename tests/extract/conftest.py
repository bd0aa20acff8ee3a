"""Extraction fixtures: a helper to extract an article file with the real spaCy pipeline (texts
given inline go through ``extract_text`` of the session fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.config import Settings
from kg.pipeline import extract_articles, read_all
from kg.records import Extraction

ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="session")
def extract_file() -> Callable[[Path], Extraction]:
    """Extract one article file with the configured pipeline."""
    settings = Settings()

    def run(path: Path) -> Extraction:
        articles, errors = read_all([path], settings)
        assert not errors, errors
        (result,) = list(extract_articles(articles, settings.model))
        assert isinstance(result, Extraction), result
        return result

    return run
