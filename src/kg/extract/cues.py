"""What a sentence offers: the words that name a contribution, typed in their context.

The ``kg_cues`` component marks candidate words; here they are typed by how the sentence
uses them:

- aircraft and ships that are handed over are Equipment; deployed, stationed or sent on a
  mission (policing airspace, patrolling the sea) they are AirPower or Maritime;
- money (a MONEY entity) is Funding, unless it is the value of something else ("drones worth
  15 million euros") or of help that has no contribution type (humanitarian aid);
- verbs name contributions by themselves: training ("train pilots"), funding ("lend"),
  reconstruction ("rebuild bridges"), demining, monitoring, and policing or patrolling
  (air or sea by what is watched over);
- a person noun that is trained is a trainee, not troops offered; the forces and weapons of
  a party to the war are its own, not a contribution; "not troops" is negated on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.lexicon import PATROL, Lexicon
from kg.nlp import CUES_KEY, DESIGNATION, PLATFORM_AIR, PLATFORM_SEA
from kg.records import ContributionType
from kg.resolve import Resolution

T = ContributionType
# Types whose cue, when it belongs to a party to the war, is that party's own force.
_OWN_FORCE_TYPES = frozenset(
    {T.GROUND_TROOPS, T.AIR_POWER, T.MARITIME, T.EQUIPMENT, T.UNSPECIFIED_MILITARY}
)
_PERSONNEL = frozenset({T.GROUND_TROOPS})


@dataclass(frozen=True)
class Cue:
    """A word naming what is offered, the types it stands for here, and whether it is
    negated by itself ("trainers, not troops")."""

    token: Token
    types: frozenset[ContributionType]
    negated: bool = False
    anaphoric: bool = False  # "we will not do it": a pronoun for the contribution before
    amount: Span | None = None  # the amount of money the cue heads, as written
    asked: bool = False  # "Kyiv's request for jets": a topic the next sentence may take up


# "2bn", "500m", "1.5tn": a number with its magnitude in one word
_SHORT_AMOUNT = re.compile(r"^\d+(?:[.,]\d+)?(?:k|m|mn|bn|b|tn)$", re.IGNORECASE)


def cues_by_sentence(doc: Doc) -> dict[int, list[Span]]:
    """The ``kg_cues`` spans of a document grouped by the index of their sentence."""
    starts = [sent.start for sent in doc.sents]
    grouped: dict[int, list[Span]] = {}
    for span in doc.spans[CUES_KEY]:
        # the last sentence starting at or before the span (no pass over every token)
        grouped.setdefault(max(bisect_right(starts, span.start) - 1, 0), []).append(span)
    return grouped


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above a word."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return None


class CueReader:
    """Types the cue words of one document's sentences."""

    def __init__(self, res: Resolution, lex: Lexicon) -> None:
        self.res = res
        self.lex = lex

    # --- exclusions ----------------------------------------------------------------------

    def _owned_by_belligerent(self, token: Token) -> bool:
        for child in token.children:
            if child.dep_ not in ("poss", "amod", "compound", "nmod"):
                continue
            for candidate in child.subtree:
                mention = self.res.actor_at.get(candidate.i)
                if mention is not None and mention.actor.is_state:
                    return mention.actor.key in self.lex.belligerents
        return False

    def _is_trainee(self, token: Token) -> bool:
        """People who are trained: the object of a training verb or of "training of/for",
        also through "a brigade of 4,500 soldiers"."""
        lex = self.lex
        if token.lemma_.lower() not in lex.trainee_nouns and token.lower_ not in lex.trainee_nouns:
            return False
        head = token.head
        if token.dep_ in ("dobj", "nsubjpass", "conj", "appos") and (
            lex.activity_verbs.get(head.lemma_.lower()) is T.TRAINING
        ):
            return True
        if token.dep_ == "pobj" and head.lower_ in ("of", "for"):
            owner = head.head
            if owner.lemma_.lower() in ("training", "train"):
                return True
            return owner.pos_ == "NOUN" and owner.i != token.i and self._is_trainee(owner)
        return False

    def _modifies_people(self, token: Token) -> bool:
        """ "F-16 pilots", "tank crews": the cue only says what the people work with."""
        head = token.head
        return (
            token.dep_ in ("compound", "amod", "nmod")
            and head.pos_ == "NOUN"
            and (
                head.lemma_.lower() in self.lex.trainee_nouns
                or head.lower_ in self.lex.trainee_nouns
            )
        )

    def _aimed_at(self, token: Token) -> bool:
        """ "sanctions on 20 ships of the fleet": what a help that is no contribution is
        about, through a chain of prepositional phrases."""
        while token.dep_ == "pobj" and token.head.dep_ == "prep":
            token = token.head.head
            if token.pos_ != "NOUN":
                return False
            if self._excluded_aid(token):
                return True
        return False

    def _excluded_aid(self, token: Token) -> bool:
        """Help with no contribution type ("humanitarian aid"), unless a modifier coordinated
        with it names one ("humanitarian and military assistance")."""
        lex = self.lex
        for child in token.children:
            if child.dep_ in ("amod", "compound") and child.lower_ in lex.excluded_aid_modifiers:
                coordinated = [c for c in child.subtree if c.dep_ == "conj" and c.i < token.i]
                if not any(
                    f"{word.lower_} {noun}" in lex.phrase_types
                    for word in coordinated
                    for noun in (token.lower_, token.lemma_.lower())
                ):
                    return True
        return token.lemma_.lower() in lex.excluded_aid_nouns

    def _foreign(self, token: Token) -> bool:
        modifiers = {c.lower_ for c in token.children if c.dep_ in ("amod", "det", "compound")}
        return bool(modifiers & self.lex.opposition_modifiers)

    def _negated(self, token: Token) -> bool:
        """ "not troops": a negation before the cue, on it or on the noun it is set against
        ("trainers, not troops" negates troops, not trainers), or the cue is what something
        else is chosen over ("rather than troops", "instead of troops")."""
        if any(c.dep_ == "neg" and c.i < token.i for c in token.children):
            return True
        if any(_sets_against(a) for a in token.ancestors):
            return True  # "airfields rather than troops", "instead of sending troops"
        if token.dep_ in ("appos", "conj"):
            return any(
                c.dep_ == "neg" and token.head.i < c.i < token.i for c in token.head.children
            )
        return False

    # --- typing --------------------------------------------------------------------------

    def _platform_type(self, token: Token, air: bool) -> ContributionType:
        """Handed over: Equipment; deployed or on a mission: AirPower or Maritime."""
        mission = T.AIR_POWER if air else T.MARITIME
        lex = self.lex
        verb = governing_verb(token)
        if token.dep_ in ("nsubj", "nsubjpass") and verb is not None:
            if lex.activity_verbs.get(verb.lemma_.lower()) == PATROL or any(
                lex.activity_verbs.get(c.lemma_.lower()) == PATROL
                for c in verb.children
                if c.dep_ in ("xcomp", "advcl")
            ):
                return mission
        if verb is None:
            return mission
        lemma = verb.lemma_.lower()
        for child in verb.children:
            if child.dep_ in ("xcomp", "advcl") and (
                lex.activity_verbs.get(child.lemma_.lower()) == PATROL
            ):
                return mission  # "station F-16s in Ukraine to police its airspace"
            if child.dep_ == "prep" and child.lower_ in lex.mission_prepositions:
                places = {g.lemma_.lower() for g in child.children if g.dep_ == "pobj"}
                if places & set(lex.patrol_objects):
                    return mission
            if child.dep_ == "prep" and child.lower_ == "to":
                targets = [g for g in child.children if g.dep_ == "pobj"]
                if any(g.lemma_.lower() in lex.force_recipients for g in targets):
                    return T.EQUIPMENT  # "boats to the Ukrainian navy"
                if lemma == "send" and any(
                    (m := self.res.actor_at.get(g.i)) is not None
                    and m.actor.key in lex.belligerents
                    for g in targets
                ):
                    return T.EQUIPMENT  # "send jets to Ukraine": handed over
        if lemma in lex.transfer_verbs and lemma not in lex.deploy_verbs:
            return T.EQUIPMENT
        return mission

    def _labelled_types(self, span: Span, context: set[str]) -> set[ContributionType]:
        label = span.label_
        root = span.root
        if label in (PLATFORM_AIR, PLATFORM_SEA):
            return {self._platform_type(root, air=label == PLATFORM_AIR)}
        if label == DESIGNATION:
            return {T.EQUIPMENT}
        kind = ContributionType(label)
        if not self._in_context(kind, root, context):
            return set()
        if (
            root.lemma_.lower() == "force"
            and root.tag_ == "NN"
            and not any(
                c.dep_ in ("det", "amod", "compound", "nummod", "poss") for c in root.children
            )
        ):
            return set()  # "by force", "the use of force": violence, not forces
        if kind is T.UNSPECIFIED_MILITARY and root.lemma_.lower() in ("force", "contingent"):
            governor = root.head.head if root.head.lower_ == "of" else root.head
            lemma = governor.lemma_.lower()
            if lemma in self.lex.deploy_verbs or lemma in self.lex.deployment_nouns:
                return {T.GROUND_TROOPS}  # forces sent or deployed are troops on the ground
        return {kind} | self._coordinated(root)

    def _in_context(self, kind: ContributionType, root: Token, context: set[str]) -> bool:
        """Monitoring needs a ceasefire (or the like) in the sentence, and not to watch talks
        or markets; a backstop needs an attack."""
        cues = self.lex.types[kind]
        if cues.requires_context and not cues.requires_context & context:
            return False
        if cues.excluded_objects:
            objects = {
                c.lemma_.lower()
                for c in root.subtree
                if c.dep_ in ("dobj", "pobj", "compound") and c.i != root.i
            }
            if objects & cues.excluded_objects:
                return False
        return True

    def _coordinated(self, root: Token) -> set[ContributionType]:
        """Modifiers coordinated over one noun each make a phrase of their own: "air and
        maritime capabilities" is air capabilities and maritime capabilities."""
        found: set[ContributionType] = set()
        phrases = self.lex.phrase_types
        if root.dep_ == "conj" and root.head.pos_ == "NOUN":
            # "air and naval patrols", read as "air" and "naval patrols": air patrols
            for noun in (root.lower_, root.lemma_.lower()):
                kind = phrases.get(f"{root.head.lower_} {noun}")
                if kind is not None:
                    found.add(kind)
        for modifier in root.children:
            if modifier.dep_ not in ("amod", "nmod", "compound"):
                continue
            for word in (modifier, *(c for c in modifier.children if c.dep_ == "conj")):
                for noun in (root.lower_, root.lemma_.lower()):
                    kind = phrases.get(f"{word.lower_} {noun}")
                    if kind is not None:
                        found.add(kind)
        return found

    def _amounts(self, sent: Span, tokens: list[Token]) -> list[Span]:
        """Amounts of money: MONEY entities, and a currency word, code or sign next to a
        number that the entity recogniser missed ("DKK 600,000", "2 billion kronor")."""
        units = self.lex.money_units
        named = any(t.ent_type_ == "MONEY" for t in tokens)
        unit_words = [t for t in tokens if t.lower_ in units or t.lemma_.lower() in units]
        if not named and not unit_words:
            return []
        amounts = [ent for ent in sent.ents if ent.label_ == "MONEY"] if named else []
        covered = {i for ent in amounts for i in range(ent.start, ent.end)}
        doc = sent.doc
        for token in unit_words:
            if token.i in covered:
                continue
            numbers = [
                t
                for t in (
                    *token.children,
                    *(doc[i] for i in (token.i - 1, token.i + 1) if sent.start <= i < sent.end),
                )
                if t.like_num or _SHORT_AMOUNT.match(t.text)
            ]
            if numbers:
                start = min([token.i, *(n.left_edge.i for n in numbers)])
                end = max([token.i, *(n.i for n in numbers)]) + 1
                amounts.append(doc[start:end])
                covered.update(range(start, end))
        return amounts

    def _money(self, sent: Span, tokens: list[Token]) -> list[Span]:
        """The amounts of money a sentence (of ``tokens``) offers."""
        found: list[Span] = []
        lex = self.lex
        for ent in self._amounts(sent, tokens):
            root = ent.root
            before = sent.doc[ent.start - 1] if ent.start > sent.start else None
            if before is not None and before.lower_ in lex.money_value_preps:
                continue  # "drones worth 15 million euros": a value, not money offered
            if root.head.lower_ in lex.money_value_preps or (
                root.head.dep_ == "prep" and root.head.head.lower_ in lex.money_value_preps
            ):
                continue  # "worth $5 million", "valued at $5 million"
            if any(self._excluded_aid(a) for a in list(root.ancestors)[:3] if a.pos_ == "NOUN"):
                continue  # "humanitarian aid worth ...", "the humanitarian package with ..."
            found.append(ent)
        return found

    def _asked_for(self, token: Token) -> bool:
        """ "Ukraine's request for air defence", "an appeal for more shells": what is asked
        for, below the asking noun and before any verb."""
        below = token
        for above in token.ancestors:
            if above.pos_ in ("VERB", "AUX"):
                return False
            if above.pos_ == "NOUN" and above.lemma_.lower() in self.lex.request_nouns:
                return below.dep_ == "compound" or below.lower_ == "for"  # asked for
            below = above
        return False

    def _means(self, token: Token) -> bool:
        """ "a monitoring mechanism based on drones", "relying on satellites": what the
        contribution named works by (the object of a participle of means)."""
        for above in token.ancestors:
            if above.pos_ == "VERB":
                return above.lemma_.lower() in self.lex.means_verbs and above.dep_ in (
                    "acl",
                    "advcl",
                )
        return False

    def _backs_if_attacked(self, token: Token) -> bool:
        """ "would support the force if it comes under attack": standing by someone on the
        condition of an attack is a backstop."""
        lex = self.lex
        if token.pos_ != "VERB" or token.lemma_.lower() not in lex.backing_verbs:
            return False
        attack = lex.types[T.BACKSTOP].requires_context
        return any(
            clause.dep_ == "advcl"
            and any(m.dep_ == "mark" and m.lower_ in ("if", "should") for m in clause.children)
            and any(t.lemma_.lower() in attack or t.lower_ in attack for t in clause.subtree)
            for clause in token.children
        )

    def _posted(self, token: Token) -> bool:
        """ "contribute personnel to the multinational force": people a deploying verb posts
        to a force or mission are troops."""
        lex, verb = self.lex, token.head
        if token.lemma_.lower() not in lex.posted_people or token.dep_ not in ("dobj", "obj"):
            return False
        if verb.lemma_.lower() not in lex.deploy_verbs:
            return False
        return any(
            prep.dep_ == "prep"
            and prep.lower_ == "to"
            and any(
                g.lemma_.lower() in lex.force_recipients or g.lemma_.lower() in lex.mission_nouns
                for g in prep.children
                if g.dep_ == "pobj"
            )
            for prep in verb.children
        )

    def _activity(self, token: Token, lemmas: set[str]) -> set[ContributionType]:
        """The contribution a verb names ("train", "lend"), given the lemmas of its
        sentence."""
        lex = self.lex
        kind = lex.activity_verbs.get(token.lemma_.lower())
        if kind is None or token.pos_ != "VERB":
            return set()
        objects = [c for c in token.children if c.dep_ in ("dobj", "obj")]
        if kind == PATROL:
            if not objects and token.dep_ in ("xcomp", "conj"):
                # "will help police Ukrainian airspace": the parser may hang the object on help
                objects = [c for c in token.head.children if c.dep_ in ("dobj", "obj")]
            watched = {o.lemma_.lower() for o in objects} | {
                g.lemma_.lower()
                for c in token.children
                if c.dep_ == "prep"
                for g in c.children
                if g.dep_ == "pobj"
            }
            for obj in objects:
                watched |= {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}
            return {lex.patrol_objects[w] for w in watched if w in lex.patrol_objects}
        assert isinstance(kind, ContributionType)
        if not self._in_context(kind, token, lemmas):
            return set()
        if kind is T.RECONSTRUCTION:
            rebuilt = objects or [
                g
                for c in token.children
                if c.dep_ == "conj"
                for g in c.children
                if g.dep_ in ("dobj", "obj")
            ]  # "rebuild and protect Ukraine's army"
            if any(o.lemma_.lower() in lex.force_recipients for o in rebuilt):
                return {T.TRAINING}  # an army rebuilt is regenerated, not reconstructed
        if (
            kind is T.TRAINING
            and objects
            and not any(
                o.lemma_.lower() in lex.trainee_nouns
                or o.lower_ in lex.trainee_nouns
                or o.i in self.res.actor_at
                or any(c.i in self.res.actor_at for c in o.children)
                for o in objects
            )
        ):
            return set()  # "train their focus on": not training anyone
        if kind is T.FUNDING and token.lemma_.lower() in ("pay", "lend", "loan"):
            preps = {c.lower_ for c in token.children if c.dep_ in ("prep", "prt")}
            money = any(
                o.ent_type_ == "MONEY"
                or o.lemma_.lower() in self.lex.money_units
                or o.lemma_.lower() in self.lex.types[T.FUNDING].lemmas
                for o in token.children
                if o.dep_ in ("dobj", "dative", "obj")
            )
            if not money and not (token.lemma_.lower() == "pay" and preps & {"for", "into"}):
                return set()  # "paid attention", "lend our support"
        return {kind}

    def sentence_cues(self, sent: Span, spans: list[Span]) -> list[Cue]:
        """The cues of one sentence, merged per word, in order."""
        tokens = list(sent)
        lemmas = {t.lemma_.lower() for t in tokens}
        context = lemmas | {t.lower_ for t in tokens}
        by_token: dict[int, set[ContributionType]] = {}
        for span in spans:
            types = self._labelled_types(span, context)
            if types:
                by_token.setdefault(span.root.i, set()).update(types)
        amounts: dict[int, Span] = {}
        for amount in self._money(sent, tokens):
            by_token.setdefault(amount.root.i, set()).add(T.FUNDING)
            amounts[amount.root.i] = amount
        lex = self.lex
        posted = lemmas & lex.posted_people
        backing = lemmas & lex.backing_verbs
        for token in tokens:
            if token.pos_ != "VERB" and not posted:
                continue  # what follows reads verbs, and posted people
            types = self._activity(token, lemmas)
            if types:
                by_token.setdefault(token.i, set()).update(types)
            if posted and self._posted(token):
                by_token.setdefault(token.i, set()).add(T.GROUND_TROOPS)
            if backing and self._backs_if_attacked(token):
                by_token.setdefault(token.i, set()).add(T.BACKSTOP)
        cues: list[Cue] = []
        doc = sent.doc
        for index in sorted(by_token):
            token = doc[index]
            types = by_token[index]
            if types & _OWN_FORCE_TYPES and self._owned_by_belligerent(token):
                types -= _OWN_FORCE_TYPES
            if types & _PERSONNEL and self._is_trainee(token):
                types -= _PERSONNEL
            if self._modifies_people(token):
                continue
            if self._excluded_aid(token) or (token.pos_ == "NOUN" and self._foreign(token)):
                continue
            if (
                self._aimed_at(token)
                or any(
                    a.dep_ == "prep"
                    and (
                        a.lower_ == "without"
                        or a.lower_ == "against"
                        and a.head.lemma_.lower() in self.lex.countering_heads
                    )
                    for a in token.ancestors
                )
                or self._means(token)
            ):
                continue  # "sanctions on ships"; "will help without sending troops" says
                # what the help is not, and leaves open whether it ever will be; "action
                # against the shadow fleet", "defence against drones": a target, not an offer
            if types:
                cues.append(
                    Cue(
                        token,
                        frozenset(types),
                        self._negated(token),
                        amount=amounts.get(index),
                        asked=self._asked_for(token),
                    )
                )
        return cues


def _sets_against(token: Token) -> bool:
    """ "than" after "rather", "of" after "instead": what follows is set aside."""
    if token.i == 0:
        return False
    before = token.doc[token.i - 1].lower_
    return (token.lower_, before) in (("than", "rather"), ("of", "instead"))
