"""The resolve stage: who every mention of a document is, worked out once per document.

It reads the gazetteer spans of the annotated document and the article's header, and gives
one frozen :class:`Resolution`: the actor of each state, demonym, capital or organization
name, the canonical leader of each name, surname and definite title, the speaker of each
quoted or transcribed passage, what each pronoun, "we" or government noun stands for, the
signatories of a joint statement and the author of a signed text.
"""

from __future__ import annotations

from types import MappingProxyType

from spacy.tokens import Doc, Token

from kg.gazetteer import Gazetteer, load_gazetteer
from kg.lexicon import Lexicon, load_lexicon
from kg.nlp import SPANS_KEY
from kg.records import Actor
from kg.resolve.leaders import LeaderFinder
from kg.resolve.model import ActorMention, DocumentContext, Resolution, Speaker
from kg.resolve.references import ReferenceResolver
from kg.resolve.speech import (
    answerer,
    find_speakers,
    interviewee,
    label_speaker_by_surname,
    paragraphs,
)

__all__ = ["DocumentContext", "Resolution", "Speaker", "resolve"]

_ACTOR_LABELS = {"STATE": "state", "DEMONYM": "state", "CAPITAL": "state", "SEAT": "state"}
_BYLINE_MAX_TOKENS = 16
# An issuing office's line is short and comes in the first lines of the header.
_ISSUER_PARAGRAPHS = 3
_ISSUER_MAX_WORDS = 7
# A statement names its signatories in its opening, after a line or two of release furniture.
_OPENING_PARAGRAPHS = 6


def actor_mentions(doc: Doc) -> dict[int, ActorMention]:
    """Token index -> the gazetteer name it belongs to (venues included, for meetings)."""
    found: dict[int, ActorMention] = {}
    for span in doc.spans[SPANS_KEY]:
        if span.label_ == "LEADER":
            continue
        if span.label_ == "ORG":
            actor = Actor("org", span.kb_id_)
        elif span.label_ == "VENUE":
            actor = Actor("venue", span.kb_id_)
        else:
            actor = Actor(_ACTOR_LABELS[span.label_], span.kb_id_)
        mention = ActorMention(actor, span.label_, span.start, span.end)
        for token in span:
            found[token.i] = mention
    return found


def resolve(
    doc: Doc,
    context: DocumentContext,
    gazetteer: Gazetteer | None = None,
    lexicon: Lexicon | None = None,
) -> Resolution:
    """Who every mention of ``doc`` stands for (see the module docstring)."""
    gaz = gazetteer or load_gazetteer()
    lex = lexicon or load_lexicon()
    aggregates = gaz.aggregate_orgs
    actor_at = actor_mentions(doc)
    publisher_code = gaz.state_in_text(context.publisher) if context.publisher else None
    publisher_state = (
        Actor("state", publisher_code) if publisher_code else _issuer(doc, actor_at, lex)
    )
    finding = LeaderFinder(doc, gaz, lex, actor_at, publisher_state, context.published).find()
    leader_actor = {name: record.actor for name, record in finding.records.items()}
    refs = ReferenceResolver(doc, lex, actor_at, finding.at, leader_actor, aggregates)
    person_at = refs.resolve_persons()

    def speaker_of_phrase(token: Token) -> Speaker | None:
        if token.i in finding.not_leaders or token.lemma_.lower() in lex.non_leader_titles:
            return Speaker(None, (), acts_for_nobody=True)
        name = finding.at.get(token.i) or person_at.get(token.i)
        if name is not None:
            actor = leader_actor.get(name)
            return Speaker(name, (actor,) if actor else ())
        actors = refs.phrase_actors(token)
        return Speaker(None, actors) if actors else None

    def by_surname(surname: str) -> tuple[str, Actor] | None:
        info = gaz.leader_for_surname(surname)
        if info is None:
            return None
        info = info.as_of(context.published)
        actor = Actor("state", info.state) if info.state else Actor("org", info.org or "")
        return info.name, actor

    labels = label_speaker_by_surname(
        leader_actor, by_surname, lex, interviewee(doc, finding.at, lex)
    )
    answering = answerer(doc, finding.at, lex, speaker_of_phrase)
    speakers = find_speakers(doc, lex, speaker_of_phrase, labels, answering)
    author = _author(doc, finding.at, lex)
    signatories = _signatories(doc, context, gaz, refs)
    refers_to = refs.resolve_actors(speakers, signatories, author, publisher_state)
    return Resolution(
        actor_at=MappingProxyType(actor_at),
        leader_at=MappingProxyType(dict(finding.at)),
        leaders=MappingProxyType(dict(finding.records)),
        refers_to=MappingProxyType(dict(refers_to)),
        person_at=MappingProxyType(dict(refs.person_at)),
        speakers=MappingProxyType(speakers),
        not_leaders=frozenset(finding.not_leaders),
        signatories=signatories,
        author=author,
        publisher_state=publisher_state,
        aggregates=aggregates,
    )


