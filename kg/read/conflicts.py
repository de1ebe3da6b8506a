"""Where sources disagree: an entity given two values of a property the shapes allow once.

A shape that says "at most one value" (``sh:maxCount 1``) holds within an article: the
build refuses an article that gives an event two dates. Across articles a disagreement is
kept, each value in the graph of the curated fact that states it, with its evidence; this
module lists them, and says which value a plain query sees (see `kg.store.graphs.apply_ranks`).
"""

from __future__ import annotations

__all__ = ["FunctionalPath", "functional_paths", "conflicts", "CONFLICT_COLUMNS"]

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SH

from kg.store.sparql import Answer
from kg.vocab.namespaces import PREFIX_IRIS, compact
from kg.vocab.ontology import load_shapes
from kg.vocab.records import (
    CURATED_FACT,
    EVIDENCE_PASSAGE,
    NEWS_ARTICLE,
    PARTICIPATION,
    conflict_query,
)

#: The columns of `conflicts`: the entity, the property (``^p`` for an inverse), a value,
#: whether plain queries see it, the rank of the fact that states it, the article (or the
#: reference graph), the curated file and line, and the words of the article.
CONFLICT_COLUMNS = ["subject", "property", "value", "seen", "rank", "source", "curated", "quote"]
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
    ['rdfs:label', 'dip:date', 'dip:delayed']
    >>> [p.label() for p in paths if p.cls.endswith("#Post")]
    ['rdfs:label', '^dip:holdsPost', 'dip:postIn']
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


def conflicts(store) -> Answer:
    """Every disagreement between sources, one row per value and source that gives it.

    Rows are grouped by entity and property, values in order; ``seen`` is true for the
    values a plain query sees (the store's default graph, after the curators' ranks),
    ``rank`` the rank of the fact (empty for the normal rank), ``source`` the article's
    IRI (or the reference graph's), ``curated`` its ``file:line`` and ``quote`` its
    evidence passage.

    Examples
    --------
    >>> from kg.source import open_store
    >>> [(row[2].value, row[5].value.rsplit("/", 1)[1]) for row in conflicts(open_store("data")).rows]
    [('2025-05-15', '2025-05-16-istanbul-talks'), ('2025-05-16', '2025-06-02-istanbul-exchange')]
    """

    raw = getattr(store, "store", store)
    scope = {"default_graph": store.full_default()} if hasattr(store, "full_default") else {}
    rows = []
    for path in functional_paths():
        text = conflict_query(path.cls, path.predicate, path.inverse)
        predicate = ox.NamedNode(path.predicate)
        for row in raw.query(text, prefixes=PREFIX_IRIS, **scope):
            s, o = row["s"], row["o"]
            quad = ox.Quad(o, predicate, s) if path.inverse else ox.Quad(s, predicate, o)
            seen = quad in raw  # the store's default graph: what plain queries see
            curated = (
                f"{row['file'].value}:{row['line'].value}" if row["file"] is not None else None
            )
            rows.append(
                (
                    s,
                    ox.Literal(path.label()),
                    o,
                    ox.Literal(str(seen).lower()),
                    row["rank"],
                    row["source"],
                    ox.Literal(curated) if curated else None,
                    row["quote"],
                )
            )
    rows = sorted(set(rows), key=lambda r: tuple("" if t is None else str(t) for t in r))
    return Answer("SELECT", list(CONFLICT_COLUMNS), rows)
