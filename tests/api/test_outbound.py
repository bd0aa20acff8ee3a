"""The SERVICE / LOAD check against the engine itself: every text that makes pyoxigraph open a
connection (to a loopback listener that records it) must be caught, whatever escapes, case,
comments or missing spaces it uses; texts that only mention the words in strings, comments,
IRIs and names must pass."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import QueryBoolean, QuerySolutions, Store

from api.outbound import decode_escapes, keyword_in_code, outbound_operation
from tests.net import Listener
from tests.outbound_tricks import HARMLESS, TRICKS, UPDATE_TRICKS, fill_tricks


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def engine_connects(listener: Listener, text: str, *, update: bool = False) -> bool:
    """Run ``text`` on an empty in-memory store and tell whether it opened a connection."""
    before = listener.count
    store = Store()
    try:
        if update:
            store.update(text)
        else:
            result = store.query(text)
            if isinstance(result, QuerySolutions):
                list(result)
            elif isinstance(result, QueryBoolean):
                bool(result)
            else:
                list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return listener.count > before


def target(listener: Listener) -> str:
    return listener.url


def fill(template: str, listener: Listener) -> str:
    return fill_tricks(template, target(listener))


@pytest.mark.parametrize("template", TRICKS)
def test_every_trick_that_reaches_the_listener_is_caught(template: str, listener: Listener) -> None:
    text = fill(template, listener)
    assert outbound_operation(text, update=False) == "SERVICE", text
    assert outbound_operation(text, update=True) == "SERVICE", text


def test_the_tricks_really_connect(listener: Listener) -> None:
    """The table above is not made of texts the engine refuses anyway: most of them do reach
    the listener when run (the check would be pointless otherwise)."""
    connecting = [t for t in TRICKS if engine_connects(listener, fill(t, listener))]
    assert len(connecting) >= len(TRICKS) - 2, set(TRICKS) - set(connecting)


@pytest.mark.parametrize("template", UPDATE_TRICKS)
def test_load_tricks_are_caught(template: str, listener: Listener) -> None:
    text = fill(template, listener)
    assert outbound_operation(text, update=True) in ("LOAD", "SERVICE"), text


def test_the_load_tricks_really_connect(listener: Listener) -> None:
    connecting = [
        t for t in UPDATE_TRICKS if engine_connects(listener, fill(t, listener), update=True)
    ]
    assert len(connecting) >= len(UPDATE_TRICKS) - 2, set(UPDATE_TRICKS) - set(connecting)


@pytest.mark.parametrize("template", HARMLESS)
def test_the_words_in_strings_comments_and_names_pass(template: str, listener: Listener) -> None:
    text = fill(template, listener)
    assert outbound_operation(text, update=False) is None, text
    assert not engine_connects(listener, text)


def test_escapes_are_decoded_only_inside_strings_and_iris() -> None:
    """Pins the engine's reading the check relies on: an escaped keyword is no keyword, an
    escaped quote does not end a string, and escapes in IRIs are decoded."""
    store = Store()
    with pytest.raises(SyntaxError):
        store.query("SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> {} }")
    result = store.query('SELECT ("a\\u0022b" AS ?x) ("\\u00000041" AS ?y) (<x:\\u0041> AS ?z) {}')
    assert isinstance(result, QuerySolutions)
    row = next(iter(result))
    assert [row["x"].value, row["y"].value, row["z"].value] == ['a"b', "\x000041", "x:A"]


def test_the_decoded_reading_is_checked_too() -> None:
    assert decode_escapes("\\u0053ERVICE") == "SERVICE"
    assert keyword_in_code(decode_escapes("SELECT * { \\u0053ERVICE <x:y> {} }"), "service")
    assert outbound_operation("SELECT * { \\u0053ERVICE <x:y> {} }", update=False) == "SERVICE"


def test_a_text_no_reading_gets_through_is_refused_when_the_word_follows() -> None:
    assert keyword_in_code("ASK { FILTER(1 < <x:a b>) } SERVICE", "service")
    assert not keyword_in_code('ASK { "unterminated }', "service")


BEFORE = [
    "",
    "?s ?p 1",
    "?s ?p true",
    '?s ?p "x"',
    "?s ?p ?o .",
    "[] ?p ?o",
    "FILTER(1<2)",
    "FILTER(?a<?b)",
    "BIND(1 AS ?v)",
    "OPTIONAL{}",
    'BIND("\\u00000022" AS ?a)',
    "BIND('\\U00000027' AS ?a)",
    "?s <x:\\u0022> ?o",
    "?s ?p '''a'''",
    "{}",
]
SEPARATORS = ["", " ", "\n", "\t", "#c\n", "# SERVICE\n"]
KEYWORDS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "\\u0053ERVICE", "SERVIC\\u0045"]
TARGETS = ["<{U}>", ":x", "e:x", "e:\\~x", "<{U}\\u0078>", "<{U}\\U0000006a>", "?v", "e"]
NOISE = ["", "'", '"', "\\u0022", "<", ">", "(", ")", "#", "\\", ".", "e:", "?"]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.sampled_from(BEFORE),
    noise=st.lists(st.sampled_from(NOISE), max_size=3),
    first=st.sampled_from(SEPARATORS),
    keyword=st.sampled_from(KEYWORDS),
    second=st.sampled_from(SEPARATORS),
    service=st.sampled_from(TARGETS),
    after=st.sampled_from(["{}", "{ ?s ?p ?o }", "{}}", "{} FILTER(1<2) }"]),
)
def test_no_spelling_of_a_service_call_connects_unseen(
    before: str,
    noise: list[str],
    first: str,
    keyword: str,
    second: str,
    service: str,
    after: str,
    listener: Listener,
) -> None:
    """Soundness: whenever the engine connects to the listener, the check said SERVICE."""
    body = before + "".join(noise) + first + keyword + second + service + second + after
    text = fill("PREFIX e: <{U}> PREFIX : <{U}> SELECT * {{ ", listener)
    text += body.replace("{U}", target(listener))
    for closing in ("", " }"):
        if engine_connects(listener, text + closing):
            assert outbound_operation(text + closing, update=False) == "SERVICE", text
