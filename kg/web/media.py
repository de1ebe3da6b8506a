"""The media types kg serve answers in, and the choice among them by a request's Accept
header (werkzeug's parser: quality values, wildcards, specificity)."""

from __future__ import annotations

__all__ = ["RESULT_TYPES", "GRAPH_TYPES", "ENTITY_TYPES", "DESCRIPTION_TYPES", "negotiate"]

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

#: Media types for SELECT and ASK results, in order of preference, and their formats.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/html": "html",
}
#: Media types for CONSTRUCT and DESCRIBE results, in order of preference.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "rdf-xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "text/plain": "nt",
}
#: What an entity's IRI answers in: Turtle for a client that takes anything, HTML for a
#: browser.
ENTITY_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf-xml",
    "text/html": "html",
}
#: What a client may ask a service description in (rdflib's format names).
DESCRIPTION_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The offered media type that `accept` (an HTTP Accept header) prefers, or None; the
    first offered for a client that states no preference.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("*/*", GRAPH_TYPES), negotiate(None, GRAPH_TYPES)
    ('text/turtle', 'text/turtle')
    >>> negotiate("image/png", RESULT_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return next(iter(offered))
    return parse_accept_header(accept, MIMEAccept).best_match(list(offered))
