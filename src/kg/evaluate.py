"""``kg eval``: build a temporary graph from articles and score it against gold answers,
by the rules in the gold file's ``about`` (precision, recall and F1 for leaders, pledge
stance, pledge type, meetings and meeting participants).

>>> same_person("Bart DeWever", "Bart De Wever"), same_person("Sánchez", "Pedro Sanchez")
(True, True)
>>> same_person("Volodymyr Zelensky", "Volodymyr Zelenskyy"), same_person("Ned Price", "Tony")
(True, False)
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import QuerySolutions

from kg.config import Settings
from kg.ingest import ingest
from kg.ingest.engines import local
from kg.ingest.sinks import StoreSink
from kg.normalise import fold_words
from kg.pipeline import read_all
from kg.prefixes import SPARQL_PREFIXES
from kg.rdf import distinct
from kg.store import EmbeddedStore, GraphStore

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def _name_tokens(name: str) -> list[str]:
    return [t for t in fold_words(name).split() if len(t) > 1 and t not in _SUFFIXES]


def same_person(found: str, gold: str) -> bool:
    """Names match with accents, case and punctuation folded, middle initials and suffixes
    ignored, a surname alone matching the same surname, and a close spelling of the surname
    with the same first initial."""
    a, b = _name_tokens(found), _name_tokens(gold)
    if not a or not b:
        return False
    if len(a) == 1 or len(b) == 1:
        return a[-1] == b[-1]
    last_a, last_b = "".join(a[1:]), "".join(b[1:])
    close = last_a == last_b or difflib.SequenceMatcher(None, last_a, last_b).ratio() >= 0.85
    return close and a[0][:1] == b[0][:1]


@dataclass
class Score:
    """Counts and the facts behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    spurious: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 0.0 if self.fn else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# Confidence bands for calibration: [low, high).
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01))


@dataclass
class Band:
    """How many facts of one kind fell in a confidence band, and how many were right."""

    low: float
    high: float
    found: int = 0
    right: int = 0

    @property
    def precision(self) -> float | None:
        return self.right / self.found if self.found else None


def calibrate(scored: Iterable[tuple[float, bool]]) -> list[Band]:
    """Facts (confidence, right) counted by band.

    >>> [(b.found, b.right) for b in calibrate([(0.9, True), (0.95, False), (0.3, True)])]
    [(1, 1), (0, 0), (0, 0), (2, 1)]
    """
    bands = [Band(low, high) for low, high in BANDS]
    for confidence, right in scored:
        band = next(b for b in bands if b.low <= confidence < b.high)
        band.found += 1
        band.right += right
    return bands


@dataclass
class Report:
    """Scores per fact kind, and precision by confidence band."""

    scores: dict[str, Score]
    out_of_scope: list[str] = field(default_factory=list)
    bands: dict[str, list[Band]] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.scores.values()) / len(self.scores)

    def as_dict(self) -> dict[str, Any]:
        return {
            "macro_f1": round(self.macro_f1, 4),
            **{
                kind: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "spurious": s.spurious,
                    "missed": s.missed,
                }
                for kind, s in self.scores.items()
            },
            "organization_pledges_not_scored": self.out_of_scope,
            "precision_by_confidence": {
                kind: [
                    {"band": [b.low, min(b.high, 1.0)], "found": b.found, "right": b.right}
                    for b in bands
                ]
                for kind, bands in self.bands.items()
            },
        }


def _rows(store: GraphStore, query: str) -> list[dict[str, str]]:
    result = store.query(SPARQL_PREFIXES + query)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class FoundMeeting:
    """A meeting node as the scorer sees it: its places (folded), days and states."""

    places: set[str] = field(default_factory=set)
    days: set[str] = field(default_factory=set)
    states: set[str] = field(default_factory=set)


