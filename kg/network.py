"""Project the RDF graph onto NetworkX graphs: entities as nodes, relations as edges."""

from __future__ import annotations

__all__ = [
    "PROJECTIONS",
    "RECORD_CLASSES",
    "multigraph",
    "centrality_graph",
    "person_event_graph",
    "coparticipation_graph",
    "project",
    "load_projection",
    "node_id",
    "split_values",
    "SEP",
    "event_types",
]

from collections import defaultdict
from itertools import combinations

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from .build import union_graph
from .errors import InputError
from .resources import load_ontology
from .vocab import DIP, KGA, KGR, OA, SCHEMA

#: Classes of the graph's own records: they are not entities, so they are not nodes.
RECORD_CLASSES = frozenset({DIP.CuratedFact, DIP.EvidencePassage, DIP.Participation,
                            RDF.Statement})
#: Separator of several values in one scalar attribute (fact ids, quotes, predicates).
SEP = " | "


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


def event_types() -> frozenset[str]:
    """Local names of the ontology's event classes (DiplomaticEvent and its subclasses).

    Examples
    --------
    >>> sorted(event_types())
    ['DiplomaticEvent', 'Meeting', 'Negotiation', 'Session']
    """
    ontology = load_ontology()
    classes = ontology.transitive_subjects(RDFS.subClassOf, DIP.DiplomaticEvent)
    return frozenset(str(c)[len(DIP):] for c in classes)


def multigraph(graph: Graph) -> nx.MultiDiGraph:
    """The directed multigraph: every relation between two entities is an edge.

    Nodes are typed entities (people, organisations, places, events, proposals,
    statements, articles), keyed by `node_id`, with attributes ``iri``, ``label`` and
    ``type`` (the class's local name). Every triple between two such nodes is an edge keyed
    by its predicate, with ``predicate`` (prefixed name), ``label`` (the property's English
    label), ``facts`` (ids of the curated facts that assert it), ``quotes`` (their evidence
    passages), ``curated`` (``file:line`` of those facts, relative to the data folder) and,
    on participation edges, ``role``. Several values in one attribute are
    joined by ``" | "``, so every attribute is a string and exports stay scalar. Literals,
    ``rdf:type`` and the provenance records are not nodes, so they make no false hubs or
    false paths.

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
    >>> g = multigraph(build_graph("data").union())
    >>> g.nodes["vladimir-medinsky"]["label"], g.nodes["vladimir-medinsky"]["type"]
    ('Vladimir Medinsky', 'Person')
    >>> edge = g.edges["russian-delegation", "vladimir-medinsky", "dip:headedBy"]
    >>> edge["label"], edge["quotes"]
    ('headed by', 'The Russian delegation was led by Vladimir Medinsky')
    """
    union = union_graph(graph)
    ontology = load_ontology()
    names = graph.namespace_manager

    types: dict[URIRef, URIRef] = {}
    for s, o in union.subject_objects(RDF.type):
        if not isinstance(s, URIRef) or o in RECORD_CLASSES or not str(o).startswith(str(DIP)):
            continue
        types[s] = min(types[s], o) if s in types else o
    out = nx.MultiDiGraph()
    for s in sorted(types):
        label = union.value(s, RDFS.label) or union.value(s, SCHEMA.headline)
        out.add_node(node_id(s), iri=str(s), label=str(label or node_id(s)),
                     type=str(types[s])[len(DIP):])

    roles: dict[tuple, list[str]] = defaultdict(list)
    for part in union.subjects(RDF.type, DIP.Participation):
        event, agent = union.value(part, DIP.inEvent), union.value(part, DIP.agent)
        role = union.value(part, DIP.role)
        roles[(event, agent)].append(str(ontology.value(role, RDFS.label) or role))
    quote_of = {f: str(union.value(e, OA.exact)) for f, e in union.subject_objects(DIP.evidence)}
    curated_at = {f: f"{union.value(f, DIP.curatedIn)}:{union.value(f, DIP.curatedAtLine)}"
                  for f in quote_of}
    facts_of: dict[tuple, set] = defaultdict(set)
    for statement in union.subjects(RDF.type, RDF.Statement):
        key = (union.value(statement, RDF.subject), union.value(statement, RDF.predicate),
               union.value(statement, RDF.object))
        facts_of[key].update(union.objects(statement, DIP.assertedBy))

    for s, p, o in sorted(union):
        if p == RDF.type or s not in types or o not in types:
            continue
        predicate = names.normalizeUri(p)
        facts = sorted(facts_of.get((s, p, o), ()))
        attrs = {"predicate": predicate,
                 "label": str(ontology.value(p, RDFS.label) or predicate),
                 "facts": SEP.join(names.normalizeUri(f) for f in facts),
                 "quotes": SEP.join(sorted({quote_of[f] for f in facts if f in quote_of})),
                 "curated": SEP.join(sorted({curated_at[f] for f in facts if f in curated_at}))}
        if p == DIP.hasParticipant and (s, o) in roles:
            attrs["role"] = ", ".join(sorted(roles[(s, o)]))
        out.add_edge(node_id(s), node_id(o), key=predicate, **attrs)
    return out


