"""The analysts' page in a real headless Chromium: it loads, runs a query and shows rows.

Chromium is driven over the DevTools protocol (its ``--remote-debugging-port`` websocket), so
the page's scripts really run against a live server: the vendored editor posts the query to
``/sparql`` and draws the results, and the country view fetches ``/countries/{code}``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib

from api.routes.page import STATIC_DIR, VIEWS, load_examples, parse_example
from tests.browser import RESULT_ROWS, DevTools, assert_stayed_home, browser, tab

__all__ = ["browser", "tab"]  # fixtures, used by name

# The run button of the tab on show (the editor keeps the other tabs' editors, hidden).
RUN_VISIBLE_TAB = (
    "[...document.querySelectorAll('.yasqe_queryButton')].find(b => b.offsetParent).click()"
)


@pytest.fixture()
def live_server_url(server: Any) -> str:
    """The base URL of the shared read-only test server (``server`` in ``conftest.py``)."""
    return str(server.url)


def test_examples_are_listed_with_titles(live_server_url: str) -> None:
    """`/queries` lists every shipped `.rq` file with its title, description and text."""
    response = httpx.get(f"{live_server_url}/queries", timeout=30)
    assert response.status_code == 200
    listed = {item["name"]: item for item in response.json()}
    shipped = {q.name: q for q in load_examples()}
    assert listed.keys() == shipped.keys()
    assert "pledge-evidence" in listed
    for name, item in listed.items():
        assert item["title"] and item["title"] != name
        assert item["description"]
        assert item["query"] == shipped[name].query


def test_page_and_vendored_editor_are_served(live_server_url: str) -> None:
    """`/` is the page; the editor's files come from this server, with their licence."""
    page = httpx.get(f"{live_server_url}/", timeout=30)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "static/vendor/yasgui/yasgui.min.js" in page.text
    for name in ("yasgui.min.js", "yasgui.min.css", "LICENSE", "THIRD-PARTY-LICENSES.txt"):
        assert (STATIC_DIR / "vendor" / "yasgui" / name).is_file()
        asset = httpx.get(f"{live_server_url}/static/vendor/yasgui/{name}", timeout=30)
        assert asset.status_code == 200, name


def test_no_queries_folder_means_no_examples(tmp_path: Path) -> None:
    """An ontology folder without `queries/` gives an empty list, not an error."""
    assert load_examples(tmp_path) == []


def test_parse_example_reads_only_the_leading_comments() -> None:
    """A `# title:` inside the query body is not taken for the file's title."""
    text = "# description: Said first.\n# title: Real\n\nSELECT * {\n# title: Not this\n}"
    example = parse_example("x", text)
    assert (example.title, example.description) == ("Real", "Said first.")


@pytest.mark.slow
def test_browser_runs_an_example_query(tab: DevTools, live_server_url: str, tmp_path: Path) -> None:
    """Load the page with an example, press run, and see result rows."""
    tab.goto(f"{live_server_url}/?example=pledge-evidence")
    tab.wait_for("!!document.querySelector('.yasqe_queryButton')")
    tab.wait_for("document.body.dataset.status === 'ready'")
    tab.evaluate(RUN_VISIBLE_TAB)
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    rows = tab.wait_for(f"{RESULT_ROWS}.length")
    assert rows > 0
    assert int(tab.evaluate("document.body.dataset.resultRows")) > 0
    # The examples are offered in the side list and the query went to this server's /sparql.
    titles = tab.evaluate(
        "[...document.querySelectorAll('.example-title')].map(e => e.textContent)"
    )
    assert "Evidence and sources for each pledge" in titles
    assert any(url.startswith(f"{live_server_url}/sparql") for url in tab.requested_urls())
    # Cells hold the quoted evidence, not just IRIs.
    table_text = tab.evaluate(
        "[...document.querySelectorAll('.yasr table.dataTable')].find(t => t.offsetParent)"
        ".innerText"
    )
    assert "evidence" in table_text
    tab.screenshot(tmp_path / "query.png")
    assert not tab.exceptions() and not tab.policy_violations()
    assert_stayed_home(tab, live_server_url)


