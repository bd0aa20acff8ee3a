"""Pledges: an actor's stated position on contributing something, read from syntax and
modality. The thing offered is found from cue words ("troops", "Gripen fighter jets", "mine
clearing"); the actor from the subject or owner of the clause that governs it ("Italy would
not send troops", "Sweden's contributions would include ..."); the stance from negation,
modal verbs and stance verbs on the way between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kg.extract.lexicon import Lexicon
from kg.extract.mentions import Mentions, subject_of
from kg.records import Actor, ContributionType, PledgeRecord, Stance

SPECIFIC = tuple(t for t in ContributionType if t is not ContributionType.UNSPECIFIED_MILITARY)
_COPULA_PREPS = ("among", "of")
# "Ukraine's army", "Ukraine's skies": what is defended or strengthened belongs to a recipient.
_DEFENDED = ("army", "military", "force", "airspace", "sky", "territory", "border")


@dataclass
class Cue:
    """A word that names what is offered, with the types it stands for."""

    token: Token
    types: set[ContributionType]


@dataclass
class Discourse:
    """What earlier sentences established, for pronouns and "this"."""

    last_leader: str | None = None
    last_state: Actor | None = None
    previous_types: set[ContributionType] = field(default_factory=set)


# --- cues --------------------------------------------------------------------------------


_PHRASE_MATCHERS: dict[int, PhraseMatcher] = {}


def _phrase_matcher(vocab: Vocab, lex: Lexicon) -> PhraseMatcher:
    """One matcher of every cue phrase per vocabulary, labelled with its type."""
    matcher = _PHRASE_MATCHERS.get(id(vocab))
    if matcher is None:
        matcher = PhraseMatcher(vocab, attr="LOWER")
        for kind, cues in lex.types.items():
            matcher.add(kind.value, [vocab_doc(vocab, phrase) for phrase in cues.phrases])
        _PHRASE_MATCHERS[id(vocab)] = matcher
    return matcher


def vocab_doc(vocab: Vocab, text: str) -> Doc:
    """A tokenized phrase for the matcher (whitespace split, as the phrases are written)."""
    return Doc(vocab, words=text.split())


def find_cues(sent: Span, lex: Lexicon) -> list[Cue]:
    """Words of a sentence that name contributions, merged per token."""
    by_token: dict[int, Cue] = {}

    def add(token: Token, kind: ContributionType) -> None:
        by_token.setdefault(token.i, Cue(token, set())).types.add(kind)

    context = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    allowed = {
        kind
        for kind, cues in lex.types.items()
        if not cues.requires_context or cues.requires_context & context
    }
    for token in sent:
        if token.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ"):
            continue
        lemma, lowered = token.lemma_.lower(), token.lower_
        for kind in allowed:
            cues = lex.types[kind]
            if lemma not in cues.lemmas and lowered not in cues.lemmas:
                continue
            if cues.excluded_objects and _objects(token) & cues.excluded_objects:
                continue
            if kind is ContributionType.FUNDING and lemma in ("euro", "dollar", "pound"):
                if not any(c.like_num or c.dep_ == "nummod" for c in token.children):
                    continue
            add(token, kind)
    matcher = _phrase_matcher(sent.doc.vocab, lex)
    for match_id, start, end in matcher(sent):  # offsets are the document's
        kind = ContributionType(sent.doc.vocab.strings[match_id])
        if kind in allowed:
            add(sent.doc[start:end].root, kind)
    for cue in by_token.values():
        _promote_forces(cue, lex)
    kept = [c for c in by_token.values() if not _is_beneficiary(c.token, by_token, lex)]
    return sorted(kept, key=lambda c: c.token.i)


def _is_beneficiary(token: Token, cues: dict[int, Cue], lex: Lexicon) -> bool:
    """Forces that receive something are not what is offered: "strengthening Ukraine's
    Armed Forces", "training of Ukrainian military personnel"."""
    head = token.head
    if token.dep_ == "dobj" and head.lemma_.lower() in lex.recipient_verbs:
        return True
    if head.lower_ == "of" and head.head.i in cues and head.head.i != token.i:
        return ContributionType.TRAINING in cues[head.head.i].types
    return False