def found_facts(store: GraphStore) -> dict[str, Any]:
    """Leaders, pledges and meetings as plain values, read back from the graph the way the
    gold's scorer reads a dump: every leader node with the states it represents, every
    state pledge with its types, every meeting node with places, days and the states of its
    participants (a leader counting as its state)."""
    leaders: dict[str, tuple[str, set[str]]] = {}
    for row in _rows(
        store,
        "SELECT ?l ?name ?iso WHERE { "
        f"{distinct('?l ?name', '?l a kg:Leader ; rdfs:label ?name')} "
        "OPTIONAL { ?l kg:represents ?s . ?s kg:isoCode ?iso } }",
    ):
        name, states = leaders.setdefault(row["l"], (row["name"], set()))
        if "iso" in row:
            states.add(row["iso"])
    pledges = _rows(
        store,
        "SELECT DISTINCT ?p ?iso ?stance ?type WHERE { ?p a kg:Pledge ; kg:pledgedBy ?s ; "
        "kg:stance ?stance . ?s kg:isoCode ?iso OPTIONAL { ?p kg:contributionType ?type } }",
    )
    confidence = {
        row["x"]: float(row["c"])
        for row in _rows(
            store,
            "SELECT ?x (MAX(?v) AS ?c) WHERE { ?x kg:confidence ?v } GROUP BY ?x",
        )
    }
    # The gold lists states by ISO code, as the contract's example query reads them: pledges
    # of organizations (EU, NATO) are outside its scope and are reported apart.
    organization_pledges = _rows(
        store,
        "SELECT DISTINCT ?label ?stance WHERE { ?p a kg:Pledge ; kg:pledgedBy ?actor ; "
        "kg:stance ?stance . ?actor a kg:Organization ; rdfs:label ?label }",
    )
    meetings: dict[str, FoundMeeting] = {}
    for row in _rows(
        store,
        f"SELECT ?m ?place ?date WHERE {{ {distinct('?m', '?m a kg:Meeting')} "
        f"OPTIONAL {distinct('?m ?place', '?m kg:location ?place')} "
        f"OPTIONAL {distinct('?m ?date', '?m kg:date ?date')} }}",
    ):
        meeting = meetings.setdefault(row["m"], FoundMeeting())
        if row.get("place"):
            meeting.places.add(fold_words(row["place"]))
        if row.get("date"):
            meeting.days.add(row["date"][:10])
    for row in _rows(
        store,
        "SELECT DISTINCT ?m ?iso WHERE { "
        f"{distinct('?m ?x', '?m a kg:Meeting ; kg:participant ?x')} "
        "{ ?x kg:isoCode ?iso } UNION { ?x kg:represents ?s . ?s kg:isoCode ?iso } }",
    ):
        meetings.setdefault(row["m"], FoundMeeting()).states.add(row["iso"])
    return {
        "leaders": list(leaders.values()),
        "pledges": [
            (r["iso"], _local(r["stance"]), _local(r["type"]) if r.get("type") else None)
            for r in pledges
        ],
        "meetings": meetings,
        "organization_pledges": sorted(
            f"{r['label']} {_local(r['stance'])}" for r in organization_pledges
        ),
        "pledge_confidence": {
            (r["iso"], _local(r["stance"]), confidence.get(r["p"], 0.0)) for r in pledges
        },
        "meeting_confidence": {m: confidence.get(m, 0.0) for m in meetings},
    }


def _score_leaders(gold: dict[str, Any], found: list[tuple[str, set[str]]]) -> Score:
    """Each found leader matches the first gold entry of the same person and state; one that
    matches none (and is not an optional entry's person) is spurious."""
    score = Score()
    entries = gold["leaders"]
    matched: set[int] = set()
    for name, states in found:
        hit = next(
            (
                i
                for i, g in enumerate(entries)
                if same_person(name, g["name"]) and g.get("state") in states
            ),
            None,
        )
        if hit is None or hit in matched:
            optional = any(same_person(name, g["name"]) and g.get("optional") for g in entries)
            if hit is None and not optional:
                score.fp += 1
                score.spurious.append(f"{name} {sorted(states)}")
            continue
        matched.add(hit)
        if not entries[hit].get("optional"):
            score.tp += 1
    for i, entry in enumerate(entries):
        if not entry.get("optional") and i not in matched:
            score.fn += 1
            score.missed.append(entry["name"])
    return score


def _score_pledges(
    gold: dict[str, Any], found: list[tuple[str, str, str | None]]
) -> tuple[Score, Score]:
    """(state, stance) pairs and (state, stance, type) triples as sets: required, optional
    (allowed), and found."""
    pairs: set[tuple[str, ...]] = {(iso, stance) for iso, stance, _ in found}
    triples: set[tuple[str, ...]] = {(iso, stance, kind) for iso, stance, kind in found if kind}
    entries = gold["pledges"]
    required: set[tuple[str, ...]] = {
        (g["state"], g["stance"]) for g in entries if not g.get("optional")
    }
    allowed: set[tuple[str, ...]] = {
        (g["state"], g["stance"]) for g in entries if g.get("optional")
    }
    required_types: set[tuple[str, ...]] = {
        (g["state"], g["stance"], t) for g in entries if not g.get("optional") for t in g["types"]
    }
    allowed_types: set[tuple[str, ...]] = {
        (g["state"], g["stance"], t)
        for g in entries
        for t in g.get("optional_types", []) + (g["types"] if g.get("optional") else [])
    }
    stance = _set_score(pairs, required, allowed)
    typed = _set_score(triples, required_types, allowed_types)
    return stance, typed


def _set_score(
    found: set[tuple[str, ...]], required: set[tuple[str, ...]], allowed: set[tuple[str, ...]]
) -> Score:
    return Score(
        tp=len(found & required),
        fp=len(found - required - allowed),
        fn=len(required - found),
        spurious=sorted(" ".join(f) for f in found - required - allowed),
        missed=sorted(" ".join(f) for f in required - found),
    )


def _place_matches(meeting: FoundMeeting, entry: dict[str, Any]) -> bool:
    names = [fold_words(entry["place"])] + [fold_words(x) for x in entry.get("also_place", [])]
    return any(n in place or (place and place in n) for place in meeting.places for n in names)


