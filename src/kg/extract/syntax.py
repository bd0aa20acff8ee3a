"""Dependency-tree helpers the extractors share: subjects (with control and relative
clauses), conjuncts, owners of noun phrases and the actors a phrase stands for, read from the
document's :class:`~kg.resolve.Resolution`.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.lexicon import Lexicon
from kg.records import Actor
from kg.resolve import Resolution

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
OWNER_DEPS = frozenset({"poss", "amod", "compound", "nmod", "npadvmod"})
PREDICATE_POS = frozenset({"VERB", "AUX", "ADJ"})
# Verbs whose object is the subject of the clause they govern ("urged Germany to send",
# "warned Poland against sending", "invited Austria to join").
_OBJECT_CONTROL_DEPS = frozenset({"dobj", "obj"})


def own_subject(verb: Token) -> Token | None:
    """The subject written on the verb itself (or, misattached, on its auxiliary)."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass"):
            for grand in child.children:
                if grand.dep_ in SUBJECT_DEPS:
                    return grand
    return None


def controller(verb: Token) -> Token | None:
    """The verb a subjectless clause takes its subject from, if any."""
    # "dep": a coordinated verb the parser could not attach ("met X, then flew to Baku")
    if verb.dep_ in ("xcomp", "conj", "advcl", "dep") and verb.head.pos_ in PREDICATE_POS:
        return verb.head
    if verb.dep_ == "pcomp" and verb.head.head.pos_ in ("VERB", "AUX", "ADJ"):
        return verb.head.head
    return None


def is_headline_actor(verb: Token) -> bool:
    """ "Dutch to send drones", "Spain to deploy": the parser made the headline's state the
    head of the infinitive; it is the infinitive's subject."""
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head.i < verb.i
        and head.ent_type_ in ("NORP", "GPE")
        and own_subject(head) is None
    )


