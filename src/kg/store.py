"""Where the graph lives: an embedded Oxigraph store in a directory, or a remote SPARQL 1.1
server reached through the SPARQL Protocol and the Graph Store HTTP Protocol.

Both give the same interface and return pyoxigraph objects, so the rest of the code does not
care which one it talks to. Each source is one named graph, replaced in one atomic write.

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> store = EmbeddedStore(None)
>>> g = NamedNode("https://w3id.org/pledgekg/id/source/0000000000000000")
>>> q = Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("o"), g)
>>> store.replace_graph(g, [q]); store.replace_graph(g, [q]); store.count()
1
>>> [str(r["o"]) for r in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
['"o"']
"""

from __future__ import annotations

import io
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from kg import sharing
from kg.config import Settings
from kg.dumps import laid_out, write_jsonld, write_quads, write_triples
from kg.endpoints import discover
from kg.prefixes import PREFIXES

if TYPE_CHECKING:
    import httpx

# A remote CONSTRUCT answer is parsed into plain triples; the embedded store gives QueryTriples.
QueryResult = QuerySolutions | QueryBoolean | QueryTriples | Iterator[Triple]

FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"trig", "nquads", "jsonld"}
# DISTINCT in a sub-select drops a triple that many graphs hold while its terms are still the
# store's own ids, so each triple of the union is read out of the store (and decoded) once.
_UNION_CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"


class StoreError(Exception):
    """A store that cannot be opened or reached, said in one line."""


class StoreBusyError(StoreError):
    """The embedded store is held by another process (usually a running ``kg serve``)."""


class GraphStore(ABC):
    """What the pipeline, the CLI and the server need of a store."""

    location: str

    @abstractmethod
    def replace_graph(self, graph: NamedNode, quads: Sequence[Quad]) -> None:
        """Make ``graph`` hold exactly ``quads``, atomically."""

    @abstractmethod
    def remove_graph(self, graph: NamedNode) -> bool:
        """Drop a named graph; False when there was none."""

    def apply(
        self, writes: Mapping[NamedNode, Sequence[Quad]], drops: Sequence[NamedNode] = ()
    ) -> None:
        """Make each graph of ``writes`` hold exactly its quads and drop each graph of
        ``drops``, all in one atomic write (one SPARQL update)."""
        self.update(update_text(writes, drops))

    @abstractmethod
    def has_graph(self, graph: NamedNode) -> bool:
        """True when the named graph exists."""

    @abstractmethod
    def graphs(self) -> list[NamedNode]:
        """Every named graph, sorted by IRI."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[NamedNode] | None = None,
        named_graphs: Sequence[NamedNode] | None = None,
    ) -> QueryResult:
        """Run a query; without ``default_graphs`` the default graph is the union of all."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update atomically."""

    @abstractmethod
    def graph_quads(self, graph: NamedNode) -> list[Quad]:
        """The quads of one named graph."""

    def count(self, graph: NamedNode | None = None) -> int:
        """Quads in one graph, or in the whole dataset."""
        where = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        assert isinstance(result, QuerySolutions)
        for row in result:
            value = row["n"]
            return int(value.value) if value is not None else 0
        return 0

    def export(self, out: IO[bytes], fmt: str, graph: NamedNode | None = None) -> None:
        """Write the union of all graphs (or one graph) to ``out``, streaming."""
        rdf_format = FORMATS[fmt]
        if graph is not None:
            triples = self.construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
            )
            if fmt in DATASET_FORMATS:
                quads = (Quad(t.subject, t.predicate, t.object, graph) for t in triples)
                write_quads(quads, out, rdf_format)
            else:
                write_triples(triples, out, rdf_format)
            return
        if fmt in DATASET_FORMATS:
            self.export_dataset(out, rdf_format)
        else:
            write_triples(self.union_triples(), out, rdf_format)

    def union_triples(self) -> Iterator[Triple]:
        """Every triple of the union of all graphs."""
        return self.construct(_UNION_CONSTRUCT)

    def construct(self, sparql: str) -> Iterator[Triple]:
        """The triples a CONSTRUCT or DESCRIBE query gives; ValueError for other queries."""
        result = self.query(sparql)
        if isinstance(result, QuerySolutions | QueryBoolean):
            raise ValueError("expected a CONSTRUCT or DESCRIBE query")
        return iter(result)

    @abstractmethod
    def export_dataset(self, out: IO[bytes], rdf_format: RdfFormat) -> None:
        """Write every quad with its graph."""

    def check_writable(self) -> None:  # noqa: B027 - most stores take writes
        """Raise StoreError, saying where to write instead, when this store takes no writes."""

    def close(self) -> None:  # noqa: B027 - most stores have nothing to release
        """Release the store."""