def _objects(token: Token) -> set[str]:
    return {
        c.lemma_.lower()
        for c in token.subtree
        if c.dep_ in ("dobj", "pobj", "compound") and c.i != token.i
    }


def _promote_forces(cue: Cue, lex: Lexicon) -> None:
    """Forces sent or deployed into a country are troops on the ground."""
    if cue.types != {ContributionType.UNSPECIFIED_MILITARY}:
        return
    if cue.token.lemma_.lower() not in ("force", "forces", "peacekeeper", "contingent"):
        return
    head = cue.token.head
    if head.lower_ == "of":
        head = head.head
    governing = {head.lemma_.lower(), cue.token.head.lemma_.lower()}
    if governing & (lex.deployment_verbs | lex.deployment_nouns):
        cue.types = {ContributionType.GROUND_TROOPS}


# --- actors ------------------------------------------------------------------------------


def _path(token: Token) -> list[Token]:
    path = [token]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def _is_aggregate(token: Token, lex: Lexicon) -> bool:
    return token.lemma_.lower() in lex.aggregate_nouns or token.lower_ in lex.aggregate_nouns


def _pronoun_owner(token: Token, m: Mentions, ctx: Discourse, speaker: str | None) -> Actor | None:
    """Whose a thing is when a pronoun says so: "our contribution", "its troops"."""
    for child in token.children:
        if child.dep_ == "poss" and child.pos_ == "PRON":
            found = _resolve_pronoun(child, m, ctx, speaker)
            return found[0] if found else None
    return None


def _state_before(token: Token, m: Mentions) -> Actor | None:
    """The nearest state named as a subject earlier in the same sentence."""
    for earlier in reversed(list(token.sent)[: token.i - token.sent.start]):
        actor = m.actor_at(earlier)
        if actor is not None and actor.is_state and earlier.dep_ in ("nsubj", "nsubjpass"):
            return actor
    return None


def _resolve_pronoun(token: Token, m: Mentions, ctx: Discourse, speaker: str | None) -> list[Actor]:
    lowered = token.lower_
    if lowered in m.lexicon.person_pronouns:
        name = speaker or ctx.last_leader
        actor = m.leader_actor.get(name) if name else None
        return [actor] if actor else []
    if lowered in m.lexicon.state_pronouns:
        nearest = _state_before(token, m) or ctx.last_state
        return [nearest] if nearest else []
    if lowered in m.lexicon.speaker_pronouns and speaker:
        actor = m.leader_actor.get(speaker)
        return [actor] if actor else []
    return []


def _subject_actors(
    subject: Token, m: Mentions, ctx: Discourse, speaker: str | None
) -> tuple[list[Actor], bool]:
    """Actors a subject stands for, and whether the subject was a real (non-empty) phrase
    that resolved to nobody (an aggregate or an unnamed group)."""
    if subject.pos_ == "PRON":
        actors = _resolve_pronoun(subject, m, ctx, speaker)
        return actors, not actors
    actors = m.actors_of_phrase(subject)
    if actors:
        return actors, False
    owned = _pronoun_owner(subject, m, ctx, speaker)  # "Our contribution will include ..."
    if owned is not None:
        return [owned], False
    # "the government would seek approval", said by a minister: the speaker's own state.
    if subject.lemma_.lower() in ("government", "cabinet", "administration", "country") and any(
        c.lower_ in ("the", "our", "my") for c in subject.children
    ):
        actor = m.leader_actor.get(speaker or "") if speaker else None
        if actor is not None:
            return [actor], False
    # "the UK, France ... are among the six countries that have pledged": the copula's subject.
    if _is_aggregate(subject, m.lexicon):
        head = subject.head
        if subject.dep_ == "pobj" and head.lower_ in _COPULA_PREPS:
            verb = head.head
            if verb.lemma_ == "be":
                inner = subject_of(verb)
                if inner is not None:
                    return m.actors_of_phrase(inner), False
        return [], True
    return [], True


