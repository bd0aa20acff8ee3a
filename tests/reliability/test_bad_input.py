"""Bad input through a real `kg ingest` process: each bad file (or JSONL line) gets one line
naming it, the good files of the same run are stored, the exit status says some failed, and
nothing of a failed article reaches the store."""

from __future__ import annotations

import json
import os
import random
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.claims import CHANGES_GRAPH, CLAIMS_GRAPH
from kg.identity import source_id
from kg.rdf import ONTOLOGY_GRAPH, REFERENCE_GRAPH, source_iri
from kg.records import Article
from kg.sources import read_file

from .conftest import SEEDS, Run, read_graphs, run_kg, source_graphs

SEED = SEEDS / "000_7a9975804206b27f.txt"
OTHER_SEED = SEEDS / "004_329385cbc43a574b.txt"
SPANISH = (
    "El presidente del Gobierno, Pedro Sánchez, anunció hoy en Madrid que España enviará "
    "tropas a Ucrania cuando se alcance un alto el fuego con Rusia.\n"
    "La ministra de Defensa explicó que el Parlamento votará la misión la próxima semana y "
    "que los soldados españoles no participarán en combates.\n"
)
SCRIPT_PAGE = (
    "<!doctype html><html><head><title>Loading</title>"
    "<script>window.location = '/app'; var tracking = {id: 42};</script></head>"
    "<body><nav><a href='/'>Home</a> <a href='/login'>Log in</a></nav>"
    "<script>document.write('<p>Spain will send troops to Ukraine.</p>')</script>"
    "<noscript>Please enable JavaScript to read this page.</noscript></body></html>"
)
GOOD_LINE = {
    "text": "France will send troops to Ukraine after a ceasefire, President Emmanuel Macron "
    "said in Paris on Monday.",
    "url": "https://example.org/jsonl/good",
    "date": "2026-01-05",
}
# U+2028 is legal unescaped inside a JSON string: it must not split the line.
SECOND_GOOD_LINE = {
    "text": "Britain has pledged air power and minesweepers to a future mission in Ukraine,\u2028"
    "Prime Minister Keir Starmer told parliament on Tuesday.",
    "url": "https://example.org/jsonl/second",
}
# Line number (1-based) -> (JSONL line, what its error says); None marks the good lines.
JSONL_LINES: list[tuple[str, str | None]] = [
    (json.dumps(GOOD_LINE), None),
    ('{"text": "Spain will send troops", ', "not valid JSON"),
    (json.dumps({"title": "No text here", "url": "https://example.org/jsonl/3"}), "'text'"),
    ("[1, 2, 3]", "JSON object"),
    (json.dumps({"text": 42}), "'text' must be a string"),
    (json.dumps({**GOOD_LINE, "url": "https://example.org/jsonl/6", "date": "soon"}), "'date'"),
    (json.dumps({**GOOD_LINE, "url": ["not", "a", "string"]}), "'url' must be a string"),
    ('{"text": "Spain will send \\ud800 troops to Ukraine."}', "surrogate"),
    ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ("", None),
    (json.dumps(SECOND_GOOD_LINE, ensure_ascii=False), None),
]


def lines_about(run: Run, origin: str) -> list[str]:
    """The stderr lines naming exactly this file (or file:line)."""
    return [line for line in run.error_lines if re.match(rf"kg: {re.escape(origin)}: ", line)]


def stored_sources(store: Path) -> set[str]:
    return set(source_graphs(read_graphs(store)))


def article_source(path: Path) -> str:
    articles, errors = read_file(path, 10**9)
    assert not errors and len(articles) == 1
    return source_iri(source_id(articles[0])).value


