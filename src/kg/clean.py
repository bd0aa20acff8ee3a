"""Cleaning an article: drop page furniture, leave out passages in other languages, and find
the date that relative dates in the text are resolved against.

>>> cleaned = clean_text("Spain will send troops to Ukraine, the minister said on Monday.\\n"
...     "Click here to subscribe to our newsletter.")
>>> cleaned.paragraphs
('Spain will send troops to Ukraine, the minister said on Monday.',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from kg.data import read_json

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

    @property
    def has_body(self) -> bool:
        """True when some paragraph is more than a dateline or a menu line."""
        return any(len(p.split()) >= furniture().min_words for p in self.paragraphs)


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
    raw: dict[str, Any] = read_json("furniture.json")
    flags = re.IGNORECASE
    return Furniture(
        drop=tuple(re.compile(p, flags) for p in raw["drop"]),
        tail=tuple(re.compile(p, flags) for p in raw["tail"]),
        min_body_paragraphs=int(raw["min_body_paragraphs"]),
        min_words=int(raw["min_words"]),
    )


# The detector reads this much of a paragraph: enough to tell a language, and its cost grows
# with the length of what it reads.
_DETECTED_CHARS = 400


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> tuple[str, float]:
    """The most likely ISO 639-1 language of ``text`` and the confidence that it is English.

    >>> detect_language("The ministers met in Brussels on Thursday to discuss troops.")[0]
    'en'
    """
    values = _detector().compute_language_confidence_values(text[:_DETECTED_CHARS])
    if not values:
        return "und", 0.0
    english = next((v.value for v in values if v.language.name == "ENGLISH"), 0.0)
    top = values[0].language.iso_code_639_1.name.lower()
    return top, float(english)


# Function words common in English prose; a paragraph rich in them needs no detector.
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in is that for on with as was by from has have be this which said would "
    "will not are were its their it an about after but also been had while than into over "
    "against during they these those there could should can more who when where what".split()
)
_WORD = re.compile(r"[a-z']+")
# A sentence of names with this few common words is judged by them alone.
_FEW_WORDS = 6


def looks_english(text: str) -> bool:
    """A cheap first test: at least a fifth of the words that are not names are English
    function words (names say nothing of the language, and news sentences are full of them).

    >>> looks_english("The ministers met in Brussels on Thursday.")
    True
    >>> looks_english("Vi bruger cookies til analyse")
    False
    >>> looks_english("President Volodymyr Zelensky welcomed Prime Minister Mette Frederiksen "
    ...     "at the Mariinsky Palace in Kyiv on April 8.")
    True
    """
    words = [w for w in text.split() if not w[:1].isupper()]
    lowered = _WORD.findall(" ".join(words).lower())
    hits = sum(1 for w in lowered if w in _ENGLISH_FUNCTION_WORDS)
    if len(lowered) <= _FEW_WORDS:
        return hits >= 1  # "Canada will lend Ukraine 1.5 billion dollars."
    return hits >= 2 and hits >= 0.2 * len(lowered)


def paragraph_language(text: str) -> str:
    """ "en" unless the text is confidently in another language (short lines get the benefit
    of the doubt), else that language's ISO 639-1 code."""
    if looks_english(text):
        return "en"
    language, english = detect_language(text)
    return "en" if language == "en" or english >= 0.2 else language


def _is_furniture(paragraph: str, rules: Furniture) -> bool:
    return any(p.search(paragraph) for p in rules.drop)


_MARKDOWN_INLINE = (
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"), r"\1"),  # [text](url)
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **bold**, __bold__
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),  # _em_
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # `code`
)
_MARKDOWN_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S)|\d{1,3}[.)]\s+(?=\S))")
_MARKDOWN_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_HEADING_CLOSE = re.compile(r"\s+#+\s*$")
_TERMINAL = (".", "!", "?", ":", ";", '"', "'", "\u201d", "\u2019", ")")
# Lines this close to the longest line of their block were cut by a hard wrap.
# A header's date line comes within its first lines and is short ("Published 3 June 2025").
_HEADER_MAX_LINES = 4
_HEADER_DATE_WORDS = 8
_WRAP_FILL = 0.75
_WRAP_MAX_WIDTH = 100
# ... and no narrower than a column of text: short menu lines are lines of their own.
_WRAP_MIN_WIDTH = 40
# A signature or list line: a name, a comma, a capitalised title, and no full stop at the end.
_SIGNATURE_LINE = re.compile(r"^[A-Z][^,.]{2,40}(?:\.[^,.]{1,30})?, [A-Z][^.]*[^.]$")