@dataclass
class Clause:
    """The actor of a cue, the words between them, and who voiced it."""

    actors: list[Actor]
    path: list[Token]
    speaker: str | None


def _speaker_of(path: list[Token], m: Mentions, ctx: Discourse) -> str | None:
    for token in path:
        if token.lemma_.lower() in m.lexicon.reporting_verbs and token.pos_ == "VERB":
            subject = subject_of(token)
            if subject is None:
                continue
            if subject.pos_ == "PRON" and subject.lower_ in m.lexicon.person_pronouns:
                return ctx.last_leader
            names = m.leaders_of_phrase(subject)
            if names:
                return names[0]
    return None


def _is_reporting(token: Token, lex: Lexicon) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in lex.reporting_verbs


def _governing_verb(token: Token) -> Token | None:
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return None


def _owns_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children)


def _is_cue_subject(subject: Token, cue: Token) -> bool:
    """The cue is the clause's subject ("troops could be deployed", "thousands of soldiers")."""
    if subject.i == cue.i:
        return True
    head = cue.head
    return head.lower_ == "of" and head.head.i == subject.i


def find_clause(cue: Cue, m: Mentions, ctx: Discourse) -> Clause | None:
    """Walk up from the cue to the nearest clause that says whose contribution it is."""
    lex = m.lexicon
    full_path = _path(cue.token)
    speaker = _speaker_of(full_path, m, ctx)
    owner = m.owner_actor(cue.token) or _pronoun_owner(cue.token, m, ctx, speaker)
    if cue.token.dep_ == "pobj" and cue.token.head.lower_ in ("for", "to", "of"):
        owner = None  # "20 million euros for Ukraine's reconstruction": Ukraine receives it
    verb = _governing_verb(cue.token)
    if owner is not None and (
        cue.token.lemma_.lower() in lex.holder_nouns
        or (verb is not None and lex.is_predicate(verb.lemma_.lower(), verb.pos_))
    ):
        # "Spanish troops could be deployed", "Germany could deploy its troops".
        return Clause([owner], _clause_path(full_path, m), speaker)
    skip: int | None = None
    for index, token in enumerate(full_path[1:], start=1):
        if skip is not None and token.i == skip:
            continue  # the verb a conjunct hangs from is another clause, with its own subject
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and not _owns_subject(token):
            skip = token.head.i
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "ROOT":
            if token.lemma_.lower() in lex.holder_nouns:
                # "Sweden's contributions", "Italy's refusal", "our contribution"
                owned = m.owner_actor(token) or _pronoun_owner(token, m, ctx, speaker)
                if owned is not None:
                    return Clause([owned], full_path[: index + 1], speaker)
            continue
        if token.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        if _is_reporting(token, lex) and index > 1:
            # The cue's own clause named no actor: the speaker speaks for their state.
            actor = m.leader_actor.get(speaker) if speaker else None
            return Clause([actor], full_path[:index], speaker) if actor else None
        subject = subject_of(token)
        if subject is None:
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if pobj is not None:
                actors = m.actors_of_phrase(pobj)
                if actors:
                    return Clause(actors, full_path[: index + 1], speaker)
            continue
        if _is_cue_subject(subject, cue.token):
            continue  # "troops could be deployed": the actor is higher up
        actors, unresolved = _subject_actors(subject, m, ctx, speaker)
        if actors:
            path = full_path[: index + 1]
            # An inherited subject ("Germany was considering sending"): the verbs up to the
            # one that owns it carry the stance too.
            climb = token
            while not _owns_subject(climb) and climb.dep_ in ("xcomp", "advcl", "conj", "ccomp"):
                climb = climb.head
                if climb.i not in {t.i for t in path}:
                    path.append(climb)
            if subject.i == token.head.i and token.dep_ in ("acl", "relcl"):
                path.append(subject)  # "Italy's refusal to send": the noun carries the stance
            return Clause(actors, path, speaker)
        if unresolved and (_owns_subject(token) or subject.pos_ == "PRON"):
            return None  # an aggregate or an unnamed group ("26 countries", "the partners")
    return None


