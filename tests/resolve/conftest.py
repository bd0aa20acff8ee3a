"""Resolve-stage fixtures: the configured pipeline, loaded once, and a helper that resolves a
text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from spacy.tokens import Doc

from kg.config import Settings
from kg.nlp import load_pipeline
from kg.resolve import DocumentContext, Resolution, resolve

Resolve = Callable[..., tuple[Doc, Resolution]]


@pytest.fixture(scope="session")
def resolve_text() -> Resolve:
    """Annotate and resolve a text (paragraphs on lines of their own)."""
    nlp = load_pipeline(Settings().model)

    def run(
        text: str,
        title: str | None = None,
        publisher: str | None = None,
        published: date = date(2026, 3, 10),
    ) -> tuple[Doc, Resolution]:
        doc = nlp(text)
        return doc, resolve(doc, DocumentContext(title, publisher, published))

    return run
