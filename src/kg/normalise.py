"""Text normalised for comparing and hashing: one function per purpose, each used wherever that
purpose comes up, so one text always gets one key.

- :func:`normalise_text`: the text a source's identity hashes (content hash, Source IRI);
- :func:`words`: the words exact and near copies are found by (text hash, MinHash shingles);
- :func:`fold`: a name's lookup key (gazetteer, leader and speaker matching);
- :func:`fold_words`: a name's words (matching against gold answers);
- :func:`slugify`: a name's slug in resource IRIs.

Stored hashes and IRIs depend on the first, second and last: change them and every stored
source reads as changed and every IRI moves.

>>> normalise_text("  Pedro\\u0301  S\\n"), words("It's  TROOPS, not jets.")
('Pedró S', ['it', 's', 'troops', 'not', 'jets'])
>>> fold("Jonas Gahr Støre"), fold_words("Jonas Gahr-Støre"), slugify("Pedro Sánchez")
('jonasgahrstore', 'jonas gahr st re', 'pedro-sanchez')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Letters Unicode does not decompose into a base letter and a mark ("Støre", "Łukasz").
_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)


def normalise_text(text: str) -> str:
    """NFC-normalised text with runs of white space folded to one space.

    >>> normalise_text("a\\u00a0 b\\u2028c ")
    'a b c'
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def words(text: str) -> list[str]:
    """The text's words, case folded: what is left once case, punctuation and white space
    are normalised."""
    return _WORD.findall(text.casefold())


def _unaccented(text: str) -> str:
    """Lower case with accents dropped (letters Unicode decomposes lose their marks)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Accents, case, punctuation and spaces folded away, for comparing names (remembered:
    the same words come back in every article).

    >>> fold("Bart DeWever") == fold("Bart De Wever"), fold("Sánchez")
    (True, 'sanchez')
    """
    return re.sub(r"[^a-z0-9]", "", _unaccented(text.translate(_UNDECOMPOSED)))


def fold_words(text: str) -> str:
    """Accents and case folded, punctuation turned to spaces (names keep their words).

    Unlike :func:`fold`, letters Unicode does not decompose ("ø") count as punctuation, as
    they always have in slugs.

    >>> fold_words("  O'Neill-Smith, Jr. ")
    'o neill smith jr'
    """
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _unaccented(text)).split())


def slugify(text: str) -> str:
    """A lower-case ASCII slug with hyphens, as used in resource IRIs.

    >>> slugify("Pedro Sánchez"), slugify("Mar-a-Lago, Florida"), slugify("—")
    ('pedro-sanchez', 'mar-a-lago-florida', 'unnamed')
    """
    return fold_words(text).replace(" ", "-") or "unnamed"
