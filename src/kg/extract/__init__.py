"""Extraction: a pure function from one annotated article to its records.

The resolve stage (:mod:`kg.resolve`) works out who every mention is; the leaders are its
leaders; meetings come next (pledges are tied to the meeting their sentence speaks of), then
pledges.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.clean import opening_title
from kg.extract.dates import sentence_dates
from kg.extract.meetings import extract_meetings
from kg.extract.pledges import PledgeExtractor, consolidate
from kg.lexicon import load_lexicon
from kg.records import Actor, ContributionType, Extraction, PledgeRecord, Prepared
from kg.resolve import DocumentContext, resolve


def extract_document(prepared: Prepared, doc: Doc) -> Extraction:
    """Leaders, meetings and pledges of one article, with what it mentions."""
    lex = load_lexicon()
    article = prepared.article
    title = article.title or opening_title(prepared.text)  # a title line with no header
    context = DocumentContext(title, article.publisher, prepared.reference_date)
    res = resolve(doc, context, lexicon=lex)
    leaders = sorted((r for r in res.leaders.values() if r.actor is not None), key=lambda r: r.name)
    dates = sentence_dates(doc, prepared.reference_date)
    meetings, meeting_of_sentence = extract_meetings(doc, res, lex, prepared.reference_date)
    meeting_dates = {meeting.key: meeting.date for meeting in meetings}
    extractor = PledgeExtractor(doc, res, lex)
    pledges: list[PledgeRecord] = []
    previous: frozenset[ContributionType] = frozenset()
    found: list[PledgeRecord] = []
    for index, sent in enumerate(doc.sents):
        key = meeting_of_sentence.get(index)
        found, previous = extractor.sentence(
            index,
            sent,
            dates[index],
            key,
            meeting_dates.get(key) if key else None,
            previous,
            found,
        )
        pledges += found
    mentioned: list[Actor] = []
    for mention in sorted(set(res.actor_at.values()), key=lambda m: m.start):
        if mention.label in ("STATE", "DEMONYM", "ORG") and mention.actor not in mentioned:
            mentioned.append(mention.actor)
    return Extraction(
        source_id=prepared.source_id,
        article=article,
        clean_text=prepared.text,
        language=prepared.language,
        passages_skipped=prepared.passages_skipped,
        reference_date=prepared.reference_date,
        leaders=tuple(leaders),
        pledges=tuple(consolidate(pledges)),
        meetings=tuple(meetings),
        mentions=tuple(mentioned),
    )
