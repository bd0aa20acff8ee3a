"""Reading does not change the facts: each seed article (and each text of the development set
when it is beside the checkout), hard-wrapped at 72 columns, marked up as Markdown, wrapped
in an HTML page or fragment, or sent as one JSONL line, gives the same graph of facts (by
isomorphism, source metadata aside), and every evidence sentence is verbatim, modulo white
space, in the text that went in."""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.config import Settings
from kg.pipeline import extract_articles, read_all
from kg.prefixes import KG, KGR
from kg.rdf import extraction_quads, source_iri
from kg.records import Article, Extraction
from kg.sources import read_file

DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "dev"
_SOURCE_FACTS = {
    "http://purl.org/dc/terms/title",
    "https://schema.org/url",
    "https://schema.org/publisher",
    "https://schema.org/datePublished",
    f"{KG}language",
    f"{KG}passagesSkipped",
    f"{KG}contentHash",
    f"{KG}opening",
    f"{KG}referenceDate",
}


def header(article: Article) -> str:
    lines = [f"title: {article.title}"] if article.title else []
    if article.published:
        lines.append(f"date: {article.published.isoformat()}")
    return "\n".join(lines) + "\n\n" if lines else ""


def plain(article: Article) -> str:
    return header(article) + article.text + "\n"


def wrapped(article: Article) -> str:
    paragraphs = [textwrap.fill(p, 72) for p in article.text.split("\n") if p.strip()]
    return header(article) + "\n\n".join(paragraphs) + "\n"


def markdown(article: Article) -> str:
    paragraphs = [p for p in article.text.split("\n") if p.strip()]
    marked = []
    for index, paragraph in enumerate(paragraphs):
        words = paragraph.split(" ")
        if len(words) > 6:  # emphasis on a word, a link on another
            words[1] = f"**{words[1]}**"
            words[-3] = f"[{words[-3]}](https://example.org/more)"
        marked.append(("## " if index == 0 and len(words) < 16 else "") + " ".join(words))
    return header(article) + "\n\n".join(marked) + "\n"


def html_page(article: Article) -> str:
    title = html.escape(article.title or "")
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in article.text.split("\n") if p.strip())
    published = article.published.isoformat() if article.published else ""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body>"
        f"<article>{body}</article></body></html>"
    )


def html_fragment(article: Article) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in article.text.split("\n") if p.strip())
    return header(article) + body


def jsonl(article: Article) -> str:
    record = {"text": article.text, "title": article.title}
    if article.published:
        record["date"] = article.published.isoformat()
    return json.dumps(record, ensure_ascii=False) + "\n"


VARIANTS: dict[str, tuple[str, Callable[[Article], str]]] = {
    "wrapped": (".txt", wrapped),
    "markdown": (".md", markdown),
    "html-fragment": (".html", html_fragment),
    "html-page": (".html", html_page),
    "jsonl": (".jsonl", jsonl),
}


def facts(extraction: Extraction) -> Graph:
    """The extraction's graph with its source as one fixed node and the per-source IRIs of
    pledges and meetings as blank nodes, source metadata left out."""
    graph = Graph()
    source = source_iri(extraction.source_id).value
    nodes: dict[str, BNode] = {}

    def node(value: ox.NamedNode | ox.BlankNode | ox.Triple) -> URIRef | BNode:
        assert isinstance(value, ox.NamedNode)
        if value.value == source:
            return URIRef(f"{KGR}source/the-source")
        if value.value.startswith(f"{KGR}pledge/") or extraction.source_id in value.value:
            return nodes.setdefault(value.value, BNode())
        return URIRef(value.value)

    def term(
        value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    ) -> URIRef | BNode | Literal:
        if isinstance(value, ox.Literal):
            language = value.language
            datatype = None if language else URIRef(value.datatype.value)
            return Literal(value.value, lang=language, datatype=datatype)
        return node(value)

    for quad in extraction_quads(extraction):
        if node(quad.subject) == URIRef(f"{KGR}source/the-source") and (
            quad.predicate.value in _SOURCE_FACTS
        ):
            continue
        graph.add((node(quad.subject), URIRef(quad.predicate.value), term(quad.object)))
    return graph


_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")


def flat(text: str) -> str:
    """Text with white space (zero-width spaces included) folded to single spaces."""
    return " ".join(text.translate(_INVISIBLE).split())


def evidence(extraction: Extraction) -> list[str]:
    found = [p.evidence for p in extraction.pledges]
    found += [e for m in extraction.meetings for e in m.evidence]
    return found


def extract(path: Path) -> Extraction:
    settings = Settings()
    articles, errors = read_all([path], settings)
    assert not errors, errors
    (result,) = list(extract_articles(articles, settings.model))
    assert isinstance(result, Extraction), result
    return result


def originals(seeds_dir: Path) -> list[Path]:
    found = sorted(seeds_dir.glob("*.txt"))
    if DEV.is_dir():
        found += sorted(DEV.iterdir())
    return found


def article_of(path: Path) -> Article:
    (article,), errors = read_file(path, 10_000_000)
    assert not errors
    return article


@pytest.fixture(scope="module")
def baselines(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Extraction]:
    """Each original read back from its plain text form, the reference for the variants."""
    folder = tmp_path_factory.mktemp("plain")
    found = {}
    for path in originals(seeds_dir):
        plain_path = folder / f"{path.stem}.txt"
        plain_path.write_text(plain(article_of(path)), "utf-8")
        found[path.name] = extract(plain_path)
    return found


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variants_give_the_same_facts(
    variant: str,
    seeds_dir: Path,
    baselines: dict[str, Extraction],
    tmp_path: Path,
) -> None:
    suffix, render = VARIANTS[variant]
    different = []
    for path in originals(seeds_dir):
        article = article_of(path)
        written = tmp_path / f"{path.stem}{suffix}"
        written.write_text(render(article), "utf-8")
        result = extract(written)
        reference = baselines[path.name]
        if not isomorphic(facts(result), facts(reference)):
            different.append(path.name)
        written_text = flat(f"{article.title or ''} {article.text}")
        for sentence in evidence(result):
            assert flat(sentence) in written_text, (variant, path.name, sentence)
    assert not different, (variant, different)


def test_every_evidence_sentence_is_verbatim_in_its_input(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        text = flat(path.read_text("utf-8"))
        for sentence in evidence(extract(path)):
            assert flat(sentence) in text, (path.name, sentence)
