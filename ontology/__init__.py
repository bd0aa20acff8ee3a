"""The ontology, SHACL shapes and example queries of pledgekg, shipped inside the package as
``kg.ontology`` (read with ``kg.ontology_files``)."""
