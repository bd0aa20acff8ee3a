"""Extraction: a pure function from one annotated article to its records.

Leaders come first (pledges and meetings name their actors through them), then meetings
(pledges are tied to the meeting their sentence speaks of), then pledges.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.dates import sentence_dates
from kg.extract.leaders import extract_leaders
from kg.extract.lexicon import load_lexicon
from kg.extract.meetings import extract_meetings
from kg.extract.mentions import Mentions
from kg.extract.pledges import (
    Discourse,
    consolidate,
    find_cues,
    sentence_pledges,
    update_discourse,
)
from kg.gazetteer import load_gazetteer
from kg.nlp import SPANS_KEY
from kg.records import Actor, Extraction, PledgeRecord, Prepared


def extract_document(prepared: Prepared, doc: Doc) -> Extraction:
    """Leaders, meetings and pledges of one article, with what it mentions."""
    gazetteer = load_gazetteer()
    mentions = Mentions(doc, gazetteer, load_lexicon(), aggregates=gazetteer.aggregate_orgs)
    leaders = extract_leaders(mentions)
    dates = sentence_dates(doc, prepared.reference_date)
    meetings, meeting_of_sentence = extract_meetings(mentions, dates)
    meeting_dates = {meeting.key: meeting.date for meeting in meetings}
    context = Discourse()
    pledges: list[PledgeRecord] = []
    for index, sent in enumerate(doc.sents):
        cues = find_cues(sent, mentions.lexicon)
        pledges += sentence_pledges(
            sent,
            index,
            mentions,
            context,
            cues,
            dates[index],
            meeting_of_sentence.get(index),
            meeting_dates,
        )
        update_discourse(sent, mentions, context, cues)
    mentioned: list[Actor] = []
    for span in doc.spans[SPANS_KEY]:
        if span.label_ in ("STATE", "DEMONYM", "ORG"):
            actor = mentions.span_actor(span)
            if actor not in mentioned:
                mentioned.append(actor)
    return Extraction(
        source_id=prepared.source_id,
        article=prepared.article,
        clean_text=prepared.text,
        language=prepared.language,
        passages_skipped=prepared.passages_skipped,
        reference_date=prepared.reference_date,
        leaders=tuple(leaders),
        pledges=tuple(consolidate(pledges)),
        meetings=tuple(meetings),
        mentions=tuple(mentioned),
    )
