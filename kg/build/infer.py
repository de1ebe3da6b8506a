"""Entailment: what follows from the stated triples under the ontology, materialised by a
reasoner into a graph of its own.

The reasoner is `reasonable`, an OWL 2 RL reasoner in Rust. It reads the ontology's axioms
that matter here — subclasses, subproperties, inverse and transitive properties — and the
triples between entities that use them (each article contributes its own, cached with it);
the property chains of the ontology (``owl:propertyChainAxiom``, OWL 2 RL's rule prp-spo2,
which `reasonable` does not apply) are joined here and handed back to the reasoner until
nothing new follows. Only triples about our entities that no source states are kept, so
an inferred triple never seems to carry evidence it does not have. `tests/test_infer.py`
checks the result against owlrl's full OWL 2 RL closure of the same input.
"""

from __future__ import annotations

__all__ = [
    "axioms",
    "relevant_predicates",
    "property_chains",
    "hierarchy_predicates",
    "abox",
    "closure",
    "infer",
    "about_entities",
]

from collections.abc import Iterable
from functools import lru_cache

import reasonable
from rdflib import Graph, URIRef
from rdflib.collection import Collection

from kg.vocab.namespaces import OWL, PREFIX_IRIS, RDF, RDFS
from kg.vocab.ontology import load_ontology

_TYPE = RDF.type
#: The axioms the reasoner reads; annotations, domains and ranges are left out.
_AXIOMS = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.inverseOf,
    OWL.propertyChainAxiom,
    RDF.first,
    RDF.rest,
)
_CHARACTERISTICS = (OWL.TransitiveProperty, OWL.SymmetricProperty)
#: Subjects in these namespaces are the graph's own records, not entities: not reasoned on.
_RECORDS = tuple(PREFIX_IRIS[p] for p in ("kgf", "kge", "kgp"))
_ENTITIES = PREFIX_IRIS["kgr"]


@lru_cache(maxsize=1)
def axioms():
    """The ontology's axioms the reasoner reads, as an rdflib graph.

    Examples
    --------
    >>> from rdflib import URIRef
    >>> (URIRef("https://w3id.org/diplomacy-kg/ontology#resumes"),
    ...  URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"),
    ...  URIRef("https://w3id.org/diplomacy-kg/ontology#precededBy")) in axioms()
    True
    """

    graph = Graph()
    for s, p, o in load_ontology():
        if str(p) in _AXIOMS or (str(p) == _TYPE and str(o) in _CHARACTERISTICS):
            graph.add((s, p, o))
    assert all(isinstance(t, URIRef) for t in graph.predicates())
    return graph