def centrality_graph(multi: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph for centrality: parallel and opposite edges merged.

    Each edge's ``weight`` is the number of distinct curated facts behind the merged edges
    (at least 1); ``predicate``, ``label``, ``facts``, ``quotes`` and ``curated`` join those
    of the merged edges.

    Examples
    --------
    >>> m = nx.MultiDiGraph()
    >>> m.add_edge("a", "b", key="p", predicate="p", facts="f1", quotes="q1")
    'p'
    >>> m.add_edge("b", "a", key="q", predicate="q", facts="f1 | f2", quotes="q1 | q2")
    'q'
    >>> g = centrality_graph(m)
    >>> g.edges["a", "b"]["weight"], g.edges["a", "b"]["predicate"]
    (2, 'p | q')
    """
    simple = nx.Graph()
    simple.add_nodes_from(multi.nodes(data=True))
    merged: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for u, v, data in multi.edges(data=True):
        pair = tuple(sorted((u, v)))
        for attr in _MERGED:
            merged[pair][attr].update(split_values(data.get(attr, "")))
    for (u, v), sets in sorted(merged.items()):
        simple.add_edge(u, v, weight=max(1, len(sets["facts"])),
                        **{k: SEP.join(sorted(sets[k])) for k in _MERGED})
    return simple


_MERGED = ("predicate", "label", "facts", "quotes", "curated")


def person_event_graph(multi: nx.MultiDiGraph) -> nx.Graph:
    """The bipartite graph of people and the events they took part in.

    People have ``bipartite=0``, events ``bipartite=1``; an edge carries the participation's
    ``predicate`` and ``label``, the ``role`` (or roles), and the ``facts``, ``quotes`` and
    ``curated`` lines behind it.

    Examples
    --------
    >>> from kg.build import build_graph
    >>> g = person_event_graph(multigraph(build_graph("data").union()))
    >>> g.edges["hakan-fidan", "preliminary-session"]["role"]
    'host'
    >>> nx.is_bipartite(g)
    True
    """
    events = event_types()
    out = nx.Graph()
    for u, v, data in sorted(multi.edges(data=True), key=lambda e: (e[0], e[1])):
        if data.get("predicate") != "dip:hasParticipant":
            continue
        if multi.nodes[u].get("type") not in events or multi.nodes[v].get("type") != "Person":
            continue
        out.add_node(v, bipartite=0, **multi.nodes[v])
        out.add_node(u, bipartite=1, **multi.nodes[u])
        out.add_edge(v, u, predicate=data["predicate"], label=data.get("label", ""),
                     role=data.get("role", "participant"), facts=data.get("facts", ""),
                     quotes=data.get("quotes", ""), curated=data.get("curated", ""))
    return out


def coparticipation_graph(multi: nx.MultiDiGraph) -> nx.Graph:
    """People linked when they took part in the same event, weighted by how many.

    An edge's ``weight`` is the number of shared events, ``events`` their ids, and
    ``facts`` the curated facts that put either person in those events; its ``predicate``
    is ``coParticipant`` (a relation derived here, not a term of the ontology).

    Examples
    --------
    >>> from kg.build import build_graph
    >>> g = coparticipation_graph(multigraph(build_graph("data").union()))
    >>> g.edges["marco-rubio", "vladimir-medinsky"]["events"]
    'istanbul-direct-talks-2025'
    >>> g.edges["hakan-fidan", "marco-rubio"]["weight"]
    1
    """
    bipartite = person_event_graph(multi)
    out = nx.Graph()
    people = sorted(n for n, d in bipartite.nodes(data=True) if d["bipartite"] == 0)
    out.add_nodes_from((p, {k: v for k, v in bipartite.nodes[p].items() if k != "bipartite"})
                       for p in people)
    shared: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    events = sorted(n for n, d in bipartite.nodes(data=True) if d["bipartite"] == 1)
    for event in events:
        for a, b in combinations(sorted(bipartite[event]), 2):
            shared[(a, b)]["events"].add(event)  # ids of the events both took part in
            for person in (a, b):
                shared[(a, b)]["facts"].update(split_values(bipartite.edges[person, event]["facts"]))
    for (a, b), sets in sorted(shared.items()):
        out.add_edge(a, b, predicate="coParticipant", label="took part in the same event as",
                     weight=len(sets["events"]), events=SEP.join(sorted(sets["events"])),
                     facts=SEP.join(sorted(sets["facts"])))
    return out


#: Projection names (for ``--projection``) and what builds each from the multigraph.
PROJECTIONS = {
    "multigraph": lambda multi: multi,
    "simple": centrality_graph,
    "person-event": person_event_graph,
    "coparticipation": coparticipation_graph,
}


def project(graph: Graph, name: str = "multigraph"):
    """Build the named projection (see `PROJECTIONS`) of an RDF graph.

    Examples
    --------
    >>> from kg.load import load_dataset
    >>> project(load_dataset("data"), "coparticipation").number_of_nodes()
    8
    """
    if name not in PROJECTIONS:
        raise InputError(f"unknown projection {name!r}; use one of: {', '.join(PROJECTIONS)}")
    return PROJECTIONS[name](multigraph(graph))


def load_projection(source="out", name: str = "multigraph"):
    """Load a built graph and project it: the one call an analysis script needs.

    `source` is what `kg.load.load_dataset` takes: a build folder (default ``out``), an RDF
    file, or a data folder (built in memory).

    Examples
    --------
    >>> g = load_projection("data", "coparticipation")
    >>> sorted(g["hakan-fidan"])
    ['marco-rubio', 'ukrainian-foreign-minister-2025-05']
    """
    from .load import load_dataset

    return project(load_dataset(source), name)


def split_values(text: str) -> list[str]:
    """The values joined by `SEP` in one attribute.

    Examples
    --------
    >>> split_values("kgf:a | kgf:b"), split_values("")
    (['kgf:a', 'kgf:b'], [])
    """
    return [part for part in text.split(SEP) if part]
