"""Whose contribution a cue is: the clause that governs it, read up the dependency tree.

From the cue upwards, the first of these names the actor: a passive agent ("provided by
Spain"), the giver of a converse verb ("received tanks from Denmark"), the subject of the
clause (through control, "Germany is ready to send", "urged Poland to send", and relative
clauses), the owner of the cue or of a noun that holds it ("Spanish troops", "Italy's
refusal"), and, when the clause names nobody, the speaker of the quotation or the report
("..., Macron said") or the author of a signed text. An unnamed group as subject ("26
countries") stops the search: it is nobody's pledge.

The clause also carries its frame: the verbs above it. A report passes the stance through;
someone else's wish, request, question or opposition ("urged", "expects", "warned against",
"asked whether"), a hypothesis ("if Germany sent"), or a question make it no position.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.syntax import (
    PREDICATE_POS,
    ancestors_path,
    is_headline_actor,
    leaders_of_phrase,
    own_subject,
    owner_actor,
    owner_actors,
    phrase_actors,
    subject_of,
    token_actors,
    weighs_whether,
)
from kg.lexicon import Lexicon
from kg.records import Actor
from kg.resolve import Resolution, Speaker


@dataclass(frozen=True)
class Clause:
    """The actor of a cue, the words between them, and who voiced it."""

    actors: tuple[Actor, ...]
    path: tuple[Token, ...]
    subject: Token | None
    speaker: Speaker | None
    mechanism: str


def _is_reporting(token: Token, lex: Lexicon) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in lex.reporting_verbs


def _inherit_chain(verb: Token, control: frozenset[str]) -> list[Token]:
    """Verbs a subjectless clause climbs to for its subject, conjunct heads left out (a
    conjunct keeps its own modality: "will not send troops but will fund"), and an
    object-control verb left to the frame ("invited Austria to join", "Austria was invited
    to join": its object is the subject, the verb someone else's)."""
    chain: list[Token] = []
    token = verb
    while own_subject(token) is None and not is_headline_actor(token):
        if token.dep_ in ("xcomp", "advcl", "conj", "ccomp") and token.head.pos_ in PREDICATE_POS:
            head = token.head
            if (
                token.dep_ == "xcomp"
                and head.lemma_.lower() in control
                and (any(c.dep_ in ("dobj", "obj") for c in head.children) or _passive(head))
            ):
                break
        elif token.dep_ == "pcomp" and token.head.head.pos_ in PREDICATE_POS:
            head = token.head.head
        else:
            break
        if token.dep_ != "conj":
            chain.append(head)
        token = head
    return chain


def _speaker_from_subject(subject: Token, res: Resolution, lex: Lexicon) -> Speaker | None:
    lemma = subject.lemma_.lower()
    if subject.i in res.not_leaders or lemma in lex.non_leader_titles or lemma in lex.hearsay_nouns:
        return Speaker(None, (), acts_for_nobody=True)  # a reporter, an analyst, a viral post
    names = leaders_of_phrase(subject, res)
    if names:
        actor = res.leader_actor(names[0])
        return Speaker(names[0], (actor,) if actor else ())
    actors, _ = phrase_actors(subject, res, lex)
    if not actors and subject.lemma_.lower() in lex.official_nouns:
        actors = _served(subject, res, lex)
    return Speaker(None, actors) if actors else None


def _served(official: Token, res: Resolution, lex: Lexicon) -> tuple[Actor, ...]:
    """ "a spokesman for the Czech government", "an official of the Finnish ministry": the
    state an unnamed official serves, named after the noun."""
    for prep in official.children:
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "from", "at"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    actors, _ = phrase_actors(obj, res, lex)
                    return tuple(a for a in actors if a.is_state)
    return ()


def _according_to(sent: Span, res: Resolution, lex: Lexicon) -> Speaker | None:
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            to = token.doc[token.i + 1]
            for obj in to.children:
                if obj.dep_ == "pobj":
                    return _speaker_from_subject(obj, res, lex)
    return None


@dataclass(frozen=True)
class Frame:
    """What the verbs above a clause do to it."""

    speaker: Speaker | None
    blocked: bool
    own_wish: Token | None = None
    """ "Sánchez said he wants Spain to take part": the actor's own wish above the clause,
    which makes it a position under deliberation."""


def read_frame(
    start: int, full: list[Token], actors: tuple[Actor, ...], res: Resolution, lex: Lexicon
) -> Frame:
    """The verbs of ``full`` from ``start`` up to the root: a reporting verb names the speaker;
    a wish, request, question or opposition of someone else, or anyone's denial, blocks the
    clause."""
    speaker: Speaker | None = None
    own_wish: Token | None = None
    for position in range(start, len(full)):
        token = full[position]
        below = full[position - 1] if position > 0 else None
        if below is not None and (below.dep_ in _SEPARATE or _semicolon_between(below, token)):
            break  # "..., whereas Portugal has committed", "Sweden will deliver ...; Finland"
        if token.pos_ not in PREDICATE_POS:
            continue
        lemma = token.lemma_.lower()
        if any(c.dep_ == "mark" and c.lower_ in lex.question_marks for c in token.children):
            return Frame(speaker, True)  # the clause is asked about or supposed
        subject = subject_of(token, lex.object_control_verbs)
        if _is_reporting(token, lex):
            teller = subject
            if teller is None and token.dep_ in ("parataxis", "conj"):
                teller = subject_of(token.head)  # "a post shared widely says ..." misread
            if teller is not None and teller.lemma_.lower() in lex.hearsay_nouns:
                return Frame(speaker, True)  # "a post says Spain pledged jets": a claim only
            if speaker is None and subject is not None:
                speaker = _speaker_from_subject(subject, res, lex)
            continue
        if lemma in lex.denial_verbs:
            return Frame(speaker, True)  # "denied reports that Poland would send troops"
        if lemma in lex.wish_verbs or lemma in lex.opposition_verbs:
            if _passive(token):
                subject = _agent_of(token)  # "Croatia was urged to send": the urger wishes
            others, _ = phrase_actors(subject, res, lex) if subject is not None else ((), False)
            if not others or not set(others) & set(actors):
                return Frame(speaker, True)
            if lemma in lex.consider_verbs and own_wish is None:
                own_wish = token
    return Frame(speaker, False, own_wish)


def _named_office(noun: Token) -> bool:
    """An office called by its name with no state in it ("the Department of Defense", "the
    Ministry of Foreign Affairs"): the issuer's own office in the issuer's text."""
    return noun.text[:1].isupper() and any(
        prep.dep_ == "prep"
        and prep.lower_ == "of"
        and any(obj.dep_ == "pobj" and obj.text[:1].isupper() for obj in prep.children)
        for prep in noun.children
    )


def _passive(verb: Token) -> bool:
    """A passive verb, or a participle that modifies a noun ("Croatia, asked to send ...")."""
    if verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD"):
        return True
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _agent_of(verb: Token) -> Token | None:
    """The object of a passive verb's "by" phrase, if it names one."""
    found = agents_of(verb)
    return found[0] if found else None


def agents_of(verb: Token) -> list[Token]:
    """The objects of a passive verb's "by" phrases, the repeated ones included ("funded by
    A, by B and C, and by D": A, B and D, each with what is joined to it)."""
    preps = [c for c in verb.children if c.dep_ == "agent"]
    if preps:  # "and by D" is sometimes joined to the verb itself
        preps += [c for c in verb.children if c.dep_ == "conj" and c.lower_ == "by"]
    if preps and verb.dep_ == "acl":
        # "packages, funded by A, by B and C, and by D": the parser hangs later "by" phrases
        # on the noun
        preps += [
            c for c in verb.head.children if c.dep_ == "prep" and c.lower_ == "by" and c.i > verb.i
        ]
    return _by_objects(preps)


def _by_objects(preps: list[Token]) -> list[Token]:
    """The objects of these "by" phrases and of the "by" phrases joined to them."""
    found: list[Token] = []
    preps = list(preps)
    while preps:
        prep = preps.pop(0)
        for child in prep.children:
            if child.dep_ == "pobj":
                found.append(child)
            elif child.dep_ == "conj" and child.lower_ == "by":
                preps.append(child)
    return found


def _agents_actors(
    agents: list[Token], res: Resolution, lex: Lexicon
) -> tuple[tuple[Actor, ...], bool]:
    """The actors the agents name, in order, once each; and whether one is an unnamed group."""
    actors: list[Actor] = []
    unnamed = False
    for agent in agents:
        named, group = phrase_actors(agent, res, lex, owned=False)
        actors += [a for a in named if a not in actors]
        unnamed = unnamed or group
    return tuple(actors), unnamed


def _own_modality(path: list[Token]) -> tuple[Token, ...]:
    """The path without the verbs that a coordinated verb with a tense of its own hangs from:
    "could be deployed ... and pledged participation" keeps "pledged" free of "could", while
    "will fund X and provide Y" shares its "will" with "provide"."""
    kept: list[Token] = []
    skip: int | None = None
    for token in path:
        if token.i == skip:
            skip = None
            continue
        kept.append(token)
        if token.dep_ == "conj" and token.pos_ in PREDICATE_POS and _tensed(token):
            skip = token.head.i
    return tuple(kept)


def _tensed(verb: Token) -> bool:
    """A verb with its own tense or auxiliary, not a bare form sharing its head's."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass", "neg") for c in verb.children
    )


def _semicolon_between(below: Token, above: Token) -> bool:
    """A clause the parser hung under a later verb across a semicolon stands on its own."""
    if below.i > above.i:
        return False
    return any(t.text == ";" for t in below.doc[below.right_edge.i : above.i])


def _supposed_subject(subject: Token) -> bool:
    """ "A government I would lead", "any coalition that might form": an actor that exists
    only in a supposition."""
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an", "any") for c in subject.children)
    return indefinite and any(
        c.dep_ == "relcl"
        and any(a.dep_ == "aux" and a.lower_ in ("would", "might", "could") for a in c.children)
        for c in subject.children
    )


def _supposed_act(token: Token, lex: Lexicon) -> bool:
    """ "Sending a brigade would mean stripping our border", "a troop deployment would
    overstretch us": an act as the subject whose consequence a modal weighs is supposed, not
    offered."""
    act = (token.dep_ == "csubj" and token.tag_ == "VBG") or (
        token.dep_ == "nsubj" and token.lemma_.lower() in lex.deployment_nouns
    )
    consequence = any(
        c.dep_ in ("dobj", "ccomp", "xcomp") and c.lemma_.lower() not in lex.approval_nouns
        for c in token.head.children
    )  # "would need parliament's approval" is a condition on the act, not a consequence
    return (
        act
        and consequence  # "would overstretch us", not "would begin in May"
        and token.head.lemma_.lower() not in lex.commit_verbs
        and any(
            c.dep_ == "aux" and (c.lower_ == "would" or c.lower_ in lex.consider_modals)
            for c in token.head.children
        )
    )


def _blocked_by_mark(path: list[Token], lex: Lexicon) -> bool:
    """A clause introduced by "if", "whether" or "unless" is supposed, not stated, and one
    with "for" and its own subject is weighed by someone else; "whether"
    under the actor's own deciding or weighing is deliberation ("will decide whether to
    send"), which the stance reads."""
    for token in path:
        if _supposed_act(token, lex):
            return True
        if token.pos_ not in PREDICATE_POS:
            continue
        for child in token.children:
            if (
                child.dep_ == "mark"
                and child.lower_ in lex.evaluated_infinitive_markers
                and token.tag_ == "VB"
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
            ):
                return True  # "it would be easy for Spain to send": not Spain's position
            if child.dep_ != "mark" or child.lower_ not in lex.hypothesis_markers:
                continue
            if child.lower_ == "whether" and weighs_whether(token, lex) in path:
                continue  # "decide whether", "a decision on whether": deliberation
            return True
    return False


# Edges to a clause that stands beside the one above it, not inside it.
_SEPARATE = frozenset({"advcl", "parataxis"})
_CLAUSAL = frozenset({"ccomp", "xcomp", "advcl", "parataxis", "conj", "csubj", "ROOT", "dep"})


def _reports_clause(full: list[Token], index: int) -> bool:
    """The reporting verb at ``index`` governs a clause on the way up from the cue ("said
    that Spain would send"), not a noun phrase ("confirmed its participation")."""
    return any(t.pos_ in PREDICATE_POS and t.dep_ in _CLAUSAL for t in full[:index])


def _inside_subject(cue: Token, subject: Token) -> bool:
    """The cue is the subject or a noun within it ("thousands of soldiers"), not in a clause
    that modifies it ("countries that pledged to send forces")."""
    token = cue
    while token.i != subject.i:
        if token.pos_ in PREDICATE_POS or token.head.i == token.i:
            return False
        token = token.head
    return True


def is_question(sent: Span) -> bool:
    """The sentence asks, its closing quote mark aside."""
    return sent.text.rstrip().rstrip("\"\u201d'").endswith("?")


class ClauseFinder:
    """Finds the clause of each cue of one document."""

    def __init__(self, res: Resolution, lex: Lexicon) -> None:
        self.res = res
        self.lex = lex

    def find(self, cue: Token, sent: Span) -> Clause | None:
        """The clause that says whose contribution ``cue`` is, or None (nobody's, or no
        position at all)."""
        res, lex = self.res, self.lex
        full = ancestors_path(cue)
        owner = owner_actors(cue, res) if cue.pos_ in ("NOUN", "PROPN") else ()
        quoted = res.speakers.get(cue.i)
        giver = self._participle_agent(cue)
        if giver is not None:
            verb, giver_phrase, givers = giver
            return self._finish(sent, full, 1, givers, [cue, verb], giver_phrase, "agent")
        for index, token in enumerate(full):
            if index > 0 and _is_reporting(token, lex) and _reports_clause(full, index):
                # The clause under the report named nobody: the owner, then the speaker.
                path = full[:index]
                if owner:
                    return self._finish(sent, full, index, owner, path, None, "owner")
                subject = subject_of(token, self.lex.object_control_verbs)
                speaker = _speaker_from_subject(subject, res, lex) if subject is not None else None
                official = subject is not None and (
                    subject.lemma_.lower() in lex.official_nouns
                    or subject.lemma_.lower() in lex.title_heads  # "the German chancellor said"
                )
                if speaker is not None and (speaker.leader or official) and speaker.actors:
                    return self._finish(
                        sent, full, index, speaker.actors, path, None, "speaker", speaker
                    )
                return None
            if index > 0 and token.pos_ in ("NOUN", "PROPN"):
                agent = self._nominal_agent(token)
                if agent and not self._cannot_give(agent):
                    path = full[: index + 1]
                    return self._finish(sent, full, index + 1, agent, path, None, "agent")
                if token.lemma_.lower() in lex.holder_nouns:
                    owned = owner_actor(token, res)
                    if owned is not None:
                        path = full[: index + 1]
                        if token.dep_ == "nsubj" and token.head.lemma_ == "be":
                            path.append(token.head)  # "our answer on troops is no"
                        return self._finish(sent, full, index + 1, (owned,), path, None, "holder")
                continue
            if token.pos_ not in PREDICATE_POS:
                continue
            found = self._predicate_actor(token, cue, owner)
            if found is None:
                continue
            actors, subject, mechanism = found
            if not actors:
                return None  # an unnamed group: nobody's pledge
            if mechanism == "agent" and self._cannot_give(actors):
                continue  # "the offer made by Kyiv ...": the giver may be named higher up
            if mechanism == "owner":
                index = self._owner_climb(full, index, actors)
            path = full[: index + 1]
            for climbed in _inherit_chain(token, lex.object_control_verbs):
                if climbed not in path:
                    path.append(climbed)
            top = max(full.index(t) for t in path if t in full) + 1
            return self._finish(sent, full, top, actors, path, subject, mechanism)
        if owner:
            return self._finish(sent, full, len(full), owner, full, None, "owner")
        voice = quoted or self._author_voice()
        if voice is not None and voice.actors and not voice.acts_for_nobody:
            return self._finish(sent, full, len(full), voice.actors, full, None, "voice", voice)
        return None

    def _reporter_state(self, verb: Token) -> tuple[Actor, ...]:
        """The state of the leader who reports the clause of ``verb``."""
        for above in verb.ancestors:
            if _is_reporting(above, self.lex):
                subject = subject_of(above, self.lex.object_control_verbs)
                speaker = (
                    _speaker_from_subject(subject, self.res, self.lex)
                    if subject is not None
                    else None
                )
                if speaker is not None and speaker.leader and not speaker.acts_for_nobody:
                    return speaker.actors
                return ()
        return ()

    def _third_state_receives(self, verb: Token) -> bool:
        """ "Poland received funds from the EU to house refugees": the receiver is a state
        outside the war, so what it receives is no contribution to it."""
        subject = subject_of(verb, self.lex.object_control_verbs)
        if subject is None:
            return False
        receivers, _ = phrase_actors(subject, self.res, self.lex)
        return bool(receivers) and all(
            a.is_state and a.key not in self.lex.belligerents for a in receivers
        )

    def _cannot_give(self, actors: tuple[Actor, ...]) -> bool:
        """Parties to the war are never the givers of a contribution."""
        return all(a.is_state and a.key in self.lex.belligerents for a in actors)

    def _participle_agent(self, cue: Token) -> tuple[Token, Token, tuple[Actor, ...]] | None:
        """ "Howitzers delivered by Portugal and Greece": a past participle on the cue with
        an agent of its own names the givers, whatever the sentence says of the cue after
        (the participle, its agent and the actors)."""
        noun = cue
        while noun.dep_ in ("compound", "amod") and noun.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head  # "rocket launchers delivered by ..."
        for verb in noun.children:
            if verb.dep_ == "relcl" and verb.lemma_.lower() in self.lex.commit_verbs:
                # "the 49 tanks we committed last year": who committed them gave them
                subject = own_subject(verb)
                if subject is not None and subject.tag_ not in ("WDT", "WP"):
                    actors, _ = phrase_actors(subject, self.res, self.lex)
                    if actors and not self._cannot_give(actors):
                        return verb, subject, actors
            if verb.dep_ != "acl" or verb.tag_ != "VBN":
                continue
            agents = agents_of(verb)
            if agents:
                actors, _ = _agents_actors(agents, self.res, self.lex)
                if actors and not self._cannot_give(actors):
                    return verb, agents[0], actors
        return None

    def _nominal_agent(self, noun: Token) -> tuple[Actor, ...]:
        """ "the provision of financial assistance by Portugal": the giver of a noun of
        giving."""
        if noun.lemma_.lower() not in self.lex.nominal_agents:
            return ()
        for child in noun.children:
            if child.dep_ in ("prep", "agent") and child.lower_ == "by":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return phrase_actors(obj, self.res, self.lex, owned=False)[0]
        return ()

    def _owner_climb(self, full: list[Token], index: int, actors: tuple[Actor, ...]) -> int:
        """A cue whose owner is its actor ("Spanish troops taking part") belongs to a higher
        clause of the same actor when there is one ("Sánchez raised the possibility of
        Spanish troops taking part"): the path runs up to it."""
        for higher in range(index + 1, len(full)):
            token = full[higher]
            if token.pos_ not in PREDICATE_POS:
                continue
            if _is_reporting(token, self.lex):
                break
            subject = subject_of(token, self.lex.object_control_verbs)
            if subject is None:
                continue
            found, _ = phrase_actors(subject, self.res, self.lex)
            if found and set(found) <= set(actors):
                return higher
            break
        return index

    def _author_voice(self) -> Speaker | None:
        author = self.res.author
        if author is None:
            return None
        actor = self.res.leader_actor(author)
        return Speaker(author, (actor,) if actor else ())

    def _predicate_actor(
        self, token: Token, cue: Token, owner: tuple[Actor, ...]
    ) -> tuple[tuple[Actor, ...], Token | None, str] | None:
        """The actors a predicate gives the cue, (() when an unnamed group), or None to look
        higher."""
        res, lex = self.res, self.lex
        agents = agents_of(token)
        if agents:
            actors, unnamed = _agents_actors(agents, res, lex)
            if actors or unnamed:
                return actors, agents[0], "agent"
        if token.lemma_.lower() in lex.receive_verbs:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "from":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            actors, _ = phrase_actors(obj, res, lex)
                            if actors:
                                if self._third_state_receives(token):
                                    return (), obj, "group"  # help to a bystander state
                                return actors, obj, "source"
        subject = subject_of(token, self.lex.object_control_verbs)
        if subject is None:
            return None
        taking = token.lemma_.lower() in lex.receive_verbs
        if taking and owner and not _inside_subject(cue, subject):
            receivers, _ = phrase_actors(subject, res, lex)
            if receivers and not set(receivers) & set(owner):
                return (), subject, "group"  # "will not accept Turkish forces": another's, taken
        if _inside_subject(cue, subject):
            if owner:
                return owner, None, "owner"
            return None  # "troops could be deployed": the actor is higher up
        if subject.dep_ == "expl":
            return (owner, None, "owner") if owner else None
        if _supposed_subject(subject):
            return (), subject, "group"  # "a government I would lead would send ..."
        actors, unnamed = phrase_actors(subject, res, lex)
        if (
            not actors
            and subject.lemma_.lower() in lex.government_nouns
            and subject.tag_ in ("NN", "NNP")  # "countries that send forces" are others
        ):
            actors = self._reporter_state(token)  # "X said the government would ..."
            if not actors and _named_office(subject) and res.publisher_state is not None:
                actors = (res.publisher_state,)  # "the Department of Defense" in its own text
        if token.dep_ == "acl" and subject.i == token.head.i and not token_actors(subject, res):
            # "an OSCE mission monitoring the ceasefire": what the mission does, not who gives
            return None
        if actors:
            return actors, subject, "subject"
        if unnamed:
            return (), subject, "group"
        if token.lemma_.lower() in lex.arrival_verbs and owner:
            return owner, None, "owner"
        return None

    def _finish(
        self,
        sent: Span,
        full: list[Token],
        top: int,
        actors: tuple[Actor, ...],
        path: list[Token],
        subject: Token | None,
        mechanism: str,
        speaker: Speaker | None = None,
    ) -> Clause | None:
        res, lex = self.res, self.lex
        if _blocked_by_mark(path, lex):
            return None
        frame = read_frame(top, full, actors, res, lex)
        if frame.blocked:
            return None
        voice = (
            speaker or frame.speaker or res.speakers.get(path[0].i) or _according_to(sent, res, lex)
        )
        if voice is not None and voice.acts_for_nobody:
            return None  # an analyst's or a reporter's guess is no state's position
        if is_question(sent) and (frame.speaker is None):
            return None
        if frame.own_wish is not None:
            path = [*path, frame.own_wish]
        return Clause(actors, _own_modality(path), subject, voice, mechanism)
