"""Claims over a real store of the seeds plus articles written here: a syndicated copy of a
seed under another URL (tracking parameters and a wire credit added), a source that
contradicts a seed, and a later source that changes a state's stance. Counts of sources and
independent sources, first and last reported dates, contradictions, as-of stances, stable
IRIs, the change log of each write, and the shapes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions

from kg.changefeed import changes_since, parse_since
from kg.changes import IngestSummary, scope_of
from kg.claims import CLAIMS_GRAPH, claim_iri, current, refresh
from kg.config import Settings
from kg.ingest import ingest
from kg.ingest.engines import local
from kg.ingest.remove import remove_sources
from kg.ingest.sinks import StoreSink
from kg.pipeline import read_all
from kg.prefixes import KG, KGR, SPARQL_PREFIXES
from kg.rdf import XSD_DATE, A, kg
from kg.records import Article
from kg.store import EmbeddedStore
from kg.timeline import positions, stance_timeline
from kg.validate import validate_store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "002_a8fb3c80d0214ba9.txt"
QUERIES = ROOT / "ontology" / "queries"
ITALY, GERMANY = KGR + "state/IT", KGR + "state/DE"
COMMITTED, DECLINED, CONSIDERING = KG + "Committed", KG + "Declined", KG + "Considering"
TROOPS = KG + "GroundTroops"
CONTRADICTING = (
    "url: https://wire.example.net/italy-troops\ntitle: Italy to send troops\n"
    "date: 2026-01-06\n\nItalian Prime Minister Giorgia Meloni said on Tuesday that Italy will "
    "send troops to Ukraine to monitor a ceasefire.\n"
)
LATER = (
    "url: https://news.example.org/berlin\ntitle: Germany decides\ndate: 2026-03-02\n\n"
    "German Chancellor Friedrich Merz said on Monday that Germany will send ground troops to "
    "Ukraine after a ceasefire.\n"
)


def syndicated_copy() -> str:
    """The seed under another URL, with tracking parameters and a wire credit at its end."""
    return (
        "url: https://syndication.example.com/world/troops?utm_source=feed&utm_medium=rss\n\n"
        + SEED.read_text("utf-8").strip()
        + "\n\nDistributed by Example Wire Service.\n"
    )


@dataclass(frozen=True)
class Built:
    seeds_only: Path
    extended: Path
    extra: Path
    started: str


def write_extra(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "copy.txt").write_text(syndicated_copy(), "utf-8")
    (folder / "contra.txt").write_text(CONTRADICTING, "utf-8")
    (folder / "later.txt").write_text(LATER, "utf-8")
    return folder


def ingest_folder(store_dir: Path, folder: Path) -> None:
    settings = Settings(store=str(store_dir))
    articles, errors = read_all([folder], settings)
    assert not errors
    store = EmbeddedStore(store_dir)
    try:
        scope = scope_of([folder], articles, errors)
        summary = ingest(articles, local(settings), StoreSink(store, settings), scope=scope)
        assert not summary.errors, summary.errors
    finally:
        store.close()


@pytest.fixture(scope="module")
def built(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The seed store, and a copy of it with the three articles above ingested."""
    root = tmp_path_factory.mktemp("claims")
    extended = root / "store"
    shutil.copytree(seed_store_dir, extended)
    started = "2000-01-01T00:00:00+00:00"
    extra = write_extra(root / "extra")
    ingest_folder(extended, extra)
    return Built(seed_store_dir, extended, extra, started)


@pytest.fixture()
def reader(built: Built) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(built.extended, read_only=True)
    yield store
    store.close()


def claim_numbers(path: Path) -> dict[str, tuple[int, int, str | None, str | None]]:
    """Each claim's (sources, independent sources, first reported, last reported)."""
    store = EmbeddedStore(path, read_only=True)
    try:
        result = store.query(
            SPARQL_PREFIXES + "SELECT ?c ?n ?i ?first ?last WHERE { ?c a kg:Claim ; "
            "kg:sourceCount ?n ; kg:independentSources ?i . "
            "OPTIONAL { ?c kg:firstReported ?first ; kg:lastReported ?last } }"
        )
        assert isinstance(result, QuerySolutions)
        return {
            row["c"].value: (
                int(row["n"].value),
                int(row["i"].value),
                row["first"].value if row["first"] else None,
                row["last"].value if row["last"] else None,
            )
            for row in result
        }
    finally:
        store.close()


