"""Checks of the IRIs, URLs and paths that commands and settings take, so that a bad value is
refused in one line naming it before any work starts (never an "unexpected error" later).

Each check returns the value when it is good and raises :class:`ArgumentError`, whose message
says what is wrong with it, when it is not; the caller names the option.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pyoxigraph import NamedNode

_URL_SCHEMES = ("http://", "https://")


class ArgumentError(ValueError):
    """A value that cannot be what its option asks for; the message says why, in a few words."""


def check_iri(value: str) -> str:
    """An absolute IRI, as the store reads one.

    >>> check_iri("https://w3id.org/pledgekg/id/source/0123456789abcdef")
    'https://w3id.org/pledgekg/id/source/0123456789abcdef'
    >>> check_iri("not-an-iri")
    Traceback (most recent call last):
    kg.arguments.ArgumentError: not an absolute IRI (No scheme found in an absolute IRI)
    """
    if problem := _iri_problem(value):
        raise ArgumentError(f"not an absolute IRI ({problem})")
    return value


def _iri_problem(value: str) -> str | None:
    """Why the store would not take ``value`` as an IRI, or None when it would."""
    try:
        NamedNode(value)
    except ValueError as exc:
        return str(exc)
    return None


def check_http_url(value: str) -> str:
    """An http(s) URL with a host, as the address of a server.

    >>> check_http_url("http://127.0.0.1:8000/")
    'http://127.0.0.1:8000/'
    >>> check_http_url("http://[bad")
    Traceback (most recent call last):
    kg.arguments.ArgumentError: not a URL (Invalid IPv6 URL)
    >>> check_http_url("localhost:8000")
    Traceback (most recent call last):
    kg.arguments.ArgumentError: not an http(s) URL
    """
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it checks it
    except ValueError as exc:
        raise ArgumentError(f"not a URL ({exc})") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise ArgumentError("not an http(s) URL")
    if not parts.hostname:
        raise ArgumentError("the URL names no host")
    if problem := _iri_problem(value):
        raise ArgumentError(f"not a URL ({problem})")
    return value


def is_url(value: str) -> bool:
    """Whether ``value`` is meant as an http(s) URL rather than a path (by the rule the store
    settings and source names follow: it starts with ``http://`` or ``https://``).

    >>> is_url("https://example.org"), is_url("data/store")
    (True, False)
    """
    return value.startswith(_URL_SCHEMES)


def check_store_location(value: str) -> str:
    """A store: the http(s) URL of a SPARQL server, or a folder (which need not exist yet).

    >>> check_store_location("data/store")
    'data/store'
    >>> check_store_location("http://")
    Traceback (most recent call last):
    kg.arguments.ArgumentError: the URL names no host
    """
    if not value.strip():
        raise ArgumentError("empty; name a folder or an http(s) URL")
    if is_url(value):
        return check_http_url(value)
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise ArgumentError("a file, not a store's folder")
    return value


def check_output_file(path: Path) -> Path:
    """A file to write: not a folder, and in a folder that exists.

    >>> check_output_file(Path("/nonexistent/graph.ttl"))
    Traceback (most recent call last):
    kg.arguments.ArgumentError: no folder /nonexistent to write it in
    """
    if path.is_dir():
        raise ArgumentError("a folder, not a file")
    if not path.parent.is_dir():
        raise ArgumentError(f"no folder {path.parent} to write it in")
    return path


def check_folder(path: Path) -> Path:
    """A folder to write into: one that exists, or one that can be made where no file is.

    >>> check_folder(Path("/dev/null/nquads"))
    Traceback (most recent call last):
    kg.arguments.ArgumentError: /dev/null is a file, not a folder
    """
    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                raise ArgumentError(f"{place} is a file, not a folder")
            break
    return path


def check_scheduler(value: str) -> str:
    """A dask scheduler: ``tcp://HOST:PORT`` (or another scheme dask knows) or a scheduler
    JSON file.

    >>> check_scheduler("tcp://127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    >>> check_scheduler("tcp://127.0.0.1")
    Traceback (most recent call last):
    kg.arguments.ArgumentError: not SCHEME://HOST:PORT (the port is missing)
    """
    if "://" not in value:
        if not Path(value).is_file():
            raise ArgumentError("neither SCHEME://HOST:PORT nor an existing scheduler file")
        return value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise ArgumentError(f"not SCHEME://HOST:PORT ({exc})") from None
    if not parts.hostname:
        raise ArgumentError("not SCHEME://HOST:PORT (the host is missing)")
    if port is None:
        raise ArgumentError("not SCHEME://HOST:PORT (the port is missing)")
    return value


def check_source(value: str) -> str:
    """A name of a stored source: an IRI under the sources' namespace must be well formed; a
    URL, an id, a file or a folder is compared with what is stored as it is (an article's URL
    is kept as its input gives it, so any spelling may name one).

    >>> check_source("seeds/a.txt")
    'seeds/a.txt'
    >>> check_source("https://w3id.org/pledgekg/id/source/a b")
    Traceback (most recent call last):
    kg.arguments.ArgumentError: not an absolute IRI (Invalid IRI code point ' ')
    """
    from kg.rdf import SOURCE_PREFIX

    return check_iri(value) if value.startswith(SOURCE_PREFIX) else value


def check_input_file(path: Path) -> Path:
    """A file to read that exists.

    >>> check_input_file(Path("/nonexistent.json"))
    Traceback (most recent call last):
    kg.arguments.ArgumentError: no such file
    """
    if path.is_dir():
        raise ArgumentError("a folder, not a file")
    if not path.is_file():
        raise ArgumentError("no such file")
    return path
