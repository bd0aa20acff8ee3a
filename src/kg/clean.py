"""Cleaning an article: drop page furniture, leave out passages in other languages, and find
the date that relative dates in the text are resolved against.

>>> cleaned = clean_text("Spain will send troops to Ukraine, the minister said on Monday.\\n"
...     "Click here to subscribe to our newsletter.")
>>> cleaned.paragraphs
('Spain will send troops to Ukraine, the minister said on Monday.',)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

_DATE_WITH_YEAR = re.compile(
    r"\b(?:(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<mdy>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4})"
    r"|(?P<dmy>\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{4}))\b"
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan",),
            ("feb",),
            ("mar",),
            ("apr",),
            ("may",),
            ("jun",),
            ("jul",),
            ("aug",),
            ("sep", "sept"),
            ("oct",),
            ("nov",),
            ("dec",),
        ],
        start=1,
    )
    for m in names
}
_SENTENCE_END = re.compile(r"[.!?\"'\u201d\u2019)]\s*$")


@dataclass(frozen=True)
class CleanText:
    """An article's body as it goes to annotation."""

    paragraphs: tuple[str, ...]
    language: str
    passages_skipped: int
    furniture_dropped: int

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Furniture:
    """Compiled furniture patterns from ``data/furniture.json``."""

    drop: tuple[re.Pattern[str], ...]
    tail: tuple[re.Pattern[str], ...]
    min_body_paragraphs: int
    min_words: int


@lru_cache(maxsize=1)
def furniture() -> Furniture:
    """The page-furniture patterns shipped with the package."""
    raw: dict[str, Any] = json.loads(
        resources.files("kg.data").joinpath("furniture.json").read_text("utf-8")
    )
    flags = re.IGNORECASE
    return Furniture(
        drop=tuple(re.compile(p, flags) for p in raw["drop"]),
        tail=tuple(re.compile(p, flags) for p in raw["tail"]),
        min_body_paragraphs=int(raw["min_body_paragraphs"]),
        min_words=int(raw["min_words"]),
    )


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> tuple[str, float]:
    """The most likely ISO 639-1 language of ``text`` and the confidence that it is English.

    >>> detect_language("The ministers met in Brussels on Thursday to discuss troops.")[0]
    'en'
    """
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return "und", 0.0
    english = next((v.value for v in values if v.language.name == "ENGLISH"), 0.0)
    top = values[0].language.iso_code_639_1.name.lower()
    return top, float(english)


# Function words common in English prose; a paragraph rich in them needs no detector.
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in is that for on with as was by from has have be this which said would "
    "will not are were its their it an".split()
)
_WORD = re.compile(r"[a-z']+")


def looks_english(text: str) -> bool:
    """A cheap first test: at least a fifth of the words are English function words.

    >>> looks_english("The ministers met in Brussels on Thursday.")
    True
    >>> looks_english("Vi bruger cookies til analyse")
    False
    """
    words = _WORD.findall(text.lower())
    hits = sum(1 for w in words if w in _ENGLISH_FUNCTION_WORDS)
    return hits >= 2 and hits >= 0.2 * len(words)


def paragraph_language(text: str) -> str:
    """ "en" unless the text is confidently in another language (short lines get the benefit
    of the doubt), else that language's ISO 639-1 code."""
    if looks_english(text):
        return "en"
    language, english = detect_language(text)
    return "en" if language == "en" or english >= 0.2 else language


def is_english(text: str) -> bool:
    """True unless the text is confidently in another language."""
    return paragraph_language(text) == "en"


def _is_furniture(paragraph: str, rules: Furniture) -> bool:
    return any(p.search(paragraph) for p in rules.drop)


def clean_text(text: str) -> CleanText:
    """Paragraphs of article body, furniture and other-language passages left out."""
    rules = furniture()
    kept: list[str] = []
    dropped = 0
    skipped = 0
    languages: dict[str, int] = {}
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        paragraph = " ".join(line.split())
        if not paragraph:
            continue
        if len(kept) >= rules.min_body_paragraphs and any(p.search(paragraph) for p in rules.tail):
            dropped += 1
            break
        if _is_furniture(paragraph, rules) or len(paragraph.split()) < rules.min_words:
            dropped += 1
            continue
        language = paragraph_language(paragraph)
        if language != "en":
            skipped += 1
            languages[language] = languages.get(language, 0) + len(paragraph)
            continue
        languages[language] = languages.get(language, 0) + len(paragraph)
        # A heading without final punctuation still reads as a sentence of its own.
        kept.append(paragraph if _SENTENCE_END.search(paragraph) else paragraph + ".")
    main = max(languages, key=lambda k: languages[k]) if languages else "und"
    return CleanText(tuple(kept), main, skipped, dropped)


def _parse_full_date(match: re.Match[str]) -> date | None:
    try:
        if match.group("iso"):
            return date.fromisoformat(match.group("iso"))
        words = re.sub(r"[.,]", " ", match.group("mdy") or match.group("dmy")).split()
        if match.group("mdy"):
            month, day, year = words[0], words[1], words[2]
        else:
            day, month, year = words[0], words[1], words[2]
        return date(int(year), _MONTHS[month[:4].lower().rstrip("t")[:3]], int(day))
    except (ValueError, KeyError):
        return None


def infer_reference_date(text: str, today: date | None = None) -> date | None:
    """The latest full date (with a year) the text states, not after today: the best guess of
    when an article without a date was written.

    >>> infer_reference_date("Talks on Jan. 6, 2026 followed the 2025-12-28 meeting.")
    datetime.date(2026, 1, 6)
    """
    limit = today or date.today()
    found = [d for m in _DATE_WITH_YEAR.finditer(text) if (d := _parse_full_date(m))]
    past = [d for d in found if d <= limit]
    return max(past) if past else None
