"""Where a meeting was: the "in"/"at" phrase on the meeting word or its verb, the
destination of a visit or of a journey "for talks", the event it was on the sidelines of,
the telephone or a video link for a call, else the dateline.

A city, a state, or a venue (resolved to its city, the venue kept) is a place; a month, a
title, a person or an organization never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from kg.extract.meetings.kinds import CALL, VISIT, says_where
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.nlp import DATELINE
from kg.records import PHONE, VIRTUAL
from kg.resolve import Resolution
from kg.resolve.speech import paragraphs

# "WARSAW, March 26 (Reuters) - ", "KYIV (AP) - ", "Brussels, Jan. 15 - ".

_CLAUSES = frozenset({"advcl", "xcomp", "ccomp", "relcl", "acl", "conj", "parataxis"})
_PLACE_LABELS = frozenset({"CAPITAL", "VENUE", "SEAT", "STATE"})


@dataclass(frozen=True)
class Place:
    """Where a meeting was: the place name recorded, the venue it was read from, and the
    state it is in."""

    name: str
    venue: str | None = None
    state: str | None = None
    region: bool = False
    """A region or a landform ("the Canadian Rockies"), not a town: a dateline is nearer."""

    @property
    def remote(self) -> bool:
        """A telephone line or a video link rather than a place."""
        return self.name in (PHONE, VIRTUAL)


class PlaceFinder:
    """Finds the places of one document's meetings."""

    def __init__(self, doc: Doc, res: Resolution, lex: Lexicon, gaz: Gazetteer) -> None:
        self.doc = doc
        self.res = res
        self.lex = lex
        self.gaz = gaz
        self.words = lex.meeting_words
        self.dateline_end = 0
        self.dateline = self._dateline()

    # --- the dateline ----------------------------------------------------------------------

    def _dateline(self) -> Place | None:
        """ "WARSAW, March 26 (Reuters) - ..." or a line of its own naming a place near the top
        ("Poland-Ukraine Border")."""
        for number, paragraph in enumerate(paragraphs(self.doc)):
            if number >= 3:
                break
            match = DATELINE.match(paragraph.text)
            if match is not None:
                end = paragraph[0].idx + match.end()
                self.dateline_end = next((t.i for t in paragraph if t.idx >= end), paragraph.end)
                return self.named(match.group("place").strip())
            if len(paragraph) >= 8 and paragraph.text.rstrip().endswith((".", '"', "\u201d")):
                break  # the body has begun: "UNITED STATES - ..." further down is a label
            if len(paragraph) > 5 or any(t.pos_ in ("VERB", "AUX") for t in paragraph):
                continue
            if any(t.i in self.res.leader_at for t in paragraph):
                continue  # a byline
            if any(
                (m := self.res.actor_at.get(t.i)) is not None
                and m.label != "ORG"
                or t.ent_type_ in ("GPE", "LOC", "FAC")
                for t in paragraph
            ):
                return self.named(self._town_of(paragraph.text.strip()))
        return None

    def _town_of(self, line: str) -> str:
        """ "Kyiv, Ukraine" -> "Kyiv": a town and the state it is in, written out."""
        town, _, rest = line.partition(",")
        if rest and self.gaz.state_for_name(rest.strip()) is not None:
            return town.strip()
        return line

    def named(self, name: str) -> Place:
        """The place a name written out stands for ("WARSAW" -> Warsaw, a venue -> its city)."""
        cleaned = " ".join(
            w.capitalize() if w.isupper() and len(w) > 3 else w for w in name.split()
        )
        city = self.gaz.venue_city(cleaned)
        if city is not None:
            return Place(city, cleaned, self.gaz.state_in_text(city))
        return Place(cleaned, None, self.gaz.state_in_text(cleaned))

    # --- names -----------------------------------------------------------------------------

    def place_from(self, obj: Token) -> Place | None:
        """The place a noun phrase names, or None."""
        capital = self._capital_of(obj)
        if capital is not None:
            return capital
        for inner in self._place_words(obj):
            mention = self.res.actor_at.get(inner.i)
            if mention is not None:
                text = self.doc[mention.start : mention.end].text
                if mention.label == "STATE" and _owner_of_thing(inner):
                    continue  # "the U.S. air base in Ramstein": whose base, not where
                if mention.label in ("CAPITAL", "STATE"):
                    return Place(text, None, mention.actor.key)
                if mention.label in ("VENUE", "SEAT"):
                    return self.named(text)
                continue  # an organization
            if inner.i in self.res.leader_at or inner.i in self.res.person_at:
                continue
            if inner.lower_ in self.words.months or inner.lower_ in self.lex.title_words:
                continue
            if inner.ent_type_ in ("PERSON", "NORP", "DATE", "ORG") or inner.like_num:
                continue
            if inner.ent_type_ in ("GPE", "LOC", "FAC") or (
                inner.pos_ == "PROPN" and inner.text[:1].isupper()
            ):
                place = self.named(self._place_name(inner))
                landform = inner.ent_type_ not in ("GPE", "FAC") and any(
                    c.dep_ == "det" and c.lower_ == "the" for c in inner.children
                )  # towns go without "the"; "the Rockies", "the Alps" do not
                if landform and place.state is None and place.venue is None:
                    # A landform or region ("the Canadian Rockies"): a dateline says better
                    # which town the meeting was in.
                    return replace(place, region=True)
                return place
        return None

    def _capital_of(self, obj: Token) -> Place | None:
        """ "the Saudi capital", "Poland's capital": the capital of the state named on it."""
        if obj.lemma_.lower() != "capital":
            return None
        for child in obj.children:
            mention = self.res.actor_at.get(child.i)
            if child.dep_ in ("amod", "compound", "poss") and mention is not None:
                state = self.gaz.states.get(mention.actor.key) if mention.actor.is_state else None
                if state is not None and state.capitals:
                    return Place(state.capitals[0], None, state.alpha2)
        return None

    def _place_words(self, obj: Token) -> list[Token]:
        """The place noun, then what narrows it: compounds, appositions and nested "in"; a
        city named inside a venue's phrase comes first ("the Mariinsky Palace in Kyiv")."""
        found = [obj]
        for child in obj.children:
            if child.dep_ in ("compound", "appos", "conj") and child.pos_ == "PROPN":
                found.append(child)
            if child.dep_ == "prep" and child.lower_ in ("in", "at"):
                for inner in child.children:
                    if inner.dep_ == "pobj":
                        found.extend(self._place_words(inner))
        cities = [
            t
            for t in found
            if (m := self.res.actor_at.get(t.i)) is not None and m.label == "CAPITAL"
        ]
        return cities + [t for t in found if t not in cities]

    def _place_name(self, token: Token) -> str:
        """The whole name a place token belongs to: its entity, widened over hyphens written
        without spaces ("Mar-a-Lago")."""
        doc = self.doc
        ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        start, end = (ent.start, ent.end) if ent is not None else (token.i, token.i + 1)
        while (
            start > 0
            and not doc[start - 1].whitespace_
            and "-"
            in (
                doc[start - 1].text,
                doc[start].text,
            )
        ):
            start -= 1
        while (
            end < len(doc)
            and not doc[end - 1].whitespace_
            and "-"
            in (
                doc[end].text,
                doc[end - 1].text,
            )
        ):
            end += 1
        text = doc[start:end].text
        return text[4:] if text.lower().startswith("the ") else text

    # --- the meeting's place ---------------------------------------------------------------

    def _attached_preps(self, token: Token) -> list[Token]:
        """The prepositions of the meeting word, of its verb (not of a verb it only dates:
        "Following the meeting, X signed ... in Z"), of a clause that says it happened
        ("talks that concluded in Istanbul"), and of a date phrase on them."""
        words = self.words
        heads = [token]
        if token.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and token.head.pos_ in (
            "VERB",
            "AUX",
        ):
            heads.append(token.head)
        if (
            token.dep_ == "pobj"
            and token.head.head.pos_ in ("VERB", "AUX")
            and (
                token.head.lower_ not in words.time_prepositions
                or token.head.lower_ in ("after", "following")
                and says_where(token.head.head, self.res, ("in", "at"))  # "said in Kyiv after"
            )
        ):
            heads.append(token.head.head)
        for child in token.children:
            if child.dep_ in ("relcl", "acl") and (
                child.lemma_.lower() in words.event_verbs or child.tag_ == "VBN"
            ):
                heads.append(child)  # "talks held in Paris"
        for noun in list(token.ancestors)[:3]:
            # "a statement following the meeting of the group, held today in Brussels": the
            # parser hangs "held" on a noun above the meeting
            heads += [
                c
                for c in noun.children
                if c.i > token.i
                and c.lemma_.lower() in words.event_verbs
                and (c.dep_ == "acl" or c.dep_ == "advcl" and _bare_participle(c))
            ]  # "took part in the meeting, held at the palace in Paris" (on "took")
        for inner in token.subtree:
            if inner.dep_ == "relcl" and inner.lemma_.lower() in words.event_verbs:
                heads.append(inner)  # "talks between X and Y that concluded in Istanbul"
        preps: list[Token] = []
        for head in heads:
            for child in head.children:
                if child.dep_ == "prep":
                    preps.append(child)
                    for obj in child.children:
                        if obj.ent_type_ in ("DATE", "TIME"):
                            preps.extend(c for c in obj.children if c.dep_ == "prep")
                if child.dep_ == "npadvmod" and child.ent_type_ in ("DATE", "TIME"):
                    preps.extend(c for c in child.children if c.dep_ == "prep")
        return preps

    def place_of(self, token: Token, kind: str, nested: bool = False) -> Place | None:
        """The place of a meeting word of the given kind, or None."""
        lex, words = self.lex, self.words
        if kind == CALL:
            spoken = {c.lower_ for c in token.subtree}
            if token.pos_ == "VERB":
                spoken |= {g.lower_ for c in token.children if c.dep_ == "prep" for g in c.subtree}
            return Place(VIRTUAL) if spoken & lex.virtual_markers else Place(PHONE)
        for child in token.children:
            mention = self.res.actor_at.get(child.i)
            if child.dep_ == "compound" and mention is not None:
                if mention.label in ("CAPITAL", "VENUE", "SEAT"):
                    return self.place_from(child)  # "the Paris summit"
        where = self._where_clause(token)
        if where is not None:
            return where
        sidelines: Place | None = None
        for prep in self._attached_preps(token):
            lowered = prep.lower_
            if prep.head.i == token.i and token.pos_ == "NOUN":
                if lowered in words.subject_prepositions:
                    continue  # "talks on Ukraine": what they are about
            travelling = (
                prep.head.lemma_.lower() in words.travel_verbs
                or prep.head.lemma_.lower() in words.receiving_verbs  # "welcomed X to Y"
            )
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                if (
                    obj.lemma_.lower() in words.sidelines_nouns
                    or obj.lower_ in words.sidelines_nouns
                ):
                    sidelines = self._sidelines_place(obj) or sidelines
                    continue
                if lowered in words.place_prepositions or (
                    (kind == VISIT or travelling) and lowered in words.visit_prepositions
                ):
                    place = self.place_from(obj)
                    if place is not None:
                        return place
                if (
                    not nested
                    and obj.i != token.i
                    and lowered in ("during", "at")
                    and obj.lemma_.lower() in lex.meeting_nouns
                ):
                    inner = self.place_of(obj, lex.meeting_nouns[obj.lemma_.lower()], True)
                    if inner is not None:
                        return inner
        if sidelines is not None:
            return sidelines
        held = [
            c for c in token.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"
        ]  # "consultations held with the delegation in Florida"
        place = (
            self._place_in_participants(token)
            or (token.dep_ == "dobj" and self._place_in_participants(token.head))  # "held talks"
            or next((p for c in held if (p := self._place_in_participants(c))), None)
            or self._named_place_below(token)
        )
        if place is not None:
            return place
        if kind == VISIT:
            for child in token.children:
                if child.dep_ in ("dobj", "obj"):
                    place = self.place_from(child)
                    if place is not None:
                        return place
            # "a visit to our country": the state a reference stands for
            for prep in self._attached_preps(token):
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    referred = self.res.refers_to.get(obj.i)
                    if referred and referred[0].is_state:
                        state = self.gaz.states.get(referred[0].key)
                        if state is not None:
                            return Place(state.name, None, state.alpha2)
        return None

    def _where_clause(self, token: Token) -> Place | None:
        """ "travelled to Paris, where he held talks": the place a "where" clause hangs on."""
        verb = token if token.pos_ == "VERB" else token.head
        if verb.pos_ not in ("VERB", "AUX") or verb.dep_ != "relcl":
            return None
        if any(c.lower_ == "where" and c.dep_ == "advmod" for c in verb.children):
            return self.place_from(verb.head)
        return None

    def _place_in_participants(self, token: Token) -> Place | None:
        """ "met with the Prime Minister of Portugal in Kyiv": the parser hangs the place on
        the last participant."""
        if token.pos_ != "VERB":
            return None
        for child in token.children:
            if child.dep_ in ("dobj", "obj"):
                phrase = [child]
            elif child.dep_ == "prep" and child.lower_ == "with":
                phrase = [g for g in child.children if g.dep_ == "pobj"]
            else:
                continue
            for head in phrase:
                for inner in head.subtree:
                    if inner.dep_ == "prep" and inner.lower_ in ("in", "at") and inner.i > head.i:
                        for where in (c for c in inner.children if c.dep_ == "pobj"):
                            place = self.place_from(where)
                            if place is not None:
                                return place
        return None

    def _named_place_below(self, token: Token) -> Place | None:
        """A city, state or venue in an "in"/"at" phrase anywhere in the meeting's clause
        (or the meeting noun's phrase: "a meeting of the coalition in Paris"), when the parser
        attached it elsewhere; clauses below it ("to discuss ...", "that Italy would ...")
        are not searched."""
        stack = list(token.children)
        while stack:
            inner = stack.pop()
            if inner.dep_ in _CLAUSES and inner.ent_type_ != "PERSON":  # not a mis-tagged name
                continue
            stack.extend(inner.children)
            if inner.dep_ != "prep" or inner.lower_ not in ("in", "at"):
                continue
            for where in (c for c in inner.children if c.dep_ == "pobj"):
                mention = self.res.actor_at.get(where.i)
                if mention is not None and mention.label in _PLACE_LABELS:
                    return self.place_from(where)
                if where.ent_type_ in ("GPE", "FAC"):
                    return self.place_from(where)
        return None

    def _sidelines_place(self, obj: Token) -> Place | None:
        """ "on the sidelines of the UN General Assembly in New York": the city, else the
        event's venue, else the event."""
        for prep in obj.children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            for event in (c for c in prep.children if c.dep_ == "pobj"):
                for inner in event.subtree:
                    if inner.dep_ == "prep" and inner.lower_ in ("in", "at"):
                        for where in (c for c in inner.children if c.dep_ == "pobj"):
                            place = self.place_from(where)
                            if place is not None:
                                return place
                name = self.doc[event.left_edge.i : event.i + 1].text
                name = re.sub(r"^(the|a|an)\s+", "", name, flags=re.IGNORECASE)
                city = self.gaz.venue_city(name)
                if city is not None:
                    return Place(city, name, self.gaz.state_in_text(city))
                if event.pos_ == "PROPN" or event.ent_type_ in ("EVENT", "ORG", "FAC"):
                    return Place(name)
        return None


def _owner_of_thing(token: Token) -> bool:
    """A state named as the modifier of a common noun ("the U.S. air base", "the French
    embassy"): the thing's owner."""
    head = token
    while head.dep_ == "compound" and head.head.pos_ == "PROPN" and head.head != head:
        head = head.head  # "U.S." inside a longer name
    return head.dep_ in ("compound", "amod", "nmod", "poss") and head.head.pos_ == "NOUN"


def _bare_participle(verb: Token) -> bool:
    """A past participle with no subject or auxiliary of its own ("..., held in Paris"): it
    says something of a noun before it."""
    return verb.tag_ == "VBN" and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children
    )