def _score_meetings(
    gold: dict[str, Any], found: dict[str, FoundMeeting]
) -> tuple[Score, Score, set[str]]:
    """Gold meetings in order (dated first, required before optional) each take the first
    unused found meeting at their place (and day, when they give one; an undated one prefers
    the found meeting with fewest days). Participants are scored on matched meetings; those
    of a required gold meeting that was not found all count as missed. Also gives the found
    meetings that matched."""
    meeting_score, participant_score = Score(), Score()
    entries = gold["meetings"]
    order = sorted(
        range(len(entries)),
        key=lambda i: (entries[i].get("date") is None, bool(entries[i].get("optional"))),
    )
    used: set[str] = set()
    for i in order:
        entry = entries[i]
        days = {entry["date"], *entry.get("alt_dates", [])} if entry.get("date") else None
        candidates = [
            m
            for m, meeting in found.items()
            if m not in used
            and _place_matches(meeting, entry)
            and (days is None or days & meeting.days)
        ]
        if entry.get("date") is None:
            candidates.sort(key=lambda m: len(found[m].days))
        where = f"{entry['place']} {entry.get('date')}"
        required = set(entry.get("participants", []))
        if not candidates:
            if not entry.get("optional"):
                meeting_score.fn += 1
                meeting_score.missed.append(where)
                participant_score.fn += len(required)
                participant_score.missed += [f"{where}: {s}" for s in sorted(required)]
            continue
        chosen = found[candidates[0]]
        used.add(candidates[0])
        if not entry.get("optional"):
            meeting_score.tp += 1
        allowed = required | set(entry.get("optional_participants", []))
        participant_score.tp += len(chosen.states & required)
        participant_score.fp += len(chosen.states - allowed)
        participant_score.spurious += [f"{where}: {s}" for s in sorted(chosen.states - allowed)]
        participant_score.fn += len(required - chosen.states)
        participant_score.missed += [f"{where}: {s}" for s in sorted(required - chosen.states)]
    for m, meeting in found.items():
        if m not in used:
            meeting_score.fp += 1
            meeting_score.spurious.append(f"{sorted(meeting.places)} {sorted(meeting.days)}")
    return meeting_score, participant_score, used


def score(gold: dict[str, Any], found: dict[str, Any]) -> Report:
    """Score found facts against gold answers, by the rules of the gold file's ``about`` (the
    same reading as the project's yardstick)."""
    stance, kind = _score_pledges(gold, found["pledges"])
    meetings, participants, matched = _score_meetings(gold, found["meetings"])
    entries = gold["pledges"]
    accepted = {(g["state"], g["stance"]) for g in entries}
    bands = {
        "pledges": calibrate(
            (c, (iso, stance) in accepted) for iso, stance, c in found.get("pledge_confidence", ())
        ),
        "meetings": calibrate(
            (c, m in matched) for m, c in found.get("meeting_confidence", {}).items()
        ),
    }
    return Report(
        {
            "leaders": _score_leaders(gold, found["leaders"]),
            "pledge_stance": stance,
            "pledge_type": kind,
            "meetings": meetings,
            "participants": participants,
        },
        out_of_scope=list(found.get("organization_pledges", [])),
        bands=bands,
    )


def evaluate_paths(gold_path: Path, paths: Iterable[Path], settings: Settings) -> Report:
    """Ingest ``paths`` into a temporary in-memory store and score it against the gold file."""
    try:
        gold = json.loads(gold_path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{gold_path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    for key in ("leaders", "pledges", "meetings"):
        if not isinstance(gold.get(key), list):
            raise ValueError(f"{gold_path}: field {key!r} must be a list")
    articles, errors = read_all(list(paths), settings)
    if errors:
        raise ValueError(str(errors[0]))
    store = EmbeddedStore(None)
    ingest(articles, local(settings), StoreSink(store, settings))
    return score(gold, found_facts(store))


def format_bands(report: Report) -> list[str]:
    """Precision by confidence band, a line per kind: "0.85-1.00: 30/30"."""
    lines: list[str] = []
    for kind, bands in report.bands.items():
        cells = [
            f"{b.low:.2f}-{min(b.high, 1.0):.2f}: {b.right}/{b.found}" for b in bands if b.found
        ]
        lines.append(f"{'by confidence':<14} {kind}: " + (", ".join(cells) or "none found"))
    return lines


def format_report(report: Report, *, show_errors: bool = True) -> str:
    """The table `kg eval` prints, then what was missed and what was spurious."""
    lines = [
        f"{'kind':<14} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for kind, s in report.scores.items():
        lines.append(
            f"{kind:<14} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} "
            f"{s.tp:>4} {s.fp:>4} {s.fn:>4}"
        )
    lines.append(f"{'macro F1':<14} {'':>9} {'':>7} {report.macro_f1:>6.3f}")
    lines += format_bands(report)
    if show_errors:
        for kind, s in report.scores.items():
            for item in s.missed:
                lines.append(f"missed   {kind}: {item}")
            for item in s.spurious:
                lines.append(f"spurious {kind}: {item}")
        for item in report.out_of_scope:
            lines.append(f"not scored (organization pledge; the gold lists states): {item}")
    return "\n".join(lines)
