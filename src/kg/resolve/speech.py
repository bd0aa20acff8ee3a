"""Who speaks: quotations and their attribution, transcript speaker labels, bylines and
"according to" phrases.

A quotation's speaker is the subject of the reporting verb next to it (`"...," X said`,
`X said: "..."`); a quotation with no attribution of its own continues the last one. In a
transcript, a label ("SECRETARY BLINKEN:", "MR PRICE:", "QUESTION:") gives the speaker of
its turn, up to the next label; in an interview printed without labels, the paragraphs after
a question are the interviewee's answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon
from kg.normalise import fold
from kg.records import Actor
from kg.resolve.model import Speaker

_OPENING = frozenset({"\u201c", "\u2018", "\u00ab"})
_CLOSING = frozenset({"\u201d", "\u2019", "\u00bb"})
_TOGGLE = frozenset({'"', "'", "``", "''"})
# Characters without which a paragraph holds no quotation.
_QUOTE_MARKS = frozenset("\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\u2039\u203a\"'`")
# "SECRETARY BLINKEN:", "MR PRICE:", "Q:", "STUBB (through translator):", "Minister Sybiha:"
_LABEL = re.compile(
    r"^([A-Z][A-Z.\u2019' -]{0,60}|[A-Z][a-z]+(?: [A-Z][\w.\u2019'-]+){0,4})"
    r"(?:\s*\([^)]{1,40}\))?:\s"
)

SpeakerOf = Callable[[Token], Speaker | None]
# An interview printed as questions and answers asks at least this many questions.
_INTERVIEW_QUESTIONS = 2
# A transcript has at least this many labelled turns; a turn lasts until the next label.
_TRANSCRIPT_TURNS = 3
# Quoted words fewer than this, with no verb, are a term in quotation marks, not speech.
_TERM_TOKENS = 8


_PARAGRAPHS_KEY = "kg.paragraphs"


def paragraphs(doc: Doc) -> Iterator[Span]:
    """The paragraphs of a document (the cleaner separates them with line breaks); found once
    per document, kept in its user data."""
    bounds: list[tuple[int, int]] | None = doc.user_data.get(_PARAGRAPHS_KEY)
    if bounds is None:
        bounds = []
        start = 0
        for token in doc:
            if token.is_space and "\n" in token.text:
                if token.i > start:
                    bounds.append((start, token.i))
                start = token.i + 1
        if start < len(doc):
            bounds.append((start, len(doc)))
        doc.user_data[_PARAGRAPHS_KEY] = bounds
    for start, end in bounds:
        yield doc[start:end]


def quote_spans(paragraph: Span) -> list[tuple[int, int]]:
    """(first, last) token indices of the quotations of a paragraph, marks excluded; a
    quotation still open at the paragraph's end runs to it."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for token in paragraph:
        text = token.text
        if not token.is_quote and text not in _TOGGLE:
            continue
        opening = text in _OPENING or (text in _TOGGLE and open_at is None)
        if text in _CLOSING and open_at is None:
            continue  # an apostrophe the tokenizer left alone
        if opening and open_at is None:
            open_at = token.i
        elif open_at is not None and text not in _OPENING:
            if token.i - open_at > 2:
                spans.append((open_at + 1, token.i - 1))
            open_at = None
    if open_at is not None and paragraph.end - open_at > 3:
        spans.append((open_at + 1, paragraph.end - 1))
    return spans


def _reporting_verb_near(
    doc: Doc, sent: Span, inside: range, lex: Lexicon, after: bool
) -> Token | None:
    """A reporting verb of the sentence, outside the quotation, on the given side of it."""
    tokens = [
        t
        for t in sent
        if t.i not in inside and (t.i > inside.stop if after else t.i < inside.start)
    ]
    for token in tokens:
        if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in lex.reporting_verbs:
            return token
        if token.lower_ == "according":
            return token
    return None


def _subject_of_report(verb: Token) -> Token | None:
    if verb.lower_ == "according":
        for prep in verb.children:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
        nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
        if nxt is not None and nxt.lower_ == "to":
            return next((c for c in nxt.children if c.dep_ == "pobj"), None)
        return None
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


_OPENING_KEY = "kg.interview_opening"


def _interview_opening(doc: Doc, lex: Lexicon) -> list[Span]:
    """The opening paragraphs of an interview, the one that says so first; none for a text
    that does not say it is an interview (found once per document)."""
    bounds: list[tuple[int, int]] | None = doc.user_data.get(_OPENING_KEY)
    if bounds is None:
        bounds = [(p.start, p.end) for p in _find_interview_opening(doc, lex)]
        doc.user_data[_OPENING_KEY] = bounds
    return [doc[start:end] for start, end in bounds]


def _find_interview_opening(doc: Doc, lex: Lexicon) -> list[Span]:
    opening = [p for _, p in zip(range(3), paragraphs(doc), strict=False)]

    def says_interview(paragraph: Span) -> bool:
        text = paragraph.text.lower()
        return any(m in text for m in lex.interview_markers)

    if not any(says_interview(p) for p in opening):
        return []
    return sorted(opening, key=lambda p: not says_interview(p))


def interviewee(doc: Doc, leader_at: Mapping[int, str], lex: Lexicon) -> str | None:
    """The leader an interview is with: the first one its title or opening names, when it
    says it is an interview."""
    for paragraph in _interview_opening(doc, lex):
        names = [leader_at[t.i] for t in _main_subjects_first(paragraph) if t.i in leader_at]
        if names:
            return names[0]
    return None


