"""Reading articles from disk: plain text with an optional header, Markdown, HTML and JSONL.

Every failure is a :class:`SourceError` naming the file (and line), never a traceback.

>>> parse_text("title: Talks\\nurl: https://example.org/a\\n\\nBody.", "a.txt").title
'Talks'
>>> parse_text("date 2025-04-11 403\\nBody.", "b.txt").published
datetime.date(2025, 4, 11)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from kg.identity import path_locator
from kg.records import Article

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
# Longest article text (in characters, before cleaning) that is extracted. News articles stay
# far below it; longer texts are dumps or concatenations, and annotation and extraction time
# grow faster than their length, so they are refused rather than left to run for hours.
MAX_ARTICLE_CHARS = 100_000
HEADER_KEYS = ("url", "title", "publisher", "date")
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z_]+):[ \t]*(?P<value>.*)$")
# Some scraped files open with a bare "date YYYY-MM-DD <status>" line instead of a header.
_BARE_DATE_LINE = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\b[^\n]*\n")


@dataclass(frozen=True)
class SourceError(Exception):
    """A file (or one line of it) that cannot be read as an article."""

    origin: str
    reason: str
    line: int | None = None

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str, int | None]]:
        # Frozen dataclass exceptions cannot be unpickled by default; worker processes send them.
        return (SourceError, (self.origin, self.reason, self.line))

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.reason}"


def length_error(article: Article) -> SourceError | None:
    """The refusal of an article longer than :data:`MAX_ARTICLE_CHARS`, or None.

    >>> length_error(Article("x" * 100_001, "big.txt")).reason.startswith("article text is")
    True
    """
    if len(article.text) <= MAX_ARTICLE_CHARS:
        return None
    return SourceError(
        article.origin,
        f"article text is {len(article.text)} characters, over the limit of "
        f"{MAX_ARTICLE_CHARS} for one article; split it into separate articles",
    )


def parse_date(value: str, origin: str, line: int | None = None) -> date:
    """An ISO date (``YYYY-MM-DD``, time part ignored), or a SourceError naming the field."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        reason = f"field 'date' is not a YYYY-MM-DD date: {value!r}"
        raise SourceError(origin, reason, line) from None


def split_header(raw: str) -> tuple[dict[str, str], str, int]:
    """The ``key: value`` header of a text (or a bare "date YYYY-MM-DD" line), the body after
    it, and the line number of the date in the header.

    >>> split_header("title: Talks\\ndate: 2026-01-06\\n\\nBody.")
    ({'title': 'Talks', 'date': '2026-01-06'}, 'Body.', 2)
    """
    text = raw.lstrip("\ufeff")
    meta: dict[str, str] = {}
    date_line = 1
    bare = _BARE_DATE_LINE.match(text)
    if bare:
        return {"date": bare.group("date")}, text[bare.end() :], 1
    lines = text.split("\n")
    header: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            if header and index > 0:
                meta, text = header, "\n".join(lines[index + 1 :])
            break
        match = _HEADER_LINE.match(line.strip())
        if not match or match.group("key").lower() not in HEADER_KEYS:
            break
        header[match.group("key").lower()] = match.group("value").strip()
        if match.group("key").lower() == "date":
            date_line = index + 1
    return meta, text, date_line


def parse_text(raw: str, origin: str) -> Article:
    """An article from text that may open with ``key: value`` header lines and a blank line."""
    meta, text, date_line = split_header(raw)
    published = parse_date(meta["date"], origin, date_line) if meta.get("date") else None
    return Article(
        text=text.strip(),
        origin=origin,
        url=meta.get("url") or None,
        title=meta.get("title") or None,
        publisher=meta.get("publisher") or None,
        published=published,
    )


def parse_html_file(raw: str, origin: str) -> Article:
    """An HTML page or fragment, which may open with the same header as a text file; the
    header's fields win over what the page says of itself."""
    meta, body, date_line = split_header(raw)
    article = parse_html(body, origin)
    if not meta:
        return article
    published = parse_date(meta["date"], origin, date_line) if meta.get("date") else None
    return replace(
        article,
        url=meta.get("url") or article.url,
        title=meta.get("title") or article.title,
        publisher=meta.get("publisher") or article.publisher,
        published=published or article.published,
    )


_PAGE = re.compile(r"<\s*(html|body|head)\b", re.IGNORECASE)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "dt", "dd", "td", "pre")


def parse_fragment(raw: str, origin: str) -> Article:
    """The text of an HTML fragment (a feed item, a page's body copied out): each block
    element is a paragraph, kept whole, with its inline marks dropped.

    >>> parse_fragment("<p>Spain <b>will</b> send troops.</p><p>Kyiv</p>", "f.html").text
    'Spain will send troops.\\nKyiv'
    """
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(raw, create_parent="div")
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(origin, f"not readable as HTML ({exc})") from None
    paragraphs = _block_texts(root)
    loose = _loose_texts(root)
    if paragraphs and loose:
        paragraphs = [*loose, *paragraphs]  # "2025-11-24" on a line of its own before the markup
    if not paragraphs:
        text = " ".join(root.text_content().split())
        paragraphs = [text] if text else []
    if not paragraphs:
        raise SourceError(origin, "no article text found in the HTML fragment")
    return Article(text="\n".join(paragraphs), origin=origin)


