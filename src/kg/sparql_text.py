"""Reading SPARQL text before it is run: a bound on its structure (nesting and chains of
operators, which the engine's parser and planner handle by recursion), finding a query's FROM
clauses, and applying the protocol's ``using-graph-uri``. SERVICE and LOAD are found by
``api.outbound``.

Every reading here takes time linear in the text: the token pattern never scans ahead and then
gives up on a long stretch (``ASK {} a.a.a.a...`` is one name, not a retry at every dot).

>>> [t.text for t in tokens("SELECT ?x # SERVICE\\n{ ?x ex:p 'a b' }")]
['SELECT', '?x', '{', '?x', 'ex:p', "'a b'", '}']
>>> dataset_clauses("PREFIX e: <http://e/> SELECT * FROM e:a FROM NAMED <http://e/b> {}", None)
(['http://e/a'], ['http://e/b'])
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
PN_CHARS_U = PN_CHARS_BASE + "_"
PN_CHARS = PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
VAR_CHARS = PN_CHARS_U + r"0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
# A name is a prefixed name, a blank node label, a keyword or a number: one pattern that reads
# to the end of the name (never ending on a dot, which then ends a triple).
_NAME = f"(?:[{PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{PN_CHARS}.:]|{_PLX})*(?:[{PN_CHARS}:]|{_PLX}))?"

_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][{VAR_CHARS}]+)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<name>_:(?:[{PN_CHARS_U}0-9](?:[{PN_CHARS}.]*[{PN_CHARS}])?)?|{_NAME})
  | (?P<punct>\^\^|<<|>>|\{{\||\|\}}|&&|\|\||!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_NUMBER = re.compile(r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (``iri``, ``string``, ``var``, ``langtag``, ``pname``,
    ``bnode``, ``number``, ``word``, ``punct``), text and offset."""

    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str:
        """The upper-cased word for keywords, '' for anything else."""
        return self.text.upper() if self.kind == "word" else ""


def _name_kind(text: str) -> str:
    if text.startswith("_:"):
        return "bnode"
    if ":" in text:
        return "pname"
    if _NUMBER.fullmatch(text):
        return "number"
    return "word" if _WORD.fullmatch(text) else "name"


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of SPARQL text (no white space or comments).

    >>> [(t.kind, t.text) for t in tokens("?s a:b 1.5 . _:x")]
    [('var', '?s'), ('pname', 'a:b'), ('number', '1.5'), ('punct', '.'), ('bnode', '_:x')]
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        if kind == "name":
            kind = _name_kind(match.group())
        yield Token(kind, match.group(), match.start())


MAX_NESTING = 64
MAX_ELEMENTS = 1000
_OPENING, _CLOSING = frozenset("{(["), frozenset("})]")
# Each of these adds a level to the engine's parse or plan: operators of a chain, triples of a
# group, and the elements of a group pattern.
_CHAIN_PUNCT = frozenset(
    ["||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^", "!", ".", ";"]
)
_CHAIN_WORDS = frozenset(
    ["UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES", "IN", "NOT"]
)


def structure(text: str) -> tuple[int, int]:
    """How deep groups, brackets and parentheses nest (unary operators count as levels too),
    and how many operators and group elements the text holds; strings, IRIs and comments do
    not count.

    >>> structure("SELECT ?s { ?s ?p [ ?q (1 2) ] FILTER((1 < 2)) }")
    (3, 2)
    >>> structure("ASK { FILTER(!!!true) }")
    (5, 4)
    """
    depth = deepest = run = elements = 0
    for token in tokens(text):
        if token.kind == "word" and token.keyword in _CHAIN_WORDS:
            elements += 1
        if token.kind != "punct":
            run = 0
            continue
        if token.text in _CHAIN_PUNCT:
            elements += 1
        if token.text in ("!", "-", "+"):
            run += 1  # "!!!!true": each unary operator is a level of the parser too
            deepest = max(deepest, depth + run)
            continue
        run = 0
        if token.text in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in _CLOSING:
            depth = max(0, depth - 1)
    return deepest, elements


def check_structure(text: str) -> None:
    """ValueError, saying what is too large, when the text nests deeper than
    ``MAX_NESTING`` or holds more than ``MAX_ELEMENTS`` operators and group elements. The
    engine's parser and planner recurse once per level or element, and past a few thousand
    the process runs out of stack; long before that, planning takes minutes.

    >>> check_structure("ASK {" * 70 + "}" * 70)
    Traceback (most recent call last):
    ValueError: the text nests 70 levels deep; at most 64 are accepted
    >>> check_structure("ASK { FILTER(" + " || ".join(["true"] * 1001) + ") }")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: the text holds 1001 operators and group elements (...); at most 1000 are accepted
    """
    depth, elements = structure(text)
    if depth > MAX_NESTING:
        raise ValueError(f"the text nests {depth} levels deep; at most {MAX_NESTING} are accepted")
    if elements > MAX_ELEMENTS:
        raise ValueError(
            f"the text holds {elements} operators and group elements (||, &&, +, UNION, "
            f"OPTIONAL, FILTER, /, |, ...); at most {MAX_ELEMENTS} are accepted"
        )


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


class UndeclaredPrefixError(ValueError):
    """A prefixed name whose prefix the text does not declare and the server does not know."""


def complete_prefixes(text: str, known: Mapping[str, str]) -> tuple[str, int]:
    """The text with a ``PREFIX`` line added before it for each prefix of ``known`` that it
    uses without declaring, and how many lines were added. Declared prefixes are never
    touched; an undeclared prefix that ``known`` lacks is an :class:`UndeclaredPrefixError`
    naming it.

    >>> complete_prefixes("SELECT * { ?s a kg:Pledge }", {"kg": "http://k#"})
    ('PREFIX kg: <http://k#>\\nSELECT * { ?s a kg:Pledge }', 1)
    >>> complete_prefixes("PREFIX kg: <http://o#> ASK { ?s a kg:P }", {"kg": "http://k#"})[1]
    0
    >>> complete_prefixes("ASK { ?s a foo:P }", {"kg": "http://k#"})
    Traceback (most recent call last):
    kg.sparql_text.UndeclaredPrefixError: the prefix foo: is used but not declared; add a \
line PREFIX foo: <...> (the prefixes this server adds by itself are kg:)
    """
    declared: set[str] = set()
    used: list[str] = []
    previous: Token | None = None
    for token in tokens(text):
        if token.kind == "pname":
            prefix = token.text.partition(":")[0]
            if previous is not None and previous.keyword == "PREFIX":
                declared.add(prefix)
            elif prefix not in used:
                used.append(prefix)
        previous = token
    missing = [prefix for prefix in used if prefix not in declared]
    unknown = [prefix for prefix in missing if prefix not in known]
    if unknown:
        names = ", ".join(f"{p}:" for p in known)
        raise UndeclaredPrefixError(
            f"the prefix {unknown[0]}: is used but not declared; add a line "
            f"PREFIX {unknown[0]}: <...> (the prefixes this server adds by itself are {names})"
        )
    lines = "".join(f"PREFIX {prefix}: <{known[prefix]}>\n" for prefix in missing)
    return lines + text, len(missing)


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