def _clause_path(path: list[Token], m: Mentions) -> list[Token]:
    """The path up to (not including) a reporting verb above the clause."""
    for index, token in enumerate(path[1:], start=1):
        if _is_reporting(token, m.lexicon):
            return path[:index]
    return path


def stance_path(path: list[Token]) -> list[Token]:
    """The words whose modality counts: a conjunct verb does not take the modal of the verb
    it is coordinated with ("could be deployed ... and pledged participation")."""
    kept: list[Token] = []
    skip: int | None = None
    for token in path:
        if skip is not None and token.i == skip:
            skip = None
            continue
        kept.append(token)
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX"):
            skip = token.head.i
    return kept


def has_predicate(path: list[Token], sent: Span, lex: Lexicon) -> bool:
    """True when the words between cue and actor speak of contributing at all."""
    if any(lex.is_predicate(t.lemma_.lower(), t.pos_) for t in path if t.dep_ != "prep"):
        return True
    lowered = sent.text.lower()
    return any(p in lowered for p in (*lex.consider_phrases, *lex.decline_phrases))


# --- stance ------------------------------------------------------------------------------


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def stance_of(cue: Token, path: list[Token], sent: Span, lex: Lexicon) -> Stance | None:
    """The stance the words from the cue up to its actor express, or None when they commit
    to nothing (a mention, a description, a third party's view)."""
    path = stance_path(path)
    if not has_predicate(path, sent, lex):
        return None
    words = {t.lemma_.lower() for t in path} | {t.lower_ for t in path}
    lowered_sentence = sent.text.lower()
    modifiers = {c.lower_ for c in cue.children if c.dep_ in ("amod", "det", "compound")}
    if modifiers & lex.opposition_modifiers:
        return None  # "foreign troops", "Western troops": someone else's, not the actor's
    for token in path:
        lemma = token.lemma_.lower()
        if lemma in lex.opposition_verbs and lemma not in lex.decline_verbs and token.i != cue.i:
            if _negated(token) or lemma not in ("accept", "tolerate"):
                return None  # opposing or warning against it is not a position on giving it
    if any(p in lowered_sentence for p in lex.consider_phrases) and not any(
        p in lowered_sentence for p in ("would not", "will not")
    ):
        return Stance.CONSIDERING
    hypothetical = {
        c.lower_ for t in (cue, *path) if t.pos_ == "NOUN" for c in t.children if c.dep_ == "det"
    } & lex.hypothetical_determiners
    if hypothetical and not any(_negated(t) for t in path):
        return None  # "any NATO peacekeepers deployed ...": a hypothesis, not a pledge
    negated = any(_negated(t) for t in path) or any(
        c.dep_ == "det" and c.lower_ == "no"
        for t in (cue, *path)
        if t.pos_ == "NOUN"
        for c in t.children  # "no troops", "has no plans to send"
    )
    declined_word = (words & lex.decline_verbs) or (words & lex.decline_nouns)
    if negated or declined_word:
        if negated and declined_word:
            return Stance.CONSIDERING  # "did not rule out", "not refusing"
        return Stance.DECLINED
    modals = {c.lower_ for t in path for c in t.children if c.tag_ == "MD" or c.dep_ == "aux"}
    if modals & lex.consider_modals or words & (lex.consider_verbs | lex.consider_nouns):
        return Stance.CONSIDERING
    if words & (lex.commit_verbs | lex.commit_adjectives) or modals & {"will", "would", "shall"}:
        return Stance.COMMITTED
    return None


