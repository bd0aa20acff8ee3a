"""The read-only SPARQL behind the REST API and the assembly of its answers into response
models: one module per resource (``countries``, ``leaders``, ``meetings``, ``pledges``,
``sources``), the state index (``states``), and what they share: the SPARQL helpers
(``sparql``), the readers of described values (``terms``), the describe cache
(``described``), the resources of a state or a source (``members``) and the response models of
a list of resources (``assemble``). A route imports only its resource's module.

Parameters never enter SPARQL text as strings: every IRI or literal is built as a pyoxigraph
term (which checks and escapes it) and bound with ``VALUES`` or written in place in its
N-Triples form. The union default graph is a bag (a triple in two graphs comes back twice), so
every query says ``DISTINCT``, and joins over leaders and meetings, which every source
restates, join distinct sub-selects (``kg.rdf.distinct``).
"""