def select(store: EmbeddedStore, sparql: str) -> list[dict[str, str]]:
    result = store.query(sparql)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_a_syndicated_copy_adds_a_source_but_no_independent_one(built: Built) -> None:
    before, after = claim_numbers(built.seeds_only), claim_numbers(built.extended)
    italy_declined = claim_iri(ITALY, DECLINED, TROOPS)
    assert italy_declined in before
    store = EmbeddedStore(built.extended, read_only=True)
    try:
        seed_claims = {
            row["c"]
            for row in select(
                store,
                SPARQL_PREFIXES + "SELECT DISTINCT ?c WHERE { ?c kg:supportedBy ?p . "
                "?p prov:wasDerivedFrom ?src . ?src kg:locator "
                '"seeds/002_a8fb3c80d0214ba9.txt" }',
            )
        }
        copies = select(store, SPARQL_PREFIXES + "SELECT ?copy ?of WHERE { ?copy kg:copyOf ?of }")
    finally:
        store.close()
    assert italy_declined in seed_claims and len(seed_claims) >= 5
    for claim in seed_claims:
        sources, independent, _, _ = after[claim]
        assert sources == before[claim][0] + 1, claim
        assert independent == before[claim][1], claim
    assert len(copies) == 1
    # Claims the copy does not touch keep their counts.
    for claim in set(before) - seed_claims:
        if claim in after and claim != claim_iri(ITALY, COMMITTED, TROOPS):
            assert after[claim][:2] == before[claim][:2], claim


def test_first_and_last_reported_dates(built: Built) -> None:
    after = claim_numbers(built.extended)
    assert after[claim_iri(GERMANY, CONSIDERING, TROOPS)][2:] == ("2026-01-06", "2026-01-06")
    assert after[claim_iri(GERMANY, COMMITTED, TROOPS)] == (1, 1, "2026-03-02", "2026-03-02")
    # France's troops: the 2025 report of seed 004 and the summit reports of January 2026.
    first, last = after[claim_iri(KGR + "state/FR", COMMITTED, TROOPS)][2:]
    assert first is not None and last is not None and first < last


def test_a_contradicting_source_is_linked_to_the_claim_it_contradicts(
    built: Built, reader: EmbeddedStore
) -> None:
    yes, no = claim_iri(ITALY, COMMITTED, TROOPS), claim_iri(ITALY, DECLINED, TROOPS)
    links = select(reader, SPARQL_PREFIXES + "SELECT ?a ?b WHERE { ?a kg:contradicts ?b }")
    # The only contradiction; the seeds alone have none (below).
    assert {(r["a"], r["b"]) for r in links} == {(yes, no), (no, yes)}
    rows = select(reader, (QUERIES / "contradictions.rq").read_text("utf-8"))
    italy = [r for r in rows if r["state"] == "IT" and r["type"] == "GroundTroops"]
    assert len(italy) == 1
    assert "will send troops" in italy[0]["committedQuote"]
    assert "Meloni" in italy[0]["declinedQuote"]
    assert not select(
        EmbeddedStore(built.seeds_only, read_only=True),
        SPARQL_PREFIXES + "SELECT ?a WHERE { ?a kg:contradicts ?b }",
    )


def test_the_claims_query_lists_claims_with_two_or_more_sources(reader: EmbeddedStore) -> None:
    rows = select(reader, (QUERIES / "claims.rq").read_text("utf-8"))
    assert rows and all(int(r["sources"]) >= 2 for r in rows)
    found = {(r["state"], r["stance"], r["type"]): r for r in rows}
    italy = found[("IT", "Declined", "GroundTroops")]
    assert int(italy["sources"]) == int(italy["independent"]) + 1


