"""Sending articles to a running server's ``POST /ingest`` (the way to add to a store that
`kg serve` holds open)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from kg.config import Settings
from kg.records import Article
from kg.sources import SourceError
from kg.store import StoreError

BATCH = 50


def article_payload(article: Article) -> dict[str, Any]:
    """The JSON form of an article that ``POST /ingest`` takes."""
    return {
        "text": article.text,
        "origin": article.origin,
        "url": article.url,
        "title": article.title,
        "publisher": article.publisher,
        "date": article.published.isoformat() if article.published else None,
    }


def send_articles(
    server: str, articles: Sequence[Article], settings: Settings
) -> tuple[str, list[SourceError]]:
    """Post articles in batches; the server's summary and the articles it refused."""
    if not settings.api_token:
        raise StoreError("sending to a server needs KG_API_TOKEN set to the server's token")
    totals: dict[str, int] = {}
    errors: list[SourceError] = []
    headers = {"Authorization": f"Bearer {settings.api_token}"}
    with httpx.Client(base_url=server.rstrip("/"), timeout=600.0, headers=headers) as client:
        for start in range(0, len(articles), BATCH):
            batch = [article_payload(a) for a in articles[start : start + BATCH]]
            try:
                response = client.post("/ingest", json={"articles": batch})
            except httpx.HTTPError as exc:
                raise StoreError(f"cannot reach the server at {server}: {exc}") from None
            if response.status_code >= 400:
                raise StoreError(
                    f"the server at {server} answered {response.status_code}: {response.text[:300]}"
                )
            body = response.json()
            for key, value in body.get("counts", {}).items():
                totals[key] = totals.get(key, 0) + int(value)
            for error in body.get("errors", []):
                errors.append(SourceError(str(error.get("origin")), str(error.get("reason"))))
    line = "ingested through the server: " + ", ".join(f"{v} {k}" for k, v in totals.items())
    return line, errors