@pytest.mark.slow
def test_browser_shows_a_countrys_pledges(
    tab: DevTools, live_server_url: str, tmp_path: Path
) -> None:
    """The country view shows Spain's pledges with evidence and a link to the source."""
    tab.goto(f"{live_server_url}/?country=Spain")
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    rows = tab.evaluate("document.querySelectorAll('table.pledges tbody tr').length")
    assert rows > 0
    assert tab.evaluate("document.querySelectorAll('table.pledges blockquote').length") > 0
    links = tab.evaluate(
        "[...document.querySelectorAll('table.pledges td.source a')].map(a => a.href)"
    )
    assert links and all(link.startswith(("http://", "https://")) for link in links)
    # Every source links to the page of its facts on this server, never to a download.
    pages = tab.evaluate(
        "[...document.querySelectorAll('table.pledges td.source a.source-link')].map(a => a.href)"
    )
    assert pages and all(link.startswith(f"{live_server_url}/?source=") for link in pages)
    for link in sorted(set(pages))[:3]:
        answer = httpx.get(link, timeout=30)
        assert answer.status_code == 200, link
        assert answer.headers["content-type"].startswith("text/html")
        assert "content-disposition" not in answer.headers
    assert "Sánchez" in tab.evaluate("document.getElementById('country-result').innerText")
    tab.screenshot(tmp_path / "country.png")
    assert not tab.exceptions()
    assert_stayed_home(tab, live_server_url)

    # Following the link opens the article's own page, with every fact and its evidence.
    tab.evaluate("window.__leaving = true")
    tab.evaluate("document.querySelector('table.pledges td.source a.source-link').click()")
    tab.wait_for("!window.__leaving && document.readyState === 'complete'")
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    assert tab.evaluate("location.search").startswith("?source=")
    _assert_readable_source_page(tab)
    tab.screenshot(tmp_path / "source.png")
    assert not tab.exceptions() and not tab.policy_violations()


def _assert_readable_source_page(tab: DevTools) -> None:
    """The article's page: its name, locator and date, its pledges with their evidence."""
    fields = tab.evaluate(
        "Object.fromEntries([...document.querySelectorAll('.source-fields dt')]"
        ".map(dt => [dt.textContent, dt.nextElementSibling.textContent]))"
    )
    assert fields["Locator"].startswith("seeds/"), fields
    assert fields["Title"] and fields["Date"], fields
    assert tab.evaluate("document.querySelector('.source-title').textContent").strip()
    assert tab.evaluate("document.querySelectorAll('table.pledges tbody tr').length") > 0
    assert tab.evaluate("document.querySelectorAll('table.pledges blockquote').length") > 0


