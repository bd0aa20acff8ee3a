"""One store, many readers: read commands while `kg serve` holds the store give what they give
without it, a reader never sees part of a write nor holds the server's writes up, and a reader
of the store itself keeps writers out until it is done."""

from __future__ import annotations

import json
import secrets
import threading
from pathlib import Path

import httpx
import pytest
from pyoxigraph import QuerySolutions

from kg import sharing
from kg.store import EmbeddedStore, StoreBusyError
from tests.api.conftest import Server, start_server, stop_server
from tests.commands import assert_fails, kg_process, start_holder

GROUND_TROOPS = Path(__file__).resolve().parents[1] / "ontology" / "queries" / "ground-troops.rq"
EX = "http://example.org/sharing/"
TRIPLES_PER_GRAPH = 50
PER_GRAPH = (
    f"SELECT ?g (COUNT(*) AS ?n) (COUNT(DISTINCT ?v) AS ?versions) "
    f"WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?v }} FILTER(STRSTARTS(STR(?g), '{EX}')) }} GROUP BY ?g"
)
ARTICLE = (
    "title: Norway sends ships\nurl: https://example.org/norway-ships\ndate: 2026-02-03\n\n"
    "Norway will send two minehunters to the Black Sea mission, Prime Minister Jonas Gahr "
    "Store said on Tuesday.\n"
)
pytestmark = pytest.mark.slow


def read_outputs(store: Path, out: Path) -> dict[str, str]:
    """What every read command prints for ``store`` (exports as files under ``out``)."""
    out.mkdir()
    outputs: dict[str, str] = {}
    commands: dict[str, list[str | Path]] = {
        "stats": ["stats", "--json"],
        "query": ["query", f"@{GROUND_TROOPS}", "-f", "csv"],
        "construct": ["query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?o ; ?p ?o }"],
        "validate": ["validate"],
        "nquads": ["export", "-f", "nquads", "-o", out / "all.nq"],
        "turtle": ["export", "-f", "turtle", "-o", out / "all.ttl"],
    }
    for name, command in commands.items():
        done = kg_process(*command, "--store", store)
        assert done.returncode == 0, (name, done.stderr)
        assert done.stderr == "", (name, done.stderr)
        outputs[name] = done.stdout
    for name in ("all.nq", "all.ttl"):
        outputs[name] = (out / name).read_text("utf-8")
    return outputs


def serve(store: Path, root: Path, token: str | None = None) -> Server:
    return start_server(store, root / f"serve-{secrets.token_hex(4)}.log", {}, token)


def per_graph(store: EmbeddedStore) -> dict[str, tuple[int, int]]:
    """Triples and distinct versions in each test graph."""
    result = store.query(PER_GRAPH)
    assert isinstance(result, QuerySolutions)
    return {row["g"].value: (int(row["n"].value), int(row["versions"].value)) for row in result}


def replace_graph(client: httpx.Client, server: Server, graph: int, version: int) -> None:
    """One update that replaces a test graph with TRIPLES_PER_GRAPH triples of ``version``."""
    body = " ".join(f'<{EX}s{i}> <{EX}p> "v{version}" .' for i in range(TRIPLES_PER_GRAPH))
    update = (
        f"CLEAR SILENT GRAPH <{EX}g{graph}> ; INSERT DATA {{ GRAPH <{EX}g{graph}> {{ {body} }} }}"
    )
    answer = client.post(
        "/sparql",
        content=update,
        headers={"Content-Type": "application/sparql-update", **server.auth()},
    )
    assert answer.status_code == 204, answer.text


def test_read_commands_while_serving_give_what_they_give_without_the_server(
    seed_store_copy: Path, tmp_path: Path
) -> None:
    alone = read_outputs(seed_store_copy, tmp_path / "alone")
    token = secrets.token_urlsafe(32)
    server = serve(seed_store_copy, tmp_path, token)
    try:
        assert read_outputs(seed_store_copy, tmp_path / "serving") == alone
        for command in (["ingest", "-q", "seeds/"], ["remove", "seeds/"]):
            done = kg_process(*command, "--store", seed_store_copy)
            assert_fails(done, "in use by another process", server.url, "kg ingest --server")
        article = tmp_path / "norway.txt"
        article.write_text(ARTICLE, "utf-8")
        sent = kg_process("ingest", "--server", server.url, article, env={"KG_API_TOKEN": token})
        assert sent.returncode == 0, sent.stderr
        # A read started after a write through the server sees it, as the server does.
        after = json.loads(kg_process("stats", "--json", "--store", seed_store_copy).stdout)
        with server.client() as client:
            assert after == client.get("/stats").json()
        assert after["sources"] == json.loads(alone["stats"])["sources"] + 1
    finally:
        stop_server(server)
    assert not (seed_store_copy / sharing.FOLDER).exists()
    assert not (seed_store_copy / sharing.MARKER).exists()
    assert json.loads(kg_process("stats", "--json", "--store", seed_store_copy).stdout) == after


