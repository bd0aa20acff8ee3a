"""Leaders: people acting for a state or organization, found from titles ("Spanish Prime
Minister Pedro Sánchez", "Italy's Giorgia Meloni"), appositions and the leaders gazetteer,
with surnames and spelling variants resolved to one canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.mentions import Mentions
from kg.gazetteer import LeaderInfo, fold
from kg.nlp import SPANS_KEY
from kg.records import Actor, LeaderRecord

_WINDOW = 8
_PREFIXES = ("former", "acting", "deputy", "interim", "then")
_APOSTROPHES = ("'s", "\u2019s", "'", "\u2019")


@dataclass
class _Candidate:
    span: Span
    title: str | None = None
    actor: Actor | None = None
    former: bool = False
    excluded: bool = False
    info: LeaderInfo | None = None


def _clean_person(span: Span) -> Span | None:
    """The name part of a PERSON span: no trailing possessive, no slashes or handles."""
    start, end = span.start, span.end
    doc = span.doc
    while end > start and (doc[end - 1].lower_ in _APOSTROPHES or doc[end - 1].is_punct):
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].pos_ not in ("PROPN", "NOUN", "ADJ")):
        start += 1
    if start >= end:
        return None
    cleaned = doc[start:end]
    if any(not t.text[:1].isupper() for t in cleaned if t.is_alpha and len(t.text) > 3):
        return None
    if any(c in cleaned.text for c in "/@#0123456789") or len(cleaned) > 4:
        return None
    return cleaned


def _title_before(m: Mentions, span: Span) -> tuple[str | None, int]:
    """The title just before a name, and where the title starts."""
    doc = span.doc
    sent_start = span.sent.start
    words: list[Token] = []
    i = span.start - 1
    while i >= sent_start and len(words) < _WINDOW:
        token = doc[i]
        if token.is_punct and token.text not in (".", "-"):
            break
        if token.pos_ in ("VERB", "AUX") or token.lower_ in ("and", "or", "with", "by", "to"):
            break
        words.insert(0, token)
        i -= 1
    lowered = [w.lower_ for w in words]
    for phrase, parts in m.lexicon.titles_longest_first:
        if len(parts) <= len(lowered) and tuple(lowered[len(lowered) - len(parts) :]) == parts:
            return phrase, span.start - len(parts)
    return None, span.start


def _context_actor(m: Mentions, tokens: list[Token]) -> Actor | None:
    for token in reversed(tokens):
        name = m.leader_of(token)
        if name is not None:
            return m.leader_actor.get(name)
        actor = m.actor_at(token, allow_capital=False)
        if actor is not None:
            return actor
    return None


def _describe(m: Mentions, candidate: _Candidate) -> None:
    """Fill in title, actor and former from the words around the name."""
    span = candidate.span
    doc = span.doc
    sentence = span.sent
    title, title_start = _title_before(m, span)
    left = list(doc[max(sentence.start, title_start - 5) : title_start])
    # Words that bind to the title: "former Russian President", "Italy's", "U.S.".
    bound: list[Token] = []
    for token in reversed(left):
        if token.is_punct and token.text not in (".",):
            break
        if token.pos_ in ("VERB", "AUX", "ADP", "CCONJ") and token.lower_ not in ("of",):
            break
        bound.insert(0, token)
    right = list(doc[span.end : min(sentence.end, span.end + _WINDOW)])
    if title is None and right and right[0].text == ",":
        # Apposition after the name: "Pedro Sánchez, Spain's prime minister,".
        tail = [t for t in right[1:] if not t.is_punct]
        lowered = [t.lower_ for t in tail]
        for phrase, parts in m.lexicon.titles_longest_first:
            for start in range(0, min(4, len(lowered) - len(parts) + 1)):
                if tuple(lowered[start : start + len(parts)]) == parts:
                    title = phrase
                    bound = tail[:start]
                    break
            if title:
                break
    lowered_context = {t.lower_ for t in bound} | {t.lower_ for t in right[:4]}
    words_before = {t.lower_ for t in doc[max(sentence.start, span.start - 3) : span.start]}
    if m.lexicon.non_leader_titles & (words_before | lowered_context) and title is None:
        candidate.excluded = True
    if any(t.lemma_ == "be" for t in right[:1]) and m.lexicon.non_leader_titles & {
        t.lower_ for t in right[:5]
    }:
        candidate.excluded = True
    candidate.title = title
    candidate.former = any(t.lower_ in _PREFIXES[:1] for t in bound)
    candidate.actor = _context_actor(m, bound)


def _role(m: Mentions, candidate: _Candidate) -> str | None:
    role = m.lexicon.titles.get(candidate.title) if candidate.title else None
    if role is None and candidate.info is not None:
        role = candidate.info.role
    if role and candidate.former and not role.lower().startswith("former"):
        role = f"former {role}"
    return role


def _candidates(m: Mentions) -> list[_Candidate]:
    doc = m.doc
    spans: dict[tuple[int, int], Span] = {}
    for span in doc.spans[SPANS_KEY]:
        if span.label_ == "LEADER":
            spans[(span.start, span.end)] = span
    covered = {i for (s, e) in spans for i in range(s, e)}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        cleaned = _clean_person(ent)
        if cleaned is None or any(i in covered for i in range(cleaned.start, cleaned.end)):
            continue
        if any(m.actor_spans.get(i) is not None for i in range(cleaned.start, cleaned.end)):
            continue
        spans[(cleaned.start, cleaned.end)] = cleaned
        covered.update(range(cleaned.start, cleaned.end))
    # Names the entity recogniser missed right after a title ("Defense Minister Pal Jonson").
    for token in doc:
        if token.i in covered or token.pos_ != "PROPN" or not token.text[:1].isupper():
            continue
        if m.actor_spans.get(token.i) is not None or token.i == 0:
            continue
        end = token.i + 1
        while (
            end < len(doc)
            and end - token.i < 3
            and doc[end].pos_ == "PROPN"
            and (doc[end].text[:1].isupper() and doc[end].i not in covered)
        ):
            end += 1
        span = doc[token.i : end]
        if len(span) < 2:
            continue
        title, _ = _title_before(m, span)
        if title is not None:
            spans[(span.start, span.end)] = span
            covered.update(range(span.start, span.end))
    return [_Candidate(span=s) for _, s in sorted(spans.items())]


def extract_leaders(m: Mentions) -> list[LeaderRecord]:
    """Leaders of one document; fills ``m.leader_at`` and ``m.leader_actor`` as it goes."""
    gaz = m.gazetteer
    candidates = _candidates(m)
    for candidate in candidates:
        candidate.info = gaz.leader_for(candidate.span.text)
    # Full names first, so surnames can be resolved against them.
    full_names: dict[str, str] = {}
    records: dict[str, LeaderRecord] = {}
    ordered = sorted(candidates, key=lambda c: (-len(c.span), c.span.start))
    for candidate in ordered:
        _describe(m, candidate)
        if candidate.excluded:
            continue
        span = candidate.span
        info = candidate.info
        surname_key = fold(span[-1].text)
        known = full_names.get(surname_key) if len(span) == 1 else None
        if info is None and len(span) == 1 and known is None:
            info = gaz.leader_for_surname(span.text)
            if info is None:
                continue
        if info is not None:
            canonical = info.name
        elif known is not None:
            canonical = known
        else:
            canonical = full_names.get(surname_key, span.text)
        if canonical in records:
            existing = records[canonical]
            for token in span:
                m.leader_at[token.i] = canonical
            if existing.role is None or existing.actor is None:
                role = existing.role or _role(m, candidate)
                actor = existing.actor or candidate.actor
                records[canonical] = LeaderRecord(canonical, actor, role, existing.wikidata)
                m.leader_actor[canonical] = actor
            continue
        if info is None and candidate.title is None:
            continue
        actor = candidate.actor
        if actor is None and info is not None:
            if info.state:
                actor = Actor("state", info.state)
            elif info.org:
                actor = Actor("org", info.org)
        if actor is None:
            continue
        role = _role(m, candidate)
        wikidata = info.wikidata if info is not None else None
        records[canonical] = LeaderRecord(canonical, actor, role, wikidata)
        m.leader_actor[canonical] = actor
        full_names.setdefault(fold(canonical.split()[-1]), canonical)
        full_names.setdefault(surname_key, canonical)
        for token in span:
            m.leader_at[token.i] = canonical
    _resolve_surnames(m, records)
    return sorted(records.values(), key=lambda r: r.name)


def _resolve_surnames(m: Mentions, records: dict[str, LeaderRecord]) -> None:
    """Later bare surnames of leaders this document has named ("Støre said"), which the
    entity recogniser and the gazetteer may both miss."""
    by_surname: dict[str, str] = {}
    for name in records:
        by_surname.setdefault(name.split()[-1], name)
    for token in m.doc:
        if token.i in m.leader_at or token.pos_ not in ("PROPN", "NOUN"):
            continue
        surname_of = by_surname.get(token.text)
        if surname_of is not None and m.actor_spans.get(token.i) is None:
            m.leader_at[token.i] = surname_of