def busy_error(path: Path) -> StoreBusyError:
    """The store is held by another process: say by which, and what to do."""
    url = sharing.server_url(path)
    if url:
        return StoreBusyError(
            f"the store {path} is in use by another process, `kg serve` at {url}: write through "
            f"it (`kg ingest --server {url} ...` with KG_API_TOKEN set, or a SPARQL update to "
            f"{url}/sparql with the token), or stop it"
        )
    return StoreBusyError(
        f"the store {path} is in use by another process (`kg ingest`, `kg remove`, or a "
        "command reading it): try again when it ends; to write while `kg serve` runs, go "
        "through the server (`kg ingest --server URL` with KG_API_TOKEN set)"
    )


def update_text(writes: Mapping[NamedNode, Sequence[Quad]], drops: Sequence[NamedNode]) -> str:
    """One SPARQL update that drops ``drops`` and sets each graph of ``writes`` to its quads.

    >>> g = NamedNode("http://example.org/g")
    >>> print(update_text({g: [Quad(g, g, g, g)]}, [NamedNode("http://example.org/old")]))
    DROP SILENT GRAPH <http://example.org/old> ;
    DROP SILENT GRAPH <http://example.org/g> ;
    INSERT DATA { GRAPH <http://example.org/g> {
    <http://example.org/g> <http://example.org/g> <http://example.org/g>
    } }
    """
    operations = [f"DROP SILENT GRAPH {graph}" for graph in drops]
    for graph, quads in writes.items():
        operations.append(f"DROP SILENT GRAPH {graph}")
        if quads:
            body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
            operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
    return " ;\n".join(operations)


def _open_error(path: Path | None, exc: OSError) -> StoreError:
    message = str(exc)
    lowered = message.lower()
    if path and ("lock" in lowered or "resource temporarily unavailable" in lowered):
        return busy_error(path)
    return StoreError(f"cannot open the store {path}: {' '.join(message.split())}")


class EmbeddedStore(GraphStore):
    """A pyoxigraph store on disk (or in memory when ``path`` is None).

    With ``read_only`` the store must exist; it is read under a shared lock that keeps writers
    out while it is open, so several readers run side by side. While ``kg serve`` holds the
    store, it is read through the newest checkpoint the server published (as of its last
    whole write); while another process writes it, :class:`StoreBusyError`. A ``checkpoint``
    (:meth:`backup`), which no process ever writes, is opened read-only at once.
    """

    def __init__(
        self, path: Path | None, *, read_only: bool = False, checkpoint: bool = False
    ) -> None:
        self.location = str(path) if path else ":memory:"
        self.read_only = read_only or checkpoint
        self.reading: Path | None = None
        """With ``read_only``: the directory read, the store's or a server's checkpoint."""
        self._lock: int | None = None
        self._lease: sharing.Lease | None = None
        try:
            if path is None:
                self._store = Store()
            elif checkpoint:
                self._store = Store.read_only(str(path))
            elif read_only:
                self._store = self._open_reader(path)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = Store(str(path))
        except OSError as exc:
            self._release()
            raise _open_error(path, exc) from None

    def _open_reader(self, path: Path) -> Store:
        if not (path / "CURRENT").is_file():
            raise StoreError(
                f"no store at {path}: run `kg ingest` first, or point --store "
                "(KG_STORE) at an existing store"
            )
        # Oxigraph's read-only mode reads undefined data while another process writes, so a
        # reader either keeps writers out or reads a checkpoint that nobody writes.
        self._lock = sharing.read_lock(path)
        if self._lock is None:
            self._lease = sharing.lease_checkpoint(path)
            if self._lease is None:
                raise busy_error(path)
        self.reading = self._lease.path if self._lease else path
        return Store.read_only(str(self.reading))

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        if self._lease is not None:
            self._lease.release()
            self._lease = None

    def backup(self, target: Path) -> None:
        """Write a checkpoint of the store to ``target`` (which must not exist): hard links to
        the store's immutable files when on the same file system, so it is cheap."""
        self._store.backup(str(target))

    def apply(
        self, writes: Mapping[NamedNode, Sequence[Quad]], drops: Sequence[NamedNode] = ()
    ) -> None:
        if len(writes) == 1 and not drops:
            [(graph, quads)] = writes.items()
            self.replace_graph(graph, quads)  # its faster paths, just as atomic
            return
        self._store.update(update_text(writes, drops))

    def replace_graph(self, graph: NamedNode, quads: Sequence[Quad]) -> None:
        if not self._store.contains_named_graph(graph):
            self._store.extend(quads)
            if not quads:
                self._store.add_graph(graph)
            return
        # An article ingested again unchanged: reading its graph costs far less than a write.
        if set(self._store.quads_for_pattern(None, None, None, graph)) == set(quads):
            return
        body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
        self._store.update(
            f"CLEAR SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"
        )

    def remove_graph(self, graph: NamedNode) -> bool:
        if not self._store.contains_named_graph(graph):
            return False
        self._store.remove_graph(graph)
        return True

    def has_graph(self, graph: NamedNode) -> bool:
        return bool(self._store.contains_named_graph(graph))

    def graphs(self) -> list[NamedNode]:
        return sorted(
            (g for g in self._store.named_graphs() if isinstance(g, NamedNode)),
            key=lambda g: g.value,
        )

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[NamedNode] | None = None,
        named_graphs: Sequence[NamedNode] | None = None,
    ) -> QueryResult:
        kwargs: dict[str, Any] = {}
        if default_graphs:
            kwargs["default_graph"] = list(default_graphs)
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = list(named_graphs)
        result: QueryResult = self._store.query(sparql, **kwargs)
        return result

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def graph_quads(self, graph: NamedNode) -> list[Quad]:
        return list(self._store.quads_for_pattern(None, None, None, graph))

    def export_dataset(self, out: IO[bytes], rdf_format: RdfFormat) -> None:
        if rdf_format == RdfFormat.JSON_LD:
            graphs: list[NamedNode | DefaultGraph] = [DefaultGraph(), *self.graphs()]
            write_jsonld(
                (
                    (g if isinstance(g, NamedNode) else None, self._triples_of_graph(g))
                    for g in graphs
                ),
                out,
            )
            return
        with laid_out(out, rdf_format) as sink:
            self._store.dump(sink, rdf_format, prefixes=PREFIXES)

    def _triples_of_graph(self, graph: NamedNode | DefaultGraph) -> Iterator[Triple]:
        return (q.triple for q in self._store.quads_for_pattern(None, None, None, graph))

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        # A read-only store has nothing to flush, and pyoxigraph refuses to.
        if not self.read_only:
            self.flush()
        del self._store
        self._release()


