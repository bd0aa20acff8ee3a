"""Meetings: summits, meetings, talks and calls, with place, date and participants, merged
over their mentions in one article ("the meeting", "the summit" refer back to the last one
with a place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Token

from kg.extract.dates import is_future
from kg.extract.mentions import Mentions, subject_of
from kg.gazetteer import slugify
from kg.records import PHONE, VIRTUAL, Actor, MeetingRecord

_PLACE_PREPS = ("in", "at")
_PARTICIPANT_PREPS = ("with", "between", "among", "by", "of")
_ATTEND_LEMMAS = ("attend", "participate", "join", "involve", "include", "bring", "gather")
_AFTER_PREPS = ("after", "following", "at", "during")
# Words that make "call" or "spoke by …" a call, as opposed to a meeting in person.
PHONE_WORDS = frozenset({"phone", "telephone"})
CALL_COMPOUNDS = PHONE_WORDS | {"video", "conference"}
CALL_MEANS = PHONE_WORDS | {"video", "videoconference"}
_NOT_YET = ("future", "planned", "possible", "proposed", "upcoming", "next", "potential")


@dataclass
class _Mention:
    token: Token
    kind: str
    sentence: int
    place: str | None
    host: str | None
    dates: list[date]
    participants: list[Actor]
    leaders: list[str]
    evidence: str
    anaphoric: bool


@dataclass
class _Meeting:
    key: str
    kind: str
    place: str | None
    host: str | None
    date: date | None = None
    participants: list[Actor] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    sentences: set[int] = field(default_factory=set)


def _kind(token: Token, m: Mentions) -> str | None:
    lemma = token.lemma_.lower()
    if token.pos_ in ("NOUN", "PROPN"):
        if token.lower_ == "talks" or lemma == "talk" and token.tag_ == "NNS":
            return "talks"
        if lemma == "call":
            compounds = {c.lower_ for c in token.children if c.dep_ in ("compound", "amod")}
            if compounds & (CALL_COMPOUNDS | m.lexicon.virtual_markers):
                return "call"
            return None
        if lemma == "talk":
            return None
        return m.lexicon.meeting_nouns.get(lemma)
    if token.pos_ == "VERB":
        if lemma == "call":
            return None  # "called for", "called on"
        if lemma in ("speak", "talk", "confer"):
            means = {
                g.lemma_.lower()
                for c in token.children
                if c.dep_ == "prep" and c.lower_ in ("by", "over", "via")
                for g in c.children
            }
            return "call" if means & CALL_MEANS else None
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
            return None  # "an offer to host", "agreed to meet": not a meeting held
        if any(
            c.dep_ == "dobj" and c.lemma_.lower() in m.lexicon.meeting_nouns for c in token.children
        ):
            return None  # "hosted a summit": the noun is the mention
        kind = m.lexicon.meeting_verbs.get(lemma)
        if (
            kind
            and lemma == "meet"
            and not any(c.dep_ in ("prep", "dobj", "nsubj") for c in token.children)
        ):
            return None
        return kind
    return None


def _no_verb_between(inner: Token, outer: Token) -> bool:
    token = inner.head
    while token.i != outer.i and token.head.i != token.i:
        if token.pos_ in ("VERB", "AUX"):
            return False
        token = token.head
    return token.i == outer.i


def _attached_to(prep: Token, head: Token, meeting: Token) -> bool:
    """An "in"/"at" phrase belongs to the meeting when it hangs from the meeting word or
    its verb, or from a date phrase that does ("On 6 January in Paris, a meeting ...")."""
    if prep.head.i == head.i:
        return True
    if head.i == meeting.i and _no_verb_between(prep, meeting):
        return True
    holder = prep.head
    return holder.ent_type_ in ("DATE", "TIME") and holder.head.head.i == head.i


def _place_tokens(token: Token) -> list[Token]:
    """Where an "in"/"at" phrase on the meeting word (or the verb it belongs to) points."""
    heads = [token]
    if token.dep_ in ("nsubj", "nsubjpass", "dobj") and token.head.pos_ in ("VERB", "AUX"):
        heads.append(token.head)
    if token.dep_ == "pobj" and token.head.head.pos_ in ("VERB", "AUX"):
        heads.append(token.head.head)
    found: list[Token] = []
    for child in token.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            found.append(child)
    for head in heads:
        for prep in head.subtree:
            if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS:
                continue
            if not _attached_to(prep, head, token):
                continue
            found.extend(c for c in prep.children if c.dep_ == "pobj" and c.i != token.i)
    return found


def _place_words(obj: Token) -> list[Token]:
    """The place noun, then what narrows it: compounds, appositions and nested "in"
    ("the Elysee Palace in Paris", "his residence in Mar-a-Lago, Florida")."""
    found = [obj]
    for child in obj.children:
        if child.dep_ in ("compound", "appos", "conj") and child.pos_ == "PROPN":
            found.append(child)
        if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS:
            for inner in child.children:
                if inner.dep_ == "pobj":
                    found.extend(_place_words(inner))
    return found


def _place_name(token: Token) -> str:
    """The whole name a place token belongs to: its entity, widened over hyphens written
    without spaces ("Mar-a-Lago")."""
    doc = token.doc
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


def _place_of(token: Token, m: Mentions) -> tuple[str | None, str | None]:
    """The place of a meeting mention (a city over a venue) and the state it is in."""
    venue: str | None = None
    for obj in _place_tokens(token):
        for inner in _place_words(obj):
            span = m.actor_spans.get(inner.i)
            if span is not None and span.label_ in ("CAPITAL", "STATE"):
                return span.text, span.kb_id_
            if span is not None:
                continue  # an organization or a leader is not a venue
            if venue is None and (
                inner.ent_type_ in ("GPE", "LOC", "FAC")
                or (inner.pos_ == "PROPN" and inner.ent_type_ not in ("PERSON", "NORP"))
            ):
                venue = _place_name(inner)
    return venue, None


def _host_of(token: Token, m: Mentions) -> str | None:
    """The state whose leader or government hosts the meeting ("Starmer hosted a summit")."""
    verb = token.head if token.dep_ == "dobj" else token
    if verb.lemma_.lower() != "host":
        return None
    subject = subject_of(verb)
    actors = m.actors_of_phrase(subject) if subject is not None else []
    state = next((a for a in actors if a.is_state), None)
    return state.key if state else None


def _participant_heads(token: Token, m: Mentions) -> list[Token]:
    heads: list[Token] = []
    for child in token.children:
        if child.dep_ == "poss":
            heads.append(child)
        elif child.dep_ == "prep" and child.lower_ in _PARTICIPANT_PREPS:
            heads.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ in ("acl", "relcl") and child.lemma_.lower() in _ATTEND_LEMMAS:
            for grand in child.children:
                if grand.dep_ in ("dobj", "pobj"):
                    heads.append(grand)
                elif grand.dep_ in ("agent", "prep", "prt"):
                    heads.extend(c for c in grand.children if c.dep_ == "pobj")
    if token.pos_ == "VERB":
        subject = subject_of(token)
        if subject is not None:
            heads.append(subject)
        for child in token.children:
            if child.dep_ == "dobj" and child.lemma_.lower() not in m.lexicon.meeting_nouns:
                heads.append(child)
    # "Meloni, who took part in the coalition talks" / "Merz, speaking after the meeting".
    holder = token.head
    if token.dep_ == "pobj" and holder.dep_ == "prep":
        verb = holder.head
        if verb.pos_ in ("VERB", "AUX") and (
            verb.lemma_.lower() in m.lexicon.participation_verbs or holder.lower_ in _AFTER_PREPS
        ):
            subject = subject_of(verb)
            if subject is not None:
                heads.append(subject)
    if token.dep_ in ("dobj", "nsubjpass") and holder.lemma_.lower() in (
        "attend",
        "hold",
        "host",
        "join",
        "take",
    ):
        subject = subject_of(holder)
        if subject is not None and subject.i != token.i:
            heads.append(subject)
        for child in holder.children:
            if child.dep_ == "agent":
                heads.extend(c for c in child.children if c.dep_ == "pobj")
            # "... was held, attended by X, Y and Z" / "took place ..., bringing together X"
            if child.dep_ in ("advcl", "acl", "xcomp") and child.lemma_.lower() in _ATTEND_LEMMAS:
                for grand in child.children:
                    if grand.dep_ == "dobj":
                        heads.append(grand)
                    elif grand.dep_ in ("agent", "prep"):
                        heads.extend(c for c in grand.children if c.dep_ == "pobj")
    return heads


def _of_actors(token: Token, m: Mentions) -> list[Actor]:
    """ "the defence ministers of Lithuania, Latvia and Estonia" → the three states."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return m.actors_of_phrase(obj, governments_only=True)
    return []


