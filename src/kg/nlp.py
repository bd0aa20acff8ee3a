"""The spaCy pipeline: the configured English model plus three registered components.

- ``kg_paragraphs`` (before the parser): a paragraph break always starts a sentence, so a
  headline without a full stop is a sentence of its own and evidence stays verbatim.
- ``kg_gazetteer``: states, demonyms, capitals and seats of government, organizations and
  known leaders, as spans in ``doc.spans["kg"]``.
- ``kg_cues``: words that name a contribution (troops, jets, money, training ...), as spans in
  ``doc.spans["kg_cues"]`` labelled with the contribution type, or ``PLATFORM_AIR`` /
  ``PLATFORM_SEA`` for aircraft and ships, whose type depends on the verb (see
  :mod:`kg.extract.cues`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.gazetteer import load_gazetteer
from kg.lexicon import load_lexicon

SPANS_KEY = "kg"
CUES_KEY = "kg_cues"
PLATFORM_AIR, PLATFORM_SEA, DESIGNATION = "PLATFORM_AIR", "PLATFORM_SEA", "DESIGNATION"
# Components the extractors never read; leaving them out saves a fifth of annotation time.
UNUSED_COMPONENTS = ("senter",)
# "F-16", "Su-27", "S-300", "M777": a model designation (letters, maybe a hyphen, digits).
_DESIGNATION = re.compile(r"^[A-Z][A-Za-z]{0,5}(-\d{1,4}|\d{2,4})[A-Z]{0,2}s?$")


_INITIAL = re.compile(r"^[A-Z]\.$")


# "WARSAW, March 26 (Agency) -", "KANANASKIS, Alberta -": a dateline before a report's body.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\u2019 -]{2,40}|[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][a-z]+(?: [A-Z][a-z]+)?(?!\.? \d)\.?|(?:[A-Z]\.){2,3}))?"
    r"(?:,\s*(?P<when>[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?))?"
    r"(?:\s*\([^)]{1,30}\))?\s*(?:-|\u2013|\u2014)(?:\s|$)"
)
_DATELINE_PARAGRAPHS = 3


def _split_dateline(doc: Doc, text: str, start: int) -> None:
    """The body after a dateline starts a sentence of its own: the dateline is no subject."""
    first = doc[start]
    match = DATELINE.match(text[first.idx : first.idx + 120])  # "^" holds at a slice's start
    if match is None:
        return
    end = first.idx + match.end()
    for token in doc[start + 1 : start + 40]:
        if token.idx >= end:
            if not token.is_space and "\n" not in text[first.idx : token.idx]:
                token.is_sent_start = True
            return


@Language.component("kg_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break the cleaner left between paragraphs (and not
    again at its second word), and after a dateline near the top; a middle initial ("Antony
    J. Blinken") never ends one."""
    starts = [0]
    for token in doc[:-1]:
        text = token.text
        if token.is_space and "\n" in text:
            starts.append(token.i + 1)
            following = doc[token.i + 1]
            following.is_sent_start = True
            second = token.i + 2
            if second < len(doc) and not doc[second].is_space and not following.is_punct:
                doc[second].is_sent_start = False  # no sentence of one word at a paragraph's start
        elif len(text) == 2 and _INITIAL.match(text) and token.i > 0:
            following = doc[token.i + 1]
            if following.is_title and doc[token.i - 1].is_title:
                following.is_sent_start = False
    whole = doc.text
    for start in starts[:_DATELINE_PARAGRAPHS]:
        if start < len(doc):
            _split_dateline(doc, whole, start)
    return doc


class LemmaRepair:
    """Gives inflected verbs of the lexicon their lemma back where the model's lemmatizer
    cut it wrongly ("hoped" -> "hop", "based" -> "bas"): the lemma plus a final "e" is a verb
    the lexicon knows while the lemma is not."""

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if token.pos_ != "VERB" or token.tag_ not in ("VBD", "VBN", "VBG", "VBZ"):
                continue
            lemma = token.lemma_.lower()
            if lemma not in self.known and lemma + "e" in self.known:
                token.lemma_ = lemma + "e"
        return doc