def strip_markdown(line: str) -> str:
    """One line without Markdown marks: headings, quotes, list bullets, emphasis, links.

    >>> strip_markdown("## **Spain** will send [troops](https://example.org/a) now")
    'Spain will send troops now'
    >>> strip_markdown("- Italy *would not* send troops")
    'Italy would not send troops'
    """
    if _MARKDOWN_RULE.match(line):
        return ""
    stripped = _MARKDOWN_LINE.sub("", line, count=1)
    if stripped != line and line.lstrip().startswith("#"):
        stripped = _HEADING_CLOSE.sub("", stripped)
    for pattern, replacement in _MARKDOWN_INLINE:
        stripped = pattern.sub(replacement, stripped)
    return stripped


def _first_piece(line: str) -> int:
    """The length of what a wrapper could have kept on the line before: the first word, or
    its part up to a hyphen ("air-" of "air-defence")."""
    word = line.split(maxsplit=1)[0]
    head, hyphen, _ = word.partition("-")
    return len(head) + len(hyphen) if head else len(word)


def unwrap(text: str) -> list[str]:
    """Paragraphs of a text, with hard-wrapped lines joined again.

    Within a block of lines (blank lines separate blocks), a line is joined to the next when
    it is nearly as long as the longest line of the block (no wider than a terminal) and
    either ends without punctuation or belongs to a block of many such full lines, or when it
    ends without punctuation and the next one goes on in lower case. A short line, such as a
    headline or a paragraph's last line, ends its paragraph.

    >>> unwrap("Sweden will send two more air-defence systems to\\nUkraine this year, the "
    ...     "minister\\nsaid.")
    ['Sweden will send two more air-defence systems to Ukraine this year, the minister said.']
    >>> unwrap("Allies pledge more air defence\\nSweden will send two more systems, the "
    ...     "minister said.")
    ['Allies pledge more air defence', 'Sweden will send two more systems, the minister said.']
    >>> unwrap("Norway pledges money for the grid\\nOslo said it would pay this year.")
    ['Norway pledges money for the grid', 'Oslo said it would pay this year.']
    """
    paragraphs: list[str] = []
    for number, block in enumerate(re.split(r"\n\s*\n", text)):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        header = _header_lines(lines) if not paragraphs and number < 2 else 0
        paragraphs.extend(lines[:header])
        lines = lines[header:]
        if not lines:
            continue
        if len(lines) > 1 and all(_SIGNATURE_LINE.match(line) for line in lines):
            paragraphs.extend(lines)  # "A, Minister of Defence of B" line after line: a list
            continue
        width = max(len(line) for line in lines)
        wrappable = _WRAP_MIN_WIDTH <= width <= _WRAP_MAX_WIDTH
        full = [wrappable and len(line) >= _WRAP_FILL * width for line in lines]
        wrapped_block = sum(full[:-1]) >= max(3, 0.6 * (len(lines) - 1))
        current = lines[0]
        for index, (previous, line) in enumerate(zip(lines, lines[1:], strict=False)):
            open_end = not previous.endswith(_TERMINAL)
            goes_on = open_end and line[:1].islower()
            # A wrapper moves a word down only when it does not fit: a line with room left
            # for the next line's first word was ended on purpose.
            room = len(previous) + 1 + _first_piece(line) <= width
            if full[index] and not room and (open_end or wrapped_block) or goes_on:
                hyphenated = previous.endswith("-") and previous[-2:-1].isalpha()
                current += line if hyphenated and line[:1].isalpha() else " " + line
            else:
                paragraphs.append(current)
                current = line
        paragraphs.append(current)
    return paragraphs


def _header_lines(lines: list[str]) -> int:
    """How many lines open a text as its header: a title, an issuer or a byline each on a
    line of its own down to a line that gives the date ("The White House", "June 3, 2025"),
    none of them ending a sentence.

    >>> _header_lines(["Readout of the call", "The White House", "June 3, 2025", "The..."])
    3
    """
    for index, line in enumerate(lines[:_HEADER_MAX_LINES]):
        if line.endswith(".") or line[:1].islower():
            return 0
        if len(line.split()) <= _HEADER_DATE_WORDS and _DATE_WITH_YEAR.search(line):
            return index + 1 if index > 0 else 0
    return 0


# "WARSAW, March 26 (Reuters) - ", "KYIV (AP) — ", "OSLO, 12 February 2026 - "
_DATELINE = re.compile(
    r"^(?P<line>(?:[A-Z][A-Z.'\u2019 -]{2,40}|[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3})"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,8}\.?(?: \d{4})?))?"
    r"(?:\s*\([^)]{1,30}\))?\s*(?:-|\u2013|\u2014))\s+(?=[A-Z\"\u201c'\u2018])"
)


