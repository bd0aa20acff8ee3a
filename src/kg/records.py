"""Plain records passed between the pipeline's stages: articles in, extracted facts out.

Records are frozen dataclasses of built-in types so they pickle cheaply between processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Stance(StrEnum):
    """A pledge's stance; values are the local names of the contract's concepts."""

    COMMITTED = "Committed"
    CONSIDERING = "Considering"
    DECLINED = "Declined"


class ContributionType(StrEnum):
    """What is offered; values are the local names of the concepts in kg:ContributionTypes."""

    GROUND_TROOPS = "GroundTroops"
    AIR_POWER = "AirPower"
    MARITIME = "Maritime"
    DEMINING = "Demining"
    TRAINING = "Training"
    MONITORING = "Monitoring"
    FUNDING = "Funding"
    RECONSTRUCTION = "Reconstruction"
    EQUIPMENT = "Equipment"
    BACKSTOP = "Backstop"
    UNSPECIFIED_MILITARY = "UnspecifiedMilitary"


@dataclass(frozen=True)
class Article:
    """One input article as read from disk, before cleaning.

    ``origin`` names it in messages; ``path`` is the input file it was read from, relative to
    where it was ingested, and ``line`` its line in a JSONL file (see :mod:`kg.identity`)."""

    text: str
    origin: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Prepared:
    """An article cleaned and ready for annotation."""

    article: Article
    source_id: str
    text: str
    language: str
    passages_skipped: int
    reference_date: date | None


@dataclass(frozen=True)
class Actor:
    """A state (``kind='state'``, key = ISO alpha-2) or an organization (key = slug)."""

    kind: str
    key: str

    @property
    def is_state(self) -> bool:
        return self.kind == "state"


@dataclass(frozen=True)
class LeaderRecord:
    """A person acting for an actor, with the role the text or gazetteer gives."""

    name: str
    actor: Actor | None
    role: str | None
    wikidata: str | None = None


@dataclass(frozen=True)
class PledgeRecord:
    """One actor's stated position on contributing something, with its evidence."""

    actor: Actor
    stance: Stance
    types: tuple[ContributionType, ...]
    evidence: str
    sentence_index: int
    announced_by: str | None = None
    quantity: str | None = None
    condition: str | None = None
    date: date | None = None
    meeting_key: str | None = None
    confidence: float | None = None  # in [0, 1], from how it was found (extract.confidence)


# How precisely a fact is placed in time (its own day, or only the day it was reported) and in
# space (a city, a venue, a whole country, or a call with no place).
DAY, REPORTED = "day", "reported"
CITY, VENUE, COUNTRY, REMOTE = "city", "venue", "country", "remote"

# The place of a meeting held by video or by phone: such meetings are told apart by date and
# participants, not by where they were.
VIRTUAL, PHONE = "virtual", "telephone"


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting, summit, call or talks, merged over its mentions in one article."""

    key: str
    kind: str
    location: str | None
    date: date | None
    host: str | None
    participants: tuple[Actor, ...]
    leaders: tuple[str, ...]
    evidence: tuple[str, ...]
    venue: str | None = None
    confidence: float | None = None  # in [0, 1], from how it was found (extract.confidence)
    place_precision: str | None = None  # city, venue, country or remote


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article; the unit that is stored atomically."""

    source_id: str
    article: Article
    clean_text: str
    language: str
    passages_skipped: int
    reference_date: date | None
    leaders: tuple[LeaderRecord, ...] = ()
    pledges: tuple[PledgeRecord, ...] = ()
    meetings: tuple[MeetingRecord, ...] = ()
    mentions: tuple[Actor, ...] = field(default=())
