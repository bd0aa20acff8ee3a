"""Engines that extract on this machine (:class:`kg.ingest.run.Engine`): in this process, or
spread over worker processes that each load the spaCy pipeline once."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from kg.config import Settings
from kg.pipeline import extract_articles
from kg.records import Article, Extraction
from kg.sources import SourceError

T = TypeVar("T")


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


@dataclass(frozen=True)
class InProcess:
    """Extraction in this process, results in input order."""

    model: str
    batch_size: int = 32

    def extract(self, articles: list[Article]) -> Iterator[Extraction | SourceError]:
        return extract_articles(articles, self.model, self.batch_size)


def _worker_extract(job: tuple[list[Article], str, int]) -> list[Extraction | SourceError]:
    articles, model, batch_size = job
    return list(extract_articles(articles, model, batch_size))


@dataclass(frozen=True)
class Processes:
    """Extraction spread over ``workers`` processes (the pipeline loaded once per process),
    results in input order; in this process when one batch holds every article."""

    model: str
    batch_size: int = 32
    workers: int = 2

    def extract(self, articles: list[Article]) -> Iterator[Extraction | SourceError]:
        if self.workers <= 1 or len(articles) <= self.batch_size:
            yield from extract_articles(articles, self.model, self.batch_size)
            return
        context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
        jobs = [(chunk, self.model, self.batch_size) for chunk in chunks(articles, self.batch_size)]
        with context.Pool(self.workers) as pool:
            for results in pool.imap(_worker_extract, jobs):
                yield from results


def local(settings: Settings, workers: int = 1) -> InProcess | Processes:
    """The engine of this machine for ``workers`` processes, with the settings' pipeline."""
    if workers <= 1:
        return InProcess(settings.model, settings.batch_size)
    return Processes(settings.model, settings.batch_size, workers)