def test_as_of_two_dates_gives_different_stances(reader: EmbeddedStore) -> None:
    def stance(day: date) -> tuple[str, ...]:
        held = {p.kind: p.stances for p in positions(stance_timeline(reader, GERMANY, day))}
        return held["GroundTroops"]

    assert stance(date(2026, 2, 1)) == ("Considering",)
    assert stance(date(2026, 3, 2)) == ("Committed",)
    assert "GroundTroops" not in {
        p.kind for p in positions(stance_timeline(reader, GERMANY, date(2025, 12, 31)))
    }
    rows = select(
        reader,
        (QUERIES / "as-of.rq").read_text("utf-8").replace("2026-01-31", "2026-03-31"),
    )
    germany = [r for r in rows if r["state"] == "DE" and r["type"] == "GroundTroops"]
    assert [(r["stances"], r["reported"]) for r in germany] == [("Committed", "2026-03-02")]
    rows = select(reader, (QUERIES / "as-of.rq").read_text("utf-8"))
    germany = [r for r in rows if r["state"] == "DE" and r["type"] == "GroundTroops"]
    assert [r["stances"] for r in germany] == ["Considering"]


def test_claims_are_stable_and_a_write_that_changes_nothing_logs_nothing(
    built: Built, tmp_path: Path
) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(built.extended, store_dir)
    store = EmbeddedStore(store_dir)
    try:
        before = set(store.graph_quads(CLAIMS_GRAPH))
        events = changes_since(store, parse_since(built.started), 100)[1]
        assert not refresh(store)
        assert set(store.graph_quads(CLAIMS_GRAPH)) == before
        assert changes_since(store, parse_since(built.started), 100)[1] == events
    finally:
        store.close()


