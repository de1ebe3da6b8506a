"""The ontology and the shapes: the repository's ``ontology/`` and ``shapes/``, which the
package holds as ``kg/vocab/ontology.ttl`` and ``kg/vocab/shapes.ttl`` (see `kg.assets`)."""

from __future__ import annotations

__all__ = [
    "ONTOLOGY_PATH",
    "SHAPES_PATH",
    "load_ontology",
    "load_shapes",
    "ontology_labels",
    "ontology_classes",
    "instances",
    "subclasses",
]

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.assets import package_file
from kg.errors import InputError
from kg.vocab.namespaces import OWL, RDF, RDFS

#: The ontology and shapes kg validates with, from the package.
ONTOLOGY_PATH = package_file("vocab/ontology.ttl")
SHAPES_PATH = package_file("vocab/shapes.ttl")


@lru_cache(maxsize=8)
def _parse(path: str):
    # deferred for start-up time: rdflib only for those who validate (pySHACL reads it)
    from rdflib import Graph  # noqa: PLC0415

    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(
            f"{path}: not found; reinstall kg from a checkout of its repository "
            "('pip install -e .' or 'pip install .')"
        ) from None
    except Exception as exc:  # rdflib raises several parser error types
        raise InputError(f"{path}: cannot be parsed as Turtle: {exc}") from None
    return graph


def load_ontology(path: str | Path | None = None):
    """The diplomacy ontology as an rdflib graph (cached: do not modify it).

    Examples
    --------
    >>> from rdflib.namespace import OWL, RDF
    >>> len(list(load_ontology().subjects(RDF.type, OWL.Ontology)))
    1
    """
    return _parse(str(path or ONTOLOGY_PATH))


def load_shapes(path: str | Path | None = None):
    """The SHACL shapes as an rdflib graph (cached: do not modify it).

    Examples
    --------
    >>> from rdflib.namespace import RDF, SH
    >>> len(list(load_shapes().subjects(RDF.type, SH.NodeShape))) > 10
    True
    """
    return _parse(str(path or SHAPES_PATH))


@lru_cache(maxsize=1)
def ontology_triples() -> tuple:
    """The ontology's triples as pyoxigraph reads them (fast, without rdflib)."""
    try:
        return tuple(ox.parse(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE))
    except FileNotFoundError:
        raise InputError(
            f"{ONTOLOGY_PATH}: not found; reinstall kg ('pip install kg-*.whl', or "
            "'pip install -e .' in a clone)"
        ) from None
    except (SyntaxError, OSError) as exc:
        raise InputError(f"{ONTOLOGY_PATH}: cannot be parsed as Turtle: {exc}") from None


@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, str]:
    """The English label of every term of the ontology, by IRI.

    Examples
    --------
    >>> ontology_labels()["https://w3id.org/diplomacy-kg/ontology#headedBy"]
    'headed by'
    """
    label = RDFS.label
    out = {}
    for triple in ontology_triples():
        if triple.predicate.value == label and getattr(triple.object, "language", None) == "en":
            out[triple.subject.value] = triple.object.value
    return out


def ontology_classes() -> frozenset[str]:
    """The IRIs of the classes the ontology declares (``owl:Class``).

    Examples
    --------
    >>> "https://w3id.org/diplomacy-kg/ontology#Person" in ontology_classes()
    True
    """
    return instances(OWL.Class)


@lru_cache(maxsize=16)
def instances(kind: str) -> frozenset[str]:
    """The IRIs the ontology types with `kind` (``rdf:type``).

    Examples
    --------
    >>> sorted(i.rsplit("#", 1)[1] for i in instances(
    ...     "https://w3id.org/diplomacy-kg/ontology#EventOutcome"))
    ['Collapsed', 'Concluded']
    """
    return frozenset(
        t.subject.value
        for t in ontology_triples()
        if t.predicate.value == RDF.type and t.object.value == kind
    )


@lru_cache(maxsize=64)
def subclasses(iri: str) -> frozenset[str]:
    """The IRIs of `iri` and of every class below it in the ontology.

    Examples
    --------
    >>> sorted(c.rsplit("#", 1)[1] for c in subclasses(
    ...     "https://w3id.org/diplomacy-kg/ontology#DiplomaticEvent"))
    ['DiplomaticEvent', 'Meeting', 'Negotiation', 'PhoneCall', 'PrisonerExchange', 'Session']
    """
    # deferred for start-up time: NetworkX only where a hierarchy is asked for
    import networkx as nx  # noqa: PLC0415

    hierarchy = nx.DiGraph(
        (t.subject.value, t.object.value)
        for t in ontology_triples()
        if t.predicate.value == RDFS.subClassOf
    )
    return frozenset({iri} | (nx.ancestors(hierarchy, iri) if iri in hierarchy else set()))
