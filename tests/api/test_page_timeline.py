"""The country view's stance timeline in a real headless Chromium against a live server: one
dot per (type, day, stance) of ``stance_timeline``, coloured by its stance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import DevTools, assert_stayed_home, browser, tab

__all__ = ["browser", "tab"]  # fixtures, used by name


@pytest.mark.slow
def test_the_country_view_draws_each_types_stance_over_time(
    tab: DevTools, server: Any, tmp_path: Path
) -> None:
    expected = httpx.get(f"{server.url}/countries/FR", timeout=30).json()["stance_timeline"]
    assert len({r["date"] for r in expected}) >= 2  # reports on more than one day
    tab.goto(f"{server.url}/?country=France")
    tab.wait_for("document.body.dataset.status === 'results'", timeout=60)
    dots = tab.evaluate(
        "[...document.querySelectorAll('svg.stance-timeline circle.timeline-dot')]"
        ".map(c => [c.dataset.date, c.dataset.stance, c.getAttribute('class'),"
        " Number(c.getAttribute('cx'))])"
    )
    assert sorted((d, s) for d, s, _, _ in dots) == sorted(
        (r["date"], r["stance"]) for r in expected
    )
    for _, stance, css, _ in dots:
        assert f"timeline-{stance.lower()}" in css.split()
    # Later days are drawn further right.
    by_day = sorted({(d, x) for d, _, _, x in dots})
    assert [x for _, x in by_day] == sorted(x for _, x in by_day)
    assert by_day[0][1] < by_day[-1][1]
    rows = tab.evaluate("document.querySelectorAll('svg.stance-timeline .timeline-type').length")
    assert rows == len({r["type"] for r in expected})
    tab.screenshot(tmp_path / "timeline.png")
    assert not tab.exceptions() and not tab.policy_violations()
    assert_stayed_home(tab, server.url)
