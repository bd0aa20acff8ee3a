"""Articles per second of extraction on one machine: one process, plain multiprocessing, and
a local dask cluster; and the corpus generator the distributed tests share.

Run ``python -m bench.distributed`` (``--help`` for the options).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from kg.records import Article
from kg.sources import read_paths

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Seats that rotate together: a generated article swaps every leader, surname, state and
# demonym of one seat for those of another, so the graph gets other leaders and states.
SEATS: tuple[tuple[str, str, str, str], ...] = (
    ("Pedro Sánchez", "Sánchez", "Spain", "Spanish"),
    ("Emmanuel Macron", "Macron", "France", "French"),
    ("Giorgia Meloni", "Meloni", "Italy", "Italian"),
    ("Friedrich Merz", "Merz", "Germany", "German"),
    ("Ulf Kristersson", "Kristersson", "Sweden", "Swedish"),
    ("Donald Tusk", "Tusk", "Poland", "Polish"),
    ("Mette Frederiksen", "Frederiksen", "Denmark", "Danish"),
    ("Jonas Gahr Støre", "Støre", "Norway", "Norwegian"),
)
_WORDS = sorted({w for seat in SEATS for w in seat}, key=len, reverse=True)
_SEAT_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for w in _WORDS) + r")\b")
_SMALL_NUMBER = re.compile(r"(?<![\d.,])([1-9]\d?)(?![\d.,]\d)")
_FIRST_DATE = date(2025, 1, 1)


def seed_articles(seeds: Path = SEEDS) -> list[Article]:
    """The seed articles the generator varies."""
    articles: list[Article] = []
    for found, _ in read_paths([seeds], 20_000_000):
        articles.extend(found)
    return articles


def vary(article: Article, index: int) -> Article:
    """The ``index``-th variant of an article: seats rotated, small numbers shifted, a date
    and a URL of its own (so every variant is a source of its own)."""
    shift = index % len(SEATS)
    position = {w: (k, seat.index(w)) for k, seat in enumerate(SEATS) for w in seat}

    def seat_word(match: re.Match[str]) -> str:
        k, field = position[match.group(1)]
        return SEATS[(k + shift) % len(SEATS)][field]

    def number(match: re.Match[str]) -> str:
        return str(int(match.group(1)) + index % 11)

    text = _SMALL_NUMBER.sub(number, _SEAT_WORD.sub(seat_word, article.text))
    return Article(
        text=text,
        origin=f"generated/{index:06d}.txt",
        url=f"https://example.org/generated/{index:06d}",
        title=f"Generated article {index}",
        publisher="Generated Wire",
        published=_FIRST_DATE + timedelta(days=index % 365),
    )


def generate_articles(count: int, seeds: Sequence[Article] | None = None) -> list[Article]:
    """``count`` distinct articles made deterministically from the seeds."""
    base = list(seeds) if seeds is not None else seed_articles()
    return [vary(base[i % len(base)], i) for i in range(count)]
