"""The namespaces and prefixes of everything kg writes, as plain strings.

Declared here, without rdflib, so that the readers that only need the names (``kg query``,
``kg serve``) start fast; `kg.vocab.curation` builds its rdflib namespaces from the same strings.
"""

from __future__ import annotations

__all__ = [
    "PREFIX_IRIS",
    "REFERENCE_GRAPH_IRI",
    "ONTOLOGY_GRAPH",
    "SHAPES_GRAPH",
    "INFERRED_GRAPH",
    "NOT_STATED",
    "AS_OF",
    "SCOPED_GRAPH",
    "AS_OF_INDEX",
    "AS_OF_INFERRED",
    "PLAIN_GRAPH",
    "STATED_GRAPH",
    "RDF",
    "DCTERMS",
    "GEO",
    "RDFS",
    "OWL",
    "XSD",
    "OA",
    "PROV",
    "SCHEMA",
    "compact",
    "prefix_lines",
    "bind_prefixes",
]

from typing import Final

_KG = "https://w3id.org/diplomacy-kg/id/"

_GRAPH = "https://w3id.org/diplomacy-kg/graph/"
#: The named graph of the reference entities (``data/entities/*.yaml``).
REFERENCE_GRAPH_IRI = _GRAPH + "reference"
#: The graphs a build adds beside what the sources state: the ontology, the shapes, and the
#: inferred triples (`kg.build.infer`).
ONTOLOGY_GRAPH = _GRAPH + "ontology"
SHAPES_GRAPH = _GRAPH + "shapes"
INFERRED_GRAPH = _GRAPH + "inferred"
#: The graphs that are not what a source states: they stay out of the default graph.
NOT_STATED = (ONTOLOGY_GRAPH, SHAPES_GRAPH, INFERRED_GRAPH)
#: The graphs of the store's as-of index (`kg.store.asof`), all named under this IRI: what
#: the sources state that holds for a time (the default graph holds the rest), the inferred
#: triples that hold for good, the index's bounds, and the graphs of what holds when.
AS_OF = _GRAPH + "as-of/"
SCOPED_GRAPH = AS_OF + "scoped"
AS_OF_INDEX = AS_OF + "index"
AS_OF_INFERRED = AS_OF + "inferred"
#: What the sources state, after the curators' ranks, less what holds for a time: the store
#: keeps it in this graph, and in its default graph the union of it, what holds for a time,
#: the inferred triples and the ontology, which is what a plain query reads
#: (`kg.store.plain`).
STATED_GRAPH = AS_OF + "stated"
#: Where a store written before the default graph held the union kept it (read for such a
#: store, and removed when a build upgrades it).
PLAIN_GRAPH = AS_OF + "union"

#: Prefix -> namespace IRI, in the order every file kg writes declares them.
PREFIX_IRIS = {
    "dip": "https://w3id.org/diplomacy-kg/ontology#",
    "kgr": _KG,
    "kga": _KG + "article/",
    "kgf": _KG + "fact/",
    "kge": _KG + "evidence/",
    "kgp": _KG + "participation/",
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "org": "http://www.w3.org/ns/org#",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class RDF:
    """The RDF terms kg uses."""

    NS: Final = PREFIX_IRIS["rdf"]
    type: Final = NS + "type"
    first: Final = NS + "first"
    rest: Final = NS + "rest"


class RDFS:
    """The RDF Schema terms kg uses."""

    NS: Final = PREFIX_IRIS["rdfs"]
    label: Final = NS + "label"
    comment: Final = NS + "comment"
    domain: Final = NS + "domain"
    range: Final = NS + "range"
    subClassOf: Final = NS + "subClassOf"
    subPropertyOf: Final = NS + "subPropertyOf"


class OWL:
    """The OWL terms kg uses."""

    NS: Final = PREFIX_IRIS["owl"]
    Class: Final = NS + "Class"
    inverseOf: Final = NS + "inverseOf"
    propertyChainAxiom: Final = NS + "propertyChainAxiom"
    sameAs: Final = NS + "sameAs"
    SymmetricProperty: Final = NS + "SymmetricProperty"
    TransitiveProperty: Final = NS + "TransitiveProperty"


class XSD:
    """The XML Schema datatypes kg writes."""

    NS: Final = PREFIX_IRIS["xsd"]
    date: Final = NS + "date"
    dayTimeDuration: Final = NS + "dayTimeDuration"
    decimal: Final = NS + "decimal"
    gYear: Final = NS + "gYear"
    string: Final = NS + "string"


class OA:
    """The Web Annotation terms of the evidence passages."""

    NS: Final = PREFIX_IRIS["oa"]
    exact: Final = NS + "exact"
    prefix: Final = NS + "prefix"
    suffix: Final = NS + "suffix"
    start: Final = NS + "start"
    end: Final = NS + "end"
    hasSource: Final = NS + "hasSource"


class PROV:
    """The PROV-O terms of the curated facts' records."""

    NS: Final = PREFIX_IRIS["prov"]
    wasDerivedFrom: Final = NS + "wasDerivedFrom"


class DCTERMS:
    """The Dublin Core terms of an article's metadata."""

    NS: Final = PREFIX_IRIS["dcterms"]
    language: Final = NS + "language"
    source: Final = NS + "source"


class GEO:
    """The GeoSPARQL terms of a place's point."""

    NS: Final = PREFIX_IRIS["geo"]
    hasGeometry: Final = NS + "hasGeometry"
    Geometry: Final = NS + "Geometry"
    asWKT: Final = NS + "asWKT"
    wktLiteral: Final = NS + "wktLiteral"


class SCHEMA:
    """The schema.org terms of an article's metadata."""

    NS: Final = PREFIX_IRIS["schema"]
    headline: Final = NS + "headline"
    datePublished: Final = NS + "datePublished"
    url: Final = NS + "url"


# longest namespace first, so that kga: wins over kgr: for an article's IRI
_BY_LENGTH = sorted(PREFIX_IRIS.items(), key=lambda item: -len(item[1]))
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")


def compact(iri: str) -> str:
    """An IRI as a prefixed name when one of our prefixes covers it, else ``<iri>``.

    Examples
    --------
    >>> compact("https://w3id.org/diplomacy-kg/id/article/2025-05-16-istanbul-talks")
    'kga:2025-05-16-istanbul-talks'
    >>> compact("http://example.org/x")
    '<http://example.org/x>'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and set(local) <= _LOCAL and not local.endswith("."):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def prefix_lines() -> bytes:
    """Our Turtle prefix declarations, in our order.

    Examples
    --------
    >>> prefix_lines().splitlines()[0]
    b'@prefix dip: <https://w3id.org/diplomacy-kg/ontology#> .'
    """
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIX_IRIS.items()).encode()


def bind_prefixes(graph) -> None:
    """Bind our prefixes on an rdflib graph or dataset, replacing rdflib's defaults.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph()
    >>> bind_prefixes(g)
    >>> str(dict(g.namespaces())["dip"])
    'https://w3id.org/diplomacy-kg/ontology#'
    """
    for prefix, namespace in PREFIX_IRIS.items():
        graph.bind(prefix, namespace, override=True, replace=True)
