"""``/countries`` against the seed graph: the same document by code, alpha-3 code or name,
with Pedro Sánchez and Spain's pledges quoted verbatim from the seed articles."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_text() -> str:
    return " ".join(" ".join(p.read_text("utf-8").split()) for p in sorted(SEEDS.glob("*.txt")))


@pytest.mark.parametrize("codes", [("ES", "esp", "Spain", "sPaIn", "ESP", "es")])
def test_spain_by_code_alpha3_and_name(client: httpx.Client, codes: tuple[str, ...]) -> None:
    documents = [client.get(f"/countries/{code}") for code in codes]
    assert all(d.status_code == 200 for d in documents)
    first = documents[0].json()
    assert all(d.json() == first for d in documents[1:])
    assert first["country"]["code"] == "ES"
    assert first["country"]["alpha3"] == "ESP"
    assert first["country"]["name"] == "Spain"


def test_spain_has_pedro_sanchez_and_a_pledge_with_evidence_and_source(
    client: httpx.Client,
) -> None:
    document = client.get("/countries/ES").json()
    names = {leader["name"]: leader for leader in document["leaders"]}
    assert "Pedro Sánchez" in names
    assert names["Pedro Sánchez"]["roles"]
    assert names["Pedro Sánchez"]["id"] == "pedro-sanchez"
    assert document["pledges"]
    text = seed_text()
    quoted = [
        p
        for p in document["pledges"]
        if p["evidence"] and all(" ".join(e.split()) in text for e in p["evidence"])
    ]
    assert quoted, "no Spain pledge has evidence found verbatim in a seed article"
    pledge = quoted[0]
    assert pledge["actor"]["id"] == "ES"
    assert pledge["stance"] in ("Committed", "Considering", "Declined")
    assert pledge["types"]
    assert pledge["sources"] and pledge["sources"][0]["iri"].startswith(
        "https://w3id.org/pledgekg/id/source/"
    )
    source_ids = {s["id"] for s in document["sources"]}
    assert pledge["sources"][0]["id"] in source_ids
    assert document["country"]["pledges"] == len(document["pledges"])
    assert document["country"]["leaders"] == len(document["leaders"])
    assert document["country"]["meetings"] == len(document["meetings"])


def test_unknown_country_names_close_matches(client: httpx.Client) -> None:
    response = client.get("/countries/Spian")
    assert response.status_code == 404
    assert "ES (Spain)" in response.json()["detail"]
    nothing = client.get("/countries/qqqqqqqqqqqqqqqqqqqqq")
    assert nothing.status_code == 404
    assert "no country matches" in nothing.json()["detail"]


def test_list_is_paged_and_stable(client: httpx.Client) -> None:
    whole = client.get("/countries", params={"limit": 1000}).json()
    assert whole["total"] == len(whole["data"]) > 0
    codes = [c["code"] for c in whole["data"]]
    assert codes == sorted(codes)
    assert "ES" in codes
    spain = next(c for c in whole["data"] if c["code"] == "ES")
    assert spain["pledges"] >= 1 and spain["leaders"] >= 1
    pages: list[str] = []
    for offset in range(0, whole["total"], 3):
        page = client.get("/countries", params={"limit": 3, "offset": offset}).json()
        assert page["limit"] == 3 and page["offset"] == offset and page["total"] == whole["total"]
        pages.extend(c["code"] for c in page["data"])
    assert pages == codes
    beyond = client.get("/countries", params={"offset": 10_000}).json()
    assert beyond["data"] == [] and beyond["total"] == whole["total"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "x"}])
def test_bad_paging_is_422(client: httpx.Client, params: dict[str, object]) -> None:
    assert client.get("/countries", params=params).status_code == 422  # type: ignore[arg-type]