def _participants(token: Token, m: Mentions) -> tuple[list[Actor], list[str]]:
    actors: list[Actor] = []
    leaders: list[str] = []
    for head in _participant_heads(token, m):
        for name in m.leaders_of_phrase(head):
            if name not in leaders:
                leaders.append(name)
        for candidate in m.phrase_heads(head):
            actor = m.token_actor(candidate, allow_capital=False)
            found = [actor] if actor is not None else []
            if actor is None and (
                candidate.lemma_.lower() in m.lexicon.participant_nouns
                or candidate.lower_ in m.lexicon.participant_nouns
            ):
                owner = m.owner_actor(candidate)
                found = [owner] if owner is not None else _of_actors(candidate, m)
            for each in found:
                if each not in actors:
                    actors.append(each)
    return actors, leaders


def _mentions(m: Mentions, dates: list[list[date]]) -> list[_Mention]:
    found: list[_Mention] = []
    for index, sent in enumerate(m.doc.sents):
        future = is_future(sent)
        stated = dates[index]
        for token in sent:
            kind = _kind(token, m)
            if kind is None:
                continue
            if future and any(c.lower_ in ("will", "next") for c in token.head.subtree):
                continue
            if any(c.lower_ in _NOT_YET for c in token.children if c.dep_ in ("amod", "compound")):
                continue  # "future negotiations", "a planned summit": not a meeting held
            place, host = _place_of(token, m)
            host = host or _host_of(token, m)
            if kind == "call" and place is None:
                words = {c.lower_ for c in token.subtree}
                if words & m.lexicon.virtual_markers:
                    place = VIRTUAL
                elif words & PHONE_WORDS:
                    place = PHONE
            actors, leaders = _participants(token, m)
            # "the meeting", "the coalition talks", "its summit" point back to a meeting
            # already named; "a phone call" is another event.
            indefinite = any(
                c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in token.children
            )
            found.append(
                _Mention(
                    token=token,
                    kind=kind,
                    sentence=index,
                    place=place,
                    host=host,
                    dates=stated,
                    participants=actors,
                    leaders=leaders,
                    evidence=sent.text.strip(),
                    anaphoric=place is None and not indefinite,
                )
            )
    return found


