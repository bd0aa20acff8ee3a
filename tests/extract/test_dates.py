"""Dates as the article gives them, resolved against its own date (``kg.extract.dates``)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract.dates import resolve_date


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("6 January", date(2026, 1, 6), date(2026, 1, 6)),
        ("Dec. 28", date(2026, 1, 6), date(2025, 12, 28)),
        ("Thursday 27 March", date(2025, 4, 11), date(2025, 3, 27)),
        ("today", date(2026, 1, 6), date(2026, 1, 6)),
        ("January 6, 2026", None, date(2026, 1, 6)),
        ("Jan. 7", date(2026, 1, 6), None),  # still to come: not a past day
        ("last month", date(2026, 1, 6), None),  # no single day
        ("next week", date(2026, 1, 6), None),
        ("Monday, 5 January 2026", date(2026, 1, 9), date(2026, 1, 5)),
        ("2026-01-05", None, date(2026, 1, 5)),
        ("the 3rd of January", date(2026, 1, 6), date(2026, 1, 3)),
        ("30 February", date(2026, 3, 6), None),  # no such day
        ("last Friday's", date(2023, 1, 26), date(2023, 1, 20)),  # "last Friday's meeting"
        ("6 January’s", date(2026, 1, 9), date(2026, 1, 6)),
    ],
)
def test_dates_resolve_against_the_article(
    text: str, reference: date | None, expected: date | None
) -> None:
    assert resolve_date(text, reference) == expected