# --- details -----------------------------------------------------------------------------


def quantity_of(cue: Token, lex: Lexicon) -> str | None:
    """The amount stated with the cue: "several thousand troops", "90 billion euros"."""
    numbers = [c for c in cue.children if c.dep_ in ("nummod", "quantmod") or c.like_num]
    doc = cue.doc
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
        if quantity_head.lemma_.lower() in ("force",) and not any(
            c.like_num for c in quantity_head.subtree
        ):
            return None
        start = min(t.i for t in quantity_head.subtree if t.i <= quantity_head.i)
        return doc[start : cue.i + 1].text
    return None


def condition_of(path: list[Token], lex: Lexicon) -> str | None:
    """A condition attached to the pledge's clause: "after a ceasefire", "provided that ..."."""
    for token in path:
        for child in token.children:
            if child.dep_ == "advcl":
                marks = {c.lower_ for c in child.children if c.dep_ in ("mark", "advmod")}
                if marks & set(lex.condition_markers) or child.lower_ in ("provided", "providing"):
                    return _phrase(child)
            if child.dep_ == "prep" and child.lower_ in ("provided", "providing", "if", "unless"):
                return _phrase(child)
            if child.dep_ == "prep" and child.lower_ in ("after", "once", "until", "following"):
                objects = [c for c in child.subtree if c.lemma_.lower() in lex.condition_heads]
                if objects:
                    return _phrase(child)
    return None


def _phrase(token: Token) -> str:
    doc = token.doc
    text = doc[token.left_edge.i : token.right_edge.i + 1].text
    return text.strip(" ,.;:\u2014-\"'\u2018\u2019\u201c\u201d")


# --- sentences ---------------------------------------------------------------------------


def recipients(sent: Span, m: Mentions) -> set[Actor]:
    """Actors a sentence names as where or to whom things go ("in Ukraine", "support Kyiv")."""
    found: set[Actor] = set()
    for token in sent:
        actor = m.actor_at(token, allow_capital=True)
        if actor is None:
            continue
        head = token.head
        place_only = m.actor_spans[token.i].label_ == "CAPITAL"  # "in Paris" is a venue
        if (
            token.dep_ == "pobj"
            and head.lower_ in m.lexicon.recipient_prepositions
            and not place_only
        ):
            found.add(actor)
        elif token.dep_ == "dobj" and head.lemma_.lower() in m.lexicon.recipient_verbs:
            found.add(actor)
        elif token.dep_ == "poss" and head.lemma_.lower() in _DEFENDED:
            found.add(actor)
    return found


def _announcer(clause: Clause, m: Mentions) -> str | None:
    if clause.speaker:
        return clause.speaker
    for token in clause.path:
        subject = subject_of(token) if token.pos_ in ("VERB", "AUX", "ADJ") else None
        if subject is not None:
            names = m.leaders_of_phrase(subject)
            if names:
                return names[0]
    return None


