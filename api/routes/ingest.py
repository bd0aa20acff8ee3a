"""``POST /ingest``: articles in, facts stored (what ``kg ingest --server`` sends); needs the
token."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import CacheDep, PoolsDep, SettingsDep, StoreDep, TokenDep, client_of
from api.models import ErrorPublic, IngestError, IngestIn, IngestPublic, ScopeIn
from kg.changes import IngestSummary, Scope
from kg.ingest import ingest as run_ingest
from kg.ingest.engines import InProcess
from kg.ingest.sinks import StoreSink
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
                path=item.path or None,
                line=item.line,
            )
        )
    return articles, errors


def to_scope(scope: ScopeIn | None) -> Scope | None:
    """The scope of a request, if it sends one."""
    if scope is None:
        return None
    files = {path: frozenset(ids) for path, ids in scope.files.items()}
    return Scope(tuple(scope.roots), files, frozenset(scope.kept))


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
    """Each article's facts replace its source's named graph (and any older version stored
    under its URL or file) in one atomic write; unchanged sources are left alone; with a
    ``scope``, sources gone from its files are removed. Answers the sources' IRIs and how many
    are new, changed, unchanged and removed; articles that fail are listed with the reason
    and leave nothing behind. With ``dry_run`` nothing is written."""
    articles, refused = to_articles(body)
    scope = to_scope(body.scope)
    if scope is not None:
        failed = {e.origin for e in refused}
        scope = scope.keeping(a.path for a in body.articles if a.path and a.origin in failed)

    def run() -> IngestSummary:
        return run_ingest(
            articles,
            InProcess(settings.model, settings.batch_size),
            StoreSink(store, settings),
            scope=scope,
            dry_run=body.dry_run,
            claims=body.claims,
        )

    try:
        summary = await pools.write(run, client_of(request), INGEST_SECONDS)
    finally:
        if not body.dry_run:
            cache.invalidate()
    errors = [IngestError(origin=e.origin, reason=e.reason) for e in [*refused, *summary.errors]]
    return IngestPublic(
        sources=summary.iris,
        counts=summary.counts(),
        errors=errors,
        notes=summary.notes,
        dry_run=body.dry_run,
    )