def make_inbox(folder: Path) -> dict[str, str | None]:
    """Write every kind of bad file beside two good ones; return file name -> expected error
    (None for files that must be stored)."""
    folder.mkdir()
    text = SEED.read_text("utf-8")
    (folder / "good.txt").write_text(text, "utf-8")
    (folder / "the same article.md").write_text(text, "utf-8")
    (folder / "other.txt").write_text(OTHER_SEED.read_text("utf-8"), "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(" \n\t\r\n \u00a0\u2003\n".encode())
    (folder / "bom only.txt").write_bytes(b"\xef\xbb\xbf\n")
    noise = random.Random(5).randbytes(20_000)
    (folder / "binary.txt").write_bytes(noise[:100] + b"\x00" + noise[100:])
    (folder / "latin1.txt").write_bytes(
        "Le président français a annoncé que la France enverra des troupes.".encode("latin-1")
    )
    (folder / "long line.txt").write_text(_long_line(2_000_000), "utf-8")
    (folder / "scripts.html").write_text(SCRIPT_PAGE, "utf-8")
    (folder / "spanish.txt").write_text(SPANISH, "utf-8")
    (folder / "feed.jsonl").write_text("\n".join(line for line, _ in JSONL_LINES), "utf-8")
    expected: dict[str, str | None] = {
        "good.txt": None,
        "the same article.md": "same article as",
        "other.txt": None,
        "empty.txt": "file is empty",
        "blank.md": "file is empty",
        "bom only.txt": "file is empty",
        "binary.txt": "binary file",
        "latin1.txt": "not valid UTF-8",
        "long line.txt": "over the limit",
        "scripts.html": "no article text",
        "spanish.txt": "not in English (detected 'es')",
    }
    return expected


def _long_line(size: int) -> str:
    words = "Spain France will send troops to Ukraine the minister said after a ceasefire".split()
    pick = random.Random(11).choice
    parts: list[str] = []
    total = 0
    while total < size:
        word = pick(words)
        parts.append(word)
        total += len(word) + 1
    return " ".join(parts)[:size]


@pytest.mark.slow
def test_bad_files_are_named_once_and_good_ones_stored(
    tmp_path: Path, kg_runner: Callable[..., Run]
) -> None:
    inbox = tmp_path / "inbox"
    expected = make_inbox(inbox)
    unknown = tmp_path / "notes.pdf"
    unknown.write_bytes(b"%PDF-1.7 Spain will send troops to Ukraine")
    store = tmp_path / "store"

    run = kg_runner("ingest", str(inbox), str(unknown), "--store", str(store), "-q")

    assert "Traceback" not in run.stderr and "unexpected error" not in run.stderr, run.stderr
    assert run.returncode == 1, run.stderr
    # A 2 MB line is refused before annotation, so the whole run stays quick.
    assert run.seconds < 90
    for name, reason in expected.items():
        found = lines_about(run, str(inbox / name))
        if reason is None:
            assert found == [], found
        else:
            assert len(found) == 1 and reason in found[0], (name, run.stderr)
    (pdf_line,) = lines_about(run, str(unknown))
    assert "unsupported file type '.pdf'" in pdf_line
    for number, (_, reason) in enumerate(JSONL_LINES, start=1):
        found = lines_about(run, f"{inbox / 'feed.jsonl'}:{number}")
        if reason is None:
            assert found == [], found
        else:
            assert len(found) == 1 and reason in found[0], (number, run.stderr)
    # Nothing but the one-line reports: no warnings, progress or stray output.
    reports = sum(reason is not None for reason in expected.values())
    reports += sum(reason is not None for _, reason in JSONL_LINES) + 1
    assert len(run.error_lines) == reports, run.stderr
    # good.txt and its copy are one source; the two good JSONL lines are two more.
    assert re.search(r"^ingested 4 sources: .*, \d+ failed$", run.stdout.strip()), run.stdout
    # Exactly the good articles are stored, and the reference data: nothing of a failure.
    graphs = read_graphs(store)
    good = {
        article_source(inbox / "good.txt"),
        article_source(inbox / "other.txt"),
        source_iri(source_id(Article(text="", origin="", url=GOOD_LINE["url"]))).value,
        source_iri(source_id(Article(text="", origin="", url=SECOND_GOOD_LINE["url"]))).value,
    }
    assert set(source_graphs(graphs)) == good
    derived = {CLAIMS_GRAPH.value, CHANGES_GRAPH.value}  # computed from the stored sources
    assert set(graphs) - good <= {REFERENCE_GRAPH.value, ONTOLOGY_GRAPH.value} | derived
    # No stored term carries what only a failed article had.
    stored = " ".join(str(term) for quads in graphs.values() for q in quads for term in q)
    for marker in ("anunció", "https://example.org/jsonl/3", "https://example.org/jsonl/6"):
        assert marker not in stored


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path]:
    """Two good files alone: the exit status and memory that bad files are compared with."""
    folder = tmp_path_factory.mktemp("clean-run")
    store = folder / "store"
    run = run_kg(["ingest", str(SEED), str(OTHER_SEED), "--store", str(store), "-q"], folder)
    return run, store


