"""The HTML page of one resource (``/id/…``): its label and types, the quotes that state it,
its facts, and what points at it, every resource a link to its own page on this server.

Every text and attribute from the graph is escaped; only ``http(s)`` IRIs become links, and
``kgr:`` IRIs link here, never to ``w3id.org``.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode

from api.queries.sparql import Term
from api.resource_view import EVIDENCE, TYPE, ResourceView
from kg.prefixes import PREFIXES
from kg.vocab import KGR, kg, local_id

FORMATS = (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("ntriples", "N-Triples"))
MAX_QUOTES = 3
"""Most quotes shown for each resource that points here (a meeting has one per report)."""
INCOMING_ORDER = {
    kg(local).value: index
    for index, local in enumerate(
        ["pledgedBy", "announcedBy", "represents", "participant", "hostState", "madeAt"]
    )
}
VOCABULARIES = tuple(iri for iri in PREFIXES.values() if not iri.startswith(KGR))


def local_href(iri: str, root: str) -> str | None:
    """The link on this server for an IRI: ``{root}id/…`` for a ``kgr:`` IRI, the IRI itself
    for another http(s) IRI, None for anything else.

    >>> local_href("https://w3id.org/pledgekg/id/state/ES", "../../")
    '../../id/state/ES'
    >>> local_href("javascript:alert(1)", "") is None
    True
    """
    if iri.startswith(KGR):
        return f"{root}id/{quote(iri[len(KGR) :], safe='/-._~')}"
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def _link(view: ResourceView, iri: str, root: str, css: str = "") -> str:
    text = escape(view.label_of(iri))
    href = local_href(iri, root)
    if href is None or iri.startswith(VOCABULARIES):
        # Terms of the ontology and the vocabularies it uses have no page here.
        return f'<span title="{escape(iri)}">{text}</span>'
    extra = "" if iri.startswith(KGR) else ' rel="noopener noreferrer"'
    klass = f' class="{css}"' if css else ""
    return f'<a href="{escape(href)}"{klass}{extra} title="{escape(iri)}">{text}</a>'


def _value(view: ResourceView, term: Term, root: str) -> str:
    if isinstance(term, NamedNode):
        return _link(view, term.value, root, "resource-link")
    if isinstance(term, Literal):
        return f"<span>{escape(term.value)}</span>"
    if isinstance(term, BlankNode):
        return f"<span>_:{escape(term.value)}</span>"
    return f"<span>{escape(str(term))}</span>"


def _quotes(quotes: list[str]) -> str:
    return "".join(f"<blockquote>{escape(q)}</blockquote>" for q in quotes)


def _facts(view: ResourceView, root: str) -> str:
    rows = []
    for predicate in sorted(view.facts, key=lambda p: view.label_of(p).lower()):
        if predicate in (EVIDENCE, TYPE):
            continue
        cells = "".join(f"<li>{_value(view, t, root)}</li>" for t in view.facts[predicate])
        rows.append(
            f'<tr><th scope="row">{_link(view, predicate, root)}</th>'
            f'<td><ul class="cell-list">{cells}</ul></td></tr>'
        )
    if not rows:
        return '<p class="empty">No facts of its own.</p>'
    return f'<div class="table-wrap"><table class="facts">{"".join(rows)}</table></div>'


def _quotes_cell(quotes: list[str]) -> str:
    shown = _quotes(quotes[:MAX_QUOTES])
    more = len(quotes) - MAX_QUOTES
    return shown + (f'<p class="meta">and {more} more on its page</p>' if more > 0 else "")


def _incoming(view: ResourceView, root: str) -> str:
    """What points here, one table per property, the most telling first (pledges, leaders,
    meetings; the sources that mention it last)."""
    if not view.incoming:
        return '<p class="empty">Nothing in the graph points here.</p>'
    groups: dict[str, list[str]] = {}
    for subject, predicate in view.incoming:
        groups.setdefault(predicate, []).append(subject)
    ordered = sorted(groups, key=lambda p: (INCOMING_ORDER.get(p, len(INCOMING_ORDER)), p))
    parts = []
    for predicate in ordered:
        rows = []
        for subject in groups[predicate]:
            types = view.described.get(subject, {}).get(TYPE, [])
            kinds = ", ".join(view.label_of(t.value) for t in types if isinstance(t, NamedNode))
            rows.append(
                f"<tr><td>{_link(view, subject, root, 'resource-link')}"
                f'<span class="meta"> {escape(kinds)}</span></td>'
                f'<td class="evidence">{_quotes_cell(view.quotes_of(subject))}</td></tr>'
            )
        parts.append(
            f"<h4>{escape(view.label_of(predicate))} · {len(rows)}</h4>"
            '<div class="table-wrap"><table class="incoming"><thead><tr><th scope="col">'
            'Resource</th><th scope="col">Evidence</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
    if view.incoming_cut:
        parts.append(f'<p class="meta">The first {len(view.incoming)} are listed.</p>')
    return "".join(parts)


def _page_views(iri: str, root: str) -> str:
    """A link to the analysts' page's own view of a state or a source, where it has one."""
    for kind, parameter, text in (
        ("state", "country", "country view"),
        ("source", "source", "source view"),
    ):
        ident = local_id(iri, kind)
        if ident is not None:
            href = f"{root}?{parameter}={quote(ident, safe='')}"
            return f' · <a href="{escape(href)}" class="page-view">{text}</a>'
    return ""


def resource_page(view: ResourceView, root: str) -> str:
    """The whole HTML document; ``root`` is the relative path from the page to ``/``."""
    types = [t.value for t in view.facts.get(TYPE, []) if isinstance(t, NamedNode)]
    kinds = ", ".join(_link(view, t, root) for t in types) or "resource"
    formats = " ".join(
        f'<a href="?format={name}" class="format-link">{title}</a>' for name, title in FORMATS
    )
    views = _page_views(view.iri, root)
    quotes = (
        f'<section><h3>Quotes</h3><div class="quotes">{_quotes(view.quotes)}</div></section>'
        if view.quotes
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(view.label)} · pledgekg</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="{escape(root)}static/page.css">
</head>
<body class="resource-page" data-status="results">
  <header class="site-header">
    <div class="brand"><h1><a href="{escape(root)}">pledgekg</a></h1></div>
    <nav class="links" aria-label="This resource as RDF">{formats}</nav>
  </header>
  <main class="resource">
    <h2 class="resource-label">{escape(view.label)}</h2>
    <p class="meta resource-kind">{kinds} · <code>{escape(view.iri)}</code>{views}</p>
    {quotes}
    <section><h3>Facts</h3>{_facts(view, root)}</section>
    <section><h3>Linked from</h3>{_incoming(view, root)}</section>
  </main>
</body>
</html>
"""
