"""Response and request models of the REST API, named by role (``...Public`` is what a client
sees; ``...Ref`` is a short link to another resource)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from kg.records import ContributionType, Stance

E = TypeVar("E", bound=StrEnum)


def _folded(text: str) -> str:
    """A name without case, spaces, hyphens or underscores.

    >>> _folded(" Ground-troops"), _folded("GROUND_TROOPS"), _folded("ground troops")
    ('groundtroops', 'groundtroops', 'groundtroops')
    """
    return "".join(c for c in text.casefold() if c.isalnum())


def _typed_as(enum: type[E]) -> BeforeValidator:
    """Reads a member of ``enum`` as people type it: in any case, with spaces, hyphens or
    underscores between its words, with or without ``kg:``; anything else is left for the
    enum to refuse.

    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(StanceName).validate_python("kg:committed")
    <Stance.COMMITTED: 'Committed'>
    >>> TypeAdapter(ContributionTypeName).validate_python("ground troops")
    <ContributionType.GROUND_TROOPS: 'GroundTroops'>
    """

    def member(value: object) -> object:
        if not isinstance(value, str):
            return value
        wanted = _folded(value.strip().removeprefix("kg:"))
        return next((m for m in enum if _folded(m.value) == wanted), value)

    return BeforeValidator(member)


StanceName = Annotated[Stance, _typed_as(Stance)]
"""A pledge's stance, the core enum (``Committed``); matched in any case (``committed``)."""
ContributionTypeName = Annotated[ContributionType, _typed_as(ContributionType)]
"""What is offered, the core enum: the local names of ``kg:ContributionTypes``; matched as
people type them (``GroundTroops``, ``ground-troops``, ``ground troops``, any case)."""


class Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class ActorRef(Public):
    """A state, organization or leader another resource points to."""

    iri: str
    kind: Literal["state", "organization", "leader", "other"]
    id: str | None = Field(None, description="Code (states), slug (organizations, leaders).")
    name: str


DateSource = Literal["published", "text"]


class SourceRef(Public):
    """The article a fact was extracted from."""

    id: str | None
    iri: str
    title: str | None = Field(
        None, description="From the header, the HTML page, or the first line if a headline."
    )
    label: str = Field(
        description="What to call it: its title, else its first words in quotes, else its locator."
    )
    url: str | None = None
    locator: str | None = Field(
        None,
        description="Its name across edits: the URL (normalised), else the input file it was "
        "read from (and line, for JSONL).",
    )
    publisher: str | None = None
    date: dt.date | None = Field(
        None, description="Its date: as published, else the latest full date its text states."
    )
    date_source: DateSource | None = Field(
        None,
        description="Where `date` comes from: `published` (given with the article), `text` "
        "(none was given; the latest full date the text states), or null: the article "
        "gives no date.",
    )


class MeetingRef(Public):
    id: str | None
    iri: str
    label: str
    date: dt.date | None = None


class Page(Public):
    """Paging of a list: the window asked for and how many items there are in all."""

    limit: int
    offset: int
    total: int


class CountryPublic(Public):
    """A state with how many leaders, pledges and meetings the graph holds for it."""

    code: str = Field(description="ISO 3166-1 alpha-2.")
    alpha3: str | None = None
    name: str
    iri: str
    wikidata: str | None = None
    leaders: int = 0
    pledges: int = 0
    meetings: int = 0


class CountriesPublic(Page):
    data: list[CountryPublic]


