"""The reference data the extractors look names up in: states, organizations and leaders.

All of it is shipped as JSON in ``kg/data`` (see its README for provenance); nothing is
downloaded at run time.

>>> gaz = load_gazetteer()
>>> gaz.states["ES"].name
'Spain'
>>> gaz.state_for_name("U.K."), gaz.state_for_demonym("Dutch")
('GB', 'NL')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from kg.data import read_json

# ``fold`` is re-exported: the ingest path imports it from here.
from kg.normalise import fold as fold
from kg.normalise import slugify


@dataclass(frozen=True)
class StateInfo:
    """One ISO 3166-1 state."""

    alpha2: str
    alpha3: str
    name: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    wikidata: str | None


@dataclass(frozen=True)
class OrganizationInfo:
    """A multinational body that acts like a state."""

    slug: str
    label: str
    aliases: tuple[str, ...]
    wikidata: str | None
    aggregate: bool = False


@dataclass(frozen=True)
class EarlierOffice:
    """An office a known person held until a day (the day the next one began)."""

    until: date
    state: str | None
    org: str | None
    role: str


@dataclass(frozen=True)
class LeaderInfo:
    """A known person acting for a state or organization, with the offices held before."""

    name: str
    variants: tuple[str, ...]
    state: str | None
    org: str | None
    role: str | None
    wikidata: str | None
    former: bool
    earlier: tuple[EarlierOffice, ...] = ()  # the first held first

    def as_of(self, day: date | None) -> LeaderInfo:
        """The person as an article of ``day`` knows them: the office held on that day (the
        gazetteer's current office when the day is unknown or later)."""
        if day is None:
            return self
        for office in self.earlier:  # in the order they were held
            if day < office.until:
                return replace(
                    self,
                    state=office.state,
                    org=office.org,
                    role=office.role,
                    former=office.role.startswith("former "),
                    earlier=(),
                )
        return self


@dataclass
class Gazetteer:
    """Lookup tables over the reference data; keys are case-folded unless noted."""

    states: dict[str, StateInfo]
    organizations: dict[str, OrganizationInfo]
    leaders: tuple[LeaderInfo, ...]
    non_actor_phrases: tuple[str, ...] = ()
    seats: dict[str, str] = field(default_factory=dict)
    venues: dict[str, str] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _exact_names: dict[str, str] = field(default_factory=dict)
    _demonyms: dict[str, str] = field(default_factory=dict)
    _capitals: dict[str, str] = field(default_factory=dict)
    _leaders: dict[str, LeaderInfo] = field(default_factory=dict)
    _surnames: dict[str, list[LeaderInfo]] = field(default_factory=dict)
    _name_slugs: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for state in self.states.values():
            for name in (state.name, *state.names):
                self._name_slugs.add(slugify(name))
                if _is_abbreviation(name):
                    self._exact_names.setdefault(name, state.alpha2)
                else:
                    self._names.setdefault(name.lower(), state.alpha2)
            for demonym in state.demonyms:
                self._demonyms.setdefault(demonym.lower(), state.alpha2)
            for capital in state.capitals:
                self._capitals.setdefault(capital.lower(), state.alpha2)
        for leader in self.leaders:
            for variant in (leader.name, *leader.variants):
                self._leaders.setdefault(fold(variant), leader)
            surname = leader.name.split()[-1]
            self._surnames.setdefault(fold(surname), []).append(leader)

    def state_for_name(self, text: str) -> str | None:
        """The alpha-2 code of a state named ``text`` ("Spain", "the U.S.", "UK")."""
        for cleaned in _forms(text):
            found = self._exact_names.get(cleaned) or self._names.get(cleaned.lower())
            if found:
                return found
        return None

    def state_for_demonym(self, text: str) -> str | None:
        """The alpha-2 code of the state an adjective or demonym points to ("Spanish")."""
        return self._demonyms.get(text.strip().lower())

    @property
    def aggregate_orgs(self) -> frozenset[str]:
        """Slugs of organizations that stand for unnamed groups of states."""
        return frozenset(o.slug for o in self.organizations.values() if o.aggregate)

    def venue_city(self, text: str) -> str | None:
        """The city a venue or seat of government is in ("Elysee Palace" -> "Paris")."""
        for cleaned in _forms(text):
            for venue, city in self.venues.items():
                if fold(venue) == fold(cleaned):
                    return city
        return None

    def states_in_text(self, text: str) -> list[str]:
        """The states a short text names, in order, by name, demonym, capital or seat of
        government ("Joint Statement of Latvia and Estonia" -> ["LV", "EE"]).

        >>> load_gazetteer().states_in_text("President of Russia (the Kremlin)")
        ['RU']
        """
        words = re.findall(r"[\w.'\u2019-]+", text)
        found: list[tuple[int, str]] = []
        taken: set[int] = set()
        for size in (4, 3, 2, 1):
            for start in range(0, len(words) - size + 1):
                if taken & set(range(start, start + size)):
                    continue
                phrase = " ".join(words[start : start + size]).rstrip(",")
                code = (
                    self.state_for_name(phrase)
                    or self.state_for_demonym(phrase)
                    or self.seats.get(phrase)
                    or self._capitals.get(phrase.lower())
                )
                if code:
                    found.append((start, code))
                    taken.update(range(start, start + size))
        ordered: list[str] = []
        for _, code in sorted(found):
            if code not in ordered:
                ordered.append(code)
        return ordered

    def is_state_name(self, text: str) -> bool:
        """True when ``text`` is the whole name of a state ("France", not "Paris, France")."""
        return slugify(text) in self._name_slugs

    def state_in_text(self, text: str) -> str | None:
        """The first state a short text names ("U.S. Department of State" -> "US")."""
        found = self.states_in_text(text)
        return found[0] if found else None

    def leader_for(self, name: str) -> LeaderInfo | None:
        """A known leader by full name or listed variant ("Zelenskyy", "Bart DeWever")."""
        return self._leaders.get(fold(name))

    def leader_for_surname(self, surname: str) -> LeaderInfo | None:
        """The one known leader with this surname, or None when unknown or ambiguous."""
        found = self._surnames.get(fold(surname), [])
        return found[0] if len(found) == 1 else None

    def names_for_matching(self) -> dict[str, list[tuple[str, str]]]:
        """Every surface form to look for in text, by label, with the key it stands for."""
        forms: dict[str, list[tuple[str, str]]] = {
            "STATE": [],
            "DEMONYM": [],
            "CAPITAL": [],
            "ORG": [],
            "LEADER": [],
            "BLOCK": [],
        }
        for state in self.states.values():
            forms["STATE"] += [(n, state.alpha2) for n in {state.name, *state.names}]
            forms["DEMONYM"] += [(d, state.alpha2) for d in state.demonyms]
            forms["CAPITAL"] += [(c, state.alpha2) for c in state.capitals]
        for org in self.organizations.values():
            forms["ORG"] += [(a, org.slug) for a in {org.label, *org.aliases}]
        for leader in self.leaders:
            forms["LEADER"] += [(v, leader.name) for v in {leader.name, *leader.variants}]
        forms["SEAT"] = [(seat, state) for seat, state in self.seats.items()]
        forms["VENUE"] = [(v, city) for v, city in self.venues.items() if v not in self.seats]
        forms["BLOCK"] += [(p, p) for p in self.non_actor_phrases]
        return forms


def _is_abbreviation(text: str) -> bool:
    letters = text.replace(".", "")
    return len(letters) <= 4 and letters.isupper()


def _forms(text: str) -> list[str]:
    """The text as written, then without quotes, a final full stop or a leading "the"."""
    quoted = text.strip().strip(",;:'\"\u2018\u2019\u201c\u201d").strip()
    forms = [quoted, quoted.rstrip(".")]
    for form in list(forms):
        if form.lower().startswith("the "):
            forms.append(form[4:].strip())
    return forms


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer built from the shipped data files (cached per process)."""
    states = {
        s["alpha2"]: StateInfo(
            alpha2=s["alpha2"],
            alpha3=s["alpha3"],
            name=s["name"],
            names=tuple(s.get("names") or ()),
            demonyms=tuple(s.get("demonyms") or ()),
            capitals=tuple(s.get("capitals") or ()),
            wikidata=s.get("wikidata"),
        )
        for s in read_json("states.json")
    }
    organizations = {
        o["slug"]: OrganizationInfo(
            slug=o["slug"],
            label=o["label"],
            aliases=tuple(o.get("aliases") or ()),
            wikidata=o.get("wikidata"),
            aggregate=bool(o.get("aggregate", False)),
        )
        for o in read_json("organizations.json")
    }
    leaders = tuple(
        LeaderInfo(
            name=p["name"],
            variants=tuple(p.get("variants") or ()),
            state=p.get("state"),
            org=p.get("org"),
            role=p.get("role"),
            wikidata=p.get("wikidata"),
            former=bool(p.get("former", False)),
            earlier=tuple(
                sorted(
                    (
                        EarlierOffice(
                            until=date.fromisoformat(o["until"]),
                            state=o.get("state"),
                            org=o.get("org"),
                            role=o["role"],
                        )
                        for o in p.get("earlier") or ()
                    ),
                    key=lambda office: office.until,
                )
            ),
        )
        for p in read_json("leaders.json")["leaders"]
    )
    blocked = tuple(read_json("lexicon.json").get("non_actor_phrases", ()))
    places = read_json("places.json")
    return Gazetteer(
        states=states,
        organizations=organizations,
        leaders=leaders,
        non_actor_phrases=blocked,
        seats=dict(places["seats"]),
        venues=dict(places["venues"]),
    )
