"""Reading articles: text headers, the bare date line, HTML, JSONL, bad files and source ids."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.identity import source_id
from kg.pipeline import prepare
from kg.sources import (
    SourceError,
    expand_paths,
    parse_html,
    parse_jsonl,
    parse_text,
    read_file,
    read_paths,
)

LIMIT = 1_000_000
BODY = (
    "Spanish Prime Minister Pedro Sánchez said Spain could send troops to Ukraine after a "
    "ceasefire, once parliament has been consulted."
)
ARTICLE_HTML = """<!DOCTYPE html>
<html><head>
<title>Spain weighs troops for Ukraine - Example News</title>
<meta property="og:url" content="https://example.org/world/spain-troops">
<meta property="og:site_name" content="Example News">
<meta name="date" content="2026-01-07">
<script>var tracker = "HEADSCRIPT"; window.dataLayer = [];</script>
<style>body { color: red; }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Spain weighs troops for Ukraine</h1>
<p>Spanish Prime Minister Pedro Sánchez said on Tuesday that Spain could send troops to Ukraine
after a ceasefire, once parliament has been consulted about the mission.</p>
<p>The announcement followed a meeting of the coalition of the willing in Paris, where European
leaders discussed security guarantees for Kyiv and the role of the United States.</p>
<script>document.write("BODYSCRIPT");</script>
<p>Italy said it would not send ground troops, while Sweden offered Gripen fighter jets for air
surveillance of Ukrainian skies after any agreement is reached.</p>
</article>
<footer>Copyright 2026 Example Media. All rights reserved.</footer>
</body></html>
"""


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def only_error(path: Path) -> SourceError:
    articles, errors = read_file(path, LIMIT)
    assert articles == []
    assert len(errors) == 1
    return errors[0]


# Text files and their header


def test_header_lines_give_url_title_publisher_and_date() -> None:
    raw = (
        "url: https://example.org/a\ntitle: Spain weighs troops\npublisher: Example News\n"
        f"date: 2026-01-07\n\n{BODY}\n"
    )
    article = parse_text(raw, "a.txt")
    assert article.url == "https://example.org/a"
    assert article.title == "Spain weighs troops"
    assert article.publisher == "Example News"
    assert article.published == date(2026, 1, 7)
    assert article.text == BODY


def test_header_keys_ignore_case_and_windows_line_ends() -> None:
    raw = f"\ufeffTitle: Talks\r\nDATE: 2026-01-06T10:00:00Z\r\n\r\n{BODY}\r\n"
    article = parse_text(raw, "a.txt")
    assert article.title == "Talks"
    assert article.published == date(2026, 1, 6)
    assert article.text == BODY


def test_text_without_header_is_all_body() -> None:
    raw = f"Note: the talks resume on Monday.\n\n{BODY}"
    article = parse_text(raw, "a.txt")
    assert article.text.startswith("Note: the talks")
    assert article.title is None and article.url is None and article.published is None


def test_header_without_closing_blank_line_stays_body() -> None:
    article = parse_text(f"title: Talks\n{BODY}", "a.txt")
    assert article.title is None
    assert article.text.startswith("title: Talks")


def test_bare_date_first_line_gives_the_date_and_is_not_body() -> None:
    article = parse_text(f" date 2025-04-11 403\n{BODY}\n", "b.txt")
    assert article.published == date(2025, 4, 11)
    assert article.text == BODY


def test_seed_with_bare_date_line(seeds_dir: Path) -> None:
    [path] = seeds_dir.glob("004_*.txt")
    articles, errors = read_file(path, LIMIT)
    assert errors == []
    assert articles[0].published == date(2025, 4, 11)
    assert not articles[0].text.lstrip().startswith("date")


def test_bad_header_date_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", f"title: Talks\ndate: 6 January\n\n{BODY}")
    error = only_error(path)
    assert error.line == 2
    assert str(error).startswith(f"{path}:2: ")
    assert "date" in error.reason


# HTML


def test_html_keeps_the_article_and_drops_scripts_menus_and_footer() -> None:
    article = parse_html(ARTICLE_HTML, "page.html")
    assert "Pedro Sánchez said on Tuesday" in article.text
    assert "Gripen fighter jets" in article.text
    for furniture in ("HEADSCRIPT", "BODYSCRIPT", "color: red", "Sport", "All rights reserved"):
        assert furniture not in article.text
    assert article.url == "https://example.org/world/spain-troops"
    assert article.title is not None and "Spain weighs troops" in article.title
    assert article.published == date(2026, 1, 7)


def test_a_fragment_keeps_the_text_before_its_markup(tmp_path: Path) -> None:
    fragment = "2026-02-03\n<h1>Talks in Oslo</h1>\n<p>Norway will send two frigates.</p>"
    (article,), errors = read_file(write(tmp_path / "item.html", fragment), LIMIT)
    assert errors == []
    assert article.text.split("\n") == [
        "2026-02-03",
        "Talks in Oslo",
        "Norway will send two frigates.",
    ]


def test_html_file_is_read_by_suffix(tmp_path: Path) -> None:
    articles, errors = read_file(write(tmp_path / "page.HTM", ARTICLE_HTML), LIMIT)
    assert errors == []
    assert "Gripen" in articles[0].text


def test_html_page_with_only_scripts_is_a_clear_error(tmp_path: Path) -> None:
    page = "<html><head><script>var a = 1;</script></head><body><script>go()</script></body></html>"
    path = write(tmp_path / "empty.html", page)
    error = only_error(path)
    assert str(error) == f"{path}: no article text found in the HTML page"


def test_html_page_with_only_a_menu_leaves_no_article(tmp_path: Path) -> None:
    page = '<html><body><nav><a href="/">Home</a> <a href="/w">World</a></nav></body></html>'
    path = write(tmp_path / "menu.html", page)
    articles, errors = read_file(path, LIMIT)
    with pytest.raises(SourceError) as caught:
        if errors:
            raise errors[0]
        prepare(articles[0])
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


# JSONL


def test_jsonl_keeps_good_lines_and_reports_bad_ones_by_line(tmp_path: Path) -> None:
    lines = [
        '{"text": "First article about troops.", "url": "https://example.org/1"}',
        "{broken",
        "",
        '{"title": "no text here"}',
        "[1, 2]",
        '{"text": "   "}',
        '{"text": "Second article.", "title": 7}',
        '{"text": "Third article.", "date": "last week"}',
        '{"text": "Fourth article.", "date": "2026-01-06", "publisher": "Example"}',
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    articles, errors = read_file(path, LIMIT)
    assert [a.text for a in articles] == ["First article about troops.", "Fourth article."]
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:9"]
    assert articles[0].url == "https://example.org/1"
    assert articles[1].published == date(2026, 1, 6)
    assert articles[1].publisher == "Example"
    assert [e.line for e in errors] == [2, 4, 5, 6, 7, 8]
    for error in errors:
        assert str(error).startswith(f"{path}:{error.line}: ")
        assert "\n" not in str(error)
    assert "text" in errors[1].reason
    assert "title" in errors[4].reason
    assert "date" in errors[5].reason


def test_jsonl_with_only_broken_lines_gives_no_articles() -> None:
    articles, errors = parse_jsonl("nope\n{}\n", "x.jsonl")
    assert articles == []
    assert [e.line for e in errors] == [1, 2]


# Files that are not articles


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n \t\n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Café des ministres à Bruxelles.".encode("latin-1"), "UTF-8"),
        ("report.pdf", b"%PDF-1.7 troops", "unsupported file type '.pdf'"),
        ("noext", b"Spain will send troops.", "unsupported file type"),
    ],
)
def test_unreadable_file_gives_one_line_naming_it(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = write(tmp_path / name, data)
    error = only_error(path)
    message = str(error)
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "troops " * 400)
    articles, errors = read_file(path, max_bytes=1024)
    assert articles == []
    assert "KG_MAX_ARTICLE_BYTES" in str(errors[0])


def test_missing_path_is_reported(tmp_path: Path) -> None:
    results = list(read_paths([tmp_path / "gone.txt"], LIMIT))
    assert results == [([], [SourceError(str(tmp_path / "gone.txt"), "no such file or folder")])]


def test_folders_give_supported_visible_files_in_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "c.jsonl", "d.html", "notes.pdf", ".hidden.txt"):
        write(tmp_path / name, BODY)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "e.txt", BODY)
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "f.txt", BODY)
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["a.md", "b.txt", "c.jsonl", "d.html", "sub/e.txt"]


# Source identity


def test_same_article_under_two_names_has_one_source_id(tmp_path: Path) -> None:
    first = write(tmp_path / "one.txt", f"{BODY}\n\nItaly declined.\n")
    second = write(tmp_path / "copy of one.md", f"  {BODY.replace(' ', '  ')}\r\n Italy declined.")
    [a], _ = read_file(first, LIMIT)
    [b], _ = read_file(second, LIMIT)
    assert a.origin != b.origin
    assert source_id(a) == source_id(b)


def test_source_id_follows_the_url_when_given() -> None:
    a = parse_text(f"url: https://example.org/a\n\n{BODY}", "a.txt")
    b = parse_text("url: https://example.org/a\n\nAn updated version of the story.", "b.txt")
    c = parse_text(f"url: https://example.org/c\n\n{BODY}", "c.txt")
    assert source_id(a) == source_id(b) != source_id(c)


def test_different_articles_have_different_source_ids() -> None:
    a = parse_text(BODY, "a.txt")
    b = parse_text(BODY + " Germany will decide later.", "b.txt")
    assert len(source_id(a)) == 16
    assert source_id(a) != source_id(b)


def test_every_seed_reads_cleanly_with_an_id_of_its_own(seeds_dir: Path) -> None:
    ids = set()
    paths = sorted(seeds_dir.glob("*.txt"))
    for path in paths:
        [article], errors = read_file(path, LIMIT)
        assert errors == []
        ids.add(source_id(article))
    assert len(paths) == 5
    assert len(ids) == len(paths)
