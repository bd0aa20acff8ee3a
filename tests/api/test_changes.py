"""``/changes`` and the ``as_of`` parameters on a real server with a token, fed by the real
``kg ingest --server`` client: sources added, replaced and removed since a time, with the
claims whose support changed; a country's stance as of two dates; a bad ``since`` is a
one-line 400."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kg.claims import claim_iri
from kg.prefixes import KG, KGR

if TYPE_CHECKING:
    from tests.api.conftest import Launcher, Server

GERMANY = KGR + "state/DE"
TROOPS = KG + "GroundTroops"
CONSIDERED = (
    "url: https://news.example.org/berlin-weighs\ntitle: Germany weighs troops\n"
    "date: 2026-02-10\n\nGerman Chancellor Friedrich Merz said on Tuesday that Germany is "
    "weighing whether to send ground troops to Ukraine after a ceasefire.\n"
)
COMMITTED = (
    "url: https://news.example.org/berlin\ntitle: Germany decides\ndate: 2026-03-02\n\n"
    "German Chancellor Friedrich Merz said on Monday that Germany will send ground troops to "
    "Ukraine after a ceasefire.\n"
)
DECLINED = COMMITTED.replace("will send ground troops", "will send no troops")


def kg_ingest(server: Server, folder: Path) -> None:
    """``kg ingest --server`` of a folder, as a user runs it."""
    assert server.token
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "ingest", "-q", "--server", server.url, str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("KG_")},
            "KG_API_TOKEN": server.token,
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr


def feed(server: Server, since: str) -> Any:
    with server.client() as client:
        response = client.get("/changes", params={"since": since})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture()
def writable(seed_store_dir: Path, tmp_path: Path, launcher: Launcher) -> Server:
    store = tmp_path / "store"
    shutil.copytree(seed_store_dir, store)
    return launcher.start(store, token=secrets.token_urlsafe(32))


def test_the_feed_lists_sources_added_replaced_and_removed_with_their_claims(
    writable: Server, tmp_path: Path
) -> None:
    start = feed(writable, "2000-01-01")
    assert start["total"] >= 1  # the seeds' ingest
    mark = start["latest"]
    assert feed(writable, mark)["data"] == []

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "germany.txt").write_text(COMMITTED, "utf-8")
    kg_ingest(writable, folder)
    added = feed(writable, mark)
    [event] = added["data"]
    assert len(event["added"]) == 1 and event["replaced"] == event["removed"] == []
    source = event["added"][0]
    assert claim_iri(GERMANY, KG + "Committed", TROOPS) in added["claims"]

    (folder / "germany.txt").write_text(DECLINED, "utf-8")
    kg_ingest(writable, folder)
    replaced = feed(writable, added["latest"])
    [event] = replaced["data"]
    assert event["replaced"] == [{"source": source, "previous": source}]
    assert set(replaced["claims"]) >= {
        claim_iri(GERMANY, KG + "Committed", TROOPS),
        claim_iri(GERMANY, KG + "Declined", TROOPS),
    }

    (folder / "germany.txt").unlink()
    kg_ingest(writable, folder)
    removed = feed(writable, replaced["latest"])
    [event] = removed["data"]
    assert event["removed"] == [source] and event["added"] == []
    assert claim_iri(GERMANY, KG + "Declined", TROOPS) in removed["claims"]

    everything = feed(writable, mark)
    assert [len(e["added"]) for e in everything["data"]] == [1, 0, 0]
    assert everything["total"] == 3


def test_as_of_gives_the_stance_known_on_each_date(writable: Server, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "weighs.txt").write_text(CONSIDERED, "utf-8")
    (folder / "decides.txt").write_text(COMMITTED, "utf-8")
    kg_ingest(writable, folder)
    with writable.client() as client:

        def troops(as_of: str) -> list[str]:
            body = client.get("/countries/DE", params={"as_of": as_of}).json()
            assert body["as_of"] == as_of
            [held] = [p for p in body["positions"] if p["type"] == "GroundTroops"]
            return list(held["stances"])

        assert troops("2026-02-20") == ["Considering"]
        assert troops("2026-03-05") == ["Committed"]
        whole = client.get("/countries/DE").json()
        timeline = [
            (r["date"], r["stance"])
            for r in whole["stance_timeline"]
            if r["type"] == "GroundTroops"
        ]
        assert ("2026-02-10", "Considering") in timeline and ("2026-03-02", "Committed") in timeline
        assert timeline == sorted(timeline)

        def pledges(**params: str) -> set[str]:
            answer = client.get("/pledges", params={"country": "DE", "limit": "1000", **params})
            assert answer.status_code == 200, answer.text
            return {p["iri"] for p in answer.json()["data"]}

        everything, then = pledges(), pledges(as_of="2026-02-20")
        assert then < everything
        march = everything - then
        assert march and all(
            p["reported_on"] == "2026-03-02"
            for p in client.get("/pledges", params={"country": "DE", "limit": "1000"}).json()[
                "data"
            ]
            if p["iri"] in march
        )
        assert client.get("/pledges", params={"as_of": "soon"}).status_code == 422


def test_a_bad_since_is_a_one_line_400(client: Any) -> None:
    for bad in ("yesterday", "2026-13-01", "2026-01-06T25:00"):
        response = client.get("/changes", params={"since": bad})
        assert response.status_code == 400
        detail = response.json()["detail"]
        assert "since" in detail and "\n" not in detail
    missing = client.get("/changes")
    assert missing.status_code == 400 and "required" in missing.json()["detail"]
    assert client.get("/changes", params={"since": "x" * 5000}).status_code == 400
    assert client.get("/changes", params={"since": "2026-01-06T10:00:00Z"}).status_code == 200