def test_the_change_log_records_added_replaced_and_removed(built: Built, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(built.extended, store_dir)
    store = EmbeddedStore(store_dir, read_only=True)
    [*_, first] = changes_since(store, parse_since(built.started), 100)[0]
    store.close()
    assert len(first.added) == 3 and not first.removed and not first.replaced
    assert claim_iri(ITALY, COMMITTED, TROOPS) in first.claims
    assert claim_iri(ITALY, DECLINED, TROOPS) in first.claims  # one more source

    extra = built.extra
    copy = tmp_path / "extra"
    shutil.copytree(extra, copy)
    (copy / "later.txt").write_text(LATER.replace("ground troops", "no troops"), "utf-8")
    ingest_folder(store_dir, copy)
    store = EmbeddedStore(store_dir)
    try:
        replaced = changes_since(store, first.at, 100)[0]
        assert len(replaced) == 1
        [(new, old)] = replaced[0].replaced
        assert new == old and not replaced[0].added and not replaced[0].removed
        assert claim_iri(GERMANY, COMMITTED, TROOPS) in replaced[0].claims
        assert claim_iri(GERMANY, DECLINED, TROOPS) in replaced[0].claims

        url = "https://wire.example.net/italy-troops?utm_campaign=x"
        removed, kept = remove_sources(store, url, Settings(store=str(store_dir)))
        assert len(removed) == 1 and not kept
        [gone] = changes_since(store, replaced[0].at, 100)[0]
        assert gone.removed == (removed[0].value,)
        assert claim_iri(ITALY, COMMITTED, TROOPS) in gone.claims
        assert not select(store, SPARQL_PREFIXES + "SELECT ?a WHERE { ?a kg:contradicts ?b }")
    finally:
        store.close()


def test_claims_and_change_events_conform_to_the_shapes(reader: EmbeddedStore) -> None:
    conforms, report = validate_store(reader)
    assert conforms, report


def _source_graph(
    name: str, stance: str, reported: str, text_hash: str | None = None
) -> tuple[NamedNode, list[Quad]]:
    """A source graph as the store holds one, written by hand: the source (with no content
    hash nor locator, as graphs stored before those were recorded) and one pledge of Spain."""
    src = NamedNode(f"{KGR}source/{name}")
    pledge = NamedNode(f"{KGR}pledge/{name}")
    facts: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = [
        (src, A, kg("Source")),
        (pledge, A, kg("Pledge")),
        (pledge, kg("pledgedBy"), NamedNode(KGR + "state/ES")),
        (pledge, kg("stance"), kg(stance)),
        (pledge, kg("contributionType"), kg("GroundTroops")),
        (pledge, kg("reportedOn"), Literal(reported, datatype=XSD_DATE)),
        (pledge, kg("evidence"), Literal(f"Spain {stance} ({name}).")),
    ]
    if text_hash:
        facts.append((src, kg("textHash"), Literal(text_hash)))
    return src, [Quad(s, p, o, src) for s, p, o in facts]


def test_copies_contradictions_and_sources_without_versions_by_hand() -> None:
    store = EmbeddedStore(None)
    spain = KGR + "state/ES"
    yes, no = claim_iri(spain, COMMITTED, TROOPS), claim_iri(spain, DECLINED, TROOPS)
    for graph, quads in (
        _source_graph("a", "Committed", "2026-01-01", "same-text"),
        _source_graph("b", "Committed", "2026-01-02", "same-text"),
        _source_graph("c", "Declined", "2026-03-01"),
    ):
        store.replace_graph(graph, quads)
    first = refresh(store)
    assert len(first.added) == 3 and set(first.claims) == {yes, no}
    numbers = {
        row["c"]: (row["n"], row["i"])
        for row in select(
            store,
            SPARQL_PREFIXES + "SELECT ?c ?n ?i WHERE { ?c kg:sourceCount ?n ; "
            "kg:independentSources ?i }",
        )
    }
    assert numbers == {yes: ("2", "1"), no: ("1", "1")}
    # Two months apart: a change of position, not a contradiction.
    assert not select(store, SPARQL_PREFIXES + "SELECT ?a WHERE { ?a kg:contradicts ?b }")
    # Sources with neither a content hash nor a locator are still known the next time.
    assert not refresh(store)

    store.replace_graph(*_source_graph("d", "Declined", "2026-01-06"))
    second = refresh(store)
    assert second.added == (f"{KGR}source/d",) and second.claims == (no,)
    links = select(store, SPARQL_PREFIXES + "SELECT ?a ?b WHERE { ?a kg:contradicts ?b }")
    assert {(r["a"], r["b"]) for r in links} == {(yes, no), (no, yes)}


def ingest_into(
    articles: list[Article], store: EmbeddedStore, settings: Settings, *, claims: bool = True
) -> IngestSummary:
    return ingest(articles, local(settings), StoreSink(store, settings), claims=claims)


def claims_of(store: EmbeddedStore) -> set[str]:
    return {
        row["c"] for row in select(store, SPARQL_PREFIXES + "SELECT ?c WHERE { ?c a kg:Claim }")
    }


def test_a_batch_leaves_the_claims_to_the_next_run_that_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "later.txt").write_text(LATER, "utf-8")
    settings = Settings(store=str(tmp_path / "store"))
    articles, _ = read_all([folder], settings)
    store = EmbeddedStore(tmp_path / "store")
    try:
        ingest_into(articles, store, settings, claims=False)
        assert not claims_of(store) and not current(store)
        # The article is unchanged, so this run writes nothing; the claims are still pending.
        summary = ingest_into(articles, store, settings)
        assert summary.unchanged == 1
        assert claim_iri(GERMANY, COMMITTED, TROOPS) in claims_of(store)
        assert current(store)
    finally:
        store.close()


def test_a_run_counts_sources_stored_without_their_claims(tmp_path: Path) -> None:
    """Source graphs loaded from N-Quads files carry no claims: the next run that writes
    nothing still counts them."""
    for name, text in (("later", LATER), ("contra", CONTRADICTING)):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.txt").write_text(text, "utf-8")
    settings = Settings(store=str(tmp_path / "store"))
    later, _ = read_all([tmp_path / "later"], settings)
    contra, _ = read_all([tmp_path / "contra"], settings)
    other = EmbeddedStore(tmp_path / "other")
    store = EmbeddedStore(tmp_path / "store")
    try:
        ingest_into(contra, other, Settings(store=str(tmp_path / "other")))
        [graph] = [
            NamedNode(row["g"])
            for row in select(other, "SELECT ?g WHERE { GRAPH ?g { ?g a <" + KG + "Source> } }")
        ]
        ingest_into(later, store, settings)
        assert current(store)
        store.apply({graph: other.graph_quads(graph)})
        assert not current(store)
        assert ingest_into(later, store, settings).unchanged == 1
        assert claim_iri(ITALY, COMMITTED, TROOPS) in claims_of(store)
        assert current(store)
    finally:
        store.close()
        other.close()
