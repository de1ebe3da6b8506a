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
    "node_id",
    "split_values",
    "SEP",
    "event_types",
    "entity_classes",
    "negative_properties",
]

from collections import defaultdict
from itertools import combinations

import networkx as nx

from kg.errors import InputError
from kg.vocab.kinds import name_order
from kg.vocab.namespaces import PREFIX_IRIS, compact
from kg.vocab.ontology import instances, ontology_classes, ontology_labels, subclasses
from kg.vocab.records import (
    BACKGROUND,
    FACT_RECORDS,
    PARTICIPATION_ROLES,
    READ,
    RECORD_CLASSES,
    REPORTS,
    edges_query,
    nodes_query,
)
from kg.vocab.terms import DIP

_KGR, _KGA = PREFIX_IRIS["kgr"], PREFIX_IRIS["kga"]
#: Separator of several values in one scalar attribute (fact ids, quotes, predicates).
SEP = " | "


def node_id(iri: str) -> str:
    """The NetworkX node key of an entity IRI: its id, or ``article:<id>`` for an article.

    Examples
    --------
    >>> node_id("https://w3id.org/diplomacy-kg/id/marco-rubio")
    'marco-rubio'
    >>> node_id("https://w3id.org/diplomacy-kg/id/article/2025-05-16-istanbul-talks")
    'article:2025-05-16-istanbul-talks'
    """
    text = str(iri)
    if text.startswith(_KGA):
        return "article:" + text[len(_KGA) :]
    if text.startswith(_KGR):
        return text[len(_KGR) :]
    return text


def event_types() -> frozenset[str]:
    """Local names of the ontology's event classes (DiplomaticEvent and its subclasses).

    Examples
    --------
    >>> sorted(event_types())
    ['DiplomaticEvent', 'Meeting', 'Negotiation', 'PhoneCall', 'PrisonerExchange', 'Session']
    """
    return frozenset(c[len(DIP.NS) :] for c in subclasses(DIP.DiplomaticEvent))


def negative_properties() -> frozenset[str]:
    """The IRIs of the properties that state an absence (typed ``dip:NegativeProperty``).

    Examples
    --------
    >>> sorted(p.rsplit("#", 1)[1] for p in negative_properties())
    ['distinctFrom', 'withoutParticipant']
    """
    return instances(DIP.NegativeProperty)


def entity_classes() -> frozenset[str]:
    """The IRIs of the ontology's classes whose instances are nodes: every class of ours
    but the graph's own records.

    Examples
    --------
    >>> sorted(c.rsplit("#", 1)[1] for c in entity_classes())[:3]
    ['Agent', 'Agreement', 'ArmedConflict']
    """
    return frozenset(c for c in ontology_classes() if c.startswith(DIP.NS)) - RECORD_CLASSES