class RemoteStore(GraphStore):
    """A SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB, ...) over HTTP, or this project's
    own server (read only: it takes articles through ``kg ingest --server``); where its
    endpoints are is found out first (:mod:`kg.endpoints`).

    The server must expose the union of its named graphs as the default graph
    (``oxigraph serve --union-default-graph``), as the embedded store does.
    """

    def __init__(self, settings: Settings) -> None:
        base = settings.store.rstrip("/")
        self.location = base
        # Imported here: the HTTP client costs a tenth of a second to import, which every
        # command on an embedded store would otherwise pay.
        import httpx

        self._client = httpx.Client(timeout=settings.store_timeout)
        self._http_error = httpx.HTTPError
        try:
            self.endpoints = discover(self._client, settings)
        except (httpx.HTTPError, ValueError) as exc:
            self._client.close()
            reason = f"cannot reach the store at {base}: {exc}"
            raise StoreError(str(exc) if isinstance(exc, ValueError) else reason) from None
        self.query_url = base + self.endpoints.query
        self.update_url = base + self.endpoints.update
        self.graph_url = base + self.endpoints.graph
        self.dataset_url = base + self.endpoints.dataset
        self.union_url = base + self.endpoints.union if self.endpoints.union else None

    def check_writable(self) -> None:
        if self.endpoints.ingest:
            raise StoreError(
                f"the store at {self.location} is a `kg serve`, which stores only what it is "
                f"sent: add articles with `kg ingest --server {self.location} ...` "
                f"(KG_API_TOKEN set to its token), or send a SPARQL update to {self.update_url} "
                "with that token"
            )

    def _send(
        self,
        method: str,
        url: str,
        *,
        missing_ok: bool = False,
        sparql: bool = False,
        **kwargs: Any,
    ) -> httpx.Response:
        """One request; a 404 passes only with ``missing_ok`` (a graph that is not there), and a
        400 to a SPARQL request is the text's fault, so it becomes a SyntaxError."""
        try:
            response = self._client.request(method, url, **kwargs)
        except self._http_error as exc:
            raise StoreError(f"cannot reach the store at {self.location}: {exc}") from None
        if response.status_code == 404 and missing_ok:
            return response
        if response.status_code >= 400:
            detail = response.text.strip().splitlines()[0][:300] if response.text.strip() else ""
            if response.status_code == 400 and sparql:
                raise SyntaxError(detail or "bad request")
            if response.status_code == 404:
                detail = (
                    f"no endpoint at {url}: set KG_STORE_QUERY_PATH, KG_STORE_UPDATE_PATH and "
                    "KG_STORE_GRAPH_PATH to the paths of its endpoints"
                )
            raise StoreError(
                f"the store at {self.location} answered {response.status_code}: {detail}"
            )
        return response

    def apply(
        self, writes: Mapping[NamedNode, Sequence[Quad]], drops: Sequence[NamedNode] = ()
    ) -> None:
        if len(writes) == 1 and not drops:
            [(graph, quads)] = writes.items()
            self.replace_graph(graph, quads)  # one PUT, as atomic as an update
            return
        super().apply(writes, drops)

    def replace_graph(self, graph: NamedNode, quads: Sequence[Quad]) -> None:
        self.check_writable()
        body = serialize((q.triple for q in quads), None, RdfFormat.N_TRIPLES) or b""
        self._send(
            "PUT",
            self.graph_url,
            params={"graph": graph.value},
            content=body,
            headers={"Content-Type": "application/n-triples"},
        )

    def remove_graph(self, graph: NamedNode) -> bool:
        self.check_writable()
        response = self._send(
            "DELETE", self.graph_url, missing_ok=True, params={"graph": graph.value}
        )
        return response.status_code != 404

    def has_graph(self, graph: NamedNode) -> bool:
        result = self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return bool(result)

    def graphs(self) -> list[NamedNode]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, QuerySolutions)
        found = [row["g"] for row in result]
        return sorted((g for g in found if isinstance(g, NamedNode)), key=lambda g: g.value)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[NamedNode] | None = None,
        named_graphs: Sequence[NamedNode] | None = None,
    ) -> QueryResult:
        params: list[tuple[str, str]] = [
            ("default-graph-uri", g.value) for g in default_graphs or ()
        ]
        params += [("named-graph-uri", g.value) for g in named_graphs or ()]
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        response = self._send(
            "POST",
            self.query_url,
            sparql=True,
            params=params,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        if response.headers.get("x-result-truncated", "").lower() == "true":
            raise StoreError(
                f"the store at {self.location} cut the answer at its row limit: narrow the "
                "query (LIMIT, FILTER), or raise the limit there (KG_RESULT_LIMIT)"
            )
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        if kind == "application/n-triples":
            return _triples_of(response.content)
        return parse_query_results(response.content, QueryResultsFormat.JSON)

    def update(self, sparql: str) -> None:
        self.check_writable()
        self._send(
            "POST",
            self.update_url,
            sparql=True,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )

    def graph_quads(self, graph: NamedNode) -> list[Quad]:
        response = self._send(
            "GET",
            self.graph_url,
            missing_ok=True,
            params={"graph": graph.value},
            headers={"Accept": "application/n-triples"},
        )
        if response.status_code == 404:
            return []
        return [
            Quad(t.subject, t.predicate, t.object, graph)
            for t in parse(response.content, RdfFormat.N_TRIPLES)
        ]

    def export_dataset(self, out: IO[bytes], rdf_format: RdfFormat) -> None:
        try:
            with self._client.stream(
                "GET", self.dataset_url, headers={"Accept": "application/n-quads"}
            ) as response:
                if response.status_code >= 400:
                    raise StoreError(
                        f"the store at {self.location} answered {response.status_code}"
                    )
                if rdf_format == RdfFormat.N_QUADS:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                    return
                data = io.BytesIO(response.read())
        except self._http_error as exc:
            raise StoreError(f"cannot reach the store at {self.location}: {exc}") from None
        write_quads(parse(data, RdfFormat.N_QUADS), out, rdf_format)

    def union_triples(self) -> Iterator[Triple]:
        if self.union_url is None:
            return super().union_triples()
        response = self._send("GET", self.union_url, headers={"Accept": "application/n-triples"})
        return _triples_of(response.content)

    def close(self) -> None:
        self._client.close()


def _triples_of(data: bytes) -> Iterator[Triple]:
    """Triples of an N-Triples CONSTRUCT answer (the parser yields default-graph quads)."""
    return iter([q.triple for q in parse(data, RdfFormat.N_TRIPLES)])


def open_store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The store the settings name: remote when ``KG_STORE`` is a URL, embedded otherwise."""
    if settings.is_remote:
        return RemoteStore(settings)
    return EmbeddedStore(Path(settings.store), read_only=read_only)
