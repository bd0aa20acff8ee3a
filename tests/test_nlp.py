"""The annotation stage's own components, on texts written for these tests."""

from __future__ import annotations

import spacy

from kg.nlp import mark_paragraphs


def test_the_body_after_a_dateline_below_the_title_starts_a_sentence() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Leaders meet\nBANFF, Alberta - The prime ministers met on Monday.")
    mark_paragraphs(doc)
    body = next(t for t in doc if t.text == "The")
    assert body.is_sent_start
    assert doc[next(t.i for t in doc if t.text == "BANFF")].is_sent_start
