"""Finding SERVICE and LOAD in SPARQL text the way the query engine reads it, so that a server
with outbound requests off never makes one.

How pyoxigraph 0.5 reads the text (pinned by ``tests/api/test_outbound.py`` against the
engine itself):

- ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes (hex digits in any case) are decoded only inside
  string literals and IRIs, never in keywords, prefixed names or comments; an escaped quote
  does not end a string.
- Keywords match case-insensitively and need no boundary after them: ``SERVICE:x {}``,
  ``SERVICEe:x {}`` and ``1SERVICE<http://h/>{}`` all call the service. What ends a token
  before a keyword is a digit, ``true``, a quote, a bracket, a dot or white space.
- Whether ``<`` opens an IRI or is "less than" depends on the grammar: inside parentheses,
  after an operand, it may be either (``FILTER(1<2)SERVICE e:x#>``).

The check does not guess between readings. It follows every reading a lexer can make of the
text at once (a small non-deterministic automaton: code, IRI, four kinds of string, comment),
in one pass, and reports the keyword when *any* reading has it in code at a place where a token
can start. Inside a variable name (``?service``), the local part of a prefixed name
(``schema:serviceType``) or a blank node label, the engine's longest-match rules keep it a
name. Text that mentions the word anywhere else is refused: a query that two readings see
differently is refused rather than argued about.

The same check also runs on the text with every escape decoded first, as the SPARQL
specification says a parser may do, so a later engine that decodes escapes early cannot turn
an escaped keyword into a real one.

>>> outbound_operation("SELECT * WHERE { ?s ?p 'SERVICE <x>' }", update=False) is None
True
>>> outbound_operation("SELECT * { SERVICE <http://h/> { ?s ?p ?o } }", update=False)
'SERVICE'
>>> outbound_operation("ASK { FILTER(1<2)SERVICE <http://h/> {} }", update=False)
'SERVICE'
"""

from __future__ import annotations

import re

from kg.sparql_text import PN_CHARS, VAR_CHARS

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What an IRI may hold besides UCHAR escapes (IRIREF in the SPARQL grammar).
_IRI_CHAR = re.compile(r'[^<>"{}|^`\\\x00-\x20]')
_HEX = re.compile(r"[0-9A-Fa-f]")
_NAME_CHAR = re.compile(f"[{PN_CHARS}:]")
_VAR_CHAR = re.compile(f"[{VAR_CHARS}]")
# Characters after which "<" cannot be "less than": no operand ends with them.
_NOT_OPERAND_END = frozenset("(,=!<&|+-*/^{};.[")
MAX_DEPTH = 1000

# Modes of the automaton: code, an IRI, strings ('...', "...", '''...''', """..."""), a comment,
# and the character after a backslash in code (a prefixed name's escape).
CODE, ESC, IRI, COMMENT = "code", "esc", "iri", "comment"
SHORT = {"'": "s1", '"': "s2"}
LONG = {"'": "l1", '"': "l2"}
QUOTE = {"s1": "'", "s2": '"', "l1": "'", "l2": '"'}
State = tuple[str, int, int, bool]
"""(mode, counter, parenthesis depth, whether the last code character ended an operand). The
counter is what a mode still has to read: hex digits of an IRI escape (negative: the letter
after the backslash), opening quotes of a long string (negative), a string escape (1), or
closing quotes seen in a long string (2, 3)."""


def decode_escapes(text: str) -> str:
    """The text with every ``\\uXXXX`` / ``\\UXXXXXXXX`` escape decoded (those that name no
    character stay as they are).

    >>> decode_escapes(r"S\\u0045RVIC\\U00000045 \\uD800")
    'SERVICE \\\\uD800'
    """

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group(0)
        return chr(code)

    return _ESCAPE.sub(char, text)


def _code(c: str, text: str, i: int, depth: int, operand: bool) -> list[State]:
    if c == "\\":
        return [(ESC, 0, depth, True)]
    if c == "#":
        return [(COMMENT, 0, depth, operand)]
    if c == "<":
        if text[i + 1 : i + 2] == "<":  # "<<" opens a triple term (or is "<" before an IRI)
            return [(CODE, 0, depth, False)]
        states = [(IRI, 0, depth, operand)]
        if depth > 0 and operand:  # after an operand inside parentheses: maybe "less than"
            states.append((CODE, 0, depth, False))
        return states
    if c in SHORT:
        states = [(SHORT[c], 0, depth, operand)]
        if text[i + 1 : i + 3] == c * 2:
            states.append((LONG[c], -2, depth, operand))
        return states
    if c == "(":
        return [(CODE, 0, min(depth + 1, MAX_DEPTH), False)]
    if c == ")":
        return [(CODE, 0, max(depth - 1, 0), True)]
    if c.isspace():
        return [(CODE, 0, depth, operand)]
    return [(CODE, 0, depth, c not in _NOT_OPERAND_END)]