@pytest.mark.slow
def test_browser_lists_every_source_with_title_locator_and_date(
    tab: DevTools, live_server_url: str, tmp_path: Path
) -> None:
    """The sources view names each article, says where it was found and when it is from (or
    that it gives no date), and links to its page."""
    tab.goto(f"{live_server_url}/?view=sources")
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    rows = tab.evaluate(
        "[...document.querySelectorAll('table.sources tbody tr')]"
        ".map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert len(rows) == len(httpx.get(f"{live_server_url}/sources", timeout=30).json()["data"])
    for title, locator, date, _publisher, facts in rows:
        assert title and locator.startswith("seeds/") and "pledges" in facts, rows
        assert re.match(r"\d{4}-\d{2}-\d{2}", date) or date == "no date given", rows
    assert any(row[2] == "no date given" for row in rows)
    assert any("(from its text)" in row[2] for row in rows)
    links = tab.evaluate(
        "[...document.querySelectorAll('table.sources td.title a')].map(a => a.href)"
    )
    assert len(links) == len(rows)
    assert all(link.startswith(f"{live_server_url}/?source=") for link in links)
    busiest = max(range(len(rows)), key=lambda i: int(rows[i][4].split()[0]))
    tab.goto(links[busiest])
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    _assert_readable_source_page(tab)
    tab.screenshot(tmp_path / "sources.png")
    assert not tab.exceptions() and not tab.policy_violations()
    assert_stayed_home(tab, live_server_url)


@pytest.mark.slow
def test_browser_reports_an_unknown_country(tab: DevTools, live_server_url: str) -> None:
    """An unknown country shows the server's message instead of an empty table."""
    tab.goto(f"{live_server_url}/?country=Atlantis")
    tab.wait_for("document.body.dataset.status === 'error'", timeout=60)
    message = tab.evaluate("document.getElementById('country-status').textContent")
    assert message.strip()
    assert not tab.evaluate("document.querySelectorAll('table.pledges').length")
    assert not tab.exceptions()


def test_examples_name_views_the_page_has() -> None:
    """Each example with a `# view:` line names one of the page's views, and the four
    examples that show a view off open in it."""
    views = {q.name: q.view for q in load_examples()}
    assert {name: views[name] for name in VIEW_EXAMPLES} == {
        name: view for name, (view, _) in VIEW_EXAMPLES.items()
    }
    assert all(view in VIEWS for view in views.values() if view)
    for view in VIEWS[2:]:
        assert (STATIC_DIR / "views" / f"{view}.js").is_file(), view


# Each example, the view it opens in, and the SVG it draws there.
VIEW_EXAMPLES = {
    "meetings-per-month": ("barchart", "svg.kg-barchart"),
    "country-timeline": ("timeline", "svg.kg-timeline"),
    "stance-by-state": ("map", "svg.kg-map"),
    "meeting-graph": ("graph", "svg.kg-graph"),
}


def _select(url: str, query: str) -> list[dict[str, dict[str, str]]]:
    answer = httpx.post(
        f"{url}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    rows: list[dict[str, dict[str, str]]] = answer.json()["results"]["bindings"]
    return rows


def _on_the_map() -> set[str]:
    """The ISO alpha-2 codes of the states the vendored 1:110m shapes draw."""
    atlas = json.loads((STATIC_DIR / "vendor/world-atlas/countries-110m.json").read_text())
    codes = json.loads((STATIC_DIR / "views/iso-numeric.json").read_text())
    shapes = atlas["objects"]["countries"]["geometries"]
    return {codes[shape["id"]] for shape in shapes if shape.get("id") in codes}


def _expected_marks(url: str, name: str) -> tuple[str, int]:
    """What the view of an example must draw, counted from the server's own answer."""
    query = next(q.query for q in load_examples() if q.name == name)
    if name == "meeting-graph":
        answer = httpx.post(
            f"{url}/sparql", data={"query": query}, headers={"Accept": "text/turtle"}, timeout=60
        )
        graph = rdflib.Graph().parse(data=answer.text, format="turtle")
        links = {(s, p, o) for s, p, o in graph if not isinstance(o, rdflib.Literal)}
        nodes = {s for s, _, _ in graph} | {o for _, _, o in links}
        return f"{len(nodes)} nodes {len(links)} edges", len(nodes)
    rows = _select(url, query)
    if name == "meetings-per-month":
        bars = sum(1 for row in rows for column in ("meetings", "participants") if column in row)
        return f"{bars} bars", bars
    if name == "country-timeline":
        return f"{len(rows)} events", len(rows)
    states = {row["iso"]["value"] for row in rows if "iso" in row} & _on_the_map()
    return f"{len(states)} states", len(states)


MARKS = {
    "meeting-graph": "svg.kg-graph .kg-graph-node",
    "meetings-per-month": "svg.kg-barchart rect.kg-bar[data-value]",
    "country-timeline": "svg.kg-timeline circle.kg-event",
    "stance-by-state": "svg.kg-map path.kg-map-state",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(VIEW_EXAMPLES))
def test_browser_draws_each_example_in_its_view(
    tab: DevTools, live_server_url: str, tmp_path: Path, name: str
) -> None:
    """An example opens in its view; run, it draws one mark per bar, event, state or node."""
    view, svg = VIEW_EXAMPLES[name]
    described, expected = _expected_marks(live_server_url, name)
    assert expected > 0, name
    tab.goto(f"{live_server_url}/?example={name}")
    tab.wait_for("document.body.dataset.status === 'ready'")
    tab.wait_for(f"!!document.querySelector('.yasr .select_{view}.selected')")
    tab.evaluate(RUN_VISIBLE_TAB)
    tab.wait_for(f"!!document.querySelector('.yasr {svg}')", timeout=60)
    drawn = tab.evaluate(f"document.querySelectorAll('.yasr {MARKS[name]}').length")
    assert drawn == expected, f"{name}: drew {drawn}, expected {described}"
    if name == "meeting-graph":
        edges = tab.evaluate("document.querySelectorAll('.yasr .kg-graph-edge').length")
        assert f"{drawn} nodes {edges} edges" == described
    # Marks of resources (a pledge, a state) link to their pages on this server.
    links = tab.evaluate(
        f"[...document.querySelectorAll('.yasr {svg} a')].map(a => a.href.baseVal)"
    )
    assert all(link.startswith(f"{live_server_url}/id/") for link in links), links
    assert len(links) == (0 if view == "barchart" else drawn), links
    tab.screenshot(tmp_path / f"{view}.png")
    assert not tab.exceptions() and not tab.policy_violations()
    assert_stayed_home(tab, live_server_url)


@pytest.mark.slow
def test_browser_opens_a_resource_page_from_a_result(
    tab: DevTools, live_server_url: str, tmp_path: Path
) -> None:
    """A result IRI links to its page on this server; clicking it opens the page."""
    tab.goto(f"{live_server_url}/?example=pledge-evidence")
    tab.wait_for("document.body.dataset.status === 'ready'")
    tab.evaluate(RUN_VISIBLE_TAB)
    tab.wait_for(f"{RESULT_ROWS}.length", timeout=60)
    hrefs = tab.evaluate(
        "[...document.querySelectorAll('.yasr table.dataTable a')].map(a => a.href)"
    )
    assert hrefs and not [h for h in hrefs if h.startswith("https://w3id.org/pledgekg/id/")]
    tab.evaluate("window.__leaving = true")
    tab.evaluate("document.querySelector('.yasr table.dataTable a[href*=\"/id/pledge/\"]').click()")
    tab.wait_for("!window.__leaving && document.readyState === 'complete'")
    assert tab.evaluate("location.pathname").startswith("/id/pledge/")
    assert tab.evaluate("document.querySelector('.resource-label').textContent").strip()
    assert tab.evaluate("document.querySelectorAll('.quotes blockquote').length") > 0
    # From there, on to the state that made the pledge, and back to the page.
    tab.evaluate("window.__leaving = true")
    tab.evaluate("document.querySelector('a.resource-link[href*=\"/id/state/\"]').click()")
    tab.wait_for("!window.__leaving && document.readyState === 'complete'")
    assert tab.evaluate("location.pathname").startswith("/id/state/")
    assert tab.evaluate("document.querySelectorAll('table.incoming tbody tr').length") > 0
    tab.screenshot(tmp_path / "resource.png")
    assert not tab.exceptions() and not tab.policy_violations()
    assert_stayed_home(tab, live_server_url)


@pytest.mark.slow
def test_browser_views_draw_hostile_values_as_text(tab: DevTools, live_server_url: str) -> None:
    """Markup in a result value is drawn as text by every view, never run."""
    hostile = "<img src=x onerror=window.__pwned=1>"
    query = (
        'SELECT ?label ?n ?iso ?when WHERE { VALUES (?label ?n ?iso ?when) { ("'
        + hostile
        + '" 3 "FR" "2026-01-02") ("b" 1 "ES" "2026-02-03") } }'
    )
    tab.goto(f"{live_server_url}/")
    tab.wait_for("document.body.dataset.status === 'ready'")
    visible = "[...document.querySelectorAll('.tabPanel')].find(p => p.offsetParent)"
    tab.evaluate(f"{visible}.querySelector('.CodeMirror').CodeMirror.setValue({json.dumps(query)})")
    tab.evaluate(RUN_VISIBLE_TAB)
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    for view, svg in (("barchart", "kg-barchart"), ("timeline", "kg-timeline"), ("map", "kg-map")):
        tab.evaluate(f"{visible}.querySelector('.select_{view}').click()")
        tab.wait_for(f"!!{visible}.querySelector('svg.{svg}')", timeout=30)
        text = tab.evaluate(f"{visible}.querySelector('svg.{svg}').textContent")
        assert hostile in text, view
        assert not tab.evaluate(f"{visible}.querySelectorAll('.yasr_results img').length")
    assert tab.evaluate("window.__pwned") is None
    assert not tab.exceptions()
