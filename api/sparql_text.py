"""Reading SPARQL text before it is run: refusing operations that reach other hosts (SERVICE,
LOAD), finding a query's FROM clauses, and applying the protocol's ``using-graph-uri``.

A plain scan for the word ``SERVICE`` is not enough: where ``<`` starts an IRI and where it is
"less than" depends on the grammar, and ``FILTER(1<2)SERVICE ex:s#>`` followed by a new line
and a group runs a real SERVICE call while a lexer that reads ``<2)SERVICE ex:s#>`` as an IRI
sees none. So the check parses the text with a real SPARQL grammar whenever the word occurs
anywhere, and refuses what it cannot parse.

>>> outbound_operation("SELECT * WHERE { ?s ?p 'SERVICE <x>' }", update=False) is None
True
>>> outbound_operation("SELECT * { SERVICE <http://h/> { ?s ?p ?o } }", update=False)
'SERVICE'
>>> dataset_clauses("PREFIX e: <http://e/> SELECT * FROM e:a FROM NAMED <http://e/b> {}", None)
(['http://e/a'], ['http://e/b'])
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)

_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)
  | (?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\^\^|<<|>>|\{{\||\|\}}|&&|\|\||!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_RDFLIB_LOCK = threading.Lock()


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (a group name of the pattern), text and offset."""

    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str:
        """The upper-cased word for keywords, '' for anything else."""
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of SPARQL text (no white space or comments).

    >>> [t.text for t in tokens("SELECT ?x # SERVICE\\n{ ?x ex:p 'a b' }")]
    ['SELECT', '?x', '{', '?x', 'ex:p', "'a b'", '}']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        yield Token(kind, match.group(), match.start())


MAX_NESTING = 64


def nesting_depth(text: str) -> int:
    """How deep groups, brackets and parentheses nest in SPARQL text (strings, IRIs and
    comments do not count). The query engine's parser recurses once per level, and very deep
    nesting overflows its stack or takes it minutes, so the server refuses it up front.

    >>> nesting_depth("SELECT * { ?s ?p [ ?q (1 2) ] FILTER((1 < 2)) }")
    3
    >>> nesting_depth("ASK { FILTER(!!!true) }")
    5
    """
    depth = deepest = run = 0
    for token in tokens(text):
        if token.kind != "punct":
            run = 0
            continue
        if token.text in ("!", "-", "+"):
            run += 1  # "!!!!true": each unary operator is a level of the parser too
            deepest = max(deepest, depth + run)
            continue
        run = 0
        if token.text in ("{", "(", "["):
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in ("}", ")", "]"):
            depth = max(0, depth - 1)
    return deepest


def check_nesting(text: str) -> None:
    """ValueError, saying how deep, when the text nests deeper than ``MAX_NESTING``.

    >>> check_nesting("ASK {" * 70 + "}" * 70)
    Traceback (most recent call last):
    ValueError: the text nests 70 levels deep; at most 64 are accepted
    """
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise ValueError(f"the text nests {depth} levels deep; at most {MAX_NESTING} are accepted")


class OutboundCheckError(ValueError):
    """The text mentions an outbound operation in a way the grammar check could not parse."""


def _walk(node: Any, names: set[str], depth: int = 0) -> str | None:
    """The first parse-tree node whose name is in ``names``."""
    if depth > 500:
        return None
    name = getattr(node, "name", None)
    if isinstance(name, str) and name in names:
        return name
    if isinstance(node, dict):
        for value in node.values():
            found = _walk(value, names, depth + 1)
            if found:
                return found
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            found = _walk(value, names, depth + 1)
            if found:
                return found
    return None


def _parse_tree(text: str, update: bool) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _RDFLIB_LOCK:  # the grammar's parse cache is shared between threads
        return parseUpdate(text) if update else parseQuery(text)


def outbound_operation(text: str, *, update: bool) -> str | None:
    """``'SERVICE'`` or ``'LOAD'`` when running ``text`` would make the server send requests to
    other hosts, None when it would not; :class:`OutboundCheckError` when the text mentions one
    of them but cannot be parsed to tell.

    >>> outbound_operation('LOAD <http://h/data.ttl>', update=True)
    'LOAD'
    >>> outbound_operation("INSERT DATA { <a:x> <a:p> 'download' }", update=True) is None
    True
    """
    words = {"SERVICE": "ServiceGraphPattern"}
    if update:
        words["LOAD"] = "Load"
    unescaped = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text).upper()
    mentioned = [word for word in words if word in text.upper() or word in unescaped]
    if not mentioned:
        return None
    try:
        tree = _parse_tree(text, update)
    except Exception:  # noqa: BLE001 - any parser failure means "cannot tell"
        bare = {t.keyword for t in tokens(text)} & set(mentioned)
        if bare:
            return sorted(bare)[0]
        raise OutboundCheckError(
            f"the text mentions {' and '.join(mentioned)} and could not be checked for "
            f"{' or '.join(mentioned)} operations, which this server refuses"
        ) from None
    found = _walk(tree, {words[word] for word in mentioned})
    return next((word for word, node in words.items() if node == found), None)


