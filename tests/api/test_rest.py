"""``/leaders``, ``/meetings``, ``/pledges``, ``/sources``: documents, filters, paging, and
parameters that try to inject SPARQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest


def pages(client: httpx.Client, path: str, size: int, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = client.get(path, params={**params, "limit": size, "offset": offset}).json()
        items.extend(page["data"])
        offset += size
        if offset >= page["total"]:
            return items


@pytest.mark.parametrize("path", ["/leaders", "/meetings", "/pledges", "/sources"])
def test_lists_page_in_a_stable_order(client: httpx.Client, path: str) -> None:
    whole = client.get(path, params={"limit": 1000}).json()
    assert whole["total"] == len(whole["data"]) > 0
    again = client.get(path, params={"limit": 1000}).json()
    assert again == whole
    assert [i["iri"] for i in pages(client, path, 4)] == [i["iri"] for i in whole["data"]]


def test_leaders(client: httpx.Client) -> None:
    leaders = client.get("/leaders", params={"limit": 1000}).json()["data"]
    names = [leader["name"] for leader in leaders]
    assert names == sorted(names, key=str.casefold)
    spanish = client.get("/leaders", params={"country": "Spain"}).json()["data"]
    assert "Pedro Sánchez" in [leader["name"] for leader in spanish]
    assert all(any(r["id"] == "ES" for r in leader["represents"]) for leader in spanish)
    detail = client.get("/leaders/pedro-sanchez").json()
    assert detail["leader"]["name"] == "Pedro Sánchez"
    assert detail["sources"]
    assert client.get("/leaders/nobody-at-all").status_code == 404
    assert client.get("/leaders/Not_A_Slug").status_code == 422


def test_meetings(client: httpx.Client) -> None:
    meetings = client.get("/meetings", params={"limit": 1000}).json()["data"]
    dates = [m["date"] for m in meetings if m["date"]]
    assert dates == sorted(dates, reverse=True)
    assert all(m["date"] for m in meetings[: len(dates)])
    first = meetings[0]
    assert first["id"] and first["participants"] and first["sources"]
    detail = client.get(f"/meetings/{first['id']}").json()
    assert detail["meeting"] == first
    assert client.get("/meetings/2099-01-01-nowhere").status_code == 404


def test_pledges_filters(client: httpx.Client) -> None:
    everything = pages(client, "/pledges", 50)
    assert everything
    committed = pages(client, "/pledges", 50, stance="committed")
    assert committed and all(p["stance"] == "Committed" for p in committed)
    assert {p["iri"] for p in committed} == {
        p["iri"] for p in everything if p["stance"] == "Committed"
    }
    troops = pages(client, "/pledges", 50, type="GroundTroops")
    assert troops and all("GroundTroops" in p["types"] for p in troops)
    spain = pages(client, "/pledges", 50, country="esp")
    assert spain and all(p["actor"]["id"] == "ES" for p in spain)
    spain_document = client.get("/countries/ES").json()
    assert {p["iri"] for p in spain} == {p["iri"] for p in spain_document["pledges"]}
    both = pages(client, "/pledges", 50, country="ES", stance="Considering")
    assert {p["iri"] for p in both} == {p["iri"] for p in spain if p["stance"] == "Considering"}


def test_one_pledge_by_its_id(client: httpx.Client) -> None:
    listed = pages(client, "/pledges", 50)
    for item in (listed[0], listed[-1]):
        response = client.get(f"/pledges/{item['id']}")
        assert response.status_code == 200
        pledge = response.json()
        assert pledge == item
        assert pledge["evidence"] and pledge["sources"] and pledge["actor"]["kind"] == "state"
        assert pledge["stance"] and pledge["types"]
        assert 0 < pledge["confidence"] <= 1
        assert pledge["date_precision"] in (("day", "reported") if pledge["date"] else (None,))
    missing = client.get("/pledges/0000000000000000")
    assert missing.status_code == 404
    assert "0000000000000000" in missing.json()["detail"]
    # a leader's id names no pledge
    assert client.get("/pledges/pedro-sanchez").status_code == 404
    assert client.get("/pledges/not a pledge").status_code == 422


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        (
            "type",
            ["ground-troops", "ground troops", "GROUND_TROOPS", "groundtroops", "kg:GroundTroops"],
        ),
        ("stance", ["COMMITTED", " committed ", "Committed"]),
    ],
)
def test_enumerations_are_read_as_people_type_them(
    client: httpx.Client, name: str, spellings: list[str]
) -> None:
    canonical = {"type": "GroundTroops", "stance": "Committed"}[name]
    expected = {p["iri"] for p in pages(client, "/pledges", 50, **{name: canonical})}
    assert expected
    for spelling in spellings:
        response = client.get("/pledges", params={name: spelling, "limit": 1000})
        assert response.status_code == 200, spelling
        assert {p["iri"] for p in response.json()["data"]} == expected, spelling


def test_an_unknown_enumeration_value_lists_the_valid_ones(client: httpx.Client) -> None:
    response = client.get("/pledges", params={"type": "Cavalry"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "type"]
    for valid in ("GroundTroops", "AirPower", "UnspecifiedMilitary"):
        assert f"'{valid}'" in error["msg"]
    stance = client.get("/pledges", params={"stance": "maybe"}).json()["detail"][0]["msg"]
    assert all(f"'{s}'" in stance for s in ("Committed", "Considering", "Declined"))


def test_an_unknown_leader_suggests_close_matches(client: httpx.Client) -> None:
    misspelt = client.get("/leaders/pedro-sanches")
    assert misspelt.status_code == 404
    assert "close matches: pedro-sanchez (Pedro Sánchez)" in misspelt.json()["detail"]
    surname = client.get("/leaders/sanchez").json()["detail"]
    assert "pedro-sanchez (Pedro Sánchez)" in surname
    nobody = client.get("/leaders/nobody-at-all").json()["detail"]
    assert "close matches" not in nobody and "/leaders" in nobody


def _when(pledge: dict[str, Any]) -> dt.date | None:
    if pledge["date"]:
        return dt.date.fromisoformat(pledge["date"])
    assert not pledge["stated_date"] and not pledge["reported_on"]
    dates = [dt.date.fromisoformat(s["date"]) for s in pledge["sources"] if s["date"]]
    return max(dates) if dates else None


def test_pledges_dates(client: httpx.Client) -> None:
    everything = pages(client, "/pledges", 50)
    whens = [_when(p) for p in everything]
    dated = [w for w in whens if w]
    assert dated, "the seed graph should date some pledge"
    assert dated == sorted(dated, reverse=True)
    assert all(w is not None for w in whens[: len(dated)])
    pivot = dated[len(dated) // 2]
    since = pages(client, "/pledges", 50, since=pivot.isoformat())
    assert {p["iri"] for p in since} == {
        p["iri"] for p, w in zip(everything, whens, strict=True) if w and w >= pivot
    }
    until = pages(client, "/pledges", 50, until=pivot.isoformat())
    assert {p["iri"] for p in until} == {
        p["iri"] for p, w in zip(everything, whens, strict=True) if w and w <= pivot
    }
    reversed_range = {"since": "2026-01-02", "until": "2026-01-01"}
    assert client.get("/pledges", params=reversed_range).status_code == 400
    assert client.get("/pledges", params={"since": "yesterday"}).status_code == 422


@pytest.mark.parametrize(
    "params",
    [{"stance": "maybe"}, {"type": "Cavalry"}, {"limit": 0}, {"offset": -5}],
)
def test_pledges_bad_parameters(client: httpx.Client, params: dict[str, Any]) -> None:
    assert client.get("/pledges", params=params).status_code == 422


def test_sources(client: httpx.Client) -> None:
    sources = client.get("/sources").json()["data"]
    assert sources
    source = max(sources, key=lambda s: s["pledges"])
    detail = client.get(f"/sources/{source['id']}").json()
    assert detail["source"] == source
    assert len(detail["pledges"]) == source["pledges"]
    assert len(detail["leaders"]) == source["leaders"]
    assert len(detail["meetings"]) == source["meetings"]
    assert detail["mentions"]
    assert client.get("/sources/0000000000000000").status_code == 404


def test_every_source_has_a_title_a_locator_and_a_date_or_says_it_has_none(
    client: httpx.Client, seeds_dir: Path
) -> None:
    sources = client.get("/sources").json()["data"]
    names = {p.name for p in seeds_dir.glob("*.txt")}
    assert len(sources) == len(names)
    for source in sources:
        assert source["label"], source
        assert source["locator"].rsplit("/", 1)[-1] in names, source
        assert (source["date"] is None) == (source["date_source"] is None), source
        assert source["ingested_at"] and source["extractor_version"], source
    titled = [s for s in sources if s["title"]]
    assert titled and all(s["label"] == s["title"] for s in titled)
    untitled = [s for s in sources if not s["title"]]
    assert untitled and all(s["label"].startswith("\u201c") for s in untitled)
    # 004 gives a date line, others only state dates in their text, one states none.
    assert {s["date_source"] for s in sources} == {"published", "text", None}


def test_a_pledge_is_dated_by_its_article_when_it_has_no_date_of_its_own(
    client: httpx.Client,
) -> None:
    everything = pages(client, "/pledges", 50)
    dates = {s["id"]: s["date"] for s in client.get("/sources").json()["data"]}
    undated_own = [p for p in everything if not p["stated_date"]]
    assert undated_own, "some seed pledge has no date of its own"
    for pledge in everything:
        [source] = pledge["sources"]
        assert pledge["reported_on"] == dates[source["id"]]
        assert pledge["date"] == (pledge["stated_date"] or pledge["reported_on"])
        if source["date"]:
            assert pledge["date"] is not None
    assert any(p["date"] and not p["stated_date"] for p in everything)


INJECTIONS = [
    "ES' } ; DROP ALL ; #",
    'ES" } ; DROP ALL ; #',
    "} ; DROP ALL",
    "ES> } DELETE WHERE { ?s ?p ?o } #",
    "{ ?s ?p ?o }",
    "ES\\u0022 }",
    "'; CLEAR ALL; --",
    "<https://w3id.org/pledgekg/id/state/ES>",
    "ES%7D",
    "ES\n}",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_attempts_change_nothing(server: Any, client: httpx.Client, payload: str) -> None:
    before = client.get("/stats").json()
    segment = quote(payload, safe="")
    paths = [
        ("/countries/" + segment, {}),
        ("/pledges", {"country": payload}),
        ("/pledges", {"stance": payload}),
        ("/pledges", {"type": payload}),
        ("/leaders", {"country": payload}),
        ("/meetings", {"country": payload}),
        ("/export", {"country": payload}),
        ("/export", {"graph": payload}),
        ("/graph", {"graph": payload}),
        ("/leaders/" + segment, {}),
        ("/meetings/" + segment, {}),
        ("/sources/" + segment, {}),
    ]
    for path, params in paths:
        response = client.get(path, params=params)
        assert response.status_code in (400, 404, 422), (
            path,
            params,
            response.status_code,
            response.text,
        )
    assert client.get("/stats").json() == before
    assert client.get("/countries/ES").status_code == 200


def test_docs_page_works_offline(client: httpx.Client) -> None:
    """/docs loads its scripts from this server, never from another host."""
    import re

    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200
