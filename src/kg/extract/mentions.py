"""Who a stretch of text names: states, organizations and leaders, per token of a document.

The extractors of pledges and meetings ask this index, so each reads the same resolution of
"Spanish", "Washington", "the coalition of volunteers" or "Sánchez".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import Lexicon
from kg.gazetteer import Gazetteer
from kg.nlp import SPANS_KEY
from kg.records import Actor

# Dependency labels through which a noun phrase reaches the words that say whose it is.
_OWNER_DEPS = {"poss", "amod", "compound", "nmod", "npadvmod"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}


@dataclass
class Mentions:
    """Per-token index of what a document names."""

    doc: Doc
    gazetteer: Gazetteer
    lexicon: Lexicon
    actor_spans: dict[int, Span] = field(default_factory=dict)
    leader_at: dict[int, str] = field(default_factory=dict)
    leader_actor: dict[str, Actor | None] = field(default_factory=dict)
    aggregates: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for span in self.doc.spans[SPANS_KEY]:
            if span.label_ in ("STATE", "DEMONYM", "CAPITAL", "ORG"):
                for token in span:
                    self.actor_spans[token.i] = span

    # --- direct mentions -------------------------------------------------------------

    def span_actor(self, span: Span) -> Actor:
        if span.label_ == "ORG":
            return Actor("org", span.kb_id_)
        return Actor("state", span.kb_id_)

    def actor_at(self, token: Token, *, allow_capital: bool = False) -> Actor | None:
        """The state or organization this very token names, if any."""
        span = self.actor_spans.get(token.i)
        if span is None:
            return None
        if span.label_ == "CAPITAL" and not allow_capital:
            return None
        return self.span_actor(span)

    def leader_of(self, token: Token) -> str | None:
        return self.leader_at.get(token.i)

    def is_place(self, token: Token) -> bool:
        """True when the token is a place name used as a location ("in Paris")."""
        span = self.actor_spans.get(token.i)
        if span is not None and span.label_ in ("CAPITAL", "STATE"):
            return token.dep_ == "pobj" or token.head.dep_ == "pobj"
        return token.ent_type_ in ("GPE", "LOC", "FAC")

    # --- noun phrases ------------------------------------------------------------------

    def phrase_heads(self, head: Token) -> list[Token]:
        """The head and its conjuncts, appositions and "including" members."""
        found: list[Token] = []
        stack = [head]
        while stack:
            token = stack.pop()
            if token in found:
                continue
            found.append(token)
            for child in token.children:
                if child.dep_ in ("conj", "appos"):
                    stack.append(child)
                elif child.dep_ == "prep" and child.lower_ in ("including", "like", "notably"):
                    stack.extend(c for c in child.children if c.dep_ == "pobj")
            # A name split off by the parser as a compound chain still counts.
        return sorted(found, key=lambda t: t.i)

    def actors_of_phrase(self, head: Token, *, governments_only: bool = False) -> list[Actor]:
        """States and organizations a noun phrase stands for: named directly ("Spain",
        "the EU"), through a leader ("Sánchez"), or as the owner of the thing ("Sweden's
        contributions", "Spanish troops", "U.S. envoys"); capitals count as governments
        ("Moscow rejected")."""
        actors: list[Actor] = []
        for token in self.phrase_heads(head):
            actor = self.token_actor(token, allow_capital=True)
            if actor is None and not governments_only:
                actor = self.owner_actor(token)
            if actor is not None and actor not in actors:
                actors.append(actor)
        return actors

    def token_actor(self, token: Token, *, allow_capital: bool = False) -> Actor | None:
        """The actor a head token names itself: a state, organization or a leader's state."""
        name = self.leader_of(token)
        if name is not None:
            return self.leader_actor.get(name)
        actor = self.actor_at(token, allow_capital=allow_capital)
        if actor is not None:
            span = self.actor_spans[token.i]
            if span.label_ == "DEMONYM" and token.dep_ in ("amod", "compound"):
                return None  # "Spanish" inside a larger phrase is an owner, not the head
            if actor.kind == "org" and actor.key in self.aggregates:
                return None
            return actor
        return None

    def owner_actor(self, token: Token) -> Actor | None:
        """Whose a thing is: "Sweden's contributions", "Spanish troops", "its troops"."""
        for child in token.children:
            if child.dep_ not in _OWNER_DEPS:
                continue
            for candidate in child.subtree:
                if candidate.i >= token.i:
                    break
                name = self.leader_of(candidate)
                if name is not None:
                    return self.leader_actor.get(name)
                actor = self.actor_at(candidate, allow_capital=child.dep_ == "poss")
                if actor is not None and not (actor.kind == "org" and actor.key in self.aggregates):
                    return actor
        return None

    def leaders_of_phrase(self, head: Token) -> list[str]:
        """Leaders a noun phrase names ("Macron, Zelensky and Starmer")."""
        names: list[str] = []
        for token in self.phrase_heads(head):
            name = self.leader_of(token)
            if name is None:
                # "U.S. envoys Steve Witkoff and Jared Kushner": the names hang off the noun.
                for child in token.children:
                    if child.dep_ in ("appos", "compound") and self.leader_of(child):
                        name = self.leader_of(child)
            if name is not None and name not in names:
                names.append(name)
        return names


def subject_of(verb: Token) -> Token | None:
    """The grammatical subject of a verb, resolving relative pronouns to their antecedent."""
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS:
            if child.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                return verb.head
            return child
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
        return subject_of(verb.head)
    if verb.dep_ == "pcomp" and verb.head.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head.head)  # "Starmer said after hosting a summit"
    # "Following the meeting, Ukraine, France and the UK signed ...": the parser sometimes
    # hangs the subject off the fronted phrase as conjuncts after a comma.
    for child in verb.children:
        if child.dep_ != "prep" or child.i > verb.i:
            continue
        for obj in (c for c in child.children if c.dep_ == "pobj"):
            conjuncts = [c for c in obj.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
            if conjuncts and verb.doc[conjuncts[0].i - 1].text == ",":
                return conjuncts[0]
    if verb.dep_ == "relcl":
        return verb.head
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return None
