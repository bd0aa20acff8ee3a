"""SHACL validation of the whole graph against the shapes of the ontology (``shapes.ttl``)."""

from __future__ import annotations

import io

from kg.config import Settings
from kg.ontology_files import ontology_dir
from kg.store import GraphStore

SH = "http://www.w3.org/ns/shacl#"


def validate_store(store: GraphStore, settings: Settings | None = None) -> tuple[bool, str]:
    """Whether the union of all graphs conforms, and a readable report (one line a problem);
    the shapes are those of the ontology folder of ``settings`` (see :mod:`kg.ontology_files`)."""
    import pyshacl
    from rdflib import Graph, Namespace, URIRef

    shapes = Graph().parse(ontology_dir(settings) / "shapes.ttl", format="turtle")
    data = io.BytesIO()
    store.export(data, "ntriples")
    graph = Graph()
    graph.parse(data=data.getvalue(), format="nt")
    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return True, f"conforms: {len(graph)} triples checked against {len(shapes)} shape triples"
    sh = Namespace(SH)
    lines: list[str] = []
    for result in results.subjects(predicate=sh.resultSeverity):
        focus = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        message = results.value(result, sh.resultMessage)
        where = f" ({path.n3(graph.namespace_manager)})" if isinstance(path, URIRef) else ""
        lines.append(f"{focus}{where}: {message}")
    lines.sort()
    return False, "\n".join([f"{len(lines)} violations", *lines])