def multigraph(store) -> nx.MultiDiGraph:
    """The directed multigraph: every relation between two entities is an edge.

    Nodes are typed entities (people, organisations, places, events, proposals,
    statements, articles), keyed by `node_id`, with attributes ``iri``, ``label`` and
    ``type`` (the class's local name). Every triple between two such nodes is an edge keyed
    by its predicate, with ``predicate`` (prefixed name), ``label`` (the property's English
    label), ``facts`` (ids of the curated facts that assert it), ``quotes`` (their evidence
    passages), ``curated`` (``file:line`` of those facts, relative to the data folder),
    ``basis`` (``stated``, ``read: <the curator's reading>`` or ``background: <source>``) and,
    on participation edges, ``role``. Several values in one attribute are
    joined by ``" | "``, so every attribute is a string and exports stay scalar. Literals,
    ``rdf:type`` and the provenance records are not nodes, and a negative property (one the
    ontology types ``dip:NegativeProperty``, such as ``dip:withoutParticipant``: an absence)
    is never an edge, so they make no false hubs or false paths.

    The graph is read from the store with four queries (entities, relations with their
    facts, the facts' passages, participation roles), whatever the size of the corpus.

    Parameters
    ----------
    store : kg.store.graphs.GraphStore
        An open store (see `kg.source.open_store`).

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> from kg.source import open_store
    >>> g = multigraph(open_store("data"))
    >>> g.nodes["vladimir-medinsky"]["label"], g.nodes["vladimir-medinsky"]["type"]
    ('Vladimir Medinsky', 'Person')
    >>> edge = g.edges["russian-delegation", "vladimir-medinsky", "dip:headedBy"]
    >>> edge["label"], edge["quotes"]
    ('headed by', 'The Russian delegation was led by Vladimir Medinsky')
    """
    raw = getattr(store, "store", store)
    labels = ontology_labels()
    classes = sorted(entity_classes())
    # absences are no links; an article's dip:reports is the build's record, not a source's
    # words: an edge is what some source states
    left_out = negative_properties() | {REPORTS}

    # the store's default graph, what the sources state, so that no inferred edge repeats
    # a stated one and each node has the type it was declared with
    scope = {"default_graph": store.full_default(False)} if hasattr(store, "full_default") else {}

    def rows(query: str):
        return raw.query(query, prefixes=PREFIX_IRIS, **scope)

    types: dict[str, str] = {}
    names: dict[str, tuple[bool, str]] = {}
    for row in rows(nodes_query(classes)):
        s, kind = row["s"].value, row["type"].value
        types[s] = min(types[s], kind) if s in types else kind
        label = row["label"] or row["headline"]
        if label is not None:  # the English name, else another (the first by text)
            rank = name_order(label.language, label.value)
            names[s] = min(names.get(s, rank), rank)
    out = nx.MultiDiGraph()
    for s in sorted(types):
        out.add_node(
            node_id(s),
            iri=s,
            label=names[s][1] if s in names else node_id(s),
            type=types[s][len(DIP.NS) :],
        )

    quote_of: dict[str, str] = {}
    curated_at: dict[str, str] = {}
    basis_of: dict[str, str] = {}
    for row in rows(FACT_RECORDS):
        fact = row["fact"].value
        if row["quote"] is not None:
            quote_of[fact] = row["quote"].value
        if row["file"] is not None:
            curated_at[fact] = f"{row['file'].value}:{row['line'].value}"
        basis = row["basis"].value if row["basis"] is not None else ""
        if basis == READ and row["reading"] is not None:
            basis_of[fact] = "read: " + row["reading"].value
        elif basis == BACKGROUND:  # its sources (or note), each row one of them
            said = row["source"] or row["note"]
            known = basis_of.get(fact, "background: ")
            if said is not None and said.value not in known[len("background: ") :].split(", "):
                known += (", " if known != "background: " else "") + said.value
            basis_of[fact] = known
        elif basis:
            basis_of.setdefault(fact, "stated")
    roles: dict[tuple, set] = defaultdict(set)
    for row in rows(PARTICIPATION_ROLES):
        role = row["role"].value
        roles[(row["event"].value, row["agent"].value)].add(labels.get(role, compact(role)))
    facts_of: dict[tuple, set] = defaultdict(set)
    for row in rows(edges_query(classes, left_out)):
        s, o = row["s"].value, row["o"].value
        if o not in types or s not in types:
            continue
        key = (s, row["p"].value, o)
        facts_of.setdefault(key, set())
        if row["fact"] is not None:
            facts_of[key].add(row["fact"].value)

    for s, p, o in sorted(facts_of):
        facts = sorted(facts_of[(s, p, o)])
        predicate = compact(p)
        # each quote with the article it comes from, "ARTICLE: words"
        quoted = sorted({f"{_article_of(f)}: {quote_of[f]}" for f in facts if f in quote_of})
        attrs = {
            "predicate": predicate,
            "label": labels.get(p, predicate),
            "facts": SEP.join(compact(f) for f in facts),
            "quotes": SEP.join(sorted({quote_of[f] for f in facts if f in quote_of})),
            "quoted": SEP.join(quoted),
            "curated": SEP.join(sorted({curated_at[f] for f in facts if f in curated_at})),
            "basis": SEP.join(sorted({basis_of[f] for f in facts if f in basis_of})),
        }
        if p == DIP.hasParticipant and (s, o) in roles:
            attrs["role"] = ", ".join(sorted(roles[(s, o)]))
        out.add_edge(node_id(s), node_id(o), key=predicate, **attrs)
    return out


def _article_of(fact: str) -> str:
    """The article a curated fact's IRI names (``reference`` for background knowledge)."""
    return fact.rsplit("/", 1)[-1].split(".", 1)[0]


