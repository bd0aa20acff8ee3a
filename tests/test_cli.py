"""The `kg` command against an embedded store: ingest, query, export, remove, validate, stats,
and the one-line errors (bad SPARQL, missing store, a store held by another process).

Commands run in-process through typer's runner where the output is what matters, and as real
subprocesses where the exit status, standard error or a second process is what matters.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest
import typer
from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    serialize,
)
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner, Result

from kg.claims import CHANGES_GRAPH, CLAIMS_GRAPH
from kg.cli import app
from kg.identity import source_id
from kg.prefixes import KG, KGR, RDFS, SPARQL_PREFIXES
from kg.rdf import REFERENCE_GRAPH, SOURCE_PREFIX, source_iri
from kg.sources import read_file
from kg.store import EmbeddedStore
from tests.commands import KG_COMMAND, assert_one_line_error, kg_process, start_holder

STATS_KEYS = {"sources", "states", "leaders", "pledges", "meetings", "quads"}
SUMMARY = re.compile(
    r"^ingested (\d+) sources: (\d+) new, (\d+) changed, (\d+) unchanged, (\d+) removed; "
    r"wrote (\d+) leaders, (\d+) pledges, (\d+) meetings, (\d+) triples"
)
PLEDGES_BY_STATE = (
    SPARQL_PREFIXES
    + "SELECT DISTINCT ?pledge ?iso WHERE { ?pledge a kg:Pledge ; kg:pledgedBy ?s . "
    "?s kg:isoCode ?iso } ORDER BY ?pledge"
)
ARTICLE = (
    "title: Spain weighs troops\nurl: https://example.org/spain-troops\ndate: 2026-01-07\n\n"
    "Spanish Prime Minister Pedro Sánchez said on Tuesday that Spain could send troops to "
    "Ukraine after a ceasefire, once parliament has been consulted about the mission.\n"
)
runner = CliRunner()


def kg(*args: str | Path) -> Result:
    """`kg ARGS` in this process."""
    return runner.invoke(app, [str(a) for a in args])


def dataset(path: Path) -> dict[str, set[Quad]]:
    """Every named graph of a store on disk and its quads, read with pyoxigraph alone."""
    store = Store.read_only(str(path))
    graphs: dict[str, set[Quad]] = {}
    for q in store:
        assert isinstance(q.graph_name, NamedNode), "nothing belongs in the default graph"
        graphs.setdefault(q.graph_name.value, set()).add(q)
    return graphs


def rdflib_graph(quads: set[Quad]) -> Graph:
    data = serialize((q.triple for q in quads), None, RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data, format="nt")


def assert_same_graphs(found: dict[str, set[Quad]], expected: dict[str, set[Quad]]) -> None:
    """The same named graphs, each isomorphic to its counterpart (blank nodes may be renamed)."""
    assert set(found) == set(expected)
    for name, quads in expected.items():
        assert isomorphic(rdflib_graph(found[name]), rdflib_graph(quads)), name


def rdflib_union(graphs: dict[str, set[Quad]]) -> Graph:
    """The union of the graphs, as rdflib reads it."""
    triples = (q.triple for quads in graphs.values() for q in quads)
    return Graph().parse(data=serialize(triples, None, RdfFormat.N_TRIPLES), format="nt")


def seed_graph(path: Path) -> NamedNode:
    [article], errors = read_file(path, 1_000_000)
    assert not errors
    return source_iri(source_id(article))


@pytest.fixture()
def held_store(seed_store_copy: Path) -> Iterator[Path]:
    """A copy of the seed store that another process holds open for writing."""
    holder = start_holder(seed_store_copy)
    assert holder.stdin is not None
    yield seed_store_copy
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0


# The command line itself


def test_every_option_states_its_default() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    verbs = set(group.commands)
    assert {"ingest", "query", "export", "remove", "validate", "stats", "serve"} <= verbs
    for name, command in group.commands.items():
        for param in command.params:
            if isinstance(param, TyperOption) and param.name != "help":
                assert param.help and "Default" in param.help, f"kg {name} {param.opts}"


# ingest


@pytest.mark.slow
def test_ingest_twice_changes_no_count(tmp_path: Path, seeds_dir: Path) -> None:
    store = tmp_path / "store"
    first = kg("ingest", "--quiet", seeds_dir, "--store", store)
    assert first.exit_code == 0, first.output
    match = SUMMARY.match(first.stdout.strip().splitlines()[-1])
    assert match is not None, first.stdout
    assert [int(n) for n in match.groups()[:5]] == [5, 5, 0, 0, 0]
    stats_first = json.loads(kg("stats", "--json", "--store", store).stdout)
    graphs_first = dataset(store)

    second = kg("ingest", "--quiet", seeds_dir, "--store", store)
    assert second.exit_code == 0, second.output
    again = SUMMARY.match(second.stdout.strip())
    assert again is not None, second.stdout
    assert [int(n) for n in again.groups()] == [5, 0, 0, 5, 0, 0, 0, 0, 0]
    assert json.loads(kg("stats", "--json", "--store", store).stdout) == stats_first
    assert dataset(store) == graphs_first
    assert stats_first["sources"] == 5
    assert stats_first["quads"] == sum(len(q) for q in graphs_first.values())


def test_ingest_reads_every_format_and_reports_bad_files(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "b.md").write_text(
        ARTICLE.replace("https://example.org/spain-troops", "https://example.org/b"),
        encoding="utf-8",
    )
    lines = [
        json.dumps(
            {
                "text": "Italy would not send ground troops to Ukraine, Meloni said.",
                "url": "https://example.org/c",
            }
        ),
        "{not json",
    ]
    (inputs / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (inputs / "d.txt").write_bytes(b"")
    (inputs / "e.txt").write_bytes("Café à Paris pour les ministres.".encode("latin-1"))
    store = tmp_path / "store"
    result = kg("ingest", "-q", inputs, "--store", store)
    assert result.exit_code == 1
    assert "3 failed" in result.stdout
    errors = sorted(result.stderr.strip().splitlines())
    assert len(errors) == 3
    assert errors[0].startswith(f"kg: {inputs / 'c.jsonl'}:2: not valid JSON")
    assert errors[1] == f"kg: {inputs / 'd.txt'}: file is empty"
    assert errors[2].startswith(f"kg: {inputs / 'e.txt'}: not valid UTF-8")
    graphs = dataset(store)
    sources = {g for g in graphs if g.startswith(SOURCE_PREFIX)}
    assert len(sources) == 3
    titled = NamedNode(SOURCE_PREFIX + source_id(read_file(inputs / "a.txt", 10**6)[0][0]))
    assert (
        Quad(
            titled,
            NamedNode("http://purl.org/dc/terms/title"),
            Literal("Spain weighs troops"),
            titled,
        )
        in graphs[titled.value]
    )


def test_files_of_other_types_under_a_folder_are_named_not_failed(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "notes.pdf").write_bytes(b"%PDF-1.4")
    (inputs / "sub" / "data.csv").write_text("a,b\n", encoding="utf-8")
    (inputs / ".hidden.pdf").write_bytes(b"%PDF-1.4")
    result = kg("ingest", "-q", inputs, "--store", tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ingested 1 sources")
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("kg: left out 2 file(s) under the folders")
    assert str(inputs / "notes.pdf") in line and str(inputs / "sub" / "data.csv") in line
    assert ".hidden.pdf" not in line


def test_the_same_article_under_two_names_is_one_source(tmp_path: Path) -> None:
    text = ARTICLE.split("\n\n", 1)[1]
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    (tmp_path / "two.md").write_text("\n" + text.replace(" ", "  "), encoding="utf-8")
    store = tmp_path / "store"
    result = kg("ingest", "-q", tmp_path / "one.txt", tmp_path / "two.md", "--store", store)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ingested 1 sources")
    assert len([g for g in dataset(store) if g.startswith(SOURCE_PREFIX)]) == 1


@pytest.mark.slow
def test_ingest_of_nothing_readable_fails(tmp_path: Path) -> None:
    (tmp_path / "menu.html").write_text("<html><body><nav>Home</nav></body></html>")
    done = kg_process(
        "ingest", "-q", tmp_path / "menu.html", tmp_path / "gone.txt", "--store", tmp_path / "s"
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"kg: {tmp_path / 'gone.txt'}: no such file or folder" in done.stderr.splitlines()
    assert any(
        line.startswith(f"kg: {tmp_path / 'menu.html'}: ") for line in done.stderr.splitlines()
    )


# remove


def test_remove_by_path_and_by_iri_removes_exactly_that_graph(
    seed_store_copy: Path, seeds_dir: Path
) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    before = dataset(seed_store_copy)
    by_path, by_iri = seed_graph(seeds[1]), seed_graph(seeds[3])
    assert by_path.value in before and by_iri.value in before

    result = kg("remove", seeds[1], "--store", seed_store_copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"removed {by_path.value}"
    after = dataset(seed_store_copy)
    assert set(after) == set(before) - {by_path.value}
    # Only the graphs derived from all sources (claims, change log) follow the removal.
    derived = {CLAIMS_GRAPH.value, CHANGES_GRAPH.value}
    assert all(after[g] == before[g] for g in after if g not in derived)
    assert not any(by_path in (q.subject, q.object) for q in after[CLAIMS_GRAPH.value])
    assert any(by_path in (q.subject, q.object) for q in before[CLAIMS_GRAPH.value])

    result = kg("remove", by_iri.value, "--store", seed_store_copy)
    assert result.exit_code == 0, result.output
    final = dataset(seed_store_copy)
    assert set(final) == set(before) - {by_path.value, by_iri.value}
    assert all(final[g] == before[g] for g in final if g not in derived)
    assert REFERENCE_GRAPH.value in final


def test_remove_by_url(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    store = tmp_path / "store"
    assert kg("ingest", "-q", tmp_path / "a.txt", "--store", store).exit_code == 0
    before = dataset(store)
    result = kg("remove", "https://example.org/spain-troops", "--store", store)
    assert result.exit_code == 0, result.output
    after = dataset(store)
    # The source goes, and with it the claims it alone made (an empty claims graph).
    assert set(before) - set(after) == {
        next(g for g in before if g.startswith(SOURCE_PREFIX)),
        CLAIMS_GRAPH.value,
    }
    assert not any(g.startswith(SOURCE_PREFIX) for g in after)


def test_remove_of_an_unknown_source_fails_and_changes_nothing(seed_store_copy: Path) -> None:
    before = dataset(seed_store_copy)
    for reference in (SOURCE_PREFIX + "ffffffffffffffff", "https://example.org/never", "nope.txt"):
        done = kg_process("remove", reference, "--store", seed_store_copy)
        assert done.returncode == 1
        assert_one_line_error(done.stderr, "no stored source matches")
    assert dataset(seed_store_copy) == before


# export


def test_export_turtle_is_the_union_of_all_graphs(seed_store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    result = kg("export", "--format", "turtle", "-o", out, "--store", seed_store_dir)
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "@prefix kg: <https://w3id.org/pledgekg/ontology#> ." in text
    assert not list(tmp_path.glob("*.partial"))
    exported = Graph().parse(out, format="turtle")
    assert isomorphic(exported, rdflib_union(dataset(seed_store_dir)))


def test_export_to_standard_output(seed_store_dir: Path) -> None:
    result = kg("export", "-f", "ntriples", "--store", seed_store_dir)
    assert result.exit_code == 0
    exported = Graph().parse(data=result.stdout_bytes, format="nt")
    assert isomorphic(exported, rdflib_union(dataset(seed_store_dir)))


@pytest.mark.parametrize(
    ("fmt", "rdf_format"), [("trig", RdfFormat.TRIG), ("nquads", RdfFormat.N_QUADS)]
)
def test_dataset_exports_round_trip_with_their_graphs(
    seed_store_dir: Path, tmp_path: Path, fmt: str, rdf_format: RdfFormat
) -> None:
    out = tmp_path / f"dump.{fmt}"
    assert kg("export", "-f", fmt, "-o", out, "--store", seed_store_dir).exit_code == 0
    back: dict[str, set[Quad]] = {}
    for q in parse(path=out, format=rdf_format):
        assert isinstance(q.graph_name, NamedNode)
        back.setdefault(q.graph_name.value, set()).add(q)
    assert_same_graphs(back, dataset(seed_store_dir))


def test_export_of_one_graph(seed_store_dir: Path, seeds_dir: Path) -> None:
    graph = seed_graph(sorted(seeds_dir.glob("*.txt"))[2])
    result = kg("export", "-f", "nquads", "--graph", graph.value, "--store", seed_store_dir)
    assert result.exit_code == 0
    assert (
        set(parse(result.stdout_bytes, RdfFormat.N_QUADS)) == dataset(seed_store_dir)[graph.value]
    )


# validate


@pytest.mark.slow
def test_validate_passes_on_the_seeds(seed_store_dir: Path) -> None:
    result = kg("validate", "--store", seed_store_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("conforms")


def _violations_after(path: Path, sparql_update: str) -> list[str]:
    """The lines `kg validate` prints (exit status 1) after the update is applied."""
    store = EmbeddedStore(path)
    try:
        store.update(sparql_update)
    finally:
        store.close()
    done = kg_process("validate", "--store", path)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(r"\d+ violations", lines[0])
    assert int(lines[0].split()[0]) == len(lines) - 1 >= 1
    return lines[1:]


@pytest.mark.slow
def test_validate_reports_a_pledge_with_two_stances(seed_store_copy: Path) -> None:
    store = EmbeddedStore(seed_store_copy, read_only=True)
    try:
        found = store.query(
            SPARQL_PREFIXES + "SELECT ?p ?g WHERE { GRAPH ?g { ?p a kg:Pledge } } LIMIT 1"
        )
        assert isinstance(found, QuerySolutions)
        [(pledge, graph)] = [(row["p"], row["g"]) for row in found]
        del found  # a live result keeps the store, and its lock, open
    finally:
        store.close()
    violations = _violations_after(
        seed_store_copy,
        f"INSERT DATA {{ GRAPH {graph} {{ {pledge} <{KG}stance> <{KG}Committed> , "
        f"<{KG}Declined> }} }}",
    )
    assert any(str(pledge.value) in line and "stance" in line for line in violations)


@pytest.mark.slow
def test_validate_reports_a_state_whose_iri_is_not_its_code(seed_store_copy: Path) -> None:
    state = f"{KGR}state/XA"
    violations = _violations_after(
        seed_store_copy,
        f"INSERT DATA {{ GRAPH <{KGR}graph/reference> {{ <{state}> a <{KG}State> ; "
        f'<{KG}isoCode> "XB" ; <{RDFS}label> "Nowhere"@en }} }}',
    )
    assert len(violations) == 1 and state in violations[0] and '"XB"' in violations[0]


# stats


def test_stats(seed_store_dir: Path) -> None:
    as_json = kg("stats", "--json", "--store", seed_store_dir)
    assert as_json.exit_code == 0
    counts = json.loads(as_json.stdout)
    assert set(counts) == STATS_KEYS
    assert counts["sources"] == 5
    assert counts["quads"] == sum(len(q) for q in dataset(seed_store_dir).values())
    assert counts["pledges"] >= 1 and counts["leaders"] >= 1 and counts["states"] >= 1
    as_text = kg("stats", "--store", seed_store_dir)
    assert as_text.exit_code == 0
    assert {line.split(":")[0].strip() for line in as_text.stdout.splitlines()} == STATS_KEYS


# query


def test_query_formats_agree(seed_store_dir: Path) -> None:
    results: dict[str, str] = {}
    for fmt in ("table", "json", "csv", "tsv"):
        result = kg("query", PLEDGES_BY_STATE, "-f", fmt, "--store", seed_store_dir)
        assert result.exit_code == 0, result.output
        results[fmt] = result.stdout
    rows = json.loads(results["json"])["results"]["bindings"]
    assert rows, "the union default graph joins pledges (source graphs) to states (reference)"
    expected = [(r["pledge"]["value"], r["iso"]["value"]) for r in rows]
    table = results["table"].splitlines()
    assert table[0].split() == ["pledge", "|", "iso"]
    assert table[-1] == f"({len(expected)} rows)"
    assert len(table) == len(expected) + 3
    records = list(csv.reader(io.StringIO(results["csv"])))
    assert records[0] == ["pledge", "iso"]
    assert [tuple(r) for r in records[1:]] == expected
    tsv = results["tsv"].splitlines()
    assert tsv[0].split("\t") == ["?pledge", "?iso"]
    assert len(tsv) == len(expected) + 1


def test_query_from_a_file(seed_store_dir: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "q.rq"
    query_file.write_text(PLEDGES_BY_STATE, encoding="utf-8")
    from_file = kg("query", f"@{query_file}", "-f", "csv", "--store", seed_store_dir)
    inline = kg("query", PLEDGES_BY_STATE, "-f", "csv", "--store", seed_store_dir)
    assert from_file.exit_code == 0
    assert from_file.stdout == inline.stdout


def test_ask_and_construct(seed_store_dir: Path) -> None:
    ask = kg("query", SPARQL_PREFIXES + "ASK { ?s a kg:Source }", "--store", seed_store_dir)
    assert ask.stdout.strip() == "true"
    construct = kg(
        "query",
        SPARQL_PREFIXES + "CONSTRUCT { ?s a kg:Source } WHERE { ?s a kg:Source }",
        "--store",
        seed_store_dir,
    )
    assert construct.exit_code == 0
    assert len(Graph().parse(data=construct.stdout, format="turtle")) == 5


def test_store_from_the_environment(seed_store_dir: Path) -> None:
    done = kg_process("stats", "--json", env={"KG_STORE": str(seed_store_dir)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sources"] == 5


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (("query", "SELECT ?s WHERE { ?s ?p }"), ("SPARQL syntax error",)),
        (("query", "@no-such-file.rq"), ("cannot read query file", "no-such-file.rq")),
    ],
    ids=["syntax-error", "missing-query-file"],
)
def test_query_errors_are_one_line(
    seed_store_dir: Path, args: Sequence[str], needles: Sequence[str]
) -> None:
    done = kg_process(*args, "--store", seed_store_dir)
    assert done.returncode != 0
    assert done.stdout == ""
    assert_one_line_error(done.stderr, *needles)


@pytest.mark.parametrize("command", [["stats"], ["query", "ASK {}"], ["export"], ["validate"]])
def test_reading_a_missing_store_says_so(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "no-store"
    done = kg_process(*command, "--store", missing)
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "no store at", str(missing))
    assert not missing.exists()


# A store held by another process


@pytest.mark.slow
def test_a_store_held_by_another_process_is_refused_in_one_line(
    held_store: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    before = dataset(held_store)
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    commands: list[list[str | Path]] = [
        ["ingest", "-q", seed],
        ["remove", seed_graph(seed).value],
        ["query", "ASK { ?s ?p ?o }"],
        ["export", "-o", tmp_path / "out.ttl"],
        ["stats"],
        ["validate"],
    ]
    for command in commands:
        done = kg_process(*command, "--store", held_store)
        assert done.returncode != 0, command
        assert_one_line_error(done.stderr, "in use by another process", str(held_store))
    assert not (tmp_path / "out.ttl").exists()
    assert dataset(held_store) == before


@pytest.mark.slow
def test_after_the_holder_exits_the_store_works(seed_store_copy: Path) -> None:
    before = dataset(seed_store_copy)
    holder = start_holder(seed_store_copy)
    assert kg_process("stats", "--store", seed_store_copy).returncode == 1
    holder.kill()  # the harshest end: no close, no flush
    holder.wait(timeout=30)
    done = kg_process("validate", "--store", seed_store_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert dataset(seed_store_copy) == before


@pytest.mark.slow
def test_ingest_while_kg_serve_holds_the_store_is_refused(
    seed_store_copy: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    before = dataset(seed_store_copy)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "serve.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    with log.open("wb") as handle:
        server = subprocess.Popen(
            [str(KG_COMMAND), "serve", "--store", str(seed_store_copy), "--port", str(port)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=clean,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, log.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "kg serve did not answer /healthz"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        done = kg_process(
            "ingest", "-q", sorted(seeds_dir.glob("*.txt"))[0], "--store", seed_store_copy
        )
        assert done.returncode == 1
        assert_one_line_error(done.stderr, "in use by another process", "kg ingest --server")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert dataset(seed_store_copy) == before


def test_remove_jsonl_removes_every_article_of_the_file(tmp_path: Path) -> None:
    """Regression: removing a JSONL input used to remove only its first article."""
    from typer.testing import CliRunner

    from kg.cli import app

    feed = tmp_path / "feed.jsonl"
    lines = [
        {"text": "Spain will send two frigates to the mission, the minister said."},
        {"text": "Italy would not send troops to Ukraine, Rome said on Monday."},
    ]
    feed.write_text("\n".join(json.dumps(line) for line in lines), "utf-8")
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(feed), "--store", str(store), "-q"]).exit_code == 0
    result = runner.invoke(app, ["remove", str(feed), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.output.count("removed ") == 2
