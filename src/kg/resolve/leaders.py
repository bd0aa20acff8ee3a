"""Leaders: people acting for a state or organization, found from the titles around their
names ("Spanish Prime Minister Pedro Sánchez", "Prime Minister of Estonia Kaja Kallas",
"Pedro Sánchez, Spain's prime minister", "Member of the Ukrainian delegation X"), from the
leaders gazetteer, and from definite titles that point back to one ("the Prime Minister of
Denmark", "the Secretary"), with surnames and spelling variants resolved to one name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer, LeaderInfo
from kg.lexicon import Lexicon
from kg.nlp import SPANS_KEY
from kg.normalise import fold
from kg.records import Actor, LeaderRecord
from kg.resolve.model import ActorMention
from kg.resolve.title_lists import TitleLists

_APOSTROPHES = ("'s", "\u2019s", "'", "\u2019")


@dataclass
class _Candidate:
    span: Span
    title: str | None = None
    role_text: str | None = None
    actor: Actor | None = None
    former: bool = False
    excluded: bool = False
    info: LeaderInfo | None = None
    known_as: str | None = None


@dataclass
class LeaderFinding:
    """Leaders of a document and which tokens name them (full names, surnames, titles)."""

    records: dict[str, LeaderRecord] = field(default_factory=dict)
    at: dict[int, str] = field(default_factory=dict)
    not_leaders: set[int] = field(default_factory=set)


def canonical_form(text: str, suffixes: frozenset[str] = frozenset()) -> str:
    """A name without middle initials and suffixes ("Lloyd J. Austin III" -> "Lloyd Austin").

    >>> canonical_form("Antony J. Blinken"), canonical_form("Lloyd J. Austin III", {"iii"})
    ('Antony Blinken', 'Lloyd Austin')
    """
    words = text.replace("\u2019s", "").split()
    kept = [
        w
        for i, w in enumerate(words)
        if not (0 < i < len(words) - 1 and re.fullmatch(r"[A-Z]\.?", w)) and fold(w) not in suffixes
    ]
    return " ".join(kept) if kept else text


class LeaderFinder:
    """Finds the leaders of one document (see the module docstring)."""

    def __init__(
        self,
        doc: Doc,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        actor_at: dict[int, ActorMention],
        publisher_state: Actor | None,
        published: date | None = None,
    ) -> None:
        self.doc = doc
        self.published = published  # a known person holds the office of the article's day
        self.gaz = gazetteer
        self.lex = lexicon
        self.actor_at = actor_at
        self.publisher_state = publisher_state
        self.found = LeaderFinding()
        self.listed = TitleLists(doc, lexicon, actor_at).titled_names()

    # --- candidates ------------------------------------------------------------------

    def _clean_person(self, span: Span) -> Span | None:
        """The name part of a PERSON span: no possessive, titles, slashes or handles."""
        doc = span.doc
        start, end = span.start, span.end
        for token in span:
            if token.lower_ in _APOSTROPHES and token.i > start:
                end = token.i  # "Austin's Meeting": the name ends at the possessive
                break
        while end > start and (doc[end - 1].lower_ in _APOSTROPHES or doc[end - 1].is_punct):
            end -= 1
        while start < end and (
            doc[start].is_punct
            or doc[start].pos_ not in ("PROPN", "NOUN", "ADJ")
            or doc[start].lower_ in self.lex.title_words
        ):
            start += 1
        if start >= end:
            return None
        cleaned = doc[start:end]
        if any(not t.text[:1].isupper() for t in cleaned if t.is_alpha and len(t.text) > 3):
            return None
        if any(c in cleaned.text for c in "/@#0123456789") or len(cleaned) > 5:
            return None
        return cleaned

    def _with_first_name(self, name: Span, covered: set[int]) -> Span:
        """A surname the entity recogniser took alone, with the first name it left out before
        it ("Ihor Zhovkva" tagged "Zhovkva")."""
        doc = self.doc
        before = name.start - 1
        if len(name) != 1 or before < name.sent.start:
            return name
        first = doc[before]
        if (
            first.pos_ == "PROPN"
            and first.ent_type_ == ""
            and first.is_title
            and first.lower_ not in self.lex.title_words
            and first.i not in self.actor_at
            and first.i not in covered
        ):
            return doc[before : name.end]
        return name

    def candidates(self) -> list[_Candidate]:
        doc = self.doc
        spans: dict[tuple[int, int], Span] = {}
        known: dict[tuple[int, int], str] = {}
        for span in doc.spans[SPANS_KEY]:
            if span.label_ == "LEADER":
                start = span.start
                sent_start = span.sent.start
                # A first name or initial the gazetteer's variant left out ("Antony J.").
                while (
                    start > sent_start
                    and doc[start - 1].pos_ == "PROPN"
                    and (
                        doc[start - 1].ent_type_ == "PERSON"
                        or re.fullmatch(r"[A-Z]\.", doc[start - 1].text)
                    )
                    and doc[start - 1].lower_ not in self.lex.title_words
                    and doc[start - 1].i not in self.actor_at
                    and span.end - start < 4
                ):
                    start -= 1
                spans[(start, span.end)] = doc[start : span.end]
                known[(start, span.end)] = span.kb_id_
        covered = {i for (s, e) in spans for i in range(s, e)}
        for start, end in self.listed:  # names a plural title shares out
            if not any(i in covered for i in range(start, end)):
                spans[(start, end)] = doc[start:end]
                covered.update(range(start, end))
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            cleaned = self._clean_person(ent)
            if cleaned is None or any(i in covered for i in range(cleaned.start, cleaned.end)):
                continue
            cleaned = self._with_first_name(cleaned, covered)
            if any(self.actor_at.get(i) is not None for i in range(cleaned.start, cleaned.end)):
                continue
            spans[(cleaned.start, cleaned.end)] = cleaned
            covered.update(range(cleaned.start, cleaned.end))
        # Names the entity recogniser missed right after a title ("Defense Minister Pal Jonson").
        for token in doc:
            if token.i in covered or token.pos_ != "PROPN" or not token.text[:1].isupper():
                continue
            if self.actor_at.get(token.i) is not None or token.is_sent_start:
                continue
            if token.lower_ in self.lex.title_words or token.text.isupper():
                continue
            end = token.i + 1
            while (
                end < len(doc)
                and end - token.i < 3
                and doc[end].pos_ == "PROPN"
                and doc[end].text[:1].isupper()
                and doc[end].i not in covered
                and self.actor_at.get(end) is None
            ):
                end += 1
            span = doc[token.i : end]
            if len(span) < 2:
                continue
            title, _, _ = self._title_before(span)
            if title is not None:
                spans[(span.start, span.end)] = span
                covered.update(range(span.start, span.end))
        return [_Candidate(span=s, known_as=known.get(k)) for k, s in sorted(spans.items())]

    # --- titles ----------------------------------------------------------------------

    def _run_before(self, span: Span) -> list[Token]:
        """The words before a name that can belong to its title: title words, office words,
        capitalised words, states and demonyms ("Prime Minister of the Kingdom of Spain")."""
        doc = span.doc
        run: list[Token] = []
        i = span.start - 1
        sent_start = span.sent.start
        while i >= sent_start and len(run) < 12:
            token = doc[i]
            if (
                token.lower_ in _APOSTROPHES
                and i > sent_start
                and (run == [] or doc[i - 1].i in self.actor_at)
            ):
                run.insert(0, token)  # "Italy's Giorgia Meloni", "Italy's Defence Minister X"
                i -= 1
                continue
            if not self._title_word(token):
                break
            run.insert(0, token)
            i -= 1
        while run and run[0].lower_ in ("of", "the", "to", "for", "and"):
            run.pop(0)
        return run

    def _title_word(self, token: Token) -> bool:
        lowered = token.lower_
        if token.is_punct:
            return token.text == "." and token.i > 0 and len(token.doc[token.i - 1].text) <= 2
        if (
            token.pos_ in ("VERB", "AUX", "ADV", "PRON", "NUM")
            and lowered not in self.lex.title_words
        ):
            return False
        if lowered in ("and", "with", "by", "said", "says"):
            return False
        return (
            lowered in self.lex.title_words
            or lowered in self.lex.office_words
            or lowered in self.lex.former_prefixes
            or lowered in self.lex.generic_titles
            or token.i in self.actor_at
            or token.text[:1].isupper()
        )

    def _title_in(self, words: list[Token]) -> tuple[str | None, int]:
        """The longest known title phrase in a run of words, and where it starts."""
        lowered = [w.lower_ for w in words]
        by_words = self.lex.titles_by_words
        for length in self.lex.title_lengths:
            best: tuple[int, str, int] | None = None
            for start in range(0, len(lowered) - length + 1):
                found = by_words.get(tuple(lowered[start : start + length]))
                if found is not None and (best is None or found[0] < best[0]):
                    best = (found[0], found[1], start)
            if best is not None:
                return best[1], best[2]
        for start, word in enumerate(lowered):
            if (
                word in self.lex.generic_titles
                and start + 1 < len(lowered)
                and lowered[start + 1] == "of"
            ):
                return word, start  # "Head of the Presidential Administration"
        return None, -1

    def _title_before(self, span: Span) -> tuple[str | None, str | None, list[Token]]:
        run = self._run_before(span)
        title, start = self._title_in(run)
        if title is None:
            return None, None, run
        role_words = [t for t in run[start:] if t.lower_ not in _APOSTROPHES]
        role_text = (
            " ".join(t.text for t in role_words) if title in self.lex.generic_titles else None
        )
        office = next(
            (
                i
                for i, t in enumerate(run[:start])
                if t.lower_ in self.lex.title_words and t.lower_ not in ("of", "the")
            ),
            None,
        )
        if office is not None and "of" in (t.lower_ for t in run[max(0, start - 2) : start]):
            # "Deputy Head of the Office of the President": the title found names the office
            # the person serves in, not the person; the role runs from the first title word.
            role_text = " ".join(t.text for t in run[office:] if t.lower_ not in _APOSTROPHES)
        return title, role_text, run

    def _of_state_after(self, span: Span) -> Actor | None:
        """ "Defence Minister Marco Rossi of Italy": the state right after the name."""
        doc = span.doc
        if span.end + 1 >= span.sent.end or doc[span.end].lower_ != "of":
            return None
        for token in doc[span.end + 1 : min(span.sent.end, span.end + 4)]:
            mention = self.actor_at.get(token.i)
            if mention is not None and mention.label != "VENUE":
                return mention.actor
            if token.lower_ != "the":
                break
        return None

    def _run_after(self, span: Span) -> list[Token]:
        """An apposition after the name: "X, Spain's prime minister," / "X, a defence analyst"."""
        doc = span.doc
        sent_end = span.sent.end
        if span.end >= sent_end or doc[span.end].text != ",":
            return []
        if span.end + 1 < sent_end and doc[span.end + 1].pos_ == "CCONJ":
            return []  # "A, and the prime minister of B, C, ...": the next of a list
        run: list[Token] = []
        for token in doc[span.end + 1 : min(sent_end, span.end + 14)]:
            if token.is_punct and token.text not in (".", "'s", "\u2019s"):
                break
            if token.pos_ in ("VERB", "AUX") and token.lower_ not in self.lex.title_words:
                break
            if token.ent_type_ == "PERSON":
                # "A, Finnish President B, ...": the title is B's, a list goes on.
                return []
            run.append(token)
        return run

    def _title_it_stands_for(self, span: Span, run: list[Token]) -> tuple[str | None, list[Token]]:
        """ "The Dutch ambassador to Poland, Anna Visser, ...": a name in apposition to a title."""
        head = span.root.head
        if span.root.dep_ != "appos" or head.lower_ not in self.lex.title_words:
            return None, run
        phrase = [t for t in head.subtree if not span.start <= t.i < span.end and t.i <= head.i]
        phrase += [t for t in head.subtree if t.i > head.i and t.i < span.start and not t.is_punct]
        title, _ = self._title_in(phrase)
        return (title, phrase) if title is not None else (None, run)

    def _actor_in(self, tokens: list[Token]) -> Actor | None:
        """The state a title names: "Italy's", "Spanish", "of Spain", never the state the
        holder is sent "to" ("the U.S. Ambassador to Slovakia")."""
        destination = False
        kept: list[Token] = []
        for token in tokens:
            if token.lower_ == "to":
                destination = True
            elif token.lower_ in ("of", "for") or token.lower_ in self.lex.title_words:
                destination = False
            if not destination:
                kept.append(token)
        for token in reversed(kept):
            mention = self.actor_at.get(token.i)
            if mention is not None and mention.label != "VENUE":
                return mention.actor
            name = self.found.at.get(token.i)
            if name is not None:
                record = self.found.records.get(name)
                if record is not None and record.actor is not None:
                    return record.actor
        return None

    def _speaking_for(self, span: Span) -> Actor | None:
        """ "Germany's Anna Berg told the meeting", "Lithuania's Rasa Jonaitė said": a name a
        state owns, speaking, is someone who acts for that state (no role said)."""
        root = span.root
        if root.dep_ != "nsubj" or root.head.lemma_.lower() not in self.lex.reporting_verbs:
            return None
        for child in root.children:
            mention = self.actor_at.get(child.i) if child.dep_ == "poss" else None
            if mention is not None and mention.actor.is_state:
                return mention.actor
        return None

    def describe(self, candidate: _Candidate) -> None:
        """Fill in title, actor, former and exclusion from the words around the name."""
        span = candidate.span
        title, role_text, run = self._title_before(span)
        lex = self.lex
        after = self._run_after(span)
        after_lowered = {t.lower_ for t in after}
        if title is None and after:
            title, start = self._title_in(after)
            if title is not None:
                run = after
                if title in self.lex.generic_titles:
                    role_text = " ".join(t.text for t in after[start:])
        if title is None:
            title, run = self._title_it_stands_for(span, run)
        sent = span.sent
        before_words = {t.lower_ for t in self.doc[max(sent.start, span.start - 4) : span.start]}
        if (lex.non_leader_titles & after_lowered) and title is None:
            candidate.excluded = True
        elif lex.non_leader_titles & before_words and title is None:
            candidate.excluded = True
        right = self.doc[span.end : min(sent.end, span.end + 5)]
        if right and right[0].lemma_ == "be" and lex.non_leader_titles & {t.lower_ for t in right}:
            candidate.excluded = True
        candidate.title = title
        candidate.role_text = role_text
        candidate.former = any(t.lower_ in self.lex.former_prefixes for t in run)
        candidate.actor = self._actor_in(run) or self._of_state_after(span)

    def role(self, candidate: _Candidate) -> str | None:
        role = candidate.role_text
        if role is None and candidate.title:
            role = self.lex.titles.get(candidate.title)
        if role is None and candidate.info is not None:
            role = candidate.info.role
        if role and candidate.former and not role.lower().startswith("former"):
            role = f"former {role}"
        return role

    # --- resolution ------------------------------------------------------------------

    def find(self) -> LeaderFinding:
        """Every leader of the document, with the tokens that name each."""
        gaz = self.gaz
        candidates = self.candidates()
        for candidate in candidates:
            info = (
                gaz.leader_for(candidate.known_as or candidate.span.text)
                or gaz.leader_for(candidate.span.text)
                or gaz.leader_for(canonical_form(candidate.span.text, self.lex.name_suffixes))
            )
            candidate.info = info.as_of(self.published) if info is not None else None
        full_names: dict[str, str] = {}
        records = self.found.records
        listed = self.listed
        # Full names first, so surnames resolve against them.
        for candidate in sorted(candidates, key=lambda c: (-len(c.span), c.span.start)):
            self.describe(candidate)
            span = candidate.span
            shared = listed.get((span.start, span.end))
            if shared is not None:
                # "the ministers of A, B and C, X, Y and Z": the pairing is the text's own word
                candidate.title, candidate.actor = shared
            if candidate.excluded:
                self.found.not_leaders.update(range(span.start, span.end))
                continue
            info = candidate.info
            surname_key = fold(span[-1].text)
            known = full_names.get(surname_key)
            if info is None and len(span) == 1 and known is None:
                info = gaz.leader_for_surname(span.text)
                if info is None:
                    continue
                info = info.as_of(self.published)
            if known is not None and (len(span) == 1 or _same_first(span.text, known)):
                canonical = known
            elif info is not None:
                canonical = info.name
            else:
                canonical = canonical_form(span.text, self.lex.name_suffixes)
            if canonical in records:
                self._mark(span, canonical)
                existing = records[canonical]
                if candidate.actor is not None and existing.actor is None:
                    records[canonical] = LeaderRecord(
                        canonical,
                        candidate.actor,
                        existing.role or self.role(candidate),
                        existing.wikidata,
                    )
                continue
            if info is None and candidate.title is None:
                candidate.actor = self._speaking_for(span)
                if candidate.actor is None:
                    continue
            actor = candidate.actor
            if actor is None and info is not None:
                actor = (
                    Actor("state", info.state)
                    if info.state
                    else (Actor("org", info.org) if info.org else None)
                )
            if (
                actor is None
                and candidate.title is not None
                and candidate.title not in self.lex.guest_titles
                and not _counterpart(span)
            ):
                actor = self.publisher_state  # "Spokesperson Ned Price" in a ministry's release
            if actor is None:
                continue
            records[canonical] = LeaderRecord(
                canonical, actor, self.role(candidate), info.wikidata if info else None
            )
            full_names.setdefault(fold(canonical.split()[-1]), canonical)
            full_names.setdefault(surname_key, canonical)
            self._mark(span, canonical)
        self._resolve_surnames()
        self._resolve_titles()
        return self.found

    def _mark(self, span: Span, canonical: str) -> None:
        for token in span:
            self.found.at[token.i] = canonical

    def _resolve_surnames(self) -> None:
        """Later bare surnames of leaders this document has named ("Støre said"), which the
        entity recogniser and the gazetteer may both miss, also in capitals ("BLINKEN")."""
        by_surname: dict[str, str] = {}
        for name in self.found.records:
            by_surname.setdefault(fold(name.split()[-1]), name)
        if not by_surname:
            return
        for token in self.doc:
            if token.i in self.found.at or token.pos_ not in ("PROPN", "NOUN", "ADJ"):
                continue
            if not token.text[:1].isupper():
                continue
            surname_of = by_surname.get(fold(token.text))
            if surname_of is not None and self.actor_at.get(token.i) is None:
                self.found.at[token.i] = surname_of

    def _resolve_titles(self) -> None:
        """Definite titles that point back to a leader named before: "the Prime Minister of
        Denmark", "the Ukrainian President", "the Secretary", "The Head of State"."""
        doc = self.doc
        lex = self.lex
        if not any(record.role for record in self.found.records.values()):
            return
        last_seen: dict[str, int] = {}
        for token in doc:
            name = self.found.at.get(token.i)
            if name is not None:
                last_seen[name] = token.i
                continue
            if token.lower_ != "the" or token.i + 1 >= len(doc):
                continue
            words: list[Token] = []
            for follower in doc[token.i + 1 : min(len(doc), token.i + 10)]:
                if follower.i in self.found.at or follower.is_punct and follower.text != ".":
                    break
                if follower.pos_ in ("VERB", "AUX") and follower.lower_ not in lex.title_words:
                    break
                if not (
                    follower.lower_ in lex.title_words
                    or follower.lower_ in ("of", "the")
                    or follower.i in self.actor_at
                ):
                    break
                words.append(follower)
            while words and words[-1].lower_ in ("of", "the"):
                words.pop()
            if not words:
                continue
            title, start = self._title_in(words)
            if title is None or start != 0 and words[0].i not in self.actor_at:
                continue
            nxt = words[-1].i + 1
            if nxt < len(doc) and doc[nxt].pos_ == "PROPN" and nxt not in self.actor_at:
                continue  # a title before a name, not a reference back
            actor = self._actor_in(words)
            role = lex.titles.get(title, title.title())
            matches = [
                n
                for n, r in self.found.records.items()
                if n in last_seen
                and r.role is not None
                and _role_matches(r.role, role, title)
                and (actor is None or r.actor == actor)
            ]
            if not matches:
                continue
            chosen = max(matches, key=lambda n: last_seen[n])
            for word in words:
                if word.i not in self.actor_at:
                    self.found.at[word.i] = chosen


def _counterpart(span: Span) -> bool:
    """ "a meeting with Prime Minister X", "talks between ... and X": someone met, who need
    not serve the state that publishes the text."""
    head = span.root
    while head.dep_ == "conj" and head.head != head:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in ("with", "between")


def _role_matches(recorded: str, role: str, title: str) -> bool:
    """ "Secretary of State" answers to "the Secretary"; "Prime Minister" to "the Premier"."""
    recorded_words = set(recorded.lower().split())
    if role.lower() == recorded.lower().removeprefix("former "):
        return True
    if title in ("head of state", "head of government"):
        return bool(recorded_words & {"president", "king", "queen", "prime", "chancellor"})
    title_words = set(title.split())
    return title_words <= recorded_words


def _same_first(full: str, known: str) -> bool:
    """Two full names with one surname are one person when their first names agree."""
    first, other = fold(full.split()[0]), fold(known.split()[0])
    return (
        bool(first) and bool(other) and (first.startswith(other[:3]) or other.startswith(first[:3]))
    )
