"""``kg eval``: build a temporary graph from articles and score it against gold answers,
by the rules in the gold file's ``about`` (precision, recall and F1 for leaders, pledge
stance, pledge type, meetings and meeting participants).

>>> same_person("Bart DeWever", "Bart De Wever"), same_person("Sánchez", "Pedro Sanchez")
(True, True)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import QuerySolutions

from kg.config import Settings
from kg.gazetteer import fold
from kg.pipeline import ingest_articles, read_all
from kg.rdf import SPARQL_PREFIXES, distinct
from kg.store import EmbeddedStore, GraphStore

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
KINDS = ("leaders", "pledge_stance", "pledge_type", "meetings", "participants")


def _name_parts(name: str) -> list[str]:
    parts = [fold(p) for p in re.split(r"[\s\-]+", name)]
    return [p for p in parts if p and p not in _SUFFIXES and len(p) > 1]


def same_person(found: str, gold: str) -> bool:
    """Names match with accents, case and punctuation folded, middle initials and suffixes
    ignored, and a surname alone matching the same surname."""
    a, b = _name_parts(found), _name_parts(gold)
    if not a or not b:
        return False
    if "".join(a) == "".join(b):
        return True
    if len(a) == 1 or len(b) == 1:
        return (
            a[-1] == b[-1] or "".join(a) in ("".join(b[1:]), b[-1]) or "".join(b) == "".join(a[1:])
        )
    return a[0] == b[0] and a[-1] == b[-1]


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
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores per fact kind."""

    scores: dict[str, Score]
    out_of_scope: list[str] = field(default_factory=list)

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
        }


def _rows(store: GraphStore, query: str) -> list[dict[str, str]]:
    result = store.query(SPARQL_PREFIXES + query)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def found_facts(store: GraphStore) -> dict[str, Any]:
    """Leaders, pledges and meetings as plain values, read back from the graph."""
    leaders = _rows(
        store,
        "SELECT DISTINCT ?name ?actor WHERE { "
        f"{distinct('?l', '?l a kg:Leader')} {distinct('?l ?name', '?l rdfs:label ?name')} "
        f"{distinct('?l ?actor', '?l kg:represents ?actor')} }}",
    )
    # The gold lists states by ISO code, as the contract's example query reads them: pledges
    # of organizations (EU, NATO) are outside its scope and are reported apart.
    pledges = _rows(
        store,
        "SELECT DISTINCT ?p ?actor ?stance ?type WHERE { ?p a kg:Pledge ; kg:pledgedBy ?actor ; "
        "kg:stance ?stance ; kg:contributionType ?type . ?actor kg:isoCode ?code }",
    )
    organization_pledges = _rows(
        store,
        "SELECT DISTINCT ?label ?stance WHERE { ?p a kg:Pledge ; kg:pledgedBy ?actor ; "
        "kg:stance ?stance . ?actor a kg:Organization ; rdfs:label ?label }",
    )
    meetings = _rows(
        store,
        f"SELECT DISTINCT ?m ?place ?date WHERE {{ {distinct('?m', '?m a kg:Meeting')} "
        f"OPTIONAL {distinct('?m ?place', '?m kg:location ?place')} "
        f"OPTIONAL {distinct('?m ?date', '?m kg:date ?date')} }}",
    )
    participants = _rows(
        store,
        "SELECT DISTINCT ?m ?actor WHERE { "
        f"{distinct('?m', '?m a kg:Meeting')} {distinct('?m ?x', '?m kg:participant ?x')} "
        f"{{ {distinct('?x', '?x a kg:Leader')} "
        f"{distinct('?x ?actor', '?x kg:represents ?actor')} }} "
        "UNION { ?x a ?t FILTER(?t IN (kg:State, kg:Organization)) BIND(?x AS ?actor) } }",
    )
    by_meeting: dict[str, set[str]] = {}
    for row in participants:
        by_meeting.setdefault(row["m"], set()).add(_local(row["actor"]))
    return {
        "leaders": [(r["name"], _local(r["actor"])) for r in leaders],
        "pledges": [
            (r["p"], _local(r["actor"]), _local(r["stance"]), _local(r["type"])) for r in pledges
        ],
        "meetings": [
            (r["m"], r.get("place"), r.get("date"), by_meeting.get(r["m"], set())) for r in meetings
        ],
        "organization_pledges": sorted(
            f"{r['label']} {_local(r['stance'])}" for r in organization_pledges
        ),
    }


def _score_leaders(gold: dict[str, Any], found: list[tuple[str, str]]) -> Score:
    score = Score()
    entries = gold["leaders"]
    matched: set[int] = set()
    for name, state in sorted(set(found)):
        hit = next(
            (
                i
                for i, g in enumerate(entries)
                if g["state"] == state and same_person(name, g["name"])
            ),
            None,
        )
        if hit is None:
            score.fp += 1
            score.spurious.append(f"{name} ({state})")
        else:
            matched.add(hit)
    for i, entry in enumerate(entries):
        if i in matched and not entry.get("optional"):
            score.tp += 1
        elif i not in matched and not entry.get("optional"):
            score.fn += 1
            score.missed.append(f"{entry['name']} ({entry['state']})")
    return score


