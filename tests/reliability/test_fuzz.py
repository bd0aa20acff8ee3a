"""Property tests over generated input: the readers, the cleaner and the extractor turn
anything into articles, records or a :class:`SourceError` — never another exception, which
would reach the user as a traceback or stop a whole ingest."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.clean import clean_text
from kg.config import Settings
from kg.pipeline import extract_articles
from kg.rdf import extraction_quads, source_iri
from kg.records import Article, Extraction
from kg.sources import HEADER_KEYS, SourceError, decode, parse_html, parse_jsonl, parse_text
from kg.store import EmbeddedStore

T = TypeVar("T")
FUZZ = settings(max_examples=300, deadline=None)


def outcome(call: Callable[[], T]) -> T | SourceError:
    """The result of ``call``, or the SourceError it raised; anything else fails the test."""
    try:
        return call()
    except SourceError as exc:
        assert str(exc).startswith(exc.origin)
        return exc


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- bytes and text -------------------------------------------------------------------------

special_bytes = st.sampled_from(
    [b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", b"\xc3", b"\xed\xa0\x80", b"\r", b"\n"]
)
byte_soup = st.lists(st.one_of(st.binary(max_size=40), special_bytes), max_size=30).map(b"".join)


@FUZZ
@given(byte_soup)
def test_decode_gives_text_or_a_source_error(data: bytes) -> None:
    text = outcome(lambda: decode(data, "fuzz.txt"))
    if isinstance(text, str):
        assert encodable(text) and text.lstrip("\ufeff").strip()
        article = outcome(lambda: parse_text(text, "fuzz.txt"))
        if isinstance(article, Article):
            assert encodable(article.text)


header_line = st.builds(
    "{}:{}{}".format,
    st.sampled_from([*HEADER_KEYS, "Date", "URL", "summary", "date "]),
    st.sampled_from(["", " ", "\t"]),
    st.one_of(
        st.text(max_size=30),
        st.dates().map(date.isoformat),
        st.sampled_from(["2025-02-30", "2025-13-01", "99999-01-01", "2025-04-11T10:00Z"]),
    ),
)
loose_text = st.lists(
    st.one_of(header_line, st.text(max_size=60), st.just(""), st.just(" date 2025-04-11 403")),
    max_size=12,
).map("\n".join)


@FUZZ
@given(st.one_of(loose_text, st.text()))
def test_parse_text_gives_an_article_or_a_source_error(raw: str) -> None:
    result = outcome(lambda: parse_text(raw, "fuzz.txt"))
    if isinstance(result, Article):
        assert result.origin == "fuzz.txt"


@FUZZ
@given(st.one_of(loose_text, st.text()))
def test_clean_text_never_raises(raw: str) -> None:
    cleaned = clean_text(raw)
    assert all("\n" not in p and p == p.strip() and p for p in cleaned.paragraphs)
    assert cleaned.passages_skipped >= 0 and cleaned.furniture_dropped >= 0


# --- JSON lines -----------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
field_values = st.one_of(json_values, st.dates().map(date.isoformat), st.text(min_size=1))
records = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(("text", "url", "title", "publisher", "date", "other"), field_values),
)
raw_lines = st.sampled_from(
    [
        '{"text": "a \\ud800 b"}',
        '{"text": "ok", "title": "\\udfff"}',
        '{"text": "Spain \\u2028 will send troops"}',
        '{"text": "unterminated',
        "[" * 5000,
        "{" * 3000,
        "\ufeff{}",
        "\r",
        "null",
        '{"text": "x"} trailing',
    ]
)
jsonl_line = st.one_of(
    records.map(lambda r: json.dumps(r, ensure_ascii=False)),
    records.map(json.dumps),
    json_values.map(json.dumps),
    raw_lines,
    st.text(max_size=40),
)


@FUZZ
@given(st.lists(jsonl_line, max_size=8).map("\n".join))
def test_parse_jsonl_gives_one_outcome_per_line(raw: str) -> None:
    articles, errors = parse_jsonl(raw, "fuzz.jsonl")
    assert all(isinstance(e, SourceError) and e.line is not None for e in errors)
    for article in articles:
        assert article.text.strip() and encodable(article.text)
        assert all(encodable(v) for v in (article.url, article.title, article.publisher) if v)
    lines = [line for line in raw.split("\n") if line.strip()]
    assert len(articles) + len(errors) == len(lines)


# --- HTML -----------------------------------------------------------------------------------

html_piece = st.one_of(
    st.sampled_from(
        [
            "<html>",
            "<body>",
            "<article>",
            "</article>",
            "<p>",
            "</p>",
            "<script>alert(1)</script>",
            "<style>p{}</style>",
            "<!--",
            "-->",
            "<![CDATA[",
            "&#xD800;",
            "&#0;",
            "&amp;",
            "<meta name='date' content='2025-99-99'>",
            "<title>Talks</title>",
            "<div><div><div>",
        ]
    ),
    st.text(max_size=40),
    st.just("Spain will send troops to Ukraine after a ceasefire, the minister said. "),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(html_piece, max_size=25).map("".join))
def test_parse_html_gives_an_article_or_a_source_error(raw: str) -> None:
    result = outcome(lambda: parse_html(raw, "fuzz.html"))
    if isinstance(result, Article):
        assert result.text.strip() and encodable(result.text)


# --- the extractor --------------------------------------------------------------------------

actors = st.sampled_from(
    ["Spain", "France", "the UK", "NATO", "Germany's chancellor", "He", "They", "The US", "EU"]
)
verbs = st.sampled_from(
    ["will send", "pledged", "is considering sending", "ruled out sending", "could deploy", "said"]
)
things = st.sampled_from(
    ["troops", "5,000 soldiers", "air power", "minesweepers", "funding", "nothing", "a force"]
)
when = st.sampled_from(
    ["", " on Monday", " on Jan. 6, 2026", " next week", " in 2025", " on 31 February 2026"]
)
sentence = st.builds(
    "{} {} {} to Ukraine{}{}.".format, actors, verbs, things, when, st.sampled_from(["", ","])
)
paragraph = st.one_of(
    st.lists(sentence, min_size=1, max_size=4).map(" ".join), st.text(max_size=80)
)
article_text = st.lists(paragraph, min_size=1, max_size=5).map("\n".join)
articles = st.lists(
    st.builds(
        Article,
        text=article_text,
        origin=st.just("fuzz.txt"),
        url=st.one_of(st.none(), st.just("https://example.org/a")),
        published=st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1))),
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(articles)
def test_extraction_gives_records_or_source_errors(batch: list[Article]) -> None:
    results = list(extract_articles(batch, Settings().model, batch_size=2))
    assert len(results) == len(batch)
    store = EmbeddedStore(None)
    for result in results:
        assert isinstance(result, Extraction | SourceError)
        if isinstance(result, SourceError):
            assert "extraction failed" not in result.reason, result
            continue
        quads = extraction_quads(result)
        graph = source_iri(result.source_id)
        # Both the first write and a replacement must take every quad back as it was.
        for _ in range(2):
            store.replace_graph(graph, quads)
            assert set(store.graph_quads(graph)) == set(quads)
