"""The vocabulary as rdflib terms, for the code that builds and validates rdflib graphs.

`DIP` is closed: it holds the terms the ontology declares (`kg.vocab.terms`) and no other,
so a misspelt term raises instead of making a new IRI. The ``kg*`` namespaces name the
graph's own resources (entities, articles, facts, passages, participations) and are open.
"""

from __future__ import annotations

__all__ = ["DIP", "KGR", "KGA", "KGF", "KGE", "KGP", "OA", "PROV", "SCHEMA", "node"]

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import ClosedNamespace

from kg.vocab import namespaces
from kg.vocab.kinds import Lit
from kg.vocab.namespaces import PREFIX_IRIS
from kg.vocab.terms import DIP as _TERMS


def _closed(terms) -> ClosedNamespace:
    names = [name for name in vars(terms) if not name.startswith("_") and name != "NS"]
    return ClosedNamespace(URIRef(terms.NS), names)


#: The diplomacy ontology's terms, closed.
DIP = _closed(_TERMS)
#: Entities the graph describes; the namespaces below it hold the graph's own records.
KGR = Namespace(PREFIX_IRIS["kgr"])
KGA = Namespace(PREFIX_IRIS["kga"])
KGF = Namespace(PREFIX_IRIS["kgf"])
KGE = Namespace(PREFIX_IRIS["kge"])
KGP = Namespace(PREFIX_IRIS["kgp"])
#: The Web Annotation, PROV-O and schema.org terms kg writes, closed.
OA = _closed(namespaces.OA)
PROV = _closed(namespaces.PROV)
SCHEMA = _closed(namespaces.SCHEMA)


def node(term: str | Lit) -> URIRef | Literal:
    """A plain term (an IRI as `str`, or a `kg.vocab.kinds.Lit`) as rdflib's.

    Examples
    --------
    >>> node("https://w3id.org/diplomacy-kg/id/russia")
    rdflib.term.URIRef('https://w3id.org/diplomacy-kg/id/russia')
    >>> node(Lit("Russia", lang="en"))
    rdflib.term.Literal('Russia', lang='en')
    """
    if isinstance(term, Lit):
        return Literal(
            term.value, lang=term.lang, datatype=URIRef(term.datatype) if term.datatype else None
        )
    return URIRef(term)