def _iri(c: str, text: str, i: int, state: State) -> list[State]:
    mode, count, depth, operand = state
    if count == -1:  # the letter after a backslash
        return [(IRI, 4 if c == "u" else 8, depth, operand)]
    if count > 0:
        return [(IRI, count - 1, depth, operand)] if _HEX.match(c) else []
    if c == ">":
        return [(CODE, 0, depth, True)]
    if c == "\\":
        return [(IRI, -1, depth, operand)] if text[i + 1 : i + 2] in ("u", "U") else []
    return [state] if _IRI_CHAR.match(c) else []


def _string(c: str, state: State) -> list[State]:
    mode, count, depth, operand = state
    quote = QUOTE[mode]
    if count == 1:  # escaped: any character
        return [(mode, 0, depth, operand)]
    if count < 0:  # the rest of a long string's opening quotes
        return [(mode, count + 1, depth, operand)] if c == quote else []
    if c == "\\":
        return [(mode, 1, depth, operand)]
    if mode in SHORT.values():
        if c == quote:
            return [(CODE, 0, depth, True)]
        return [] if c in "\r\n" else [state]  # a raw line break ends no short string
    if c != quote:
        return [(mode, 0, depth, operand)]
    if count == 3:  # the third quote in a row closes a long string
        return [(CODE, 0, depth, True)]
    return [(mode, max(count, 1) + 1, depth, operand)]


def _step(state: State, text: str, i: int) -> list[State]:
    """The states after reading ``text[i]`` in ``state``."""
    mode, _, depth, operand = state
    c = text[i]
    if mode == CODE:
        return _code(c, text, i, depth, operand)
    if mode == ESC:
        return [(CODE, 0, depth, True)]
    if mode == COMMENT:
        return [(CODE, 0, depth, operand)] if c in "\r\n" else [state]
    if mode == IRI:
        return _iri(c, text, i, state)
    return _string(c, state)


class _Names:
    """Tracks, in one pass, whether a position continues a variable name, a language tag's
    first part or the local part of a prefixed name (or blank node label): there the engine
    reads on to the name's end."""

    def __init__(self) -> None:
        self.begin = 0
        self.colon = False
        self.var = False
        self.tag = False

    def glued(self, i: int) -> bool:
        return self.var or self.tag or (self.colon and i > self.begin)

    def read(self, text: str, i: int) -> None:
        c = text[i]
        if _NAME_CHAR.match(c):
            self.colon = self.colon or c == ":"
            self.var = self.var and bool(_VAR_CHAR.match(c))
            self.tag = self.tag and c.isascii() and c.isalpha()
            return
        self.begin, self.colon, self.var, self.tag = i + 1, False, c in "?$", c == "@"


def keyword_in_code(text: str, word: str) -> bool:
    """True when some reading of ``text`` has ``word`` (a keyword, any case) in code where a
    token can start, or when no reading gets past some point before it.

    >>> keyword_in_code("ASK { ?s ?p 'service' } # service", "service")
    False
    >>> keyword_in_code("PREFIX e: <http://h/> ASK { SERVICEe:x {} }", "service")
    True
    """
    starts = sorted(m.start() for m in re.finditer(re.escape(word), text, re.IGNORECASE))
    if not starts:
        return False
    wanted = set(starts)
    names = _Names()
    states: set[State] = {(CODE, 0, 0, False)}
    for i in range(len(text)):
        if i in wanted and not names.glued(i) and any(s[0] == CODE for s in states):
            return True
        following: set[State] = set()
        for state in states:
            following.update(_step(state, text, i))
        if not following:  # no reading gets past here: refuse if the word comes later
            return starts[-1] > i
        states = following
        names.read(text, i)
    return False


def outbound_operation(text: str, *, update: bool) -> str | None:
    """``'SERVICE'`` or ``'LOAD'`` when running ``text`` could make the server send requests to
    other hosts, else None.

    >>> outbound_operation('LOAD <http://h/data.ttl>', update=True)
    'LOAD'
    >>> outbound_operation("INSERT DATA { <a:x> <a:p> 'download' }", update=True) is None
    True
    """
    words = ["SERVICE", "LOAD"] if update else ["SERVICE"]
    readings = [text]
    decoded = decode_escapes(text)
    if decoded != text:
        readings.append(decoded)
    for word in words:
        if any(keyword_in_code(reading, word) for reading in readings):
            return word
    return None