class PledgePublic(Public):
    """One actor's stated position on contributing something, with its evidence and source."""

    id: str | None
    iri: str
    actor: ActorRef
    stance: StanceName | None
    types: list[ContributionTypeName]
    quantity: str | None = None
    condition: str | None = None
    confidence: float | None = Field(
        None, ge=0, le=1, description="How much to trust it, from how it was found (0 to 1)."
    )
    date_precision: str | None = Field(
        None, description='"day" when the text gives its own date, else "reported".'
    )
    date: dt.date | None = Field(
        None,
        description="The date it is listed under: `stated_date`, else `reported_on`.",
    )
    stated_date: dt.date | None = Field(
        None, description="The pledge's own date, when the text gives one."
    )
    reported_on: dt.date | None = Field(
        None, description="The date of the article that reports it (its source's date)."
    )
    evidence: list[str] = Field(description="The sentence(s) of the article, verbatim.")
    announced_by: list[ActorRef] = []
    made_at: list[MeetingRef] = []
    sources: list[SourceRef] = []


class PledgesPublic(Page):
    data: list[PledgePublic]


class LeaderPublic(Public):
    """A person acting for a state or organization."""

    id: str | None
    iri: str
    name: str
    roles: list[str]
    represents: list[ActorRef]
    wikidata: str | None = None


class LeadersPublic(Page):
    data: list[LeaderPublic]


class MeetingPublic(Public):
    """A summit, meeting, call or talks."""

    id: str | None
    iri: str
    label: str
    kinds: list[str]
    date: dt.date | None = None
    reported_on: dt.date | None = Field(
        None, description="For a meeting the text gives no date: its article's date."
    )
    locations: list[str]
    confidence: float | None = Field(
        None, ge=0, le=1, description="The highest score a source gives it (0 to 1)."
    )
    place_precision: list[str] = Field(
        [], description='"venue", "city", "country" or "remote", as each source places it.'
    )
    hosts: list[ActorRef]
    participants: list[ActorRef]
    evidence: list[str]
    sources: list[SourceRef]


class MeetingsPublic(Page):
    data: list[MeetingPublic]


class SourcePublic(SourceRef):
    """One ingested article: what it is called and where it was found, when and by which
    extractor it was ingested, and how many facts were extracted from it."""

    locators: list[str] = Field(
        default_factory=list, description="Every locator it was found under."
    )
    input_paths: list[str] = Field(
        default_factory=list, description="The input files it was read from."
    )
    ingested_at: dt.datetime | None = None
    extractor_version: str | None = None
    language: str | None = None
    leaders: int = 0
    pledges: int = 0
    meetings: int = 0


class SourcesPublic(Page):
    data: list[SourcePublic]


class StanceReportPublic(Public):
    """Sources that reported one stance on one type on one day (the day a pledge was
    reported on, else its own date)."""

    type: ContributionTypeName
    date: dt.date
    stance: StanceName
    sources: int


class PositionPublic(Public):
    """The stance on one type as its latest reports give it (two stances when the sources of
    that day disagree), since the day of those reports."""

    type: ContributionTypeName
    stances: list[StanceName]
    since: dt.date
    sources: int


class CountryDetailPublic(Public):
    """Everything the graph says about one state."""

    country: CountryPublic
    leaders: list[LeaderPublic]
    pledges: list[PledgePublic]
    meetings: list[MeetingPublic]
    sources: list[SourcePublic]
    as_of: dt.date | None = Field(
        default=None,
        description="With ?as_of: pledges, positions and the timeline are what had been "
        "reported on or before this day.",
    )
    positions: list[PositionPublic] = Field(
        default_factory=list, description="The stance on each type by its latest reports."
    )
    stance_timeline: list[StanceReportPublic] = Field(
        default_factory=list, description="Each type's reported stances over time."
    )


class LeaderDetailPublic(Public):
    leader: LeaderPublic
    pledges: list[PledgePublic] = Field(description="Pledges the leader announced.")
    meetings: list[MeetingPublic]
    sources: list[SourcePublic]


class MeetingDetailPublic(Public):
    meeting: MeetingPublic
    pledges: list[PledgePublic] = Field(description="Pledges made at the meeting.")


class SourceDetailPublic(Public):
    source: SourcePublic
    mentions: list[ActorRef]
    leaders: list[LeaderPublic]
    pledges: list[PledgePublic]
    meetings: list[MeetingPublic]