def has_relative_iri(text: str) -> bool:
    """True when an IRI in the text needs a base IRI to be resolved.

    >>> has_relative_iri("INSERT DATA { <http://s> <http://p> <test> }")
    True
    >>> has_relative_iri("ASK { <http://s> ?p ?o }")
    False
    """
    return any(t.kind == "iri" and not _SCHEME.match(t.text[1:-1]) for t in tokens(text))


def _prologue_prefixes(toks: list[Token]) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base: str | None = None
    for index, token in enumerate(toks):
        if token.keyword == "PREFIX" and index + 2 < len(toks):
            name, iri = toks[index + 1], toks[index + 2]
            if name.kind == "pname" and iri.kind == "iri":
                prefixes[name.text[:-1]] = iri.text[1:-1]
        elif token.keyword == "BASE" and index + 1 < len(toks) and toks[index + 1].kind == "iri":
            base = toks[index + 1].text[1:-1]
    return prefixes, base


def dataset_clauses(text: str, base: str | None) -> tuple[list[str], list[str]] | None:
    """The IRIs of a query's ``FROM`` and ``FROM NAMED`` clauses, or None when it has none.

    Prefixed names are expanded and relative IRIs resolved against the query's BASE, else
    ``base``.

    >>> dataset_clauses("SELECT * WHERE { ?s ?p ?o }", None) is None
    True
    >>> dataset_clauses("BASE <http://e/> ASK FROM <g> {}", None)
    (['http://e/g'], [])
    """
    toks: list[Token] = []
    for token in tokens(text):
        if token.text == "{":
            break
        toks.append(token)
    if not any(t.keyword == "FROM" for t in toks):
        return None
    prefixes, declared_base = _prologue_prefixes(toks)
    resolve_base = declared_base or base
    default: list[str] = []
    named: list[str] = []
    index = 0
    while index < len(toks):
        if toks[index].keyword != "FROM":
            index += 1
            continue
        index += 1
        target = default
        if index < len(toks) and toks[index].keyword == "NAMED":
            target = named
            index += 1
        if index >= len(toks):
            break
        term = toks[index]
        if term.kind == "iri":
            iri = term.text[1:-1]
            target.append(urljoin(resolve_base, iri) if resolve_base else iri)
        elif term.kind == "pname":
            prefix, _, local = term.text.partition(":")
            if prefix in prefixes:
                target.append(prefixes[prefix] + re.sub(r"\\(.)", r"\1", local))
        index += 1
    return default, named


class DatasetConflictError(ValueError):
    """Protocol ``using-graph-uri`` parameters given for an update that has USING or WITH."""


def apply_using(text: str, default: list[str], named: list[str]) -> str:
    """Rewrite an update so each of its DELETE/INSERT ... WHERE operations reads the protocol's
    dataset: ``USING <g>`` / ``USING NAMED <g>`` before every top-level ``WHERE``.

    ``DELETE WHERE { P }`` becomes ``DELETE { P } USING ... WHERE { P }``, its equivalent.
    IRIs must already be valid (callers check them).

    >>> apply_using("INSERT { ?s a ?t } WHERE { ?s a ?t }", ["http://g"], [])
    'INSERT { ?s a ?t } USING <http://g> WHERE { ?s a ?t }'
    >>> apply_using("DELETE WHERE { ?s ?p ?o }", [], ["http://n"])
    'DELETE { ?s ?p ?o } USING NAMED <http://n> WHERE { ?s ?p ?o }'
    """
    if not default and not named:
        return text
    clause = " ".join([*(f"USING <{g}>" for g in default), *(f"USING NAMED <{g}>" for g in named)])
    toks = list(tokens(text))
    depth = 0
    edits: list[tuple[int, int, str]] = []
    for index, token in enumerate(toks):
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.keyword in ("USING", "WITH"):
            raise DatasetConflictError(
                "using-graph-uri / using-named-graph-uri cannot be combined with an update "
                "that has its own USING or WITH clause"
            )
        elif depth == 0 and token.keyword == "WHERE":
            previous = toks[index - 1] if index else None
            if previous is not None and previous.keyword == "DELETE":
                end = _group_end(toks, index + 1)
                if end is None:
                    continue
                body = text[toks[index + 1].start : end]
                edits.append((token.start, token.start, f"{body} {clause} "))
            else:
                edits.append((token.start, token.start, f"{clause} "))
    for start, end, insert in reversed(edits):
        text = text[:start] + insert + text[end:]
    return text


def _group_end(toks: list[Token], open_index: int) -> int | None:
    """Offset just past the ``}`` closing the ``{`` at ``open_index``."""
    if open_index >= len(toks) or toks[open_index].text != "{":
        return None
    depth = 0
    for token in toks[open_index:]:
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth == 0:
                return token.start + 1
    return None