def _xpath(node: Any, path: str) -> list[Any]:
    """The nodes or strings an XPath selects (always a list)."""
    found = node.xpath(path)
    return list(found) if isinstance(found, list) else []


def _loose_texts(root: Any) -> list[str]:
    """Text that stands outside every element before the first block (a date line above the
    markup), which no block element would read."""
    found: list[str] = []
    leading = " ".join((root.text or "").split())
    if leading:
        found.append(leading)
    for child in root:
        if child.tag in _BLOCKS or any(True for _ in child.iter(*_BLOCKS)):
            break
        tail = " ".join((child.tail or "").split())
        if tail:
            found.append(tail)
    return found


def _block_texts(root: Any) -> list[str]:
    """The text of each outermost block element under ``root``, scripts and styles left out."""
    for unwanted in _xpath(root, ".//script|.//style|.//noscript|.//template"):
        unwanted.drop_tree()
    paragraphs: list[str] = []
    for element in root.iter(*_BLOCKS):
        if any(a.tag in _BLOCKS for a in element.iterancestors()):
            continue  # its text is read with the enclosing block
        text = " ".join(element.text_content().split())
        if text:
            paragraphs.append(text)
    return paragraphs


_DATE_META = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='date']/@content",
    "//meta[@name='dc.date']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//time/@datetime",
)


def _stated_date(raw: str) -> str | None:
    """The publication date a page states in its metadata or a ``<time>`` element."""
    from lxml import etree, html

    try:
        page = html.document_fromstring(raw)
    except (etree.ParserError, ValueError):
        return None
    for path in _DATE_META:
        for value in _xpath(page, path):
            if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value.strip()):
                return value.strip()[:10]
    return None


def _page_title(raw: str, sitename: str | None) -> str | None:
    """The page's own title (``og:title``, else ``<title>``), less a trailing "| Site" or
    "- Site" that names the site, and nothing else cut away."""
    from lxml import etree, html

    try:
        page = html.document_fromstring(raw)
    except (etree.ParserError, ValueError):
        return None
    found = _xpath(page, "//meta[@property='og:title']/@content") or _xpath(page, "//title/text()")
    title = " ".join(str(found[0]).split()) if found else ""
    if sitename:
        for separator in (" | ", " - ", " \u2013 ", " \u2014 "):
            if title.endswith(separator + sitename):
                title = title[: -len(separator + sitename)]
    return title or None


