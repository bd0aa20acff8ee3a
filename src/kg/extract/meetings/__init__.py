"""Meetings as analysts count them: summits and ministerials, bilateral meetings and talks,
visits, joint press conferences, calls, and meetings on the sidelines of another event.

Each meeting word that reports a meeting held (:mod:`.kinds`) is a mention with a place
(:mod:`.places`), a date and participants (:mod:`.participants`). Its date is the date
phrase of its clause, else its sentence's only date, else a neighbouring sentence's, else,
for a readout that reports it among its opening sentences or "today", the article's date;
a sentence that dates it only by month or year ("In February, at our meeting in Munich")
lends it no day. Mentions of one meeting ("the talks", "the two leaders met", the title and
the body) merge into one record per day and place; a meeting is told apart by its day and
place (a call by its day and parties), so a meeting with no place is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from kg.extract.confidence import meeting_confidence
from kg.extract.dates import resolve_date
from kg.extract.meetings.kinds import CALL, PRESS, VISIT, KindReader
from kg.extract.meetings.participants import ParticipantFinder
from kg.extract.meetings.places import Place, PlaceFinder
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.lexicon import Lexicon
from kg.normalise import slugify
from kg.records import CITY, COUNTRY, REMOTE, VENUE, Actor, MeetingRecord
from kg.resolve import Resolution
from kg.resolve.speech import paragraphs

__all__ = ["MeetingExtractor", "Place", "extract_meetings"]

# Sentences this early in a lead paragraph report the day's news.
_OPENING_SENTENCES = 3


@dataclass
class _Mention:
    token: Token
    kind: str
    sentence: int
    place: Place | None
    dated: date | None
    participants: list[Actor]
    leaders: list[str]
    host: str | None
    evidence: str
    anaphoric: bool


@dataclass
class _Meeting:
    key: str
    kind: str
    place: Place | None
    date: date | None = None
    host: str | None = None
    participants: list[Actor] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    sentences: set[int] = field(default_factory=set)
    first_sentence: int = 0
    doubts: set[str] = field(default_factory=set)  # what had to be inferred (confidence)
    verbal: bool = False  # some mention is a verb of meeting ("met", "hosted")


def _same_place(a: Place | None, b: Place | None) -> bool:
    return a is not None and b is not None and slugify(a.name) == slugify(b.name)


def _is_call(meeting: _Meeting) -> bool:
    return meeting.kind == CALL or meeting.place is not None and meeting.place.remote


class MeetingExtractor:
    """Meetings of one document."""

    def __init__(
        self,
        doc: Doc,
        res: Resolution,
        lex: Lexicon,
        reference: date | None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.doc = doc
        self.res = res
        self.lex = lex
        self.words = lex.meeting_words
        self.reference = reference
        self.gaz = gazetteer or load_gazetteer()
        self.sentences = list(doc.sents)
        self.kinds = KindReader(res, lex)
        self.places = PlaceFinder(doc, res, lex, self.gaz)
        self.people = ParticipantFinder(res, lex)
        self.dated_ents, self.coarse = self._dated_entities()
        self.opening = self._opening_sentences()

    def _opening_sentences(self) -> set[int]:
        """The sentences of the article's opening: its title, dateline and byline lines, and
        the first sentences of its lead paragraph (the first one that tells something)."""
        opening: set[int] = set()
        for paragraph in paragraphs(self.doc):
            inside = [
                i
                for i, s in enumerate(self.sentences)
                if paragraph.start <= s.start < paragraph.end
            ]
            lead = len(paragraph) >= 8 and any(t.pos_ in ("VERB", "AUX") for t in paragraph)
            opening.update(inside[:_OPENING_SENTENCES] if lead else inside)
            if lead and paragraph.start > 0 or len(opening) > 2 * _OPENING_SENTENCES:
                break
        return opening

    # --- dates ---------------------------------------------------------------------------

    def _dated_entities(self) -> tuple[list[tuple[Span, date]], set[int]]:
        """Date phrases resolved to a day, and the sentences that name only a month or a
        year; the dateline's date is the report's, not the meeting's."""
        found: list[tuple[Span, date]] = []
        coarse: set[int] = set()
        starts = [s.start for s in self.sentences]
        for ent in self.doc.ents:
            if ent.start < self.places.dateline_end or ent.label_ not in ("DATE", "TIME"):
                continue
            resolved = resolve_date(ent.text, self.reference)
            if resolved is not None:
                found.append((ent, resolved))
            elif any(t.lower_ in self.words.months or t.like_num and len(t.text) == 4 for t in ent):
                coarse.add(max(i for i, s in enumerate(starts) if s <= ent.start))
        return found, coarse

    def _date_of(self, token: Token, sentence: int) -> date | None:
        """The date phrase of the meeting's clause, else the sentence's only date."""
        clause = (
            token
            if token.pos_ == "VERB"
            else next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), token)
        )
        inside = {t.i for t in clause.subtree}
        below = {t.i for t in token.subtree}
        for ent, resolved in self._dated_in(sentence):
            if token.pos_ != "VERB" and (ent.root.i in below or ent.root.head.i == token.i):
                return resolved  # "their May 15 meeting", "last Friday's meeting"
        relative = self._relative_date(token, clause, inside, sentence)
        if relative is not None:
            return relative
        own: list[date] = []
        others: list[date] = []
        for ent, resolved in self._dated_in(sentence):
            if ent.root.i in inside and _nearest_verb(ent.root) in (clause, token):
                own.append(resolved)
            elif ent.root.i not in inside or token.pos_ == "VERB":
                others.append(resolved)
            # else: the date of an event told inside the meeting noun's clause ("the talks
            # focused on a plan revised after consultations held on Sunday") is not its date
        if own:
            return own[0]
        if others and len(set(others)) == 1:
            return others[0]
        return None

    def _relative_date(
        self, token: Token, clause: Token, inside: set[int], sentence: int
    ) -> date | None:
        """ "spoke on Friday, the day after the leaders met", "five days after ministers
        met", "late that night": a day counted from another time of the text."""
        lex = self.lex
        marks = [
            c
            for c in clause.children
            if c.dep_ in ("mark", "prep")
            and c.lower_ in lex.relative_directions
            and (
                not any(g.dep_ == "pobj" for g in c.children)
                or any(t.i == token.i for t in c.subtree)
            )
        ]  # "ministers meeting on Wednesday pledged ..., two days after the strikes": the
        # meeting is the later event and keeps its day; "three days after the summit": counted
        # "five days after" hangs the count on the verb or on "after"
        for child in [*clause.children, *(g for m in marks for g in m.children)]:
            if child.dep_ != "npadvmod":
                continue
            determiners = {d.lower_ for d in child.children if d.dep_ in ("det", "amod")}
            if child.lemma_.lower() in lex.times_of_day and (
                determiners & lex.anaphoric_time_determiners
            ):
                return self._date_before(sentence)  # "that night", "the same day"
            days = self._span_in_days(child, marks, determiners)
            if days is None:
                continue
            own = (d for ent, d in self._dated_in(sentence) if ent.root.i not in inside)
            anchor = next(own, None) or self._date_before(sentence) or self.reference
            return anchor - timedelta(days=days) if anchor else None
        return None

    def _span_in_days(self, unit: Token, marks: list[Token], determiners: set[str]) -> int | None:
        """ "the day after" -> 1, "five days after" -> 5, "a week before" -> -7."""
        lex = self.lex
        days = lex.relative_units.get(unit.lemma_.lower())
        # "the day after the leaders met" may be read with "after" on "day"
        direction = marks or [
            c for c in unit.children if c.dep_ == "prep" and c.lower_ in lex.relative_directions
        ]
        if days is None or not direction:
            return None
        count = 1 if determiners & {"the", "a", "one"} else None
        for number in (c for c in unit.children if c.dep_ == "nummod"):
            count = lex.number_words.get(number.lower_) or (
                int(number.text) if number.text.isdigit() else None
            )
        if count is None:
            return None
        return lex.relative_directions[direction[0].lower_] * count * days

    def _dated_in(self, sentence: int) -> list[tuple[Span, date]]:
        """The date phrases of one sentence, resolved."""
        sent = self.sentences[sentence]
        return [(ent, d) for ent, d in self.dated_ents if sent.start <= ent.start < sent.end]

    def _date_before(self, sentence: int) -> date | None:
        """The last day named in the two sentences before."""
        for index in (sentence - 1, sentence - 2):
            if index < 0:
                break
            named = self._dated_in(index)
            if named:
                return named[-1][1]
        return None

    # --- mentions ----------------------------------------------------------------------------

    def mentions(self) -> list[_Mention]:
        """Every meeting word of the document that reports a meeting held."""
        found: list[_Mention] = []
        words = self.words
        for index, sent in enumerate(self.sentences):
            for token in sent:
                kind = self.kinds.kind(token)
                joins = kind is None and bool(found) and self.kinds.joins_before(token)
                if joins:
                    kind = found[-1].kind  # "Macron and Tusk attended."
                if kind is None or not self.kinds.held(token, sent):
                    continue
                place = None if joins else self.places.place_of(token, kind)
                dated = self._date_of(token, index)
                if joins and dated is not None and found[-1].dated not in (None, dated):
                    place = found[-1].place  # "On Monday they were joined by ...": there again
                if place is None and dated is None and self.kinds.topic(token):
                    continue  # "the progress of negotiations with Russia": a subject of talk
                actors, leaders = self.people.participants(token)
                if not actors and not leaders and place is not None and dated is not None:
                    leaders = self.people.leaders_of_sentence(token)
                if kind == PRESS and not self.people.joint(token, actors, leaders):
                    continue  # one leader before the press is no meeting
                indefinite = any(
                    c.dep_ == "det" and c.lower_ in words.indefinite_determiners
                    for c in token.children
                )
                definite = any(
                    c.dep_ in ("det", "poss") and c.lower_ in words.definite_determiners
                    for c in token.children
                ) and not any(  # "the meeting of the Allies" names its own meeting
                    c.dep_ == "prep" and c.lower_ in ("of", "between", "with", "among")
                    for c in token.children
                )
                found.append(
                    _Mention(
                        token=token,
                        kind=kind,
                        sentence=index,
                        place=place,
                        dated=dated,
                        participants=actors,
                        leaders=leaders,
                        host=self.people.host(token),
                        evidence=sent.text.strip(),
                        anaphoric=place is None
                        and (definite and not indefinite or joins or self.kinds.here(token)),
                    )
                )
        return found

    # --- merging ---------------------------------------------------------------------------

    def extract(self) -> tuple[list[MeetingRecord], dict[int, str]]:
        """Meetings of the document, and the meeting each sentence speaks of (by key)."""
        mentions = self.mentions()
        meetings: list[_Meeting] = []
        last: _Meeting | None = None
        for mention in mentions:
            target = self._target(mention, meetings, last)
            if target is None and mention.anaphoric and mention.dated is None:
                continue  # "the summit" with nothing before it to point back to
            if target is None:
                target = _Meeting(
                    key=f"{mention.kind}-{mention.sentence}-{mention.token.i}",
                    kind=mention.kind,
                    place=mention.place,
                    first_sentence=mention.sentence,
                )
                meetings.append(target)
            self._absorb(target, mention)
            last = target
        merged = self._merged(meetings)
        for meeting in merged:
            self._complete(meeting, mentions)
        return self._records([m for m in merged if self._enough_parties(m)])

    def _target(
        self, mention: _Mention, meetings: list[_Meeting], last: _Meeting | None
    ) -> _Meeting | None:
        """The meeting a mention adds to: the same place on the same day, else the last one
        for a mention that names no place."""
        for meeting in meetings:
            if mention.place is None or not _same_place(meeting.place, mention.place):
                continue
            if mention.dated is None or meeting.date is None or meeting.date == mention.dated:
                if not _is_call(meeting) or mention.dated == meeting.date:
                    return meeting
        if mention.place is None and mention.anaphoric and last is not None:
            if last.kind != mention.kind:
                # "the meeting" after talks told in passing: the last meeting of its kind
                alike = [m for m in meetings if m.kind == mention.kind]
                if alike:
                    last = alike[-1]
        if mention.place is None and last is not None:
            shared = bool(set(mention.participants) & set(last.participants)) or bool(
                set(mention.leaders) & set(last.leaders)
            )
            bare = not mention.participants and not mention.leaders
            same_day = mention.dated is None or mention.dated == last.date
            # an undated meeting takes the day of a later mention of the same parties
            undated = last.date is None and shared
            if mention.anaphoric or same_day and (shared or bare) or undated:
                if mention.kind != CALL or last.kind == CALL:
                    return last
        if mention.place is None and mention.dated is not None:
            for meeting in reversed(meetings):
                if meeting.date == mention.dated and meeting.kind == mention.kind:
                    return meeting
        return None

    def _absorb(self, meeting: _Meeting, mention: _Mention) -> None:
        if meeting.place is None and mention.place is not None:
            meeting.place = mention.place
        if meeting.date is None and mention.dated is not None:
            meeting.date = mention.dated
        if (
            mention.kind == "summit"
            or meeting.kind in (VISIT, PRESS)
            and mention.kind
            in (
                "meeting",
                "talks",
            )
        ):
            meeting.kind = mention.kind
        meeting.host = meeting.host or mention.host
        meeting.verbal = meeting.verbal or mention.token.pos_ == "VERB"
        meeting.sentences.add(mention.sentence)
        if mention.evidence not in meeting.evidence:
            meeting.evidence.append(mention.evidence)
        meeting.participants += [a for a in mention.participants if a not in meeting.participants]
        meeting.leaders += [n for n in mention.leaders if n not in meeting.leaders]

    def _complete(self, meeting: _Meeting, mentions: list[_Mention]) -> None:
        """Fill a missing date from the neighbours or the article, a missing place from the
        dateline, the visited state as a participant of a visit, and the state the meeting
        was in as its host unless the text names one."""
        if meeting.date is None and not meeting.sentences & self.coarse:
            meeting.date = self._nearby_date(meeting, mentions)
            if meeting.date is not None:
                meeting.doubts.add("inferred_date")
            elif self._reported_now(meeting):
                meeting.date = self.reference  # a readout's meeting of the day, undated
                meeting.doubts.add("article_date")
        dateline = self.places.dateline
        if (
            meeting.place is None
            and dateline is not None
            and (
                meeting.first_sentence in self.opening
                or meeting.kind == PRESS
                or self._told_by_participant(meeting)
            )
        ) or (meeting.place is not None and meeting.place.region and dateline is not None):
            meeting.place = dateline  # a region ("the Rockies") has the dateline's town in it
            meeting.doubts.add("dateline_place")
        place = meeting.place
        if place is not None and not place.remote and place.state is not None:
            if meeting.kind == VISIT and Actor("state", place.state) not in meeting.participants:
                meeting.participants.append(Actor("state", place.state))
            if meeting.host is None:
                meeting.host = place.state  # a meeting in Paris is hosted by France

    def _nearby_date(self, meeting: _Meeting, mentions: list[_Mention]) -> date | None:
        first = min(meeting.sentences)
        for offset in (-1, 1):
            index = first + offset
            if not 0 <= index < len(self.sentences):
                continue
            if any(
                m.sentence == index and m.place and not _same_place(m.place, meeting.place)
                for m in mentions
            ):
                continue  # that sentence's date belongs to another meeting
            dates = {d for _, d in self._dated_in(index)}
            if len(dates) == 1:
                return dates.pop()
        return None

    def _told_by_participant(self, meeting: _Meeting) -> bool:
        """ "This morning we were received by the President": a speaker at the dateline's
        place who took part, the same day."""
        first_person = self.lex.first_plural | self.lex.first_singular
        return meeting.date == self.reference and any(
            t.lower_ in first_person and t.dep_ in ("nsubj", "nsubjpass")
            for i in meeting.sentences
            for t in self.sentences[i]
        )

    def _reported_now(self, meeting: _Meeting) -> bool:
        """A meeting the article reports as its news: in its opening sentences, or said to
        be today."""
        if self.reference is None:
            return False
        return min(meeting.sentences) in self.opening or any(
            t.lower_ in self.words.today_words for i in meeting.sentences for t in self.sentences[i]
        )

    def _merged(self, meetings: list[_Meeting]) -> list[_Meeting]:
        """One record per meeting of the article: mentions with the same or no date, and the
        same, no, or an enclosing place ("Ukraine" and "Kyiv"), are one meeting."""
        kept: list[_Meeting] = []
        for meeting in meetings:
            candidates = [k for k in kept if self._compatible(k, meeting)]
            into = min(candidates, key=lambda k: self._distance(k, meeting), default=None)
            if into is None:
                kept.append(meeting)
                continue
            if into.place is None or (
                meeting.place is not None and self._encloses(into.place, meeting.place)
            ):
                into.place = meeting.place
            into.date = into.date or meeting.date
            into.host = into.host or meeting.host
            if (
                meeting.kind == "summit"
                or into.kind in (VISIT, PRESS)
                and meeting.kind
                not in (
                    VISIT,
                    PRESS,
                )
            ):
                into.kind = meeting.kind
            into.sentences |= meeting.sentences
            into.verbal = into.verbal or meeting.verbal
            into.evidence += [e for e in meeting.evidence if e not in into.evidence]
            into.participants += [a for a in meeting.participants if a not in into.participants]
            into.leaders += [n for n in meeting.leaders if n not in into.leaders]
            into.first_sentence = min(into.first_sentence, meeting.first_sentence)
        return kept

    def _distance(self, a: _Meeting, b: _Meeting) -> tuple[int, int]:
        """How far apart two mentions of maybe one meeting are: fewer shared parties, then
        more sentences between them, is farther."""
        shared = len(set(a.participants) & set(b.participants)) + len(
            set(a.leaders) & set(b.leaders)
        )
        gap = min(abs(i - j) for i in a.sentences for j in b.sentences)
        return (-shared, gap)

    def _encloses(self, outer: Place, inner: Place) -> bool:
        """ "Ukraine" encloses "Kyiv": the outer place is the state the inner one is in."""
        state = self.gaz.states.get(inner.state or "")
        return (
            state is not None
            and slugify(outer.name) != slugify(inner.name)
            and slugify(outer.name) in {slugify(n) for n in (state.name, *state.names)}
        )

    def _compatible(self, a: _Meeting, b: _Meeting) -> bool:
        if _is_call(a) != _is_call(b):
            return False
        if a.date is not None and b.date is not None and a.date != b.date:
            return False
        shared = bool(set(a.participants) & set(b.participants)) or bool(
            set(a.leaders) & set(b.leaders)
        )
        if _is_call(a):
            return not (a.participants and b.participants) or shared
        if a.place is None or b.place is None:
            # a mention with no place joins a meeting that shares a party with it, or any
            # when it names neither day nor party of its own ("the talks", "the meeting")
            loose = b if b.place is None else a
            return shared or (loose.date is None and not loose.participants and not loose.leaders)
        return (
            slugify(a.place.name) == slugify(b.place.name)
            or self._encloses(a.place, b.place)
            or self._encloses(b.place, a.place)
        )

    def _enough_parties(self, meeting: _Meeting) -> bool:
        """A visit is a meeting when the visitor meets someone: two parties at least (the
        visited state counts), on a known day."""
        if meeting.kind != VISIT:
            return True
        if meeting.date is None:
            return False
        parties = set(meeting.participants) | {
            a for n in meeting.leaders if (a := self.res.leader_actor(n)) is not None
        }
        return len(parties) > 1

    def _place_precision(self, place: Place) -> str:
        """Remote, a venue, a whole country, or a city."""
        if place.remote:
            return REMOTE
        if place.venue:
            return VENUE
        if self.gaz.is_state_name(place.name):
            return COUNTRY
        return CITY

    def _records(self, meetings: list[_Meeting]) -> tuple[list[MeetingRecord], dict[int, str]]:
        records: dict[tuple[date | None, str], MeetingRecord] = {}
        by_sentence: dict[int, str] = {}
        for meeting in meetings:
            place = meeting.place
            if place is None or place.remote and meeting.date is None:
                continue  # a meeting is told apart by its day and place
            participants = list(meeting.participants)
            for name in meeting.leaders:
                represented = self.res.leader_actor(name)
                if represented is not None and represented.is_state:
                    if represented not in participants:
                        participants.append(represented)
            if place.remote and len(participants) < 2:
                continue  # a call with fewer than two parties cannot be told apart
            day = meeting.date.isoformat() if meeting.date else ""
            key = meeting.key if place.remote else slugify(f"{place.name} {day}")
            precision = self._place_precision(place)
            record = MeetingRecord(
                key=key,
                kind=meeting.kind,
                location=place.name,
                date=meeting.date,
                host=meeting.host,
                participants=tuple(participants),
                leaders=tuple(meeting.leaders),
                evidence=tuple(meeting.evidence),
                venue=place.venue,
                confidence=meeting_confidence(_doubts_of(meeting, precision, participants)),
                place_precision=precision,
            )
            identity = (meeting.date, key)
            records[identity] = _merge(records[identity], record) if identity in records else record
            for index in meeting.sentences:
                by_sentence.setdefault(index, key)
        return list(records.values()), by_sentence