def extract_meetings(
    m: Mentions, dates: list[list[date]]
) -> tuple[list[MeetingRecord], dict[int, str]]:
    """Meetings of one document, and the meeting each sentence speaks of (by key);
    ``dates`` holds the days each sentence names."""
    mentions = _mentions(m, dates)
    meetings: dict[str, _Meeting] = {}
    order: list[str] = []
    last: str | None = None
    for mention in mentions:
        if mention.place is not None:
            key = slugify(mention.place)
            meeting = meetings.get(key)
            if meeting is None:
                meeting = _Meeting(
                    key=key, kind=mention.kind, place=mention.place, host=mention.host
                )
                meetings[key] = meeting
                order.append(key)
            if mention.kind == "summit":
                meeting.kind = "summit"
            if meeting.date is None:
                meeting.date = _nearby_date(mention, dates, mentions)
        elif not mention.anaphoric:
            key = f"{mention.kind}-{mention.sentence}-{mention.token.i}"
            meeting = _Meeting(key=key, kind=mention.kind, place=None, host=None)
            meeting.date = mention.dates[0] if mention.dates else None
            meetings[key] = meeting
            order.append(key)
        else:
            found = last if last is not None else _next_placed(mention, mentions)
            if found is None:
                continue
            key = found
            meeting = meetings.get(key) or _Meeting(
                key=key, kind=mention.kind, place=None, host=None
            )
            meetings.setdefault(key, meeting)
            if key not in order:
                order.append(key)
        if mention.anaphoric or mention.place is not None:
            last = key
        meeting.sentences.add(mention.sentence)
        if mention.evidence not in meeting.evidence:
            meeting.evidence.append(mention.evidence)
        for actor in mention.participants:
            if actor not in meeting.participants:
                meeting.participants.append(actor)
        for name in mention.leaders:
            if name not in meeting.leaders:
                meeting.leaders.append(name)
    records: list[MeetingRecord] = []
    by_sentence: dict[int, str] = {}
    for key in order:
        meeting = meetings[key]
        if meeting.date is None and meeting.place in (None, VIRTUAL, PHONE):
            continue  # neither place nor date: not identifiable as one event
        participants = list(meeting.participants)
        for name in meeting.leaders:
            represented = m.leader_actor.get(name)
            if represented is not None and represented not in participants:
                participants.append(represented)
        records.append(
            MeetingRecord(
                key=key,
                kind=meeting.kind,
                location=meeting.place,
                date=meeting.date,
                host=meeting.host,
                participants=tuple(participants),
                leaders=tuple(meeting.leaders),
                evidence=tuple(meeting.evidence),
            )
        )
        for index in meeting.sentences:
            by_sentence.setdefault(index, key)
    return records, by_sentence


def _nearby_date(
    mention: _Mention, dates: list[list[date]], mentions: list[_Mention]
) -> date | None:
    """The date of the mention's sentence, else of the sentence before or after it, else of
    another mention of the same place."""
    if mention.dates:
        return mention.dates[0]
    for offset in (-1, 1):
        index = mention.sentence + offset
        if 0 <= index < len(dates):
            if any(o.sentence == index and o.place and o.place != mention.place for o in mentions):
                continue  # that sentence's date belongs to another meeting
            if dates[index]:
                return dates[index][0]
    for other in mentions:
        if other.place == mention.place and other.dates:
            return other.dates[0]
    return None


def _next_placed(mention: _Mention, mentions: list[_Mention]) -> str | None:
    for other in mentions:
        if other.sentence >= mention.sentence and other.place is not None:
            return slugify(other.place)
    return None
