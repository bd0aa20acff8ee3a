"""``POST /ingest`` on a server with a token, through the same client code ``kg ingest
--server`` uses; refused without the token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.config import Settings
from kg.records import Article
from kg.remote_ingest import article_payload, send_articles

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


def test_ingest_with_the_cli_client(token_server: Server, tmp_path: object) -> None:
    settings = Settings(store="unused", api_token=token_server.token)
    bad_date = {**article_payload(ARTICLE), "origin": "bad.txt", "date": "last week"}
    line, errors = send_articles(token_server.url, [ARTICLE], settings)
    assert "1 sources" in line
    assert errors == []
    with token_server.client() as client:
        sources = client.get("/sources", params={"limit": 1000}).json()["data"]
        found = [s for s in sources if s["url"] == ARTICLE.url]
        assert len(found) == 1 and found[0]["title"] == ARTICLE.title
        response = client.post(
            "/ingest", json={"articles": [bad_date]}, headers=token_server.auth()
        )
        assert response.status_code == 200
        body = response.json()
        assert body["counts"]["sources"] == 0
        assert body["errors"][0]["origin"] == "bad.txt"
        assert "date" in body["errors"][0]["reason"]
        again, _ = send_articles(token_server.url, [ARTICLE], settings)
        assert "1 sources" in again
        sources = client.get("/sources", params={"limit": 1000}).json()["data"]
        assert len([s for s in sources if s["url"] == ARTICLE.url]) == 1


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