def centrality_graph(multi: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph for centrality: parallel and opposite edges merged.

    Each edge's ``weight`` is the number of distinct curated facts behind the merged edges
    (at least 1); ``predicate``, ``label``, ``facts``, ``quotes``, ``curated`` and ``basis``
    join those of the merged edges.

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
        simple.add_edge(
            u,
            v,
            weight=max(1, len(sets["facts"])),
            **{k: SEP.join(sorted(sets[k])) for k in _MERGED},
        )
    return simple


_MERGED = ("predicate", "label", "facts", "quotes", "quoted", "curated", "basis")


def person_event_graph(multi: nx.MultiDiGraph) -> nx.Graph:
    """The bipartite graph of people and the events they took part in.

    People have ``bipartite=0``, events ``bipartite=1``; an edge carries the participation's
    ``predicate`` and ``label``, the ``role`` (or roles), and the ``facts``, ``quotes`` and
    ``curated`` lines behind it.

    Examples
    --------
    >>> from kg.source import open_store
    >>> g = person_event_graph(multigraph(open_store("data")))
    >>> g.edges["hakan-fidan", "preliminary-session"]["role"]
    'host'
    >>> nx.is_bipartite(g)
    True
    """
    events = event_types()
    out = nx.Graph()
    for u, v, data in sorted(multi.edges(data=True), key=lambda e: (e[0], e[1])):
        if data.get("predicate") != compact(DIP.hasParticipant):
            continue
        if multi.nodes[u].get("type") not in events or multi.nodes[v].get("type") != "Person":
            continue
        out.add_node(v, bipartite=0, **multi.nodes[v])
        out.add_node(u, bipartite=1, **multi.nodes[u])
        out.add_edge(
            v,
            u,
            predicate=data["predicate"],
            label=data.get("label", ""),
            role=data.get("role", "participant"),
            facts=data.get("facts", ""),
            quotes=data.get("quotes", ""),
            curated=data.get("curated", ""),
        )
    return out


def coparticipation_graph(multi: nx.MultiDiGraph) -> nx.Graph:
    """People linked when they took part in the same event, weighted by how many.

    An edge's ``weight`` is the number of shared events, ``events`` their ids, and
    ``facts`` the curated facts that put either person in those events; its ``predicate``
    is ``coParticipant`` (a relation derived here, not a term of the ontology).

    Examples
    --------
    >>> from kg.source import open_store
    >>> g = coparticipation_graph(multigraph(open_store("data")))
    >>> g.edges["marco-rubio", "vladimir-medinsky"]["events"]
    'istanbul-direct-talks-2025'
    >>> g.edges["hakan-fidan", "marco-rubio"]["weight"]
    1
    """
    bipartite = person_event_graph(multi)
    out = nx.Graph()
    people = sorted(n for n, d in bipartite.nodes(data=True) if d["bipartite"] == 0)
    out.add_nodes_from(
        (p, {k: v for k, v in bipartite.nodes[p].items() if k != "bipartite"}) for p in people
    )
    shared: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    events = sorted(n for n, d in bipartite.nodes(data=True) if d["bipartite"] == 1)
    for event in events:
        for a, b in combinations(sorted(bipartite[event]), 2):
            shared[(a, b)]["events"].add(event)  # ids of the events both took part in
            for person in (a, b):
                shared[(a, b)]["facts"].update(
                    split_values(bipartite.edges[person, event]["facts"])
                )
    for (a, b), sets in sorted(shared.items()):
        out.add_edge(
            a,
            b,
            predicate="coParticipant",
            label="took part in the same event as",
            weight=len(sets["events"]),
            events=SEP.join(sorted(sets["events"])),
            facts=SEP.join(sorted(sets["facts"])),
        )
    return out


#: Projection names (for ``--projection``) and what builds each from the multigraph.
PROJECTIONS = {
    "multigraph": lambda multi: multi,
    "simple": centrality_graph,
    "person-event": person_event_graph,
    "coparticipation": coparticipation_graph,
}


def project(store, name: str = "multigraph"):
    """Build the named projection (see `PROJECTIONS`) of a store.

    Examples
    --------
    >>> from kg.source import open_store
    >>> project(open_store("data"), "coparticipation").number_of_nodes()
    8
    """
    if name not in PROJECTIONS:
        raise InputError(f"unknown projection {name!r}; use one of: {', '.join(PROJECTIONS)}")
    return PROJECTIONS[name](multigraph(store))


def split_values(text: str) -> list[str]:
    """The values joined by `SEP` in one attribute.

    Examples
    --------
    >>> split_values("kgf:a | kgf:b"), split_values("")
    (['kgf:a', 'kgf:b'], [])
    """
    return [part for part in text.split(SEP) if part]
