"""Which words report a meeting, of which kind, and whether it was held.

A meeting word is a noun (a meeting, talks, a summit, a visit, a call with someone, a joint
press conference) or a verb (met, hosted or received someone, visited, spoke by phone). It
reports a meeting held when its clause is realis: not future, tentative, planned, hoped for,
offered, cancelled or negated, not an infinitive of purpose ("arrived to meet"), and not the
topic of something else ("the progress of the negotiations").
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Span, Token

from kg.extract.dates import is_future
from kg.extract.syntax import conjuncts, subject_of
from kg.lexicon import Lexicon
from kg.resolve import Resolution

PRESS = "press conference"
CALL = "call"
VISIT = "visit"
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
# Verbs that can report a meeting, besides the lexicon's receiving and visit verbs.
_VERB_LEMMAS = frozenset(
    {"speak", "talk", "confer", "call", "phone", "telephone", "meet", "convene", "gather"}
)


class KindReader:
    """Reads the meeting words of one document."""

    def __init__(self, res: Resolution, lex: Lexicon) -> None:
        self.res = res
        self.lex = lex
        self.words = lex.meeting_words

    def names_people(self, token: Token) -> bool:
        """The phrase names people (a leader, "his counterpart", "the delegation")."""
        for head in conjuncts(token):
            if head.i in self.res.leader_at or head.i in self.res.person_at:
                return True
            if head.lemma_.lower() in self.lex.participant_nouns:
                return True
            for child in head.children:
                if child.dep_ in ("appos", "compound") and child.i in self.res.leader_at:
                    return True
        return False

    def kind(self, token: Token) -> str | None:
        """The kind of meeting a word reports, or None."""
        if token.pos_ in ("NOUN", "PROPN"):
            kind = self._noun_kind(token)
            if (
                kind == CALL
                and token.dep_ == "pobj"
                and token.head.lower_ in self.words.call_means_prepositions
                and token.head.head.lemma_.lower() in self.words.joining_verbs
            ):
                return None  # "took part by videoconference": how, in the meeting told
            return kind
        if token.pos_ == "VERB":
            return self._verb_kind(token)
        if token.lemma_ == "be" and self._there_with(token):
            return VISIT
        return None

    def _there_with(self, copula: Token) -> bool:
        """ "You were in Kyiv on Tuesday with Prime Minister X": someone who was in a named
        place on a day, in company a person names, was on a visit."""
        children = list(copula.children)
        if copula.dep_ not in ("ROOT", "ccomp", "conj") or not any(
            c.dep_ == "nsubj" and (c.pos_ == "PRON" or self.names_people(c)) for c in children
        ):
            return False
        dated = company = False
        for prep in (c for c in children if c.dep_ == "prep"):
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                if obj.ent_type_ in ("DATE", "TIME"):
                    dated = True
                if prep.lower_ == "with" and self.names_people(obj):
                    company = True
        dated = dated or any(c.dep_ == "npadvmod" and c.ent_type_ == "DATE" for c in children)
        return dated and company and says_where(copula, self.res, ("in", "at"))

    def _noun_kind(self, token: Token) -> str | None:
        lex, words = self.lex, self.words
        lemma = token.lemma_.lower()
        if (
            lemma not in lex.meeting_nouns
            and lemma not in words.press_nouns
            and lemma not in ("talk", "call", "conversation", "conference")
            and token.lower_ != "talks"
        ):
            return None
        modifiers = {c.lower_ for c in token.children if c.dep_ in _MODIFIER_DEPS}
        if token.lower_ == "talks" or lemma == "talk" and token.tag_ == "NNS":
            return "talks"
        if lemma in ("call", "conversation"):
            if modifiers & (lex.phone_markers | lex.virtual_markers | words.call_compounds):
                return CALL
            if lemma == "call" and any(
                c.dep_ == "prep" and c.lower_ in ("with", "between") for c in token.children
            ):
                return CALL  # "the Secretary's call with the Foreign Minister"
            return None
        if lemma == "conference" and modifiers & words.press_compounds:
            return PRESS
        if lemma in words.press_nouns:
            return PRESS
        kind = lex.meeting_nouns.get(lemma)
        if kind is None or kind == PRESS or lemma == "talk":
            return None  # "a briefing" alone, "a talk" (a lecture)
        if modifiers & (lex.phone_markers | lex.virtual_markers):
            return CALL  # "a virtual meeting of G7 leaders", "a video summit"
        if token.tag_ == "NNS" and kind not in words.series_kinds:
            return None  # "several days of meetings": a series, not one meeting
        return kind

    def _verb_kind(self, token: Token) -> str | None:
        lex, words = self.lex, self.words
        lemma = token.lemma_.lower()
        if lemma in words.appearance_verbs and any(
            c.dep_ == "prep"
            and c.lower_ in words.appearance_prepositions
            and any(self.names_people(g) for g in c.children if g.dep_ == "pobj")
            for c in token.children
        ):
            return PRESS  # "said on Sunday, standing beside President X"
        if any(
            c.dep_ == "prt" and f"{lemma} {c.lower_}" in words.encounter_phrasals
            for c in token.children
        ) and any(
            self.names_people(g)
            for w in with_phrases(token)
            for g in w.children
            if g.dep_ == "pobj"
        ):
            return "meeting"  # "sat down in Rome with the Prime Minister"
        if lemma in words.joint_acts:
            return "meeting" if self._signed_together(token) else None
        if (
            lemma not in _VERB_LEMMAS
            and lemma not in words.receiving_verbs
            and lemma not in words.visit_verbs
        ):
            return None
        children = list(token.children)
        if lemma in ("speak", "talk", "confer"):
            means = {
                g.lemma_.lower()
                for c in children
                if c.dep_ == "prep" and c.lower_ in words.call_means_prepositions
                for g in c.subtree
            }
            if means & (lex.phone_markers | lex.virtual_markers):
                return CALL
            if lemma != "confer" and not any(
                c.dep_ == "prep"
                and c.lower_ == "with"
                and any(self.names_people(g) or g.i in self.res.actor_at for g in c.children)
                for c in children
            ):
                return None  # "spoke about", "talked to reporters"
            return "talks"  # "spoke with the Prime Minister": where, the text says elsewhere
        if lemma in ("call", "phone", "telephone"):
            if lemma == "call" and any(
                c.dep_ == "prep" and c.lower_ in ("for", "on") for c in children
            ):
                return None  # "called for", "called on"
            objects = [c for c in children if c.dep_ in ("dobj", "obj")]
            if any(self.names_people(o) or o.i in self.res.actor_at for o in objects):
                return CALL
            return None  # "called it symbolic"
        if any(c.dep_ == "dobj" and c.lemma_.lower() in lex.meeting_nouns for c in children):
            return None  # "held talks", "hosted a summit": the noun is the mention
        if lemma in words.receiving_verbs:
            objects = [c for c in children if c.dep_ in ("dobj", "obj", "nsubjpass")]
            agent = any(c.dep_ == "agent" for c in children)
            people = any(self.names_people(o) for o in objects)
            if lemma == "host":
                return "meeting" if people or agent else None
            return "meeting" if people or (agent and token.tag_ == "VBN") else None
        if lemma in words.visit_verbs:
            subjects = [c for c in children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects and not any(
                self.names_people(c) or c.i in self.res.actor_at or c.pos_ == "PRON"
                for c in subjects
            ):
                return None  # "the first system arrived in Ukraine": a delivery, no visit
            return VISIT
        if lemma == "meet":
            if not any(c.dep_ in ("prep", "dobj", "nsubj", "nsubjpass") for c in children):
                return None
            if any(
                c.dep_ == "prep"
                and c.lower_ == "with"
                and any(g.lemma_.lower() in words.reception_nouns for g in c.children)
                for c in children
            ):
                return None  # "the proposal met with scepticism"
            return "meeting"
        return lex.meeting_verbs.get(lemma) if lemma in ("convene", "gather") else None

    def _signed_together(self, verb: Token) -> bool:
        """ "In Paris, Macron, Starmer and Zelensky signed a declaration": leaders of two
        states or more who sign something together somewhere met to do it."""
        subject = subject_of(verb)
        if subject is None:
            return False
        states = set()
        for head in conjuncts(subject):
            name = self.res.leader_at.get(head.i)
            actor = self.res.leader_actor(name) if name is not None else None
            if actor is not None and actor.is_state:
                states.add(actor.key)
        return len(states) > 1 and says_where(verb, self.res, self.words.place_prepositions)

    def joins_before(self, token: Token) -> bool:
        """A participation verb with a subject and nothing attended named ("Macron and Tusk
        attended", "Poland took part too", "they were joined by Merz"): its subjects (and
        agents) were at the meeting told before."""
        if token.pos_ != "VERB" or token.lemma_.lower() not in self.words.joining_verbs:
            return False
        deps = {c.dep_ for c in token.children}
        named = any(
            c.dep_ in ("dobj", "obj", "prep", "xcomp", "ccomp")
            and c.lower_ != "part"
            and not any(g.lemma_.lower() in self.words.manner_objects for g in c.children)
            for c in token.children
        )  # "attended in person" names how, not what
        if "nsubjpass" in deps and "agent" in deps:
            return True  # "the Americans were joined by Merz and Macron"
        return (
            "nsubj" in deps
            and not named
            and token.lemma_.lower() != "take"
            or (
                token.lemma_.lower() == "take"
                and any(c.lower_ == "part" for c in token.children)
                and not any(c.dep_ == "prep" for c in token.children)
            )
        )

    def here(self, token: Token) -> bool:
        """ "Starmer hosted the leaders here": the place of the meeting told before."""
        words = [
            *token.children,
            *(g for c in token.children if c.dep_ == "dobj" for g in c.children),
        ]
        return any(c.dep_ == "advmod" and c.lower_ in self.words.deictic_places for c in words)

    def held(self, token: Token, sent: Span) -> bool:
        """A meeting that took place: not future, planned, intended, cancelled or negated."""
        lex, words = self.lex, self.words
        if any(
            c.lower_ in words.not_held_modifiers and c.dep_ in ("amod", "compound", "npadvmod")
            for c in token.children
        ):
            return False
        for index, node in enumerate([token, *token.ancestors]):
            if index > 3 and node.pos_ in ("NOUN", "PROPN"):
                break
            children = list(node.children)
            if any(c.dep_ == "neg" for c in children) or any(
                c.dep_ == "det" and c.lower_ == "no" for c in children
            ):
                return False
            if any(
                c.dep_ == "aux"
                and (c.lower_ in words.future_auxiliaries or c.lower_ in lex.consider_modals)
                for c in children
            ):
                return False
            lemma = node.lemma_.lower()
            if index > 0 and node.pos_ in ("VERB", "ADJ", "AUX"):
                if node.pos_ == "VERB" and (
                    lemma in words.cancel_verbs
                    or lemma == "call"
                    and any(c.lower_ == "off" for c in children)
                ):
                    return False  # "postponed the meeting", "called off a visit"
                if lemma in words.intention_words:
                    return False
                if any(f"{lemma} {c.lower_}" in words.anticipations for c in children):
                    return False  # "look forward to meeting again"
                if lemma in lex.reporting_verbs:
                    break
            if index > 0 and node.pos_ == "NOUN" and lemma in words.intention_nouns:
                return False
            if node.dep_ == "ROOT" or index > 0 and node.dep_ in ("advcl", "conj"):
                break
        if (
            token.pos_ == "VERB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
            and token.head.lemma_.lower() not in words.performative_adjectives
        ):
            return False  # "agreed to meet", "arrived to meet": not yet held ("I am glad to
            # welcome X to Berlin today" welcomes X as it says so)
        accompanying = token.dep_ == "advcl" and token.head.tag_ in ("VBD", "VBN")
        if (
            is_future(sent)
            and not accompanying  # "X said on Sunday, standing beside Y": the report's time
            and any(c.lower_ in ("will", "next") for c in token.head.subtree)
        ):
            return False
        head = token.head
        return not (
            head.lower_ in ("to", "of")
            and head.head.lemma_.lower() in ("prior", "ahead", "before", "up", "advance")
        )  # "ahead of", "prior to", "in advance of", "in the run-up to", "leading up to" it

    def topic(self, token: Token) -> bool:
        """A meeting word that is what something else is about ("the progress of the
        negotiations", "approaches to the talks"), not a meeting the text reports."""
        head = token.head
        return (
            token.dep_ == "pobj"
            and head.lower_ in self.words.topic_prepositions
            and head.head.pos_ == "NOUN"
            and head.head.lemma_.lower() not in self.lex.meeting_nouns
            and head.head.lemma_.lower() not in self.words.sidelines_nouns
        )


def says_where(verb: Token, res: Resolution, prepositions: Collection[str]) -> bool:
    """The verb names where it happened in a phrase of its own ("said in Kyiv", "signed in
    Vilnius"): a place the recogniser or the gazetteer knows, or a proper name."""
    return any(
        prep.dep_ == "prep"
        and prep.lower_ in prepositions
        and any(
            o.dep_ == "pobj"
            and (o.ent_type_ in ("GPE", "FAC", "LOC") or o.i in res.actor_at or o.pos_ == "PROPN")
            for o in prep.children
        )
        for prep in verb.children
    )


def with_phrases(verb: Token) -> list[Token]:
    """The "with" phrases of a verb, and those the parser hung on its place ("sat down in a
    hotel with the negotiators")."""
    found = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "at")):
        for place in (g for g in prep.children if g.dep_ == "pobj"):
            found += [w for w in place.children if w.dep_ == "prep" and w.lower_ == "with"]
    return found
