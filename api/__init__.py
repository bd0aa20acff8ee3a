"""The HTTP server: SPARQL endpoint, REST API and web page."""
