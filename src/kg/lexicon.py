"""The word lists of ``kg/data/lexicon.json`` and ``titles.json``, loaded once per process.

Each list belongs to one mechanism of the resolve or extract stage; ``kg/data/README.md``
names them.

>>> lex = load_lexicon()
>>> "troop" in lex.types[ContributionType.GROUND_TROOPS].lemmas
True
>>> lex.activity_verbs["lend"]
<ContributionType.FUNDING: 'Funding'>
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any

from kg.data import read_json
from kg.records import ContributionType

PATROL = "patrol"


@dataclass(frozen=True)
class TypeCues:
    """How the text names one contribution type."""

    lemmas: frozenset[str]
    phrases: tuple[str, ...]
    requires_context: frozenset[str]
    excluded_objects: frozenset[str]


def _words(raw: Any) -> frozenset[str]:
    return frozenset(str(w) for w in raw)


@dataclass(frozen=True)
class MeetingWords:
    """The word lists of the meeting extractor (``lexicon.json``, key ``meetings``)."""

    place_prepositions: frozenset[str]
    visit_prepositions: frozenset[str]
    participant_prepositions: frozenset[str]
    not_participant_prepositions: frozenset[str]
    time_prepositions: frozenset[str]
    topic_prepositions: frozenset[str]
    subject_prepositions: frozenset[str]
    attendance_verbs: frozenset[str]
    receiving_verbs: frozenset[str]
    travel_verbs: frozenset[str]
    visit_verbs: frozenset[str]
    event_verbs: frozenset[str]
    sidelines_nouns: frozenset[str]
    months: frozenset[str]
    not_held_modifiers: frozenset[str]
    cancel_verbs: frozenset[str]
    intention_words: frozenset[str]
    intention_nouns: frozenset[str]
    anticipations: frozenset[str]
    encounter_phrasals: frozenset[str]
    manner_objects: frozenset[str]
    joint_acts: frozenset[str]
    performative_adjectives: frozenset[str]
    reception_nouns: frozenset[str]
    future_auxiliaries: frozenset[str]
    call_means_prepositions: frozenset[str]
    call_compounds: frozenset[str]
    press_compounds: frozenset[str]
    press_nouns: frozenset[str]
    joint_markers: frozenset[str]
    today_words: frozenset[str]
    indefinite_determiners: frozenset[str]
    definite_determiners: frozenset[str]
    group_possessives: frozenset[str]
    series_kinds: frozenset[str]
    joining_verbs: frozenset[str]
    presence_nouns: frozenset[str]
    deictic_places: frozenset[str]
    appearance_verbs: frozenset[str]
    appearance_prepositions: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Every word list, as sets; field names follow the keys of ``lexicon.json``."""

    raw: dict[str, Any]
    types: dict[ContributionType, TypeCues]
    titles: dict[str, str]
    title_data: dict[str, Any]

    def words(self, *path: str) -> frozenset[str]:
        """The list at ``path`` in the JSON, as a set."""
        node: Any = self.raw
        for key in path:
            node = node[key]
        return _words(node)

    # --- contributions ---------------------------------------------------------------

    @cached_property
    def air_platforms(self) -> frozenset[str]:
        return self.words("platforms", "air")

    @cached_property
    def sea_platforms(self) -> frozenset[str]:
        return self.words("platforms", "sea")

    @cached_property
    def air_designations(self) -> frozenset[str]:
        return self.words("designation_prefixes", "air")

    @cached_property
    def activity_verbs(self) -> dict[str, ContributionType | str]:
        """Verb lemma -> the type it names, or ``PATROL`` for verbs typed by their object."""
        found: dict[str, ContributionType | str] = {}
        for key, verbs in self.raw["activity_verbs"].items():
            if key == "about":
                continue
            kind: ContributionType | str = PATROL if key == PATROL else ContributionType(key)
            for verb in verbs:
                found[verb] = kind
        return found

    @cached_property
    def patrol_objects(self) -> dict[str, ContributionType]:
        return {
            word: ContributionType(kind)
            for kind, words in self.raw["patrol_objects"].items()
            if kind != "about"
            for word in words
        }

    @cached_property
    def deployment_nouns(self) -> frozenset[str]:
        return self.words("deployment_nouns", "lemmas")

    @cached_property
    def phrase_types(self) -> dict[str, ContributionType]:
        """Every cue phrase (lower case) -> its type, for phrases rebuilt from coordinated
        modifiers ("air and maritime capabilities")."""
        return {p: kind for kind, cues in self.types.items() for p in cues.phrases}

    @cached_property
    def trainee_nouns(self) -> frozenset[str]:
        return self.words("trainee_nouns")

    @cached_property
    def money_units(self) -> frozenset[str]:
        return self.words("money_units")

    @cached_property
    def money_value_preps(self) -> frozenset[str]:
        return self.words("money_value_preps")

    @cached_property
    def excluded_aid_modifiers(self) -> frozenset[str]:
        return self.words("excluded_aid", "modifiers")

    @cached_property
    def excluded_aid_nouns(self) -> frozenset[str]:
        return self.words("excluded_aid", "nouns")

    @cached_property
    def transfer_verbs(self) -> frozenset[str]:
        return self.words("transfer_verbs")

    @cached_property
    def deploy_verbs(self) -> frozenset[str]:
        return self.words("deploy_verbs")

    @cached_property
    def force_recipients(self) -> frozenset[str]:
        return self.words("force_recipients")

    @cached_property
    def receive_verbs(self) -> frozenset[str]:
        return self.words("receive_verbs")

    @cached_property
    def arrival_verbs(self) -> frozenset[str]:
        return self.words("arrival_verbs", "lemmas")

    # --- stance ----------------------------------------------------------------------

    @cached_property
    def commit_verbs(self) -> frozenset[str]:
        return self.words("commit", "verbs") | self.transfer_verbs | self.deploy_verbs

    @cached_property
    def commit_adjectives(self) -> frozenset[str]:
        return self.words("commit", "adjectives")

    @cached_property
    def commit_nouns(self) -> frozenset[str]:
        return self.words("commit", "nouns")

    @cached_property
    def decision_verbs(self) -> frozenset[str]:
        return self.words("decision_verbs", "lemmas")

    @cached_property
    def deferring_verbs(self) -> dict[str, frozenset[str]]:
        """Verbs that put a decision off, with the particles they need (none: any)."""
        return {k: frozenset(v) for k, v in self.raw["consider"]["deferring"].items()}

    @cached_property
    def phrasal_decisions(self) -> dict[str, tuple[str, str]]:
        """Verbs that decide with a particle and an object ("make up one's mind")."""
        return {
            k: (v["particle"], v["object"])
            for k, v in self.raw["decision_verbs"]["phrasal"].items()
        }

    @cached_property
    def decision_nouns(self) -> frozenset[str]:
        return self.words("decision_verbs", "nouns")

    @cached_property
    def consider_verbs(self) -> frozenset[str]:
        return self.words("consider", "verbs")

    @cached_property
    def consider_modals(self) -> frozenset[str]:
        return self.words("consider", "modals")

    @cached_property
    def consider_nouns(self) -> frozenset[str]:
        return self.words("consider", "nouns")

    @cached_property
    def consider_adjectives(self) -> frozenset[str]:
        return self.words("consider", "adjectives")

    @cached_property
    def consider_particles(self) -> frozenset[str]:
        return self.words("consider", "particles")

    @cached_property
    def shared_deliberation(self) -> frozenset[str]:
        """Deliberation words that, held between states, name a topic of talks rather than
        one state's own deliberation."""
        return self.words("consider", "shared")

    @cached_property
    def pending_adverbs(self) -> frozenset[str]:
        return self.words("consider", "pending")

    @cached_property
    def premature_words(self) -> frozenset[str]:
        """ "too early to send": a degree of time that puts the act off, not out."""
        return self.words("consider", "premature")

    @cached_property
    def approval_nouns(self) -> frozenset[str]:
        return self.words("consider", "approval_nouns")

    @cached_property
    def decline_verbs(self) -> frozenset[str]:
        return self.words("decline", "verbs")

    @cached_property
    def staying_verbs(self) -> frozenset[str]:
        return self.words("decline", "staying_verbs")

    @cached_property
    def home_words(self) -> frozenset[str]:
        return self.words("decline", "home_words")

    @cached_property
    def bare_refusals(self) -> frozenset[str]:
        """Refusal verbs that refuse with nothing refused named ("Germany has refused")."""
        return self.words("decline", "without_object")

    @cached_property
    def decline_particles(self) -> dict[str, frozenset[str]]:
        return {verb: _words(parts) for verb, parts in self.raw["decline"]["particles"].items()}

    @cached_property
    def decline_nouns(self) -> frozenset[str]:
        return self.words("decline", "nouns")

    @cached_property
    def decline_adjectives(self) -> frozenset[str]:
        return self.words("decline", "adjectives")

    @cached_property
    def negative_determiners(self) -> frozenset[str]:
        return self.words("decline", "negative_determiners")

    @cached_property
    def reporting_verbs(self) -> frozenset[str]:
        return self.words("frames", "reporting")

    @cached_property
    def wish_verbs(self) -> frozenset[str]:
        return self.words("frames", "wishes")

    @cached_property
    def denial_verbs(self) -> frozenset[str]:
        return self.words("frames", "denials")

    @cached_property
    def opposition_verbs(self) -> frozenset[str]:
        return self.words("frames", "opposition")

    @cached_property
    def cessation_verbs(self) -> frozenset[str]:
        return self.words("frames", "cessation")

    @cached_property
    def instrument_verbs(self) -> frozenset[str]:
        return self.words("instrument_verbs", "lemmas")

    @cached_property
    def object_control_verbs(self) -> frozenset[str]:
        return self.words("object_control_verbs", "lemmas")

    @cached_property
    def acknowledging_phrases(self) -> frozenset[str]:
        return self.words("acknowledging_phrases", "phrases")

    @cached_property
    def request_nouns(self) -> frozenset[str]:
        return self.words("request_nouns", "lemmas")

    @cached_property
    def authored_texts(self) -> frozenset[str]:
        return self.words("authored_texts", "lemmas")

    @cached_property
    def means_verbs(self) -> frozenset[str]:
        return self.words("means_verbs", "lemmas")

    @cached_property
    def backing_verbs(self) -> frozenset[str]:
        return self.words("backing_verbs", "lemmas")

    @cached_property
    def countering_heads(self) -> frozenset[str]:
        return self.words("countering_heads", "lemmas")

    @cached_property
    def posted_people(self) -> frozenset[str]:
        return self.words("posted_people", "lemmas")

    @cached_property
    def permission_verbs(self) -> frozenset[str]:
        return self.words("permission_verbs", "lemmas")

    @cached_property
    def role_verbs(self) -> frozenset[str]:
        return self.words("role_verbs", "lemmas")

    @cached_property
    def quantifier_pronouns(self) -> frozenset[str]:
        return self.words("quantifier_pronouns")

    @cached_property
    def known_verbs(self) -> frozenset[str]:
        """Every verb lemma the lists name, for repairing lemmas the model gets wrong."""
        verbs = (
            self.commit_verbs
            | self.consider_verbs
            | self.decline_verbs
            | self.reporting_verbs
            | self.wish_verbs
            | self.opposition_verbs
            | self.receive_verbs
            | self.arrival_verbs
            | self.instrument_verbs
            | frozenset(self.activity_verbs)
            | self.decision_verbs
            | self.role_verbs
            | frozenset(self.meeting_verbs)
        )
        return frozenset(v for v in verbs if " " not in v)

    @cached_property
    def elaboration_markers(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(p.split()) for p in self.raw["elaboration_markers"]["phrases"])

    @cached_property
    def content_verbs(self) -> frozenset[str]:
        return self.words("elaboration_markers", "content_verbs")

    @cached_property
    def nominal_agents(self) -> frozenset[str]:
        return self.words("nominal_agents", "lemmas")

    @cached_property
    def question_marks(self) -> frozenset[str]:
        return self.words("frames", "question_marks")

    @cached_property
    def hypothesis_markers(self) -> frozenset[str]:
        return self.words("hypothesis_markers")

    @cached_property
    def condition_markers(self) -> tuple[str, ...]:
        return tuple(self.raw["condition_markers"])

    @cached_property
    def condition_heads(self) -> frozenset[str]:
        return self.words("condition_heads")

    @cached_property
    def opposition_modifiers(self) -> frozenset[str]:
        return self.words("opposition_modifiers")

    @cached_property
    def hypothetical_determiners(self) -> frozenset[str]:
        return self.words("hypothetical_determiners")

    # --- actors ----------------------------------------------------------------------

    @cached_property
    def aggregate_nouns(self) -> frozenset[str]:
        return self.words("aggregate_nouns")

    @cached_property
    def holder_nouns(self) -> frozenset[str]:
        return self.words("holder_nouns")

    @cached_property
    def quantity_heads(self) -> frozenset[str]:
        return self.words("quantity_heads")

    @cached_property
    def person_pronouns(self) -> frozenset[str]:
        return self.words("pronouns", "person")

    @cached_property
    def state_pronouns(self) -> frozenset[str]:
        return self.words("pronouns", "state")

    @cached_property
    def plural_pronouns(self) -> frozenset[str]:
        return self.words("pronouns", "plural")

    @cached_property
    def first_singular(self) -> frozenset[str]:
        return self.words("pronouns", "first_singular")

    @cached_property
    def first_plural(self) -> frozenset[str]:
        return self.words("pronouns", "first_plural")

    @cached_property
    def government_nouns(self) -> frozenset[str]:
        return self.words("government_nouns")

    @cached_property
    def belligerents(self) -> frozenset[str]:
        return self.words("belligerents", "states")

    @cached_property
    def hearsay_nouns(self) -> frozenset[str]:
        return self.words("hearsay_nouns", "lemmas")

    @cached_property
    def non_leader_titles(self) -> frozenset[str]:
        return self.words("non_leader_titles")

    @cached_property
    def titles_by_words(self) -> Mapping[tuple[str, ...], tuple[int, str]]:
        """Title phrases by their words, each with its rank (longer phrases rank first:
        "prime minister" before "minister")."""
        ordered = sorted(self.titles, key=lambda t: -len(t.split()))
        return MappingProxyType({tuple(t.split()): (rank, t) for rank, t in enumerate(ordered)})

    @cached_property
    def title_lengths(self) -> tuple[int, ...]:
        """The word counts of title phrases, longest first."""
        return tuple(sorted({len(words) for words in self.titles_by_words}, reverse=True))

    @cached_property
    def title_heads(self) -> frozenset[str]:
        """The last word of each title phrase: the noun an untitled official is ("the
        defence minister")."""
        return frozenset(t.split()[-1] for t in self.titles)

    @cached_property
    def title_words(self) -> frozenset[str]:
        """Every word that occurs in a title phrase."""
        return frozenset(w for t in self.titles for w in t.split())

    # --- meetings --------------------------------------------------------------------

    @cached_property
    def meeting_words(self) -> MeetingWords:
        section = self.raw["meetings"]
        return MeetingWords(
            **{name: _words(section[name]) for name in MeetingWords.__dataclass_fields__}
        )

    @cached_property
    def future_auxiliaries(self) -> frozenset[str]:
        return self.words("stance_words", "future_auxiliaries")

    @cached_property
    def deontic_modals(self) -> frozenset[str]:
        return self.words("stance_words", "deontic_modals")

    @cached_property
    def tentative_adjectives(self) -> frozenset[str]:
        return self.words("tentative", "adjectives")

    @cached_property
    def tentative_passives(self) -> frozenset[str]:
        return self.words("tentative", "passive_verbs")

    @cached_property
    def private_nouns(self) -> frozenset[str]:
        return self.words("private_nouns", "lemmas")

    @cached_property
    def official_nouns(self) -> frozenset[str]:
        return self.words("official_nouns", "lemmas")

    @cached_property
    def seeking_verbs(self) -> frozenset[str]:
        return self.words("stance_words", "seeking_verbs")

    @cached_property
    def pending_prepositions(self) -> frozenset[str]:
        return self.words("stance_words", "pending_prepositions")

    @cached_property
    def quantity_negations(self) -> frozenset[str]:
        return self.words("stance_words", "quantity_negations")

    @cached_property
    def anaphoric_objects(self) -> frozenset[str]:
        return self.words("anaphoric_objects", "words")

    @cached_property
    def anaphoric_nouns(self) -> frozenset[str]:
        return self.words("anaphoric_objects", "nouns")

    @cached_property
    def elliptical_auxiliaries(self) -> frozenset[str]:
        return self.words("elliptical_auxiliaries", "words")

    @cached_property
    def beneficiary_prepositions(self) -> frozenset[str]:
        return self.words("own_use", "prepositions")

    @cached_property
    def membership_nouns(self) -> frozenset[str]:
        return self.words("membership_nouns", "lemmas")

    @cached_property
    def mission_nouns(self) -> frozenset[str]:
        return self.words("mission_nouns", "lemmas")

    @cached_property
    def own_forces(self) -> frozenset[str]:
        return self.words("own_use", "forces")

    @cached_property
    def acquisition_verbs(self) -> frozenset[str]:
        return self.words("own_use", "acquisition")

    @cached_property
    def relative_units(self) -> dict[str, int]:
        """Days in a unit of a relative date ("week": 7)."""
        return {k: int(v) for k, v in self.raw["relative_days"]["units"].items()}

    @cached_property
    def number_words(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.raw["relative_days"]["numbers"].items()}

    @cached_property
    def relative_directions(self) -> dict[str, int]:
        """+1 for "after", -1 for "before"."""
        return {k: int(v) for k, v in self.raw["relative_days"]["directions"].items()}

    @cached_property
    def anaphoric_time_determiners(self) -> frozenset[str]:
        return self.words("relative_days", "anaphoric_determiners")

    @cached_property
    def times_of_day(self) -> frozenset[str]:
        return self.words("relative_days", "times_of_day")

    @cached_property
    def own_sectors(self) -> frozenset[str]:
        return self.words("own_use", "sectors")

    @cached_property
    def evaluated_infinitive_markers(self) -> frozenset[str]:
        return self.words("evaluated_infinitive_markers", "words")

    @cached_property
    def mission_prepositions(self) -> frozenset[str]:
        return self.words("mission_prepositions", "words")

    @cached_property
    def anonymous_labels(self) -> frozenset[str]:
        return self.words("transcript", "anonymous_labels")

    @cached_property
    def answer_labels(self) -> frozenset[str]:
        return self.words("transcript", "answer_labels")

    @cached_property
    def interview_markers(self) -> tuple[str, ...]:
        return tuple(self.raw["transcript"]["interview_markers"])

    @cached_property
    def name_suffixes(self) -> frozenset[str]:
        return _words(self.title_data["name_suffixes"])

    @cached_property
    def joint_statement_titles(self) -> tuple[re.Pattern[str], ...]:
        patterns = self.raw["joint_statement_markers"]["patterns"]
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)

    @cached_property
    def former_prefixes(self) -> frozenset[str]:
        return _words(self.title_data["former_prefixes"])

    @cached_property
    def office_words(self) -> frozenset[str]:
        return _words(self.title_data["office_words"])

    @cached_property
    def generic_titles(self) -> dict[str, str]:
        return dict(self.title_data["generic_titles"])

    @cached_property
    def guest_titles(self) -> frozenset[str]:
        return _words(self.title_data["guest_titles"])

    @cached_property
    def meeting_nouns(self) -> dict[str, str]:
        return dict(self.raw["meeting_nouns"])

    @cached_property
    def meeting_verbs(self) -> dict[str, str]:
        return dict(self.raw["meeting_verbs"])

    @cached_property
    def virtual_markers(self) -> frozenset[str]:
        return self.words("virtual_markers")

    @cached_property
    def phone_markers(self) -> frozenset[str]:
        return self.words("phone_markers")

    @cached_property
    def participation_verbs(self) -> frozenset[str]:
        return self.words("participation_verbs")

    @cached_property
    def participant_nouns(self) -> frozenset[str]:
        return self.words("participant_nouns")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon (cached)."""
    raw = read_json("lexicon.json")
    title_data = read_json("titles.json")
    types = {
        ContributionType(name): TypeCues(
            lemmas=_words(cues.get("lemmas", ())),
            phrases=tuple(cues.get("phrases", ())),
            requires_context=_words(cues.get("requires_context", ())),
            excluded_objects=_words(cues.get("excluded_objects", ())),
        )
        for name, cues in raw["contribution_cues"].items()
    }
    return Lexicon(raw=raw, types=types, titles=dict(title_data["titles"]), title_data=title_data)
