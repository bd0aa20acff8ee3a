"""SHACL validation of the whole graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

import io
import os
from pathlib import Path

from kg.store import GraphStore

SH = "http://www.w3.org/ns/shacl#"


def ontology_dir() -> Path:
    """The ``ontology/`` folder: $KG_ONTOLOGY_DIR, or the one beside the package's source."""
    configured = os.environ.get("KG_ONTOLOGY_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "ontology"


def validate_store(store: GraphStore) -> tuple[bool, str]:
    """Whether the union of all graphs conforms, and a readable report (one line a problem)."""
    import pyshacl
    from rdflib import Graph, Namespace, URIRef

    data = io.BytesIO()
    store.export(data, "ntriples")
    graph = Graph()
    graph.parse(data=data.getvalue(), format="nt")
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
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