@lru_cache(maxsize=1)
def property_chains() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The ontology's property chains: (property, (first, second, ...)).

    Examples
    --------
    >>> dip = "https://w3id.org/diplomacy-kg/ontology#"
    >>> (dip + "hasParticipant", (dip + "hasParticipant", dip + "actsFor")) in property_chains()
    True
    """
    graph = axioms()
    chains = []
    for prop, head in graph.subject_objects(URIRef(OWL.propertyChainAxiom)):
        steps = tuple(str(step) for step in Collection(graph, head))
        if any(not isinstance(step, URIRef) for step in Collection(graph, head)):
            raise ValueError(
                f"the chain of {prop} uses an inverse property, which kg does not "
                "join; name the property instead"
            )
        chains.append((str(prop), steps))
    return tuple(sorted(chains))


@lru_cache(maxsize=1)
def relevant_predicates() -> frozenset[str]:
    """``rdf:type`` and every property an axiom mentions: the triples the reasoner reads.

    Examples
    --------
    >>> "https://w3id.org/diplomacy-kg/ontology#hasMember" in relevant_predicates()
    True
    """
    found = {_TYPE}
    for s, p, o in axioms():
        if str(p) in (RDFS.subPropertyOf, OWL.inverseOf):
            found |= {str(s), str(o)}
        elif str(p) == _TYPE:
            found.add(str(s))
    for prop, steps in property_chains():
        found |= {prop, *steps}
    return frozenset(found)


@lru_cache(maxsize=1)
def hierarchy_predicates() -> frozenset[str]:
    """The properties of the shared hierarchies: the transitive ones, those a property chain
    follows after its first step, and every property whose triples entail theirs (their
    sub-properties and inverses, and the steps of a chain that yields one of them).

    A triple of such a property follows only from triples of such properties, so their
    closure over the whole corpus is computed once; every other inferred triple follows
    from one triple of a single article and that closure, which is what lets inference
    follow the change (`kg.build.entail`).

    Examples
    --------
    >>> dip = "https://w3id.org/diplomacy-kg/ontology#"
    >>> sorted(p[len(dip):] for p in hierarchy_predicates() if p.startswith(dip))[:3]
    ['actsFor', 'locatedIn', 'partOf']
    """
    graph = axioms()
    entails: dict[str, set[str]] = {}  # property -> the properties whose triples give its own
    for s, o in graph.subject_objects(URIRef(RDFS.subPropertyOf)):
        entails.setdefault(str(o), set()).add(str(s))
    for s, o in graph.subject_objects(URIRef(OWL.inverseOf)):
        entails.setdefault(str(o), set()).add(str(s))
        entails.setdefault(str(s), set()).add(str(o))
    chains = property_chains()
    for prop, steps in chains:
        entails.setdefault(prop, set()).update(steps)
    found = {str(s) for s in graph.subjects(URIRef(_TYPE), URIRef(OWL.TransitiveProperty))}
    found |= {step for _, steps in chains for step in steps[1:]}
    todo = list(found)
    while todo:
        for other in entails.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return frozenset(found)


def abox(ntriples: bytes) -> bytes:
    """The lines of a unit's N-Triples that the reasoner reads: triples from an entity to an
    IRI whose predicate an axiom mentions.

    Examples
    --------
    >>> line = (b"<https://w3id.org/diplomacy-kg/id/a> "
    ...         b"<https://w3id.org/diplomacy-kg/ontology#hasMember> "
    ...         b"<https://w3id.org/diplomacy-kg/id/b> .\\n")
    >>> abox(line) == line, abox(line.replace(b"hasMember", b"speechVerb"))
    (True, b'')
    """
    keep = relevant_predicates()
    out = []
    for line in ntriples.splitlines(keepends=True):
        parts = line.split(b" ", 2)
        if len(parts) < 3 or not parts[2].startswith(b"<"):
            continue
        subject = parts[0][1:-1].decode()
        if (
            subject.startswith(_ENTITIES)
            and not subject.startswith(_RECORDS)
            and parts[1][1:-1].decode() in keep
        ):
            out.append(line)
    return b"".join(out)


def infer(stated: bytes) -> bytes:
    """The triples about our entities that follow from `stated` (N-Triples lines from
    `abox`) under the ontology and are not stated themselves, as sorted N-Triples.

    Examples
    --------
    >>> dip, kgr = PREFIX_IRIS["dip"], PREFIX_IRIS["kgr"]
    >>> stated = (f"<{kgr}talks> <{dip}hasParticipant> <{kgr}delegation> .\\n"
    ...           f"<{kgr}delegation> <{dip}represents> <{kgr}country> .\\n").encode()
    >>> f"<{kgr}talks> <{dip}hasParticipant> <{kgr}country> .".encode() in infer(stated)
    True
    """
    base = set(triples(stated.decode().splitlines()))
    kept = sorted(ntriple(t) for t in closure(base) - base if about_entities(t))
    return "".join(kept).encode()


def closure(stated: Iterable[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Everything that follows from `stated` (triples of IRIs) and the axioms, the axioms'
    own consequences included: the reasoner's closure, with the property chains joined.

    Examples
    --------
    >>> dip, kgr = PREFIX_IRIS["dip"], PREFIX_IRIS["kgr"]
    >>> (kgr + "a", dip + "locatedIn", kgr + "c") in closure(
    ...     [(kgr + "a", dip + "locatedIn", kgr + "b"), (kgr + "b", dip + "locatedIn", kgr + "c")])
    True
    """
    base = list(stated)
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(axioms())
    if base:
        reasoner.from_graph(base)
    chains = property_chains()
    while True:
        found = {(str(s), str(p), str(o)) for s, p, o in reasoner.reason()}
        joined = _join_chains(found, chains) - found
        if not joined:
            return found
        reasoner.from_graph(list(joined))


def triples(lines: Iterable[str]) -> Iterable[tuple[str, str, str]]:
    """The (subject, predicate, object) IRIs of N-Triples lines between IRIs.

    Examples
    --------
    >>> list(triples(["<urn:s> <urn:p> <urn:o> .", ""]))
    [('urn:s', 'urn:p', 'urn:o')]
    """
    for line in lines:
        if line.strip():
            s, p, o = line.rstrip(" .\n").split(" ", 2)
            yield s[1:-1], p[1:-1], o[1:-1]


def ntriple(triple: tuple[str, str, str]) -> str:
    """The N-Triples line of a triple of IRIs.

    Examples
    --------
    >>> ntriple(("urn:s", "urn:p", "urn:o"))
    '<urn:s> <urn:p> <urn:o> .\\n'
    """
    s, p, o = triple
    return f"<{s}> <{p}> <{o}> .\n"


def _join_chains(triples: set, chains) -> set:
    """prp-spo2: for a chain p ≡ p1 ∘ p2 ∘ ..., x p1 y ∧ y p2 z ∧ ... → x p z."""
    by_predicate: dict[str, dict[str, set]] = {}
    for s, p, o in triples:
        by_predicate.setdefault(p, {}).setdefault(s, set()).add(o)
    found = set()
    for prop, steps in chains:
        reach = {s: set(objects) for s, objects in by_predicate.get(steps[0], {}).items()}
        for step in steps[1:]:
            edges = by_predicate.get(step, {})
            reach = {s: {z for y in ys for z in edges.get(y, ())} for s, ys in reach.items()}
        found |= {(s, prop, z) for s, zs in reach.items() for z in zs}
    return found


def about_entities(triple: tuple[str, str, str]) -> bool:
    """Whether an inferred triple is one kg keeps: about one of our entities, neither the
    reasoner's ``x owl:sameAs x`` nor a type from RDF, RDFS or OWL.

    Examples
    --------
    >>> about_entities((PREFIX_IRIS["kgr"] + "a", str(RDF.type), PREFIX_IRIS["dip"] + "Country"))
    True
    """
    s, p, o = triple
    if not s.startswith(_ENTITIES) or s.startswith(_RECORDS):
        return False
    if p == OWL.sameAs:
        return False  # the reasoner's x sameAs x: nothing the analyst needs
    if p == _TYPE and o.startswith((OWL.NS, RDFS.NS, RDF.NS)):
        return False  # owl:Thing and the like
    return True
