"""What makes two inputs the same source: URL normalisation, locators, content hashes, and
how the articles of one run are grouped into sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.identity import (
    content_hash,
    group,
    locator,
    normalise_url,
    path_locator,
    source_id,
)
from kg.records import Article
from kg.sources import read_file

TEXT = "Spanish Prime Minister Pedro Sánchez said Spain could send troops to Ukraine."


@pytest.mark.parametrize(
    "variant",
    [
        "https://example.org/news/spain",
        "https://example.org/news/spain/",
        "HTTPS://Example.ORG/news/spain",
        "https://example.org:443/news/spain",
        "https://example.org/news/spain#comments",
        "https://example.org/news/spain?utm_source=rss&utm_medium=feed",
        "https://example.org/news/spain/?fbclid=IwAR0&UTM_Campaign=x#top",
        "  https://example.org/news/spain?gclid=1  ",
    ],
)
def test_urls_that_differ_only_in_tracking_and_form_are_one(variant: str) -> None:
    assert normalise_url(variant) == "https://example.org/news/spain"


@pytest.mark.parametrize(
    "other",
    [
        "https://example.org/news/italy",
        "https://example.org/news/spain?id=2",
        "http://example.org/news/spain",
        "https://example.org:8443/news/spain",
        "https://www.example.org/news/spain",
        "https://example.org/News/Spain",
    ],
)
def test_urls_that_name_another_page_stay_apart(other: str) -> None:
    assert normalise_url(other) != "https://example.org/news/spain"


def test_a_query_keeps_its_order_and_spelling() -> None:
    url = "https://example.org/search?q=a%20b&utm_term=x&page=2"
    assert normalise_url(url) == "https://example.org/search?q=a%20b&page=2"


def test_the_locator_is_the_url_else_the_file_and_line() -> None:
    assert locator(Article(TEXT, "a.txt", url="https://x.org/a/?utm_source=1")) == "https://x.org/a"
    assert locator(Article(TEXT, "a.txt", path="in/a.txt")) == "in/a.txt"
    assert locator(Article(TEXT, "f.jsonl:3", path="in/f.jsonl", line=3)) == "in/f.jsonl:3"
    assert locator(Article(TEXT, "request")) is None


def test_files_are_named_relative_to_where_they_are_ingested(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, "utf-8")
    assert path_locator(tmp_path / "in" / "a.txt", tmp_path) == "in/a.txt"
    assert path_locator(Path("in/./a.txt"), tmp_path) == "in/a.txt"
    assert path_locator(tmp_path / "in" / "a.txt", tmp_path / "elsewhere") == (
        (tmp_path / "in" / "a.txt").as_posix()
    )


def test_the_reader_gives_each_article_its_file_and_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(f'{{"text": "{TEXT}"}}\n\n{{"text": "Italy declined."}}\n', "utf-8")
    articles, errors = read_file(feed, 10**6)
    assert errors == []
    assert [(a.path, a.line) for a in articles] == [
        (path_locator(feed), 1),
        (path_locator(feed), 3),
    ]


def test_the_source_id_follows_the_normalised_url() -> None:
    one = Article(TEXT, "a.txt", url="https://example.org/a?utm_source=x")
    two = Article("Another text.", "b.txt", url="https://EXAMPLE.org/a/")
    assert source_id(one) == source_id(two)


def test_the_content_hash_names_the_version() -> None:
    base = Article(TEXT, "a.txt", url="https://example.org/a", title="Spain")
    assert content_hash(base) == content_hash(
        Article(TEXT + "  ", "b.txt", url=base.url, title="Spain")
    )
    assert content_hash(base) == content_hash(
        Article(TEXT, "b.txt", url="https://example.org/a/?utm_source=x", title="Spain")
    )
    assert content_hash(base) != content_hash(Article(TEXT + " More.", "a.txt", url=base.url))
    assert content_hash(base) != content_hash(Article(TEXT, "a.txt", url=base.url, title="Italy"))


def test_one_text_under_two_names_is_one_source_with_both_names() -> None:
    one = Article(TEXT, "in/one.txt", path="in/one.txt")
    two = Article(TEXT.replace(" ", "  "), "in/two.md", path="in/two.md")
    grouped = group([one, two])
    assert grouped.refused == []
    [unit] = grouped.units
    assert unit.locators == ("in/one.txt", "in/two.md")
    assert unit.paths == ("in/one.txt", "in/two.md")
    assert grouped.notes == ["in/two.md: same article as in/one.txt; stored once as one source"]


def test_two_texts_under_one_url_are_not_merged() -> None:
    first = Article(TEXT, "a.txt", url="https://example.org/a", path="a.txt")
    second = Article("Italy would not send troops.", "b.txt", url="https://example.org/a/")
    grouped = group([first, second])
    [unit] = grouped.units
    assert unit.article is first
    [refused] = grouped.refused
    assert refused.origin == "b.txt"
    assert "https://example.org/a of a.txt with another text" in refused.reason
    assert "not stored" in refused.reason


def test_one_text_with_two_titles_is_refused_not_merged() -> None:
    grouped = group([Article(TEXT, "a.txt", title="One"), Article(TEXT, "b.txt", title="Two")])
    assert len(grouped.units) == 1
    assert [e.origin for e in grouped.refused] == ["b.txt"]
