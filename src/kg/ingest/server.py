"""Sending articles to a running server's ``POST /ingest`` (the way to add to a store that
`kg serve` holds open). The server runs the ingest loop (:func:`kg.ingest.ingest`) on each
batch, so it decides what is new, changed or unchanged as any ingest does; what is gone from
the folders read is removed, and the claims computed, with the last batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from kg.changes import IngestSummary, Scope
from kg.config import Settings
from kg.identity import source_id
from kg.records import Article
from kg.sources import SourceError, length_error
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
        "path": article.path,
        "line": article.line,
    }


def scope_payload(scope: Scope) -> dict[str, Any]:
    """The JSON form of a scope that ``POST /ingest`` takes."""
    return {
        "roots": list(scope.roots),
        "files": {path: sorted(ids) for path, ids in scope.files.items()},
        "kept": sorted(scope.kept),
    }


def batches(articles: Sequence[Article], size: int = BATCH) -> list[list[Article]]:
    """Batches of about ``size`` articles; the articles of one source share a batch, so the
    server sees every name it goes by (and refuses two texts under one URL).

    >>> a, b, c = Article("A", "a", url="https://x.org/1"), Article("B", "b"), Article("C", "c")
    >>> [[x.origin for x in batch] for batch in batches([a, b, c, a], size=2)]
    [['a', 'a'], ['b', 'c']]
    """
    groups: dict[str, list[Article]] = {}
    for article in articles:
        # An article too long to extract is refused by the server; it is not hashed here.
        key = article.origin if length_error(article) else source_id(article)
        groups.setdefault(key, []).append(article)
    out: list[list[Article]] = []
    for group in groups.values():
        if not out or len(out[-1]) + len(group) > size:
            out.append([])
        out[-1].extend(group)
    return out


def send_articles(
    server: str,
    articles: Sequence[Article],
    settings: Settings,
    *,
    scope: Scope | None = None,
    dry_run: bool = False,
) -> IngestSummary:
    """Post articles in batches, the scope with the last one; the server's counts summed,
    with the articles it refused or failed."""
    if not settings.api_token:
        raise StoreError("sending to a server needs KG_API_TOKEN set to the server's token")
    summary = IngestSummary(dry_run=dry_run)
    paths = {a.origin: a.path for a in articles if a.path}
    headers = {"Authorization": f"Bearer {settings.api_token}"}
    parts = batches(articles) or [[]]
    with httpx.Client(base_url=server.rstrip("/"), timeout=600.0, headers=headers) as client:
        for number, batch in enumerate(parts, start=1):
            body: dict[str, Any] = {
                "articles": [article_payload(a) for a in batch],
                "dry_run": dry_run,
                # The claims depend on every source: computed once, after the last batch.
                "claims": number == len(parts),
            }
            if scope is not None and number == len(parts):
                failed = {paths[e.origin] for e in summary.errors if e.origin in paths}
                body["scope"] = scope_payload(scope.keeping(failed))
            _add(summary, _post(client, server, body))
    return summary


def _post(client: httpx.Client, server: str, body: dict[str, Any]) -> dict[str, Any]:
    try:
        response = client.post("/ingest", json=body)
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot reach the server at {server}: {exc}") from None
    if response.status_code >= 400:
        raise StoreError(
            f"the server at {server} answered {response.status_code}: {response.text[:300]}"
        )
    answer: dict[str, Any] = response.json()
    return answer


def _add(summary: IngestSummary, body: dict[str, Any]) -> None:
    """Add one answer of ``POST /ingest`` to the run's summary."""
    counts = body.get("counts", {})
    for name in summary.counts():
        if name != "sources" and isinstance(counts.get(name), int):
            setattr(summary, name, getattr(summary, name) + counts[name])
    summary.iris += [str(iri) for iri in body.get("sources", [])]
    summary.notes += [str(note) for note in body.get("notes", [])]
    for error in body.get("errors", []):
        summary.errors.append(SourceError(str(error.get("origin")), str(error.get("reason"))))
