"""One way in: :func:`ingest` runs every ingest, whatever extracts (an engine of
:mod:`kg.ingest.engines` or :mod:`kg.ingest.cluster`) and wherever sources go (a sink of
:mod:`kg.ingest.sinks`). ``POST /ingest`` runs it on the server, fed by
:mod:`kg.ingest.server`; :mod:`kg.ingest.remove` takes sources out.
"""

from kg.ingest.run import Engine, Progress, Sink, ingest

__all__ = ["Engine", "Progress", "Sink", "ingest"]
