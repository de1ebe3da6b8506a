"""Project the RDF graph onto NetworkX: entities as nodes, relations between them as edges."""

from __future__ import annotations

__all__ = ["to_networkx", "RECORD_CLASSES", "node_id"]

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from .resources import load_ontology
from .vocab import DIP, KGA, KGR

#: Classes of the graph's own records: they are not entities, so they are not nodes.
RECORD_CLASSES = frozenset({DIP.CuratedFact, DIP.EvidencePassage, DIP.Participation,
                            RDF.Statement})


def node_id(iri: URIRef) -> str:
    """The NetworkX node key of an entity IRI: its id, or ``article:<id>`` for an article.

    Examples
    --------
    >>> node_id(KGR["marco-rubio"])
    'marco-rubio'
    >>> node_id(KGA["2025-05-16-istanbul-talks"])
    'article:2025-05-16-istanbul-talks'
    """
    text = str(iri)
    if text.startswith(str(KGA)):
        return "article:" + text[len(KGA):]
    if text.startswith(str(KGR)):
        return text[len(KGR):]
    return text


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The directed multigraph of entities and the relations between them.

    Nodes are typed entities (people, organisations, places, events, proposals,
    statements, articles) with attributes ``iri``, ``label`` and ``type`` (the class's local
    name). Every triple between two such nodes is an edge keyed by its predicate, with
    attributes ``predicate`` (prefixed name), ``label`` (the property's English label),
    ``facts`` (the curated facts that assert it, space-separated) and, on participation
    edges, ``role``. Literals, ``rdf:type`` and the provenance records (facts, evidence,
    RDF statements, participations) are not nodes, so they make no false hubs or paths.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        A built graph (a Dataset is read as the union of its graphs).

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> from kg.build import build_graph
    >>> g = to_networkx(build_graph("data").union())
    >>> g.nodes["vladimir-medinsky"]["label"], g.nodes["vladimir-medinsky"]["type"]
    ('Vladimir Medinsky', 'Person')
    >>> g.edges["russian-delegation", "vladimir-medinsky", "dip:headedBy"]["label"]
    'headed by'
    """
    triples = graph.quads((None, None, None, None)) if hasattr(graph, "quads") else None
    union = Graph()
    for quad in (triples if triples is not None else graph.triples((None, None, None))):
        union.add(quad[:3])
    ontology = load_ontology()
    names = graph.namespace_manager

    types: dict[URIRef, URIRef] = {}
    for s, o in union.subject_objects(RDF.type):
        if not isinstance(s, URIRef) or o in RECORD_CLASSES or not str(o).startswith(str(DIP)):
            continue
        types[s] = min(types.get(s, o), o) if s in types else o
    out = nx.MultiDiGraph()
    for s in sorted(types):
        label = union.value(s, RDFS.label) or union.value(s, URIRef("https://schema.org/headline"))
        out.add_node(node_id(s), iri=str(s), label=str(label or node_id(s)),
                     type=str(types[s])[len(DIP):])

    roles: dict[tuple, list[str]] = {}
    for part in union.subjects(RDF.type, DIP.Participation):
        event, agent = union.value(part, DIP.inEvent), union.value(part, DIP.agent)
        role = union.value(part, DIP.role)
        label = ontology.value(role, RDFS.label) or names.normalizeUri(role)
        roles.setdefault((event, agent), []).append(str(label))
    asserted: dict[tuple, list[str]] = {}
    for statement in union.subjects(RDF.type, RDF.Statement):
        key = (union.value(statement, RDF.subject), union.value(statement, RDF.predicate),
               union.value(statement, RDF.object))
        asserted.setdefault(key, []).extend(
            names.normalizeUri(f) for f in union.objects(statement, DIP.assertedBy))

    for s, p, o in sorted(union):
        if p == RDF.type or s not in types or o not in types:
            continue
        predicate = names.normalizeUri(p)
        attrs = {"predicate": predicate,
                 "label": str(ontology.value(p, RDFS.label) or predicate),
                 "facts": " ".join(sorted(set(asserted.get((s, p, o), []))))}
        if p == DIP.hasParticipant and (s, o) in roles:
            attrs["role"] = ", ".join(sorted(roles[(s, o)]))
        out.add_edge(node_id(s), node_id(o), key=predicate, **attrs)
    return out
