"""What a source records about itself beyond its facts: the title it goes by and the version
of the extractor that read it.

>>> headline("Spain to send troops\\nSpain will send troops, the minister said.")
'Spain to send troops'
>>> headline("Spain will send troops, the minister said.\\nMore text.") is None
True
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# What decides the facts of an article: reading, cleaning, annotation, extraction, mapping,
# and their word lists. A change to any of them is a new extractor version.
_EXTRACTOR_PARTS = (
    "sources.py",
    "clean.py",
    "nlp.py",
    "lexicon.py",
    "gazetteer.py",
    "normalise.py",
    "pipeline.py",
    "rdf.py",
    "extract",
    "resolve",
    "data",
)
_HEADLINE_WORDS = (3, 25)
_OPENING_WORDS = 16
_KICKERS = 2


@dataclass(frozen=True)
class Extractor:
    """The extraction an ingest runs: this package's version with a fingerprint of the code
    and word lists that decide the facts, and the spaCy pipeline."""

    version: str
    model: str
    model_version: str

    @property
    def label(self) -> str:
        return f"pledgekg {self.version} extraction with {self.model} {self.model_version}"


def _fingerprint() -> str:
    """12 hex digits of the SHA-256 of every file that decides the facts."""
    digest = hashlib.sha256()
    for part in _EXTRACTOR_PARTS:
        root = PACKAGE / part
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.is_file() and path.suffix in (".py", ".json", ".txt"):
                digest.update(path.relative_to(PACKAGE).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _installed(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@cache
def extractor(model: str) -> Extractor:
    """The extractor that reads articles with the spaCy pipeline ``model``.

    >>> extractor("en_core_web_sm").version.startswith(_installed("pledgekg") + "+")
    True
    """
    return Extractor(f"{_installed('pledgekg')}+{_fingerprint()}", model, _installed(model))


def _lines(text: str) -> list[str]:
    """The article's lines, a kicker above the headline ("Politics", "World News") left out."""
    lines = [" ".join(line.split()) for line in text.strip().split("\n")]
    lines = [line for line in lines if line]
    for _ in range(_KICKERS):
        if len(lines) > 1 and len(lines[0].split()) < _HEADLINE_WORDS[0]:
            lines = lines[1:]
    return lines


def headline(text: str) -> str | None:
    """The first line of an article's text when it is a headline: a few words on a line of
    their own, followed by more text, that do not end as a sentence, a clause or a dateline
    does. A kicker of a word or two above it is passed over.

    >>> headline("Politics\\nZelensky and Macron sign a declaration\\nThe leaders signed.")
    'Zelensky and Macron sign a declaration'
    """
    lines = _lines(text)
    low, high = _HEADLINE_WORDS
    if len(lines) < 2 or not low <= len(lines[0].split()) <= high:
        return None
    if lines[0].endswith((".", ",", ":", ";", "-", "\u2013", "\u2014")):
        return None
    return lines[0]


def opening(text: str) -> str:
    """The first words of an article, for an article with no title to go by.

    >>> opening("One two three.\\nFour.")
    'One two three.'
    """
    lines = _lines(text)
    words = lines[0].split() if lines else []
    cut = words[:_OPENING_WORDS]
    return " ".join(cut) + (" \u2026" if len(words) > len(cut) else "")
