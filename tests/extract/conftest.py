"""Extraction fixtures: the real spaCy pipeline, loaded once, and a helper to extract a file."""

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


@pytest.fixture(scope="session")
def extract_text() -> Callable[[str], Extraction]:
    """Extract a short text given inline (header lines allowed)."""
    from kg.sources import parse_text

    settings = Settings()

    def run(text: str) -> Extraction:
        (result,) = list(extract_articles([parse_text(text, "inline.txt")], settings.model))
        assert isinstance(result, Extraction), result
        return result

    return run
