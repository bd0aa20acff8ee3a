"""What makes two inputs the same source: the one place every ingest path asks.

A source has two names. Its **locator** names "this article" across edits: the article's URL
(normalised), else the input file it was read from (relative to where it was ingested), else
that file and line for JSONL. Its **content hash** names "this version": the normalised text
and the metadata the input gives. The source's IRI follows the contract: the hash of the
normalised URL when there is one, else of the normalised text.

>>> normalise_url("HTTPS://Example.ORG:443/news/a/?utm_source=x&id=3#top")
'https://example.org/news/a?id=3'
>>> locator(Article("Text.", "feed.jsonl:3", path="feed.jsonl", line=3))
'feed.jsonl:3'
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from kg.normalise import normalise_text
from kg.records import Article

if TYPE_CHECKING:
    from kg.sources import SourceError

# Query parameters that say how a reader came to a page, not which page it is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "ref_src",
        "ref_url",
        "smid",
        "sr_share",
        "at_medium",
        "at_campaign",
        "guccounter",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _tracking(piece: str) -> bool:
    key = unquote_plus(piece.split("=", 1)[0]).strip().lower()
    return key.startswith(("utm_", "pk_")) or key in TRACKING_PARAMETERS


def normalise_url(url: str) -> str:
    """The URL as it is compared: scheme and host in lower case, no default port, no
    fragment, no tracking parameters (``utm_*``, ``fbclid`` ...), no trailing slash; the rest
    as given. A value that is no http(s) URL comes back stripped.

    >>> normalise_url("http://example.org/")
    'http://example.org'
    >>> normalise_url("https://example.org/a?fbclid=1&page=2&utm_medium=rss")
    'https://example.org/a?page=2'
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return text
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username is not None:
        user = parts.username + (f":{parts.password}" if parts.password is not None else "")
        host = f"{user}@{host}"
    query = "&".join(p for p in parts.query.split("&") if p and not _tracking(p))
    return urlunsplit((scheme, host, parts.path.rstrip("/"), query, ""))


def path_locator(path: Path, base: Path | None = None) -> str:
    """An input file's name as a locator: relative to ``base`` (the working directory) when it
    lies under it, else absolute; always with ``/``.

    >>> path_locator(Path("/data/in/a.txt"), Path("/data"))
    'in/a.txt'
    >>> path_locator(Path("/elsewhere/a.txt"), Path("/data"))
    '/elsewhere/a.txt'
    """
    where = Path(os.path.abspath(base or Path.cwd()))
    absolute = Path(os.path.abspath(path if path.is_absolute() else where / path))
    try:
        return absolute.relative_to(where).as_posix()
    except ValueError:
        return absolute.as_posix()


def under(path: str, root: str) -> bool:
    """True when the path locator ``path`` is ``root`` or lies in the folder ``root``.

    >>> under("seeds/a.txt", "seeds"), under("seeds2/a.txt", "seeds"), under("a.txt", ".")
    (True, False, True)
    """
    if root == ".":
        return not path.startswith("/")
    return path == root or path.startswith(root.rstrip("/") + "/")


def locator(article: Article) -> str | None:
    """The name of "this article" across edits: its normalised URL, else its input file (and
    line, in a JSONL file); None for an article that came with neither."""
    if article.url:
        return normalise_url(article.url)
    if article.path:
        return f"{article.path}:{article.line}" if article.line is not None else article.path
    return None


def source_id(article: Article) -> str:
    """The stable 16-hex id of a source: from its normalised URL when given, else from its
    normalised text.

    >>> source_id(Article(text="Hello  world", origin="x")) == source_id(
    ...     Article(text="Hello world", origin="y"))
    True
    >>> source_id(Article("A", "a", url="https://x.org/n?utm_source=feed")) == source_id(
    ...     Article("B", "b", url="https://X.org/n/"))
    True
    """
    basis = normalise_url(article.url) if article.url else normalise_text(article.text)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def content_hash(article: Article) -> str:
    """The SHA-256 (hex) of "this version": the normalised text and the metadata the input
    gives (normalised URL, title, publisher, date).

    >>> content_hash(Article("Hello  world", "a")) == content_hash(Article("Hello world", "b"))
    True
    >>> content_hash(Article("Hello", "a", title="One")) == content_hash(Article("Hello", "a"))
    False
    """
    published = article.published.isoformat() if article.published else None
    url = normalise_url(article.url) if article.url else None
    fields = [normalise_text(article.text), url, article.title, article.publisher]
    basis = json.dumps([*fields, published], ensure_ascii=False)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Unit:
    """One source of an ingest: the article to extract, and every locator and input file it
    was found under in this run (the same text in two files is one source)."""

    article: Article
    source_id: str
    content: str
    locators: tuple[str, ...]
    paths: tuple[str, ...]


@dataclass
class Grouped:
    """The sources of a run, the notes on articles found twice, and the articles refused."""

    units: list[Unit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: list[SourceError] = field(default_factory=list)


def group(articles: Iterable[Article]) -> Grouped:
    """The articles of one run as sources, in input order.

    The same article found twice (one text under two file names, or one URL in two files
    with the same text) is one source, noted. An article that claims the locator of an
    earlier one with another text (two texts with one URL), or the text of an earlier one
    with other metadata, is refused: neither is silently merged into the other. So is an
    article too long to extract, before it is hashed.
    """
    from kg.sources import SourceError, length_error  # the reader imports this module

    out = Grouped()
    by_id: dict[str, int] = {}
    first: dict[str, Article] = {}
    for article in articles:
        too_long = length_error(article)
        if too_long is not None:
            out.refused.append(too_long)
            continue
        sid, content, where = source_id(article), content_hash(article), locator(article)
        index = by_id.get(sid)
        if index is None:
            by_id[sid] = len(out.units)
            first[sid] = article
            out.units.append(
                Unit(article, sid, content, _one(where), _one(article.path)),
            )
            continue
        unit, earlier = out.units[index], first[sid]
        if unit.content != content:
            out.refused.append(SourceError(article.origin, _conflict(article, earlier)))
            continue
        if article.origin != earlier.origin:
            out.notes.append(
                f"{article.origin}: same article as {earlier.origin}; stored once as one source"
            )
        out.units[index] = Unit(
            unit.article,
            sid,
            content,
            _merged(unit.locators, where),
            _merged(unit.paths, article.path),
        )
    return out


def _one(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def _merged(values: tuple[str, ...], value: str | None) -> tuple[str, ...]:
    return values if not value or value in values else (*values, value)


def _conflict(article: Article, earlier: Article) -> str:
    """Why an article that shares its source with an earlier one of the run is refused."""
    if article.url:
        return (
            f"gives the URL {normalise_url(article.url)} of {earlier.origin} with another text; "
            "not stored (two texts under one URL are not merged): give it its own URL, or "
            "ingest it alone to replace the stored version"
        )
    return (
        f"has the text of {earlier.origin} with another title, publisher or date; not stored "
        "(one text is one source): make the two files agree"
    )
