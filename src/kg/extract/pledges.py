"""Pledges: an actor's stated position on contributing something.

For each sentence, the cues (:mod:`kg.extract.cues`) say what is offered; the clause of each
cue (:mod:`kg.extract.clause`) says whose it is and whether it is a position at all; the
words between cue and actor (:mod:`kg.extract.stance`) give the stance. A party to the war
never pledges to itself; the announcer is recorded only when they speak for the pledging
state; a headline that restates a sentence of the body adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from kg.extract.clause import Clause, ClauseFinder, is_question
from kg.extract.confidence import path_doubts, pledge_confidence
from kg.extract.cues import Cue, CueReader, cues_by_sentence
from kg.extract.stance import Reading, answer, stance_of
from kg.extract.syntax import leaders_of_phrase
from kg.lexicon import Lexicon
from kg.records import Actor, ContributionType, PledgeRecord, Stance
from kg.resolve import Resolution

# "A:", "MR PRICE:", "PRIME MINISTER X:" opening a transcript turn
_TRANSCRIPT_LABEL = re.compile(r"^\s*[A-Z][A-Za-z .'\u2019-]{0,40}:\s")
# cheap tests of a sentence's text before its tokens are visited
_DO = re.compile(r"\b(do|does|did|done|doing)\b", re.IGNORECASE)
_OBJECT_PRONOUN = re.compile(r"\b(it|them)\b", re.IGNORECASE)
SPECIFIC = frozenset(t for t in ContributionType if t is not ContributionType.UNSPECIFIED_MILITARY)
_ORDER = {t: i for i, t in enumerate(ContributionType)}
# Clauses that state something of their own rather than qualify the one above.
_OWN_CLAUSE = frozenset({"ROOT", "conj", "ccomp", "parataxis"})
# A clause told in the past is what happened before, not a condition still to be met.
_PAST = frozenset({"VBD"})
_SUPPOSING = frozenset({"if", "unless"})
# Determiners that take up a noun named before ("this package").
_TAKING_UP = frozenset({"this", "these", "that", "the"})
# What an auxiliary that still has its verb, object or predicate carries.
_COMPLEMENTS = frozenset({"xcomp", "ccomp", "acomp", "attr", "dobj", "prep", "advcl", "oprd"})


@dataclass
class _Found:
    types: set[ContributionType] = field(default_factory=set)
    quantity: str | None = None
    condition: str | None = None
    announcer: str | None = None
    confidence: float = 0.0


# Magnitudes written after a number: "$500m", "EUR 2bn".
_MAGNITUDES = frozenset({"m", "mn", "bn", "b", "k", "million", "billion", "trillion"})


def _whole_amount(ent: Span, units: frozenset[str]) -> Span:
    """A money entity with the currency sign before it and the magnitude or currency after it
    that the entity recogniser left out ("$" and "m" of "$500m", "euro" of "a 2.3 billion euro
    package"), and without a name it took in ("lend Ukraine 3 billion dollars")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while start < end - 1 and doc[start].pos_ == "PROPN" and doc[start].lower_ not in units:
        start += 1
    if start > 0 and doc[start - 1].is_currency:
        start -= 1
    if end < len(doc) and (doc[end].lower_ in _MAGNITUDES or doc[end].lemma_.lower() in units):
        end += 1
    return doc[start:end]


def quantity_of(cue: Token, lex: Lexicon) -> str | None:
    """The amount stated with the cue: "several thousand troops", "90 billion euros"."""
    doc = cue.doc
    if cue.ent_type_ == "MONEY":
        ent = next((e for e in doc.ents if e.start <= cue.i < e.end), None)
        if ent is not None:
            return _whole_amount(ent, lex.money_units).text
    numbers = [c for c in cue.children if c.dep_ in ("nummod", "quantmod") or c.like_num]
    if numbers:
        start = min(t.left_edge.i for t in numbers)
        return doc[start : cue.i + 1].text
    for prep in (c for c in cue.children if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            if any(c.dep_ == "nummod" or c.like_num for c in obj.children):
                return doc[cue.left_edge.i : obj.i + 1].text  # "a contingent of 200 personnel"
    head = cue.head
    if head.lower_ == "of" and (
        head.head.lemma_.lower() in lex.quantity_heads or head.head.like_num
    ):
        quantity_head = head.head
        counted = any(c.like_num for c in quantity_head.subtree)
        if not counted and (
            quantity_head.lemma_.lower() in ("force", "package")
            or any(c.dep_ == "det" and c.lower_ == "the" for c in quantity_head.children)
        ):
            return None  # "a force of soldiers", "double the number of troops": no amount
        start = min(t.i for t in quantity_head.subtree if t.i <= quantity_head.i)
        return doc[start : cue.i + 1].text
    return None


def condition_of(path: tuple[Token, ...], lex: Lexicon) -> str | None:
    """A condition attached to the pledge's clause: "after a ceasefire", "provided that ..."."""
    for token in path:
        for child in token.children:
            if child.dep_ == "advcl":
                marks = {c.lower_ for c in child.children if c.dep_ in ("mark", "advmod")}
                if child.tag_ in _PAST and not marks & _SUPPOSING:
                    continue  # "after drones entered ...": what happened, not a condition
                if marks & set(lex.condition_markers) or child.lower_ in ("provided", "providing"):
                    return _phrase(child)
            if child.dep_ == "prep" and child.lower_ in ("provided", "providing", "if", "unless"):
                return _phrase(child)
            if child.dep_ == "prep" and child.lower_ in ("after", "once", "until", "following"):
                if any(c.lemma_.lower() in lex.condition_heads for c in child.subtree):
                    return _phrase(child)
    return None


def _phrase(token: Token) -> str:
    text = token.doc[token.left_edge.i : token.right_edge.i + 1].text
    return text.strip(" ,.;:\u2014-\"'\u2018\u2019\u201c\u201d")


def _announcer(clause: Clause, actor: Actor, res: Resolution) -> str | None:
    """Who voiced the pledge, when they speak for the pledging actor."""
    candidates: list[str] = []
    if clause.speaker is not None and clause.speaker.leader:
        candidates.append(clause.speaker.leader)
    if clause.subject is not None:
        candidates.extend(leaders_of_phrase(clause.subject, res))
    for name in candidates:
        if res.leader_actor(name) == actor:
            return name
    return None


def _beneficiaries(token: Token, lex: Lexicon) -> list[Token]:
    """The objects of the beneficiary phrases on ``token`` ("for Ukraine", "to its army")."""
    return [
        obj
        for prep in token.children
        if prep.dep_ in ("prep", "dative") and prep.lower_ in lex.beneficiary_prepositions
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def for_own_use(cue: Token, path: tuple[Token, ...], lex: Lexicon) -> bool:
    """The giver keeps what it gets: "will buy air defence systems for its own army", or an
    acquisition with no beneficiary named at all ("Denmark will buy new frigates"), not even
    on a verb coordinated with it."""
    carriers = [cue, *(t for t in path if t != cue)]
    # "buy tanks and hand them to Ukraine": the beneficiary of a verb coordinated with it
    handed = [c for t in carriers for c in t.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    named = [obj for token in (*carriers, *handed) for obj in _beneficiaries(token, lex)]
    for obj in named:
        words = {c.lower_ for c in obj.children}
        owned = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children)
        if owned and ("own" in words or obj.lemma_.lower() in lex.own_forces):
            return True
        if (
            obj.head.lower_ == "on"
            and obj.lemma_.lower() in lex.own_sectors
            and not any(c.dep_ == "poss" and c.pos_ != "PRON" for c in obj.children)
        ):
            return True  # "will spend 3 per cent of GDP on defence": its own budget
    acquires = any(t.lemma_.lower() in lex.acquisition_verbs for t in carriers)
    return acquires and not named


def _equipment_destination(cue: Cue, cues: list[Cue], lex: Lexicon) -> bool:
    """ "two F-35s to NATO's air defence mission": equipment words that name the mission
    another contribution goes to are no equipment given (a mission is no system)."""
    if cue.types != frozenset({ContributionType.EQUIPMENT}):
        return False
    token = cue.token
    while token.dep_ in ("compound", "amod", "nmod") and token.head != token:
        token = token.head
    if token.lemma_.lower() not in lex.mission_nouns or token.dep_ != "pobj":
        return False
    token = token.head
    if token.dep_ != "prep" or token.lower_ not in ("to", "into"):
        return False
    others = {c.token.i for c in cues if c is not cue}
    return any(
        child.dep_ == "dobj" and any(t.i in others for t in child.subtree)
        for child in token.head.children
    )


def _voiced(clause: Clause, actor: Actor, res: Resolution, reading: Reading) -> bool:
    """The clause is said by an official (a leader, a state, a group of ministers), and, for
    an obligation, by one who speaks for the actor itself."""
    speaker = clause.speaker
    if speaker is None or speaker.acts_for_nobody or not (speaker.leader or speaker.actors):
        return False
    if not reading.needs_own_voice:
        return True
    return actor in speaker.actors or res.leader_actor(speaker.leader) == actor


class PledgeExtractor:
    """Pledges of one document."""

    def __init__(self, doc: Doc, res: Resolution, lex: Lexicon) -> None:
        self.doc = doc
        self.res = res
        self.lex = lex
        self.cues = CueReader(res, lex)
        self.clauses = ClauseFinder(res, lex)
        self.spans = cues_by_sentence(doc)
        self.sentences = list(doc.sents)

    def _answer(
        self, index: int, sent: Span, previous: frozenset[ContributionType]
    ) -> list[PledgeRecord]:
        """ "Q: Will Portugal send soldiers? A: No.": a bare yes or no answers the question
        before, for the state of who answers when the question asked about it (or "you")."""
        words = [t for t in sent if not t.is_punct and not t.is_space]
        label = _TRANSCRIPT_LABEL.match(sent.text)
        if label is not None:
            words = [t for t in words if t.idx >= sent.start_char + label.end()]
        if not previous or index == 0 or len(words) != 1:
            return []
        answer = words[0].lower_
        if answer not in ("no", "yes"):
            return []
        question = self.sentences[index - 1]
        speaker = self.res.speakers.get(words[0].i)
        if not question.text.rstrip().endswith("?") or speaker is None:
            return []
        if speaker.acts_for_nobody or not speaker.actors:
            return []
        asked = {self.res.actor_at[t.i].actor for t in question if t.i in self.res.actor_at}
        addressed = any(t.lower_ == "you" for t in question)
        stance = Stance.DECLINED if answer == "no" else Stance.COMMITTED
        return [
            PledgeRecord(
                actor=actor,
                stance=stance,
                types=tuple(sorted(previous, key=_ORDER.__getitem__)),
                evidence=f"{question.text.strip()} {sent.text.strip()}",
                sentence_index=index,
                announced_by=speaker.leader,
                confidence=pledge_confidence("answer", []),
            )
            for actor in speaker.actors
            if actor.is_state and (actor in asked or addressed)
        ]

    def _anaphoric(self, sent: Span, previous: frozenset[ContributionType]) -> list[Cue]:
        """ "We will not do it", "ready to work on this": the types of the sentence before."""
        if not previous:
            return []
        for token in sent:
            if answer(token) is not None:
                return [Cue(token, previous, anaphoric=True)]  # "He has said no."
            if token.dep_ not in ("dobj", "pobj"):
                continue
            if token.lower_ in self.lex.anaphoric_objects and self._nearer_antecedent(token):
                continue  # "work on a plan and then take it to Washington": the plan
            if any(a.dep_ == "relcl" for a in token.ancestors):
                continue  # "those who help it evade sanctions": what others do
            if token.lower_ in self.lex.anaphoric_objects or self._taken_up(token):
                return [Cue(token, previous, anaphoric=True)]
        return self._elliptical_cues(sent, previous)[:1]

    def _sold_elsewhere(self, path: tuple[Token, ...]) -> bool:
        """A sale to a buyer that is no state, army or party ("sold back to the manufacturer",
        "sold to a dealer"): trade, not a contribution."""
        for verb in path:
            if verb.lemma_.lower() != "sell":
                continue
            hangers = [verb, *(c for c in verb.children if c.dep_ in ("advmod", "prt"))]
            buyers = [
                o
                for above in hangers  # "sold back to the maker" hangs "to" on "back"
                for prep in above.children
                if prep.dep_ in ("prep", "dative") and prep.lower_ == "to"
                for o in prep.children
                if o.dep_ == "pobj"
            ]
            return bool(buyers) and not any(
                self.res.actor_of_token(t.i, allow_capital=True) is not None
                or t.i in self.res.refers_to
                or t.lemma_.lower() in self.lex.force_recipients
                for b in buyers
                for t in (b, *(c for c in b.children if c.dep_ in ("compound", "amod")))
            )  # whose maker ("their maker") does not make the maker a state
        return False

    def _taken_up_in_sentence(self, sent: Span, cues: list[Cue]) -> list[Cue]:
        """ "Those jets were sold, and we won't be in a position to send them": a pronoun
        object of a verb of giving takes up the contribution named before it in its
        sentence."""
        found: list[Cue] = []
        if _OBJECT_PRONOUN.search(sent.text) is None:
            return found
        for token in sent:
            if token.lower_ not in ("them", "it") or token.dep_ != "dobj":
                continue
            if token.head.lemma_.lower() not in self.lex.commit_verbs:
                continue
            before = [c for c in cues if c.token.i < token.i and c.token.head.i != token.head.i]
            if before:
                found.append(Cue(token, before[-1].types, anaphoric=True))
        return found

    def _done_things(self, sent: Span, types: frozenset[ContributionType]) -> list[Cue]:
        """ "..., and that is something Finland will not do": the verb of a clause that
        says what is done with "that", the contribution named before it."""
        if not types or _DO.search(sent.text) is None:
            return []
        found: list[Cue] = []
        for verb in sent:
            thing, copula = verb.head, verb.head.head
            if (
                verb.lemma_.lower() == "do"
                and verb.dep_ == "relcl"
                and thing.dep_ == "attr"
                and copula.lemma_ == "be"
                and any(c.dep_ == "nsubj" for c in verb.children)
                and any(
                    c.dep_ == "nsubj" and c.lower_ in self.lex.anaphoric_objects
                    for c in copula.children
                )
            ):
                found.append(Cue(verb, types, anaphoric=True))
        return found

    def _nearer_antecedent(self, pronoun: Token) -> bool:
        """A singular noun object earlier in the pronoun's own clause it can stand for."""
        verb = pronoun.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
            verb = verb.head
        clause = verb.head if verb.dep_ == "conj" else verb
        return any(
            t.i < pronoun.i and t.tag_ == "NN" and t.dep_ in ("dobj", "pobj")
            for t in clause.subtree
            if t.lemma_.lower() not in self.lex.anaphoric_nouns
        )

    def _taken_up(self, noun: Token) -> bool:
        """ "the idea", "this proposal": a noun that names nothing of its own."""
        children = list(noun.children)
        return (
            noun.lemma_.lower() in self.lex.anaphoric_nouns
            and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in children)
            and not any(c.dep_ in ("prep", "acl", "relcl", "poss") for c in children)
        )

    def _answered(self, sent: Span, cues: list[Cue]) -> list[Cue]:
        """ "Asked whether Austria would join the training mission, X said his government would
        not take part": what was asked about is what the reported answer is about."""
        for token in sent:
            if token.lemma_.lower() != "ask" or token.dep_ != "advcl" or token.i > sent.start + 1:
                continue
            report = token.head
            if report.lemma_.lower() not in self.lex.reporting_verbs:
                return []
            asked = frozenset(t for c in cues if c.token in token.subtree for t in c.types)
            answers = [c for c in report.children if c.dep_ == "ccomp"]
            if not asked or not answers:
                return []
            if any(c.token in answers[0].subtree for c in cues):
                return []  # the answer names what it is about
            return [Cue(answers[0], asked, anaphoric=True)]
        return []

    def _elliptical_cues(self, sent: Span, types: frozenset[ContributionType]) -> list[Cue]:
        """ "..., but Cyprus will not": each modal left without its verb, for ``types``."""
        if not types:
            return []
        return [Cue(token, types, anaphoric=True) for token in sent if self._elliptical(token)]

    def _elliptical(self, token: Token) -> bool:
        """ "... and says it will not": a negated modal with a subject and no verb; "Germany
        has so far refused": a refusal verb with a subject and nothing refused named."""
        deps = {c.dep_ for c in token.children}
        if "nsubj" not in deps or deps & _COMPLEMENTS:
            return False
        if token.pos_ == "VERB" and token.lemma_.lower() in self.lex.bare_refusals:
            return token.dep_ in _OWN_CLAUSE  # not "... once the fighting stops"
        if token.lower_ not in self.lex.elliptical_auxiliaries or token.dep_ == "aux":
            return False
        return "neg" in deps

    def _elaborates(self, sent: Span) -> bool:
        """The sentence opens with "In particular", "Specifically" ..., or takes up the pledge
        before by its noun ("This package includes ..."): it details the one before."""
        words = tuple(t.lower_ for t in sent if not t.is_punct and not t.is_space)
        if any(words[: len(m)] == m for m in self.lex.elaboration_markers):
            return True
        root = sent.root
        return root.lemma_.lower() in self.lex.content_verbs and any(
            child.dep_ == "nsubj"
            and child.lemma_.lower() in self.lex.holder_nouns
            and any(d.dep_ == "det" and d.lower_ in _TAKING_UP for d in child.children)
            for child in root.children
        )  # "This package includes ..."

    def _kept_home(self, cue: Cue, clause: Clause) -> bool:
        """ "Polish soldiers will remain in Poland", "our troops are needed at home": a state's
        own forces kept where they are, a refusal argued."""
        token, lex = cue.token, self.lex
        verb = token.head
        if token.dep_ not in ("nsubj", "nsubjpass") or verb.lemma_.lower() not in lex.staying_verbs:
            return False  # "will remain in Poland", "are needed at home"
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "at"):
                continue
            for place in (c for c in prep.children if c.dep_ == "pobj"):
                if place.lower_ in lex.home_words:
                    return True
                mention = self.res.actor_at.get(place.i)
                if mention is not None and mention.actor in clause.actors:
                    return True
        return False

    def sentence(
        self,
        index: int,
        sent: Span,
        stated: list[date],
        meeting_key: str | None,
        meeting_date: date | None,
        previous: frozenset[ContributionType],
        before: list[PledgeRecord] | None = None,
    ) -> tuple[list[PledgeRecord], frozenset[ContributionType]]:
        """The pledges of one sentence, and the types it named (for "it" in the next);
        ``before`` holds the previous sentence's pledges, which a detailing sentence ("In
        particular, howitzers will be provided") adds to."""
        answered = self._answer(index, sent, previous)
        if answered:
            return answered, previous
        cues = self.cues.sentence_cues(sent, self.spans.get(index, []))
        # What the next sentence's "this" or "it" can take up: not what a demand to halt is
        # about ("Russia demands that partners halt military support. We reject this.")
        named = frozenset(
            t
            for c in cues
            if c.token.head.lemma_.lower() not in self.lex.cessation_verbs
            for t in c.types
        )
        cues = [c for c in cues if not c.asked]  # asked for: a topic, nobody's offer
        if not cues:
            cues = self._anaphoric(sent, previous) or self._done_things(sent, previous)
        else:
            cues = [
                *cues,
                *self._taken_up_in_sentence(sent, cues),
                *self._done_things(sent, named),
                *self._elliptical_cues(sent, named),
                *self._answered(sent, cues),
                *(
                    Cue(t, named or previous, anaphoric=True)  # "..., and that work goes on"
                    for t in sent
                    if (named or previous) and self._taken_up(t)
                ),
            ]
        cues = [c for c in cues if not _equipment_destination(c, cues, self.lex)]
        headline = index == 0 and not sent.text.rstrip().endswith((".", "!", "?", '"', "\u201d"))
        found: dict[tuple[Actor, Stance], _Found] = {}
        detailed = before if before and self._elaborates(sent) else []
        for cue in cues:
            clause = self.clauses.find(cue.token, sent)
            if clause is None:
                for earlier in detailed[:1]:
                    entry = found.setdefault((earlier.actor, earlier.stance), _Found())
                    entry.types.update(cue.types)
                    entry.confidence = max(entry.confidence, pledge_confidence("detail", []))
                continue
            reading = stance_of(cue, clause, self.lex, headline=headline)
            if reading is None and self._kept_home(cue, clause):
                reading = Reading(Stance.DECLINED)
            if reading is None or for_own_use(cue.token, clause.path, self.lex):
                continue
            if self._sold_elsewhere(clause.path):
                continue  # "the jets were sold back to the manufacturer"
            stance = reading.stance
            amount: str | None = None
            if not _inside_same_cue(cue, cues, self.lex):  # "a contingent of 200 personnel"
                amount = (  # is the contingent's amount
                    _whole_amount(cue.amount, self.lex.money_units).text
                    if cue.amount is not None
                    else quantity_of(cue.token, self.lex)
                )
            for actor in clause.actors:
                if reading.needs_voice and not _voiced(clause, actor, self.res, reading):
                    continue  # a writer's guess or another state's demand, not a position
                if actor.is_state and actor.key in self.lex.belligerents:
                    continue  # a party to the war does not pledge to itself
                if actor.kind == "org" and actor.key in self.res.aggregates:
                    continue
                entry = found.setdefault((actor, stance), _Found())
                entry.types.update(cue.types)
                if amount and (entry.quantity is None or len(amount) < len(entry.quantity)):
                    entry.quantity = amount
                entry.condition = entry.condition or condition_of(clause.path, self.lex)
                entry.announcer = entry.announcer or _announcer(clause, actor, self.res)
                doubts = self._doubts(clause, reading, cue, headline)
                score = pledge_confidence(clause.mechanism, doubts)
                entry.confidence = max(entry.confidence, score)
        pledges: list[PledgeRecord] = []
        for (actor, stance), entry in found.items():
            types = set(entry.types)
            if types & SPECIFIC:
                types.discard(ContributionType.UNSPECIFIED_MILITARY)
            pledges.append(
                PledgeRecord(
                    actor=actor,
                    stance=stance,
                    types=tuple(sorted(types, key=_ORDER.__getitem__)),
                    evidence=sent.text.strip(),
                    sentence_index=index,
                    announced_by=entry.announcer,
                    quantity=entry.quantity,
                    condition=entry.condition,
                    date=meeting_date or (stated[0] if stated else None),
                    meeting_key=meeting_key,
                    confidence=entry.confidence,
                )
            )
        if not named and is_question(sent):
            return pledges, previous  # "Who is undecided?" leaves the topic as it was
        return pledges, named

    def _doubts(self, clause: Clause, reading: Reading, cue: Cue, headline: bool) -> list[str]:
        """What the reading of one cue had to assume (see :mod:`kg.extract.confidence`)."""
        doubts = path_doubts(len(clause.path))
        subject = clause.subject
        if subject is not None and (
            subject.i in self.res.refers_to or subject.i in self.res.person_at
        ):
            doubts.append("referred")  # "it", "the government", "he"
        if cue.anaphoric:
            doubts.append("anaphoric")
        if reading.needs_voice:
            doubts.append("guess")
        if headline:
            doubts.append("headline")
        if len(clause.actors) > 1:
            doubts.append("several_actors")
        return doubts


def consolidate(pledges: list[PledgeRecord], headline_index: int | None = 0) -> list[PledgeRecord]:
    """One article's positions: a type an actor commits to in the article is not also listed
    as merely considered, an unspecified military pledge the article specifies elsewhere is
    not listed beside it, and a headline that restates the body adds no pledge."""
    committed: dict[Actor, set[ContributionType]] = {}
    body: dict[tuple[Actor, Stance], set[ContributionType]] = {}
    for pledge in pledges:
        if pledge.stance is Stance.COMMITTED:
            committed.setdefault(pledge.actor, set()).update(pledge.types)
        if pledge.sentence_index != headline_index:
            body.setdefault((pledge.actor, pledge.stance), set()).update(pledge.types)
    specified: dict[tuple[Actor, Stance], set[ContributionType]] = {}
    for pledge in pledges:
        topic = (pledge.actor, pledge.stance)
        specified.setdefault(topic, set()).update(t for t in pledge.types if t in SPECIFIC)
    kept: list[PledgeRecord] = []
    seen: set[tuple[Actor, Stance, tuple[ContributionType, ...], str]] = set()
    for pledge in pledges:
        if pledge.types == (ContributionType.UNSPECIFIED_MILITARY,) and specified.get(
            (pledge.actor, pledge.stance)
        ):
            continue  # "a package of security assistance", which the article specifies elsewhere
        key = (pledge.actor, pledge.stance, pledge.types, pledge.evidence)
        if key in seen:
            continue
        seen.add(key)
        if pledge.sentence_index == headline_index and set(pledge.types) <= body.get(
            (pledge.actor, pledge.stance), set()
        ):
            continue  # the first line restates the body
        if pledge.stance is Stance.CONSIDERING and pledge.actor in committed:
            remaining = tuple(t for t in pledge.types if t not in committed[pledge.actor])
            if not remaining:
                continue
            if remaining != pledge.types:
                pledge = PledgeRecord(**{**pledge.__dict__, "types": remaining})
        kept.append(pledge)
    return kept


def _inside_same_cue(cue: Cue, cues: list[Cue], lex: Lexicon) -> bool:
    """ "a contingent of 200 personnel": a cue that is what a cue word of its type is made of
    ("a force of 10,000 troops" keeps the troops' amount: a force is of no type itself)."""
    holder = cue.token.head
    if cue.token.dep_ != "pobj" or holder.lower_ != "of":
        return False
    return any(
        other.token.i == holder.head.i
        and any(other.token.lemma_.lower() in lex.types[t].lemmas for t in other.types & cue.types)
        for other in cues
    )
