"""Malformed IRIs, URLs and paths given to `kg`: each is refused before any work, in one line
naming the option (or argument) and the value, with the exit status of a usage error (2); a
bad setting is one line naming its variable."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from kg.rdf import SOURCE_PREFIX
from tests.commands import assert_fails, assert_one_line_error, kg_process

# (the command's words before the value, the value, the words after it, what the line names)
MALFORMED = [
    (["export", "--graph"], "not an iri", [], "not an absolute IRI"),
    (["export", "--graph"], "not-an-iri", [], "not an absolute IRI"),
    (["export", "--graph"], "https://example.org/a b", [], "not an absolute IRI"),
    (["remove"], SOURCE_PREFIX + "0123 456789abcdef", [], "not an absolute IRI"),
    (["remove"], SOURCE_PREFIX + "<x>", [], "not an absolute IRI"),
    (["show"], SOURCE_PREFIX + "0123456789abcdef>", [], "not an absolute IRI"),
    (["stats", "--store"], "http://[bad", [], "not a URL"),
    (["stats", "--store"], "https://", [], "names no host"),
    (["query", "--store"], "http://exa mple.org", ["ASK {}"], "not a URL"),
    (["ingest", "--server"], "localhost:8000", ["seeds"], "not an http(s) URL"),
    (["ingest", "--server"], "http://[::1", ["seeds"], "not a URL"),
    (["ingest", "--address"], "tcp://127.0.0.1", ["seeds"], "the port is missing"),
    (["ingest", "--address"], "no-such-scheduler.json", ["seeds"], "nor an existing"),
]


@pytest.mark.parametrize(("before", "value", "after", "reason"), MALFORMED)
def test_a_malformed_iri_or_url_is_one_line_naming_it(
    seed_store_dir: Path, before: list[str], value: str, after: list[str], reason: str
) -> None:
    store = [] if "--store" in before else ["--store", str(seed_store_dir)]
    done = kg_process(*before, value, *after, *store)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    named = before[-1] if before[-1].startswith("--") else "SOURCE"
    assert_one_line_error(done.stderr, f"{named} {value!r}", reason)


def test_a_store_that_is_a_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "store"
    file.write_text("not a store")
    done = kg_process("stats", "--store", file)
    assert done.returncode == 2
    assert_one_line_error(done.stderr, f"--store {str(file)!r}", "a file, not a store's folder")
    assert file.read_text() == "not a store"


@pytest.mark.parametrize(
    ("where", "reason"),
    [("missing/graph.ttl", "no folder"), (".", "a folder, not a file")],
    ids=["no-folder", "a-folder"],
)
def test_an_export_file_that_cannot_be_written_is_refused(
    seed_store_dir: Path, tmp_path: Path, where: str, reason: str
) -> None:
    output = tmp_path / where
    done = kg_process("export", "--store", seed_store_dir, "--output", output)
    assert done.returncode == 2
    assert_one_line_error(done.stderr, f"--output {str(output)!r}", reason)
    assert sorted(tmp_path.iterdir()) == []


def test_an_nquads_folder_under_a_file_is_refused(tmp_path: Path, seeds_dir: Path) -> None:
    file = tmp_path / "a-file"
    file.write_text("kept")
    folder = file / "nquads"
    done = kg_process("ingest", "--nquads-dir", folder, seeds_dir)
    assert done.returncode == 2
    assert_one_line_error(done.stderr, f"--nquads-dir {str(folder)!r}", "is a file, not a folder")
    assert file.read_text() == "kept"


@pytest.mark.parametrize("gold", ["no-such-gold.json", "."], ids=["missing", "a-folder"])
def test_a_gold_file_that_is_not_a_file_is_refused(
    tmp_path: Path, seeds_dir: Path, gold: str
) -> None:
    path = tmp_path / gold
    done = kg_process("eval", path, seeds_dir)
    assert done.returncode == 2
    assert_one_line_error(done.stderr, f"GOLD {str(path)!r}")


@pytest.mark.parametrize(
    ("variable", "value", "needles"),
    [
        ("KG_STORE", "http://[bad", ("KG_STORE='http://[bad'", "not a URL")),
        ("KG_STORE", "https://", ("KG_STORE='https://'", "names no host")),
        ("KG_PORT", "eighty", ("KG_PORT", "valid integer")),
    ],
)
def test_a_bad_setting_is_one_line_naming_its_variable(
    variable: str, value: str, needles: Sequence[str]
) -> None:
    done = kg_process("stats", env={variable: value})
    assert done.returncode == 1
    assert_one_line_error(done.stderr, *needles)


def test_a_well_formed_iri_of_no_graph_is_one_line_too(
    seed_store_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "graph.nq"
    done = kg_process(
        "export", "--store", seed_store_dir, "--graph", "https://x.org/g", "--output", output
    )
    assert_fails(done, "--graph 'https://x.org/g'", "no such named graph")
    assert sorted(tmp_path.iterdir()) == []


def test_a_source_is_removed_by_the_url_its_article_gave_however_odd(tmp_path: Path) -> None:
    """Article URLs are kept as their input gives them, so a source's name is compared as it
    is, not refused for its form."""
    article = tmp_path / "odd.txt"
    article.write_text(
        "url: http://[odd\n\nSpanish Prime Minister Pedro Sánchez said on Tuesday that "
        "Spain could send troops to Ukraine after a ceasefire.\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert kg_process("ingest", "-q", article, "--store", store).returncode == 0
    removed = kg_process("remove", "http://[odd", "--store", store)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.startswith("removed " + SOURCE_PREFIX)