def _issuer(doc: Doc, actor_at: dict[int, ActorMention], lex: Lexicon) -> Actor | None:
    """The state whose office issues a text, named on a line of its own in the header ("The
    White House", "U.S. Department of State") when no publisher is given."""
    for number, paragraph in enumerate(paragraphs(doc)):
        if number >= _ISSUER_PARAGRAPHS or paragraph.text.rstrip().endswith("."):
            break
        words = [t for t in paragraph if not t.is_punct and not t.is_space]
        if len(words) > _ISSUER_MAX_WORDS or any(t.pos_ == "VERB" for t in words):
            continue
        states = {actor_at[t.i] for t in words if t.i in actor_at and actor_at[t.i].actor.is_state}
        if len(states) != 1:
            continue
        (mention,) = states
        head = paragraph.root.lemma_.lower()
        office = head in lex.government_nouns or head in lex.official_nouns
        if mention.label == "SEAT" or office:
            return mention.actor
    return None


def _author(doc: Doc, leader_at: dict[int, str], lex: Lexicon) -> str | None:
    """The leader who signs the text: a byline ("Antony J. Blinken, Secretary of State"), an
    attribution line ("The following is attributable to Spokesperson X:") near the top, or
    the title of a text a leader signs ("Statement by the Prime Minister, X, on ...")."""
    for number, paragraph in enumerate(paragraphs(doc)):
        if number >= 3:
            break
        for by in paragraph:
            if by.lower_ == "by" and by.head.lemma_.lower() in lex.authored_texts:
                signed = [leader_at[t.i] for t in by.subtree if t.i in leader_at]
                if signed:
                    return signed[0]
        if len(paragraph) > _BYLINE_MAX_TOKENS:
            continue
        names = [leader_at[t.i] for t in paragraph if t.i in leader_at]
        if not names:
            continue
        verbs = [t for t in paragraph if t.pos_ == "VERB"]
        if not verbs or any(t.lower_ == "attributable" for t in paragraph):
            return names[0]
    return None


def _signatories(
    doc: Doc, context: DocumentContext, gaz: Gazetteer, refs: ReferenceResolver
) -> tuple[Actor, ...]:
    """The states that sign a joint statement: named in its title, or in an opening "We, the
    leaders of A, B and C," of its first paragraphs."""
    if context.title and any(p.search(context.title) for p in refs.lex.joint_statement_titles):
        named = gaz.states_in_text(context.title)
        if len(named) > 1:
            return tuple(Actor("state", code) for code in named)
    for number, paragraph in enumerate(paragraphs(doc)):
        if number >= _OPENING_PARAGRAPHS:
            break
        for token in paragraph:
            if token.lower_ == "we" and any(c.dep_ == "appos" for c in token.children):
                appos = next(c for c in token.children if c.dep_ == "appos")
                named_actors = tuple(a for a in refs.phrase_actors(appos) if a.is_state)
                if len(named_actors) > 1:
                    return named_actors
    return ()