def sentence_pledges(
    sent: Span,
    index: int,
    m: Mentions,
    ctx: Discourse,
    cues: list[Cue],
    stated: list[date],
    meeting_key: str | None,
    meeting_dates: dict[str, date | None],
) -> list[PledgeRecord]:
    """The pledges one sentence states, given its cues (:func:`find_cues`) and the days it
    names."""
    lex = m.lexicon
    if not cues:
        cues = _anaphoric_cues(sent, ctx, lex)
    excluded = recipients(sent, m)
    found: dict[tuple[Actor, Stance], dict[str, object]] = {}
    for cue in cues:
        clause = find_clause(cue, m, ctx)
        if clause is None:
            continue
        stance = stance_of(cue.token, clause.path, sent, lex)
        if stance is None:
            continue
        for actor in clause.actors:
            if (
                actor in excluded
                and len(clause.actors) > 1
                or actor in excluded
                and (actor != m.owner_actor(cue.token))
            ):
                continue
            if actor.kind == "org" and actor.key in m.aggregates:
                continue
            entry = found.setdefault(
                (actor, stance),
                {"types": set(), "quantity": None, "condition": None, "speaker": None},
            )
            types = entry["types"]
            assert isinstance(types, set)
            types.update(cue.types)
            amount = quantity_of(cue.token, lex)
            held = entry["quantity"]
            if amount and (not isinstance(held, str) or len(amount) < len(held)):
                entry["quantity"] = amount  # the most specific wording of the amount
            entry["condition"] = entry["condition"] or condition_of(clause.path, lex)
            entry["speaker"] = entry["speaker"] or _announcer(clause, m)
    pledges: list[PledgeRecord] = []
    for (actor, stance), entry in found.items():
        types = entry["types"]
        assert isinstance(types, set)
        if types & set(SPECIFIC):
            types.discard(ContributionType.UNSPECIFIED_MILITARY)
        when = meeting_dates.get(meeting_key) if meeting_key else None
        pledges.append(
            PledgeRecord(
                actor=actor,
                stance=stance,
                types=tuple(sorted(types, key=lambda t: list(ContributionType).index(t))),
                evidence=sent.text.strip(),
                sentence_index=index,
                announced_by=entry["speaker"] if isinstance(entry["speaker"], str) else None,
                quantity=entry["quantity"] if isinstance(entry["quantity"], str) else None,
                condition=entry["condition"] if isinstance(entry["condition"], str) else None,
                date=when or (stated[0] if stated else None),
                meeting_key=meeting_key,
            )
        )
    return pledges


def _anaphoric_cues(sent: Span, ctx: Discourse, lex: Lexicon) -> list[Cue]:
    """ "The United States is ready to work on this": the types of the sentence before."""
    if not ctx.previous_types:
        return []
    for token in sent:
        if token.lower_ in ("this", "that", "it") and token.dep_ in ("pobj", "dobj"):
            return [Cue(token, set(ctx.previous_types))]
    lowered = sent.text.lower()
    if any(p in lowered for p in lex.consider_phrases):
        root = sent.root
        return [Cue(root, set(ctx.previous_types))]
    return []


def consolidate(pledges: list[PledgeRecord]) -> list[PledgeRecord]:
    """One article's positions, strongest first: a type an actor commits to in the article
    is not also listed as merely considered."""
    committed: dict[Actor, set[ContributionType]] = {}
    for pledge in pledges:
        if pledge.stance is Stance.COMMITTED:
            committed.setdefault(pledge.actor, set()).update(pledge.types)
    kept: list[PledgeRecord] = []
    seen: set[tuple[Actor, Stance, tuple[ContributionType, ...], str]] = set()
    for pledge in pledges:
        key = (pledge.actor, pledge.stance, pledge.types, pledge.evidence)
        if key in seen:
            continue  # a headline repeated as the first line
        seen.add(key)
        if pledge.stance is Stance.CONSIDERING and pledge.actor in committed:
            remaining = tuple(t for t in pledge.types if t not in committed[pledge.actor])
            if not remaining:
                continue
            if remaining != pledge.types:
                pledge = PledgeRecord(**{**pledge.__dict__, "types": remaining})
        kept.append(pledge)
    return kept


def update_discourse(sent: Span, m: Mentions, ctx: Discourse, cues: list[Cue]) -> None:
    """Remember the last leader, state and contribution types (its ``cues``) a sentence
    mentioned."""
    for token in sent:
        name = m.leader_of(token)
        if name is not None:
            ctx.last_leader = name
            continue
        actor = m.actor_at(token)
        if actor is not None and actor.is_state and token.dep_ in ("nsubj", "nsubjpass"):
            ctx.last_state = actor
    types: set[ContributionType] = set()
    for cue in cues:
        types |= cue.types
    ctx.previous_types = types
