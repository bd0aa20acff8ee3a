"""Articles in other styles than the seeds (a press release, a joint statement, a wire
report, a briefing), written for these tests, with the facts an analyst expects from them.
The extractors were not tuned on the seeds alone: these hold them to the genre."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kg.records import ContributionType as T
from kg.records import Extraction, Stance

from .conftest import ARTICLES

Extract = Callable[[Path], Extraction]


def positions(extraction: Extraction) -> set[tuple[str, Stance, T]]:
    """(actor, stance, type) triples of an extraction."""
    return {(p.actor.key, p.stance, t) for p in extraction.pledges for t in p.types}


def leaders(extraction: Extraction) -> dict[str, tuple[str | None, str | None]]:
    return {
        leader.name: (leader.actor.key if leader.actor else None, leader.role)
        for leader in extraction.leaders
    }


@pytest.fixture(scope="module")
def press_release(extract_file: Extract) -> Extraction:
    return extract_file(ARTICLES / "press_release.txt")


@pytest.fixture(scope="module")
def joint_statement(extract_file: Extract) -> Extraction:
    return extract_file(ARTICLES / "joint_statement.txt")


@pytest.fixture(scope="module")
def wire_report(extract_file: Extract) -> Extraction:
    return extract_file(ARTICLES / "wire_report.txt")


@pytest.fixture(scope="module")
def briefing(extract_file: Extract) -> Extraction:
    return extract_file(ARTICLES / "briefing.md")


def test_press_release_commitment_with_condition_and_quantity(press_release: Extraction) -> None:
    found = positions(press_release)
    assert ("NO", Stance.COMMITTED, T.MARITIME) in found
    assert ("NO", Stance.COMMITTED, T.TRAINING) in found
    first = next(p for p in press_release.pledges if p.stance is Stance.COMMITTED)
    assert first.quantity == "two naval vessels"
    assert first.condition is not None and "ceasefire" in first.condition
    assert first.announced_by == "Jonas Gahr Støre"


def test_press_release_later_decision_is_considering(press_release: Extraction) -> None:
    assert ("NO", Stance.CONSIDERING, T.GROUND_TROOPS) in positions(press_release)


def test_press_release_leaders_and_talks(press_release: Extraction) -> None:
    assert leaders(press_release)["Mette Frederiksen"] == ("DK", "Prime Minister")
    assert leaders(press_release)["Tore O. Sandvik"][0] == "NO"
    (talks,) = press_release.meetings
    assert talks.location == "Oslo"
    assert talks.date == date(2026, 2, 11)  # "on Wednesday" in a Thursday release
    assert {a.key for a in talks.participants} == {"NO", "DK"}


def test_press_release_furniture_is_dropped(press_release: Extraction) -> None:
    assert "newsletter" not in press_release.clean_text


def test_joint_statement_each_state_and_its_offer(joint_statement: Extraction) -> None:
    found = positions(joint_statement)
    assert {
        ("LT", Stance.COMMITTED, T.AIR_POWER),
        ("LT", Stance.COMMITTED, T.DEMINING),
        ("LV", Stance.COMMITTED, T.FUNDING),
        ("EE", Stance.COMMITTED, T.GROUND_TROOPS),
        ("FI", Stance.DECLINED, T.GROUND_TROOPS),
        ("FI", Stance.CONSIDERING, T.MONITORING),
    } <= found
    funding = next(p for p in joint_statement.pledges if p.actor.key == "LV")
    assert funding.quantity == "20 million euros"


def test_joint_statement_recipient_and_third_party_are_not_pledges(
    joint_statement: Extraction,
) -> None:
    actors = {p.actor.key for p in joint_statement.pledges}
    assert "UA" not in actors  # Ukraine receives the reconstruction money
    assert "RU" not in actors  # Russia rejecting foreign troops is not a pledge


def test_joint_statement_meeting(joint_statement: Extraction) -> None:
    (meeting,) = joint_statement.meetings
    assert (meeting.location, meeting.date) == ("Vilnius", date(2026, 3, 4))
    assert {a.key for a in meeting.participants} == {"LT", "LV", "EE"}


def test_wire_report_stances(wire_report: Extraction) -> None:
    found = positions(wire_report)
    assert ("PL", Stance.DECLINED, T.GROUND_TROOPS) in found
    assert ("DE", Stance.CONSIDERING, T.EQUIPMENT) in found
    assert ("CA", Stance.COMMITTED, T.FUNDING) in found
    assert not any(a == "DE" and s is Stance.COMMITTED for a, s, _ in found)


def test_wire_report_video_call_is_virtual(wire_report: Extraction) -> None:
    (call,) = wire_report.meetings
    assert call.kind == "call" and call.location == "virtual"
    assert {a.key for a in call.participants} >= {"FR", "DE"}


def test_wire_report_analyst_is_not_a_leader(wire_report: Extraction) -> None:
    names = leaders(wire_report)
    assert "Jane Holloway" not in names
    assert names["Mark Carney"] == ("CA", "Prime Minister")


def test_briefing_modality(briefing: Extraction) -> None:
    found = positions(briefing)
    assert ("NL", Stance.CONSIDERING, T.AIR_POWER) in found
    assert ("IT", Stance.DECLINED, T.GROUND_TROOPS) in found
    spain = next(p for p in briefing.pledges if p.actor.key == "ES")
    assert spain.condition is not None and "mandate" in spain.condition


def test_briefing_unnamed_aggregate_is_not_a_pledge(briefing: Extraction) -> None:
    assert all("Twenty-six" not in p.evidence for p in briefing.pledges)


def test_every_evidence_is_verbatim(
    press_release: Extraction, joint_statement: Extraction, wire_report: Extraction
) -> None:
    for extraction in (press_release, joint_statement, wire_report):
        for pledge in extraction.pledges:
            assert pledge.evidence in extraction.article.text
        for meeting in extraction.meetings:
            assert all(sentence in extraction.article.text for sentence in meeting.evidence)


def test_readout_meeting_and_mixed_stances(extract_file: Extract) -> None:
    found = extract_file(ARTICLES / "readout.txt")
    assert {m.location for m in found.meetings} == {"Washington"}  # "future negotiations": no
    (meeting,) = found.meetings
    assert meeting.date == date(2026, 2, 2)
    assert {a.key for a in meeting.participants} == {"US", "TR"}
    assert ("TR", Stance.COMMITTED, T.DEMINING) in positions(found)
    assert ("TR", Stance.DECLINED, T.GROUND_TROOPS) in positions(found)
    assert leaders(found)["Marco Rubio"] == ("US", "Secretary of State")


def test_summit_wire_host_quantity_and_third_party(extract_file: Extract) -> None:
    found = extract_file(ARTICLES / "summit_wire.txt")
    (summit,) = found.meetings
    assert summit.kind == "summit" and summit.location == "London"
    assert summit.venue == "Lancaster House"  # the venue resolves to its city, and is kept
    assert summit.host == "GB"
    britain = next(p for p in found.pledges if p.actor.key == "GB")
    assert britain.stance is Stance.COMMITTED and britain.quantity == "up to 10,000 troops"
    assert ("DE", Stance.DECLINED, T.GROUND_TROOPS) in positions(found)
    assert ("DK", Stance.COMMITTED, T.AIR_POWER) in positions(found)
    assert "RU" not in {p.actor.key for p in found.pledges}  # the Kremlin dismissing the plans


def test_roundup_refusals_openness_and_calls(extract_file: Extract) -> None:
    found = extract_file(ARTICLES / "roundup.txt")
    stated = positions(found)
    assert ("NL", Stance.COMMITTED, T.GROUND_TROOPS) in stated  # "boots on the ground"
    assert ("JP", Stance.DECLINED, T.GROUND_TROOPS) in stated  # "has no plans to send"
    assert ("JP", Stance.COMMITTED, T.FUNDING) in stated
    assert ("CA", Stance.CONSIDERING, T.AIR_POWER) in stated  # "is open to contributing"
    assert ("US", Stance.DECLINED, T.GROUND_TROOPS) in stated
    assert "UA" not in {p.actor.key for p in found.pledges}  # trained, not training
    australia = next(p for p in found.pledges if p.actor.key == "AU")
    assert australia.quantity == "a contingent of 200 personnel"
    kinds = {(m.kind, m.location) for m in found.meetings}
    assert ("call", "telephone") in kinds  # "spoke by phone on Sunday"
    assert all(m.location != "virtual" for m in found.meetings)
    summit = next(m for m in found.meetings if m.location == "Rome")
    assert summit.date == date(2026, 4, 13)
    assert not summit.participants  # the call's leaders are not the summit's
