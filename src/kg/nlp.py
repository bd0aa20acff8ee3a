"""The spaCy pipeline: the configured English model plus a gazetteer component that marks
states, demonyms, capitals, organizations and known leaders in ``doc.spans["kg"]``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.gazetteer import load_gazetteer

SPANS_KEY = "kg"
# Components the extractors never read; leaving them out saves a fifth of annotation time.
UNUSED_COMPONENTS = ("senter",)


class GazetteerComponent:
    """Marks every gazetteer name in a document as a span labelled with what it names."""

    def __init__(self, nlp: Language, spans_key: str) -> None:
        self.spans_key = spans_key
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[int, str] = {}
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


@lru_cache(maxsize=4)
def load_pipeline(model: str) -> Language:
    """The named installed spaCy pipeline with the gazetteer component added (cached)."""
    try:
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise RuntimeError(
            f"spaCy pipeline {model!r} is not installed; run `make install` or set KG_MODEL "
            "to an installed pipeline"
        ) from exc
    nlp.add_pipe("kg_gazetteer", last=True)
    return nlp


def model_info(nlp: Language) -> dict[str, Any]:
    """Name and version of the pipeline, for provenance."""
    meta = nlp.meta
    return {"name": f"{meta.get('lang')}_{meta.get('name')}", "version": meta.get("version")}