def _marked_article(raw: str) -> list[str]:
    """The paragraphs of the page's one ``<article>`` (or ``<main>``), when it marks its
    article: read whole, as a fragment is, rather than guessed at."""
    from lxml import etree, html

    try:
        page = html.document_fromstring(raw)
    except (etree.ParserError, ValueError):
        return []
    for tag in ("article", "main"):
        found = _xpath(page, f"//{tag}")
        if len(found) == 1:
            return _block_texts(found[0])
    return []


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_html(raw: str, origin: str) -> Article:
    """The main text and metadata of an HTML page, without scripts, menus or footers: its
    ``<article>`` block by block when it marks one, else the main text a content extractor
    finds; a fragment without a page around it is read block by block
    (:func:`parse_fragment`)."""
    raw = _CONTROL.sub("", raw)  # no markup parser takes them, and no text needs them
    if not _PAGE.search(raw):
        return parse_fragment(raw, origin)
    import trafilatura
    from trafilatura.metadata import extract_metadata

    marked = _marked_article(raw)
    document: Any
    if marked:
        # dates only from what the page states: no guessing from its text
        document = extract_metadata(raw, extensive=False)
        document.date = _stated_date(raw)
        document.title = _page_title(raw, document.sitename) or document.title
        text: str | None = "\n".join(marked)
    else:
        document = trafilatura.bare_extraction(
            raw,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
        text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise SourceError(origin, "no article text found in the HTML page")
    published: date | None = None
    raw_date = getattr(document, "date", None)
    if raw_date:
        try:
            published = date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            published = None
    return Article(
        text=text.strip(),
        origin=origin,
        url=getattr(document, "url", None) or None,
        title=getattr(document, "title", None) or None,
        publisher=getattr(document, "sitename", None) or None,
        published=published,
    )


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_jsonl(raw: str, origin: str) -> tuple[list[Article], list[SourceError]]:
    """Articles from JSON lines with ``text`` and optional ``url``, ``title``, ``publisher``,
    ``date``; each broken line is an error of its own and the others are kept."""
    articles: list[Article] = []
    errors: list[SourceError] = []
    # Only "\n" ends a JSON line: str.splitlines() would also cut at U+2028 and other
    # separators that JSON strings may hold unescaped.
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(SourceError(origin, f"not valid JSON ({exc.msg})", number))
            continue
        except RecursionError:
            errors.append(SourceError(origin, "not valid JSON (nested too deeply)", number))
            continue
        if not isinstance(record, dict):
            errors.append(SourceError(origin, "a line must be a JSON object", number))
            continue
        text = record.get("text")
        if text is not None and not isinstance(text, str):
            errors.append(SourceError(origin, "field 'text' must be a string", number))
            continue
        if not text or not text.strip():
            errors.append(SourceError(origin, "field 'text' is missing or empty", number))
            continue
        fields: dict[str, str | None] = {}
        bad = False
        for key in ("url", "title", "publisher", "date"):
            value = record.get(key)
            if value is not None and not isinstance(value, str):
                errors.append(SourceError(origin, f"field {key!r} must be a string", number))
                bad = True
                break
            fields[key] = value or None
        if bad:
            continue
        # A "\ud800" escape is valid JSON but no text: it could be neither hashed nor stored.
        unpaired = [k for k, v in [("text", text), *fields.items()] if v and not _encodable(v)]
        if unpaired:
            reason = f"field {unpaired[0]!r} holds an unpaired surrogate escape (not text)"
            errors.append(SourceError(origin, reason, number))
            continue
        try:
            published = parse_date(fields["date"], origin, number) if fields["date"] else None
        except SourceError as exc:
            errors.append(exc)
            continue
        articles.append(
            Article(
                text=text.strip(),
                origin=f"{origin}:{number}",
                url=fields["url"],
                title=fields["title"],
                publisher=fields["publisher"],
                published=published,
                line=number,
            )
        )
    return articles, errors


def decode(data: bytes, origin: str) -> str:
    """UTF-8 text, or a SourceError saying why the bytes are not an article."""
    if not data.strip():
        raise SourceError(origin, "file is empty")
    if b"\x00" in data[:65536]:
        raise SourceError(origin, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            origin,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8",
        ) from None
    # Unicode white space (no-break spaces, separators) or a lone byte-order mark is empty too.
    if not text.lstrip("\ufeff").strip():
        raise SourceError(origin, "file is empty")
    return text


def read_file(path: Path, max_bytes: int) -> tuple[list[Article], list[SourceError]]:
    """The articles in one file (each knowing the file as its locator,
    :func:`kg.identity.path_locator`) and the errors met reading it."""
    articles, errors = _read_file(path, max_bytes)
    where = path_locator(path)
    return [replace(a, path=where) for a in articles], errors


def _read_file(path: Path, max_bytes: int) -> tuple[list[Article], list[SourceError]]:
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        return [], [SourceError(origin, f"unsupported file type {suffix!r} (use {supported})")]
    try:
        size = path.stat().st_size
        if size > max_bytes:
            reason = f"file is {size} bytes, over the limit of {max_bytes} (KG_MAX_ARTICLE_BYTES)"
            return [], [SourceError(origin, reason)]
        # A file still being written may have grown since stat(): read no more than the limit.
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            reason = f"file is over the limit of {max_bytes} bytes (KG_MAX_ARTICLE_BYTES)"
            return [], [SourceError(origin, reason)]
        raw = decode(data, origin)
        if suffix == ".jsonl":
            return parse_jsonl(raw, origin)
        if suffix in (".html", ".htm"):
            return [parse_html_file(raw, origin)], []
        return [parse_text(raw, origin)], []
    except SourceError as exc:
        return [], [exc]
    except OSError as exc:
        return [], [SourceError(origin, f"cannot read file: {exc.strerror or exc}")]


def _folder_files(folder: Path) -> Iterator[Path]:
    """The files under ``folder`` that are not hidden (nor in a hidden folder), sorted."""
    for child in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in child.relative_to(folder).parts)
        if child.is_file() and not hidden:
            yield child


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def expand_paths(paths: Iterable[Path], left_out: list[Path] | None = None) -> Iterator[Path]:
    """Files named directly, and the supported files under named folders, in a stable order;
    the other files under the folders are added to ``left_out``."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for child in _folder_files(path):
            if _supported(child):
                yield child
            elif left_out is not None:
                left_out.append(child)


def read_paths(
    paths: Iterable[Path], max_bytes: int, left_out: list[Path] | None = None
) -> Iterator[tuple[list[Article], list[SourceError]]]:
    """Articles and errors, file by file, for files and folders (see ``expand_paths``)."""
    for path in expand_paths(paths, left_out):
        if not path.exists():
            yield [], [SourceError(str(path), "no such file or folder")]
            continue
        yield read_file(path, max_bytes)