def test_readers_never_see_part_of_a_write_nor_hold_writes_up(
    seed_store_copy: Path, tmp_path: Path
) -> None:
    token = secrets.token_urlsafe(32)
    server = serve(seed_store_copy, tmp_path, token)
    writes, graphs = 40, 4
    done = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with server.client() as client:
                for n in range(writes):
                    replace_graph(client, server, n % graphs, n)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
        finally:
            done.set()

    try:
        writer = threading.Thread(target=write)
        writer.start()
        seen: set[tuple[tuple[str, tuple[int, int]], ...]] = set()
        while not done.is_set():
            reader = EmbeddedStore(seed_store_copy, read_only=True)
            try:
                counts = per_graph(reader)
            finally:
                reader.close()
            # Every graph is whole (all its triples) and of one version: never half a write.
            assert all(found == (TRIPLES_PER_GRAPH, 1) for found in counts.values()), counts
            seen.add(tuple(sorted(counts.items())))
        writer.join()
        assert not failures, failures
        assert len(seen) > 1  # the reads did overlap the writes
        final = EmbeddedStore(seed_store_copy, read_only=True)
        try:
            assert per_graph(final) == {f"{EX}g{g}": (TRIPLES_PER_GRAPH, 1) for g in range(graphs)}
        finally:
            final.close()
    finally:
        stop_server(server)


def test_a_leased_checkpoint_is_kept_until_its_reader_is_done(
    seed_store_copy: Path, tmp_path: Path
) -> None:
    token = secrets.token_urlsafe(32)
    server = serve(seed_store_copy, tmp_path, token)
    try:
        with server.client() as client:
            replace_graph(client, server, 0, 1)
            reader = EmbeddedStore(seed_store_copy, read_only=True)
            leased = reader.reading
            assert leased is not None and leased.parent.name == sharing.FOLDER
            for version in range(2, 6):
                replace_graph(client, server, 0, version)
            # The server made and swept newer checkpoints, but left the leased one alone.
            assert leased.is_dir()
            assert per_graph(reader) == {f"{EX}g0": (TRIPLES_PER_GRAPH, 1)}
            assert reader.count() > 0
            reader.close()
            replace_graph(client, server, 0, 6)  # the next write sweeps what is no longer held
            assert not leased.exists()
            newest = EmbeddedStore(seed_store_copy, read_only=True)
            try:
                values = newest.query(f"SELECT ?v WHERE {{ GRAPH <{EX}g0> {{ ?s ?p ?v }} }}")
                assert isinstance(values, QuerySolutions)
                assert {row["v"].value for row in values} == {"v6"}
            finally:
                newest.close()
            # A reader that outlives the server deletes its checkpoint when it is done.
            last = EmbeddedStore(seed_store_copy, read_only=True)
    finally:
        stop_server(server)
    held = last.reading
    assert held is not None and held.is_dir()
    assert last.count() > 0
    last.close()
    assert not held.exists()


def test_a_reader_of_the_store_keeps_writers_out_until_it_is_done(
    seed_store_copy: Path, seeds_dir: Path
) -> None:
    reader = EmbeddedStore(seed_store_copy, read_only=True)
    try:
        assert reader.reading == seed_store_copy
        with pytest.raises(StoreBusyError, match="a command reading it"):
            EmbeddedStore(seed_store_copy)
        done = kg_process(
            "ingest", "-q", sorted(seeds_dir.glob("*.txt"))[0], "--store", seed_store_copy
        )
        assert_fails(done, "in use by another process", "a command reading it")
        second = EmbeddedStore(seed_store_copy, read_only=True)  # readers share
        assert second.count() == reader.count() > 0
        second.close()
    finally:
        reader.close()
    writer = EmbeddedStore(seed_store_copy)
    writer.close()


def test_checkpoints_of_a_killed_server_are_not_read(seed_store_copy: Path) -> None:
    """A server killed outright leaves its checkpoints; while another process writes the store,
    readers are refused rather than given that old state."""
    stale = seed_store_copy / sharing.FOLDER / "7"
    stale.parent.mkdir()
    writer = EmbeddedStore(seed_store_copy)
    writer.backup(stale)
    writer.close()
    sharing.publish(stale)
    assert sharing.lease_checkpoint(seed_store_copy) is None
    holder = start_holder(seed_store_copy)
    try:
        done = kg_process("stats", "--store", seed_store_copy)
        assert_fails(done, "in use by another process")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert kg_process("stats", "--store", seed_store_copy).returncode == 0