class HealthPublic(Public):
    status: Literal["ok"]
    store: Literal["embedded", "remote"]
    updates: bool = Field(description="Whether updates and ingestion are enabled (a token is set).")
    busy: dict[str, int] = Field(
        default_factory=dict,
        description="Slots taken now, per lane (sparql worker processes; health, lookup, "
        "export and write threads).",
    )


class StatsPublic(Public):
    sources: int
    states: int
    leaders: int
    pledges: int
    meetings: int
    quads: int


class ArticleIn(BaseModel):
    """One article to ingest, as ``kg ingest --server`` sends it."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(max_length=20_000_000)
    origin: str = Field("request", max_length=2000)
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=2000)
    publisher: str | None = Field(None, max_length=2000)
    date: str | None = Field(None, max_length=100, description="YYYY-MM-DD")
    path: str | None = Field(
        None,
        max_length=2000,
        description="The input file it was read from, relative to where it was ingested: with "
        "`line` (JSONL) or alone, the article's locator when it has no URL.",
    )
    line: int | None = Field(None, ge=1, description="Its line in a JSONL input file.")


class ScopeIn(BaseModel):
    """The folders and files an ingest read: sources read from them before that are gone
    from them now are removed."""

    roots: list[str] = Field(max_length=10_000, description="The folders and files named.")
    files: dict[str, list[str]] = Field(
        default_factory=dict, description="Every input file read, with its sources' ids."
    )
    kept: list[str] = Field(
        default_factory=list, description="Input files to leave as they are (they failed)."
    )


class IngestIn(BaseModel):
    articles: list[ArticleIn] = Field(max_length=1000)
    dry_run: bool = Field(False, description="Count what would change, and write nothing.")
    scope: ScopeIn | None = Field(None, description="Remove what is gone from these files.")
    claims: bool = Field(
        True,
        description="Compute the claims again after this batch (`kg ingest --server` sets it "
        "on its last batch only).",
    )


class IngestError(Public):
    origin: str
    reason: str


class IngestPublic(Public):
    sources: list[str] = Field(
        default_factory=list, description="The IRIs of the sources of the request, in order."
    )
    counts: dict[str, int] = Field(
        description="Sources new, changed, unchanged and removed (and in all); leaders, "
        "pledges, meetings and triples written; other-language passages left out."
    )
    errors: list[IngestError]
    notes: list[str] = Field(default_factory=list, description="Articles found twice.")
    dry_run: bool = False


class ErrorPublic(Public):
    detail: str


class EndpointsPublic(Public):
    """Where this server's endpoints are, for clients that take only its base URL (such as
    ``kg --store URL``)."""

    service: Literal["pledgekg"]
    query: str = Field(description="The SPARQL 1.1 query endpoint.")
    update: str = Field(description="The SPARQL 1.1 update endpoint (with the bearer token).")
    graph: str = Field(description="The Graph Store HTTP Protocol endpoint (read).")
    dataset: str = Field(description="Every named graph, as N-Quads.")
    union: str = Field(description="The union of all graphs, as N-Triples.")
    ingest: str = Field(description="Where articles are sent (with the bearer token).")


class ReplacementPublic(Public):
    """A source stored as a new version of another (the same IRI for an article whose URL
    names it)."""

    source: str
    previous: str


class ChangeEventPublic(Public):
    """One write (an ingest or a removal) and what it changed."""

    iri: str
    at: dt.datetime
    added: list[str] = Field(description="IRIs of the sources added.")
    replaced: list[ReplacementPublic]
    removed: list[str] = Field(description="IRIs of the sources removed.")
    claims: list[str] = Field(description="IRIs of the claims whose support changed.")


class ChangesPublic(Public):
    """The writes after ``since``, oldest first; ``claims`` joins their changed claims."""

    since: dt.datetime
    limit: int
    total: int
    latest: dt.datetime | None = Field(
        description="The time of the last write listed: the next ``since`` to ask with."
    )
    claims: list[str]
    data: list[ChangeEventPublic]
