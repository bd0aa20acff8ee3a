"""``kg eval`` gives the project's yardstick's figures: scored against the seeds' gold (and
the development set's, when the shared evaluation folder is beside the checkout), every kind
has the same precision, recall and F1 as the yardstick reading an N-Quads export of the
same articles; and the scoring rules hold on small hand-made cases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.config import Settings
from kg.evaluate import FoundMeeting, evaluate_paths, score

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "eval"
KG = Path(sys.executable).with_name("kg")
# The yardstick's names for the kinds, and ours.
KINDS = {
    "leaders": "leaders",
    "pledge_stance": "pledge_stance",
    "pledge_type": "pledge_type",
    "meetings": "meetings",
    "meeting_participants": "participants",
}


def yardstick(gold: Path, inputs: Path, work: Path) -> dict[str, dict[str, float]]:
    """The yardstick's figures for an ingest of ``inputs``."""
    store, dump = work / "store", work / "graph.nq"
    for command in (
        [str(KG), "ingest", "-q", "--store", str(store), str(inputs)],
        [str(KG), "export", "--store", str(store), "--format", "nquads", "-o", str(dump)],
    ):
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=900)
    result = subprocess.run(
        [sys.executable, str(SHARED / "score.py"), str(dump), str(gold), "--json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stdout[: result.stdout.rindex("}") + 1])  # type: ignore[no-any-return]


CASES = [("seeds", ROOT / "tests" / "extract" / "seeds-gold.json", ROOT / "seeds")]
if (SHARED / "score.py").is_file() and (SHARED / "dev").is_dir():
    CASES.append(("dev", SHARED / "dev-gold.json", SHARED / "dev"))


@pytest.mark.skipif(not (SHARED / "score.py").is_file(), reason="the yardstick is not beside")
@pytest.mark.parametrize(("name", "gold", "inputs"), CASES, ids=[c[0] for c in CASES])
def test_kg_eval_gives_the_yardsticks_figures(
    name: str, gold: Path, inputs: Path, tmp_path: Path
) -> None:
    theirs = yardstick(gold, inputs, tmp_path)
    ours = evaluate_paths(gold, [inputs], Settings()).scores
    for their_kind, our_kind in KINDS.items():
        expected, got = theirs[their_kind], ours[our_kind]
        assert (got.tp, got.fp, got.fn) == (expected["tp"], expected["fp"], expected["fn"]), (
            name,
            our_kind,
        )
        assert round(got.f1, 3) == expected["f1"], (name, our_kind)


GOLD = {
    "leaders": [
        {"name": "Pedro Sánchez", "state": "ES"},
        {"name": "Jane Observer", "state": "XX", "optional": True},
    ],
    "pledges": [
        {"state": "ES", "stance": "Considering", "types": ["GroundTroops"]},
        {"state": "IT", "stance": "Declined", "types": ["GroundTroops"], "optional": True},
    ],
    "meetings": [
        {"place": "Paris", "date": "2026-01-06", "participants": ["FR", "UA"]},
        {"place": "Kyiv", "date": "2026-01-09", "participants": ["UA", "PL"]},
    ],
}


def test_participants_of_a_meeting_not_found_count_as_missed() -> None:
    found = {
        "leaders": [("Sanchez", {"ES"}), ("Jane Observer", {"GB"})],
        "pledges": [("ES", "Considering", "GroundTroops"), ("IT", "Declined", "GroundTroops")],
        "meetings": {"m1": FoundMeeting({"paris"}, {"2026-01-06"}, {"FR", "UA", "DE"})},
    }
    report = score(GOLD, found).scores
    assert (report["leaders"].tp, report["leaders"].fp) == (1, 0)  # an optional person
    assert (report["pledge_stance"].tp, report["pledge_stance"].fp) == (1, 0)
    assert (report["meetings"].tp, report["meetings"].fn) == (1, 1)
    participants = report["participants"]
    assert (participants.tp, participants.fp, participants.fn) == (2, 1, 2)


def test_a_meeting_found_twice_costs_precision() -> None:
    twice = {
        "m1": FoundMeeting({"paris"}, {"2026-01-06"}, {"FR"}),
        "m2": FoundMeeting({"paris"}, {"2026-01-06"}, {"UA"}),
    }
    found = {"leaders": [], "pledges": [], "meetings": twice}
    meetings = score(GOLD, found).scores["meetings"]
    assert (meetings.tp, meetings.fp, meetings.fn) == (1, 1, 1)


def test_precision_is_counted_by_confidence_band() -> None:
    found = {
        "leaders": [],
        "pledges": [("ES", "Considering", "GroundTroops"), ("PT", "Committed", "Funding")],
        "meetings": {
            "m1": FoundMeeting({"paris"}, {"2026-01-06"}, {"FR"}),
            "m2": FoundMeeting({"lisbon"}, {"2026-01-07"}, set()),
        },
        "pledge_confidence": {("ES", "Considering", 0.9), ("PT", "Committed", 0.4)},
        "meeting_confidence": {"m1": 0.8, "m2": 0.6},
    }
    bands = score(GOLD, found).bands
    counted = {
        kind: [(b.low, b.found, b.right) for b in found if b.found] for kind, found in bands.items()
    }
    assert counted == {
        "pledges": [(0.0, 1, 0), (0.85, 1, 1)],
        "meetings": [(0.5, 1, 0), (0.7, 1, 1)],
    }