@Language.factory("kg_lemmas", assigns=["token.lemma"])
def make_lemma_repair(nlp: Language, name: str) -> LemmaRepair:
    """Factory of the lemma repair component (registered with spaCy as ``kg_lemmas``)."""
    return LemmaRepair(load_lexicon().known_verbs)


class GazetteerComponent:
    """Marks every gazetteer name in a document as a span labelled with what it names."""

    def __init__(self, nlp: Language, spans_key: str) -> None:
        self.spans_key = spans_key
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        forms = load_gazetteer().names_for_matching()
        for label, entries in forms.items():
            by_key: dict[str, list[str]] = {}
            for text, key in entries:
                by_key.setdefault(key, []).append(text)
            for key, texts in by_key.items():
                match_id = f"{label}|{key}"
                exact = [t for t in texts if _case_matters(t)]
                loose = [t for t in texts if not _case_matters(t)]
                if exact:
                    self.exact.add(match_id, [nlp.make_doc(t) for t in exact])
                if loose:
                    self.folded.add(match_id, [nlp.make_doc(t) for t in loose])

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                label, key = doc.vocab.strings[match_id].split("|", 1)
                if label != "ORG" and not doc[start].text[:1].isupper():
                    continue  # "turkey", "chad", "polish" in running text are not states
                spans.append(Span(doc, start, end, label=label, kb_id=key))
        kept = [s for s in filter_spans(spans) if s.label_ != "BLOCK"]
        doc.spans[self.spans_key] = kept
        return doc


def _case_matters(text: str) -> bool:
    """Short all-capital names ("US", "UK", "EU") only match in capitals, never "us"."""
    letters = text.replace(".", "").replace(" ", "")
    return len(letters) <= 4 and letters.isupper()


@Language.factory("kg_gazetteer", assigns=["doc.spans"], default_config={"spans_key": SPANS_KEY})
def make_gazetteer(nlp: Language, name: str, *, spans_key: str) -> GazetteerComponent:
    """Factory of the gazetteer component (registered with spaCy as ``kg_gazetteer``)."""
    return GazetteerComponent(nlp, spans_key)


