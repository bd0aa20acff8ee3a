"""The stance of a clause, from the words on the path between the cue and its actor only.

- Declined: negation on the path ("will not send", "no troops", "has no plans", "none of
  us", "not a single soldier", "neither A nor B"), refusal words ("refused", "ruled out",
  "refusal", "unwilling"), an answer that is no.
- Considering: negated refusal ("did not rule out"); deliberation verbs and nouns ("weighing",
  "looking into", "the possibility"), tentative modals ("could", "might"), deciding that is
  still to come ("will decide whether", "decisions will be made"), matters left for later,
  approval still to be sought ("subject to a vote").
- Committed: commitment, transfer and deployment verbs, readiness adjectives ("ready to"),
  commitment nouns ("pledge", "decision"), a future modal ("will", "would"), an infinitive
  headline ("Romania to send ...").
- Nothing on the path that speaks of contributing: no stance (a description, not a pledge).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.clause import Clause
from kg.extract.cues import Cue
from kg.extract.syntax import weighs_whether
from kg.lexicon import Lexicon
from kg.records import Stance

_STANCE_DEPS = frozenset(
    {
        "neg",
        "aux",
        "auxpass",
        "advmod",
        "prt",
        "acomp",
        "attr",
        "det",
        "preconj",
        "mark",
        "npadvmod",
        "dep",
    }
)
_PAST_TAGS = frozenset({"VBD", "VBN"})


def _words(path: tuple[Token, ...], lex: Lexicon) -> list[Token]:
    """The path's words, the function words that hang on them, and deliberation nouns they
    take as objects ("would begin talks with ... on the deployment")."""
    found: list[Token] = []
    for token in path:
        found.append(token)
        for child in token.children:
            if child.dep_ in _STANCE_DEPS or answer(child) is not None:
                found.append(child)
            elif _membership(token, child, lex):
                found.append(child)  # "will be part of the force"
            elif child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in lex.negative_determiners:
                found.append(child)  # "nothing is excluded"
            elif child.dep_ in ("dobj", "nsubj", "nsubjpass") and (
                child.lemma_.lower() in lex.consider_nouns
                or child.lemma_.lower() in lex.commit_nouns
                or child.lemma_.lower() in lex.decision_nouns
            ):
                # "reaffirm our commitment to ...", "begin talks on ...", "no decision has
                # been taken on ...": the noun and its determiner carry the stance
                found.append(child)
                found.extend(g for g in child.children if g.dep_ in ("det", "neg", "amod"))
    return found


def _refuses_to_say(verb: Token, lex: Lexicon) -> bool:
    """ "refused to comment on", "declined to confirm": no answer, not a refusal to give."""
    return any(c.dep_ == "xcomp" and c.lemma_.lower() in lex.reporting_verbs for c in verb.children)


def _membership(copula: Token, noun: Token, lex: Lexicon) -> bool:
    """ "will be part of", "is a contributor to": a membership noun as what the subject is."""
    return (
        copula.lemma_ == "be"
        and noun.dep_ == "attr"
        and noun.lemma_.lower() in lex.membership_nouns
    )


def _between_states(token: Token, clause: Clause) -> bool:
    """A discussion held by several states, or with another state or its leader ("discussed
    air defence with the Finnish president")."""
    if len(clause.actors) > 1:
        return True
    return any(
        prep.dep_ == "prep"
        and prep.lower_ in ("with", "between", "among")
        and any(t.ent_type_ in ("PERSON", "GPE", "NORP") for t in prep.subtree)
        for prep in token.subtree
    )


def answer(token: Token) -> str | None:
    """ "says no to sending jets", "said yes to the mission", "He has said no.": the answer
    a verb gives (to what follows, or to what was named before)."""
    lowered = token.lower_
    if lowered not in ("no", "yes") or token.dep_ not in ("intj", "dobj", "npadvmod"):
        return None
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is not None and following.lower_ == "to":
        return lowered
    said = token.dep_ in ("dobj", "intj") and token.head.lemma_.lower() == "say"
    return lowered if said and (following is None or following.is_punct) else None


def _hypothetical(cue: Cue, path: tuple[Token, ...], lex: Lexicon) -> bool:
    """ "Any NATO peacekeepers deployed to Ukraine would ...": a supposition, not a pledge."""
    nouns = [cue.token, *(t for t in path if t.pos_ == "NOUN")]
    return any(
        c.dep_ == "det" and c.lower_ in lex.hypothetical_determiners
        for noun in nouns
        for c in noun.children
    )


def _counterfactual(path: tuple[Token, ...]) -> bool:
    """ "If I were president, I would send jets": a condition in the subjunctive "were"."""
    for token in path:
        for clause in token.children:
            if clause.dep_ != "advcl":
                continue
            marked = any(m.dep_ == "mark" and m.lower_ == "if" for m in clause.children)
            were = clause.lower_ == "were" or any(
                a.dep_ in ("aux", "auxpass") and a.lower_ == "were" for a in clause.children
            )
            if marked and were:
                return True
    return False


def _too_to(token: Token, path: tuple[Token, ...], lex: Lexicon) -> Token | None:
    """ "is too stretched to deploy", "is too far away to send": a degree word right after
    "too", on a path word or hung on it, that rules out the contributing infinitive on the
    path after it (the degree word, or None)."""
    for degree in (token, *(c for c in token.children if c.dep_ in ("acomp", "advmod"))):
        if not (degree.pos_ in ("ADJ", "ADV") or degree.tag_ == "VBN"):
            continue
        if not any(
            g.dep_ == "advmod" and g.lower_ == "too" and g.i == degree.i - 1
            for g in degree.children
        ):
            continue
        if any(
            t.i > degree.i
            and t.tag_ == "VB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
            and _speaks_of_contributing(t, lex)
            for t in path
        ):
            return degree
    return None


def _negative(token: Token, lex: Lexicon) -> bool:
    lowered = token.lower_
    if token.dep_ == "neg":
        # "trainers, not troops": a "not" after a noun sets another noun against it
        return not (token.head.pos_ in ("NOUN", "PROPN") and token.i > token.head.i)
    if lowered == "no" and token.i + 1 < len(token.doc):
        if token.doc[token.i + 1].lower_ in lex.quantity_negations:
            return False  # "no more than 150 soldiers" is an amount
    if token.dep_ in ("det", "preconj", "advmod", "attr") and lowered in lex.negative_determiners:
        return True
    if token.dep_ in ("nsubj", "nsubjpass") and lowered in ("nothing", "none", "nobody"):
        return True  # "nothing is excluded"
    return token.dep_ == "advmod" and lowered == "never"


def _subject_negated(clause: Clause, cue: Cue, lex: Lexicon) -> bool:
    """ "None of us", "Neither Austria nor Malta", "Not a single soldier", "no troops"."""
    heads = [cue.token]
    if clause.subject is not None:
        heads.append(clause.subject)
    for head in heads:
        if head.lower_ in ("none", "nobody", "neither"):
            return True
        for child in head.children:
            if _negative(child, lex) or child.lower_ in ("neither", "nor"):
                return True
            if child.dep_ in ("det", "amod") and any(g.lower_ == "not" for g in child.children):
                return True  # "not a single soldier"
            if child.dep_ == "cc" and child.lower_ == "nor":
                return True
    return False


def _is_decision(token: Token, lex: Lexicon) -> bool:
    lemma = token.lemma_.lower()
    phrasal = lex.phrasal_decisions.get(lemma)
    if phrasal is not None:
        particle, obj = phrasal
        children = {(c.dep_, c.lemma_.lower()) for c in token.children}
        return ("prt", particle) in children and ("dobj", obj) in children
    return lemma in lex.decision_verbs or lemma in lex.decision_nouns


def _undecided_above(cue: Token, lex: Lexicon) -> bool:
    """ "There is no consensus yet to send troops": a negated decision noun on a verb the
    cue's clause hangs from."""
    return any(
        child.dep_ in ("attr", "dobj", "nsubj", "nsubjpass")
        and child.pos_ == "NOUN"
        and child.lemma_.lower() in lex.decision_nouns
        and any(_negative(g, lex) for g in child.children)
        for verb in cue.ancestors
        for child in verb.children
    )


def _forbidden_above(path: tuple[Token, ...], lex: Lexicon) -> bool:
    """ "The constitution does not allow Japan to send troops": the path's top clause hangs
    from a negated verb of permission."""
    top = path[-1] if path else None
    if top is None or top.dep_ not in ("ccomp", "xcomp"):
        return False
    verb = top.head
    return verb.lemma_.lower() in lex.permission_verbs and any(
        _negative(c, lex) for c in verb.children
    )


def _decision_pending(token: Token, lex: Lexicon) -> bool:
    """Deciding still to come: "will decide whether", "deciding", "decisions will be made"."""
    lemma = token.lemma_.lower()
    if lemma in lex.decision_verbs and token.pos_ == "VERB":
        if token.tag_ in _PAST_TAGS and not any(
            c.dep_ == "aux" and c.lower_ in lex.future_auxiliaries for c in token.children
        ):
            return False
        return True
    if lemma in lex.decision_nouns and token.pos_ == "NOUN":
        verb = token.head
        return token.dep_ == "nsubjpass" and any(
            c.dep_ == "aux" and c.lower_ in lex.future_auxiliaries for c in verb.children
        )
    return False


@dataclass(frozen=True)
class Reading:
    """A clause's stance, and what voice it needs to be a position: a modal guess ("Germany
    could send", "is expected to") needs an official to say it, not a writer or an analyst;
    an obligation ("Britain should send", "Poland must deliver") needs the state itself, not
    another state that demands it."""

    stance: Stance
    needs_voice: bool = False
    needs_own_voice: bool = False


def stance_of(cue: Cue, clause: Clause, lex: Lexicon, *, headline: bool = False) -> Reading | None:
    """The stance the path of ``clause`` expresses for ``cue``, or None when it speaks of no
    contribution."""
    path = clause.path
    words = _words(path, lex)
    phrase_negated = cue.negated or _subject_negated(clause, cue, lex)
    undecided = any(_negative(t, lex) and _is_decision(t.head, lex) for t in words) or (
        _undecided_above(cue.token, lex)
    )  # "no decision has been taken", "has not decided", "no consensus to send"
    negated = not undecided and (
        phrase_negated or any(_negative(t, lex) for t in words) or _forbidden_above(path, lex)
    )
    declined = False
    considered = False
    committed = False
    tentative = False  # could, might, may, should
    obliged = False  # must, ought to, needs to
    answered = False
    topic = False
    for token in words:
        lemma = token.lemma_.lower()
        pos = token.pos_
        answer_given = answer(token)
        if answer_given is not None:
            answered = True
            declined = declined or answer_given == "no"
            committed = committed or answer_given == "yes"
        if pos == "VERB" and lemma in lex.decline_verbs and not _refuses_to_say(token, lex):
            particles = lex.decline_particles.get(lemma)
            if particles is None or any(c.lower_ in particles for c in token.children):
                declined = True
        elif pos == "NOUN" and lemma in lex.decline_nouns and token.dep_ != "det":
            declined = True
        elif pos == "ADJ" and lemma in lex.decline_adjectives:
            declined = True
        degree = _too_to(token, path, lex)
        if degree is not None:
            if degree.lemma_.lower() in lex.premature_words:
                considered = True  # "too early to send": not yet
            else:
                declined = True
        if _decision_pending(token, lex):
            considered = True
        elif lemma in lex.shared_deliberation and _between_states(token, clause):
            topic = True  # "the two presidents met to discuss air defence": no position
        elif pos == "VERB" and any(
            c.dep_ == "dobj" and f"{lemma} {c.lemma_.lower()}" in lex.acknowledging_phrases
            for c in token.children
        ):
            topic = True  # "took note of the request for air defence": no position
        elif pos == "VERB" and lemma in lex.consider_verbs:
            if lemma != "look" or any(c.lower_ in lex.consider_particles for c in token.children):
                considered = True
        elif pos == "NOUN" and lemma in lex.consider_nouns:
            considered = True
        elif pos == "ADJ" and lemma in lex.consider_adjectives:
            considered = True
        if token.dep_ == "aux" and token.lower_ in lex.consider_modals:
            tentative = True
        if pos == "ADJ" and lemma in lex.tentative_adjectives:
            tentative = True  # "is likely to send"
        if (
            pos == "VERB"
            and lemma in lex.tentative_passives
            and any(c.dep_ == "auxpass" for c in token.children)
        ):
            tentative = True  # "is expected to announce"
        if (
            token.dep_ == "aux"
            and token.lower_ in lex.deontic_modals
            or (pos == "VERB" and lemma in lex.deontic_modals and token.dep_ != "aux")
        ):
            obliged = True
        if token.dep_ == "advmod" and token.lower_ in lex.pending_adverbs:
            considered = True
        if token.dep_ == "mark" and token.lower_ == "whether" and weighs_whether(token.head, lex):
            considered = True  # "deciding whether to send", "a decision on whether to send"
        deferring = lex.deferring_verbs.get(lemma) if pos == "VERB" else None
        if deferring is not None and (
            not deferring or any(c.dep_ == "prt" and c.lower_ in deferring for c in token.children)
        ):
            considered = True  # "holds off on a decision", "postponed the delivery"
        if pos in ("VERB", "AUX") and (
            lemma in lex.commit_verbs or lemma in lex.arrival_verbs or lemma in lex.receive_verbs
        ):
            committed = committed or _finite(token)
        elif pos in ("VERB", "AUX") and lemma in lex.role_verbs and _in_role(token, cue.token):
            committed = committed or _finite(token)
        elif pos == "VERB" and lemma in lex.instrument_verbs and _helps_with(token, cue.token):
            committed = committed or _finite(token)
        elif pos == "ADJ" and lemma in lex.commit_adjectives:
            committed = True
        elif pos == "NOUN" and (lemma in lex.commit_nouns or _membership(token.head, token, lex)):
            committed = True
        if token.dep_ in ("aux", "auxpass") and token.lower_ in lex.future_auxiliaries:
            committed = True
    if _needs_approval(path, lex) or undecided:
        considered = True
    if topic and not (negated or declined):
        return None
    lexical = (
        declined
        or considered
        or tentative
        or cue.anaphoric
        or answered
        or any(_speaks_of_contributing(t, lex) for t in words)
        or any(t.lemma_.lower() in lex.role_verbs and _in_role(t, cue.token) for t in words)
    )
    if not lexical:
        if phrase_negated and committed:
            return Reading(Stance.DECLINED)  # "there will be no boots", "not a single soldier"
        if headline and any(c.dep_ == "aux" and c.lower_ == "to" for t in path for c in t.children):
            return Reading(Stance.COMMITTED)  # "Romania to send air defence to Ukraine"
        return None
    if _hypothetical(cue, path, lex) and not (negated or declined or considered or tentative):
        return None  # "any" under a commitment is a supposition; under deliberation, not
    if _counterfactual(path):
        return None  # "if I were in Oslo, I would send": what the speaker is not
    if negated and declined:
        return Reading(Stance.CONSIDERING)  # "did not rule out", "not refusing"
    if negated or declined:
        return Reading(Stance.DECLINED)
    if considered:
        return Reading(Stance.CONSIDERING)
    if obliged:
        return Reading(Stance.CONSIDERING, needs_voice=True, needs_own_voice=True)
    if tentative:
        return Reading(Stance.CONSIDERING, needs_voice=True)
    if committed:
        return Reading(Stance.COMMITTED)
    return None


def _in_role(verb: Token, cue: Token) -> bool:
    """ "will act as a backstop": the cue is the role the subject takes on."""
    return any(
        c.dep_ == "prep" and c.lower_ == "as" and cue.i in {t.i for t in c.subtree}
        for c in verb.children
    )


def _helps_with(verb: Token, cue: Token) -> bool:
    """ "supports Ukraine with weapons": the cue is what the help is given with."""
    return any(
        c.dep_ == "prep" and c.lower_ == "with" and cue.i in {t.i for t in c.subtree}
        for c in verb.children
    )


def _finite(verb: Token) -> bool:
    """A verb that states something: inflected, or with an auxiliary ("will send", "to
    send"); a bare gerund ("the importance of demining") states nothing."""
    if verb.tag_ in ("VBD", "VBZ", "VBP", "VBN", "MD"):
        return True
    return any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _speaks_of_contributing(token: Token, lex: Lexicon) -> bool:
    """A word that makes a clause speak of contributing (not a bare modal)."""
    lemma = token.lemma_.lower()
    pos = token.pos_
    if pos == "VERB":
        return (
            lemma in lex.commit_verbs
            or lemma in lex.activity_verbs
            or lemma in lex.instrument_verbs
            or lemma in lex.receive_verbs
            or lemma in lex.arrival_verbs
        )
    if pos == "ADJ":
        return lemma in lex.commit_adjectives
    if pos in ("NOUN", "PROPN"):
        return (
            lemma in lex.commit_nouns
            or lemma in lex.holder_nouns
            or _membership(token.head, token, lex)
        )
    return False


def _needs_approval(path: tuple[Token, ...], lex: Lexicon) -> bool:
    """Approval still to be sought for the clause ("subject to a parliamentary vote", "would
    seek approval", "after consulting parliament"), not consent already given nor a
    consultation that is over ("pledged frigates after it consulted Britain"): anywhere in
    the clause of the path's last verb, clauses with subjects of their own left out."""
    verbs = [t for t in path if t.pos_ in ("VERB", "AUX", "ADJ")]
    if not verbs:
        return False
    stack = [verbs[-1]]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ in ("advcl", "ccomp", "conj", "relcl") and any(
                g.dep_ in ("nsubj", "nsubjpass") for g in child.children
            ):
                continue  # another clause, with its own subject
            stack.append(child)
        lemma = token.lemma_.lower()
        seeking = (lemma in lex.seeking_verbs and token.tag_ != "VBD") or (
            token.dep_ in ("prep", "amod", "acomp") and token.lower_ in lex.pending_prepositions
        )
        if (
            seeking
            and any(g.lemma_.lower() in lex.approval_nouns for g in token.subtree if g.i != token.i)
            or lemma in lex.seeking_verbs
            and token.tag_ in ("VBG", "VB")
            and token.head.lower_
            in (
                "after",
                "before",
            )
        ):
            return True
    return False
