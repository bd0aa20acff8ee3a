"""``POST /ingest``: articles in, facts stored (what ``kg ingest --server`` sends); needs the
token."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import CacheDep, PoolsDep, SettingsDep, StoreDep, TokenDep, client_of
from api.models import ErrorPublic, IngestError, IngestIn, IngestPublic
from kg.pipeline import ingest_articles
from kg.records import Article
from kg.sources import SourceError, parse_date

router = APIRouter(tags=["ingest"])

INGEST_SECONDS = 3600.0
"""Extraction is slow (spaCy); a batch may take minutes, and a write cannot be stopped."""


def to_articles(body: IngestIn) -> tuple[list[Article], list[SourceError]]:
    """Articles to extract, and the ones refused already (a bad date)."""
    articles: list[Article] = []
    errors: list[SourceError] = []
    for item in body.articles:
        try:
            published = parse_date(item.date, item.origin) if item.date else None
        except SourceError as exc:
            errors.append(exc)
            continue
        articles.append(
            Article(
                text=item.text,
                origin=item.origin,
                url=item.url or None,
                title=item.title or None,
                publisher=item.publisher or None,
                published=published,
            )
        )
    return articles, errors


@router.post(
    "/ingest",
    response_model=IngestPublic,
    summary="Extract and store articles",
    dependencies=[TokenDep],
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}},
)
async def ingest(
    request: Request,
    body: IngestIn,
    settings: SettingsDep,
    store: StoreDep,
    pools: PoolsDep,
    cache: CacheDep,
) -> IngestPublic:
    """Each article's facts replace its source's named graph in one atomic write; articles
    that fail are listed with the reason and leave nothing behind."""
    articles, refused = to_articles(body)
    try:
        summary = await pools.write(
            lambda: ingest_articles(articles, store, settings, workers=1),
            client_of(request),
            INGEST_SECONDS,
        )
    finally:
        cache.invalidate()
    counts = {
        "sources": summary.sources,
        "leaders": summary.leaders,
        "pledges": summary.pledges,
        "meetings": summary.meetings,
        "triples": summary.triples,
        "skipped_passages": summary.skipped_passages,
    }
    errors = [IngestError(origin=e.origin, reason=e.reason) for e in [*refused, *summary.errors]]
    return IngestPublic(counts=counts, errors=errors)
