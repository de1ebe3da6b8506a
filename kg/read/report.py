"""Format analysis results for people (aligned text) and for programs (CSV, JSON)."""

from __future__ import annotations

__all__ = [
    "REPORT_FORMATS",
    "format_ranking",
    "format_paths",
    "format_neighbours",
    "format_communities",
]

import csv
import io
import json
from dataclasses import asdict

import networkx as nx

from kg.errors import InputError
from kg.read.analyze import Communities, Hop, Neighbour, Ranked
from kg.read.query import aligned_table

REPORT_FORMATS = ("table", "csv", "json")


def format_ranking(rows: list[Ranked], fmt: str = "table") -> str:
    """A centrality ranking as an aligned table, CSV or JSON.

    Examples
    --------
    >>> rows = [Ranked(1, "a", "Alpha", "Person", 0.5), Ranked(2, "b", "Beta", "Meeting", 0.25)]
    >>> print(format_ranking(rows), end="")
    rank  score   label  type     id
    1     0.5000  Alpha  Person   a
    2     0.2500  Beta   Meeting  b
    >>> print(format_ranking(rows, "csv"), end="")
    rank,id,label,type,score
    1,a,Alpha,Person,0.5
    2,b,Beta,Meeting,0.25
    """
    _check(fmt)
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["rank", "id", "label", "type", "score"])
        writer.writerows([r.rank, r.node, r.label, r.type, r.score] for r in rows)
        return buffer.getvalue()
    return aligned_table(
        ["rank", "score", "label", "type", "id"],
        [[str(r.rank), f"{r.score:.4f}", r.label, r.type, r.node] for r in rows],
    )


def format_paths(graph: nx.Graph, found: list[list[Hop]], *, quotes: bool = True) -> str:
    """Shortest paths, each hop with its predicate and the quote that supports it; a hop
    that a curator read from the words, or that is background knowledge, says so.

    Examples
    --------
    >>> from kg.read.analyze import paths
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("d", {"label": "Delegation"}), ("p", {"label": "Medinsky"})])
    >>> g.add_edge("d", "p", key="dip:headedBy", predicate="dip:headedBy", quotes="led by Medinsky")
    'dip:headedBy'
    >>> print(format_paths(g, paths(g, "Delegation", "Medinsky")), end="")
    Delegation -> Medinsky: 1 shortest path(s) of 1 hop(s)
    <BLANKLINE>
    1. Delegation
       --dip:headedBy--> Medinsky
            "led by Medinsky"
    """
    label = lambda n: graph.nodes[n].get("label", n) if n in graph else n  # noqa: E731
    if not found or not found[0]:
        return "the two names are the same node\n"
    start, end = found[0][0].source, found[0][-1].target
    hops = len(found[0])
    lines = [f"{label(start)} -> {label(end)}: {len(found)} shortest path(s) of {hops} hop(s)"]
    for number, path in enumerate(found, 1):
        lines += ["", f"{number}. {label(start)}"]
        for hop in path:
            for i, link in enumerate(hop.links):
                arrow = f"--{link.predicate}-->" if link.forward else f"<--{link.predicate}--"
                lines.append(
                    f"   {arrow} {label(hop.target)}"
                    if i == 0
                    else f"   {' ' * len(arrow)} (also {link.predicate}"
                    f"{'' if link.forward else ', reversed'})"
                )
                if quotes:
                    sources = list(link.quoted_from) + [""] * len(link.quotes)
                    lines += [
                        f'        "{q}"' + (f"  ({a})" if a else "")
                        for q, a in zip(link.quotes, sources)
                    ]
                    lines += [f"        ({b})" for b in link.basis if b != "stated"]
    return "\n".join(lines) + "\n"


def format_neighbours(graph: nx.Graph, name: str, found: list[Neighbour]) -> str:
    """Neighbours by depth, each with the relation that reaches it.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"label": "A", "type": "T"}), ("b", {"label": "B", "type": "T"})])
    >>> g.add_edge("a", "b", predicate="dip:partOf")
    >>> from kg.read.analyze import neighbours
    >>> print(format_neighbours(g, "a", neighbours(g, "a")), end="")
    depth  label  type  via                 id
    1      B      T     A -[dip:partOf]- B  b
    """
    rows = []
    for n in found:
        link = n.via.links[0] if n.via.links else None
        source = graph.nodes[n.via.source].get("label", n.via.source)
        if link is None:
            via = source
        elif link.forward and graph.is_directed():
            via = f"{source} -[{link.predicate}]-> {n.label}"
        elif graph.is_directed():
            via = f"{source} <-[{link.predicate}]- {n.label}"
        else:
            via = f"{source} -[{link.predicate}]- {n.label}"
        rows.append([str(n.depth), n.label, n.type, via, n.node])
    return aligned_table(["depth", "label", "type", "via", "id"], rows)


def format_communities(graph: nx.Graph, result: Communities) -> str:
    """Communities, largest first, with their members' labels.

    Examples
    --------
    >>> g = nx.Graph([("a", "b")])
    >>> print(format_communities(g, Communities((("a", "b"),), 0.0, "greedy")), end="")
    1 communities (greedy), modularity 0.0000
    1. (2) a, b
    """
    lines = [
        f"{len(result.groups)} communities ({result.method}), modularity {result.modularity:.4f}"
    ]
    for number, group in enumerate(result.groups, 1):
        names = ", ".join(graph.nodes[n].get("label", n) for n in group)
        lines.append(f"{number}. ({len(group)}) {names}")
    return "\n".join(lines) + "\n"


def _check(fmt: str) -> None:
    if fmt not in REPORT_FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: {', '.join(REPORT_FORMATS)}")
