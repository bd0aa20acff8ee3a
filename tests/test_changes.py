"""A source's identity across ingests, through the `kg` command on a real store with the real
pipeline: an edited article replaces its stored version, removal by path finds whatever
version is stored, two texts under one URL are never merged, one text under URLs that differ
only in tracking parameters is one source, what is gone from a folder is removed, and the
closing line says what was new, changed, unchanged and removed (``--dry-run`` writes
nothing)."""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, serialize
from typer.testing import CliRunner, Result

from kg.cli import app
from kg.identity import path_locator
from kg.prefixes import KG
from kg.rdf import INPUT_PATH, LOCATOR, SOURCE_PREFIX

runner = CliRunner()
SUMMARY = re.compile(
    r"^(?:ingested|would ingest) (\d+) sources: (\d+) new, (\d+) changed, (\d+) unchanged, "
    r"(\d+) removed",
    re.MULTILINE,
)
SPAIN = (
    "Spanish Prime Minister Pedro Sánchez said on Tuesday that Spain could send troops to "
    "Ukraine after a ceasefire, once parliament has been consulted about the mission."
)
SPAIN_EDITED = (
    "Spanish Prime Minister Pedro Sánchez said on Wednesday that Spain could send troops to "
    "Ukraine after a ceasefire, once parliament has approved the mission."
)
ITALY = "Italian Prime Minister Giorgia Meloni said Italy would not send troops to Ukraine."
DUTCH = (
    "Dutch Prime Minister Dick Schoof said the Netherlands will send two F-35 jets to police "
    "Polish airspace."
)
PLEDGE = NamedNode(KG + "Pledge")
A = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def kg(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def counts(result: Result) -> tuple[int, ...]:
    """(sources, new, changed, unchanged, removed) of a closing line."""
    match = SUMMARY.search(result.stdout)
    assert match is not None, result.output
    return tuple(int(n) for n in match.groups())


def quads(store: Path) -> set[Quad]:
    handle = Store.read_only(str(store))
    try:
        return set(handle)
    finally:
        del handle


def sources(found: set[Quad]) -> set[str]:
    return {q.graph_name.value for q in found if isinstance(q.graph_name, NamedNode)
            and q.graph_name.value.startswith(SOURCE_PREFIX)}  # fmt: skip


def pledges(found: set[Quad]) -> int:
    return len({q.subject for q in found if q.predicate == A and q.object == PLEDGE})


def texts(found: set[Quad], predicate: NamedNode) -> set[str]:
    """The literal values of a predicate."""
    return {
        q.object.value for q in found if q.predicate == predicate and isinstance(q.object, Literal)
    }


def everything(store: Path) -> str:
    """Every quad of the store as N-Quads text: what "anywhere in the store" means."""
    data = serialize(quads(store), None, RdfFormat.N_QUADS) or b""
    return data.decode("utf-8")


def write(path: Path, body: str, header: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((header + "\n\n" if header else "") + body + "\n", "utf-8")
    return path


def test_an_edited_article_replaces_its_stored_version(tmp_path: Path) -> None:
    store, folder = tmp_path / "store", tmp_path / "in"
    article = write(folder / "spain.txt", f"{SPAIN}\n\n{ITALY}", "title: Spain weighs troops")
    write(folder / "dutch.txt", DUTCH)
    first = kg("ingest", "-q", folder, "--store", store)
    assert first.exit_code == 0, first.output
    assert counts(first) == (2, 2, 0, 0, 0)
    before = quads(store)
    assert pledges(before) == 3

    write(article, f"{SPAIN_EDITED}\n\n{ITALY}", "title: Spain weighs troops")
    dry = kg("ingest", "-q", "--dry-run", folder, "--store", store)
    assert dry.exit_code == 0, dry.output
    assert counts(dry) == (2, 0, 1, 1, 0)
    assert "dry run: nothing written" in dry.stdout
    assert quads(store) == before

    second = kg("ingest", "-q", folder, "--store", store)
    assert second.exit_code == 0, second.output
    assert counts(second) == (2, 0, 1, 1, 0)
    after = quads(store)
    assert len(sources(after)) == 2 and pledges(after) == 3
    text = everything(store)
    assert SPAIN not in text and "has been consulted" not in text
    assert SPAIN_EDITED in text and ITALY in text
    # The other article was unchanged and not written again: its graph is the very same.
    [kept] = sources(before) & sources(after)
    graph = NamedNode(kept)
    assert {q for q in before if q.graph_name == graph} == {
        q for q in after if q.graph_name == graph
    }
    assert DUTCH in {str(getattr(q.object, "value", "")) for q in after if q.graph_name == graph}


def test_remove_by_path_after_an_edit_leaves_no_graph_of_that_file(tmp_path: Path) -> None:
    store = tmp_path / "store"
    article = write(tmp_path / "in" / "spain.txt", SPAIN)
    other = write(tmp_path / "in" / "dutch.txt", DUTCH)
    assert kg("ingest", "-q", tmp_path / "in", "--store", store).exit_code == 0
    write(article, SPAIN_EDITED)
    assert counts(kg("ingest", "-q", article, "--store", store)) == (1, 0, 1, 0, 0)
    write(article, SPAIN + " A third version.")  # edited again, not ingested

    removed = kg("remove", article, "--store", store)
    assert removed.exit_code == 0, removed.output
    assert len(removed.stdout.strip().splitlines()) == 1
    assert removed.stdout.startswith(f"removed {SOURCE_PREFIX}")
    left = quads(store)
    named = path_locator(article)
    assert named not in texts(left, LOCATOR) | texts(left, INPUT_PATH)
    assert "Spain could send troops" not in everything(store)
    assert texts(left, INPUT_PATH) == {path_locator(other)}
    again = kg("remove", article, "--store", store)
    assert again.exit_code == 1 and "no stored source matches" in again.stderr


def test_two_texts_under_one_url_are_never_merged(tmp_path: Path) -> None:
    store, url = tmp_path / "store", "url: https://example.org/news/troops"
    first = write(tmp_path / "in" / "a.txt", SPAIN, url)
    second = write(tmp_path / "in" / "b.txt", ITALY, url + "/?utm_source=rss")
    result = kg("ingest", "-q", tmp_path / "in", "--store", store)
    assert result.exit_code == 1
    assert counts(result) == (1, 1, 0, 0, 0)
    assert "1 failed" in result.stdout
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"kg: {second}: gives the URL https://example.org/news/troops of ")
    assert str(first) in line and "not stored" in line
    text = everything(store)
    assert "Spanish Prime Minister" in text and "Italian Prime Minister" not in text

    # Alone, the other text is a new version of the article at that URL: it replaces it.
    alone = kg("ingest", "-q", second, "--store", store)
    assert alone.exit_code == 0, alone.output
    assert counts(alone) == (1, 0, 1, 0, 0)
    text = everything(store)
    assert "Italian Prime Minister" in text and "Spanish Prime Minister" not in text
    assert len(sources(quads(store))) == 1


def test_one_text_under_urls_differing_only_in_tracking_is_one_source(tmp_path: Path) -> None:
    store = tmp_path / "store"
    write(tmp_path / "in" / "a.txt", SPAIN, "url: https://example.org/news/spain?utm_source=rss")
    write(tmp_path / "in" / "b.txt", SPAIN, "url: HTTPS://Example.org/news/spain/#comments")
    write(tmp_path / "in" / "c.txt", SPAIN, "url: https://example.org/news/spain?fbclid=IwAR")
    result = kg("ingest", "-q", tmp_path / "in", "--store", store)
    assert result.exit_code == 0, result.output
    assert counts(result) == (1, 1, 0, 0, 0)
    assert result.stderr.count("same article as") == 2
    found = quads(store)
    assert len(sources(found)) == 1 and pledges(found) == 1
    assert texts(found, LOCATOR) == {"https://example.org/news/spain"}
    assert len(texts(found, INPUT_PATH)) == 3
    assert counts(kg("ingest", "-q", tmp_path / "in", "--store", store)) == (1, 0, 0, 1, 0)
    removed = kg("remove", "https://example.org/news/spain/?utm_campaign=x", "--store", store)
    assert removed.exit_code == 0, removed.output
    assert not sources(quads(store))


def test_what_is_gone_from_a_folder_is_removed(tmp_path: Path) -> None:
    store, folder = tmp_path / "store", tmp_path / "in"
    write(folder / "spain.txt", SPAIN)
    gone = write(folder / "dutch.txt", DUTCH)
    write(folder / "sub" / "italy.txt", ITALY)
    assert counts(kg("ingest", "-q", folder, "--store", store)) == (3, 3, 0, 0, 0)
    gone.unlink()
    (folder / "sub" / "italy.txt").write_bytes(b"")  # unreadable now: left as it is
    dry = kg("ingest", "-q", "--dry-run", folder, "--store", store)
    assert counts(dry) == (1, 0, 0, 1, 1)
    assert len(sources(quads(store))) == 3
    result = kg("ingest", "-q", folder, "--store", store)
    assert result.exit_code == 1  # the empty file
    assert counts(result) == (1, 0, 0, 1, 1)
    text = everything(store)
    assert "Dutch Prime Minister" not in text and "Italian Prime Minister" in text
    # A file ingested alone removes nothing beside it.
    assert counts(kg("ingest", "-q", folder / "spain.txt", "--store", store))[4] == 0


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    write(tmp_path / "in" / "spain.txt", SPAIN)
    result = kg("ingest", "-q", "--dry-run", tmp_path / "in", "--store", store)
    assert result.exit_code == 0, result.output
    assert counts(result) == (1, 1, 0, 0, 0)
    assert not store.exists()
    assert kg("ingest", "-q", tmp_path / "in", "--store", store).exit_code == 0
    before = quads(store)
    write(tmp_path / "in" / "spain.txt", SPAIN_EDITED)
    write(tmp_path / "in" / "dutch.txt", DUTCH)
    dry = kg("ingest", "-q", "--dry-run", tmp_path / "in", "--store", store)
    assert counts(dry) == (2, 1, 1, 0, 0)
    assert quads(store) == before


def test_show_and_extract_print_what_one_article_yielded(tmp_path: Path) -> None:
    store = tmp_path / "store"
    article = write(
        tmp_path / "spain.txt",
        f"{SPAIN}\n\n{ITALY}",
        "title: Spain weighs troops\ndate: 2026-01-07",
    )
    untitled = write(tmp_path / "dutch.txt", DUTCH)
    assert kg("ingest", "-q", article, untitled, "--store", store).exit_code == 0
    shown = kg("show", article, "--store", store)
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0] == "Spain weighs troops"
    assert f"  locator    {path_locator(article)}" in lines
    assert "  date       2026-01-07 (given with the article)" in lines
    assert any(line.startswith("  ingested   ") and "pledgekg" in line for line in lines)
    assert "Pledges (2)" in lines and "Leaders (2)" in lines
    assert f"    > {SPAIN}" in lines and f"    > {ITALY}" in lines
    assert "  Spain: Considering GroundTroops" in lines
    assert "    reported on 2026-01-07" in lines

    extracted = kg("extract", article)
    assert extracted.exit_code == 0, extracted.output

    def facts(text: str) -> list[str]:
        return [
            line for line in text.splitlines() if not line.startswith(("  ingested", "  extracted"))
        ]

    assert facts(extracted.stdout) == facts(shown.stdout)
    assert "(not stored)" in extracted.stdout
    no_title = kg("show", untitled, "--store", store).stdout.splitlines()
    assert no_title[0].startswith("Untitled: \u201cDutch Prime Minister Dick Schoof")
    assert "  date       none given by the article" in no_title
    missing = kg("show", tmp_path / "never.txt", "--store", store)
    assert missing.exit_code == 1 and "no stored source matches" in missing.stderr
