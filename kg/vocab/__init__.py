"""The vocabulary: namespaces, the ontology's terms, curation keys and value kinds, and what is derived from them."""
