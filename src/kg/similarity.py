"""Whether two articles are one text: the SHA-256 of the normalised text for exact copies,
and a MinHash signature of its word shingles for near-same copies (a syndicated story under
another URL, with another headline, byline or footer).

>>> a = "Spain will send troops to Ukraine after a ceasefire, the prime minister said today."
>>> b = "Madrid wire. " + a
>>> text_hash(a) == text_hash(a.upper())
True
>>> similarity(signature(a), signature(b)) >= THRESHOLD
True
>>> similarity(signature(a), signature("Italy will not send troops to Ukraine.")) < THRESHOLD
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from kg.normalise import words

PERMUTATIONS = 64
SHINGLE_WORDS = 3
THRESHOLD = 0.7
"""Estimated Jaccard similarity of word shingles from which two texts are one story."""
_SEED = 17
_HEX = 8  # each MinHash value is a 32-bit hash


@cache
def _permutations() -> Any:
    """The hash permutations of our seed, drawn once: drawing them is most of the cost of a
    sketch."""
    return MinHash(num_perm=PERMUTATIONS, seed=_SEED).permutations


def _sketch(values: Any = None) -> MinHash:
    return MinHash(
        num_perm=PERMUTATIONS, seed=_SEED, hashvalues=values, permutations=_permutations()
    )


def text_hash(text: str) -> str:
    """The SHA-256 (64 hex digits) of the normalised text."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def signature(text: str) -> str:
    """The MinHash of the text's word shingles, as hex (8 digits per permutation)."""
    found = words(text)
    shingles = {
        " ".join(found[i : i + SHINGLE_WORDS])
        for i in range(max(1, len(found) - SHINGLE_WORDS + 1))
    }
    sketch = _sketch()
    sketch.update_batch([s.encode() for s in sorted(shingles)])
    return "".join(f"{int(v):0{_HEX}x}" for v in sketch.hashvalues)


def sketch_of(hex_signature: str) -> MinHash | None:
    """The MinHash a stored signature holds; None when it is not one of ours."""
    if len(hex_signature) != PERMUTATIONS * _HEX:
        return None
    try:
        values = [int(hex_signature[i : i + _HEX], 16) for i in range(0, len(hex_signature), _HEX)]
    except ValueError:
        return None
    return _sketch(np.array(values, dtype=np.uint64))


def similarity(first: str, second: str) -> float:
    """The estimated Jaccard similarity of two signatures' shingles (0.0 for a malformed one)."""
    a, b = sketch_of(first), sketch_of(second)
    return float(a.jaccard(b)) if a is not None and b is not None else 0.0


def copies(texts: Mapping[str, tuple[str | None, str | None]]) -> dict[str, str]:
    """For each key (a source) with its text hash and signature, the key that stands for its
    group of copies: keys with the same text hash, or signatures at least :data:`THRESHOLD`
    alike (through a chain of such pairs), share the smallest key of the group. Candidates
    come from locality-sensitive hashing, so the work grows with the number of sources, not
    its square.

    >>> copies({"b": ("h1", None), "a": ("h1", None), "c": ("h2", None)})
    {'a': 'a', 'b': 'a', 'c': 'c'}
    """
    parent = {key: key for key in texts}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_hash: dict[str, str] = {}
    index = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    sketches: dict[str, MinHash] = {}
    for key in sorted(texts):
        digest, hex_signature = texts[key]
        if digest is not None:
            if digest in by_hash:
                join(by_hash[digest], key)
            else:
                by_hash[digest] = key
        sketch = sketch_of(hex_signature) if hex_signature else None
        if sketch is None:
            continue
        for other in index.query(sketch):
            if sketch.jaccard(sketches[other]) >= THRESHOLD:
                join(other, key)
        index.insert(key, sketch)
        sketches[key] = sketch
    return {key: root(key) for key in sorted(texts)}
