"""Dates in the text, resolved against the article's date: "On 6 January", "Dec. 28" (in a
January article, the previous December), "Thursday 27 March", "today".

>>> resolve_date("Dec. 28", date(2026, 1, 6))
datetime.date(2025, 12, 28)
>>> resolve_date("6 January", date(2026, 1, 6))
datetime.date(2026, 1, 6)
>>> resolve_date("last month", date(2026, 1, 6)) is None
True
>>> resolve_date("on Tuesday", date(2026, 1, 6)), resolve_date("Monday", date(2026, 1, 6))
(datetime.date(2026, 1, 6), datetime.date(2026, 1, 5))
>>> resolve_date("15-16 December", date(2026, 1, 6))
datetime.date(2025, 12, 15)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span

_HAS_DAY = re.compile(
    r"\b(\d{1,2}(st|nd|rd|th)?\b|\d{4}-\d{2}-\d{2}|today|yesterday|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)",
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_FUTURE = re.compile(r"\b(next|coming|tomorrow|upcoming|later)\b", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(
    r"^(?:(?P<last>last|this|past)\s+)?(?P<day>" + "|".join(_WEEKDAYS) + r")$", re.IGNORECASE
)
# "15-16 December", "December 15-16", "15 to 16 December": the first day, the range kept apart.
_DAY_RANGE = re.compile(
    r"(?<![\d-])\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|\u2013|to|and)\s*\d{1,2}(?:st|nd|rd|th)?\b"
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
_LEADING_WEEKDAY = r"(?:(?:" + "|".join(_WEEKDAYS) + r"),?\s+)?"
# The day forms of news and official texts, read without the general parser: "6 January",
# "Jan 6, 2026", "Thursday 27 March", "2026-01-06".
_CALENDAR_DAY = (
    re.compile(rf"^{_LEADING_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}$", re.IGNORECASE),
    re.compile(rf"^{_LEADING_WEEKDAY}{_MONTH}\s+{_DAY}{_YEAR}$", re.IGNORECASE),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$"),
)


def _calendar_fields(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a plain calendar expression; None for another form."""
    for pattern in _CALENDAR_DAY:
        found = pattern.match(text)
        if found is not None:
            month = found.group("month").lower()
            year = found.group("year")
            return (
                int(year) if year else None,
                int(month) if month.isdigit() else _MONTHS[month],
                int(found.group("day")),
            )
    return None


def _calendar_day(fields: tuple[int | None, int, int], reference: date | None) -> date | None:
    """The day of calendar fields; a day without a year falls in the year up to
    ``reference``; None for a day that does not exist."""
    year, month, day = fields
    try:
        if year is not None:
            return date(year, month, day)
        if reference is None:
            return None
        named = date(reference.year, month, day)
        return named if named <= reference else date(reference.year - 1, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=64)
def _parser(base: date) -> Any:
    """A parser whose relative dates count from ``base`` (cached per base date)."""
    from dateparser.date import DateDataParser

    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime.combine(base, datetime.min.time()),
    }
    return DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=4096)
def resolve_date(text: str, reference: date | None) -> date | None:
    """A calendar day for a date expression, or None when it names no single past day."""
    cleaned = re.sub(r"^(on|since|from|by|until|of)\s+", "", text.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"['\u2019]s?$", "", cleaned.replace(".", " ").strip())  # "Friday's"
    weekday = _WEEKDAY.match(cleaned)
    if weekday is not None:
        if reference is None:
            return None
        # News dates a weekday from the article's day: "on Tuesday" in a Tuesday's article
        # is that day, "on Monday" the day before.
        back = (reference.weekday() - _WEEKDAYS.index(weekday.group("day").lower())) % 7
        if back == 0 and weekday.group("last") and weekday.group("last").lower() == "last":
            back = 7
        return date.fromordinal(reference.toordinal() - back)
    cleaned = _DAY_RANGE.sub(r"\1", cleaned)
    if not _HAS_DAY.search(cleaned) or _FUTURE.search(cleaned):
        return None
    if reference is None and not _HAS_YEAR.search(cleaned):
        return None
    cleaned = " ".join(cleaned.split())
    fields = _calendar_fields(cleaned)
    if fields is not None:
        resolved = _calendar_day(fields, reference)
    else:
        data = _parser(reference or date.today()).get_date_data(cleaned)
        found = getattr(data, "date_obj", None)
        if found is None or getattr(data, "period", "day") != "day":
            return None
        resolved = found.date()
    if resolved is None:
        return None
    if reference is not None and not _HAS_YEAR.search(cleaned):
        # A day without a year that lands in the future, or nearly a year back, most likely
        # speaks of days to come ("talks will follow on Jan. 7" in a Jan. 6 article).
        if resolved > reference or (reference - resolved).days > 300:
            return None
    return resolved


def sentence_dates(doc: Doc, reference: date | None) -> list[list[date]]:
    """The single past days each sentence of a document names, in one pass over its
    entities (asking each sentence for its entities would scan the document each time)."""
    starts = [sent.start for sent in doc.sents]
    found: list[list[date]] = [[] for _ in starts]
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        resolved = resolve_date(ent.text, reference)
        index = bisect_right(starts, ent.start) - 1
        if resolved is not None and resolved not in found[index]:
            found[index].append(resolved)
    return found


def is_future(span: Span) -> bool:
    """True when a sentence speaks of what is still to come ("will meet next week")."""
    for token in span:
        if token.lower_ in ("will", "shall") and token.tag_ == "MD":
            return True
        if token.lower_ in ("next", "upcoming", "tomorrow") and token.head.ent_type_ == "DATE":
            return True
    return False
