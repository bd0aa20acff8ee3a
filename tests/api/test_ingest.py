"""``POST /ingest`` on a server with a token, directly and through the same client code
``kg ingest --server`` uses: it answers the sources' IRIs and how many are new, changed,
unchanged and removed, as a local ingest does; refused without the token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from kg.changes import Scope
from kg.config import Settings
from kg.ingest.server import article_payload, send_articles
from kg.records import Article

if TYPE_CHECKING:
    from tests.api.conftest import Server

ARTICLE = Article(
    text=(
        "Portuguese Prime Minister Luís Montenegro said on Tuesday that Portugal is ready to "
        "send troops to Ukraine as part of a multinational force once a ceasefire is agreed.\n\n"
        "Montenegro spoke after a meeting of European leaders in Paris."
    ),
    origin="portugal.txt",
    url="https://example.org/news/portugal-troops",
    title="Portugal ready to send troops",
    publisher="Example News",
)
SPAIN = (
    "Spanish Prime Minister Pedro Sánchez said on Tuesday that Spain could send troops to "
    "Ukraine after a ceasefire, once parliament has been consulted about the mission."
)
SPAIN_EDITED = SPAIN.replace("has been consulted about", "has approved")
ITALY = "Italian Prime Minister Giorgia Meloni said Italy would not send troops to Ukraine."
COUNTS = ("new", "changed", "unchanged", "removed")


def post(server: Server, client: httpx.Client, *articles: Article, **extra: Any) -> Any:
    body = {"articles": [article_payload(a) for a in articles], **extra}
    response = client.post("/ingest", json=body, headers=server.auth())
    assert response.status_code == 200, response.text
    return response.json()


def changes(answer: Any) -> tuple[int, ...]:
    return tuple(answer["counts"][name] for name in COUNTS)


def source_id(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


def test_ingest_with_the_cli_client(token_server: Server) -> None:
    settings = Settings(store="unused", api_token=token_server.token)
    bad_date = {**article_payload(ARTICLE), "origin": "bad.txt", "date": "last week"}
    summary = send_articles(token_server.url, [ARTICLE], settings)
    assert (summary.sources, summary.new, summary.errors) == (1, 1, [])
    assert summary.line().startswith("ingested 1 sources: 1 new, 0 changed, 0 unchanged")
    with token_server.client() as client:
        sources = client.get("/sources", params={"limit": 1000}).json()["data"]
        found = [s for s in sources if s["url"] == ARTICLE.url]
        assert len(found) == 1 and found[0]["title"] == ARTICLE.title
        assert found[0]["locator"] == ARTICLE.url
        response = client.post(
            "/ingest", json={"articles": [bad_date]}, headers=token_server.auth()
        )
        assert response.status_code == 200
        body = response.json()
        assert body["counts"]["sources"] == 0
        assert body["errors"][0]["origin"] == "bad.txt"
        assert "date" in body["errors"][0]["reason"]
        again = send_articles(token_server.url, [ARTICLE], settings)
        assert (again.sources, again.new, again.unchanged, again.triples) == (1, 0, 1, 0)
        sources = client.get("/sources", params={"limit": 1000}).json()["data"]
        assert len([s for s in sources if s["url"] == ARTICLE.url]) == 1


def test_an_edited_article_replaces_its_version_and_a_gone_one_is_removed(
    token_server: Server,
) -> None:
    spain = Article(SPAIN, "wire/spain.txt", title="Spain weighs troops", path="wire/spain.txt")
    edited = Article(SPAIN_EDITED, spain.origin, title=spain.title, path=spain.path)
    with token_server.client() as client:
        first = post(token_server, client, spain)
        assert changes(first) == (1, 0, 0, 0) and first["errors"] == []
        [old] = first["sources"]
        pledges = client.get(f"/sources/{source_id(old)}").json()["source"]["pledges"]
        assert pledges == 1
        assert changes(post(token_server, client, spain)) == (0, 0, 1, 0)

        dry = post(token_server, client, edited, dry_run=True)
        assert changes(dry) == (0, 1, 0, 0) and dry["dry_run"] is True
        [new] = dry["sources"]
        assert new != old
        assert client.get(f"/sources/{source_id(new)}").status_code == 404

        replaced = post(token_server, client, edited)
        assert changes(replaced) == (0, 1, 0, 0) and replaced["sources"] == [new]
        assert client.get(f"/sources/{source_id(old)}").status_code == 404
        detail = client.get(f"/sources/{source_id(new)}").json()
        assert detail["source"]["pledges"] == pledges
        assert detail["source"]["locator"] == "wire/spain.txt"
        assert detail["pledges"][0]["evidence"] == [SPAIN_EDITED]
        query = {"query": f'ASK {{ GRAPH ?g {{ ?s ?p "{SPAIN}" }} }}'}
        assert client.get("/sparql", params=query).json()["boolean"] is False

        # The folder was read again and the file is gone from it.
        scope = {"roots": ["wire"], "files": {}, "kept": []}
        gone = post(token_server, client, scope=scope)
        assert changes(gone) == (0, 0, 0, 1)
        assert client.get(f"/sources/{source_id(new)}").status_code == 404


def test_two_texts_under_one_url_and_one_text_under_two(token_server: Server) -> None:
    url = "https://example.org/news/one-url"
    first = Article(SPAIN, "a.txt", url=url, path="urls/a.txt")
    other = Article(ITALY, "b.txt", url=url + "/", path="urls/b.txt")
    with token_server.client() as client:
        answer = post(token_server, client, first, other)
        assert changes(answer) == (1, 0, 0, 0)
        [error] = answer["errors"]
        assert error["origin"] == "b.txt" and f"{url} of a.txt with another text" in error["reason"]
        [iri] = answer["sources"]
        detail = client.get(f"/sources/{source_id(iri)}").json()
        assert [p["actor"]["id"] for p in detail["pledges"]] == ["ES"]

        tracked = Article(ITALY, "c.txt", url="https://example.org/news/italy?utm_source=rss")
        plain = Article(ITALY, "d.txt", url="https://EXAMPLE.org/news/italy#top")
        answer = post(token_server, client, tracked, plain)
        assert changes(answer) == (1, 0, 0, 0) and answer["errors"] == []
        assert answer["notes"] == ["d.txt: same article as c.txt; stored once as one source"]
        sources = client.get("/sources", params={"limit": 1000}).json()["data"]
        italy = [s for s in sources if s["locator"] == "https://example.org/news/italy"]
        assert len(italy) == 1 and italy[0]["pledges"] == 1


def test_the_cli_client_sends_the_scope_with_its_last_batch(token_server: Server) -> None:
    settings = Settings(store="unused", api_token=token_server.token)
    articles = [
        Article(f"{SPAIN} Batch {n}.", f"batch/{n}.txt", path=f"batch/{n}.txt") for n in range(60)
    ]
    first = send_articles(token_server.url, articles, settings)
    assert (first.new, first.errors, len(first.iris)) == (60, [], 60)
    kept = articles[:55]
    scope = Scope(
        roots=("batch",),
        files={a.origin: frozenset([source_id(i)]) for a, i in zip(kept, first.iris, strict=False)},
    )
    again = send_articles(token_server.url, kept, settings, scope=scope)
    assert (again.unchanged, again.removed) == (55, 5)
    with token_server.client() as client:
        for iri in first.iris[55:]:
            assert client.get(f"/sources/{source_id(iri)}").status_code == 404


def test_ingest_needs_the_token(server: Server, token_server: Server) -> None:
    payload = {"articles": [article_payload(ARTICLE)]}
    with server.client() as client:
        assert client.post("/ingest", json=payload).status_code == 403
    with token_server.client() as client:
        assert client.post("/ingest", json=payload).status_code == 401
        wrong = {"Authorization": "Bearer " + "x" * 40}
        assert client.post("/ingest", json=payload, headers=wrong).status_code == 403
        bad = client.post(
            "/ingest", json={"articles": [{"origin": "no text"}]}, headers=token_server.auth()
        )
        assert bad.status_code == 422
