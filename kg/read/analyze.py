"""Analyses of the entity graph: centrality, paths with their evidence, neighbours, communities."""

from __future__ import annotations

__all__ = [
    "MEASURES",
    "Ranked",
    "Link",
    "Hop",
    "Neighbour",
    "Communities",
    "NoPathError",
    "centrality",
    "find_node",
    "paths",
    "neighbours",
    "communities",
]

from dataclasses import dataclass

import networkx as nx
from rapidfuzz import fuzz, process

from kg.errors import InputError, KGError
from kg.read.network import centrality_graph, split_values

#: Centrality measures. Degree, betweenness and closeness count hops; eigenvector and
#: PageRank use the edge weight (the number of curated facts behind an edge).
MEASURES = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")


class NoPathError(KGError):
    """The two nodes are not connected (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Ranked:
    """One row of a centrality ranking."""

    rank: int
    node: str
    label: str
    type: str
    score: float


@dataclass(frozen=True)
class Link:
    """One relation followed by a hop: its predicate, direction, facts, their quotes, and
    how they stand (``stated``, ``read: ...`` or ``background: ...``)."""

    predicate: str
    forward: bool
    facts: tuple[str, ...]
    quotes: tuple[str, ...]
    basis: tuple[str, ...] = ()
    #: The article (or articles, comma-separated) of each quote, in the order of `quotes`.
    quoted_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hop:
    """One step of a path, from `source` to `target`, by one or more relations."""

    source: str
    target: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Neighbour:
    """A node within reach of another: how far, and the hop that first reaches it."""

    node: str
    label: str
    type: str
    depth: int
    via: Hop


@dataclass(frozen=True)
class Communities:
    """A partition of the graph's nodes, largest community first, and its modularity."""

    groups: tuple[tuple[str, ...], ...]
    modularity: float
    method: str