def _main_subjects_first(paragraph: Span) -> list[Token]:
    """The paragraph's words, those of its sentences' main subjects first: "Two days after X
    spoke, Y sat down with us" is an interview with Y."""

    def main_subject(token: Token) -> bool:
        word = token
        while word.dep_ in ("compound", "flat", "appos", "amod") and word.head.i != word.i:
            word = word.head
        return word.dep_ in ("nsubj", "nsubjpass") and word.head.dep_ == "ROOT"

    return sorted(paragraph, key=lambda t: (not main_subject(t), t.i))


def answerer(
    doc: Doc, leader_at: Mapping[int, str], lex: Lexicon, speaker_of_phrase: SpeakerOf
) -> Speaker | None:
    """Who answers an interview's questions: its named leader, else an official its opening
    names by title ("an interview with the Czech prime minister")."""
    for paragraph in _interview_opening(doc, lex):
        for token in _main_subjects_first(paragraph):
            if token.i in leader_at or token.lemma_.lower() in lex.title_heads:
                speaker = speaker_of_phrase(token)
                if speaker is not None and not speaker.acts_for_nobody and speaker.actors:
                    return speaker
    return None


def find_speakers(
    doc: Doc,
    lex: Lexicon,
    speaker_of_phrase: SpeakerOf,
    label_speaker: Callable[[str], Speaker | None],
    answering: Speaker | None = None,
) -> dict[int, Speaker]:
    """The speaker of each token of quoted or transcribed speech; in an interview without
    labels, ``answering`` speaks every paragraph after a question, up to the next question."""
    speakers: dict[int, Speaker] = {}
    turn: Speaker | None = None
    last: Speaker | None = None
    answer = False  # within the answer to an unlabelled question
    questions = sum(p.text.rstrip().endswith("?") for p in paragraphs(doc))
    if questions < _INTERVIEW_QUESTIONS:
        answering = None  # one question in a text that says "interview" is no Q and A
    whole = doc.text  # built from every token: once, not per paragraph
    labelled = sum(
        _LABEL.match(whole[p.start_char : p.end_char]) is not None for p in paragraphs(doc)
    )
    for paragraph in paragraphs(doc):
        text = whole[paragraph.start_char : paragraph.end_char]
        label = _LABEL.match(text)
        if labelled < _TRANSCRIPT_TURNS:
            turn = None  # a label or two ("CLAIM:") speak for their own paragraph only
        if label is not None:
            found = label_speaker(label.group(1))
            if found is not None:
                turn = found
            elif turn is not None and label.group(1).isupper():
                # A transcript's next speaker whom no label resolves (a guest, an analyst):
                # the turn is theirs, and they speak for no state.
                turn = Speaker(None, (), acts_for_nobody=True)
        if turn is not None:
            for token in paragraph:
                speakers[token.i] = turn
            continue
        if answering is not None and text.rstrip().endswith("?"):
            answer = True  # the interviewer asks; the answer follows
            continue
        if answer and answering is not None:
            for token in paragraph:
                speakers[token.i] = answering
            continue
        if not any(mark in text for mark in _QUOTE_MARKS):
            continue
        for first, end in quote_spans(paragraph):
            inside = range(first, end + 1)
            if end - first < _TERM_TOKENS and not any(
                doc[i].pos_ in ("VERB", "AUX") for i in inside
            ):
                continue  # a "reassurance force" in quotation marks is a term, not speech
            speaker: Speaker | None = None
            for sent, after in ((doc[end].sent, True), (doc[first].sent, False)):
                verb = _reporting_verb_near(doc, sent, inside, lex, after)
                subject = _subject_of_report(verb) if verb is not None else None
                if subject is not None and subject.i not in inside:
                    speaker = speaker_of_phrase(subject)
                    if speaker is not None:
                        break
            if speaker is None:
                speaker = last
            if speaker is None:
                continue
            last = speaker
            for index in inside:
                speakers.setdefault(index, speaker)
    return speakers


def label_speaker_by_surname(
    leaders: dict[str, Actor | None],
    leader_for_surname: Callable[[str], tuple[str, Actor] | None],
    lex: Lexicon,
    interviewee: str | None,
) -> Callable[[str], Speaker | None]:
    """A resolver of transcript labels: "SECRETARY BLINKEN" -> the leader named Blinken, "Q"
    or "ANCHOR" -> someone who acts for no state, "A" -> the interviewee."""

    def resolve(label: str) -> Speaker | None:
        words = [w for w in re.split(r"[\s.]+", label.strip()) if w]
        if not words:
            return None
        if fold(label) in lex.answer_labels and interviewee is not None:
            actor = leaders.get(interviewee)
            return Speaker(interviewee, (actor,) if actor else ())
        if fold(words[0]) in lex.anonymous_labels or fold(label) in lex.anonymous_labels:
            return Speaker(None, (), acts_for_nobody=True)
        surname = fold(words[-1])
        for name, actor in leaders.items():
            if fold(name.split()[-1]) == surname:
                return Speaker(name, (actor,) if actor else ())
        found = leader_for_surname(words[-1])
        if found is not None:
            return Speaker(found[0], (found[1],))
        return None

    return resolve
