"""How much to trust a fact, from how it was found (weights in ``kg/data/confidence.json``).

A pledge starts from the mechanism that named its actor (the clause's subject, a passive
agent, an owner, a speaker ...) and is multiplied down by each doubt its reading had: an actor
reached through a pronoun or "the government", a contribution taken up by "do it" or an
elided verb, a modal guess, a headline, a long way between actor and contribution. A meeting
starts high and is multiplied down by what had to be inferred: a date from a neighbouring
sentence or the article's own, a place from the dateline or only a country, no verb of
meeting, too few parties named. Date and place precision are kept beside the score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.data import read_json


@dataclass(frozen=True)
class Weights:
    """The weights of ``confidence.json``."""

    pledge_mechanism: dict[str, float]
    pledge_doubts: dict[str, float]
    long_path: int
    very_long_path: int
    meeting_base: float
    meeting_doubts: dict[str, float]
    floor: float
    ceiling: float


@lru_cache(maxsize=1)
def weights() -> Weights:
    """The shipped weights (cached)."""
    raw: dict[str, Any] = read_json("confidence.json")
    return Weights(
        pledge_mechanism=raw["pledge"]["mechanism"],
        pledge_doubts=raw["pledge"]["doubts"],
        long_path=raw["pledge"]["long_path"],
        very_long_path=raw["pledge"]["very_long_path"],
        meeting_base=raw["meeting"]["base"],
        meeting_doubts=raw["meeting"]["doubts"],
        floor=raw["floor"],
        ceiling=raw["ceiling"],
    )


def _score(base: float, doubts: Iterable[str], table: dict[str, float], w: Weights) -> float:
    value = base
    for doubt in set(doubts):
        value *= table[doubt]
    return round(min(w.ceiling, max(w.floor, value)), 3)


def path_doubts(length: int) -> list[str]:
    """The doubt a path of ``length`` words between actor and contribution adds."""
    w = weights()
    if length >= w.very_long_path:
        return ["very_long_path"]
    if length >= w.long_path:
        return ["long_path"]
    return []


def pledge_confidence(mechanism: str, doubts: Iterable[str]) -> float:
    """A pledge's score in [0, 1].

    >>> pledge_confidence("subject", []) > pledge_confidence("voice", ["referred", "guess"])
    True
    """
    w = weights()
    return _score(w.pledge_mechanism[mechanism], doubts, w.pledge_doubts, w)


def meeting_confidence(doubts: Iterable[str]) -> float:
    """A meeting's score in [0, 1].

    >>> meeting_confidence([]) > meeting_confidence(["article_date", "dateline_place"])
    True
    """
    w = weights()
    return _score(w.meeting_base, doubts, w.meeting_doubts, w)