def centrality(
    graph: nx.Graph,
    measure: str = "degree",
    top: int = 10,
    *,
    node_type: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> list[Ranked]:
    """Rank nodes by a centrality measure of an undirected simple graph.

    A multigraph is first merged with `kg.read.network.centrality_graph`; a directed graph is
    read as undirected. The measure is computed over the whole graph; `node_type` only
    filters the rows returned.

    Parameters
    ----------
    graph : networkx.Graph
        A projection from `kg.read.network`.
    measure : {'degree', 'betweenness', 'closeness', 'eigenvector', 'pagerank'}
    top : int
        How many rows to return (ties broken by node id).
    node_type : str, optional
        Keep only nodes of this type, e.g. ``"Person"``.
    samples, seed : int, optional
        For betweenness: estimate from `samples` source nodes drawn with `seed`.

    Returns
    -------
    list of Ranked

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"label": "A", "type": "Person"}),
    ...                   ("b", {"label": "B", "type": "Person"}),
    ...                   ("c", {"label": "C", "type": "Meeting"})])
    >>> g.add_edges_from([("c", "a"), ("c", "b")])
    >>> [(r.node, r.score) for r in centrality(g, "degree", top=2)]
    [('c', 1.0), ('a', 0.5)]
    >>> [r.node for r in centrality(g, "betweenness", node_type="Person")]
    ['a', 'b']
    """
    if measure not in MEASURES:
        raise InputError(f"unknown measure {measure!r}; use one of: {', '.join(MEASURES)}")
    if top < 1:
        raise InputError(f"--top must be at least 1, not {top}")
    if samples is not None and measure != "betweenness":
        raise InputError("--samples applies to betweenness only")
    simple = centrality_graph(graph) if graph.is_multigraph() else nx.Graph(graph)
    if simple.number_of_nodes() == 0:
        return []
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        if samples is not None and not 1 <= samples <= len(simple):
            raise InputError(
                f"--samples must be between 1 and the number of nodes "
                f"({len(simple)}), not {samples}"
            )
        scores = nx.betweenness_centrality(simple, k=samples, seed=seed)
    elif measure == "closeness":
        scores = nx.closeness_centrality(simple)
    elif measure == "eigenvector":
        scores = nx.eigenvector_centrality_numpy(simple, weight="weight")
    else:
        scores = nx.pagerank(simple, weight="weight")
    rows = [
        (n, s)
        for n, s in scores.items()
        if node_type is None or simple.nodes[n].get("type") == node_type
    ]
    if node_type is not None and not rows:
        known = sorted({d.get("type", "") for _, d in simple.nodes(data=True)})
        raise InputError(f"no node has type {node_type!r}; types here: {', '.join(known)}")
    rows.sort(key=lambda kv: (-round(kv[1], 12), kv[0]))
    return [
        Ranked(i, n, simple.nodes[n].get("label", n), simple.nodes[n].get("type", ""), float(s))
        for i, (n, s) in enumerate(rows[:top], 1)
    ]


def find_node(graph: nx.Graph, name: str) -> str:
    """The node whose id or label is `name` (case-insensitive).

    Raises
    ------
    InputError
        If no node matches (with the closest labels) or several do (with the candidates).

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("marco-rubio", label="Marco Rubio")
    >>> find_node(g, "marco rubio")
    'marco-rubio'
    >>> find_node(g, "Marko Rubio")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: no node is named 'Marko Rubio'; closest labels: Marco Rubio (marco-rubio)
    """
    wanted = name.casefold().strip()
    matches = sorted(
        n
        for n, d in graph.nodes(data=True)
        if wanted in (str(n).casefold(), str(d.get("label", "")).casefold())
    )
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(f"{m} ({graph.nodes[m].get('type', '')})" for m in matches)
        raise InputError(f"{name!r} names several nodes: {listed}; give the id instead")
    labels = {str(d.get("label", n)): n for n, d in graph.nodes(data=True)}
    close = [
        found
        for found, _, _ in process.extract(
            name, list(labels), scorer=fuzz.ratio, limit=3, score_cutoff=50
        )
    ]
    hint = (
        f"closest labels: {', '.join(f'{c} ({labels[c]})' for c in close)}"
        if close
        else "'kg analyze centrality' lists the nodes"
    )
    raise InputError(f"no node is named {name!r}; {hint}")


def paths(graph: nx.Graph, source: str, target: str, limit: int = 10) -> list[list[Hop]]:
    """The shortest paths between two nodes (named by id or label), ignoring direction.

    Each hop keeps every relation between its two nodes, with the direction it is followed
    in and the curated facts and quotes behind it. At most `limit` paths are returned.

    Raises
    ------
    InputError
        Unknown or ambiguous names (see `find_node`).
    NoPathError
        When the nodes are not connected.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("d", {"label": "Delegation"}), ("p", {"label": "Person"}),
    ...                   ("e", {"label": "Talks"})])
    >>> g.add_edge("d", "p", key="dip:headedBy", predicate="dip:headedBy", facts="f1",
    ...            quotes="led by P")
    'dip:headedBy'
    >>> g.add_edge("e", "d", key="dip:hasParticipant", predicate="dip:hasParticipant")
    'dip:hasParticipant'
    >>> [hop] = paths(g, "Person", "d")
    >>> hop[0].links
    (Link(predicate='dip:headedBy', forward=False, facts=('f1',), quotes=('led by P',), basis=(), quoted_from=('',)),)
    """
    a, b = find_node(graph, source), find_node(graph, target)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    if a == b:
        return [[]]
    try:
        # the first `limit` in order of node ids, whatever order NetworkX finds them in (it
        # follows the order edges were added); at most PATHS_READ are read to choose from
        found = []
        for nodes in nx.all_shortest_paths(undirected, a, b):
            found.append(nodes)
            if len(found) >= max(limit, PATHS_READ):
                break
    except nx.NetworkXNoPath:
        raise NoPathError(
            f"no path between {a!r} and {b!r}: they are in different parts of the graph"
        ) from None
    return [
        [_hop(graph, u, v) for u, v in zip(nodes, nodes[1:])] for nodes in sorted(found)[:limit]
    ]


#: How many shortest paths `paths` reads before it sorts them and keeps the first `limit`.
PATHS_READ = 10_000


def neighbours(graph: nx.Graph, name: str, depth: int = 1) -> list[Neighbour]:
    """The nodes within `depth` hops of a node, nearest first, each with the hop reaching it.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"label": "A"}), ("b", {"label": "B"}), ("c", {"label": "C"})])
    >>> g.add_edges_from([("a", "b"), ("b", "c")])
    >>> [(n.node, n.depth, n.via.source) for n in neighbours(g, "A", depth=2)]
    [('b', 1, 'a'), ('c', 2, 'b')]
    """
    if depth < 1:
        raise InputError(f"--depth must be at least 1, not {depth}")
    start = find_node(graph, name)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    parents = dict(nx.bfs_predecessors(undirected, start, depth_limit=depth, sort_neighbors=sorted))
    distance = nx.single_source_shortest_path_length(undirected, start, cutoff=depth)
    out = []
    for node in sorted(parents, key=lambda n: (distance[n], n)):
        data = graph.nodes[node]
        out.append(
            Neighbour(
                node,
                data.get("label", node),
                data.get("type", ""),
                distance[node],
                _hop(graph, parents[node], node),
            )
        )
    return out


def communities(
    graph: nx.Graph, method: str = "louvain", seed: int | None = 0, resolution: float = 1.0
) -> Communities:
    """Partition an undirected simple view of the graph by modularity.

    Parameters
    ----------
    method : {'louvain', 'greedy'}
        NetworkX's Louvain method (randomised: fix `seed` for a repeatable answer) or
        Clauset-Newman-Moore greedy modularity.

    Examples
    --------
    >>> g = nx.barbell_graph(4, 0)
    >>> result = communities(g, "greedy")
    >>> [len(c) for c in result.groups], round(result.modularity, 3)
    ([4, 4], 0.423)
    """
    simple = centrality_graph(graph) if graph.is_multigraph() else nx.Graph(graph)
    if method == "louvain":
        parts = nx.community.louvain_communities(
            simple, weight="weight", seed=seed, resolution=resolution
        )
    elif method == "greedy":
        parts = nx.community.greedy_modularity_communities(
            simple, weight="weight", resolution=resolution
        )
    else:
        raise InputError(f"unknown method {method!r}; use louvain or greedy")
    groups = sorted((tuple(sorted(p)) for p in parts), key=lambda g: (-len(g), g))
    score = nx.community.modularity(simple, parts, weight="weight", resolution=resolution)
    return Communities(tuple(groups), float(score), method)


def _quoted_from(data: dict) -> tuple[str, ...]:
    """For each of an edge's quotes, the articles it comes from (its ``quoted`` attribute
    holds "ARTICLE: words" entries)."""
    pairs = [item.split(": ", 1) for item in split_values(data.get("quoted", ""))]
    return tuple(
        ", ".join(sorted({a for a, q in pairs if q == quote}))
        for quote in split_values(data.get("quotes", ""))
    )


def _hop(graph: nx.Graph, u: str, v: str) -> Hop:
    links = []
    for a, b, forward in ((u, v, True), (v, u, False)):
        if not graph.has_edge(a, b):
            continue
        edges = graph[a][b]
        datas = edges.values() if graph.is_multigraph() else [edges]
        for data in datas:
            predicate = data.get("predicate", "")
            links.append(
                Link(
                    predicate,
                    forward or not graph.is_directed(),
                    tuple(split_values(data.get("facts", ""))),
                    tuple(split_values(data.get("quotes", ""))),
                    tuple(split_values(data.get("basis", ""))),
                    _quoted_from(data),
                )
            )
        if not graph.is_directed():
            break
    return Hop(u, v, tuple(sorted(links, key=lambda link: (not link.forward, link.predicate))))