class CueComponent:
    """Marks the words that name a contribution, from the lexicon's lemma and phrase lists."""

    def __init__(self, nlp: Language, spans_key: str) -> None:
        self.spans_key = spans_key
        lex = load_lexicon()
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_lemma: dict[str, list[str]] = {}
        for kind, cues in lex.types.items():
            if cues.phrases:
                # "mine clearance" is also written "mine-clearance"
                written = {p for phrase in cues.phrases for p in (phrase, phrase.replace(" ", "-"))}
                self.phrases.add(kind.value, [nlp.make_doc(p) for p in sorted(written)])
            for lemma in cues.lemmas:
                self.by_lemma.setdefault(lemma, []).append(kind.value)
        for lemma in lex.air_platforms:
            self.by_lemma.setdefault(lemma, []).append(PLATFORM_AIR)
        for lemma in lex.sea_platforms:
            self.by_lemma.setdefault(lemma, []).append(PLATFORM_SEA)
        self.air_designations = lex.air_designations
        self.mission_nouns = lex.mission_nouns
        self.phrase_types = lex.phrase_types

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        phrase_tokens: set[int] = set()
        for match_id, start, end in self.phrases(doc):
            span = Span(doc, start, end, label=doc.vocab.strings[match_id])
            if _in_a_name(span, self.mission_nouns):
                continue  # "the EU Military Assistance Mission" names a mission
            spans.append(span)
            phrase_tokens.update(range(start, end))
        named = {i for span in doc.spans.get(SPANS_KEY, []) for i in range(span.start, span.end)}
        coordinated: list[Span] = []
        single: list[Span] = []
        # the words that have a conjunct, read from the parse's arrays, not token by token
        parse = doc.to_array([DEP, HEAD]).astype("int64")  # heads as signed offsets
        conjuncts = numpy.nonzero(parse[:, 0] == doc.vocab.strings["conj"])[0]
        joined = set((conjuncts + parse[conjuncts, 1]).tolist())
        for token in doc:  # one pass: a doc's tokens are costly to visit
            pos = token.pos_
            if pos not in ("NOUN", "PROPN", "ADJ") or token.i in phrase_tokens:
                continue  # a noun's lemma on a verb ("forced to flee") is no cue
            if (
                pos == "NOUN"
                and joined
                and any(j in joined for j in range(token.left_edge.i, token.i))
            ):  # coordinated modifiers stand on the noun's left
                coordinated += self._coordinated_phrases(doc, token)
            lowered = token.lower_
            labels = self.by_lemma.get(token.lemma_.lower()) or self.by_lemma.get(lowered)
            if labels is None and pos == "PROPN" and lowered.endswith("s"):
                # "Leopards": a name in the plural ("Coastal Defense Vessels" names no ship)
                plural = self.by_lemma.get(lowered[:-1], [])
                labels = [x for x in plural if x not in (PLATFORM_AIR, PLATFORM_SEA)] or None
            if labels is None and token.i not in named and _DESIGNATION.match(token.text):
                prefix = re.split(r"[-\d]", token.text, maxsplit=1)[0].lower()
                labels = [PLATFORM_AIR if prefix in self.air_designations else DESIGNATION]
            if labels and token.n_lefts and set(labels) <= {PLATFORM_AIR, PLATFORM_SEA}:
                made_of = [
                    label
                    for c in token.lefts
                    if c.dep_ == "compound"
                    for label in self.by_lemma.get(c.lower_, ())
                ]
                labels = made_of or labels  # "the Leopard fleet": what it is made of says more
            for label in labels or ():
                single.append(Span(doc, token.i, token.i + 1, label=label))
        doc.spans[self.spans_key] = spans + coordinated + single
        return doc

    def _coordinated_phrases(self, doc: Doc, token: Token) -> list[Span]:
        """ "military, financial and humanitarian assistance": each coordinated modifier makes
        a cue phrase with the noun ("military assistance", "financial assistance"); the noun is
        marked with each phrase's type."""
        labels: set[str] = set()
        for modifier in token.children:
            if modifier.dep_ not in ("amod", "compound", "nmod") or modifier.i > token.i:
                continue
            if not modifier.n_lefts and not modifier.n_rights:
                continue  # nothing is conjoined to a modifier with no dependents
            conjoined = [c for c in modifier.subtree if c.dep_ == "conj" and c.i < token.i]
            if not conjoined:
                continue  # one modifier: the phrase matcher has read it
            for word in (modifier, *conjoined):
                for noun in (token.lower_, token.lemma_.lower()):
                    kind = self.phrase_types.get(f"{word.lower_} {noun}")
                    if kind is not None:
                        labels.add(kind.value)
        return [Span(doc, token.i, token.i + 1, label=label) for label in sorted(labels)]


def _in_a_name(span: Span, mission_nouns: frozenset[str]) -> bool:
    """A cue phrase that is part of a capitalised mission name ("Military Assistance
    Mission"): the name of what it goes to, not a contribution."""
    head = span.root.head
    return (
        head.i >= span.end
        and head.lemma_.lower() in mission_nouns
        and all(t.text[:1].isupper() for t in (*span, head))
    )


@Language.factory("kg_cues", assigns=["doc.spans"], default_config={"spans_key": CUES_KEY})
def make_cues(nlp: Language, name: str, *, spans_key: str) -> CueComponent:
    """Factory of the contribution-cue component (registered with spaCy as ``kg_cues``)."""
    return CueComponent(nlp, spans_key)


@lru_cache(maxsize=4)
def load_pipeline(model: str) -> Language:
    """The named installed spaCy pipeline with the project's components added (cached)."""
    try:
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise RuntimeError(
            f"spaCy pipeline {model!r} is not installed; run `make install` or set KG_MODEL "
            "to an installed pipeline"
        ) from exc
    nlp.add_pipe("kg_paragraphs", before="parser" if "parser" in nlp.pipe_names else None)
    nlp.add_pipe("kg_lemmas", last=True)
    nlp.add_pipe("kg_gazetteer", last=True)
    nlp.add_pipe("kg_cues", last=True)
    return nlp
