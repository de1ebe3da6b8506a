"""Explain how two people are connected, hop by hop, with the article's words for each hop.

Usage: python examples/explain_connection.py [GRAPH] [A] [B]
       (defaults: out/, "Marco Rubio", "Vladimir Medinsky")
"""

import sys

from kg.read.analyze import paths
from kg.source import load_projection


def main(source: str = "out", a: str = "Marco Rubio", b: str = "Vladimir Medinsky") -> None:
    graph = load_projection(source)
    label = lambda n: graph.nodes[n]["label"]  # noqa: E731
    for number, path in enumerate(paths(graph, a, b), 1):
        print(f"Path {number}: {' -> '.join([label(path[0].source)] + [label(h.target) for h in path])}")
        for hop in path:
            for link in hop.links:
                subject, obj = (hop.source, hop.target) if link.forward else (hop.target, hop.source)
                print(f"  {label(subject)} {graph.edges[subject, obj, link.predicate]['label']} "
                      f"{label(obj)}")
                for quote in link.quotes:
                    print(f"    the article: \u201c{quote}\u201d")
                curated = graph.edges[subject, obj, link.predicate]["curated"]
                for place in curated.split(" | "):
                    print(f"    curated at: {place} (in the data folder)")


if __name__ == "__main__":
    main(*sys.argv[1:])
