"""The stance of a pledge, from the modality of the words between its actor and its
cue (``kg.extract.stance``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.records import ContributionType as T
from kg.records import Extraction, Stance

ExtractText = Callable[[str], Extraction]


def stances(extraction: Extraction) -> set[tuple[str, Stance, T]]:
    return {(p.actor.key, p.stance, t) for p in extraction.pledges for t in p.types}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Italy would not send troops to Ukraine.", ("IT", Stance.DECLINED, T.GROUND_TROOPS)),
        (
            # a modal guess is a position when an official voices it
            "Germany could deploy its troops in Poland, its defence minister said.",
            ("DE", Stance.CONSIDERING, T.GROUND_TROOPS),
        ),
        ("Spain will send two frigates.", ("ES", Stance.COMMITTED, T.MARITIME)),
        ("Portugal pledged 50 million euros.", ("PT", Stance.COMMITTED, T.FUNDING)),
        ("Greece ruled out sending soldiers.", ("GR", Stance.DECLINED, T.GROUND_TROOPS)),
        (
            "Austria is considering sending demining experts.",
            ("AT", Stance.CONSIDERING, T.DEMINING),
        ),
        (
            "Croatia's refusal to send troops angered partners.",
            ("HR", Stance.DECLINED, T.GROUND_TROOPS),
        ),
    ],
)
def test_modality_decides_the_stance(
    extract_text: ExtractText, sentence: str, expected: tuple[str, Stance, T]
) -> None:
    assert expected in stances(extract_text(f"date: 2026-01-10\n\n{sentence}"))