def _doubts_of(meeting: _Meeting, precision: str, participants: list[Actor]) -> set[str]:
    """What a meeting record rests on beyond what its words say (see extract.confidence)."""
    doubts = set(meeting.doubts)
    if not meeting.verbal:
        doubts.add("no_verb")
    if precision == COUNTRY:
        doubts.add("country_place")
    parties = len(participants) + len(meeting.leaders)
    if parties == 0:
        doubts.add("no_participants")
    elif len(participants) < 2 and meeting.kind != "summit":
        doubts.add("one_party")
    return doubts


def _nearest_verb(token: Token) -> Token | None:
    return next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)


def _merge(a: MeetingRecord, b: MeetingRecord) -> MeetingRecord:
    return MeetingRecord(
        key=a.key,
        kind="summit" if "summit" in (a.kind, b.kind) else a.kind,
        location=a.location,
        date=a.date,
        host=a.host or b.host,
        participants=tuple(dict.fromkeys(a.participants + b.participants)),
        leaders=tuple(dict.fromkeys(a.leaders + b.leaders)),
        evidence=tuple(dict.fromkeys(a.evidence + b.evidence)),
        venue=a.venue or b.venue,
        confidence=max(a.confidence or 0.0, b.confidence or 0.0),
        place_precision=a.place_precision,
    )


def extract_meetings(
    doc: Doc, res: Resolution, lex: Lexicon, reference: date | None
) -> tuple[list[MeetingRecord], dict[int, str]]:
    """Meetings of one document and the meeting each sentence speaks of (by key)."""
    return MeetingExtractor(doc, res, lex, reference).extract()