def subject_of(verb: Token, control: frozenset[str] = frozenset()) -> Token | None:
    """The grammatical subject of a verb: its own, a relative pronoun's antecedent, the
    object of an object-control verb ("urged Germany to send"), or the subject of the verb it
    depends on ("Germany is ready to send", "Starmer said after hosting")."""
    child = own_subject(verb)
    if child is not None:
        if child.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return verb.head
        return child
    head = controller(verb)
    if head is not None:
        if is_headline_actor(verb):
            return head  # "Dutch to send drones": a headline's actor parsed as the verb's head
        if verb.dep_ in ("xcomp", "pcomp") and head.lemma_.lower() in control:
            for child in head.children:
                if child.dep_ in _OBJECT_CONTROL_DEPS and child.pos_ in ("PROPN", "NOUN", "PRON"):
                    return child
        return subject_of(head, control)
    # "Following the meeting, Ukraine, France and the UK signed ...": the parser sometimes
    # hangs the subject off the fronted phrase as conjuncts after a comma.
    for child in verb.children:
        if child.dep_ != "prep" or child.i > verb.i:
            continue
        for obj in (c for c in child.children if c.dep_ == "pobj"):
            conjuncts = [c for c in obj.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
            if conjuncts and verb.doc[conjuncts[0].i - 1].text == ",":
                return conjuncts[0]
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return None


def conjuncts(head: Token) -> list[Token]:
    """The head and its conjuncts and appositions, and "including" members, in order."""
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
    return sorted(found, key=lambda t: t.i)


def owner_actor(token: Token, res: Resolution) -> Actor | None:
    """Whose a thing is: "Sweden's contributions", "Spanish troops", "its troops", "U.S.
    envoys"."""
    for child in token.children:
        if child.dep_ not in OWNER_DEPS:
            continue
        if child.pos_ == "PRON":
            referred = res.refers_to.get(child.i)
            if referred:
                return referred[0]
            person = res.person_at.get(child.i)
            if person is not None:
                return res.leader_actor(person)
            continue
        if child.dep_ == "amod" and child.tag_ == "VBN":
            continue  # "a UN-mandated mission", "US-made shells": who did that, not whose
        for candidate in child.subtree:
            if candidate.i >= token.i:
                break
            actor = res.actor_of_token(candidate.i, allow_capital=child.dep_ == "poss")
            if actor is not None:
                return actor
            if candidate.pos_ == "PRON" and candidate.i in res.refers_to:
                return res.refers_to[candidate.i][0]
    return None


def owner_actors(token: Token, res: Resolution) -> tuple[Actor, ...]:
    """Every owner a noun's coordinated modifiers name: "the Czech and Slovak prime
    ministers", "Spanish and Italian troops", "their troops" of several states; else the one
    owner of :func:`owner_actor`."""
    for child in token.children:
        if child.dep_ == "poss" and child.pos_ == "PRON":
            referred = res.refers_to.get(child.i, ())
            if len(referred) > 1:
                return tuple(referred)
        if child.dep_ not in ("amod", "compound", "nmod"):
            continue
        parts = [child, *(c for c in child.subtree if c.dep_ == "conj" and c.i < token.i)]
        if len(parts) < 2:
            continue
        found: list[Actor] = []
        for part in parts:
            actor = res.actor_of_token(part.i, allow_capital=False)
            if actor is not None and actor not in found:
                found.append(actor)
        if len(found) > 1:
            return tuple(found)
    owner = owner_actor(token, res)
    return (owner,) if owner is not None else ()


def token_actors(token: Token, res: Resolution) -> tuple[Actor, ...]:
    """The actors a head token stands for by itself: a state or organization named, a leader's
    state, or what a pronoun, government noun or definite title refers to."""
    actor = res.actor_of_token(token.i, allow_capital=True)
    if actor is not None:
        mention = res.actor_at.get(token.i)
        if (
            mention is not None
            and mention.label == "DEMONYM"
            and token.dep_ in ("amod", "compound")
        ):
            return ()  # "Spanish" inside a larger phrase is an owner, not the head
        return (actor,)
    person = res.person_at.get(token.i)
    if person is not None:
        found = res.leader_actor(person)
        return (found,) if found else ()
    return tuple(res.refers_to.get(token.i, ()))


def phrase_actors(
    head: Token, res: Resolution, lex: Lexicon, *, owned: bool = True
) -> tuple[tuple[Actor, ...], bool]:
    """The actors a noun phrase stands for, and whether it is an unnamed group ("26
    countries", "the partners") that stands for nobody in particular. With ``owned``, a noun
    stands for its owner ("the Spanish government", "Washington's envoys")."""
    found: list[Actor] = []
    unnamed = False
    for token in conjuncts(head):
        actors = token_actors(token, res)
        if not actors:
            owners = owner_actors(token, res) if owned else ()
            lemma = token.lemma_.lower()
            if lemma in lex.private_nouns:
                unnamed = True  # "Slovak companies": not the state, nobody's pledge
            elif owners and token.pos_ in ("NOUN", "PROPN"):
                actors = owners
            elif token.lower_ in lex.quantifier_pronouns and _of_members(token, res, lex, True):
                actors = _of_members(token, res, lex, True)  # "none of us", "both of them"
            elif lemma in lex.government_nouns and token.tag_ in ("NN", "NNP"):
                pass  # "the government": one government, named by the speaker or the context
            elif (force := _of_a_force(token, lex)) is not None:
                # "members of the Austrian Armed Forces": the force's state, if it names one
                actors = owner_actors(force, res) if owned else ()
            elif lemma in lex.aggregate_nouns or token.lower_ in lex.aggregate_nouns:
                members = _of_members(token, res, lex) or _copula_members(token, res, lex)
                if members:
                    actors = members
                else:
                    unnamed = True
        for actor in actors:
            if actor not in found and not (actor.kind == "org" and actor.key in res.aggregates):
                found.append(actor)
    return tuple(found), unnamed and not found


def _of_a_force(token: Token, lex: Lexicon) -> Token | None:
    """ "Members of the Defence Forces", "units of the army": people of one armed force (the
    force's noun), not a group of states."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in lex.force_recipients:
                    return obj
    return None


def _of_members(
    token: Token, res: Resolution, lex: Lexicon, pronouns: bool = False
) -> tuple[Actor, ...]:
    """ "the leaders of France and Germany" -> the states named after "of" (an organization
    there, "the countries of the European Union", names no member); with ``pronouns``,
    also what a pronoun there stands for ("none of us")."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                if obj.pos_ == "PRON" and not pronouns:
                    return ()
                return tuple(a for a in phrase_actors(obj, res, lex)[0] if a.is_state)
    return ()


def _copula_members(token: Token, res: Resolution, lex: Lexicon) -> tuple[Actor, ...]:
    """ "The UK and France are among the countries that pledged": the copula's subject."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in ("among", "of") and head.head.lemma_ == "be":
        subject = own_subject(head.head)
        if subject is not None and subject.i != token.i:
            return phrase_actors(subject, res, lex)[0]
    return ()


def leaders_of_phrase(head: Token, res: Resolution) -> list[str]:
    """Leaders a noun phrase names ("Macron, Zelensky and Starmer", "U.S. envoys Steve
    Witkoff and Jared Kushner")."""
    names: list[str] = []
    for token in conjuncts(head):
        name = res.leader_at.get(token.i) or res.person_at.get(token.i)
        if name is None:
            for child in token.children:
                if child.dep_ in ("appos", "compound") and res.leader_at.get(child.i):
                    name = res.leader_at[child.i]
        if name is not None and name not in names:
            names.append(name)
    return names


def ancestors_path(token: Token) -> list[Token]:
    """The token and its heads up to the sentence root."""
    path = [token]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def weighs_whether(clause: Token, lex: Lexicon) -> Token | None:
    """The word of deciding or weighing a "whether" clause hangs from ("will decide whether
    to send", "a decision on whether to send"), or None ("whether soldier or nurse")."""
    head = clause.head.head if clause.head.dep_ == "prep" else clause.head
    lemma = head.lemma_.lower()
    if lemma in lex.decision_verbs or lemma in lex.consider_verbs:
        return head
    if head.pos_ == "NOUN" and (lemma in lex.decision_nouns or lemma in lex.consider_nouns):
        return head
    return None
