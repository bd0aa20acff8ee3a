"""The ingest pipeline: read → clean → annotate → extract → resolve → map to RDF → store.

Extraction (:func:`extract_articles`) is a pure function of the articles, so it runs in as
many processes as asked; only the parent process writes to the store, one source graph per
atomic write, so an interrupted ingest leaves only whole sources behind.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from pyoxigraph import Quad, RdfFormat, parse

from kg.changes import IngestSummary, Scope
from kg.clean import clean_text, infer_reference_date, without_markup
from kg.config import Settings
from kg.extract import extract_document
from kg.gazetteer import fold, load_gazetteer
from kg.identity import source_id
from kg.ingest import Progress, StoreTarget, ingest
from kg.nlp import load_pipeline
from kg.ontology_files import ontology_dir
from kg.rdf import (
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    extraction_quads,
    reference_quads,
    source_iri,
)
from kg.records import Article, Extraction, Prepared
from kg.sources import SourceError, length_error, read_paths
from kg.store import GraphStore

T = TypeVar("T")


def prepare(article: Article, today: date | None = None) -> Prepared:
    """Clean one article; a SourceError when nothing English is left to extract from, or when
    the text is longer than :data:`kg.sources.MAX_ARTICLE_CHARS`."""
    too_long = length_error(article)
    if too_long is not None:
        raise too_long
    cleaned = clean_text(article.text)
    if not cleaned.has_body:
        if cleaned.passages_skipped:
            raise SourceError(
                article.origin,
                f"article is not in English (detected {cleaned.language!r}); "
                "only English text is extracted",
            )
        raise SourceError(article.origin, "no article text left after removing page furniture")
    reference = article.published or infer_reference_date(without_markup(article.text), today)
    return Prepared(
        article=article,
        source_id=source_id(article),
        text=with_title(article.title, cleaned.text),
        language=cleaned.language,
        passages_skipped=cleaned.passages_skipped,
        reference_date=reference,
    )


def with_title(title: str | None, text: str) -> str:
    """The text with its title as the first paragraph, unless the text opens with it: the
    title is part of what the article says ("Romania to send air defence", "X met Y in Kyiv").

    >>> with_title("Talks in Kyiv", "Talks in Kyiv\\nThe leaders met.")
    'Talks in Kyiv\\nThe leaders met.'
    >>> with_title("Talks in Kyiv", "The leaders met.")
    'Talks in Kyiv\\nThe leaders met.'
    """
    heading = " ".join((title or "").split())
    if not heading or fold(text[: len(heading) + 8]).startswith(fold(heading)):
        return text
    return f"{heading}\n{text}"


def extract_articles(
    articles: Iterable[Article], model: str, batch_size: int = 32
) -> Iterator[Extraction | SourceError]:
    """Extraction records (or the error) for each article, in input order."""
    prepared: list[Prepared | SourceError] = []
    for article in articles:
        try:
            prepared.append(prepare(article))
        except SourceError as exc:
            prepared.append(exc)
    ready = [p for p in prepared if isinstance(p, Prepared)]
    # The model loads only when some article survives cleaning.
    docs = (
        load_pipeline(model).pipe((p.text for p in ready), batch_size=batch_size)
        if ready
        else iter([])
    )
    for item in prepared:
        if isinstance(item, SourceError):
            yield item
            continue
        doc = next(docs)
        try:
            yield extract_document(item, doc)
        except Exception as exc:  # noqa: BLE001 - one article must not stop the others
            yield SourceError(
                item.article.origin, f"extraction failed: {type(exc).__name__}: {exc}"
            )


def _worker_extract(job: tuple[list[Article], str, int]) -> list[Extraction | SourceError]:
    articles, model, batch_size = job
    return list(extract_articles(articles, model, batch_size))


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items in order, the last one shorter.

    >>> list(chunks(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_parallel(
    articles: Sequence[Article], model: str, batch_size: int, workers: int
) -> Iterator[Extraction | SourceError]:
    """Like :func:`extract_articles`, spread over ``workers`` processes (pipeline loaded once
    per process), results in input order."""
    if workers <= 1 or len(articles) <= batch_size:
        yield from extract_articles(articles, model, batch_size)
        return
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    jobs = [(chunk, model, batch_size) for chunk in chunks(articles, batch_size)]
    with context.Pool(workers) as pool:
        for results in pool.imap(_worker_extract, jobs):
            yield from results


def ensure_reference(store: GraphStore, settings: Settings | None = None) -> None:
    """Load the reference graph (states, organizations) and the ontology graph if missing;
    an ontology that cannot be found is an :class:`~kg.ontology_files.OntologyError`."""
    ontology = ontology_dir(settings) / "pledgekg.ttl"
    if not store.has_graph(REFERENCE_GRAPH):
        store.replace_graph(REFERENCE_GRAPH, list(reference_quads(load_gazetteer())))
    if not store.has_graph(ONTOLOGY_GRAPH):
        triples = parse(path=str(ontology), format=RdfFormat.TURTLE)
        quads = [Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples]
        store.replace_graph(ONTOLOGY_GRAPH, quads)


def store_extraction(store: GraphStore, extraction: Extraction) -> list[Quad]:
    """Replace the source's graph with this extraction's quads, atomically."""
    quads = extraction_quads(extraction)
    store.replace_graph(source_iri(extraction.source_id), quads)
    return quads


def read_all(
    paths: Sequence[Path], settings: Settings, left_out: list[Path] | None = None
) -> tuple[list[Article], list[SourceError]]:
    """Every article under ``paths``, and the errors met reading them; files of other types
    under the folders are added to ``left_out``."""
    articles: list[Article] = []
    errors: list[SourceError] = []
    for found, failed in read_paths(paths, settings.max_article_bytes, left_out):
        articles.extend(found)
        errors.extend(failed)
    return articles, errors


def ingest_articles(
    articles: Sequence[Article],
    store: GraphStore,
    settings: Settings,
    *,
    workers: int = 1,
    on_result: Progress | None = None,
    scope: Scope | None = None,
    dry_run: bool = False,
    claims: bool = True,
) -> IngestSummary:
    """Extract and store articles (:func:`kg.ingest.ingest`): each source is written whole
    or not at all, unchanged ones are left alone, and with a ``scope`` what is gone from its
    folders is removed; then, unless ``claims`` is False, the claims are computed again. With
    ``dry_run`` nothing is written."""
    if not dry_run:
        ensure_reference(store, settings)

    def extract(todo: list[Article]) -> Iterator[Extraction | SourceError]:
        return extract_parallel(todo, settings.model, settings.batch_size, workers)

    target = StoreTarget(store)
    return ingest(
        articles,
        target,
        extract,
        settings.model,
        scope=scope,
        dry_run=dry_run,
        on_result=on_result,
        claims=claims,
    )
