"""First analyses of the entity graph: centrality rankings and labelled paths."""

from __future__ import annotations

__all__ = ["MEASURES", "Ranked", "Hop", "centrality", "find_node", "path"]

import difflib
from dataclasses import dataclass

import networkx as nx

from .errors import InputError, KGError

#: Centrality measures, by name, over the undirected simple view of the graph.
MEASURES = {
    "degree": nx.degree_centrality,
    "betweenness": nx.betweenness_centrality,
    "pagerank": nx.pagerank,
}


@dataclass(frozen=True)
class Ranked:
    """One row of a centrality ranking."""

    node: str
    label: str
    type: str
    score: float


@dataclass(frozen=True)
class Hop:
    """One step of a path: from a node to the next, by a predicate, in which direction."""

    source: str
    target: str
    predicates: tuple[str, ...]
    forward: bool


class NoPathError(KGError):
    """The two nodes are not connected (exit 1)."""

    exit_code = 1


def centrality(graph: nx.MultiDiGraph, measure: str = "degree", top: int = 10) -> list[Ranked]:
    """Rank nodes by a centrality measure of the undirected simple graph.

    Parallel and opposite edges are merged, so a pair of nodes counts once.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection from `kg.network.to_networkx`.
    measure : {'degree', 'betweenness', 'pagerank'}
    top : int
        How many nodes to return (ties are broken by node id).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Person"); g.add_node("b", label="B", type="Person")
    >>> g.add_node("c", label="C", type="Meeting")
    >>> g.add_edge("c", "a"); g.add_edge("c", "b"); g.add_edge("c", "a")
    0
    0
    1
    >>> [(r.node, r.score) for r in centrality(g, "degree", top=2)]
    [('c', 1.0), ('a', 0.5)]
    """
    if measure not in MEASURES:
        raise InputError(f"unknown measure {measure!r}; use one of: {', '.join(MEASURES)}")
    if top < 1:
        raise InputError(f"--top must be at least 1, not {top}")
    simple = nx.Graph(graph.to_undirected())
    scores = MEASURES[measure](simple) if len(simple) else {}
    rows = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [Ranked(n, graph.nodes[n].get("label", n), graph.nodes[n].get("type", ""), s)
            for n, s in rows]


def find_node(graph: nx.MultiDiGraph, name: str) -> str:
    """The node whose id or label is `name` (case-insensitive).

    Raises
    ------
    InputError
        If no node matches (with the closest labels) or several do (with the candidates).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("marco-rubio", label="Marco Rubio")
    >>> find_node(g, "marco rubio")
    'marco-rubio'
    >>> find_node(g, "Marko Rubio")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: no node is named 'Marko Rubio'; closest labels: Marco Rubio
    """
    wanted = name.casefold().strip()
    matches = sorted(n for n, d in graph.nodes(data=True)
                     if wanted in (str(n).casefold(), str(d.get("label", "")).casefold()))
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(f"{m} ({graph.nodes[m].get('type', '')})" for m in matches)
        raise InputError(f"{name!r} names several nodes: {listed}; give the id instead")
    labels = {str(d.get("label", n)): n for n, d in graph.nodes(data=True)}
    close = difflib.get_close_matches(name, list(labels), n=3, cutoff=0.5)
    hint = f"closest labels: {', '.join(close)}" if close else "kg analyze centrality lists nodes"
    raise InputError(f"no node is named {name!r}; {hint}")


def path(graph: nx.MultiDiGraph, source: str, target: str) -> list[Hop]:
    """The shortest path between two nodes (named by id or label), ignoring edge direction.

    Each hop keeps the predicates of the edges it follows and whether it follows them
    forwards (``source -> target``) or backwards.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("d", label="Delegation"); g.add_node("p", label="Person")
    >>> g.add_node("e", label="Talks")
    >>> g.add_edge("d", "p", key="dip:headedBy"); g.add_edge("e", "d", key="dip:hasParticipant")
    'dip:headedBy'
    'dip:hasParticipant'
    >>> [(h.source, h.predicates, h.forward) for h in path(g, "Person", "e")]
    [('p', ('dip:headedBy',), False), ('d', ('dip:hasParticipant',), False)]
    """
    a, b = find_node(graph, source), find_node(graph, target)
    try:
        nodes = nx.shortest_path(graph.to_undirected(as_view=True), a, b)
    except nx.NetworkXNoPath:
        raise NoPathError(f"no path between {a!r} and {b!r}: they are in different parts "
                          "of the graph") from None
    hops = []
    for u, v in zip(nodes, nodes[1:]):
        forward = sorted(graph[u][v]) if graph.has_edge(u, v) else []
        backward = sorted(graph[v][u]) if graph.has_edge(v, u) else []
        hops.append(Hop(u, v, tuple(forward or backward), bool(forward)))
    return hops
