"""A graph where many sources restate the same leaders and meetings, as a real corpus does
(the war's leaders appear in most articles about it), read through a real `kg serve`.

Every source graph restates its leaders (type, name, state, roles) and meetings, and the union
default graph yields such a triple once per graph. A query joining four patterns over one
leader named in ``COPIES`` graphs makes ``COPIES ** 4`` rows unless each pattern is made
distinct first. Before that was done, the example queries ``leaders-by-state`` and
``meeting-attendance`` and the REST lookups of Ukraine did not answer within minutes at a
few hundred sources; here every one must answer, with the same leaders and meetings as the
seeds' own graph.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode, Quad, Store

from kg.prefixes import KGR, SPARQL_PREFIXES
from kg.rdf import SOURCE_PREFIX

from .conftest import Server, start_server

pytestmark = pytest.mark.slow

ONTOLOGY_QUERIES = Path(__file__).resolve().parents[2] / "ontology" / "queries"
COPIES = 300
"""Copies of each seed source: each leader of the seeds is restated in 300 graphs or more."""
LIMIT_SECONDS = "60"
PLEDGE_PREFIX = KGR + "pledge/"


def _renamed(term: object, suffix: str) -> object:
    if isinstance(term, NamedNode) and term.value.startswith((SOURCE_PREFIX, PLEDGE_PREFIX)):
        return NamedNode(term.value + suffix)
    return term


def _copies(seed: Store) -> Iterator[Quad]:
    """Every source graph of ``seed`` ``COPIES`` times, as new sources with new pledges and
    the same leaders, states and meetings."""
    originals = [
        q
        for q in seed
        if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(SOURCE_PREFIX)
    ]
    for copy in range(1, COPIES + 1):
        suffix = f"-copy{copy}"
        for quad in originals:
            yield Quad(
                _renamed(quad.subject, suffix),  # type: ignore[arg-type]
                quad.predicate,
                _renamed(quad.object, suffix),  # type: ignore[arg-type]
                _renamed(quad.graph_name, suffix),  # type: ignore[arg-type]
            )


@pytest.fixture(scope="module")
def restated_store(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("restated") / "store"
    seed = Store.read_only(str(seed_store_dir))
    store = Store(str(path))
    store.bulk_extend(seed)
    store.bulk_extend(_copies(seed))
    store.flush()
    del store
    return path


def _rows(server: Server, query: str) -> list[dict[str, str]]:
    response = httpx.post(
        f"{server.url}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    assert response.status_code == 200, (query[:200], response.text[:500])
    bindings: list[dict[str, dict[str, str]]] = response.json()["results"]["bindings"]
    return [{name: cell["value"] for name, cell in row.items()} for row in bindings]


def _query(name: str) -> str:
    return (ONTOLOGY_QUERIES / f"{name}.rq").read_text("utf-8")


@pytest.fixture(scope="module")
def servers(
    seed_store_dir: Path, restated_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    log_dir = tmp_path_factory.mktemp("restated-logs")
    seed_copy = log_dir / "seed-store"
    shutil.copytree(seed_store_dir, seed_copy)
    seeds = start_server(
        seed_copy, log_dir, KG_QUERY_TIMEOUT=LIMIT_SECONDS, KG_LOOKUP_TIMEOUT=LIMIT_SECONDS
    )
    restated = start_server(
        restated_store, log_dir, KG_QUERY_TIMEOUT=LIMIT_SECONDS, KG_LOOKUP_TIMEOUT=LIMIT_SECONDS
    )
    yield seeds, restated
    for server in (seeds, restated):
        server.stop()


def test_the_store_restates_each_leader_hundreds_of_times(servers: tuple[Server, Server]) -> None:
    _, restated = servers
    leader = NamedNode(KGR + "leader/volodymyr-zelensky")
    query = (
        SPARQL_PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {leader} a kg:Leader }} }}"
    )
    assert int(_rows(restated, query)[0]["n"]) > COPIES


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("leaders-by-state", ("iso", "leader")),
        ("meeting-attendance", ("iso", "meetings")),
        ("meetings", ("meeting", "date", "kind")),
        ("meetings-per-month", ("month", "meetings", "participants")),
    ],
)
def test_queries_over_leaders_and_meetings_answer_with_the_same_rows(
    servers: tuple[Server, Server], name: str, key: tuple[str, ...]
) -> None:
    seeds, restated = servers
    expected = sorted(tuple(r.get(k, "") for k in key) for r in _rows(seeds, _query(name)))
    found = sorted(tuple(r.get(k, "") for k in key) for r in _rows(restated, _query(name)))
    assert expected and found == expected


def _get(server: Server, path: str) -> dict[str, object]:
    response = httpx.get(server.url + path, timeout=120)
    assert response.status_code == 200, (path, response.text[:500])
    document: dict[str, object] = response.json()
    return document


def _ids(document: dict[str, object], key: str) -> list[str]:
    items = document[key]
    assert isinstance(items, list)
    return sorted(str(item["iri"]) for item in items)


def test_rest_lookups_of_the_most_restated_state_answer(
    servers: tuple[Server, Server],
) -> None:
    seeds, restated = servers
    before, after = _get(seeds, "/countries/UA"), _get(restated, "/countries/UA")
    for kind in ("leaders", "meetings"):
        assert _ids(after, kind) == _ids(before, kind), kind
    assert len(_ids(after, "pledges")) == (COPIES + 1) * len(_ids(before, "pledges"))
    for path in ("/leaders?country=UA", "/meetings?country=UA", "/leaders", "/meetings"):
        assert _ids(_get(restated, path), "data") == _ids(_get(seeds, path), "data"), path
    leader = _get(restated, "/leaders/volodymyr-zelensky")
    assert _ids(leader, "meetings") == _ids(_get(seeds, "/leaders/volodymyr-zelensky"), "meetings")
    countries: Callable[[Server], list[str]] = lambda s: _ids(_get(s, "/countries"), "data")  # noqa: E731
    assert countries(restated) == countries(seeds)