def split_dateline(paragraph: str) -> list[str]:
    """A dateline as a paragraph of its own, so it is neither read as the subject of the
    first sentence nor breaks it.

    >>> split_dateline("ROME, July 10 (Wire) - Germany pledged 1.5 billion euros.")
    ['ROME, July 10 (Wire) -', 'Germany pledged 1.5 billion euros.']
    >>> split_dateline("Germany pledged 1.5 billion euros - a record.")
    ['Germany pledged 1.5 billion euros - a record.']
    """
    match = _DATELINE.match(paragraph)
    if match is None:
        return [paragraph]
    return [match.group("line"), paragraph[match.end() :]]


def without_markup(text: str) -> str:
    """The text with Markdown marks removed when it uses them (line breaks kept)."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    if not looks_like_markdown(normalised):
        return normalised
    return "\n".join(strip_markdown(line) for line in normalised.split("\n"))


def clean_text(text: str, *, markdown: bool | None = None) -> CleanText:
    """Paragraphs of article body, furniture and other-language passages left out.

    Markdown marks are removed when ``markdown`` is true, or, when it is None, when the text
    uses them (emphasis, links or headings)."""
    rules = furniture()
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    if markdown is None:
        markdown = looks_like_markdown(normalised)
    if markdown:
        normalised = "\n".join(strip_markdown(line) for line in normalised.split("\n"))
    kept: list[str] = []
    dropped = 0
    skipped = 0
    languages: dict[str, int] = {}
    paragraphs = unwrap(normalised)
    dateline: str | None = None
    # the dateline opens the first paragraph of body, after a title line or two
    for index in range(min(3, len(paragraphs))):
        parts = split_dateline(paragraphs[index])
        if len(parts) > 1:
            paragraphs[index : index + 1] = parts
            dateline = parts[0]
            break
    for paragraph in paragraphs:
        if len(kept) >= rules.min_body_paragraphs and any(p.search(paragraph) for p in rules.tail):
            dropped += 1
            break
        if _is_furniture(paragraph, rules) or not _has_words(paragraph, rules.min_words):
            dropped += 1
            continue
        # A dateline or a byline is too short for a language guess; it goes with the text.
        short = len(paragraph.split()) < rules.min_words or paragraph == dateline
        language = "en" if short else paragraph_language(paragraph)
        if language != "en":
            skipped += 1
            languages[language] = languages.get(language, 0) + len(paragraph)
            continue
        if not short:
            languages[language] = languages.get(language, 0) + len(paragraph)
        kept.append(paragraph)
    main = max(languages, key=lambda k: languages[k]) if languages else "und"
    return CleanText(tuple(kept), main, skipped, dropped)


_MARKDOWN_HINTS = re.compile(
    r"(\*\*\S[^\n]*?\S\*\*|\[[^\]\n]+\]\([^)\s]+\)|^\s{0,3}#{1,6}\s+\S)", re.MULTILINE
)


def looks_like_markdown(text: str) -> bool:
    """True when a text uses Markdown marks: bold, links or headings.

    >>> looks_like_markdown("Spain **will** send troops."), looks_like_markdown("Spain will.")
    (True, False)
    """
    return _MARKDOWN_HINTS.search(text) is not None


def _has_words(paragraph: str, minimum: int) -> bool:
    """A paragraph of at least ``minimum`` words, or a short line naming a place or a title
    (a dateline, a byline) with letters in it."""
    words = paragraph.split()
    if len(words) >= minimum:
        return True
    return any(sum(c.isalpha() for c in w) >= 2 for w in words) and paragraph[:1].isupper()


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


_DATE_ONLY = re.compile(r"^[\w ,.\-/]{0,30}\b(19|20)\d\d\b[\w ,.\-/]{0,12}$")


def opening_title(text: str) -> str | None:
    """The title a text without a header opens with: its first line that is no date line and
    does not end a sentence ("2025-11-18" then "Joint statement of ...").

    >>> opening_title("18 November 2025\\nJoint statement of Estonia and Latvia\\n\\nWe will send.")
    'Joint statement of Estonia and Latvia'
    >>> opening_title("Spain will send troops. Italy will not.") is None
    True
    """
    for line in [line.strip() for line in text.split("\n") if line.strip()][:2]:
        if _DATE_ONLY.match(line):
            continue
        words = len(line.split())
        if 3 <= words <= 30 and not line.endswith((".", "!", "?", '"', "\u201d")):
            return line
        return None
    return None