def test_a_clean_run_exits_zero(clean_run: tuple[Run, Path]) -> None:
    """The exit status is what tells failures apart: the same good files alone give 0."""
    run, store = clean_run
    assert run.returncode == 0, run.stderr
    assert run.error_lines == []
    assert len(source_graphs(read_graphs(store))) == 2


def _write_big_file(path: Path, size: int) -> None:
    """``size`` bytes of English lines, written in chunks so the test holds little of it."""
    line = (
        b"Spain will send troops to Ukraine after a ceasefire, the prime minister said on "
        b"Monday in Madrid.\n"
    )
    chunk = line * (1_000_000 // len(line))
    with path.open("wb") as handle:
        written = 0
        while written < size:
            piece = chunk[: size - written]
            handle.write(piece)
            written += len(piece)


@pytest.mark.slow
def test_a_50_mb_file_is_refused_without_reading_it(
    tmp_path: Path, kg_runner: Callable[..., Run], clean_run: tuple[Run, Path]
) -> None:
    big = tmp_path / "huge.txt"
    _write_big_file(big, 50 * 1024 * 1024)
    baseline, _ = clean_run

    store = tmp_path / "store"
    run = kg_runner("ingest", str(big), str(SEED), "--store", str(store), "-q")

    assert run.returncode == 1
    (line,) = run.error_lines
    assert line.startswith(f"kg: {big}: ") and "KG_MAX_ARTICLE_BYTES" in line
    # Refused from its size alone: peak memory is that of a run without it (50 MB would show).
    assert run.max_rss_kib - baseline.max_rss_kib < 20 * 1024, (run, baseline)
    assert set(source_graphs(read_graphs(store))) == {article_source(SEED)}


@pytest.mark.slow
def test_a_50_mb_file_under_a_raised_byte_limit_is_refused_quickly(
    tmp_path: Path, kg_runner: Callable[..., Run], clean_run: tuple[Run, Path]
) -> None:
    """With the byte limit raised above it, the file is read but refused by the article
    length limit before cleaning or annotation, instead of running for hours."""
    big = tmp_path / "huge.txt"
    _write_big_file(big, 50 * 1024 * 1024)
    store = tmp_path / "store"

    run = kg_runner(
        "ingest",
        str(big),
        str(SEED),
        "--store",
        str(store),
        "-q",
        timeout=120,
        KG_MAX_ARTICLE_BYTES=str(60 * 1024 * 1024),
    )

    assert run.returncode == 1, run.stderr
    (line,) = run.error_lines
    assert line.startswith(f"kg: {big}: ") and "over the limit" in line
    assert run.seconds < 60
    # The bytes, their text and a working copy or two at most: never a parse of it all.
    assert run.max_rss_kib - clean_run[0].max_rss_kib < 4 * 50 * 1024, run
    assert set(source_graphs(read_graphs(store))) == {article_source(SEED)}


def test_a_file_growing_past_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    """The size is checked before reading, but a file still being written (here a pipe, whose
    size reads as 0) can outgrow it: reading stops at the limit."""
    fifo = tmp_path / "growing.txt"
    os.mkfifo(fifo)
    written = 0

    def writer() -> None:
        nonlocal written
        line = b"Spain will send troops to Ukraine, the minister said.\n"
        try:
            with fifo.open("wb") as handle:
                while written < 50 * 1024 * 1024:
                    handle.write(line * 100)
                    written += len(line) * 100
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    articles, errors = read_file(fifo, 64 * 1024)
    thread.join(timeout=30)
    assert articles == []
    (error,) = errors
    assert "over the limit of 65536 bytes" in error.reason
    assert written < 1024 * 1024, written
