"""Spellings of SERVICE and LOAD that pyoxigraph 0.5 runs (escapes, case, comments, missing
spaces, keywords glued to the next token, escapes inside IRIs and prefixed names, the
``\\u00000022`` trick), and texts that only mention the words: shared by the check's own
tests and the tests against a real server.

A template's ``{U}`` is the URL of a listener, ``{P}`` declares the prefixes ``e:`` and ``:`` as
that URL.
"""

from __future__ import annotations


def fill_tricks(template: str, url: str) -> str:
    return template.format(U=url, P=f"PREFIX e: <{url}> PREFIX : <{url}>")


TRICKS = [
    "SELECT * {{ SERVICE <{U}> {{}} }}",
    "SELECT * {{ SeRvIcE <{U}> {{}} }}",
    "SELECT * {{ SERVICE<{U}>{{}} }}",
    "SELECT * {{ service silent <{U}> {{}} }}",
    "{P} SELECT * {{ SERVICE:x {{}} }}",
    "{P} SELECT * {{ SERVICEe:x {{}} }}",
    "PREFIX r: <{U}#>\nSELECT * {{ SERVICE r: {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p 1SERVICE <{U}> {{}} }}",
    "SELECT * {{ ?s ?p trueSERVICE <{U}> {{}} }}",
    'SELECT * {{ ?s ?p "x"SERVICE <{U}> {{}} }}',
    "SELECT * {{ ?s ?p ?o .SERVICE <{U}> {{}} }}",
    "SELECT * {{ ?s ?p []SERVICE <{U}> {{}} }}",
    "SELECT * {{ FILTER(1<2)SERVICE<{U}>{{}} }}",
    "{P} SELECT * {{ FILTER(1<2)SERVICE e:x#>\n{{}} }}",
    "SELECT * {{ SERVICE#c\n<{U}> {{}} }}",
    "SELECT * {{ SERVICE\t<{U}> {{}} }}",
    'SELECT * {{ BIND("\\u00000022" AS ?a) SERVICE <{U}> {{}} BIND("x" AS ?b) }}',
    'SELECT * {{ BIND("\\U00000022" AS ?a) SERVICE <{U}> {{}} BIND("x" AS ?b) }}',
    "SELECT * {{ BIND('\\u0027' AS ?a) SERVICE <{U}> {{}} }}",
    "SELECT * {{ SERVICE <{U}\\u0078> {{}} }}",
    "SELECT * {{ SERVICE <{U}\\U0000006A> {{}} }}",
    "SELECT * {{ SERVICE <{U}\\u006a\\u006A> {{}} }}",
    "PREFIX e: <{U}\\u0078/> SELECT * {{ SERVICE e:y {{}} }}",
    "{P} SELECT * {{ SERVICE e:\\~x {{}} }}",
    "{P} SELECT * {{ SERVICE e:%41x {{}} }}",
    "BASE <{U}> SELECT * {{ SERVICE <x> {{}} }}",
    "SELECT * {{ {{ SELECT * {{ SERVICE <{U}> {{}} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{U}> {{}} }} }}",
    "SELECT * {{ OPTIONAL{{}}SERVICE<{U}>{{}} }}",
    "SELECT * {{ BIND(1 AS ?x)SERVICE<{U}>{{}} }}",
    'SELECT * {{ ?s ?p """a""" SERVICE <{U}> {{}} }}',
    "SELECT * {{ ?s ?p '''a''''' SERVICE <{U}> {{}} }}",
]
UPDATE_TRICKS = [
    "LOAD <{U}>",
    "lOaD silent <{U}>",
    "LOAD<{U}>",
    "{P} LOAD:x",
    "{P} LOADe:x",
    "LOAD <{U}\\u0078>",
    "LOAD <{U}\\U0000006A> INTO GRAPH <http://g/>",
    'INSERT DATA {{ <a:s> <a:p> "\\u00000022" }} ; LOAD <{U}>',
    "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{U}> {{ ?s ?p ?o }} }}",
    "CLEAR ALL ; LOAD <{U}>#",
]
HARMLESS = [
    "SELECT * WHERE {{ ?s ?p 'SERVICE <{U}> {{ }}' }}",
    'SELECT * WHERE {{ ?s ?p """\nSERVICE <{U}> {{}} """ }}',
    "SELECT * WHERE {{ ?s <http://h/SERVICE> ?o }} # SERVICE <{U}> {{}}",
    "SELECT ?service WHERE {{ ?service ?p ?o }}",
    "SELECT ?serviceType WHERE {{ ?x <https://schema.org/serviceType> ?serviceType }}",
    "PREFIX schema: <https://schema.org/> SELECT * {{ ?x schema:serviceType ?t }}",
    'SELECT * {{ ?s ?p ?o FILTER(CONTAINS(?o, "military service")) }}',
    "SELECT * {{ ?s ?p ?o FILTER(?p = <https://schema.org/serviceType>) }}",
    "SELECT * {{ ?s ?p _:service }}",
    'SELECT * {{ ?s ?p "x"@service }}',
]
