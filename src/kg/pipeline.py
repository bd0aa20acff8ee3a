"""Articles to extraction records: read → clean → annotate → resolve → extract.

Extraction (:func:`extract_articles`) is a pure function of the articles, so an engine
(:mod:`kg.ingest.engines`, :mod:`kg.ingest.cluster`) runs it in as many processes as asked;
the ingest loop (:func:`kg.ingest.ingest`) maps the records to RDF and writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from kg.clean import clean_text, infer_reference_date, without_markup
from kg.config import Settings
from kg.extract import extract_document
from kg.gazetteer import fold
from kg.identity import source_id
from kg.nlp import load_pipeline
from kg.records import Article, Extraction, Prepared
from kg.sources import SourceError, length_error, read_paths


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
