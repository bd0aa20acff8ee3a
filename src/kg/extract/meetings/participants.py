"""Who took part in a meeting: the people and states its clause puts there.

The subject and object of a meeting verb; the phrases after "with", "between", "among",
"of", "including"; the agent of "hosted by", "attended by", "joined by"; the subject of the
verb that holds the meeting noun ("held talks", "took part in the summit", "flew to Baku for
talks"); the two sides of "their meeting"; those present ("with X in attendance", "in the presence
of X"); the people of a nominal title ("A and B at a
Joint Press Availability"). In each phrase, every leader, state and demonym counts, except
inside a place, a time, a topic or a clause that describes someone.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.meetings.kinds import with_phrases
from kg.extract.syntax import own_subject, phrase_actors, subject_of
from kg.lexicon import Lexicon
from kg.records import Actor
from kg.resolve import Resolution

_DESCRIBING = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "punct"})


class ParticipantFinder:
    """Finds the participants of one document's meeting words."""

    def __init__(self, res: Resolution, lex: Lexicon) -> None:
        self.res = res
        self.lex = lex
        self.words = lex.meeting_words

    def _attendance(self, clause: Token) -> list[Token]:
        """ "... attended by X", "..., bringing together X", "joined by X"."""
        heads: list[Token] = []
        for grand in clause.children:
            if grand.dep_ in ("dobj", "pobj", "nsubj"):
                heads.append(grand)
            elif grand.dep_ in ("agent", "prep", "prt"):
                heads.extend(c for c in grand.children if c.dep_ == "pobj")
        return heads

    def heads(self, token: Token) -> list[Token]:
        """The heads of the phrases that name the participants of a meeting word."""
        words, lex = self.words, self.lex
        heads: list[Token] = []
        for child in token.children:
            if child.dep_ == "poss":
                heads.append(child)
                if child.lower_ in words.group_possessives:
                    heads.extend(self._clause_people(token))
            elif child.dep_ == "prep" and child.lower_ in words.participant_prepositions:
                if child.lower_ == "to" and token.pos_ != "NOUN":
                    continue
                heads.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
            elif child.dep_ == "agent":
                heads.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ in ("acl", "relcl", "advcl") and (
                child.lemma_.lower() in words.attendance_verbs
            ):
                heads.extend(self._attendance(child))
            elif child.dep_ == "acl" and child.tag_ == "VBN":
                # "consultations held by A with B": who held them, and with whom
                for prep in child.children:
                    if prep.dep_ == "agent" or (
                        prep.dep_ == "prep" and prep.lower_ in words.participant_prepositions
                    ):
                        heads.extend(c for c in prep.children if c.dep_ == "pobj")
        heads.extend(self._present(token))  # on the verb or on the meeting noun
        if token.pos_ == "VERB":
            # "sat down in a hotel with the negotiators": a "with" hung on the place
            heads.extend(
                o
                for w in with_phrases(token)
                if w.head.i != token.i
                for o in w.children
                if o.dep_ == "pobj"
            )
            subject = subject_of(token)
            if subject is not None:
                heads.append(subject)
            heads.extend(
                c
                for c in token.children
                if c.dep_ in ("dobj", "nsubjpass", "nsubj")  # a second subject the parser
                and c is not subject  # did not coordinate ("A and B attended")
                and c.lemma_.lower() not in lex.meeting_nouns
            )
        holder = token.head
        if token.dep_ == "pobj" and holder.lower_ == "of" and holder.head.pos_ == "NOUN":
            # "held a new round of talks": the round stands in the clause for the talks
            token, holder = holder.head, holder.head.head
        if token.dep_ == "pobj" and holder.dep_ == "prep":
            heads.extend(self._prepositional_holder(holder))
        if token.dep_ in ("dobj", "nsubjpass", "nsubj", "attr") and holder.pos_ in ("VERB", "AUX"):
            heads.extend(self._verbal_holder(token, holder))
            if holder.pos_ == "VERB":
                heads.extend(self._present(holder))  # "chaired the meeting, in the presence of"
        return heads

    def _present(self, verb: Token) -> list[Token]:
        """ "..., with X in attendance", "in the presence of X": people present, on the
        meeting verb or a verb coordinated with it ("met ... and signed ..., with X in
        attendance")."""
        presence = self.words.presence_nouns
        heads: list[Token] = []
        verbs = [verb, *(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")]
        for clause in verbs:
            preps = [c for c in clause.children if c.dep_ == "prep"]
            objects = {p.i: [o for o in p.children if o.dep_ == "pobj"] for p in preps}
            attended = any(
                p.lower_ == "in" and any(o.lemma_.lower() in presence for o in objects[p.i])
                for p in preps
            )
            for prep in preps:
                if prep.lower_ == "with" and attended:
                    heads.extend(objects[prep.i])
                for obj in objects[prep.i]:
                    if obj.lemma_.lower() in presence:
                        heads.extend(
                            g
                            for of in obj.children
                            if of.dep_ == "prep" and of.lower_ == "of"
                            for g in of.children
                            if g.dep_ == "pobj"
                        )
        return heads

    def _prepositional_holder(self, holder: Token) -> list[Token]:
        """ "Meloni, who took part in the talks", "Merz, speaking after the meeting", "flew
        to Baku for talks", "sat down in Geneva for talks", and a title "A and B at a Joint
        Press Availability"."""
        words = self.words
        heads: list[Token] = []
        above = holder.head
        if above.pos_ in ("NOUN", "PROPN") and holder.lower_ in ("at", "during", "following"):
            if above.dep_ == "ROOT":
                heads.append(above)  # "A and B at a joint press availability"
                # "Statement by A and B following the meeting": its authors were there
                heads += [
                    g
                    for c in above.children
                    if c.dep_ == "prep" and c.lower_ == "by"
                    for g in c.children
                    if g.dep_ == "pobj"
                ]
        if above.pos_ in ("VERB", "AUX") and (
            above.lemma_.lower() in self.lex.participation_verbs
            or above.lemma_.lower() in words.travel_verbs
            or holder.lower_ in ("after", "following", "at", "during", "for")
        ):
            subject = subject_of(above)
            if subject is not None:
                heads.append(subject)
        return heads

    def _verbal_holder(self, token: Token, holder: Token) -> list[Token]:
        """The verb that holds the meeting noun: its subject, its "with" party, its agent,
        and the people its attendance clauses bring."""
        heads = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != token.i]
        if not heads:
            subject = own_subject(holder) or subject_of(holder)
            if subject is not None and subject.i != token.i:
                heads.append(subject)
        attending = holder.lemma_.lower() in self.words.attendance_verbs
        for child in holder.children:
            if child.dep_ == "agent" or (
                child.dep_ == "prep" and child.lower_ in ("with", "between", "among")
            ):
                heads.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
            if child.dep_ == "dobj" and child.i != token.i and attending:
                heads.append(child)  # "the summit brought together 40 leaders, including ..."
            if child.dep_ in ("advcl", "acl", "xcomp", "conj") and (
                child.lemma_.lower() in self.words.attendance_verbs
            ):
                heads.extend(self._attendance(child))
        return heads

    def _clause_people(self, token: Token) -> list[Token]:
        """ "X spoke with Y to follow up on their meeting": the subject and the "with" party
        of the clause that names the meeting."""
        for verb in token.ancestors:
            if verb.pos_ != "VERB":
                continue
            found: list[Token] = []
            subject = subject_of(verb)
            if subject is not None:
                found.append(subject)
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in ("with", "between"):
                    found.extend(c for c in child.children if c.dep_ == "pobj")
            if len(found) > 1 or verb.dep_ == "ROOT":
                return found
        return []

    def _phrase_tokens(self, head: Token) -> list[Token]:
        """The words of a participant phrase: its subtree without clauses that describe it
        and without places, times or topics ("in Kyiv", "on security")."""
        found: list[Token] = []
        stack = [head]
        while stack:
            token = stack.pop()
            found.append(token)
            for child in token.children:
                if child.dep_ in _DESCRIBING:
                    continue
                if child.dep_ == "prep" and child.lower_ in self.words.not_participant_prepositions:
                    continue
                stack.append(child)
        return found

    def participants(self, token: Token) -> tuple[list[Actor], list[str]]:
        """States and leaders the meeting's clause puts there (see the module docstring)."""
        actors: list[Actor] = []
        leaders: list[str] = []
        for head in self.heads(token):
            issuer = self._issuer_office(head)
            if issuer is not None and issuer not in actors:
                actors.append(issuer)  # "The Prime Minister welcomed ..." in the PM's readout
            for word in self._phrase_tokens(head):
                name = self.res.leader_at.get(word.i) or self.res.person_at.get(word.i)
                if name is not None:
                    if name not in leaders:
                        leaders.append(name)
                    continue
                mention = self.res.actor_at.get(word.i)
                if mention is not None and mention.label in ("STATE", "DEMONYM"):
                    if mention.actor not in actors:
                        actors.append(mention.actor)
                    continue
                for actor in self.res.refers_to.get(word.i, ()):
                    if actor.is_state and actor not in actors:
                        actors.append(actor)
        return actors, leaders

    def _issuer_office(self, head: Token) -> Actor | None:
        """ "The Prime Minister", "the Secretary": a title alone, with no name and no state,
        in a text a state's office publishes, is that state's office holder."""
        state = self.res.publisher_state
        if state is None or not state.is_state:
            return None
        if head.i in self.res.leader_at or head.i in self.res.actor_at:
            return None
        if head.lemma_.lower() not in self.lex.title_words:
            return None
        phrase = list(head.subtree)
        if any(t.i in self.res.actor_at or t.i in self.res.leader_at for t in phrase):
            return None  # "the Prime Minister of Estonia"
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None
        return state

    def leaders_of_sentence(self, token: Token) -> list[str]:
        """The leaders the meeting word's sentence names, in order: who took part when the
        sentence reports the meeting, where and when, but the parse ties nobody to the word
        (a verb read as an adjective)."""
        found: list[str] = []
        for word in token.sent:
            name = self.res.leader_at.get(word.i)
            if name is not None and name not in found:
                found.append(name)
        return found

    def joint(self, token: Token, actors: list[Actor], leaders: list[str]) -> bool:
        """A press conference of two sides: "joint", or leaders of two states."""
        if any(c.lower_ in self.words.joint_markers for c in token.children):
            return True
        states = set(actors) | {a for n in leaders if (a := self.res.leader_actor(n)) is not None}
        return len(states) > 1

    def host(self, token: Token) -> str | None:
        """The state whose leader or government hosts the meeting ("Starmer hosted a summit",
        "was received by President X")."""
        verb = token.head if token.dep_ in ("dobj", "nsubjpass") else token
        if verb.lemma_.lower() not in self.words.receiving_verbs:
            return None
        holder: Token | None = None
        for child in verb.children:
            if child.dep_ == "agent":
                holder = next((c for c in child.children if c.dep_ == "pobj"), None)
        if holder is None:
            holder = subject_of(verb)  # "Starmer said after hosting a summit"
        if holder is None:
            return None
        state = next((a for a in phrase_actors(holder, self.res, self.lex)[0] if a.is_state), None)
        return state.key if state else None
