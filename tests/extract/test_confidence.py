"""How sure a reading is: each pledge and meeting scores how it was found, with the
precision of its date and place (``kg.extract.confidence``)."""

from __future__ import annotations

from collections.abc import Callable

from kg.records import Extraction

ExtractText = Callable[[str], Extraction]


def run_pledge(extract_text: ExtractText, text: str, date: str = "2026-02-10") -> Extraction:
    return extract_text(f"date: {date}\n\n{text}")


def run_meeting(extract_text: ExtractText, text: str, day: str = "2026-03-10") -> Extraction:
    return extract_text(f"date: {day}\n\n{text}")


def test_confidence_falls_with_each_doubt_of_the_reading(extract_text: ExtractText) -> None:
    direct = run_pledge(extract_text, "Slovakia will send two helicopters to Ukraine.").pledges
    hedged = run_pledge(
        extract_text,
        "Slovakia has been weighing its options. It could send two helicopters, "
        "its defence minister said.",
    ).pledges
    (plain,) = direct
    (guess,) = hedged
    assert plain.confidence is not None and guess.confidence is not None
    assert 0.0 <= guess.confidence < plain.confidence <= 1.0


def test_confidence_and_precision_are_recorded(extract_text: ExtractText) -> None:
    from kg.rdf import extraction_quads

    found = run_meeting(
        extract_text,
        "Ministers met in Riga on Monday. Latvia will send two patrol boats to Ukraine.",
    )
    (meeting,) = found.meetings
    assert meeting.place_precision == "city" and meeting.confidence is not None
    values = {
        (q.predicate.value.rsplit("#", 1)[-1], str(q.object.value))  # type: ignore[union-attr]
        for q in extraction_quads(found)
        if q.predicate.value.rsplit("#", 1)[-1] in ("placePrecision", "datePrecision")
    }
    # the meeting has its day; the pledge, in a sentence of its own, only the report's
    assert values == {
        ("placePrecision", "city"),
        ("datePrecision", "day"),
        ("datePrecision", "reported"),
    }
    scores = [
        float(q.object.value)  # type: ignore[union-attr]
        for q in extraction_quads(found)
        if q.predicate.value.endswith("#confidence")
    ]
    assert len(scores) == 2 and all(0.0 < s <= 1.0 for s in scores)
