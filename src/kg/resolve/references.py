"""What pronouns and other referring words stand for.

- "he", "she", "his", "her": the leader who is the subject of the same sentence before the
  pronoun, else of the latest sentence with a leader as subject, else the latest leader named.
- "it", "its": the state that is the subject before the pronoun, in this sentence or the ones
  before; "they", "their": the latest subject naming several states.
- "we", "our", "us": the speaker's states inside speech; outside it, the signatories of a
  joint statement, the author of a signed text, or the state that publishes an official text;
  "We, the leaders of A and B," names them itself.
- "the government", "her government", "our country", "the two governments": the state of the
  owner, the speaker or the latest subject.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon
from kg.records import Actor
from kg.resolve.model import ActorMention, Speaker

_SUBJECTS = ("nsubj", "nsubjpass")
_LOOKBACK = 3
_GROUP_LOOKBACK = 6


@dataclass
class _History:
    """Subjects of the sentences read so far."""

    leader_subjects: list[tuple[int, str]] = field(default_factory=list)
    leader_mentions: list[tuple[int, str]] = field(default_factory=list)
    state_subjects: list[tuple[int, Actor]] = field(default_factory=list)
    owned_subjects: list[tuple[int, Actor]] = field(default_factory=list)  # "Latvia's army"
    plural_subjects: list[tuple[int, tuple[Actor, ...]]] = field(default_factory=list)


class ReferenceResolver:
    """Resolves the referring words of one document, sentence by sentence."""

    def __init__(
        self,
        doc: Doc,
        lex: Lexicon,
        actor_at: dict[int, ActorMention],
        leader_at: dict[int, str],
        leader_actor: dict[str, Actor | None],
        aggregates: frozenset[str],
    ) -> None:
        self.doc = doc
        self.lex = lex
        self.actor_at = actor_at
        self.leader_at = leader_at
        self.leader_actor = leader_actor
        self.aggregates = aggregates
        self.person_at: dict[int, str] = {}
        self.refers_to: dict[int, tuple[Actor, ...]] = {}

    # --- helpers -------------------------------------------------------------------------

    def direct_actor(self, token: Token) -> Actor | None:
        name = self.leader_at.get(token.i) or self.person_at.get(token.i)
        if name is not None:
            return self.leader_actor.get(name)
        mention = self.actor_at.get(token.i)
        if mention is None or mention.label == "VENUE":
            return None
        if mention.actor.kind == "org" and mention.actor.key in self.aggregates:
            return None
        if mention.label == "DEMONYM" and token.dep_ in ("amod", "compound"):
            return None
        return mention.actor

    def phrase_actors(self, head: Token) -> tuple[Actor, ...]:
        """States a noun phrase names, through conjuncts and "of" lists ("the prime ministers
        of Latvia and Estonia", "France, Germany and Poland")."""
        found: list[Actor] = []
        for token in _conjuncts(head):
            actor = self.direct_actor(token) or self.refers_to.get(token.i, (None,))[0]
            if actor is None:
                owners = _coordinated_owners(token, self)
                found.extend(a for a in owners[1:] if a not in found)
                actor = owners[0] if owners else _owner(token, self)
            if actor is None:
                for prep in token.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        for obj in prep.children:
                            if obj.dep_ == "pobj":
                                found.extend(a for a in self.phrase_actors(obj) if a not in found)
            if actor is not None and actor not in found:
                found.append(actor)
        return tuple(found)

    # --- persons -------------------------------------------------------------------------

    def resolve_persons(self) -> dict[int, str]:
        """He, she, his, her -> a leader's canonical name."""
        history = _History()
        for index, sent in enumerate(self.doc.sents):
            for token in sent:
                lowered = token.lower_
                if lowered in self.lex.person_pronouns and token.pos_ == "PRON":
                    name = self._person_antecedent(token, sent, index, history)
                    if name is not None:
                        self.person_at[token.i] = name
            self._remember(sent, index, history, states=False)
        return self.person_at

    def _person_antecedent(
        self, token: Token, sent: Span, index: int, history: _History
    ) -> str | None:
        for earlier in reversed(list(sent)[: token.i - sent.start]):
            name = self.leader_at.get(earlier.i)
            if name is not None and earlier.dep_ in _SUBJECTS:
                return name
        for earlier in reversed(list(sent)[: token.i - sent.start]):
            name = self.leader_at.get(earlier.i) or self.person_at.get(earlier.i)
            if name is not None and token.dep_ in _SUBJECTS:
                return name
        for at, name in reversed(history.leader_subjects):
            if index - at <= _LOOKBACK:
                return name
            break
        for at, name in reversed(history.leader_mentions):
            if index - at <= _LOOKBACK:
                return name
            break
        return None

    def _remember(self, sent: Span, index: int, history: _History, *, states: bool = True) -> None:
        """Note the leaders a sentence names and, with ``states``, the states its subjects
        name."""
        # "Britain and France." heading a round-up's paragraph: what the paragraph is about
        label = not any(t.pos_ in ("VERB", "AUX") for t in sent)
        for token in sent:
            name = self.leader_at.get(token.i) or self.person_at.get(token.i)
            if name is not None:
                history.leader_mentions.append((index, name))
                if _is_subject(token):
                    history.leader_subjects.append((index, name))
                continue
            if states and (_is_subject(token) or label and token.dep_ == "ROOT"):
                named = tuple(a for a in self.phrase_actors(token) if a.is_state)
                if len(named) > 1:
                    history.plural_subjects.append((index, named))
                elif len(named) == 1 and self.actor_at.get(token.i) is not None:
                    history.state_subjects.append((index, named[0]))
                elif len(named) == 1:
                    history.owned_subjects.append((index, named[0]))

    # --- states, groups and "we" ----------------------------------------------------------

    def resolve_actors(
        self,
        speakers: dict[int, Speaker],
        signatories: tuple[Actor, ...],
        author: str | None,
        publisher_state: Actor | None,
    ) -> dict[int, tuple[Actor, ...]]:
        """It, they, we, our, the government ... -> the actors they stand for."""
        history = _History()
        lex = self.lex
        outside_we: tuple[Actor, ...] = signatories
        if not outside_we and author is not None:
            actor = self.leader_actor.get(author)
            outside_we = (actor,) if actor else ()
        if not outside_we and publisher_state is not None:
            outside_we = (publisher_state,)
        for index, sent in enumerate(self.doc.sents):
            for token in sent:
                lowered = token.lower_
                speaker = speakers.get(token.i)
                found: tuple[Actor, ...] = ()
                if lowered in lex.first_plural and token.pos_ == "PRON":
                    found = self._we(token, speaker, outside_we)
                elif lowered in lex.first_singular and token.pos_ == "PRON":
                    name = speaker.leader if speaker is not None else author
                    if name is not None:
                        self.person_at.setdefault(token.i, name)
                        actor = self.leader_actor.get(name)
                        found = (actor,) if actor else ()
                elif lowered in lex.state_pronouns and token.pos_ == "PRON":
                    found = self._it(token, sent, index, history)
                elif lowered in lex.plural_pronouns and token.pos_ == "PRON":
                    found = self._they(index, history, token, sent)
                elif token.lemma_.lower() in lex.government_nouns and token.pos_ == "NOUN":
                    found = self._government(token, speaker, outside_we, index, history)
                elif self._definite_group(token):
                    # "the ministers", "the two leaders": the group named last, a while back too
                    found = self._they(index, history, within=_GROUP_LOOKBACK) or (
                        self._last_people(token, index, history)
                    )
                if found:
                    self.refers_to[token.i] = found
            self._remember(sent, index, history)
        return self.refers_to

    def _definite_group(self, token: Token) -> bool:
        """ "The ministers", "the two presidents": people named together before."""
        return (
            token.tag_ == "NNS"
            and token.lemma_.lower() in self.lex.participant_nouns
            and any(c.lower_ == "the" for c in token.children)
            and not any(c.dep_ in ("prep", "poss", "amod", "compound") for c in token.children)
        )

    def _last_people(self, token: Token, index: int, history: _History) -> tuple[Actor, ...]:
        """ "Carney told Zelensky ... after the two men met": as many leaders as the group
        counts, the last named, in this sentence or the one before."""
        numbers = [c.lower_ for c in token.children if c.dep_ == "nummod"]
        if not numbers:
            return ()
        count = (
            int(numbers[0]) if numbers[0].isdigit() else self.lex.number_words.get(numbers[0], 0)
        )
        if count < 2:
            return ()
        names: list[str] = []
        for earlier in reversed(list(token.sent)[: token.i - token.sent.start]):
            name = self.leader_at.get(earlier.i) or self.person_at.get(earlier.i)
            if name is not None and name not in names:
                names.append(name)
        for at, name in reversed(history.leader_mentions):
            if index - at > 1:
                break
            if name not in names:
                names.append(name)
        if len(names) < count:
            return ()
        actors = [self.leader_actor.get(name) for name in names[:count]]
        if any(a is None for a in actors):
            return ()
        return tuple(dict.fromkeys(a for a in actors if a is not None))

    def _we(
        self, token: Token, speaker: Speaker | None, outside: tuple[Actor, ...]
    ) -> tuple[Actor, ...]:
        for child in token.children:
            if child.dep_ == "appos":  # "We, the leaders of France, Germany and Poland,"
                named = self.phrase_actors(child)
                if named:
                    return named
        head = token.head
        if head.dep_ == "appos" or token.dep_ == "pobj" and head.lower_ == "of":
            pass
        if speaker is not None:
            if speaker.acts_for_nobody:
                return ()
            return speaker.actors
        return outside

    def _it(self, token: Token, sent: Span, index: int, history: _History) -> tuple[Actor, ...]:
        if _extraposed(token, self.lex):
            return ()  # "It is too early to send troops": nobody
        for earlier in reversed(list(sent)[: token.i - sent.start]):
            if _is_subject(earlier):
                actor = self.direct_actor(earlier)
                if actor is None and earlier.pos_ == "NOUN":
                    actor = _owner(earlier, self)  # "Japan's constitution does not allow it"
                if actor is not None and (actor.is_state or actor.kind == "org"):
                    return (actor,)
        for at, actor in reversed(history.state_subjects):
            if index - at <= _LOOKBACK:
                return (actor,)
            break
        return ()

    def _they(
        self,
        index: int,
        history: _History,
        token: Token | None = None,
        sent: Span | None = None,
        within: int = 1,
    ) -> tuple[Actor, ...]:
        if token is not None and sent is not None:
            for earlier in reversed(list(sent)[: token.i - sent.start]):
                if _is_subject(earlier):
                    states = tuple(a for a in self.phrase_actors(earlier) if a.is_state)
                    if len(states) > 1:
                        return states  # "the UK and France confirmed they would lead"
        for at, actors in reversed(history.plural_subjects):
            if index - at <= within:
                return actors
            break
        return ()

    def _government(
        self,
        token: Token,
        speaker: Speaker | None,
        outside: tuple[Actor, ...],
        index: int,
        history: _History,
    ) -> tuple[Actor, ...]:
        """ "the government", "her country", "our government", "the two governments"."""
        if self.direct_actor(token) is not None:
            return ()
        owner = _owner(token, self)
        if owner is not None:
            return (owner,)
        for child in token.children:
            if child.dep_ == "poss" and child.pos_ == "PRON":
                lowered = child.lower_
                if lowered in self.lex.first_plural:
                    return self._we(child, speaker, outside)
                if lowered in self.lex.plural_pronouns:
                    return self._they(index, history)
                # The subject of the report the pronoun is in comes first: "Belgium's prime
                # minister, A, said his country ..." is Belgium whoever "his" was before.
                actor = self._reporter_owner(child)
                if actor is None:
                    name = self.person_at.get(child.i)
                    actor = self.leader_actor.get(name) if name else None
                return (actor,) if actor else ()
            if child.dep_ == "nummod" or child.lower_ in ("both", "two", "three"):
                for at, actors in reversed(history.plural_subjects):
                    if index - at <= _LOOKBACK:
                        return actors
                    break
                return ()
        if any(c.lower_ == "the" for c in token.children) and token.tag_ == "NN":
            if speaker is not None and not speaker.acts_for_nobody:
                return speaker.actors
            if speaker is None:
                return self._last_state_subject(index, history)  # "the country" in narration
        return ()

    def _reporter_owner(self, pronoun: Token) -> Actor | None:
        """ "Belgium's defence minister said his country would ...": the state the subject of
        the report the pronoun stands in names as the official's own (named or not)."""
        for ancestor in pronoun.ancestors:
            for child in ancestor.children:
                if _is_subject(child) and child.i < pronoun.i and pronoun not in child.subtree:
                    lemma = child.lemma_.lower()
                    # "Lithuania's Dovile Sakaliene said her country": a proper name that
                    # "his" or "her" takes up is a person, whatever the tagger labelled it
                    named = child.ent_type_ == "PERSON" or (
                        child.pos_ == "PROPN" and pronoun.lower_ in self.lex.person_pronouns
                    )
                    if (
                        lemma not in self.lex.official_nouns
                        and lemma not in self.lex.title_heads
                        and not named
                    ):
                        return None
                    owner = _owner(child, self)
                    return owner if owner is not None and owner.is_state else None
        return None

    def _last_state_subject(self, index: int, history: _History) -> tuple[Actor, ...]:
        """The state the latest sentence before, a few back at most, had as its subject or as
        its subject's owner ("Latvia's parliament approved ... The country will ...")."""
        found = [
            (at, a) for at, a in (*history.state_subjects, *history.owned_subjects) if at < index
        ]
        if not found:
            return ()
        at, actor = max(found, key=lambda pair: pair[0])
        return (actor,) if index - at <= _LOOKBACK else ()


def _extraposed(token: Token, lex: Lexicon) -> bool:
    """ "It is too early to send", "it is too late to deploy": a dummy "it" whose degree
    word takes the clause that is the real subject ("it is ready to send" is a state)."""
    verb = token.head
    return (
        token.lower_ == "it"
        and token.dep_ == "nsubj"
        and verb.lemma_ == "be"
        and any(
            c.dep_ in ("acomp", "advmod")
            and (
                c.lemma_.lower() in lex.premature_words
                or any(g.lower_ == "too" for g in c.children)
            )
            and any(x.dep_ in ("xcomp", "ccomp") for x in c.children)
            for c in verb.children
        )
    )


def _is_subject(token: Token) -> bool:
    return token.dep_ in _SUBJECTS


def _conjuncts(head: Token) -> list[Token]:
    found: list[Token] = []
    stack = [head]
    while stack:
        token = stack.pop()
        if token in found:
            continue
        found.append(token)
        stack.extend(c for c in token.children if c.dep_ in ("conj", "appos"))
    return sorted(found, key=lambda t: t.i)


def _coordinated_owners(token: Token, resolver: ReferenceResolver) -> tuple[Actor, ...]:
    """ "the Czech and Slovak prime ministers": the owners that coordinated modifiers name
    (empty unless there are several)."""
    for child in token.children:
        if child.dep_ not in ("amod", "compound", "nmod"):
            continue
        found: list[Actor] = []
        for part in (child, *(c for c in child.subtree if c.dep_ == "conj" and c.i < token.i)):
            mention = resolver.actor_at.get(part.i)
            if mention is not None and mention.actor.is_state and mention.actor not in found:
                found.append(mention.actor)
        if len(found) > 1:
            return tuple(found)
    return ()


def _owner(token: Token, resolver: ReferenceResolver) -> Actor | None:
    """Whose a thing is when a name in front of it says so ("Sweden's", "Spanish")."""
    for child in token.children:
        if child.dep_ not in ("poss", "amod", "compound", "nmod"):
            continue
        for candidate in child.subtree:
            if candidate.i >= token.i:
                break
            name = resolver.leader_at.get(candidate.i)
            if name is not None:
                return resolver.leader_actor.get(name)
            mention = resolver.actor_at.get(candidate.i)
            if mention is not None and mention.label not in ("VENUE",):
                if mention.actor.kind == "org" and mention.actor.key in resolver.aggregates:
                    return None
                return mention.actor
    return None
