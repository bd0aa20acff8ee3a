"""The word lists and titles the extractors use, loaded from ``kg/data`` once per process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from kg.records import ContributionType


@dataclass(frozen=True)
class TypeCues:
    """How the text names one contribution type."""

    lemmas: frozenset[str]
    phrases: tuple[str, ...]
    requires_context: frozenset[str]
    excluded_objects: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Every word list of ``lexicon.json`` and ``titles.json``, as sets."""

    types: dict[ContributionType, TypeCues]
    deployment_verbs: frozenset[str]
    deployment_nouns: frozenset[str]
    commit_verbs: frozenset[str]
    commit_adjectives: frozenset[str]
    consider_verbs: frozenset[str]
    consider_phrases: tuple[str, ...]
    consider_modals: frozenset[str]
    consider_nouns: frozenset[str]
    recipient_verbs: frozenset[str]
    person_pronouns: frozenset[str]
    state_pronouns: frozenset[str]
    speaker_pronouns: frozenset[str]
    quantity_heads: frozenset[str]
    holder_nouns: frozenset[str]
    hypothetical_determiners: frozenset[str]
    decline_verbs: frozenset[str]
    decline_nouns: frozenset[str]
    decline_phrases: tuple[str, ...]
    opposition_verbs: frozenset[str]
    opposition_modifiers: frozenset[str]
    reporting_verbs: frozenset[str]
    aggregate_nouns: frozenset[str]
    recipient_prepositions: frozenset[str]
    condition_markers: tuple[str, ...]
    condition_heads: frozenset[str]
    meeting_nouns: dict[str, str]
    meeting_verbs: dict[str, str]
    virtual_markers: frozenset[str]
    participation_verbs: frozenset[str]
    participant_nouns: frozenset[str]
    non_leader_titles: frozenset[str]
    titles: dict[str, str]

    @cached_property
    def titles_longest_first(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Title phrases with their words, longest first, so "prime minister" wins over
        "minister"."""
        return tuple(
            (t, tuple(t.split())) for t in sorted(self.titles, key=lambda t: -len(t.split()))
        )

    @cached_property
    def predicate_verbs(self) -> frozenset[str]:
        """Verbs that make a clause speak of contributing (or of not contributing)."""
        return self.commit_verbs | self.deployment_verbs | self.consider_verbs | self.decline_verbs

    @cached_property
    def predicate_nouns(self) -> frozenset[str]:
        """Nouns that do the same ("refusal to send", "the possibility of troops")."""
        return self.deployment_nouns | self.consider_nouns | self.decline_nouns | self.holder_nouns

    def is_predicate(self, lemma: str, pos: str) -> bool:
        """True when a word of this part of speech speaks of contributing."""
        if pos in ("VERB", "AUX"):
            return lemma in self.predicate_verbs
        if pos in ("NOUN", "PROPN"):
            return lemma in self.predicate_nouns
        if pos == "ADJ":
            return lemma in self.commit_adjectives
        return False


def _read(name: str) -> Any:
    return json.loads(resources.files("kg.data").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon (cached)."""
    raw = _read("lexicon.json")
    types = {
        ContributionType(name): TypeCues(
            lemmas=frozenset(cues.get("lemmas", ())),
            phrases=tuple(cues.get("phrases", ())),
            requires_context=frozenset(cues.get("requires_context", ())),
            excluded_objects=frozenset(cues.get("excluded_objects", ())),
        )
        for name, cues in raw["contribution_types"].items()
    }

    def words(key: str) -> frozenset[str]:
        return frozenset(raw[key])

    return Lexicon(
        types=types,
        deployment_verbs=words("deployment_verbs"),
        deployment_nouns=words("deployment_nouns"),
        commit_verbs=words("commit_verbs"),
        commit_adjectives=words("commit_adjectives"),
        consider_verbs=words("consider_verbs"),
        consider_phrases=tuple(raw["consider_phrases"]),
        consider_modals=words("consider_modals"),
        consider_nouns=words("consider_nouns"),
        recipient_verbs=words("recipient_verbs"),
        person_pronouns=frozenset(raw["pronouns"]["person"]),
        state_pronouns=frozenset(raw["pronouns"]["state"]),
        speaker_pronouns=frozenset(raw["pronouns"]["speaker"]),
        quantity_heads=words("quantity_heads"),
        holder_nouns=words("holder_nouns"),
        hypothetical_determiners=words("hypothetical_determiners"),
        decline_verbs=words("decline_verbs"),
        decline_nouns=words("decline_nouns"),
        decline_phrases=tuple(raw["decline_phrases"]),
        opposition_verbs=words("opposition_verbs"),
        opposition_modifiers=words("opposition_modifiers"),
        reporting_verbs=words("reporting_verbs"),
        aggregate_nouns=words("aggregate_nouns"),
        recipient_prepositions=words("recipient_prepositions"),
        condition_markers=tuple(raw["condition_markers"]),
        condition_heads=words("condition_heads"),
        meeting_nouns=dict(raw["meeting_nouns"]),
        meeting_verbs=dict(raw["meeting_verbs"]),
        virtual_markers=words("virtual_markers"),
        participation_verbs=words("participation_verbs"),
        participant_nouns=words("participant_nouns"),
        non_leader_titles=words("non_leader_titles"),
        titles=dict(_read("titles.json")["titles"]),
    )