def _score_pledges(
    gold: dict[str, Any], found: list[tuple[str, str, str, str]]
) -> tuple[Score, Score]:
    stance_score, type_score = Score(), Score()
    gold_pairs: dict[tuple[str, str], bool] = {}
    gold_types: dict[tuple[str, str, str], bool] = {}
    for entry in gold["pledges"]:
        pair = (entry["state"], entry["stance"])
        optional = bool(entry.get("optional"))
        gold_pairs[pair] = gold_pairs.get(pair, True) and optional
        for kind in entry.get("types", []):
            key = (*pair, kind)
            gold_types[key] = gold_types.get(key, True) and optional
        for kind in entry.get("optional_types", []):
            gold_types.setdefault((*pair, kind), True)
    found_pairs = {(a, s) for _, a, s, _ in found}
    found_triples = {(a, s, t) for _, a, s, t in found}
    for pair in sorted(found_pairs):
        if pair in gold_pairs:
            stance_score.tp += 0 if gold_pairs[pair] else 1
        else:
            stance_score.fp += 1
            stance_score.spurious.append(f"{pair[0]} {pair[1]}")
    for pair, optional in sorted(gold_pairs.items()):
        if not optional and pair not in found_pairs:
            stance_score.fn += 1
            stance_score.missed.append(f"{pair[0]} {pair[1]}")
    for triple in sorted(found_triples):
        if triple in gold_types:
            type_score.tp += 0 if gold_types[triple] else 1
        else:
            type_score.fp += 1
            type_score.spurious.append(" ".join(triple))
    for triple, optional in sorted(gold_types.items()):
        if not optional and triple not in found_triples:
            type_score.fn += 1
            type_score.missed.append(" ".join(triple))
    return stance_score, type_score


def _place_matches(found: str | None, entry: dict[str, Any]) -> bool:
    if not found:
        return False
    names = [entry["place"], *entry.get("also_place", [])]
    a = fold(found)
    return any(a and (a in fold(n) or fold(n) in a) for n in names)


def _score_meetings(
    gold: dict[str, Any], found: list[tuple[str, str | None, str | None, set[str]]]
) -> tuple[Score, Score]:
    meeting_score, participant_score = Score(), Score()
    entries = gold["meetings"]
    taken: set[int] = set()
    pairs: list[tuple[dict[str, Any], set[str]]] = []
    # Dated gold meetings first, so an undated found meeting cannot take a dated one's place.
    order = sorted(range(len(entries)), key=lambda i: entries[i].get("date") is None)
    for _, place, when, actors in sorted(found, key=lambda f: (f[2] is None, f[1] or "")):
        hit = next(
            (
                i
                for i in order
                if i not in taken
                and _place_matches(place, entries[i])
                and (entries[i].get("date") is None or entries[i]["date"] == when)
            ),
            None,
        )
        label = f"{place or '?'} {when or 'undated'}"
        if hit is None:
            meeting_score.fp += 1
            meeting_score.spurious.append(label)
            continue
        taken.add(hit)
        pairs.append((entries[hit], actors))
    for i, entry in enumerate(entries):
        if entry.get("optional"):
            continue
        if i in taken:
            meeting_score.tp += 1
        else:
            meeting_score.fn += 1
            meeting_score.missed.append(f"{entry['place']} {entry.get('date') or 'undated'}")
    for entry, actors in pairs:
        required = set(entry.get("participants", []))
        allowed = required | set(entry.get("optional_participants", []))
        where = f"{entry['place']} {entry.get('date') or 'undated'}"
        for actor in sorted(actors):
            if actor in required:
                participant_score.tp += 1
            elif actor not in allowed:
                participant_score.fp += 1
                participant_score.spurious.append(f"{where}: {actor}")
        for actor in sorted(required - actors):
            participant_score.fn += 1
            participant_score.missed.append(f"{where}: {actor}")
    return meeting_score, participant_score


def score(gold: dict[str, Any], found: dict[str, Any]) -> Report:
    """Score found facts against gold answers."""
    stance, kind = _score_pledges(gold, found["pledges"])
    meetings, participants = _score_meetings(gold, found["meetings"])
    return Report(
        {
            "leaders": _score_leaders(gold, found["leaders"]),
            "pledge_stance": stance,
            "pledge_type": kind,
            "meetings": meetings,
            "participants": participants,
        },
        out_of_scope=list(found.get("organization_pledges", [])),
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
    ingest_articles(articles, store, settings)
    return score(gold, found_facts(store))


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
    if show_errors:
        for kind, s in report.scores.items():
            for item in s.missed:
                lines.append(f"missed   {kind}: {item}")
            for item in s.spurious:
                lines.append(f"spurious {kind}: {item}")
        for item in report.out_of_scope:
            lines.append(f"not scored (organization pledge; the gold lists states): {item}")
    return "\n".join(lines)
