"""The properties the shapes allow once on a thing (``sh:maxCount 1``), read from the shapes:
where two values are a disagreement, or, for a property that holds for a time, a succession."""

from __future__ import annotations

__all__ = ["FunctionalPath", "functional_paths"]

from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SH

from kg.vocab.namespaces import compact
from kg.vocab.ontology import load_shapes
from kg.vocab.records import CURATED_FACT, EVIDENCE_PASSAGE, NEWS_ARTICLE, PARTICIPATION

#: Classes of the graph's own records: their values are the build's, not the sources'.
_RECORDS = {CURATED_FACT, EVIDENCE_PASSAGE, NEWS_ARTICLE, PARTICIPATION}


@dataclass(frozen=True)
class FunctionalPath:
    """A property that a shape allows at most once on the instances of a class."""

    cls: str
    predicate: str
    inverse: bool = False

    def label(self) -> str:
        """The property as SPARQL writes it: ``dip:date``, or ``^dip:holdsPost``."""
        return ("^" if self.inverse else "") + compact(self.predicate)


@lru_cache(maxsize=1)
def functional_paths() -> tuple[FunctionalPath, ...]:
    """Every (class, property) the shapes give ``sh:maxCount 1``, read from the shapes.

    Examples
    --------
    >>> paths = functional_paths()
    >>> [p.label() for p in paths if p.cls.endswith("#DiplomaticEvent")][:3]
    ['dip:date', 'dip:delayed', 'dip:outcome']
    >>> [p.label() for p in paths if p.cls.endswith("#Post")]
    ['^dip:holdsPost', 'dip:postIn']
    """

    shapes = load_shapes()
    found = set()
    for node, cls in shapes.subject_objects(SH.targetClass):
        if not isinstance(cls, URIRef) or str(cls) in _RECORDS:
            continue
        for prop in shapes.objects(node, SH.property):
            if shapes.value(prop, SH.maxCount) != Literal(1):
                continue
            path = shapes.value(prop, SH.path)
            inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
            if isinstance(path, URIRef):
                found.add(FunctionalPath(str(cls), str(path)))
            elif isinstance(inverse, URIRef):
                found.add(FunctionalPath(str(cls), str(inverse), True))
    return tuple(sorted(found, key=lambda p: (p.cls, p.predicate, p.inverse)))
