"""Export the entity graph for Gephi, with community and centrality as node attributes.

Usage: python examples/export_for_gephi.py [GRAPH] [OUTPUT.gexf]   (defaults: out/, out/kg-gephi.gexf)

In Gephi: File > Open the .gexf, then colour nodes by "community" (Appearance > Partition)
and size them by "pagerank" (Appearance > Ranking). Edge "weight" counts curated facts.
"""

import sys
from pathlib import Path

from kg.read.analyze import centrality, communities
from kg.files import write_files
from kg.read.export import serialize_network
from kg.source import load_projection


def main(source: str = "out", output: str = "out/kg-gephi.gexf") -> None:
    graph = load_projection(source, "simple")
    ranks = {r.node: r.score for r in centrality(graph, "pagerank", top=len(graph))}
    partition = communities(graph, "louvain", seed=0)
    for number, group in enumerate(partition.groups, 1):
        for node in group:
            graph.nodes[node]["community"] = number
    for node in graph:
        graph.nodes[node]["pagerank"] = ranks[node]
    target = Path(output)
    write_files({target.name: serialize_network(graph, "gexf")}, target.parent)
    print(f"wrote {target}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, "
          f"{len(partition.groups)} communities")


if __name__ == "__main__":
    main(*sys.argv[1:])
