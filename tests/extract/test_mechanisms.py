"""One mechanism at a time: dates, names, modality, actors, meetings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kg.extract.dates import resolve_date
from kg.records import ContributionType as T
from kg.records import Extraction, Stance

ExtractText = Callable[[str], Extraction]


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
    ],
)
def test_dates_resolve_against_the_article(
    text: str, reference: date | None, expected: date | None
) -> None:
    assert resolve_date(text, reference) == expected


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


@pytest.mark.parametrize(
    "sentence",
    [
        "A total of 26 countries have pledged to send troops to Ukraine.",
        "Russia rejected any plan to place foreign troops in Ukraine.",
        "Moscow would not accept Western peacekeepers in any format.",
        "The partners are ready to deploy the force a day after the ceasefire.",
        "Any NATO peacekeepers deployed to Ukraine would trigger a war, Moscow warned.",
        "Russia committed to a ceasefire on Monday.",
    ],
)
def test_no_pledge_from_aggregates_opposition_or_hypotheses(
    extract_text: ExtractText, sentence: str
) -> None:
    assert extract_text(f"date: 2026-01-10\n\n{sentence}").pledges == ()


def test_actor_named_through_its_leader(extract_text: ExtractText) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "Swedish Prime Minister Ulf Kristersson said Sweden's contribution would include "
        "Gripen fighter jets. Later, Kristersson pledged to send instructors."
    )
    assert ("SE", Stance.COMMITTED, T.AIR_POWER) in stances(found)
    assert any(p.announced_by == "Ulf Kristersson" for p in found.pledges)


def test_name_variants_resolve_to_one_leader(extract_text: ExtractText) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "Ukrainian President Volodymyr Zelenskyy met Belgian Prime Minister Bart DeWever in "
        "Brussels on Friday. Zelensky thanked De Wever."
    )
    names = {leader.name for leader in found.leaders}
    assert names == {"Volodymyr Zelensky", "Bart De Wever"}


def test_capital_is_a_place_for_meetings_and_an_actor_as_subject(
    extract_text: ExtractText,
) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "Leaders met in Paris on 6 January. Rome would not send troops, officials said."
    )
    (meeting,) = found.meetings
    assert meeting.location == "Paris" and meeting.host == "FR"
    assert ("IT", Stance.DECLINED, T.GROUND_TROOPS) in stances(found)
    assert all(p.actor.key != "FR" for p in found.pledges)


def test_same_meeting_mentioned_twice_is_one(extract_text: ExtractText) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "On 6 January, a summit was held in Paris. Spain took part in the summit. "
        "After the summit, France said it would send troops."
    )
    (meeting,) = found.meetings
    assert meeting.date == date(2026, 1, 6)
    pledge = next(p for p in found.pledges if p.actor.key == "FR")
    assert pledge.meeting_key == meeting.key and pledge.date == date(2026, 1, 6)


def test_other_language_passages_are_left_out(extract_text: ExtractText) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "Denmark will send two frigates to the mission, the government said.\n"
        "Tysk kansler Friedrich Merz har signaleret involvering af tyske soldater i Ukraine.\n"
    )
    assert found.passages_skipped == 1
    assert "Tysk" not in found.clean_text
    assert {p.actor.key for p in found.pledges} == {"DK"}
