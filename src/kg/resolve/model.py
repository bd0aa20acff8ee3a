"""What the resolve stage works out about one document: who every mention is.

A :class:`Resolution` is computed once per document (:func:`kg.resolve.resolve`) and read,
never changed, by the extractors of leaders, pledges and meetings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kg.records import Actor, LeaderRecord


@dataclass(frozen=True)
class DocumentContext:
    """What the article says about itself, outside its text."""

    title: str | None = None
    publisher: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Speaker:
    """Who speaks a stretch of text: a leader, or a group of states ("the prime ministers
    of Latvia and Estonia said"), or someone who acts for nobody (a reporter, an analyst)."""

    leader: str | None
    actors: tuple[Actor, ...]
    acts_for_nobody: bool = False


@dataclass(frozen=True)
class ActorMention:
    """A gazetteer name in the text: a state, demonym, capital or seat, or organization."""

    actor: Actor
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Resolution:
    """Who each mention of a document stands for.

    Token-keyed maps use document token indices. ``refers_to`` holds what a pronoun, "we",
    a government noun or a definite title ("the Prime Minister of Denmark") stands for;
    ``speakers`` is keyed by the token indices of quoted or transcribed speech.
    """

    actor_at: Mapping[int, ActorMention]
    leader_at: Mapping[int, str]
    leaders: Mapping[str, LeaderRecord]
    refers_to: Mapping[int, tuple[Actor, ...]]
    person_at: Mapping[int, str]
    speakers: Mapping[int, Speaker]
    not_leaders: frozenset[int]
    signatories: tuple[Actor, ...]
    author: str | None
    publisher_state: Actor | None
    aggregates: frozenset[str]

    def leader_actor(self, name: str | None) -> Actor | None:
        """The state or organization a leader acts for."""
        record = self.leaders.get(name) if name else None
        return record.actor if record is not None else None

    def actor_of_token(self, index: int, *, allow_capital: bool = False) -> Actor | None:
        """The actor a token names by itself: a state, organization, a leader's state, or
        what a pronoun or definite description refers to (the first of several)."""
        name = self.leader_at.get(index)
        if name is not None:
            return self.leader_actor(name)
        mention = self.actor_at.get(index)
        if mention is not None:
            if mention.label == "VENUE":
                return None
            if mention.label in ("CAPITAL", "SEAT") and not allow_capital:
                return None
            if mention.actor.kind == "org" and mention.actor.key in self.aggregates:
                return None
            return mention.actor
        return None
